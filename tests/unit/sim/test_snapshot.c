/* In-memory snapshots (machine_snapshot / machine_restore), end to end on
 * each board's demo image: a snapshot restored into a second machine, or
 * back into the same machine after it ran on (the reverse-debugging
 * pattern), continues exactly as a straight run: same trace hash (all
 * categories), cycles, instructions and console bytes. Re-snapshotting a
 * restored machine gives the same bytes. Bad buffers fail cleanly.
 * usage: test_snapshot BOARD ELF [BOARD ELF ...] */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/sclock.h"
#include "boards/board.h"
#include "cpu/cpu.h"

static char **g_argv;

struct outcome {
    uint64_t hash, insns, records, console;
    cycles_t cycles;
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

static cycles_t at_ms(struct machine *m, unsigned ms)
{
    return sclock_ns_to_cycles((uint64_t)ms * 1000000u, m->board->cpu_hz);
}

static struct outcome outcome_of(struct machine *m)
{
    struct outcome o = { m->tr.hash, m->cpu->insns, m->tr.records, m->console_bytes, m->q.now };
    return o;
}

static void assert_same(struct outcome a, struct outcome b)
{
    ck_assert_uint_eq(a.cycles, b.cycles);
    ck_assert_uint_eq(a.insns, b.insns);
    ck_assert_uint_eq(a.records, b.records);
    ck_assert_uint_eq(a.console, b.console);
    ck_assert_msg(a.hash == b.hash, "trace hash %016llx, expected %016llx",
                  (unsigned long long)a.hash, (unsigned long long)b.hash);
}

#define END_MS 1500

static struct outcome straight(const char *board, const char *elf)
{
    struct machine *m = boot(board, elf);
    struct outcome o;
    machine_run(m, at_ms(m, END_MS), NULL);
    o = outcome_of(m);
    ck_assert_uint_gt(o.console, 0);
    machine_destroy(m);
    return o;
}

START_TEST(restore_into_a_second_machine)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct outcome ref = straight(board, elf);
    struct machine *a = boot(board, elf), *b = boot(board, elf);
    struct snap_buf s1, s2;
    struct sim_error err;

    snap_buf_init(&s1);
    snap_buf_init(&s2);
    machine_run(a, at_ms(a, 613), NULL);
    ck_assert_int_eq(machine_snapshot(a, &s1), 0);
    ck_assert_msg(machine_restore(b, &s1, "s1", &err) == 0, "%s", err.msg);
    /* the restored machine snapshots to the same bytes */
    ck_assert_int_eq(machine_snapshot(b, &s2), 0);
    ck_assert_uint_eq(s1.len, s2.len);
    ck_assert(memcmp(s1.data, s2.data, s1.len) == 0);
    machine_run(a, at_ms(a, END_MS), NULL);
    machine_run(b, at_ms(b, END_MS), NULL);
    assert_same(outcome_of(a), ref);
    assert_same(outcome_of(b), ref);
    snap_buf_free(&s1);
    snap_buf_free(&s2);
    machine_destroy(a);
    machine_destroy(b);
}
END_TEST

START_TEST(rewind_the_same_machine)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct outcome ref = straight(board, elf);
    struct machine *m = boot(board, elf);
    struct snap_buf s;
    struct sim_error err;
    uint64_t console_at;
    cycles_t now_at;

    snap_buf_init(&s);
    machine_run(m, at_ms(m, 401), NULL);
    ck_assert_int_eq(machine_snapshot(m, &s), 0);
    console_at = m->console_bytes;
    now_at = m->q.now;
    machine_run(m, at_ms(m, 1203), NULL);
    ck_assert_uint_gt(m->console_bytes, console_at);
    /* back to 401 ms, twice, then on to the end */
    for (int k = 0; k < 2; k++) {
        ck_assert_msg(machine_restore(m, &s, "s", &err) == 0, "%s", err.msg);
        ck_assert_uint_eq(m->q.now, now_at);
        ck_assert_uint_eq(m->console_bytes, console_at);
        machine_run(m, at_ms(m, 900 + 100 * k), NULL);
    }
    ck_assert_msg(machine_restore(m, &s, "s", &err) == 0, "%s", err.msg);
    machine_run(m, at_ms(m, END_MS), NULL);
    assert_same(outcome_of(m), ref);
    snap_buf_free(&s);
    machine_destroy(m);
}
END_TEST

