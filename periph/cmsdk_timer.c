#include "cmsdk_timer.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "lanes.h"

static const struct reg_desc cmsdk_timer_regs[CMSDK_TIMER_NREGS] = {
    [CMSDK_TIMER_CTRL]      = { "CTRL",      0x000, REG_RW, 0, 0 },
    [CMSDK_TIMER_VALUE]     = { "VALUE",     0x004, REG_RW, 0, 0 },
    [CMSDK_TIMER_RELOAD]    = { "RELOAD",    0x008, REG_RW, 0, 0 },
    [CMSDK_TIMER_INTSTATUS] = { "INTSTATUS", 0x00C, REG_RW, 0, 0 },
    [CMSDK_TIMER_PID4_7]    = { "PID4_7",    0xFD0, REG_RO, 4, 4 },
    [CMSDK_TIMER_PID0_3]    = { "PID0_3",    0xFE0, REG_RO, 4, 4 },
    [CMSDK_TIMER_CID0_3]    = { "CID0_3",    0xFF0, REG_RO, 4, 4 },
};

static const uint8_t cmsdk_timer_id[12] = {
    0x04, 0x00, 0x00, 0x00,     /* PID4..7 */
    0x22, 0xB8, 0x1B, 0x00,     /* PID0..3 */
    0x0D, 0xF0, 0x05, 0xB1,     /* CID0..3 */
};

static const unsigned cmsdk_timer_widths[] = { 16, 24, 32 };

static struct cmsdk_timer *to_t(struct periph *p)
{
    return container_of(p, struct cmsdk_timer, dev);
}

/* VALUE after e edges from the base. */
static uint64_t value_at(const struct cmsdk_timer *t, uint64_t e)
{
    uint64_t d = t->st.value0, l = t->st.reload;

    if (e <= d)
        return d - e;
    if (t->st.mode != CMSDK_TIMER_PERIODIC)
        return 0;
    return l - (e - d - 1) % (l + 1);
}

/* Edge count of the first 1 -> 0 transition after edge count a (UINT64_MAX: none). */
static uint64_t next_trigger_after(const struct cmsdk_timer *t, uint64_t a)
{
    uint64_t d = t->st.value0, period;

    if (d > a)
        return d;
    if (t->st.mode != CMSDK_TIMER_PERIODIC)
        return UINT64_MAX;
    period = t->st.reload + 1;
    return d + ((a - d) / period + 1) * period;
}

static uint64_t current(const struct cmsdk_timer *t, cycles_t now)
{
    if (t->st.mode == CMSDK_TIMER_OFF)
        return t->st.value0;
    return value_at(t, counter_value(&t->edges, now));
}

/* Stops a one-shot that has run out (nothing observable happens there
 * without IRQEN, so it is done lazily). */
static void sync(struct cmsdk_timer *t, cycles_t now)
{
    if (t->st.mode == CMSDK_TIMER_ONESHOT && counter_value(&t->edges, now) >= t->st.value0) {
        t->st.mode = CMSDK_TIMER_OFF;
        t->st.value0 = 0;
        counter_stop(&t->edges, now);
    }
}

static void update_irq(struct cmsdk_timer *t)
{
    irq_set(&t->dev.irq[0], t->st.intstatus & 1);
}

static void schedule(struct cmsdk_timer *t, cycles_t now)
{
    uint64_t e;

    evq_cancel(t->dev.q, &t->ev);
    if (t->st.mode == CMSDK_TIMER_OFF || !(t->st.ctrl & CMSDK_TIMER_CTRL_IRQEN))
        return;
    e = next_trigger_after(t, counter_value(&t->edges, now));
    if (e != UINT64_MAX)
        evq_at(t->dev.q, &t->ev, counter_cycle_of(&t->edges, now, e));
}

/* Counting restarts from `value` now, in `mode` (the ptimer reload). */
static void load(struct cmsdk_timer *t, cycles_t now, uint64_t value, enum cmsdk_timer_mode mode)
{
    t->st.value0 = value & t->mask;
    counter_stop(&t->edges, now);
    counter_set_value(&t->edges, now, 0);
    t->st.mode = mode;
    /* a one-shot from 0, or a periodic with RELOAD 0 from 0, has nothing to do */
    if (mode != CMSDK_TIMER_OFF && t->st.value0 == 0 &&
        (mode == CMSDK_TIMER_ONESHOT || t->st.reload == 0))
        t->st.mode = CMSDK_TIMER_OFF;
    if (t->st.mode != CMSDK_TIMER_OFF)
        counter_start(&t->edges, now);
}

