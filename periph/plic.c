#include "plic.h"

#include "../sim/snap.h"

#include <string.h>

static const struct reg_desc plic_regs[PLIC_NREGS] = {
    [PLIC_PRIORITY]   = { "PRIORITY",   0x000000, REG_RW, PLIC_MAX_SOURCES, 4 },
    [PLIC_PENDING]    = { "PENDING",    0x001000, REG_RO, PLIC_WORDS, 4 },
    [PLIC_ENABLE0]    = { "ENABLE0",    0x002000, REG_RW, PLIC_WORDS, 4 },
    [PLIC_ENABLE1]    = { "ENABLE1",    0x002080, REG_RW, PLIC_WORDS, 4 },
    [PLIC_THRESHOLD0] = { "THRESHOLD0", 0x200000, REG_RW, 0, 0 },
    [PLIC_CLAIM0]     = { "CLAIM0",     0x200004, REG_RW, 0, 0 },
    [PLIC_THRESHOLD1] = { "THRESHOLD1", 0x201000, REG_RW, 0, 0 },
    [PLIC_CLAIM1]     = { "CLAIM1",     0x201004, REG_RW, 0, 0 },
};

static struct plic *to_plic(struct periph *p)
{
    return container_of(p, struct plic, dev);
}

static bool bit(const uint32_t *v, unsigned n)
{
    return (v[n >> 5] >> (n & 31)) & 1;
}

static void set_bit(uint32_t *v, unsigned n, bool on)
{
    if (on)
        v[n >> 5] |= 1u << (n & 31);
    else
        v[n >> 5] &= ~(1u << (n & 31));
}

/* Best source for context ctx, 0 if none. */
static unsigned best(const struct plic *pl, unsigned ctx)
{
    unsigned max_irq = 0;
    uint32_t max_prio = pl->st.threshold[ctx];

    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t cand = pl->st.pending[w] & ~pl->st.claimed[w] & pl->st.enable[ctx][w];
        while (cand) {
            unsigned n = w * 32 + (unsigned)__builtin_ctz(cand);
            cand &= cand - 1;
            if (n < pl->cfg.num_sources && pl->st.priority[n] > max_prio) {
                max_prio = pl->st.priority[n];
                max_irq = n;
            }
        }
    }
    return max_irq;
}

static void update(struct plic *pl)
{
    irq_set(&pl->dev.irq[PLIC_IRQ_MEIP], best(pl, 0) != 0);
    irq_set(&pl->dev.irq[PLIC_IRQ_SEIP], best(pl, 1) != 0);
}

void plic_set_source(void *ctx, unsigned n, bool level)
{
    struct plic *pl = to_plic(ctx);

    if (n == 0 || n >= pl->cfg.num_sources) {
        TRACE(pl->dev.tr, TR_GUEST_ERR, "%s: interrupt on source %u (sources are 1..%u)",
              pl->dev.name, n, pl->cfg.num_sources - 1);
        return;
    }
    set_bit(pl->st.level, n, level);
    set_bit(pl->st.pending, n, level);
    TRACE(pl->dev.tr, TR_IRQ, "%s: source %u %s", pl->dev.name, n, level ? "high" : "low");
    update(pl);
}

static uint32_t claim(struct plic *pl, unsigned ctx)
{
    unsigned n = best(pl, ctx);
    if (n) {
        set_bit(pl->st.pending, n, false);
        set_bit(pl->st.claimed, n, true);
    }
    update(pl);
    return n;
}

static void complete(struct plic *pl, unsigned ctx, uint32_t n)
{
    (void)ctx;
    if (n >= pl->cfg.num_sources) {
        TRACE(pl->dev.tr, TR_GUEST_ERR, "%s: complete of source %u ignored", pl->dev.name, n);
        return;
    }
    set_bit(pl->st.claimed, n, false);
    if (bit(pl->st.level, n))
        set_bit(pl->st.pending, n, true);
    update(pl);
}

static uint32_t plic_read(struct periph *p, const struct reg_ref *r)
{
    struct plic *pl = to_plic(p);

    switch (r->reg) {
    case PLIC_PRIORITY:
        return r->idx < pl->cfg.num_sources ? pl->st.priority[r->idx] : 0;
    case PLIC_PENDING:
        return pl->st.pending[r->idx];
    case PLIC_ENABLE0:
        return pl->st.enable[0][r->idx];
    case PLIC_ENABLE1:
        return pl->st.enable[1][r->idx];
    case PLIC_THRESHOLD0:
        return pl->st.threshold[0];
    case PLIC_THRESHOLD1:
        return pl->st.threshold[1];
    case PLIC_CLAIM0:
        return claim(pl, 0);
    case PLIC_CLAIM1:
        return claim(pl, 1);
    }
    return 0;
}

