/* Unit tests: libtock's userspace virtual alarms (apps/libtock/services/
 * alarm.c), compiled for the host against a fake kernel alarm driver. The
 * wrap-sensitive cases put the counter just below 2^32. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_alarm_sys.h"
#include "services/alarm.h"
#include "syscalls/alarm_sys.h"

#define NRF_HZ 8388608u                 /* 32 768 Hz left-justified from 24 bits */

/* Firing log. */
struct fire { int id; uint32_t now, due; };
static struct fire log_[4096];
static unsigned nlog;

static void record(uint32_t now, uint32_t due, void *ud)
{
    ck_assert_uint_lt(nlog, sizeof log_ / sizeof log_[0]);
    log_[nlog++] = (struct fire){ (int)(intptr_t)ud, now, due };
}

#define ID(n) ((void *)(intptr_t)(n))

static void setup(uint32_t hz, uint32_t now)
{
    fake_reset(hz, now);
    nlog = 0;
}

/* -------------------------------------------------------- conversions -- */

START_TEST(test_ms_ticks)
{
    setup(32768, 0);
    ck_assert_uint_eq(alarm_ms_to_ticks(1), 33);                /* 32.768, up */
    ck_assert_uint_eq(alarm_ms_to_ticks(1000), 32768);
    ck_assert_uint_eq(alarm_ticks_to_ms(33), 1);
    ck_assert_uint_eq(alarm_ticks_to_ms(32767), 999);
    ck_assert_uint_eq(alarm_ticks_to_us(32768), 1000000);
    ck_assert_uint_eq(alarm_ticks_to_us(1), 30);                /* 30.5 us, down */
    /* 64-bit intermediates (libtock-c #366/#459 overflowed here). */
    ck_assert_uint_eq(alarm_ticks_to_ms(UINT32_MAX), 131071999);
}
END_TEST

/* nRF52840: 32 768 Hz left-justified from 24 bits (a fresh process: the
 * service reads the frequency once). */
START_TEST(test_ms_ticks_nrf)
{
    setup(NRF_HZ, 0);
    ck_assert_uint_eq(alarm_ticks_to_ms(UINT32_MAX), 511999);
    ck_assert_uint_eq(alarm_ticks_to_us(NRF_HZ - 1), 999999);
    ck_assert_uint_eq(alarm_ms_to_ticks(600000), 600ull * NRF_HZ); /* > 2^32 */
    ck_assert_uint_eq(alarm_ms_to_ticks(UINT32_MAX), ((uint64_t)UINT32_MAX * NRF_HZ + 999) / 1000);
}
END_TEST

START_TEST(test_wrap_helpers)
{
    ck_assert(!alarm_ticks_expired(0xFFFFFFF0u, 0xFFFFFFF0u, 0x20));
    ck_assert(!alarm_ticks_expired(0x0000000Fu, 0xFFFFFFF0u, 0x20));
    ck_assert(alarm_ticks_expired(0x00000010u, 0xFFFFFFF0u, 0x20));    /* now == ref + dt */
    ck_assert(alarm_ticks_expired(5, 5, 0));                            /* dt 0 */
    ck_assert_uint_eq(alarm_ticks_remaining(0x5u, 0xFFFFFFF0u, 0x20), 0xB);
    ck_assert_uint_eq(alarm_ticks_remaining(0x15u, 0xFFFFFFF0u, 0x20), 0);
}
END_TEST

/* ------------------------------------------------------------- basics -- */

START_TEST(test_fires_on_its_tick)
{
    struct alarm a = { 0 };
    setup(32768, 100);
    ck_assert_int_eq(alarm_in_ticks(&a, 50, record, ID(1)), 0);
    ck_assert(alarm_is_armed(&a));
    fake_run(49);
    ck_assert_uint_eq(nlog, 0);
    fake_run(1);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_uint_eq(log_[0].now, 150);
    ck_assert_uint_eq(log_[0].due, 150);
    ck_assert(!alarm_is_armed(&a));
    fake_run(100000);
    ck_assert_uint_eq(nlog, 1);
}
END_TEST

START_TEST(test_dt_zero)
{
    struct alarm a = { 0 };
    setup(32768, 7);
    alarm_in_ticks(&a, 0, record, ID(1));
    fake_run(0);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_uint_eq(log_[0].due, 7);
}
END_TEST

