#include "systick.h"

#include "../sim/snap.h"

#include <string.h>

static const struct reg_desc systick_regs[SYSTICK_NREGS] = {
    [SYSTICK_CSR]   = { "CSR",   0x0, REG_RW, 0, 0 },
    [SYSTICK_RVR]   = { "RVR",   0x4, REG_RW, 0, 0 },
    [SYSTICK_CVR]   = { "CVR",   0x8, REG_RW, 0, 0 },
    [SYSTICK_CALIB] = { "CALIB", 0xC, REG_RO, 0, 0 },
};

static const unsigned systick_widths[] = { 16, 24, 32 };

static struct systick *to_st(struct periph *p)
{
    return container_of(p, struct systick, dev);
}

static bool has_ref(const struct systick *s)
{
    return s->cfg.ref_hz != 0;
}

/* Counter value after `e` edges from the base. */
static uint64_t value_at(const struct systick *s, uint64_t e)
{
    if (e <= s->st.cvr0)
        return s->st.cvr0 - e;
    if (s->st.rvr == 0)
        return 0;
    return s->st.rvr - (e - s->st.cvr0 - 1) % (s->st.rvr + 1);
}

/* First edge count > a at which the counter goes 1 -> 0; UINT64_MAX if none. */
static uint64_t next_zero_after(const struct systick *s, uint64_t a)
{
    uint64_t c = s->st.cvr0, period;

    if (c > a)
        return c;
    if (s->st.rvr == 0)
        return UINT64_MAX;
    period = s->st.rvr + 1;
    return c + ((a - c) / period + 1) * period;
}

static uint64_t current(const struct systick *s, cycles_t now)
{
    if (!s->edges.running)
        return s->st.cvr0;
    return value_at(s, counter_value(&s->edges, now));
}

/* Folds the 1 -> 0 transitions up to now into COUNTFLAG. */
static void sync(struct systick *s, cycles_t now)
{
    uint64_t e;

    if (!s->edges.running)
        return;
    e = counter_value(&s->edges, now);
    if (next_zero_after(s, s->st.synced) <= e)
        s->st.countflag = true;
    s->st.synced = e;
}

static void schedule(struct systick *s, cycles_t now)
{
    uint64_t z;

    evq_cancel(s->dev.q, &s->ev);
    if (!s->edges.running || !(s->st.csr & SYSTICK_CSR_TICKINT))
        return;
    z = next_zero_after(s, counter_value(&s->edges, now));
    if (z == UINT64_MAX)
        return;
    evq_at(s->dev.q, &s->ev, counter_cycle_of(&s->edges, now, z));
}

/* Restarts the edge count from the current value with the current clock
 * selection and ENABLE; everything that changes the count's meaning goes
 * through here (a rebase at the current value is invisible to the guest). */
static void rebase(struct systick *s, cycles_t now, uint64_t value)
{
    counter_stop(&s->edges, now);
    s->edges.tick_hz = (s->st.csr & SYSTICK_CSR_CLKSOURCE) ? s->dev.cpu_hz : s->cfg.ref_hz;
    s->st.cvr0 = value & s->mask;
    s->st.synced = 0;
    counter_set_value(&s->edges, now, 0);
    if (s->st.csr & SYSTICK_CSR_ENABLE)
        counter_start(&s->edges, now);
}

static void tick(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct systick *s = ctx;
    (void)ev;
    (void)late;
    sync(s, now);
    if (s->st.csr & SYSTICK_CSR_TICKINT) {
        irq_raise(&s->dev.irq[0]);
        irq_lower(&s->dev.irq[0]);
    }
    schedule(s, now);
}

static uint32_t calib(const struct systick *s)
{
    uint64_t tenms;

    if (!has_ref(s))
        return SYSTICK_CALIB_NOREF;
    tenms = s->cfg.ref_hz / 100;
    return (uint32_t)((tenms - 1) & 0xFFFFFF) |
           (s->cfg.ref_hz % 100 || tenms - 1 > 0xFFFFFF ? SYSTICK_CALIB_SKEW : 0);
}

static uint32_t systick_read(struct periph *p, const struct reg_ref *r)
{
    struct systick *s = to_st(p);
    cycles_t now = periph_now(p);
    uint32_t v;

    switch (r->reg) {
    case SYSTICK_CSR:
        sync(s, now);
        v = s->st.csr | (s->st.countflag ? SYSTICK_CSR_COUNTFLAG : 0);
        s->st.countflag = false;
        return v;
    case SYSTICK_RVR:
        return (uint32_t)s->st.rvr;
    case SYSTICK_CVR:
        return (uint32_t)current(s, now);
    case SYSTICK_CALIB:
        return calib(s);
    }
    return 0;
}

