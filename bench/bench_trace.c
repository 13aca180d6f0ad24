/* bench_trace: what tracing costs. Prints figures; asserts nothing about
 * time.
 *
 *   bench_trace compute BOARD ELF    guest MIPS of a bare-metal compute loop
 *                                    with tracing unused (one line: the
 *                                    figure of this build: with or without
 *                                    the hooks, see trace_bench.py)
 *   bench_trace cats BOARD IMAGE T   host seconds to run the kernel + apps
 *                                    image for T simulated seconds with no
 *                                    category on, then each category alone
 *                                    (records formatted into /dev/null),
 *                                    then the VCD + Perfetto writers
 *                                    (the median of 3 runs each) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/machine.h"
#include "sim/perfetto.h"
#include "sim/sclock.h"
#include "sim/vcd.h"
#include "boards/board.h"
#include "cpu/cpu.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One run; cats: a --trace list or NULL; timeline: also VCD + Perfetto. */
static int run(const struct board_desc *b, const char *elf, cycles_t limit, const char *cats,
               bool timeline, double *secs, uint64_t *insns, uint64_t *records)
{
    struct sim_error err;
    struct machine *m;
    struct vcd *v = NULL;
    struct perfetto *p = NULL;
    FILE *devnull = fopen("/dev/null", "w");
    uint32_t mask;
    double t0;

    if (!devnull || machine_create(&m, b, &err) || machine_load_elf(m, elf, &err) ||
        machine_reset(m, &err)) {
        fprintf(stderr, "bench_trace: %s\n", devnull ? err.msg : "/dev/null");
        return -1;
    }
    m->console_out = NULL;
    m->tr.out = devnull;
    osview_scan(&m->os, NULL, 0);
    if (cats) {
        if (trace_parse_cats(cats, &mask, &err)) {
            fprintf(stderr, "bench_trace: %s\n", err.msg);
            return -1;
        }
        m->tr.mask = mask | TRACE_DEFAULT_MASK;
        if (mask & ((1u << TR_SYSCALL) | (1u << TR_UPCALL) | (1u << TR_SCHED)))
            osview_observe(&m->os);
    }
    if (timeline && (vcd_open(&v, m, "/dev/null", &err) ||
                     perfetto_open(&p, m, "/dev/null", &err))) {
        fprintf(stderr, "bench_trace: %s\n", err.msg);
        return -1;
    }
    t0 = now_s();
    machine_run(m, limit, NULL);
    *secs = now_s() - t0;
    vcd_close(v);
    perfetto_close(p);
    *insns = m->cpu->insns;
    *records = m->tr.records;
    machine_destroy(m);
    fclose(devnull);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const struct board_desc *b = argc >= 4 ? board_find(argv[2]) : NULL;
    uint64_t insns, records;
    double secs;

    if (!b || (strcmp(argv[1], "compute") && strcmp(argv[1], "cats")) ||
        (!strcmp(argv[1], "cats") && argc != 5)) {
        fprintf(stderr, "usage: bench_trace compute BOARD ELF | cats BOARD IMAGE SECONDS\n");
        return 2;
    }
    if (!strcmp(argv[1], "compute")) {
        double t[5];
        for (int i = 0; i < 5; i++)
            if (run(b, argv[3], CYCLES_NEVER, NULL, false, &t[i], &insns, &records))
                return 1;
        qsort(t, 5, sizeof t[0], cmp_double);
        printf("%s %s: %.1f MIPS (median of 5, %llu instructions; trace hooks %s)\n", b->name,
               argv[3], (double)insns / t[2] / 1e6, (unsigned long long)insns,
               SIM_TRACE_HOOKS ? "compiled in, tracing unused" : "compiled out");
        return 0;
    }
    {
        static const char *const cats[] = {
            NULL, "exc", "irq", "syscall", "upcall", "sched", "alarm", "mpu", "mmio", "gpio",
            "uart", "cpu", "syscall,upcall,sched", "all",
        };
        cycles_t limit = sclock_ns_to_cycles((uint64_t)(atof(argv[4]) * 1e9), b->cpu_hz);
        double base = 0;
        printf("%s, %s simulated seconds of %s (median of 3 runs each):\n", b->name, argv[4],
               argv[3]);
        if (run(b, argv[3], limit, NULL, false, &secs, &insns, &records))   /* warm-up */
            return 1;
        for (unsigned i = 0; i <= ARRAY_LEN(cats); i++) {
            const char *c = i < ARRAY_LEN(cats) ? cats[i] : NULL;
            bool tl = i == ARRAY_LEN(cats);
            double t[3];
            for (int k = 0; k < 3; k++)     /* the median of 3 */
                if (run(b, argv[3], limit, c, tl, &t[k], &insns, &records))
                    return 1;
            qsort(t, 3, sizeof t[0], cmp_double);
            secs = t[1];
            if (i == 0)
                base = secs;
            printf("  %-22s %8.3f s host  %+7.1f%%  %9llu records\n",
                   tl ? "--vcd + --perfetto" : c ? c : "(none)", secs,
                   base > 0 ? (secs / base - 1) * 100 : 0.0, (unsigned long long)records);
        }
    }
    return 0;
}
