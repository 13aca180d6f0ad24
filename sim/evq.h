/* Event queue: intrusive, caller-owned events fired in (when, prio, seq)
 * order. The queue also owns the machine's clock (`now`, in CPU cycles):
 * the CPU advances it, events read it. Nothing here allocates or fails. */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include "common.h"

struct evq;
struct evq_event;
/* late = now - when (>= 0): how many cycles after its deadline it fired. */
typedef void (*evq_fn)(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late);

struct evq_event {
    const char *name;           /* "rtc1.cc0": trace and snapshot key */
    evq_fn fn;
    void *ctx;                  /* the owning model, not the machine */
    uint8_t prio;               /* lower fires first at equal `when` */
    /* private to evq.c */
    bool pending;
    cycles_t when;
    uint64_t seq;
    struct evq_event *next;
};

struct evq {
    cycles_t now;
    cycles_t next;              /* head->when, or CYCLES_NEVER: read on every block */
    uint64_t seq;
    struct evq_event *head;     /* sorted by (when, prio, seq) */
};

void evq_init(struct evq *q);
void evq_event_init(struct evq_event *ev, const char *name, evq_fn fn, void *ctx, uint8_t prio);
/* Schedules ev at absolute cycle `when` (re-arms it if already pending).
 * A `when` in the past fires at the next evq_run_until. */
void evq_at(struct evq *q, struct evq_event *ev, cycles_t when);
void evq_in(struct evq *q, struct evq_event *ev, cycles_t delta);
void evq_cancel(struct evq *q, struct evq_event *ev);     /* idempotent */
static inline bool evq_pending(const struct evq_event *ev) { return ev->pending; }
static inline cycles_t evq_now(const struct evq *q) { return q->now; }
/* Deadline of the first pending event, CYCLES_NEVER if none. */
static inline cycles_t evq_next_deadline(const struct evq *q)
{
    return q->next;
}
/* Fires, in order, every event whose `when` <= q->now (including events that
 * the callbacks schedule for <= now). Returns how many fired. */
unsigned evq_run_due(struct evq *q);
/* Snapshots (snap.c): puts ev back at a saved (when, seq), keeping the
 * queue sorted; and empties the queue before a restore. */
void evq_restore(struct evq *q, struct evq_event *ev, cycles_t when, uint64_t seq);
void evq_clear(struct evq *q);

#endif
