#include "nrf_gpiote.h"

#include "../sim/snap.h"

#include "../sim/machine.h"

#include <string.h>

static const struct reg_desc nrf_gpiote_regs[NRF_GPIOTE_NREGS] = {
    [NRF_GPIOTE_TASKS_OUT]   = { "TASKS_OUT",   0x000, REG_WO, NRF_GPIOTE_NCH, 4 },
    [NRF_GPIOTE_TASKS_SET]   = { "TASKS_SET",   0x030, REG_WO, NRF_GPIOTE_NCH, 4 },
    [NRF_GPIOTE_TASKS_CLR]   = { "TASKS_CLR",   0x060, REG_WO, NRF_GPIOTE_NCH, 4 },
    [NRF_GPIOTE_EVENTS_IN]   = { "EVENTS_IN",   0x100, REG_RW, NRF_GPIOTE_NCH, 4 },
    [NRF_GPIOTE_EVENTS_PORT] = { "EVENTS_PORT", 0x17C, REG_RW, 0, 0 },
    [NRF_GPIOTE_INTENSET]    = { "INTENSET",    0x304, REG_RW, 0, 0 },
    [NRF_GPIOTE_INTENCLR]    = { "INTENCLR",    0x308, REG_RW, 0, 0 },
    [NRF_GPIOTE_CONFIG]      = { "CONFIG",      0x510, REG_RW, NRF_GPIOTE_NCH, 4 },
};

static struct nrf_gpiote *to_te(struct periph *p)
{
    return container_of(p, struct nrf_gpiote, dev);
}

static unsigned ch_mode(const struct nrf_gpiote *t, unsigned n)
{
    return t->st.config[n] & 3;
}

static unsigned ch_pin(const struct nrf_gpiote *t, unsigned n)
{
    return (t->st.config[n] >> 8) & 31;
}

static unsigned ch_port(const struct nrf_gpiote *t, unsigned n)
{
    return (t->st.config[n] >> 13) & 1;
}

static unsigned ch_pol(const struct nrf_gpiote *t, unsigned n)
{
    return (t->st.config[n] >> 16) & 3;
}

static void update_irq(struct nrf_gpiote *t)
{
    uint32_t pending = t->st.events_in | (t->st.events_port ? NRF_GPIOTE_INT_PORT : 0);
    irq_set(&t->dev.irq[0], (pending & t->st.inten) != 0);
}

static void pads_changed(void *ctx, unsigned port, uint32_t old, uint32_t now_levels)
{
    struct nrf_gpiote *t = ctx;
    bool any = false;

    for (unsigned n = 0; n < NRF_GPIOTE_NCH; n++) {
        uint32_t bit = 1u << ch_pin(t, n);
        bool was = old & bit, is = now_levels & bit, hit;
        if (ch_mode(t, n) != NRF_GPIOTE_MODE_EVENT || ch_port(t, n) != port || was == is)
            continue;
        switch (ch_pol(t, n)) {
        case NRF_GPIOTE_POL_LOTOHI: hit = is; break;
        case NRF_GPIOTE_POL_HITOLO: hit = !is; break;
        case NRF_GPIOTE_POL_TOGGLE: hit = true; break;
        default: hit = false; break;
        }
        if (hit) {
            t->st.events_in |= 1u << n;
            any = true;
            TRACE(t->dev.tr, TR_GPIO, "%s: IN[%u] (P%u.%02u %s)", t->dev.name, n, port,
                  ch_pin(t, n), is ? "rise" : "fall");
        }
    }
    if (any)
        update_irq(t);
}

static void detect_changed(void *ctx, unsigned port, bool level)
{
    struct nrf_gpiote *t = ctx;
    bool before = t->detect[0] || t->detect[1], after;

    t->detect[port & 1] = level;
    after = t->detect[0] || t->detect[1];
    if (!before && after) {
        t->st.events_port = true;
        TRACE(t->dev.tr, TR_GPIO, "%s: PORT", t->dev.name);
        update_irq(t);
    }
}

