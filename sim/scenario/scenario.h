/* Scenarios: one YAML file describes a run (board(s), kernel, apps, --set
 * overrides, interrupt-latency jitter, a seed), the outside world's inputs
 * at simulated times (button presses, GPIO levels, UART bytes), what must
 * be observed (console lines in order, trace events, LED/GPIO levels at a
 * time, faults, alarm upcalls inside a window) and when to stop.
 * tests/scenario/README.md documents the format; this header is the model.
 *
 * Parsing is separate from running: scn_parse() checks everything that can
 * be checked without a machine (keys, types, time units, board, button,
 * LED and pin names, stimuli after the stop time) and reports the first
 * problem as "FILE:LINE:COL: what was found, what was expected". */
#ifndef SIM_SCENARIO_SCENARIO_H
#define SIM_SCENARIO_SCENARIO_H

#include <regex.h>

#include "../common.h"
#include "../trace.h"
#include "../sclock.h"

#define SCN_MAX_BOARDS 8

enum scn_stim_kind {
    SCN_STIM_BUTTON,        /* a board button: name + pressed */
    SCN_STIM_GPIO,          /* an input pin of a GPIO model: periph + pin + level */
    SCN_STIM_UART,          /* bytes into the console UART */
};

struct scn_stim {
    enum scn_stim_kind kind;
    uint64_t at_ns;         /* absolute; with `on`: the delay after the text */
    char *on;               /* NULL, or console text that triggers it (once) */
    char *name;             /* button name, or GPIO periph name */
    unsigned pin;
    bool level;             /* button: pressed; GPIO: high */
    uint8_t *data;          /* UART */
    size_t len;
    int line;
};

enum scn_exp_kind {
    SCN_EXP_CONSOLE,        /* the next matching console line (in order) */
    SCN_EXP_CONSOLE_NEVER,  /* no console line matches, ever */
    SCN_EXP_TRACE,          /* trace records: category + regex, count, window */
    SCN_EXP_LED,            /* a board LED's state at a time */
    SCN_EXP_GPIO,           /* an output pin's level at a time */
    SCN_EXP_NO_FAULT,       /* no process fault and no kernel panic */
    SCN_EXP_FAULT,          /* this app faults (the kernel reports it) */
    SCN_EXP_PANIC,          /* the kernel panics */
    SCN_EXP_ALARM_UPCALL,   /* an alarm upcall runs in an app inside [t1, t2] */
    SCN_EXP_EXIT,           /* an app exits (optionally with a code) */
};

struct scn_expect {
    enum scn_exp_kind kind;
    int line;
    char *text;             /* exact console line, or the regex source */
    bool is_re;
    regex_t re;
    bool re_ok;
    enum trace_cat cat;     /* TRACE */
    char *name;             /* app, LED or GPIO periph name */
    unsigned pin;
    bool level;             /* LED on / pin high */
    uint64_t at_ns;         /* LED / GPIO */
    uint64_t t1_ns, t2_ns;  /* window (TRACE, ALARM_UPCALL); t2 = UINT64_MAX: open */
    uint64_t count_min, count_max;
    bool has_code;
    int64_t code;           /* EXIT */
    int64_t id;             /* ALARM_UPCALL: marker id, -1 = any */
};

struct scn_jitter {
    char *periph;           /* instance whose interrupt line is delayed */
    unsigned irq;           /* its output index (irq[]) */
    uint64_t min_ns, max_ns;
    int line;
};

struct scn_set {
    char *key;              /* "rtc1.start_count" or "alarm.start_count" */
    char *value;
    int line;
};

struct scenario {
    char *path;             /* as given */
    char *dir;              /* its folder: relative paths start there */
    char *name;             /* `name:` or the file's stem */
    char *description;
    const char *boards[SCN_MAX_BOARDS];
    unsigned nboards;
    char *kernel;           /* NULL / "default", a variant name, or a path */
    char **apps;            /* names (built apps) or paths ending in .tbf; NULL: demo apps */
    unsigned napps;
    int *app_lines;
    int kernel_line;
    struct scn_set *sets;
    unsigned nsets;
    struct scn_jitter *jitter;
    unsigned njitter;
    uint64_t *seeds;        /* `seed:` / `seeds:`; none: seed 1 */
    unsigned nseeds;
    struct scn_stim *stims; /* sorted by time (stable) */
    unsigned nstims;
    struct scn_expect *expects;
    unsigned nexpects;
    bool allow_fault;       /* no implicit no_fault */
    char **catches;         /* bug variants this scenario is meant to catch */
    unsigned ncatches;
    /* stop conditions: any of them ends the run */
    uint64_t stop_ns;       /* simulated time limit (always set) */
    char *stop_console;     /* console text */
    bool stop_all_exited;   /* every app exited */
    int stop_line;
    bool synthetic;         /* made from `tocksim run` options, not read from a file */
};

/* Reads and checks FILE. On error returns -1 with err->msg located. */
int scn_parse_file(const char *path, struct scenario **out, struct sim_error *err);
/* The same from memory (path is used in messages and for relative paths). */
int scn_parse_text(const char *path, const char *text, size_t len, struct scenario **out,
                   struct sim_error *err);
void scn_free(struct scenario *s);

/* "alarm.start_count" -> "rtc1.start_count" on nrf52840dk (the timer the
 * board's kernel uses for alarms); other keys unchanged. */
const char *scn_alarm_timer(const char *board);

/* Marker system calls: a test app makes Command(SCN_MARK_DRIVER, cmd, a, b)
 * (no such driver: the kernel answers NODEVICE and does nothing else); the
 * simulator sees it at the trap and stamps it with the exact cycle. */
#define SCN_MARK_DRIVER         0xE0000u
#define SCN_MARK_ALARM_UPCALL   1u      /* a = id: an alarm callback starts */
#define SCN_MARK_NOTE           2u      /* a, b: free */

#endif
