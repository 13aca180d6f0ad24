/* RV32IMAC on Unicorn: machine and user mode, trap entry (Unicorn 2.0.1
 * raises the exception and leaves mepc/mcause/mstatus alone, UNICORN.md §7),
 * interrupts from the mip lines (MTIP/MSIP from the CLINT, MEIP from the
 * PLIC), and deterministic counters: rdcycle/rdinstret/mcycle/minstret
 * (which Unicorn serves from the host TSC) are intercepted by a code hook on
 * exactly those instructions, rdtime (which Unicorn treats as illegal) is
 * emulated on the trap. The privilege level is not a register in 2.0.1: it
 * is patched in a saved context, at an offset found by a self-test.
 * Not modelled: S mode, delegation, misaligned access traps (Unicorn handles
 * misaligned loads/stores in hardware-like fashion), PMP (issue 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cpu.h"
#include "../../sim/machine.h"
#include "../../sim/snap.h"
#include "rv32_pmp.h"

#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP  (3u << 11)
#define PRV_U 0u
#define PRV_M 3u

enum rv_sync { RV_NONE, RV_EXC };       /* a: cause, b: tval; sync_epc below */

struct rv {
    struct cpu cpu;
    struct machine *m;
    uc_context *ctx;
    size_t priv_off;
    uint32_t mip;               /* interrupt lines: bit 3 MSIP, 7 MTIP, 11 MEIP */
    uint64_t mret_told;         /* instruction count when the last mret was reported */
    uint32_t priv;              /* get_priv's copy ... */
    bool priv_known;            /* ... while valid */
    bool bx_on;                 /* xr/xw: registers of a host batch */
    unsigned batch_cut_hits;    /* cut-page accesses and PMP CSRs a batch did */
    uint32_t bx_valid, bx_dirty;
    uint32_t bx[32];
    uint32_t sync_epc;
    uint64_t cycle_offset, instret_offset;  /* set by writes to mcycle/minstret */
    struct rv_pmp pmp;          /* the PMP CSRs: every access goes through us */
    bool sync_pmp;              /* the pending fault came from Unicorn's PMP */
    bool resv;                  /* LR/SC reservation of the host slow path */
    uint32_t resv_addr;
    uint64_t (*mtime_fn)(void *ctx);    /* CLINT's mtime for rdtime */
    void *mtime_ctx;
    uint32_t prefix_pc;         /* emulate() here: the host runs a PMP batch from it */
    size_t lr_off;              /* Unicorn's LR/SC reservation in a saved context (0: not found yet) */
};

static struct rv *to_rv(struct cpu *c) { return container_of(c, struct rv, cpu); }
static uint32_t rd(struct cpu *c, int reg) { return cpu_reg(c, reg); }
static void wr(struct cpu *c, int reg, uint32_t v) { cpu_set_reg(c, reg, v); }

/* Integer registers x0..x31 for the host's own execution: during a batch
 * (pmp_batch) they are read from Unicorn once, kept here, and the changed
 * ones written back when it ends. */
static uint32_t xr(struct cpu *c, unsigned n)
{
    struct rv *rv = to_rv(c);
    if (!n)
        return 0;
    if (!rv->bx_on)
        return rd(c, UC_RISCV_REG_X0 + (int)n);
    if (!((rv->bx_valid >> n) & 1)) {
        rv->bx[n] = rd(c, UC_RISCV_REG_X0 + (int)n);
        rv->bx_valid |= 1u << n;
    }
    return rv->bx[n];
}

static void xw(struct cpu *c, unsigned n, uint32_t v)
{
    struct rv *rv = to_rv(c);
    if (!n)
        return;
    if (!rv->bx_on) {
        wr(c, UC_RISCV_REG_X0 + (int)n, v);
        return;
    }
    rv->bx[n] = v;
    rv->bx_valid |= 1u << n;
    rv->bx_dirty |= 1u << n;
}

static void batch_regs_begin(struct rv *rv)
{
    rv->bx_on = true;
    rv->bx_valid = rv->bx_dirty = 0;
}

static void batch_regs_end(struct rv *rv)
{
    for (unsigned n = 1; n < 32; n++)
        if ((rv->bx_dirty >> n) & 1)
            wr(&rv->cpu, UC_RISCV_REG_X0 + (int)n, rv->bx[n]);
    rv->bx_on = false;
}

/* The privilege lives only in Unicorn's saved context (a full save to read
 * it), so it is kept here once read. Only two things change it: set_priv
 * (traps, the debugger, reset, snapshots) and an mret run by Unicorn, which
 * ends its block: the next block start (rv_after_sync) or a trap taken right
 * there forgets it first. */
static uint32_t get_priv(struct rv *rv)
{
    if (!rv->priv_known) {
        uc_context_save(rv->cpu.uc, rv->ctx);
        memcpy(&rv->priv, (char *)rv->ctx + rv->priv_off, 4);
        rv->priv_known = true;
    }
    return rv->priv;
}

static void set_priv(struct rv *rv, uint32_t p)
{
    uc_context_save(rv->cpu.uc, rv->ctx);
    memcpy((char *)rv->ctx + rv->priv_off, &p, 4);
    uc_context_restore(rv->cpu.uc, rv->ctx);
    rv->priv = p;
    rv->priv_known = true;
}

/* Machine-mode CSR read whatever the current privilege. */
static uint32_t csr_m(struct rv *rv, int reg, uint32_t priv)
{
    uint32_t v;
    if (priv == PRV_M)
        return rd(&rv->cpu, reg);
    set_priv(rv, PRV_M);
    v = rd(&rv->cpu, reg);
    set_priv(rv, priv);
    return v;
}

/* An mret ends its block (a context-synchronizing instruction), so the
 * block just charged ends with it when the next one starts: the return is
 * reported to the observer then (Unicorn runs mret itself), with the mode
 * it returned to and where. */
static void report_mret(struct rv *rv, uint32_t target)
{
    struct cpu *c = &rv->cpu;
    uint32_t at = c->prev_end - 4, insn = 0;
    struct cpu_exc_event ev = { .kind = CPU_EXC_RETURN, .from = CPU_MODE_KERNEL };

    if (rv->mret_told == c->insns || cpu_read_mem(c, at, &insn, 4) || insn != 0x30200073u)
        return;
    rv->mret_told = c->insns;
    ev.to = get_priv(rv) == PRV_U ? CPU_MODE_USER : CPU_MODE_KERNEL;
    ev.pc = at;
    ev.target = target;
    for (int i = 0; i < 4; i++)
        ev.r[i] = rd(c, UC_RISCV_REG_A0 + i);
    c->exc_obs(c->exc_obs_ctx, &ev);
}

