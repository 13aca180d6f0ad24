/* A process: its flash image, its RAM block, its saved CPU state, its
 * upcall queue, subscriptions, allowed buffers and grants (TOCK.md §3.3).
 *
 * RAM block [mem_start, mem_end):
 *   [mem_start, app_brk)      the process's memory (stack, data, heap)
 *   [app_brk, kernel_brk)     unused
 *   [kernel_brk, mem_end)     grants, allocated downwards by the kernel
 * Control blocks themselves live in kernel RAM (statically allocated). */
#ifndef OS_KERNEL_PROCESS_H
#define OS_KERNEL_PROCESS_H

#include "lib/util.h"
#include "hil/ukb.h"
#include "hil/mpu.h"
#include "kernel/tbf.h"
#include "kernel/upcall.h"
#include "kernel/syscall.h"

#define K_MAX_SUBSCRIBES    16
#define K_MAX_ALLOWS        16
#define K_MAX_GRANTS        12
#define K_NAME_MAX          32
#define K_MAX_SHARED        6       /* regions of other processes' memory (IPC) */

enum k_proc_state {
    K_PROC_UNUSED,
    K_PROC_RUNNING,
    K_PROC_YIELDED,
    K_PROC_YIELDED_FOR,
    K_PROC_FAULTED,
    K_PROC_TERMINATED,
};

enum k_allow_kind { K_ALLOW_RW, K_ALLOW_RO, K_ALLOW_UR };

struct k_subscription {
    uint32_t driver, subnum, fn, appdata;
    bool used;
};

struct k_allow_slot {
    uint32_t driver, num, ptr, len;
    uint8_t kind;
    bool used;
};

/* Access to a buffer in another process's RAM (IPC shares): one per owner,
 * held in the MPU configuration, so it is in force only while this process
 * runs. */
struct k_shared_region {
    uint32_t start, size;
    uint16_t owner;                 /* index of the process whose memory it is */
    uint8_t hw;                     /* the MPU driver's region id */
    bool used;
};

struct k_kernel;

struct k_process {
    struct k_kernel *kernel;
    unsigned index;                 /* slot in the process table: the app number */
    uint32_t id;                    /* unique; a restart gives a new one */
    enum k_proc_state state;
    char name[K_NAME_MAX];

    /* flash */
    struct tbf_header tbf;
    uint32_t flash_start, flash_end;    /* the whole TBF object */
    uint32_t app_start;                 /* flash_start + header_size + protected trailer */
    uint32_t init_fn;

    /* RAM */
    uint32_t mem_start, mem_end;
    uint32_t app_brk, kernel_brk;
    uint32_t allow_high_water;
    uint32_t stack_start_dbg, heap_start_dbg;   /* memop 10/11; 0 = not told */

    /* scheduling and upcalls */
    uint32_t wait_driver, wait_subnum;  /* Yield-WaitFor */
    uint32_t slice_left_us;             /* after a kernel preemption, else 0 */
    struct k_upcall_queue tasks;
    struct k_subscription subs[K_MAX_SUBSCRIBES];
    struct k_allow_slot allows[K_MAX_ALLOWS];
    uint32_t grant_ptr[K_MAX_GRANTS];

    /* debugging */
    uint32_t syscall_count, dropped_upcalls, restart_count, timeslice_expirations;
    bool has_last_syscall;
    struct ukb_syscall last_syscall;
    bool has_completion, completion_faulted;
    uint32_t completion_code;

    struct ukb_state ctx;
    struct hil_mpu_config mpu;
    struct k_shared_region shared[K_MAX_SHARED];
};

static inline bool k_process_alive(const struct k_process *p)
{
    return p->state == K_PROC_RUNNING || p->state == K_PROC_YIELDED || p->state == K_PROC_YIELDED_FOR;
}

const char *k_proc_state_name(enum k_proc_state s);

/* Kernel-internal process operations (kernel/process.c). */
int k_process_create(struct k_kernel *k, uint32_t flash, const struct tbf_header *h);
bool k_process_ready(const struct k_process *p);
int k_process_brk(struct k_process *p, uint32_t new_brk);
void k_process_terminate(struct k_process *p, bool faulted, uint32_t code);
int k_process_restart(struct k_process *p);
void k_process_fault(struct k_process *p);
bool k_process_in_ram(const struct k_process *p, uint32_t addr, uint32_t len);
bool k_process_in_flash(const struct k_process *p, uint32_t addr, uint32_t len);
void k_process_set_return(struct k_process *p, const struct k_ret *r);

/* Give p read-write access to [start, start + size) of owner's memory,
 * replacing any access p had to owner's memory. K_ENOMEM if the MPU has no
 * region left for it or cannot cover exactly that range. */
int k_process_share_region(struct k_process *p, const struct k_process *owner,
                           uint32_t start, uint32_t size);
/* Withdraw p's access to owner's memory (no-op if none). */
void k_process_unshare_region(struct k_process *p, const struct k_process *owner);
/* The region p holds in owner's memory, or NULL. */
const struct k_shared_region *k_process_shared_region(const struct k_process *p,
                                                      const struct k_process *owner);

#endif
