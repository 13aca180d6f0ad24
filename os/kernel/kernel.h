/* The kernel's public interface: what boards set up and what capsules use.
 *
 * Capsules see processes through this file only: grants (per-process memory
 * of a driver), upcall scheduling, and copies to/from allowed buffers. */
#ifndef OS_KERNEL_KERNEL_H
#define OS_KERNEL_KERNEL_H

#include "lib/util.h"
#include "lib/errorcode.h"
#include "hil/chip.h"
#include "hil/ukb.h"
#include "hil/mpu.h"
#include "hil/sched_timer.h"
#include "kernel/syscall.h"
#include "kernel/process.h"

#define K_VERSION_STRING    "2.3.0-dev1"
#define K_DEFAULT_TIMESLICE_US  10000u
#define K_MIN_QUANTA_US     500u

/* ------------------------------------------------------------ drivers -- */

struct k_grant;

/* A system call driver (a capsule's userspace face). The kernel stores
 * subscriptions and allowed buffers itself; numbers at or above the counts
 * below get NOSUPPORT. */
struct k_driver {
    uint32_t num;
    uint8_t num_upcalls, num_allow_ro, num_allow_rw;
    struct k_grant *grant;          /* allocated on the first subscribe/allow; may be NULL */
    struct k_ret (*command)(struct k_driver *d, struct k_process *p,
                            uint32_t cmd, uint32_t arg0, uint32_t arg1);
    /* Optional: told after each successful allow (IPC withdraws access to
     * a buffer that is no longer shared). */
    void (*allowed)(struct k_driver *d, struct k_process *p, enum k_allow_kind kind,
                    uint32_t num, uint32_t ptr, uint32_t len);
};

/* -------------------------------------------------------------- grants -- */

/* Per-process memory of one driver, carved from the top of the process's RAM
 * block on first use and zeroed. Register every grant before loading apps. */
struct k_grant {
    uint32_t driver_num;
    uint16_t size;
    uint8_t index;
    bool registered;
};

int k_grant_register(struct k_kernel *k, struct k_grant *g);
void *k_grant_enter(struct k_process *p, struct k_grant *g);   /* NULL: no memory / not alive */
void *k_grant_get(struct k_process *p, struct k_grant *g);     /* NULL: not allocated */

/* ----------------------------------------------------------- processes -- */

unsigned k_num_processes(struct k_kernel *k);
struct k_process *k_process_at(struct k_kernel *k, unsigned i);

/* Queue an upcall (driver, subnum) with three arguments. Returns K_ENOMEM
 * (and counts a dropped upcall) if the queue is full, K_EOFF if the process
 * is not alive. */
int k_upcall_schedule(struct k_process *p, uint32_t driver, uint32_t subnum,
                      uint32_t a0, uint32_t a1, uint32_t a2);

/* The buffer currently allowed at (kind, driver, num); false if none. */
bool k_allow_get(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                 uint32_t *ptr, uint32_t *len);
/* Copy out of / into an allowed buffer from byte offset `off`; returns the
 * number of bytes copied (clipped to the buffer). */
size_t k_allow_read(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                    uint32_t off, void *dst, size_t n);
size_t k_allow_write(struct k_process *p, uint32_t driver, uint32_t num,
                     uint32_t off, const void *src, size_t n);

/* -------------------------------------------------------------- kernel -- */

enum k_fault_policy {
    K_FAULT_PANIC,              /* print the dump and halt the board */
    K_FAULT_STOP,               /* the process stays Faulted */
    K_FAULT_RESTART,            /* restart while restart_count < restart_threshold, then stop */
};

struct k_kernel {
    /* set by the board before k_kernel_start */
    const char *board_name;
    struct k_process *procs;
    unsigned max_procs;
    struct k_driver *const *drivers;
    unsigned ndrivers;
    struct hil_chip *chip;
    const struct hil_ukb *ukb;
    struct hil_mpu *mpu;
    struct hil_sched_timer *stimer;     /* NULL: cooperative scheduling */
    uint32_t timeslice_us;
    enum k_fault_policy fault_policy;
    unsigned restart_threshold;
    bool fault_debug;                   /* print the process dump on a non-panic fault */
    uint32_t apps_flash_start, apps_flash_size;
    uint32_t apps_ram_start, apps_ram_size;

    /* kernel-owned */
    unsigned nprocs;
    struct k_grant *grants[K_MAX_GRANTS];
    unsigned ngrants;
    uint32_t grant_bytes;               /* sum of all grants, each 8-aligned */
    unsigned rr_next;
    uint32_t next_id;
    uint32_t ram_next;
};

/* Discover apps and print the process list. */
void k_kernel_load(struct k_kernel *k);
/* The kernel loop; never returns. */
_Noreturn void k_kernel_run(struct k_kernel *k);
/* One iteration (for tests and boards that add work). */
void k_kernel_loop_once(struct k_kernel *k);

struct k_driver *k_driver_find(struct k_kernel *k, uint32_t num);
void k_handle_syscall(struct k_kernel *k, struct k_process *p, const struct ukb_syscall *sc);
struct k_ret k_memop(struct k_process *p, uint32_t op, uint32_t arg);

#endif
