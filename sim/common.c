#include "common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sim_errorf(struct sim_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sim_parse_u64(const char *s, uint64_t *v)
{
    unsigned base = 10;
    uint64_t acc = 0;
    bool any = false;

    if (!s || !*s)
        return -1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        s += 2;
    }
    for (; *s; s++) {
        unsigned d;
        if (*s == '_')
            continue;
        if (isdigit((unsigned char)*s))
            d = (unsigned)(*s - '0');
        else if (isxdigit((unsigned char)*s))
            d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
        else
            return -1;
        if (d >= base)
            return -1;
        if (acc > (UINT64_MAX - d) / base)
            return -1;
        acc = acc * base + d;
        any = true;
    }
    if (!any)
        return -1;
    *v = acc;
    return 0;
}

int sim_parse_time_ns(const char *s, uint64_t *ns)
{
    static const struct { const char *suffix; uint64_t scale; } units[] = {
        { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
        { "min", 60000000000ull },
    };
    uint64_t whole = 0, frac = 0, frac_div = 1;
    const char *p = s;

    if (!s || !isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        if (whole > UINT64_MAX / 10)
            return -1;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++) {
            if (frac_div >= 1000000000ull)
                return -1;                  /* sub-nanosecond precision */
            frac = frac * 10 + (uint64_t)(*p - '0');
            frac_div *= 10;
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(units); i++) {
        if (strcmp(p, units[i].suffix) == 0) {
            uint64_t sc = units[i].scale;
            if (whole > UINT64_MAX / sc)
                return -1;
            if (frac * sc % frac_div)
                return -1;                  /* not a whole number of ns */
            *ns = whole * sc + frac * sc / frac_div;
            return 0;
        }
    }
    return -1;
}
