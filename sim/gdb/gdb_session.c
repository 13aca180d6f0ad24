/* Packet handling for one GDB session (see gdb_session.h). Every command
 * parser checks its input completely: a malformed packet gets "E01", an
 * unknown one the empty reply, per the protocol. */
#include "gdb_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD_MAX (64u * 1024u)      /* input kept while the target runs */
#define O_CHUNK 512                 /* console bytes per O packet */

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *t)
{
    memset(s, 0, sizeof *s);
    s->ops = ops;
    s->t = t;
    gdb_rx_init(&s->rx);
    gdb_rx_init(&s->rx_run);
    s->state = GDB_SESSION_STOPPED;
    s->last.sig = 5;
}

void gdb_session_free(struct gdb_session *s)
{
    gdb_buf_free(&s->out);
    gdb_buf_free(&s->reply);
    gdb_buf_free(&s->sent);
    gdb_buf_free(&s->held);
}

static void send_packet(struct gdb_session *s, const char *payload, size_t len, bool escape)
{
    size_t start = s->out.len;
    gdb_frame(&s->out, payload, len, escape);
    if (!s->noack && !s->out.oom) {
        gdb_buf_reset(&s->sent);
        gdb_buf_add(&s->sent, s->out.p + start, s->out.len - start);
    }
}

static void send_str(struct gdb_session *s, const char *payload)
{
    send_packet(s, payload, strlen(payload), false);
}

static void send_reply(struct gdb_session *s)
{
    send_packet(s, s->reply.p ? s->reply.p : "", s->reply.len, false);
}

static void console_packets(struct gdb_session *s, const char *text, size_t len)
{
    for (size_t off = 0; off < len; off += O_CHUNK) {
        size_t n = len - off < O_CHUNK ? len - off : O_CHUNK;
        gdb_buf_reset(&s->reply);
        gdb_buf_add(&s->reply, "O", 1);
        gdb_buf_hex(&s->reply, text + off, n);
        send_reply(s);
    }
}

void gdb_session_console(struct gdb_session *s, const char *text)
{
    console_packets(s, text, strlen(text));
}

static void stop_reply(struct gdb_session *s)
{
    const struct gdb_stop *st = &s->last;
    static const char *const watch_names[] = { [GDB_WP_WRITE] = "watch", [GDB_WP_READ] = "rwatch",
                                               [GDB_WP_ACCESS] = "awatch" };
    gdb_buf_reset(&s->reply);
    if (st->exited)
        gdb_buf_printf(&s->reply, "W%02x", st->status & 0xff);
    else if (st->history_begin)
        gdb_buf_printf(&s->reply, "T%02xreplaylog:begin;thread:1;", st->sig & 0xff);
    else if (st->watch >= GDB_WP_WRITE && st->watch <= GDB_WP_ACCESS)
        gdb_buf_printf(&s->reply, "T%02x%s:%x;thread:1;", st->sig & 0xff,
                       watch_names[st->watch], st->watch_addr);
    else
        gdb_buf_printf(&s->reply, "T%02xthread:1;", st->sig & 0xff);
    send_reply(s);
}

/* ------------------------------------------------------------- parsing -- */

/* "HEX,HEX" then `end` (one of ":;" or NUL for the end of the payload). */
static int parse_addr_len(const char **p, uint64_t *addr, uint64_t *len, char end)
{
    if (gdb_parse_hex(p, addr) || **p != ',')
        return -1;
    (*p)++;
    if (gdb_parse_hex(p, len) || **p != end)
        return -1;
    if (end)
        (*p)++;
    return *addr > 0xFFFFFFFFull || *len > 0x100000000ull ? -1 : 0;
}

static bool is_end(const char *p, const char *end)
{
    return p == end;
}

static void cmd_read_regs(struct gdb_session *s)
{
    unsigned n = s->ops->nregs(s->t);
    gdb_buf_reset(&s->reply);
    for (unsigned i = 0; i < n; i++) {
        uint32_t v;
        if (s->ops->reg_read(s->t, i, &v) == 0)
            gdb_buf_hex_le32(&s->reply, v);
        else
            gdb_buf_str(&s->reply, "xxxxxxxx");
    }
    send_reply(s);
}

