/* The CPU debug support (cpu/debug.c) on real machines, without GDB:
 * breakpoints, single steps, watchpoints and instruction-count stops are
 * exact, and transparent: a run that stops and resumes at them ends exactly
 * as a straight run (cycles, instructions, trace hash).
 * usage: test_gdb_cpu BOARD TIMER_ELF MULDIV_ELF [BOARD TIMER_ELF MULDIV_ELF ...]
 * (bench/guest/timer.c: a periodic interrupt, WFI in between; muldiv.c:
 * arithmetic, no peripheral.)
 *
 * Known limit, not the debugger's: a peripheral register access sees the
 * clock at the end of its block (blocks are charged when they start), so
 * cutting blocks differently (single steps) can move a peripheral's view of
 * time by a few cycles; the step test therefore runs code without timers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "boards/board.h"
#include "cpu/cpu.h"

static int g_argc;
static char **g_argv;

static struct machine *boot_elf(int i, int which)
{
    struct sim_error err;
    struct machine *m;
    const struct board_desc *b = board_find(g_argv[1 + 3 * i]);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(machine_create(&m, b, &err) == 0, "%s", err.msg);
    ck_assert_msg(machine_load_elf(m, g_argv[2 + 3 * i + which], &err) == 0, "%s", err.msg);
    ck_assert_msg(machine_reset(m, &err) == 0, "%s", err.msg);
    m->console_out = NULL;
    m->tr.out = NULL;
    /* everything into the hash: MMIO accesses are stamped with the cycle
     * and PC of their own instruction, however debugging cuts blocks */
    m->tr.mask = (1u << TR_NCATS) - 1;
    return m;
}

static struct machine *boot(int i)
{
    return boot_elf(i, 0);
}

static uint32_t sym(struct machine *m, const char *name)
{
    const struct elf_sym *s = elf_symbol_named(&m->images[0], name);
    ck_assert_msg(s != NULL, "no symbol %s", name);
    return s->addr;
}

struct outcome {
    uint64_t hash, insns;
    cycles_t cycles;
};

static struct outcome outcome_of(struct machine *m)
{
    struct outcome o = { m->tr.hash, m->cpu->insns, m->q.now };
    return o;
}

static struct outcome straight(int i)
{
    struct machine *m = boot(i);
    struct outcome o;
    ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_EXIT);
    o = outcome_of(m);
    machine_destroy(m);
    return o;
}

/* Runs to the end, resuming after every debug stop; returns the stops. */
static unsigned run_through(struct machine *m, enum cpu_dbg_reason want, uint32_t pc_want)
{
    unsigned stops = 0;
    for (;;) {
        enum machine_end e = machine_run(m, CYCLES_NEVER, NULL);
        if (e != MACHINE_END_DEBUG) {
            ck_assert_int_eq(e, MACHINE_END_EXIT);
            return stops;
        }
        const struct cpu_dbg_stop *st = cpu_debug_stop_info(m->cpu);
        ck_assert_int_eq(st->reason, want);
        if (pc_want)
            ck_assert_uint_eq(cpu_pc(m->cpu), pc_want);
        ck_assert_uint_eq(st->pc, cpu_pc(m->cpu));
        stops++;
        cpu_debug_resume(m->cpu, false);
    }
}

START_TEST(breakpoint_stops_before_and_is_transparent)
{
    struct outcome ref = straight(_i), o;
    struct machine *m = boot(_i);
    uint32_t at = sym(m, "rt_wait_irq");
    unsigned hits;
    ck_assert_int_eq(cpu_bp_add(m->cpu, at, NULL, NULL), 0);
    hits = run_through(m, CPU_DBG_BREAK, at);
    ck_assert_uint_ge(hits, 10);
    o = outcome_of(m);
    ck_assert_uint_eq(o.insns, ref.insns);
    ck_assert_uint_eq(o.cycles, ref.cycles);
    ck_assert_uint_eq(o.hash, ref.hash);
    machine_destroy(m);
}
END_TEST

START_TEST(breakpoint_inside_a_block)
{
    /* the second instruction of main: inside main's first block */
    struct machine *m = boot(_i);
    uint32_t main_at = sym(m, "main"), at;
    uint16_t hw = 0;
    cpu_read_mem(m->cpu, main_at, &hw, 2);
    at = main_at + (m->cpu->thumb ? ((hw >> 11) >= 0x1d ? 4 : 2) : ((hw & 3) == 3 ? 4 : 2));
    ck_assert_int_eq(cpu_bp_add(m->cpu, at, NULL, NULL), 0);
    ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_DEBUG);
    ck_assert_uint_eq(cpu_pc(m->cpu), at);
    ck_assert_int_eq(cpu_bp_del(m->cpu, at, NULL, NULL), 0);
    cpu_debug_resume(m->cpu, false);
    ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_EXIT);
    machine_destroy(m);
}
END_TEST

/* n single steps land where a run stopped at instruction count n lands,
 * with the same clock; every step retires one instruction or enters an
 * exception. */
