/* CMSDK APB timer: QEMU 7.2 register semantics, periodic and one-shot,
 * widths 16/24/32, start_count, prescaler. */
#include <string.h>

#include "fixture.h"
#include "periph/cmsdk_timer.h"

#define CPU_HZ 25000000u
static const unsigned tw[3] = { 16, 24, 32 };

static struct fx f;

static void setup(void)
{
    fx_create(&f, &cmsdk_timer_model, "timer0", 0x40000000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

static uint64_t mask_of(unsigned w)
{
    return (1ull << w) - 1;
}

START_TEST(test_ids_and_reset)
{
    static const uint8_t id[12] = { 0x04, 0, 0, 0, 0x22, 0xB8, 0x1B, 0, 0x0D, 0xF0, 0x05, 0xB1 };
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(fx_read(&f, "PID4_7", i), id[i]);
        ck_assert_uint_eq(fx_read(&f, "PID0_3", i), id[4 + i]);
        ck_assert_uint_eq(fx_read(&f, "CID0_3", i), id[8 + i]);
    }
    ck_assert_uint_eq(fx_read(&f, "CTRL", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "RELOAD", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "INTSTATUS", 0), 0);
}
END_TEST

/* RELOAD = max: interrupt when VALUE goes 1 -> 0, max cycles after the
 * RELOAD write, then every max + 1 (0 is held for one PCLK). */
START_TEST(test_periodic_wrap_exact)
{
    unsigned w = tw[_i];
    uint64_t m = mask_of(w);
    cycles_t t0 = 300;

    fx_set(&f, "width_bits", w);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    fx_advance_to(&f, t0);
    fx_write(&f, "RELOAD", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "RELOAD", 0), m);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), m);
    fx_advance_to(&f, t0 + m - 1);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 1);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, t0 + m);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], t0 + m);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "INTSTATUS", 0), 1);
    fx_write(&f, "INTSTATUS", 0, 1);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, t0 + m + 1);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), m);
    ck_assert_uint_eq(fx_run_until_irq(&f, 0, true, CYCLES_NEVER - 1), t0 + m + (m + 1));
}
END_TEST

/* start_count one tick before the end: a one-shot (RELOAD 0) from VALUE 1
 * interrupts one PCLK after EN and stops. */
START_TEST(test_start_count_oneshot)
{
    unsigned w = tw[_i];

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", 1);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 1);
    fx_advance_to(&f, 50);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    fx_advance_to(&f, 51);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], 51);
    fx_write(&f, "INTSTATUS", 0, 1);
    fx_advance(&f, 1000000);
    ck_assert_uint_eq(f.irq.rises[0], 1);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 0);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    /* start_count = max, one-shot */
    fx_set(&f, "start_count", mask_of(w));
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    {
        cycles_t t = f.q.now;
        ck_assert_uint_eq(fx_run_until_irq(&f, 0, true, CYCLES_NEVER - 1), t + mask_of(w));
    }
}
END_TEST

/* VALUE read at arbitrary cycles against the formula. */
START_TEST(test_value_arbitrary)
{
    unsigned w = tw[_i];
    uint64_t l = mask_of(w) >> 4;
    cycles_t t0 = 1234;

    fx_set(&f, "width_bits", w);
    fx_advance_to(&f, t0);
    fx_write(&f, "RELOAD", 0, (uint32_t)l);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN);
    for (cycles_t c = t0; c < t0 + 3 * (l + 1); c += l / 7 + 13) {
        uint64_t e = c - t0, want = e <= l ? l - e : l - (e - l - 1) % (l + 1);
        fx_advance_to(&f, c);
        ck_assert_uint_eq(fx_read(&f, "VALUE", 0), want);
    }
    ck_assert_uint_eq(f.irq.rises[0], 0);   /* IRQEN off */
}
END_TEST

/* Register sequences: VALUE write restarts; VALUE 0 holds one period then
 * reloads without an interrupt; EN = 0 freezes; RELOAD 0 stops. */
START_TEST(test_register_sequences)
{
    fx_write(&f, "RELOAD", 0, 100);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    fx_advance_to(&f, 10);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 90);
    fx_write(&f, "VALUE", 0, 5);
    fx_advance_to(&f, 15);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "INTSTATUS", 0, 1);
    fx_advance_to(&f, 16);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 100);
    fx_write(&f, "VALUE", 0, 0);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 0);
    fx_advance_to(&f, 17);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 100);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, 50);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_IRQEN);        /* EN = 0 */
    fx_advance_to(&f, 5000);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 67);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    fx_advance_to(&f, 5066);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, 5067);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "INTSTATUS", 0, 1);
    fx_write(&f, "RELOAD", 0, 0);
    fx_advance(&f, 100000);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 0);
    ck_assert(!f.irq.level[0]);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    /* VALUE != 0 with RELOAD 0 and EN: one-shot */
    fx_write(&f, "VALUE", 0, 20);
    fx_advance(&f, 20);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "INTSTATUS", 0, 1);
    fx_advance(&f, 1000);
    ck_assert(!f.irq.level[0]);
    /* IRQEN off: no INTSTATUS */
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN);
    fx_write(&f, "RELOAD", 0, 3);
    fx_advance(&f, 100);
    ck_assert_uint_eq(fx_read(&f, "INTSTATUS", 0), 0);
}
END_TEST

START_TEST(test_prescaler_and_extin)
{
    uint64_t recs;
    fx_set(&f, "prescaler", 8);
    fx_write(&f, "RELOAD", 0, 10);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN);
    fx_advance_to(&f, 79);
    ck_assert_uint_eq(fx_read(&f, "VALUE", 0), 10 - 79 / 8);
    fx_advance_to(&f, 80);
    ck_assert(f.irq.level[0]);
    recs = fx_trace_records(&f);
    fx_write(&f, "CTRL", 0, CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_SELEXTCLK);
    ck_assert_uint_gt(fx_trace_records(&f), recs);
    ck_assert_uint_eq(fx_read(&f, "CTRL", 0), CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_SELEXTCLK);
}
END_TEST

START_TEST(test_props)
{
    struct sim_error err;
    ck_assert_int_eq(cmsdk_timer_model.ops->set_prop(f.p, "width_bits", 64, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "timer0.width_bits: found 64, expected one of 16, 24, 32"));
}
END_TEST

static Suite *cmsdk_timer_suite(void)
{
    Suite *s = suite_create("cmsdk_timer");
    TCase *tc = tcase_create("cmsdk_timer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_ids_and_reset);
    tcase_add_loop_test(tc, test_periodic_wrap_exact, 0, 3);
    tcase_add_loop_test(tc, test_start_count_oneshot, 0, 3);
    tcase_add_loop_test(tc, test_value_arbitrary, 0, 3);
    tcase_add_test(tc, test_register_sequences);
    tcase_add_test(tc, test_prescaler_and_extin);
    tcase_add_test(tc, test_props);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(cmsdk_timer_suite());
}
