/* The C library's hooks into Tock, on top of Debian's picolibc:
 *   stdout/stderr -> the console (buffered, flushed at '\n', when full and
 *   at the end of every printf/puts/putchar), stdin <- the console;
 *   malloc/free/calloc/realloc over memop sbrk; exit/_exit/abort/assert.
 *
 * Why printf & co. are defined here although picolibc has them: Debian's
 * picolibc is not built position independent, and its printf, puts,
 * putchar, snprintf and malloc reach their globals (stdout, the string FILE
 * put function, the free list) through absolute addresses baked into
 * flash, which a Cortex-M PIC app cannot relocate. These wrappers are
 * compiled with the app's PIC flags and pass every pointer to picolibc's
 * vfprintf, which does the formatting. (vfprintf itself still holds two
 * absolute addresses, of the strings "(null)" and "*float*": printing a NULL
 * %s or a %f on Cortex-M reads the wrong flash. `tocksim pack` lists such
 * relocations.) Integer-only printf: see PICOLIBC_INTEGER_PRINTF_SCANF in
 * apps/meson.build. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/console_sync.h"
#include "tock.h"

/* picolibc defines these as macros over the functions defined below. */
#undef putchar
#undef getchar
#undef putc
#undef getc

/* ------------------------------------------------------------- stdout -- */

#define OUT_BUF 64

static struct {
    char buf[OUT_BUF];
    size_t n;
} out;

static int out_flush(FILE *f)
{
    (void)f;
    if (out.n) {
        size_t n = out.n;
        out.n = 0;
        if (console_sync_write(out.buf, n) < 0)
            return EOF;
    }
    return 0;
}

static int out_put(char c, FILE *f)
{
    out.buf[out.n++] = c;
    if (c == '\n' || out.n == OUT_BUF)
        if (out_flush(f) < 0)
            return EOF;
    return (unsigned char)c;
}

static int in_get(FILE *f)
{
    (void)f;
    int c = console_sync_getchar();
    return c < 0 ? EOF : c;
}

static FILE console_file = FDEV_SETUP_STREAM(out_put, in_get, out_flush, _FDEV_SETUP_RW);
FILE *const stdin = &console_file;
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;

int vprintf(const char *fmt, va_list ap)
{
    int n = vfprintf(stdout, fmt, ap);
    out_flush(stdout);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    int rc = fputs(s, stdout) < 0 || out_put('\n', stdout) == EOF ? EOF : 0;
    out_flush(stdout);
    return rc;
}

int putchar(int c)
{
    int rc = out_put((char)c, stdout);
    out_flush(stdout);
    return rc;
}

int getchar(void)
{
    return in_get(stdin);
}

/* ------------------------------------------------------------ strings -- */

struct strfile {
    FILE file;                          /* first: vfprintf gets &file */
    char *buf;
    size_t cap, n;
};

static int str_put(char c, FILE *f)
{
    struct strfile *s = (struct strfile *)f;
    if (s->n + 1 < s->cap)
        s->buf[s->n] = c;
    s->n++;
    return (unsigned char)c;
}

int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct strfile s = { .buf = buf, .cap = cap };
    s.file.flags = __SWR;
    s.file.put = str_put;
    int n = vfprintf(&s.file, fmt, ap);
    if (cap)
        buf[s.n < cap ? s.n : cap - 1] = 0;
    return n;
}

int snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

/* ---------------------------------------------------------------- heap -- */

/* First-fit free list over sbrk; blocks carry their size. Enough for apps
 * that allocate little and rarely; memory returns to the list, never to the
 * kernel. */
struct block {
    size_t size;                        /* bytes after this header */
    struct block *next;                 /* free list only */
};
#define HDR (sizeof(struct block))
#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

static struct block *free_list;

void *sbrk(ptrdiff_t incr)
{
    return tock_sbrk((int32_t)incr);
}

void *malloc(size_t size)
{
    size = ALIGN8(size ? size : 1);
    for (struct block **p = &free_list; *p; p = &(*p)->next) {
        struct block *b = *p;
        if (b->size < size)
            continue;
        if (b->size >= size + HDR + 16) {       /* split */
            struct block *rest = (struct block *)((char *)(b + 1) + size);
            rest->size = b->size - size - HDR;
            rest->next = b->next;
            b->size = size;
            *p = rest;
        } else {
            *p = b->next;
        }
        return b + 1;
    }
    char *top = tock_sbrk(0);
    if (top == (void *)-1)
        return NULL;
    size_t pad = ALIGN8((size_t)(uintptr_t)top) - (size_t)(uintptr_t)top;
    if (size > 0x7fffffff - HDR - pad || tock_sbrk((int32_t)(pad + HDR + size)) == (void *)-1)
        return NULL;
    struct block *b = (struct block *)(top + pad);
    b->size = size;
    return b + 1;
}

void free(void *ptr)
{
    if (!ptr)
        return;
    struct block *b = (struct block *)ptr - 1;
    b->next = free_list;
    free_list = b;
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (!ptr)
        return malloc(size);
    struct block *b = (struct block *)ptr - 1;
    if (b->size >= size)
        return ptr;
    void *p = malloc(size);
    if (p) {
        memcpy(p, ptr, b->size);
        free(ptr);
    }
    return p;
}

/* ---------------------------------------------------------------- exit -- */

void _exit(int status) __attribute__((noreturn));

void _exit(int status)
{
    out_flush(stdout);
    tock_exit((uint32_t)status);
}

void exit(int status)
{
    _exit(status);
}

void abort(void)
{
    out_flush(stdout);
    tock_exit(0xAB027u);
}

void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    printf("assertion \"%s\" failed: %s:%d (%s)\n", expr, file, line, func ? func : "?");
    abort();
}