static void systick_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct systick *s = to_st(p);
    cycles_t now = periph_now(p);
    uint64_t cur;

    sync(s, now);
    cur = current(s, now);
    switch (r->reg) {
    case SYSTICK_CSR:
        if (val & ~(SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE |
                    SYSTICK_CSR_COUNTFLAG))
            TRACE(p->tr, TR_GUEST_ERR, "%s.CSR <- 0x%08x: reserved bits set", p->name, val);
        s->st.csr = val & (SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE);
        if (!has_ref(s))
            s->st.csr |= SYSTICK_CSR_CLKSOURCE;
        rebase(s, now, cur);
        break;
    case SYSTICK_RVR:
        if (val & ~(uint32_t)s->mask)
            TRACE(p->tr, TR_GUEST_ERR, "%s.RVR <- 0x%08x: bits above RELOAD[%u:0] ignored",
                  p->name, val, s->props.width_bits - 1);
        s->st.rvr = val & s->mask;
        rebase(s, now, cur);
        break;
    case SYSTICK_CVR:
        /* any write clears the counter and COUNTFLAG; no tick */
        s->st.countflag = false;
        rebase(s, now, 0);
        break;
    default:
        return;
    }
    schedule(s, now);
}

static void systick_reset(struct periph *p)
{
    struct systick *s = to_st(p);

    evq_cancel(p->q, &s->ev);
    s->mask = timer_props_mask(&s->props);
    counter_init(&s->edges, p->cpu_hz, p->cpu_hz, 64);
    s->edges.prescale = (uint32_t)s->props.prescaler;
    memset(&s->st, 0, sizeof s->st);
    if (!has_ref(s))
        s->st.csr = SYSTICK_CSR_CLKSOURCE;
    rebase(s, periph_now(p), s->props.start_count);
}

static int systick_set_prop(struct periph *p, const char *prop, uint64_t value,
                            struct sim_error *err)
{
    struct systick *s = to_st(p);
    int rc = timer_props_set(&s->props, p, prop, value, err);
    return rc == 1 ? timer_props_unknown(p, prop, "", err) : rc;
}

static int systick_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct systick *s = to_st(p);

    if (cfg)
        s->cfg = *(const struct systick_cfg *)cfg;
    timer_props_init(&s->props, systick_widths, ARRAY_LEN(systick_widths), 24, 1, 1,
                     UINT32_MAX, "an extra divider on the SysTick input clock");
    if (timer_props_cfg_width(&s->props, p, s->cfg.width_bits, err))
        return -1;
    evq_event_init(&s->ev, p->name, tick, s, 0);
    return 0;
}

#define SYSTICK_SNAP_VERSION 1

static void systick_save(struct periph *p, struct snap_writer *w)
{
    struct systick *s = to_st(p);
    snap_begin(w, p->name, SYSTICK_SNAP_VERSION);
    timer_props_save(&s->props, w);
    snap_u32(w, "csr", s->st.csr);
    snap_u64(w, "rvr", s->st.rvr);
    snap_u64(w, "cvr0", s->st.cvr0);
    snap_bool(w, "countflag", s->st.countflag);
    snap_u64(w, "synced", s->st.synced);
    snap_counter(w, "edges", &s->edges);
    snap_event(w, "ev", &s->ev);
    snap_end(w);
}

static int systick_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct systick *s = to_st(p);

    if (snap_open(r, p->name, SYSTICK_SNAP_VERSION, err) < 0)
        return -1;
    timer_props_load(&s->props, r);
    s->st.csr = snap_get_u32(r, "csr");
    s->st.rvr = snap_get_u64(r, "rvr");
    s->st.cvr0 = snap_get_u64(r, "cvr0");
    s->st.countflag = snap_get_bool(r, "countflag");
    s->st.synced = snap_get_u64(r, "synced");
    snap_get_counter(r, "edges", &s->edges);
    snap_get_event(r, "ev", p->q, &s->ev);
    s->mask = timer_props_mask(&s->props);
    return snap_close(r);
}

static const struct periph_ops systick_ops = {
    .read = systick_read,
    .write = systick_write,
    .reset = systick_reset,
    .set_prop = systick_set_prop,
    .save = systick_save,
    .load = systick_load,
};

const struct periph_model systick_model = {
    .kind = "systick",
    .regs = systick_regs,
    .nregs = SYSTICK_NREGS,
    .size = 0x10,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct systick),
    .create = systick_create,
    .ops = &systick_ops,
};
