/* Userspace virtual alarms: any number of alarms multiplexed onto the one
 * kernel alarm of this process (driver 0x0).
 *
 * Time is the kernel's 32-bit tick counter (left-justified: it wraps at
 * 2^32 whatever the hardware width). Every comparison is wrap-safe: an alarm
 * is a window [reference, reference + dt) that has passed once now leaves
 * it, which is right as long as less than 2^32 ticks pass between setting an
 * alarm and noticing it. Alarms longer than ALARM_MAX_LEG ticks (2^31, half
 * the counter) run as a chain of legs, each starting exactly where the last
 * ended, so the total never drifts and never loses a wrap.
 *
 * The list is sorted by due time (overdue first); the kernel alarm holds the
 * earliest. An upcall re-reads now and fires whatever has expired, so a
 * stale upcall (from an alarm cancelled after the kernel queued it) is
 * harmless. Callbacks run in expiry order, after the kernel alarm has been
 * re-armed; a callback may set, re-set or cancel any alarm, including one
 * that expired in the same batch and has not run yet (it will not run).
 * Repeating alarms are phase-locked: the k-th expiry is start + k * period,
 * computed exactly (no accumulated rounding), not "period after the
 * callback ran"; every expiry runs once, so when the process was busy for
 * several periods the missed expiries all run in the next batch, in order
 * with the other alarms'. */
#ifndef LIBTOCK_SERVICES_ALARM_H
#define LIBTOCK_SERVICES_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#define ALARM_MAX_LEG 0x80000000u

/* now: the tick the expiry was noticed at; expiration: the tick it was due. */
typedef void (*alarm_fn)(uint32_t now, uint32_t expiration, void *ud);

struct alarm {                          /* owned by the caller, opaque */
    uint32_t reference, dt;             /* current leg */
    uint64_t ticks_after;               /* still to wait after this leg */
    uint32_t period_ms;                 /* repeating: 0 for one-shot */
    uint32_t period_rem;                /* repeating: (k * period * f) mod 1000 */
    alarm_fn fn;
    void *ud;
    struct alarm *next;
    bool armed;
};

/* Kernel tick frequency in Hz (left-justified), 0 if there is no alarm driver. */
uint32_t alarm_frequency(void);
int alarm_now(uint32_t *ticks);

/* One-shot: fires when now leaves [reference, reference + dt). Re-arming an
 * armed alarm moves it. */
int alarm_at(struct alarm *a, uint32_t reference, uint32_t dt, alarm_fn fn, void *ud);
/* One-shot, ticks from now (any length). */
int alarm_in_ticks(struct alarm *a, uint64_t ticks, alarm_fn fn, void *ud);
/* One-shot, ms from now (rounded up to whole ticks: never early). */
int alarm_in_ms(struct alarm *a, uint32_t ms, alarm_fn fn, void *ud);
/* Repeating every period_ms from now, phase-locked. */
int alarm_every_ms(struct alarm *a, uint32_t period_ms, alarm_fn fn, void *ud);
/* Disarms; the callback will not run. No effect if not armed. */
void alarm_cancel(struct alarm *a);
bool alarm_is_armed(const struct alarm *a);

/* Conversions at the kernel's frequency, 64-bit throughout. */
uint64_t alarm_ms_to_ticks(uint64_t ms);        /* rounded up */
uint64_t alarm_ticks_to_ms(uint64_t ticks);     /* rounded down */
uint64_t alarm_ticks_to_us(uint64_t ticks);     /* rounded down */

/* The kernel's tick counter extended to 64 bits (wraps counted from the
 * first call). Correct if called, or an alarm fires, at least once per
 * counter wrap (2^32 ticks: 512 s at the nRF52's left-justified 8.4 MHz). */
int alarm_uptime_ticks(uint64_t *ticks);
int alarm_uptime_ms(uint64_t *ms);

/* Wrap-safe tick arithmetic. */
static inline bool alarm_ticks_expired(uint32_t now, uint32_t reference, uint32_t dt)
{
    return (uint32_t)(now - reference) >= dt;
}
static inline uint32_t alarm_ticks_remaining(uint32_t now, uint32_t reference, uint32_t dt)
{
    uint32_t gone = now - reference;
    return gone >= dt ? 0 : dt - gone;
}

#endif
