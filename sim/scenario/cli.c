/* `tocksim run --scenario/--seed/--record/--replay` and `tocksim test`. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "../sclock.h"
#include "../../boards/board.h"

/* ------------------------------------------------------------ shared -- */

static int usage_err(const char *fmt, const char *a)
{
    fputs("tocksim: ", stderr);
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    return SIM_EXIT_USAGE;
}

/* Where apps/ and os/ were built: $TOCKSIM_BUILD_DIR, else this executable's folder. */
static void build_dir(char *out, size_t len)
{
    const char *env = getenv("TOCKSIM_BUILD_DIR");
    char exe[PATH_MAX];
    ssize_t n;
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = 0;
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, len, "%s", exe);
            return;
        }
    }
    snprintf(out, len, ".");
}

static int parse_seeds(const char *v, uint64_t **seeds, unsigned *n)
{
    const char *dots = strstr(v, "..");
    uint64_t a, b;
    if (!dots) {
        if (sim_parse_u64(v, &a))
            return -1;
        b = a;
    } else {
        char first[32];
        if ((size_t)(dots - v) >= sizeof first)
            return -1;
        memcpy(first, v, (size_t)(dots - v));
        first[dots - v] = 0;
        if (sim_parse_u64(first, &a) || sim_parse_u64(dots + 2, &b) || b < a || b - a >= 1000000)
            return -1;
    }
    *seeds = calloc(b - a + 1, sizeof **seeds);
    if (!*seeds)
        return -1;
    *n = 0;
    for (uint64_t x = a; x <= b; x++)
        (*seeds)[(*n)++] = x;
    return 0;
}

static void replay_cmd(char *buf, size_t len, const char *scn, const char *board, uint64_t seed,
                       const char *variant)
{
    snprintf(buf, len, "tocksim run --scenario %s --board %s --seed %llu%s%s", scn, board,
             (unsigned long long)seed, variant ? " --variant " : "", variant ? variant : "");
}

/* --------------------------------------------------------------- run -- */

bool scn_cli_wants(int argc, char **argv)
{
    static const char *const mine[] = {
        "--scenario", "--seed", "--seeds", "--record", "--replay", "--stdin", "--variant", NULL,
    };
    for (int i = 1; i < argc; i++)
        for (unsigned k = 0; mine[k]; k++)
            if (!strcmp(argv[i], mine[k]))
                return true;
    return false;
}

struct run_args {
    const char *board, *kernel, *trace_cats, *trace_out, *trace_fmt, *until, *input;
    const char *scenario, *record, *replay, *variant;
    const char *sets[SCN_MAX_SETS], *apps[SCN_MAX_APPS];
    unsigned nsets, napps;
    uint64_t max_ns, max_cycles;
    uint64_t *seeds;
    unsigned nseeds;
    bool quiet, stdin_input;
};

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED() do { if (!v) return usage_err("run: %s needs a value", o); i++; } while (0)
        if (!strcmp(o, "--board")) { NEED(); a->board = v; }
        else if (!strcmp(o, "--kernel")) { NEED(); a->kernel = v; }
        else if (!strcmp(o, "--max-time")) {
            NEED();
            if (sim_parse_time_ns(v, &a->max_ns) || !a->max_ns)
                return usage_err("run: --max-time '%s': expected a time such as 10s, 250ms, 5us", v);
        } else if (!strcmp(o, "--max-cycles")) {
            NEED();
            if (sim_parse_u64(v, &a->max_cycles) || !a->max_cycles)
                return usage_err("run: --max-cycles '%s': expected a positive number", v);
        } else if (!strcmp(o, "--until-text")) { NEED(); a->until = v; }
        else if (!strcmp(o, "--input")) { NEED(); a->input = v; }
        else if (!strcmp(o, "--trace")) { NEED(); a->trace_cats = v; }
        else if (!strcmp(o, "--trace-out")) { NEED(); a->trace_out = v; }
        else if (!strcmp(o, "--trace-format")) { NEED(); a->trace_fmt = v; }
        else if (!strcmp(o, "--set")) {
            NEED();
            if (a->nsets == SCN_MAX_SETS)
                return usage_err("run: too many --set options%s", "");
            a->sets[a->nsets++] = v;
        } else if (!strcmp(o, "--scenario")) { NEED(); a->scenario = v; }
        else if (!strcmp(o, "--record")) { NEED(); a->record = v; }
        else if (!strcmp(o, "--replay")) { NEED(); a->replay = v; }
        else if (!strcmp(o, "--variant")) { NEED(); a->variant = v; }
        else if (!strcmp(o, "--seed") || !strcmp(o, "--seeds")) {
            NEED();
            free(a->seeds);
            if (parse_seeds(v, &a->seeds, &a->nseeds))
                return usage_err("run: --seeds '%s': expected N or A..B", v);
        } else if (!strcmp(o, "--stdin")) a->stdin_input = true;
        else if (!strcmp(o, "--quiet")) a->quiet = true;
        else if (o[0] != '-') {
            if (a->napps == SCN_MAX_APPS)
                return usage_err("run: too many apps%s", "");
            a->apps[a->napps++] = o;
        } else {
            return usage_err("run: unknown option '%s' (see tocksim --help)", o);
        }