/* Order of expiry, whatever the order of setting; equal expiries in the
 * order they were set; across the 2^32 wrap when _i == 1. */
START_TEST(test_order)
{
    static const uint32_t dts[] = { 300, 100, 0x200, 100, 50, 0x180 };
    struct alarm a[6] = { { 0 } };
    uint32_t start = _i ? 0xFFFFFF00u : 1000;
    setup(32768, start);
    for (int i = 0; i < 6; i++)
        alarm_in_ticks(&a[i], dts[i], record, ID(i));
    fake_run(0x1000);
    ck_assert_uint_eq(nlog, 6);
    static const int order[] = { 4, 1, 3, 0, 5, 2 };    /* 50, 100, 100 (set order), 300, 0x180, 0x200 */
    for (unsigned k = 0; k < 6; k++) {
        ck_assert_int_eq(log_[k].id, order[k]);
        ck_assert_uint_eq(log_[k].due, start + dts[log_[k].id]);
        ck_assert_uint_eq(log_[k].now, log_[k].due);
        if (k)
            ck_assert_uint_le((uint32_t)(log_[k - 1].due - start), (uint32_t)(log_[k].due - start));
    }
}
END_TEST

START_TEST(test_absolute_reference_in_past)
{
    struct alarm a = { 0 }, b = { 0 };
    setup(32768, 0x10);
    /* Reference before the wrap, expiry after it, now after both: due. */
    alarm_at(&a, 0xFFFFFFF0u, 0x10, record, ID(1));
    /* Reference before the wrap, expiry still ahead. */
    alarm_at(&b, 0xFFFFFFF0u, 0x30, record, ID(2));
    fake_run(0);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_int_eq(log_[0].id, 1);
    ck_assert_uint_eq(log_[0].due, 0);
    fake_run(0x10);
    ck_assert_uint_eq(nlog, 2);
    ck_assert_uint_eq(log_[1].now, 0x20);
}
END_TEST

/* ------------------------------------------------------------- cancel -- */

START_TEST(test_cancel)
{
    struct alarm a = { 0 }, b = { 0 }, c = { 0 };
    setup(32768, 0);
    alarm_in_ticks(&a, 10, record, ID(1));
    alarm_in_ticks(&b, 20, record, ID(2));
    alarm_in_ticks(&c, 30, record, ID(3));
    ck_assert_uint_eq(fake.reference + fake.dt, 10);
    alarm_cancel(&b);                                   /* middle */
    alarm_cancel(&a);                                   /* head: kernel moves to c */
    ck_assert(fake.armed);
    ck_assert_uint_eq(fake.reference + fake.dt, 30);
    alarm_cancel(&a);                                   /* twice: no effect */
    fake_run(100);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_int_eq(log_[0].id, 3);
    alarm_in_ticks(&a, 10, record, ID(1));
    alarm_cancel(&a);                                   /* last one: kernel stopped */
    ck_assert(!fake.armed);
    fake_run(100);
    ck_assert_uint_eq(nlog, 1);
}
END_TEST

/* The kernel fired and queued the upcall, then the app cancelled the alarm
 * (libtock-c hazard L1): the stale upcall must neither crash nor fire the
 * next alarm early. */
START_TEST(test_stale_upcall)
{
    struct alarm a = { 0 }, b = { 0 };
    setup(32768, 0);
    alarm_in_ticks(&a, 10, record, ID(1));
    alarm_in_ticks(&b, 1000, record, ID(2));
    fake.latency = 5;
    fake.now = 10;                                      /* kernel fires at 10 ... */
    alarm_sys_set_absolute(fake.reference, fake.dt, NULL);
    ck_assert(fake.pending);
    alarm_cancel(&a);                                   /* ... app cancels before delivery */
    fake_deliver();
    ck_assert_uint_eq(nlog, 0);
    fake_run(500);
    ck_assert_uint_eq(nlog, 0);
    fake_run(1000);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_int_eq(log_[0].id, 2);
    ck_assert_uint_eq(log_[0].due, 1000);
}
END_TEST

/* ------------------------------------------------------ long alarms -- */

