#include "trace.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sclock.h"

static const char *const cat_names[TR_NCATS] = {
    [TR_EXC] = "exc", [TR_IRQ] = "irq", [TR_SYSCALL] = "syscall", [TR_UPCALL] = "upcall",
    [TR_SCHED] = "sched", [TR_ALARM] = "alarm", [TR_MPU] = "mpu", [TR_MMIO] = "mmio",
    [TR_GPIO] = "gpio", [TR_UART] = "uart", [TR_CPU] = "cpu", [TR_GUEST_ERR] = "guest-error",
    [TR_UNIMP] = "unimp",
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull

void trace_init(struct trace *t, const cycles_t *now, uint64_t cpu_hz)
{
    memset(t, 0, sizeof *t);
    t->mask = TRACE_DEFAULT_MASK;
    t->fmt = TRACE_TEXT;
    t->out = stderr;
    t->hash = FNV_OFFSET;
    t->now = now;
    t->cpu_hz = cpu_hz;
}

const char *trace_cat_name(enum trace_cat c)
{
    return (unsigned)c < TR_NCATS ? cat_names[c] : "?";
}

int trace_parse_cats(const char *list, uint32_t *mask, struct sim_error *err)
{
    uint32_t m = 0;
    const char *p = list;

    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool found = false;

        if (len == 3 && strncmp(p, "all", 3) == 0) {
            m |= (1u << TR_NCATS) - 1;
            found = true;
        } else if (len == 4 && strncmp(p, "none", 4) == 0) {
            found = true;
        }
        for (unsigned c = 0; c < TR_NCATS && !found; c++) {
            if (strlen(cat_names[c]) == len && strncmp(p, cat_names[c], len) == 0) {
                m |= 1u << c;
                found = true;
            }
        }
        if (!found) {
            char names[256] = "";
            for (unsigned c = 0; c < TR_NCATS; c++) {
                strcat(names, cat_names[c]);
                strcat(names, ",");
            }
            return sim_errorf(err, "--trace: unknown category '%.*s' (expected one of %sall,none)",
                              (int)len, p, names);
        }
        p = end ? end + 1 : NULL;
    }
    *mask = m;
    return 0;
}

void trace_add_sink(struct trace *t, struct trace_sink *s)
{
    struct trace_sink **pp = &t->sinks;
    while (*pp)
        pp = &(*pp)->next;
    s->next = NULL;
    *pp = s;
    t->hook_only |= s->cats & ~t->mask;
    t->mask |= s->cats;
}

void trace_remove_sink(struct trace *t, struct trace_sink *s)
{
    for (struct trace_sink **pp = &t->sinks; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            return;
        }
}

void trace_hash_bytes(struct trace *t, const void *data, size_t len)
{
    const unsigned char *b = data;
    uint64_t h = t->hash;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= FNV_PRIME;
    }
    t->hash = h;
}

void trace_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* ------------------------------------------------------------- ring -- */
/* Records are kept raw: the format pointer (a string literal at every
 * TRACE site) and the arguments as the format says they are, strings
 * copied. Formatting waits until someone reads the ring. */

#define RING_ARGS 8
#define RING_STR 32

struct ring_arg {
    char conv;                      /* 'i' signed, 'u' unsigned, 'p', 's' */
    uint64_t v;
    char s[RING_STR];
};

struct ring_rec {
    cycles_t when;
    uint32_t pc;
    bool has_pc;
    uint8_t cat;
    uint8_t nargs;
    bool truncated;
    const char *fmt;
    struct ring_arg a[RING_ARGS];
};

struct trace_ring {
    unsigned n, next;
    uint64_t count;
    struct ring_rec rec[];
};

int trace_ring_enable(struct trace *t, uint32_t cats, unsigned n)
{
    trace_ring_free(t);
    if (!n)
        return 0;
    t->ring = calloc(1, sizeof *t->ring + n * sizeof t->ring->rec[0]);
    if (!t->ring)
        return -1;
    t->ring->n = n;
    t->ring_mask = cats;
    return 0;
}

void trace_ring_free(struct trace *t)
{
    free(t->ring);
    t->ring = NULL;
    t->ring_mask = 0;
}

/* Walks one conversion spec after '%' ("08x", "llu", "-12s", "*d"); returns
 * its end, the conversion letter, the length modifier and the '*' count. */
static const char *spec_end(const char *p, char *conv, int *longs, int *stars)
{
    *longs = 0;
    *stars = 0;
    while (*p && strchr("-+ #0", *p))
        p++;
    for (int part = 0; part < 2; part++) {
        if (*p == '*') {
            (*stars)++;
            p++;
        }
        while (*p >= '0' && *p <= '9')
            p++;
        if (part == 0 && *p == '.')
            p++;
        else
            break;
    }
    while (*p == 'l' || *p == 'h' || *p == 'z' || *p == 'j' || *p == 't') {
        if (*p == 'l' || *p == 'z' || *p == 'j' || *p == 't')
            (*longs)++;
        p++;
    }
    *conv = *p;
    return *p ? p + 1 : p;
}

