/* Small helpers shared by every layer of the kernel (freestanding C11). */
#ifndef OS_LIB_UTIL_H
#define OS_LIB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_LEN(a)    (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define K_MIN(a, b)     ((a) < (b) ? (a) : (b))
#define K_MAX(a, b)     ((a) > (b) ? (a) : (b))

static inline uint32_t k_align_up(uint32_t v, uint32_t a)   { return (v + a - 1) & ~(a - 1); }
static inline uint32_t k_align_down(uint32_t v, uint32_t a) { return v & ~(a - 1); }
static inline bool k_is_pow2(uint32_t v)                   { return v && !(v & (v - 1)); }

/* Smallest power of two >= v (v <= 2^31). */
static inline uint32_t k_next_pow2(uint32_t v)
{
    uint32_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

/* Little-endian loads from a byte buffer (TBF headers). */
static inline uint16_t k_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t k_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Memory-mapped register access for chips/ and arch/. */
static inline uint32_t k_reg_read(uintptr_t addr)          { return *(volatile uint32_t *)addr; }
static inline void k_reg_write(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

#endif
