/* ARM CMSDK APB timer (Cortex-M System Design Kit TRM, DDI0479), with the
 * register semantics of QEMU 7.2's cmsdk-apb-timer (a ptimer with the
 * wrap-after-one-period, trigger-only-on-decrement, no-immediate-reload and
 * no-round-down policies).
 *
 * Models: CTRL (0x00: EN, SELEXTEN, SELEXTCLK, IRQEN), VALUE (0x04),
 * RELOAD (0x08), INTSTATUS (0x0C, bit 0, write 1 to clear), PID4-7,
 * PID0-3, CID0-3. A down-counter on PCLK (cfg.pclk_hz, default the CPU
 * clock). The interrupt (INTSTATUS.IRQ, if IRQEN; irq[0] is its level) is
 * set when the counter goes 1 -> 0; it then holds 0 for one PCLK period and
 * reloads RELOAD, so the period is RELOAD + 1. With RELOAD = 0 the timer is
 * one-shot: it counts VALUE down to 0, interrupts, and stops. Writing
 * RELOAD also loads VALUE and restarts counting (RELOAD = 0 stops the
 * timer); writing VALUE restarts counting from it (VALUE = 0 with RELOAD
 * != 0: holds 0 for one period, then reloads, without an interrupt); CTRL.EN
 * = 0 freezes VALUE, EN = 1 resumes from it. A write of 0 to VALUE with
 * RELOAD = 0 stops the timer. Values are read with the edge already taken
 * at the cycle of an edge (QEMU's ns time shows it one instant later).
 *
 * Properties: width_bits (16/24/32; RELOAD/VALUE are masked), start_count
 * (VALUE at reset), prescaler (an extra divider on PCLK; 1).
 *
 * Not modelled: EXTIN as enable or clock (SELEXTEN/SELEXTCLK: traced as
 * unimplemented, the bits read back). */
#ifndef PERIPH_CMSDK_TIMER_H
#define PERIPH_CMSDK_TIMER_H

#include "periph.h"
#include "timer_props.h"
#include "../sim/sclock.h"

struct cmsdk_timer_cfg {
    uint64_t pclk_hz;           /* 0 = the CPU clock */
    unsigned width_bits;        /* 0 = 32 */
};

enum {
    CMSDK_TIMER_CTRL, CMSDK_TIMER_VALUE, CMSDK_TIMER_RELOAD, CMSDK_TIMER_INTSTATUS,
    CMSDK_TIMER_PID4_7, CMSDK_TIMER_PID0_3, CMSDK_TIMER_CID0_3, CMSDK_TIMER_NREGS
};

#define CMSDK_TIMER_CTRL_EN        (1u << 0)
#define CMSDK_TIMER_CTRL_SELEXTEN  (1u << 1)
#define CMSDK_TIMER_CTRL_SELEXTCLK (1u << 2)
#define CMSDK_TIMER_CTRL_IRQEN     (1u << 3)

enum cmsdk_timer_mode { CMSDK_TIMER_OFF, CMSDK_TIMER_PERIODIC, CMSDK_TIMER_ONESHOT };

struct cmsdk_timer {
    struct periph dev;
    struct cmsdk_timer_cfg cfg;
    struct timer_props props;
    struct {
        uint32_t ctrl, intstatus;
        uint64_t reload;
        enum cmsdk_timer_mode mode;
        uint64_t value0;        /* VALUE at the base (held value when OFF) */
    } st;
    uint64_t mask;
    struct counter edges;       /* PCLK edges since the base */
    struct evq_event ev;
    char ev_name[32];
};

extern const struct periph_model cmsdk_timer_model;

#endif