static void ring_capture(struct trace *t, enum trace_cat c, const char *fmt, va_list ap)
{
    struct trace_ring *r = t->ring;
    struct ring_rec *rec = &r->rec[r->next];
    const char *p = fmt;

    r->next = (r->next + 1) % r->n;
    r->count++;
    rec->when = t->now ? *t->now : 0;
    rec->has_pc = t->pc_fn != NULL;
    rec->pc = t->pc_fn ? t->pc_fn(t->ctx) : 0;
    rec->cat = (uint8_t)c;
    rec->fmt = fmt;
    rec->nargs = 0;
    rec->truncated = false;
    while ((p = strchr(p, '%')) != NULL) {
        char conv;
        int longs, stars;
        p = spec_end(p + 1, &conv, &longs, &stars);
        if (conv == '%')
            continue;
        for (int k = 0; k <= stars; k++) {
            struct ring_arg *a;
            if (rec->nargs == RING_ARGS) {
                rec->truncated = true;
                return;
            }
            a = &rec->a[rec->nargs++];
            if (k < stars) {
                a->conv = 'i';
                a->v = (uint64_t)(int64_t)va_arg(ap, int);
                continue;
            }
            switch (conv) {
            case 'd': case 'i': case 'c':
                a->conv = 'i';
                a->v = longs >= 2 ? (uint64_t)va_arg(ap, long long)
                       : longs ? (uint64_t)va_arg(ap, long) : (uint64_t)(int64_t)va_arg(ap, int);
                break;
            case 'u': case 'x': case 'X': case 'o':
                a->conv = 'u';
                a->v = longs >= 2 ? va_arg(ap, unsigned long long)
                       : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
                break;
            case 'p':
                a->conv = 'p';
                a->v = (uint64_t)(uintptr_t)va_arg(ap, void *);
                break;
            case 's': {
                const char *str = va_arg(ap, const char *);
                a->conv = 's';
                snprintf(a->s, sizeof a->s, "%s", str ? str : "(null)");
                break;
            }
            default:                    /* %f and friends: never at a trace site */
                rec->truncated = true;
                rec->nargs--;
                return;
            }
        }
    }
}

static void ring_format(const struct ring_rec *rec, char *out, size_t len)
{
    const char *p = rec->fmt;
    size_t o = 0;
    unsigned ai = 0;

    out[0] = 0;
    while (*p && o + 1 < len) {
        const char *q;
        char spec[32], conv;
        int longs, stars, n = 0;
        if (*p != '%') {
            out[o++] = *p++;
            out[o] = 0;
            continue;
        }
        q = spec_end(p + 1, &conv, &longs, &stars);
        if (conv == '%') {
            out[o++] = '%';
            out[o] = 0;
            p = q;
            continue;
        }
        if (ai + (unsigned)stars >= rec->nargs || (size_t)(q - p) >= sizeof spec - 4)
            break;
        /* the spec with its length modifier normalised to the stored type */
        {
            size_t k = 0;
            for (const char *s = p; s < q - 1; s++)
                if (!strchr("lhzjt", *s))
                    spec[k++] = *s;
            if (conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x' || conv == 'X' ||
                conv == 'o') {
                spec[k++] = 'l';
                spec[k++] = 'l';
            }
            spec[k++] = conv;
            spec[k] = 0;
        }
        {
            const struct ring_arg *a = &rec->a[ai + (unsigned)stars];
            int w1 = stars > 0 ? (int)rec->a[ai].v : 0, w2 = stars > 1 ? (int)rec->a[ai + 1].v : 0;
#define FMT1(val) (stars == 0 ? snprintf(out + o, len - o, spec, val) : \
                   stars == 1 ? snprintf(out + o, len - o, spec, w1, val) : \
                   snprintf(out + o, len - o, spec, w1, w2, val))
            if (a->conv == 's')
                n = FMT1(a->s);
            else if (a->conv == 'p')
                n = FMT1((void *)(uintptr_t)a->v);
            else if (conv == 'c')
                n = FMT1((int)a->v);
            else if (a->conv == 'i')
                n = FMT1((long long)a->v);
            else
                n = FMT1((unsigned long long)a->v);
#undef FMT1
        }
        ai += (unsigned)stars + 1;
        if (n < 0)
            break;
        o += (size_t)n;
        if (o >= len)
            o = len - 1;
        p = q;
    }
    if (rec->truncated && o + 4 < len)
        strcat(out, " ...");
}

