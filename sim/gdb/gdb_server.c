/* The GDB stub: a gdb_session bound to a machine and a TCP socket. */
#include "gdb_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdb_session.h"
#include "../faultreport.h"
#include "../machine.h"
#include "../sclock.h"
#include "../../boards/board.h"
#include "../../cpu/cpu.h"

#define POLL_MS 200
#define REV_MAX 48                  /* snapshots kept for reverse execution */
#define REV_DENSE 16                /* ... the newest ones never thinned */
#define REV_INTERVAL_MS 50

struct rev_snap {
    struct snap_buf buf;
    cycles_t cycle;
    uint64_t insns;
};

struct gdb_target {
    struct machine *m;
    struct faultreport *fr;
    struct gdb_session s;
    struct gdb_buf xml;
    int pc_reg;
    bool interrupted;           /* Ctrl-C from GDB */
    bool exited;                /* the guest ended the run: every resume says so */
    int exit_status;
    /* reverse execution: snapshots taken while running (oldest first) */
    struct rev_snap rev[REV_MAX];
    unsigned nrev;
    cycles_t rev_next;
    bool rev_dirty;             /* GDB changed the state: the history restarts */
    int reverse;                /* pending: 1 reverse-step, 2 reverse-continue */
};

/* ---------------------------------------------------------- the target -- */

static unsigned t_nregs(void *tp)
{
    struct gdb_target *t = tp;
    unsigned n;
    cpu_debug_regs(t->m->cpu, &n);
    return n;
}

static int t_reg_read(void *tp, unsigned n, uint32_t *v)
{
    struct gdb_target *t = tp;
    return cpu_debug_reg(t->m->cpu, n, v, false);
}

static int t_reg_write(void *tp, unsigned n, uint32_t v)
{
    struct gdb_target *t = tp;
    t->rev_dirty = true;
    return cpu_debug_reg(t->m->cpu, n, &v, true);
}

static void xml_escape(struct gdb_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '<' || *s == '>' || *s == '&' || *s == '"')
            gdb_buf_printf(b, "&#%d;", *s);
        else
            gdb_buf_add(b, s, 1);
    }
}

/* The target description, from the core's register list: one <feature>
 * per run of registers of the same feature, regnum = GDB number. */
static const char *t_target_xml(void *tp, size_t *len)
{
    struct gdb_target *t = tp;
    struct gdb_buf *b = &t->xml;

    if (!b->len) {
        unsigned n;
        const struct cpu_reg_desc *d = cpu_debug_regs(t->m->cpu, &n);
        const char *feature = NULL;
        gdb_buf_str(b, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                       "<target version=\"1.0\">\n<architecture>");
        gdb_buf_str(b, t->m->cpu->thumb ? "arm" : "riscv:rv32");
        gdb_buf_str(b, "</architecture>\n");
        for (unsigned i = 0; i < n; i++) {
            if (!feature || strcmp(feature, d[i].feature)) {
                if (feature)
                    gdb_buf_str(b, "</feature>\n");
                feature = d[i].feature;
                gdb_buf_str(b, "<feature name=\"");
                xml_escape(b, feature);
                gdb_buf_str(b, "\">\n");
            }
            gdb_buf_str(b, "  <reg name=\"");
            xml_escape(b, d[i].name);
            gdb_buf_printf(b, "\" bitsize=\"32\" regnum=\"%u\" type=\"%s\"", i, d[i].type);
            if (d[i].group)
                gdb_buf_printf(b, " group=\"%s\"", d[i].group);
            gdb_buf_str(b, "/>\n");
        }
        if (feature)
            gdb_buf_str(b, "</feature>\n");
        gdb_buf_str(b, "</target>\n");
        if (b->oom)
            return NULL;
    }
    *len = b->len;
    return b->p;
}