static void trap(struct rv *rv, uint32_t cause, uint32_t epc, uint32_t tval)
{
    struct cpu *c = &rv->cpu;
    uint32_t priv, ms, mtvec, pc;

    if (c->prev_sync) {                     /* right after an mret */
        rv->priv_known = false;
        if (cpu_observed(c))
            report_mret(rv, epc);           /* the return comes before this trap */
    }
    priv = get_priv(rv);
    if (priv != PRV_M)
        set_priv(rv, PRV_M);
    ms = rd(c, UC_RISCV_REG_MSTATUS);
    ms = (ms & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE)) | (priv << 11) |
         ((ms & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    wr(c, UC_RISCV_REG_MSTATUS, ms);
    wr(c, UC_RISCV_REG_MEPC, epc);
    wr(c, UC_RISCV_REG_MCAUSE, cause);
    wr(c, UC_RISCV_REG_MTVAL, tval);
    mtvec = rd(c, UC_RISCV_REG_MTVEC);
    pc = mtvec & ~3u;
    if ((mtvec & 3) == 1 && (cause & 0x80000000u))
        pc += 4 * (cause & 0x7fffffffu);
    TRACE(c->tr, TR_EXC, "trap cause=0x%08x epc=0x%08x tval=0x%08x from %s -> 0x%08x", cause, epc,
          tval, priv == PRV_M ? "M" : "U", pc);
    if (cpu_observed(c)) {
        struct cpu_exc_event ev = {
            .kind = CPU_EXC_ENTRY, .from = priv == PRV_M ? CPU_MODE_KERNEL : CPU_MODE_USER,
            .to = CPU_MODE_HANDLER, .number = cause, .pc = epc, .target = pc,
        };
        for (int i = 0; i < 4; i++)
            ev.r[i] = rd(c, UC_RISCV_REG_A0 + i);
        if (cause == 8 || cause == 11)
            ev.svc = rd(c, UC_RISCV_REG_A4);
        c->exc_obs(c->exc_obs_ctx, &ev);
    }
    cpu_charge(c, COST_RV32_TRAP);
    cpu_jump(c, pc);
}

/* ------------------------------------------------------------ cpu_arch -- */

static void rv_after_sync(struct cpu *c)
{
    to_rv(c)->priv_known = false;           /* an mret may have run */
    if (cpu_observed(c))
        report_mret(to_rv(c), cpu_pc(c));
}

static uint32_t enabled_pending(struct rv *rv, bool need_mie)
{
    uint32_t priv, mie;
    if (!rv->mip)
        return 0;
    priv = get_priv(rv);
    mie = csr_m(rv, UC_RISCV_REG_MIE, priv);
    if (need_mie && priv == PRV_M && !(csr_m(rv, UC_RISCV_REG_MSTATUS, priv) & MSTATUS_MIE))
        return 0;
    return rv->mip & mie;
}

static bool rv_deliverable(struct cpu *c)
{
    return enabled_pending(to_rv(c), true) != 0;
}

static bool rv_wake_pending(struct cpu *c)
{
    return enabled_pending(to_rv(c), false) != 0;
}

static bool rv_can_wake(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    return csr_m(rv, UC_RISCV_REG_MIE, get_priv(rv)) != 0;
}

static bool rv_any_pending(struct cpu *c)
{
    return to_rv(c)->mip != 0;
}

static void rv_deliver(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    uint32_t p;

    if (c->bus->fault_pending) {
        /* a bad MMIO access in the block that just ran: an access fault,
         * taken where the core regained control */
        c->bus->fault_pending = false;
        trap(rv, c->bus->fault_write ? 7 : 5, cpu_pc(c), c->bus->fault_addr);
    }
    p = enabled_pending(rv, true);
    static const unsigned order[] = { 11, 3, 7 };   /* MEI, MSI, MTI */

    c->irq_poll = false;
    if (!p) {
        /* pending but masked (mie or mstatus.MIE): watch for the unmasking */
        c->irq_poll = rv->mip != 0;
        return;
    }
    for (unsigned i = 0; i < ARRAY_LEN(order); i++)
        if (p & (1u << order[i])) {
            trap(rv, 0x80000000u | order[i], cpu_pc(c), 0);
            return;
        }
}

static bool pmp_slow_access(struct rv *rv, uint32_t epc);

static void rv_sync(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    uint32_t cause = c->sync_a, tval = c->sync_b;
    bool from_pmp = rv->sync_pmp;

    c->sync_kind = RV_NONE;
    rv->sync_pmp = false;
    if (from_pmp && (cause == 5 || cause == 7) && pmp_slow_access(rv, rv->sync_epc))
        return;
    if (from_pmp && (cause == 5 || cause == 7 || cause == 1) && trace_on(c->tr, TR_MPU)) {
        int e;
        char who[48];
        unsigned acc = cause == 1 ? PMP_X : cause == 5 ? PMP_R : PMP_W;
        pmp_check(&rv->pmp.shadow, tval, 1, acc, get_priv(rv) == PRV_M, &e);
        if (e >= 0)
            snprintf(who, sizeof who, "denied by pmp entry %d", e);
        else
            snprintf(who, sizeof who, "no pmp entry matches");
        TRACE(c->tr, TR_MPU, "violation: %s at 0x%08x from %s mode, %s, pc=0x%08x",
              cause == 1 ? "instruction fetch" : cause == 5 ? "load" : "store", tval,
              get_priv(rv) == PRV_M ? "M" : "U", who, rv->sync_epc);
    }
    trap(rv, cause, rv->sync_epc, tval);
}

/* A load, store or AMO: its effective address with the current registers,
 * its size, whether it writes, and the registers it reads as base / writes. */
struct rv_access {
    uint32_t ea;
    unsigned size, len;
    bool store;
    int base, rd;           /* -1: none */
    int rs2;                /* stored / AMO operand register, -1: none */
    unsigned funct3;        /* loads: sign/size; AMO: 2 */
    int amo;                /* AMO funct5, -1: not an AMO */
};

static bool decode_access(struct cpu *c, const uint8_t *code, struct rv_access *a)
{
    uint32_t insn;
    unsigned op;

    a->rd = -1;
    a->rs2 = -1;
    a->amo = -1;
    a->funct3 = 2;
    if ((code[0] & 3) != 3) {
        unsigned hw = (unsigned)code[0] | (unsigned)code[1] << 8, f3 = hw >> 13, q = hw & 3;
        a->len = 2;
        a->size = 4;
        if (q == 0 && (f3 == 2 || f3 == 6)) {           /* c.lw / c.sw */
            unsigned rs1 = 8 + ((hw >> 7) & 7), off = ((hw >> 7) & 0x38) | ((hw << 1) & 0x40) |
                                                      ((hw >> 4) & 4);
            a->base = (int)rs1;
            a->store = f3 == 6;
            a->ea = cpu_reg(c, UC_RISCV_REG_X0 + (int)rs1) + off;
            if (!a->store)
                a->rd = 8 + (int)((hw >> 2) & 7);
            else
                a->rs2 = 8 + (int)((hw >> 2) & 7);
            return true;
        }
        if (q == 2 && f3 == 2) {                        /* c.lwsp */
            unsigned off = ((hw >> 2) & 0x1c) | ((hw >> 7) & 0x20) | ((hw << 4) & 0xc0);
            a->base = 2;
            a->store = false;
            a->ea = cpu_reg(c, UC_RISCV_REG_SP) + off;
            a->rd = (hw >> 7) & 0x1f;
            return true;
        }
        if (q == 2 && f3 == 6) {                        /* c.swsp */
            unsigned off = ((hw >> 7) & 0x3c) | ((hw >> 1) & 0xc0);
            a->base = 2;
            a->store = true;
            a->ea = cpu_reg(c, UC_RISCV_REG_SP) + off;
            a->rs2 = (int)((hw >> 2) & 0x1f);
            return true;
        }
        return false;
    }
    memcpy(&insn, code, 4);
    op = insn & 0x7f;
    a->len = 4;
    a->base = (int)((insn >> 15) & 0x1f);
    a->funct3 = (insn >> 12) & 7;
    if (op == 0x03) {                                   /* loads */
        a->size = 1u << ((insn >> 12) & 3);
        a->store = false;
        a->rd = (int)((insn >> 7) & 0x1f);
        a->ea = cpu_reg(c, UC_RISCV_REG_X0 + a->base) + (uint32_t)((int32_t)insn >> 20);
        return true;
    }
    if (op == 0x23) {                                   /* stores */
        int32_t imm = ((int32_t)(insn & 0xfe000000u) >> 20) | (int32_t)((insn >> 7) & 0x1f);
        a->size = 1u << ((insn >> 12) & 3);
        a->store = true;
        a->ea = cpu_reg(c, UC_RISCV_REG_X0 + a->base) + (uint32_t)imm;
        a->rs2 = (int)((insn >> 20) & 0x1f);
        return true;
    }
    if (op == 0x2f) {                                   /* AMO, LR/SC */
        a->size = 4;
        a->store = (insn >> 27) != 2;                   /* all but lr.w write */
        a->rd = (int)((insn >> 7) & 0x1f);
        a->ea = cpu_reg(c, UC_RISCV_REG_X0 + a->base);
        a->rs2 = (int)((insn >> 20) & 0x1f);
        a->amo = (int)(insn >> 27);
        return true;
    }
    return false;
}

/* Unicorn stops an unmapped access with the registers exactly as before the
 * faulting instruction but the PC at the block start (UNICORN.md §5). Find
 * the instruction: a load/store whose address, with the current registers,
 * covers the fault address. When two match, the earlier one is passed over
 * if its base register is written between them (a pointer that moved on:
 * the earlier instruction ran with the old value). */
static uint32_t find_faulting_pc(struct cpu *c, uint32_t fault, bool store)
{
    uint8_t code[4096];
    uint32_t start = c->blk_addr, end = c->prev_end, best = start;
    int best_base = -1;
    bool have = false;

    if (end <= start || end - start > sizeof code || cpu_read_mem(c, start, code, end - start))
        return start;
    for (uint32_t off = 0; off < end - start;) {
        struct rv_access a;
        unsigned len = (code[off] & 3) == 3 ? 4 : 2;
        if (decode_access(c, code + off, &a)) {
            if (a.store == store && fault - a.ea < a.size) {
                if (!have || best_base < 0) {
                    best = start + off;
                    best_base = a.base;
                    have = true;
                } else {
                    /* keep the earlier candidate unless its base moved since */
                    (void)0;
                }
            }
        }
        /* a write to the earlier candidate's base register: it is stale */
        if (have && best_base > 0 && start + off != best) {
            unsigned rdn = 0;
            bool writes = false;
            if (len == 4) {
                uint32_t insn;
                memcpy(&insn, code + off, 4);
                unsigned op = insn & 0x7f;
                writes = op != 0x23 && op != 0x63 && op != 0x73 && op != 0x0f;
                rdn = (insn >> 7) & 0x1f;
            } else {
                unsigned hw = (unsigned)code[off] | (unsigned)code[off + 1] << 8;
                rdn = (hw >> 7) & 0x1f;         /* rd/rs1 field of most compressed forms */
                writes = (hw & 3) == 1 || (hw & 3) == 2;
                if ((hw & 3) == 1 && (hw >> 13) >= 4)
                    rdn = 8 + ((hw >> 7) & 7);
            }
            if (writes && (int)rdn == best_base)
                have = false;                   /* look for a later match */
        }
        off += len;
    }
    return have ? best : start;
}

static void rv_mem_error(struct cpu *c, uc_err err)
{
    if (c->sync_kind) {
        struct rv *rv = to_rv(c);
        if (c->sync_a == 5 || c->sync_a == 7) {
            rv->sync_epc = find_faulting_pc(c, c->sync_b, c->sync_a == 7);
            cpu_rewind_to(c, rv->sync_epc);
        }
        rv_sync(c);
        return;
    }
    cpu_set_fatal(c, "unicorn stopped: %s at pc=0x%08x", uc_strerror(err), cpu_pc(c));
}

static bool rv_stopped_on_wfi(struct cpu *c, uint32_t pc)
{
    uint32_t w = 0;
    return cpu_read_mem(c, pc - 4, &w, 4) == 0 && w == 0x10500073u;
}

/* CSR accesses we emulate (Unicorn serves the counters from the host TSC,
 * and mip without our interrupt lines): cycle/instret (read-only forms; a
 * write is left to Unicorn, which raises the illegal-instruction trap),
 * mcycle/minstret (any form; a write sets an offset), and reads of mip. */
enum emu_csr_kind { EMU_NONE, EMU_COUNTER, EMU_MIP };

static enum emu_csr_kind emulated_csr(uint32_t insn, unsigned *csr, unsigned *rd_out)
{
    unsigned f3 = (insn >> 12) & 7, c = insn >> 20, rs1 = (insn >> 15) & 0x1f;
    bool writes = f3 == 1 || f3 == 5 || rs1 != 0;   /* csrrs/c x0 and csrrsi/ci 0 only read */

    if ((insn & 0x7f) != 0x73 || f3 == 0 || f3 == 4)
        return EMU_NONE;
    *csr = c;
    *rd_out = (insn >> 7) & 0x1f;
    switch (c) {
    case 0xC00: case 0xC02: case 0xC80: case 0xC82:
        return writes ? EMU_NONE : EMU_COUNTER;
    case 0xB00: case 0xB02: case 0xB80: case 0xB82:
        return EMU_COUNTER;
    case 0x344:
        return writes ? EMU_NONE : EMU_MIP;
    default:
        return EMU_NONE;
    }
}

/* csrrw/s/c(i) on pmpcfg0-3 or pmpaddr0-15 */
static bool is_pmp_access(uint32_t insn)
{
    unsigned f3 = (insn >> 12) & 7, csr = insn >> 20;
    if ((insn & 0x7f) != 0x73 || f3 == 0 || f3 == 4)
        return false;
    return (csr >= 0x3A0 && csr <= 0x3A3) || (csr >= 0x3B0 && csr <= 0x3BF);
}

/* Performs a PMP CSR access on the shadow copy; rd gets the old value. */
static void pmp_csr(struct rv *rv, uint32_t insn)
{
    struct cpu *c = &rv->cpu;
    struct pmp *sh = &rv->pmp.shadow;
    unsigned f3 = (insn >> 12) & 7, csr = insn >> 20, rs1 = (insn >> 15) & 0x1f;
    unsigned rdn = (insn >> 7) & 0x1f;
    uint32_t src = (f3 & 4) ? rs1 : xr(c, rs1), old, nv;
    bool writes = f3 == 1 || f3 == 5 || rs1 != 0;
    struct pmp before = *sh;

    if (csr <= 0x3A3) {
        unsigned base = (csr - 0x3A0) * 4;
        old = 0;
        for (unsigned i = 0; i < 4; i++)
            old |= (uint32_t)sh->cfg[base + i] << (8 * i);
        nv = (f3 & 3) == 1 ? src : (f3 & 3) == 2 ? old | src : old & ~src;
        if (writes)
            for (unsigned i = 0; i < 4; i++)
                if (!(sh->cfg[base + i] & PMP_L)) {    /* locked entries ignore writes */
                    sh->cfg[base + i] = (uint8_t)(nv >> (8 * i)) & 0x9f;
                    if ((sh->cfg[base + i] & (PMP_R | PMP_W)) == PMP_W)
                        TRACE(c->tr, TR_GUEST_ERR, "pmp: pmp%ucfg has W without R (reserved: "
                              "taken as neither read nor write)", base + i);
                }
    } else {
        unsigned i = csr - 0x3B0;
        bool locked = (sh->cfg[i] & PMP_L) ||
                      (i + 1 < PMP_ENTRIES && (sh->cfg[i + 1] & PMP_L) &&
                       ((sh->cfg[i + 1] & PMP_A) >> 3) == PMP_TOR);
        old = sh->addr[i];
        nv = (f3 & 3) == 1 ? src : (f3 & 3) == 2 ? old | src : old & ~src;
        if (writes && !locked)
            sh->addr[i] = nv;
    }
    xw(c, rdn, old);
    if (writes && memcmp(&before, sh, sizeof before)) {
        bool locked = false;
        for (unsigned i = 0; i < PMP_ENTRIES; i++)
            locked |= ((before.cfg[i] | sh->cfg[i]) & PMP_L) != 0;
        rv->pmp.dirty = true;
        /* applied at once: U-mode instruction fetches after the next mret
         * are checked while Unicorn translates, before any block hook */
        (void)locked;
        cpu_resync(c);
    }
}

static unsigned rv_insn_flags(struct cpu *c, const uint8_t *code, unsigned avail)
{
    uint32_t insn;
    unsigned csr, rdn, f3, rs1;
    (void)c;
    if (avail < 4 || (code[0] & 3) != 3)
        return 0;
    memcpy(&insn, code, 4);
    if (emulated_csr(insn, &csr, &rdn) != EMU_NONE)
        return CPU_INSN_EMULATE;
    if ((insn & 0xf800707fu) == 0x1800202fu)
        return CPU_INSN_EMULATE;            /* sc.w: Unicorn skips its alignment check */
    if (is_pmp_access(insn))
        return CPU_INSN_EMULATE;            /* the PMP CSRs are ours (rv32_pmp.h) */
    if (insn == 0x30200073u)
        return CPU_INSN_SYNC;               /* mret: reported after it (report_mret) */

    /* a write to mstatus or mie may unmask a pending interrupt */
    f3 = (insn >> 12) & 7;
    rs1 = (insn >> 15) & 0x1f;
    csr = insn >> 20;
    if ((insn & 0x7f) == 0x73 && f3 && f3 != 4 && (csr == 0x300 || csr == 0x304) &&
        (f3 == 1 || f3 == 5 || rs1))
        return CPU_INSN_UNMASK;
    return 0;
}

/* ---------------------------------------------------- PMP write batches --
 * A kernel reprograms the PMP with a run of CSR writes separated by a few
 * instructions that compute the values (lw; srli; csrw pmpaddrN, ...). Each
 * PMP access needs the host; stopping Unicorn for each one costs a
 * retranslation. Once stopped at one, the host carries on with the
 * straight-line code that follows, as long as every instruction is one of
 * the simple integer ones below (no branch, no store, no MMIO, no trap
 * possible), so a whole switch costs one stop. */


static int32_t sx(uint32_t v, unsigned bits) { return (int32_t)(v << (32 - bits)) >> (32 - bits); }

static uint32_t alu(unsigned f3, bool alt, uint32_t a, uint32_t b)
{
    switch (f3) {
    case 0: return alt ? a - b : a + b;
    case 1: return a << (b & 31);
    case 2: return (int32_t)a < (int32_t)b;
    case 3: return a < b;
    case 4: return a ^ b;
    case 5: return alt ? (uint32_t)((int32_t)a >> (b & 31)) : a >> (b & 31);
    case 6: return a | b;
    default: return a & b;
    }
}

/* A plain RAM word the current mode may read (M mode: locked entries). */
static bool batch_load_n(struct rv *rv, uint32_t a, unsigned size, uint32_t *v)
{
    int e;
    uint8_t *p;
    if ((a & (size - 1)) || !(p = bus_ram_ptr(rv->cpu.bus, a, size)) ||
        !pmp_check(&rv->pmp.shadow, a, size, PMP_R, get_priv(rv) == PRV_M, &e))
        return false;
    *v = 0;
    memcpy(v, p, size);                 /* little-endian host and guest */
    if (rv_pmp_is_cut(&rv->pmp, a))
        rv->batch_cut_hits++;
    return true;
}

static bool batch_load(struct rv *rv, uint32_t a, uint32_t *v)
{
    return batch_load_n(rv, a, 4, v);
}

/* A plain RAM word the current mode may write (never ROM or MMIO): written,
 * and a reservation on it is lost. The host's store bypasses Unicorn's
 * self-modifying-code check, as pmp_slow_access's does: a page both
 * written here and executed would keep its old translation (PMP regions
 * never grant W and X together to an app). */
static bool batch_store_n(struct rv *rv, uint32_t a, unsigned size, uint32_t v)
{
    int e;
    const struct bus_region *r = bus_region_at(rv->cpu.bus, a);
    if ((a & (size - 1)) || !r || r->rom || size > r->size - (a - r->base) ||
        !pmp_check(&rv->pmp.shadow, a, size, PMP_W, get_priv(rv) == PRV_M, &e))
        return false;
    memcpy(r->host + (a - r->base), &v, size);
    if (rv->resv && rv->resv_addr == (a & ~3u))
        rv->resv = false;
    if (rv_pmp_is_cut(&rv->pmp, a))
        rv->batch_cut_hits++;
    return true;
}

static bool batch_store(struct rv *rv, uint32_t a, uint32_t v)
{
    return batch_store_n(rv, a, 4, v);
}

/* Performs the instruction at pc if it is one of the simple ones; false
 * (nothing changed) otherwise. */
static bool batch_step(struct rv *rv, uint32_t pc, uint32_t insn, unsigned *len, uint32_t *target,
                       bool *taken)
{
    struct cpu *c = &rv->cpu;
    unsigned op = insn & 0x7f, rdn = (insn >> 7) & 0x1f, f3 = (insn >> 12) & 7;
    unsigned r1 = (insn >> 15) & 0x1f, r2 = (insn >> 20) & 0x1f, f7 = insn >> 25;
    uint32_t v;

    *taken = false;
    if ((insn & 3) == 3) {
        *len = 4;
        switch (op) {
        case 0x63: {                                                         /* branches */
            uint32_t a = xr(c, r1), b = xr(c, r2);
            bool t;
            switch (f3) {
            case 0: t = a == b; break;
            case 1: t = a != b; break;
            case 4: t = (int32_t)a < (int32_t)b; break;
            case 5: t = (int32_t)a >= (int32_t)b; break;
            case 6: t = a < b; break;
            case 7: t = a >= b; break;
            default: return false;
            }
            if ((*taken = t))
                *target = pc + (uint32_t)sx(((insn >> 19) & 0x1000) | ((insn << 4) & 0x800) |
                                            ((insn >> 20) & 0x7e0) | ((insn >> 7) & 0x1e), 13);
            return true;
        }
        case 0x6f:                                                           /* jal */
            xw(c, rdn, pc + 4);
            *taken = true;
            *target = pc + (uint32_t)sx(((insn >> 11) & 0x100000) | (insn & 0xff000) |
                                        ((insn >> 9) & 0x800) | ((insn >> 20) & 0x7fe), 21);
            return true;
        case 0x37: xw(c, rdn, insn & 0xfffff000u); return true;             /* lui */
        case 0x17: xw(c, rdn, pc + (insn & 0xfffff000u)); return true;      /* auipc */
        case 0x13:                                                           /* op-imm */
            if ((f3 == 1 && f7 != 0) || (f3 == 5 && f7 != 0 && f7 != 0x20))
                return false;
            xw(c, rdn, alu(f3, f3 == 5 && f7 == 0x20, xr(c, r1),
                           f3 == 1 || f3 == 5 ? r2 : (uint32_t)sx(insn >> 20, 12)));
            return true;
        case 0x33:                                                           /* op */
            if (f7 != 0 && !(f7 == 0x20 && (f3 == 0 || f3 == 5)))
                return false;
            xw(c, rdn, alu(f3, f7 == 0x20, xr(c, r1), xr(c, r2)));
            return true;
        case 0x03: {                                         /* lb, lh, lw, lbu, lhu */
            static const uint8_t sizes[8] = { 1, 2, 4, 0, 1, 2, 0, 0 };
            unsigned size = sizes[f3];
            if (!size || !batch_load_n(rv, xr(c, r1) + (uint32_t)sx(insn >> 20, 12), size, &v))
                return false;
            if (f3 == 0)
                v = (uint32_t)(int32_t)(int8_t)v;
            else if (f3 == 1)
                v = (uint32_t)(int32_t)(int16_t)v;
            xw(c, rdn, v);
            return true;
        }
        case 0x23:                                                   /* sb, sh, sw */
            return f3 <= 2 &&
                   batch_store_n(rv, xr(c, r1) + (uint32_t)sx(((insn >> 20) & 0xfe0) | rdn, 12),
                                 1u << f3, xr(c, r2));
        case 0x73:
            if (!is_pmp_access(insn) || get_priv(rv) != PRV_M)
                return false;
            pmp_csr(rv, insn);
            rv->batch_cut_hits++;           /* the host's business too: go on */
            return true;
        default:
            return false;
        }
    }
    /* compressed */
    uint32_t h = insn & 0xffff, q = h & 3, f = h >> 13;
    unsigned rdp = 8 + ((h >> 2) & 7), r1p = 8 + ((h >> 7) & 7), rfull = (h >> 7) & 0x1f;
    unsigned rs2 = (h >> 2) & 0x1f;
    uint32_t imm6 = ((h >> 7) & 0x20) | ((h >> 2) & 0x1f);
    *len = 2;
    if (h == 0)
        return false;
    if (q == 1 && (f == 1 || f == 5)) {                                      /* c.jal, c.j */
        uint32_t o = ((h >> 1) & 0x800) | ((h << 2) & 0x400) | ((h >> 1) & 0x300) |
                     ((h << 1) & 0x80) | ((h >> 1) & 0x40) | ((h << 3) & 0x20) |
                     ((h >> 7) & 0x10) | ((h >> 2) & 0xe);
        if (f == 1)
            xw(c, 1, pc + 2);
        *taken = true;
        *target = pc + (uint32_t)sx(o, 12);
        return true;
    }
    if (q == 1 && (f == 6 || f == 7)) {                                      /* c.beqz, c.bnez */
        uint32_t o = ((h >> 4) & 0x100) | ((h << 1) & 0xc0) | ((h << 3) & 0x20) |
                     ((h >> 7) & 0x18) | ((h >> 2) & 6);
        if ((*taken = (xr(c, r1p) == 0) == (f == 6)))
            *target = pc + (uint32_t)sx(o, 9);
        return true;
    }
    if (q == 0 && f == 0) {                                                  /* c.addi4spn */
        uint32_t nz = ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 4) | ((h >> 2) & 8);
        if (!nz)
            return false;
        xw(c, rdp, xr(c, 2) + nz);
        return true;
    }
    if (q == 0 && f == 2) {                                                  /* c.lw */
        uint32_t off = ((h >> 7) & 0x38) | ((h >> 4) & 4) | ((h << 1) & 0x40);
        if (!batch_load(rv, xr(c, r1p) + off, &v))
            return false;
        xw(c, rdp, v);
        return true;
    }
    if (q == 1 && (f == 0 || f == 2)) {                                      /* c.addi, c.li */
        xw(c, rfull, (f == 0 ? xr(c, rfull) : 0) + (uint32_t)sx(imm6, 6));
        return true;
    }
    if (q == 1 && f == 3) {
        if (rfull == 2) {                                                    /* c.addi16sp */
            uint32_t nz = ((h >> 3) & 0x200) | ((h >> 2) & 0x10) | ((h << 1) & 0x40) |
                          ((h << 4) & 0x180) | ((h << 3) & 0x20);
            if (!nz)
                return false;
            xw(c, 2, xr(c, 2) + (uint32_t)sx(nz, 10));
            return true;
        }
        if (!imm6)
            return false;
        xw(c, rfull, (uint32_t)sx(imm6 << 12, 18));                          /* c.lui */
        return true;
    }
    if (q == 1 && f == 4) {
        unsigned sub = (h >> 10) & 3;
        uint32_t a = xr(c, r1p);
        if (sub == 0 || sub == 1) {                                          /* c.srli, c.srai */
            if (imm6 & 0x20)
                return false;
            xw(c, r1p, sub ? (uint32_t)((int32_t)a >> imm6) : a >> imm6);
            return true;
        }
        if (sub == 2) {                                                      /* c.andi */
            xw(c, r1p, a & (uint32_t)sx(imm6, 6));
            return true;
        }
        if (h & 0x1000)
            return false;                                                    /* RV64 forms */
        static const unsigned f3s[4] = { 0, 4, 6, 7 };                       /* sub xor or and */
        unsigned k = (h >> 5) & 3;
        xw(c, r1p, alu(f3s[k], k == 0, a, xr(c, rdp)));
        return true;
    }
    if (q == 2 && f == 0) {                                                  /* c.slli */
        if (imm6 & 0x20)
            return false;
        xw(c, rfull, xr(c, rfull) << imm6);
        return true;
    }
    if (q == 2 && f == 2 && rfull) {                                         /* c.lwsp */
        uint32_t off = ((h >> 7) & 0x20) | ((h >> 2) & 0x1c) | ((h << 4) & 0xc0);
        if (!batch_load(rv, xr(c, 2) + off, &v))
            return false;
        xw(c, rfull, v);
        return true;
    }
    if (q == 0 && f == 6) {                                                  /* c.sw */
        uint32_t off = ((h >> 7) & 0x38) | ((h >> 4) & 4) | ((h << 1) & 0x40);
        return batch_store(rv, xr(c, r1p) + off, xr(c, rdp));
    }
    if (q == 2 && f == 6) {                                                  /* c.swsp */
        uint32_t off = ((h >> 7) & 0x3c) | ((h >> 1) & 0xc0);
        return batch_store(rv, xr(c, 2) + off, xr(c, rs2));
    }
    if (q == 2 && f == 4 && rs2) {                                           /* c.mv, c.add */
        xw(c, rfull, ((h & 0x1000) ? xr(c, rfull) : 0) + xr(c, rs2));
        return true;
    }
    return false;
}

