/* What both cores share: slicing Unicorn at event deadlines, the block-cost
 * hook, instruction-exact delivery inside a block, debug access.
 *
 * Time: every translated block is charged, at its start, the static cost of
 * its instructions (decoded once per block and cached). A taken-branch
 * penalty is charged at the start of the next block when that block is not
 * the fall-through of the previous one; a load/store following another one
 * across a block boundary gets its pipelining discount there too. So the
 * cycle count at any instruction boundary depends only on the instructions
 * executed, never on where Unicorn cut its blocks.
 *
 * Exact delivery (DESIGN.md §2): an event is delivered at the first
 * instruction boundary whose cycle count reaches its deadline. When that
 * boundary is inside the block about to run, the block is not executed:
 * we stop, drop its translation, and run again with `until` = the address of
 * that boundary, so Unicorn translates and runs a truncated block ending
 * exactly there (measured exact in UNICORN.md §8 "E2").
 *
 * The stop address is an "exit" (UC_CTL_UC_USE_EXITS), not uc_emu_start's
 * `until`: at the end of every run Unicorn drops the translation holding
 * the byte before each exit (and, with `until`, does that on every start).
 * We arm the exit for the split run only and disarm it from the block hook
 * once the truncated block is translated, so nothing is dropped behind our
 * back: a truncated block we mean to keep (a host-emulated instruction, an
 * ISB) is translated once, not on every pass. */
#include "cpu.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_UNTIL 1u          /* ignored with exits on; an odd address, never a PC */

static void set_exit(struct cpu *c, uint32_t addr)
{
    uint64_t x = addr;
    uc_ctl(c->uc, UC_CTL_WRITE(UC_CTL_UC_EXITS, 2), &x, (size_t)1);
    c->exit_armed = true;
}

static void clear_exits(struct cpu *c)
{
    uc_ctl(c->uc, UC_CTL_WRITE(UC_CTL_UC_EXITS, 2), (uint64_t *)NULL, (size_t)0);
    c->exit_armed = false;
}


/* What the fast path stores as the state carried to the next block. */
static uint64_t set_next_prev(const struct cpu_block *e)
{
    return (uint64_t)(e->addr + e->size) | (uint64_t)e->last_penalty << 32 |
           (uint64_t)e->last_ls << 40;
}

/* Walks the block: per-instruction costs into the callback-free summary, and
 * (when want_split) the first boundary j (1..n-1) where start + prefix >= deadline. */
static int walk_block(struct cpu *c, uint32_t addr, uint32_t size, struct cpu_block *e,
                      bool discount_first, cycles_t start, cycles_t deadline, uint32_t *split_off)
{
    uint8_t buf[4096];
    const uint8_t *code = bus_ram_ptr(c->bus, addr, size);
    uint32_t off = 0, cycles = 0;
    unsigned n = 0, it_left = 0;
    uint8_t prev_kind = 0xff;

    if (!code) {
        if (size > sizeof buf || uc_mem_read(c->uc, addr, buf, size) != UC_ERR_OK)
            return -1;
        code = buf;
    }
    e->addr = addr;
    e->size = size;
    e->first_ls = false;
    e->unmask_off = 0;
    e->has_emu = false;
    e->emu_off = 0;
    e->emu_off2 = 0;
    e->sync_off = 0;
    e->has_div = false;
    e->div_off = 0;
    e->dbg = SIM_UNLIKELY(c->dbg_active) && cpu_debug_covers(c, addr, size);
    while (off < size) {
        struct insn_cost ic;
        unsigned cost;

        if (split_off && n > 0 && it_left == 0 && start + cycles >= deadline) {
            *split_off = off;
            return 0;
        }
        c->decode(code + off, size - off, &ic);
        cost = cost_after(&ic, n == 0 ? discount_first : cost_is_ls(prev_kind));
        if (n == 0)
            e->first_ls = cost_is_ls(ic.kind) && ic.cycles > 1;
        /* Thumb IT blocks: never split inside one (Unicorn runs it as a unit). */
        if (it_left)
            it_left--;
        if (c->thumb) {
            unsigned hw = (unsigned)code[off] | (unsigned)code[off + 1] << 8;
            if (ic.len == 2 && (hw & 0xff00) == 0xbf00 && (hw & 0xf)) {
                unsigned mask = hw & 0xf;
                it_left = 4 - (unsigned)__builtin_ctz(mask);
            }
        }
        if (c->arch->insn_flags) {
            unsigned f = c->arch->insn_flags(c, code + off, size - off);
            if ((f & CPU_INSN_EMULATE) && !e->has_emu) {
                e->has_emu = true;
                e->emu_off = (uint16_t)off;
            } else if ((f & CPU_INSN_EMULATE) && !e->emu_off2) {
                e->emu_off2 = (uint16_t)off;
            }
            if ((f & CPU_INSN_UNMASK) && !e->unmask_off && off + ic.len < size)
                e->unmask_off = (uint16_t)(off + ic.len);
            if ((f & CPU_INSN_SYNC) && !e->sync_off)
                e->sync_off = (uint16_t)(off + ic.len);
        }
        if (SIM_UNLIKELY(ic.div) && c->exact_div && !e->has_div) {
            e->has_div = true;
            e->div_off = (uint16_t)off;
            e->div_len = ic.len;
            e->div_kind = ic.div;
            e->div_rn = ic.rn;
            e->div_rm = ic.rm;
            e->div_static = (uint8_t)cost;
        }
        cycles += cost;
        prev_kind = ic.kind;
        e->last_kind = ic.kind;
        e->last_penalty = (ic.kind == COST_BRANCH || ic.kind == COST_JUMP) ? ic.penalty : 0;
        off += ic.len;
        n++;
    }
    e->cycles = cycles;
    e->ninsn = (uint16_t)n;
    e->last_ls = cost_is_ls(prev_kind);
    e->special = e->has_emu || e->sync_off || e->unmask_off || e->dbg || e->has_div;
    e->next_prev = set_next_prev(e);
    if (split_off)
        *split_off = 0;
    return 0;
}