START_TEST(test_long_ticks)
{
    struct alarm a = { 0 };
    uint64_t total = 3ull * ALARM_MAX_LEG + 5;          /* > 2^32: three legs and a bit */
    uint32_t start = 0xFFFFFF00u;
    setup(32768, start);
    alarm_in_ticks(&a, total, record, ID(1));
    fake_run(total - 1);
    ck_assert_uint_eq(nlog, 0);
    ck_assert(alarm_is_armed(&a));
    fake_run(1);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_uint_eq(log_[0].due, (uint32_t)(start + total));
    ck_assert_uint_eq(log_[0].now, (uint32_t)(start + total));
}
END_TEST

/* 600 s on the nRF52840: 5.03e9 ticks, beyond one 512 s wrap. */
START_TEST(test_long_ms_nrf)
{
    struct alarm a = { 0 }, b = { 0 };
    setup(NRF_HZ, 0xFFF00000u);
    alarm_in_ms(&a, 600000, record, ID(1));
    alarm_in_ms(&b, 1000, record, ID(2));               /* a short one meanwhile */
    fake.latency = 3;
    fake_run(600ull * NRF_HZ + 100);
    ck_assert_uint_eq(nlog, 2);
    ck_assert_int_eq(log_[0].id, 2);
    ck_assert_int_eq(log_[1].id, 1);
    ck_assert_uint_eq(log_[1].due, (uint32_t)(0xFFF00000u + 600ull * NRF_HZ));
    ck_assert_uint_eq(log_[1].now - log_[1].due, 3);      /* the delivery latency */
}
END_TEST

/* --------------------------------------------------------- repeating -- */

/* Phase-locked: the k-th firing is due at start + k * period exactly, even
 * when every delivery is late. 10 ms at 32 768 Hz is 327.68 ticks. */
START_TEST(test_repeating_exact)
{
    struct alarm a = { 0 };
    uint32_t start = _i ? 0xFFFF0000u : 0;
    setup(32768, start);
    fake.latency = 7;
    alarm_every_ms(&a, 10, record, ID(1));
    fake_run(327680 + 100);                             /* 10 s */
    ck_assert_uint_eq(nlog, 1000);
    for (unsigned k = 1; k <= 1000; k++)
        ck_assert_uint_eq(log_[k - 1].due, start + (uint32_t)((uint64_t)k * 327680 / 1000));
    ck_assert_uint_eq(log_[999].due, start + 327680);
    alarm_cancel(&a);
    fake_run(100000);
    ck_assert_uint_eq(nlog, 1000);
}
END_TEST

/* Co-prime periods, as the alarms app: every firing in due order. */
START_TEST(test_coprime)
{
    struct alarm a[3] = { { 0 } };
    static const uint32_t period[] = { 113, 271, 499 };
    setup(NRF_HZ, 0xFF000000u);
    for (int i = 0; i < 3; i++)
        alarm_every_ms(&a[i], period[i], record, ID(i));
    fake_run(10ull * NRF_HZ);                           /* 10 s, across a wrap */
    ck_assert_uint_eq(nlog, 88 + 36 + 20);
    for (unsigned k = 1; k < nlog; k++)
        ck_assert_uint_le((uint32_t)(log_[k - 1].due - 0xFF000000u), (uint32_t)(log_[k].due - 0xFF000000u));
}
END_TEST

/* Deliveries later than several periods (a process busy for a long time):
 * every expiry still runs once, and all of them in due order across the
 * alarms (a re-armed alarm that had already expired used to wait for the
 * next upcall, behind later expiries of the other alarms). */
START_TEST(test_overdue_order)
{
    struct alarm a[2] = { { 0 } };
    static const uint32_t period[] = { 3, 7 };
    setup(32768, 0xFFFF0000u);
    fake.latency = 1000;                                /* 30.5 ms */
    for (int i = 0; i < 2; i++)
        alarm_every_ms(&a[i], period[i], record, ID(i));
    fake_run(32768 + 1000);                             /* 1 s, across a wrap */
    unsigned n[2] = { 0, 0 };
    for (unsigned k = 0; k < nlog; k++) {
        int id = log_[k].id;
        n[id]++;
        ck_assert_uint_eq(log_[k].due - 0xFFFF0000u, (uint32_t)((uint64_t)n[id] * period[id] * 32768 / 1000));
        if (k)
            ck_assert_uint_le((uint32_t)(log_[k - 1].due - 0xFFFF0000u), (uint32_t)(log_[k].due - 0xFFFF0000u));
    }
    ck_assert_uint_ge(n[0], 333);                       /* every expiry of the first second */
    ck_assert_uint_ge(n[1], 142);
}
END_TEST

