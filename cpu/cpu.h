/* One narrow CPU interface over Unicorn, shared by the Cortex-M4 and RV32
 * cores. uc_common.c owns everything the two cores share: slicing, the
 * block-cost hook with instruction-exact event delivery, debug access.
 * The cores (cortexm/, rv32/) add exception/trap entry and return. */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <unicorn/unicorn.h>

#include "../sim/common.h"
#include "../sim/evq.h"
#include "../sim/trace.h"
#include "../sim/bus.h"
#include "cost/cost.h"

struct machine;
struct cpu;
struct snap_writer;
struct snap_reader;

enum cpu_stop {
    CPU_STOP_LIMIT,     /* reached the slice limit or an event deadline */
    CPU_STOP_REQUEST,   /* the machine asked to stop (exit, breakpoint) */
    CPU_STOP_WFI,       /* the core is sleeping until an interrupt */
    CPU_STOP_FATAL,     /* lockup or a state we cannot continue from (c->fatal_msg) */
    CPU_STOP_DEBUG,     /* breakpoint, step or watchpoint (cpu_debug_stop_info) */
};

struct cpu_reg_desc;

/* ------------------------------------------------------- observer -- */
/* Exception / trap entry and return, reported as they happen to one
 * observer (sim/osview.c: which process runs, system calls, upcalls).
 * Nothing is formatted or parsed: the core fills the event from its own
 * state. The cost with no observer is one test of a pointer at each entry
 * and return; with -Dtrace_hooks=false the call sites compile away
 * (SIM_TRACE_HOOKS, trace.h). */

enum cpu_mode {
    CPU_MODE_KERNEL,    /* Cortex-M thread mode on MSP; RV32 M mode */
    CPU_MODE_HANDLER,   /* Cortex-M handler mode (RV32: a trap handler in M mode) */
    CPU_MODE_USER,      /* Cortex-M thread mode on PSP; RV32 U mode: a process */
};

enum cpu_exc_kind { CPU_EXC_ENTRY, CPU_EXC_RETURN };

struct cpu_exc_event {
    enum cpu_exc_kind kind;
    enum cpu_mode from, to;
    bool tail_chain;    /* Cortex-M: a return that enters the next exception */
    uint32_t number;    /* Cortex-M: exception number (entry: the one entered,
                           return: the one left); RV32: mcause (0 on return) */
    uint32_t pc;        /* entry: where the interrupted code resumes (Cortex-M:
                           the stacked return address; RV32: mepc) */
    uint32_t target;    /* entry: the handler; return: where execution goes on */
    uint32_t svc;       /* entry by SVC / ecall: the system call class (the svc
                           immediate / a4), else 0 */
    uint32_t r[4];      /* r0-r3 / a0-a3: entry: as the interrupted code left
                           them; return: as the resumed code gets them */
};

typedef void (*cpu_exc_fn)(void *ctx, const struct cpu_exc_event *ev);

