/* NVIC helpers, sleep/halt, and the fault-status printout. */
#include "arch/armv7m/armv7m.h"
#include "kernel/debug.h"

void armv7m_nvic_enable(unsigned irq)
{
    k_reg_write(ARMV7M_NVIC_ISER + 4 * (irq / 32), 1u << (irq % 32));
}

void armv7m_nvic_disable(unsigned irq)
{
    k_reg_write(ARMV7M_NVIC_ICER + 4 * (irq / 32), 1u << (irq % 32));
}

void armv7m_nvic_clear_pending(unsigned irq)
{
    k_reg_write(ARMV7M_NVIC_ICPR + 4 * (irq / 32), 1u << (irq % 32));
}

int armv7m_nvic_next_pending(unsigned nirqs)
{
    for (unsigned w = 0; w * 32 < nirqs; w++) {
        uint32_t bits = k_reg_read(ARMV7M_NVIC_ISPR + 4 * w);
        if (nirqs - w * 32 < 32)
            bits &= (1u << (nirqs - w * 32)) - 1;
        if (bits)
            return (int)(w * 32 + (unsigned)__builtin_ctz(bits));
    }
    return -1;
}

void armv7m_sleep(bool (*has_pending)(void *ctx), void *ctx)
{
    __asm__ volatile("cpsid i" ::: "memory");
    if (!has_pending(ctx))
        __asm__ volatile("dsb\n\twfi" ::: "memory");
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
}

void armv7m_wait_masked(unsigned irq, bool (*done)(void *ctx), void *ctx)
{
    uint32_t primask;

    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) :: "memory");
    armv7m_nvic_enable(irq);
    while (!done(ctx))
        __asm__ volatile("dsb\n\twfi" ::: "memory");
    armv7m_nvic_disable(irq);
    armv7m_nvic_clear_pending(irq);
    __asm__ volatile("msr primask, %0\n\tisb" :: "r"(primask) : "memory");
}

/* Stops for good: every interrupt source is switched off before the WFI, so
 * the core sleeps forever (a simulator ends the run; a debugger sees a halted
 * core rather than one that spins taking interrupts it masks). */
_Noreturn void armv7m_halt(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    k_reg_write(ARMV7M_SYST_CSR, 0);
    unsigned words = (k_reg_read(ARMV7M_SCS_ICTR) & 0xFu) + 1;
    for (unsigned w = 0; w < words; w++) {
        k_reg_write(ARMV7M_NVIC_ICER + 4 * w, 0xFFFFFFFFu);
        k_reg_write(ARMV7M_NVIC_ICPR + 4 * w, 0xFFFFFFFFu);
    }
    __asm__ volatile("dsb" ::: "memory");
    for (;;)
        __asm__ volatile("wfi");
}


static void flag(struct k_writer *w, bool on, const char *label)
{
    if (on)
        k_wprintf(w, "%-36strue\r\n", label);
}

void armv7m_print_fault_state(struct k_writer *w)
{
    uint32_t cfsr, hfsr, mmfar, bfar;
    if (armv7m_last_fault.valid) {
        cfsr = armv7m_last_fault.cfsr;
        hfsr = armv7m_last_fault.hfsr;
        mmfar = armv7m_last_fault.mmfar;
        bfar = armv7m_last_fault.bfar;
    } else {
        cfsr = k_reg_read(ARMV7M_SCB_CFSR);
        hfsr = k_reg_read(ARMV7M_SCB_HFSR);
        mmfar = k_reg_read(ARMV7M_SCB_MMFAR);
        bfar = k_reg_read(ARMV7M_SCB_BFAR);
    }
    k_wputs(w, "\r\n---| Cortex-M Fault Status |---\r\n");
    flag(w, cfsr & 0x01, "Instruction Access Violation:");
    flag(w, cfsr & 0x02, "Data Access Violation:");
    flag(w, cfsr & 0x08, "Memory Management Unstacking Fault:");
    flag(w, cfsr & 0x10, "Memory Management Stacking Fault:");
    flag(w, cfsr & 0x20, "Memory Management Lazy FP Fault:");
    flag(w, cfsr & 0x100, "Instruction Bus Error:");
    flag(w, cfsr & 0x200, "Precise Data Bus Error:");
    flag(w, cfsr & 0x400, "Imprecise Data Bus Error:");
    flag(w, cfsr & 0x800, "Bus Unstacking Fault:");
    flag(w, cfsr & 0x1000, "Bus Stacking Fault:");
    flag(w, cfsr & 0x2000, "Bus Lazy FP Fault:");
    flag(w, cfsr & 0x10000, "Undefined Instruction Usage Fault:");
    flag(w, cfsr & 0x20000, "Invalid State Usage Fault:");
    flag(w, cfsr & 0x40000, "Invalid PC Load Usage Fault:");
    flag(w, cfsr & 0x80000, "No Coprocessor Usage Fault:");
    flag(w, cfsr & 0x1000000, "Unaligned Access Usage Fault:");
    flag(w, cfsr & 0x2000000, "Divide By Zero:");
    flag(w, hfsr & 0x2, "Bus Fault on Vector Table Read:");
    flag(w, hfsr & 0x40000000, "Forced Hard Fault:");
    if (cfsr & 0x80)
        k_wprintf(w, "%-36s%#010X\r\n", "Faulting Memory Address:", (unsigned)mmfar);
    if (cfsr & 0x8000)
        k_wprintf(w, "%-36s%#010X\r\n", "Bus Fault Address:", (unsigned)bfar);
    if (cfsr == 0 && hfsr == 0) {
        k_wputs(w, "No Cortex-M faults detected.\r\n");
    } else {
        k_wprintf(w, "%-36s%#010X\r\n", "Fault Status Register (CFSR):", (unsigned)cfsr);
        k_wprintf(w, "%-36s%#010X\r\n", "Hard Fault Status Register (HFSR):", (unsigned)hfsr);
    }
}

/* A fault in the kernel itself (from switch.S): frame = the stacked r0-r3,
 * r12, lr, pc, xpsr on MSP. */
_Noreturn void armv7m_kernel_fault(const uint32_t *frame, uint32_t exc_return);

_Noreturn void armv7m_kernel_fault(const uint32_t *frame, uint32_t exc_return)
{
    armv7m_last_fault.valid = false;
    K_PANIC("Kernel HardFault: pc 0x%08x lr 0x%08x xpsr 0x%08x (EXC_RETURN 0x%08x)",
            (unsigned)frame[6], (unsigned)frame[5], (unsigned)frame[7], (unsigned)exc_return);
}
