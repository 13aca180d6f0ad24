/* One GDB remote session, as a state machine between the byte stream and a
 * target behind an ops table: parses and answers packets (all-stop mode,
 * one thread), and asks the target to resume; the owner reports the stop
 * later with gdb_session_stopped. No I/O here: output accumulates in
 * s->out for the owner to send. The GDB stub binds it to a machine and a
 * socket (gdb_server.c); tests and the fuzz target bind it to a fake. */
#ifndef SIM_GDB_SESSION_H
#define SIM_GDB_SESSION_H

#include "gdb_proto.h"

enum gdb_bp_type { GDB_BP_SW = 0, GDB_BP_HW = 1, GDB_WP_WRITE = 2, GDB_WP_READ = 3,
                   GDB_WP_ACCESS = 4 };

struct gdb_stop {
    bool exited;            /* W<status>: the target is gone */
    int status;             /* exited: exit status */
    int sig;                /* else the signal: 5 TRAP, 2 INT, 6 ABRT, 11 SEGV */
    int watch;              /* 0, or a GDB_WP_* that matched */
    uint32_t watch_addr;
    bool history_begin;     /* reverse execution reached the oldest state it has */
};

struct gdb_target_ops {
    unsigned (*nregs)(void *t);
    int (*reg_read)(void *t, unsigned n, uint32_t *v);      /* 0 or -1 */
    int (*reg_write)(void *t, unsigned n, uint32_t v);
    /* The target description; NULL if none. */
    const char *(*target_xml)(void *t, size_t *len);
    /* Bytes read (<= len, 0 when the first byte is not readable). */
    uint32_t (*mem_read)(void *t, uint32_t addr, uint8_t *buf, uint32_t len);
    int (*mem_write)(void *t, uint32_t addr, const uint8_t *buf, uint32_t len);
    /* 0 done, -1 failed, 1 not supported. */
    int (*breakpoint)(void *t, enum gdb_bp_type type, uint32_t addr, uint32_t kind, bool insert);
    /* `c ADDR` / `s ADDR`: resume at ADDR. */
    int (*set_pc)(void *t, uint32_t pc);
    /* Starts running (step: one instruction); the stop comes later. */
    void (*resume)(void *t, bool step);
    /* Optional: reverse execution (bs: one instruction back, bc: back to the
     * previous breakpoint or watchpoint hit); the stop comes later. */
    void (*reverse)(void *t, bool step);
    /* A Ctrl-C from GDB while running. */
    void (*interrupt)(void *t);
    /* `monitor CMD`: text for the user into out. */
    void (*monitor)(void *t, const char *cmd, struct gdb_buf *out);
    void (*detach)(void *t);
    void (*kill)(void *t);
};

enum gdb_session_state {
    GDB_SESSION_STOPPED,
    GDB_SESSION_RUNNING,
    GDB_SESSION_DETACHED,   /* D: the target runs on without a debugger */
    GDB_SESSION_KILLED,     /* k / vKill */
};

struct gdb_session {
    const struct gdb_target_ops *ops;
    void *t;
    struct gdb_rx rx;
    enum gdb_session_state state;
    bool noack;
    struct gdb_stop last;           /* answer to '?' */
    struct gdb_buf out;             /* bytes to send */
    struct gdb_buf reply;           /* scratch: the payload being built */
    struct gdb_buf sent;            /* last packet, for a '-' */
    struct gdb_rx rx_run;           /* framing of what arrives while running ... */
    struct gdb_buf held;            /* ... held until the stop */
    uint64_t packets, bad_packets;
};

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *t);
void gdb_session_free(struct gdb_session *s);
/* Feeds received bytes (any bytes: malformed input is answered per the
 * protocol, never trusted). */
void gdb_session_input(struct gdb_session *s, const uint8_t *data, size_t len);
/* The target stopped (or exited): sends the stop reply, preceded by
 * `console` as an O packet if non-NULL. */
void gdb_session_stopped(struct gdb_session *s, const struct gdb_stop *st, const char *console);
/* Text for GDB's console (O packet) while the target runs. */
void gdb_session_console(struct gdb_session *s, const char *text);

#endif