struct cpu_arch {
    const char *name;
    /* Optional: frees what the core allocated beside struct cpu. */
    void (*free_core)(struct cpu *c);
    /* Takes the highest-priority deliverable interrupt, if any (exception
     * or trap entry). Called at every slice boundary. */
    void (*deliver)(struct cpu *c);
    /* The last block ended with a context-synchronizing instruction (ISB,
     * mret): called at the next block start, or by the core before a trap
     * taken right there (RV32 reports its mret returns from here). */
    void (*after_sync)(struct cpu *c);
    /* An interrupt is pending and enabled, masked or not (wakes WFI). */
    bool (*wake_pending)(struct cpu *c);
    /* An enabled interrupt is pending, whatever the masks (PRIMASK, MIE...). */
    bool (*any_pending)(struct cpu *c);
    /* Optional: can anything still wake a WFI (RV32: mie is not 0)? false
     * ends the run: the core has halted for good. */
    bool (*can_wake)(struct cpu *c);
    /* An interrupt can be taken right now. */
    bool (*deliverable)(struct cpu *c);
    /* A hook recorded a synchronous event (c->sync_*): act on it. */
    void (*sync)(struct cpu *c);
    /* uc_emu_start failed (unmapped / protected access): raise the fault. */
    void (*mem_error)(struct cpu *c, uc_err err);
    /* Applies state kept outside Unicorn (MPU/PMP) before running on. */
    void (*apply)(struct cpu *c);
    /* Debug support (cpu/debug.c), all optional. The registers a debugger
     * sees (GDB numbering = index), read/written through dbg_reg (0, or -1
     * for no such register); the instructions of the block being executed
     * that could make a data access (a store if write) to addr, judged from
     * the registers (exact as before the access): up to max into pcs, the
     * count returned. None is returned for an instruction the run cannot
     * stop before (inside a Thumb IT block). */
    const struct cpu_reg_desc *dbg_regs;
    unsigned dbg_nregs;
    int (*dbg_reg)(struct cpu *c, unsigned n, uint32_t *val, bool write);
    unsigned (*locate_access)(struct cpu *c, uint32_t addr, bool write, uint32_t *pcs,
                              unsigned max);
    /* Does the instruction at pc (code, 4 bytes readable), with the current
     * registers, access addr (a store if write)? Sets its length. */
    bool (*access_covers)(struct cpu *c, uint32_t pc, const uint8_t *code, uint32_t addr,
                          bool write, unsigned *len);
    /* Optional: what the block decoder must know of an instruction:
     * CPU_INSN_UNMASK   it may unmask a pending interrupt (CPSIE, MSR PRIMASK,
     *                   csrw mie/mstatus), which is then taken right after it;
     * CPU_INSN_EMULATE  the host must execute it (RV32 counter CSRs, whose
     *                   values Unicorn takes from the host): Unicorn never
     *                   runs it, the run stops right before and emulate() does. */
    unsigned (*insn_flags)(struct cpu *c, const uint8_t *code, unsigned avail);
    /* Optional, while c->exec_check: is every instruction of this block
     * allowed to execute? If not, *off is the first one that is not; the run
     * stops before it and emulate() raises the fault. */
    bool (*check_block)(struct cpu *c, uint32_t addr, uint32_t size, uint32_t *off);
    /* Optional: with the registers exactly as before the instruction at pc,
     * must the host act on it (a fault to raise, a value to supply)? false:
     * it runs natively. Without this, emulate() is always called. */
    bool (*needs_emulation)(struct cpu *c, uint32_t pc);
    /* Executes the instruction at pc in the host and moves past it (true),
     * or leaves it to Unicorn after all (false: it then runs natively). */
    bool (*emulate)(struct cpu *c, uint32_t pc);
    /* Optional: the block at addr must stop at `at` for emulate(); may the
     * host perform the instructions in [addr, at) too (then emulate() is
     * called with addr, and no truncated block is translated)? */
    bool (*host_prefix)(struct cpu *c, uint32_t addr, uint32_t at);
    /* Was the instruction that ended the last run a WFI? */
    bool (*stopped_on_wfi)(struct cpu *c, uint32_t pc);
    /* Snapshots (cpu_snap.c): one section named after the core (arch->name)
     * with every register and the state the core keeps beside Unicorn; load
     * puts them back and re-programs Unicorn's MPU/PMP from the models
     * (which are loaded first), quietly. */
    void (*save)(struct cpu *c, struct snap_writer *w);
    int (*load)(struct cpu *c, struct snap_reader *r, struct sim_error *err);
};

#define CPU_INSN_UNMASK  1u
#define CPU_INSN_EMULATE 2u
#define CPU_INSN_SYNC    4u     /* context synchronization: ISB, mret */

struct cpu_block {                  /* cached static cost of one translated block */
    uint32_t addr, size;
    uint32_t cycles;
    uint16_t ninsn;
    uint16_t unmask_off;            /* offset just after a CPSIE / MSR PRIMASK.. (0: none) */
    uint16_t emu_off;               /* offset of the first host-emulated instruction */
    uint16_t emu_off2;              /* of the second one, 0 if none */
    uint16_t sync_off;              /* just after the first context-synchronizing
                                       instruction (ISB, mret); 0: none */
    bool special;                   /* any of the above: the block hook's slow path */
    bool has_emu;
    bool has_div;                   /* exact division timing: a divide in the block, */
    uint8_t div_len, div_kind;      /* the first one at div_off, its length, kind, */
    uint8_t div_rn, div_rm;         /* operand registers ... */
    uint8_t div_static;             /* ... and static cost (in `cycles`) */
    uint16_t div_off;
    bool dbg;                       /* a breakpoint lies in the block (cpu/debug.c) */
    uint8_t last_kind, last_penalty;
    bool first_ls, last_ls;         /* first / last instruction is a single load/store */
    uint64_t next_prev;             /* cpu.prev_word after this block */
};