static struct cpu_block *lookup(struct cpu *c, uint32_t addr, uint32_t size)
{
    struct cpu_block *e = &c->cache[(addr >> 1) & (CPU_BLOCK_CACHE - 1)];

    if (walk_block(c, addr, size, e, false, 0, 0, NULL) < 0) {
        e->addr = addr;
        e->size = size;
        e->cycles = size / 2;
        e->ninsn = (uint16_t)(size / 2);
        e->last_kind = COST_OTHER;
        e->first_ls = e->last_ls = false;
        e->last_penalty = 0;
        e->dbg = c->dbg_active && cpu_debug_covers(c, addr, size);
        e->special = e->dbg;
        e->next_prev = set_next_prev(e);
    }
    return e;
}

static void split_at(struct cpu *c, uint32_t addr, uint32_t size, uint32_t off, bool keep);

/* General-purpose register n (ARM r0..r14, RISC-V x0..x31). */
static uint32_t gpr(struct cpu *c, unsigned n)
{
    if (c->thumb)
        return cpu_reg(c, n < 13 ? UC_ARM_REG_R0 + (int)n : n == 13 ? UC_ARM_REG_SP : UC_ARM_REG_LR);
    return n ? cpu_reg(c, UC_RISCV_REG_X0 + (int)n) : 0;
}

/* Slow path of the block hook: stop here (deadline reached, a stop or an
 * interrupt check requested) or split the block for an exact delivery. */
static __attribute__((noinline)) bool block_slow(struct cpu *c, uint32_t addr, uint32_t size,
                                                 struct cpu_block *e, bool fall_through,
                                                 cycles_t deadline)
{
    struct evq *q = c->q;

    if (e == NULL) {                        /* at the block start */
        bool irq = (c->irq_check || c->irq_poll) && c->arch->deliverable(c);
        if (c->irq_check && !irq)
            c->irq_poll = c->arch->any_pending(c);  /* masked for now: watch the unmasking */
        c->irq_check = false;
        if (q->now >= deadline || c->stop_req || irq || c->resync) {
            c->hook_stopped = true;
            uc_emu_stop(c->uc);
            return true;
        }
        return false;
    }
    if (c->split || e->ninsn < 2)
        return false;
    if (e->unmask_off && c->irq_poll) {
        /* an interrupt waits for this block's CPSIE/MSR: stop right after it */
        split_at(c, addr, size, e->unmask_off, false);
        c->hook_stopped = true;
        uc_emu_stop(c->uc);
        return true;
    }
    {
        struct cpu_block tmp;
        uint32_t off = 0;
        walk_block(c, addr, size, &tmp, c->prev_last_ls && fall_through, q->now, deadline, &off);
        if (!off)
            return false;
        split_at(c, addr, size, off, false);
        c->hook_stopped = true;
        uc_emu_stop(c->uc);
        return true;
    }
}

