/* Debug support for both cores: breakpoints, single-step, watchpoints, and
 * the debugger's view of the registers. Used by the GDB stub (sim/gdb/) and
 * by host breakpoints such as the fault report's panic hook.
 *
 * Unicorn 2.0.1 gives an exact PC only at block boundaries, a UC_HOOK_CODE
 * breaks its PC restore after block-hook stops, and any UC_HOOK_MEM_READ or
 * _WRITE makes everything 4-5x slower (UNICORN.md). So:
 *
 * Breakpoints. A cached block that contains a breakpoint is flagged when it
 * is decoded (cpu_block.dbg); the block hook then stops before it (the
 * breakpoint at its start) or splits it so that it ends right before the
 * breakpoint, with the same machinery as exact event delivery. Any split
 * another reason asks for is clamped so that it never runs past a
 * breakpoint. Cost: nothing per block while no breakpoint exists (the flag
 * shares the cache entry's line); a changed breakpoint set flushes the block
 * cost cache (1.5 MB memset) at the next run, never Unicorn's translations.
 *
 * Step. The first block after the resume is split after its first
 * instruction (a Thumb IT block counts as one: Unicorn runs it as a unit);
 * the run stops at the next instruction boundary. An exception entry taken
 * before that instruction (a pending interrupt) is the step: the run stops
 * at the vector. One step costs one retranslation (~10 us).
 *
 * Watchpoints. The pages that hold watched bytes lose Unicorn's write
 * permission (write watches) or read permission (read/access watches), with
 * uc_mem_protect; Unicorn then calls the core's UC_HOOK_MEM_PROT callback
 * for the data accesses to those pages only, which asks here first. The rest
 * of memory keeps full speed: nothing is hooked while no watchpoint exists.
 * In the callback the registers are exact as before the accessing
 * instruction but the PC is the block start; the core's locate_access
 * lists the instructions of the block that could make the access (type and
 * address, from the registers). Then:
 *  - a store that misses the watched bytes is done here (the callback has
 *    the value) and let through: QEMU drops some stores to a page it holds
 *    read-only, measured, so it must not be left to it. ~30 ns per store to
 *    a watched page.
 *  - a watched access with exactly one candidate instruction stops the run
 *    right before that instruction (precise: PC, registers, cycle count);
 *    when the run resumes, that instruction's accesses are let through.
 *  - a load that misses the watched bytes, with one candidate, runs its
 *    instruction alone and flushes the TLB after it (a load let through
 *    leaves the page readable in QEMU's TLB): ~10-15 us per such load.
 *  - with no or several candidates (rare: e.g. a pointer moved between two
 *    accesses of one block, or inside a Thumb IT block) the access is let
 *    through; a watched one then stops the run at the next block boundary,
 *    reported as late (imprecise), and the TLB is flushed there.
 * Accesses the host makes on the guest's behalf (exception stacking, DMA
 * models, emulated instructions) are not watched. Pages are 1 KiB on ARM,
 * 4 KiB on RV32; the first protection of a page splits its region once
 * (~1-3 ms). A store performed here to a page holding translated code does
 * not invalidate that code (watch data, not code).
 */
#include "cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DBG_MAX_BP 64
#define DBG_MAX_WATCH 16
#define DBG_MAX_PAGES 32

struct dbg_bp {
    uint32_t addr;
    cpu_bp_fn fn;               /* NULL: the debugger's */
    void *ctx;
};

struct dbg_watch {
    uint32_t addr, len;
    enum cpu_watch_kind kind;
};

struct dbg_page {
    uint32_t base;
    uint32_t orig;              /* Unicorn permissions before we touched it */
    uint32_t removed;           /* UC_PROT_READ / UC_PROT_WRITE the watches take away */
    uint32_t applied;           /* what is taken away in Unicorn right now */
};

struct cpu_debug {
    struct dbg_bp bp[DBG_MAX_BP];
    unsigned nbp;
    struct dbg_watch w[DBG_MAX_WATCH];
    unsigned nw;
    struct dbg_page pg[DBG_MAX_PAGES];
    unsigned npg;
    uint32_t page_size;
    bool cache_dirty;           /* breakpoint set changed since the cost cache was flagged */
    bool mute_host, mute_dbg;   /* replays: host / debugger breakpoints (and watches) off */
    uint64_t cache_sig;

