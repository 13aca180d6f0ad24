/* RISC-V (RV32, machine + user mode) definitions for the bare-metal tests:
 * CSR access, mstatus/mie/mip bits, causes (RISC-V privileged spec 1.12), the
 * CLINT layout (SiFive CLINT as in QEMU's virt machine). */
#ifndef RV32_H
#define RV32_H

#include <stdint.h>

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "rK"((uint32_t)(v)) : "memory")
#define csr_set(csr, v)   __asm__ volatile("csrs " #csr ", %0" :: "rK"((uint32_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "rK"((uint32_t)(v)) : "memory")

#define MSTATUS_MIE   (1u << 3)
#define MSTATUS_MPIE  (1u << 7)
#define MSTATUS_MPP   (3u << 11)
#define MSTATUS_MPP_M (3u << 11)
#define MSTATUS_MPP_U (0u << 11)

#define MIP_MSIP (1u << 3)
#define MIP_MTIP (1u << 7)
#define MIP_MEIP (1u << 11)
#define MIE_MSIE MIP_MSIP
#define MIE_MTIE MIP_MTIP
#define MIE_MEIE MIP_MEIP

#define MCAUSE_INTERRUPT 0x80000000u
enum {
    CAUSE_INSN_MISALIGNED = 0, CAUSE_INSN_ACCESS = 1, CAUSE_ILLEGAL_INSN = 2,
    CAUSE_BREAKPOINT = 3, CAUSE_LOAD_MISALIGNED = 4, CAUSE_LOAD_ACCESS = 5,
    CAUSE_STORE_MISALIGNED = 6, CAUSE_STORE_ACCESS = 7, CAUSE_ECALL_U = 8,
    CAUSE_ECALL_S = 9, CAUSE_ECALL_M = 11,
};
enum { IRQ_MSI = 3, IRQ_MTI = 7, IRQ_MEI = 11 };

#define REG32(a) (*(volatile uint32_t *)(a))
#define CLINT_MSIP        REG32(CLINT_BASE + 0x0000u)
#define CLINT_MTIMECMP_LO REG32(CLINT_BASE + 0x4000u)
#define CLINT_MTIMECMP_HI REG32(CLINT_BASE + 0x4004u)
#define CLINT_MTIME_LO    REG32(CLINT_BASE + 0xBFF8u)
#define CLINT_MTIME_HI    REG32(CLINT_BASE + 0xBFFCu)

static inline uint64_t clint_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME_HI;
        lo = CLINT_MTIME_LO;
    } while (CLINT_MTIME_HI != hi);
    return ((uint64_t)hi << 32) | lo;
}

/* Sets mtimecmp without a transient value below the target (hi first). */
static inline void clint_set_mtimecmp(uint64_t v)
{
    CLINT_MTIMECMP_HI = 0xFFFFFFFFu;
    CLINT_MTIMECMP_LO = (uint32_t)v;
    CLINT_MTIMECMP_HI = (uint32_t)(v >> 32);
}

#endif