/* Carries on from pc after an instruction the host did (a PMP CSR access,
 * a data access decided in a cut page): returns where Unicorn resumes, and
 * in *last_ls whether the last instruction done was a load/store (given:
 * the one before pc). Every fetch is checked against the PMP as Unicorn's
 * would be; costs are charged as the block decoder does, the pipelining
 * discount of a load/store after another included. */
static uint32_t pmp_batch(struct rv *rv, uint32_t pc, bool *last_ls)
{
    struct cpu *c = &rv->cpu;
    bool m = get_priv(rv) == PRV_M;

    /* the debugger's breakpoints and watchpoints are Unicorn's business */
    if (SIM_UNLIKELY(c->dbg_active))
        return pc;
    batch_regs_begin(rv);
    rv->batch_cut_hits = 0;
    for (unsigned n = 0, quiet = 0; n < 256; n++) {
        uint8_t code[4] = { 0 };
        uint32_t insn, target = 0;
        bool taken;
        unsigned len;
        struct insn_cost ic;
        /* an event or an interrupt is due: Unicorn resumes (the run's own
         * limit is not looked at, as it is only at block starts: where a
         * run is cut never changes what the host does here) */
        if (c->q->now >= c->q->next || c->stop_req || (c->irq_check && c->arch->deliverable(c)))
            break;
        int e;
        unsigned cost;
        unsigned hits = rv->batch_cut_hits;
        const uint8_t *p = bus_ram_ptr(c->bus, pc, 2);
        if (!p)
            break;
        memcpy(code, p, 2);
        if ((code[0] & 3) == 3) {
            if (!(p = bus_ram_ptr(c->bus, pc, 4)))
                break;
            memcpy(code, p, 4);
        }
        if (!pmp_check(&rv->pmp.shadow, pc, (code[0] & 3) == 3 ? 4 : 2, PMP_X, m, &e))
            break;              /* Unicorn raises the fetch fault */
        insn = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
               (uint32_t)code[3] << 24;
        if (!batch_step(rv, pc, insn, &len, &target, &taken))
            break;
        c->decode(code, len, &ic);
        cost = cost_after(&ic, *last_ls);
        *last_ls = cost_is_ls(ic.kind);
        cpu_charge(c, cost + (taken ? ic.penalty : 0u));
        c->insns++;
        pc = taken ? target : pc + len;
        /* code that no longer touches a cut page runs faster in Unicorn */
        quiet = rv->batch_cut_hits != hits ? 0 : quiet + 1;
        if (quiet >= 32)
            break;
    }
    batch_regs_end(rv);
    return pc;
}

