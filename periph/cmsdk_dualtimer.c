#include "cmsdk_dualtimer.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "lanes.h"

static const struct reg_desc dt_regs[DT_NREGS] = {
    [DT_LOAD]     = { "TIMER1LOAD",    0x00, REG_RW, 0, 0 },
    [DT_VALUE]    = { "TIMER1VALUE",   0x04, REG_RO, 0, 0 },
    [DT_CONTROL]  = { "TIMER1CONTROL", 0x08, REG_RW, 0, 0 },
    [DT_INTCLR]   = { "TIMER1INTCLR",  0x0C, REG_WO, 0, 0 },
    [DT_RIS]      = { "TIMER1RIS",     0x10, REG_RO, 0, 0 },
    [DT_MIS]      = { "TIMER1MIS",     0x14, REG_RO, 0, 0 },
    [DT_BGLOAD]   = { "TIMER1BGLOAD",  0x18, REG_RW, 0, 0 },
    [DT_LOAD2]    = { "TIMER2LOAD",    0x20, REG_RW, 0, 0 },
    [DT_VALUE2]   = { "TIMER2VALUE",   0x24, REG_RO, 0, 0 },
    [DT_CONTROL2] = { "TIMER2CONTROL", 0x28, REG_RW, 0, 0 },
    [DT_INTCLR2]  = { "TIMER2INTCLR",  0x2C, REG_WO, 0, 0 },
    [DT_RIS2]     = { "TIMER2RIS",     0x30, REG_RO, 0, 0 },
    [DT_MIS2]     = { "TIMER2MIS",     0x34, REG_RO, 0, 0 },
    [DT_BGLOAD2]  = { "TIMER2BGLOAD",  0x38, REG_RW, 0, 0 },
    [DT_ITCR]     = { "TIMERITCR",     0xF00, REG_RW, 0, 0 },
    [DT_ITOP]     = { "TIMERITOP",     0xF04, REG_WO, 0, 0 },
    [DT_PID4_7]   = { "PID4_7",        0xFD0, REG_RO, 4, 4 },
    [DT_PID0_3]   = { "PID0_3",        0xFE0, REG_RO, 4, 4 },
    [DT_CID0_3]   = { "CID0_3",        0xFF0, REG_RO, 4, 4 },
};

static const uint8_t dt_id[12] = {
    0x04, 0x00, 0x00, 0x00, 0x23, 0xB8, 0x1B, 0x00, 0x0D, 0xF0, 0x05, 0xB1,
};

static const unsigned dt_widths[] = { 32 };

static struct cmsdk_dualtimer *to_dt(struct periph *p)
{
    return container_of(p, struct cmsdk_dualtimer, dev);
}

static uint64_t size_mask(const struct cmsdk_dt_mod *m)
{
    return (m->st.control & DT_CTRL_SIZE32) ? 0xFFFFFFFFu : 0xFFFFu;
}

static uint64_t limit(const struct cmsdk_dt_mod *m)
{
    return (m->st.control & DT_CTRL_PERIODIC) ? (m->st.load & size_mask(m)) : size_mask(m);
}

static bool stops_at_zero(const struct cmsdk_dt_mod *m)
{
    return (m->st.control & DT_CTRL_ONESHOT) || limit(m) == 0;
}

static uint32_t divisor(uint32_t control)
{
    static const uint32_t d[4] = { 1, 16, 256, 256 };
    return d[DT_CTRL_PRESCALE(control)];
}

static uint64_t value_at(const struct cmsdk_dt_mod *m, uint64_t e)
{
    uint64_t d = m->st.count0, l = limit(m);

    if (e <= d)
        return d - e;
    if (stops_at_zero(m))
        return 0;
    return l - (e - d - 1) % (l + 1);
}

/* First count > a at which the counter goes 1 -> 0 (UINT64_MAX: none). */
static uint64_t next_zero_after(const struct cmsdk_dt_mod *m, uint64_t a)
{
    uint64_t d = m->st.count0, period;

    if (d > a)
        return d;
    if (stops_at_zero(m))
        return UINT64_MAX;
    period = limit(m) + 1;
    return d + ((a - d) / period + 1) * period;
}

static uint64_t current(const struct cmsdk_dt_mod *m, cycles_t now)
{
    if (!m->st.on)
        return m->st.count0;
    return value_at(m, counter_value(&m->edges, now));
}

/* Folds reaching 0 into RIS, and stops a counter that stops there. */
static void sync(struct cmsdk_dt_mod *m, cycles_t now)
{
    uint64_t e;

    if (!m->st.on)
        return;
    e = counter_value(&m->edges, now);
    if (next_zero_after(m, m->st.synced) <= e)
        m->st.intstatus = true;
    m->st.synced = e;
    if (stops_at_zero(m) && e >= m->st.count0) {
        m->st.on = false;
        m->st.count0 = 0;
        counter_stop(&m->edges, now);
    }
}

