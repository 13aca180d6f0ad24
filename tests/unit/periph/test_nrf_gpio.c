/* nRF52 GPIO (drive, pulls, input buffer, SENSE/LATCH/DETECT) and GPIOTE
 * (event mode edges, task mode drive, PORT event) observing two ports. */
#include <string.h>

#include "fixture.h"
#include "periph/nrf_gpio.h"
#include "periph/nrf_gpiote.h"

#define CPU_HZ 64000000u

static struct fx g0, g1, te;

static void setup(void)
{
    static const struct nrf_gpio_cfg p0 = { .port = 0 }, p1 = { .port = 1, .pins = 0xFFFF };
    static const struct nrf_gpiote_cfg tcfg = { .ports = { "gpio0", "gpio1" } };
    struct sim_error err;

    fx_create(&g0, &nrf_gpio_model, "gpio0", 0x50000500, CPU_HZ, &p0);
    fx_create(&g1, &nrf_gpio_model, "gpio1", 0x50000800, CPU_HZ, &p1);
    fx_create(&te, &nrf_gpiote_model, "gpiote", 0x40006000, CPU_HZ, &tcfg);
    ck_assert_int_eq(nrf_gpiote_link(te.p, 0, g0.p, &err), 0);
    ck_assert_int_eq(nrf_gpiote_link(te.p, 1, g1.p, &err), 0);
}

static void teardown(void)
{
    fx_destroy(&te);
    fx_destroy(&g1);
    fx_destroy(&g0);
}

#define CNF_IN_PULLUP   ((NRF_GPIO_PULLUP << 2))                /* input, connected */
#define CNF_IN_PULLDOWN ((NRF_GPIO_PULLDOWN << 2))
#define CNF_SENSE_LOW   (NRF_GPIO_SENSE_LOW << 16)
#define CNF_SENSE_HIGH  (NRF_GPIO_SENSE_HIGH << 16)

START_TEST(test_reset)
{
    for (unsigned n = 0; n < 32; n++)
        ck_assert_uint_eq(fx_read(&g0, "PIN_CNF", n), 2);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);
    ck_assert_uint_eq(fx_read(&g0, "DIR", 0), 0);
    ck_assert_uint_eq(fx_read(&g0, "OUT", 0), 0);
    ck_assert_uint_eq(nrf_gpio_pads(g0.p), 0);
}
END_TEST

START_TEST(test_output_drives_pin)
{
    fx_write(&g0, "DIRSET", 0, 1u << 13);
    ck_assert_uint_eq(fx_read(&g0, "PIN_CNF", 13), 3);         /* DIR bit mirrored */
    fx_write(&g0, "OUTSET", 0, 1u << 13);
    ck_assert(g0.pin.level[13]);
    ck_assert_uint_eq(g0.pin.rises[13], 1);
    fx_write(&g0, "OUTCLR", 0, 1u << 13);
    ck_assert(!g0.pin.level[13]);
    fx_write(&g0, "OUT", 0, 0xFFFFFFFF);
    ck_assert(g0.pin.level[13]);
    ck_assert(!g0.pin.level[14]);                               /* not an output */
    ck_assert_uint_eq(fx_read(&g0, "OUT", 0), 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);                /* input buffer off */
    fx_write(&g0, "PIN_CNF", 13, 1);                            /* output, buffer on */
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 1u << 13);
    fx_write(&g0, "DIRCLR", 0, 1u << 13);
    ck_assert(!g0.pin.level[13]);
    /* P1 has 16 pins */
    fx_write(&g1, "OUT", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&g1, "OUT", 0), 0xFFFF);
}
END_TEST

/* Undriven inputs read their pull; outside drive wins over the pull; the
 * output wins over outside drive; a disconnected buffer reads 0. */
