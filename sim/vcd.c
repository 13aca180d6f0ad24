/* VCD writer (see vcd.h). */
#include "vcd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "sclock.h"
#include "../boards/board.h"

struct vcd_sig {
    struct irq_tap tap;                 /* pins and IRQ lines */
    struct irq_line *line;
    struct vcd *v;
    char id[8];
};

struct vcd {
    struct machine *m;
    FILE *f;
    uint64_t last_ns;
    bool time_written;
    struct vcd_sig *sigs;               /* lines, then one per process */
    unsigned nsigs, nprocs_first;
    struct osview_listener lis;
};

/* Identifier codes: base 94 over the printable characters '!'..'~'. */
static void make_id(unsigned n, char *id)
{
    unsigned k = 0;
    do {
        id[k++] = (char)('!' + n % 94);
        n /= 94;
    } while (n && k < 6);
    id[k] = 0;
}

/* VCD reference names: letters, digits and '_' only. */
static void ref_name(const char *in, char *out, size_t len)
{
    size_t k = 0;
    for (; *in && k + 1 < len; in++)
        out[k++] = ((*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z') ||
                    (*in >= '0' && *in <= '9')) ? *in : '_';
    out[k] = 0;
}

static void change(struct vcd *v, const char *id, bool level)
{
    uint64_t ns = sclock_cycles_to_ns(v->m->q.now, v->m->board->cpu_hz);
    if (ns < v->last_ns)
        ns = v->last_ns;                /* a rewound block: never back in time */
    if (ns != v->last_ns || !v->time_written) {
        fprintf(v->f, "#%llu\n", (unsigned long long)ns);
        v->last_ns = ns;
        v->time_written = true;
    }
    fprintf(v->f, "%c%s\n", level ? '1' : '0', id);
}

static void on_line(struct irq_tap *t, const struct irq_line *l, bool level)
{
    struct vcd_sig *s = container_of(t, struct vcd_sig, tap);
    (void)l;
    change(s->v, s->id, level);
}

static void on_os(struct osview_listener *l, const struct osview_event *ev)
{
    struct vcd *v = container_of(l, struct vcd, lis);
    if ((ev->what == OSV_RUN || ev->what == OSV_STOP) && ev->p)
        change(v, v->sigs[v->nprocs_first + ev->p->idx].id, ev->what == OSV_RUN);
}

static bool wired(const struct irq_line *l)
{
    return l->sink != NULL;
}

int vcd_open(struct vcd **out, struct machine *m, const char *path, struct sim_error *err)
{
    struct vcd *v = calloc(1, sizeof *v);
    unsigned n = 0, k;
    char ref[80];

    *out = NULL;
    if (!v)
        return sim_errorf(err, "out of memory");
    v->m = m;
    for (unsigned i = 0; i < m->nperiphs; i++) {
        n += m->periphs[i]->npins;
        for (k = 0; k < PERIPH_MAX_IRQ; k++)
            n += wired(&m->periphs[i]->irq[k]);
    }
    n += m->os.nprocs;
    v->sigs = calloc(n ? n : 1, sizeof *v->sigs);
    v->f = fopen(path, "w");
    if (!v->sigs || !v->f) {
        vcd_close(v);
        return sim_errorf(err, "--vcd %s: cannot create", path);
    }
    fprintf(v->f, "$date simulated $end\n$version tocksim, board %s $end\n$timescale 1 ns $end\n",
            m->board->name);
    ref_name(m->board->name, ref, sizeof ref);
    fprintf(v->f, "$scope module %s $end\n", ref);
    /* GPIO pins, then IRQ lines, then processes */
    for (int pass = 0; pass < 2; pass++) {
        fprintf(v->f, "$scope module %s $end\n", pass ? "irq" : "gpio");
        for (unsigned i = 0; i < m->nperiphs; i++) {
            struct periph *p = m->periphs[i];
            unsigned cnt = pass ? PERIPH_MAX_IRQ : p->npins;
            bool opened = false;
            for (k = 0; k < cnt; k++) {
                struct irq_line *l = pass ? &p->irq[k] : &p->pin[k];
                struct vcd_sig *s;
                if (pass && !wired(l))
                    continue;
                if (!opened) {
                    ref_name(p->name, ref, sizeof ref);
                    fprintf(v->f, "$scope module %s $end\n", ref);
                    opened = true;
                }
                s = &v->sigs[v->nsigs];
                s->v = v;
                make_id(v->nsigs++, s->id);
                s->tap.fn = on_line;
                s->tap.ctx = v;
                s->line = l;
                irq_add_tap(l, &s->tap);
                fprintf(v->f, "$var wire 1 %s %s%u $end\n", s->id, pass ? "irq" : "pin", k);
            }
            if (opened)
                fputs("$upscope $end\n", v->f);
        }
        fputs("$upscope $end\n", v->f);
    }
    v->nprocs_first = v->nsigs;
    fputs("$scope module proc $end\n", v->f);
    for (unsigned i = 0; i < m->os.nprocs; i++) {
        struct vcd_sig *s = &v->sigs[v->nsigs];
        s->v = v;
        make_id(v->nsigs++, s->id);
        ref_name(m->os.procs[i].name, ref, sizeof ref);
        fprintf(v->f, "$var wire 1 %s %s $end\n", s->id, ref);
    }
    fputs("$upscope $end\n$upscope $end\n$enddefinitions $end\n", v->f);
    v->last_ns = sclock_cycles_to_ns(m->q.now, m->board->cpu_hz);
    fprintf(v->f, "#%llu\n$dumpvars\n", (unsigned long long)v->last_ns);
    v->time_written = true;
    {
        unsigned s = 0;
        for (int pass = 0; pass < 2; pass++)
            for (unsigned i = 0; i < m->nperiphs; i++) {
                struct periph *p = m->periphs[i];
                unsigned cnt = pass ? PERIPH_MAX_IRQ : p->npins;
                for (k = 0; k < cnt; k++) {
                    const struct irq_line *l = pass ? &p->irq[k] : &p->pin[k];
                    if (pass && !wired(l))
                        continue;
                    fprintf(v->f, "%c%s\n", l->level ? '1' : '0', v->sigs[s++].id);
                }
            }
        for (unsigned i = 0; i < m->os.nprocs; i++)
            fprintf(v->f, "%c%s\n", m->os.running == &m->os.procs[i] ? '1' : '0',
                    v->sigs[v->nprocs_first + i].id);
    }
    fputs("$end\n", v->f);
    v->lis.fn = on_os;
    osview_listen(&m->os, &v->lis);
    *out = v;
    return 0;
}

void vcd_close(struct vcd *v)
{
    if (!v)
        return;
    if (v->f) {
        uint64_t ns = sclock_cycles_to_ns(v->m->q.now, v->m->board->cpu_hz);
        if (v->sigs && ns > v->last_ns)
            fprintf(v->f, "#%llu\n", (unsigned long long)ns);
        fclose(v->f);
    }
    if (v->lis.fn)
        osview_unlisten(&v->m->os, &v->lis);
    for (unsigned i = 0; v->sigs && i < v->nprocs_first; i++)
        irq_remove_tap(v->sigs[i].line, &v->sigs[i].tap);
    free(v->sigs);
    free(v);
}
