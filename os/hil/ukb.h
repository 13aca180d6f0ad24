/* User/kernel boundary HIL (after Tock's UserspaceKernelBoundary): how the
 * kernel starts a process, switches to it, reads its system calls, returns
 * values and injects upcalls. The architecture (arch/armv7m, arch/rv32i)
 * implements it; the kernel keeps each process's state in an opaque
 * ukb_state. Every call that touches process memory gets the accessible
 * range [mem_start, app_brk) and refuses (K_EINVAL) to write outside it. */
#ifndef OS_HIL_UKB_H
#define OS_HIL_UKB_H

#include "lib/util.h"
#include "lib/kfmt.h"

#define UKB_STATE_WORDS 40

struct ukb_state {
    uint32_t w[UKB_STATE_WORDS];
};

enum ukb_reason {
    UKB_SYSCALL,        /* the process made a system call: see ukb_syscall */
    UKB_FAULT,          /* the process faulted */
    UKB_INTERRUPTED,    /* an interrupt (or the timeslice) stopped it */
};

struct ukb_syscall {
    uint32_t class_id;  /* svc immediate (ARM) or a4 (RISC-V) */
    uint32_t args[4];   /* r0-r3 / a0-a3 */
};

struct hil_ukb_ops {
    /* A fresh state for a process whose accessible memory is [mem_start, app_brk). */
    int (*init)(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk);
    /* Make the process call fn(args[0..3]) and return to where it yielded. */
    int (*set_upcall)(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                      uint32_t fn, const uint32_t args[4]);
    /* Write r0-r3 / a0-a3 as the return of the last system call. */
    int (*set_return)(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                      const uint32_t regs[4]);
    enum ukb_reason (*switch_to)(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                                 struct ukb_syscall *sc);
    void (*print)(const struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                  struct k_writer *w);
    uint32_t (*stack_pointer)(const struct ukb_state *s);
};

struct hil_ukb {
    const struct hil_ukb_ops *ops;
    uint32_t initial_brk_size;      /* app memory needed before the first instruction */
};

#endif
