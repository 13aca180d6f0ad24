/* CMSDK dual timer: free-running/periodic/one-shot, 16/32-bit, prescale,
 * BGLOAD, RIS/MIS, integration test outputs. */
#include <string.h>

#include "fixture.h"
#include "periph/cmsdk_dualtimer.h"

#define CPU_HZ 25000000u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &cmsdk_dualtimer_model, "dualtimer", 0x40002000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

#define EN DT_CTRL_ENABLE
#define IE DT_CTRL_INTEN
#define PER DT_CTRL_PERIODIC
#define S32 DT_CTRL_SIZE32
#define ONE DT_CTRL_ONESHOT

START_TEST(test_reset_values)
{
    static const uint8_t id[4] = { 0x23, 0xB8, 0x1B, 0x00 };
    ck_assert_uint_eq(fx_read(&f, "TIMER1CONTROL", 0), 0x20);
    ck_assert_uint_eq(fx_read(&f, "TIMER2CONTROL", 0), 0x20);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "TIMER1LOAD", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "TIMER1RIS", 0), 0);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(fx_read(&f, "PID0_3", i), id[i]);
}
END_TEST

/* Free-running 16-bit from 0xFFFF: 0 after 0xFFFF counts, then 0xFFFF again. */
START_TEST(test_free_running_16)
{
    cycles_t t0 = 10;
    fx_advance_to(&f, t0);
    fx_write(&f, "TIMER1CONTROL", 0, EN | IE);
    fx_advance_to(&f, t0 + 0xFFFE);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 0xFFFF0001);
    ck_assert(!f.irq.level[1]);
    fx_advance_to(&f, t0 + 0xFFFF);
    ck_assert(f.irq.level[1]);
    ck_assert(f.irq.level[0]);
    ck_assert(!f.irq.level[2]);
    ck_assert_uint_eq(f.irq.last_rise[1], t0 + 0xFFFF);
    ck_assert_uint_eq(fx_read(&f, "TIMER1MIS", 0), 1);
    fx_write(&f, "TIMER1INTCLR", 0, 1);
    ck_assert(!f.irq.level[0]);
    fx_advance_to(&f, t0 + 0x10000);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0) & 0xFFFF, 0xFFFF);
    ck_assert_uint_eq(fx_run_until_irq(&f, 1, true, CYCLES_NEVER - 1), t0 + 0xFFFF + 0x10000);
}
END_TEST

/* Periodic 32-bit with prescale /16 and /256. */
START_TEST(test_periodic_prescale)
{
    static const uint32_t div[3] = { 1, 16, 256 };
    uint32_t d = div[_i];
    cycles_t t0 = 256 * 10;          /* on a prescaled edge for every divider */

    fx_advance_to(&f, t0);
    fx_write(&f, "TIMER2CONTROL", 0, S32 | PER | IE | ((uint32_t)_i << 2));
    fx_write(&f, "TIMER2LOAD", 0, 99);
    fx_write(&f, "TIMER2CONTROL", 0, EN | S32 | PER | IE | ((uint32_t)_i << 2));
    fx_advance_to(&f, t0 + 99 * d - 1);
    ck_assert(!f.irq.level[2]);
    fx_advance_to(&f, t0 + 99 * d);
    ck_assert(f.irq.level[2]);
    ck_assert(!f.irq.level[1]);
    fx_write(&f, "TIMER2INTCLR", 0, 1);
    ck_assert_uint_eq(fx_run_until_irq(&f, 2, true, CYCLES_NEVER - 1), t0 + 199 * d);
    ck_assert_uint_eq(fx_read(&f, "TIMER2VALUE", 0), 0);
    fx_advance(&f, d);
    ck_assert_uint_eq(fx_read(&f, "TIMER2VALUE", 0), 99);
}
END_TEST

