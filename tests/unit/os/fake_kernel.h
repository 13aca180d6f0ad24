/* A fake kernel for capsule tests: processes with grant memory on the host
 * heap, and a log of scheduled upcalls. Implements the capsule-facing part
 * of os/kernel/kernel.h. */
#ifndef TESTS_UNIT_OS_FAKE_KERNEL_H
#define TESTS_UNIT_OS_FAKE_KERNEL_H

#include "kernel/kernel.h"

#define FK_PROCS 4
#define FK_LOG 64

struct fk_upcall {
    unsigned proc;
    uint32_t driver, subnum, a0, a1, a2;
};

struct fake_kernel {
    struct k_kernel k;
    struct k_process procs[FK_PROCS];
    uint8_t grant_mem[FK_PROCS][K_MAX_GRANTS][128];
    struct fk_upcall log[FK_LOG];
    unsigned nlog;
    /* allowed buffers (one per kind) */
    uint8_t *allow_buf[FK_PROCS][3];
    uint32_t allow_len[FK_PROCS][3];
};

extern struct fake_kernel fk;

void fk_reset(unsigned nprocs);

#endif
