/* Machines end to end (no CPU-specific checks here): two machines in one
 * process are independent, a run is a pure function of its inputs, and
 * slicing a run into pieces does not change it.
 * usage: test_machine BOARD ELF [BOARD ELF ...] */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "boards/board.h"
#include "cpu/cpu.h"

static int g_argc;
static char **g_argv;

struct outcome {
    uint64_t hash, insns;
    cycles_t cycles;
    int status;
};

static struct machine *boot(const char *board, const char *elf)
{
    struct sim_error err;
    struct machine *m;
    const struct board_desc *b = board_find(board);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(machine_create(&m, b, &err) == 0, "%s", err.msg);
    ck_assert_msg(machine_load_elf(m, elf, &err) == 0, "%s", err.msg);
    ck_assert_msg(machine_reset(m, &err) == 0, "%s", err.msg);
    m->console_out = NULL;
    m->tr.out = NULL;
    m->tr.mask = (1u << TR_NCATS) - 1;      /* everything into the hash */
    return m;
}

static struct outcome finish(struct machine *m)
{
    struct outcome o = { m->tr.hash, m->cpu->insns, m->q.now, m->exit_status };
    machine_destroy(m);
    return o;
}

START_TEST(straight_runs_are_identical)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct machine *a = boot(board, elf);
    ck_assert_int_eq(machine_run(a, CYCLES_NEVER, NULL), MACHINE_END_EXIT);
    struct outcome x = finish(a);
    struct machine *b = boot(board, elf);
    ck_assert_int_eq(machine_run(b, CYCLES_NEVER, NULL), MACHINE_END_EXIT);
    struct outcome y = finish(b);
    ck_assert_int_eq(x.status, 0);
    ck_assert_uint_eq(x.hash, y.hash);
    ck_assert_uint_eq(x.insns, y.insns);
    ck_assert_uint_eq(x.cycles, y.cycles);
}
END_TEST

START_TEST(two_machines_interleaved_match_a_straight_run)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct machine *ref = boot(board, elf);
    machine_run(ref, CYCLES_NEVER, NULL);
    struct outcome r = finish(ref);

    /* two machines side by side, advanced in uneven slices */
    struct machine *a = boot(board, elf), *b = boot(board, elf);
    enum machine_end ea = MACHINE_END_LIMIT, eb = MACHINE_END_LIMIT;
    cycles_t ta = 0, tb = 0;
    while (ea == MACHINE_END_LIMIT || eb == MACHINE_END_LIMIT) {
        if (ea == MACHINE_END_LIMIT)
            ea = machine_run(a, ta += 100003, NULL);
        if (eb == MACHINE_END_LIMIT)
            eb = machine_run(b, tb += 77777, NULL);
    }
    struct outcome x = finish(a), y = finish(b);
    ck_assert_uint_eq(x.insns, r.insns);
    ck_assert_uint_eq(y.insns, r.insns);
    ck_assert_uint_eq(x.cycles, r.cycles);
    ck_assert_uint_eq(y.cycles, r.cycles);
    /* the hash also covers where each slice ended (cpu records), so only
     * the guest-visible outcome must match */
    ck_assert_int_eq(x.status, r.status);
    ck_assert_int_eq(y.status, r.status);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("machine");
    TCase *tc = tcase_create("runs");
    SRunner *sr;
    int failed, n = (argc - 1) / 2;

    g_argc = argc;
    g_argv = argv;
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, straight_runs_are_identical, 0, n);
    tcase_add_loop_test(tc, two_machines_interleaved_match_a_straight_run, 0, n);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