/* Many cuts: every ~97 ms, a snapshot is restored into a new machine that
 * carries on (the old one is dropped); the end is the straight run's. */
START_TEST(a_chain_of_machines)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct outcome ref = straight(board, elf);
    struct machine *m = boot(board, elf);
    struct snap_buf s;
    struct sim_error err;

    snap_buf_init(&s);
    for (unsigned t = 97; t < END_MS; t += 97) {
        struct machine *next = boot(board, elf);
        machine_run(m, at_ms(m, t) + t, NULL);
        ck_assert_int_eq(machine_snapshot(m, &s), 0);
        ck_assert_msg(machine_restore(next, &s, "chain", &err) == 0, "%s", err.msg);
        machine_destroy(m);
        m = next;
    }
    machine_run(m, at_ms(m, END_MS), NULL);
    assert_same(outcome_of(m), ref);
    snap_buf_free(&s);
    machine_destroy(m);
}
END_TEST

START_TEST(bad_buffers_fail_cleanly)
{
    const char *board = g_argv[1 + 2 * _i], *elf = g_argv[2 + 2 * _i];
    struct machine *m = boot(board, elf);
    struct snap_buf s, bad;
    struct sim_error err;
    const struct board_desc *other = NULL;

    snap_buf_init(&s);
    snap_buf_init(&bad);
    machine_run(m, at_ms(m, 50), NULL);
    ck_assert_int_eq(machine_snapshot(m, &s), 0);
    bad.data = malloc(s.len);
    bad.cap = s.len;

    /* every truncation is reported, never a crash */
    for (size_t n = 0; n < s.len; n += n < 64 ? 1 : s.len / 97 + 1) {
        struct machine *t = boot(board, elf);
        memcpy(bad.data, s.data, n);
        bad.len = n;
        err.msg[0] = 0;
        ck_assert_int_eq(machine_restore(t, &bad, "cut.snap", &err), -1);
        ck_assert_msg(strstr(err.msg, "cut.snap") != NULL, "%s", err.msg);
        machine_destroy(t);
    }
    /* wrong magic, wrong format version */
    memcpy(bad.data, s.data, s.len);
    bad.len = s.len;
    bad.data[0] = 'X';
    ck_assert_int_eq(machine_restore(m, &bad, "x.snap", &err), -1);
    ck_assert_msg(strstr(err.msg, "not a tocksim snapshot") != NULL, "%s", err.msg);
    bad.data[0] = s.data[0];
    bad.data[8] = 7;
    ck_assert_int_eq(machine_restore(m, &bad, "x.snap", &err), -1);
    ck_assert_msg(strstr(err.msg, "format version 7") != NULL, "%s", err.msg);
    /* another board */
    for (unsigned i = 0; i < board_count; i++)
        if (strcmp(board_list[i]->name, board))
            other = board_list[i];
    if (other) {
        struct machine *o;
        ck_assert_int_eq(machine_create(&o, other, &err), 0);
        ck_assert_int_eq(machine_restore(o, &s, "x.snap", &err), -1);
        ck_assert_msg(strstr(err.msg, "the snapshot is of board") != NULL, "%s", err.msg);
        machine_destroy(o);
    }
    snap_buf_free(&bad);
    snap_buf_free(&s);
    machine_destroy(m);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");
    SRunner *sr;
    int failed, n = (argc - 1) / 2;

    g_argv = argv;
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, restore_into_a_second_machine, 0, n);
    tcase_add_loop_test(tc, rewind_the_same_machine, 0, n);
    tcase_add_loop_test(tc, a_chain_of_machines, 0, n);
    tcase_add_loop_test(tc, bad_buffers_fail_cleanly, 0, n);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
