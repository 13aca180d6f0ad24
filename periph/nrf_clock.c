#include "nrf_clock.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "../sim/machine.h"
#include "../sim/sclock.h"

static const struct reg_desc nrf_clock_regs[NRF_CLOCK_NREGS] = {
    [NRF_CLOCK_TASKS_HFCLKSTART] = { "TASKS_HFCLKSTART", 0x000, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_HFCLKSTOP]  = { "TASKS_HFCLKSTOP",  0x004, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_LFCLKSTART] = { "TASKS_LFCLKSTART", 0x008, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_LFCLKSTOP]  = { "TASKS_LFCLKSTOP",  0x00C, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_CAL]        = { "TASKS_CAL",        0x010, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_CTSTART]    = { "TASKS_CTSTART",    0x014, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_CTSTOP]     = { "TASKS_CTSTOP",     0x018, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_CONSTLAT]   = { "TASKS_CONSTLAT",   0x078, REG_WO, 0, 0 },
    [NRF_CLOCK_TASKS_LOWPWR]     = { "TASKS_LOWPWR",     0x07C, REG_WO, 0, 0 },
    [NRF_CLOCK_EVENTS]           = { "EVENTS",           0x100, REG_RW, NRF_CLOCK_NEV, 4 },
    [NRF_CLOCK_INTENSET]         = { "INTENSET",         0x304, REG_RW, 0, 0 },
    [NRF_CLOCK_INTENCLR]         = { "INTENCLR",         0x308, REG_RW, 0, 0 },
    [NRF_CLOCK_RESETREAS]        = { "RESETREAS",        0x400, REG_RW, 0, 0 },
    [NRF_CLOCK_HFCLKRUN]         = { "HFCLKRUN",         0x408, REG_RO, 0, 0 },
    [NRF_CLOCK_HFCLKSTAT]        = { "HFCLKSTAT",        0x40C, REG_RO, 0, 0 },
    [NRF_CLOCK_LFCLKRUN]         = { "LFCLKRUN",         0x414, REG_RO, 0, 0 },
    [NRF_CLOCK_LFCLKSTAT]        = { "LFCLKSTAT",        0x418, REG_RO, 0, 0 },
    [NRF_CLOCK_LFCLKSRCCOPY]     = { "LFCLKSRCCOPY",     0x41C, REG_RO, 0, 0 },
    [NRF_CLOCK_RAMSTATUS]        = { "RAMSTATUS",        0x428, REG_RO, 0, 0 },
    [NRF_CLOCK_USBREGSTATUS]     = { "USBREGSTATUS",     0x438, REG_RO, 0, 0 },
    [NRF_CLOCK_SYSTEMOFF]        = { "SYSTEMOFF",        0x500, REG_WO, 0, 0 },
    [NRF_CLOCK_POFCON]           = { "POFCON",           0x510, REG_RW, 0, 0 },
    [NRF_CLOCK_LFCLKSRC]         = { "LFCLKSRC",         0x518, REG_RW, 0, 0 },
    [NRF_CLOCK_GPREGRET]         = { "GPREGRET",         0x51C, REG_RW, 0, 0 },
    [NRF_CLOCK_GPREGRET2]        = { "GPREGRET2",        0x520, REG_RW, 0, 0 },
    [NRF_CLOCK_HFXODEBOUNCE]     = { "HFXODEBOUNCE",     0x528, REG_RW, 0, 0 },
    [NRF_CLOCK_CTIV]             = { "CTIV",             0x538, REG_RW, 0, 0 },
    [NRF_CLOCK_TRACECONFIG]      = { "TRACECONFIG",      0x55C, REG_RW, 0, 0 },
    [NRF_CLOCK_DCDCEN]           = { "DCDCEN",           0x578, REG_RW, 0, 0 },
    [NRF_CLOCK_DCDCEN0]          = { "DCDCEN0",          0x580, REG_RW, 0, 0 },
    [NRF_CLOCK_LFRCMODE]         = { "LFRCMODE",         0x5B4, REG_RW, 0, 0 },
    [NRF_CLOCK_MAINREGSTATUS]    = { "MAINREGSTATUS",    0x640, REG_RO, 0, 0 },
    [NRF_CLOCK_RAM_POWER]        = { "RAM_POWER",        0x900, REG_RW, NRF_CLOCK_NRAM, 16 },
    [NRF_CLOCK_RAM_POWERSET]     = { "RAM_POWERSET",     0x904, REG_WO, NRF_CLOCK_NRAM, 16 },
    [NRF_CLOCK_RAM_POWERCLR]     = { "RAM_POWERCLR",     0x908, REG_WO, NRF_CLOCK_NRAM, 16 },
};

static const uint32_t lf_typical_us[3] = { 600, 250000, 600 };

