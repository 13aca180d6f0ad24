/* ARMv7-M System Control Space registers and special-register helpers for the
 * bare-metal tests. Addresses and bit positions follow the ARMv7-M
 * Architecture Reference Manual (ARM DDI 0403E), chapter B3. */
#ifndef ARMV7M_H
#define ARMV7M_H

#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(a))
#define REG8(a)  (*(volatile uint8_t *)(a))

/* SCB */
#define SCB_ICSR   REG32(0xE000ED04u)
#define SCB_VTOR   REG32(0xE000ED08u)
#define SCB_AIRCR  REG32(0xE000ED0Cu)
#define SCB_SCR    REG32(0xE000ED10u)
#define SCB_CCR    REG32(0xE000ED14u)
#define SCB_SHPR1  REG32(0xE000ED18u)   /* MemManage [7:0], BusFault [15:8], UsageFault [23:16] */
#define SCB_SHPR2  REG32(0xE000ED1Cu)   /* SVCall [31:24] */
#define SCB_SHPR3  REG32(0xE000ED20u)   /* PendSV [23:16], SysTick [31:24] */
#define SCB_SHCSR  REG32(0xE000ED24u)
#define SCB_CFSR   REG32(0xE000ED28u)
#define SCB_HFSR   REG32(0xE000ED2Cu)
#define SCB_MMFAR  REG32(0xE000ED34u)
#define SCB_BFAR   REG32(0xE000ED38u)
#define SCB_CPUID  REG32(0xE000ED00u)
#define NVIC_STIR  REG32(0xE000EF00u)

#define ICSR_VECTACTIVE(v)  ((v) & 0x1FFu)
#define ICSR_RETTOBASE      (1u << 11)
#define ICSR_VECTPENDING(v) (((v) >> 12) & 0x1FFu)
#define ICSR_ISRPENDING     (1u << 22)
#define ICSR_PENDSTCLR      (1u << 25)
#define ICSR_PENDSTSET      (1u << 26)
#define ICSR_PENDSVCLR      (1u << 27)
#define ICSR_PENDSVSET      (1u << 28)
#define ICSR_NMIPENDSET     (1u << 31)

#define AIRCR_VECTKEY       (0x05FAu << 16)
#define AIRCR_PRIGROUP(n)   ((uint32_t)(n) << 8)

#define CCR_UNALIGN_TRP     (1u << 3)
#define CCR_DIV_0_TRP       (1u << 4)
#define CCR_STKALIGN        (1u << 9)

#define SHCSR_MEMFAULTACT   (1u << 0)
#define SHCSR_BUSFAULTACT   (1u << 1)
#define SHCSR_USGFAULTACT   (1u << 3)
#define SHCSR_SVCALLACT     (1u << 7)
#define SHCSR_PENDSVACT     (1u << 10)
#define SHCSR_SYSTICKACT    (1u << 11)
#define SHCSR_MEMFAULTENA   (1u << 16)
#define SHCSR_BUSFAULTENA   (1u << 17)
#define SHCSR_USGFAULTENA   (1u << 18)

/* CFSR = UFSR:BFSR:MMFSR */
#define CFSR_IACCVIOL       (1u << 0)
#define CFSR_DACCVIOL       (1u << 1)
#define CFSR_MUNSTKERR      (1u << 3)
#define CFSR_MSTKERR        (1u << 4)
#define CFSR_MMARVALID      (1u << 7)
#define CFSR_IBUSERR        (1u << 8)
#define CFSR_PRECISERR      (1u << 9)
#define CFSR_IMPRECISERR    (1u << 10)
#define CFSR_UNSTKERR       (1u << 11)
#define CFSR_STKERR         (1u << 12)
#define CFSR_BFARVALID      (1u << 15)
#define CFSR_UNDEFINSTR     (1u << 16)
#define CFSR_INVSTATE       (1u << 17)
#define CFSR_INVPC          (1u << 18)
#define CFSR_NOCP           (1u << 19)
#define CFSR_UNALIGNED      (1u << 24)
#define CFSR_DIVBYZERO      (1u << 25)