#define CPU_BLOCK_CACHE 65536u

struct cpu {
    const struct cpu_arch *arch;
    uc_engine *uc;
    struct evq *q;
    struct trace *tr;
    struct bus *bus;
    struct machine *m;
    uint64_t cpu_hz;
    /* Operand-dependent divide timing (--set cpu.exact_div=1): every
     * divide runs as a block of its own whose cost is computed from its
     * operands at the block start. Off by default: it costs two extra
     * blocks and two register reads per divide. */
    bool exact_div;
    cost_div_fn div_cost;
    cost_decode_fn decode;
    int pc_reg;
    uint32_t thumb;                 /* 1 on Thumb: ORed into start addresses */

    struct cpu_block *cache;
    cycles_t limit;                 /* of the current cpu_run */
    uint64_t insns;                 /* instructions retired */

    /* State carried from one block to the next. */
    union {
        struct {
            uint32_t prev_end;
            uint8_t prev_penalty;   /* taken-branch penalty if the next block is not the fall-through */
            bool prev_last_ls;
            uint8_t prev_pad[2];
        };
        uint64_t prev_word;         /* all three, stored at once by the block hook */
    };

    bool lazy_resync;               /* re-apply at the next context synchronization */

    uint32_t blk_addr;              /* block being executed ... */
    cycles_t blk_start;             /* ... the cycle count at its start ... */
    uint64_t blk_insns;             /* ... and the instruction count */

    bool in_emu;                    /* inside uc_emu_start (hooks, MMIO callbacks) */
    /* Exact MMIO access times: the block execution (its blk_insns) of the
     * last guest MMIO access, that access's instruction, and the block-end
     * clock the access temporarily replaced. */
    uint64_t mmio_blk_insns;
    uint32_t mmio_off;              /* the last access's instruction (block offset), */
    uint32_t mmio_last_addr;        /* its address, */
    uint32_t mmio_prefix;           /* the block's cost before it, */
    uint16_t mmio_n;                /* the instructions before it, */
    uint8_t mmio_prev_kind;         /* and the kind of the one just before */
    cycles_t mmio_saved_now;
    bool mmio_clock_set;
    bool mmio_in_access;            /* inside a guest MMIO access ... */
    uint32_t mmio_pc;               /* ... by this instruction (block start if unknown) */
    bool sleeping;                  /* in WFI, until an interrupt is pending */

    struct cpu_debug *dbg;          /* breakpoints, watchpoints, step (cpu/debug.c) */
    bool dbg_active;                /* ... some exist: checked at every slice boundary */

    /* Reasons to leave the fast path at the next block boundary, read by
     * the block hook as one word. */
    union {
        struct {
            bool stop_req;          /* stop at the next block boundary */
            bool irq_check;         /* re-check deliverability at the next boundary */
            bool irq_poll;          /* re-check at every boundary (pending but masked) */
            bool resync;            /* re-apply core state at the next boundary */
            bool exec_check;        /* arch->check_block must see every block */
            bool prev_sync;         /* the last block ended with an ISB / mret */
            bool dbg_attn;          /* debug: every block start must be checked (a
                                       step, the first instruction after a stop) */
            bool exit_armed;        /* a split's exit is set in Unicorn */
        };
        uint64_t attn;
    };
    bool hook_stopped;              /* the last run ended by our own uc_emu_stop */
    bool split;                     /* exact delivery inside a block in progress */
    bool split_keep;                /* keep the truncated translation afterwards */
    bool emulate_pending;           /* stopped before an instruction the host emulates */
    uint32_t emulate_pc;
    uint32_t native_pc;             /* ... that emulate() handed back to Unicorn */
    uint32_t split_pc, split_size, split_until;

