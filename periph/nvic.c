#include "nvic.h"

#include "../sim/snap.h"

#include <string.h>

#include "../cpu/cpu.h"
#include "lanes.h"

enum { R_ICTR, R_ACTLR, R_ISER, R_ICER, R_ISPR, R_ICPR, R_IABR, R_IPR, R_STIR, R_N };

/* Offsets from 0xE000E000 (the window spans the SCS; SysTick, the SCB and
 * the MPU are smaller windows inside it and take precedence on the bus). */
static const struct reg_desc nvic_regs[R_N] = {
    [R_ICTR]  = { "ICTR",  0x004, REG_RO },
    [R_ACTLR] = { "ACTLR", 0x008, REG_RW },
    [R_ISER]  = { "ISER",  0x100, REG_RW, 8, 4 },
    [R_ICER]  = { "ICER",  0x180, REG_RW, 8, 4 },
    [R_ISPR]  = { "ISPR",  0x200, REG_RW, 8, 4 },
    [R_ICPR]  = { "ICPR",  0x280, REG_RW, 8, 4 },
    [R_IABR]  = { "IABR",  0x300, REG_RO, 8, 4 },
    [R_IPR]   = { "IPR",   0x400, REG_RW, 60, 4 },
    [R_STIR]  = { "STIR",  0xF00, REG_WO, 1, 4 },
};

static struct nvic *to_nvic(struct periph *p) { return container_of(p, struct nvic, dev); }

static void changed(struct nvic *n)
{
    cpu_irq_changed(n->cpu);
}

void nvic_set_pending(struct nvic *n, unsigned exc)
{
    if (exc == 0 || exc >= n->nexc)
        return;
    if (!n->pending[exc]) {
        n->pending[exc] = true;
        TRACE(n->dev.tr, TR_IRQ, "nvic: exception %u pending", exc);
    }
    changed(n);
}

void nvic_set_input(void *ctx, unsigned exc, bool level)
{
    struct nvic *n = container_of((struct periph *)ctx, struct nvic, dev);
    if (exc >= n->nexc)
        return;
    if (level && !n->level[exc])
        nvic_set_pending(n, exc);
    n->level[exc] = level;
    if (exc == EXC_SYSTICK)     /* a pulse from the SysTick model */
        n->level[exc] = false;
}

int nvic_priority(const struct nvic *n, unsigned exc)
{
    switch (exc) {
    case EXC_RESET: return -3;
    case EXC_NMI: return -2;
    case EXC_HARDFAULT: return -1;
    default: return n->prio[exc];
    }
}

int nvic_group_priority(const struct nvic *n, int prio)
{
    if (prio < 0)
        return prio;
    return prio & (int)(0xffu << (n->prigroup + 1)) & 0xff;
}

int nvic_exec_priority(const struct nvic *n, bool primask, bool faultmask, uint32_t basepri)
{
    int best = 256;
    for (unsigned e = 1; e < n->nexc; e++)
        if (n->active[e]) {
            int g = nvic_group_priority(n, nvic_priority(n, e));
            if (g < best)
                best = g;
        }
    if (basepri & 0xff) {
        int g = nvic_group_priority(n, (int)(basepri & 0xff));
        if (g < best)
            best = g;
    }
    if (primask && best > 0)
        best = 0;
    if (faultmask && best > -1)
        best = -1;
    return best;
}

static bool exc_enabled(const struct nvic *n, unsigned e)
{
    if (e >= 16)
        return n->enabled[e];
    return true;        /* system exceptions: faults are escalated when disabled */
}

unsigned nvic_highest_pending(const struct nvic *n, int *prio)
{
    unsigned best = 0;
    int bp = 1000, bsub = 1000;
    for (unsigned e = 1; e < n->nexc; e++) {
        if (!n->pending[e] || !exc_enabled(n, e))
            continue;
        int p = nvic_priority(n, e), g = nvic_group_priority(n, p);
        if (g < bp || (g == bp && p < bsub)) {
            best = e;
            bp = g;
            bsub = p;
        }
    }
    if (prio)
        *prio = bp;
    return best;
}

