#include "nrf_gpio.h"

#include "../sim/snap.h"

#include <string.h>

static const struct reg_desc nrf_gpio_regs[NRF_GPIO_NREGS] = {
    [NRF_GPIO_OUT]        = { "OUT",        0x004, REG_RW, 0, 0 },
    [NRF_GPIO_OUTSET]     = { "OUTSET",     0x008, REG_RW, 0, 0 },
    [NRF_GPIO_OUTCLR]     = { "OUTCLR",     0x00C, REG_RW, 0, 0 },
    [NRF_GPIO_IN]         = { "IN",         0x010, REG_RO, 0, 0 },
    [NRF_GPIO_DIR]        = { "DIR",        0x014, REG_RW, 0, 0 },
    [NRF_GPIO_DIRSET]     = { "DIRSET",     0x018, REG_RW, 0, 0 },
    [NRF_GPIO_DIRCLR]     = { "DIRCLR",     0x01C, REG_RW, 0, 0 },
    [NRF_GPIO_LATCH]      = { "LATCH",      0x020, REG_RW, 0, 0 },
    [NRF_GPIO_DETECTMODE] = { "DETECTMODE", 0x024, REG_RW, 0, 0 },
    [NRF_GPIO_PIN_CNF]    = { "PIN_CNF",    0x200, REG_RW, 32, 4 },
};

static struct nrf_gpio *to_g(struct periph *p)
{
    return container_of(p, struct nrf_gpio, dev);
}

static uint32_t dir_mask(const struct nrf_gpio *g)
{
    uint32_t d = 0;
    for (unsigned n = 0; n < 32; n++)
        d |= (g->st.cnf[n] & NRF_GPIO_CNF_DIR) << n;
    return d;
}

static uint32_t connected_mask(const struct nrf_gpio *g)
{
    uint32_t c = 0;
    for (unsigned n = 0; n < 32; n++)
        if (!(g->st.cnf[n] & NRF_GPIO_CNF_INPUT_DISC))
            c |= 1u << n;
    return c & g->cfg.pins;
}

static uint32_t compute_pads(const struct nrf_gpio *g)
{
    uint32_t dir = dir_mask(g), pads = 0;

    for (unsigned n = 0; n < 32; n++) {
        uint32_t bit = 1u << n;
        bool level;
        if (!(g->cfg.pins & bit))
            continue;
        if (g->st.te_owned & bit)
            level = g->st.te_level & bit;
        else if (dir & bit)
            level = g->st.out & bit;
        else if (g->st.ext_driven & bit)
            level = g->st.ext_level & bit;
        else if (NRF_GPIO_CNF_PULL(g->st.cnf[n]) == NRF_GPIO_PULLUP)
            level = true;
        else if (NRF_GPIO_CNF_PULL(g->st.cnf[n]) == NRF_GPIO_PULLDOWN)
            level = false;
        else
            level = g->cfg.ext_pullup & bit;
        if (level)
            pads |= bit;
    }
    return pads;
}

/* Pins whose SENSE criterion is met. */
static uint32_t sense_met(const struct nrf_gpio *g, uint32_t pads)
{
    uint32_t met = 0, conn = connected_mask(g);

    for (unsigned n = 0; n < 32; n++) {
        uint32_t bit = 1u << n;
        unsigned s = NRF_GPIO_CNF_SENSE(g->st.cnf[n]);
        if (!(conn & bit))
            continue;
        if ((s == NRF_GPIO_SENSE_HIGH && (pads & bit)) || (s == NRF_GPIO_SENSE_LOW && !(pads & bit)))
            met |= bit;
    }
    return met;
}

static void set_detect(struct nrf_gpio *g, bool level)
{
    if (g->detect == level)
        return;
    g->detect = level;
    if (g->obs && g->obs->detect)
        g->obs->detect(g->obs->ctx, g->cfg.port, level);
}