/* Goes on after the host's instruction (see pmp_batch), then lets Unicorn
 * resume where the batch stopped, as the fall-through of what it did. */
static void resume_after_host(struct rv *rv, uint32_t pc, bool last_ls)
{
    uint32_t to = pmp_batch(rv, pc, &last_ls);
    cpu_jump(&rv->cpu, to);
    rv->cpu.prev_end = to;
    rv->cpu.prev_last_ls = last_ls;
}

/* Register-only instructions that cannot fail or branch (for host_prefix). */
static bool pure_alu(uint32_t insn)
{
    unsigned op = insn & 0x7f, f3 = (insn >> 12) & 7, f7 = insn >> 25;
    if ((insn & 3) == 3)
        return op == 0x37 || op == 0x17 ||
               (op == 0x13 && !(f3 == 1 && f7) && !(f3 == 5 && f7 && f7 != 0x20)) ||
               (op == 0x33 && (f7 == 0 || (f7 == 0x20 && (f3 == 0 || f3 == 5))));
    uint32_t h = insn & 0xffff, q = h & 3, f = h >> 13, imm6 = ((h >> 7) & 0x20) | ((h >> 2) & 0x1f);
    return (q == 1 && (f == 0 || f == 2 || (f == 3 && imm6) || (f == 4 && !(h & 0x1000 && ((h >> 10) & 3) == 3)))) ||
           (q == 2 && f == 0 && !(imm6 & 0x20)) || (q == 2 && f == 4 && ((h >> 2) & 0x1f));
}