static void split_at(struct cpu *c, uint32_t addr, uint32_t size, uint32_t off, bool keep)
{
    /* debug: never run past a breakpoint or the one instruction of a step */
    if (SIM_UNLIKELY(c->dbg_active))
        off = cpu_debug_clamp(c, addr, off);
    c->split = true;
    c->split_keep = keep;
    c->split_pc = addr;
    c->split_size = size;
    c->split_until = addr + off;
}

/* A block with an instruction the host may have to act on. At the block
 * start the registers are exact, so an instruction there is checked right
 * away (and usually runs natively with the rest of the block); one further
 * in is made the start of a block of its own by a split whose truncated
 * translation is kept, so later passes cost a restart, not a translation. */
static __attribute__((noinline)) bool emu_stop(struct cpu *c, uint32_t addr, uint32_t size,
                                               const struct cpu_block *e)
{
    uint32_t at = addr + e->emu_off;

    if (e->emu_off == 0) {
        bool native = at == c->native_pc ||
                      (c->arch->needs_emulation && !c->arch->needs_emulation(c, at));
        c->native_pc = 1;
        if (native) {
            if (!e->emu_off2)
                return false;               /* the whole block runs natively */
            split_at(c, addr, size, e->emu_off2, true);
        } else {
            c->emulate_pending = true;
            c->emulate_pc = at;
        }
    } else if (c->arch->host_prefix && c->arch->host_prefix(c, addr, at)) {
        c->emulate_pending = true;
        c->emulate_pc = addr;
    } else {
        split_at(c, addr, size, e->emu_off, true);
    }
    c->hook_stopped = true;
    uc_emu_stop(c->uc);
    return true;
}

static void block_hook_full(struct cpu *c, uint32_t addr, uint32_t size);

/* Charged at the start of every translated block. The common case (a known
 * block, nothing pending, the next event not inside it) stays on this path;
 * everything else goes through block_hook_full. */
static void block_hook(uc_engine *uc, uint64_t addr64, uint32_t size, void *ud)
{
    struct cpu *c = ud;
    struct evq *q = c->q;
    uint32_t addr = (uint32_t)addr64;
    struct cpu_block *e = &c->cache[(addr >> 1) & (CPU_BLOCK_CACHE - 1)];

    (void)uc;
    if (SIM_LIKELY(e->addr == addr && e->size == size && !(c->attn | e->special))) {
        bool ft = addr == c->prev_end;
        cycles_t now = q->now + (ft ? 0 : c->prev_penalty);
        uint32_t cost = e->cycles - (uint32_t)(c->prev_last_ls & e->first_ls & ft);
        if (SIM_LIKELY(now + cost <= q->next && now < c->limit)) {
            c->blk_addr = addr;
            c->blk_start = now;
            c->blk_insns = c->insns;
            q->now = now + cost;
            c->insns += e->ninsn;
            c->prev_word = e->next_prev;
            return;
        }
    }
    block_hook_full(c, addr, size);
}

