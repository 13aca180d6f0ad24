/* tocksim: the command line (DESIGN.md §8). Only this file exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>

#include "common.h"
#include "machine.h"
#include "sclock.h"
#include "loader/pack.h"
#include "loader/tbf.h"
#include "scenario/cli.h"
#include "faultreport.h"
#include "perfetto.h"
#include "vcd.h"
#include "gdb/gdb_server.h"
#include "../boards/board.h"
#include "../cpu/cpu.h"

/* The one piece of process-wide state: set by SIGINT, read by the run loop. */
static volatile int g_interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

static void usage(FILE *f)
{
    fputs("usage: tocksim <command> [options]\n"
          "  run    [--board B] [--kernel ELF] [APP.tbf ...] [--max-time T | --max-cycles N]\n"
          "         [--until-text TEXT] [--input TEXT]\n"
          "         [--trace CATS] [--trace-out F] [--trace-format text|jsonl|vcd|perfetto]\n"
          "         [--vcd F] [--perfetto F] [--set M.P=V]...\n"
          "         [--quiet] [--snapshot-at T] [--snapshot-out F] [--restore F]\n"
          "         [--scenario F] [--seed N | --seeds A..B] [--variant NAME]\n"
          "         [--record F | --replay F] [--stdin] [--gdb [HOST:]PORT [--gdb-any]]\n"
          "  test   [SCENARIO|DIR ...] [--jobs N] [--shard K/N] [--junit F] [--seeds A..B]\n"
          "         [--board B] [--variant NAME [--expect-caught]]   TAP on stdout\n"
          "  info   FILE        decode an ELF, a TBF or a snapshot\n"
          "  pack   APP.elf -o APP.tbf [--name N] [--stack N] [--heap N]\n"
          "  boards             list boards and their peripherals\n"
          "Exit status: 0 ok, 1 expectation failed, 2 bad usage or input, 3 guest panic/lockup.\n",
          f);
}

static int fail_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "tocksim: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return SIM_EXIT_USAGE;
}

/* Default images, next to this executable in the build tree:
 * apps/<board>-image.elf (kernel + demo apps) or os/kernel-<board>.elf. */
static int default_image(const char *board, bool kernel_only, char *out, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    const char *env = getenv("TOCKSIM_IMAGE_DIR");

    if (env) {
        snprintf(out, len, kernel_only ? "%s/kernel-%s.elf" : "%s/%s-image.elf", env, board);
        return 0;
    }
    if (n <= 0)
        return -1;
    exe[n] = 0;
    slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    if ((size_t)snprintf(out, len, kernel_only ? "%.3000s/os/kernel-%s.elf"
                                               : "%.3000s/apps/%s-image.elf", exe, board) >= len)
        return -1;
    return 0;
}

static int cmd_boards(void)
{
    for (unsigned i = 0; i < board_count; i++) {
        const struct board_desc *b = board_list[i];
        printf("%-16s %s, %llu Hz%s\n  %s\n", b->name,
               b->arch == ARCH_ARMV7M ? "Cortex-M4" : "RV32IMAC", (unsigned long long)b->cpu_hz,
               i == 0 ? " (default)" : "", b->summary ? b->summary : "");
        for (unsigned k = 0; k < b->nmems; k++)
            printf("    %-10s 0x%08x  %6u KiB %s\n", b->mems[k].name, b->mems[k].base,
                   b->mems[k].size / 1024, b->mems[k].kind == MEM_ROM ? "rom" : "ram");
        for (unsigned k = 0; k < b->nperiphs; k++)
            printf("    %-10s 0x%08x  %s\n", b->periphs[k].name, b->periphs[k].base,
                   b->periphs[k].model->kind);
    }
    return 0;
}