    int sync_kind;                  /* arch-defined synchronous event, 0 = none */
    uint32_t sync_a, sync_b;

    bool fatal;
    char fatal_msg[256];
    uint64_t stats_splits, stats_slices, stats_tlb_flushes;
    uint64_t stats_tb_flushes;
    uint64_t tb_flush_mark;     /* stats_splits at the last translation flush */
    void (*tlb_flush_fn)(uc_engine *uc);    /* resolved at start-up, may be NULL */
    const struct cpu_range *snap_changed;   /* during cpu_snapshot_load */
    unsigned snap_nchanged;
    cpu_exc_fn exc_obs;                     /* cpu_set_exc_observer */
    void *exc_obs_ctx;
};

/* One observer of exception/trap entries and returns (NULL: none). On RV32
 * the return is `mret`, which Unicorn executes itself: the core reports it
 * only at the addresses given to cpu_rv32_watch_mret. */
static inline void cpu_set_exc_observer(struct cpu *c, cpu_exc_fn fn, void *ctx)
{
    c->exc_obs = fn;
    c->exc_obs_ctx = ctx;
}
static inline bool cpu_observed(const struct cpu *c)
{
    return SIM_TRACE_HOOKS && SIM_UNLIKELY(c->exc_obs != NULL);
}

/* Shared set-up: hooks, cost cache, mapping the bus. The core calls it from
 * its create function after uc_open and model selection. */
int cpu_common_init(struct cpu *c, uc_engine *uc, struct bus *b, struct evq *q,
                    struct trace *tr, uint64_t cpu_hz, cost_decode_fn decode,
                    struct sim_error *err);
void cpu_common_free(struct cpu *c);

enum cpu_stop cpu_run(struct cpu *c, cycles_t limit);

uint32_t cpu_pc(struct cpu *c);
/* Redirects execution (exception entry/return): forgets block-to-block state. */
void cpu_jump(struct cpu *c, uint32_t pc);
/* Charges cycles spent outside any block (exception entry, traps). */
static inline void cpu_charge(struct cpu *c, uint32_t cycles) { c->q->now += cycles; }
/* Asks the run loop to stop at the next instruction boundary. */
static inline void cpu_request_stop(struct cpu *c) { c->stop_req = true; }
static inline void cpu_irq_changed(struct cpu *c) { if (c) c->irq_check = true; }
/* Core state held outside Unicorn changed (MPU/PMP configuration): the core
 * re-applies it at the next instruction boundary. */
static inline void cpu_resync(struct cpu *c) { if (c) c->resync = true; }
/* The same, for changes the architecture makes visible only after a context
 * synchronization (ISB, exception entry or return, mret): applied then. */
static inline void cpu_resync_lazy(struct cpu *c) { if (c) c->lazy_resync = true; }
/* Takes back the cost of the current block from `pc` on (a fault stopped it
 * there): the clock then reads as at that instruction. */
void cpu_rewind_to(struct cpu *c, uint32_t pc);
/* The instructions of the block just charged ([blk_addr, prev_end)) that
 * could have made an access: match() gets each instruction (code has at
 * least 4 readable bytes), sets its length and answers 1 (a candidate),
 * 0 (not) or -1 (give up: no candidate can be named). Fills pcs (up to
 * max) and returns how many were found, at most max. */
typedef int (*cpu_insn_match_fn)(struct cpu *c, uint32_t pc, const uint8_t *code, void *ctx,
                                 unsigned *len);
unsigned cpu_locate_in_block(struct cpu *c, cpu_insn_match_fn match, void *ctx, uint32_t *pcs,
                             unsigned max);
void cpu_set_fatal(struct cpu *c, const char *fmt, ...) SIM_PRINTF(2, 3);
/* Drops Unicorn's TLB (after an MPU/PMP change): through QEMU's own
 * tcg_flush_softmmu_tlb_<arch>, which libunicorn 2.0.1 exports, else false
 * (the caller then uses a slower trick). */
bool cpu_tlb_flush(struct cpu *c);
/* The PC to stamp a trace record with: the instruction making the current
 * MMIO access, else the block being executed, else the core's PC. */
