#include "chips/nrf52/rtc.h"

#define TASKS_START         0x000u
#define TASKS_STOP          0x004u
#define TASKS_CLEAR         0x008u
#define EVENTS_COMPARE0     0x140u
#define INTENSET            0x304u
#define INTENCLR            0x308u
#define EVTENCLR            0x348u
#define COUNTER             0x504u
#define PRESCALER           0x508u
#define CC0                 0x540u
#define INT_COMPARE0        (1u << 16)
#define SYNC_TICS           2u
/* The RTC is 24 bits wide; test kernels may assume another width (with the
 * simulator's rtc1.width_bits set to match: os/meson.build). */
#if defined(NRF52_RTC_WIDTH)
#define WIDTH               NRF52_RTC_WIDTH
#else
#define WIDTH               24u
#endif

static struct nrf52_rtc *rt(struct hil_alarm *a) { return (struct nrf52_rtc *)a; }

static hil_ticks now(struct hil_alarm *a)
{
    return k_reg_read(rt(a)->base + COUNTER) & hil_ticks_mask(WIDTH);
}

static void set_alarm(struct hil_alarm *a, hil_ticks reference, hil_ticks dt)
{
    struct nrf52_rtc *r = rt(a);
    hil_ticks expire = hil_ticks_add(reference, dt, WIDTH);
    hil_ticks n = now(a);
    if (!hil_ticks_within(n, reference, expire, WIDTH) ||
        hil_ticks_sub(expire, n, WIDTH) <= SYNC_TICS)
        expire = hil_ticks_add(n, SYNC_TICS, WIDTH);
    k_reg_write(r->base + CC0, (uint32_t)expire);
    k_reg_write(r->base + EVENTS_COMPARE0, 0);
    k_reg_write(r->base + INTENSET, INT_COMPARE0);
    r->armed = true;
}

static hil_ticks get_alarm(struct hil_alarm *a)
{
    return k_reg_read(rt(a)->base + CC0) & hil_ticks_mask(WIDTH);
}

static int disarm(struct hil_alarm *a)
{
    struct nrf52_rtc *r = rt(a);
    k_reg_write(r->base + INTENCLR, INT_COMPARE0);
    k_reg_write(r->base + EVENTS_COMPARE0, 0);
    r->armed = false;
    return 0;
}

static bool is_armed(struct hil_alarm *a)
{
    return rt(a)->armed;
}

static hil_ticks minimum_dt(struct hil_alarm *a)
{
    (void)a;
    return 10;
}

static const struct hil_alarm_ops ops = {
    .now = now, .set_alarm = set_alarm, .get_alarm = get_alarm,
    .disarm = disarm, .is_armed = is_armed, .minimum_dt = minimum_dt,
};

void nrf52_rtc_handle_interrupt(struct nrf52_rtc *r)
{
    if (!k_reg_read(r->base + EVENTS_COMPARE0))
        return;
    bool was_armed = r->armed;
    disarm(&r->alarm);
    if (was_armed && r->alarm.client)
        r->alarm.client->fired(r->alarm.client);
}

void nrf52_rtc_init(struct nrf52_rtc *r, uintptr_t base)
{
    r->alarm.ops = &ops;
    r->alarm.client = NULL;
    r->alarm.freq_hz = 32768;
    r->alarm.width_bits = WIDTH;
    r->base = base;
    r->armed = false;
    k_reg_write(base + TASKS_STOP, 1);
    k_reg_write(base + PRESCALER, 0);
    k_reg_write(base + INTENCLR, 0xFFFFFFFFu);
    k_reg_write(base + EVTENCLR, 0xFFFFFFFFu);
    k_reg_write(base + EVENTS_COMPARE0, 0);
    /* no TASKS_CLEAR (as Tock's Rtc::start): the counter runs on from
     * where it is, which a scenario may set near the wrap */
    k_reg_write(base + TASKS_START, 1);
}