static uint32_t t_mem_read(void *tp, uint32_t addr, uint8_t *buf, uint32_t len)
{
    struct gdb_target *t = tp;
    uint32_t n = 0;
    if (cpu_read_mem(t->m->cpu, addr, buf, len) == 0)
        return len;
    /* the readable prefix */
    while (n < len && cpu_read_mem(t->m->cpu, addr + n, buf + n, 1) == 0)
        n++;
    return n;
}

static int t_mem_write(void *tp, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    struct gdb_target *t = tp;
    t->rev_dirty = true;
    return cpu_write_mem(t->m->cpu, addr, buf, len);
}

static int t_breakpoint(void *tp, enum gdb_bp_type type, uint32_t addr, uint32_t kind, bool insert)
{
    struct gdb_target *t = tp;
    struct cpu *c = t->m->cpu;
    struct sim_error err = { "" };
    enum cpu_watch_kind wk;

    switch (type) {
    case GDB_BP_SW:
    case GDB_BP_HW:
        return insert ? cpu_bp_add(c, addr, NULL, NULL) : cpu_bp_del(c, addr, NULL, NULL);
    case GDB_WP_WRITE:
        wk = CPU_WATCH_WRITE;
        break;
    case GDB_WP_READ:
        wk = CPU_WATCH_READ;
        break;
    case GDB_WP_ACCESS:
        wk = CPU_WATCH_ACCESS;
        break;
    default:
        return 1;
    }
    if (!insert)
        return cpu_watch_del(c, addr, kind, wk) ? -1 : 0;
    if (cpu_watch_add(c, addr, kind, wk, &err)) {
        char msg[sizeof err.msg + 16];
        snprintf(msg, sizeof msg, "tocksim: %s\n", err.msg);
        gdb_session_console(&t->s, msg);
        return -1;
    }
    return 0;
}

static int t_set_pc(void *tp, uint32_t pc)
{
    struct gdb_target *t = tp;
    return t->pc_reg < 0 ? -1 : cpu_debug_reg(t->m->cpu, (unsigned)t->pc_reg, &pc, true);
}

static void t_resume(void *tp, bool step)
{
    struct gdb_target *t = tp;
    t->interrupted = false;
    cpu_debug_resume(t->m->cpu, step);
}

static void t_reverse(void *tp, bool step)
{
    struct gdb_target *t = tp;
    t->interrupted = false;
    t->reverse = step ? 1 : 2;
}

static void t_interrupt(void *tp)
{
    struct gdb_target *t = tp;
    t->interrupted = true;
}

static void t_detach(void *tp)
{
    struct gdb_target *t = tp;
    cpu_debug_clear(t->m->cpu);
}

/* ------------------------------------------------- reverse execution -- */
/* Snapshots (sim/snap.h) are taken at slice boundaries every 50 ms of
 * simulated time while the target runs; the newest 16 are kept, older ones
 * are thinned (every second one dropped) so that the history reaches back
 * to the start. reverse-stepi: restore the last snapshot before the
 * current instruction count N and run to N-1 (cpu_debug_stop_at_insn).
 * reverse-continue: from the newest snapshot backwards, replay each window
 * up to the next one (or now) counting breakpoint and watchpoint hits; in
 * the newest window that has some, replay again to its last hit. Replays
 * are silent (console and trace output off; the trace hash is restored
 * with the state) and the fault report's hooks are muted. A memory or
 * register write by GDB restarts the history. */

static void rev_free(struct gdb_target *t, unsigned i)
{
    snap_buf_free(&t->rev[i].buf);
    memmove(&t->rev[i], &t->rev[i + 1], (t->nrev - i - 1) * sizeof t->rev[0]);
    t->nrev--;
}

