#include "lib/kfmt.h"
#include "lib/kstring.h"
#include <stdint.h>
#include <stdbool.h>

struct out {
    struct k_writer *w;
    int count;
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (n) {
        o->w->write(o->w, s, n);
        o->count += (int)n;
    }
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, &c, 1);
}

static void emit_num(struct out *o, uint64_t v, unsigned base, bool upper, bool neg,
                     const char *prefix, int width, bool zero, bool left)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int plen = (int)strlen(prefix) + (neg ? 1 : 0);
    int fill = width - n - plen;
    if (!left && !zero)
        pad(o, ' ', fill);
    if (neg)
        emit(o, "-", 1);
    emit(o, prefix, strlen(prefix));
    if (!left && zero)
        pad(o, '0', fill);
    while (n)
        emit(o, &tmp[--n], 1);
    if (left)
        pad(o, ' ', fill);
}

int k_vwprintf(struct k_writer *w, const char *fmt, va_list ap)
{
    struct out o = { w, 0 };
    while (*fmt) {
        const char *start = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        emit(&o, start, (size_t)(fmt - start));
        if (!*fmt)
            break;
        fmt++;
        bool left = false, zero = false, alt = false;
        for (;; fmt++) {
            if (*fmt == '-') left = true;
            else if (*fmt == '0') zero = true;
            else if (*fmt == '#') alt = true;
            else break;
        }
        int width = 0, prec = -1;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        int lng = 0;
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        if (*fmt == 'z') {
            lng = sizeof(size_t) == 8 ? 2 : 0;
            fmt++;
        }
        char c = *fmt ? *fmt++ : '\0';
        switch (c) {
        case 'c': {
            char ch = (char)va_arg(ap, int);
            if (!left) pad(&o, ' ', width - 1);
            emit(&o, &ch, 1);
            if (left) pad(&o, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = 0;
            while ((prec < 0 || (int)n < prec) && s[n])
                n++;
            if (!left) pad(&o, ' ', width - (int)n);
            emit(&o, s, n);
            if (left) pad(&o, ' ', width - (int)n);
            break;
        }
        case 'd': case 'i': {
            int64_t v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            emit_num(&o, u, 10, false, v < 0, "", width, zero, left);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = lng >= 2 ? va_arg(ap, unsigned long long)
                       : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            unsigned base = c == 'u' ? 10 : 16;
            emit_num(&o, v, base, c == 'X', false, alt && base == 16 ? "0x" : "", width, zero, left);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            emit_num(&o, v, 16, false, false, "0x", width, zero, left);
            break;
        }
        case '%':
            emit(&o, "%", 1);
            break;
        default:
            break;
        }
    }
    return o.count;
}

int k_wprintf(struct k_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = k_vwprintf(w, fmt, ap);
    va_end(ap);
    return n;
}

void k_wputs(struct k_writer *w, const char *s)
{
    w->write(w, s, strlen(s));
}

struct buf_writer {
    struct k_writer w;
    char *buf;
    size_t size, len;
};

static void buf_write(struct k_writer *w, const char *s, size_t n)
{
    struct buf_writer *b = (struct buf_writer *)w;
    for (size_t i = 0; i < n; i++, b->len++)
        if (b->len + 1 < b->size)
            b->buf[b->len] = s[i];
}

int k_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct buf_writer b = { { buf_write }, buf, size, 0 };
    va_list ap;
    va_start(ap, fmt);
    int n = k_vwprintf(&b.w, fmt, ap);
    va_end(ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}
