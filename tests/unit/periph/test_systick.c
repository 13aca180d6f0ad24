/* SysTick: reload, COUNTFLAG, TICKINT, clock sources, widths 16/24/32. */
#include <string.h>

#include "fixture.h"
#include "periph/systick.h"
#include "sim/sclock.h"

#define CPU_HZ 64000000u
static const unsigned st_widths[3] = { 16, 24, 32 };

static struct fx f;

static void setup_noref(void)
{
    static const struct systick_cfg cfg = { .ref_hz = 0 };
    fx_create(&f, &systick_model, "systick", 0xE000E010, CPU_HZ, &cfg);
}

static void teardown(void)
{
    fx_destroy(&f);
}

static uint64_t maxval(unsigned w)
{
    return (1ull << w) - 1;
}

/* The architecture's sequence, computed independently: enabled at cycle
 * `t0` from CVR 0, clock edges every `div` cycles (global phase). */
static uint64_t ref_value(cycles_t now, cycles_t t0, unsigned div, uint64_t rvr)
{
    uint64_t e = now / div - t0 / div;
    if (e == 0 || rvr == 0)
        return 0;
    return rvr - (e - 1) % (rvr + 1);
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(fx_read(&f, "CSR", 0), SYSTICK_CSR_CLKSOURCE);  /* no ref: RAO */
    ck_assert_uint_eq(fx_read(&f, "CALIB", 0), SYSTICK_CALIB_NOREF);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "RVR", 0), 0);
    /* CLKSOURCE cannot be cleared without a reference clock */
    fx_write(&f, "CSR", 0, 0);
    ck_assert_uint_eq(fx_read(&f, "CSR", 0), SYSTICK_CSR_CLKSOURCE);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
}
END_TEST

/* Wrap at the exact tick for each width: RVR = max, the 1 -> 0 transition
 * comes RVR + 1 edges after enabling from CVR 0, then every RVR + 1. */
START_TEST(test_wrap_exact)
{
    unsigned w = st_widths[_i];
    uint64_t m = maxval(w);
    cycles_t t0 = 1000;

    fx_set(&f, "width_bits", w);
    fx_advance_to(&f, t0);
    fx_write(&f, "RVR", 0, 0xFFFFFFFFu);
    ck_assert_uint_eq(fx_read(&f, "RVR", 0), m);
    fx_write(&f, "CVR", 0, 123);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
    fx_advance_to(&f, t0 + 1);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), m);
    fx_advance_to(&f, t0 + m);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 1);
    ck_assert_uint_eq(f.irq.rises[0], 0);
    ck_assert_uint_eq(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);
    fx_advance_to(&f, t0 + m + 1);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    ck_assert_uint_eq(f.irq.last_rise[0], t0 + m + 1);
    ck_assert(!f.irq.level[0]);                 /* a pulse */
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
    ck_assert_uint_ne(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);
    ck_assert_uint_eq(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);   /* clear on read */
    fx_advance_to(&f, t0 + m + 2);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), m);
    fx_advance_to(&f, t0 + 2 * (m + 1) - 1);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    fx_advance_to(&f, t0 + 2 * (m + 1));
    ck_assert_uint_eq(f.irq.rises[0], 2);
    ck_assert_uint_eq(f.irq.last_rise[0], t0 + 2 * (m + 1));
}
END_TEST

/* start_count one tick before the wrap: the first tick is one edge away. */
START_TEST(test_start_count)
{
    unsigned w = st_widths[_i];
    uint64_t m = maxval(w);

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", 1);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 1);
    fx_write(&f, "RVR", 0, (uint32_t)m);
    fx_advance_to(&f, 10);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, 10);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 1);
    fx_advance_to(&f, 11);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    ck_assert_uint_eq(f.irq.last_rise[0], 11);
    fx_advance_to(&f, 12);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), m);
}
END_TEST

START_TEST(test_start_count_max)
{
    unsigned w = st_widths[_i];
    uint64_t m = maxval(w);
    cycles_t t0;

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", m);
    t0 = 77;
    fx_advance_to(&f, t0);
    fx_write(&f, "RVR", 0, 5);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, t0 + m - 1);
    ck_assert_uint_eq(f.irq.rises[0], 0);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 1);
    fx_advance_to(&f, t0 + m);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    fx_advance_to(&f, t0 + m + 6);
    ck_assert_uint_eq(f.irq.rises[0], 2);
}
END_TEST

START_TEST(test_start_count_too_big)
{
    struct sim_error err = { "" };
    ck_assert_int_eq(systick_model.ops->set_prop(f.p, "start_count", 0x1000000, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "systick.start_count"));
    ck_assert_ptr_nonnull(strstr(err.msg, "0x1000000"));
    ck_assert_ptr_nonnull(strstr(err.msg, "0xffffff"));
    ck_assert_int_eq(systick_model.ops->set_prop(f.p, "width_bits", 20, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "width_bits"));
    ck_assert_ptr_nonnull(strstr(err.msg, "found 20"));
    ck_assert_ptr_nonnull(strstr(err.msg, "16, 24, 32"));
    ck_assert_int_eq(systick_model.ops->set_prop(f.p, "prescaler", 0, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "prescaler"));
    ck_assert_int_eq(systick_model.ops->set_prop(f.p, "bogus", 0, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "'bogus'"));
}
END_TEST

/* The counter read at arbitrary cycles on an external reference clock that
 * does not divide the CPU clock. */
