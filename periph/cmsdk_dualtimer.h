/* ARM CMSDK APB dual timer (two SP804-style counters; CMSDK TRM DDI0479),
 * mapped as on QEMU's mps2-an385/386 at 0x40002000.
 *
 * Models, per counter (TIMER1 at 0x00, TIMER2 at 0x20): LOAD, VALUE,
 * CONTROL (ONESHOT, SIZE 16/32, PRESCALE /1 /16 /256 (3 is undefined:
 * /256, as QEMU, with a guest-error trace), INTEN, MODE free-running/
 * periodic, ENABLE; reset 0x20), INTCLR, RIS, MIS, BGLOAD; TIMERITCR and
 * TIMERITOP (integration test: outputs driven from TIMERITOP); PID/CID.
 * A counter counts down at TIMCLK (cfg.timclk_hz, default the CPU clock) /
 * prescale. Reaching 0 (from 1) sets RIS; it holds 0 for one count and then
 * reloads: LOAD in periodic mode, the maximum (0xFFFF / 0xFFFFFFFF) when
 * free-running; a one-shot counter (or periodic with LOAD 0) stops at 0.
 * Writing LOAD restarts the count from it at once; BGLOAD only changes the
 * reload value. In 16-bit mode VALUE's upper half reads the upper half of
 * the last value loaded (0xFFFF at reset), as QEMU does. irq[0] = TIMINTC
 * (either), irq[1] = TIMINT1, irq[2] = TIMINT2: MIS levels until INTCLR.
 * RIS is computed lazily; events are scheduled only with INTEN.
 *
 * Properties: start_count (the count at reset, both counters: low 16 bits
 * count in the reset 16-bit mode, the upper half shows in VALUE; default
 * 0xFFFFFFFF), prescaler (an extra divider on TIMCLK; 1). width_bits is
 * fixed at 32 (SIZE is the guest's choice).
 *
 * Differences from QEMU 7.2: writing LOAD to an enabled periodic counter
 * keeps it periodic (QEMU turns it into a one-shot, which the TRM does not
 * say). */
#ifndef PERIPH_CMSDK_DUALTIMER_H
#define PERIPH_CMSDK_DUALTIMER_H

#include "periph.h"
#include "timer_props.h"
#include "../sim/sclock.h"

struct cmsdk_dualtimer_cfg {
    uint64_t timclk_hz;         /* 0 = the CPU clock */
};

enum {
    DT_LOAD, DT_VALUE, DT_CONTROL, DT_INTCLR, DT_RIS, DT_MIS, DT_BGLOAD,
    DT_LOAD2, DT_VALUE2, DT_CONTROL2, DT_INTCLR2, DT_RIS2, DT_MIS2, DT_BGLOAD2,
    DT_ITCR, DT_ITOP, DT_PID4_7, DT_PID0_3, DT_CID0_3, DT_NREGS
};

#define DT_CTRL_ONESHOT  (1u << 0)
#define DT_CTRL_SIZE32   (1u << 1)
#define DT_CTRL_PRESCALE(v) (((v) >> 2) & 3u)
#define DT_CTRL_INTEN    (1u << 5)
#define DT_CTRL_PERIODIC (1u << 6)
#define DT_CTRL_ENABLE   (1u << 7)

struct cmsdk_dualtimer;
struct cmsdk_dt_mod {
    struct cmsdk_dualtimer *parent;
    unsigned n;
    struct {
        uint32_t control, load, value_hi;
        bool intstatus;
        bool on;                /* counting */
        uint64_t count0;        /* count at the base (held count when not counting) */
        uint64_t synced;        /* counts since the base folded into RIS */
    } st;
    struct counter edges;
    struct evq_event ev;
    char name[32];
};

struct cmsdk_dualtimer {
    struct periph dev;
    struct cmsdk_dualtimer_cfg cfg;
    struct timer_props props;
    struct cmsdk_dt_mod mod[2];
    uint32_t itcr, itop;
};

extern const struct periph_model cmsdk_dualtimer_model;

#endif