/* --------------------------------------------- callbacks that re-arm -- */

static struct alarm other, self, victim;

static void arm_other(uint32_t now, uint32_t due, void *ud)
{
    record(now, due, ud);
    alarm_at(&other, now, 100, record, ID(2));          /* tock #3136's case */
}

START_TEST(test_set_during_firing)
{
    struct alarm a = { 0 };
    setup(32768, 0);
    alarm_in_ticks(&a, 10, arm_other, ID(1));
    fake_run(10);
    ck_assert_uint_eq(nlog, 1);
    fake_run(99);
    ck_assert_uint_eq(nlog, 1);                         /* not early */
    fake_run(1);
    ck_assert_uint_eq(nlog, 2);
    ck_assert_uint_eq(log_[1].due, 110);
}
END_TEST

static void cancel_victim(uint32_t now, uint32_t due, void *ud)
{
    record(now, due, ud);
    alarm_cancel(&victim);
}

static void rearm_self(uint32_t now, uint32_t due, void *ud)
{
    record(now, due, ud);
    if (nlog < 5)
        alarm_at(&self, due, 10, rearm_self, ud);
}

START_TEST(test_cancel_in_same_batch)
{
    setup(32768, 0);
    fake.latency = 20;                                  /* both expire before delivery */
    alarm_in_ticks(&self, 10, cancel_victim, ID(1));
    alarm_in_ticks(&victim, 15, record, ID(2));
    fake_run(1000);
    ck_assert_uint_eq(nlog, 1);
    ck_assert_int_eq(log_[0].id, 1);
}
END_TEST

START_TEST(test_rearm_self)
{
    setup(32768, 0xFFFFFFE0u);
    alarm_in_ticks(&self, 10, rearm_self, ID(1));
    fake_run(1000);
    ck_assert_uint_eq(nlog, 5);
    for (unsigned k = 0; k < 5; k++)
        ck_assert_uint_eq(log_[k].due, 0xFFFFFFE0u + 10 * (k + 1));
}
END_TEST

/* --------------------------------------------------------------- uptime -- */

START_TEST(test_uptime)
{
    uint64_t t;
    setup(32768, 0xFFFFFFF0u);
    alarm_uptime_ticks(&t);
    ck_assert_uint_eq(t, 0xFFFFFFF0u);
    fake_run(0x20);
    alarm_uptime_ticks(&t);
    ck_assert_uint_eq(t, 0x100000010ull);
    fake_run(0xFFFFFFFFull);
    alarm_uptime_ticks(&t);
    ck_assert_uint_eq(t, 0x20000000Full);
}
END_TEST

static Suite *alarm_suite(void)
{
    Suite *s = suite_create("libtock_alarm");
    TCase *tc = tcase_create("ticks");
    tcase_add_test(tc, test_ms_ticks);
    tcase_add_test(tc, test_ms_ticks_nrf);
    tcase_add_test(tc, test_wrap_helpers);
    tcase_add_test(tc, test_uptime);
    suite_add_tcase(s, tc);

    tc = tcase_create("virtual");
    tcase_add_test(tc, test_fires_on_its_tick);
    tcase_add_test(tc, test_dt_zero);
    tcase_add_loop_test(tc, test_order, 0, 2);
    tcase_add_test(tc, test_absolute_reference_in_past);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_stale_upcall);
    tcase_add_test(tc, test_set_during_firing);
    tcase_add_test(tc, test_cancel_in_same_batch);
    tcase_add_test(tc, test_rearm_self);
    suite_add_tcase(s, tc);

    tc = tcase_create("long");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_long_ticks);
    tcase_add_test(tc, test_long_ms_nrf);
    tcase_add_loop_test(tc, test_repeating_exact, 0, 2);
    tcase_add_test(tc, test_coprime);
    tcase_add_test(tc, test_overdue_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(alarm_suite());
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