/* Recomputes pads, pin lines, LATCH and DETECT after any change. */
static void update(struct nrf_gpio *g)
{
    uint32_t old = g->pads, pads = compute_pads(g), met;

    g->pads = pads;
    for (unsigned n = 0; n < 32; n++)
        if ((old ^ pads) & (1u << n)) {
            TRACE(g->dev.tr, TR_GPIO, "%s: P%u.%02u = %u", g->dev.name, g->cfg.port, n,
                  (pads >> n) & 1);
            irq_set(&g->dev.pin[n], (pads >> n) & 1);
        }
    if (old != pads && g->obs && g->obs->pads)
        g->obs->pads(g->obs->ctx, g->cfg.port, old, pads);
    met = sense_met(g, pads);
    g->st.latch |= met;
    set_detect(g, g->st.detectmode ? g->st.latch != 0 : met != 0);
}

uint32_t nrf_gpio_pads(struct periph *p)
{
    return to_g(p)->pads;
}

void nrf_gpio_release(struct periph *p, unsigned pin)
{
    struct nrf_gpio *g = to_g(p);
    if (pin >= 32)
        return;
    g->st.ext_driven &= ~(1u << pin);
    update(g);
}

void nrf_gpio_drive(struct periph *p, unsigned pin, bool own, bool level)
{
    struct nrf_gpio *g = to_g(p);
    uint32_t bit = 1u << (pin & 31);
    if (pin >= 32)
        return;
    g->st.te_owned = own ? g->st.te_owned | bit : g->st.te_owned & ~bit;
    g->st.te_level = level ? g->st.te_level | bit : g->st.te_level & ~bit;
    update(g);
}

void nrf_gpio_set_observer(struct periph *p, const struct nrf_gpio_observer *obs)
{
    to_g(p)->obs = obs;
}

static void nrf_gpio_pin_in(struct periph *p, unsigned pin, bool level)
{
    struct nrf_gpio *g = to_g(p);
    if (pin >= 32 || !(g->cfg.pins & (1u << pin))) {
        TRACE(p->tr, TR_GUEST_ERR, "%s: input on pin %u that does not exist", p->name, pin);
        return;
    }
    g->st.ext_driven |= 1u << pin;
    g->st.ext_level = level ? g->st.ext_level | (1u << pin) : g->st.ext_level & ~(1u << pin);
    update(g);
}

static uint32_t nrf_gpio_read(struct periph *p, const struct reg_ref *r)
{
    struct nrf_gpio *g = to_g(p);

    switch (r->reg) {
    case NRF_GPIO_OUT:
    case NRF_GPIO_OUTSET:
    case NRF_GPIO_OUTCLR:
        return g->st.out;
    case NRF_GPIO_IN:
        return g->pads & connected_mask(g);
    case NRF_GPIO_DIR:
    case NRF_GPIO_DIRSET:
    case NRF_GPIO_DIRCLR:
        return dir_mask(g);
    case NRF_GPIO_LATCH:
        return g->st.latch;
    case NRF_GPIO_DETECTMODE:
        return g->st.detectmode;
    case NRF_GPIO_PIN_CNF:
        return g->st.cnf[r->idx];
    }
    return 0;
}

static void set_dir(struct nrf_gpio *g, uint32_t dir)
{
    for (unsigned n = 0; n < 32; n++)
        g->st.cnf[n] = (g->st.cnf[n] & ~NRF_GPIO_CNF_DIR) | ((dir >> n) & 1);
}

static void nrf_gpio_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct nrf_gpio *g = to_g(p);
    uint32_t pins = g->cfg.pins, remaining;

    switch (r->reg) {
    case NRF_GPIO_OUT:
        g->st.out = val & pins;
        break;
    case NRF_GPIO_OUTSET:
        g->st.out |= val & pins;
        break;
    case NRF_GPIO_OUTCLR:
        g->st.out &= ~val;
        break;
    case NRF_GPIO_DIR:
        set_dir(g, val & pins);
        break;
    case NRF_GPIO_DIRSET:
        set_dir(g, (dir_mask(g) | val) & pins);
        break;
    case NRF_GPIO_DIRCLR:
        set_dir(g, dir_mask(g) & ~val);
        break;
    case NRF_GPIO_LATCH:
        g->st.latch &= ~val;
        /* criteria still met latch again at once */
        g->st.latch |= sense_met(g, g->pads);
        remaining = g->st.latch;
        if (g->st.detectmode && (val & ~remaining) && remaining && g->detect) {
            set_detect(g, false);       /* LDETECT: low briefly, then a new rising edge */
            set_detect(g, true);
        }
        break;
    case NRF_GPIO_DETECTMODE:
        g->st.detectmode = val & 1;
        break;
    case NRF_GPIO_PIN_CNF:
        if (!(pins & (1u << r->idx))) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.PIN_CNF[%u]: no such pin", p->name, r->idx);
            return;
        }
        g->st.cnf[r->idx] = val & 0x0003070F;
        if (NRF_GPIO_CNF_PULL(val) == 2)
            TRACE(p->tr, TR_GUEST_ERR, "%s.PIN_CNF[%u]: PULL = 2 is reserved", p->name, r->idx);
        break;
    default:
        return;
    }
    update(g);
}

