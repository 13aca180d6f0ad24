/* ARMv7-M (Cortex-M4) support: system registers, NVIC helpers, the
 * user/kernel boundary, the MPU driver and SysTick as scheduler timer. */
#ifndef OS_ARCH_ARMV7M_H
#define OS_ARCH_ARMV7M_H

#include "lib/util.h"
#include "lib/kfmt.h"
#include "hil/ukb.h"
#include "hil/mpu.h"
#include "hil/sched_timer.h"

#define ARMV7M_SCS_ICTR     0xE000E004u
#define ARMV7M_SYST_CSR     0xE000E010u
#define ARMV7M_SYST_RVR     0xE000E014u
#define ARMV7M_SYST_CVR     0xE000E018u
#define ARMV7M_NVIC_ISER    0xE000E100u
#define ARMV7M_NVIC_ICER    0xE000E180u
#define ARMV7M_NVIC_ISPR    0xE000E200u
#define ARMV7M_NVIC_ICPR    0xE000E280u
#define ARMV7M_SCB_ICSR     0xE000ED04u
#define ARMV7M_SCB_VTOR     0xE000ED08u
#define ARMV7M_SCB_CCR      0xE000ED14u
#define ARMV7M_SCB_SHCSR    0xE000ED24u
#define ARMV7M_SCB_CFSR     0xE000ED28u
#define ARMV7M_SCB_HFSR     0xE000ED2Cu
#define ARMV7M_SCB_MMFAR    0xE000ED34u
#define ARMV7M_SCB_BFAR     0xE000ED38u
#define ARMV7M_MPU_TYPE     0xE000ED90u
#define ARMV7M_MPU_CTRL     0xE000ED94u
#define ARMV7M_MPU_RNR      0xE000ED98u
#define ARMV7M_MPU_RBAR     0xE000ED9Cu
#define ARMV7M_MPU_RASR     0xE000EDA0u

/* Why armv7m_switch_to_user returned (set by the exception handlers). */
enum { ARMV7M_SWITCH_SYSCALL = 0, ARMV7M_SWITCH_FAULT = 1, ARMV7M_SWITCH_INTERRUPTED = 2 };

/* ---- NVIC: interrupts are handled in the kernel thread. The shared ISR
 * disables the interrupt and leaves it pending; the chip's bottom half
 * clears it, runs the driver, and enables it again. */
void armv7m_nvic_enable(unsigned irq);
void armv7m_nvic_disable(unsigned irq);
void armv7m_nvic_clear_pending(unsigned irq);
int armv7m_nvic_next_pending(unsigned nirqs);    /* lowest pending IRQ, -1 if none */

/* Fault status registers captured at the last process fault (valid), else
 * the fault printout reads the live registers. */
struct armv7m_fault_regs {
    uint32_t cfsr, hfsr, mmfar, bfar;
    bool valid;
};
extern struct armv7m_fault_regs armv7m_last_fault;

/* Sleep until an interrupt is pending, unless has_pending() says one already is. */
void armv7m_sleep(bool (*has_pending)(void *ctx), void *ctx);
/* Sleep, interrupts masked, until done(ctx): `irq` is enabled in the NVIC
 * for the wait only, so that its interrupt ends each WFI without being
 * taken; it is left disabled and not pending, PRIMASK as it was. */
void armv7m_wait_masked(unsigned irq, bool (*done)(void *ctx), void *ctx);
_Noreturn void armv7m_halt(void);
/* The Cortex-M fault status of the last fault, Tock's format. */
void armv7m_print_fault_state(struct k_writer *w);

/* ---- user/kernel boundary (ukb.c) */
extern const struct hil_ukb armv7m_ukb;

/* ---- MPU (mpu.c): PMSAv7, app RAM in regions 0-1 with subregions, app
 * flash in region 2 */
struct armv7m_mpu {
    struct hil_mpu mpu;
};
void armv7m_mpu_init(struct armv7m_mpu *m);

/* ---- SysTick as the scheduler timer (systick.c) */
struct armv7m_systick {
    struct hil_sched_timer timer;
    uint32_t hz;
    bool expired;
};
void armv7m_systick_init(struct armv7m_systick *s, uint32_t core_hz);

#endif