START_TEST(steps_match_instruction_count_stops)
{
    static const uint64_t counts[] = { 1, 2, 37, 250, 1500, 4000 };
    struct machine *s = boot_elf(_i, 1);
    uint64_t done = 0;
    for (unsigned k = 0; k < ARRAY_LEN(counts); k++) {
        struct machine *m = boot_elf(_i, 1);
        cpu_debug_stop_at_insn(m->cpu, counts[k]);
        cpu_debug_resume(m->cpu, false);
        ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_DEBUG);
        ck_assert_int_eq(cpu_debug_stop_info(m->cpu)->reason, CPU_DBG_INSN);
        ck_assert_uint_eq(m->cpu->insns, counts[k]);
        while (s->cpu->insns < counts[k]) {
            uint64_t before = s->cpu->insns;
            uint32_t pc = cpu_pc(s->cpu);
            cpu_debug_resume(s->cpu, true);
            ck_assert_int_eq(machine_run(s, CYCLES_NEVER, NULL), MACHINE_END_DEBUG);
            ck_assert_int_eq(cpu_debug_stop_info(s->cpu)->reason, CPU_DBG_STEP);
            ck_assert(s->cpu->insns == before + 1 ||
                      (s->cpu->insns == before && cpu_pc(s->cpu) != pc));
            done++;
        }
        ck_assert_uint_eq(cpu_pc(s->cpu), cpu_pc(m->cpu));
        ck_assert_uint_eq(s->q.now, m->q.now);
        machine_destroy(m);
    }
    ck_assert_uint_ge(done, 4000);
    machine_destroy(s);
}
END_TEST

/* A write watch on the tick counter (the interrupt handler's store) and a
 * read watch on it (the main loop's load): stops before the access, the
 * run still ends exactly as a straight run. */
START_TEST(watchpoints_stop_before_and_are_transparent)
{
    struct outcome ref = straight(_i), o;
    static const enum cpu_watch_kind kinds[] = { CPU_WATCH_WRITE, CPU_WATCH_READ };
    for (unsigned k = 0; k < ARRAY_LEN(kinds); k++) {
        struct machine *m = boot(_i);
        struct sim_error err;
        uint32_t ticks = sym(m, "rt_ticks");
        unsigned stops = 0, changed = 0;
        ck_assert_msg(cpu_watch_add(m->cpu, ticks, 4, kinds[k], &err) == 0, "%s", err.msg);
        for (;;) {
            enum machine_end e = machine_run(m, CYCLES_NEVER, NULL);
            if (e != MACHINE_END_DEBUG)
                break;
            const struct cpu_dbg_stop *st = cpu_debug_stop_info(m->cpu);
            ck_assert_int_eq(st->reason, CPU_DBG_WATCH);
            ck_assert_uint_eq(st->data_addr, ticks);
            if (!st->late) {
                /* stopped before the access: one step makes it */
                uint32_t before, after;
                uint64_t insns = m->cpu->insns;
                cpu_read_mem(m->cpu, ticks, &before, 4);
                cpu_debug_resume(m->cpu, true);
                ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_DEBUG);
                cpu_read_mem(m->cpu, ticks, &after, 4);
                ck_assert_uint_eq(m->cpu->insns, insns + 1);
                if (before != after)
                    changed++;
            }
            stops++;
            cpu_debug_resume(m->cpu, false);
        }
        ck_assert_uint_ge(stops, 10);
        if (kinds[k] == CPU_WATCH_WRITE)
            ck_assert_uint_ge(changed, 10);     /* the counter's increments */
        o = outcome_of(m);
        ck_assert_uint_eq(o.insns, ref.insns);
        ck_assert_uint_eq(o.cycles, ref.cycles);
        ck_assert_uint_eq(o.hash, ref.hash);
        machine_destroy(m);
    }
}
END_TEST

/* A watch on a busy page that never matches: every other access of the
 * page goes through, the run is unchanged. */
START_TEST(unmatched_watch_is_transparent)
{
    struct outcome ref = straight(_i), o;
    struct machine *m = boot(_i);
    struct sim_error err;
    uint32_t ticks = sym(m, "rt_ticks");
    /* past the end of .bss, same page as the counter, never accessed */
    ck_assert_int_eq(cpu_watch_add(m->cpu, ticks + 0x100, 1, CPU_WATCH_ACCESS, &err), 0);
    ck_assert_int_eq(machine_run(m, CYCLES_NEVER, NULL), MACHINE_END_EXIT);
    o = outcome_of(m);
    ck_assert_uint_eq(o.insns, ref.insns);
    ck_assert_uint_eq(o.cycles, ref.cycles);
    ck_assert_uint_eq(o.hash, ref.hash);
    machine_destroy(m);
}
END_TEST

START_TEST(watch_refuses_mmio)
{
    struct machine *m = boot(_i);
    struct sim_error err = { "" };
    uint32_t mmio = m->board->periphs[0].base;
    ck_assert_int_eq(cpu_watch_add(m->cpu, mmio, 4, CPU_WATCH_WRITE, &err), -1);
    ck_assert_msg(strstr(err.msg, "MMIO") != NULL, "%s", err.msg);
    machine_destroy(m);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("gdb-cpu");
    TCase *tc = tcase_create("debug");
    SRunner *sr;
    int n = (argc - 1) / 3, failed;

    g_argc = argc;
    g_argv = argv;
    tcase_add_loop_test(tc, breakpoint_stops_before_and_is_transparent, 0, n);
    tcase_add_loop_test(tc, breakpoint_inside_a_block, 0, n);
    tcase_add_loop_test(tc, steps_match_instruction_count_stops, 0, n);
    tcase_add_loop_test(tc, watchpoints_stop_before_and_are_transparent, 0, n);
    tcase_add_loop_test(tc, unmatched_watch_is_transparent, 0, n);
    tcase_add_loop_test(tc, watch_refuses_mmio, 0, n);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
