/* nRF52 CLOCK/POWER: start tasks, their events and status registers,
 * interrupts, POWER reset values, SYSTEMOFF. */
#include <string.h>

#include "fixture.h"
#include "periph/nrf_clock.h"

#define CPU_HZ 64000000u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &nrf_clock_model, "clock", 0x40000000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

START_TEST(test_hfclk)
{
    fx_write(&f, "INTENSET", 0, 1u << NRF_CLOCK_EV_HFCLKSTARTED);
    ck_assert_uint_eq(fx_read(&f, "HFCLKSTAT", 0), 0);
    fx_advance_to(&f, 100);
    fx_write(&f, "TASKS_HFCLKSTART", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "HFCLKRUN", 0), 1);
    fx_advance_to(&f, 100 + 256 * 64 - 1);                  /* 256 us debounce */
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_HFCLKSTARTED), 0);
    fx_advance_to(&f, 100 + 256 * 64);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_HFCLKSTARTED), 1);
    ck_assert_uint_eq(fx_read(&f, "HFCLKSTAT", 0), 0x00010001);
    ck_assert(f.irq.level[0]);
    fx_write(&f, "EVENTS", NRF_CLOCK_EV_HFCLKSTARTED, 0);
    ck_assert(!f.irq.level[0]);
    fx_write(&f, "TASKS_HFCLKSTOP", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "HFCLKSTAT", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "HFCLKRUN", 0), 0);
}
END_TEST

START_TEST(test_lfclk_sources)
{
    fx_write(&f, "LFCLKSRC", 0, 1);                         /* Xtal: 250 ms */
    fx_write(&f, "TASKS_LFCLKSTART", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "LFCLKSRCCOPY", 0), 1);
    fx_write(&f, "LFCLKSRC", 0, 0);                         /* latched at start */
    fx_advance(&f, 250000ull * 64 - 1);
    ck_assert_uint_eq(fx_read(&f, "LFCLKSTAT", 0), 0);
    fx_advance(&f, 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_LFCLKSTARTED), 1);
    ck_assert_uint_eq(fx_read(&f, "LFCLKSTAT", 0), 0x00010001);
    fx_write(&f, "TASKS_LFCLKSTOP", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "LFCLKSTAT", 0), 0);
    fx_write(&f, "EVENTS", NRF_CLOCK_EV_LFCLKSTARTED, 0);
    fx_write(&f, "TASKS_LFCLKSTART", 0, 1);                 /* RC: 600 us */
    fx_advance(&f, 600 * 64);
    ck_assert_uint_eq(fx_read(&f, "LFCLKSTAT", 0), 0x00010000);
}
END_TEST

START_TEST(test_power_values)
{
    ck_assert_uint_eq(fx_read(&f, "RESETREAS", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "MAINREGSTATUS", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "USBREGSTATUS", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "HFXODEBOUNCE", 0), 0x10);
    ck_assert_uint_eq(fx_read(&f, "RAM_POWER", 8), 0xFFFF);
    fx_write(&f, "RAM_POWERCLR", 3, 0x3);
    ck_assert_uint_eq(fx_read(&f, "RAM_POWER", 3), 0xFFFC);
    fx_write(&f, "GPREGRET", 0, 0x1B7);
    ck_assert_uint_eq(fx_read(&f, "GPREGRET", 0), 0xB7);
    ck_assert(!f.exit_requested);
    fx_write(&f, "SYSTEMOFF", 0, 1);
    ck_assert(f.exit_requested);
    ck_assert_ptr_nonnull(strstr(f.exit_why, "System OFF"));
}
END_TEST

START_TEST(test_ct_and_cal)
{
    fx_write(&f, "CTIV", 0, 2);                             /* 0.5 s */
    fx_write(&f, "TASKS_CTSTART", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_CTSTARTED), 1);
    fx_advance(&f, 500000ull * 64);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_CTTO), 1);
    fx_write(&f, "TASKS_CTSTOP", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_CTSTOPPED), 1);
    fx_write(&f, "TASKS_CAL", 0, 1);
    ck_assert_uint_eq(fx_read(&f, "EVENTS", NRF_CLOCK_EV_DONE), 1);
}
END_TEST

static Suite *nrf_clock_suite(void)
{
    Suite *s = suite_create("nrf_clock");
    TCase *tc = tcase_create("nrf_clock");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_hfclk);
    tcase_add_test(tc, test_lfclk_sources);
    tcase_add_test(tc, test_power_values);
    tcase_add_test(tc, test_ct_and_cal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(nrf_clock_suite());
}
