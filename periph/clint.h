/* SiFive CLINT (core-local interruptor) for one hart, as on QEMU's `virt`.
 *
 * Models: msip (0x0000, bit 0) -> irq[1] = MSIP level; mtimecmp (0x4000,
 * 64 bits as two 32-bit halves); mtime (0xBFF8, 64 bits as two halves,
 * writable) counting at cfg.timebase_hz. irq[0] = MTIP level = (mtime >=
 * mtimecmp), unsigned. The machine wires irq[0] and irq[1] into the hart's
 * mip (MTIP bit 7, MSIP bit 3). As on QEMU 7.2, mtimecmp reads 0 after reset
 * but MTIP stays low until firmware first writes mtimecmp or mtime (the
 * ACLINT spec leaves mtimecmp unknown at reset). Writing one half of a
 * 64-bit register keeps the other half, so MTIP may glitch between the two
 * writes exactly as on hardware.
 *
 * Properties: width_bits (16/24/32/64, default 64: a narrower mtime wraps,
 * and MTIP drops at the wrap), start_count (mtime at reset), prescaler (an
 * extra divider on the timebase; 1).
 *
 * Not modelled: more than one hart, 64-bit accesses (RV32 cannot make
 * them). clint_mtime() gives the CPU's `time` CSR. */
#ifndef PERIPH_CLINT_H
#define PERIPH_CLINT_H

#include "periph.h"
#include "timer_props.h"
#include "../sim/sclock.h"

struct clint_cfg {
    uint64_t timebase_hz;       /* 0 = 10 MHz */
    unsigned width_bits;        /* 0 = 64 */
};

enum { CLINT_MSIP, CLINT_MTIMECMP_LO, CLINT_MTIMECMP_HI, CLINT_MTIME_LO, CLINT_MTIME_HI,
       CLINT_NREGS };

enum { CLINT_IRQ_MTIP = 0, CLINT_IRQ_MSIP = 1 };

struct clint {
    struct periph dev;
    struct clint_cfg cfg;
    struct timer_props props;
    struct {
        uint32_t msip;
        uint64_t mtimecmp;
        bool armed;             /* mtimecmp or mtime written since reset */
    } st;
    struct counter mtime;
    struct evq_event ev;
    char ev_name[32];
};

extern const struct periph_model clint_model;

/* mtime now: the value of the `time` CSR. */
uint64_t clint_mtime(struct periph *p);

#endif