START_TEST(test_pulls_and_drive)
{
    fx_write(&g0, "PIN_CNF", 11, CNF_IN_PULLUP);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 1u << 11);
    ck_assert(g0.pin.level[11]);
    nrf_gpio_model.ops->pin_in(g0.p, 11, false);                /* button pressed */
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);
    nrf_gpio_release(g0.p, 11);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 1u << 11);
    fx_write(&g0, "PIN_CNF", 11, CNF_IN_PULLDOWN);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);
    nrf_gpio_model.ops->pin_in(g0.p, 11, true);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 1u << 11);
    fx_write(&g0, "PIN_CNF", 11, 0);                            /* no pull: driven 1 */
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 1u << 11);
    nrf_gpio_release(g0.p, 11);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);                /* floating reads 0 */
    nrf_gpio_model.ops->pin_in(g0.p, 11, true);
    fx_write(&g0, "PIN_CNF", 11, NRF_GPIO_CNF_INPUT_DISC);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);
    ck_assert(g0.pin.level[11]);                                /* the pad is still high */
    fx_write(&g0, "PIN_CNF", 11, NRF_GPIO_CNF_DIR);             /* output 0 beats the driver */
    ck_assert(!g0.pin.level[11]);
    ck_assert_uint_eq(fx_read(&g0, "IN", 0), 0);
}
END_TEST

/* A board pull-up (LED to VDD) makes an undriven pin read high; an
 * internal pull still decides when set. */
START_TEST(test_board_pullup)
{
    static const struct nrf_gpio_cfg cfg = { .port = 0, .ext_pullup = 1u << 13 };
    struct fx b;

    fx_create(&b, &nrf_gpio_model, "gpio0b", 0x50000500, CPU_HZ, &cfg);
    ck_assert(b.pin.level[13]);
    ck_assert(!b.pin.level[14]);
    fx_write(&b, "PIN_CNF", 13, 0);
    ck_assert_uint_eq(fx_read(&b, "IN", 0), 1u << 13);
    fx_write(&b, "PIN_CNF", 13, CNF_IN_PULLDOWN);
    ck_assert_uint_eq(fx_read(&b, "IN", 0), 0);
    fx_write(&b, "PIN_CNF", 13, NRF_GPIO_CNF_DIR);        /* output 0: LED on */
    ck_assert(!b.pin.level[13]);
    fx_destroy(&b);
}
END_TEST

START_TEST(test_sense_latch_detect)
{
    fx_write(&g0, "PIN_CNF", 11, CNF_IN_PULLUP | CNF_SENSE_LOW);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 0);
    nrf_gpio_model.ops->pin_in(g0.p, 11, false);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 1u << 11);
    fx_write(&g0, "LATCH", 0, 1u << 11);                        /* still met: latches again */
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 1u << 11);
    nrf_gpio_release(g0.p, 11);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 1u << 11);
    fx_write(&g0, "LATCH", 0, 1u << 11);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 0);
    /* the input buffer must be connected for SENSE */
    fx_write(&g0, "PIN_CNF", 12, NRF_GPIO_CNF_INPUT_DISC | CNF_SENSE_HIGH);
    nrf_gpio_model.ops->pin_in(g0.p, 12, true);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), 0);
}
END_TEST

START_TEST(test_gpiote_event_mode)
{
    fx_write(&g0, "PIN_CNF", 11, CNF_IN_PULLUP);
    fx_write(&te, "CONFIG", 0, nrf_gpiote_config(NRF_GPIOTE_MODE_EVENT, 0, 11,
                                                 NRF_GPIOTE_POL_HITOLO, 0));
    fx_write(&te, "CONFIG", 1, nrf_gpiote_config(NRF_GPIOTE_MODE_EVENT, 0, 11,
                                                 NRF_GPIOTE_POL_TOGGLE, 0));
    fx_write(&te, "CONFIG", 2, nrf_gpiote_config(NRF_GPIOTE_MODE_EVENT, 1, 11,
                                                 NRF_GPIOTE_POL_LOTOHI, 0));
    fx_write(&te, "INTENSET", 0, 1);
    ck_assert_uint_eq(fx_read(&te, "INTENSET", 0), 1);
    nrf_gpio_model.ops->pin_in(g0.p, 11, false);                /* press: falling edge */
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 0), 1);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 1), 1);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 2), 0);         /* other port */
    ck_assert(te.irq.level[0]);
    fx_write(&te, "EVENTS_IN", 0, 0);
    fx_write(&te, "EVENTS_IN", 1, 0);
    ck_assert(!te.irq.level[0]);
    nrf_gpio_release(g0.p, 11);                                 /* rising: toggle only */
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 0), 0);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 1), 1);
    ck_assert(!te.irq.level[0]);
    nrf_gpio_model.ops->pin_in(g1.p, 11, true);                 /* P1.11 rises */
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 2), 1);
    /* disabled channel: nothing */
    fx_write(&te, "CONFIG", 0, 0);
    fx_write(&te, "EVENTS_IN", 1, 0);
    nrf_gpio_model.ops->pin_in(g0.p, 11, false);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_IN", 0), 0);
}
END_TEST