    /* Run state, relative to (start_pc, start_insns): the boundary where
     * the run was resumed. "Moved" = an instruction retired or an exception
     * was entered since. */
    uint32_t start_pc;
    uint64_t start_insns;
    bool stepping;
    bool skip_bp;               /* don't stop at the breakpoint at start_pc */
    bool skip_watch;            /* watches suspended for start_pc's instruction */
    bool pass;                  /* a load of a watched page let through alone */
    bool flush;                 /* a load was let through: flush the TLB at the boundary */
    bool late;                  /* a watched access let through: stop at the boundary */
    bool stop_pending;
    bool until;                 /* stop once c->insns reaches until_insns */
    uint64_t until_insns;
    struct cpu_dbg_stop stop;

    /* A watched page access recorded by the MEM_PROT callback. */
    bool hit, hit_match;
    uint32_t hit_pc, hit_report;
    enum cpu_watch_kind hit_kind;

    uint64_t stats_hits, stats_late, stats_stores, stats_loads;
};

static bool bp_on(const struct cpu_debug *d, const struct dbg_bp *b)
{
    return b->fn ? !d->mute_host : !d->mute_dbg;
}

static struct cpu_debug *get(struct cpu *c)
{
    if (!c->dbg) {
        c->dbg = calloc(1, sizeof *c->dbg);
        if (c->dbg) {
            uint32_t ps = 0;
            /* uc_ctl_get_page_size, without the header macro's signed
             * overflow (2 << 30 in an int) */
            uc_control_type rd_page_size = (uc_control_type)((unsigned)UC_CTL_UC_PAGE_SIZE |
                                                             1u << 26 | 2u << 30);
            if (uc_ctl(c->uc, rd_page_size, &ps) != UC_ERR_OK || !ps)
                ps = 4096;
            c->dbg->page_size = ps;
        }
    }
    return c->dbg;
}

static void update(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    c->dbg_attn = d->stepping || d->skip_bp || d->skip_watch || d->pass || d->late || d->flush ||
                  d->until;
    c->dbg_active = d->nbp || d->nw || c->dbg_attn || d->stop_pending;
}

void cpu_debug_free(struct cpu *c)
{
    free(c->dbg);
    c->dbg = NULL;
    c->dbg_active = c->dbg_attn = false;
}

/* ------------------------------------------------------ instructions -- */

/* Length of the instruction at pc; a Thumb IT instruction covers the
 * instructions it conditions (Unicorn runs them as one unit). */
static uint32_t insn_len(struct cpu *c, uint32_t pc)
{
    uint8_t code[4] = { 0 };
    struct insn_cost ic;
    uint32_t len;

    if (cpu_read_mem(c, pc, code, 4) && cpu_read_mem(c, pc, code, 2))
        return 2;
    c->decode(code, 4, &ic);
    len = ic.len ? ic.len : 2;
    if (c->thumb) {
        unsigned hw = (unsigned)code[0] | (unsigned)code[1] << 8;
        if ((hw & 0xff00) == 0xbf00 && (hw & 0xf)) {
            unsigned n = 4 - (unsigned)__builtin_ctz(hw & 0xf);
            for (unsigned i = 0; i < n; i++) {
                uint8_t b[4] = { 0 };
                cpu_read_mem(c, pc + len, b, 4);
                c->decode(b, 4, &ic);
                len += ic.len ? ic.len : 2;
            }
        }
    }
    return len;
}

/* Instructions in the unit insn_len covers (an IT block and what it
 * conditions counts as several). */
static unsigned unit_insns(struct cpu *c, uint32_t pc)
{
    uint16_t hw = 0;
    if (!c->thumb || cpu_read_mem(c, pc, &hw, 2) || (hw & 0xff00) != 0xbf00 || !(hw & 0xf))
        return 1;
    return 1 + 4 - (unsigned)__builtin_ctz(hw & 0xf);
}

/* The debugger breakpoint or host breakpoints that apply at boundary pc:
 * at pc itself, or inside the IT block that starts at pc. */
