/* Chrome trace-event JSON writer (see perfetto.h). */
#include "perfetto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "sclock.h"
#include "../boards/board.h"

#define TID_ISR 1
#define TID_ALARM 2
#define TID_PROC0 10

struct pf_proc {
    bool running, in_syscall;
};

struct perfetto {
    struct machine *m;
    FILE *f;
    uint64_t last_ns;
    bool first;
    unsigned isr_depth;
    struct pf_proc procs[OSVIEW_MAX_PROCS];
    struct osview_listener lis;
    struct trace_sink sink;
};

/* Starts one event: {"ph":..,"pid":1,"tid":..,"ts":..,"name":.. */
static void ev_begin(struct perfetto *p, char ph, unsigned tid, const char *name)
{
    uint64_t ns = sclock_cycles_to_ns(p->m->q.now, p->m->board->cpu_hz);
    if (ns < p->last_ns)
        ns = p->last_ns;                /* a rewound block: never back in time */
    p->last_ns = ns;
    fprintf(p->f, "%s{\"ph\":\"%c\",\"pid\":1,\"tid\":%u,\"ts\":%llu.%03llu", p->first ? "" : ",\n",
            ph, tid, (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
    p->first = false;
    if (name) {
        fputs(",\"name\":", p->f);
        trace_json_string(p->f, name);
    }
    if (ph == 'i')
        fputs(",\"s\":\"t\"", p->f);
}

/* One event, with one string argument if key is not NULL. */
static void event(struct perfetto *p, char ph, unsigned tid, const char *name, const char *key,
                  const char *val)
{
    ev_begin(p, ph, tid, name);
    if (key) {
        fprintf(p->f, ",\"args\":{\"%s\":", key);
        trace_json_string(p->f, val);
        fputc('}', p->f);
    }
    fputc('}', p->f);
}

static void meta(struct perfetto *p, unsigned tid, const char *what, const char *name,
                 unsigned sort)
{
    fprintf(p->f, "%s{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"%s\",\"args\":{\"name\":",
            p->first ? "" : ",\n", tid, what);
    p->first = false;
    trace_json_string(p->f, name);
    fputs("}}", p->f);
    fprintf(p->f, ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_sort_index\","
            "\"args\":{\"sort_index\":%u}}", tid, sort);
}

static void on_os(struct osview_listener *l, const struct osview_event *ev)
{
    struct perfetto *p = container_of(l, struct perfetto, lis);
    struct pf_proc *pp = ev->p ? &p->procs[ev->p->idx] : NULL;
    unsigned tid = ev->p ? TID_PROC0 + ev->p->idx : 0;
    char name[64];

    switch (ev->what) {
    case OSV_EXC_ENTRY:
        if (p->m->os.arm) {
            event(p, 'B', TID_ISR, ev->text, NULL, NULL);
            p->isr_depth++;
        } else {
            event(p, 'i', TID_ISR, ev->text, NULL, NULL);
        }
        break;
    case OSV_EXC_RETURN:
        if (p->m->os.arm && p->isr_depth) {
            event(p, 'E', TID_ISR, NULL, NULL, NULL);
            p->isr_depth--;
        }
        break;
    case OSV_RUN:
        if (pp->in_syscall) {
            event(p, 'E', tid, NULL, NULL, NULL);
            pp->in_syscall = false;
        }
        if (!pp->running)
            event(p, 'B', tid, "running", NULL, NULL);
        pp->running = true;
        break;
    case OSV_STOP:
        if (pp->running)
            event(p, 'E', tid, NULL, NULL, NULL);
        pp->running = false;
        if (ev->stop == OSV_STOP_INTERRUPT)
            event(p, 'i', tid, "preempted", "by", ev->text);
        break;
    case OSV_SYSCALL:
        snprintf(name, sizeof name, "%s", osview_class_name(ev->cls) ? osview_class_name(ev->cls)
                                                                    : "syscall");
        if (ev->cls >= 1 && ev->cls <= 7 && ev->cls != 5 && ev->cls != 6 &&
            osview_driver_name(ev->driver))
            snprintf(name, sizeof name, "%s %s %u", osview_class_name(ev->cls),
                     osview_driver_name(ev->driver), ev->num);
        event(p, 'B', tid, name, "call", ev->text);
        pp->in_syscall = true;
        break;
    case OSV_SYSRET:
        if (pp->in_syscall)
            event(p, 'E', tid, NULL, "return", ev->text);
        pp->in_syscall = false;
        break;
    case OSV_UPCALL:
        if (pp->in_syscall)
            event(p, 'E', tid, NULL, "return", "upcall");
        pp->in_syscall = false;
        event(p, 'i', tid, "upcall", "upcall", ev->text);
        break;
    case OSV_FAULT:
        event(p, 'i', tid, "fault", "fault", ev->text);
        break;
    }
}

static void on_trace(struct trace_sink *s, enum trace_cat c, const char *msg)
{
    struct perfetto *p = container_of(s, struct perfetto, sink);
    (void)c;
    event(p, 'i', TID_ALARM, msg, NULL, NULL);
}

int perfetto_open(struct perfetto **out, struct machine *m, const char *path,
                  struct sim_error *err)
{
    struct perfetto *p = calloc(1, sizeof *p);
    char name[96];

    *out = NULL;
    if (!p)
        return sim_errorf(err, "out of memory");
    p->m = m;
    p->first = true;
    p->f = fopen(path, "w");
    if (!p->f) {
        free(p);
        return sim_errorf(err, "--perfetto %s: cannot create", path);
    }
    p->last_ns = sclock_cycles_to_ns(m->q.now, m->board->cpu_hz);
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", p->f);
    snprintf(name, sizeof name, "tocksim %s", m->board->name);
    fprintf(p->f, "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":");
    trace_json_string(p->f, name);
    fputs("}}", p->f);
    p->first = false;
    meta(p, TID_ISR, "thread_name", m->os.arm ? "ISRs" : "traps", 0);
    meta(p, TID_ALARM, "thread_name", "alarms", 1);
    for (unsigned i = 0; i < m->os.nprocs; i++) {
        snprintf(name, sizeof name, "process %s", m->os.procs[i].name);
        meta(p, TID_PROC0 + i, "thread_name", name, 2 + i);
        if (m->os.running == &m->os.procs[i]) {
            event(p, 'B', TID_PROC0 + i, "running", NULL, NULL);
            p->procs[i].running = true;
        }
    }
    p->lis.fn = on_os;
    osview_listen(&m->os, &p->lis);
    p->sink.fn = on_trace;
    p->sink.cats = 1u << TR_ALARM;
    trace_add_sink(&m->tr, &p->sink);
    *out = p;
    return 0;
}

void perfetto_close(struct perfetto *p)
{
    if (!p)
        return;
    osview_unlisten(&p->m->os, &p->lis);
    trace_remove_sink(&p->m->tr, &p->sink);
    for (unsigned i = 0; i < p->m->os.nprocs; i++) {
        if (p->procs[i].running)
            event(p, 'E', TID_PROC0 + i, NULL, NULL, NULL);
        if (p->procs[i].in_syscall)
            event(p, 'E', TID_PROC0 + i, NULL, NULL, NULL);
    }
    for (; p->isr_depth; p->isr_depth--)
        event(p, 'E', TID_ISR, NULL, NULL, NULL);
    fputs("\n]}\n", p->f);
    fclose(p->f);
    free(p);
}
