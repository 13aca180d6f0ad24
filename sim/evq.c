#include "evq.h"

#include <assert.h>

static void update_next(struct evq *q)
{
    q->next = q->head ? q->head->when : CYCLES_NEVER;
}

void evq_init(struct evq *q)
{
    q->now = 0;
    q->next = CYCLES_NEVER;
    q->seq = 0;
    q->head = NULL;
}

void evq_event_init(struct evq_event *ev, const char *name, evq_fn fn, void *ctx, uint8_t prio)
{
    ev->name = name;
    ev->fn = fn;
    ev->ctx = ctx;
    ev->prio = prio;
    ev->pending = false;
    ev->when = 0;
    ev->seq = 0;
    ev->next = NULL;
}

static bool before(const struct evq_event *a, const struct evq_event *b)
{
    if (a->when != b->when)
        return a->when < b->when;
    if (a->prio != b->prio)
        return a->prio < b->prio;
    return a->seq < b->seq;
}

void evq_cancel(struct evq *q, struct evq_event *ev)
{
    if (!ev->pending)
        return;
    for (struct evq_event **pp = &q->head; *pp; pp = &(*pp)->next) {
        if (*pp == ev) {
            *pp = ev->next;
            break;
        }
    }
    ev->pending = false;
    ev->next = NULL;
    update_next(q);
}

void evq_at(struct evq *q, struct evq_event *ev, cycles_t when)
{
    struct evq_event **pp;

    assert(ev->fn);
    evq_cancel(q, ev);
    ev->when = when;
    ev->seq = q->seq++;
    for (pp = &q->head; *pp && !before(ev, *pp); pp = &(*pp)->next)
        ;
    ev->next = *pp;
    *pp = ev;
    ev->pending = true;
    update_next(q);
}

void evq_in(struct evq *q, struct evq_event *ev, cycles_t delta)
{
    cycles_t when = q->now + delta;
    evq_at(q, ev, when < q->now ? CYCLES_NEVER - 1 : when);
}

unsigned evq_run_due(struct evq *q)
{
    unsigned n = 0;

    while (q->head && q->head->when <= q->now) {
        struct evq_event *ev = q->head;
        q->head = ev->next;
        ev->next = NULL;
        ev->pending = false;
        update_next(q);
        ev->fn(ev, ev->ctx, q->now, q->now - ev->when);
        n++;
    }
    return n;
}

void evq_restore(struct evq *q, struct evq_event *ev, cycles_t when, uint64_t seq)
{
    struct evq_event **pp;

    assert(ev->fn);
    evq_cancel(q, ev);
    ev->when = when;
    ev->seq = seq;
    for (pp = &q->head; *pp && !before(ev, *pp); pp = &(*pp)->next)
        ;
    ev->next = *pp;
    *pp = ev;
    ev->pending = true;
    update_next(q);
}

void evq_clear(struct evq *q)
{
    while (q->head) {
        struct evq_event *ev = q->head;
        q->head = ev->next;
        ev->next = NULL;
        ev->pending = false;
    }
    update_next(q);
}
