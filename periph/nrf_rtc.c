#include "nrf_rtc.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "../sim/sclock.h"

static const struct reg_desc nrf_rtc_regs[NRF_RTC_NREGS] = {
    [NRF_RTC_TASKS_START]      = { "TASKS_START",      0x000, REG_WO, 0, 0 },
    [NRF_RTC_TASKS_STOP]       = { "TASKS_STOP",       0x004, REG_WO, 0, 0 },
    [NRF_RTC_TASKS_CLEAR]      = { "TASKS_CLEAR",      0x008, REG_WO, 0, 0 },
    [NRF_RTC_TASKS_TRIGOVRFLW] = { "TASKS_TRIGOVRFLW", 0x00C, REG_WO, 0, 0 },
    [NRF_RTC_EVENTS_TICK]      = { "EVENTS_TICK",      0x100, REG_RW, 0, 0 },
    [NRF_RTC_EVENTS_OVRFLW]    = { "EVENTS_OVRFLW",    0x104, REG_RW, 0, 0 },
    [NRF_RTC_EVENTS_COMPARE]   = { "EVENTS_COMPARE",   0x140, REG_RW, NRF_RTC_MAX_CC, 4 },
    [NRF_RTC_INTENSET]         = { "INTENSET",         0x304, REG_RW, 0, 0 },
    [NRF_RTC_INTENCLR]         = { "INTENCLR",         0x308, REG_RW, 0, 0 },
    [NRF_RTC_EVTEN]            = { "EVTEN",            0x340, REG_RW, 0, 0 },
    [NRF_RTC_EVTENSET]         = { "EVTENSET",         0x344, REG_RW, 0, 0 },
    [NRF_RTC_EVTENCLR]         = { "EVTENCLR",         0x348, REG_RW, 0, 0 },
    [NRF_RTC_COUNTER]          = { "COUNTER",          0x504, REG_RO, 0, 0 },
    [NRF_RTC_PRESCALER]        = { "PRESCALER",        0x508, REG_RW, 0, 0 },
    [NRF_RTC_CC]               = { "CC",               0x540, REG_RW, NRF_RTC_MAX_CC, 4 },
};

static const unsigned nrf_rtc_widths[] = { 16, 24, 32 };

static struct nrf_rtc *to_rtc(struct periph *p)
{
    return container_of(p, struct nrf_rtc, dev);
}

static uint32_t src_bit(unsigned n)
{
    return n == NRF_RTC_SRC_TICK ? NRF_RTC_TICK :
           n == NRF_RTC_SRC_OVRFLW ? NRF_RTC_OVRFLW : NRF_RTC_COMPARE(n - NRF_RTC_SRC_CC0);
}

/* LFCLK edges since reset. */
static uint64_t raw_at(const struct nrf_rtc *r, cycles_t now)
{
    return sclock_ticks_at(now, r->dev.cpu_hz, r->cfg.lfclk_hz);
}

/* Increments since the base. */
static uint64_t steps_at(const struct nrf_rtc *r, cycles_t now)
{
    return (raw_at(r, now) - r->st.base_raw) / r->st.presc;
}

static uint64_t value_at(const struct nrf_rtc *r, cycles_t now)
{
    if (!r->st.running)
        return r->st.base_value;
    return (r->st.base_value + steps_at(r, now)) & r->mask;
}

/* Cycle of the increment number `step` after the base. */
static cycles_t step_cycle(const struct nrf_rtc *r, uint64_t step)
{
    return sclock_cycle_of_tick(r->st.base_raw + step * r->st.presc, r->dev.cpu_hz,
                                r->cfg.lfclk_hz);
}

/* Cycle of the next increment that brings COUNTER to `v` (a full period
 * away if COUNTER is already `v`). */
static cycles_t cycle_of_value(const struct nrf_rtc *r, cycles_t now, uint64_t v)
{
    uint64_t s = steps_at(r, now), cur = (r->st.base_value + s) & r->mask;
    uint64_t dist = (v - cur) & r->mask;
    if (dist == 0)
        dist = r->mask + 1;
    return step_cycle(r, s + dist);
}

static void update_irq(struct nrf_rtc *r)
{
    irq_set(&r->dev.irq[0], (r->st.events & r->st.inten) != 0);
}