void nvic_acknowledge(struct nvic *n, unsigned exc)
{
    n->pending[exc] = false;
    n->active[exc] = true;
}

void nvic_deactivate(struct nvic *n, unsigned exc)
{
    if (exc >= n->nexc)
        return;
    n->active[exc] = false;
    if (exc >= 16 && n->level[exc])
        n->pending[exc] = true;     /* level still asserted */
    changed(n);
}

unsigned nvic_active_count(const struct nvic *n)
{
    unsigned c = 0;
    for (unsigned e = 1; e < n->nexc; e++)
        c += n->active[e];
    return c;
}

bool nvic_fault_enabled(const struct nvic *n, unsigned exc)
{
    switch (exc) {
    case EXC_MEMMANAGE: return n->shcsr_ena & (1u << 16);
    case EXC_BUSFAULT: return n->shcsr_ena & (1u << 17);
    case EXC_USAGEFAULT: return n->shcsr_ena & (1u << 18);
    default: return true;
    }
}

static uint32_t bits_of(const bool *v, unsigned base, unsigned nexc)
{
    uint32_t w = 0;
    for (unsigned i = 0; i < 32; i++)
        if (base + i < nexc && v[base + i])
            w |= 1u << i;
    return w;
}

static uint32_t nvic_read(struct periph *p, const struct reg_ref *r)
{
    struct nvic *n = to_nvic(p);
    unsigned base = 16 + r->idx * 32;

    switch (r->reg) {
    case R_ICTR: return (n->cfg.nirqs + 31) / 32 - 1;
    case R_ACTLR: return n->actlr;
    case R_ISER: case R_ICER: return bits_of(n->enabled, base, n->nexc);
    case R_ISPR: case R_ICPR: return bits_of(n->pending, base, n->nexc);
    case R_IABR: return bits_of(n->active, base, n->nexc);
    case R_IPR: {
        uint32_t w = 0;
        for (unsigned i = 0; i < 4; i++) {
            unsigned e = 16 + r->idx * 4 + i;
            if (e < n->nexc)
                w |= (uint32_t)n->prio[e] << (8 * i);
        }
        return w;
    }
    default: return 0;
    }
}

static void nvic_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct nvic *n = to_nvic(p);
    unsigned base = 16 + r->idx * 32;
    uint8_t mask = (uint8_t)(0xffu << (8 - n->cfg.prio_bits));

    switch (r->reg) {
    case R_ACTLR:
        n->actlr = val & 0x307;     /* stored, no effect (write buffer, folding) */
        break;
    case R_ISER: case R_ICER: case R_ISPR: case R_ICPR:
        for (unsigned i = 0; i < 32; i++) {
            unsigned e = base + i;
            if (!(val & (1u << i)) || e >= n->nexc)
                continue;
            if (r->reg == R_ISER) n->enabled[e] = true;
            else if (r->reg == R_ICER) n->enabled[e] = false;
            else if (r->reg == R_ISPR) n->pending[e] = true;
            else n->pending[e] = false;
        }
        changed(n);
        break;
    case R_IPR:
        for (unsigned i = r->byte; i < r->byte + r->size; i++) {
            unsigned e = 16 + r->idx * 4 + i;
            if (e < n->nexc)
                n->prio[e] = (uint8_t)(val >> (8 * i)) & mask;
        }
        changed(n);
        break;
    case R_STIR:
        nvic_set_pending(n, 16 + (val & 0x1ff));
        break;
    }
}

