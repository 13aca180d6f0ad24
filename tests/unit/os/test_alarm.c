/* Userspace alarm driver (os/capsules/alarm.c): left-justified ticks,
 * rounding when narrowing, 64-bit rebasing, commands and upcalls, over a
 * virtual alarm on a fake hardware alarm and a fake kernel. */
#include <check.h>
#include <string.h>
#include "check_tap.h"
#include "fake_alarm.h"
#include "fake_kernel.h"
#include "capsules/alarm.h"
#include "capsules/virtual_alarm.h"

static struct hil_alarm mk(unsigned w)
{
    return (struct hil_alarm){ NULL, NULL, 32768, (uint8_t)w };
}

START_TEST(test_left_justify)
{
    struct hil_alarm a24 = mk(24), a32 = mk(32), a64 = mk(64), a16 = mk(16);
    ck_assert_uint_eq(cap_alarm_left_justify(&a24, 0xFFFFFF), 0xFFFFFF00u);
    ck_assert_uint_eq(cap_alarm_left_justify(&a24, 5), 5u << 8);
    ck_assert_uint_eq(cap_alarm_left_justify(&a16, 0x1234), 0x12340000u);
    ck_assert_uint_eq(cap_alarm_left_justify(&a32, 0xDEADBEEF), 0xDEADBEEFu);
    ck_assert_uint_eq(cap_alarm_left_justify(&a64, 0xDEADBEEFCAFEull), 0xBEEFCAFEu);
}
END_TEST

START_TEST(test_to_hw_rounding)
{
    struct hil_alarm a24 = mk(24), a32 = mk(32);
    hil_ticks ref, dt;
    /* tock #4201: now = 6, ref = (5 << 8) - 43, dt = (2 << 8) + 43 */
    cap_alarm_to_hw(&a24, 6, true, (5u << 8) - 43, (2u << 8) + 43, &ref, &dt);
    ck_assert_uint_eq(ref, 4);
    ck_assert_uint_eq(dt, 3);                   /* arms tick 7, not 6 */
    /* relative: dt rounds up, never early */
    cap_alarm_to_hw(&a24, 100, false, 0, 257, &ref, &dt);
    ck_assert_uint_eq(ref, 100);
    ck_assert_uint_eq(dt, 2);
    cap_alarm_to_hw(&a24, 100, false, 0, 256, &ref, &dt);
    ck_assert_uint_eq(dt, 1);
    cap_alarm_to_hw(&a24, 100, false, 0, 0, &ref, &dt);
    ck_assert_uint_eq(dt, 0);
    /* reference + dt wrapping 2^32 on a 24-bit counter */
    cap_alarm_to_hw(&a24, 0xFFFFF0, true, 0xFFFFF000u, 0x2000, &ref, &dt);
    ck_assert_uint_eq(ref, 0xFFFFF0);
    ck_assert_uint_eq(dt, 0x20);
    cap_alarm_to_hw(&a32, 7, true, 0xFFFFFFF0u, 0x20, &ref, &dt);
    ck_assert_uint_eq(ref, 0xFFFFFFF0u);
    ck_assert_uint_eq(dt, 0x20);
}
END_TEST

START_TEST(test_to_hw_64bit_rebase)
{
    struct hil_alarm a64 = mk(64);
    hil_ticks ref, dt;
    cap_alarm_to_hw(&a64, 0xDEADBEEFCAFEull, true, 0xCAFEB0BAu, 100, &ref, &dt);
    ck_assert_uint_eq(ref, 0xDEACCAFEB0BAull);  /* low word ahead of now: previous window */
    ck_assert_uint_eq(dt, 100);
    cap_alarm_to_hw(&a64, 0xDEADBEEFCAFEull, true, 0xBEEF0000u, 5, &ref, &dt);
    ck_assert_uint_eq(ref, 0xDEADBEEF0000ull);
    cap_alarm_to_hw(&a64, 0x1234ull, false, 0, 77, &ref, &dt);
    ck_assert_uint_eq(ref, 0x1234ull);
    ck_assert_uint_eq(dt, 77);
}
END_TEST

struct env {
    struct fake_alarm hw;
    struct valarm_mux mux;
    struct valarm v;
    struct cap_alarm cap;
};

static struct env env;

static void env_init(unsigned width, hil_ticks start, unsigned nprocs)
{
    fk_reset(nprocs);
    memset(&env, 0, sizeof(env));
    fake_alarm_init(&env.hw, width, start);
    valarm_mux_init(&env.mux, &env.hw.alarm);
    valarm_init(&env.v, &env.mux);
    cap_alarm_init(&env.cap, &fk.k, &env.v.alarm);
}

static struct k_ret cmd(unsigned proc, uint32_t c, uint32_t a0, uint32_t a1)
{
    return env.cap.driver.command(&env.cap.driver, &fk.procs[proc], c, a0, a1);
}

