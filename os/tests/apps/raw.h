/* Raw Tock system calls for the kernel's own test apps (no libtock). */
#ifndef OS_TESTS_RAW_H
#define OS_TESTS_RAW_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

struct sret {
    uint32_t r0, r1, r2, r3;
};

#if defined(__arm__)
#define RAW_SYSCALL(cls, a, b, c, d)                                                      \
    ({                                                                                    \
        register uint32_t r0 __asm__("r0") = (uint32_t)(a);                              \
        register uint32_t r1 __asm__("r1") = (uint32_t)(b);                              \
        register uint32_t r2 __asm__("r2") = (uint32_t)(c);                              \
        register uint32_t r3 __asm__("r3") = (uint32_t)(d);                              \
        __asm__ volatile("svc " #cls : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)            \
                         : : "memory", "r12", "lr");                                      \
        (struct sret){ r0, r1, r2, r3 };                                                  \
    })
#else
#define RAW_SYSCALL(cls, a, b, c, d)                                                      \
    ({                                                                                    \
        register uint32_t a0 __asm__("a0") = (uint32_t)(a);                              \
        register uint32_t a1 __asm__("a1") = (uint32_t)(b);                              \
        register uint32_t a2 __asm__("a2") = (uint32_t)(c);                              \
        register uint32_t a3 __asm__("a3") = (uint32_t)(d);                              \
        register uint32_t a4 __asm__("a4") = (cls);                                      \
        __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4)      \
                         : : "memory", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6",    \
                           "a5", "a6", "a7");                                             \
        (struct sret){ a0, a1, a2, a3 };                                                  \
    })
#endif

#define yield_no_wait(flagp) RAW_SYSCALL(0, 0, (uintptr_t)(flagp), 0, 0)
#define yield_wait()         RAW_SYSCALL(0, 1, 0, 0, 0)
#define yield_wait_for(d, s) RAW_SYSCALL(0, 2, d, s, 0)
#define subscribe(d, s, fn, data) RAW_SYSCALL(1, d, s, (uintptr_t)(fn), (uintptr_t)(data))
#define command(d, c, a, b)  RAW_SYSCALL(2, d, c, a, b)
#define allow_rw(d, n, p, l) RAW_SYSCALL(3, d, n, (uintptr_t)(p), l)
#define allow_ro(d, n, p, l) RAW_SYSCALL(4, d, n, (uintptr_t)(p), l)
#define memop(op, arg)       RAW_SYSCALL(5, op, arg, 0, 0)
#define exit_app(kind, code) RAW_SYSCALL(6, kind, code, 0, 0)

/* Output through the console driver, synchronously (Yield-WaitFor). */
static inline void out(const char *s, size_t n)
{
    allow_ro(1, 1, s, n);
    command(1, 1, n, 0);
    yield_wait_for(1, 1);
    allow_ro(1, 1, 0, 0);
}

static inline void puts_(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    out(s, n);
}

static inline void put_hex(uint32_t v)
{
    char b[10];
    b[0] = '0';
    b[1] = 'x';
    for (int i = 0; i < 8; i++) {
        unsigned d = (v >> (28 - 4 * i)) & 0xf;
        b[2 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    out(b, 10);
}

static inline void put_dec(uint32_t v)
{
    char b[10];
    int n = 10;
    do {
        b[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(b + n, (size_t)(10 - n));
}

/* The compiler may call these; each app is a single file. */
void *memset(void *d, int c, size_t n);
void *memset(void *d, int c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ((volatile uint8_t *)d)[i] = (uint8_t)c;
    return d;
}

#endif