static void fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct cmsdk_timer *t = ctx;
    (void)ev;
    (void)late;
    if (t->st.ctrl & CMSDK_TIMER_CTRL_IRQEN) {
        t->st.intstatus |= 1;
        update_irq(t);
    }
    TRACE(t->dev.tr, TR_ALARM, "%s: 1 -> 0", t->dev.name);
    sync(t, now);
    schedule(t, now);
}

static uint32_t cmsdk_timer_read(struct periph *p, const struct reg_ref *r)
{
    struct cmsdk_timer *t = to_t(p);
    cycles_t now = periph_now(p);

    sync(t, now);
    switch (r->reg) {
    case CMSDK_TIMER_CTRL:
        return t->st.ctrl;
    case CMSDK_TIMER_VALUE:
        return (uint32_t)current(t, now);
    case CMSDK_TIMER_RELOAD:
        return (uint32_t)t->st.reload;
    case CMSDK_TIMER_INTSTATUS:
        return t->st.intstatus;
    case CMSDK_TIMER_PID4_7:
        return cmsdk_timer_id[r->idx];
    case CMSDK_TIMER_PID0_3:
        return cmsdk_timer_id[4 + r->idx];
    case CMSDK_TIMER_CID0_3:
        return cmsdk_timer_id[8 + r->idx];
    }
    return 0;
}

static enum cmsdk_timer_mode run_mode(const struct cmsdk_timer *t)
{
    return t->st.reload == 0 ? CMSDK_TIMER_ONESHOT : CMSDK_TIMER_PERIODIC;
}

static void cmsdk_timer_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct cmsdk_timer *t = to_t(p);
    cycles_t now = periph_now(p);
    uint64_t v;

    sync(t, now);
    switch (r->reg) {
    case CMSDK_TIMER_CTRL:
        val = lanes_merge(t->st.ctrl, r, val);
        if (val & (CMSDK_TIMER_CTRL_SELEXTEN | CMSDK_TIMER_CTRL_SELEXTCLK))
            TRACE(p->tr, TR_UNIMP, "%s: EXTIN (CTRL 0x%x) not modelled", p->name, val);
        t->st.ctrl = val & 0xF;
        if (t->st.ctrl & CMSDK_TIMER_CTRL_EN) {
            if (t->st.mode == CMSDK_TIMER_OFF)
                load(t, now, t->st.value0, run_mode(t));
            else
                t->st.mode = run_mode(t);
        } else if (t->st.mode != CMSDK_TIMER_OFF) {
            load(t, now, current(t, now), CMSDK_TIMER_OFF);
        }
        break;
    case CMSDK_TIMER_RELOAD:
        v = lanes_merge((uint32_t)t->st.reload, r, val) & t->mask;
        t->st.reload = v;
        TRACE(p->tr, TR_ALARM, "%s: RELOAD <- 0x%x", p->name, (uint32_t)v);
        /* also loads VALUE; 0 stops the timer */
        load(t, now, v, v && (t->st.ctrl & CMSDK_TIMER_CTRL_EN) ? CMSDK_TIMER_PERIODIC
                                                                : CMSDK_TIMER_OFF);
        break;
    case CMSDK_TIMER_VALUE:
        v = lanes_merge((uint32_t)current(t, now), r, val) & t->mask;
        TRACE(p->tr, TR_ALARM, "%s: VALUE <- 0x%x", p->name, (uint32_t)v);
        if (t->st.ctrl & CMSDK_TIMER_CTRL_EN)
            load(t, now, v, v || t->st.mode != CMSDK_TIMER_OFF ? run_mode(t) : CMSDK_TIMER_OFF);
        else
            load(t, now, v, CMSDK_TIMER_OFF);
        break;
    case CMSDK_TIMER_INTSTATUS:
        t->st.intstatus &= ~(val & 1);
        update_irq(t);
        return;
    default:
        return;
    }
    schedule(t, now);
}

