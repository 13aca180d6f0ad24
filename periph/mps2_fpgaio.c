#include "mps2_fpgaio.h"

#include "../sim/snap.h"

#include <string.h>

#include "lanes.h"
#include "../sim/sclock.h"

static const struct reg_desc mps2_fpgaio_regs[MPS2_FPGAIO_NREGS] = {
    [MPS2_FPGAIO_LED0]     = { "LED0",     0x00, REG_RW, 0, 0 },
    [MPS2_FPGAIO_BUTTON]   = { "BUTTON",   0x08, REG_RO, 0, 0 },
    [MPS2_FPGAIO_CLK1HZ]   = { "CLK1HZ",   0x10, REG_RW, 0, 0 },
    [MPS2_FPGAIO_CLK100HZ] = { "CLK100HZ", 0x14, REG_RW, 0, 0 },
    [MPS2_FPGAIO_COUNTER]  = { "COUNTER",  0x18, REG_RW, 0, 0 },
    [MPS2_FPGAIO_PRESCALE] = { "PRESCALE", 0x1C, REG_RW, 0, 0 },
    [MPS2_FPGAIO_PSCNTR]   = { "PSCNTR",   0x20, REG_RW, 0, 0 },
    [MPS2_FPGAIO_MISC]     = { "MISC",     0x4C, REG_RW, 0, 0 },
};

static struct mps2_fpgaio *to_f(struct periph *p)
{
    return container_of(p, struct mps2_fpgaio, dev);
}

static uint32_t clk_value(const struct mps2_fpgaio *f, cycles_t now, cycles_t base, uint32_t v0,
                          uint64_t hz)
{
    return v0 + (uint32_t)sclock_ticks_at(now - base, f->dev.cpu_hz, hz);
}

/* COUNTER and PSCNTR now. */
static void ps_now(const struct mps2_fpgaio *f, cycles_t now, uint32_t *counter,
                   uint32_t *pscntr)
{
    uint64_t ticks = sclock_ticks_at(now, f->dev.cpu_hz, f->cfg.prescale_hz) - f->st.ps_base_ticks;
    uint64_t p0 = f->st.pscntr0, pre = f->st.prescale;

    if (ticks < p0) {
        *pscntr = (uint32_t)(p0 - ticks);
        *counter = f->st.counter0;
    } else if (pre == 0) {
        *pscntr = 0;
        *counter = f->st.counter0 + (uint32_t)(ticks - p0);
    } else {
        uint64_t y = ticks - p0 + pre;
        *pscntr = (uint32_t)(pre - y % (pre + 1));
        *counter = f->st.counter0 + (uint32_t)(y / (pre + 1));
    }
}

/* Folds the elapsed ticks into counter0/pscntr0 (before PRESCALE changes). */
static void ps_sync(struct mps2_fpgaio *f, cycles_t now)
{
    ps_now(f, now, &f->st.counter0, &f->st.pscntr0);
    f->st.ps_base_ticks = sclock_ticks_at(now, f->dev.cpu_hz, f->cfg.prescale_hz);
}

static void set_leds(struct mps2_fpgaio *f, uint32_t v)
{
    f->st.led0 = v & ((1u << f->cfg.num_leds) - 1);
    for (unsigned i = 0; i < f->cfg.num_leds; i++)
        irq_set(&f->dev.pin[i], (f->st.led0 >> i) & 1);
}

static uint32_t mps2_fpgaio_read(struct periph *p, const struct reg_ref *r)
{
    struct mps2_fpgaio *f = to_f(p);
    cycles_t now = periph_now(p);
    uint32_t counter, pscntr;

    switch (r->reg) {
    case MPS2_FPGAIO_LED0:
        return f->st.led0;
    case MPS2_FPGAIO_BUTTON:
        return f->st.buttons;
    case MPS2_FPGAIO_CLK1HZ:
        return clk_value(f, now, f->st.clk1hz_base, f->st.clk1hz0, 1);
    case MPS2_FPGAIO_CLK100HZ:
        return clk_value(f, now, f->st.clk100hz_base, f->st.clk100hz0, 100);
    case MPS2_FPGAIO_COUNTER:
        ps_now(f, now, &counter, &pscntr);
        return counter;
    case MPS2_FPGAIO_PRESCALE:
        return f->st.prescale;
    case MPS2_FPGAIO_PSCNTR:
        ps_now(f, now, &counter, &pscntr);
        return pscntr;
    case MPS2_FPGAIO_MISC:
        return f->st.misc;
    }
    return 0;
}

static void mps2_fpgaio_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct mps2_fpgaio *f = to_f(p);
    cycles_t now = periph_now(p);

    val = lanes_merge(mps2_fpgaio_read(p, r), r, val);
    switch (r->reg) {
    case MPS2_FPGAIO_LED0:
        set_leds(f, val);
        break;
    case MPS2_FPGAIO_CLK1HZ:
        f->st.clk1hz_base = now;
        f->st.clk1hz0 = val;
        break;
    case MPS2_FPGAIO_CLK100HZ:
        f->st.clk100hz_base = now;
        f->st.clk100hz0 = val;
        break;
    case MPS2_FPGAIO_COUNTER:
        ps_sync(f, now);
        f->st.counter0 = val;
        break;
    case MPS2_FPGAIO_PRESCALE:
        ps_sync(f, now);
        f->st.prescale = val;
        break;
    case MPS2_FPGAIO_PSCNTR:
        ps_sync(f, now);
        f->st.pscntr0 = val;
        break;
    case MPS2_FPGAIO_MISC:
        TRACE(p->tr, TR_UNIMP, "%s: MISC control bits (0x%x) not modelled", p->name, val);
        f->st.misc = val;
        break;
    }
}

