/* Snapshot costs on a board's demo image, after 1 s of simulated time:
 * size, machine_snapshot into a reused buffer, machine_restore into the
 * same machine (nothing changed; then after running 20 ms on: the
 * reverse-debugging case) and into a fresh machine, and the file round
 * trip. Medians of repeated runs, host wall time; prints, never asserts.
 * usage: bench_snapshot BOARD ELF */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boards/board.h"
#include "cpu/cpu.h"
#include "sim/machine.h"
#include "sim/sclock.h"

#define REPS 31

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static struct machine *boot(const struct board_desc *b, const char *elf)
{
    struct sim_error err;
    struct machine *m;
    if (machine_create(&m, b, &err) || machine_load_elf(m, elf, &err) || machine_reset(m, &err)) {
        fprintf(stderr, "bench_snapshot: %s\n", err.msg);
        exit(2);
    }
    m->console_out = NULL;
    m->tr.out = NULL;
    return m;
}

static void check(int rc, const struct sim_error *err)
{
    if (rc) {
        fprintf(stderr, "bench_snapshot: %s\n", err->msg);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    const struct board_desc *b;
    struct machine *m, *f;
    struct snap_buf s, t;
    struct sim_error err;
    double save[REPS], same[REPS], rewind[REPS], fresh[REPS], fsave[REPS], fload[REPS];
    char path[] = "/tmp/bench_snapshot_XXXXXX";
    size_t mem_bytes = 0;
    cycles_t t0;
    int fd;

    if (argc != 3 || !(b = board_find(argv[1]))) {
        fprintf(stderr, "usage: bench_snapshot BOARD ELF\n");
        return 2;
    }
    fd = mkstemp(path);
    if (fd < 0)
        return 2;
    snap_buf_init(&s);
    snap_buf_init(&t);
    m = boot(b, argv[2]);
    t0 = sclock_ns_to_cycles(1000000000u, b->cpu_hz);
    machine_run(m, t0, NULL);
    for (unsigned i = 0; i < m->bus.nregions; i++)
        mem_bytes += m->bus.regions[i].size;

    for (int i = 0; i < REPS; i++) {
        double a = now_us();
        check(machine_snapshot(m, &s), &err);
        save[i] = now_us() - a;
    }
    for (int i = 0; i < REPS; i++) {
        double a = now_us();
        check(machine_restore(m, &s, "bench", &err), &err);
        same[i] = now_us() - a;
    }
    for (int i = 0; i < REPS; i++) {
        double a;
        machine_run(m, t0 + b->cpu_hz / 50, NULL);      /* 20 ms on */
        a = now_us();
        check(machine_restore(m, &s, "bench", &err), &err);
        rewind[i] = now_us() - a;
    }
    for (int i = 0; i < REPS; i++) {
        double a;
        f = boot(b, argv[2]);
        a = now_us();
        check(machine_restore(f, &s, "bench", &err), &err);
        fresh[i] = now_us() - a;
        machine_destroy(f);
    }
    for (int i = 0; i < REPS; i++) {
        double a = now_us();
        check(machine_snapshot_file(m, path, &err), &err);
        fsave[i] = now_us() - a;
        f = boot(b, argv[2]);
        a = now_us();
        check(machine_restore_file(f, path, &err), &err);
        fload[i] = now_us() - a;
        machine_destroy(f);
    }
    check(machine_snapshot(m, &t), &err);
    printf("%-15s memory %6zu KiB, snapshot %7zu bytes | in memory: save %7.1f us, restore "
           "same %6.1f us, rewind 20 ms %7.1f us, into a fresh machine %7.1f us | file: write "
           "%7.1f us, read+restore %7.1f us | identical %s\n",
           b->name, mem_bytes / 1024, s.len, median(save, REPS), median(same, REPS),
           median(rewind, REPS), median(fresh, REPS), median(fsave, REPS), median(fload, REPS),
           t.len == s.len && !memcmp(t.data, s.data, s.len) ? "yes" : "NO");
    unlink(path);
    snap_buf_free(&s);
    snap_buf_free(&t);
    machine_destroy(m);
    return 0;
}
