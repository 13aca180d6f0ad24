/* One scenario case on one machine: set-up, inputs at cycles, observation
 * (console lines, trace records, system calls and upcalls as the machine's
 * osview decodes them, output pins sampled at times), stop conditions,
 * verdict. */
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "../machine.h"
#include "../sclock.h"
#include "../loader/tbf.h"
#include "../../boards/board.h"
#include "../../cpu/cpu.h"

#define CONSOLE_TAIL 12
#define LINE_MAX_LEN 1024

struct app {                            /* osview's process of the same index */
    char name[64];
    bool exited, faulted;
    int64_t code;
};

struct run;

struct check_ev {                       /* an LED/GPIO level sampled at a time */
    struct evq_event ev;
    struct run *r;
    unsigned idx;                       /* expectation */
};

struct jit {
    struct evq_event ev;
    struct run *r;
    struct irq_line *line;
    irq_sink_fn sink;
    void *sink_ctx;
    unsigned sink_n;
    uint64_t min_c, max_c;
    bool high_delivered, fall_pending;
    char name[48];
};

struct on_stim {                        /* a stimulus triggered by console text */
    struct evq_event ev;
    struct run *r;
    const struct scn_stim *st;
    size_t matched;
    bool done;
};

struct exp_state {
    bool done, failed;                  /* decided */
    uint64_t count;
    char why[600];
    cycles_t when;
};

struct run {
    const struct scn_config *cfg;
    const struct scn_opts *o;
    const struct scenario *s;
    struct machine *m;
    struct scn_result *res;
    bool arm;
    uint64_t rng;
    /* apps found in app flash */
    struct app apps[SCN_MAX_APPS];
    unsigned napps;
    struct osview_listener os_lis;      /* system calls and upcalls */
    unsigned nexited;
    /* console */
    FILE *console;
    char line[LINE_MAX_LEN];
    size_t line_len;
    char tail[CONSOLE_TAIL][160];
    unsigned ntail;
    unsigned console_next;              /* index into cons[] of the next console expectation */
    unsigned *cons;
    unsigned ncons;
    size_t stop_match;                  /* streaming match of the stop text */
    size_t until_match;
    bool until_hit;
    /* expectations */
    struct exp_state *es;
    struct check_ev *checks;
    bool fault_seen, panic_seen;
    char fault_app[64];
    cycles_t fault_when;
    /* inputs */
    struct evq_event stim_ev;
    unsigned stim_next;
    struct on_stim *ons;
    unsigned nons;
    struct evq_event replay_ev;
    unsigned replay_next;
    struct evq_event stdin_ev;
    struct evq_event input_ev;
    bool input_done;
    /* jitter */
    struct jit *jits;
    unsigned njits;
    /* stop */
    bool stop_req;
    char stop_why[160];
    bool fail_fast;
    struct timespec t0;                 /* host clock at the start (--stdin pacing) */
};

/* Input events sort after the models' events due at the same cycle and
 * before the console pump (priority 200), in the order they were made. */
#define PRIO_INPUT 150
#define PRIO_CHECK 250

static cycles_t ns_to_cycles(const struct run *r, uint64_t ns)
{
    return sclock_ns_to_cycles(ns, r->cfg->board->cpu_hz);
}

static uint64_t now_ns(const struct run *r)
{
    return sclock_cycles_to_ns(r->m->q.now, r->cfg->board->cpu_hz);
}

static void stop_run(struct run *r, const char *why)
{
    if (!r->stop_req) {
        r->stop_req = true;
        snprintf(r->stop_why, sizeof r->stop_why, "%s", why);
    }
    machine_request_exit(r->m, 0, why);
}

static void fail(struct run *r, unsigned idx, const char *fmt, ...) SIM_PRINTF(3, 4);

/* Decides expectation idx as failed now; stops the run (the verdict cannot
 * change any more). */
static void fail(struct run *r, unsigned idx, const char *fmt, ...)
{
    struct exp_state *e = &r->es[idx];
    va_list ap;
    if (e->done)
        return;
    e->done = e->failed = true;
    e->when = r->m->q.now;
    va_start(ap, fmt);
    vsnprintf(e->why, sizeof e->why, fmt, ap);
    va_end(ap);
    if (r->fail_fast)
        stop_run(r, "an expectation failed");
}

/* ---------------------------------------------------------- apps -- */

/* The processes in app flash, as osview found them. */
static void find_apps(struct run *r)
{
    const struct osview *os = &r->m->os;
    for (unsigned i = 0; i < os->nprocs && r->napps < SCN_MAX_APPS; i++)
        snprintf(r->apps[r->napps++].name, sizeof r->apps[0].name, "%s", os->procs[i].name);
}

static struct app *app_named(struct run *r, const char *name)
{
    for (unsigned i = 0; i < r->napps; i++)
        if (!strcmp(r->apps[i].name, name))
            return &r->apps[i];
    return NULL;
}

/* ------------------------------------------------- system calls -- */

static bool window_has(const struct scn_expect *e, uint64_t ns)
{
    return ns >= e->t1_ns && ns <= e->t2_ns;
}

static void count_upcall(struct run *r, struct app *a, bool marker, int64_t id)
{
    uint64_t ns = now_ns(r);
    if (!r->s)
        return;
    for (unsigned i = 0; i < r->s->nexpects; i++) {
        const struct scn_expect *e = &r->s->expects[i];
        if (e->kind != SCN_EXP_ALARM_UPCALL || (e->name && strcmp(e->name, a->name)))
            continue;
        /* with an id: markers only; without: the exact deliveries the
         * Cortex-M core shows, markers on RV32 (where the kernel's mret is
         * invisible to the host) */
        if (e->id >= 0 ? (!marker || e->id != id) : (marker == r->arm))
            continue;
        if (window_has(e, ns))
            r->es[i].count++;
    }
}