static bool bp_here(struct cpu *c, uint32_t pc)
{
    struct cpu_debug *d = c->dbg;
    uint32_t end = pc + 1;
    bool it_checked = false;

    for (unsigned i = 0; i < d->nbp; i++) {
        uint32_t a = d->bp[i].addr;
        if (!bp_on(d, &d->bp[i]))
            continue;
        if (a == pc)
            return true;
        if (c->thumb && a > pc && a < pc + 16) {
            if (!it_checked) {
                end = pc + insn_len(c, pc);
                it_checked = true;
            }
            if (a < end)
                return true;
        }
    }
    return false;
}

bool cpu_debug_covers(struct cpu *c, uint32_t addr, uint32_t size)
{
    struct cpu_debug *d = c->dbg;
    if (!d)
        return false;
    for (unsigned i = 0; i < d->nbp; i++)
        if (d->bp[i].addr - addr < size && bp_on(d, &d->bp[i]))
            return true;
    return false;
}

/* ------------------------------------------------------- run control -- */

static bool moved(const struct cpu *c, uint32_t pc)
{
    return c->insns != c->dbg->start_insns || pc != c->dbg->start_pc;
}

/* The first instruction after the resume has run: lift what was granted
 * for it. After a load of a read-watched page, QEMU holds the page as
 * readable in its TLB: flush it so that the next load is checked again. */
static void flush_tlb(struct cpu *c);
static int apply_pages(struct cpu *c, struct sim_error *err);

static void end_skip(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    if (d->flush) {
        flush_tlb(c);
        d->flush = false;
    }
    d->skip_bp = d->skip_watch = d->pass = false;
    update(c);
}

bool cpu_debug_block_start(struct cpu *c, uint32_t addr, uint32_t size)
{
    struct cpu_debug *d = c->dbg;
    bool mv;

    (void)size;
    if (!d)
        return false;
    mv = moved(c, addr);
    if (d->late || (d->until && c->insns >= d->until_insns))
        return true;                /* a watched access went through, or the count is reached */
    if (mv && (d->skip_bp || d->skip_watch || d->pass || d->flush))
        end_skip(c);
    if (d->stepping)
        return mv;
    return bp_here(c, addr) && !d->skip_bp;
}

uint32_t cpu_debug_clamp(struct cpu *c, uint32_t addr, uint32_t off)
{
    struct cpu_debug *d = c->dbg;
    uint32_t lim = off;

    if (!d)
        return off;
    /* one instruction alone: a step, or an access let through */
    if ((d->stepping || d->skip_watch || d->pass) && addr == d->start_pc &&
        c->insns == d->start_insns) {
        uint32_t n = insn_len(c, addr);
        if (n < lim)
            lim = n;
    }
    /* never past the instruction count asked for (an IT block is not cut:
     * a count that ends inside one stops after it) */
    if (d->until && d->until_insns > c->insns && d->until_insns - c->insns <= 1024) {
        uint64_t left = d->until_insns - c->insns;
        uint32_t o = 0;
        while (o < lim && left) {
            uint32_t unit = insn_len(c, addr + o);
            uint64_t k = unit_insns(c, addr + o);
            if (k > left && o)
                break;
            o += unit;
            left = k >= left ? 0 : left - k;
        }
        if (o && o < lim)
            lim = o;
    }
    /* never past a breakpoint: end at the boundary before it (before the
     * IT block that holds it, if it is inside one) */
    for (unsigned i = 0; i < d->nbp; i++) {
        uint32_t a = d->bp[i].addr;
        if (bp_on(d, &d->bp[i]) && a > addr && a - addr < lim) {
            uint32_t o = 0, best = 0;
            while (o < a - addr) {
                best = o;
                o += insn_len(c, addr + o);
            }
            if (o == a - addr)
                best = o;
            if (best)
                lim = best;
        }
    }
    return lim;
}

static void set_stop(struct cpu *c, enum cpu_dbg_reason why, uint32_t pc)
{
    struct cpu_debug *d = c->dbg;
    d->stop.reason = why;
    d->stop.pc = pc;
    d->stop.data_addr = 0;
    d->stop.kind = 0;
    d->stop.late = false;
}

