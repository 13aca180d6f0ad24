/* Console formatting and check bookkeeping for the bare-metal tests (t.h). */
#include "t.h"

static unsigned n_pass, n_fail, n_skip;

void t_puts(const char *s)
{
    while (*s)
        t_putc(*s++);
}

static void put_uint(uint32_t v, unsigned base, bool upper, unsigned width, char pad)
{
    char buf[12];
    unsigned n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    while (width > n) {
        t_putc(pad);
        width--;
    }
    while (n)
        t_putc(buf[--n]);
}

void t_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            t_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        unsigned width = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            t_puts(s ? s : "(null)");
            break;
        }
        case 'c':
            t_putc((char)va_arg(ap, int));
            break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0) {
                t_putc('-');
                put_uint(-(uint32_t)v, 10, false, width ? width - 1 : 0, pad);
            } else {
                put_uint((uint32_t)v, 10, false, width, pad);
            }
            break;
        }
        case 'u':
            put_uint(va_arg(ap, uint32_t), 10, false, width, pad);
            break;
        case 'x':
        case 'X':
            put_uint(va_arg(ap, uint32_t), 16, *fmt == 'X', width, pad);
            break;
        case '%':
            t_putc('%');
            break;
        case '\0':
            return;
        default:
            t_putc('%');
            t_putc(*fmt);
            break;
        }
    }
}

void t_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    t_vprintf(fmt, ap);
    va_end(ap);
}

static void pass(const char *name)
{
    n_pass++;
    t_printf("PASS %s\n", name);
}

bool t_eq(const char *name, uint32_t got, uint32_t want)
{
    if (got == want) {
        pass(name);
        return true;
    }
    n_fail++;
    t_printf("FAIL %s: got 0x%08x, want 0x%08x\n", name, got, want);
    return false;
}

bool t_ok(const char *name, bool cond, const char *fail_fmt, ...)
{
    if (cond) {
        pass(name);
        return true;
    }
    n_fail++;
    t_printf("FAIL %s: ", name);
    va_list ap;
    va_start(ap, fail_fmt);
    t_vprintf(fail_fmt, ap);
    va_end(ap);
    t_putc('\n');
    return false;
}

void t_skip(const char *name, const char *why_fmt, ...)
{
    n_skip++;
    t_printf("SKIP %s: ", name);
    va_list ap;
    va_start(ap, why_fmt);
    t_vprintf(why_fmt, ap);
    va_end(ap);
    t_putc('\n');
}

bool t_eq_arch(const char *name, uint32_t got, uint32_t want, uint32_t qemu,
               const char *deviation)
{
    if (got == want || got != qemu)
        return t_eq(name, got, want);
    t_skip(name, "QEMU deviation: got 0x%08x, architecture wants 0x%08x (%s)",
           got, want, deviation);
    return false;
}

void t_info(const char *fmt, ...)
{
    t_puts("INFO ");
    va_list ap;
    va_start(ap, fmt);
    t_vprintf(fmt, ap);
    va_end(ap);
    t_putc('\n');
}

unsigned t_failures(void)
{
    return n_fail;
}

_Noreturn void t_done(void)
{
    t_printf("SUMMARY: %u passed, %u failed, %u skipped\n", n_pass, n_fail, n_skip);
    t_exit(n_fail ? 1 : 0);
}