static void on_exit_call(struct run *r, struct app *a, int64_t code)
{
    if (a->exited)
        return;
    a->exited = true;
    a->code = code;
    r->nexited++;
    if (r->s && r->s->stop_all_exited && r->nexited == r->napps)
        stop_run(r, "all apps exited");
}

static void on_os_event(struct osview_listener *l, const struct osview_event *ev)
{
    struct run *r = container_of(l, struct run, os_lis);
    struct app *a = ev->p && ev->p->idx < r->napps ? &r->apps[ev->p->idx] : NULL;

    if (!a)
        return;
    if (ev->what == OSV_SYSCALL && ev->cls == 2 && ev->a[0] == SCN_MARK_DRIVER &&
        ev->a[1] == SCN_MARK_ALARM_UPCALL)
        count_upcall(r, a, true, (int64_t)ev->a[2]);
    else if (ev->what == OSV_SYSCALL && ev->cls == 6 && ev->a[0] == 0)
        on_exit_call(r, a, (int32_t)ev->a[1]);
    else if (ev->what == OSV_UPCALL && ev->driver == 0)
        count_upcall(r, a, false, -1);
}

static void on_trace(void *ctx, enum trace_cat cat, const char *msg)
{
    struct run *r = ctx;
    if (!r->s)
        return;
    for (unsigned i = 0; i < r->s->nexpects; i++) {
        const struct scn_expect *e = &r->s->expects[i];
        if (e->kind == SCN_EXP_TRACE && e->cat == cat && window_has(e, now_ns(r)) &&
            regexec(&e->re, msg, 0, NULL, 0) == 0) {
            r->es[i].count++;
            if (r->es[i].count > e->count_max)
                fail(r, i, "trace %s /%s/: more than %llu record(s); the next: %s",
                     trace_cat_name(cat), e->text, (unsigned long long)e->count_max, msg);
        }
    }
}

/* -------------------------------------------------------- console -- */

static bool line_matches(const struct scn_expect *e, const char *line)
{
    if (e->is_re)
        return regexec(&e->re, line, 0, NULL, 0) == 0;
    return strcmp(e->text, line) == 0;
}

static void on_line(struct run *r, char *line)
{
    size_t n = strlen(line);
    char tbuf[32];
    while (n && (line[n - 1] == '\r'))
        line[--n] = 0;
    snprintf(r->tail[r->ntail % CONSOLE_TAIL], sizeof r->tail[0], "[%s] %s",
             sclock_fmt_ns(now_ns(r), tbuf, sizeof tbuf), line);
    r->ntail++;
    /* what the kernel says about faults (panic, stop and restart policies) */
    {
        const char *p = strstr(line, "Process "), *q = p ? strstr(p, " had a fault") : NULL;
        if (q && !r->fault_seen) {
            r->fault_seen = true;
            r->fault_when = r->m->q.now;
            snprintf(r->fault_app, sizeof r->fault_app, "%.*s", (int)(q - p - 8), p + 8);
            struct app *a = app_named(r, r->fault_app);
            if (a)
                a->faulted = true;
        }
        if (!strncmp(line, "panicked at", 11))
            r->panic_seen = true;
    }
    if (!r->s)
        return;
    if (r->console_next < r->ncons) {
        unsigned i = r->cons[r->console_next];
        if (line_matches(&r->s->expects[i], line)) {
            r->es[i].done = true;
            r->es[i].when = r->m->q.now;
            r->console_next++;
        }
    }
    for (unsigned i = 0; i < r->s->nexpects; i++) {
        const struct scn_expect *e = &r->s->expects[i];
        if (e->kind == SCN_EXP_CONSOLE_NEVER && !r->es[i].done && line_matches(e, line))
            fail(r, i, "console line matches never /%s/: \"%s\"", e->text, line);
    }
    if ((r->fault_seen || r->panic_seen) && !r->s->allow_fault) {
        for (unsigned i = 0; i < r->s->nexpects; i++)
            if (r->s->expects[i].kind == SCN_EXP_NO_FAULT)
                fail(r, i, r->fault_seen ? "process %s had a fault" : "the kernel panicked%s",
                     r->fault_seen ? r->fault_app : "");
    }
}

/* Streaming substring match (texts are short). */
static bool stream_match(const char *pat, size_t *matched, char ch)
{
    size_t n = strlen(pat);
    while (*matched && pat[*matched] != ch) {
        size_t k = *matched - 1;
        while (k && strncmp(pat, pat + *matched - k, k))
            k--;
        *matched = k;
    }
    if (pat[*matched] == ch)
        (*matched)++;
    if (*matched == n) {
        *matched = 0;
        return true;
    }
    return false;
}

static ssize_t console_write(void *cookie, const char *buf, size_t len)
{
    struct run *r = cookie;
    if (r->o->echo_console) {
        fwrite(buf, 1, len, stdout);
        fflush(stdout);
    }
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (r->s && r->s->stop_console && stream_match(r->s->stop_console, &r->stop_match, ch))
            stop_run(r, "stop text seen");
        for (unsigned k = 0; k < r->nons; k++) {
            struct on_stim *os = &r->ons[k];
            if (!os->done && stream_match(os->st->on, &os->matched, ch)) {
                os->done = true;
                evq_at(&r->m->q, &os->ev, r->m->q.now + ns_to_cycles(r, os->st->at_ns));
            }
        }
        if (r->cfg->until_text && !r->until_hit &&
            stream_match(r->cfg->until_text, &r->until_match, ch)) {
            r->until_hit = true;
            stop_run(r, "--until-text seen");
        }
        if (ch == '\n') {
            r->line[r->line_len] = 0;
            on_line(r, r->line);
            r->line_len = 0;
        } else if (r->line_len < sizeof r->line - 1) {
            r->line[r->line_len++] = ch;
        }
    }
    return (ssize_t)len;
}