#define HFSR_VECTTBL        (1u << 1)
#define HFSR_FORCED         (1u << 30)

/* NVIC: n-th 32-bit word of each bank */
#define NVIC_ISER(n) REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) REG32(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) REG32(0xE000E280u + 4u * (n))
#define NVIC_IABR(n) REG32(0xE000E300u + 4u * (n))
#define NVIC_IPR8(irq) REG8(0xE000E400u + (irq))
#define ICTR         REG32(0xE000E004u)

/* SysTick */
#define SYST_CSR   REG32(0xE000E010u)
#define SYST_RVR   REG32(0xE000E014u)
#define SYST_CVR   REG32(0xE000E018u)
#define SYST_CALIB REG32(0xE000E01Cu)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)

/* MPU (PMSAv7) */
#define MPU_TYPE   REG32(0xE000ED90u)
#define MPU_CTRL   REG32(0xE000ED94u)
#define MPU_RNR    REG32(0xE000ED98u)
#define MPU_RBAR   REG32(0xE000ED9Cu)
#define MPU_RASR   REG32(0xE000EDA0u)

/* Exception numbers */
enum {
    EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4,
    EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12,
    EXC_PENDSV = 14, EXC_SYSTICK = 15, EXC_IRQ0 = 16,
};

#define EXC_RETURN_HANDLER   0xFFFFFFF1u
#define EXC_RETURN_THREAD_MSP 0xFFFFFFF9u
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

/* Stacked basic frame, word indices. */
enum { FR_R0, FR_R1, FR_R2, FR_R3, FR_R12, FR_LR, FR_PC, FR_XPSR, FR_WORDS };

static inline void nvic_enable(unsigned irq)  { NVIC_ISER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_disable(unsigned irq) { NVIC_ICER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_pend(unsigned irq)    { NVIC_ISPR(irq / 32) = 1u << (irq % 32); }
static inline void nvic_unpend(unsigned irq)  { NVIC_ICPR(irq / 32) = 1u << (irq % 32); }
static inline int nvic_is_pending(unsigned irq) { return (NVIC_ISPR(irq / 32) >> (irq % 32)) & 1; }
static inline int nvic_is_enabled(unsigned irq) { return (NVIC_ISER(irq / 32) >> (irq % 32)) & 1; }
static inline int nvic_is_active(unsigned irq)  { return (NVIC_IABR(irq / 32) >> (irq % 32)) & 1; }
static inline void nvic_set_prio(unsigned irq, uint8_t p) { NVIC_IPR8(irq) = p; }

static inline void set_sys_prio(unsigned exc, uint8_t p)
{
    REG8(0xE000ED18u + exc - 4) = p;   /* SHPR1..3 as bytes, exception 4 first */
}

#define barrier() __asm__ volatile("dsb\n\tisb" ::: "memory")

#define DEF_MRS(name, reg) \
    static inline uint32_t name(void) { uint32_t v; __asm__ volatile("mrs %0, " #reg : "=r"(v) :: "memory"); return v; }
#define DEF_MSR(name, reg) \
    static inline void name(uint32_t v) { __asm__ volatile("msr " #reg ", %0\n\tisb" :: "r"(v) : "memory"); }
DEF_MRS(get_ipsr, ipsr)
DEF_MRS(get_xpsr, xpsr)
DEF_MRS(get_apsr, apsr)
DEF_MRS(get_msp, msp)
DEF_MRS(get_psp, psp)
DEF_MRS(get_control, control)
DEF_MRS(get_primask, primask)
DEF_MRS(get_basepri, basepri)
DEF_MRS(get_faultmask, faultmask)
DEF_MSR(set_msp, msp)
DEF_MSR(set_psp, psp)
DEF_MSR(set_control, control)
DEF_MSR(set_primask, primask)
DEF_MSR(set_basepri, basepri)
DEF_MSR(set_basepri_max, basepri_max)
DEF_MSR(set_faultmask, faultmask)

static inline uint32_t get_sp(void) { uint32_t v; __asm__ volatile("mov %0, sp" : "=r"(v)); return v; }

#endif
