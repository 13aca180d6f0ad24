/* Types and helpers shared by every host-side module of tocksim. */
#ifndef SIM_COMMON_H
#define SIM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t cycles_t;              /* CPU cycles since reset: the only clock */
#define CYCLES_NEVER UINT64_MAX

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#if defined(__GNUC__)
#define SIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SIM_LIKELY(x)   __builtin_expect(!!(x), 1)
#define SIM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SIM_PRINTF(f, a)
#define SIM_LIKELY(x)   (x)
#define SIM_UNLIKELY(x) (x)
#endif

/* Errors from input files, options and the host library: returned, never
 * exit()ed. msg names the file or option, what was found and what was
 * expected ("kernel.elf: offset 0x34: e_machine is RISC-V, expected ARM"). */
struct sim_error {
    char msg[512];
};

/* Fills err (if non-NULL) and returns -1, so `return sim_errorf(err, ...)`. */
int sim_errorf(struct sim_error *err, const char *fmt, ...) SIM_PRINTF(2, 3);

/* Exit statuses of the tocksim command (DESIGN.md §8). */
enum {
    SIM_EXIT_OK = 0,
    SIM_EXIT_EXPECT = 1,    /* an expectation failed / the guest reported failure */
    SIM_EXIT_USAGE = 2,     /* bad usage or bad input file */
    SIM_EXIT_GUEST = 3,     /* kernel panic, lockup, state we cannot continue from */
};

/* Parses "10s", "250ms", "3us", "1500ns", "2.5s" into nanoseconds. */
int sim_parse_time_ns(const char *s, uint64_t *ns);
/* Parses a C-style unsigned number (0x.., 0b.., decimal, '_' separators allowed). */
int sim_parse_u64(const char *s, uint64_t *v);

#endif