void trace_ring_print(struct trace *t, FILE *f)
{
    struct trace_ring *r = t->ring;
    unsigned n, first;

    if (!r || !r->count)
        return;
    n = r->count < r->n ? (unsigned)r->count : r->n;
    first = (r->next + r->n - n) % r->n;
    for (unsigned i = 0; i < n; i++) {
        const struct ring_rec *rec = &r->rec[(first + i) % r->n];
        char msg[512], tbuf[32], where[160] = "";
        uint32_t off = 0;
        const char *sym = rec->has_pc && t->sym_fn && rec->pc < 0xFFFFFF00u
                          ? t->sym_fn(t->ctx, rec->pc, &off) : NULL;
        ring_format(rec, msg, sizeof msg);
        if (sym)
            snprintf(where, sizeof where, "  pc=%08x <%s+0x%x>", rec->pc, sym, off);
        else if (rec->has_pc)
            snprintf(where, sizeof where, "  pc=%08x", rec->pc);
        fprintf(f, "  [%s c=%llu] %-7s %s%s\n",
                sclock_fmt_ns(sclock_cycles_to_ns(rec->when, t->cpu_hz), tbuf, sizeof tbuf),
                (unsigned long long)rec->when, cat_names[rec->cat], msg, where);
    }
}

void trace_emit(struct trace *t, enum trace_cat c, const char *fmt, ...)
{
    char msg[512], where[160] = "", shown[160] = "", tbuf[32];
    const char *proc = NULL;
    cycles_t now = t->now ? *t->now : 0;
    uint64_t ns = sclock_cycles_to_ns(now, t->cpu_hz);
    va_list ap;
    int n;

    if (SIM_UNLIKELY((t->ring_mask >> c) & 1u) && t->ring) {
        va_start(ap, fmt);
        ring_capture(t, c, fmt, ap);
        va_end(ap);
    }
    if (!trace_on(t, c))
        return;                     /* kept in the ring only */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    for (struct trace_sink *s = t->sinks; s; s = s->next)
        if ((s->cats >> c) & 1u)
            s->fn(s, c, msg);
    if ((t->hook_only >> c) & 1u) {
        if (t->hook)
            t->hook(t->hook_ctx, c, msg);
        return;
    }
    if (t->pc_fn) {
        uint32_t pc = t->pc_fn(t->ctx), off = 0, aoff = 0;
        const char *sym = t->sym_fn ? t->sym_fn(t->ctx, pc, &off) : NULL, *asym = NULL;
        if (sym)
            snprintf(where, sizeof where, "pc=%08x <%s+0x%x>", pc, sym, off);
        else
            snprintf(where, sizeof where, "pc=%08x", pc);
        if (t->proc_fn)
            proc = t->proc_fn(t->ctx, pc, &asym, &aoff);
        /* a process's PC: its own symbol, not the kernel's nearest one */
        if (pc >= 0xFFFFFF00u)
            snprintf(shown, sizeof shown, "pc=%08x <exception return>", pc);
        else if (proc && asym)
            snprintf(shown, sizeof shown, "pc=%08x <%s+0x%x>", pc, asym, aoff);
        else if (proc)
            snprintf(shown, sizeof shown, "pc=%08x", pc);
    }

    /* The hash covers the canonical text form, whatever the output format. */
    {
        char canon[768];
        n = snprintf(canon, sizeof canon, "%llu %s %s %s\n", (unsigned long long)now,
                     cat_names[c], msg, where);
        trace_hash_bytes(t, canon, n < (int)sizeof canon ? (size_t)n : sizeof canon - 1);
    }
    t->records++;
    if (t->hook)
        t->hook(t->hook_ctx, c, msg);
    if (!t->out)
        return;
    if (shown[0])
        memcpy(where, shown, sizeof where);
    if (t->fmt == TRACE_JSONL) {
        fprintf(t->out, "{\"t_ns\":%llu,\"cycle\":%llu,\"cat\":\"%s\",\"proc\":",
                (unsigned long long)ns, (unsigned long long)now, cat_names[c]);
        trace_json_string(t->out, proc ? proc : "kernel");
        fputs(",\"msg\":", t->out);
        trace_json_string(t->out, msg);
        if (where[0]) {
            fputs(",\"where\":", t->out);
            trace_json_string(t->out, where);
        }
        fputs("}\n", t->out);
    } else {
        fprintf(t->out, "[%s c=%llu] %-7s %-8s %s%s%s\n", sclock_fmt_ns(ns, tbuf, sizeof tbuf),
                (unsigned long long)now, cat_names[c], proc ? proc : "kernel", msg,
                where[0] ? "  " : "", where);
    }
}
