/* RV32 machine timer and software interrupts through the CLINT (RISC-V
 * privileged spec 1.12, 3.1.9 and 3.2.1; SiFive CLINT layout): mtime moves
 * forward, mip.MTIP follows mtime >= mtimecmp, the interrupt needs mie.MTIE
 * and mstatus.MIE and never comes early, WFI wakes up on a pending enabled
 * interrupt even with mstatus.MIE = 0, msip drives mip.MSIP, and a software
 * interrupt is taken before a timer interrupt pending at the same time. */
#include "rt.h"

#define POLL_LIMIT 1000000u
#define DELTA      200u      /* mtime ticks */

static volatile struct {
    uint32_t count, mcause, mip, mstatus, rearm;
    uint64_t mtime, first_mtime;
    uint32_t order[4];
} irq;

static void handler(struct t_trap *t)
{
    if (irq.count < T_ARRAY_LEN(irq.order))
        irq.order[irq.count] = t->mcause;
    irq.count++;
    irq.mcause = t->mcause;
    irq.mip = csr_read(mip);
    irq.mstatus = t->mstatus;
    irq.mtime = clint_mtime();
    if (irq.count == 1)
        irq.first_mtime = irq.mtime;
    if (t->mcause == (MCAUSE_INTERRUPT | IRQ_MTI)) {
        if (irq.rearm) {
            irq.rearm--;
            clint_set_mtimecmp(irq.mtime + DELTA);
        } else {
            clint_set_mtimecmp(UINT64_MAX);
        }
    }
    else if (t->mcause == (MCAUSE_INTERRUPT | IRQ_MSI))
        CLINT_MSIP = 0;
    else {
        t_printf("FAIL unexpected-trap: mcause 0x%08x mepc 0x%08x mtval 0x%08x\n",
                 t->mcause, t->mepc, t->mtval);
        t_done();
    }
}

static void reset_irq(void)
{
    irq.count = 0;
    irq.mcause = 0;
    irq.mip = 0;
    irq.mtime = 0;
}

static bool wait_count(uint32_t n)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++)
        if (irq.count >= n)
            return true;
    return irq.count >= n;
}

static void test_mtime(void)
{
    uint64_t first = clint_mtime(), prev = first;
    uint32_t backwards = 0;
    for (unsigned i = 0; i < 2000; i++) {
        uint64_t now = clint_mtime();
        if (now < prev)
            backwards++;
        prev = now;
    }
    t_eq("mtime_monotonic", backwards, 0);
    t_ok("mtime_advances", prev > first, "mtime stayed at %u", (uint32_t)first);

    clint_set_mtimecmp(0x123456789ull);
    t_eq("mtimecmp_readback_lo", CLINT_MTIMECMP_LO, 0x23456789u);
    t_eq("mtimecmp_readback_hi", CLINT_MTIMECMP_HI, 0x1u);
    clint_set_mtimecmp(UINT64_MAX);
}

static void test_mtip(void)
{
    csr_write(mie, 0);
    uint64_t cmp = clint_mtime() + DELTA;
    clint_set_mtimecmp(cmp);
    t_eq("mtip_clear_before", csr_read(mip) & MIP_MTIP, 0);
    uint32_t polls = 0;
    uint64_t seen_at = 0;
    for (; polls < POLL_LIMIT; polls++) {
        if (csr_read(mip) & MIP_MTIP) {
            seen_at = clint_mtime();
            break;
        }
    }
    t_ok("mtip_sets", polls < POLL_LIMIT, "MTIP not set within %u polls", POLL_LIMIT);
    t_ok("mtip_not_early", seen_at >= cmp, "MTIP seen at mtime %u, mtimecmp %u",
         (uint32_t)seen_at, (uint32_t)cmp);
    clint_set_mtimecmp(clint_mtime() + 1000000u);
    t_eq("mtip_cleared_by_mtimecmp_write", csr_read(mip) & MIP_MTIP, 0);
    clint_set_mtimecmp(0);
    t_eq("mtip_mtimecmp_in_past", csr_read(mip) & MIP_MTIP, MIP_MTIP);
    t_eq("mtip_no_trap_with_mie_0", irq.count, 0);
    clint_set_mtimecmp(UINT64_MAX);
}

