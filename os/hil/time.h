/* Time and Alarm HIL (after Tock's kernel::hil::time).
 *
 * Ticks are carried in a uint64_t and always masked to the counter width
 * (16, 24, 32 or 64 bits), so one interface serves every timer.
 * set_alarm(reference, dt) asks for an interrupt at reference + dt, where the
 * reference is a time at or before now: if now is no longer inside
 * [reference, reference + dt) the alarm has passed and fires as soon as
 * possible. This tells "just passed" from "almost a full wrap ahead".
 * The client is called with the alarm already disarmed. */
#ifndef OS_HIL_TIME_H
#define OS_HIL_TIME_H

#include "lib/util.h"

typedef uint64_t hil_ticks;

struct hil_alarm;

struct hil_alarm_client {
    void (*fired)(struct hil_alarm_client *c);
};

struct hil_alarm_ops {
    hil_ticks (*now)(struct hil_alarm *a);
    void (*set_alarm)(struct hil_alarm *a, hil_ticks reference, hil_ticks dt);
    hil_ticks (*get_alarm)(struct hil_alarm *a);    /* reference + dt of the last set_alarm */
    int (*disarm)(struct hil_alarm *a);             /* 0 or a K_E* error */
    bool (*is_armed)(struct hil_alarm *a);
    hil_ticks (*minimum_dt)(struct hil_alarm *a);
};

struct hil_alarm {
    const struct hil_alarm_ops *ops;
    struct hil_alarm_client *client;
    uint32_t freq_hz;
    uint8_t width_bits;                             /* 16, 24, 32 or 64 */
};

static inline hil_ticks hil_ticks_mask(unsigned width_bits)
{
    return width_bits >= 64 ? ~(hil_ticks)0 : ((hil_ticks)1 << width_bits) - 1;
}
static inline hil_ticks hil_ticks_add(hil_ticks a, hil_ticks b, unsigned w) { return (a + b) & hil_ticks_mask(w); }
static inline hil_ticks hil_ticks_sub(hil_ticks a, hil_ticks b, unsigned w) { return (a - b) & hil_ticks_mask(w); }
static inline hil_ticks hil_ticks_half(unsigned w) { return (hil_ticks)1 << (w - 1); }

/* Tock's within_range: v in [start, end) on the wrapping counter. */
static inline bool hil_ticks_within(hil_ticks v, hil_ticks start, hil_ticks end, unsigned w)
{
    return hil_ticks_sub(v, start, w) < hil_ticks_sub(end, start, w);
}

static inline hil_ticks hil_alarm_now(struct hil_alarm *a) { return a->ops->now(a); }
static inline void hil_alarm_set(struct hil_alarm *a, hil_ticks ref, hil_ticks dt) { a->ops->set_alarm(a, ref, dt); }
static inline hil_ticks hil_alarm_get(struct hil_alarm *a) { return a->ops->get_alarm(a); }
static inline int hil_alarm_disarm(struct hil_alarm *a) { return a->ops->disarm(a); }
static inline bool hil_alarm_is_armed(struct hil_alarm *a) { return a->ops->is_armed(a); }
static inline hil_ticks hil_alarm_min_dt(struct hil_alarm *a) { return a->ops->minimum_dt(a); }

/* Conversions that round down and saturate at the counter's maximum. */
static inline hil_ticks hil_ticks_from_us(const struct hil_alarm *a, uint64_t us)
{
    uint64_t t = us * a->freq_hz / 1000000u;
    hil_ticks m = hil_ticks_mask(a->width_bits);
    return t > m ? m : t;
}
static inline hil_ticks hil_ticks_from_ms(const struct hil_alarm *a, uint64_t ms)
{
    return hil_ticks_from_us(a, ms * 1000u);
}

#endif