/* ---------------------------------------------------------- inputs -- */

static void apply_stim(struct run *r, const struct scn_stim *st, cycles_t when);

static void apply_input(struct run *r, const struct scn_input *in)
{
    struct machine *m = r->m;
    if (r->o->record)
        scn_record_input(r->o->record, in);
    switch (in->kind) {
    case SCN_IN_UART:
        machine_console_input(m, in->data, in->len);
        break;
    case SCN_IN_BUTTON: {
        const struct board_desc *b = r->cfg->board;
        for (unsigned i = 0; i < b->nbuttons; i++)
            if (!strcmp(b->buttons[i].name, in->name)) {
                struct periph *p = machine_find_periph(m, b->buttons[i].periph);
                if (p && p->model->ops->pin_in)
                    p->model->ops->pin_in(p, b->buttons[i].pin, in->level != b->buttons[i].active_low);
            }
        break;
    }
    case SCN_IN_GPIO: {
        struct periph *p = machine_find_periph(m, in->name);
        if (p && p->model->ops->pin_in)
            p->model->ops->pin_in(p, in->pin, in->level);
        break;
    }
    }
    TRACE(&m->tr, TR_GPIO, "input: %s %s%s", in->kind == SCN_IN_UART ? "uart" :
          in->kind == SCN_IN_BUTTON ? "button" : "gpio", in->kind == SCN_IN_UART ? "" : in->name,
          in->kind == SCN_IN_UART ? "" : (in->level ? " 1" : " 0"));
}

static void stim_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct run *r = ctx;
    const struct scenario *s = r->s;
    (void)now;
    (void)late;
    while (r->stim_next < s->nstims && (s->stims[r->stim_next].on ||
           ns_to_cycles(r, s->stims[r->stim_next].at_ns) <= ev->when)) {
        const struct scn_stim *st = &s->stims[r->stim_next++];
        if (st->on)
            continue;
        apply_stim(r, st, ev->when);
    }
    while (r->stim_next < s->nstims && s->stims[r->stim_next].on)
        r->stim_next++;
    if (r->stim_next < s->nstims)
        evq_at(&r->m->q, ev, ns_to_cycles(r, s->stims[r->stim_next].at_ns));
}

/* A stimulus waiting for console text fires this long after the text. */
static void on_stim_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct on_stim *os = ctx;
    (void)now;
    (void)late;
    apply_stim(os->r, os->st, ev->when);
}

static void apply_stim(struct run *r, const struct scn_stim *st, cycles_t when)
{
    {
        struct scn_input in = { 0 };
        in.when = when;
        in.kind = st->kind == SCN_STIM_UART ? SCN_IN_UART :
                  st->kind == SCN_STIM_BUTTON ? SCN_IN_BUTTON : SCN_IN_GPIO;
        if (st->name)
            snprintf(in.name, sizeof in.name, "%s", st->name);
        in.pin = st->pin;
        in.level = st->level;
        in.data = st->data;
        in.len = st->len;
        apply_input(r, &in);
    }
}

static void replay_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct run *r = ctx;
    const struct scn_config *cfg = r->cfg;
    (void)now;
    (void)late;
    while (r->replay_next < cfg->nreplay && cfg->replay[r->replay_next].when <= ev->when)
        apply_input(r, &cfg->replay[r->replay_next++]);
    if (r->replay_next < cfg->nreplay)
        evq_at(&r->m->q, ev, cfg->replay[r->replay_next].when);
}

static void input_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct run *r = ctx;
    struct scn_input in = { 0 };
    (void)now;
    (void)late;
    in.when = ev->when;
    in.kind = SCN_IN_UART;
    in.data = (uint8_t *)r->cfg->input;
    in.len = strlen(r->cfg->input);
    apply_input(r, &in);
}

/* Keyboard input enters every 10 ms of simulated time (and is logged with
 * that cycle). Simulated time is held back to the host's clock so that a
 * person can type; that pacing never reaches the guest. In a replay the
 * event still runs, reading nothing and not waiting. */
static void stdin_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct run *r = ctx;
    (void)now;
    (void)late;
    if (!r->cfg->replaying) {
        struct timespec t;
        uint64_t host_ns, sim_ns = now_ns(r);
        clock_gettime(CLOCK_MONOTONIC, &t);
        host_ns = (uint64_t)(t.tv_sec - r->t0.tv_sec) * 1000000000ull +
                  (uint64_t)t.tv_nsec - (uint64_t)r->t0.tv_nsec;
        if (sim_ns > host_ns)
            usleep((useconds_t)((sim_ns - host_ns) / 1000));
    }
    if (!r->cfg->replaying) {
        uint8_t buf[256];
        ssize_t n = read(0, buf, sizeof buf);
        if (n > 0) {
            struct scn_input in = { 0 };
            in.when = ev->when;
            in.kind = SCN_IN_UART;
            in.data = buf;
            in.len = (size_t)n;
            apply_input(r, &in);
        }
    }
    evq_at(&r->m->q, ev, ev->when + r->cfg->board->cpu_hz / 100);
}

/* ------------------------------------------------------ pin checks -- */

