/* Trace: categories switched on at run time, text or JSON-lines records,
 * each stamped with simulated time and cycle. Every record and every byte
 * of console output is folded into a 64-bit FNV-1a hash: the determinism
 * witness printed at the end of a run. With a category off, the cost at a
 * trace site is one test of a bit in a word. */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdio.h>

#include "common.h"

enum trace_cat {
    TR_EXC,         /* exception / trap entry and return */
    TR_IRQ,         /* interrupt lines */
    TR_SYSCALL,
    TR_UPCALL,
    TR_SCHED,
    TR_ALARM,
    TR_MPU,
    TR_MMIO,        /* every peripheral register access, by name */
    TR_GPIO,
    TR_UART,
    TR_CPU,         /* slices, WFI, clock jumps */
    TR_GUEST_ERR,   /* the guest did something illegal (on by default) */
    TR_UNIMP,       /* the guest used something not modelled (on by default) */
    TR_NCATS
};

enum trace_fmt { TRACE_TEXT, TRACE_JSONL };

/* -Dtrace_hooks=false builds the simulator with every TRACE() site and the
 * cores' exception observer compiled away (bench/: the cost of the hooks). */
#ifndef SIM_TRACE_HOOKS
#define SIM_TRACE_HOOKS 1
#endif

struct trace_ring;

/* A structured observer of the records of some categories (the VCD and
 * Perfetto writers): sees the record's category and message. */
struct trace_sink {
    void (*fn)(struct trace_sink *s, enum trace_cat c, const char *msg);
    uint32_t cats;
    struct trace_sink *next;
};

struct trace {
    uint32_t mask;
    /* Categories also kept, unformatted, in a ring of the last records
     * (the fault report's history), whether or not they are printed. */
    uint32_t ring_mask;
    struct trace_ring *ring;
    enum trace_fmt fmt;
    FILE *out;
    uint64_t hash;
    const cycles_t *now;            /* the machine's clock */
    uint64_t cpu_hz;
    /* PC and symbol of the current instruction, supplied by the machine */
    uint32_t (*pc_fn)(void *ctx);
    const char *(*sym_fn)(void *ctx, uint32_t addr, uint32_t *offset);
    /* The process whose code holds pc (NULL: the kernel), and the symbol of
     * pc in that process's ELF (*sym NULL if none): shown on every line,
     * not hashed (it follows from the PC). */
    const char *(*proc_fn)(void *ctx, uint32_t pc, const char **sym, uint32_t *offset);
    void *ctx;
    uint64_t records;
    /* Optional observer of every record (scenario expectations, the
     * syscall decoder): called with the category and the message. */
    void (*hook)(void *hook_ctx, enum trace_cat c, const char *msg);
    void *hook_ctx;
    /* Categories switched on only for the hook: neither printed nor hashed,
     * so observing a run does not change its trace hash. */
    uint32_t hook_only;
    struct trace_sink *sinks;
};

#define TRACE_DEFAULT_MASK ((1u << TR_GUEST_ERR) | (1u << TR_UNIMP))

void trace_init(struct trace *t, const cycles_t *now, uint64_t cpu_hz);
static inline bool trace_on(const struct trace *t, enum trace_cat c)
{
    return (t->mask >> c) & 1u;
}
/* Printed, or kept in the ring: what the TRACE macro tests. */
static inline bool trace_wanted(const struct trace *t, enum trace_cat c)
{
    return ((t->mask | t->ring_mask) >> c) & 1u;
}
/* "exc,irq,syscall" or "all" or "none" -> mask; -1 with err on an unknown name. */
int trace_parse_cats(const char *list, uint32_t *mask, struct sim_error *err);
const char *trace_cat_name(enum trace_cat c);
/* Keeps the last `n` records of `cats` in a ring (n = 0: no ring). A kept
 * record costs a scan of its format and a copy of its arguments; it is
 * formatted only when read back. The hash never covers the ring. */
int trace_ring_enable(struct trace *t, uint32_t cats, unsigned n);
void trace_ring_free(struct trace *t);
/* Formats the kept records, oldest first, one line each ("t c=cycle cat
 * msg  pc=..."). */
void trace_ring_print(struct trace *t, FILE *f);
/* Emits one record (call only when trace_wanted()). Adds PC and symbol if known. */
void trace_emit(struct trace *t, enum trace_cat c, const char *fmt, ...) SIM_PRINTF(3, 4);
/* Folds bytes the guest wrote to a console into the hash. */
void trace_hash_bytes(struct trace *t, const void *data, size_t len);
/* Adds a sink; its categories are switched on, those not already on only
 * for the sinks and the hook (neither printed nor hashed). Call after the
 * run's own mask is set. */
void trace_add_sink(struct trace *t, struct trace_sink *s);
/* Removes it (its categories stay on). */
void trace_remove_sink(struct trace *t, struct trace_sink *s);
/* Writes s as a JSON string literal (quotes, escapes). */
void trace_json_string(FILE *f, const char *s);

#if SIM_TRACE_HOOKS
#define TRACE(t, cat, ...) \
    do { if (SIM_UNLIKELY(trace_wanted((t), (cat)))) trace_emit((t), (cat), __VA_ARGS__); } while (0)
#else
#define TRACE(t, cat, ...) do { if (0) trace_emit((t), (cat), __VA_ARGS__); } while (0)
#endif

#endif
