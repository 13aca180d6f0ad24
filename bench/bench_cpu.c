/* bench_cpu: guest MIPS of tocksim with full cycle accounting against raw
 * Unicorn (no hooks: the ceiling) and Debian's QEMU with -icount shift=0,
 * and timer wake-up / idle-sleep throughput. Prints figures and ratios;
 * asserts nothing about time (DEVELOPERS: performance is measured).
 *
 * usage: bench_cpu BOARD NAME ELF [qemu]   (one line of figures per call) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicorn/unicorn.h>

#include "sim/machine.h"
#include "sim/sclock.h"
#include "boards/board.h"
#include "cpu/cpu.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct result {
    double secs;
    uint64_t insns, cycles;
    uint64_t flushes;           /* TLB flushes after protection changes */
    int status;
};

static int run_tocksim(const struct board_desc *b, const char *elf, struct result *r)
{
    struct sim_error err;
    struct machine *m;
    double t0;

    if (machine_create(&m, b, &err) || machine_load_elf(m, elf, &err) || machine_reset(m, &err)) {
        fprintf(stderr, "bench_cpu: %s\n", err.msg);
        return -1;
    }
    m->console_out = NULL;
    t0 = now_s();
    machine_run(m, CYCLES_NEVER, NULL);
    r->secs = now_s() - t0;
    r->insns = m->cpu->insns;
    r->cycles = m->q.now;
    r->status = m->exit_status;
    r->flushes = m->cpu->stats_tlb_flushes;
    machine_destroy(m);
    return 0;
}

/* The same image in a bare engine, no hooks, from reset to bench_done. */
static int run_raw(const struct board_desc *b, const char *elf, struct result *r)
{
    struct sim_error err;
    struct machine *m;
    uc_engine *uc;
    const struct elf_sym *done;
    uint32_t pc, sp;
    bool arm = b->arch == ARCH_ARMV7M;
    double t0;

    /* borrow the machine only to load the image into host memory */
    if (machine_create(&m, b, &err) || machine_load_elf(m, elf, &err)) {
        fprintf(stderr, "bench_cpu: %s\n", err.msg);
        return -1;
    }
    done = elf_symbol_named(&m->images[0], "bench_done");
    if (!done) {
        fprintf(stderr, "bench_cpu: %s has no bench_done symbol\n", elf);
        machine_destroy(m);
        return -1;
    }
    uc_open(arm ? UC_ARCH_ARM : UC_ARCH_RISCV, arm ? UC_MODE_THUMB : UC_MODE_RISCV32, &uc);
    uc_ctl_set_cpu_model(uc, arm ? UC_CPU_ARM_CORTEX_M4 : UC_CPU_RISCV32_SIFIVE_E31);
    for (unsigned i = 0; i < m->bus.nregions; i++)
        uc_mem_map_ptr(uc, m->bus.regions[i].base, m->bus.regions[i].size, UC_PROT_ALL,
                       m->bus.regions[i].host);
    if (arm) {
        memcpy(&sp, m->bus.regions[0].host, 4);
        memcpy(&pc, m->bus.regions[0].host + 4, 4);
        uc_reg_write(uc, UC_ARM_REG_SP, &sp);
    } else {
        pc = m->images[0].entry;
    }
    t0 = now_s();
    uc_emu_start(uc, pc, done->addr, 0, 0);
    r->secs = now_s() - t0;
    uc_close(uc);
    machine_destroy(m);
    return 0;
}

static int run_qemu(const struct board_desc *b, const char *elf, double *secs)
{
    char cmd[1024];
    double t0;
    int rc;
    bool arm = b->arch == ARCH_ARMV7M;

    snprintf(cmd, sizeof cmd,
             "%s -M %s -nographic -monitor none -serial null %s -icount shift=0 -kernel %s "
             ">/dev/null 2>&1",
             arm ? "timeout 120 qemu-system-arm" : "timeout 120 qemu-system-riscv32",
             arm ? "mps2-an386" : "virt -bios none", arm ? "-semihosting" : "", elf);
    t0 = now_s();
    rc = system(cmd);
    *secs = now_s() - t0;
    return rc == 0 ? 0 : -1;
}

