/* MPS2 FPGAIO: LEDs to pins, buttons, CLK1HZ/CLK100HZ, COUNTER/PSCNTR
 * prescaler semantics as QEMU's. */
#include <string.h>

#include "fixture.h"
#include "periph/mps2_fpgaio.h"

#define CPU_HZ 25000000u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &mps2_fpgaio_model, "fpgaio", 0x40028000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

START_TEST(test_leds_buttons)
{
    fx_write(&f, "LED0", 0, 0xFF);
    ck_assert_uint_eq(fx_read(&f, "LED0", 0), 3);
    ck_assert(f.pin.level[0] && f.pin.level[1]);
    fx_write(&f, "LED0", 0, 2);
    ck_assert(!f.pin.level[0] && f.pin.level[1]);
    ck_assert_uint_eq(fx_read(&f, "BUTTON", 0), 0);
    mps2_fpgaio_model.ops->pin_in(f.p, 1, true);
    ck_assert_uint_eq(fx_read(&f, "BUTTON", 0), 2);
    mps2_fpgaio_model.ops->pin_in(f.p, 1, false);
    ck_assert_uint_eq(fx_read(&f, "BUTTON", 0), 0);
}
END_TEST

START_TEST(test_clocks)
{
    fx_advance_to(&f, 25000000 - 1);
    ck_assert_uint_eq(fx_read(&f, "CLK1HZ", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "CLK100HZ", 0), 99);
    fx_advance_to(&f, 25000000);
    ck_assert_uint_eq(fx_read(&f, "CLK1HZ", 0), 1);
    ck_assert_uint_eq(fx_read(&f, "CLK100HZ", 0), 100);
    fx_advance_to(&f, 25000000 + 1000);
    fx_write(&f, "CLK100HZ", 0, 7);                 /* restarts its period */
    fx_advance(&f, 250000 - 1);
    ck_assert_uint_eq(fx_read(&f, "CLK100HZ", 0), 7);
    fx_advance(&f, 1);
    ck_assert_uint_eq(fx_read(&f, "CLK100HZ", 0), 8);
}
END_TEST

/* The worked example in QEMU's model: PRESCALE 5, PSCNTR 7. */
START_TEST(test_prescale_counter)
{
    static const uint32_t ps[15] = { 7, 6, 5, 4, 3, 2, 1, 0, 5, 4, 3, 2, 1, 0, 5 };
    static const uint32_t cnt[15] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2 };
    cycles_t t0 = 1000;

    fx_advance_to(&f, t0);
    fx_write(&f, "PRESCALE", 0, 5);
    fx_write(&f, "PSCNTR", 0, 7);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 1000);   /* PRESCALE 0 at reset: every tick */
    fx_write(&f, "COUNTER", 0, 0);
    for (unsigned k = 0; k < 15; k++) {
        fx_advance_to(&f, t0 + k);
        ck_assert_uint_eq(fx_read(&f, "PSCNTR", 0), ps[k]);
        ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), cnt[k]);
    }
    /* PRESCALE 0: COUNTER counts every tick once PSCNTR is 0 */
    fx_write(&f, "PRESCALE", 0, 0);
    fx_write(&f, "COUNTER", 0, 100);
    fx_write(&f, "PSCNTR", 0, 2);
    fx_advance(&f, 2);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 100);
    fx_advance(&f, 10);
    ck_assert_uint_eq(fx_read(&f, "COUNTER", 0), 110);
    ck_assert_uint_eq(fx_read(&f, "PSCNTR", 0), 0);
}
END_TEST

START_TEST(test_misc)
{
    fx_write(&f, "MISC", 0, 0x5A);
    ck_assert_uint_eq(fx_read(&f, "MISC", 0), 0x5A);
}
END_TEST

static Suite *mps2_fpgaio_suite(void)
{
    Suite *s = suite_create("mps2_fpgaio");
    TCase *tc = tcase_create("mps2_fpgaio");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_leds_buttons);
    tcase_add_test(tc, test_clocks);
    tcase_add_test(tc, test_prescale_counter);
    tcase_add_test(tc, test_misc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(mps2_fpgaio_suite());
}