static void update_irq(struct cmsdk_dualtimer *t)
{
    bool i1, i2;

    if (t->itcr) {
        i1 = t->itop & 1;
        i2 = t->itop & 2;
    } else {
        i1 = t->mod[0].st.intstatus && (t->mod[0].st.control & DT_CTRL_INTEN);
        i2 = t->mod[1].st.intstatus && (t->mod[1].st.control & DT_CTRL_INTEN);
    }
    irq_set(&t->dev.irq[1], i1);
    irq_set(&t->dev.irq[2], i2);
    irq_set(&t->dev.irq[0], i1 || i2);
}

static void schedule(struct cmsdk_dt_mod *m, cycles_t now)
{
    uint64_t z;

    evq_cancel(m->parent->dev.q, &m->ev);
    if (!m->st.on || !(m->st.control & DT_CTRL_INTEN))
        return;
    z = next_zero_after(m, counter_value(&m->edges, now));
    if (z != UINT64_MAX)
        evq_at(m->parent->dev.q, &m->ev, counter_cycle_of(&m->edges, now, z));
}

/* The count restarts from `count` now with the current CONTROL. */
static void rebase(struct cmsdk_dt_mod *m, cycles_t now, uint64_t count)
{
    counter_stop(&m->edges, now);
    m->edges.prescale = divisor(m->st.control) * (uint32_t)m->parent->props.prescaler;
    m->st.count0 = count & size_mask(m);
    m->st.synced = 0;
    counter_set_value(&m->edges, now, 0);
    m->st.on = (m->st.control & DT_CTRL_ENABLE) && !(stops_at_zero(m) && m->st.count0 == 0);
    if (m->st.on)
        counter_start(&m->edges, now);
    schedule(m, now);
}

static void fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct cmsdk_dt_mod *m = ctx;
    (void)ev;
    (void)late;
    sync(m, now);
    TRACE(m->parent->dev.tr, TR_ALARM, "%s: TIMER%u reached 0", m->parent->dev.name, m->n + 1);
    update_irq(m->parent);
    schedule(m, now);
}

static void write_control(struct cmsdk_dt_mod *m, cycles_t now, uint32_t val)
{
    uint32_t old = m->st.control;
    uint64_t cur = current(m, now);

    val &= 0xEF;
    if (DT_CTRL_PRESCALE(val) == 3 && DT_CTRL_PRESCALE(old) != 3)
        TRACE(m->parent->dev.tr, TR_GUEST_ERR, "%s: TIMER%uCONTROL.PRESCALE = 3 is undefined "
              "(taken as /256)", m->parent->dev.name, m->n + 1);
    if ((old ^ val) & DT_CTRL_SIZE32) {
        if (val & DT_CTRL_SIZE32) {
            cur = ((uint64_t)m->st.value_hi << 16) | (cur & 0xFFFF);
        } else {
            m->st.value_hi = (uint32_t)(cur >> 16);
            cur &= 0xFFFF;
        }
    }
    m->st.control = val;
    rebase(m, now, cur);
}

static uint32_t dt_read(struct periph *p, const struct reg_ref *r)
{
    struct cmsdk_dualtimer *t = to_dt(p);
    cycles_t now = periph_now(p);
    struct cmsdk_dt_mod *m;
    unsigned reg = r->reg;

    switch (reg) {
    case DT_ITCR:
        return t->itcr;
    case DT_PID4_7:
        return dt_id[r->idx];
    case DT_PID0_3:
        return dt_id[4 + r->idx];
    case DT_CID0_3:
        return dt_id[8 + r->idx];
    }
    if (reg > DT_BGLOAD2)
        return 0;
    m = &t->mod[reg >= DT_LOAD2];
    if (reg >= DT_LOAD2)
        reg -= DT_LOAD2;
    sync(m, now);
    switch (reg) {
    case DT_LOAD:
    case DT_BGLOAD:
        return m->st.load;
    case DT_VALUE:
        if (m->st.control & DT_CTRL_SIZE32)
            return (uint32_t)current(m, now);
        return (m->st.value_hi << 16) | (uint32_t)current(m, now);
    case DT_CONTROL:
        return m->st.control;
    case DT_RIS:
        return m->st.intstatus;
    case DT_MIS:
        return m->st.intstatus && (m->st.control & DT_CTRL_INTEN);
    }
    return 0;
}

static void dt_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct cmsdk_dualtimer *t = to_dt(p);
    cycles_t now = periph_now(p);
    struct cmsdk_dt_mod *m;
    unsigned reg = r->reg;
    uint64_t cur;

    switch (reg) {
    case DT_ITCR:
        t->itcr = val & 1;
        update_irq(t);
        return;
    case DT_ITOP:
        t->itop = val & 3;
        update_irq(t);
        return;
    }
    if (reg > DT_BGLOAD2)
        return;
    m = &t->mod[reg >= DT_LOAD2];
    if (reg >= DT_LOAD2)
        reg -= DT_LOAD2;
    sync(m, now);
    switch (reg) {
    case DT_LOAD:
        TRACE(p->tr, TR_ALARM, "%s: TIMER%u LOAD <- 0x%x", p->name, m->n + 1, val);
        m->st.load = val;
        m->st.value_hi = val >> 16;
        rebase(m, now, val);
        break;
    case DT_BGLOAD:
        cur = current(m, now);
        m->st.load = val;
        rebase(m, now, cur);
        break;
    case DT_CONTROL:
        write_control(m, now, lanes_merge(m->st.control, r, val));
        break;
    case DT_INTCLR:
        m->st.intstatus = false;
        break;
    default:
        return;
    }
    update_irq(t);
}