static __attribute__((noinline)) void block_hook_full(struct cpu *c, uint32_t addr,
                                                      uint32_t size)
{
    struct evq *q = c->q;
    struct cpu_block *e;
    cycles_t deadline;
    bool fall_through = addr == c->prev_end;
    uint32_t cost;
    bool dbg;

    /* The split's truncated block is translated: nothing else may stop there. */
    if (c->exit_armed)
        clear_exits(c);
    if (SIM_UNLIKELY(c->prev_sync) && c->arch->after_sync)
        c->arch->after_sync(c);
    /* Taken branch of the previous block: part of reaching this boundary. */
    if (!fall_through) {
        q->now += c->prev_penalty;
        c->prev_penalty = 0;
    }
    /* Events are delivered at their exact instruction; the run's own limit
     * is only checked at block starts, so that where a run is cut (slices,
     * a snapshot) never splits a block: what a block traces inside it
     * (MMIO accesses, stamped with the block's end cycle) stays the same. */
    deadline = q->next;
    if (SIM_UNLIKELY(c->prev_sync) && c->lazy_resync) {
        c->lazy_resync = false;         /* after an ISB / mret: apply now */
        c->resync = true;
    }
    if (SIM_UNLIKELY(q->now >= deadline || q->now >= c->limit || c->attn) &&
        block_slow(c, addr, size, NULL, fall_through, q->now >= c->limit ? c->limit : deadline))
        return;
    e = &c->cache[(addr >> 1) & (CPU_BLOCK_CACHE - 1)];
    if (SIM_UNLIKELY(e->addr != addr || e->size != size))
        e = lookup(c, addr, size);
    dbg = e->dbg | c->dbg_attn;
    if (SIM_UNLIKELY(dbg) && !c->split && cpu_debug_block_start(c, addr, size)) {
        /* a breakpoint here, or a step done (cpu/debug.c) */
        c->hook_stopped = true;
        uc_emu_stop(c->uc);
        return;
    }
    if (SIM_UNLIKELY(e->has_div) && !c->split) {
        /* exact division timing: a divide is a block of its own (the
         * truncated translations are kept), costed below from its operands,
         * which are exact at a block start */
        uint32_t off = e->div_off ? e->div_off : (size > e->div_len ? e->div_len : 0);
        if (off) {
            split_at(c, addr, size, off, true);
            c->hook_stopped = true;
            uc_emu_stop(c->uc);
            return;
        }
    }
    if (SIM_UNLIKELY(c->exec_check) && !c->split) {
        uint32_t off;
        if (c->arch->check_block(c, addr, size, &off) && addr + off != c->native_pc) {
            c->emulate_pending = true;
            c->emulate_pc = addr + off;
            c->hook_stopped = true;
            if (off)
                split_at(c, addr, size, off, false);
            uc_emu_stop(c->uc);
            return;
        }
    }
    if (SIM_UNLIKELY(e->has_emu) && !c->split && emu_stop(c, addr, size, e))
        return;
    cost = e->cycles - (uint32_t)(c->prev_last_ls & e->first_ls & fall_through);
    if (SIM_UNLIKELY(e->has_div) && e->div_off == 0)
        cost = cost - e->div_static +
               c->div_cost(gpr(c, e->div_rn), gpr(c, e->div_rm), e->div_kind == COST_DIV_SIGNED);
    if (SIM_UNLIKELY(q->now + cost > deadline || (e->unmask_off && c->irq_poll)) &&
        block_slow(c, addr, size, e, fall_through, deadline))
        return;
    if (SIM_UNLIKELY(e->sync_off) && e->sync_off < size && !c->split) {
        /* a context-synchronizing instruction always ends a block (the
         * truncated translation is kept), so that changes it publishes
         * (MPU/PMP) take effect right after it */
        split_at(c, addr, size, e->sync_off, true);
        c->hook_stopped = true;
        uc_emu_stop(c->uc);
        return;
    }
    if (SIM_UNLIKELY(dbg) && !c->split) {
        /* a breakpoint inside the block, or the one instruction of a step */
        uint32_t off = cpu_debug_clamp(c, addr, size);
        if (off < size) {
            split_at(c, addr, size, off, false);
            c->hook_stopped = true;
            uc_emu_stop(c->uc);
            return;
        }
    }
    c->blk_addr = addr;
    c->blk_start = q->now;
    c->blk_insns = c->insns;
    q->now += cost;
    c->insns += e->ninsn;
    c->prev_end = addr + size;
    c->prev_penalty = e->last_penalty;
    c->prev_last_ls = e->last_ls;
    c->prev_sync = e->sync_off != 0;
}

static void mmio_access_begin(void *ctx, uint32_t addr, bool write);
static void mmio_access_end(void *ctx);

static void bus_notify(void *ctx)
{
    cpu_resync(ctx);
}

int cpu_set_prop(struct cpu *c, const char *prop, uint64_t v, struct sim_error *err)
{
    if (strcmp(prop, "exact_div"))
        return sim_errorf(err, "--set cpu.%s: unknown property (the core has: exact_div)", prop);
    if (v > 1)
        return sim_errorf(err, "--set cpu.exact_div=%llu: expected 0 or 1", (unsigned long long)v);
    c->exact_div = v != 0;
    memset(c->cache, 0, CPU_BLOCK_CACHE * sizeof *c->cache);     /* re-decode every block */
    return 0;
}