bool cpu_debug_boundary(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    uint32_t pc;
    bool mv, stop = false, any = false;

    if (!d)
        return false;
    if (d->stop_pending) {
        d->stop_pending = false;
        d->stepping = false;
        update(c);
        return true;
    }
    pc = cpu_pc(c);
    mv = moved(c, pc);
    if (d->until && c->insns >= d->until_insns) {
        d->until = false;
        d->stepping = false;
        if (mv && (d->skip_bp || d->skip_watch || d->pass || d->flush))
            end_skip(c);
        set_stop(c, CPU_DBG_INSN, pc);
        update(c);
        return true;
    }
    if (d->late) {
        /* reported where the run could stop after it: later than the access */
        d->late = false;
        d->stepping = false;
        end_skip(c);
        set_stop(c, CPU_DBG_WATCH, pc);
        d->stop.data_addr = d->hit_report;
        d->stop.kind = d->hit_kind;
        d->stop.late = true;
        update(c);
        return true;
    }
    if (mv && (d->skip_bp || d->skip_watch || d->pass || d->flush))
        end_skip(c);
    if (d->stepping) {
        if (!mv)
            return false;
        d->stepping = false;
        set_stop(c, CPU_DBG_STEP, pc);
        update(c);
        return true;
    }
    if (d->skip_bp || !bp_here(c, pc))
        return false;
    /* host breakpoints first (they may stop too), then the debugger's */
    for (unsigned i = 0; i < d->nbp; i++) {
        struct dbg_bp *b = &d->bp[i];
        if (b->addr != pc || !bp_on(d, b))
            continue;
        any = true;
        if (!b->fn || b->fn(c, pc, b->ctx))
            stop = true;
    }
    if (!any)
        stop = true;            /* a breakpoint inside the IT block at pc */
    if (stop) {
        set_stop(c, CPU_DBG_BREAK, pc);
        return true;
    }
    /* only host breakpoints that went on: run this instruction */
    d->skip_bp = true;
    d->start_pc = pc;
    d->start_insns = c->insns;
    update(c);
    return false;
}

bool cpu_debug_after_wfi(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    uint32_t pc;

    if (!d || (!d->stepping && !d->until))
        return false;
    pc = cpu_pc(c);
    if (d->until && c->insns >= d->until_insns) {
        d->until = d->stepping = false;
        end_skip(c);
        set_stop(c, CPU_DBG_INSN, pc);
        update(c);
        return true;
    }
    if (!d->stepping || !moved(c, pc))
        return false;
    end_skip(c);
    d->stepping = false;
    set_stop(c, CPU_DBG_STEP, pc);
    update(c);
    return true;
}

void cpu_debug_mute(struct cpu *c, bool host, bool debugger)
{
    struct cpu_debug *d = get(c);
    if (!d || (d->mute_host == host && d->mute_dbg == debugger))
        return;
    d->mute_host = host;
    d->mute_dbg = debugger;
    d->cache_dirty = true;
    apply_pages(c, NULL);
    update(c);
}

void cpu_debug_no_skip(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    if (d) {
        d->skip_bp = d->skip_watch = false;
        update(c);
    }
}

void cpu_debug_stop_at_insn(struct cpu *c, uint64_t n)
{
    struct cpu_debug *d = get(c);
    if (!d)
        return;
    d->until = true;
    d->until_insns = n;
    update(c);
}

void cpu_debug_resume(struct cpu *c, bool step)
{
    struct cpu_debug *d = get(c);
    uint32_t pc;

    if (!d)
        return;
    pc = cpu_pc(c);
    d->start_pc = pc;
    d->start_insns = c->insns;
    d->skip_bp = d->nbp && bp_here(c, pc);
    d->skip_watch = d->stop.reason == CPU_DBG_WATCH && d->stop.pc == pc && d->nw &&
                    !d->stop.late;
    d->pass = false;
    d->stepping = step;
    d->stop_pending = false;
    d->stop.reason = CPU_DBG_NONE;
    update(c);
}

const struct cpu_dbg_stop *cpu_debug_stop_info(const struct cpu *c)
{
    static const struct cpu_dbg_stop none = { .reason = CPU_DBG_NONE };
    return c->dbg ? &c->dbg->stop : &none;
}

/* The set of breakpoint addresses, order-free: GDB removes and re-inserts
 * every breakpoint around each stop, which must not cost a cache flush. */