/* bench_cpu BOARD prot ELF0 ELF1 ELF2 ELF3 ELF4: the memory-protection
 * figures of issue #3 (see guest/prot.c for the five modes), each the best
 * of three runs. */
static int bench_prot(const struct board_desc *b, char **elf)
{
    struct result r[5];
    static const char *const what[5] = {
        "crc32, protection off", "crc32, user mode, page-aligned regions",
        "crc32, user mode, a boundary inside the buffer's page",
        "100000 switches between two configurations",
        "100000 rewrites of an unchanged configuration",
    };
    for (int i = 0; i < 5; i++) {
        /* the best of three: the figures are ratios of short runs, and the
         * slowest of repeated runs measures the host's other load */
        for (int k = 0; k < 3; k++) {
            struct result t;
            if (run_tocksim(b, elf[i], &t))
                return 2;
            if (k == 0 || t.secs < r[i].secs)
                r[i] = t;
        }
        printf("%-14s prot%d %-56s %8.3f ms host, %llu insns, %llu TLB flushes%s\n", b->name, i,
               what[i], r[i].secs * 1e3, (unsigned long long)r[i].insns,
               (unsigned long long)r[i].flushes, r[i].status ? " (FAILED)" : "");
    }
    printf("%-14s protected/unprotected speed ratio %.2f; with a cut page %.2f "
           "(slowdown x%.1f); %.2f us per switch; %.3f us per unchanged rewrite\n",
           b->name, r[0].secs / r[1].secs, r[0].secs / r[2].secs, r[2].secs / r[1].secs,
           r[3].secs / 100000 * 1e6, r[4].secs / 100000 * 1e6);
    return 0;
}

int main(int argc, char **argv)
{
    const struct board_desc *b;
    struct result ts, raw;
    double qemu = 0;
    bool with_qemu = argc > 4 && !strcmp(argv[4], "qemu");

    if (argc < 4) {
        fprintf(stderr, "usage: bench_cpu BOARD NAME ELF [qemu]\n");
        return 2;
    }
    b = board_find(argv[1]);
    if (!b) {
        fprintf(stderr, "bench_cpu: unknown board %s\n", argv[1]);
        return 2;
    }
    if (!strcmp(argv[2], "prot") && argc >= 8)
        return bench_prot(b, argv + 3);
    /* the best of three runs for each engine: the figures are ratios of
     * runs of a fraction of a second on a shared host */
    for (int k = 0; k < 3; k++) {
        struct result t;
        if (run_tocksim(b, argv[3], &t))
            return 2;
        if (k == 0 || t.secs < ts.secs)
            ts = t;
    }
    if (!strncmp(argv[2], "timer", 5) || !strncmp(argv[2], "idle", 4)) {
        double sim_s = (double)sclock_cycles_to_ns(ts.cycles, b->cpu_hz) * 1e-9;
        printf("%-14s %-10s simulated %.1f s in %.3f ms host  (%.0f simulated s per host s)",
               b->name, argv[2], sim_s, ts.secs * 1e3, sim_s / ts.secs);
        if (!strncmp(argv[2], "timer", 5))
            printf("  %.0f wake-ups per host s", sim_s / 0.010 / ts.secs);
        printf("\n");
        return ts.status ? 1 : 0;
    }
    for (int k = 0; k < 3; k++) {
        struct result t;
        if (run_raw(b, argv[3], &t))
            return 2;
        if (k == 0 || t.secs < raw.secs)
            raw = t;
    }
    printf("%-14s %-7s tocksim %7.1f MIPS (%.3f s, %llu insns, %.2f cycles/insn) | "
           "raw unicorn %7.1f MIPS | ratio %.2f",
           b->name, argv[2], ts.insns / ts.secs / 1e6, ts.secs, (unsigned long long)ts.insns,
           (double)ts.cycles / (double)ts.insns, ts.insns / raw.secs / 1e6, raw.secs / ts.secs);
    if (with_qemu && run_qemu(b, argv[3], &qemu) == 0)
        printf(" | qemu -icount %7.1f MIPS | tocksim/qemu %.2f", ts.insns / qemu / 1e6,
               qemu / ts.secs);
    printf("\n");
    return ts.status ? 1 : 0;
}