START_TEST(test_commands_24bit)
{
    env_init(24, 0x000100, 1);
    struct k_ret r = cmd(0, 0, 0, 0);
    ck_assert_uint_eq(r.variant, K_RET_SUCCESS);
    r = cmd(0, 1, 0, 0);
    ck_assert_uint_eq(r.variant, K_RET_SUCCESS_U32);
    ck_assert_uint_eq(r.v[0], 8388608);         /* 32768 << 8 */
    r = cmd(0, 2, 0, 0);
    ck_assert_uint_eq(r.v[0], 0x100u << 8);
    r = cmd(0, 3, 0, 0);
    ck_assert_uint_eq(r.variant, K_RET_FAILURE);
    ck_assert_uint_eq(r.err, K_EALREADY);
    r = cmd(0, 4, 0, 0);
    ck_assert_uint_eq(r.err, K_ENOSUPPORT);
    r = cmd(0, 5, 1000u << 8, 0);               /* in 1000 ticks */
    ck_assert_uint_eq(r.variant, K_RET_SUCCESS_U32);
    ck_assert_uint_eq(r.v[0], (0x100u + 1000) << 8);
    fake_run(&env.hw, 999);
    ck_assert_uint_eq(fk.nlog, 0);
    fake_run(&env.hw, 1);
    ck_assert_uint_eq(fk.nlog, 1);
    ck_assert_uint_eq(fk.log[0].driver, 0);
    ck_assert_uint_eq(fk.log[0].subnum, 0);
    ck_assert_uint_eq(fk.log[0].a0, (0x100u + 1000) << 8);     /* now */
    ck_assert_uint_eq(fk.log[0].a1, (0x100u + 1000) << 8);     /* scheduled expiration */
    r = cmd(0, 3, 0, 0);                        /* fired already: ALREADY */
    ck_assert_uint_eq(r.err, K_EALREADY);
}
END_TEST

START_TEST(test_dt_zero_is_synchronous)
{
    env_init(32, 5000, 1);
    struct k_ret r = cmd(0, 6, 5000, 0);
    ck_assert_uint_eq(r.v[0], 5000);
    ck_assert_uint_eq(fk.nlog, 1);              /* queued before the command returns */
    ck_assert_uint_eq(fk.log[0].a1, 5000);
    r = cmd(0, 6, 6000, 10);                    /* reference in the future: passed */
    ck_assert_uint_eq(fk.nlog, 2);
}
END_TEST

START_TEST(test_stop_and_two_processes)
{
    env_init(32, 0, 2);
    cmd(0, 5, 300, 0);
    cmd(1, 5, 100, 0);
    ck_assert_uint_eq(hil_ticks_add(env.hw.ref, env.hw.dt, 32), 100);
    struct k_ret r = cmd(1, 3, 0, 0);
    ck_assert_uint_eq(r.variant, K_RET_SUCCESS);
    fake_run(&env.hw, 200);
    ck_assert_uint_eq(fk.nlog, 0);
    fake_run(&env.hw, 100);
    ck_assert_uint_eq(fk.nlog, 1);
    ck_assert_uint_eq(fk.log[0].proc, 0);
    ck_assert(!env.hw.armed);
    /* a dead process's alarm is forgotten */
    cmd(1, 5, 50, 0);
    fk.procs[1].state = K_PROC_FAULTED;
    fake_run(&env.hw, 100);
    ck_assert_uint_eq(fk.nlog, 1);
}
END_TEST

START_TEST(test_64bit_counter)
{
    env_init(64, 0xFFFFFFF0ull, 1);
    struct k_ret r = cmd(0, 1, 0, 0);
    ck_assert_uint_eq(r.v[0], 32768);
    r = cmd(0, 6, 0xFFFFFFF0u, 0x20);           /* crosses the low word's wrap */
    ck_assert_uint_eq(r.v[0], 0x10);
    fake_run(&env.hw, 0x1F);
    ck_assert_uint_eq(fk.nlog, 0);
    fake_run(&env.hw, 1);
    ck_assert_uint_eq(fk.nlog, 1);
    ck_assert_uint_eq(fk.log[0].a0, 0x10);
}
END_TEST

static Suite *alarm_suite(void)
{
    Suite *s = suite_create("os_alarm_driver");
    TCase *tc = tcase_create("alarm");
    tcase_add_test(tc, test_left_justify);
    tcase_add_test(tc, test_to_hw_rounding);
    tcase_add_test(tc, test_to_hw_64bit_rebase);
    tcase_add_test(tc, test_commands_24bit);
    tcase_add_test(tc, test_dt_zero_is_synchronous);
    tcase_add_test(tc, test_stop_and_two_processes);
    tcase_add_test(tc, test_64bit_counter);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(alarm_suite());
}
