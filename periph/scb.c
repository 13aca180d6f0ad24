#include "scb.h"

#include "../sim/snap.h"

#include "nvic.h"
#include "../sim/machine.h"
#include "../cpu/cpu.h"

enum { R_CPUID, R_ICSR, R_VTOR, R_AIRCR, R_SCR, R_CCR, R_SHPR, R_SHCSR, R_CFSR, R_HFSR,
       R_DFSR, R_MMFAR, R_BFAR, R_AFSR, R_ID, R_CPACR, R_N };

static const struct reg_desc scb_regs[R_N] = {
    [R_CPUID] = { "CPUID", 0x00, REG_RO },
    [R_ICSR]  = { "ICSR",  0x04, REG_RW },
    [R_VTOR]  = { "VTOR",  0x08, REG_RW },
    [R_AIRCR] = { "AIRCR", 0x0C, REG_RW },
    [R_SCR]   = { "SCR",   0x10, REG_RW },
    [R_CCR]   = { "CCR",   0x14, REG_RW },
    [R_SHPR]  = { "SHPR",  0x18, REG_RW, 3, 4 },
    [R_SHCSR] = { "SHCSR", 0x24, REG_RW },
    [R_CFSR]  = { "CFSR",  0x28, REG_RW },
    [R_HFSR]  = { "HFSR",  0x2C, REG_RW },
    [R_DFSR]  = { "DFSR",  0x30, REG_RW },
    [R_MMFAR] = { "MMFAR", 0x34, REG_RW },
    [R_BFAR]  = { "BFAR",  0x38, REG_RW },
    [R_AFSR]  = { "AFSR",  0x3C, REG_RW },
    [R_ID]    = { "ID",    0x40, REG_RO, 18, 4 },
    [R_CPACR] = { "CPACR", 0x88, REG_RW },
};

static struct scb *to_scb(struct periph *p) { return container_of(p, struct scb, dev); }

static uint32_t icsr(struct nvic *n)
{
    uint32_t v = 0;
    unsigned active = 0, nact = 0;
    int prio;
    unsigned pend = nvic_highest_pending(n, &prio);

    for (unsigned e = 1; e < n->nexc; e++)
        if (n->active[e]) {
            nact++;
            active = e;         /* VECTACTIVE: the IPSR value; highest number is a fair proxy */
        }
    (void)active;
    v |= pend << 12;
    if (nact <= 1)
        v |= 1u << 11;          /* RETTOBASE */
    for (unsigned e = 16; e < n->nexc; e++)
        if (n->pending[e])
            v |= 1u << 22;      /* ISRPENDING */
    if (n->pending[EXC_PENDSV])
        v |= 1u << 28;
    if (n->pending[EXC_SYSTICK])
        v |= 1u << 26;
    if (n->pending[EXC_NMI])
        v |= 1u << 31;
    return v;
}

static uint32_t scb_read(struct periph *p, const struct reg_ref *r)
{
    struct scb *s = to_scb(p);
    struct nvic *n = s->nvic;
    uint32_t v = 0;

    switch (r->reg) {
    case R_CPUID: v = s->cfg.cpuid; break;
    case R_ICSR: {
        v = icsr(n);
        /* VECTACTIVE is the current IPSR, read from the core */
        if (n->cpu)
            v |= cpu_reg(n->cpu, UC_ARM_REG_IPSR) & 0x1ff;
        break;
    }
    case R_VTOR: v = n->vtor; break;
    case R_AIRCR: v = 0xFA050000u | (n->prigroup << 8); break;
    case R_SCR: v = s->scr; break;
    case R_CCR: v = n->ccr; break;
    case R_SHPR: {
        unsigned e0 = 4 + r->idx * 4;
        for (unsigned i = 0; i < 4; i++)
            if (e0 + i >= 4 && e0 + i < 16)
                v |= (uint32_t)n->prio[e0 + i] << (8 * i);
        break;
    }
    case R_SHCSR: {
        v = n->shcsr_ena;
        if (n->active[EXC_MEMMANAGE]) v |= 1u << 0;
        if (n->active[EXC_BUSFAULT]) v |= 1u << 1;
        if (n->active[EXC_USAGEFAULT]) v |= 1u << 3;
        if (n->active[EXC_SVCALL]) v |= 1u << 7;
        if (n->active[EXC_PENDSV]) v |= 1u << 10;
        if (n->active[EXC_SYSTICK]) v |= 1u << 11;
        if (n->pending[EXC_USAGEFAULT]) v |= 1u << 12;
        if (n->pending[EXC_MEMMANAGE]) v |= 1u << 13;
        if (n->pending[EXC_BUSFAULT]) v |= 1u << 14;
        if (n->pending[EXC_SVCALL]) v |= 1u << 15;
        break;
    }
    case R_CFSR: v = n->cfsr; break;
    case R_HFSR: v = n->hfsr; break;
    case R_DFSR: v = n->dfsr; break;
    case R_MMFAR: v = n->mmfar; break;
    case R_BFAR: v = n->bfar; break;
    case R_AFSR: v = s->afsr; break;
    case R_CPACR: v = s->cpacr; break;
    default: v = 0; break;
    }
    return v;
}

