/* RV32I machine-mode support: CSRs, the user/kernel boundary, the PMP
 * driver and the CLINT machine timer as an Alarm.
 *
 * The kernel runs in M-mode with mstatus.MIE always 0: interrupts only trap
 * while a process runs in U-mode (which returns control to the kernel);
 * the kernel finds them pending in mip and services them in its loop, and
 * sleeps with wfi (which wakes on a pending, enabled interrupt). */
#ifndef OS_ARCH_RV32I_H
#define OS_ARCH_RV32I_H

#include "lib/util.h"
#include "lib/kfmt.h"
#include "hil/ukb.h"
#include "hil/mpu.h"
#include "hil/time.h"

#define RV_CSR_READ(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define RV_CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")
#define RV_CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")
#define RV_CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")

#define RV_MIP_MTIP (1u << 7)
#define RV_MIP_MEIP (1u << 11)

/* ---- user/kernel boundary (ukb.c) */
extern const struct hil_ukb rv32i_ukb;
/* mcause/mtval of the last process fault, for the fault dump. */
void rv32i_print_trap_state(struct k_writer *w);
const char *rv32i_mcause_name(uint32_t mcause);

/* ---- sleep and halt (trap.c) */
void rv32i_sleep(bool (*has_pending)(void *ctx), void *ctx);
_Noreturn void rv32i_halt(void);

/* ---- PMP (pmp.c): TOR regions: app flash (R+X) and app RAM up to the
 * break (R+W) in pmp entries 0-3, IPC shares (R+W) in entries 4-15. */
struct rv32i_pmp {
    struct hil_mpu mpu;
};
void rv32i_pmp_init(struct rv32i_pmp *p);

/* ---- CLINT machine timer as a 32-bit Alarm (mtimer.c) */
struct rv32i_mtimer {
    struct hil_alarm alarm;
    uintptr_t mtime, mtimecmp;
    bool armed;
    uint32_t expire;
};
void rv32i_mtimer_init(struct rv32i_mtimer *t, uintptr_t clint_base, uint32_t hz);
void rv32i_mtimer_handle_interrupt(struct rv32i_mtimer *t);

#endif
