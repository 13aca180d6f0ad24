/* Kernel traps, sleep and halt. */
#include "arch/rv32i/rv32i.h"
#include "kernel/debug.h"

_Noreturn void rv32i_kernel_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);

_Noreturn void rv32i_kernel_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    K_PANIC("Kernel trap: mcause 0x%08x (%s) mepc 0x%08x mtval 0x%08x", (unsigned)mcause,
            rv32i_mcause_name(mcause), (unsigned)mepc, (unsigned)mtval);
}

void rv32i_sleep(bool (*has_pending)(void *ctx), void *ctx)
{
    /* mstatus.MIE is 0 in the kernel: wfi wakes on a pending enabled
     * interrupt without trapping, so this cannot miss one. */
    if (!has_pending(ctx))
        __asm__ volatile("wfi" ::: "memory");
}

_Noreturn void rv32i_halt(void)
{
    RV_CSR_WRITE(mie, 0);
    for (;;)
        __asm__ volatile("wfi");
}