/* A block that reaches a PMP access in M mode after register-only
 * instructions: the host does the lot (see pmp_batch). */
static bool rv_host_prefix(struct cpu *c, uint32_t addr, uint32_t at)
{
    struct rv *rv = to_rv(c);
    uint8_t code[4];
    uint32_t insn = 0;

    if (c->dbg_active || get_priv(rv) != PRV_M || at - addr > 64 ||
        (rv->pmp.exec_check && (rv_pmp_is_cut(&rv->pmp, addr) || rv_pmp_is_cut(&rv->pmp, at + 3))) ||
        cpu_read_mem(c, at, &insn, 4) || !is_pmp_access(insn))
        return false;
    for (uint32_t a = addr; a < at;) {
        if (cpu_read_mem(c, a, code, 2))
            return false;
        if ((code[0] & 3) == 3 && cpu_read_mem(c, a, code, 4))
            return false;
        insn = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
               (uint32_t)code[3] << 24;
        if (!pure_alu(insn))
            return false;
        a += (code[0] & 3) == 3 ? 4 : 2;
    }
    rv->prefix_pc = addr;
    return true;
}

/* The run stopped right before a counter or mip access, or an SC.W: do it
 * here (an aligned SC.W goes back to Unicorn, which keeps the reservation). */
static bool rv_emulate(struct cpu *c, uint32_t pc)
{
    struct rv *rv = to_rv(c);
    uint32_t insn = 0, old, val;
    unsigned csr, rdn, f3;
    enum emu_csr_kind kind;

    if (pc == rv->prefix_pc) {
        rv->prefix_pc = 1;
        resume_after_host(rv, pc, false);
        return true;
    }
    if (cpu_read_mem(c, pc, &insn, 4) == 0 && is_pmp_access(insn)) {
        if (get_priv(rv) != PRV_M) {
            trap(rv, 2, pc, insn);
            return true;
        }
        pmp_csr(rv, insn);
        cpu_charge(c, 1);
        c->insns++;
        resume_after_host(rv, pc + 4, false);
        return true;
    }
    if (rv->pmp.exec_check && (rv_pmp_is_cut(&rv->pmp, pc) || rv_pmp_is_cut(&rv->pmp, pc + 2))) {
        int e;
        bool m = get_priv(rv) == PRV_M;
        uint16_t half = 0;
        unsigned len = cpu_read_mem(c, pc, &half, 2) == 0 && (half & 3) != 3 ? 2 : 4;
        /* each half of the instruction is fetched on its own: mtval names
         * the first half that is denied (privileged spec 3.1.16) */
        for (unsigned h = 0; h < len; h += 2) {
            if (!pmp_check(&rv->pmp.shadow, pc + h, 2, PMP_X, m, &e)) {
                TRACE(c->tr, TR_MPU, "violation: instruction fetch at 0x%08x (pc 0x%08x), pmp entry %d",
                      pc + h, pc, e);
                trap(rv, 1, pc, pc + h);
                return true;
            }
        }
        if (insn == 0 || !emulated_csr(insn, &csr, &rdn))
            return false;                   /* executable after all: run it */
    }
    if ((insn & 0xf800707fu) == 0x1800202fu) {
        uint32_t a = rd(c, UC_RISCV_REG_X0 + (int)((insn >> 15) & 0x1f));
        if (!(a & 3))
            return false;
        trap(rv, 6, pc, a);                 /* misaligned SC.W: store/AMO misaligned */
        return true;
    }
    if (!(kind = emulated_csr(insn, &csr, &rdn))) {
        cpu_set_fatal(c, "internal: no emulated instruction at 0x%08x", pc);
        return true;
    }
    f3 = (insn >> 12) & 7;
    if (kind == EMU_COUNTER && (csr & 0xf00) == 0xC00) {
        uint32_t priv = get_priv(rv);
        if (priv != PRV_M && !(csr_m(rv, UC_RISCV_REG_MCOUNTEREN, priv) & (1u << (csr & 0x1f)))) {
            trap(rv, 2, pc, insn);          /* not enabled for U mode by mcounteren */
            return true;
        }
    }
    if (kind == EMU_MIP) {
        uint32_t priv = get_priv(rv);
        old = rv->mip | (csr_m(rv, UC_RISCV_REG_MIP, priv) & ~(uint32_t)0x888);
    } else {
        bool is_cycle = (csr & 0x7f) == 0x00;
        uint64_t *offset = is_cycle ? &rv->cycle_offset : &rv->instret_offset;
        uint64_t now64 = (is_cycle ? c->q->now : c->insns) + *offset;
        old = (uint32_t)((csr & 0x80) ? now64 >> 32 : now64);
        val = (f3 & 4) ? (insn >> 15) & 0x1f : rd(c, UC_RISCV_REG_X0 + (int)((insn >> 15) & 0x1f));
        if ((csr & 0xf00) == 0xB00 && (f3 == 1 || f3 == 5 || val)) {
            uint32_t nv = (f3 & 3) == 1 ? val : (f3 & 3) == 2 ? old | val : old & ~val;
            uint64_t new64 = (csr & 0x80) ? ((uint64_t)nv << 32) | (uint32_t)now64
                                          : (now64 & 0xffffffff00000000ull) | nv;
            /* instret: the written value is what reads see once this
             * instruction has retired */
            *offset += new64 - now64 - (is_cycle ? 0 : 1);
        }
    }
    if (rdn)
        wr(c, UC_RISCV_REG_X0 + (int)rdn, old);
    cpu_charge(c, 1);
    c->insns++;
    cpu_jump(c, pc + 4);
    return true;
}

/* After a PMP change Unicorn's TLB still holds the old permissions
 * (UNICORN.md §7): flush it. Toggling mstatus.MXR makes QEMU flush. */
static void rv_apply(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    uint32_t priv, ms, msx;

    if (!rv->pmp.dirty)
        return;
    rv->pmp.dirty = false;
    /* a run of writes that ends where it started (a context switch back to
     * the same process, a rewrite of the same values) changes nothing */
    if (rv->pmp.programmed && !memcmp(&rv->pmp.applied, &rv->pmp.shadow, sizeof rv->pmp.shadow))
        return;
    rv->pmp.applied = rv->pmp.shadow;
    rv->pmp.programmed = true;
    uc_context_save(c->uc, rv->ctx);
    rv_pmp_program(&rv->pmp, rv->ctx, c->tr);
    uc_context_restore(c->uc, rv->ctx);
    c->exec_check = rv->pmp.exec_check;
    if (!cpu_tlb_flush(c)) {
        /* toggling mstatus.MXR makes QEMU flush its TLB */
        priv = get_priv(rv);
        if (priv != PRV_M)
            set_priv(rv, PRV_M);
        ms = rd(c, UC_RISCV_REG_MSTATUS);
        msx = ms ^ (1u << 19);
        wr(c, UC_RISCV_REG_MSTATUS, msx);
        wr(c, UC_RISCV_REG_MSTATUS, ms);
        if (priv != PRV_M)
            set_priv(rv, priv);
    }
    if (trace_on(c->tr, TR_MPU)) {
        for (unsigned i = 0; i < PMP_ENTRIES; i++) {
            char buf[96];
            if (!(rv->pmp.shadow.cfg[i] & PMP_A))
                continue;
            pmp_describe(&rv->pmp.shadow, i, buf, sizeof buf);
            trace_emit(c->tr, TR_MPU, "config: %s", buf);
        }
        for (unsigned j = 0; j < rv->pmp.ncut; j++)
            trace_emit(c->tr, TR_MPU, "config: page 0x%08x is cut: decided by the host",
                       rv->pmp.cut[j]);
    }
}

/* Blocks in a page cut by a PMP boundary: may every instruction run? */
static bool rv_check_block(struct cpu *c, uint32_t addr, uint32_t size, uint32_t *off)
{
    struct rv *rv = to_rv(c);
    bool m;
    uint8_t code[4];

    if (!rv_pmp_is_cut(&rv->pmp, addr) && !rv_pmp_is_cut(&rv->pmp, addr + size - 1))
        return false;
    m = get_priv(rv) == PRV_M;
    for (uint32_t o = 0; o < size;) {
        int e;
        unsigned len;
        if (cpu_read_mem(c, addr + o, code, 2))
            return false;
        len = (code[0] & 3) == 3 ? 4 : 2;
        if (!pmp_check(&rv->pmp.shadow, addr + o, len, PMP_X, m, &e)) {
            *off = o;
            return true;
        }
        o += len;
    }
    return false;
}

/* A data access that Unicorn's (derived) PMP stopped in a cut page: decide
 * it to the byte; if it is allowed, perform it here and go on. Returns true
 * when it was performed. */