static void scb_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct scb *s = to_scb(p);
    struct nvic *n = s->nvic;
    uint8_t mask = (uint8_t)(0xffu << (8 - n->cfg.prio_bits));

    switch (r->reg) {
    case R_ICSR:
        if (val & (1u << 31)) nvic_set_pending(n, EXC_NMI);
        if (val & (1u << 28)) nvic_set_pending(n, EXC_PENDSV);
        if (val & (1u << 27)) n->pending[EXC_PENDSV] = false;
        if (val & (1u << 26)) nvic_set_pending(n, EXC_SYSTICK);
        if (val & (1u << 25)) n->pending[EXC_SYSTICK] = false;
        break;
    case R_VTOR: n->vtor = val & 0xFFFFFF80u; break;
    case R_AIRCR:
        if ((val >> 16) != 0x05FA) {
            TRACE(p->tr, TR_GUEST_ERR, "scb.AIRCR: write without VECTKEY 0x05FA ignored");
            break;
        }
        n->prigroup = (val >> 8) & 7;
        if (val & (1u << 2))
            machine_request_exit(periph_machine(p), 0, "system reset requested (AIRCR.SYSRESETREQ)");
        cpu_irq_changed(n->cpu);
        break;
    case R_SCR: s->scr = val & 0x16; break;
    case R_CCR:
        n->ccr = (val & 0x31b) | 0x200;
        cpu_resync(n->cpu);         /* DIV_0_TRP / UNALIGN_TRP live in the core */
        break;
    case R_SHPR:
        for (unsigned i = r->byte; i < r->byte + r->size; i++) {
            unsigned e = 4 + r->idx * 4 + i;
            if (e == 7 || e == 8 || e == 9 || e == 10 || e == 13 || e >= 16)
                continue;
            n->prio[e] = (uint8_t)(val >> (8 * i)) & mask;
        }
        cpu_irq_changed(n->cpu);
        break;
    case R_SHCSR:
        n->shcsr_ena = val & (7u << 16);
        break;
    case R_CFSR: n->cfsr &= ~val; break;                        /* write one to clear */
    case R_HFSR: n->hfsr &= ~val; break;
    case R_DFSR: n->dfsr &= ~val; break;
    case R_MMFAR: n->mmfar = val; break;
    case R_BFAR: n->bfar = val; break;
    case R_AFSR: s->afsr &= ~val; break;
    case R_CPACR: s->cpacr = val & (0xfu << 20); break;
    default: break;
    }
}

static void scb_reset(struct periph *p)
{
    struct scb *s = to_scb(p);
    s->scr = 0;
    s->cpacr = 0;
    s->afsr = 0;
}

static int scb_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct scb *s = to_scb(p);
    const struct scb_cfg *c = cfg;
    struct periph *np;

    if (!c || !c->nvic)
        return sim_errorf(err, "%s: missing NVIC name", p->name);
    np = machine_find_periph(periph_machine(p), c->nvic);
    if (!np || np->model != &nvic_model)
        return sim_errorf(err, "%s: no NVIC named '%s' (it must come before the SCB)", p->name,
                          c->nvic);
    s->cfg = *c;
    s->nvic = container_of(np, struct nvic, dev);
    return 0;
}

#define SCB_SNAP_VERSION 1

/* The exception state behind the SCB's registers is the NVIC's. */
static void scb_save(struct periph *p, struct snap_writer *w)
{
    struct scb *s = to_scb(p);
    snap_begin(w, p->name, SCB_SNAP_VERSION);
    snap_u32(w, "scr", s->scr);
    snap_u32(w, "cpacr", s->cpacr);
    snap_u32(w, "afsr", s->afsr);
    snap_end(w);
}

static int scb_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct scb *s = to_scb(p);
    if (snap_open(r, p->name, SCB_SNAP_VERSION, err) < 0)
        return -1;
    s->scr = snap_get_u32(r, "scr");
    s->cpacr = snap_get_u32(r, "cpacr");
    s->afsr = snap_get_u32(r, "afsr");
    return snap_close(r);
}

static const struct periph_ops scb_ops = {
    .read = scb_read,
    .write = scb_write,
    .reset = scb_reset,
    .save = scb_save,
    .load = scb_load,
};

const struct periph_model scb_model = {
    .kind = "armv7m-scb",
    .regs = scb_regs,
    .nregs = R_N,
    .size = 0x90,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct scb),
    .create = scb_create,
    .ops = &scb_ops,
};
