/* The properties every timer model takes (DESIGN.md §6):
 *   width_bits   counter width, from a per-model list (16/24/32/64)
 *   start_count  counter value at reset (`--set rtc1.start_count=0xFFFF00`)
 *   prescaler    model-defined (an extra input divider, or the reset value
 *                of a prescaler register); the model gives the range
 * Validation errors name the property, what was found and what was expected.
 * Models embed one `struct timer_props` and call timer_props_set() from
 * their set_prop op; the values apply at the next reset. */
#ifndef PERIPH_TIMER_PROPS_H
#define PERIPH_TIMER_PROPS_H

#include "periph.h"

struct timer_props {
    unsigned width_bits;
    uint64_t start_count;
    uint64_t prescaler;
    /* limits, set by the model at create */
    const unsigned *widths;     /* allowed widths */
    unsigned nwidths;
    uint64_t prescaler_min, prescaler_max;
    const char *prescaler_what; /* "an input divider", "PRESCALER at reset" */
};

/* Sets the allowed values and the defaults. */
void timer_props_init(struct timer_props *tp, const unsigned *widths, unsigned nwidths,
                      unsigned width_bits, uint64_t prescaler, uint64_t prescaler_min,
                      uint64_t prescaler_max, const char *prescaler_what);
/* Validates `cfg_width` (from a board table: 0 = keep the default) at create. */
int timer_props_cfg_width(struct timer_props *tp, const struct periph *p, unsigned cfg_width,
                          struct sim_error *err);
/* Handles width_bits, start_count and prescaler. Returns 0 if set, -1 with
 * err on a bad value, 1 if `prop` is not one of them (the model may handle
 * it, or report it with timer_props_unknown). */
int timer_props_set(struct timer_props *tp, const struct periph *p, const char *prop,
                    uint64_t value, struct sim_error *err);
/* The error for an unknown property; `extra` lists model-specific ones ("" if none). */
int timer_props_unknown(const struct periph *p, const char *prop, const char *extra,
                        struct sim_error *err);

struct snap_writer;
struct snap_reader;
/* Snapshots: width_bits, start_count, prescaler (load checks them against
 * the model's limits). */
void timer_props_save(const struct timer_props *tp, struct snap_writer *w);
void timer_props_load(struct timer_props *tp, struct snap_reader *r);

static inline uint64_t timer_props_mask(const struct timer_props *tp)
{
    return tp->width_bits >= 64 ? UINT64_MAX : (1ull << tp->width_bits) - 1;
}

#endif