static bool pmp_slow_access(struct rv *rv, uint32_t epc)
{
    struct cpu *c = &rv->cpu;
    struct rv_access a;
    struct insn_cost ic;
    uint8_t code[4] = { 0 };
    uint8_t *mem;
    bool m;
    int e;
    uint32_t val = 0, src;

    if (cpu_read_mem(c, epc, code, 2) || ((code[0] & 3) == 3 && cpu_read_mem(c, epc, code, 4)) ||
        !decode_access(c, code, &a))
        return false;
    if (!rv_pmp_is_cut(&rv->pmp, a.ea) && !rv_pmp_is_cut(&rv->pmp, a.ea + a.size - 1))
        return false;
    m = get_priv(rv) == PRV_M;
    if (!pmp_check(&rv->pmp.shadow, a.ea, a.size, a.store && a.amo != 2 ? PMP_W : PMP_R, m, &e) ||
        (a.amo >= 0 && a.amo != 2 && a.amo != 3 &&
         !pmp_check(&rv->pmp.shadow, a.ea, a.size, PMP_R, m, &e)))
        return false;
    mem = bus_ram_ptr(c->bus, a.ea, a.size);
    if (!mem || (a.ea & (a.size - 1)))
        return false;
    src = a.rs2 >= 0 ? rd(c, UC_RISCV_REG_X0 + a.rs2) : 0;
    for (unsigned i = 0; i < a.size; i++)
        val |= (uint32_t)mem[i] << (8 * i);
    if (a.amo >= 0) {
        uint32_t nv = val;
        bool store = true;
        switch (a.amo) {
        case 0x02: rv->resv = true; rv->resv_addr = a.ea; store = false; break;    /* lr.w */
        case 0x03:                                                               /* sc.w */
            store = rv->resv && rv->resv_addr == a.ea;
            rv->resv = false;
            nv = src;
            val = store ? 0 : 1;
            break;
        case 0x01: nv = src; break;                                              /* swap */
        case 0x00: nv = val + src; break;
        case 0x04: nv = val ^ src; break;
        case 0x0c: nv = val & src; break;
        case 0x08: nv = val | src; break;
        case 0x10: nv = (int32_t)val < (int32_t)src ? val : src; break;
        case 0x14: nv = (int32_t)val > (int32_t)src ? val : src; break;
        case 0x18: nv = val < src ? val : src; break;
        case 0x1c: nv = val > src ? val : src; break;
        default: return false;
        }
        if (store)
            memcpy(mem, &nv, 4);
    } else if (a.store) {
        for (unsigned i = 0; i < a.size; i++)
            mem[i] = (uint8_t)(src >> (8 * i));
        if (rv->resv && rv->resv_addr == (a.ea & ~3u))
            rv->resv = false;
    } else {
        /* lb/lh sign-extend; lbu/lhu (funct3 4, 5) and lw do not */
        if (a.funct3 == 0)
            val = (uint32_t)(int32_t)(int8_t)val;
        else if (a.funct3 == 1)
            val = (uint32_t)(int32_t)(int16_t)val;
    }
    if (a.rd > 0 && (!a.store || a.amo >= 0))
        wr(c, UC_RISCV_REG_X0 + a.rd, val);
    rv->pmp.slow_accesses++;
    cpu_rewind_to(c, epc);
    c->decode(code, a.len, &ic);            /* charged as the block decoder does */
    cpu_charge(c, cost_after(&ic, c->prev_last_ls));
    c->insns++;
    resume_after_host(rv, epc + a.len, cost_is_ls(ic.kind));
    return true;
}

/* --------------------------------------------------------- debugger -- */

/* The registers a debugger sees (GDB numbering = index): GDB's RISC-V core
 * feature, machine-mode CSRs, and the privilege level. */
#define RV_CORE "org.gnu.gdb.riscv.cpu"
#define RV_CSR "org.gnu.gdb.riscv.csr"
#define X(n) { n, "int", "general", RV_CORE }
#define CSR(n) { n, "int", "system", RV_CSR }
static const struct cpu_reg_desc rv_dbg_regs[] = {
    X("zero"), { "ra", "code_ptr", "general", RV_CORE }, { "sp", "data_ptr", "general", RV_CORE },
    X("gp"), X("tp"), X("t0"), X("t1"), X("t2"), { "fp", "data_ptr", "general", RV_CORE },
    X("s1"), X("a0"), X("a1"), X("a2"), X("a3"), X("a4"), X("a5"), X("a6"), X("a7"),
    X("s2"), X("s3"), X("s4"), X("s5"), X("s6"), X("s7"), X("s8"), X("s9"), X("s10"), X("s11"),
    X("t3"), X("t4"), X("t5"), X("t6"), { "pc", "code_ptr", "general", RV_CORE },
    CSR("mstatus"), CSR("misa"), CSR("mie"), CSR("mtvec"), CSR("mscratch"), CSR("mepc"),
    CSR("mcause"), CSR("mtval"), CSR("mip"), CSR("mcounteren"), CSR("mhartid"),
    CSR("mcycle"), CSR("minstret"), CSR("mcycleh"), CSR("minstreth"),
    CSR("pmpcfg0"), CSR("pmpcfg1"), CSR("pmpcfg2"), CSR("pmpcfg3"),
    CSR("pmpaddr0"), CSR("pmpaddr1"), CSR("pmpaddr2"), CSR("pmpaddr3"), CSR("pmpaddr4"),
    CSR("pmpaddr5"), CSR("pmpaddr6"), CSR("pmpaddr7"), CSR("pmpaddr8"), CSR("pmpaddr9"),
    CSR("pmpaddr10"), CSR("pmpaddr11"), CSR("pmpaddr12"), CSR("pmpaddr13"), CSR("pmpaddr14"),
    CSR("pmpaddr15"),
    { "priv", "int", "general", "org.gnu.gdb.riscv.virtual" },
};
#undef X
#undef CSR

enum { RV_DBG_PC = 32, RV_DBG_CSR = 33, RV_DBG_MIP = 41, RV_DBG_MCYCLE = 44, RV_DBG_PMPCFG = 48,
       RV_DBG_PMPADDR = 52, RV_DBG_PRIV = 68 };

static int rv_dbg_reg(struct cpu *c, unsigned n, uint32_t *v, bool write)
{
    static const int csrs[] = { UC_RISCV_REG_MSTATUS, UC_RISCV_REG_MISA, UC_RISCV_REG_MIE,
                                UC_RISCV_REG_MTVEC, UC_RISCV_REG_MSCRATCH, UC_RISCV_REG_MEPC,
                                UC_RISCV_REG_MCAUSE, UC_RISCV_REG_MTVAL, UC_RISCV_REG_MIP,
                                UC_RISCV_REG_MCOUNTEREN, UC_RISCV_REG_MHARTID };
    struct rv *rv = to_rv(c);
    uint32_t priv;

    if (n < 32) {
        if (!write)
            *v = n ? rd(c, UC_RISCV_REG_X0 + (int)n) : 0;
        else if (n)
            wr(c, UC_RISCV_REG_X0 + (int)n, *v);
    } else if (n == RV_DBG_PC) {
        if (write)
            cpu_jump(c, *v & ~1u);
        else
            *v = rd(c, UC_RISCV_REG_PC);
    } else if (n == RV_DBG_MIP) {
        /* the interrupt lines are the peripherals' (writes ignored) */
        if (!write)
            *v = rv->mip | (csr_m(rv, UC_RISCV_REG_MIP, get_priv(rv)) & ~(uint32_t)0x888);
    } else if (n < RV_DBG_MCYCLE) {
        priv = get_priv(rv);
        if (!write) {
            *v = csr_m(rv, csrs[n - RV_DBG_CSR], priv);
        } else {
            if (priv != PRV_M)
                set_priv(rv, PRV_M);
            wr(c, csrs[n - RV_DBG_CSR], *v);
            if (priv != PRV_M)
                set_priv(rv, priv);
            cpu_irq_changed(c);
        }
    } else if (n < RV_DBG_PMPCFG) {
        bool is_cycle = ((n - RV_DBG_MCYCLE) & 1) == 0, high = n - RV_DBG_MCYCLE >= 2;
        uint64_t *offset = is_cycle ? &rv->cycle_offset : &rv->instret_offset;
        uint64_t now64 = (is_cycle ? c->q->now : c->insns) + *offset, new64;
        if (!write) {
            *v = (uint32_t)(high ? now64 >> 32 : now64);
        } else {
            new64 = high ? ((uint64_t)*v << 32) | (uint32_t)now64
                         : (now64 & 0xffffffff00000000ull) | *v;
            *offset += new64 - now64;
        }
    } else if (n < RV_DBG_PRIV) {
        if (write)
            return -1;                  /* the PMP is the guest's to program */
        if (n < RV_DBG_PMPADDR) {
            unsigned base = (n - RV_DBG_PMPCFG) * 4;
            *v = 0;
            for (unsigned i = 0; i < 4; i++)
                *v |= (uint32_t)rv->pmp.shadow.cfg[base + i] << (8 * i);
        } else {
            *v = rv->pmp.shadow.addr[n - RV_DBG_PMPADDR];
        }
    } else if (n == RV_DBG_PRIV) {
        if (!write)
            *v = get_priv(rv);
        else if (*v == PRV_M || *v == PRV_U)
            set_priv(rv, *v);
        else
            return -1;
    } else {
        return -1;
    }
    return 0;
}

/* The instructions of the block being executed whose access (with the
 * current registers) would cover addr. */
struct rv_locate_ctx {
    uint32_t addr;
    bool write;
};

static bool rv_access_covers(struct cpu *c, uint32_t pc, const uint8_t *code, uint32_t addr,
                             bool write, unsigned *len)
{
    struct rv_access a;
    (void)pc;
    *len = (code[0] & 3) == 3 ? 4 : 2;
    return decode_access(c, code, &a) && addr - a.ea < a.size &&
           (a.store == write || (a.amo >= 0 && a.amo != 3));
}