#undef NEED
    }
    if (a->trace_fmt && strcmp(a->trace_fmt, "text") && strcmp(a->trace_fmt, "jsonl"))
        return usage_err("run: --trace-format '%s': expected text or jsonl", a->trace_fmt);
    if (a->record && a->replay)
        return usage_err("run: give --record or --replay, not both%s", "");
    if (a->replay && (a->scenario || a->napps || a->kernel || a->nsets || a->input || a->seeds))
        return usage_err("run: --replay takes everything from the log; drop the other run "
                         "options%s", "");
    return 0;
}

static void summary(const struct scn_config *cfg, const struct scn_result *r, bool quiet)
{
    char tbuf[32];
    if (r->status && r->msg[0])
        fprintf(stderr, "tocksim: %s\n", r->msg);
    if (!quiet)
        fprintf(stderr, "tocksim: board %s, t=%s, %llu cycles, %llu instructions, trace hash "
                "%016llx, exit %d\n", cfg->board->name, sclock_fmt_ns(r->end_ns, tbuf, sizeof tbuf),
                (unsigned long long)r->end_cycles, (unsigned long long)r->insns,
                (unsigned long long)r->hash, r->status);
}

static int run_replay(struct run_args *a, struct scn_opts *o)
{
    struct scn_config cfg;
    struct scn_result r;
    struct sim_error err = { "" };
    struct scenario *s = NULL;
    char *scn_path = NULL;
    int st;

    if (scn_replay_load(a->replay, &cfg, &scn_path, &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        return SIM_EXIT_USAGE;
    }
    if (scn_path) {
        if (scn_parse_file(scn_path, &s, &err)) {
            fprintf(stderr, "tocksim: --replay: %s\n", err.msg);
            free(scn_path);
            scn_config_free(&cfg);
            return SIM_EXIT_USAGE;
        }
        cfg.s = s;
    }
    if (a->max_ns)
        cfg.max_cycles = sclock_ns_to_cycles(a->max_ns, cfg.board->cpu_hz);
    st = scn_execute(&cfg, o, &r);
    summary(&cfg, &r, a->quiet);
    if (!a->quiet)
        fprintf(stderr, "tocksim: replay of %s: trace hash %016llx, recorded %016llx: %s\n",
                a->replay, (unsigned long long)r.hash, (unsigned long long)cfg.replay_hash,
                r.hash == cfg.replay_hash ? "same" : "DIFFERENT");
    scn_free(s);
    free(scn_path);
    scn_config_free(&cfg);
    return st;
}

int scn_cli_run(int argc, char **argv, volatile const int *interrupt)
{
    struct run_args a = { 0 };
    struct scn_opts o = { 0 };
    struct scenario *s = NULL;
    struct sim_error err = { "" };
    char bdir[PATH_MAX];
    FILE *trace_out = NULL, *rec = NULL;
    int status = 0, rc;
    const char *boards[SCN_MAX_BOARDS];
    unsigned nboards = 0, ncases = 0, nfail = 0;
    uint64_t one_seed = 1;

    if ((rc = parse_run_args(argc, argv, &a)))
        return rc;
    build_dir(bdir, sizeof bdir);
    o.trace_cats = a.trace_cats;
    o.trace_jsonl = a.trace_fmt && !strcmp(a.trace_fmt, "jsonl");
    o.interrupt = interrupt;
    if (a.trace_cats) {
        uint32_t mask;
        if (trace_parse_cats(a.trace_cats, &mask, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            return SIM_EXIT_USAGE;
        }
    }
    if (a.trace_out) {
        trace_out = fopen(a.trace_out, "w");
        if (!trace_out) {
            fprintf(stderr, "tocksim: --trace-out %s: cannot create\n", a.trace_out);
            return SIM_EXIT_USAGE;
        }
        o.trace_out = trace_out;
    }
    if (a.replay) {
        o.echo_console = true;
        status = run_replay(&a, &o);
        goto out;
    }
    if (a.record) {
        rec = fopen(a.record, "w");
        if (!rec) {
            fprintf(stderr, "tocksim: --record %s: cannot create (%s)\n", a.record, strerror(errno));
            status = SIM_EXIT_USAGE;
            goto out;
        }
        o.record = rec;
    }
    if (a.scenario) {
        if (scn_parse_file(a.scenario, &s, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            status = SIM_EXIT_USAGE;
            goto out;
        }
        if (a.napps || a.input) {
            fprintf(stderr, "tocksim: run: --scenario names the apps and inputs; drop the APP.tbf "
                    "and --input arguments\n");
            status = SIM_EXIT_USAGE;
            goto out;
        }
    } else {
        /* a plain run, described as a scenario without expectations */
        static const char empty[] = "{}";
        if (scn_parse_text("(command line)", empty, sizeof empty - 1, &s, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            status = SIM_EXIT_USAGE;
            goto out;
        }
        s->stop_ns = UINT64_MAX;
        s->synthetic = true;
        s->allow_fault = true;
        /* no apps: the board image (kernel + demo apps), or the --kernel alone */
        if (a.napps || a.kernel) {
            s->apps = calloc(a.napps ? a.napps : 1, sizeof *s->apps);
            for (unsigned i = 0; i < a.napps; i++) {
                char *rp = realpath(a.apps[i], NULL);
                s->apps[s->napps++] = rp ? rp : strdup(a.apps[i]);
            }
        }
    }
    if (a.board) {
        const struct board_desc *b = board_find(a.board);
        bool listed = !a.scenario;
        if (!b) {
            fprintf(stderr, "tocksim: run: unknown board '%s'\n", a.board);
            status = SIM_EXIT_USAGE;
            goto out;
        }
        for (unsigned i = 0; i < s->nboards; i++)
            listed |= s->boards[i] == b->name;
        if (!listed) {
            fprintf(stderr, "tocksim: run: %s does not run on %s\n", a.scenario, b->name);
            status = SIM_EXIT_USAGE;
            goto out;
        }
        boards[nboards++] = b->name;
    } else {
        for (unsigned i = 0; i < s->nboards; i++)
            boards[nboards++] = s->boards[i];
    }
    {
        uint64_t *seeds = a.seeds ? a.seeds : s->seeds;
        unsigned nseeds = a.seeds ? a.nseeds : s->nseeds;
        bool sweep;
        if (!nseeds) {
            seeds = &one_seed;
            nseeds = 1;
        }
        sweep = nseeds * nboards > 1;
        if (sweep && rec) {
            fprintf(stderr, "tocksim: run: --record takes one run (one board, one seed)\n");
            status = SIM_EXIT_USAGE;
            goto out;
        }
        o.echo_console = !sweep;
        for (unsigned bi = 0; bi < nboards; bi++) {
            for (unsigned si = 0; si < nseeds; si++) {
                struct scn_config cfg;
                struct scn_result r;
                const struct board_desc *b = board_find(boards[bi]);
                rc = scn_resolve(s, b, seeds[si], bdir, a.variant, a.kernel, &cfg, &err);
                if (rc > 0) {
                    fprintf(stderr, "tocksim: skipped %s [%s]: %s\n", s->name, b->name, err.msg);
                    scn_config_free(&cfg);
                    continue;
                }
                if (rc) {
                    fprintf(stderr, "tocksim: %s\n", err.msg);
                    scn_config_free(&cfg);
                    status = SIM_EXIT_USAGE;
                    goto out;
                }
                for (unsigned k = 0; k < a.nsets && cfg.nsets < SCN_MAX_SETS; k++)
                    cfg.sets[cfg.nsets++] = strdup(a.sets[k]);
                if (a.max_ns)
                    cfg.max_cycles = sclock_ns_to_cycles(a.max_ns, b->cpu_hz);
                if (a.max_cycles && a.max_cycles < cfg.max_cycles)
                    cfg.max_cycles = a.max_cycles;
                if (a.until)
                    cfg.until_text = strdup(a.until);
                if (a.input)
                    cfg.input = strdup(a.input);
                cfg.stdin_input = a.stdin_input;
                rc = scn_execute(&cfg, &o, &r);
                ncases++;
                if (a.scenario) {
                    char cmd[PATH_MAX + 200], tbuf[32];
                    replay_cmd(cmd, sizeof cmd, a.scenario, b->name, seeds[si], a.variant);
                    if (rc) {
                        nfail++;
                        fprintf(stderr, "tocksim: FAIL %s [%s seed=%llu]: %s\n  seed %llu, "
                                "simulated time %s\n  replay: %s\n", s->name, b->name,
                                (unsigned long long)seeds[si], r.msg, (unsigned long long)seeds[si],
                                sclock_fmt_ns(r.end_ns, tbuf, sizeof tbuf), cmd);
                    } else if (!a.quiet || sweep) {
                        fprintf(stderr, "tocksim: PASS %s [%s seed=%llu] t=%s hash %016llx\n",
                                s->name, b->name, (unsigned long long)seeds[si],
                                sclock_fmt_ns(r.end_ns, tbuf, sizeof tbuf),
                                (unsigned long long)r.hash);
                    }
                    if (!sweep && !a.quiet)
                        summary(&cfg, &(struct scn_result){ .status = rc, .end_ns = r.end_ns,
                                .end_cycles = r.end_cycles, .insns = r.insns, .hash = r.hash }, false);
                } else {
                    summary(&cfg, &r, a.quiet);
                }
                if (rc && (!status || status == SIM_EXIT_EXPECT))
                    status = rc;
                scn_config_free(&cfg);
                if (rc == 130 || rc == SIM_EXIT_USAGE)
                    goto out;
            }
        }
        if (sweep)
            fprintf(stderr, "tocksim: %u of %u runs failed\n", nfail, ncases);
    }
out:
    scn_free(s);
    free(a.seeds);
    if (trace_out)
        fclose(trace_out);
    if (rec)
        fclose(rec);
    return status;
}

/* -------------------------------------------------------------- test -- */

struct tcase {
    const struct scenario *s;
    const char *board;
    uint64_t seed;
};

struct tres {                           /* worker -> parent, one write (< PIPE_BUF) */
    uint32_t idx;
    int32_t status;
    uint32_t started;                   /* 1: the worker begins this case */
    uint32_t pad;
    uint64_t end_ns, hash;
    double host_s;
    char msg[1536];
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_scenario_file(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".scn")) || (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int collect(const char *path, char ***files, unsigned *n, unsigned *cap)
{
    struct stat st;
    if (stat(path, &st))
        return usage_err("test: %s: no such file or folder", path);
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        char **sub = NULL;
        unsigned nsub = 0, capsub = 0;
        if (!d)
            return usage_err("test: %s: cannot read the folder", path);
        while ((e = readdir(d))) {
            char *p;
            struct stat st2;
            if (e->d_name[0] == '.')
                continue;
            if (asprintf(&p, "%s/%s", path, e->d_name) < 0)
                continue;
            if (stat(p, &st2) || (!S_ISDIR(st2.st_mode) && !is_scenario_file(e->d_name))) {
                free(p);
                continue;
            }
            if (nsub == capsub) {
                capsub = capsub ? capsub * 2 : 16;
                sub = realloc(sub, capsub * sizeof *sub);
            }
            sub[nsub++] = p;
        }
        closedir(d);
        if (nsub)
            qsort(sub, nsub, sizeof *sub, cmp_str);
        for (unsigned i = 0; i < nsub; i++) {
            int rc = collect(sub[i], files, n, cap);
            free(sub[i]);
            if (rc) {
                for (unsigned k = i + 1; k < nsub; k++)
                    free(sub[k]);
                free(sub);
                return rc;
            }
        }
        free(sub);
        return 0;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        *files = realloc(*files, *cap * sizeof **files);
    }
    (*files)[(*n)++] = strdup(path);
    return 0;
}

static void case_name(const struct tcase *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s [%s seed=%llu]", c->s->name, c->board, (unsigned long long)c->seed);
}

static void yaml_block(FILE *f, const char *key, const char *text)
{
    fprintf(f, "  %s: |\n", key);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(f, "    %.*s\n", n, p);
        p += n + (nl ? 1 : 0);
    }
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc('?', f);
            else
                fputc(*s, f);
        }
    }
}

struct tally {
    unsigned nfail;
    uint64_t lib_hash;                  /* FNV-1a over the case hashes, in case order */
    double host_total, sim_total;
};

/* One TAP line (and a YAML block for a failure). */
static void print_result(const struct tcase *c, const struct tres *t, unsigned num,
                         const char *variant, bool to_stderr, struct tally *st)
{
    char name[400], tbuf[32];
    case_name(c, name, sizeof name);
    /* the library hash covers each case's trace hash and its end time */
    st->lib_hash = (st->lib_hash ^ t->hash) * 0x100000001b3ull;
    st->lib_hash = (st->lib_hash ^ t->end_ns) * 0x100000001b3ull;
    st->host_total += t->host_s;
    st->sim_total += (double)t->end_ns * 1e-9;
    sclock_fmt_ns(t->end_ns, tbuf, sizeof tbuf);
    if (t->status == SCN_SKIP) {
        printf("ok %u - %s # SKIP %s\n", num, name, t->msg);
    } else if (!t->status) {
        printf("ok %u - %s t=%s hash=%016llx (%.3f s host)\n", num, name, tbuf,
               (unsigned long long)t->hash, t->host_s);
    } else {
        char cmd[PATH_MAX + 200];
        st->nfail++;
        replay_cmd(cmd, sizeof cmd, c->s->path, c->board, c->seed, variant);
        printf("not ok %u - %s t=%s hash=%016llx\n  ---\n", num, name, tbuf,
               (unsigned long long)t->hash);
        yaml_block(stdout, "message", t->msg);
        printf("  status: %d\n  seed: %llu\n  simulated_time: %s\n  replay: %s\n  ...\n",
               t->status, (unsigned long long)c->seed, tbuf, cmd);
        if (to_stderr)
            fprintf(stderr, "FAIL %s: %s\n  seed %llu, simulated time %s\n  replay: %s\n", name,
                    t->msg, (unsigned long long)c->seed, tbuf, cmd);
    }
    fflush(stdout);
}

static void run_worker(const struct tcase *cases, unsigned ncases, const unsigned *order,
                       uint32_t *next, int out_fd, const char *bdir, const char *variant,
                       volatile const int *interrupt);

static pid_t start_worker(const struct tcase *cases, unsigned ncases, const unsigned *order,
                          uint32_t *next, const int fds[2], const char *bdir, const char *variant,
                          volatile const int *interrupt)
{
    pid_t pid;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_DFL);
        run_worker(cases, ncases, order, next, fds[1], bdir, variant, interrupt);
        _exit(0);
    }
    if (pid < 0)
        fprintf(stderr, "tocksim: test: fork failed (%s)\n", strerror(errno));
    return pid;
}