static int cmd_info(int argc, char **argv)
{
    struct sim_error err = { "" };
    FILE *f;
    uint8_t *data;
    long n;

    if (argc != 2)
        return fail_usage("info: expected one FILE%s", "");
    f = fopen(argv[1], "rb");
    if (!f)
        return fail_usage("info: cannot open %s", argv[1]);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc(n > 0 ? (size_t)n : 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(data);
        return fail_usage("info: cannot read %s", argv[1]);
    }
    fclose(f);
    if (n >= 8 && memcmp(data, SNAP_MAGIC, 8) == 0) {
        int rc = machine_snapshot_describe(argv[1], data, (size_t)n, stdout, &err);
        if (rc)
            fprintf(stderr, "tocksim: %s\n", err.msg);
        free(data);
        return rc ? SIM_EXIT_USAGE : 0;
    }
    if (n >= 4 && memcmp(data, "\177ELF", 4) == 0) {
        free(data);
        if (elf_describe(argv[1], stdout, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            return SIM_EXIT_USAGE;
        }
        return 0;
    }
    if (tbf_describe(argv[1], data, (size_t)n, stdout, &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        free(data);
        return SIM_EXIT_USAGE;
    }
    free(data);
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    const char *board_name = NULL, *kernel = NULL, *trace_cats = NULL, *trace_out = NULL;
    const char *trace_fmt = "text", *until = NULL, *input = NULL;
    const char *vcd_path = NULL, *perfetto_path = NULL;     /* timelines */
    struct vcd *vcd = NULL;
    struct perfetto *pf = NULL;
    const char *sets[64], *apps[32];
    unsigned nsets = 0, napps = 0;
    uint64_t max_ns = 0, max_cycles = 0;
    bool quiet = false;
    const char *snap_out = NULL, *restore_from = NULL;    /* snapshots */
    uint64_t snap_ns = 0;
    bool snap_at = false;
    struct snap_header snap_hdr;
    uint32_t trace_mask;
    struct sim_error err = { "" };
    struct machine *m;
    const struct board_desc *b;
    char image[PATH_MAX];
    FILE *tf = NULL;
    cycles_t limit = CYCLES_NEVER;
    enum machine_end end;
    int status;
    const char *gdb_spec = NULL;        /* --gdb */
    bool gdb_any = false;
    int gdb_fd = -1;
    struct faultreport fr;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_ARG() do { if (!v) return fail_usage("run: %s needs a value", a); i++; } while (0)
        if (!strcmp(a, "--board")) { NEED_ARG(); board_name = v; }
        else if (!strcmp(a, "--kernel")) { NEED_ARG(); kernel = v; }
        else if (!strcmp(a, "--max-time")) {
            NEED_ARG();
            if (sim_parse_time_ns(v, &max_ns) || !max_ns)
                return fail_usage("run: --max-time '%s': expected a time such as 10s, 250ms, 5us", v);
        } else if (!strcmp(a, "--max-cycles")) {
            NEED_ARG();
            if (sim_parse_u64(v, &max_cycles) || !max_cycles)
                return fail_usage("run: --max-cycles '%s': expected a positive number", v);
        } else if (!strcmp(a, "--until-text")) { NEED_ARG(); until = v; }
        else if (!strcmp(a, "--input")) { NEED_ARG(); input = v; }
        else if (!strcmp(a, "--trace")) { NEED_ARG(); trace_cats = v; }
        else if (!strcmp(a, "--trace-out")) { NEED_ARG(); trace_out = v; }
        else if (!strcmp(a, "--trace-format")) { NEED_ARG(); trace_fmt = v; }
        else if (!strcmp(a, "--vcd")) { NEED_ARG(); vcd_path = v; }
        else if (!strcmp(a, "--perfetto")) { NEED_ARG(); perfetto_path = v; }
        else if (!strcmp(a, "--set")) {
            NEED_ARG();
            if (nsets == ARRAY_LEN(sets))
                return fail_usage("run: too many --set options%s", "");
            sets[nsets++] = v;
        } else if (!strcmp(a, "--snapshot-at")) {
            NEED_ARG();
            if (sim_parse_time_ns(v, &snap_ns))
                return fail_usage("run: --snapshot-at '%s': expected a time such as 1.5s, 250ms", v);
            snap_at = true;
        } else if (!strcmp(a, "--snapshot-out")) { NEED_ARG(); snap_out = v; }
        else if (!strcmp(a, "--restore")) { NEED_ARG(); restore_from = v; }
        else if (!strcmp(a, "--quiet")) quiet = true;
        else if (!strcmp(a, "--gdb")) { NEED_ARG(); gdb_spec = v; }
        else if (!strcmp(a, "--gdb-any")) gdb_any = true;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        else if (a[0] != '-') {
            if (napps == ARRAY_LEN(apps))
                return fail_usage("run: too many apps%s", "");
            apps[napps++] = a;
        } else return fail_usage("run: unknown option '%s' (see tocksim --help)", a);
#undef NEED_ARG
    }
    if (snap_at && !snap_out)
        return fail_usage("run: --snapshot-at needs --snapshot-out FILE%s", "");
    if (gdb_any && !gdb_spec)
        return fail_usage("run: --gdb-any needs --gdb [HOST:]PORT%s", "");
    if (gdb_spec && snap_out)
        return fail_usage("run: --gdb and --snapshot-out do not go together (use `monitor "
                          "snapshot save FILE` in GDB)%s", "");
    if (restore_from && !board_name) {
        /* the snapshot names its board */
        if (machine_snapshot_header(restore_from, &snap_hdr, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            return SIM_EXIT_USAGE;
        }
        board_name = snap_hdr.board;
    }
    b = board_name ? board_find(board_name) : board_list[0];
    if (!b) {
        char names[256] = "";
        for (unsigned i = 0; i < board_count; i++) {
            strcat(names, i ? ", " : "");
            strcat(names, board_list[i]->name);
        }
        fprintf(stderr, "tocksim: run: unknown board '%s' (expected one of: %s)\n", board_name,
                names);
        return SIM_EXIT_USAGE;
    }
    if (!strcmp(trace_fmt, "vcd") || !strcmp(trace_fmt, "perfetto")) {
        /* the timeline formats write --trace-out; the text trace goes nowhere */
        if (!trace_out)
            return fail_usage("run: --trace-format %s needs --trace-out FILE", trace_fmt);
        if (trace_fmt[0] == 'v' ? vcd_path != NULL : perfetto_path != NULL)
            return fail_usage("run: --trace-format %s and --vcd/--perfetto name two files", trace_fmt);
        *(trace_fmt[0] == 'v' ? &vcd_path : &perfetto_path) = trace_out;
        trace_out = NULL;
    } else if (strcmp(trace_fmt, "text") && strcmp(trace_fmt, "jsonl")) {
        return fail_usage("run: --trace-format '%s': expected text, jsonl, vcd or perfetto",
                          trace_fmt);
    }
    if (!kernel) {
        if (default_image(b->name, napps > 0, image, sizeof image))
            return fail_usage("run: cannot locate the default image; give --kernel%s", "");
        kernel = image;
    }
    if (machine_create(&m, b, &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        return SIM_EXIT_USAGE;
    }
    if (trace_cats) {
        uint32_t mask;
        if (trace_parse_cats(trace_cats, &mask, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            machine_destroy(m);
            return SIM_EXIT_USAGE;
        }
        m->tr.mask = mask | TRACE_DEFAULT_MASK;
    }
    trace_mask = m->tr.mask;
    m->tr.fmt = strcmp(trace_fmt, "jsonl") ? TRACE_TEXT : TRACE_JSONL;
    if (trace_out) {
        tf = fopen(trace_out, "w");
        if (!tf) {
            fprintf(stderr, "tocksim: --trace-out %s: cannot create\n", trace_out);
            machine_destroy(m);
            return SIM_EXIT_USAGE;
        }
        m->tr.out = tf;
    }
    for (unsigned i = 0; i < nsets; i++)
        if (machine_set(m, sets[i], &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            machine_destroy(m);
            return SIM_EXIT_USAGE;
        }
    if (restore_from)
        m->tr.mask = 0;     /* the reset before a restore is not part of the run */
    if (machine_load_elf(m, kernel, &err) || (napps && machine_load_apps(m, apps, napps, &err)) ||
        machine_reset(m, &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        machine_destroy(m);
        if (tf)
            fclose(tf);
        return SIM_EXIT_USAGE;
    }
    m->until_text = until;
    osview_scan(&m->os, apps, napps);
    if (restore_from)
        m->tr.mask = trace_mask;
    if (restore_from && machine_restore_file(m, restore_from, &err)) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        machine_destroy(m);
        if (tf)
            fclose(tf);
        return SIM_EXIT_USAGE;
    }
    /* The Tock view follows the run from its start, so that categories
     * switched on later (GDB's `monitor trace syscall`) know which process
     * runs; it only reads guest state. */
    if (osview_observe(&m->os)) {
        fprintf(stderr, "tocksim: cannot observe the core's exceptions\n");
        machine_destroy(m);
        return SIM_EXIT_USAGE;
    }
    if ((vcd_path && vcd_open(&vcd, m, vcd_path, &err)) ||
        (perfetto_path && perfetto_open(&pf, m, perfetto_path, &err))) {
        fprintf(stderr, "tocksim: %s\n", err.msg);
        vcd_close(vcd);
        machine_destroy(m);
        if (tf)
            fclose(tf);
        return SIM_EXIT_USAGE;
    }
    if (input && machine_console_input(m, (const uint8_t *)input, strlen(input))) {
        fprintf(stderr, "tocksim: --input: board %s has no console UART that takes input\n", b->name);
        machine_destroy(m);
        return SIM_EXIT_USAGE;
    }
    if (max_ns)
        limit = sclock_ns_to_cycles(max_ns, b->cpu_hz);
    if (max_cycles && max_cycles < limit)
        limit = max_cycles;
    if (gdb_spec) {
        char where[128];
        if (gdb_listen(gdb_spec, gdb_any, &gdb_fd, where, sizeof where, &err)) {
            fprintf(stderr, "tocksim: %s\n", err.msg);
            machine_destroy(m);
            if (tf)
                fclose(tf);
            return SIM_EXIT_USAGE;
        }
        fprintf(stderr, "tocksim: waiting for GDB on %s (gdb: target remote %s)\n", where, where);
    }
    if (faultreport_attach(&fr, m, gdb_spec != NULL)) {
        fprintf(stderr, "tocksim: out of memory\n");
        machine_destroy(m);
        if (tf)
            fclose(tf);
        return SIM_EXIT_USAGE;
    }
    signal(SIGINT, on_sigint);
    if (gdb_spec) {
        int gstatus;
        switch (gdb_serve(m, gdb_fd, limit, &g_interrupted, &fr, &gstatus)) {
        case GDB_END_DETACHED:
            fprintf(stderr, "tocksim: GDB detached; running on\n");
            fr.for_debugger = false;
            end = machine_run(m, limit, &g_interrupted);
            break;
        case GDB_END_EXITED:
            end = MACHINE_END_EXIT;
            m->exit_status = gstatus;
            break;
        case GDB_END_INTERRUPTED:
            end = MACHINE_END_INTERRUPT;
            break;
        default:
            end = MACHINE_END_EXIT;
            m->exit_status = 0;
            snprintf(m->exit_why, sizeof m->exit_why, "killed by GDB (or the connection closed)");
            break;
        }
    } else if (snap_out) {
        /* run to --snapshot-at (or to the end), snapshot, go on */
        cycles_t at = snap_at ? sclock_ns_to_cycles(snap_ns, b->cpu_hz) : limit;
        end = machine_run(m, at < limit ? at : limit, &g_interrupted);
        if (end == MACHINE_END_LIMIT || !snap_at) {
            if (machine_snapshot_file(m, snap_out, &err)) {
                fprintf(stderr, "tocksim: %s\n", err.msg);
                machine_destroy(m);
                if (tf)
                    fclose(tf);
                return SIM_EXIT_USAGE;
            }
            if (!quiet)
                fprintf(stderr, "tocksim: snapshot %s at cycle %llu\n", snap_out,
                        (unsigned long long)m->q.now);
        } else {
            fprintf(stderr, "tocksim: the run ended before --snapshot-at: no snapshot written\n");
        }
        if (end == MACHINE_END_LIMIT && m->q.now < limit)
            end = machine_run(m, limit, &g_interrupted);
    } else {
        end = machine_run(m, limit, &g_interrupted);
    }
    machine_flush(m);
    vcd_close(vcd);
    perfetto_close(pf);
    if (end == MACHINE_END_FATAL && !fr.reported)
        faultreport_print(&fr, m->exit_why);

    switch (end) {
    case MACHINE_END_EXIT: status = m->exit_status; break;
    case MACHINE_END_UNTIL: status = 0; break;
    case MACHINE_END_LIMIT: status = until ? SIM_EXIT_EXPECT : 0; break;
    case MACHINE_END_INTERRUPT: status = 130; break;
    default: status = SIM_EXIT_GUEST; break;
    }
    {
        char tbuf[32], sym[96];
        uint64_t ns = sclock_cycles_to_ns(m->q.now, b->cpu_hz);
        if (end == MACHINE_END_FATAL || end == MACHINE_END_IDLE)
            fprintf(stderr, "tocksim: %s (pc=0x%08x <%s>, cycle %llu, t=%s)\n", m->exit_why,
                    cpu_pc(m->cpu), machine_symbolize(m, cpu_pc(m->cpu), sym, sizeof sym),
                    (unsigned long long)m->q.now, sclock_fmt_ns(ns, tbuf, sizeof tbuf));
        else if (end == MACHINE_END_LIMIT && until)
            fprintf(stderr, "tocksim: text \"%s\" not seen by t=%s\n", until,
                    sclock_fmt_ns(ns, tbuf, sizeof tbuf));
        else if (end == MACHINE_END_EXIT && !quiet && m->exit_why[0])
            fprintf(stderr, "tocksim: %s\n", m->exit_why);
        if (!quiet)
            fprintf(stderr, "tocksim: board %s, t=%s, %llu cycles, %llu instructions, "
                    "trace hash %016llx, exit %d\n", b->name, sclock_fmt_ns(ns, tbuf, sizeof tbuf),
                    (unsigned long long)m->q.now, (unsigned long long)m->cpu->insns,
                    (unsigned long long)m->tr.hash, status);
    }
    faultreport_detach(&fr);
    machine_destroy(m);
    if (tf)
        fclose(tf);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        /* `tocksim` alone: boot the default board's image */
        char *args[] = { "run", NULL };
        return cmd_run(1, args);
    }
    if (!strcmp(argv[1], "run") && scn_cli_wants(argc - 1, argv + 1)) {
        signal(SIGINT, on_sigint);
        return scn_cli_run(argc - 1, argv + 1, &g_interrupted);
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "test")) {
        signal(SIGINT, on_sigint);
        return scn_cli_test(argc - 1, argv + 1, &g_interrupted);
    }
    if (!strcmp(argv[1], "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(argv[1], "pack"))
        return pack_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "boards"))
        return cmd_boards();
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "tocksim: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return SIM_EXIT_USAGE;
}