static void check_fire(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct check_ev *ce = ctx;
    struct run *r = ce->r;
    const struct scn_expect *e = &r->s->expects[ce->idx];
    const struct board_desc *b = r->cfg->board;
    struct periph *p = NULL;
    unsigned pin = e->pin;
    bool active_low = false, level, got;
    (void)ev;
    (void)now;
    (void)late;
    if (e->kind == SCN_EXP_LED) {
        for (unsigned i = 0; i < b->nleds; i++)
            if (!strcmp(b->leds[i].name, e->name)) {
                p = machine_find_periph(r->m, b->leds[i].periph);
                pin = b->leds[i].pin;
                active_low = b->leds[i].active_low;
            }
    } else {
        p = machine_find_periph(r->m, e->name);
    }
    if (!p) {
        fail(r, ce->idx, "%s: no such output on board %s", e->name, b->name);
        return;
    }
    level = p->pin[pin].level;
    got = level != active_low;
    if (got != e->level) {
        char tbuf[32];
        if (e->kind == SCN_EXP_LED)
            fail(r, ce->idx, "led %s is %s at %s, expected %s", e->name, got ? "on" : "off",
                 sclock_fmt_ns(e->at_ns, tbuf, sizeof tbuf), e->level ? "on" : "off");
        else
            fail(r, ce->idx, "gpio %s.%u is %s at %s, expected %s", e->name, e->pin,
                 got ? "high" : "low", sclock_fmt_ns(e->at_ns, tbuf, sizeof tbuf),
                 e->level ? "high" : "low");
        return;
    }
    r->es[ce->idx].done = true;
    r->es[ce->idx].when = r->m->q.now;
}

/* ---------------------------------------------------------- jitter -- */

static void jit_deliver(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct jit *j = ctx;
    (void)ev;
    (void)now;
    (void)late;
    j->high_delivered = true;
    j->sink(j->sink_ctx, j->sink_n, true);
    if (j->fall_pending) {
        j->fall_pending = false;
        j->high_delivered = false;
        j->sink(j->sink_ctx, j->sink_n, false);
    }
}

/* Rising edges reach the interrupt controller min..max cycles late (drawn
 * from the seeded PRNG); a pulse shorter than the delay is delivered whole. */
static void jit_sink(void *ctx, unsigned n, bool level)
{
    struct jit *j = ctx;
    struct evq *q = &j->r->m->q;
    (void)n;
    if (level) {
        uint64_t span = j->max_c - j->min_c + 1, d;
        if (evq_pending(&j->ev)) {
            j->fall_pending = false;
            return;
        }
        d = j->min_c + (span ? scn_rand(&j->r->rng) % span : 0);
        TRACE(&j->r->m->tr, TR_IRQ, "jitter: %s delayed %llu cycles", j->name,
              (unsigned long long)d);
        if (!d) {
            j->high_delivered = true;
            j->sink(j->sink_ctx, j->sink_n, true);
        } else {
            evq_at(q, &j->ev, q->now + d);
        }
    } else if (evq_pending(&j->ev)) {
        j->fall_pending = true;
    } else if (j->high_delivered) {
        j->high_delivered = false;
        j->sink(j->sink_ctx, j->sink_n, false);
    }
}

static int install_jitter(struct run *r, struct sim_error *err)
{
    const struct scenario *s = r->s;
    if (!s || !s->njitter)
        return 0;
    r->jits = calloc(s->njitter, sizeof *r->jits);
    if (!r->jits)
        return sim_errorf(err, "out of memory");
    for (unsigned i = 0; i < s->njitter; i++) {
        const struct scn_jitter *sj = &s->jitter[i];
        const char *pn = !strcmp(sj->periph, "alarm") ? scn_alarm_timer(r->cfg->board->name)
                                                      : sj->periph;
        struct periph *p = pn ? machine_find_periph(r->m, pn) : NULL;
        struct jit *j = &r->jits[r->njits];
        struct irq_line *l;
        if (!p)
            return sim_errorf(err, "%s:%d: jitter: no peripheral '%s' on %s", s->path, sj->line,
                              sj->periph, r->cfg->board->name);
        l = &p->irq[sj->irq];
        if (!l->sink)
            return sim_errorf(err, "%s:%d: jitter: %s irq %u is not connected on %s", s->path,
                              sj->line, pn, sj->irq, r->cfg->board->name);
        j->r = r;
        j->line = l;
        j->sink = l->sink;
        j->sink_ctx = l->ctx;
        j->sink_n = l->n;
        j->min_c = ns_to_cycles(r, sj->min_ns);
        j->max_c = ns_to_cycles(r, sj->max_ns);
        snprintf(j->name, sizeof j->name, "%s.irq%u", pn, sj->irq);
        evq_event_init(&j->ev, j->name, jit_deliver, j, 0);
        l->sink = jit_sink;
        l->ctx = j;
        l->n = 0;
        r->njits++;
    }
    return 0;
}

/* ----------------------------------------------------------- set-up -- */

static bool needs_observer(const struct run *r)
{
    struct trace *t = &r->m->tr;
    if (t->mask & ((1u << TR_SYSCALL) | (1u << TR_UPCALL) | (1u << TR_SCHED)))
        return true;
    return r->s && !r->s->synthetic;
}

