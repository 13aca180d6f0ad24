/* System call classes and return values (TRD 104 §3), and their encoding
 * into the four return registers. Pure code: also built on the host. */
#ifndef OS_KERNEL_SYSCALL_H
#define OS_KERNEL_SYSCALL_H

#include "lib/util.h"
#include "lib/errorcode.h"

enum k_syscall_class {
    K_SYS_YIELD = 0,
    K_SYS_SUBSCRIBE = 1,
    K_SYS_COMMAND = 2,
    K_SYS_ALLOW_RW = 3,
    K_SYS_ALLOW_RO = 4,
    K_SYS_MEMOP = 5,
    K_SYS_EXIT = 6,
    K_SYS_ALLOW_UR = 7,     /* userspace-readable allow */
};

enum k_yield_kind { K_YIELD_NO_WAIT = 0, K_YIELD_WAIT = 1, K_YIELD_WAIT_FOR = 2 };

enum k_ret_variant {
    K_RET_FAILURE = 0,
    K_RET_FAILURE_U32 = 1,
    K_RET_FAILURE_2U32 = 2,
    K_RET_FAILURE_U64 = 3,
    K_RET_SUCCESS = 128,
    K_RET_SUCCESS_U32 = 129,
    K_RET_SUCCESS_2U32 = 130,
    K_RET_SUCCESS_U64 = 131,
    K_RET_SUCCESS_3U32 = 132,
    K_RET_SUCCESS_U32_U64 = 133,
    K_RET_YIELD_WAIT_FOR = 0x10000,     /* kernel-internal: r0-r2 raw upcall arguments */
};

/* A system call (or command) result. For failures err holds the error code;
 * v[] holds the values in register order (64-bit values as lo, hi). */
struct k_ret {
    uint32_t variant;
    uint32_t err;
    uint32_t v[3];
};

static inline struct k_ret k_ret_success(void) { return (struct k_ret){ K_RET_SUCCESS, 0, { 0 } }; }
static inline struct k_ret k_ret_success_u32(uint32_t a) { return (struct k_ret){ K_RET_SUCCESS_U32, 0, { a } }; }
static inline struct k_ret k_ret_success_2u32(uint32_t a, uint32_t b) { return (struct k_ret){ K_RET_SUCCESS_2U32, 0, { a, b } }; }
static inline struct k_ret k_ret_success_3u32(uint32_t a, uint32_t b, uint32_t c) { return (struct k_ret){ K_RET_SUCCESS_3U32, 0, { a, b, c } }; }
static inline struct k_ret k_ret_success_u64(uint64_t a) { return (struct k_ret){ K_RET_SUCCESS_U64, 0, { (uint32_t)a, (uint32_t)(a >> 32) } }; }
static inline struct k_ret k_ret_success_u32_u64(uint32_t a, uint64_t b) { return (struct k_ret){ K_RET_SUCCESS_U32_U64, 0, { a, (uint32_t)b, (uint32_t)(b >> 32) } }; }
static inline struct k_ret k_ret_failure(uint32_t e) { return (struct k_ret){ K_RET_FAILURE, e, { 0 } }; }
static inline struct k_ret k_ret_failure_u32(uint32_t e, uint32_t a) { return (struct k_ret){ K_RET_FAILURE_U32, e, { a } }; }
static inline struct k_ret k_ret_failure_2u32(uint32_t e, uint32_t a, uint32_t b) { return (struct k_ret){ K_RET_FAILURE_2U32, e, { a, b } }; }
static inline struct k_ret k_ret_failure_u64(uint32_t e, uint64_t a) { return (struct k_ret){ K_RET_FAILURE_U64, e, { (uint32_t)a, (uint32_t)(a >> 32) } }; }
static inline struct k_ret k_ret_yield_wait_for(uint32_t a, uint32_t b, uint32_t c) { return (struct k_ret){ K_RET_YIELD_WAIT_FOR, 0, { a, b, c } }; }

/* Errors returned as a plain Failure, or success. */
static inline struct k_ret k_ret_from_err(int err) { return err ? k_ret_failure((uint32_t)err) : k_ret_success(); }
static inline bool k_ret_is_success(const struct k_ret *r) { return r->variant >= K_RET_SUCCESS && r->variant != K_RET_YIELD_WAIT_FOR; }

/* Write r into regs[0..3]; registers a variant does not use keep their value. */
void k_ret_encode(const struct k_ret *r, uint32_t regs[4]);

#endif
