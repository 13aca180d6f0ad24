/* SiFive PLIC as on QEMU 7.2's `virt` (one hart, contexts 0 = M-mode and
 * 1 = S-mode), with QEMU's register semantics.
 *
 * Models: PRIORITY[source] (0x000000 + 4 * n, 3 bits: values are taken
 * modulo 8, source 0 does not exist), PENDING (0x001000, read-only words),
 * ENABLE per context (0x002000 + 0x80 * ctx), THRESHOLD (0x200000 + 0x1000
 * * ctx) and CLAIM/COMPLETE (+4). A source interrupts a context when it is
 * pending, enabled there, not claimed, and its priority is above the
 * context's threshold; CLAIM returns the highest priority such source (the
 * lowest number on ties) or 0, clears its pending bit and marks it claimed;
 * writing its number to COMPLETE ends the claim (any number below
 * num_sources, as QEMU: enable is not checked). irq[0] = MEIP (context 0),
 * irq[1] = SEIP (context 1): levels, wired by the machine into the hart's
 * mip (bits 11 and 9).
 *
 * Sources are levels (plic_set_source() is the sink for device lines):
 * as on QEMU, pending follows the source level, except that a claim clears
 * it; a source still high when its claim completes is pending again at
 * once (QEMU's devices re-assert their line at every register update; a
 * real PLIC gateway forwards a new request at completion).
 *
 * Not modelled: more harts, edge-triggered gateways, the 0x600000 window of
 * larger configurations (the window ends after context 1), PLIC MSIs. */
#ifndef PERIPH_PLIC_H
#define PERIPH_PLIC_H

#include "periph.h"

#define PLIC_MAX_SOURCES 128
#define PLIC_WORDS (PLIC_MAX_SOURCES / 32)
#define PLIC_NCTX 2

struct plic_cfg {
    unsigned num_sources;       /* including source 0; 0 = 96 (QEMU virt) */
    unsigned num_priorities;    /* 0 = 7 */
};

enum {
    PLIC_PRIORITY, PLIC_PENDING, PLIC_ENABLE0, PLIC_ENABLE1, PLIC_THRESHOLD0, PLIC_CLAIM0,
    PLIC_THRESHOLD1, PLIC_CLAIM1, PLIC_NREGS
};

enum { PLIC_IRQ_MEIP = 0, PLIC_IRQ_SEIP = 1 };

struct plic {
    struct periph dev;
    struct plic_cfg cfg;
    struct {
        uint32_t priority[PLIC_MAX_SOURCES];
        uint32_t pending[PLIC_WORDS], claimed[PLIC_WORDS], level[PLIC_WORDS];
        uint32_t enable[PLIC_NCTX][PLIC_WORDS];
        uint32_t threshold[PLIC_NCTX];
    } st;
};

extern const struct periph_model plic_model;

/* Sink for device interrupt lines: ctx = the PLIC's struct periph, n = source. */
void plic_set_source(void *ctx, unsigned n, bool level);

#endif