static void run_worker(const struct tcase *cases, unsigned ncases, const unsigned *order,
                       uint32_t *next, int out_fd, const char *bdir, const char *variant,
                       volatile const int *interrupt)
{
    struct scn_opts o = { 0 };
    o.interrupt = interrupt;
    o.trace_out = NULL;
    for (;;) {
        uint32_t k = __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
        struct tres tr;
        struct scn_config cfg;
        struct scn_result r;
        struct sim_error err = { "" };
        if (k >= ncases || (interrupt && *interrupt))
            return;
        const struct tcase *c = &cases[order[k]];
        memset(&tr, 0, sizeof tr);
        tr.idx = order[k];
        tr.started = 1;
        tr.pad = (uint32_t)getpid();
        if (write(out_fd, &tr, sizeof tr) != (ssize_t)sizeof tr)
            return;
        int rc = scn_resolve(c->s, board_find(c->board), c->seed, bdir, variant, NULL, &cfg, &err);
        if (rc) {
            r = (struct scn_result){ .status = rc > 0 ? SCN_SKIP : SIM_EXIT_USAGE };
            snprintf(r.msg, sizeof r.msg, "%s", err.msg);
        } else {
            scn_execute(&cfg, &o, &r);
        }
        scn_config_free(&cfg);
        tr.started = 0;
        tr.status = r.status;
        tr.end_ns = r.end_ns;
        tr.hash = r.hash;
        tr.host_s = r.host_s;
        snprintf(tr.msg, sizeof tr.msg, "%s", r.msg);
        if (write(out_fd, &tr, sizeof tr) != (ssize_t)sizeof tr)
            return;
    }
}

