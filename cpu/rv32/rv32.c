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
    uint32_t sync_epc;
    /* counter CSR reads intercepted (addresses already hooked) */
    uint32_t hooked[64];
    unsigned nhooked;
    uint64_t (*mtime_fn)(void *ctx);    /* CLINT's mtime for rdtime */
    void *mtime_ctx;
};

static struct rv *to_rv(struct cpu *c) { return container_of(c, struct rv, cpu); }
static uint32_t rd(struct cpu *c, int reg) { return cpu_reg(c, reg); }
static void wr(struct cpu *c, int reg, uint32_t v) { cpu_set_reg(c, reg, v); }

static uint32_t get_priv(struct rv *rv)
{
    uint32_t p;
    uc_context_save(rv->cpu.uc, rv->ctx);
    memcpy(&p, (char *)rv->ctx + rv->priv_off, 4);
    return p;
}

static void set_priv(struct rv *rv, uint32_t p)
{
    uc_context_save(rv->cpu.uc, rv->ctx);
    memcpy((char *)rv->ctx + rv->priv_off, &p, 4);
    uc_context_restore(rv->cpu.uc, rv->ctx);
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

static void trap(struct rv *rv, uint32_t cause, uint32_t epc, uint32_t tval)
{
    struct cpu *c = &rv->cpu;
    uint32_t priv = get_priv(rv), ms, mtvec, pc;

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
    cpu_charge(c, COST_RV32_TRAP);
    cpu_jump(c, pc);
}

/* ------------------------------------------------------------ cpu_arch -- */

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

static bool rv_any_pending(struct cpu *c)
{
    return to_rv(c)->mip != 0;
}

static void rv_deliver(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    uint32_t p = enabled_pending(rv, true);
    static const unsigned order[] = { 11, 3, 7 };   /* MEI, MSI, MTI */

    c->irq_poll = false;
    if (!p) {
        c->irq_poll = rv_wake_pending(c);   /* pending but masked by MIE */
        return;
    }
    for (unsigned i = 0; i < ARRAY_LEN(order); i++)
        if (p & (1u << order[i])) {
            trap(rv, 0x80000000u | order[i], cpu_pc(c), 0);
            return;
        }
}

static void rv_sync(struct cpu *c)
{
    struct rv *rv = to_rv(c);
    uint32_t cause = c->sync_a, tval = c->sync_b;
    c->sync_kind = RV_NONE;
    trap(rv, cause, rv->sync_epc, tval);
}

static void rv_mem_error(struct cpu *c, uc_err err)
{
    if (c->sync_kind) {
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

/* Counter CSRs Unicorn serves from the host: cycle, time, instret and the
 * machine-mode twins, low and high halves. */
static bool counter_csr(uint32_t insn, unsigned *csr, unsigned *rd_out)
{
    unsigned f3 = (insn >> 12) & 7, c = insn >> 20;
    if ((insn & 0x7f) != 0x73 || f3 == 0 || f3 == 4)
        return false;
    switch (c) {
    case 0xC00: case 0xC02: case 0xC80: case 0xC82:
    case 0xB00: case 0xB02: case 0xB80: case 0xB82:
        *csr = c;
        *rd_out = (insn >> 7) & 0x1f;
        return true;
    default:
        return false;
    }
}

/* Cycles and instructions from the start of the current block to addr. */
static void prefix_to(struct rv *rv, uint32_t addr, uint64_t *cycles, uint64_t *insns)
{
    struct cpu *c = &rv->cpu;
    uint8_t buf[4];
    uint32_t a = rv->cpu.blk_addr;
    *cycles = 0;
    *insns = 0;
    while (a < addr) {
        struct insn_cost ic;
        if (cpu_read_mem(c, a, buf, 4))
            break;
        c->decode(buf, 4, &ic);
        *cycles += ic.cycles;
        (*insns)++;
        a += ic.len;
    }
}

static void hook_counter(uc_engine *uc, uint64_t addr64, uint32_t size, void *ud)
{
    struct rv *rv = ud;
    struct cpu *c = &rv->cpu;
    uint32_t addr = (uint32_t)addr64, insn = 0, blk_cost_after;
    unsigned csr, rdn;
    uint64_t cyc, ins, val;

    if (cpu_read_mem(c, addr, &insn, 4) || !counter_csr(insn, &csr, &rdn))
        return;
    prefix_to(rv, addr, &cyc, &ins);
    switch (csr & 0x7f) {
    case 0x00: val = rv->cpu.blk_start + cyc; break;            /* cycle, mcycle */
    default: val = rv->cpu.blk_insns + ins; break;              /* instret, minstret */
    }
    if (csr & 0x80)
        val >>= 32;
    if (rdn)
        wr(c, UC_RISCV_REG_X0 + (int)rdn, (uint32_t)val);
    /* Skip the instruction; the rest of the block runs as a new block, so
     * take back what was charged for it at this block's start. */
    {
        uint64_t cyc_all, ins_all;
        prefix_to(rv, c->prev_end, &cyc_all, &ins_all);
        blk_cost_after = (uint32_t)(cyc_all - cyc - 1);
        c->q->now -= blk_cost_after;
        c->insns -= ins_all - ins - 1;
    }
    cpu_jump(c, addr + 4);
    (void)uc;
    (void)size;
}

static void rv_new_block(struct cpu *c, uint32_t addr, uint32_t size)
{
    struct rv *rv = to_rv(c);
    uint8_t code[4096];
    bool added = false;

    if (size > sizeof code || cpu_read_mem(c, addr, code, size))
        return;
    for (uint32_t off = 0; off + 4 <= size;) {
        uint32_t insn;
        unsigned csr, rdn;
        if ((code[off] & 3) != 3) {
            off += 2;
            continue;
        }
        memcpy(&insn, code + off, 4);
        if (counter_csr(insn, &csr, &rdn)) {
            bool known = false;
            for (unsigned i = 0; i < rv->nhooked; i++)
                known |= rv->hooked[i] == addr + off;
            if (!known && rv->nhooked < ARRAY_LEN(rv->hooked)) {
                uc_hook h;
                uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)hook_counter, rv, addr + off,
                            addr + off + 3);
                rv->hooked[rv->nhooked++] = addr + off;
                added = true;
            }
        }
        off += 4;
    }
    if (added) {
        /* The block was translated without the hook: translate it again. */
        uc_ctl_remove_cache(c->uc, addr, (uint64_t)addr + size);
        c->cache[(addr >> 1) & (CPU_BLOCK_CACHE - 1)].size = 0;
        c->stop_req = true;
    }
}

static const struct cpu_arch rv_arch = {
    .name = "rv32imac",
    .deliver = rv_deliver,
    .wake_pending = rv_wake_pending,
    .deliverable = rv_deliverable,
    .any_pending = rv_any_pending,
    .sync = rv_sync,
    .mem_error = rv_mem_error,
    .new_block = rv_new_block,
    .stopped_on_wfi = rv_stopped_on_wfi,
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
    (void)uc; (void)size; (void)value;
    c->sync_kind = RV_EXC;
    c->sync_b = (uint32_t)addr;
    if (type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT) {
        c->sync_a = 1;
        rv->sync_epc = (uint32_t)addr;
    } else {
        c->sync_a = (type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT) ? 7 : 5;
        rv->sync_epc = cpu_pc(c);               /* block start: imprecise (UNICORN.md §5) */
    }
    TRACE(c->tr, TR_GUEST_ERR, "access fault cause=%u addr=0x%08x near pc=0x%08x", c->sync_a,
          (uint32_t)addr, rv->sync_epc);
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
    if (find_priv_offset(&rv->priv_off, err)) {
        free(rv);
        return NULL;
    }
    rv->m = m;
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
