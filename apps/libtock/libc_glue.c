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
 * apps/meson.build; it has no 64-bit conversions on Cortex-M (%llu prints
 * the low word): print 64-bit values as (unsigned long) or in two halves.
 *
 * Cortex-M, r9: our code finds its globals through r9 (the GOT), but
 * picolibc was not built with -msingle-pic-base and uses r9 as an ordinary
 * register, so when vfprintf calls a FILE's put/get/flush back, r9 is
 * whatever vfprintf left in it. Every FILE made here therefore sits in a
 * struct tock_file that also holds the GOT address, and its hooks are
 * trampolines that load r9 from there before calling the C function. Other
 * picolibc functions that call back into the app (qsort, bsearch) have the
 * same problem and must not be given callbacks that touch globals. */
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

/* ------------------------------------------------------ FILE plumbing -- */

/* A FILE with the GOT address just before it (ldr r9, [r1, #-4]). */
struct tock_file {
    uintptr_t got;
    FILE file;
};
_Static_assert(__builtin_offsetof(struct tock_file, file) == 4, "trampolines read the GOT at file - 4");

void tock_stdio_init(void);
int tock_console_put(char c, FILE *f);
int tock_console_flush(FILE *f);
int tock_console_get(FILE *f);
int tock_string_put(char c, FILE *f);

#if defined(__arm__)
/* hook(args..., FILE *f in rN): r9 = GOT of f's struct tock_file, call fn. */
#define TRAMPOLINE(name, fn, file_reg)                                             \
    __asm__("    .section .text." #name ", \"ax\", %progbits\n"                   \
            "    .global " #name "\n"                                              \
            "    .type " #name ", %function\n"                                     \
            "    .thumb_func\n"                                                    \
            #name ":\n"                                                            \
            "    push  {r9, lr}\n"                                                 \
            "    ldr   r9, [" file_reg ", #-4]\n"                                  \
            "    bl    " #fn "\n"                                                  \
            "    pop   {r9, pc}\n"                                                 \
            "    .size " #name ", . - " #name "\n")
int console_put_hook(char c, FILE *f);
int console_flush_hook(FILE *f);
int console_get_hook(FILE *f);
int string_put_hook(char c, FILE *f);
TRAMPOLINE(console_put_hook, tock_console_put, "r1");
TRAMPOLINE(console_flush_hook, tock_console_flush, "r0");
TRAMPOLINE(console_get_hook, tock_console_get, "r0");
TRAMPOLINE(string_put_hook, tock_string_put, "r1");
#define PUT_HOOK console_put_hook
#define FLUSH_HOOK console_flush_hook
#define GET_HOOK console_get_hook
#define STRING_PUT_HOOK string_put_hook
static uintptr_t current_got(void)
{
    uintptr_t r9;
    __asm__("mov %0, r9" : "=r"(r9));
    return r9;
}
#else
#define PUT_HOOK tock_console_put
#define FLUSH_HOOK tock_console_flush
#define GET_HOOK tock_console_get
#define STRING_PUT_HOOK tock_string_put
static uintptr_t current_got(void) { return 0; }
#endif

/* ------------------------------------------------------------- stdout -- */

#define OUT_BUF 64

static struct {
    char buf[OUT_BUF];
    size_t n;
} out;

int tock_console_flush(FILE *f)
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

int tock_console_put(char c, FILE *f)
{
    out.buf[out.n++] = c;
    if (c == '\n' || out.n == OUT_BUF)
        if (tock_console_flush(f) < 0)
            return EOF;
    return (unsigned char)c;
}

int tock_console_get(FILE *f)
{
    (void)f;
    int c = console_sync_getchar();
    return c < 0 ? EOF : c;
}

static struct tock_file console_file = {
    .file = FDEV_SETUP_STREAM(PUT_HOOK, GET_HOOK, FLUSH_HOOK, _FDEV_SETUP_RW),
};
FILE *const stdin = &console_file.file;
FILE *const stdout = &console_file.file;
FILE *const stderr = &console_file.file;

/* Called by crt0 once the GOT is in place. */
void tock_stdio_init(void)
{
    console_file.got = current_got();
}

int vprintf(const char *fmt, va_list ap)
{
    int n = vfprintf(stdout, fmt, ap);
    tock_console_flush(stdout);
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
    int rc = fputs(s, stdout) < 0 || tock_console_put('\n', stdout) == EOF ? EOF : 0;
    tock_console_flush(stdout);
    return rc;
}

int putchar(int c)
{
    int rc = tock_console_put((char)c, stdout);
    tock_console_flush(stdout);
    return rc;
}

int getchar(void)
{
    return tock_console_get(stdin);
}

/* ------------------------------------------------------------ strings -- */

struct strfile {
    struct tock_file tf;
    char *buf;
    size_t cap, n;
};

int tock_string_put(char c, FILE *f)
{
    struct strfile *s = (struct strfile *)((char *)f - __builtin_offsetof(struct strfile, tf.file));
    if (s->n + 1 < s->cap)
        s->buf[s->n] = c;
    s->n++;
    return (unsigned char)c;
}

int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct strfile s = { .buf = buf, .cap = cap };
    s.tf.got = current_got();
    s.tf.file.flags = __SWR;
    s.tf.file.put = STRING_PUT_HOOK;
    int n = vfprintf(&s.tf.file, fmt, ap);
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
    tock_console_flush(stdout);
    tock_exit((uint32_t)status);
}

void exit(int status)
{
    _exit(status);
}

void abort(void)
{
    tock_console_flush(stdout);
    tock_exit(0xAB027u);
}

void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    printf("assertion \"%s\" failed: %s:%d (%s)\n", expr, file, line, func ? func : "?");
    abort();
}