START_TEST(test_refclk_arbitrary_reads)
{
    static const struct systick_cfg cfg = { .ref_hz = 3000000 };   /* 3 MHz vs 64 MHz */
    uint64_t rvr = 999;
    cycles_t t0 = 12345, c;

    fx_destroy(&f);
    fx_create(&f, &systick_model, "systick", 0xE000E010, CPU_HZ, &cfg);
    ck_assert_uint_eq(fx_read(&f, "CSR", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "CALIB", 0), 29999);
    fx_advance_to(&f, t0);
    fx_write(&f, "RVR", 0, (uint32_t)rvr);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    for (c = t0; c < t0 + 100000; c += 997) {
        fx_advance_to(&f, c);
        uint64_t e = sclock_ticks_at(c, CPU_HZ, 3000000) - sclock_ticks_at(t0, CPU_HZ, 3000000);
        uint64_t want = e == 0 ? 0 : rvr - (e - 1) % (rvr + 1);
        ck_assert_uint_eq(fx_read(&f, "CVR", 0), want);
    }
}
END_TEST

START_TEST(test_refclk_tick_cycles)
{
    static const struct systick_cfg cfg = { .ref_hz = 1000000 };
    cycles_t t0 = 40;

    fx_destroy(&f);
    fx_create(&f, &systick_model, "systick", 0xE000E010, 25000000, &cfg);
    ck_assert_uint_eq(fx_read(&f, "CALIB", 0), 9999);
    fx_advance_to(&f, t0);
    fx_write(&f, "RVR", 0, 999);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, 3 * 25000 + 100);
    ck_assert_uint_eq(f.irq.rises[0], 3);
    /* edges at multiples of 25 cycles; t0 = 40 is after edge 1 (cycle 25) */
    ck_assert_uint_eq(f.irq.log[0].when, (1 + 1000) * 25);
    ck_assert_uint_eq(f.irq.log[2].when, (1 + 2000) * 25);
    ck_assert_uint_eq(f.irq.log[4].when, (1 + 3000) * 25);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), ref_value(3 * 25000 + 100, t0, 25, 999));
}
END_TEST

/* COUNTFLAG without TICKINT is lazy: no event, yet set after a wrap. */
START_TEST(test_countflag_lazy)
{
    fx_write(&f, "RVR", 0, 99);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    fx_advance_to(&f, 99);
    ck_assert_uint_eq(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);
    fx_advance_to(&f, 100);
    ck_assert_uint_ne(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);
    fx_advance_to(&f, 5000);
    fx_write(&f, "CVR", 0, 7);              /* write clears COUNTFLAG and the counter */
    ck_assert_uint_eq(fx_read(&f, "CSR", 0) & SYSTICK_CSR_COUNTFLAG, 0);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
    fx_advance_to(&f, 5001);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 99);
    ck_assert_uint_eq(f.irq.rises[0], 0);
}
END_TEST

/* A new RVR is used from the next reload on; disabling freezes the value. */
START_TEST(test_rvr_change_and_disable)
{
    fx_write(&f, "RVR", 0, 9);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, 5);                   /* 9 8 7 6 5 at cycles 1..5 */
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 5);
    fx_write(&f, "RVR", 0, 3);
    fx_advance_to(&f, 10);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    ck_assert_uint_eq(f.irq.last_rise[0], 10);
    fx_advance_to(&f, 11);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 3);
    fx_advance_to(&f, 14);
    ck_assert_uint_eq(f.irq.rises[0], 2);
    fx_advance_to(&f, 16);                  /* 3 2 at 15, 16 */
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 2);
    fx_write(&f, "CSR", 0, 0);
    fx_advance_to(&f, 1000);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 2);
    ck_assert_uint_eq(f.irq.rises[0], 2);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, 1002);
    ck_assert_uint_eq(f.irq.rises[0], 3);
    /* RVR = 0: no more ticks after the next reload */
    fx_write(&f, "RVR", 0, 0);
    fx_advance_to(&f, 100000);
    ck_assert_uint_eq(f.irq.rises[0], 3);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
}
END_TEST

START_TEST(test_prescaler_prop)
{
    fx_set(&f, "prescaler", 4);
    fx_write(&f, "RVR", 0, 9);
    fx_write(&f, "CSR", 0, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT);
    fx_advance_to(&f, 3);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 0);
    fx_advance_to(&f, 4);
    ck_assert_uint_eq(fx_read(&f, "CVR", 0), 9);
    fx_advance_to(&f, 44);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    ck_assert_uint_eq(f.irq.last_rise[0], 40);
}
END_TEST

static Suite *systick_suite(void)
{
    Suite *s = suite_create("systick");
    TCase *tc = tcase_create("systick");
    tcase_add_checked_fixture(tc, setup_noref, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reset_values);
    tcase_add_loop_test(tc, test_wrap_exact, 0, 3);
    tcase_add_loop_test(tc, test_start_count_max, 0, 3);
    tcase_add_test(tc, test_start_count_too_big);
    tcase_add_test(tc, test_refclk_arbitrary_reads);
    tcase_add_test(tc, test_refclk_tick_cycles);
    tcase_add_test(tc, test_countflag_lazy);
    tcase_add_test(tc, test_rvr_change_and_disable);
    tcase_add_test(tc, test_prescaler_prop);
    tcase_add_loop_test(tc, test_start_count, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(systick_suite());
}