bool cpu_tlb_flush(struct cpu *c)
{
    if (!c->tlb_flush_fn)
        return false;
    c->tlb_flush_fn(c->uc);
    c->stats_tlb_flushes++;
    return true;
}

int cpu_common_init(struct cpu *c, uc_engine *uc, struct bus *b, struct evq *q,
                    struct trace *tr, uint64_t cpu_hz, cost_decode_fn decode,
                    struct sim_error *err)
{
    /* QEMU's TLB flush, exported (not declared) by libunicorn 2.0.1: a
     * memset of the TLB instead of a memory-map rebuild (UNICORN.md §4) */
    c->tlb_flush_fn = (void (*)(uc_engine *))dlsym(RTLD_DEFAULT, decode == cost_armv7m ?
                                                   "tcg_flush_softmmu_tlb_arm" :
                                                   "tcg_flush_softmmu_tlb_riscv32");
    uc_hook h;
    uc_err e;

    c->uc = uc;
    c->native_pc = 1;
    c->bus = b;
    c->q = q;
    c->tr = tr;
    c->cpu_hz = cpu_hz;
    c->decode = decode;
    c->div_cost = decode == cost_armv7m ? cost_armv7m_div : cost_rv32_div;
    c->cache = calloc(CPU_BLOCK_CACHE, sizeof *c->cache);
    if (!c->cache)
        return sim_errorf(err, "out of memory (block cache)");
    if (bus_attach(b, (struct uc_struct *)uc, err))
        return -1;
    b->notify = bus_notify;
    b->access_begin = mmio_access_begin;
    b->access_end = mmio_access_end;
    b->cpu_ctx = c;
    e = uc_hook_add(uc, &h, UC_HOOK_BLOCK, (void *)block_hook, c, 1, 0);
    if (e != UC_ERR_OK)
        return sim_errorf(err, "unicorn: cannot add the block hook: %s", uc_strerror(e));
    e = uc_ctl(uc, UC_CTL_WRITE(UC_CTL_UC_USE_EXITS, 1), 1);
    if (e != UC_ERR_OK)
        return sim_errorf(err, "unicorn: cannot switch to exits: %s", uc_strerror(e));
    return 0;
}

void cpu_common_free(struct cpu *c)
{
    cpu_debug_free(c);
    if (c->uc)
        uc_close(c->uc);
    c->uc = NULL;
    free(c->cache);
    c->cache = NULL;
}

uint32_t cpu_reg(struct cpu *c, int reg)
{
    uint32_t v = 0;
    uc_reg_read(c->uc, reg, &v);
    return v;
}

void cpu_set_reg(struct cpu *c, int reg, uint32_t v)
{
    uc_reg_write(c->uc, reg, &v);
}

uint32_t cpu_pc(struct cpu *c)
{
    return cpu_reg(c, c->pc_reg);
}

void cpu_jump(struct cpu *c, uint32_t pc)
{
    cpu_set_reg(c, c->pc_reg, pc | c->thumb);
    c->prev_penalty = 0;
    c->prev_last_ls = false;
    c->prev_end = 1;
}

/* The clock at pc, an instruction boundary inside the block just charged
 * (blk_addr..prev_end), with the count of instructions before it and
 * whether the last of them was a load/store. Costs as walk_block charges
 * them (the pipelining discount of a load/store after another), so that the
 * clock at pc is what a straight run gives. False if pc is not inside. */