static void nvic_reset(struct periph *p)
{
    struct nvic *n = to_nvic(p);
    memset(n->prio, 0, sizeof n->prio);
    memset(n->enabled, 0, sizeof n->enabled);
    memset(n->pending, 0, sizeof n->pending);
    memset(n->active, 0, sizeof n->active);
    n->vtor = 0;
    n->prigroup = 0;
    n->ccr = 0x200;             /* STKALIGN */
    n->shcsr_ena = 0;
    n->cfsr = n->hfsr = n->mmfar = n->bfar = n->dfsr = 0;
}

static int nvic_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nvic *n = to_nvic(p);
    const struct nvic_cfg *c = cfg;
    if (!c || c->nirqs == 0 || c->nirqs > 240 || c->prio_bits < 2 || c->prio_bits > 8)
        return sim_errorf(err, "%s: nirqs must be 1..240 and prio_bits 2..8", p->name);
    n->cfg = *c;
    n->nexc = 16 + c->nirqs;
    return 0;
}

#define NVIC_SNAP_VERSION 1

static void nvic_save(struct periph *p, struct snap_writer *w)
{
    struct nvic *n = to_nvic(p);
    snap_begin(w, p->name, NVIC_SNAP_VERSION);
    snap_u32(w, "nexc", n->nexc);
    snap_bytes(w, "prio", n->prio, n->nexc);
    snap_bools(w, "enabled", n->enabled, n->nexc);
    snap_bools(w, "pending", n->pending, n->nexc);
    snap_bools(w, "active", n->active, n->nexc);
    snap_bools(w, "level", n->level, n->nexc);
    snap_u32(w, "vtor", n->vtor);
    snap_u32(w, "prigroup", n->prigroup);
    snap_u32(w, "ccr", n->ccr);
    snap_u32(w, "shcsr_ena", n->shcsr_ena);
    snap_u32(w, "cfsr", n->cfsr);
    snap_u32(w, "hfsr", n->hfsr);
    snap_u32(w, "mmfar", n->mmfar);
    snap_u32(w, "bfar", n->bfar);
    snap_u32(w, "dfsr", n->dfsr);
    snap_u32(w, "actlr", n->actlr);
    snap_end(w);
}

static int nvic_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct nvic *n = to_nvic(p);
    unsigned nexc;

    if (snap_open(r, p->name, NVIC_SNAP_VERSION, err) < 0)
        return -1;
    nexc = snap_get_u32(r, "nexc");
    if (nexc != n->nexc)
        return snap_fail(r, "nexc", "%u exceptions, this NVIC has %u", nexc, n->nexc);
    snap_get_bytes(r, "prio", n->prio, n->nexc);
    snap_get_bools(r, "enabled", n->enabled, n->nexc);
    snap_get_bools(r, "pending", n->pending, n->nexc);
    snap_get_bools(r, "active", n->active, n->nexc);
    snap_get_bools(r, "level", n->level, n->nexc);
    n->vtor = snap_get_u32(r, "vtor");
    n->prigroup = snap_get_u32(r, "prigroup");
    n->ccr = snap_get_u32(r, "ccr");
    n->shcsr_ena = snap_get_u32(r, "shcsr_ena");
    n->cfsr = snap_get_u32(r, "cfsr");
    n->hfsr = snap_get_u32(r, "hfsr");
    n->mmfar = snap_get_u32(r, "mmfar");
    n->bfar = snap_get_u32(r, "bfar");
    n->dfsr = snap_get_u32(r, "dfsr");
    n->actlr = snap_get_u32(r, "actlr");
    return snap_close(r);
}

static const struct periph_ops nvic_ops = {
    .read = nvic_read,
    .write = nvic_write,
    .reset = nvic_reset,
    .save = nvic_save,
    .load = nvic_load,
};

const struct periph_model nvic_model = {
    .kind = "armv7m-nvic",
    .regs = nvic_regs,
    .nregs = R_N,
    .size = 0xF04,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct nvic),
    .create = nvic_create,
    .ops = &nvic_ops,
    .sink = nvic_set_input,
};
