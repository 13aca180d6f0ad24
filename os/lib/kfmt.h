/* A small printf for the kernel: formats into any byte sink.
 * Supports %c %s %.*s %d %i %u %x %X %p %%, the flags '-' '0' '#',
 * a width (or '*'), and the length modifiers l, ll, z. */
#ifndef OS_LIB_KFMT_H
#define OS_LIB_KFMT_H

#include <stdarg.h>
#include <stddef.h>

struct k_writer {
    void (*write)(struct k_writer *w, const char *s, size_t n);
};

int k_vwprintf(struct k_writer *w, const char *fmt, va_list ap);
int k_wprintf(struct k_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void k_wputs(struct k_writer *w, const char *s);

/* Format into buf (always NUL-terminated if size > 0); returns the length
 * that the full output would have had. */
int k_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
