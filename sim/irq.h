/* Signal lines: level-based, one sink (the interrupt controller input, a
 * GPIO pin's consumer), any number of observers (trace, VCD, board view). */
#ifndef SIM_IRQ_H
#define SIM_IRQ_H

#include "common.h"

struct irq_line;
typedef void (*irq_sink_fn)(void *ctx, unsigned n, bool level);

struct irq_tap {
    void (*fn)(struct irq_tap *t, const struct irq_line *l, bool level);
    void *ctx;
    struct irq_tap *next;
};

struct irq_line {
    const char *name;
    bool level;
    irq_sink_fn sink;
    void *ctx;
    unsigned n;
    struct irq_tap *taps;
    bool busy;                  /* re-entry guard */
};

void irq_init(struct irq_line *l, const char *name);
void irq_connect(struct irq_line *l, irq_sink_fn sink, void *ctx, unsigned n);
void irq_add_tap(struct irq_line *l, struct irq_tap *tap);
void irq_remove_tap(struct irq_line *l, struct irq_tap *tap);   /* no-op if absent */
/* No-op if unchanged. Taps see the new level before the sink does; the
 * stored level is updated first so that taps and sink can read it. */
void irq_set(struct irq_line *l, bool level);
static inline void irq_raise(struct irq_line *l) { irq_set(l, true); }
static inline void irq_lower(struct irq_line *l) { irq_set(l, false); }

#endif
