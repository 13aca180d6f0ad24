/* nRF52 RTC: COUNTER on the LFCLK, prescaler, TICK/OVRFLW/COMPARE, the PS's
 * compare rules (N, N+1, N+2), event gating, widths 16/24/32. */
#include <string.h>

#include "fixture.h"
#include "periph/nrf_rtc.h"
#include "sim/sclock.h"

#define CPU_HZ 64000000u
#define LF_HZ 32768u
static const unsigned rtc_widths[3] = { 16, 24, 32 };

static struct fx f;

static void setup(void)
{
    static const struct nrf_rtc_cfg cfg = { .n_cc = 4 };
    fx_create(&f, &nrf_rtc_model, "rtc1", 0x40011000, CPU_HZ, &cfg);
}

static void teardown(void)
{
    fx_destroy(&f);
}

/* Cycle of LFCLK edge k, and the edge count at a cycle: independent of the model. */
static cycles_t edge(uint64_t k)
{
    return sclock_cycle_of_tick(k, CPU_HZ, LF_HZ);
}

static uint64_t edges_at(cycles_t c)
{
    return sclock_ticks_at(c, CPU_HZ, LF_HZ);
}

static uint64_t mask_of(unsigned w)
{
    return (1ull << w) - 1;
}

static void task(const char *t)
{
    fx_write(&f, t, 0, 1);
}

START_TEST(test_reset_and_enables)
{
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "PRESCALER", 0), 0);
    fx_write(&f, "INTENSET", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "INTENSET", 0), 0x000F0003);
    ck_assert_uint_eq(fx_read(&f, "INTENCLR", 0), 0x000F0003);
    fx_write(&f, "INTENCLR", 0, NRF_RTC_TICK | NRF_RTC_COMPARE(2));
    ck_assert_uint_eq(fx_read(&f, "INTENSET", 0), 0x000B0002);
    fx_write(&f, "EVTEN", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "EVTEN", 0), 0x000F0003);
    fx_write(&f, "EVTENCLR", 0, 0x000F0000);
    ck_assert_uint_eq(fx_read(&f, "EVTENSET", 0), 3);
    fx_write(&f, "CC", 1, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "CC", 1), 0xFFFFFF);
    /* nothing runs until START */
    fx_advance(&f, 10000000);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    ck_assert_uint_eq(f.irq.rises[0], 0);
}
END_TEST

/* start_count one tick before the maximum: COUNTER reads max after one
 * LFCLK edge, wraps to 0 (OVRFLW) on the next, at the exact cycles. */
START_TEST(test_wrap_exact)
{
    unsigned w = rtc_widths[_i];
    uint64_t m = mask_of(w);
    cycles_t t0 = 5000;
    uint64_t r0 = edges_at(t0);

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", m - 1);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), m - 1);
    fx_write(&f, "INTENSET", 0, NRF_RTC_OVRFLW);
    fx_advance_to(&f, t0);
    task("TASKS_START");
    fx_advance_to(&f, edge(r0 + 1) - 1);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), m - 1);
    fx_advance_to(&f, edge(r0 + 1));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), m);
    fx_advance_to(&f, edge(r0 + 2) - 1);
    ck_assert(!f.irq.level[0]);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_OVRFLW", 0), 0);
    fx_advance_to(&f, edge(r0 + 2));
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], edge(r0 + 2));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_OVRFLW", 0), 1);
    fx_write(&f, "EVENTS_OVRFLW", 0, 0);
    ck_assert(!f.irq.level[0]);
    /* the next overflow is a full period later */
    ck_assert_uint_eq(fx_run_until_irq(&f, 0, true, CYCLES_NEVER - 1), edge(r0 + 2 + m + 1));
}
END_TEST

/* COMPARE at and across the wrap. */
START_TEST(test_compare_across_wrap)
{
    unsigned w = rtc_widths[_i];
    uint64_t m = mask_of(w);
    cycles_t t0 = 100;
    uint64_t r0 = edges_at(t0);

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", m - 1);
    fx_write(&f, "CC", 0, 1);           /* two increments past the wrap... */
    fx_write(&f, "CC", 1, 0);           /* ...and on the wrap itself */
    fx_write(&f, "CC", 2, (uint32_t)m); /* one before it */
    fx_write(&f, "INTENSET", 0, NRF_RTC_COMPARE(0) | NRF_RTC_COMPARE(1) | NRF_RTC_COMPARE(2));
    fx_advance_to(&f, t0);
    task("TASKS_START");
    fx_advance_to(&f, edge(r0 + 1));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 2), 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 0);
    ck_assert_uint_eq(f.irq.last_rise[0], edge(r0 + 1));
    fx_write(&f, "EVENTS_COMPARE", 2, 0);
    fx_advance_to(&f, edge(r0 + 2) - 1);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, edge(r0 + 2));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 0);
    ck_assert_uint_eq(f.irq.last_rise[0], edge(r0 + 2));
    fx_write(&f, "EVENTS_COMPARE", 1, 0);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, edge(r0 + 3));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 1);
    ck_assert_uint_eq(f.irq.last_rise[0], edge(r0 + 3));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 1);
}
END_TEST