static struct nrf_clock *to_c(struct periph *p)
{
    return container_of(p, struct nrf_clock, dev);
}

static void update_irq(struct nrf_clock *c)
{
    irq_set(&c->dev.irq[0], (c->st.events & c->st.inten) != 0);
}

static void raise(struct nrf_clock *c, unsigned ev)
{
    c->st.events |= 1u << ev;
    update_irq(c);
}

static cycles_t us(const struct nrf_clock *c, uint64_t micros)
{
    return sclock_ns_to_cycles(micros * 1000, c->dev.cpu_hz);
}

static void hf_started(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct nrf_clock *c = ctx;
    (void)ev; (void)now; (void)late;
    c->st.hf_on = true;
    raise(c, NRF_CLOCK_EV_HFCLKSTARTED);
}

static void lf_started(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct nrf_clock *c = ctx;
    (void)ev; (void)now; (void)late;
    c->st.lf_on = true;
    raise(c, NRF_CLOCK_EV_LFCLKSTARTED);
}

static void ct_timeout(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct nrf_clock *c = ctx;
    (void)ev; (void)late;
    raise(c, NRF_CLOCK_EV_CTTO);
    if (c->st.ctiv)
        evq_at(c->dev.q, &c->ct_ev, now + us(c, 250000ull * c->st.ctiv));
}

static uint32_t nrf_clock_read(struct periph *p, const struct reg_ref *r)
{
    struct nrf_clock *c = to_c(p);

    switch (r->reg) {
    case NRF_CLOCK_EVENTS:
        return (c->st.events >> r->idx) & 1;
    case NRF_CLOCK_INTENSET:
    case NRF_CLOCK_INTENCLR:
        return c->st.inten;
    case NRF_CLOCK_RESETREAS:
        return c->st.resetreas;
    case NRF_CLOCK_HFCLKRUN:
        return c->st.hf_run;
    case NRF_CLOCK_HFCLKSTAT:
        return c->st.hf_on ? NRF_CLOCK_STAT_RUNNING | 1 : 0;
    case NRF_CLOCK_LFCLKRUN:
        return c->st.lf_run;
    case NRF_CLOCK_LFCLKSTAT:
        return c->st.lf_on ? NRF_CLOCK_STAT_RUNNING | c->st.lfclksrccopy : 0;
    case NRF_CLOCK_LFCLKSRCCOPY:
        return c->st.lfclksrccopy;
    case NRF_CLOCK_RAMSTATUS:
        return 0xF;
    case NRF_CLOCK_USBREGSTATUS:
    case NRF_CLOCK_MAINREGSTATUS:
        return 0;
    case NRF_CLOCK_POFCON:
        return c->st.pofcon;
    case NRF_CLOCK_LFCLKSRC:
        return c->st.lfclksrc;
    case NRF_CLOCK_GPREGRET:
        return c->st.gpregret;
    case NRF_CLOCK_GPREGRET2:
        return c->st.gpregret2;
    case NRF_CLOCK_HFXODEBOUNCE:
        return c->st.hfxodebounce;
    case NRF_CLOCK_CTIV:
        return c->st.ctiv;
    case NRF_CLOCK_TRACECONFIG:
        return c->st.traceconfig;
    case NRF_CLOCK_DCDCEN:
        return c->st.dcdcen;
    case NRF_CLOCK_DCDCEN0:
        return c->st.dcdcen0;
    case NRF_CLOCK_LFRCMODE:
        return c->st.lfrcmode;
    case NRF_CLOCK_RAM_POWER:
        return c->st.ram_power[r->idx];
    }
    return 0;
}

