#include "capsules/alarm_narrow.h"

static struct alarm_narrow *an(struct hil_alarm *a) { return (struct alarm_narrow *)a; }

static hil_ticks n_now(struct hil_alarm *a)
{
    struct alarm_narrow *n = an(a);
    return (hil_alarm_now(n->hw) >> n->shift) & hil_ticks_mask(a->width_bits);
}

/* The reference is at or before now (in the narrow counter): it lies the
 * same number of narrow ticks before now in the wide one. */
static void n_set_alarm(struct hil_alarm *a, hil_ticks reference, hil_ticks dt)
{
    struct alarm_narrow *n = an(a);
    unsigned w = a->width_bits, hw_w = n->hw->width_bits;
    hil_ticks hw_ticks = hil_alarm_now(n->hw) >> n->shift;
    hil_ticks back = hil_ticks_sub(hw_ticks & hil_ticks_mask(w), reference, w);
    hil_ticks hw_ref = ((hw_ticks - back) << n->shift) & hil_ticks_mask(hw_w);
    hil_alarm_set(n->hw, hw_ref, (dt & hil_ticks_mask(w)) << n->shift);
}

static hil_ticks n_get_alarm(struct hil_alarm *a)
{
    struct alarm_narrow *n = an(a);
    return (hil_alarm_get(n->hw) >> n->shift) & hil_ticks_mask(a->width_bits);
}

static int n_disarm(struct hil_alarm *a) { return hil_alarm_disarm(an(a)->hw); }
static bool n_is_armed(struct hil_alarm *a) { return hil_alarm_is_armed(an(a)->hw); }
static hil_ticks n_minimum_dt(struct hil_alarm *a) { return hil_alarm_min_dt(an(a)->hw); }

static const struct hil_alarm_ops narrow_ops = {
    .now = n_now, .set_alarm = n_set_alarm, .get_alarm = n_get_alarm,
    .disarm = n_disarm, .is_armed = n_is_armed, .minimum_dt = n_minimum_dt,
};

static void hw_fired(struct hil_alarm_client *c)
{
    struct alarm_narrow *n = container_of(c, struct alarm_narrow, hw_client);
    if (n->alarm.client)
        n->alarm.client->fired(n->alarm.client);
}

void alarm_narrow_init(struct alarm_narrow *n, struct hil_alarm *hw, unsigned width_bits)
{
    n->alarm.ops = &narrow_ops;
    n->alarm.client = 0;
    n->alarm.freq_hz = hw->freq_hz;
    n->alarm.width_bits = (uint8_t)(width_bits < hw->width_bits ? width_bits : hw->width_bits);
    n->shift = 0;
    while (n->alarm.width_bits < 32 && (hw->freq_hz >> n->shift) >> n->alarm.width_bits &&
           n->alarm.width_bits + n->shift < hw->width_bits)
        n->shift++;
    n->alarm.freq_hz = hw->freq_hz >> n->shift;
    n->hw = hw;
    n->hw_client.fired = hw_fired;
    hw->client = &n->hw_client;
}