static void cmsdk_timer_reset(struct periph *p)
{
    struct cmsdk_timer *t = to_t(p);

    evq_cancel(p->q, &t->ev);
    memset(&t->st, 0, sizeof t->st);
    t->mask = timer_props_mask(&t->props);
    counter_init(&t->edges, p->cpu_hz, t->cfg.pclk_hz, 64);
    t->edges.prescale = (uint32_t)t->props.prescaler;
    load(t, periph_now(p), t->props.start_count, CMSDK_TIMER_OFF);
    update_irq(t);
}

static int cmsdk_timer_set_prop(struct periph *p, const char *prop, uint64_t value,
                                struct sim_error *err)
{
    struct cmsdk_timer *t = to_t(p);
    int rc = timer_props_set(&t->props, p, prop, value, err);
    return rc == 1 ? timer_props_unknown(p, prop, "", err) : rc;
}

static int cmsdk_timer_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct cmsdk_timer *t = to_t(p);

    if (cfg)
        t->cfg = *(const struct cmsdk_timer_cfg *)cfg;
    if (t->cfg.pclk_hz == 0)
        t->cfg.pclk_hz = p->cpu_hz;
    timer_props_init(&t->props, cmsdk_timer_widths, ARRAY_LEN(cmsdk_timer_widths), 32, 1, 1,
                     UINT32_MAX, "an extra divider on PCLK");
    if (timer_props_cfg_width(&t->props, p, t->cfg.width_bits, err))
        return -1;
    snprintf(t->ev_name, sizeof t->ev_name, "%s.zero", p->name);
    evq_event_init(&t->ev, t->ev_name, fire, t, 0);
    return 0;
}

#define CMSDK_TIMER_SNAP_VERSION 1

static void cmsdk_timer_save(struct periph *p, struct snap_writer *w)
{
    struct cmsdk_timer *t = to_t(p);
    snap_begin(w, p->name, CMSDK_TIMER_SNAP_VERSION);
    timer_props_save(&t->props, w);
    snap_u32(w, "ctrl", t->st.ctrl);
    snap_u32(w, "intstatus", t->st.intstatus);
    snap_u64(w, "reload", t->st.reload);
    snap_u32(w, "mode", (uint32_t)t->st.mode);
    snap_u64(w, "value0", t->st.value0);
    snap_counter(w, "edges", &t->edges);
    snap_event(w, "ev", &t->ev);
    snap_end(w);
}

static int cmsdk_timer_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct cmsdk_timer *t = to_t(p);
    uint32_t mode;

    if (snap_open(r, p->name, CMSDK_TIMER_SNAP_VERSION, err) < 0)
        return -1;
    timer_props_load(&t->props, r);
    t->st.ctrl = snap_get_u32(r, "ctrl");
    t->st.intstatus = snap_get_u32(r, "intstatus");
    t->st.reload = snap_get_u64(r, "reload");
    mode = snap_get_u32(r, "mode");
    if (mode != CMSDK_TIMER_OFF && mode != CMSDK_TIMER_ONESHOT && mode != CMSDK_TIMER_PERIODIC)
        return snap_fail(r, "mode", "%u is not a timer mode", mode);
    t->st.mode = (enum cmsdk_timer_mode)mode;
    t->st.value0 = snap_get_u64(r, "value0");
    snap_get_counter(r, "edges", &t->edges);
    snap_get_event(r, "ev", p->q, &t->ev);
    t->mask = timer_props_mask(&t->props);
    return snap_close(r);
}

static const struct periph_ops cmsdk_timer_ops = {
    .read = cmsdk_timer_read,
    .write = cmsdk_timer_write,
    .reset = cmsdk_timer_reset,
    .set_prop = cmsdk_timer_set_prop,
    .save = cmsdk_timer_save,
    .load = cmsdk_timer_load,
};

const struct periph_model cmsdk_timer_model = {
    .kind = "cmsdk-apb-timer",
    .regs = cmsdk_timer_regs,
    .nregs = CMSDK_TIMER_NREGS,
    .size = 0x1000,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct cmsdk_timer),
    .create = cmsdk_timer_create,
    .ops = &cmsdk_timer_ops,
};
