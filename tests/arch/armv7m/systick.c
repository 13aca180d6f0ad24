/* ARMv7-M SysTick (ARMv7-M ARM B3.3): a 24-bit down-counter on the processor
 * clock (CLKSOURCE = 1). There is no second clock to measure it against, so
 * the checks are about order and state: the counter stays within [0, RVR] and
 * goes down, each reload is preceded by exactly one interrupt, the interrupt
 * comes when the counter reaches 0, COUNTFLAG is cleared by a read of CSR and
 * by a write of CVR, a write of CVR restarts the count from RVR. */
#include "rt.h"

#define POLL_LIMIT 4000000u   /* bounds every wait: a stuck counter fails, not hangs */

static volatile uint32_t tick_count, tick_cvr_min, tick_cvr_max, tick_cvr_zero;

static void systick_handler(struct t_exc *e)
{
    uint32_t v = SYST_CVR;
    if (v == 0)
        tick_cvr_zero++;
    else {
        if (v < tick_cvr_min)
            tick_cvr_min = v;
        if (v > tick_cvr_max)
            tick_cvr_max = v;
    }
    tick_count++;
}

/* Polls CVR until it goes up (a reload). Returns false after POLL_LIMIT
 * polls. Counts values above `reload` in *over. */
static bool wait_reload(uint32_t reload, uint32_t *over)
{
    uint32_t prev = SYST_CVR;
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        uint32_t cur = SYST_CVR;
        if (cur > reload)
            (*over)++;
        if (cur > prev)
            return true;
        prev = cur;
    }
    return false;
}

static void test_registers(void)
{
    SYST_CSR = 0;
    SYST_RVR = 0xFFFFFFFFu;
    t_eq("systick_rvr_24bit", SYST_RVR, 0x00FFFFFFu);
    SYST_CVR = 0;
    t_eq("systick_cvr_write_zeroes", SYST_CVR, 0);
    SYST_CSR = SYST_CSR_CLKSOURCE;
    t_info("SysTick CALIB = 0x%08x, CSR = 0x%08x", SYST_CALIB, SYST_CSR);

    set_sys_prio(EXC_SYSTICK, 0xC0);
    t_eq("systick_shpr3", SCB_SHPR3 >> 24, 0xC0);
    set_sys_prio(EXC_SYSTICK, 0);

    /* Pending the exception through ICSR needs no counter. */
    tick_count = 0;
    tick_cvr_min = 0xFFFFFFFFu;
    tick_cvr_max = 0;
    t_set_handler(EXC_SYSTICK, systick_handler);
    SCB_ICSR = ICSR_PENDSTSET;
    barrier();
    t_eq("systick_pendstset_runs", tick_count, 1);
    set_primask(1);
    SCB_ICSR = ICSR_PENDSTSET;
    barrier();
    t_ok("systick_pendstset_reads_1", SCB_ICSR & ICSR_PENDSTSET, "ICSR = 0x%08x", SCB_ICSR);
    SCB_ICSR = ICSR_PENDSTCLR;
    barrier();
    t_eq("systick_pendstclr", SCB_ICSR & ICSR_PENDSTSET, 0);
    set_primask(0);
    t_eq("systick_pendstclr_not_run", tick_count, 1);
}