static int setup(struct run *r, struct sim_error *err)
{
    const struct scn_config *cfg = r->cfg;
    const struct scenario *s = r->s;
    struct machine *m = r->m;
    uint32_t user_mask = TRACE_DEFAULT_MASK, need = 0;

    if (r->o->trace_cats) {
        if (trace_parse_cats(r->o->trace_cats, &user_mask, err))
            return -1;
        user_mask |= TRACE_DEFAULT_MASK;
    }
    m->tr.fmt = r->o->trace_jsonl ? TRACE_JSONL : TRACE_TEXT;
    if (r->o->trace_out)
        m->tr.out = r->o->trace_out;
    for (unsigned i = 0; s && i < s->nexpects; i++)
        if (s->expects[i].kind == SCN_EXP_TRACE)
            need |= 1u << s->expects[i].cat;
    m->tr.mask = user_mask | need;
    m->tr.hook_only = m->tr.mask & ~user_mask;
    m->tr.hook = on_trace;
    m->tr.hook_ctx = r;

    r->console = fopencookie(r, "w", (cookie_io_functions_t){ .write = console_write });
    if (!r->console)
        return sim_errorf(err, "cannot capture the console");
    setvbuf(r->console, NULL, _IONBF, 0);
    m->console_out = r->console;

    for (unsigned i = 0; i < cfg->nsets; i++)
        if (machine_set(m, cfg->sets[i], err)) {
            if (cfg->set_lines[i] && s) {
                char msg[sizeof err->msg];
                snprintf(msg, sizeof msg, "%s", err->msg);
                sim_errorf(err, "%s:%d: %s", s->path, cfg->set_lines[i], msg);
            }
            return -1;
        }
    if (machine_load_elf(m, cfg->kernel, err) ||
        (cfg->napps && machine_load_apps(m, (const char *const *)cfg->apps, cfg->napps, err)) ||
        machine_reset(m, err))
        return -1;
    osview_scan(&m->os, (const char *const *)cfg->apps, cfg->napps);
    find_apps(r);
    if (needs_observer(r)) {
        r->os_lis.fn = on_os_event;
        osview_listen(&m->os, &r->os_lis);
    }
    if (install_jitter(r, err))
        return -1;

    /* inputs */
    if (cfg->replaying) {
        evq_event_init(&r->replay_ev, "scenario.replay", replay_fire, r, PRIO_INPUT);
        if (cfg->nreplay)
            evq_at(&m->q, &r->replay_ev, cfg->replay[0].when);
    } else {
        if (cfg->input && cfg->input[0]) {
            evq_event_init(&r->input_ev, "scenario.input", input_fire, r, PRIO_INPUT);
            evq_at(&m->q, &r->input_ev, 0);
        }
        unsigned first = 0;
        while (s && first < s->nstims && s->stims[first].on)
            first++;
        if (s && first < s->nstims) {
            r->stim_next = first;
            evq_event_init(&r->stim_ev, "scenario.stimulus", stim_fire, r, PRIO_INPUT);
            evq_at(&m->q, &r->stim_ev, ns_to_cycles(r, s->stims[first].at_ns));
        }
        for (unsigned i = 0; s && i < s->nstims; i++)
            if (s->stims[i].on) {
                if (!r->ons)
                    r->ons = calloc(s->nstims, sizeof *r->ons);
                if (!r->ons)
                    return sim_errorf(err, "out of memory");
                r->ons[r->nons].r = r;
                r->ons[r->nons].st = &s->stims[i];
                evq_event_init(&r->ons[r->nons].ev, "scenario.on", on_stim_fire, &r->ons[r->nons],
                               PRIO_INPUT);
                r->nons++;
            }
    }
    if (cfg->stdin_input) {
        if (!cfg->replaying)
            fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
        evq_event_init(&r->stdin_ev, "scenario.stdin", stdin_fire, r, PRIO_INPUT);
        evq_at(&m->q, &r->stdin_ev, cfg->board->cpu_hz / 100);
    }
    if ((cfg->input || cfg->stdin_input || (s && s->nstims)) && !m->console_uart && !cfg->replaying)
        for (unsigned i = 0; s && i < s->nstims; i++)
            if (s->stims[i].kind == SCN_STIM_UART)
                return sim_errorf(err, "board %s has no console UART that takes input",
                                  cfg->board->name);

    /* expectations */
    if (s) {
        r->es = calloc(s->nexpects ? s->nexpects : 1, sizeof *r->es);
        r->cons = calloc(s->nexpects ? s->nexpects : 1, sizeof *r->cons);
        r->checks = calloc(s->nexpects ? s->nexpects : 1, sizeof *r->checks);
        if (!r->es || !r->cons || !r->checks)
            return sim_errorf(err, "out of memory");
        for (unsigned i = 0; i < s->nexpects; i++) {
            const struct scn_expect *e = &s->expects[i];
            if (e->kind == SCN_EXP_CONSOLE)
                r->cons[r->ncons++] = i;
            if (e->kind == SCN_EXP_LED || e->kind == SCN_EXP_GPIO) {
                struct check_ev *ce = &r->checks[i];
                ce->r = r;
                ce->idx = i;
                evq_event_init(&ce->ev, "scenario.check", check_fire, ce, PRIO_CHECK);
                evq_at(&m->q, &ce->ev, ns_to_cycles(r, e->at_ns));
            }
            if ((e->kind == SCN_EXP_FAULT || e->kind == SCN_EXP_EXIT ||
                 (e->kind == SCN_EXP_ALARM_UPCALL && e->name)) && e->name &&
                !app_named(r, e->name)) {
                char names[300] = "";
                for (unsigned k = 0; k < r->napps; k++) {
                    strncat(names, k ? ", " : "", sizeof names - strlen(names) - 1);
                    strncat(names, r->apps[k].name, sizeof names - strlen(names) - 1);
                }
                return sim_errorf(err, "%s:%d: no app named '%s' was loaded (apps: %s)", s->path,
                                  e->line, e->name, r->napps ? names : "none");
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------- verdict -- */

static void decide(struct run *r)
{
    const struct scenario *s = r->s;
    if (!s)
        return;
    for (unsigned i = 0; i < s->nexpects; i++) {
        const struct scn_expect *e = &s->expects[i];
        struct exp_state *es = &r->es[i];
        char t1[32], t2[32];
        if (es->done && e->kind != SCN_EXP_TRACE && e->kind != SCN_EXP_ALARM_UPCALL)
            continue;
        if (es->failed)
            continue;
        switch (e->kind) {
        case SCN_EXP_CONSOLE:
            if (!es->done) {
                char tail[CONSOLE_TAIL * 170] = "";
                unsigned first = r->ntail > 6 ? r->ntail - 6 : 0;
                for (unsigned k = first; k < r->ntail; k++) {
                    strcat(tail, "\n      ");
                    strcat(tail, r->tail[k % CONSOLE_TAIL]);
                }
                if (r->line_len) {
                    r->line[r->line_len] = 0;
                    strcat(tail, "\n      (unfinished) ");
                    snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "%.150s", r->line);
                }
                fail(r, i, "console: expected %s \"%s\" (expectation %u of %u in order), not seen; "
                     "last lines:%s", e->is_re ? "a line matching" : "the line", e->text,
                     r->console_next + 1, r->ncons, r->ntail || r->line_len ? tail : " (none)");
            }
            break;
        case SCN_EXP_TRACE:
        case SCN_EXP_ALARM_UPCALL:
            if (es->count < e->count_min || es->count > e->count_max) {
                char range[64];
                if (e->count_max == UINT64_MAX)
                    snprintf(range, sizeof range, "at least %llu", (unsigned long long)e->count_min);
                else if (e->count_max == e->count_min)
                    snprintf(range, sizeof range, "exactly %llu", (unsigned long long)e->count_min);
                else
                    snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)e->count_min,
                             (unsigned long long)e->count_max);
                if (e->kind == SCN_EXP_TRACE)
                    fail(r, i, "trace %s /%s/ in [%s, %s]: %llu record(s), expected %s",
                         trace_cat_name(e->cat), e->text, sclock_fmt_ns(e->t1_ns, t1, sizeof t1),
                         e->t2_ns == UINT64_MAX ? "end" : sclock_fmt_ns(e->t2_ns, t2, sizeof t2),
                         (unsigned long long)es->count, range);
                else
                    fail(r, i, "alarm_upcall%s%s in [%s, %s]: %llu upcall(s), expected %s",
                         e->name ? " in " : "", e->name ? e->name : "",
                         sclock_fmt_ns(e->t1_ns, t1, sizeof t1),
                         e->t2_ns == UINT64_MAX ? "end" : sclock_fmt_ns(e->t2_ns, t2, sizeof t2),
                         (unsigned long long)es->count, range);
            } else {
                es->done = true;
            }
            break;
        case SCN_EXP_LED:
        case SCN_EXP_GPIO:
            if (!es->done)
                fail(r, i, "%s %s: the run ended at %s, before the check at %s",
                     e->kind == SCN_EXP_LED ? "led" : "gpio", e->name,
                     sclock_fmt_ns(now_ns(r), t1, sizeof t1), sclock_fmt_ns(e->at_ns, t2, sizeof t2));
            break;
        case SCN_EXP_FAULT:
            if (!r->fault_seen || strcmp(r->fault_app, e->name))
                fail(r, i, "expected app %s to fault; %s%s", e->name,
                     r->fault_seen ? "the fault was in " : "no fault was reported",
                     r->fault_seen ? r->fault_app : "");
            break;
        case SCN_EXP_PANIC:
            if (!r->panic_seen)
                fail(r, i, "expected a kernel panic; none was reported");
            break;
        case SCN_EXP_NO_FAULT:
            break;                              /* decided when a fault shows */
        case SCN_EXP_CONSOLE_NEVER:
            break;
        case SCN_EXP_EXIT: {
            struct app *a = app_named(r, e->name);
            if (!a || !a->exited)
                fail(r, i, "expected app %s to exit; it did not", e->name);
            else if (e->has_code && a->code != e->code)
                fail(r, i, "app %s exited with %lld, expected %lld", e->name, (long long)a->code,
                     (long long)e->code);
            break;
        }
        }
    }
}

/* The first failed expectation, in simulated time (then file order). */
static int verdict(struct run *r, char *msg, size_t len)
{
    const struct scenario *s = r->s;
    int best = -1, nfail = 0;
    if (!s)
        return -1;
    for (unsigned i = 0; i < s->nexpects; i++) {
        if (!r->es[i].failed)
            continue;
        nfail++;
        if (best < 0 || r->es[i].when < r->es[best].when)
            best = (int)i;
    }
    if (best >= 0) {
        char tbuf[32];
        snprintf(msg, len, "%s:%d: at t=%s: %s%s", s->path, s->expects[best].line,
                 sclock_fmt_ns(sclock_cycles_to_ns(r->es[best].when, r->cfg->board->cpu_hz), tbuf,
                               sizeof tbuf),
                 r->es[best].why, nfail > 1 ? " (and more failures)" : "");
    }
    return best;
}

int scn_execute(const struct scn_config *cfg, const struct scn_opts *o, struct scn_result *res)
{
    struct run *r = calloc(1, sizeof *r);
    struct sim_error err = { "" };
    enum machine_end end = MACHINE_END_LIMIT;
    struct timespec t0, t1;

    memset(res, 0, sizeof *res);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!r) {
        res->status = SIM_EXIT_USAGE;
        snprintf(res->msg, sizeof res->msg, "out of memory");
        return res->status;
    }
    r->cfg = cfg;
    r->o = o;
    r->s = cfg->s;
    r->res = res;
    r->rng = cfg->seed ^ 0x746f636b73696dull;   /* "tocksim" */
    r->arm = cfg->board->arch == ARCH_ARMV7M;
    r->fail_fast = true;
    r->t0 = t0;
    if (machine_create(&r->m, cfg->board, &err) || setup(r, &err)) {
        res->status = SIM_EXIT_USAGE;
        snprintf(res->msg, sizeof res->msg, "%s", err.msg);
        goto out;
    }
    if (o->record && scn_record_header(o->record, cfg,
                                       r->s && !r->s->synthetic ? r->s->path : NULL)) {
        res->status = SIM_EXIT_USAGE;
        snprintf(res->msg, sizeof res->msg, "--record: cannot write");
        goto out;
    }
    {
        cycles_t limit = cfg->max_cycles;
        if (cfg->replaying && cfg->replay_end && cfg->replay_end < limit)
            limit = cfg->replay_end;
        end = machine_run(r->m, limit, o->interrupt);
    }
    machine_flush(r->m);
    if (r->line_len && r->s) {          /* an unfinished last line still counts */
        r->line[r->line_len] = 0;
        on_line(r, r->line);
        r->line_len = 0;
    }
    res->end_cycles = r->m->q.now;
    res->end_ns = sclock_cycles_to_ns(r->m->q.now, cfg->board->cpu_hz);
    res->insns = r->m->cpu->insns;
    res->hash = r->m->tr.hash;
    if (o->record)
        scn_record_end(o->record, res->end_cycles, res->hash);

    /* In a scenario, a machine that can never wake again (a halted kernel
     * after a panic) has just ended early: the expectations decide. */
    if (end == MACHINE_END_IDLE && r->s && !r->s->synthetic)
        end = MACHINE_END_LIMIT;
    switch (end) {
    case MACHINE_END_FATAL:
    case MACHINE_END_IDLE: {
        char sym[96];
        res->status = SIM_EXIT_GUEST;
        snprintf(res->msg, sizeof res->msg, "%s (pc=0x%08x <%s>)", r->m->exit_why,
                 cpu_pc(r->m->cpu), machine_symbolize(r->m, cpu_pc(r->m->cpu), sym, sizeof sym));
        goto out;
    }
    case MACHINE_END_INTERRUPT:
        res->status = 130;
        snprintf(res->msg, sizeof res->msg, "interrupted");
        goto out;
    case MACHINE_END_EXIT:
        if (!r->stop_req && r->m->exit_status) {
            res->status = r->m->exit_status;
            snprintf(res->msg, sizeof res->msg, "%s", r->m->exit_why);
            if (r->s)
                goto out;
        }
        break;
    default:
        break;
    }
    res->stopped_early = r->stop_req;
    if (r->s) {
        r->fail_fast = false;
        decide(r);
        if (verdict(r, res->msg, sizeof res->msg) >= 0)
            res->status = SIM_EXIT_EXPECT;
        else if (r->panic_seen && !r->s->allow_fault) {
            res->status = SIM_EXIT_EXPECT;
            snprintf(res->msg, sizeof res->msg, "%s: the kernel panicked (no panic expectation)",
                     r->s->path);
        } else if (r->fault_seen && !r->s->allow_fault) {
            res->status = SIM_EXIT_EXPECT;
            snprintf(res->msg, sizeof res->msg, "%s: process %s had a fault (no fault expectation)",
                     r->s->path, r->fault_app);
        }
    } else if (cfg->until_text && !r->until_hit) {
        char tbuf[32];
        res->status = SIM_EXIT_EXPECT;
        snprintf(res->msg, sizeof res->msg, "text \"%s\" not seen by t=%s", cfg->until_text,
                 sclock_fmt_ns(res->end_ns, tbuf, sizeof tbuf));
    } else if (end == MACHINE_END_EXIT && !r->stop_req) {
        res->status = r->m->exit_status;
        snprintf(res->msg, sizeof res->msg, "%s", r->m->exit_why);
    }
    if (cfg->replaying && cfg->replay_hash && res->hash != cfg->replay_hash) {
        res->status = SIM_EXIT_EXPECT;
        snprintf(res->msg, sizeof res->msg, "replay: trace hash %016llx differs from the "
                 "recorded %016llx", (unsigned long long)res->hash,
                 (unsigned long long)cfg->replay_hash);
    }
out:
    if (r->m) {
        if (r->m->console_out == r->console)
            r->m->console_out = NULL;
        machine_destroy(r->m);
    }
    if (r->console)
        fclose(r->console);
    free(r->jits);
    free(r->ons);
    free(r->es);
    free(r->cons);
    free(r->checks);
    free(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->host_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return res->status;
}

/* -------------------------------------------------------- resolving -- */

static char *path_join(const char *dir, const char *p)
{
    char *out;
    if (p[0] == '/' || !dir || !strcmp(dir, "."))
        return strdup(p);
    if (asprintf(&out, "%s/%s", dir, p) < 0)
        return NULL;
    return out;
}

static const char *const demo_apps[] = { "hello", "blink", "alarms" };

/* start_count that makes the kernel's view of the board's alarm counter wrap
 * `ns` after the counter starts: nRF RTC1 (up, 32768 Hz, 24 bits or
 * rtc1.width_bits), the CMSDK dual timer (down, 25 MHz, now = ~VALUE), the
 * CLINT (up, 10 MHz; the kernel sees the low 32 bits). */
static int wrap_start(const struct scenario *s, const struct board_desc *b, const char *ns_text,
                      uint64_t *start)
{
    uint64_t ns = strtoull(ns_text, NULL, 10), ticks;
    unsigned width = 24;
    if (!strcmp(b->name, "nrf52840dk")) {
        for (unsigned i = 0; i < s->nsets; i++)
            if (!strcmp(s->sets[i].key, "rtc1.width_bits"))
                width = (unsigned)strtoul(s->sets[i].value, NULL, 0);
        ticks = sclock_ticks_at(ns, 1000000000u, 32768);
        *start = ((1ull << width) - ticks) & ((1ull << width) - 1);
        return 0;
    }
    if (!strcmp(b->name, "mps2-an386")) {
        ticks = sclock_ticks_at(ns, 1000000000u, b->cpu_hz);
        *start = ticks ? (ticks - 1) & 0xFFFFFFFFu : 0xFFFFFFFFu;
        return 0;
    }
    if (!strcmp(b->name, "qemu-rv32-virt")) {
        ticks = sclock_ticks_at(ns, 1000000000u, 10000000u);
        *start = (0x100000000ull - ticks) & 0xFFFFFFFFu;
        return 0;
    }
    return -1;
}

int scn_resolve(const struct scenario *s, const struct board_desc *b, uint64_t seed,
                const char *build_dir, const char *variant, const char *kernel_override,
                struct scn_config *cfg, struct sim_error *err)
{
    const char *arch = b->arch == ARCH_ARMV7M ? "arm" : "rv32";
    const char *k = s->kernel && strcmp(s->kernel, "default") ? s->kernel : NULL;
    bool default_apps = s->apps == NULL;

    memset(cfg, 0, sizeof *cfg);
    cfg->board = b;
    cfg->seed = seed;
    cfg->s = s;
    cfg->max_cycles = sclock_ns_to_cycles(s->stop_ns, b->cpu_hz);
    if (variant && k && !kernel_override)
    {
        sim_errorf(err, "kernel %s has no %s variant", k, variant);
        return 1;
    }
    if (variant && !k)
        k = variant;
    if (variant)
        cfg->variant = strdup(variant);
    if (kernel_override) {
        snprintf(cfg->kernel, sizeof cfg->kernel, "%s", kernel_override);
    } else if (k && (strchr(k, '/') || strstr(k, ".elf"))) {
        char *p = path_join(s->dir, k);
        snprintf(cfg->kernel, sizeof cfg->kernel, "%s", p ? p : k);
        free(p);
    } else if (k) {
        snprintf(cfg->kernel, sizeof cfg->kernel, "%s/os/kernel-%s-%s.elf", build_dir, b->name, k);
    } else if (default_apps) {
        snprintf(cfg->kernel, sizeof cfg->kernel, "%s/apps/%s-image.elf", build_dir, b->name);
    } else {
        snprintf(cfg->kernel, sizeof cfg->kernel, "%s/os/kernel-%s.elf", build_dir, b->name);
    }
    if (default_apps && (k || kernel_override)) {
        for (unsigned i = 0; i < ARRAY_LEN(demo_apps); i++)
            if (asprintf(&cfg->apps[cfg->napps++], "%s/apps/%s-%s.tbf", build_dir, demo_apps[i],
                         arch) < 0)
                return sim_errorf(err, "out of memory");
    }
    if (s->napps > SCN_MAX_APPS)
        return sim_errorf(err, "%s: %u apps, at most %u", s->path, s->napps, SCN_MAX_APPS);
    for (unsigned i = 0; i < s->napps; i++) {
        const char *a = s->apps[i];
        bool named = !strchr(a, '/') && !strstr(a, ".tbf");
        if (!named)
            cfg->apps[cfg->napps++] = path_join(s->dir, a);
        else if (asprintf(&cfg->apps[cfg->napps++], "%s/apps/%s-%s.tbf", build_dir, a, arch) < 0)
            return sim_errorf(err, "out of memory");
        if (access(cfg->apps[cfg->napps - 1], R_OK))
            return sim_errorf(err, "%s:%d: app '%s': %s%s not found%s", s->path,
                              s->app_lines ? s->app_lines[i] : 0, a, named ? "no built app " : "",
                              cfg->apps[cfg->napps - 1],
                              named ? " (expected the name of an app in apps/meson.build, or a "
                                      "path to a .tbf)" : "");
    }
    if (access(cfg->kernel, R_OK))
        return sim_errorf(err, "%s:%d: kernel %s not found (expected default, a variant built by "
                          "os/meson.build, or a path to an ELF)", s->synthetic ? "(command line)"
                          : s->path, s->kernel_line, cfg->kernel);
    for (unsigned i = 0; i < s->nsets; i++) {
        const char *key = s->sets[i].key, *dot = strchr(key, '.');
        char *v;
        if (cfg->nsets == SCN_MAX_SETS)
            return sim_errorf(err, "%s: too many set entries", s->path);
        if (!strcmp(key, "alarm.wrap_after")) {
            uint64_t start;
            if (wrap_start(s, b, s->sets[i].value, &start))
                return sim_errorf(err, "%s:%d: alarm.wrap_after: no alarm counter known on %s",
                                  s->path, s->sets[i].line, b->name);
            if (asprintf(&v, "%s.start_count=0x%llx", scn_alarm_timer(b->name),
                         (unsigned long long)start) < 0)
                return sim_errorf(err, "out of memory");
        } else if (!strncmp(key, "alarm.", 6)) {
            if (asprintf(&v, "%s%s=%s", scn_alarm_timer(b->name), dot, s->sets[i].value) < 0)
                return sim_errorf(err, "out of memory");
        } else if (asprintf(&v, "%s=%s", key, s->sets[i].value) < 0) {
            return sim_errorf(err, "out of memory");
        }
        cfg->set_lines[cfg->nsets] = s->sets[i].line;
        cfg->sets[cfg->nsets++] = v;
    }
    return 0;
}

void scn_config_free(struct scn_config *cfg)
{
    for (unsigned i = 0; i < cfg->napps; i++)
        free(cfg->apps[i]);
    for (unsigned i = 0; i < cfg->nsets; i++)
        free(cfg->sets[i]);
    for (unsigned i = 0; i < cfg->nreplay; i++)
        free(cfg->replay[i].data);
    free(cfg->replay);
    free(cfg->input);
    free(cfg->until_text);
    free(cfg->variant);
    memset(cfg, 0, sizeof *cfg);
}