static void schedule(struct nrf_rtc *r, unsigned n, cycles_t now)
{
    struct nrf_rtc_src *s = &r->src[n];
    uint32_t bit = src_bit(n);
    cycles_t when;

    evq_cancel(r->dev.q, &s->ev);
    if (!r->st.running || !((r->st.inten | r->st.evten) & bit & r->valid))
        return;
    if (n == NRF_RTC_SRC_TICK) {
        when = step_cycle(r, steps_at(r, now) + 1);
    } else if (n == NRF_RTC_SRC_OVRFLW) {
        when = cycle_of_value(r, now, 0);
    } else {
        unsigned i = n - NRF_RTC_SRC_CC0;
        when = cycle_of_value(r, now, r->st.cc[i]);
        if (when == r->st.cc_blind[i])
            when = cycle_of_value(r, when, r->st.cc[i]);
    }
    evq_at(r->dev.q, &s->ev, when);
}

static void schedule_all(struct nrf_rtc *r, cycles_t now)
{
    for (unsigned n = 0; n < NRF_RTC_NSRC; n++)
        schedule(r, n, now);
}

static void fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct nrf_rtc_src *s = ctx;
    struct nrf_rtc *r = s->rtc;
    uint32_t bit = src_bit(s->n);
    (void)ev;
    (void)late;

    r->st.events |= bit;
    if (s->n >= NRF_RTC_SRC_CC0)
        TRACE(r->dev.tr, TR_ALARM, "%s: COMPARE[%u] at COUNTER 0x%06llx", r->dev.name,
              s->n - NRF_RTC_SRC_CC0, (unsigned long long)value_at(r, now));
    update_irq(r);
    schedule(r, s->n, now);
}

uint32_t nrf_rtc_counter(struct periph *p)
{
    struct nrf_rtc *r = to_rtc(p);
    return (uint32_t)value_at(r, periph_now(p));
}

/* Sets COUNTER to `v` and restarts the prescaler with the PRESCALER register. */
static void restart(struct nrf_rtc *r, cycles_t now, uint64_t v)
{
    r->st.presc = r->st.prescaler + 1;
    r->st.base_raw = raw_at(r, now);
    r->st.base_value = v & r->mask;
}

static uint32_t nrf_rtc_read(struct periph *p, const struct reg_ref *ref)
{
    struct nrf_rtc *r = to_rtc(p);

    switch (ref->reg) {
    case NRF_RTC_EVENTS_TICK:
        return (r->st.events & NRF_RTC_TICK) ? 1 : 0;
    case NRF_RTC_EVENTS_OVRFLW:
        return (r->st.events & NRF_RTC_OVRFLW) ? 1 : 0;
    case NRF_RTC_EVENTS_COMPARE:
        return (r->st.events & NRF_RTC_COMPARE(ref->idx)) ? 1 : 0;
    case NRF_RTC_INTENSET:
    case NRF_RTC_INTENCLR:
        return r->st.inten;
    case NRF_RTC_EVTEN:
    case NRF_RTC_EVTENSET:
    case NRF_RTC_EVTENCLR:
        return r->st.evten;
    case NRF_RTC_COUNTER:
        return (uint32_t)value_at(r, periph_now(p));
    case NRF_RTC_PRESCALER:
        return r->st.prescaler;
    case NRF_RTC_CC:
        return ref->idx < r->cfg.n_cc ? r->st.cc[ref->idx] : 0;
    }
    return 0;
}