static void rev_take(struct gdb_target *t)
{
    struct machine *m = t->m;
    struct rev_snap *r;

    if (t->nrev && t->rev[t->nrev - 1].cycle == m->q.now &&
        t->rev[t->nrev - 1].insns == m->cpu->insns)
        return;
    if (t->nrev == REV_MAX)
        for (unsigned i = 1; i < t->nrev - REV_DENSE; i++)    /* thin the older ones */
            rev_free(t, i);
    r = &t->rev[t->nrev];
    snap_buf_init(&r->buf);
    if (machine_snapshot(m, &r->buf)) {
        snap_buf_free(&r->buf);
        return;
    }
    r->cycle = m->q.now;
    r->insns = m->cpu->insns;
    t->nrev++;
    t->rev_next = m->q.now + m->board->cpu_hz / 1000 * REV_INTERVAL_MS;
}

static void rev_restart(struct gdb_target *t)
{
    while (t->nrev)
        rev_free(t, t->nrev - 1);
    t->rev_dirty = false;
    rev_take(t);
}

static bool rev_restore(struct gdb_target *t, unsigned i)
{
    struct sim_error err;
    if (machine_restore(t->m, &t->rev[i].buf, "reverse-execution snapshot", &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        return false;
    }
    t->exited = false;
    return true;
}

/* Runs silently until a debug stop (or the safety limit). */
static enum machine_end replay(struct gdb_target *t, cycles_t limit)
{
    struct machine *m = t->m;
    FILE *out = m->console_out, *tout = m->tr.out;
    enum machine_end e;
    m->console_out = NULL;
    m->tr.out = NULL;
    e = machine_run(m, limit, NULL);
    m->console_out = out;
    m->tr.out = tout;
    return e;
}

/* From snapshot i, resumed with breakpoints and watchpoints on, up to
 * instruction count `end`: how many hits (the k-th stops if stop_at). */
static unsigned replay_hits(struct gdb_target *t, unsigned i, uint64_t end, cycles_t limit,
                            unsigned stop_at)
{
    struct cpu *c = t->m->cpu;
    unsigned hits = 0;

    if (!rev_restore(t, i))
        return 0;
    cpu_debug_resume(c, false);
    cpu_debug_no_skip(c);
    cpu_debug_stop_at_insn(c, end);
    for (;;) {
        if (replay(t, limit) != MACHINE_END_DEBUG)
            break;
        if (cpu_debug_stop_info(c)->reason == CPU_DBG_INSN)
            break;
        if (++hits == stop_at)
            break;
        cpu_debug_resume(c, false);
    }
    return hits;
}

static void do_reverse(struct gdb_target *t, bool step)
{
    struct machine *m = t->m;
    struct cpu *c = m->cpu;
    uint64_t now_insns = c->insns;
    cycles_t now = m->q.now, limit = now + m->board->cpu_hz;
    struct gdb_stop st = { .sig = 5 };
    int i;

    if (t->rev_dirty)
        rev_restart(t);
    cpu_debug_mute(c, true, step);
    if (step) {
        for (i = (int)t->nrev - 1; i >= 0 && t->rev[i].insns >= now_insns; i--)
            ;
        if (i < 0) {
            st.history_begin = true;
        } else if (rev_restore(t, (unsigned)i)) {
            cpu_debug_resume(c, false);
            cpu_debug_stop_at_insn(c, now_insns - 1);
            replay(t, limit);
        }
    } else {
        uint64_t end = now_insns;
        unsigned hits = 0;
        for (i = (int)t->nrev - 1; i >= 0; i--) {
            if (t->rev[i].insns >= end && t->rev[i].cycle >= now)
                continue;                   /* at or after the current point */
            hits = replay_hits(t, (unsigned)i, end, limit, 0);
            if (hits)
                break;
            end = t->rev[i].insns;
        }
        if (i >= 0 && hits) {
            replay_hits(t, (unsigned)i, end, limit, hits);
            const struct cpu_dbg_stop *ds = cpu_debug_stop_info(c);
            if (ds->reason == CPU_DBG_WATCH) {
                st.watch = ds->kind == CPU_WATCH_WRITE ? GDB_WP_WRITE :
                           ds->kind == CPU_WATCH_READ ? GDB_WP_READ : GDB_WP_ACCESS;
                st.watch_addr = ds->data_addr;
            }
        } else {
            st.history_begin = true;
            if (t->nrev && rev_restore(t, 0))
                cpu_debug_resume(c, false);
        }
    }
    cpu_debug_mute(c, false, false);
    gdb_session_stopped(&t->s, &st, NULL);
}

static void monitor_snapshot(struct gdb_target *t, const char *args, struct gdb_buf *out)
{
    struct machine *m = t->m;
    struct sim_error err = { "" };
    char verb[8] = "";
    const char *path = args;

    while (*path && *path != ' ' && (size_t)(path - args) < sizeof verb - 1)
        path++;
    memcpy(verb, args, (size_t)(path - args));
    while (*path == ' ')
        path++;
    if (!*path || (strcmp(verb, "save") && strcmp(verb, "load"))) {
        gdb_buf_str(out, "usage: monitor snapshot save|load FILE\n");
        return;
    }
    if (!strcmp(verb, "save")) {
        if (machine_snapshot_file(m, path, &err))
            gdb_buf_printf(out, "snapshot: %s\n", err.msg);
        else
            gdb_buf_printf(out, "snapshot: %s at cycle %llu\n", path, (unsigned long long)m->q.now);
        return;
    }
    /* a failed load leaves the machine unusable: keep the current state */
    {
        struct snap_buf keep;
        snap_buf_init(&keep);
        if (machine_snapshot(m, &keep)) {
            gdb_buf_str(out, "snapshot: out of memory\n");
            snap_buf_free(&keep);
            return;
        }
        if (machine_restore_file(m, path, &err)) {
            struct sim_error e2;
            gdb_buf_printf(out, "snapshot: %s (the state is unchanged)\n", err.msg);
            machine_restore(m, &keep, "the state before the load", &e2);
        } else {
            gdb_buf_printf(out, "snapshot: %s loaded: cycle %llu, pc=0x%08x (run `flushregs`)\n",
                           path, (unsigned long long)m->q.now, cpu_pc(m->cpu));
            t->exited = false;
            t->rev_dirty = true;
        }
        snap_buf_free(&keep);
    }
}

static void t_monitor(void *tp, const char *cmd, struct gdb_buf *out)
{
    struct gdb_target *t = tp;
    struct machine *m = t->m;
    char word[32], tbuf[32];
    const char *args;
    size_t n = 0;

    while (*cmd == ' ')
        cmd++;
    while (cmd[n] && cmd[n] != ' ' && n + 1 < sizeof word) {
        word[n] = cmd[n];
        n++;
    }
    word[n] = 0;
    args = cmd + n;
    while (*args == ' ')
        args++;

    if (!strcmp(word, "help") || !word[0]) {
        gdb_buf_str(out, "tocksim monitor commands:\n"
                         "  cycles              simulated cycles and instructions so far\n"
                         "  time                simulated time\n"
                         "  reset               reset the board (RAM kept; then: flushregs)\n"
                         "  trace [CATS|none]   show or set the trace categories (as --trace)\n"
                         "  stats               breakpoint/watchpoint and slicing counters\n"
                         "  snapshot save|load FILE   the whole machine to/from a file\n");
    } else if (!strcmp(word, "cycles")) {
        gdb_buf_printf(out, "%llu cycles, %llu instructions\n", (unsigned long long)m->q.now,
                       (unsigned long long)m->cpu->insns);
    } else if (!strcmp(word, "time")) {
        gdb_buf_printf(out, "t=%s (cycle %llu at %llu Hz)\n",
                       sclock_fmt_ns(sclock_cycles_to_ns(m->q.now, m->board->cpu_hz), tbuf,
                                     sizeof tbuf),
                       (unsigned long long)m->q.now, (unsigned long long)m->board->cpu_hz);
    } else if (!strcmp(word, "reset")) {
        struct sim_error err = { "" };
        t->rev_dirty = true;
        cpu_debug_reset_state(m->cpu);
        m->exit_req = false;
        m->exit_status = 0;
        t->exited = false;
        if (t->fr) {
            t->fr->panicked = t->fr->reported = t->fr->report_stop = false;
        }
        if (machine_reset(m, &err))
            gdb_buf_printf(out, "reset failed: %s\n", err.msg);
        else
            gdb_buf_printf(out, "reset: pc=0x%08x at cycle %llu (run `flushregs` in GDB)\n",
                           cpu_pc(m->cpu), (unsigned long long)m->q.now);
    } else if (!strcmp(word, "trace")) {
        if (*args) {
            struct sim_error err = { "" };
            uint32_t mask;
            if (trace_parse_cats(args, &mask, &err)) {
                gdb_buf_printf(out, "%s\n", err.msg);
                return;
            }
            m->tr.mask = mask | TRACE_DEFAULT_MASK;
        }
        gdb_buf_str(out, "trace:");
        for (unsigned c = 0; c < TR_NCATS; c++)
            if (trace_on(&m->tr, (enum trace_cat)c))
                gdb_buf_printf(out, " %s", trace_cat_name((enum trace_cat)c));
        gdb_buf_str(out, "\n");
    } else if (!strcmp(word, "stats")) {
        char buf[512];
        cpu_debug_stats(m->cpu, buf, sizeof buf);
        gdb_buf_str(out, buf);
    } else if (!strcmp(word, "snapshot")) {
        monitor_snapshot(t, args, out);
    } else {
        gdb_buf_printf(out, "unknown monitor command '%s' (try: monitor help)\n", word);
    }
}

static const struct gdb_target_ops machine_ops = {
    .nregs = t_nregs,
    .reg_read = t_reg_read,
    .reg_write = t_reg_write,
    .target_xml = t_target_xml,
    .mem_read = t_mem_read,
    .mem_write = t_mem_write,
    .breakpoint = t_breakpoint,
    .set_pc = t_set_pc,
    .resume = t_resume,
    .reverse = t_reverse,
    .interrupt = t_interrupt,
    .monitor = t_monitor,
    .detach = t_detach,
};

/* ------------------------------------------------------------- sockets -- */

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const uint8_t *a = in6->sin6_addr.s6_addr;
        static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
               (memcmp(a, v4mapped, 12) == 0 && a[12] == 127);
    }
    return false;
}