static int rv_locate_match(struct cpu *c, uint32_t pc, const uint8_t *code, void *vctx,
                           unsigned *len)
{
    const struct rv_locate_ctx *x = vctx;
    return rv_access_covers(c, pc, code, x->addr, x->write, len);
}

static unsigned rv_locate(struct cpu *c, uint32_t addr, bool write, uint32_t *pcs, unsigned max)
{
    struct rv_locate_ctx x = { addr, write };
    return cpu_locate_in_block(c, rv_locate_match, &x, pcs, max);
}

static void rv_save(struct cpu *c, struct snap_writer *w);
static int rv_load(struct cpu *c, struct snap_reader *r, struct sim_error *err);

static void rv_free_core(struct cpu *c)
{
    if (to_rv(c)->ctx)
        uc_context_free(to_rv(c)->ctx);
}

static const struct cpu_arch rv_arch = {
    .free_core = rv_free_core,
    .name = "rv32imac",
    .deliver = rv_deliver,
    .after_sync = rv_after_sync,
    .wake_pending = rv_wake_pending,
    .deliverable = rv_deliverable,
    .any_pending = rv_any_pending,
    .can_wake = rv_can_wake,
    .sync = rv_sync,
    .mem_error = rv_mem_error,
    .insn_flags = rv_insn_flags,
    .apply = rv_apply,
    .dbg_regs = rv_dbg_regs,
    .dbg_nregs = ARRAY_LEN(rv_dbg_regs),
    .dbg_reg = rv_dbg_reg,
    .locate_access = rv_locate,
    .access_covers = rv_access_covers,
    .check_block = rv_check_block,
    .emulate = rv_emulate,
    .stopped_on_wfi = rv_stopped_on_wfi,
    .host_prefix = rv_host_prefix,
    .save = rv_save,
    .load = rv_load,
};

/* ------------------------------------------------------------- hooks -- */

static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
    struct rv *rv = ud;
    struct cpu *c = &rv->cpu;
    uint32_t pc = cpu_pc(c), epc = pc - 4, insn = 0;

    /* Unicorn adds 4 to the PC for every synchronous exception. */
    cpu_read_mem(c, epc, &insn, 4);
    if (intno == 2 && (insn & 0x7f) == 0x73 && ((insn >> 12) & 3) && ((insn >> 20) == 0xC01 ||
                                                                     (insn >> 20) == 0xC81)) {
        /* rdtime: the CLINT's mtime (10 MHz), emulated */
        unsigned rdn = (insn >> 7) & 0x1f;
        uint32_t priv = get_priv(rv);
        if (priv != PRV_M && !(csr_m(rv, UC_RISCV_REG_MCOUNTEREN, priv) & 2u)) {
            c->sync_kind = RV_EXC;
            rv->sync_epc = epc;
            c->sync_a = 2;
            c->sync_b = insn;
            c->hook_stopped = true;
            uc_emu_stop(uc);
            return;
        }
        uint64_t t = rv->mtime_fn ? rv->mtime_fn(rv->mtime_ctx) : 0;
        if (rdn)
            wr(c, UC_RISCV_REG_X0 + (int)rdn, (uint32_t)((insn >> 20) == 0xC81 ? t >> 32 : t));
        cpu_jump(c, pc);
        return;
    }
    c->sync_kind = RV_EXC;
    rv->sync_epc = epc;
    c->sync_b = 0;
    switch (intno) {
    case 8: {                                   /* ecall: cause = 8 + privilege */
        c->sync_a = 8 + get_priv(rv);
        break;
    }
    case 2:
        c->sync_a = 2;
        c->sync_b = (insn & 3) == 3 ? insn : (insn & 0xffff);
        break;
    case 3:
        c->sync_a = 3;
        c->sync_b = epc;
        break;
    case 1:                                     /* fetch denied by the PMP */
        c->sync_a = 1;
        c->sync_b = epc;
        rv->sync_pmp = true;
        break;
    case 4: case 5: case 6: case 7: {
        /* misaligned or access fault: Unicorn gives no mtval; the address
         * comes from the instruction (registers are as before it) */
        struct rv_access a;
        uint8_t code[4];
        c->sync_a = intno;
        rv->sync_pmp = intno == 5 || intno == 7;
        if (cpu_read_mem(c, epc, code, 4) == 0 && decode_access(c, code, &a)) {
            c->sync_b = a.ea;
            if ((insn & 0x7f) == 0x2f && (insn >> 27) != 2 && (intno == 4 || intno == 5))
                c->sync_a = intno + 2;      /* AMO/SC: a store/AMO fault */
        }
        break;
    }
    default:
        c->sync_a = intno;
        break;
    }
    c->hook_stopped = true;
    uc_emu_stop(uc);
}

static bool hook_invalid(uc_engine *uc, void *ud)
{
    struct rv *rv = ud;
    struct cpu *c = &rv->cpu;
    uint32_t pc = cpu_pc(c), insn = 0;

    cpu_read_mem(c, pc, &insn, 4);
    c->sync_kind = RV_EXC;
    rv->sync_epc = pc;
    if ((insn & 0xffff) == 0x9002 || insn == 0x00100073u) {
        c->sync_a = 3;                          /* ebreak, c.ebreak */
        c->sync_b = pc;
    } else {
        c->sync_a = 2;
        c->sync_b = (insn & 3) == 3 ? insn : (insn & 0xffff);
    }
    c->hook_stopped = true;
    return true;
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                          void *ud)
{
    struct rv *rv = ud;
    struct cpu *c = &rv->cpu;
    int dbg = cpu_debug_prot_hook(c, type, addr, size, value);    /* a watched page */
    (void)uc; (void)size; (void)value;
    if (dbg)
        return dbg == 1;
    c->sync_kind = RV_EXC;
    c->sync_b = (uint32_t)addr;
    if (type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT) {
        c->sync_a = 1;
        rv->sync_epc = (uint32_t)addr;
    } else {
        c->sync_a = (type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT) ? 7 : 5;
        rv->sync_epc = cpu_pc(c);               /* block start: refined in rv_mem_error */
    }
    TRACE(c->tr, TR_GUEST_ERR, "access fault cause=%u addr=0x%08x", c->sync_a, (uint32_t)addr);
    return false;
}

/* Finds where the privilege level sits in a saved context: run an mret from
 * M to U in a scratch engine and compare contexts (UNICORN.md §7). */
static int find_priv_offset(size_t *off, struct sim_error *err)
{
    uc_engine *uc;
    uc_context *a, *b;
    size_t size;
    uint32_t mret = 0x30200073u, loop = 0x0000006fu, v;
    int found = -1;

    if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc))
        return sim_errorf(err, "unicorn: uc_open(RISCV32) failed");
    uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31);
    uc_mem_map(uc, 0x1000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x1000, &mret, 4);
    uc_mem_write(uc, 0x1004, &loop, 4);
    v = 0x1004;
    uc_reg_write(uc, UC_RISCV_REG_MEPC, &v);
    v = 0;                                      /* MPP = U */
    uc_reg_write(uc, UC_RISCV_REG_MSTATUS, &v);
    uc_context_alloc(uc, &a);
    uc_context_alloc(uc, &b);
    size = uc_context_size(uc);
    uc_context_save(uc, a);
    uc_emu_start(uc, 0x1000, 0x1004, 0, 0);
    uc_context_save(uc, b);
    uc_reg_read(uc, UC_RISCV_REG_PC, &v);
    for (size_t o = 0; v == 0x1004 && o + 4 <= size; o += 4) {
        uint32_t x, y;
        memcpy(&x, (char *)a + o, 4);
        memcpy(&y, (char *)b + o, 4);
        if (x == PRV_M && y == PRV_U) {
            *off = o;
            found = 0;
            break;
        }
    }
    uc_context_free(a);
    uc_context_free(b);
    uc_close(uc);
    if (found)
        return sim_errorf(err, "unicorn self-test: cannot find the RISC-V privilege level in a "
                          "saved context (mret from M to U: pc=0x%x); this Unicorn build differs "
                          "from 2.0.1", v);
    return 0;
}

/* A host breakpoint on a kernel mret: reports the return it is about to
 * make (registers exact here), then lets Unicorn execute it. */
void cpu_rv32_set_line(void *ctx, unsigned bit, bool level)
{
    struct rv *rv = ctx;
    uint32_t m = 1u << bit;
    rv->mip = level ? (rv->mip | m) : (rv->mip & ~m);
    cpu_irq_changed(&rv->cpu);
}

void cpu_rv32_set_mtime_source(struct cpu *c, uint64_t (*fn)(void *), void *ctx)
{
    struct rv *rv = to_rv(c);
    rv->mtime_fn = fn;
    rv->mtime_ctx = ctx;
}

struct cpu *cpu_rv32_create(struct machine *m, struct bus *b, struct evq *q, struct trace *tr,
                            uint64_t cpu_hz, struct sim_error *err)
{
    struct rv *rv = calloc(1, sizeof *rv);
    uc_engine *uc;
    uc_hook h;

    if (!rv) {
        sim_errorf(err, "out of memory");
        return NULL;
    }
    if (cpu_selftest_rv(err) || find_priv_offset(&rv->priv_off, err) ||
        rv_pmp_find_offset(&rv->pmp.blob_off, err)) {
        free(rv);
        return NULL;
    }
    rv->m = m;
    rv->prefix_pc = 1;
    rv->cpu.arch = &rv_arch;
    rv->cpu.m = m;
    rv->cpu.pc_reg = UC_RISCV_REG_PC;
    if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc)) {
        sim_errorf(err, "unicorn: uc_open(RISCV32) failed");
        free(rv);
        return NULL;
    }
    if (uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31)) {
        sim_errorf(err, "unicorn: cannot select the SiFive E31 (RV32IMAC) model");
        uc_close(uc);
        free(rv);
        return NULL;
    }
    if (uc_context_alloc(uc, &rv->ctx)) {
        sim_errorf(err, "unicorn: uc_context_alloc failed");
        uc_close(uc);
        free(rv);
        return NULL;
    }
    if (cpu_common_init(&rv->cpu, uc, b, q, tr, cpu_hz, cost_rv32, err))
        goto fail;
    if (uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)hook_intr, rv, 1, 0) ||
        uc_hook_add(uc, &h, UC_HOOK_INSN_INVALID, (void *)hook_invalid, rv, 1, 0) ||
        uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, (void *)hook_unmapped, rv, 1,
                    0)) {
        sim_errorf(err, "unicorn: cannot install the RV32 hooks");
        goto fail;
    }
    return &rv->cpu;