static uint32_t source_mask(const struct plic *pl, unsigned word)
{
    unsigned lo = word * 32, n = pl->cfg.num_sources;
    if (n <= lo)
        return 0;
    return n - lo >= 32 ? 0xFFFFFFFFu : (1u << (n - lo)) - 1;
}

static void plic_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct plic *pl = to_plic(p);
    uint32_t levels = pl->cfg.num_priorities + 1;

    switch (r->reg) {
    case PLIC_PRIORITY:
        if (r->idx >= pl->cfg.num_sources) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.PRIORITY[%u]: no such source", p->name, r->idx);
            return;
        }
        if ((levels & (levels - 1)) == 0)
            pl->st.priority[r->idx] = val % levels;
        else if (val <= pl->cfg.num_priorities)
            pl->st.priority[r->idx] = val;
        break;
    case PLIC_ENABLE0:
    case PLIC_ENABLE1:
        pl->st.enable[r->reg - PLIC_ENABLE0][r->idx] = val & source_mask(pl, r->idx);
        break;
    case PLIC_THRESHOLD0:
    case PLIC_THRESHOLD1:
        if ((levels & (levels - 1)) == 0)
            pl->st.threshold[r->reg == PLIC_THRESHOLD1] = val % levels;
        else if (val <= pl->cfg.num_priorities)
            pl->st.threshold[r->reg == PLIC_THRESHOLD1] = val;
        break;
    case PLIC_CLAIM0:
        complete(pl, 0, val);
        return;
    case PLIC_CLAIM1:
        complete(pl, 1, val);
        return;
    default:
        return;
    }
    update(pl);
}

static void plic_reset(struct periph *p)
{
    struct plic *pl = to_plic(p);
    uint32_t level[PLIC_WORDS];

    memcpy(level, pl->st.level, sizeof level);      /* the lines keep their levels */
    memset(&pl->st, 0, sizeof pl->st);
    memcpy(pl->st.level, level, sizeof level);
    memcpy(pl->st.pending, level, sizeof level);
    update(pl);
}

static int plic_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct plic *pl = to_plic(p);

    if (cfg)
        pl->cfg = *(const struct plic_cfg *)cfg;
    if (pl->cfg.num_sources == 0)
        pl->cfg.num_sources = 96;
    if (pl->cfg.num_priorities == 0)
        pl->cfg.num_priorities = 7;
    if (pl->cfg.num_sources < 2 || pl->cfg.num_sources > PLIC_MAX_SOURCES)
        return sim_errorf(err, "%s: num_sources: found %u, expected 2..%u", p->name,
                          pl->cfg.num_sources, PLIC_MAX_SOURCES);
    return 0;
}

#define PLIC_SNAP_VERSION 1

static void plic_save(struct periph *p, struct snap_writer *w)
{
    struct plic *pl = to_plic(p);
    snap_begin(w, p->name, PLIC_SNAP_VERSION);
    snap_u32s(w, "priority", pl->st.priority, PLIC_MAX_SOURCES);
    snap_u32s(w, "pending", pl->st.pending, PLIC_WORDS);
    snap_u32s(w, "claimed", pl->st.claimed, PLIC_WORDS);
    snap_u32s(w, "level", pl->st.level, PLIC_WORDS);
    for (unsigned c = 0; c < PLIC_NCTX; c++)
        snap_u32s(w, "enable", pl->st.enable[c], PLIC_WORDS);
    snap_u32s(w, "threshold", pl->st.threshold, PLIC_NCTX);
    snap_end(w);
}

static int plic_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct plic *pl = to_plic(p);

    if (snap_open(r, p->name, PLIC_SNAP_VERSION, err) < 0)
        return -1;
    snap_get_u32s(r, "priority", pl->st.priority, PLIC_MAX_SOURCES);
    snap_get_u32s(r, "pending", pl->st.pending, PLIC_WORDS);
    snap_get_u32s(r, "claimed", pl->st.claimed, PLIC_WORDS);
    snap_get_u32s(r, "level", pl->st.level, PLIC_WORDS);
    for (unsigned c = 0; c < PLIC_NCTX; c++)
        snap_get_u32s(r, "enable", pl->st.enable[c], PLIC_WORDS);
    snap_get_u32s(r, "threshold", pl->st.threshold, PLIC_NCTX);
    return snap_close(r);
}

static const struct periph_ops plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .reset = plic_reset,
    .save = plic_save,
    .load = plic_load,
};

const struct periph_model plic_model = {
    .kind = "sifive-plic",
    .regs = plic_regs,
    .nregs = PLIC_NREGS,
    .size = 0x202000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct plic),
    .create = plic_create,
    .ops = &plic_ops,
    .sink = plic_set_source,
};