int gdb_listen(const char *spec, bool any, int *fd_out, char *where, size_t where_len,
               struct sim_error *err)
{
    char host[256] = "127.0.0.1", port[16];
    const char *colon = strrchr(spec, ':');
    struct addrinfo hints, *res = NULL, *ai;
    uint64_t pnum;
    int fd = -1, e, one = 1;

    if (colon) {
        size_t hl = (size_t)(colon - spec);
        const char *h = spec;
        if (hl && h[0] == '[' && h[hl - 1] == ']') {
            h++;
            hl -= 2;
        }
        if (hl >= sizeof host)
            return sim_errorf(err, "--gdb %s: host name too long", spec);
        if (hl) {
            memcpy(host, h, hl);
            host[hl] = 0;
        }
        colon++;
    } else {
        colon = spec;
    }
    if (!*colon || strlen(colon) >= sizeof port || sim_parse_u64(colon, &pnum) || pnum > 65535 ||
        strspn(colon, "0123456789") != strlen(colon))
        return sim_errorf(err, "--gdb %s: expected [HOST:]PORT with PORT a number 0..65535",
                          spec);
    snprintf(port, sizeof port, "%u", (unsigned)pnum);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    e = getaddrinfo(host, port, &hints, &res);
    if (e)
        return sim_errorf(err, "--gdb %s: cannot resolve '%s': %s", spec, host, gai_strerror(e));
    for (ai = res; ai; ai = ai->ai_next) {
        if (!any && !is_loopback(ai->ai_addr)) {
            freeaddrinfo(res);
            return sim_errorf(err, "--gdb %s: '%s' is not a loopback address; a debugger "
                              "connection can read and write all guest memory, so listening "
                              "beyond this machine needs --gdb-any", spec, host);
        }
    }
    for (ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1)) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        return sim_errorf(err, "--gdb %s: cannot listen: %s", spec, strerror(errno));
    {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        char hb[INET6_ADDRSTRLEN] = "?";
        unsigned p = 0;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
            if (ss.ss_family == AF_INET) {
                struct sockaddr_in *in = (struct sockaddr_in *)&ss;
                inet_ntop(AF_INET, &in->sin_addr, hb, sizeof hb);
                p = ntohs(in->sin_port);
            } else if (ss.ss_family == AF_INET6) {
                struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
                inet_ntop(AF_INET6, &in6->sin6_addr, hb, sizeof hb);
                p = ntohs(in6->sin6_port);
            }
        }
        snprintf(where, where_len, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", hb, p);
    }
    *fd_out = fd;
    return 0;
}