static bool time_at(struct cpu *c, uint32_t pc, cycles_t *t, uint64_t *nbefore, bool *ls_before)
{
    uint8_t buf[4096 + 4];
    uint32_t size = c->prev_end - c->blk_addr, off = 0;
    const uint8_t *code;
    cycles_t prefix = 0, full = 0;
    uint64_t n = 0, np = 0;
    uint8_t prev_kind = 0xff, kind_before_pc = 0xff;
    bool first_ls = false, disc;

    if (pc < c->blk_addr || pc >= c->prev_end || size > sizeof buf - 4)
        return false;
    code = bus_ram_ptr(c->bus, c->blk_addr, size + 4);
    if (!code) {
        if (cpu_read_mem(c, c->blk_addr, buf, size))
            return false;
        memset(buf + size, 0, 4);
        code = buf;
    }
    while (off < size) {
        struct insn_cost ic;
        uint32_t cost;
        c->decode(code + off, 4, &ic);
        cost = cost_after(&ic, n > 0 && cost_is_ls(prev_kind));
        if (n == 0)
            first_ls = cost_is_ls(ic.kind) && ic.cycles > 1;
        if (c->blk_addr + off < pc) {
            prefix += cost;
            kind_before_pc = ic.kind;
            np++;
        }
        full += cost;
        prev_kind = ic.kind;
        n++;
        off += ic.len ? ic.len : 2;
    }
    /* did the block's first instruction get the discount when charged? */
    disc = first_ls && c->blk_start + full == c->q->now + 1;
    *t = c->blk_start + prefix - (disc && np ? 1 : 0);
    *nbefore = np;
    *ls_before = np ? cost_is_ls(kind_before_pc) : disc;
    return true;
}

void cpu_rewind_to(struct cpu *c, uint32_t pc)
{
    cycles_t t;
    uint64_t np;
    bool ls;

    if (!time_at(c, pc, &t, &np, &ls))
        return;                         /* not inside the block just charged */
    c->q->now = t;
    c->insns = c->blk_insns + np;
    c->prev_end = pc;
    c->prev_penalty = 0;
    c->prev_last_ls = ls;
}

/* A guest MMIO access from translated code: the clock becomes the cycle at
 * the end of the accessing instruction, found by its effective address (the
 * registers are exact during the access) scanning forward from the previous
 * access of this block execution (or the block start), with the block's
 * costs summed on the way as walk_block charges them. The previous access's
 * instruction is a candidate again only for a later word of its own (LDM,
 * STM, LDRD: increasing addresses); two loads of one register are two
 * instructions. So what a model sees
 * (a counter read, an event scheduled) and the trace do not depend on where
 * the block ends: not on a split, a breakpoint or a step. If the
 * instruction cannot be told, the clock stays at the block's end. */
static void mmio_access_begin(void *ctx, uint32_t addr, bool write)
{
    struct cpu *c = ctx;
    uint8_t buf[4096 + 4];
    const uint8_t *code;
    const struct cpu_block *e;
    uint32_t size = c->prev_end - c->blk_addr, off, prefix;
    unsigned n;
    uint8_t prev_kind;
    bool disc, again;

    c->mmio_clock_set = false;
    if (!c->in_emu)
        return;
    c->mmio_in_access = true;
    c->mmio_pc = c->blk_addr;
    e = &c->cache[(c->blk_addr >> 1) & (CPU_BLOCK_CACHE - 1)];
    if (c->blk_addr >= c->prev_end || size > sizeof buf - 4 || !c->arch->access_covers ||
        e->addr != c->blk_addr || e->size != size)
        return;
    code = bus_ram_ptr(c->bus, c->blk_addr, size + 4);
    if (!code) {
        if (cpu_read_mem(c, c->blk_addr, buf, size))
            return;
        memset(buf + size, 0, 4);
        code = buf;
    }
    again = c->mmio_blk_insns == c->blk_insns;
    if (!again) {                                   /* first access of this block run */
        c->mmio_blk_insns = c->blk_insns;
        c->mmio_off = 0;
        c->mmio_prefix = 0;
        c->mmio_n = 0;
        c->mmio_prev_kind = 0xff;
    }
    /* did the block's first instruction get the pipelining discount? */
    disc = e->first_ls && c->blk_start + e->cycles == c->q->now + 1;
    off = c->mmio_off;
    prefix = c->mmio_prefix;
    n = c->mmio_n;
    prev_kind = c->mmio_prev_kind;
    while (off < size) {
        struct insn_cost ic;
        unsigned len, cost;
        c->decode(code + off, 4, &ic);
        cost = cost_after(&ic, n > 0 && cost_is_ls(prev_kind));
        if ((!again || off != c->mmio_off || addr > c->mmio_last_addr) &&
            c->arch->access_covers(c, c->blk_addr + off, code + off, addr, write, &len)) {
            c->mmio_last_addr = addr;
            c->mmio_off = off;
            c->mmio_prefix = prefix;
            c->mmio_n = (uint16_t)n;
            c->mmio_prev_kind = prev_kind;
            c->mmio_pc = c->blk_addr + off;
            if (off + len >= size)
                return;                 /* the block's last instruction: its end */
            c->mmio_saved_now = c->q->now;
            c->q->now = c->blk_start + prefix + cost - (disc ? 1 : 0);
            c->mmio_clock_set = true;
            return;
        }
        prefix += cost;
        prev_kind = ic.kind;
        n++;
        off += ic.len ? ic.len : 2;
    }
}

