#include "rv32_pmp.h"

#include <string.h>

#define PAGE 0x1000u

/* QEMU 5.0's pmp_table_t as it sits in the context: 16 x {addr_reg, cfg_reg}
 * (8 bytes each), 16 x {sa, ea}, then num_rules. */
#define ENTRY_STRIDE 8
#define RULES_OFF    128
#define NUM_RULES_OFF 256

int rv_pmp_find_offset(size_t *off, struct sim_error *err)
{
    uc_engine *uc;
    uc_context *ctx;
    /* csrw pmpaddr0, a0 ; csrw pmpaddr1, a1 ; csrw pmpcfg0, a2 ; nop */
    static const uint32_t code[] = { 0x3b051073, 0x3b159073, 0x3a061073, 0x00000013 };
    uint32_t v;
    size_t size;
    int rc = -1;

    if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc))
        return sim_errorf(err, "unicorn: uc_open(RISCV32) failed");
    uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31);
    uc_mem_map(uc, 0x1000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x1000, code, sizeof code);
    v = 0x12345670u >> 2;
    uc_reg_write(uc, UC_RISCV_REG_A0, &v);
    v = 0x23456780u >> 2;
    uc_reg_write(uc, UC_RISCV_REG_A1, &v);
    v = 0x0fu << 8;                             /* entry 1: TOR RWX */
    uc_reg_write(uc, UC_RISCV_REG_A2, &v);
    uc_emu_start(uc, 0x1000, 0x100c, 0, 0);
    uc_context_alloc(uc, &ctx);
    uc_context_save(uc, ctx);
    size = uc_context_size(uc);
    for (size_t o = 0; o + NUM_RULES_OFF + 4 <= size; o += 4) {
        uint32_t a0, a1, c1, sa1, ea1, n;
        const unsigned char *p = (const unsigned char *)ctx + o;
        memcpy(&a0, p, 4);
        memcpy(&a1, p + ENTRY_STRIDE, 4);
        memcpy(&c1, p + ENTRY_STRIDE + 4, 4);
        memcpy(&sa1, p + RULES_OFF + 8, 4);
        memcpy(&ea1, p + RULES_OFF + 12, 4);
        memcpy(&n, p + NUM_RULES_OFF, 4);
        if (a0 == 0x12345670u >> 2 && a1 == 0x23456780u >> 2 && (c1 & 0xff) == 0x0f &&
            sa1 == 0x12345670u && ea1 == 0x2345677fu && n == 1) {
            *off = o;
            rc = 0;
            break;
        }
    }
    uc_context_free(ctx);
    uc_close(uc);
    if (rc)
        return sim_errorf(err, "unicorn self-test failed: cannot locate the RISC-V PMP state in a "
                          "saved context; this Unicorn build differs from 2.0.1");
    return 0;
}

bool rv_pmp_is_cut(const struct rv_pmp *p, uint32_t addr)
{
    uint32_t page = addr & ~(PAGE - 1);
    for (unsigned i = 0; i < p->ncut; i++)
        if (p->cut[i] == page)
            return true;
    return false;
}

struct derived {
    uint64_t lo, hi;
    uint8_t perm;           /* R/W/X and L */
};

/* Permission bits U mode (or M mode under a lock) gets somewhere in the page. */
static uint8_t cut_page_perm(const struct pmp *s, uint32_t page, bool *locked)
{
    uint8_t x = 0;
    *locked = false;
    /* the page splits at entry boundaries; test each piece's first byte */
    uint64_t points[2 * PMP_ENTRIES + 1];
    unsigned n = 0;
    points[n++] = page;
    for (unsigned i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;
        if (!pmp_entry_range(s, i, &lo, &hi))
            continue;
        if (s->cfg[i] & PMP_L && lo < (uint64_t)page + PAGE && hi > page)
            *locked = true;
        if (lo > page && lo < (uint64_t)page + PAGE)
            points[n++] = lo;
        if (hi > page && hi < (uint64_t)page + PAGE)
            points[n++] = hi;
    }
    for (unsigned k = 0; k < n; k++) {
        int e;
        if (pmp_check(s, (uint32_t)points[k], 4, PMP_X, false, &e) ||
            (*locked && pmp_check(s, (uint32_t)points[k], 4, PMP_X, true, &e)))
            x = PMP_X;
    }
    return x;
}