static void test_timer_interrupt(void)
{
    reset_irq();
    csr_write(mie, MIE_MTIE);
    uint64_t cmp = clint_mtime() + DELTA;
    clint_set_mtimecmp(cmp);
    csr_set(mstatus, MSTATUS_MIE);
    bool ok = wait_count(1);
    csr_clear(mstatus, MSTATUS_MIE);
    t_ok("mti_taken", ok && irq.count == 1, "%u interrupts", irq.count);
    t_eq("mti_mcause", irq.mcause, MCAUSE_INTERRUPT | IRQ_MTI);
    t_ok("mti_not_early", irq.first_mtime >= cmp, "taken at mtime %u, mtimecmp %u",
         (uint32_t)irq.first_mtime, (uint32_t)cmp);
    t_eq("mti_mip_in_handler", irq.mip & MIP_MTIP, MIP_MTIP);
    t_eq("mti_mpie", irq.mstatus & (MSTATUS_MPIE | MSTATUS_MIE), MSTATUS_MPIE);
    t_eq("mti_cleared", csr_read(mip) & MIP_MTIP, 0);

    /* Pending but not enabled in mie: no trap, until it is. */
    reset_irq();
    csr_write(mie, 0);
    csr_set(mstatus, MSTATUS_MIE);
    clint_set_mtimecmp(0);
    for (volatile unsigned i = 0; i < 1000; i++)
        ;
    t_eq("mti_masked_by_mie", irq.count, 0);
    csr_write(mie, MIE_MTIE);
    for (volatile unsigned i = 0; i < 10 && !irq.count; i++)
        ;
    t_eq("mti_taken_when_enabled", irq.count, 1);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
}

static void test_wfi(void)
{
    /* mstatus.MIE = 0: WFI still wakes up on the pending, enabled MTIP, and
     * no trap is taken. */
    reset_irq();
    csr_write(mie, MIE_MTIE);
    uint64_t cmp = clint_mtime() + DELTA;
    clint_set_mtimecmp(cmp);
    __asm__ volatile("wfi" ::: "memory");
    uint64_t woke = clint_mtime();
    uint32_t mip = csr_read(mip);
    t_ok("wfi_wakes_with_mie_0", mip & MIP_MTIP, "mip = 0x%08x after WFI (mtime %u, mtimecmp %u)",
         mip, (uint32_t)woke, (uint32_t)cmp);
    t_ok("wfi_wake_not_early", woke >= cmp, "woke at mtime %u, mtimecmp %u",
         (uint32_t)woke, (uint32_t)cmp);
    t_eq("wfi_no_trap_with_mie_0", irq.count, 0);
    csr_set(mstatus, MSTATUS_MIE);
    t_eq("wfi_trap_when_mie_set", irq.count, 1);
    csr_clear(mstatus, MSTATUS_MIE);

    /* mstatus.MIE = 1: the interrupt is taken, then WFI's successor runs.
     * (Should the interrupt come before the WFI, the next one, armed by the
     * handler, ends the WFI: the test cannot hang.) */
    reset_irq();
    irq.rearm = 1000;
    cmp = clint_mtime() + DELTA;
    clint_set_mtimecmp(cmp);
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("wfi" ::: "memory");
    uint32_t count = irq.count;
    csr_clear(mstatus, MSTATUS_MIE);
    irq.rearm = 0;
    clint_set_mtimecmp(UINT64_MAX);
    t_ok("wfi_interrupt_taken", count >= 1, "%u interrupts", count);
    t_ok("wfi_interrupt_not_early", irq.first_mtime >= cmp, "taken at mtime %u, mtimecmp %u",
         (uint32_t)irq.first_mtime, (uint32_t)cmp);
    csr_write(mie, 0);
}

static void test_msip(void)
{
    reset_irq();
    csr_write(mie, 0);
    CLINT_MSIP = 1;
    t_eq("msip_readback", CLINT_MSIP & 1u, 1);
    t_eq("msip_sets_mip", csr_read(mip) & MIP_MSIP, MIP_MSIP);
    CLINT_MSIP = 0;
    t_eq("msip_clears_mip", csr_read(mip) & MIP_MSIP, 0);

    csr_write(mie, MIE_MSIE);
    csr_set(mstatus, MSTATUS_MIE);
    CLINT_MSIP = 1;
    for (volatile unsigned i = 0; i < 10 && !irq.count; i++)
        ;
    csr_clear(mstatus, MSTATUS_MIE);
    t_eq("msi_taken", irq.count, 1);
    t_eq("msi_mcause", irq.mcause, MCAUSE_INTERRUPT | IRQ_MSI);

    /* Both pending when MIE goes to 1: MSI before MTI. */
    reset_irq();
    csr_write(mie, MIE_MSIE | MIE_MTIE);
    CLINT_MSIP = 1;
    clint_set_mtimecmp(0);
    t_eq("both_pending", csr_read(mip) & (MIP_MSIP | MIP_MTIP), MIP_MSIP | MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile unsigned i = 0; i < 10 && irq.count < 2; i++)
        ;
    csr_clear(mstatus, MSTATUS_MIE);
    t_ok("msi_before_mti",
         irq.count == 2 && irq.order[0] == (MCAUSE_INTERRUPT | IRQ_MSI) &&
             irq.order[1] == (MCAUSE_INTERRUPT | IRQ_MTI),
         "%u interrupts: mcause 0x%08x then 0x%08x", irq.count, irq.order[0], irq.order[1]);
    csr_write(mie, 0);
}

void test_main(void)
{
    t_set_trap_handler(handler);
    clint_set_mtimecmp(UINT64_MAX);
    CLINT_MSIP = 0;
    test_mtime();
    test_mtip();
    test_timer_interrupt();
    test_wfi();
    test_msip();
}