static void nrf_clock_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct nrf_clock *c = to_c(p);
    cycles_t now = periph_now(p);
    unsigned src;

    if (r->reg <= NRF_CLOCK_TASKS_LOWPWR && !(val & 1))
        return;
    switch (r->reg) {
    case NRF_CLOCK_TASKS_HFCLKSTART:
        c->st.hf_run = true;
        if (!c->st.hf_on && !evq_pending(&c->hf_ev))
            evq_at(p->q, &c->hf_ev, now + us(c, 16ull * c->st.hfxodebounce));
        return;
    case NRF_CLOCK_TASKS_HFCLKSTOP:
        c->st.hf_run = false;
        c->st.hf_on = false;
        evq_cancel(p->q, &c->hf_ev);
        return;
    case NRF_CLOCK_TASKS_LFCLKSTART:
        c->st.lf_run = true;
        if (c->st.lf_on || evq_pending(&c->lf_ev))
            return;
        c->st.lfclksrccopy = c->st.lfclksrc;
        src = c->st.lfclksrc & 3;
        if (src > 2) {
            TRACE(p->tr, TR_GUEST_ERR, "%s: LFCLKSRC.SRC = 3 is reserved: using RC", p->name);
            src = 0;
        }
        evq_at(p->q, &c->lf_ev, now + us(c, c->cfg.lf_start_us[src]));
        return;
    case NRF_CLOCK_TASKS_LFCLKSTOP:
        c->st.lf_run = false;
        c->st.lf_on = false;
        evq_cancel(p->q, &c->lf_ev);
        return;
    case NRF_CLOCK_TASKS_CAL:
        raise(c, NRF_CLOCK_EV_DONE);
        return;
    case NRF_CLOCK_TASKS_CTSTART:
        if (!c->st.ct_on) {
            c->st.ct_on = true;
            raise(c, NRF_CLOCK_EV_CTSTARTED);
            if (c->st.ctiv)
                evq_at(p->q, &c->ct_ev, now + us(c, 250000ull * c->st.ctiv));
        }
        return;
    case NRF_CLOCK_TASKS_CTSTOP:
        c->st.ct_on = false;
        evq_cancel(p->q, &c->ct_ev);
        raise(c, NRF_CLOCK_EV_CTSTOPPED);
        return;
    case NRF_CLOCK_TASKS_CONSTLAT:
    case NRF_CLOCK_TASKS_LOWPWR:
        return;
    case NRF_CLOCK_EVENTS:
        c->st.events = (val & 1) ? c->st.events | (1u << r->idx) : c->st.events & ~(1u << r->idx);
        break;
    case NRF_CLOCK_INTENSET:
        c->st.inten |= val & ((1u << NRF_CLOCK_NEV) - 1);
        break;
    case NRF_CLOCK_INTENCLR:
        c->st.inten &= ~val;
        break;
    case NRF_CLOCK_RESETREAS:
        c->st.resetreas &= ~val;
        return;
    case NRF_CLOCK_SYSTEMOFF:
        if (val & 1)
            machine_request_exit(p->m, 0, "nrf_clock: the guest entered System OFF "
                                          "(POWER.SYSTEMOFF); wake-up is not modelled");
        return;
    case NRF_CLOCK_POFCON:
        c->st.pofcon = val & 0x00000F1F;
        return;
    case NRF_CLOCK_LFCLKSRC:
        c->st.lfclksrc = val & 0x00030003;
        return;
    case NRF_CLOCK_GPREGRET:
        c->st.gpregret = val & 0xFF;
        return;
    case NRF_CLOCK_GPREGRET2:
        c->st.gpregret2 = val & 0xFF;
        return;
    case NRF_CLOCK_HFXODEBOUNCE:
        c->st.hfxodebounce = val & 0xFF;
        return;
    case NRF_CLOCK_CTIV:
        c->st.ctiv = val & 0x7F;
        return;
    case NRF_CLOCK_TRACECONFIG:
        c->st.traceconfig = val & 0x00030003;
        return;
    case NRF_CLOCK_DCDCEN:
        c->st.dcdcen = val & 1;
        return;
    case NRF_CLOCK_DCDCEN0:
        c->st.dcdcen0 = val & 1;
        return;
    case NRF_CLOCK_LFRCMODE:
        c->st.lfrcmode = val & 1;
        return;
    case NRF_CLOCK_RAM_POWER:
        c->st.ram_power[r->idx] = val & 0xFFFFFFFF;
        return;
    case NRF_CLOCK_RAM_POWERSET:
        c->st.ram_power[r->idx] |= val;
        return;
    case NRF_CLOCK_RAM_POWERCLR:
        c->st.ram_power[r->idx] &= ~val;
        return;
    default:
        return;
    }
    update_irq(c);
}

static void nrf_clock_reset(struct periph *p)
{
    struct nrf_clock *c = to_c(p);

    evq_cancel(p->q, &c->hf_ev);
    evq_cancel(p->q, &c->lf_ev);
    evq_cancel(p->q, &c->ct_ev);
    memset(&c->st, 0, sizeof c->st);
    c->st.hfxodebounce = 0x10;
    c->st.resetreas = c->cfg.resetreas;
    for (unsigned i = 0; i < NRF_CLOCK_NRAM; i++)
        c->st.ram_power[i] = 0xFFFF;
    update_irq(c);
}

static int nrf_clock_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nrf_clock *c = to_c(p);
    (void)err;
    if (cfg)
        c->cfg = *(const struct nrf_clock_cfg *)cfg;
    for (unsigned i = 0; i < 3; i++)
        if (c->cfg.lf_start_us[i] == 0)
            c->cfg.lf_start_us[i] = lf_typical_us[i];
    snprintf(c->hf_name, sizeof c->hf_name, "%s.hfclkstarted", p->name);
    snprintf(c->lf_name, sizeof c->lf_name, "%s.lfclkstarted", p->name);
    snprintf(c->ct_name, sizeof c->ct_name, "%s.ctto", p->name);
    evq_event_init(&c->hf_ev, c->hf_name, hf_started, c, 0);
    evq_event_init(&c->lf_ev, c->lf_name, lf_started, c, 1);
    evq_event_init(&c->ct_ev, c->ct_name, ct_timeout, c, 2);
    return 0;
}