static void put_entry(unsigned char *t, unsigned i, uint32_t addr_reg, uint8_t cfg, uint32_t sa,
                      uint32_t ea)
{
    uint32_t c = cfg;
    memcpy(t + i * ENTRY_STRIDE, &addr_reg, 4);
    memcpy(t + i * ENTRY_STRIDE + 4, &c, 4);
    memcpy(t + RULES_OFF + i * 8, &sa, 4);
    memcpy(t + RULES_OFF + i * 8 + 4, &ea, 4);
}

void rv_pmp_program(struct rv_pmp *p, void *ctx, struct trace *tr)
{
    const struct pmp *s = &p->shadow;
    struct derived d[2 * PMP_ENTRIES + RV_PMP_MAX_CUT];
    unsigned nd = 0, slot = 0, rules = 0;
    unsigned char *t = (unsigned char *)ctx + p->blob_off;

    /* 1. the cut pages */
    p->ncut = 0;
    p->exec_check = false;
    for (unsigned i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi, edges[2];
        if (!pmp_entry_range(s, i, &lo, &hi))
            continue;
        edges[0] = lo;
        edges[1] = hi;
        for (unsigned k = 0; k < 2; k++) {
            uint32_t page;
            bool known = false;
            if (edges[k] % PAGE == 0 || edges[k] >= (1ull << 32))
                continue;
            page = (uint32_t)edges[k] & ~(PAGE - 1);
            for (unsigned j = 0; j < p->ncut; j++)
                known |= p->cut[j] == page;
            if (known || !pmp_page_is_cut(s, page))
                continue;
            if (p->ncut == RV_PMP_MAX_CUT) {
                TRACE(tr, TR_UNIMP, "pmp: more than %u pages cut by region boundaries",
                      RV_PMP_MAX_CUT);
                continue;
            }
            p->cut[p->ncut++] = page;
        }
    }
    for (unsigned j = 0; j < p->ncut; j++) {
        bool locked;
        uint8_t x = cut_page_perm(s, p->cut[j], &locked);
        if (x)
            p->exec_check = true;
        d[nd++] = (struct derived){ p->cut[j], (uint64_t)p->cut[j] + PAGE,
                                    (uint8_t)(x | (locked ? PMP_L : 0)) };
    }
    /* 2. the whole pages inside each region, in priority order */
    for (unsigned i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi, ilo, ihi;
        if (!pmp_entry_range(s, i, &lo, &hi))
            continue;
        ilo = (lo + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        ihi = hi & ~(uint64_t)(PAGE - 1);
        if (ihi > ilo)
            d[nd++] = (struct derived){ ilo, ihi, (uint8_t)(s->cfg[i] & (PMP_R | PMP_W | PMP_X | PMP_L)) };
    }
    /* 3. encode: NAPOT when aligned to its power-of-two size, else OFF + TOR */
    memset(t, 0, NUM_RULES_OFF + 4);
    for (unsigned k = 0; k < nd && slot < PMP_ENTRIES; k++) {
        uint64_t size = d[k].hi - d[k].lo;
        bool pow2 = (size & (size - 1)) == 0 && (d[k].lo & (size - 1)) == 0 && size >= 8;
        if (pow2 && size < (1ull << 32)) {
            uint32_t areg = (uint32_t)(d[k].lo >> 2) | (uint32_t)((size >> 3) - 1);
            put_entry(t, slot++, areg, (uint8_t)(d[k].perm | (PMP_NAPOT << 3)), (uint32_t)d[k].lo,
                      (uint32_t)(d[k].hi - 1));
            rules++;
        } else if (slot + 2 <= PMP_ENTRIES) {
            put_entry(t, slot++, (uint32_t)(d[k].lo >> 2), 0, 0, 0xffffffffu);
            put_entry(t, slot++, (uint32_t)(d[k].hi >> 2), (uint8_t)(d[k].perm | (PMP_TOR << 3)),
                      (uint32_t)d[k].lo, (uint32_t)(d[k].hi - 1));
            rules++;
        } else {
            TRACE(tr, TR_UNIMP, "pmp: derived configuration needs more than 16 entries");
            break;
        }
    }
    /* U mode is denied what no entry matches, even with every entry OFF;
     * Unicorn allows everything when it has no rule: give it one (a
     * no-permission NA4 at 0) */
    if (rules == 0 && slot < PMP_ENTRIES) {
        put_entry(t, slot++, 0, (uint8_t)(PMP_NA4 << 3), 0, 3);
        rules++;
    }
    for (unsigned i = slot; i < PMP_ENTRIES; i++)
        put_entry(t, i, 0, 0, 0, 0xffffffffu);
    memcpy(t + NUM_RULES_OFF, &rules, 4);
    p->programs++;
}
