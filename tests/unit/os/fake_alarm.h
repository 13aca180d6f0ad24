/* A fake hardware alarm for host tests (after Tock's FakeAlarm): time only
 * moves when the test says so (plus optionally a tick per now() read, like
 * a counter running while the kernel works); it fires `late` ticks after
 * the expiration. */
#ifndef TESTS_UNIT_OS_FAKE_ALARM_H
#define TESTS_UNIT_OS_FAKE_ALARM_H

#include "hil/time.h"

struct fake_alarm {
    struct hil_alarm alarm;
    hil_ticks now;
    hil_ticks ref, dt;
    bool armed;
    hil_ticks late;             /* interrupt latency in ticks */
    hil_ticks tick_per_read;    /* now() advances the counter by this */
    unsigned sets;              /* number of set_alarm calls */
};

static struct fake_alarm *fa(struct hil_alarm *a) { return (struct fake_alarm *)a; }

static hil_ticks fake_now(struct hil_alarm *a)
{
    struct fake_alarm *f = fa(a);
    hil_ticks t = f->now;
    f->now = hil_ticks_add(f->now, f->tick_per_read, a->width_bits);
    return t;
}

static void fake_set(struct hil_alarm *a, hil_ticks ref, hil_ticks dt)
{
    struct fake_alarm *f = fa(a);
    f->ref = ref & hil_ticks_mask(a->width_bits);
    f->dt = dt & hil_ticks_mask(a->width_bits);
    f->armed = true;
    f->sets++;
}

static hil_ticks fake_get(struct hil_alarm *a) { return hil_ticks_add(fa(a)->ref, fa(a)->dt, a->width_bits); }
static int fake_disarm(struct hil_alarm *a) { fa(a)->armed = false; return 0; }
static bool fake_is_armed(struct hil_alarm *a) { return fa(a)->armed; }
static hil_ticks fake_min_dt(struct hil_alarm *a) { (void)a; return 2; }

static const struct hil_alarm_ops fake_alarm_ops = {
    .now = fake_now, .set_alarm = fake_set, .get_alarm = fake_get,
    .disarm = fake_disarm, .is_armed = fake_is_armed, .minimum_dt = fake_min_dt,
};

static void fake_alarm_init(struct fake_alarm *f, unsigned width, hil_ticks start)
{
    *f = (struct fake_alarm){ .alarm = { &fake_alarm_ops, NULL, 32768, (uint8_t)width },
                              .now = start & hil_ticks_mask(width) };
}

/* Let `ticks` pass, firing the alarm whenever it is due. */
static void fake_run(struct fake_alarm *f, hil_ticks ticks)
{
    unsigned w = f->alarm.width_bits;
    for (int guard = 0; guard < 100000; guard++) {
        if (!f->armed)
            break;
        hil_ticks exp = hil_ticks_add(f->ref, f->dt, w);
        hil_ticks d = hil_ticks_within(f->now, f->ref, exp, w) ? hil_ticks_sub(exp, f->now, w) : 0;
        if (d > ticks || d + f->late > ticks || d + f->late < d)
            break;
        d += f->late;
        f->now = hil_ticks_add(f->now, d, w);
        ticks -= d;
        f->armed = false;
        if (f->alarm.client)
            f->alarm.client->fired(f->alarm.client);
    }
    f->now = hil_ticks_add(f->now, ticks, w);
}

#endif