static void nrf_rtc_write(struct periph *p, const struct reg_ref *ref, uint32_t val)
{
    struct nrf_rtc *r = to_rtc(p);
    cycles_t now = periph_now(p);

    switch (ref->reg) {
    case NRF_RTC_TASKS_START:
        if (!(val & 1) || r->st.running)
            return;
        restart(r, now, r->st.base_value);
        r->st.running = true;
        break;
    case NRF_RTC_TASKS_STOP:
        if (!(val & 1) || !r->st.running)
            return;
        r->st.base_value = value_at(r, now);
        r->st.running = false;
        break;
    case NRF_RTC_TASKS_CLEAR:
        if (!(val & 1))
            return;
        restart(r, now, 0);
        break;
    case NRF_RTC_TASKS_TRIGOVRFLW:
        if (!(val & 1))
            return;
        restart(r, now, r->mask - 15);
        break;
    case NRF_RTC_EVENTS_TICK:
    case NRF_RTC_EVENTS_OVRFLW:
    case NRF_RTC_EVENTS_COMPARE: {
        uint32_t bit = ref->reg == NRF_RTC_EVENTS_TICK ? NRF_RTC_TICK :
                       ref->reg == NRF_RTC_EVENTS_OVRFLW ? NRF_RTC_OVRFLW :
                       NRF_RTC_COMPARE(ref->idx);
        if (!(bit & r->valid))
            return;
        if (val & 1)
            r->st.events |= bit;
        else
            r->st.events &= ~bit;
        update_irq(r);
        return;
    }
    case NRF_RTC_INTENSET:
        r->st.inten |= val & r->valid;
        break;
    case NRF_RTC_INTENCLR:
        r->st.inten &= ~val;
        break;
    case NRF_RTC_EVTEN:
        r->st.evten = val & r->valid;
        break;
    case NRF_RTC_EVTENSET:
        r->st.evten |= val & r->valid;
        break;
    case NRF_RTC_EVTENCLR:
        r->st.evten &= ~val;
        break;
    case NRF_RTC_PRESCALER:
        if (r->st.running) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.PRESCALER <- 0x%x while running: ignored",
                  p->name, val);
            return;
        }
        r->st.prescaler = val & 0xFFF;
        return;
    case NRF_RTC_CC:
        if (ref->idx >= r->cfg.n_cc) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.CC[%u]: only %u compare registers", p->name,
                  ref->idx, r->cfg.n_cc);
            return;
        }
        r->st.cc[ref->idx] = val & (uint32_t)r->mask;
        TRACE(p->tr, TR_ALARM, "%s: CC[%u] <- 0x%06x", p->name, ref->idx, r->st.cc[ref->idx]);
        /* the write reaches the LFCLK domain too late for the next increment */
        r->st.cc_blind[ref->idx] = r->st.running ? step_cycle(r, steps_at(r, now) + 1)
                                                 : CYCLES_NEVER;
        schedule(r, NRF_RTC_SRC_CC0 + ref->idx, now);
        return;
    default:
        return;
    }
    update_irq(r);
    schedule_all(r, now);
}

static void nrf_rtc_reset(struct periph *p)
{
    struct nrf_rtc *r = to_rtc(p);

    for (unsigned n = 0; n < NRF_RTC_NSRC; n++)
        evq_cancel(p->q, &r->src[n].ev);
    memset(&r->st, 0, sizeof r->st);
    r->mask = timer_props_mask(&r->props);
    r->st.prescaler = (uint32_t)r->props.prescaler;
    r->st.presc = r->st.prescaler + 1;
    r->st.base_value = r->props.start_count & r->mask;
    for (unsigned i = 0; i < NRF_RTC_MAX_CC; i++)
        r->st.cc_blind[i] = CYCLES_NEVER;
    update_irq(r);
}

static int nrf_rtc_set_prop(struct periph *p, const char *prop, uint64_t value,
                            struct sim_error *err)
{
    struct nrf_rtc *r = to_rtc(p);
    int rc = timer_props_set(&r->props, p, prop, value, err);
    return rc == 1 ? timer_props_unknown(p, prop, "", err) : rc;
}