static void test_counting(void)
{
    const uint32_t N = 20000;
    uint32_t over = 0;
    SYST_CSR = 0;
    SYST_RVR = N;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE;   /* no interrupt */

    /* Goes down and stays within [0, N]. */
    uint32_t prev = SYST_CVR, ups = 0, polls = 0;
    for (unsigned i = 0; i < 200; i++) {
        uint32_t cur = SYST_CVR;
        if (cur > N)
            over++;
        if (cur > prev)
            ups++;
        if (cur != prev)
            polls++;
        prev = cur;
    }
    t_ok("systick_cvr_moves", polls > 0, "CVR did not change over 200 reads");

    bool ok = wait_reload(N, &over) && wait_reload(N, &over);
    t_ok("systick_reloads", ok, "no reload seen within %u polls", POLL_LIMIT);
    t_eq("systick_countflag_set", (SYST_CSR & SYST_CSR_COUNTFLAG) ? 1 : 0, 1);
    t_eq("systick_countflag_clear_on_read", (SYST_CSR & SYST_CSR_COUNTFLAG) ? 1 : 0, 0);

    /* A write to CVR clears it and COUNTFLAG; counting restarts from RVR. */
    ok = wait_reload(N, &over);
    SYST_CVR = 0x1234;
    uint32_t after = SYST_CVR;
    t_ok("systick_cvr_write_clears", ok && (after == 0 || (after <= N && after > N / 2)),
         "CVR = %u after the write (RVR = %u)", after, N);
    t_eq("systick_cvr_write_clears_countflag", (SYST_CSR & SYST_CSR_COUNTFLAG) ? 1 : 0, 0);
    t_eq("systick_cvr_within_rvr", over, 0);
    t_ok("systick_cvr_counts_down", ups <= 1, "CVR went up %u times in 200 reads", ups);

    /* Disabled: the counter holds its value. */
    SYST_CSR = SYST_CSR_CLKSOURCE;
    uint32_t held = SYST_CVR;
    for (volatile unsigned i = 0; i < 2000; i++)
        ;
    t_eq("systick_disabled_holds", SYST_CVR, held);

    /* TICKINT = 0: COUNTFLAG without an interrupt. */
    tick_count = 0;
    SYST_CVR = 0;
    (void)SYST_CSR;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE;
    ok = wait_reload(N, &over) && wait_reload(N, &over);
    t_ok("systick_no_tickint_no_irq", ok && tick_count == 0, "%u interrupts", tick_count);
    t_eq("systick_no_tickint_countflag", (SYST_CSR & SYST_CSR_COUNTFLAG) ? 1 : 0, 1);
    SYST_CSR = 0;
}

static void test_interrupts(void)
{
    const uint32_t N = 50000, K = 6;
    uint32_t over = 0, wraps = 0, mismatch_at = 0, irq_at_mismatch = 0;
    tick_count = 0;
    tick_cvr_zero = 0;
    tick_cvr_min = 0xFFFFFFFFu;
    tick_cvr_max = 0;
    t_set_handler(EXC_SYSTICK, systick_handler);
    SYST_CSR = 0;
    SYST_RVR = N;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;

    /* At every reload seen by the thread, the interrupt for the 1 -> 0 step
     * before it has already run, exactly once. (The first reload seen may be
     * the 0 -> N step right after the CVR write, which has no interrupt.) */
    bool ok = wait_reload(N, &over);
    uint32_t base = tick_count;
    while (ok && wraps < K) {
        ok = wait_reload(N, &over);
        wraps++;
        if (ok && !mismatch_at && tick_count - base != wraps) {
            mismatch_at = wraps;
            irq_at_mismatch = tick_count - base;
        }
    }
    SYST_CSR = 0;
    barrier();

    t_ok("systick_irq_reloads_seen", ok, "no reload within %u polls", POLL_LIMIT);
    t_ok("systick_irq_first_reload", base <= 1, "%u interrupts before the first reload", base);
    t_ok("systick_irq_one_per_reload", !mismatch_at,
         "at reload %u: %u interrupts", mismatch_at, irq_at_mismatch);
    t_eq("systick_irq_count", tick_count - base, K);
    /* In the handler the counter has just reached 0 or been reloaded. */
    t_ok("systick_irq_phase", tick_cvr_max <= N && (tick_cvr_min >= N / 2 || tick_cvr_min == 0xFFFFFFFFu),
         "CVR in the handler within [%u, %u] (and %u reads of 0), want 0 or [%u, %u]",
         tick_cvr_min, tick_cvr_max, tick_cvr_zero, N / 2, N);
    t_eq("systick_irq_cvr_within_rvr", over, 0);
    t_info("SysTick handler saw CVR = 0 %u times, else [%u, %u] (RVR = %u)",
           tick_cvr_zero, tick_cvr_min, tick_cvr_max, N);

    /* RVR = 0: the counter stops at 0, no interrupt, no COUNTFLAG. */
    tick_count = 0;
    SYST_RVR = 0;
    SYST_CVR = 0;
    (void)SYST_CSR;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
    uint32_t nonzero = 0;
    for (unsigned i = 0; i < 20000; i++)
        if (SYST_CVR)
            nonzero++;
    uint32_t csr = SYST_CSR;
    SYST_CSR = 0;
    barrier();
    t_ok("systick_rvr0_stopped", nonzero == 0 && tick_count == 0 && !(csr & SYST_CSR_COUNTFLAG),
         "%u nonzero reads, %u interrupts, CSR = 0x%08x", nonzero, tick_count, csr);
    SCB_ICSR = ICSR_PENDSTCLR;
    t_set_handler(EXC_SYSTICK, 0);
}

void test_main(void)
{
    test_registers();
    test_counting();
    test_interrupts();
}
