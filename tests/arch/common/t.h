/* Bare-metal guest test runtime shared by the ARMv7-M and RV32 programs in
 * tests/arch/. Output protocol, one line per check:
 *   PASS <name>
 *   FAIL <name>: <details>
 *   SKIP <name>: <why>      (a "QEMU deviation" skip is a failure under tocksim:
 *                            expect_exit.sh --strict rejects it)
 *   INFO <text>             (facts worth seeing, never checked)
 * and a final "SUMMARY: <p> passed, <f> failed, <s> skipped". The program
 * then exits with status 0 iff nothing failed. */
#ifndef T_H
#define T_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* Provided per architecture (common/<arch>/rt.c). */
void t_putc(char c);
_Noreturn void t_exit(int status);

/* Console. t_printf understands %s %c %d %u %x %X and %%, with an optional
 * '0' flag and a field width (e.g. %08x). Nothing else. */
void t_puts(const char *s);
void t_printf(const char *fmt, ...);
void t_vprintf(const char *fmt, va_list ap);

/* Checks: each prints its PASS/FAIL line and returns whether it passed. */
bool t_eq(const char *name, uint32_t got, uint32_t want);
bool t_ok(const char *name, bool cond, const char *fail_fmt, ...);
void t_skip(const char *name, const char *why_fmt, ...);
/* The architecture requires `want`; QEMU 7.2 is known to give `qemu`
 * instead. got == want: PASS; got == qemu: SKIP "QEMU deviation"; else FAIL. */
bool t_eq_arch(const char *name, uint32_t got, uint32_t want, uint32_t qemu,
               const char *deviation);
void t_info(const char *fmt, ...);

/* Prints the summary and exits 0 iff no check failed. */
_Noreturn void t_done(void);
/* Number of checks that failed so far. */
unsigned t_failures(void);

#define T_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
