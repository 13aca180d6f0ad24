#include "capsules/valarm_sched_timer.h"

static void fired(struct hil_alarm_client *c)
{
    struct valarm_sched_timer *t = container_of(c, struct valarm_sched_timer, client);
    t->expired = true;
}

static void st_start(struct hil_sched_timer *ht, uint32_t us)
{
    struct valarm_sched_timer *t = (struct valarm_sched_timer *)ht;
    t->reference = hil_alarm_now(t->alarm);
    t->dt = hil_ticks_from_us(t->alarm, us);
    t->running = true;
    t->expired = false;
    hil_alarm_set(t->alarm, t->reference, t->dt);
}

static void st_reset(struct hil_sched_timer *ht)
{
    struct valarm_sched_timer *t = (struct valarm_sched_timer *)ht;
    t->running = false;
    t->expired = false;
    hil_alarm_disarm(t->alarm);
}

static void st_arm(struct hil_sched_timer *ht) { (void)ht; }
static void st_disarm(struct hil_sched_timer *ht) { (void)ht; }

static uint32_t st_remaining_us(struct hil_sched_timer *ht)
{
    struct valarm_sched_timer *t = (struct valarm_sched_timer *)ht;
    if (!t->running || t->expired)
        return 0;
    unsigned w = t->alarm->width_bits;
    hil_ticks now = hil_alarm_now(t->alarm);
    hil_ticks end = hil_ticks_add(t->reference, t->dt, w);
    if (!hil_ticks_within(now, t->reference, end, w))
        return 0;
    uint64_t left = hil_ticks_sub(end, now, w);
    return (uint32_t)(left * 1000000u / t->alarm->freq_hz);
}

static const struct hil_sched_timer_ops ops = {
    .start = st_start,
    .reset = st_reset,
    .arm = st_arm,
    .disarm = st_disarm,
    .remaining_us = st_remaining_us,
};

void valarm_sched_timer_init(struct valarm_sched_timer *t, struct hil_alarm *alarm)
{
    t->timer.ops = &ops;
    t->alarm = alarm;
    t->client.fired = fired;
    t->running = t->expired = false;
    alarm->client = &t->client;
}