int scn_cli_test(int argc, char **argv, volatile const int *interrupt)
{
    char **paths = NULL, **files = NULL, bdir[PATH_MAX];
    unsigned npaths = 0, nfiles = 0, capfiles = 0, jobs = 1, shard_k = 1, shard_n = 1;
    const char *junit = NULL, *board_filter = NULL, *variant = NULL;
    uint64_t *seeds = NULL;
    unsigned nseeds = 0;
    bool expect_caught = false, verbose = false;
    struct scenario **scns = NULL;
    struct tcase *cases = NULL;
    unsigned ncases = 0, *order = NULL, norder = 0;
    struct tres *results = NULL;
    bool *have = NULL;
    int status = SIM_EXIT_USAGE;
    struct sim_error err = { "" };

    paths = calloc((size_t)argc, sizeof *paths);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED() do { if (!v) { usage_err("test: %s needs a value", o); goto out; } i++; } while (0)
        if (!strcmp(o, "--jobs") || !strcmp(o, "-j")) {
            uint64_t n;
            NEED();
            if (sim_parse_u64(v, &n) || !n || n > 256) {
                usage_err("test: --jobs '%s': expected 1..256", v);
                goto out;
            }
            jobs = (unsigned)n;
        } else if (!strcmp(o, "--shard")) {
            unsigned k, n;
            char c;
            NEED();
            if (sscanf(v, "%u/%u%c", &k, &n, &c) != 2 || !n || !k || k > n) {
                usage_err("test: --shard '%s': expected K/N with 1 <= K <= N", v);
                goto out;
            }
            shard_k = k;
            shard_n = n;
        } else if (!strcmp(o, "--junit")) {
            NEED();
            junit = v;
        } else if (!strcmp(o, "--seed") || !strcmp(o, "--seeds")) {
            NEED();
            free(seeds);
            if (parse_seeds(v, &seeds, &nseeds)) {
                usage_err("test: --seeds '%s': expected N or A..B", v);
                goto out;
            }
        } else if (!strcmp(o, "--board")) {
            NEED();
            if (!board_find(v)) {
                usage_err("test: unknown board '%s'", v);
                goto out;
            }
            board_filter = board_find(v)->name;
        } else if (!strcmp(o, "--variant")) {
            NEED();
            variant = v;
        } else if (!strcmp(o, "--expect-caught")) {
            expect_caught = true;
        } else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
            verbose = true;
        } else if (o[0] == '-') {
            usage_err("test: unknown option '%s' (see tocksim --help)", o);
            goto out;
        } else {
            paths[npaths++] = argv[i];
        }
