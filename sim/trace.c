#include "trace.h"

#include <stdarg.h>
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

static void json_string(FILE *f, const char *s)
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

void trace_emit(struct trace *t, enum trace_cat c, const char *fmt, ...)
{
    char msg[512], where[160] = "", tbuf[32];
    cycles_t now = t->now ? *t->now : 0;
    uint64_t ns = sclock_cycles_to_ns(now, t->cpu_hz);
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    if ((t->hook_only >> c) & 1u) {
        if (t->hook)
            t->hook(t->hook_ctx, c, msg);
        return;
    }
    if (t->pc_fn) {
        uint32_t pc = t->pc_fn(t->ctx), off = 0;
        const char *sym = t->sym_fn ? t->sym_fn(t->ctx, pc, &off) : NULL;
        if (sym)
            snprintf(where, sizeof where, "pc=%08x <%s+0x%x>", pc, sym, off);
        else
            snprintf(where, sizeof where, "pc=%08x", pc);
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
    if (t->fmt == TRACE_JSONL) {
        fprintf(t->out, "{\"t_ns\":%llu,\"cycle\":%llu,\"cat\":\"%s\",\"msg\":",
                (unsigned long long)ns, (unsigned long long)now, cat_names[c]);
        json_string(t->out, msg);
        if (where[0]) {
            fputs(",\"where\":", t->out);
            json_string(t->out, where);
        }
        fputs("}\n", t->out);
    } else {
        fprintf(t->out, "[%s c=%llu] %-7s %s%s%s\n", sclock_fmt_ns(ns, tbuf, sizeof tbuf),
                (unsigned long long)now, cat_names[c], msg, where[0] ? "  " : "", where);
    }
}