uint32_t cpu_trace_pc(struct cpu *c);
/* `--set cpu.PROP=V`: exact_div (0 or 1). */
int cpu_set_prop(struct cpu *c, const char *prop, uint64_t v, struct sim_error *err);
/* The host clock libunicorn reads (cpu/uc_clock.c) is ours: true when the
 * dynamic linker bound it (the TLB then sizes itself on the guest alone). */
bool cpu_uc_clock_installed(void);
/* Forgets translated code and cached costs of [addr, addr+len). */
void cpu_invalidate(struct cpu *c, uint32_t addr, uint32_t len);

uint32_t cpu_reg(struct cpu *c, int reg);
void cpu_set_reg(struct cpu *c, int reg, uint32_t v);
int cpu_read_mem(struct cpu *c, uint32_t addr, void *buf, uint32_t len);
int cpu_write_mem(struct cpu *c, uint32_t addr, const void *buf, uint32_t len);

/* ------------------------------------------------------------ debug -- */
/* Breakpoints, single-step and watchpoints (cpu/debug.c), for the GDB stub
 * and for host-side hooks (the fault report). Neither UC_HOOK_CODE nor
 * UC_HOOK_MEM_READ/WRITE is used (UNICORN.md): a breakpoint is made a block
 * boundary by the block hook (a split, as for exact event delivery), a step
 * is a split after one instruction, and a watchpoint is a page whose
 * permissions Unicorn checks on each access to it (see debug.c for costs).
 * A run stops with CPU_STOP_DEBUG right before the instruction at the
 * breakpoint, right after the stepped instruction (or exception entry), or
 * right before the instruction that makes a watched access. */

struct cpu_reg_desc {
    const char *name;
    const char *type;           /* tdesc type: "int", "code_ptr", "data_ptr" */
    const char *group;          /* "general", "system", or NULL */
    const char *feature;        /* tdesc feature the register belongs to */
};

enum cpu_watch_kind { CPU_WATCH_WRITE = 1, CPU_WATCH_READ = 2, CPU_WATCH_ACCESS = 3 };
enum cpu_dbg_reason { CPU_DBG_NONE, CPU_DBG_BREAK, CPU_DBG_STEP, CPU_DBG_WATCH, CPU_DBG_INSN };

struct cpu_dbg_stop {
    enum cpu_dbg_reason reason;
    uint32_t pc;
    uint32_t data_addr;         /* watch: first watched byte the access touched */
    enum cpu_watch_kind kind;   /* watch: of the watchpoint */
    bool late;                  /* watch: stopped at the boundary after the access
                                   (the instruction was not known for sure) */
};

/* A host breakpoint's action, run at the instruction boundary before addr
 * (registers exact): true stops the run (CPU_STOP_DEBUG), false goes on. */
typedef bool (*cpu_bp_fn)(struct cpu *c, uint32_t addr, void *ctx);

/* fn NULL: a debugger breakpoint (always stops). Inserting twice needs
 * removing twice. */
int cpu_bp_add(struct cpu *c, uint32_t addr, cpu_bp_fn fn, void *ctx);
int cpu_bp_del(struct cpu *c, uint32_t addr, cpu_bp_fn fn, void *ctx);
/* [addr, addr+len) of RAM or ROM (not MMIO). */
int cpu_watch_add(struct cpu *c, uint32_t addr, uint32_t len, enum cpu_watch_kind kind,
                  struct sim_error *err);
int cpu_watch_del(struct cpu *c, uint32_t addr, uint32_t len, enum cpu_watch_kind kind);
/* Removes every debugger breakpoint and watchpoint (host ones stay). */
void cpu_debug_clear(struct cpu *c);
/* Before running on after a stop: a breakpoint at the current PC, or the
 * watched access the PC's instruction makes, does not stop again before
 * that instruction has run. step: stop after one instruction (an exception
 * entry taken first counts as the step). */
void cpu_debug_resume(struct cpu *c, bool step);
/* The run stops (CPU_DBG_INSN) at the boundary where exactly n instructions
 * have retired (c->insns == n; exception entries are not instructions; a
 * count that ends inside a Thumb IT block stops after the block). For
 * reverse execution: restore a snapshot, then run to the instruction
 * before the current one. */
