/* Raw system calls (see tock.h).
 *
 * Cortex-M: the class is the svc immediate, arguments and results in r0-r3.
 * An upcall runs on the way out of a yield: the kernel makes the svc return
 * into the callback, which returns to the instruction after the svc, so a
 * yield clobbers every caller-saved register (r0-r3, r12, lr, flags).
 * RV32: class in a4, arguments and results in a0-a3, `ecall`; the callback
 * returns through ra to the instruction after the ecall, so a yield clobbers
 * every caller-saved register (ra, t0-t6, a0-a7). */
#include "tock.h"

#if defined(__arm__)

#define SYSCALL4(cls, a, b, c, d)                                                   \
    ({                                                                              \
        register uint32_t r0_ __asm__("r0") = (uint32_t)(a);                        \
        register uint32_t r1_ __asm__("r1") = (uint32_t)(b);                        \
        register uint32_t r2_ __asm__("r2") = (uint32_t)(c);                        \
        register uint32_t r3_ __asm__("r3") = (uint32_t)(d);                        \
        __asm__ volatile("svc %4"                                                   \
                         : "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_)                \
                         : "i"(cls)                                                 \
                         : "memory");                                               \
        (struct tock_ret){ r0_, r1_, r2_, r3_ };                                    \
    })

#define YIELD3(a, b, c)                                                             \
    ({                                                                              \
        register uint32_t r0_ __asm__("r0") = (uint32_t)(a);                        \
        register uint32_t r1_ __asm__("r1") = (uint32_t)(b);                        \
        register uint32_t r2_ __asm__("r2") = (uint32_t)(c);                        \
        __asm__ volatile("svc 0"                                                    \
                         : "+r"(r0_), "+r"(r1_), "+r"(r2_)                           \
                         :                                                          \
                         : "r3", "r12", "lr", "cc", "memory");                      \
        (struct tock_ret){ r0_, r1_, r2_, 0 };                                      \
    })

#elif defined(__riscv)

#define SYSCALL4(cls, a, b, c, d)                                                   \
    ({                                                                              \
        register uint32_t a0_ __asm__("a0") = (uint32_t)(a);                        \
        register uint32_t a1_ __asm__("a1") = (uint32_t)(b);                        \
        register uint32_t a2_ __asm__("a2") = (uint32_t)(c);                        \
        register uint32_t a3_ __asm__("a3") = (uint32_t)(d);                        \
        register uint32_t a4_ __asm__("a4") = (uint32_t)(cls);                      \
        __asm__ volatile("ecall"                                                    \
                         : "+r"(a0_), "+r"(a1_), "+r"(a2_), "+r"(a3_)                \
                         : "r"(a4_)                                                 \
                         : "memory");                                               \
        (struct tock_ret){ a0_, a1_, a2_, a3_ };                                    \
    })

#define YIELD3(a, b, c)                                                             \
    ({                                                                              \
        register uint32_t a0_ __asm__("a0") = (uint32_t)(a);                        \
        register uint32_t a1_ __asm__("a1") = (uint32_t)(b);                        \
        register uint32_t a2_ __asm__("a2") = (uint32_t)(c);                        \
        register uint32_t a4_ __asm__("a4") = TOCK_CLASS_YIELD;                     \
        __asm__ volatile("ecall"                                                    \
                         : "+r"(a0_), "+r"(a1_), "+r"(a2_), "+r"(a4_)                \
                         :                                                          \
                         : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6",          \
                           "a3", "a5", "a6", "a7", "memory");                       \
        (struct tock_ret){ a0_, a1_, a2_, 0 };                                      \
    })

#else
#define TOCK_HOST_BUILD 1   /* host unit tests supply their own syscalls */
#endif

#ifndef TOCK_HOST_BUILD

struct tock_ret tock_command(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1)
{
    return SYSCALL4(TOCK_CLASS_COMMAND, driver, cmd, arg0, arg1);
}

struct tock_ret tock_subscribe(uint32_t driver, uint32_t sub, tock_upcall_fn fn, void *ud)
{
    return SYSCALL4(TOCK_CLASS_SUBSCRIBE, driver, sub, (uintptr_t)fn, (uintptr_t)ud);
}

struct tock_ret tock_allow_rw(uint32_t driver, uint32_t num, void *buf, size_t len)
{
    return SYSCALL4(TOCK_CLASS_ALLOW_RW, driver, num, (uintptr_t)buf, len);
}

struct tock_ret tock_allow_ro(uint32_t driver, uint32_t num, const void *buf, size_t len)
{
    return SYSCALL4(TOCK_CLASS_ALLOW_RO, driver, num, (uintptr_t)buf, len);
}

struct tock_ret tock_allow_userspace_r(uint32_t driver, uint32_t num, void *buf, size_t len)
{
    return SYSCALL4(TOCK_CLASS_ALLOW_USERSPACE_R, driver, num, (uintptr_t)buf, len);
}

struct tock_ret tock_memop(uint32_t op, uint32_t arg)
{
    return SYSCALL4(TOCK_CLASS_MEMOP, op, arg, 0, 0);
}

bool tock_yield_no_wait(void)
{
    volatile uint8_t ran = 0;
    (void)YIELD3(0, (uintptr_t)&ran, 0);
    return ran != 0;
}

void tock_yield_wait(void)
{
    (void)YIELD3(1, 0, 0);
}

struct tock_ret tock_yield_wait_for(uint32_t driver, uint32_t sub)
{
    return YIELD3(2, driver, sub);
}

void tock_exit(uint32_t completion_code)
{
    (void)SYSCALL4(TOCK_CLASS_EXIT, 0, completion_code, 0, 0);
    for (;;)
        ;
}

void tock_restart(uint32_t completion_code)
{
    (void)SYSCALL4(TOCK_CLASS_EXIT, 1, completion_code, 0, 0);
    for (;;)
        ;
}

#endif /* !TOCK_HOST_BUILD */

/* --------------------------------------------------- return decoding -- */

static int failure(struct tock_ret r)
{
    if (r.variant <= TOCK_FAILURE_U64)
        return r.r1 ? -(int)r.r1 : TOCK_EFAIL;
    return TOCK_EBADRVAL;
}

int tock_ret_status(struct tock_ret r)
{
    return r.variant == TOCK_SUCCESS ? TOCK_OK : failure(r);
}

int tock_ret_u32(struct tock_ret r, uint32_t *v)
{
    if (r.variant == TOCK_SUCCESS_U32) {
        if (v)
            *v = r.r1;
        return TOCK_OK;
    }
    return failure(r);
}

int tock_ret_any_success(struct tock_ret r)
{
    return r.variant >= TOCK_SUCCESS && r.variant <= TOCK_SUCCESS_U32_U64 ? TOCK_OK : failure(r);
}

int tock_ret_swap(struct tock_ret r)
{
    if (r.variant == TOCK_SUCCESS_2U32)
        return TOCK_OK;
    return r.variant == TOCK_FAILURE_2U32 ? failure(r) : TOCK_EBADRVAL;
}

/* -------------------------------------------------- conveniences -- */

int tock_command_status(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1)
{
    return tock_ret_status(tock_command(driver, cmd, arg0, arg1));
}

int tock_command_u32(uint32_t driver, uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t *v)
{
    return tock_ret_u32(tock_command(driver, cmd, arg0, arg1), v);
}

bool tock_driver_exists(uint32_t driver)
{
    return tock_ret_any_success(tock_command(driver, 0, 0, 0)) == TOCK_OK;
}

int tock_subscribe_status(uint32_t driver, uint32_t sub, tock_upcall_fn fn, void *ud)
{
    return tock_ret_swap(tock_subscribe(driver, sub, fn, ud));
}

int tock_unsubscribe(uint32_t driver, uint32_t sub)
{
    return tock_subscribe_status(driver, sub, (tock_upcall_fn)0, (void *)0);
}

int tock_allow_rw_status(uint32_t driver, uint32_t num, void *buf, size_t len)
{
    return tock_ret_swap(tock_allow_rw(driver, num, buf, len));
}

int tock_allow_ro_status(uint32_t driver, uint32_t num, const void *buf, size_t len)
{
    return tock_ret_swap(tock_allow_ro(driver, num, buf, len));
}

void tock_yield_for(volatile bool *flag)
{
    while (!*flag)
        tock_yield_wait();
}

void *tock_memop_ptr(uint32_t op)
{
    uint32_t v = 0;
    if (tock_ret_u32(tock_memop(op, 0), &v) < 0)
        return (void *)0;
    return (void *)(uintptr_t)v;
}

int tock_brk(void *addr)
{
    return tock_ret_status(tock_memop(TOCK_MEMOP_BRK, (uint32_t)(uintptr_t)addr));
}

void *tock_sbrk(int32_t incr)
{
    uint32_t old;
    if (tock_ret_u32(tock_memop(TOCK_MEMOP_SBRK, (uint32_t)incr), &old) < 0)
        return (void *)-1;
    return (void *)(uintptr_t)old;
}

const char *tock_strerror(int rc)
{
    static const char *const names[] = {
        "OK", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVAL", "SIZE",
        "CANCEL", "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK",
    };
    if (rc == TOCK_EBADRVAL)
        return "BADRVAL";
    if (rc <= 0 && -rc < (int)(sizeof names / sizeof names[0]))
        return names[-rc];
    return "?";
}
