#include "sclock.h"

#include <assert.h>
#include <stdio.h>

const char *sclock_fmt_ns(uint64_t ns, char *buf, size_t len)
{
    snprintf(buf, len, "%llu.%09llus", (unsigned long long)(ns / 1000000000u),
             (unsigned long long)(ns % 1000000000u));
    return buf;
}

uint64_t counter_mask_of(unsigned width_bits)
{
    return width_bits >= 64 ? UINT64_MAX : (1ull << width_bits) - 1;
}

void counter_init(struct counter *c, uint64_t cpu_hz, uint64_t tick_hz, unsigned width_bits)
{
    assert(cpu_hz && tick_hz);
    c->cpu_hz = cpu_hz;
    c->tick_hz = tick_hz;
    c->prescale = 1;
    c->mask = counter_mask_of(width_bits);
    c->running = false;
    c->base_value = 0;
    c->base_ticks = 0;
}

uint64_t counter_value(const struct counter *c, cycles_t now)
{
    if (!c->running)
        return c->base_value & c->mask;
    return (c->base_value + (counter_ticks(c, now) - c->base_ticks)) & c->mask;
}

void counter_set_value(struct counter *c, cycles_t now, uint64_t value)
{
    c->base_value = value & c->mask;
    c->base_ticks = counter_ticks(c, now);
}

void counter_start(struct counter *c, cycles_t now)
{
    if (c->running)
        return;
    c->base_ticks = counter_ticks(c, now);
    c->running = true;
}

void counter_stop(struct counter *c, cycles_t now)
{
    if (!c->running)
        return;
    c->base_value = counter_value(c, now);
    c->running = false;
}

void counter_set_prescale(struct counter *c, cycles_t now, uint32_t prescale)
{
    uint64_t v = counter_value(c, now);
    c->prescale = prescale ? prescale : 1;
    counter_set_value(c, now, v);
}

cycles_t counter_cycle_of(const struct counter *c, cycles_t now, uint64_t value)
{
    uint64_t cur, dist, target_ticks, raw;

    if (!c->running)
        return CYCLES_NEVER;
    cur = counter_value(c, now);
    dist = (value - cur) & c->mask;
    if (dist == 0)
        dist = c->mask == UINT64_MAX ? UINT64_MAX : c->mask + 1;
    target_ticks = counter_ticks(c, now) + dist;
    if (target_ticks < dist)
        return CYCLES_NEVER;
    /* first raw tick index whose prescaled tick count reaches target_ticks */
    if (target_ticks > UINT64_MAX / c->prescale)
        return CYCLES_NEVER;
    raw = target_ticks * c->prescale;
    return sclock_cycle_of_tick(raw, c->cpu_hz, c->tick_hz);
}