START_TEST(test_gpiote_task_mode)
{
    fx_write(&te, "CONFIG", 1, nrf_gpiote_config(NRF_GPIOTE_MODE_TASK, 0, 13,
                                                 NRF_GPIOTE_POL_TOGGLE, 1));
    ck_assert(g0.pin.level[13]);                                /* OUTINIT, over DIR = input */
    fx_write(&te, "TASKS_OUT", 1, 1);
    ck_assert(!g0.pin.level[13]);
    fx_write(&te, "TASKS_OUT", 1, 1);
    ck_assert(g0.pin.level[13]);
    fx_write(&te, "TASKS_CLR", 1, 1);
    ck_assert(!g0.pin.level[13]);
    fx_write(&te, "TASKS_SET", 1, 1);
    ck_assert(g0.pin.level[13]);
    fx_write(&g0, "DIRSET", 0, 1u << 13);                       /* GPIO OUT = 0 is overridden */
    ck_assert(g0.pin.level[13]);
    fx_write(&te, "CONFIG", 1, 0);                              /* give the pin back */
    ck_assert(!g0.pin.level[13]);
    fx_write(&te, "TASKS_SET", 1, 1);                           /* no effect when disabled */
    ck_assert(!g0.pin.level[13]);
}
END_TEST

START_TEST(test_gpiote_port_event)
{
    fx_write(&te, "INTENSET", 0, NRF_GPIOTE_INT_PORT);
    fx_write(&g0, "PIN_CNF", 12, CNF_IN_PULLUP | CNF_SENSE_LOW);
    fx_write(&g1, "PIN_CNF", 3, CNF_IN_PULLUP | CNF_SENSE_LOW);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 0);
    nrf_gpio_model.ops->pin_in(g1.p, 3, false);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 1);
    ck_assert(te.irq.level[0]);
    fx_write(&te, "EVENTS_PORT", 0, 0);
    ck_assert(!te.irq.level[0]);
    nrf_gpio_model.ops->pin_in(g0.p, 12, false);                /* DETECT already high: no edge */
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 0);
    nrf_gpio_release(g1.p, 3);
    nrf_gpio_release(g0.p, 12);
    nrf_gpio_model.ops->pin_in(g0.p, 12, false);                /* a new edge */
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 1);
    fx_write(&te, "EVENTS_PORT", 0, 0);
    nrf_gpio_release(g0.p, 12);
    /* LDETECT: DETECT follows LATCH; clearing one of two latched bits re-edges */
    fx_write(&g0, "LATCH", 0, 0xFFFFFFFF);
    fx_write(&g0, "DETECTMODE", 0, 1);
    fx_write(&g0, "PIN_CNF", 14, CNF_IN_PULLUP | CNF_SENSE_LOW);
    nrf_gpio_model.ops->pin_in(g0.p, 12, false);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 1);
    fx_write(&te, "EVENTS_PORT", 0, 0);
    nrf_gpio_release(g0.p, 12);                                 /* LATCH keeps DETECT high */
    nrf_gpio_model.ops->pin_in(g0.p, 14, false);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 0);
    ck_assert_uint_eq(fx_read(&g0, "LATCH", 0), (1u << 12) | (1u << 14));
    fx_write(&g0, "LATCH", 0, 1u << 12);
    ck_assert_uint_eq(fx_read(&te, "EVENTS_PORT", 0), 1);
}
END_TEST

START_TEST(test_link_errors)
{
    struct sim_error err;
    ck_assert_int_eq(nrf_gpiote_link(te.p, 2, g0.p, &err), -1);
    ck_assert_int_eq(nrf_gpiote_link(te.p, 0, te.p, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected an nrf-gpio"));
}
END_TEST

static Suite *nrf_gpio_suite(void)
{
    Suite *s = suite_create("nrf_gpio");
    TCase *tc = tcase_create("nrf_gpio");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_output_drives_pin);
    tcase_add_test(tc, test_pulls_and_drive);
    tcase_add_test(tc, test_board_pullup);
    tcase_add_test(tc, test_sense_latch_detect);
    tcase_add_test(tc, test_gpiote_event_mode);
    tcase_add_test(tc, test_gpiote_task_mode);
    tcase_add_test(tc, test_gpiote_port_event);
    tcase_add_test(tc, test_link_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(nrf_gpio_suite());
}
