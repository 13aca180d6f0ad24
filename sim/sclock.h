/* Exact integer conversions between CPU cycles and other clocks (timer
 * ticks, nanoseconds). Nothing is ever ticked: a tick count is a pure
 * function of the cycle count, so a timer's phase follows its clock source
 * and not the moment firmware last wrote it. */
#ifndef SIM_SCLOCK_H
#define SIM_SCLOCK_H

#include "common.h"

/* Number of whole ticks of a `tick_hz` clock that have elapsed at `cycles`
 * of a `cpu_hz` clock (both clocks start together at cycle 0). */
static inline uint64_t sclock_ticks_at(cycles_t cycles, uint64_t cpu_hz, uint64_t tick_hz)
{
    return (uint64_t)((unsigned __int128)cycles * tick_hz / cpu_hz);
}

/* First cycle at which sclock_ticks_at() >= ticks (saturates at CYCLES_NEVER). */
static inline cycles_t sclock_cycle_of_tick(uint64_t ticks, uint64_t cpu_hz, uint64_t tick_hz)
{
    unsigned __int128 c = ((unsigned __int128)ticks * cpu_hz + tick_hz - 1) / tick_hz;
    return c >= CYCLES_NEVER ? CYCLES_NEVER : (cycles_t)c;
}

static inline uint64_t sclock_cycles_to_ns(cycles_t cycles, uint64_t cpu_hz)
{
    return sclock_ticks_at(cycles, cpu_hz, 1000000000u);
}

/* Smallest cycle count whose time is >= ns. */
static inline cycles_t sclock_ns_to_cycles(uint64_t ns, uint64_t cpu_hz)
{
    return sclock_cycle_of_tick(ns, cpu_hz, 1000000000u);
}

/* Formats a simulated time as "12.345678901s" into buf (>= 24 bytes). */
const char *sclock_fmt_ns(uint64_t ns, char *buf, size_t len);

/* A lazy up-counter of `width_bits` driven by a tick clock derived from the
 * CPU clock: value(now) = (base_value + ticks(now) - base_ticks) & mask,
 * where ticks counts the (prescaled) tick clock since reset. Timer models
 * embed one per counter; they schedule events only for the values the guest
 * can observe (compare match, overflow), using counter_cycle_of(). */
struct counter {
    uint64_t cpu_hz;
    uint64_t tick_hz;           /* input clock of the counter, after any fixed divider */
    uint32_t prescale;          /* extra divider: counts every `prescale` ticks (>= 1) */
    uint64_t mask;              /* (1 << width_bits) - 1, or UINT64_MAX */
    bool running;
    uint64_t base_value;        /* value at base_ticks */
    uint64_t base_ticks;        /* prescaled ticks at the last (re)base */
};

void counter_init(struct counter *c, uint64_t cpu_hz, uint64_t tick_hz, unsigned width_bits);
uint64_t counter_mask_of(unsigned width_bits);
/* Prescaled ticks elapsed at `now` (the counter's own time base). */
static inline uint64_t counter_ticks(const struct counter *c, cycles_t now)
{
    return sclock_ticks_at(now, c->cpu_hz, c->tick_hz) / c->prescale;
}
uint64_t counter_value(const struct counter *c, cycles_t now);
void counter_set_value(struct counter *c, cycles_t now, uint64_t value);
void counter_start(struct counter *c, cycles_t now);
void counter_stop(struct counter *c, cycles_t now);
/* Changes the prescaler without changing the current value. */
void counter_set_prescale(struct counter *c, cycles_t now, uint32_t prescale);
/* First cycle > now at which the counter reads `value` (after wrapping if
 * needed); CYCLES_NEVER if stopped. A counter already at `value` returns
 * the next time it gets there (one full period later). */
cycles_t counter_cycle_of(const struct counter *c, cycles_t now, uint64_t value);
/* Cycle at which the counter next wraps from mask to 0. */
static inline cycles_t counter_cycle_of_wrap(const struct counter *c, cycles_t now)
{
    return counter_cycle_of(c, now, 0);
}

#endif