static void mmio_access_end(void *ctx)
{
    struct cpu *c = ctx;
    if (c->mmio_clock_set) {
        c->q->now = c->mmio_saved_now;
        c->mmio_clock_set = false;
    }
    c->mmio_in_access = false;
}

uint32_t cpu_trace_pc(struct cpu *c)
{
    if (!c->in_emu)
        return cpu_pc(c);
    return c->mmio_in_access ? c->mmio_pc : c->blk_addr;
}

unsigned cpu_locate_in_block(struct cpu *c, cpu_insn_match_fn match, void *ctx, uint32_t *pcs,
                             unsigned max)
{
    uint8_t code[4096 + 4];
    uint32_t start = c->blk_addr, end = c->prev_end;
    unsigned n = 0;

    if (end <= start || end - start > sizeof code - 4 || cpu_read_mem(c, start, code, end - start))
        return 0;
    memset(code + (end - start), 0, 4);
    for (uint32_t off = 0; off < end - start;) {
        unsigned len = 2;
        int r = match(c, start + off, code + off, ctx, &len);
        if (r < 0)
            return 0;
        if (r) {
            if (n < max)
                pcs[n] = start + off;
            n++;
        }
        off += len;
    }
    return n < max ? n : max;
}

void cpu_set_fatal(struct cpu *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->fatal_msg, sizeof c->fatal_msg, fmt, ap);
    va_end(ap);
    c->fatal = true;
    c->stop_req = true;
}

void cpu_invalidate(struct cpu *c, uint32_t addr, uint32_t len)
{
    uc_ctl_remove_cache(c->uc, addr, (uint64_t)addr + len);
    for (uint32_t a = addr & ~1u; a < addr + len; a += 2) {
        struct cpu_block *e = &c->cache[(a >> 1) & (CPU_BLOCK_CACHE - 1)];
        if (e->addr == a)
            e->size = 0;
        if (len > CPU_BLOCK_CACHE * 2) {
            memset(c->cache, 0, CPU_BLOCK_CACHE * sizeof *c->cache);
            break;
        }
    }
}

int cpu_read_mem(struct cpu *c, uint32_t addr, void *buf, uint32_t len)
{
    return bus_debug_read(c->bus, addr, buf, len);
}

int cpu_write_mem(struct cpu *c, uint32_t addr, const void *buf, uint32_t len)
{
    if (bus_debug_write(c->bus, addr, buf, len))
        return -1;
    cpu_invalidate(c, addr, len);
    return 0;
}

/* Runs the truncated block of an exact split, then forgets its translation
 * (it ends in a baked-in stop at split_until). */
static uc_err run_split(struct cpu *c)
{
    uc_err e;

    uc_ctl_remove_cache(c->uc, c->split_pc, (uint64_t)c->split_pc + c->split_size);
    c->hook_stopped = false;
    c->in_emu = true;
    set_exit(c, c->split_until);
    e = uc_emu_start(c->uc, c->split_pc | c->thumb, NO_UNTIL, 0, 0);
    c->in_emu = false;
    if (c->exit_armed)
        clear_exits(c);                 /* stopped before the block ran */
    if (!c->split_keep)
        uc_ctl_remove_cache(c->uc, c->split_pc, (uint64_t)c->split_until);
    c->split = false;
    c->split_keep = false;
    c->stats_splits++;
    return e;
}

/* Every split translates a truncated block, and Unicorn 2.0.1 never reuses
 * the room of the translations it drops: its code buffer (1 GiB) fills, and
 * the flush it then does from inside a translation crashes (SIGSEGV in
 * tb_invalidate_phys_range, seen at ~1.1 GB RSS after a few million system
 * calls). Flushing ourselves, between runs, keeps the buffer small. Guest
 * behaviour does not depend on what is translated. */