static void nrf_gpio_reset(struct periph *p)
{
    struct nrf_gpio *g = to_g(p);
    uint32_t ext_driven = g->st.ext_driven, ext_level = g->st.ext_level;

    memset(&g->st, 0, sizeof g->st);
    for (unsigned n = 0; n < 32; n++)
        g->st.cnf[n] = NRF_GPIO_CNF_INPUT_DISC;
    /* what the outside world drives survives a reset of the chip */
    g->st.ext_driven = ext_driven;
    g->st.ext_level = ext_level;
    update(g);
}

static int nrf_gpio_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nrf_gpio *g = to_g(p);

    if (cfg)
        g->cfg = *(const struct nrf_gpio_cfg *)cfg;
    if (g->cfg.port > 1)
        return sim_errorf(err, "%s: port: found %u, expected 0 or 1", p->name, g->cfg.port);
    if (g->cfg.pins == 0)
        g->cfg.pins = 0xFFFFFFFFu;
    p->npins = 32;
    g->pads = 0;
    g->detect = false;
    g->obs = NULL;
    return 0;
}

#define NRF_GPIO_SNAP_VERSION 1

static void nrf_gpio_save(struct periph *p, struct snap_writer *w)
{
    struct nrf_gpio *g = to_g(p);
    snap_begin(w, p->name, NRF_GPIO_SNAP_VERSION);
    snap_u32(w, "out", g->st.out);
    snap_u32(w, "latch", g->st.latch);
    snap_u32(w, "detectmode", g->st.detectmode);
    snap_u32s(w, "cnf", g->st.cnf, 32);
    snap_u32(w, "ext_driven", g->st.ext_driven);
    snap_u32(w, "ext_level", g->st.ext_level);
    snap_u32(w, "te_owned", g->st.te_owned);
    snap_u32(w, "te_level", g->st.te_level);
    snap_end(w);
}

/* pads and DETECT are recomputed quietly: the pin lines and the GPIOTE
 * are restored from their own state. */
static int nrf_gpio_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct nrf_gpio *g = to_g(p);

    if (snap_open(r, p->name, NRF_GPIO_SNAP_VERSION, err) < 0)
        return -1;
    g->st.out = snap_get_u32(r, "out");
    g->st.latch = snap_get_u32(r, "latch");
    g->st.detectmode = snap_get_u32(r, "detectmode");
    snap_get_u32s(r, "cnf", g->st.cnf, 32);
    g->st.ext_driven = snap_get_u32(r, "ext_driven");
    g->st.ext_level = snap_get_u32(r, "ext_level");
    g->st.te_owned = snap_get_u32(r, "te_owned");
    g->st.te_level = snap_get_u32(r, "te_level");
    g->pads = compute_pads(g);
    g->detect = g->st.detectmode ? g->st.latch != 0 : sense_met(g, g->pads) != 0;
    return snap_close(r);
}

static const struct periph_ops nrf_gpio_ops = {
    .read = nrf_gpio_read,
    .write = nrf_gpio_write,
    .reset = nrf_gpio_reset,
    .pin_in = nrf_gpio_pin_in,
    .save = nrf_gpio_save,
    .load = nrf_gpio_load,
};

const struct periph_model nrf_gpio_model = {
    .kind = "nrf-gpio",
    .regs = nrf_gpio_regs,
    .nregs = NRF_GPIO_NREGS,
    .size = 0x280,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct nrf_gpio),
    .create = nrf_gpio_create,
    .ops = &nrf_gpio_ops,
};
