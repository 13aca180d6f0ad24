/* osview: what the host knows of the Tock processes in a machine, and the
 * Tock events it derives from the cores' exception/trap observer (cpu.h):
 * which process runs, its system calls (class, driver, numbers, arguments,
 * and the return variant when the kernel resumes it, TOCK.md §1.3), the
 * upcalls delivered (driver, subscribe number, arguments, function symbol),
 * preemptions and faults. Nothing is parsed from trace text.
 *
 * Processes are found in app flash (TBF headers, as the kernel finds them);
 * their symbols come from the app ELFs when a matching one is found next
 * to the TBF (X.tbf -> X.elf) or to the kernel image (NAME-arm.elf,
 * NAME-rv32.elf), checked byte for byte against the flash contents.
 *
 * A process runs from a return to thread mode on PSP (Cortex-M) or an
 * mret to U mode (RV32) until the next exception or trap taken from it.
 * Records go to the trace (categories syscall, upcall, sched) and, as
 * structured events, to listeners (scenario expectations, VCD, Perfetto).
 * The state is part of machine snapshots (section "osview"). */
#ifndef SIM_OSVIEW_H
#define SIM_OSVIEW_H

#include "common.h"
#include "elf.h"

struct machine;
struct cpu_exc_event;
struct snap_writer;
struct snap_reader;

#define OSVIEW_MAX_PROCS 16
#define OSVIEW_MAX_SUBS 24

enum osview_pstate {
    OSV_P_IDLE,         /* has not run yet */
    OSV_P_RUNNING,
    OSV_P_SYSCALL,      /* stopped in a system call (sys_cls, sys_args) */
    OSV_P_INTERRUPTED,  /* stopped by an interrupt */
    OSV_P_FAULTED,
    OSV_P_EXITED,
};

struct osview_proc {
    char name[64];
    unsigned idx;
    uint32_t tbf, tbf_end;              /* the TBF object in app flash */
    uint32_t app_start;                 /* first byte of the program binary */
    uint32_t min_ram;                   /* TBF minimum RAM size */
    bool fixed_ram;
    uint32_t ram_start;                 /* FixedAddresses RAM, if any */
    /* symbols of the app's ELF (link address = pc + sym_bias) */
    bool has_syms;
    struct elf_image syms;
    uint32_t sym_bias;
    /* state (snapshotted) */
    enum osview_pstate state;
    uint32_t sys_cls, sys_pc;           /* pending system call; where it was made */
    uint32_t sys_args[4];
    uint32_t stop_pc;                   /* where an interrupt stopped it */
    struct { uint32_t driver, num, fn; } subs[OSVIEW_MAX_SUBS];
    unsigned nsubs;
    uint64_t nsyscalls, nupcalls, npreempt;
};

enum osview_what {
    OSV_RUN,            /* p runs from here (start, syscall return, upcall, resume) */
    OSV_STOP,           /* p stops (system call, interrupt, fault) */
    OSV_SYSCALL,        /* p made a system call: cls, a[] */
    OSV_SYSRET,         /* the kernel resumes p after its system call: a[] = r0-r3 */
    OSV_UPCALL,         /* an upcall starts in p: driver, num, fn, a[] */
    OSV_FAULT,          /* p faulted: number (exception / mcause) */
    OSV_EXC_ENTRY,      /* any exception or trap entry: number, name */
    OSV_EXC_RETURN,     /* any exception return (number: Cortex-M only) */
};

struct osview_event {
    enum osview_what what;
    struct osview_proc *p;              /* NULL: not a process's event */
    uint32_t cls, driver, num, fn, number;
    uint32_t a[4];
    bool from_user, tail_chain;
    enum { OSV_STOP_SYSCALL, OSV_STOP_FAULT, OSV_STOP_INTERRUPT } stop;    /* OSV_STOP */
    const char *text;                   /* the record as traced (without the name) */
};

struct osview_listener {
    void (*fn)(struct osview_listener *l, const struct osview_event *ev);
    struct osview_listener *next;
};

struct osview {
    struct machine *m;
    bool arm;
    struct osview_proc procs[OSVIEW_MAX_PROCS];
    unsigned nprocs;
    struct osview_proc *running;        /* NULL: the kernel */
    struct osview_proc *last_ran;
    struct osview_listener *listeners;
    bool observing;
};

void osview_init(struct osview *os, struct machine *m);
void osview_free(struct osview *os);
/* Finds the processes in the board's app flash (after load and reset).
 * tbf_paths (may be NULL): the TBFs loaded, to find their ELFs. */
void osview_scan(struct osview *os, const char *const *tbf_paths, unsigned n);
/* Starts observing the core (idempotent). Costs nothing until called. */
int osview_observe(struct osview *os);
void osview_listen(struct osview *os, struct osview_listener *l);
void osview_unlisten(struct osview *os, struct osview_listener *l);
/* The process whose flash holds pc, NULL for none. */
struct osview_proc *osview_proc_at(struct osview *os, uint32_t pc);
struct osview_proc *osview_proc_named(struct osview *os, const char *name);
/* Symbol of pc in p's ELF (NULL if none). */
const char *osview_app_symbol(const struct osview_proc *p, uint32_t pc, uint32_t *off);
/* Decodes a system call return (r0-r3) per TOCK.md §1.3: "Success U32(0x5)",
 * "Failure(NOMEM)". */
void osview_format_return(const uint32_t r[4], char *buf, size_t len);
const char *osview_class_name(uint32_t cls);
const char *osview_driver_name(uint32_t driver);
/* Snapshots: section "osview" (processes' states and subscriptions). */
void osview_save(struct osview *os, struct snap_writer *w);
int osview_load(struct osview *os, struct snap_reader *r, struct sim_error *err);

#endif