static const char *cmd_write_regs(struct gdb_session *s, const char *p, size_t len)
{
    unsigned n = s->ops->nregs(s->t);
    if (len % 8 || len / 8 > n)
        return "E01";
    for (size_t i = 0; i < len / 8; i++) {
        uint8_t b[4];
        if (gdb_hex_decode(p + 8 * i, 4, b))
            return "E01";
    }
    for (size_t i = 0; i < len / 8; i++) {
        uint8_t b[4];
        gdb_hex_decode(p + 8 * i, 4, b);
        s->ops->reg_write(s->t, (unsigned)i,
                          (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                              (uint32_t)b[3] << 24);
    }
    return "OK";
}

static void cmd_read_reg(struct gdb_session *s, const char *p, const char *end)
{
    uint64_t n;
    uint32_t v;
    if (gdb_parse_hex(&p, &n) || !is_end(p, end)) {
        send_str(s, "E01");
        return;
    }
    if (n >= s->ops->nregs(s->t) || s->ops->reg_read(s->t, (unsigned)n, &v)) {
        send_str(s, "E00");
        return;
    }
    gdb_buf_reset(&s->reply);
    gdb_buf_hex_le32(&s->reply, v);
    send_reply(s);
}

static const char *cmd_write_reg(struct gdb_session *s, const char *p, const char *end)
{
    uint64_t n;
    uint8_t b[4];
    if (gdb_parse_hex(&p, &n) || *p != '=' || end - p != 9 || gdb_hex_decode(p + 1, 4, b))
        return "E01";
    if (n >= s->ops->nregs(s->t))
        return "E00";
    return s->ops->reg_write(s->t, (unsigned)n, (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                                                    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24)
               ? "E00" : "OK";
}

static void cmd_read_mem(struct gdb_session *s, const char *p, const char *end)
{
    uint64_t addr, len;
    uint8_t buf[(GDB_MAX_PACKET - 8) / 2];
    uint32_t got;

    if (parse_addr_len(&p, &addr, &len, 0) || !is_end(p, end)) {
        send_str(s, "E01");
        return;
    }
    if (len > sizeof buf)
        len = sizeof buf;
    if (addr + len > 0x100000000ull)
        len = 0x100000000ull - addr;
    got = len ? s->ops->mem_read(s->t, (uint32_t)addr, buf, (uint32_t)len) : 0;
    if (len && !got) {
        send_str(s, "E14");
        return;
    }
    gdb_buf_reset(&s->reply);
    gdb_buf_hex(&s->reply, buf, got);
    send_reply(s);
}

static const char *cmd_write_mem(struct gdb_session *s, char *p, const char *end, bool binary)
{
    const char *q = p;
    uint64_t addr, len;
    uint8_t *data;
    size_t have;
    int r;

    if (parse_addr_len(&q, &addr, &len, ':'))
        return "E01";
    p += q - p;
    have = (size_t)(end - p);
    if (binary) {
        long n = gdb_unescape(p, have);
        if (n < 0 || (uint64_t)n != len)
            return "E01";
        data = (uint8_t *)p;
    } else {
        if (have != 2 * len)
            return "E01";
        data = (uint8_t *)p;                /* decoded in place: 2 chars -> 1 byte */
        if (gdb_hex_decode(p, (size_t)len, data))
            return "E01";
    }
    if (!len)
        return "OK";
    if (addr + len > 0x100000000ull)
        return "E01";
    r = s->ops->mem_write(s->t, (uint32_t)addr, data, (uint32_t)len);
    return r ? "E14" : "OK";
}

static void cmd_breakpoint(struct gdb_session *s, const char *p, const char *end, bool insert)
{
    uint64_t type, addr, kind;
    int r;
    if (gdb_parse_hex(&p, &type) || *p++ != ',' || gdb_parse_hex(&p, &addr) || *p++ != ',' ||
        gdb_parse_hex(&p, &kind) || (p != end && *p != ';') || addr > 0xFFFFFFFFull ||
        kind > 0xFFFFFFFFull) {
        send_str(s, "E01");
        return;
    }
    if (type > GDB_WP_ACCESS) {
        send_str(s, "");
        return;
    }
    r = s->ops->breakpoint(s->t, (enum gdb_bp_type)type, (uint32_t)addr, (uint32_t)kind, insert);
    send_str(s, r == 0 ? "OK" : r > 0 ? "" : "E01");
}

static void resume(struct gdb_session *s, bool step)
{
    s->state = GDB_SESSION_RUNNING;
    gdb_rx_init(&s->rx_run);
    s->ops->resume(s->t, step);
}

/* c/s [addr], C/S sig[;addr] */
static void cmd_resume(struct gdb_session *s, const char *p, const char *end, bool step,
                       bool with_sig)
{
    uint64_t v;
    if (with_sig) {
        if (gdb_parse_hex(&p, &v)) {
            send_str(s, "E01");
            return;
        }
        if (p != end) {
            if (*p != ';') {
                send_str(s, "E01");
                return;
            }
            p++;
        }
    }
    if (p != end) {
        if (gdb_parse_hex(&p, &v) || p != end || v > 0xFFFFFFFFull || !s->ops->set_pc ||
            s->ops->set_pc(s->t, (uint32_t)v)) {
            send_str(s, "E01");
            return;
        }
    }
    resume(s, step);
}

/* vCont;ACTION[:TID]...: the leftmost action for thread 1 applies. */
static void cmd_vcont(struct gdb_session *s, const char *p, const char *end)
{
    char act = 0;
    while (p < end) {
        char a;
        uint64_t v;
        bool mine = true;
        if (*p++ != ';' || p >= end) {
            send_str(s, "E01");
            return;
        }
        a = *p++;
        if (a == 'C' || a == 'S') {
            if (gdb_parse_hex(&p, &v)) {
                send_str(s, "E01");
                return;
            }
        } else if (a != 'c' && a != 's' && a != 't') {
            send_str(s, "E01");
            return;
        }
        if (p < end && *p == ':') {
            p++;
            if (*p == '-' && p[1] == '1') {
                p += 2;
            } else if (gdb_parse_hex(&p, &v)) {
                send_str(s, "E01");
                return;
            } else {
                mine = v == 1 || v == 0;
            }
        }
        if (p < end && *p != ';') {
            send_str(s, "E01");
            return;
        }
        if (mine && !act)
            act = a;
    }
    if (!act) {
        send_str(s, "E01");
        return;
    }
    if (act == 't') {
        /* all-stop: the thread is already stopped */
        struct gdb_stop st = { .sig = 0 };
        s->last = st;
        stop_reply(s);
        return;
    }
    resume(s, act == 's' || act == 'S');
}

static void cmd_xfer_features(struct gdb_session *s, const char *p, const char *end)
{
    static const char annex[] = "target.xml:";
    const char *xml;
    size_t xlen = 0;
    uint64_t off, len;

    if ((size_t)(end - p) < sizeof annex - 1 || memcmp(p, annex, sizeof annex - 1)) {
        send_str(s, "E00");
        return;
    }
    p += sizeof annex - 1;
    if (parse_addr_len(&p, &off, &len, 0) || p != end) {
        send_str(s, "E01");
        return;
    }
    xml = s->ops->target_xml ? s->ops->target_xml(s->t, &xlen) : NULL;
    if (!xml) {
        send_str(s, "");
        return;
    }
    if (len > GDB_MAX_PACKET / 2)
        len = GDB_MAX_PACKET / 2;
    gdb_buf_reset(&s->reply);
    if (off >= xlen) {
        gdb_buf_str(&s->reply, "l");
    } else {
        size_t n = xlen - off < len ? xlen - (size_t)off : (size_t)len;
        gdb_buf_str(&s->reply, off + n < xlen ? "m" : "l");
        gdb_buf_add(&s->reply, xml + off, n);
    }
    send_packet(s, s->reply.p, s->reply.len, true);
}

static void cmd_monitor(struct gdb_session *s, const char *hex, const char *end)
{
    size_t n = (size_t)(end - hex);
    char cmd[512];
    struct gdb_buf text = { 0 };

    if (!s->ops->monitor) {
        send_str(s, "");
        return;
    }
    if (n % 2 || n / 2 >= sizeof cmd || gdb_hex_decode(hex, n / 2, (uint8_t *)cmd)) {
        send_str(s, "E01");
        return;
    }
    cmd[n / 2] = 0;
    if (strlen(cmd) != n / 2) {
        send_str(s, "E01");             /* a NUL inside the command */
        return;
    }
    s->ops->monitor(s->t, cmd, &text);
    if (text.len)
        console_packets(s, text.p, text.len);
    gdb_buf_free(&text);
    send_str(s, "OK");
}

static bool starts(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

static bool equals(const char *p, const char *end, const char *word)
{
    return (size_t)(end - p) == strlen(word) && starts(p, end, word);
}

static void dispatch(struct gdb_session *s, char *p, size_t len)
{
    const char *end = p + len;
    const char *r = "";

    s->packets++;
    switch (p[0]) {
    case '?':
        stop_reply(s);
        return;
    case 'g':
        if (len == 1) {
            cmd_read_regs(s);
            return;
        }
        r = "E01";
        break;
    case 'G':
        r = cmd_write_regs(s, p + 1, len - 1);
        break;
    case 'p':
        cmd_read_reg(s, p + 1, end);
        return;
    case 'P':
        r = cmd_write_reg(s, p + 1, end);
        break;
    case 'm':
        cmd_read_mem(s, p + 1, end);
        return;
    case 'M':
        r = cmd_write_mem(s, p + 1, end, false);
        break;
    case 'X':
        r = cmd_write_mem(s, p + 1, end, true);
        break;
    case 'Z':
    case 'z':
        cmd_breakpoint(s, p + 1, end, p[0] == 'Z');
        return;
    case 'c':
    case 's':
        cmd_resume(s, p + 1, end, p[0] == 's', false);
        return;
    case 'C':
    case 'S':
        cmd_resume(s, p + 1, end, p[0] == 'S', true);
        return;
    case 'b':
        if ((equals(p, end, "bc") || equals(p, end, "bs")) && s->ops->reverse) {
            s->state = GDB_SESSION_RUNNING;
            gdb_rx_init(&s->rx_run);
            s->ops->reverse(s->t, p[1] == 's');
            return;
        }
        break;
    case 'H':
        r = len >= 2 && (p[1] == 'g' || p[1] == 'c') ? "OK" : "E01";
        break;
    case 'T': {
        const char *q = p + 1;
        uint64_t v;
        r = (q[0] == '-' && q[1] == '1' && q + 2 == end) ||
            (!gdb_parse_hex(&q, &v) && q == end && v == 1) ? "OK" : "E01";
        break;
    }
    case 'D':
        send_str(s, "OK");
        s->state = GDB_SESSION_DETACHED;
        if (s->ops->detach)
            s->ops->detach(s->t);
        return;
    case 'k':
        s->state = GDB_SESSION_KILLED;
        if (s->ops->kill)
            s->ops->kill(s->t);
        return;
    case 'v':
        if (equals(p, end, "vCont?")) {
            r = "vCont;c;C;s;S;t";
        } else if (starts(p, end, "vCont;")) {
            cmd_vcont(s, p + 5, end);
            return;
        } else if (starts(p, end, "vKill")) {
            send_str(s, "OK");
            s->state = GDB_SESSION_KILLED;
            if (s->ops->kill)
                s->ops->kill(s->t);
            return;
        }
        break;                          /* vMustReplyEmpty and the rest: "" */
    case 'q':
        if (starts(p, end, "qSupported")) {
            gdb_buf_reset(&s->reply);
            gdb_buf_printf(&s->reply, "PacketSize=%x;QStartNoAckMode+;qXfer:features:read+;"
                           "vContSupported+%s", GDB_MAX_PACKET,
                           s->ops->reverse ? ";ReverseStep+;ReverseContinue+" : "");
            send_reply(s);
            return;
        }
        if (starts(p, end, "qXfer:features:read:")) {
            cmd_xfer_features(s, p + 20, end);
            return;
        }
        if (starts(p, end, "qRcmd,")) {
            cmd_monitor(s, p + 6, end);
            return;
        }
        if (starts(p, end, "qAttached"))
            r = "1";
        else if (equals(p, end, "qC"))
            r = "QC1";
        else if (equals(p, end, "qfThreadInfo"))
            r = "m1";
        else if (equals(p, end, "qsThreadInfo"))
            r = "l";
        else if (starts(p, end, "qSymbol:"))
            r = "OK";
        break;
    case 'Q':
        if (equals(p, end, "QStartNoAckMode")) {
            send_str(s, "OK");
            s->noack = true;
            s->rx.verify = false;
            s->rx_run.verify = false;
            return;
        }
        break;
    default:
        break;
    }
    send_str(s, r);
}

/* ---------------------------------------------------------------- input -- */

static void process(struct gdb_session *s, const uint8_t *data, size_t len)
{
    while (len && s->state == GDB_SESSION_STOPPED) {
        size_t used = 0;
        enum gdb_rx_event ev = gdb_rx_feed(&s->rx, data, len, &used);
        data += used;
        len -= used;
        switch (ev) {
        case GDB_RX_PACKET:
            if (!s->noack)
                gdb_buf_add(&s->out, "+", 1);
            if (s->rx.len)
                dispatch(s, s->rx.buf, s->rx.len);
            else
                send_str(s, "");
            break;
        case GDB_RX_BAD:
            s->bad_packets++;
            if (!s->noack)
                gdb_buf_add(&s->out, "-", 1);   /* please send it again */
            break;
        case GDB_RX_OVERSIZE:
            s->bad_packets++;
            if (!s->noack)
                gdb_buf_add(&s->out, "+", 1);
            send_str(s, "E01");
            break;
        case GDB_RX_NAK:
            if (!s->noack && s->sent.len)
                gdb_buf_add(&s->out, s->sent.p, s->sent.len);
            break;
        case GDB_RX_INTERRUPT:          /* already stopped */
        case GDB_RX_ACK:
        case GDB_RX_NONE:
            break;
        }
    }
    /* running (a resume was just processed): keep the rest for later */
    if (len && s->state == GDB_SESSION_RUNNING)
        gdb_session_input(s, data, len);
}

void gdb_session_input(struct gdb_session *s, const uint8_t *data, size_t len)
{
    if (s->state == GDB_SESSION_STOPPED) {
        process(s, data, len);
        return;
    }
    if (s->state != GDB_SESSION_RUNNING)
        return;
    /* All-stop: while the target runs only Ctrl-C acts; packets wait until
     * the stop (framing tracked so that a 0x03 inside a packet is data). */
    for (size_t i = 0; i < len; i++) {
        size_t used;
        enum gdb_rx_event ev = gdb_rx_feed(&s->rx_run, data + i, 1, &used);
        if (ev == GDB_RX_INTERRUPT) {
            if (s->ops->interrupt)
                s->ops->interrupt(s->t);
            continue;
        }
        if (s->held.len < HELD_MAX)
            gdb_buf_add(&s->held, data + i, 1);
    }
}

void gdb_session_stopped(struct gdb_session *s, const struct gdb_stop *st, const char *console)
{
    struct gdb_buf held = s->held;

    if (s->state != GDB_SESSION_RUNNING && s->state != GDB_SESSION_STOPPED)
        return;
    s->state = GDB_SESSION_STOPPED;
    s->last = *st;
    if (console)
        gdb_session_console(s, console);
    stop_reply(s);
    /* what GDB sent meanwhile is processed now */
    memset(&s->held, 0, sizeof s->held);
    if (held.len)
        process(s, (const uint8_t *)held.p, held.len);
    gdb_buf_free(&held);
}