/* "If the COUNTER is N, writing N or N+1 to a CC register may not trigger a
 * COMPARE event" (here: never before the wrap); N+2 always triggers. */
START_TEST(test_compare_n_plus_2)
{
    unsigned w = rtc_widths[_i];
    uint64_t m = mask_of(w);
    uint64_t r0, n;
    cycles_t t;

    fx_set(&f, "width_bits", w);
    fx_write(&f, "INTENSET", 0, NRF_RTC_COMPARE(0) | NRF_RTC_COMPARE(1) | NRF_RTC_COMPARE(2));
    task("TASKS_START");
    r0 = edges_at(0);
    t = edge(r0 + 10) + 700;            /* somewhere inside an LFCLK period */
    fx_advance_to(&f, t);
    n = fx_read(&f, "COUNTER", 0);
    ck_assert_uint_eq(n, 10);
    fx_write(&f, "CC", 0, (uint32_t)n);
    fx_write(&f, "CC", 1, (uint32_t)(n + 1));
    fx_write(&f, "CC", 2, (uint32_t)(n + 2));
    fx_advance_to(&f, edge(r0 + 11));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 0);     /* N+1 missed */
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, edge(r0 + 12));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 2), 1);     /* N+2 hit */
    ck_assert_uint_eq(f.irq.last_rise[0], edge(r0 + 12));
    fx_write(&f, "EVENTS_COMPARE", 2, 0);
    /* N fires only when COUNTER comes round to it, one full period later */
    ck_assert_uint_eq(fx_run_until_irq(&f, 0, true, CYCLES_NEVER - 1), edge(r0 + 10 + m + 1));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 1);
    fx_write(&f, "EVENTS_COMPARE", 0, 0);
    ck_assert_uint_eq(fx_run_until_irq(&f, 0, true, CYCLES_NEVER - 1), edge(r0 + 11 + m + 1));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 1);
}
END_TEST

/* CLEAR with CC = 0, TRIGOVRFLW onto CC, START with COUNTER = CC: no COMPARE. */
START_TEST(test_no_compare_without_transition)
{
    uint64_t r;

    fx_write(&f, "CC", 0, 0);
    fx_write(&f, "CC", 1, 0xFFFFF0);
    fx_write(&f, "CC", 2, 5);
    fx_write(&f, "INTENSET", 0, 0x00070000);
    task("TASKS_START");
    fx_advance_to(&f, edge(3) + 1);
    task("TASKS_CLEAR");
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    task("TASKS_TRIGOVRFLW");
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0xFFFFF0);
    r = edges_at(f.q.now);
    fx_advance_to(&f, edge(r + 1) - 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 0);
    task("TASKS_STOP");
    task("TASKS_CLEAR");
    fx_advance_to(&f, f.q.now + 10000);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    /* bring COUNTER to 5 while stopped: TRIGOVRFLW then count... use CC=COUNTER instead */
    fx_write(&f, "CC", 2, 0);
    task("TASKS_START");                /* COUNTER = CC[2] = CC[0] = 0 at START */
    r = edges_at(f.q.now);
    fx_advance_to(&f, edge(r + 3));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 3);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 2), 0);
    ck_assert(!f.irq.level[0]);
}
END_TEST

/* PRESCALER: ignored while running, latched at START with the prescaler
 * restarted there; CLEAR restarts it too. */
START_TEST(test_prescaler)
{
    cycles_t t0 = 3 * 1953 + 500;
    uint64_t r0, recs;

    fx_write(&f, "PRESCALER", 0, 0xFFFF);
    ck_assert_uint_eq(fx_read(&f, "PRESCALER", 0), 0xFFF);
    fx_write(&f, "PRESCALER", 0, 2);            /* f = 32768 / 3 */
    fx_advance_to(&f, t0);
    r0 = edges_at(t0);
    task("TASKS_START");
    recs = fx_trace_records(&f);
    fx_write(&f, "PRESCALER", 0, 7);            /* ignored: running */
    ck_assert_uint_eq(fx_read(&f, "PRESCALER", 0), 2);
    ck_assert_uint_gt(fx_trace_records(&f), recs);
    fx_advance_to(&f, edge(r0 + 3) - 1);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    fx_advance_to(&f, edge(r0 + 3));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 1);
    fx_advance_to(&f, edge(r0 + 3 * 100));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 100);
    /* CLEAR one edge later restarts the prescaler from that point */
    fx_advance_to(&f, edge(r0 + 301) + 5);
    task("TASKS_CLEAR");
    fx_advance_to(&f, edge(r0 + 304) - 1);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 0);
    fx_advance_to(&f, edge(r0 + 304));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 1);
    /* stop, change, start: new rate from the START edge on */
    task("TASKS_STOP");
    fx_write(&f, "PRESCALER", 0, 0);
    ck_assert_uint_eq(fx_read(&f, "PRESCALER", 0), 0);
    fx_advance_to(&f, edge(r0 + 400) + 1);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 1);
    task("TASKS_START");
    fx_advance_to(&f, edge(r0 + 405));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 6);
}
END_TEST