#undef NEED
    }
    if (expect_caught && !variant) {
        usage_err("test: --expect-caught needs --variant NAME%s", "");
        goto out;
    }
    if (!npaths)
        paths[npaths++] = "tests/scenario";
    for (unsigned i = 0; i < npaths; i++)
        if (collect(paths[i], &files, &nfiles, &capfiles))
            goto out;
    if (!nfiles) {
        usage_err("test: no scenario files (*.scn, *.yaml) under the paths given%s", "");
        goto out;
    }
    scns = calloc(nfiles, sizeof *scns);
    for (unsigned i = 0; i < nfiles; i++)
        if (scn_parse_file(files[i], &scns[i], &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            goto out;
        }
    /* With --expect-caught, the scenarios that say they catch the variant
     * (catches:) are the ones that run, if any does. */
    {
        bool any_declared = false;
        for (unsigned i = 0; i < nfiles && expect_caught; i++)
            for (unsigned k = 0; k < scns[i]->ncatches; k++)
                any_declared |= !strcmp(scns[i]->catches[k], variant);
        for (unsigned pass = 0; pass < 2; pass++) {
            ncases = 0;
            for (unsigned i = 0; i < nfiles; i++) {
                const struct scenario *s = scns[i];
                bool declared = false;
                for (unsigned k = 0; k < s->ncatches && variant; k++)
                    declared |= !strcmp(s->catches[k], variant);
                if (any_declared && !declared)
                    continue;
                for (unsigned b = 0; b < s->nboards; b++) {
                    if (board_filter && strcmp(board_filter, s->boards[b]))
                        continue;
                    unsigned ns = seeds ? nseeds : s->nseeds;
                    for (unsigned k = 0; k < ns; k++) {
                        if (pass) {
                            cases[ncases].s = s;
                            cases[ncases].board = s->boards[b];
                            cases[ncases].seed = seeds ? seeds[k] : s->seeds[k];
                        }
                        ncases++;
                    }
                }
            }
            if (!pass)
                cases = calloc(ncases ? ncases : 1, sizeof *cases);
        }
    }
    order = calloc(ncases ? ncases : 1, sizeof *order);
    for (unsigned i = 0; i < ncases; i++)
        if (i % shard_n == shard_k - 1)
            order[norder++] = i;
    results = calloc(ncases ? ncases : 1, sizeof *results);
    have = calloc(ncases ? ncases : 1, sizeof *have);
    build_dir(bdir, sizeof bdir);

    printf("TAP version 13\n1..%u\n", norder);
    fflush(stdout);
    {
        int fds[2];
        uint32_t *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        pid_t *pids = calloc(jobs, sizeof *pids);
        unsigned printed = 0, nworkers = 0;
        struct tally st = { 0, 0xcbf29ce484222325ull, 0, 0 };
        if (next == MAP_FAILED || pipe(fds)) {
            fprintf(stderr, "tocksim: test: cannot start workers (%s)\n", strerror(errno));
            goto out;
        }
        *next = 0;
        if (jobs > norder)
            jobs = norder ? norder : 1;
        for (unsigned w = 0; w < jobs; w++) {
            pids[w] = start_worker(cases, norder, order, next, fds, bdir, variant, interrupt);
            if (pids[w] > 0)
                nworkers++;
        }
        /* Results arrive in any order; TAP lines go out in case order. A
         * worker that dies (a simulator crash) fails the case it was
         * running, and a new worker takes the remaining cases. */
        while (nworkers) {
            struct pollfd pfd = { fds[0], POLLIN, 0 };
            int ws;
            pid_t dead;
            if (poll(&pfd, 1, 200) > 0 && (pfd.revents & POLLIN)) {
                struct tres tr;
                ssize_t n = read(fds[0], &tr, sizeof tr);
                if (n == (ssize_t)sizeof tr && tr.idx < ncases) {
                    if (tr.started) {
                        results[tr.idx].started = 1;
                        results[tr.idx].pad = tr.pad;       /* the worker's pid */
                    } else {
                        results[tr.idx] = tr;
                        have[tr.idx] = true;
                    }
                }
                while (printed < norder && have[order[printed]]) {
                    unsigned idx = order[printed++];
                    print_result(&cases[idx], &results[idx], printed, variant,
                                 verbose || !expect_caught, &st);
                }
                continue;
            }
            while ((dead = waitpid(-1, &ws, WNOHANG)) > 0) {
                unsigned w;
                for (w = 0; w < jobs && pids[w] != dead; w++)
                    ;
                if (w == jobs)
                    continue;
                pids[w] = 0;
                nworkers--;
                if (WIFEXITED(ws) && !WEXITSTATUS(ws))
                    continue;
                fprintf(stderr, "tocksim: test: a worker ended abnormally (%s %d)\n",
                        WIFSIGNALED(ws) ? "signal" : "status",
                        WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
                for (unsigned k = 0; k < ncases; k++)
                    if (results[k].started && !have[k] && (pid_t)results[k].pad == dead) {
                        results[k].status = SIM_EXIT_GUEST;
                        snprintf(results[k].msg, sizeof results[k].msg,
                                 "the simulator crashed running this case (%s %d)",
                                 WIFSIGNALED(ws) ? "signal" : "status",
                                 WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
                        have[k] = true;
                    }
                if (*next < norder && !(interrupt && *interrupt)) {
                    pids[w] = start_worker(cases, norder, order, next, fds, bdir, variant,
                                           interrupt);
                    if (pids[w] > 0)
                        nworkers++;
                }
            }
        }
        {
            /* drain what the last workers wrote */
            struct tres tr;
            int fl = fcntl(fds[0], F_GETFL);
            fcntl(fds[0], F_SETFL, fl | O_NONBLOCK);
            while (read(fds[0], &tr, sizeof tr) == (ssize_t)sizeof tr)
                if (tr.idx < ncases && !tr.started) {
                    results[tr.idx] = tr;
                    have[tr.idx] = true;
                }
        }
        close(fds[0]);
        close(fds[1]);
        /* cases a crashed worker never finished */
        while (printed < norder) {
            unsigned idx = order[printed++];
            if (!have[idx]) {
                results[idx].status = SIM_EXIT_GUEST;
                snprintf(results[idx].msg, sizeof results[idx].msg, "%s", results[idx].started ?
                         "the worker running this case died (simulator crash)" : "not run");
                have[idx] = true;
            }
            print_result(&cases[idx], &results[idx], printed, variant, verbose || !expect_caught,
                         &st);
        }
        printf("# %u of %u failed; library hash %016llx; %.1f simulated s in %.2f host s "
               "(%.1f scenario-seconds per host second)\n", st.nfail, norder,
               (unsigned long long)st.lib_hash, st.sim_total, st.host_total,
               st.host_total > 0 ? st.sim_total / st.host_total : 0.0);
        fflush(stdout);
        if (junit) {
            FILE *f = fopen(junit, "w");
            if (!f) {
                fprintf(stderr, "tocksim: --junit %s: cannot create (%s)\n", junit, strerror(errno));
                status = SIM_EXIT_USAGE;
                goto out;
            }
            fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                    "  <testsuite name=\"tocksim-scenarios\" tests=\"%u\" failures=\"%u\" "
                    "time=\"%.3f\">\n", norder, st.nfail, st.host_total);
            for (unsigned k = 0; k < norder; k++) {
                unsigned idx = order[k];
                const struct tcase *c = &cases[idx];
                char name[400];
                case_name(c, name, sizeof name);
                fputs("    <testcase classname=\"", f);
                xml_text(f, c->s->dir);
                fputs("\" name=\"", f);
                xml_text(f, name);
                fprintf(f, "\" time=\"%.3f\"", results[idx].host_s);
                if (!results[idx].status) {
                    fputs("/>\n", f);
                } else {
                    char cmd[PATH_MAX + 200];
                    replay_cmd(cmd, sizeof cmd, c->s->path, c->board, c->seed, variant);
                    fputs(">\n      <failure message=\"", f);
                    xml_text(f, results[idx].msg);
                    fputs("\">", f);
                    xml_text(f, results[idx].msg);
                    fprintf(f, "\nseed %llu\nreplay: ", (unsigned long long)c->seed);
                    xml_text(f, cmd);
                    fputs("</failure>\n    </testcase>\n", f);
                }
            }
            fputs("  </testsuite>\n</testsuites>\n", f);
            fclose(f);
        }
        if (expect_caught) {
            unsigned caught = 0, setup_err = 0;
            printf("# variant %s:", variant);
            for (unsigned k = 0; k < norder; k++) {
                const struct tres *t = &results[order[k]];
                char name[400];
                if (t->status == SIM_EXIT_USAGE) {
                    setup_err++;
                    continue;
                }
                if (!t->status || t->status == SCN_SKIP)
                    continue;
                case_name(&cases[order[k]], name, sizeof name);
                printf("%s %s", caught ? "," : " caught by", name);
                caught++;
            }
            printf("%s\n", caught ? "" : " NOT CAUGHT");
            fflush(stdout);
            fprintf(stderr, "tocksim: variant %s %s by %u of %u case(s)%s\n", variant,
                    caught ? "caught" : "NOT caught", caught, norder,
                    setup_err ? " (some cases could not start: see the messages)" : "");
            status = setup_err ? SIM_EXIT_USAGE : caught ? 0 : SIM_EXIT_EXPECT;
        } else {
            bool bad_input = false;
            for (unsigned k = 0; k < norder; k++)
                bad_input |= results[order[k]].status == SIM_EXIT_USAGE;
            status = bad_input ? SIM_EXIT_USAGE : st.nfail ? SIM_EXIT_EXPECT : 0;
        }
        free(pids);
        munmap(next, sizeof *next);
    }
out:
    for (unsigned i = 0; i < nfiles; i++) {
        if (scns)
            scn_free(scns[i]);
        free(files[i]);
    }
    free(scns);
    free(files);
    free(paths);
    free(seeds);
    free(cases);
    free(order);
    free(results);
    free(have);
    return status;
}