int nrf_gpiote_link(struct periph *gpiote, unsigned port, struct periph *gpio,
                    struct sim_error *err)
{
    struct nrf_gpiote *t = to_te(gpiote);

    if (port > 1)
        return sim_errorf(err, "%s: port %u: expected 0 or 1", gpiote->name, port);
    if (gpio->model != &nrf_gpio_model)
        return sim_errorf(err, "%s: port %u: '%s' is a %s, expected an nrf-gpio", gpiote->name,
                          port, gpio->name, gpio->model->kind);
    t->ports[port] = gpio;
    t->detect[port] = container_of(gpio, struct nrf_gpio, dev)->detect;
    nrf_gpio_set_observer(gpio, &t->obs);
    return 0;
}

/* Drives the pin of channel n (task mode), or gives it back. */
static void drive(struct nrf_gpiote *t, unsigned n, bool own)
{
    struct periph *g = t->ports[ch_port(t, n)];
    if (g)
        nrf_gpio_drive(g, ch_pin(t, n), own, (t->st.out >> n) & 1);
}

static void set_out(struct nrf_gpiote *t, unsigned n, bool level)
{
    t->st.out = level ? t->st.out | (1u << n) : t->st.out & ~(1u << n);
    if (ch_mode(t, n) == NRF_GPIOTE_MODE_TASK)
        drive(t, n, true);
}

static uint32_t nrf_gpiote_read(struct periph *p, const struct reg_ref *r)
{
    struct nrf_gpiote *t = to_te(p);

    switch (r->reg) {
    case NRF_GPIOTE_EVENTS_IN:
        return (t->st.events_in >> r->idx) & 1;
    case NRF_GPIOTE_EVENTS_PORT:
        return t->st.events_port;
    case NRF_GPIOTE_INTENSET:
    case NRF_GPIOTE_INTENCLR:
        return t->st.inten;
    case NRF_GPIOTE_CONFIG:
        return t->st.config[r->idx];
    }
    return 0;
}

static void nrf_gpiote_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct nrf_gpiote *t = to_te(p);
    unsigned n = r->idx, old_mode;

    switch (r->reg) {
    case NRF_GPIOTE_TASKS_OUT:
        if (!(val & 1) || ch_mode(t, n) != NRF_GPIOTE_MODE_TASK)
            return;
        switch (ch_pol(t, n)) {
        case NRF_GPIOTE_POL_LOTOHI: set_out(t, n, true); break;
        case NRF_GPIOTE_POL_HITOLO: set_out(t, n, false); break;
        case NRF_GPIOTE_POL_TOGGLE: set_out(t, n, !((t->st.out >> n) & 1)); break;
        default: break;
        }
        return;
    case NRF_GPIOTE_TASKS_SET:
    case NRF_GPIOTE_TASKS_CLR:
        if ((val & 1) && ch_mode(t, n) == NRF_GPIOTE_MODE_TASK)
            set_out(t, n, r->reg == NRF_GPIOTE_TASKS_SET);
        return;
    case NRF_GPIOTE_EVENTS_IN:
        t->st.events_in = (val & 1) ? t->st.events_in | (1u << n) : t->st.events_in & ~(1u << n);
        break;
    case NRF_GPIOTE_EVENTS_PORT:
        t->st.events_port = val & 1;
        break;
    case NRF_GPIOTE_INTENSET:
        t->st.inten |= val & (0xFFu | NRF_GPIOTE_INT_PORT);
        break;
    case NRF_GPIOTE_INTENCLR:
        t->st.inten &= ~val;
        break;
    case NRF_GPIOTE_CONFIG:
        old_mode = ch_mode(t, n);
        if (old_mode == NRF_GPIOTE_MODE_TASK)
            drive(t, n, false);         /* release the old pin */
        t->st.config[n] = val & 0x00133F03;
        if ((val & 3) == 2)
            TRACE(p->tr, TR_GUEST_ERR, "%s.CONFIG[%u]: MODE = 2 is reserved", p->name, n);
        if (ch_mode(t, n) == NRF_GPIOTE_MODE_TASK) {
            t->st.out = (val >> 20) & 1 ? t->st.out | (1u << n) : t->st.out & ~(1u << n);
            drive(t, n, true);
        }
        return;
    default:
        return;
    }
    update_irq(t);
}