void cpu_debug_stop_at_insn(struct cpu *c, uint64_t n);
/* Replays: host breakpoints (the fault report's) and/or the debugger's
 * breakpoints and watchpoints stop acting (they stay defined). */
void cpu_debug_mute(struct cpu *c, bool host, bool debugger);
/* After cpu_debug_resume: a breakpoint at the current PC does stop (a
 * replay from a snapshot taken there). */
void cpu_debug_no_skip(struct cpu *c);
const struct cpu_dbg_stop *cpu_debug_stop_info(const struct cpu *c);
const struct cpu_reg_desc *cpu_debug_regs(const struct cpu *c, unsigned *n);
int cpu_debug_reg(struct cpu *c, unsigned n, uint32_t *val, bool write);
/* Brings the core back to a runnable state after a reset (fatal, splits). */
void cpu_debug_reset_state(struct cpu *c);
/* Counters for `monitor stats` (snprintf-like). */
int cpu_debug_stats(const struct cpu *c, char *buf, size_t len);
void cpu_debug_free(struct cpu *c);

/* Hooks for uc_common.c and the cores (debug.c). */
bool cpu_debug_covers(struct cpu *c, uint32_t addr, uint32_t size);
bool cpu_debug_block_start(struct cpu *c, uint32_t addr, uint32_t size);
uint32_t cpu_debug_clamp(struct cpu *c, uint32_t addr, uint32_t off);
bool cpu_debug_boundary(struct cpu *c);
bool cpu_debug_after_wfi(struct cpu *c);
bool cpu_debug_mem_error(struct cpu *c);
void cpu_debug_run_start(struct cpu *c);
/* From the core's UC_HOOK_MEM_PROT callback, before its own handling:
 * 0 not a watchpoint matter, 1 let the access through (return true),
 * 2 a watched access: stop before it (return false). */
int cpu_debug_prot_hook(struct cpu *c, int type, uint64_t addr, int size, int64_t value);

/* Snapshots (cpu_snap.c): section "cpu" (what uc_common.c keeps between
 * blocks) and the core's own section. After a load, Unicorn's translated
 * code and the block-cost cache are dropped. Call between runs only. */
struct cpu_range {
    uint32_t addr, len;
};
void cpu_snapshot_save(struct cpu *c, struct snap_writer *w);
/* `changed`: the memory the restore rewrote (translations to drop). */
int cpu_snapshot_load(struct cpu *c, struct snap_reader *r, const struct cpu_range *changed,
                      unsigned nchanged, struct sim_error *err);
/* For the cores' load: drops the translations of the changed memory; call
 * it where the core is privileged with its MPU/PMP off (Unicorn looks the
 * first address of each range up as an instruction fetch, and a fetch that
 * would fault silently skips the range). */
void cpu_snapshot_invalidate(struct cpu *c);

/* The two cores. */
struct cpu *cpu_cortexm_create(struct machine *m, struct bus *b, struct evq *q, struct trace *tr,
                               uint64_t cpu_hz, struct sim_error *err);
struct cpu *cpu_rv32_create(struct machine *m, struct bus *b, struct evq *q, struct trace *tr,
                            uint64_t cpu_hz, struct sim_error *err);
void cpu_destroy(struct cpu *c);
/* Checks the Unicorn behaviours the Cortex-M core relies on (selftest.c). */
int cpu_selftest_arm(struct sim_error *err);
int cpu_selftest_rv(struct sim_error *err);
/* The exits behaviour exact splits rely on, on a caller's scratch engine
 * (three straight-line instructions of `step` bytes then a WFI at `pc`). */
int cpu_selftest_exits(uc_engine *uc, int pc_reg, uint32_t pc, uint32_t step,
                       struct sim_error *err);
int cpu_cortexm_reset(struct cpu *c, struct sim_error *err);
int cpu_rv32_reset(struct cpu *c, uint32_t entry, struct sim_error *err);
/* RV32 interrupt lines into mip (irq_sink_fn: n = mip bit: 3, 7, 11). */
void cpu_rv32_set_line(void *rv, unsigned bit, bool level);
void cpu_rv32_set_mtime_source(struct cpu *c, uint64_t (*fn)(void *), void *ctx);

#endif
