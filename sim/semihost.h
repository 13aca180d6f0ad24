/* ARM semihosting as QEMU's -semihosting offers it to bare-metal programs:
 * console output, exit with a status, and the few queries C runtimes make.
 * Not modelled: file access other than the console (returns -1), SYS_SYSTEM,
 * command-line retrieval (empty). SYS_TIME returns 0 (no wall clock may
 * reach the guest); SYS_CLOCK returns simulated centiseconds; SYS_ELAPSED
 * gives the exact core cycle count and SYS_TICKFREQ the core clock, so that
 * guest programs can measure cycle costs. */
#ifndef SIM_SEMIHOST_H
#define SIM_SEMIHOST_H

#include "common.h"

struct machine;
struct cpu;

struct semihost {
    struct machine *m;
    struct cpu *cpu;
};

void semihost_init(struct semihost *s, struct machine *m, struct cpu *cpu);
/* Performs operation `op` with argument `arg` (r0, r1); *ret is the new r0. */
void semihost_call(struct semihost *s, uint32_t op, uint32_t arg, uint32_t *ret);

#endif