START_TEST(test_oneshot_and_reload)
{
    fx_write(&f, "TIMER1CONTROL", 0, S32 | ONE | IE);
    fx_write(&f, "TIMER1LOAD", 0, 50);
    fx_write(&f, "TIMER1CONTROL", 0, EN | S32 | ONE | IE);
    fx_advance(&f, 50);
    ck_assert(f.irq.level[1]);
    fx_write(&f, "TIMER1INTCLR", 0, 1);
    fx_advance(&f, 100000);
    ck_assert(!f.irq.level[1]);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 0);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    fx_write(&f, "TIMER1LOAD", 0, 5);                   /* restarts the one-shot */
    fx_advance(&f, 5);
    ck_assert(f.irq.level[1]);
}
END_TEST

/* BGLOAD changes the reload value only; LOAD restarts the count. */
START_TEST(test_bgload)
{
    cycles_t t0;
    fx_write(&f, "TIMER1CONTROL", 0, S32 | PER | IE);
    fx_write(&f, "TIMER1LOAD", 0, 10);
    fx_write(&f, "TIMER1CONTROL", 0, EN | S32 | PER | IE);
    t0 = f.q.now;
    fx_advance_to(&f, t0 + 4);
    fx_write(&f, "TIMER1BGLOAD", 0, 3);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 6);
    ck_assert_uint_eq(fx_read(&f, "TIMER1LOAD", 0), 3);
    fx_advance_to(&f, t0 + 10);
    ck_assert(f.irq.level[1]);
    fx_write(&f, "TIMER1INTCLR", 0, 1);
    fx_advance_to(&f, t0 + 11);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 3);
    ck_assert_uint_eq(fx_run_until_irq(&f, 1, true, CYCLES_NEVER - 1), t0 + 14);
    fx_write(&f, "TIMER1LOAD", 0, 100);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 100);
}
END_TEST

/* RIS is set without INTEN (no event needed), MIS only with it. */
START_TEST(test_ris_without_inten)
{
    fx_write(&f, "TIMER2CONTROL", 0, S32 | PER);
    fx_write(&f, "TIMER2LOAD", 0, 7);
    fx_write(&f, "TIMER2CONTROL", 0, EN | S32 | PER);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    fx_advance(&f, 6);
    ck_assert_uint_eq(fx_read(&f, "TIMER2RIS", 0), 0);
    fx_advance(&f, 1);
    ck_assert_uint_eq(fx_read(&f, "TIMER2RIS", 0), 1);
    ck_assert_uint_eq(fx_read(&f, "TIMER2MIS", 0), 0);
    ck_assert(!f.irq.level[2]);
    fx_write(&f, "TIMER2CONTROL", 0, EN | S32 | PER | IE);
    ck_assert(f.irq.level[2]);
    fx_write(&f, "TIMER2INTCLR", 0, 1);
    ck_assert(!f.irq.level[2]);
}
END_TEST

START_TEST(test_size_switch_and_itop)
{
    fx_write(&f, "TIMER1LOAD", 0, 0x12345678);          /* free-running 16: count 0x5678 */
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 0x12345678);
    fx_write(&f, "TIMER1CONTROL", 0, S32 | IE);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 0x12345678);
    fx_write(&f, "TIMERITCR", 0, 1);
    fx_write(&f, "TIMERITOP", 0, 2);
    ck_assert(!f.irq.level[1] && f.irq.level[2] && f.irq.level[0]);
    fx_write(&f, "TIMERITCR", 0, 0);
    ck_assert(!f.irq.level[0]);
}
END_TEST

START_TEST(test_start_count_prop)
{
    fx_set(&f, "start_count", 3);
    ck_assert_uint_eq(fx_read(&f, "TIMER1VALUE", 0), 3);
    fx_write(&f, "TIMER1CONTROL", 0, EN | IE);
    fx_advance(&f, 3);
    ck_assert(f.irq.level[1]);
}
END_TEST

static Suite *dt_suite(void)
{
    Suite *s = suite_create("cmsdk_dualtimer");
    TCase *tc = tcase_create("cmsdk_dualtimer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_free_running_16);
    tcase_add_loop_test(tc, test_periodic_prescale, 0, 3);
    tcase_add_test(tc, test_oneshot_and_reload);
    tcase_add_test(tc, test_bgload);
    tcase_add_test(tc, test_ris_without_inten);
    tcase_add_test(tc, test_size_switch_and_itop);
    tcase_add_test(tc, test_start_count_prop);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(dt_suite());
}