static int send_all(int fd, struct gdb_buf *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = send(fd, b->p + off, b->len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    gdb_buf_reset(b);
    return 0;
}

/* Reads what is there (waiting up to timeout_ms); -1 when the peer left. */
static int receive(struct gdb_target *t, int fd, int timeout_ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    uint8_t buf[4096];
    ssize_t n;
    int r = poll(&p, 1, timeout_ms);

    if (r <= 0)
        return 0;
    n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (n <= 0)
        return -1;
    gdb_session_input(&t->s, buf, (size_t)n);
    return 0;
}

/* ------------------------------------------------------------ the loop -- */

static void stopped(struct gdb_target *t, int sig, const char *console)
{
    struct gdb_stop st = { .sig = sig };
    gdb_session_stopped(&t->s, &st, console);
}

static void debug_stopped(struct gdb_target *t)
{
    const struct cpu_dbg_stop *ds = cpu_debug_stop_info(t->m->cpu);
    struct gdb_stop st = { .sig = 5 };
    const char *console = NULL;

    if (ds->reason == CPU_DBG_WATCH) {
        st.watch = ds->kind == CPU_WATCH_WRITE ? GDB_WP_WRITE :
                   ds->kind == CPU_WATCH_READ ? GDB_WP_READ : GDB_WP_ACCESS;
        st.watch_addr = ds->data_addr;
    }
    if (t->fr && t->fr->report_stop) {
        t->fr->report_stop = false;
        st.sig = 6;
        console = "tocksim: the kernel panicked or halted: fault report on tocksim's stderr\n";
    }
    gdb_session_stopped(&t->s, &st, console);
}

static bool idle_forever(struct machine *m)
{
    struct cpu *c = m->cpu;
    return c->sleeping && evq_next_deadline(&m->q) == CYCLES_NEVER && !c->arch->wake_pending(c);
}

enum gdb_end gdb_serve(struct machine *m, int listen_fd, cycles_t max_cycles,
                       volatile const int *stop_flag, struct faultreport *fr, int *status)
{
    struct gdb_target t;
    cycles_t slice = m->board->cpu_hz / 1000 ? m->board->cpu_hz / 1000 : 1;
    enum gdb_end end;
    unsigned n;
    const struct cpu_reg_desc *d;
    int fd = -1, one = 1;

    *status = 0;
    while (fd < 0) {
        struct pollfd p = { listen_fd, POLLIN, 0 };
        if (stop_flag && *stop_flag) {
            close(listen_fd);
            return GDB_END_INTERRUPTED;
        }
        if (poll(&p, 1, POLL_MS) > 0)
            fd = accept(listen_fd, NULL, NULL);
    }
    close(listen_fd);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    memset(&t, 0, sizeof t);
    t.m = m;
    t.fr = fr;
    t.pc_reg = -1;
    d = cpu_debug_regs(m->cpu, &n);
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(d[i].name, "pc"))
            t.pc_reg = (int)i;
    gdb_session_init(&t.s, &machine_ops, &t);
    fprintf(stderr, "tocksim: GDB connected\n");
    rev_take(&t);

    for (;;) {
        if (send_all(fd, &t.s.out)) {
            end = GDB_END_KILLED;
            break;
        }
        if (t.s.state == GDB_SESSION_DETACHED) {
            end = GDB_END_DETACHED;
            break;
        }
        if (t.s.state == GDB_SESSION_KILLED) {
            end = GDB_END_KILLED;
            break;
        }
        if (stop_flag && *stop_flag) {
            end = GDB_END_INTERRUPTED;
            break;
        }
        if (t.s.state == GDB_SESSION_RUNNING) {
            enum machine_end me;
            cycles_t until;
            if (t.reverse) {
                bool step = t.reverse == 1;
                t.reverse = 0;
                do_reverse(&t, step);
                continue;
            }
            if (t.interrupted) {
                stopped(&t, 2, NULL);
                continue;
            }
            if (t.rev_dirty)
                rev_restart(&t);
            else if (m->q.now >= t.rev_next)
                rev_take(&t);
            if (t.exited) {
                struct gdb_stop st = { .exited = true, .status = t.exit_status };
                gdb_session_stopped(&t.s, &st, NULL);
                continue;
            }
            if (m->q.now >= max_cycles) {
                stopped(&t, 5, "tocksim: the run's time limit is reached\n");
                continue;
            }
            if (!idle_forever(m)) {
                until = (m->q.now / slice + 1) * slice;
                if (until > max_cycles)
                    until = max_cycles;
                me = machine_run(m, until, stop_flag);
                switch (me) {
                case MACHINE_END_DEBUG:
                    debug_stopped(&t);
                    break;
                case MACHINE_END_EXIT:
                case MACHINE_END_UNTIL: {
                    char msg[400];
                    struct gdb_stop st = { .exited = true };
                    t.exited = true;
                    t.exit_status = me == MACHINE_END_EXIT ? m->exit_status : 0;
                    st.status = t.exit_status;
                    snprintf(msg, sizeof msg, "tocksim: %s\n", me == MACHINE_END_UNTIL ?
                             "--until-text seen" : m->exit_why[0] ? m->exit_why : "exit");
                    gdb_session_stopped(&t.s, &st, msg);
                    break;
                }
                case MACHINE_END_FATAL: {
                    char msg[400];
                    if (fr && !fr->reported)
                        faultreport_print(fr, m->exit_why);
                    snprintf(msg, sizeof msg, "tocksim: %s (fault report on tocksim's stderr)\n",
                             m->exit_why);
                    stopped(&t, 11, msg);
                    break;
                }
                case MACHINE_END_INTERRUPT:
                    end = GDB_END_INTERRUPTED;
                    goto out;
                default:                    /* a slice boundary */
                    break;
                }
                if (receive(&t, fd, 0)) {
                    end = GDB_END_KILLED;
                    break;
                }
                continue;
            }
            /* asleep with nothing that could ever wake it: only GDB can */
        }
        if (receive(&t, fd, POLL_MS)) {
            end = GDB_END_KILLED;
            break;
        }
    }
out:
    send_all(fd, &t.s.out);
    close(fd);
    if (end == GDB_END_DETACHED)
        cpu_debug_clear(m->cpu);
    if (t.exited) {
        end = GDB_END_EXITED;
        *status = t.exit_status;
    }
    gdb_session_free(&t.s);
    gdb_buf_free(&t.xml);
    while (t.nrev)
        rev_free(&t, t.nrev - 1);
    return end;
}
