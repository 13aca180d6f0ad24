#include "capsules/virtual_alarm.h"

/* Kernels built with -DTOCK_BUG_<NAME> re-introduce a historical Tock
 * alarm bug for the scenario library to catch (tests/scenario/alarm/):
 *   TOCK_BUG_NO_SPLIT      tock #2676: long alarms are not split in two legs
 *                          (dt near 2^w never fires if the interrupt is late)
 *   TOCK_BUG_PAST_WRAP     tock #1691/#4078: the hardware gets an absolute
 *                          compare, so an expiry already passed waits a wrap */
static unsigned width(const struct valarm_mux *m) { return m->hw->width_bits; }

static void mux_program(struct valarm_mux *m, hil_ticks ref, hil_ticks dt)
{
    m->has_next = true;
    m->next_ref = ref;
    m->next_dt = dt;
#if defined(TOCK_BUG_PAST_WRAP)
    {
        unsigned w = width(m);
        hil_ticks now = hil_alarm_now(m->hw);
        hil_alarm_set(m->hw, now, hil_ticks_sub(hil_ticks_add(ref, dt, w), now, w));
    }
#else
    hil_alarm_set(m->hw, ref, dt);
#endif
}

static hil_ticks v_now(struct hil_alarm *a)
{
    struct valarm *v = (struct valarm *)a;
    return hil_alarm_now(v->mux->hw);
}

static void v_set_alarm(struct hil_alarm *a, hil_ticks reference, hil_ticks dt)
{
    struct valarm *v = (struct valarm *)a;
    struct valarm_mux *m = v->mux;
    unsigned w = width(m);
    hil_ticks half = hil_ticks_half(w);
    reference &= hil_ticks_mask(w);
    dt &= hil_ticks_mask(w);
    v->reference = reference;
#if defined(TOCK_BUG_NO_SPLIT)
    if (false) {
#else
    if (dt > half + hil_alarm_min_dt(m->hw)) {
#endif
        v->dt = dt - half;
        v->extended = true;
    } else {
        v->dt = dt;
        v->extended = false;
    }
    bool first = m->enabled == 0;
    if (!v->armed) {
        m->enabled++;
        v->armed = true;
    }
    if (first) {
        mux_program(m, v->reference, v->dt);
    } else if (!m->firing) {
        /* Reprogram only if the hardware alarm lies outside the new window
         * (the new alarm is earlier) and has not expired yet: an expired one
         * is about to fire and the post-fire scan will choose. */
        hil_ticks cur = hil_alarm_get(m->hw);
        hil_ticks now = hil_alarm_now(m->hw);
        hil_ticks exp = hil_ticks_add(v->reference, v->dt, w);
        if (!hil_ticks_within(cur, v->reference, exp, w) &&
            (!m->has_next ||
             hil_ticks_within(now, m->next_ref, hil_ticks_add(m->next_ref, m->next_dt, w), w)))
            mux_program(m, v->reference, v->dt);
    }
}

static hil_ticks v_get_alarm(struct hil_alarm *a)
{
    struct valarm *v = (struct valarm *)a;
    return hil_ticks_add(v->reference, v->dt, width(v->mux));
}

static int v_disarm(struct hil_alarm *a)
{
    struct valarm *v = (struct valarm *)a;
    struct valarm_mux *m = v->mux;
    if (!v->armed)
        return 0;
    v->armed = false;
    m->enabled--;
    if (m->enabled == 0) {
        m->has_next = false;
        hil_alarm_disarm(m->hw);
    }
    return 0;
}

static bool v_is_armed(struct hil_alarm *a)
{
    return ((struct valarm *)a)->armed;
}

static hil_ticks v_minimum_dt(struct hil_alarm *a)
{
    return hil_alarm_min_dt(((struct valarm *)a)->mux->hw);
}

static const struct hil_alarm_ops valarm_ops = {
    .now = v_now,
    .set_alarm = v_set_alarm,
    .get_alarm = v_get_alarm,
    .disarm = v_disarm,
    .is_armed = v_is_armed,
    .minimum_dt = v_minimum_dt,
};

static void mux_fired(struct hil_alarm_client *c)
{
    struct valarm_mux *m = container_of(c, struct valarm_mux, hw_client);
    unsigned w = width(m);
    m->firing = true;
    for (struct valarm *v = m->head; v; v = v->next) {
        if (!v->armed)
            continue;
        hil_ticks now = hil_alarm_now(m->hw);       /* re-read per alarm (tock #3136) */
        hil_ticks exp = hil_ticks_add(v->reference, v->dt, w);
        if (hil_ticks_within(now, v->reference, exp, w))
            continue;
        if (v->extended) {                          /* second leg of a long alarm */
            v->reference = exp;
            v->dt = hil_ticks_half(w);
            v->extended = false;
            continue;
        }
        v->armed = false;
        m->enabled--;
        if (v->alarm.client)
            v->alarm.client->fired(v->alarm.client);
    }
    m->firing = false;

    hil_ticks now = hil_alarm_now(m->hw);
    struct valarm *best = NULL;
    hil_ticks best_left = 0;
    for (struct valarm *v = m->head; v; v = v->next) {
        if (!v->armed)
            continue;
        hil_ticks exp = hil_ticks_add(v->reference, v->dt, w);
        /* already expired counts as 0 left (tock #3277) */
        hil_ticks left = hil_ticks_within(now, v->reference, exp, w) ? hil_ticks_sub(exp, now, w) : 0;
        if (!best || left < best_left) {
            best = v;
            best_left = left;
        }
    }
    if (best) {
        mux_program(m, best->reference, best->dt);
    } else {
        m->has_next = false;
        hil_alarm_disarm(m->hw);
    }
}

void valarm_mux_init(struct valarm_mux *m, struct hil_alarm *hw)
{
    m->hw = hw;
    m->hw_client.fired = mux_fired;
    m->head = NULL;
    m->enabled = 0;
    m->firing = false;
    m->has_next = false;
    hw->client = &m->hw_client;
}

void valarm_init(struct valarm *v, struct valarm_mux *m)
{
    v->alarm.ops = &valarm_ops;
    v->alarm.freq_hz = m->hw->freq_hz;
    v->alarm.width_bits = m->hw->width_bits;
    v->mux = m;
    v->armed = v->extended = false;
    v->reference = v->dt = 0;
    v->next = m->head;
    m->head = v;
}
