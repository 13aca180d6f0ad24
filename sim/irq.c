#include "irq.h"

#include <assert.h>

void irq_init(struct irq_line *l, const char *name)
{
    l->name = name;
    l->level = false;
    l->sink = NULL;
    l->ctx = NULL;
    l->n = 0;
    l->taps = NULL;
    l->busy = false;
}

void irq_connect(struct irq_line *l, irq_sink_fn sink, void *ctx, unsigned n)
{
    assert(!l->sink);
    l->sink = sink;
    l->ctx = ctx;
    l->n = n;
    if (l->level && sink)
        sink(ctx, n, true);
}

void irq_add_tap(struct irq_line *l, struct irq_tap *tap)
{
    struct irq_tap **pp = &l->taps;
    while (*pp)
        pp = &(*pp)->next;
    tap->next = NULL;
    *pp = tap;
}

void irq_remove_tap(struct irq_line *l, struct irq_tap *tap)
{
    for (struct irq_tap **pp = &l->taps; *pp; pp = &(*pp)->next)
        if (*pp == tap) {
            *pp = tap->next;
            return;
        }
}

void irq_set(struct irq_line *l, bool level)
{
    if (l->level == level)
        return;
    assert(!l->busy);
    l->busy = true;
    l->level = level;
    for (struct irq_tap *t = l->taps; t; t = t->next)
        t->fn(t, l, level);
    if (l->sink)
        l->sink(l->ctx, l->n, level);
    l->busy = false;
}