static void dt_reset(struct periph *p)
{
    struct cmsdk_dualtimer *t = to_dt(p);

    for (unsigned i = 0; i < 2; i++) {
        struct cmsdk_dt_mod *m = &t->mod[i];
        evq_cancel(p->q, &m->ev);
        memset(&m->st, 0, sizeof m->st);
        m->st.control = DT_CTRL_INTEN;
        m->st.value_hi = (uint32_t)(t->props.start_count >> 16);
        counter_init(&m->edges, p->cpu_hz, t->cfg.timclk_hz, 64);
        rebase(m, periph_now(p), t->props.start_count);
    }
    t->itcr = t->itop = 0;
    update_irq(t);
}

static int dt_set_prop(struct periph *p, const char *prop, uint64_t value, struct sim_error *err)
{
    struct cmsdk_dualtimer *t = to_dt(p);
    int rc = timer_props_set(&t->props, p, prop, value, err);
    return rc == 1 ? timer_props_unknown(p, prop, "", err) : rc;
}

static int dt_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct cmsdk_dualtimer *t = to_dt(p);
    (void)err;

    if (cfg)
        t->cfg = *(const struct cmsdk_dualtimer_cfg *)cfg;
    if (t->cfg.timclk_hz == 0)
        t->cfg.timclk_hz = p->cpu_hz;
    timer_props_init(&t->props, dt_widths, ARRAY_LEN(dt_widths), 32, 1, 1, 0xFFFFFF,
                     "an extra divider on TIMCLK");
    t->props.start_count = 0xFFFFFFFF;
    for (unsigned i = 0; i < 2; i++) {
        struct cmsdk_dt_mod *m = &t->mod[i];
        m->parent = t;
        m->n = i;
        snprintf(m->name, sizeof m->name, "%s.timer%u", p->name, i + 1);
        evq_event_init(&m->ev, m->name, fire, m, (uint8_t)i);
    }
    return 0;
}

#define DT_SNAP_VERSION 1

static void dt_save(struct periph *p, struct snap_writer *w)
{
    struct cmsdk_dualtimer *t = to_dt(p);
    snap_begin(w, p->name, DT_SNAP_VERSION);
    timer_props_save(&t->props, w);
    for (unsigned i = 0; i < 2; i++) {
        struct cmsdk_dt_mod *m = &t->mod[i];
        snap_u32(w, "control", m->st.control);
        snap_u32(w, "load", m->st.load);
        snap_u32(w, "value_hi", m->st.value_hi);
        snap_bool(w, "intstatus", m->st.intstatus);
        snap_bool(w, "on", m->st.on);
        snap_u64(w, "count0", m->st.count0);
        snap_u64(w, "synced", m->st.synced);
        snap_counter(w, "edges", &m->edges);
        snap_event(w, "ev", &m->ev);
    }
    snap_u32(w, "itcr", t->itcr);
    snap_u32(w, "itop", t->itop);
    snap_end(w);
}

static int dt_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct cmsdk_dualtimer *t = to_dt(p);

    if (snap_open(r, p->name, DT_SNAP_VERSION, err) < 0)
        return -1;
    timer_props_load(&t->props, r);
    for (unsigned i = 0; i < 2; i++) {
        struct cmsdk_dt_mod *m = &t->mod[i];
        m->st.control = snap_get_u32(r, "control");
        m->st.load = snap_get_u32(r, "load");
        m->st.value_hi = snap_get_u32(r, "value_hi");
        m->st.intstatus = snap_get_bool(r, "intstatus");
        m->st.on = snap_get_bool(r, "on");
        m->st.count0 = snap_get_u64(r, "count0");
        m->st.synced = snap_get_u64(r, "synced");
        snap_get_counter(r, "edges", &m->edges);
        snap_get_event(r, "ev", p->q, &m->ev);
    }
    t->itcr = snap_get_u32(r, "itcr");
    t->itop = snap_get_u32(r, "itop");
    return snap_close(r);
}

static const struct periph_ops dt_ops = {
    .read = dt_read,
    .write = dt_write,
    .reset = dt_reset,
    .set_prop = dt_set_prop,
    .save = dt_save,
    .load = dt_load,
};

const struct periph_model cmsdk_dualtimer_model = {
    .kind = "cmsdk-apb-dualtimer",
    .regs = dt_regs,
    .nregs = DT_NREGS,
    .size = 0x1000,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct cmsdk_dualtimer),
    .create = dt_create,
    .ops = &dt_ops,
};