fail:
    uc_context_free(rv->ctx);
    cpu_common_free(&rv->cpu);
    free(rv);
    return NULL;
}

int cpu_rv32_reset(struct cpu *c, uint32_t entry, struct sim_error *err)
{
    struct rv *rv = to_rv(c);
    (void)err;
    set_priv(rv, PRV_M);
    wr(c, UC_RISCV_REG_MSTATUS, 0);
    wr(c, UC_RISCV_REG_MIE, 0);
    wr(c, UC_RISCV_REG_A0, 0);      /* hart id */
    wr(c, UC_RISCV_REG_A1, 0);      /* no device tree */
    cpu_jump(c, entry);
    return 0;
}

/* ---------------------------------------------------------- snapshots -- */

#define RV_SNAP_VERSION 1

/* M-mode CSRs Unicorn keeps (the PMP CSRs and the counters are ours). */
static const int rv_csrs[] = {
    UC_RISCV_REG_MSTATUS, UC_RISCV_REG_MIE, UC_RISCV_REG_MTVEC, UC_RISCV_REG_MCOUNTEREN,
    UC_RISCV_REG_MSCRATCH, UC_RISCV_REG_MEPC, UC_RISCV_REG_MCAUSE, UC_RISCV_REG_MTVAL,
    UC_RISCV_REG_MEDELEG, UC_RISCV_REG_MIDELEG, UC_RISCV_REG_MIP,
};

/* Where Unicorn's LR/SC reservation (address, value: two u32) sits in a
 * saved context: an lr.w in a scratch engine sets it to known values.
 * Found on first use; 0 if this Unicorn build hides it. */
static size_t find_lr_offset(void)
{
    uint32_t lr = 0x1005A52Fu;      /* lr.w a0, (a1) */
    uint32_t a1 = 0x1100, marker = 0xA5C3A5C3u;
    uc_engine *uc;
    uc_context *a = NULL, *b = NULL;
    size_t size, off = 0;

    if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc))
        return 0;
    uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31);
    uc_mem_map(uc, 0x1000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x1000, &lr, 4);
    uc_mem_write(uc, a1, &marker, 4);
    uc_reg_write(uc, UC_RISCV_REG_A1, &a1);
    if (uc_context_alloc(uc, &a) || uc_context_alloc(uc, &b))
        goto out;
    size = uc_context_size(uc);
    uc_context_save(uc, a);
    if (uc_emu_start(uc, 0x1000, 0x1004, 0, 1) != UC_ERR_OK)
        goto out;
    uc_context_save(uc, b);
    for (size_t o = 4; o + 8 <= size; o += 4) {
        uint32_t x, y, v;
        memcpy(&x, (char *)a + o, 4);
        memcpy(&y, (char *)b + o, 4);
        memcpy(&v, (char *)b + o + 4, 4);
        if (x != y && y == a1 && v == marker) {
            off = o;
            break;
        }
    }
out:
    if (a)
        uc_context_free(a);
    if (b)
        uc_context_free(b);
    uc_close(uc);
    return off;
}

/* Registers, privilege, CSRs, Unicorn's LR/SC reservation, then what this
 * file keeps beside Unicorn: interrupt lines, counter offsets, the PMP
 * shadow, the host slow path's reservation. */
static void rv_save(struct cpu *c, struct snap_writer *w)
{
    struct rv *rv = to_rv(c);
    uint32_t priv = get_priv(rv), lres[2] = { 0, 0 };

    if (!rv->lr_off)
        rv->lr_off = find_lr_offset();
    if (rv->lr_off) {
        uc_context_save(c->uc, rv->ctx);
        memcpy(lres, (char *)rv->ctx + rv->lr_off, sizeof lres);
    }

    snap_begin(w, c->arch->name, RV_SNAP_VERSION);
    for (int i = 1; i < 32; i++)
        snap_u32(w, "x", rd(c, UC_RISCV_REG_X0 + i));
    snap_u32(w, "pc", rd(c, UC_RISCV_REG_PC));
    snap_u32(w, "priv", priv);
    for (unsigned i = 0; i < ARRAY_LEN(rv_csrs); i++)
        snap_u32(w, "csr", csr_m(rv, rv_csrs[i], priv));
    snap_u32s(w, "load_res", lres, 2);
    snap_u32(w, "mip", rv->mip);
    snap_u32(w, "sync_epc", rv->sync_epc);
    snap_u64(w, "cycle_offset", rv->cycle_offset);
    snap_u64(w, "instret_offset", rv->instret_offset);
    snap_bytes(w, "pmpcfg", rv->pmp.shadow.cfg, PMP_ENTRIES);
    snap_u32s(w, "pmpaddr", rv->pmp.shadow.addr, PMP_ENTRIES);
    snap_bool(w, "pmp_dirty", rv->pmp.dirty);
    snap_bool(w, "pmp_programmed", rv->pmp.programmed);
    snap_bytes(w, "pmpcfg_applied", rv->pmp.applied.cfg, PMP_ENTRIES);
    snap_u32s(w, "pmpaddr_applied", rv->pmp.applied.addr, PMP_ENTRIES);
    snap_bool(w, "sync_pmp", rv->sync_pmp);
    snap_bool(w, "resv", rv->resv);
    snap_u32(w, "resv_addr", rv->resv_addr);
    snap_u32(w, "prefix_pc", rv->prefix_pc);
    snap_end(w);
}

static int rv_load(struct cpu *c, struct snap_reader *r, struct sim_error *err)
{
    struct rv *rv = to_rv(c);
    uint32_t x[32], pc, priv, csr[ARRAY_LEN(rv_csrs)], trace_mask, lres[2];
    bool dirty, programmed;
    struct pmp applied, shadow;

    if (snap_open(r, c->arch->name, RV_SNAP_VERSION, err) < 0)
        return -1;
    for (int i = 1; i < 32; i++)
        x[i] = snap_get_u32(r, "x");
    pc = snap_get_u32(r, "pc");
    priv = snap_get_u32(r, "priv");
    if (priv != PRV_M && priv != PRV_U)
        return snap_fail(r, "priv", "%u, expected 0 (U) or 3 (M)", priv);
    snap_get_u32s(r, "csr", csr, ARRAY_LEN(rv_csrs));
    snap_get_u32s(r, "load_res", lres, 2);
    rv->mip = snap_get_u32(r, "mip");
    rv->sync_epc = snap_get_u32(r, "sync_epc");
    rv->cycle_offset = snap_get_u64(r, "cycle_offset");
    rv->instret_offset = snap_get_u64(r, "instret_offset");
    snap_get_bytes(r, "pmpcfg", rv->pmp.shadow.cfg, PMP_ENTRIES);
    snap_get_u32s(r, "pmpaddr", rv->pmp.shadow.addr, PMP_ENTRIES);
    dirty = snap_get_bool(r, "pmp_dirty");
    programmed = snap_get_bool(r, "pmp_programmed");
    snap_get_bytes(r, "pmpcfg_applied", applied.cfg, PMP_ENTRIES);
    snap_get_u32s(r, "pmpaddr_applied", applied.addr, PMP_ENTRIES);
    rv->sync_pmp = snap_get_bool(r, "sync_pmp");
    rv->resv = snap_get_bool(r, "resv");
    rv->resv_addr = snap_get_u32(r, "resv_addr");
    rv->prefix_pc = snap_get_u32(r, "prefix_pc");
    if (snap_close(r))
        return -1;

    /* CSRs are written from M mode, the privilege last; in M mode, drop
     * the translations of the memory the restore changed */
    set_priv(rv, PRV_M);
    cpu_snapshot_invalidate(c);
    for (unsigned i = 0; i < ARRAY_LEN(rv_csrs); i++)
        wr(c, rv_csrs[i], csr[i]);
    for (int i = 1; i < 32; i++)
        wr(c, UC_RISCV_REG_X0 + i, x[i]);
    wr(c, UC_RISCV_REG_PC, pc);
    if (!rv->lr_off)
        rv->lr_off = find_lr_offset();
    if (rv->lr_off) {
        uc_context_save(c->uc, rv->ctx);
        memcpy((char *)rv->ctx + rv->lr_off, lres, sizeof lres);
        uc_context_restore(c->uc, rv->ctx);
    }
    /* Unicorn's PMP as it was applied (derived pages recomputed; nothing
     * to do if this engine already has it), quietly; a re-apply pending at
     * the snapshot still happens afterwards. (A snapshot taken before the
     * first PMP programming restored into an engine that has one gets a
     * configuration with every entry off: U mode denied everything, as the
     * architecture has it, where Unicorn's reset state allows it all.) */
    shadow = rv->pmp.shadow;
    rv->pmp.shadow = applied;
    trace_mask = c->tr->mask;
    c->tr->mask = 0;
    rv->pmp.dirty = programmed || rv->pmp.programmed;
    rv_apply(c);
    c->tr->mask = trace_mask;
    rv->pmp.shadow = shadow;
    rv->pmp.dirty = dirty;
    set_priv(rv, priv);
    return 0;
}