static void mps2_fpgaio_pin_in(struct periph *p, unsigned pin, bool level)
{
    struct mps2_fpgaio *f = to_f(p);
    if (pin >= f->cfg.num_buttons) {
        TRACE(p->tr, TR_GUEST_ERR, "%s: no button %u", p->name, pin);
        return;
    }
    f->st.buttons = level ? f->st.buttons | (1u << pin) : f->st.buttons & ~(1u << pin);
}

static void mps2_fpgaio_reset(struct periph *p)
{
    struct mps2_fpgaio *f = to_f(p);
    uint32_t buttons = f->st.buttons;       /* held buttons stay held */
    cycles_t now = periph_now(p);

    memset(&f->st, 0, sizeof f->st);
    f->st.buttons = buttons;
    f->st.clk1hz_base = f->st.clk100hz_base = now;
    f->st.ps_base_ticks = sclock_ticks_at(now, p->cpu_hz, f->cfg.prescale_hz);
    set_leds(f, 0);
}

static int mps2_fpgaio_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct mps2_fpgaio *f = to_f(p);

    if (cfg)
        f->cfg = *(const struct mps2_fpgaio_cfg *)cfg;
    if (f->cfg.prescale_hz == 0)
        f->cfg.prescale_hz = p->cpu_hz;
    if (f->cfg.num_leds == 0)
        f->cfg.num_leds = 2;
    if (f->cfg.num_buttons == 0)
        f->cfg.num_buttons = 2;
    if (f->cfg.num_leds > 32 || f->cfg.num_buttons > 32)
        return sim_errorf(err, "%s: num_leds %u / num_buttons %u: expected at most 32", p->name,
                          f->cfg.num_leds, f->cfg.num_buttons);
    p->npins = f->cfg.num_leds;
    return 0;
}

#define MPS2_FPGAIO_SNAP_VERSION 1

static void mps2_fpgaio_save(struct periph *p, struct snap_writer *w)
{
    struct mps2_fpgaio *f = to_f(p);
    snap_begin(w, p->name, MPS2_FPGAIO_SNAP_VERSION);
    snap_u32(w, "led0", f->st.led0);
    snap_u32(w, "buttons", f->st.buttons);
    snap_u32(w, "misc", f->st.misc);
    snap_u32(w, "prescale", f->st.prescale);
    snap_u64(w, "clk1hz_base", f->st.clk1hz_base);
    snap_u64(w, "clk100hz_base", f->st.clk100hz_base);
    snap_u32(w, "clk1hz0", f->st.clk1hz0);
    snap_u32(w, "clk100hz0", f->st.clk100hz0);
    snap_u64(w, "ps_base_ticks", f->st.ps_base_ticks);
    snap_u32(w, "counter0", f->st.counter0);
    snap_u32(w, "pscntr0", f->st.pscntr0);
    snap_end(w);
}

static int mps2_fpgaio_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct mps2_fpgaio *f = to_f(p);

    if (snap_open(r, p->name, MPS2_FPGAIO_SNAP_VERSION, err) < 0)
        return -1;
    f->st.led0 = snap_get_u32(r, "led0");
    f->st.buttons = snap_get_u32(r, "buttons");
    f->st.misc = snap_get_u32(r, "misc");
    f->st.prescale = snap_get_u32(r, "prescale");
    f->st.clk1hz_base = snap_get_u64(r, "clk1hz_base");
    f->st.clk100hz_base = snap_get_u64(r, "clk100hz_base");
    f->st.clk1hz0 = snap_get_u32(r, "clk1hz0");
    f->st.clk100hz0 = snap_get_u32(r, "clk100hz0");
    f->st.ps_base_ticks = snap_get_u64(r, "ps_base_ticks");
    f->st.counter0 = snap_get_u32(r, "counter0");
    f->st.pscntr0 = snap_get_u32(r, "pscntr0");
    return snap_close(r);
}

static const struct periph_ops mps2_fpgaio_ops = {
    .read = mps2_fpgaio_read,
    .write = mps2_fpgaio_write,
    .reset = mps2_fpgaio_reset,
    .pin_in = mps2_fpgaio_pin_in,
    .save = mps2_fpgaio_save,
    .load = mps2_fpgaio_load,
};

const struct periph_model mps2_fpgaio_model = {
    .kind = "mps2-fpgaio",
    .regs = mps2_fpgaio_regs,
    .nregs = MPS2_FPGAIO_NREGS,
    .size = 0x1000,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct mps2_fpgaio),
    .create = mps2_fpgaio_create,
    .ops = &mps2_fpgaio_ops,
};
