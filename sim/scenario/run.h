/* Running one scenario case (a scenario on one board with one seed), or a
 * plain `tocksim run` that records or replays its inputs.
 *
 * Every input from outside the machine (scripted stimuli, --input text,
 * keyboard input, button presses) is applied by an event of the machine's
 * queue at a cycle, and logged with that cycle by --record; --replay
 * schedules the logged inputs at the same cycles, so the guest sees the same
 * run and the trace hash printed at the end is the same. */
#ifndef SIM_SCENARIO_RUN_H
#define SIM_SCENARIO_RUN_H

#include <limits.h>
#include <stdio.h>

#include "scenario.h"
#include "../evq.h"

struct board_desc;
struct machine;

#define SCN_MAX_APPS 32
#define SCN_MAX_SETS 64

/* One input from outside, at a cycle (what --record logs). */
enum scn_in_kind { SCN_IN_UART, SCN_IN_BUTTON, SCN_IN_GPIO };
struct scn_input {
    cycles_t when;
    enum scn_in_kind kind;
    char name[32];          /* button, or GPIO periph */
    unsigned pin;
    bool level;
    uint8_t *data;          /* UART bytes */
    size_t len;
};

/* Everything a run needs, resolved (paths, board, seed). */
struct scn_config {
    const struct board_desc *board;
    char kernel[PATH_MAX];              /* kernel ELF, or an image with apps */
    char *apps[SCN_MAX_APPS];           /* TBF paths */
    unsigned napps;
    char *sets[SCN_MAX_SETS];           /* "rtc1.start_count=0x..." (aliases resolved) */
    int set_lines[SCN_MAX_SETS];        /* scenario line, 0: command line */
    unsigned nsets;
    uint64_t seed;
    char *input;                        /* --input TEXT (console bytes at start) */
    cycles_t max_cycles;                /* CYCLES_NEVER: no limit */
    char *until_text;                   /* --until-text */
    const struct scenario *s;           /* stimuli, expectations, jitter, stop; or NULL */
    char *variant;                      /* kernel variant, for the replay command */
    bool stdin_input;                   /* --stdin: keyboard to the console UART */
    /* replay: the logged inputs replace scripted stimuli, --input and stdin */
    struct scn_input *replay;
    unsigned nreplay;
    bool replaying;
    cycles_t replay_end;                /* the recorded run's last cycle */
    uint64_t replay_hash;
};

struct scn_opts {
    const char *trace_cats;             /* --trace */
    FILE *trace_out;                    /* NULL: stderr */
    bool trace_jsonl;
    bool echo_console;                  /* console output to stdout */
    FILE *record;                       /* --record: the log being written */
    volatile const int *interrupt;      /* Ctrl-C */
};

struct scn_result {
    int status;                         /* SIM_EXIT_* */
    char msg[1536];                     /* the first mismatch, or why the run ended */
    uint64_t end_ns;
    cycles_t end_cycles;
    uint64_t insns;
    uint64_t hash;
    double host_s;
    bool stopped_early;
};

/* Not a failure: the case does not apply (TAP "# SKIP"). */
#define SCN_SKIP 77

/* Returns 0, -1 with err, or 1 (err says why) when the case does not apply:
 * a kernel variant asked for with a scenario that names its own kernel.
 * Build dir holding apps/<name>-<arch>.tbf and os/kernel-<board>[-<variant>].elf. */
int scn_resolve(const struct scenario *s, const struct board_desc *b, uint64_t seed,
                const char *build_dir, const char *variant, const char *kernel_override,
                struct scn_config *cfg, struct sim_error *err);
void scn_config_free(struct scn_config *cfg);

/* Runs one case. Returns the status (also in r->status). */
int scn_execute(const struct scn_config *cfg, const struct scn_opts *o, struct scn_result *r);

/* --record / --replay files (record.c). */
int scn_record_header(FILE *f, const struct scn_config *cfg, const char *scenario_path);
void scn_record_input(FILE *f, const struct scn_input *in);
void scn_record_end(FILE *f, cycles_t end, uint64_t hash);
/* Loads a log: fills cfg (board, kernel, apps, sets, seed, limits, inputs);
 * *scenario_path (malloc'd, may be NULL) names the scenario that ran. */
int scn_replay_load(const char *path, struct scn_config *cfg, char **scenario_path,
                    struct sim_error *err);

/* A small deterministic PRNG (splitmix64) for jitter and random starts. */
static inline uint64_t scn_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