#define NRF_CLOCK_SNAP_VERSION 1

static void nrf_clock_save(struct periph *p, struct snap_writer *w)
{
    struct nrf_clock *c = to_c(p);
    snap_begin(w, p->name, NRF_CLOCK_SNAP_VERSION);
    snap_u32(w, "events", c->st.events);
    snap_u32(w, "inten", c->st.inten);
    snap_bool(w, "hf_run", c->st.hf_run);
    snap_bool(w, "hf_on", c->st.hf_on);
    snap_bool(w, "lf_run", c->st.lf_run);
    snap_bool(w, "lf_on", c->st.lf_on);
    snap_bool(w, "ct_on", c->st.ct_on);
    snap_u32(w, "lfclksrc", c->st.lfclksrc);
    snap_u32(w, "lfclksrccopy", c->st.lfclksrccopy);
    snap_u32(w, "hfxodebounce", c->st.hfxodebounce);
    snap_u32(w, "ctiv", c->st.ctiv);
    snap_u32(w, "traceconfig", c->st.traceconfig);
    snap_u32(w, "lfrcmode", c->st.lfrcmode);
    snap_u32(w, "resetreas", c->st.resetreas);
    snap_u32(w, "gpregret", c->st.gpregret);
    snap_u32(w, "gpregret2", c->st.gpregret2);
    snap_u32(w, "pofcon", c->st.pofcon);
    snap_u32(w, "dcdcen", c->st.dcdcen);
    snap_u32(w, "dcdcen0", c->st.dcdcen0);
    snap_u32s(w, "ram_power", c->st.ram_power, NRF_CLOCK_NRAM);
    snap_event(w, "hf_ev", &c->hf_ev);
    snap_event(w, "lf_ev", &c->lf_ev);
    snap_event(w, "ct_ev", &c->ct_ev);
    snap_end(w);
}

static int nrf_clock_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct nrf_clock *c = to_c(p);

    if (snap_open(r, p->name, NRF_CLOCK_SNAP_VERSION, err) < 0)
        return -1;
    c->st.events = snap_get_u32(r, "events");
    c->st.inten = snap_get_u32(r, "inten");
    c->st.hf_run = snap_get_bool(r, "hf_run");
    c->st.hf_on = snap_get_bool(r, "hf_on");
    c->st.lf_run = snap_get_bool(r, "lf_run");
    c->st.lf_on = snap_get_bool(r, "lf_on");
    c->st.ct_on = snap_get_bool(r, "ct_on");
    c->st.lfclksrc = snap_get_u32(r, "lfclksrc");
    c->st.lfclksrccopy = snap_get_u32(r, "lfclksrccopy");
    c->st.hfxodebounce = snap_get_u32(r, "hfxodebounce");
    c->st.ctiv = snap_get_u32(r, "ctiv");
    c->st.traceconfig = snap_get_u32(r, "traceconfig");
    c->st.lfrcmode = snap_get_u32(r, "lfrcmode");
    c->st.resetreas = snap_get_u32(r, "resetreas");
    c->st.gpregret = snap_get_u32(r, "gpregret");
    c->st.gpregret2 = snap_get_u32(r, "gpregret2");
    c->st.pofcon = snap_get_u32(r, "pofcon");
    c->st.dcdcen = snap_get_u32(r, "dcdcen");
    c->st.dcdcen0 = snap_get_u32(r, "dcdcen0");
    snap_get_u32s(r, "ram_power", c->st.ram_power, NRF_CLOCK_NRAM);
    snap_get_event(r, "hf_ev", p->q, &c->hf_ev);
    snap_get_event(r, "lf_ev", p->q, &c->lf_ev);
    snap_get_event(r, "ct_ev", p->q, &c->ct_ev);
    return snap_close(r);
}

static const struct periph_ops nrf_clock_ops = {
    .read = nrf_clock_read,
    .write = nrf_clock_write,
    .reset = nrf_clock_reset,
    .save = nrf_clock_save,
    .load = nrf_clock_load,
};

const struct periph_model nrf_clock_model = {
    .kind = "nrf-clock-power",
    .regs = nrf_clock_regs,
    .nregs = NRF_CLOCK_NREGS,
    .size = 0x1000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct nrf_clock),
    .create = nrf_clock_create,
    .ops = &nrf_clock_ops,
};
