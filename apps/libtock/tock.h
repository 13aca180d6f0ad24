/* libtock (tocksim's own userspace library), layer 0: the Tock system-call
 * ABI (TRD 104, ../../shared/TOCK.md §1) for Cortex-M (svc N) and RV32
 * (a4 = N; ecall).
 *
 * Layers, as in libtock-c:
 *   tock.h             raw system calls (this file)
 *   syscalls/X_sys.h   one driver's commands, subscribes and allows
 *   services/X.h       asynchronous services (callbacks, virtual alarms)
 *   sync/X_sync.h      blocking wrappers built on yield
 *
 * Return codes: 0 (TOCK_OK) or a negative TOCK_E* (the kernel's ErrorCode,
 * negated). Upcalls run only inside a yield. */
#ifndef LIBTOCK_TOCK_H
#define LIBTOCK_TOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ErrorCode (TRD 104 §3.4), negated. */
enum {
    TOCK_OK = 0,
    TOCK_EFAIL = -1,
    TOCK_EBUSY = -2,
    TOCK_EALREADY = -3,
    TOCK_EOFF = -4,
    TOCK_ERESERVE = -5,
    TOCK_EINVAL = -6,
    TOCK_ESIZE = -7,
    TOCK_ECANCEL = -8,
    TOCK_ENOMEM = -9,
    TOCK_ENOSUPPORT = -10,
    TOCK_ENODEVICE = -11,
    TOCK_EUNINSTALLED = -12,
    TOCK_ENOACK = -13,
    TOCK_EBADRVAL = -1024,      /* the kernel returned a variant we did not expect */
};

/* Return variants (r0 / a0). */
enum {
    TOCK_FAILURE = 0,
    TOCK_FAILURE_U32 = 1,
    TOCK_FAILURE_2U32 = 2,
    TOCK_FAILURE_U64 = 3,
    TOCK_SUCCESS = 128,
    TOCK_SUCCESS_U32 = 129,
    TOCK_SUCCESS_2U32 = 130,
    TOCK_SUCCESS_U64 = 131,
    TOCK_SUCCESS_3U32 = 132,
    TOCK_SUCCESS_U32_U64 = 133,
};

/* Syscall classes (the svc immediate / a4). */
enum {
    TOCK_CLASS_YIELD = 0,
    TOCK_CLASS_SUBSCRIBE = 1,
    TOCK_CLASS_COMMAND = 2,
    TOCK_CLASS_ALLOW_RW = 3,
    TOCK_CLASS_ALLOW_RO = 4,
    TOCK_CLASS_MEMOP = 5,
    TOCK_CLASS_EXIT = 6,
    TOCK_CLASS_ALLOW_USERSPACE_R = 7,
};

/* Memop operations. */
enum {
    TOCK_MEMOP_BRK = 0,
    TOCK_MEMOP_SBRK = 1,
    TOCK_MEMOP_RAM_START = 2,
    TOCK_MEMOP_RAM_END = 3,
    TOCK_MEMOP_FLASH_START = 4,
    TOCK_MEMOP_FLASH_END = 5,
    TOCK_MEMOP_GRANT_START = 6,
    TOCK_MEMOP_NUM_WFR = 7,
    TOCK_MEMOP_WFR_START = 8,
    TOCK_MEMOP_WFR_END = 9,
    TOCK_MEMOP_STACK_TOP = 10,
    TOCK_MEMOP_HEAP_START = 11,
};

/* The four return registers, untouched. */
struct tock_ret {
    uint32_t variant;
    uint32_t r1, r2, r3;
};

/* Upcall: (arg0, arg1, arg2, userdata), AAPCS / RISC-V calling convention. */
typedef void (*tock_upcall_fn)(int arg0, int arg1, int arg2, void *ud);

/* ------------------------------------------------------ raw syscalls -- */

struct tock_ret tock_command(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1);
/* Returns the previous (fn, ud) in r1, r2 on success (variant 130). */
struct tock_ret tock_subscribe(uint32_t driver, uint32_t sub, tock_upcall_fn fn, void *ud);
struct tock_ret tock_allow_rw(uint32_t driver, uint32_t num, void *buf, size_t len);
struct tock_ret tock_allow_ro(uint32_t driver, uint32_t num, const void *buf, size_t len);
struct tock_ret tock_allow_userspace_r(uint32_t driver, uint32_t num, void *buf, size_t len);
struct tock_ret tock_memop(uint32_t op, uint32_t arg);

/* Yield-NoWait: runs at most one pending upcall; true if one ran. */
bool tock_yield_no_wait(void);
/* Yield-Wait: sleeps until one upcall has run. */
void tock_yield_wait(void);
/* Yield-WaitFor: sleeps until the (driver, sub) upcall is pending, removes
 * it without calling its function, and returns its three arguments. */
struct tock_ret tock_yield_wait_for(uint32_t driver, uint32_t sub);

void tock_exit(uint32_t completion_code) __attribute__((noreturn));
void tock_restart(uint32_t completion_code) __attribute__((noreturn));

/* --------------------------------------------------- return decoding -- */

/* Success -> 0, Failure* -> -error; anything else -> TOCK_EBADRVAL. */
int tock_ret_status(struct tock_ret r);
/* Success-u32 -> 0 with *v; Failure* -> -error. */
int tock_ret_u32(struct tock_ret r, uint32_t *v);
/* Success (any) or Success-u32 (value ignored, as LED/button "exists"). */
int tock_ret_any_success(struct tock_ret r);
/* Subscribe/allow: 130 -> 0, 2 -> -error. */
int tock_ret_swap(struct tock_ret r);

/* -------------------------------------------------- conveniences -- */

/* Command returning Success or Failure. */
int tock_command_status(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1);
/* Command returning Success-u32. */
int tock_command_u32(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t *v);
/* True if the kernel has the driver (command 0). */
bool tock_driver_exists(uint32_t driver);
int tock_subscribe_status(uint32_t driver, uint32_t sub, tock_upcall_fn fn, void *ud);
/* Removes the upcall (Null Upcall): queued upcalls for it are dropped. */
int tock_unsubscribe(uint32_t driver, uint32_t sub);
int tock_allow_rw_status(uint32_t driver, uint32_t num, void *buf, size_t len);
int tock_allow_ro_status(uint32_t driver, uint32_t num, const void *buf, size_t len);

/* Yields (Wait) until *flag becomes true. */
void tock_yield_for(volatile bool *flag);

/* Memop helpers. */
void *tock_memop_ptr(uint32_t op);                  /* ram/flash start/end, grant start */
int tock_brk(void *addr);
void *tock_sbrk(int32_t incr);                      /* (void *)-1 when refused */

/* Text of a negative return code ("NOMEM"). */
const char *tock_strerror(int rc);

#endif