/* COUNTER read at arbitrary cycles against the PS's formula. */
START_TEST(test_counter_arbitrary_reads)
{
    unsigned w = rtc_widths[_i];
    uint64_t m = mask_of(w), start = m - 1000;
    cycles_t t0 = 123457;
    uint64_t r0 = edges_at(t0);

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", start);
    fx_advance_to(&f, t0);
    task("TASKS_START");
    for (cycles_t c = t0; c < t0 + 5000000; c += 9973) {
        fx_advance_to(&f, c);
        ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), (start + edges_at(c) - r0) & m);
    }
}
END_TEST

/* An event sets EVENTS only if enabled in EVTEN or INTEN; the irq is the OR
 * of pending events enabled in INTEN. */
START_TEST(test_event_gating)
{
    fx_write(&f, "CC", 0, 3);
    fx_write(&f, "CC", 1, 3);
    fx_write(&f, "CC", 2, 3);
    fx_write(&f, "EVTENSET", 0, NRF_RTC_COMPARE(0));
    fx_write(&f, "INTENSET", 0, NRF_RTC_COMPARE(1));
    task("TASKS_START");
    fx_advance_to(&f, edge(3));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 0), 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 1), 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS_COMPARE", 2), 0);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "INTENCLR", 0, NRF_RTC_COMPARE(1));
    ck_assert(!f.irq.level[0]);
    fx_write(&f, "INTENSET", 0, NRF_RTC_COMPARE(0));
    ck_assert(f.irq.level[0]);
    fx_write(&f, "EVENTS_COMPARE", 0, 0);
    ck_assert(!f.irq.level[0]);
    /* firmware may set an event */
    fx_write(&f, "EVENTS_COMPARE", 0, 1);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "EVENTS_COMPARE", 0, 0);
    /* TICK on every increment when enabled */
    fx_write(&f, "INTENSET", 0, NRF_RTC_TICK);
    fx_advance_to(&f, edge(4));
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], edge(4));
    fx_write(&f, "EVENTS_TICK", 0, 0);
    fx_advance_to(&f, edge(5));
    ck_assert_uint_eq(f.irq.last_rise[0], edge(5));
    fx_write(&f, "INTENCLR", 0, NRF_RTC_TICK);
    fx_write(&f, "EVENTS_TICK", 0, 0);
    fx_advance_to(&f, edge(50));
    ck_assert_uint_eq(fx_read(&f, "EVENTS_TICK", 0), 0);
}
END_TEST

START_TEST(test_stop_start_and_rtc0)
{
    static const struct nrf_rtc_cfg cfg0 = { .n_cc = 3 };
    struct sim_error err;

    task("TASKS_START");
    fx_advance_to(&f, edge(7) + 3);
    task("TASKS_STOP");
    fx_advance_to(&f, edge(100));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 7);
    task("TASKS_START");
    fx_advance_to(&f, edge(102));
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 9);
    fx_destroy(&f);

    fx_create(&f, &nrf_rtc_model, "rtc0", 0x4000B000, CPU_HZ, &cfg0);
    fx_write(&f, "INTENSET", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "INTENSET", 0), 0x00070003);
    fx_write(&f, "CC", 3, 5);
    ck_assert_uint_eq(fx_read(&f, "CC", 3), 0);
    fx_destroy(&f);

    static const struct nrf_rtc_cfg bad = { .n_cc = 5 };
    ck_assert_int_eq(fx_try_create(&f, &nrf_rtc_model, "rtc9", 0, CPU_HZ, &bad, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "n_cc"));
    fx_destroy(&f);
    setup();
    ck_assert_int_eq(nrf_rtc_model.ops->set_prop(f.p, "prescaler", 4096, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "rtc1.prescaler: found 4096, expected 0..4095"));
    fx_set(&f, "prescaler", 4095);
    ck_assert_uint_eq(fx_read(&f, "PRESCALER", 0), 4095);
}
END_TEST

static Suite *nrf_rtc_suite(void)
{
    Suite *s = suite_create("nrf_rtc");
    TCase *tc = tcase_create("nrf_rtc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reset_and_enables);
    tcase_add_loop_test(tc, test_wrap_exact, 0, 3);
    tcase_add_loop_test(tc, test_compare_across_wrap, 0, 3);
    tcase_add_loop_test(tc, test_compare_n_plus_2, 0, 3);
    tcase_add_test(tc, test_no_compare_without_transition);
    tcase_add_test(tc, test_prescaler);
    tcase_add_loop_test(tc, test_counter_arbitrary_reads, 0, 3);
    tcase_add_test(tc, test_event_gating);
    tcase_add_test(tc, test_stop_start_and_rtc0);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(nrf_rtc_suite());
}