static void nrf_gpiote_reset(struct periph *p)
{
    struct nrf_gpiote *t = to_te(p);

    for (unsigned n = 0; n < NRF_GPIOTE_NCH; n++)
        if (ch_mode(t, n) == NRF_GPIOTE_MODE_TASK)
            drive(t, n, false);
    memset(&t->st, 0, sizeof t->st);
    update_irq(t);
}

static int nrf_gpiote_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nrf_gpiote *t = to_te(p);
    (void)err;
    if (cfg)
        t->cfg = *(const struct nrf_gpiote_cfg *)cfg;
    t->obs.pads = pads_changed;
    t->obs.detect = detect_changed;
    t->obs.ctx = t;
    return 0;
}

/* Finds the ports named in the cfg (periph_ops.link). */
static int gpiote_link_ports(struct periph *p, struct sim_error *err)
{
    struct nrf_gpiote *g = container_of(p, struct nrf_gpiote, dev);
    for (unsigned k = 0; k < 2; k++) {
        struct periph *port;
        if (!g->cfg.ports[k])
            continue;
        port = machine_find_periph(periph_machine(p), g->cfg.ports[k]);
        if (!port)
            return sim_errorf(err, "%s: no GPIO port named '%s'", p->name, g->cfg.ports[k]);
        if (nrf_gpiote_link(p, k, port, err))
            return -1;
    }
    return 0;
}

#define NRF_GPIOTE_SNAP_VERSION 1

static void nrf_gpiote_save(struct periph *p, struct snap_writer *w)
{
    struct nrf_gpiote *t = to_te(p);
    snap_begin(w, p->name, NRF_GPIOTE_SNAP_VERSION);
    snap_u32s(w, "config", t->st.config, NRF_GPIOTE_NCH);
    snap_u32(w, "events_in", t->st.events_in);
    snap_bool(w, "events_port", t->st.events_port);
    snap_u32(w, "inten", t->st.inten);
    snap_u32(w, "out", t->st.out);
    snap_bools(w, "detect", t->detect, 2);     /* the ports' DETECT as last seen */
    snap_end(w);
}

static int nrf_gpiote_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct nrf_gpiote *t = to_te(p);

    if (snap_open(r, p->name, NRF_GPIOTE_SNAP_VERSION, err) < 0)
        return -1;
    snap_get_u32s(r, "config", t->st.config, NRF_GPIOTE_NCH);
    t->st.events_in = snap_get_u32(r, "events_in");
    t->st.events_port = snap_get_bool(r, "events_port");
    t->st.inten = snap_get_u32(r, "inten");
    t->st.out = snap_get_u32(r, "out");
    snap_get_bools(r, "detect", t->detect, 2);
    return snap_close(r);
}

static const struct periph_ops nrf_gpiote_ops = {
    .read = nrf_gpiote_read,
    .write = nrf_gpiote_write,
    .reset = nrf_gpiote_reset,
    .link = gpiote_link_ports,
    .save = nrf_gpiote_save,
    .load = nrf_gpiote_load,
};

const struct periph_model nrf_gpiote_model = {
    .kind = "nrf-gpiote",
    .regs = nrf_gpiote_regs,
    .nregs = NRF_GPIOTE_NREGS,
    .size = 0x1000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct nrf_gpiote),
    .create = nrf_gpiote_create,
    .ops = &nrf_gpiote_ops,
};
