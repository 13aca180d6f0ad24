#include "clint.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

static const struct reg_desc clint_regs[CLINT_NREGS] = {
    [CLINT_MSIP]        = { "MSIP",        0x0000, REG_RW, 0, 0 },
    [CLINT_MTIMECMP_LO] = { "MTIMECMP_LO", 0x4000, REG_RW, 0, 0 },
    [CLINT_MTIMECMP_HI] = { "MTIMECMP_HI", 0x4004, REG_RW, 0, 0 },
    [CLINT_MTIME_LO]    = { "MTIME_LO",    0xBFF8, REG_RW, 0, 0 },
    [CLINT_MTIME_HI]    = { "MTIME_HI",    0xBFFC, REG_RW, 0, 0 },
};

static const unsigned clint_widths[] = { 16, 24, 32, 64 };

static struct clint *to_clint(struct periph *p)
{
    return container_of(p, struct clint, dev);
}

uint64_t clint_mtime(struct periph *p)
{
    return counter_value(&to_clint(p)->mtime, periph_now(p));
}

/* Sets MTIP from mtime and mtimecmp and schedules its next change. */
static void update(struct clint *c, cycles_t now)
{
    uint64_t t = counter_value(&c->mtime, now);
    bool level = c->st.armed && t >= c->st.mtimecmp;
    cycles_t when = CYCLES_NEVER;

    irq_set(&c->dev.irq[CLINT_IRQ_MTIP], level);
    evq_cancel(c->dev.q, &c->ev);
    if (!c->st.armed)
        return;
    if (!level) {
        if (c->st.mtimecmp <= c->mtime.mask)
            when = counter_cycle_of(&c->mtime, now, c->st.mtimecmp);
    } else if (c->st.mtimecmp > 0) {
        when = counter_cycle_of_wrap(&c->mtime, now);      /* mtime < mtimecmp again */
    }
    if (when != CYCLES_NEVER)
        evq_at(c->dev.q, &c->ev, when);
}

static void timer_ev(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct clint *c = ctx;
    (void)ev;
    (void)late;
    update(c, now);
    TRACE(c->dev.tr, TR_ALARM, "%s: MTIP %u at mtime 0x%llx", c->dev.name,
          c->dev.irq[CLINT_IRQ_MTIP].level, (unsigned long long)clint_mtime(&c->dev));
}

static uint32_t clint_read(struct periph *p, const struct reg_ref *r)
{
    struct clint *c = to_clint(p);

    switch (r->reg) {
    case CLINT_MSIP:
        return c->st.msip;
    case CLINT_MTIMECMP_LO:
        return (uint32_t)c->st.mtimecmp;
    case CLINT_MTIMECMP_HI:
        return (uint32_t)(c->st.mtimecmp >> 32);
    case CLINT_MTIME_LO:
        return (uint32_t)clint_mtime(p);
    case CLINT_MTIME_HI:
        return (uint32_t)(clint_mtime(p) >> 32);
    }
    return 0;
}

static void clint_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct clint *c = to_clint(p);
    cycles_t now = periph_now(p);
    uint64_t t;

    switch (r->reg) {
    case CLINT_MSIP:
        c->st.msip = val & 1;
        irq_set(&p->irq[CLINT_IRQ_MSIP], c->st.msip != 0);
        return;
    case CLINT_MTIMECMP_LO:
        c->st.mtimecmp = (c->st.mtimecmp & ~0xFFFFFFFFull) | val;
        TRACE(p->tr, TR_ALARM, "%s: MTIMECMP <- 0x%llx", p->name,
              (unsigned long long)c->st.mtimecmp);
        break;
    case CLINT_MTIMECMP_HI:
        c->st.mtimecmp = (c->st.mtimecmp & 0xFFFFFFFFull) | ((uint64_t)val << 32);
        TRACE(p->tr, TR_ALARM, "%s: MTIMECMP <- 0x%llx", p->name,
              (unsigned long long)c->st.mtimecmp);
        break;
    case CLINT_MTIME_LO:
        t = counter_value(&c->mtime, now);
        counter_set_value(&c->mtime, now, (t & ~0xFFFFFFFFull) | val);
        break;
    case CLINT_MTIME_HI:
        t = counter_value(&c->mtime, now);
        counter_set_value(&c->mtime, now, (t & 0xFFFFFFFFull) | ((uint64_t)val << 32));
        break;
    default:
        return;
    }
    c->st.armed = true;
    update(c, now);
}

static void clint_reset(struct periph *p)
{
    struct clint *c = to_clint(p);
    cycles_t now = periph_now(p);

    evq_cancel(p->q, &c->ev);
    memset(&c->st, 0, sizeof c->st);
    counter_init(&c->mtime, p->cpu_hz, c->cfg.timebase_hz, c->props.width_bits);
    c->mtime.prescale = (uint32_t)c->props.prescaler;
    counter_set_value(&c->mtime, now, c->props.start_count);
    counter_start(&c->mtime, now);
    irq_set(&p->irq[CLINT_IRQ_MSIP], false);
    update(c, now);
}

static int clint_set_prop(struct periph *p, const char *prop, uint64_t value,
                          struct sim_error *err)
{
    struct clint *c = to_clint(p);
    int rc = timer_props_set(&c->props, p, prop, value, err);
    return rc == 1 ? timer_props_unknown(p, prop, "", err) : rc;
}

static int clint_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct clint *c = to_clint(p);

    if (cfg)
        c->cfg = *(const struct clint_cfg *)cfg;
    if (c->cfg.timebase_hz == 0)
        c->cfg.timebase_hz = 10000000;
    timer_props_init(&c->props, clint_widths, ARRAY_LEN(clint_widths), 64, 1, 1, UINT32_MAX,
                     "an extra divider on the mtime timebase");
    if (timer_props_cfg_width(&c->props, p, c->cfg.width_bits, err))
        return -1;
    snprintf(c->ev_name, sizeof c->ev_name, "%s.mtip", p->name);
    evq_event_init(&c->ev, c->ev_name, timer_ev, c, 0);
    return 0;
}

#define CLINT_SNAP_VERSION 1

static void clint_save(struct periph *p, struct snap_writer *w)
{
    struct clint *c = to_clint(p);
    snap_begin(w, p->name, CLINT_SNAP_VERSION);
    timer_props_save(&c->props, w);
    snap_u32(w, "msip", c->st.msip);
    snap_u64(w, "mtimecmp", c->st.mtimecmp);
    snap_bool(w, "armed", c->st.armed);
    snap_counter(w, "mtime", &c->mtime);
    snap_event(w, "ev", &c->ev);
    snap_end(w);
}

static int clint_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct clint *c = to_clint(p);

    if (snap_open(r, p->name, CLINT_SNAP_VERSION, err) < 0)
        return -1;
    timer_props_load(&c->props, r);
    c->st.msip = snap_get_u32(r, "msip");
    c->st.mtimecmp = snap_get_u64(r, "mtimecmp");
    c->st.armed = snap_get_bool(r, "armed");
    snap_get_counter(r, "mtime", &c->mtime);
    snap_get_event(r, "ev", p->q, &c->ev);
    return snap_close(r);
}

static const struct periph_ops clint_ops = {
    .read = clint_read,
    .write = clint_write,
    .reset = clint_reset,
    .set_prop = clint_set_prop,
    .save = clint_save,
    .load = clint_load,
};

const struct periph_model clint_model = {
    .kind = "clint",
    .regs = clint_regs,
    .nregs = CLINT_NREGS,
    .size = 0x10000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct clint),
    .create = clint_create,
    .ops = &clint_ops,
};