static uint64_t bp_signature(const struct cpu_debug *d)
{
    uint64_t sum = 0, x = (uint64_t)d->mute_host << 1 | d->mute_dbg;
    for (unsigned i = 0; i < d->nbp; i++) {
        uint64_t h = (d->bp[i].addr + 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        sum += h;
        x ^= h * 0x94d049bb133111ebull;
    }
    return sum ^ (x << 1) ^ d->nbp;
}

void cpu_debug_run_start(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    uint64_t sig;

    if (!d->cache_dirty)
        return;
    d->cache_dirty = false;
    sig = bp_signature(d);
    if (sig == d->cache_sig)
        return;
    d->cache_sig = sig;
    /* every cached block is decoded again, and flagged if it holds one */
    memset(c->cache, 0, CPU_BLOCK_CACHE * sizeof *c->cache);
}

/* --------------------------------------------------------- breakpoints -- */

int cpu_bp_add(struct cpu *c, uint32_t addr, cpu_bp_fn fn, void *ctx)
{
    struct cpu_debug *d = get(c);
    if (!d || d->nbp == DBG_MAX_BP)
        return -1;
    addr &= ~1u;
    d->bp[d->nbp].addr = addr;
    d->bp[d->nbp].fn = fn;
    d->bp[d->nbp].ctx = ctx;
    d->nbp++;
    d->cache_dirty = true;
    update(c);
    return 0;
}

int cpu_bp_del(struct cpu *c, uint32_t addr, cpu_bp_fn fn, void *ctx)
{
    struct cpu_debug *d = c->dbg;
    addr &= ~1u;
    if (!d)
        return -1;
    for (unsigned i = 0; i < d->nbp; i++) {
        if (d->bp[i].addr == addr && d->bp[i].fn == fn && d->bp[i].ctx == ctx) {
            d->bp[i] = d->bp[--d->nbp];
            d->cache_dirty = true;
            update(c);
            return 0;
        }
    }
    return -1;
}

/* -------------------------------------------------------- watchpoints -- */

static uint32_t region_perms(struct cpu *c, uint32_t addr)
{
    uc_mem_region *r = NULL;
    uint32_t n = 0, perms = 0;
    if (uc_mem_regions(c->uc, &r, &n) != UC_ERR_OK)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (addr >= r[i].begin && addr <= r[i].end)
            perms = r[i].perms;
    uc_free(r);
    return perms;
}

static struct dbg_page *page_of(struct cpu_debug *d, uint32_t addr)
{
    uint32_t base = addr & ~(d->page_size - 1);
    for (unsigned i = 0; i < d->npg; i++)
        if (d->pg[i].base == base)
            return &d->pg[i];
    return NULL;
}

static void flush_tlb(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    if (cpu_tlb_flush(c))
        return;
    /* no exported flush: a change of a page's write bit makes Unicorn flush */
    for (unsigned i = 0; i < d->npg; i++) {
        struct dbg_page *p = &d->pg[i];
        uc_mem_protect(c->uc, p->base, d->page_size, (p->orig & ~p->applied) ^ UC_PROT_WRITE);
        uc_mem_protect(c->uc, p->base, d->page_size, p->orig & ~p->applied);
        break;
    }
}

/* Recomputes every page's permissions from the watch list and applies them. */
static int apply_pages(struct cpu *c, struct sim_error *err)
{
    struct cpu_debug *d = c->dbg;
    bool flush = false;

    for (unsigned i = 0; i < d->npg;) {
        struct dbg_page *p = &d->pg[i];
        uint32_t removed = 0, want;
        for (unsigned k = 0; k < d->nw; k++) {
            const struct dbg_watch *w = &d->w[k];
            if (w->addr <= p->base + d->page_size - 1 && w->addr + w->len - 1 >= p->base) {
                if (w->kind & CPU_WATCH_WRITE)
                    removed |= UC_PROT_WRITE;
                if (w->kind & CPU_WATCH_READ)
                    removed |= UC_PROT_READ;
            }
        }
        p->removed = removed & p->orig;
        want = d->mute_dbg ? 0 : p->removed;
        if (want != p->applied) {
            uc_err e = uc_mem_protect(c->uc, p->base, d->page_size, p->orig & ~want);
            if (e != UC_ERR_OK)
                return sim_errorf(err, "watchpoint: cannot protect page 0x%08x: %s", p->base,
                                  uc_strerror(e));
            /* a change of read permission alone is enforced after a TLB flush */
            if ((want ^ p->applied) & UC_PROT_READ)
                flush = true;
            p->applied = want;
        }
        if (!p->removed && !p->applied) {
            *p = d->pg[--d->npg];
            continue;
        }
        i++;
    }
    if (flush)
        flush_tlb(c);
    return 0;
}

int cpu_watch_add(struct cpu *c, uint32_t addr, uint32_t len, enum cpu_watch_kind kind,
                  struct sim_error *err)
{
    struct cpu_debug *d = get(c);

    if (!d)
        return sim_errorf(err, "out of memory");
    if (!len || kind < CPU_WATCH_WRITE || kind > CPU_WATCH_ACCESS || addr + len - 1 < addr)
        return sim_errorf(err, "watchpoint: bad range or kind");
    if (d->nw == DBG_MAX_WATCH)
        return sim_errorf(err, "watchpoint: at most %d", DBG_MAX_WATCH);
    for (uint32_t a = addr; ; a += 1) {
        const struct bus_region *r = bus_region_at(c->bus, a);
        if (!r)
            return sim_errorf(err, "watchpoint: 0x%08x is not RAM or ROM (MMIO and unmapped "
                              "addresses cannot be watched)", a);
        if ((uint64_t)r->base + r->size >= (uint64_t)addr + len)
            break;
        a = r->base + r->size - 1;
    }
    for (uint32_t b = addr & ~(d->page_size - 1); b <= addr + len - 1; b += d->page_size) {
        if (!page_of(d, b)) {
            if (d->npg == DBG_MAX_PAGES)
                return sim_errorf(err, "watchpoint: too many pages watched");
            d->pg[d->npg].base = b;
            d->pg[d->npg].orig = region_perms(c, b);
            d->pg[d->npg].removed = 0;
            d->pg[d->npg].applied = 0;
            d->npg++;
        }
        if (b + d->page_size < b)
            break;
    }
    d->w[d->nw].addr = addr;
    d->w[d->nw].len = len;
    d->w[d->nw].kind = kind;
    d->nw++;
    update(c);
    return apply_pages(c, err);
}

int cpu_watch_del(struct cpu *c, uint32_t addr, uint32_t len, enum cpu_watch_kind kind)
{
    struct cpu_debug *d = c->dbg;
    if (!d)
        return -1;
    for (unsigned i = 0; i < d->nw; i++) {
        if (d->w[i].addr == addr && d->w[i].len == len && d->w[i].kind == kind) {
            d->w[i] = d->w[--d->nw];
            update(c);
            return apply_pages(c, NULL);
        }
    }
    return -1;
}

void cpu_debug_clear(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    if (!d)
        return;
    for (unsigned i = 0; i < d->nbp;) {
        if (!d->bp[i].fn) {
            d->bp[i] = d->bp[--d->nbp];
            d->cache_dirty = true;
        } else {
            i++;
        }
    }
    d->nw = 0;
    apply_pages(c, NULL);
    d->stepping = d->skip_bp = d->skip_watch = d->pass = d->stop_pending = d->late = false;
    d->until = false;
    update(c);
}

/* A store let through: done here, since QEMU may drop it (see the top). */
static void do_store(struct cpu *c, uint32_t addr, int size, int64_t value)
{
    uint8_t *p = bus_ram_ptr(c->bus, addr, (uint32_t)size);
    if (!p)
        return;
    for (int i = 0; i < size; i++)
        p[i] = (uint8_t)((uint64_t)value >> (8 * i));
}

int cpu_debug_prot_hook(struct cpu *c, int type, uint64_t addr64, int size, int64_t value)
{
    struct cpu_debug *d = c->dbg;
    uint32_t addr = (uint32_t)addr64, last = addr + (uint32_t)(size > 0 ? size - 1 : 0);
    const struct dbg_watch *match = NULL;
    struct dbg_page *p;
    uint32_t pcs[4];
    unsigned n;
    bool write;

    if (!d || !d->nw || (type != UC_MEM_READ_PROT && type != UC_MEM_WRITE_PROT))
        return 0;
    write = type == UC_MEM_WRITE_PROT;
    p = page_of(d, addr);
    if (!p)
        p = page_of(d, last);
    /* not one of ours, or the access is denied anyway (a store to ROM) */
    if (!p || !(p->orig & (write ? UC_PROT_WRITE : UC_PROT_READ)))
        return 0;
    if (!d->skip_watch && !d->pass && !d->late) {
        for (unsigned i = 0; i < d->nw && !match; i++) {
            const struct dbg_watch *w = &d->w[i];
            if ((w->kind & (write ? CPU_WATCH_WRITE : CPU_WATCH_READ)) &&
                w->addr <= last && w->addr + w->len - 1 >= addr)
                match = w;
        }
    }
    if (!match && (write || d->skip_watch || d->pass || d->late)) {
        /* let through */
        if (write) {
            do_store(c, addr, size, value);
            d->stats_stores++;
        } else {
            d->flush = true;
            update(c);
        }
        return 1;
    }
    n = c->arch->locate_access ? c->arch->locate_access(c, addr, write, pcs, ARRAY_LEN(pcs)) : 0;
    if (n == 1) {
        /* stop right before the instruction (a watched access, or a load
         * to run alone) */
        d->hit = true;
        d->hit_match = match != NULL;
        d->hit_pc = pcs[0];
        if (match) {
            d->hit_report = addr > match->addr ? addr : match->addr;
            d->hit_kind = match->kind;
        }
        return 2;
    }
    /* the instruction is not known for sure: let the access through, and
     * stop (if watched) at the next block boundary */
    if (write)
        do_store(c, addr, size, value);
    else
        d->flush = true;
    if (match) {
        d->late = true;
        d->hit_report = addr > match->addr ? addr : match->addr;
        d->hit_kind = match->kind;
        d->stats_late++;
    }
    update(c);
    return 1;
}

bool cpu_debug_mem_error(struct cpu *c)
{
    struct cpu_debug *d = c->dbg;
    uint32_t pc;

    if (!d || !d->hit)
        return false;
    d->hit = false;
    pc = d->hit_pc;
    cpu_rewind_to(c, pc);
    cpu_set_reg(c, c->pc_reg, pc | c->thumb);
    c->sync_kind = 0;
    if (d->hit_match) {
        d->stats_hits++;
        set_stop(c, CPU_DBG_WATCH, pc);
        d->stop.data_addr = d->hit_report;
        d->stop.kind = d->hit_kind;
        d->stop_pending = true;
    } else {
        d->stats_loads++;
        d->pass = true;
        d->start_pc = pc;
        d->start_insns = c->insns;
    }
    update(c);
    return true;
}

/* ----------------------------------------------------------- registers -- */

const struct cpu_reg_desc *cpu_debug_regs(const struct cpu *c, unsigned *n)
{
    *n = c->arch->dbg_regs ? c->arch->dbg_nregs : 0;
    return c->arch->dbg_regs;
}

int cpu_debug_reg(struct cpu *c, unsigned n, uint32_t *val, bool write)
{
    if (!c->arch->dbg_reg || n >= c->arch->dbg_nregs)
        return -1;
    return c->arch->dbg_reg(c, n, val, write);
}

int cpu_debug_stats(const struct cpu *c, char *buf, size_t len)
{
    const struct cpu_debug *d = c->dbg;
    if (!d)
        return snprintf(buf, len, "no breakpoints or watchpoints used\n");
    return snprintf(buf, len, "%u breakpoint(s), %u watchpoint(s) on %u page(s)\n"
                    "watch: %llu stop(s) before the access, %llu late, %llu store(s) and "
                    "%llu load(s) of watched pages let through\n"
                    "cpu: %llu slices, %llu splits\n", d->nbp, d->nw, d->npg,
                    (unsigned long long)d->stats_hits, (unsigned long long)d->stats_late,
                    (unsigned long long)d->stats_stores, (unsigned long long)d->stats_loads,
                    (unsigned long long)c->stats_slices, (unsigned long long)c->stats_splits);
}

void cpu_debug_reset_state(struct cpu *c)
{
    c->fatal = false;
    c->fatal_msg[0] = 0;
    c->split = c->split_keep = false;
    c->emulate_pending = false;
    c->native_pc = 1;
    c->sync_kind = 0;
    c->sleeping = false;
    c->stop_req = false;
    c->hook_stopped = false;
    c->bus->fault_pending = false;
    if (c->dbg) {
        struct cpu_debug *d = c->dbg;
        d->stepping = d->skip_bp = d->skip_watch = d->pass = d->stop_pending = d->hit = false;
        d->late = d->until = false;
        d->stop.reason = CPU_DBG_NONE;
        if (d->flush) {
            flush_tlb(c);
            d->flush = false;
        }
        update(c);
    }
}