#define CPU_SPLITS_PER_TB_FLUSH 20000u

static void maybe_flush_translations(struct cpu *c)
{
    if (c->stats_splits - c->tb_flush_mark < CPU_SPLITS_PER_TB_FLUSH)
        return;
    c->tb_flush_mark = c->stats_splits;
    uc_ctl(c->uc, UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0));
    c->stats_tb_flushes++;
}

enum cpu_stop cpu_run(struct cpu *c, cycles_t limit)
{
    c->limit = limit;
    maybe_flush_translations(c);
    if (SIM_UNLIKELY(c->dbg != NULL))
        cpu_debug_run_start(c);
    for (;;) {
        uc_err e;
        uint32_t pc;

        if (c->sync_kind)
            c->arch->sync(c);
        if (c->fatal)
            return CPU_STOP_FATAL;
        if (c->emulate_pending && !c->split) {
            c->emulate_pending = false;
            if (cpu_pc(c) == c->emulate_pc) {
                if (!c->arch->emulate(c, c->emulate_pc))
                    c->native_pc = c->emulate_pc;
                continue;
            }
        }
        if (c->sleeping) {
            /* asleep in WFI: only a pending interrupt ends it */
            if (c->stop_req) {
                c->stop_req = false;
                return CPU_STOP_REQUEST;
            }
            if (!c->arch->wake_pending(c))
                return CPU_STOP_WFI;
            c->sleeping = false;
        }
        if (c->resync) {
            c->resync = false;
            if (c->arch->apply)
                c->arch->apply(c);
        }
        /* debug: a breakpoint at this boundary, a step done, a watched access */
        if (SIM_UNLIKELY(c->dbg_active) && cpu_debug_boundary(c))
            return CPU_STOP_DEBUG;
        c->arch->deliver(c);
        if (c->fatal)
            return CPU_STOP_FATAL;
        if (c->stop_req) {
            c->stop_req = false;
            return CPU_STOP_REQUEST;
        }
        if (c->q->now >= limit || evq_next_deadline(c->q) <= c->q->now)
            return CPU_STOP_LIMIT;

        pc = cpu_pc(c);
        c->hook_stopped = false;
        c->stats_slices++;
        c->in_emu = true;
        e = uc_emu_start(c->uc, pc | c->thumb, NO_UNTIL, 0, 0);
        c->in_emu = false;
        if (e == UC_ERR_OK && c->split) {
            if (c->sync_kind || c->stop_req) {
                c->split = false;
                c->emulate_pending = false;
                continue;
            }
            uint32_t until = c->split_until, from = c->split_pc;
            e = run_split(c);
            /* at the exact boundary: events fire next, unless the split's
             * last instruction was a WFI (then the core sleeps, as it would
             * have without the split) */
            if (e == UC_ERR_OK && !c->hook_stopped && !c->sync_kind && cpu_pc(c) == until &&
                !(until - from >= 2 && c->arch->stopped_on_wfi(c, until)))
                continue;
        }
        if (e != UC_ERR_OK) {
            if (SIM_UNLIKELY(c->dbg_active) && cpu_debug_mem_error(c))
                continue;               /* a watched page: debug.c */
            c->arch->mem_error(c, e);
            continue;
        }
        if (c->hook_stopped || c->sync_kind)
            continue;
        /* Unicorn stopped by itself: WFI (PC is after it). */
        pc = cpu_pc(c);
        if (c->arch->stopped_on_wfi(c, pc)) {
            /* the block was charged whole on entry; what follows the WFI
             * has not run yet and is charged when it does */
            cpu_rewind_to(c, pc);
            if (c->arch->wake_pending(c))
                continue;
            c->sleeping = true;
            if (SIM_UNLIKELY(c->dbg_attn) && cpu_debug_after_wfi(c))
                return CPU_STOP_DEBUG;  /* a step over the WFI */
            return CPU_STOP_WFI;
        }
    }
}

void cpu_destroy(struct cpu *c)
{
    if (!c)
        return;
    if (c->arch && c->arch->free_core)
        c->arch->free_core(c);
    cpu_common_free(c);
    free(c);        /* the core's struct embeds struct cpu as its first member */
}