static int nrf_rtc_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nrf_rtc *r = to_rtc(p);

    if (cfg)
        r->cfg = *(const struct nrf_rtc_cfg *)cfg;
    if (r->cfg.n_cc == 0)
        r->cfg.n_cc = NRF_RTC_MAX_CC;
    if (r->cfg.n_cc > NRF_RTC_MAX_CC)
        return sim_errorf(err, "%s: n_cc: found %u, expected 1..%u", p->name, r->cfg.n_cc,
                          NRF_RTC_MAX_CC);
    if (r->cfg.lfclk_hz == 0)
        r->cfg.lfclk_hz = 32768;
    timer_props_init(&r->props, nrf_rtc_widths, ARRAY_LEN(nrf_rtc_widths), 24, 0, 0, 0xFFF,
                     "the PRESCALER register at reset");
    if (timer_props_cfg_width(&r->props, p, r->cfg.width_bits, err))
        return -1;
    r->valid = NRF_RTC_TICK | NRF_RTC_OVRFLW;
    for (unsigned i = 0; i < r->cfg.n_cc; i++)
        r->valid |= NRF_RTC_COMPARE(i);
    for (unsigned n = 0; n < NRF_RTC_NSRC; n++) {
        struct nrf_rtc_src *s = &r->src[n];
        s->rtc = r;
        s->n = n;
        if (n == NRF_RTC_SRC_TICK)
            snprintf(s->name, sizeof s->name, "%s.tick", p->name);
        else if (n == NRF_RTC_SRC_OVRFLW)
            snprintf(s->name, sizeof s->name, "%s.ovrflw", p->name);
        else
            snprintf(s->name, sizeof s->name, "%s.cc%u", p->name, n - NRF_RTC_SRC_CC0);
        evq_event_init(&s->ev, s->name, fire, s, (uint8_t)n);
    }
    return 0;
}

#define NRF_RTC_SNAP_VERSION 1

static void nrf_rtc_save(struct periph *p, struct snap_writer *w)
{
    struct nrf_rtc *r = to_rtc(p);
    snap_begin(w, p->name, NRF_RTC_SNAP_VERSION);
    timer_props_save(&r->props, w);
    snap_bool(w, "running", r->st.running);
    snap_u32(w, "presc", r->st.presc);
    snap_u64(w, "base_raw", r->st.base_raw);
    snap_u64(w, "base_value", r->st.base_value);
    snap_u32(w, "prescaler", r->st.prescaler);
    snap_u32(w, "events", r->st.events);
    snap_u32(w, "inten", r->st.inten);
    snap_u32(w, "evten", r->st.evten);
    snap_u32s(w, "cc", r->st.cc, NRF_RTC_MAX_CC);
    snap_u64s(w, "cc_blind", r->st.cc_blind, NRF_RTC_MAX_CC);
    for (unsigned n = 0; n < NRF_RTC_NSRC; n++)
        snap_event(w, r->src[n].name, &r->src[n].ev);
    snap_end(w);
}

static int nrf_rtc_load(struct periph *p, struct snap_reader *rd, struct sim_error *err)
{
    struct nrf_rtc *r = to_rtc(p);

    if (snap_open(rd, p->name, NRF_RTC_SNAP_VERSION, err) < 0)
        return -1;
    timer_props_load(&r->props, rd);
    r->st.running = snap_get_bool(rd, "running");
    r->st.presc = snap_get_u32(rd, "presc");
    if (r->st.presc < 1 || r->st.presc > 4096)
        return snap_fail(rd, "presc", "%u, expected 1..4096", r->st.presc);
    r->st.base_raw = snap_get_u64(rd, "base_raw");
    r->st.base_value = snap_get_u64(rd, "base_value");
    r->st.prescaler = snap_get_u32(rd, "prescaler");
    r->st.events = snap_get_u32(rd, "events");
    r->st.inten = snap_get_u32(rd, "inten");
    r->st.evten = snap_get_u32(rd, "evten");
    snap_get_u32s(rd, "cc", r->st.cc, NRF_RTC_MAX_CC);
    snap_get_u64s(rd, "cc_blind", r->st.cc_blind, NRF_RTC_MAX_CC);
    for (unsigned n = 0; n < NRF_RTC_NSRC; n++)
        snap_get_event(rd, r->src[n].name, p->q, &r->src[n].ev);
    r->mask = timer_props_mask(&r->props);
    return snap_close(rd);
}

static const struct periph_ops nrf_rtc_ops = {
    .read = nrf_rtc_read,
    .write = nrf_rtc_write,
    .reset = nrf_rtc_reset,
    .set_prop = nrf_rtc_set_prop,
    .save = nrf_rtc_save,
    .load = nrf_rtc_load,
};

const struct periph_model nrf_rtc_model = {
    .kind = "nrf-rtc",
    .regs = nrf_rtc_regs,
    .nregs = NRF_RTC_NREGS,
    .size = 0x1000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct nrf_rtc),
    .create = nrf_rtc_create,
    .ops = &nrf_rtc_ops,
};
