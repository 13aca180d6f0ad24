/* ARMv7-M SysTick (SYST_CSR/RVR/CVR/CALIB at 0xE000E010).
 *
 * Models: a down-counter of `width_bits` (24 architecturally) on the
 * processor clock (CLKSOURCE=1) or on an external reference clock of
 * cfg.ref_hz (CLKSOURCE=0). The counter reloads RVR on the clock edge after
 * it reaches 0; the 1 -> 0 transition sets COUNTFLAG (cleared by reading
 * CSR or writing CVR) and, with TICKINT, pulses irq[0] (the machine wires it
 * to exception 15). Enabling counts down from the current CVR (0 after a CVR
 * write, so the first edge loads RVR and the first tick comes RVR+1 edges
 * later). RVR = 0 stops the ticks at the next reload. Without a reference
 * clock (ref_hz = 0), CALIB.NOREF = 1 and CLKSOURCE reads as 1. CALIB.TENMS
 * is the reference clock's ticks in 10 ms minus 1 (SKEW set when inexact),
 * as QEMU reports it.
 *
 * Properties: width_bits (16/24/32), start_count (CVR at reset), prescaler
 * (an extra divider on the input clock, not visible to the guest; 1).
 *
 * Not modelled: the counter running while the core is halted in debug, the
 * secure/non-secure banking of ARMv8-M, CALIB values that differ from the
 * clock actually supplied. Lazy: the counter is a pure function of the
 * cycle count; an event is scheduled only for the next tick when TICKINT. */
#ifndef PERIPH_SYSTICK_H
#define PERIPH_SYSTICK_H

#include "periph.h"
#include "timer_props.h"
#include "../sim/sclock.h"

struct systick_cfg {
    uint64_t ref_hz;            /* external reference clock; 0 = none */
    unsigned width_bits;        /* 0 = 24 */
};

enum { SYSTICK_CSR, SYSTICK_RVR, SYSTICK_CVR, SYSTICK_CALIB, SYSTICK_NREGS };

#define SYSTICK_CSR_ENABLE      (1u << 0)
#define SYSTICK_CSR_TICKINT     (1u << 1)
#define SYSTICK_CSR_CLKSOURCE   (1u << 2)
#define SYSTICK_CSR_COUNTFLAG   (1u << 16)
#define SYSTICK_CALIB_NOREF     (1u << 31)
#define SYSTICK_CALIB_SKEW      (1u << 30)

struct systick {
    struct periph dev;
    struct systick_cfg cfg;
    struct timer_props props;
    struct {
        uint32_t csr;           /* ENABLE, TICKINT, CLKSOURCE */
        uint64_t rvr;
        uint64_t cvr0;          /* value at the counter's base (held value when stopped) */
        bool countflag;
        uint64_t synced;        /* edges since base already folded into countflag */
    } st;
    uint64_t mask;
    struct counter edges;       /* input-clock edges since the base */
    struct evq_event ev;
};

extern const struct periph_model systick_model;

#endif
