/* The host-side fault report (issue #7 item 5). When the guest kernel
 * panics or halts for good, or the core locks up, tocksim prints: why, the
 * registers with symbols, the decoded fault status (CFSR/HFSR/MMFAR/BFAR;
 * mcause/mepc/mtval), a backtrace from a stack scan, and the last trace
 * events (exceptions, syscalls, MPU, guest errors: kept raw in the trace
 * ring whether or not tracing is on), then the run ends with status 3.
 *
 * The kernel is found out by name in its ELF symbols: `k_panic_at` (entry:
 * the registers and the backtrace are taken there, and the panic message's
 * file, line and format are read from its arguments) and the halt routine
 * the panic ends in (`armv7m_halt`, `rv32i_halt`: the report is printed
 * there, after the kernel's own banner). Both are host breakpoints
 * (cpu/debug.c): no cost until they are reached. */
#ifndef SIM_FAULTREPORT_H
#define SIM_FAULTREPORT_H

#include <stdio.h>

#include "common.h"

struct machine;
struct cpu;

#define FR_MAX_FRAMES 16
#define FR_MAX_REGS 80
#define FR_RING 32

struct faultreport {
    struct machine *m;
    FILE *out;
    bool for_debugger;          /* stop for GDB at the halt instead of ending the run */
    uint32_t panic_addr;        /* 0: no panic routine found */
    uint32_t halt_addr[4];
    unsigned nhalt;
    bool panicked;
    char panic_msg[320];
    uint32_t regs[FR_MAX_REGS]; /* at the panic routine's entry */
    bool regs_ok[FR_MAX_REGS];
    unsigned nregs;
    uint32_t bt[FR_MAX_FRAMES];
    unsigned nbt;
    bool reported;
    bool report_stop;           /* the last debug stop was the report's (GDB) */
};

/* Hooks the kernel's panic and halt routines (if its ELF names them) and
 * starts keeping the last FR_RING trace events. */
int faultreport_attach(struct faultreport *fr, struct machine *m, bool for_debugger);
void faultreport_detach(struct faultreport *fr);
/* Prints a report now (a lockup: `why` is the core's message). */
void faultreport_print(struct faultreport *fr, const char *why);

#endif
