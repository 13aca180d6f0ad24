/* Virtual alarm mux (os/capsules/virtual_alarm.c) against a fake hardware
 * alarm, for counter widths 16, 24, 32 and 64. Regression cases from
 * TOCK.md §5: #2676 (dt = max), #3136 (alarm set in a callback), #3277
 * (quick alarms skipped), plus dt = 0 and references behind/ahead of now. */
#include <check.h>
#include <string.h>
#include "check_tap.h"
#include "fake_alarm.h"
#include "capsules/virtual_alarm.h"

static const unsigned widths[] = { 16, 24, 32, 64 };

#define MAX_REC 16

struct rec {
    struct valarm v;
    struct hil_alarm_client c;
    struct fake_alarm *hw;
    unsigned count;
    hil_ticks at[MAX_REC];
    /* optional action in the callback */
    struct rec *then_set;
    hil_ticks then_dt;
    unsigned repeat;            /* re-arm (now, repeat_dt) this many times */
    hil_ticks repeat_dt;
};

static void rec_fired(struct hil_alarm_client *c)
{
    struct rec *r = container_of(c, struct rec, c);
    if (r->count < MAX_REC)
        r->at[r->count] = r->hw->now;
    r->count++;
    if (r->then_set) {
        struct hil_alarm *o = &r->then_set->v.alarm;
        hil_alarm_set(o, hil_alarm_now(o), r->then_dt);
        r->then_set = NULL;
    }
    if (r->repeat) {
        r->repeat--;
        hil_alarm_set(&r->v.alarm, hil_alarm_now(&r->v.alarm), r->repeat_dt);
    }
}

static void rec_init(struct rec *r, struct valarm_mux *m, struct fake_alarm *hw)
{
    memset(r, 0, sizeof(*r));
    r->hw = hw;
    r->c.fired = rec_fired;
    valarm_init(&r->v, m);
    r->v.alarm.client = &r->c;
}

static hil_ticks elapsed(struct fake_alarm *hw, hil_ticks start, hil_ticks at)
{
    return hil_ticks_sub(at, start, hw->alarm.width_bits);
}

/* Start near the top of the counter so that runs cross a wrap. */
static hil_ticks start_for(unsigned w)
{
    return hil_ticks_mask(w) - 40;
}

START_TEST(test_single)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    hil_ticks t0 = hw.now;
    hil_alarm_set(&a.v.alarm, t0, 100);
    ck_assert(hil_alarm_is_armed(&a.v.alarm));
    fake_run(&hw, 99);
    ck_assert_uint_eq(a.count, 0);
    fake_run(&hw, 1);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(elapsed(&hw, t0, a.at[0]), 100);
    ck_assert(!hil_alarm_is_armed(&a.v.alarm));
    ck_assert(!hw.armed);
}
END_TEST

START_TEST(test_many)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec r[12];
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    for (int i = 0; i < 12; i++)
        rec_init(&r[i], &m, &hw);
    hil_ticks t0 = hw.now;
    for (int i = 0; i < 12; i++)               /* out of order, two equal */
        hil_alarm_set(&r[i].v.alarm, t0, (hil_ticks)((i * 37) % 11 * 13 + 5));
    fake_run(&hw, 1000);
    for (int i = 0; i < 12; i++) {
        ck_assert_uint_eq(r[i].count, 1);
        ck_assert_uint_eq(elapsed(&hw, t0, r[i].at[0]), (hil_ticks)((i * 37) % 11 * 13 + 5));
    }
    ck_assert(!hw.armed);
}
END_TEST

START_TEST(test_dt_zero)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    rec_init(&b, &m, &hw);
    hil_alarm_set(&b.v.alarm, hw.now, 500);
    hil_alarm_set(&a.v.alarm, hw.now, 0);
    fake_run(&hw, 0);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(b.count, 0);
}
END_TEST

START_TEST(test_max_dt_late_interrupt)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a;
    fake_alarm_init(&hw, w, start_for(w));
    hw.late = 3;                                /* tock #2676 */
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    hil_ticks t0 = hw.now, max = hil_ticks_mask(w);
    hil_alarm_set(&a.v.alarm, t0, max);
    fake_run(&hw, max - 1);
    ck_assert_uint_eq(a.count, 0);
    fake_run(&hw, 10);
    ck_assert_uint_eq(a.count, 1);
    /* fired max + late ticks after t0 */
    ck_assert_uint_eq(elapsed(&hw, t0, a.at[0]), (max + 3) & max);
}
END_TEST

START_TEST(test_near_half_dt)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    rec_init(&b, &m, &hw);
    hil_ticks t0 = hw.now, half = hil_ticks_half(w);
    hil_alarm_set(&a.v.alarm, t0, half + 1);
    hil_alarm_set(&b.v.alarm, t0, half + 100);   /* split into two legs */
    fake_run(&hw, half);
    ck_assert_uint_eq(a.count + b.count, 0);
    fake_run(&hw, 1);
    ck_assert_uint_eq(a.count, 1);
    fake_run(&hw, 98);
    ck_assert_uint_eq(b.count, 0);
    fake_run(&hw, 1);
    ck_assert_uint_eq(b.count, 1);
}
END_TEST

START_TEST(test_reference_behind_now)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    hil_ticks t0 = hw.now;
    hil_alarm_set(&a.v.alarm, hil_ticks_sub(t0, 50, w), 100);  /* expires at t0 + 50 */
    fake_run(&hw, 49);
    ck_assert_uint_eq(a.count, 0);
    fake_run(&hw, 1);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(elapsed(&hw, t0, a.at[0]), 50);
}
END_TEST

START_TEST(test_reference_ahead_of_now)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    rec_init(&b, &m, &hw);
    hil_alarm_set(&b.v.alarm, hw.now, 300);
    /* now is outside [now + 10, now + 15): treated as passed, fires at once */
    hil_alarm_set(&a.v.alarm, hil_ticks_add(hw.now, 10, w), 5);
    fake_run(&hw, 0);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(b.count, 0);
    /* the boundary: now == reference + dt counts as expired */
    hil_alarm_set(&a.v.alarm, hil_ticks_sub(hw.now, 7, w), 7);
    fake_run(&hw, 0);
    ck_assert_uint_eq(a.count, 2);
}
END_TEST

START_TEST(test_set_during_callback)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec v0, v1;
    fake_alarm_init(&hw, w, start_for(w));
    hw.tick_per_read = 1;                       /* the counter runs while we work */
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&v1, &m, &hw);                     /* v0 is first in the list */
    rec_init(&v0, &m, &hw);
    hil_alarm_set(&v0.v.alarm, hw.now, 10);
    v0.then_set = &v1;                          /* tock #3136 */
    v0.then_dt = 100;
    fake_run(&hw, 20);
    ck_assert_uint_eq(v0.count, 1);
    hil_ticks set_at = v0.at[0];
    ck_assert_uint_eq(v1.count, 0);
    fake_run(&hw, 60);
    ck_assert_uint_eq(v1.count, 0);
    fake_run(&hw, 100);
    ck_assert_uint_eq(v1.count, 1);
    ck_assert(elapsed(&hw, set_at, v1.at[0]) >= 100);
}
END_TEST

START_TEST(test_quick_alarms_not_skipped)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b, c;
    fake_alarm_init(&hw, w, start_for(w));
    hw.tick_per_read = 1;                       /* tock #3277 */
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);                      /* list order: c, b, a */
    rec_init(&b, &m, &hw);
    rec_init(&c, &m, &hw);
    hil_ticks t0 = hw.now;
    hil_alarm_set(&a.v.alarm, t0, 50);
    hil_alarm_set(&b.v.alarm, t0, 52);
    hil_alarm_set(&c.v.alarm, t0, 500);
    fake_run(&hw, 100);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(b.count, 1);              /* not pushed back behind c */
    ck_assert_uint_eq(c.count, 0);
    fake_run(&hw, 500);
    ck_assert_uint_eq(c.count, 1);
}
END_TEST

START_TEST(test_disarm_and_rearm)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    rec_init(&b, &m, &hw);
    hil_alarm_set(&a.v.alarm, hw.now, 10);
    hil_alarm_set(&b.v.alarm, hw.now, 20);
    hil_alarm_disarm(&a.v.alarm);
    ck_assert(hw.armed);
    hil_alarm_disarm(&b.v.alarm);
    ck_assert(!hw.armed);                       /* nothing left: hardware off */
    fake_run(&hw, 100);
    ck_assert_uint_eq(a.count + b.count, 0);
    /* periodic re-arm from the callback */
    hil_ticks t0 = hw.now;
    a.repeat = 9;
    a.repeat_dt = 10;
    hil_alarm_set(&a.v.alarm, t0, 10);
    fake_run(&hw, 100);
    ck_assert_uint_eq(a.count, 10);
    ck_assert_uint_eq(elapsed(&hw, t0, a.at[9]), 100);
}
END_TEST

START_TEST(test_earlier_alarm_reprograms)
{
    unsigned w = widths[_i];
    struct fake_alarm hw;
    struct valarm_mux m;
    struct rec a, b;
    fake_alarm_init(&hw, w, start_for(w));
    valarm_mux_init(&m, &hw.alarm);
    rec_init(&a, &m, &hw);
    rec_init(&b, &m, &hw);
    hil_ticks t0 = hw.now;
    hil_alarm_set(&a.v.alarm, t0, 1000);
    fake_run(&hw, 10);
    hil_alarm_set(&b.v.alarm, hw.now, 20);     /* earlier than a: hardware moves */
    ck_assert_uint_eq(hil_ticks_add(hw.ref, hw.dt, w), hil_ticks_add(t0, 30, w));
    fake_run(&hw, 20);
    ck_assert_uint_eq(b.count, 1);
    ck_assert_uint_eq(a.count, 0);
    fake_run(&hw, 970);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_uint_eq(elapsed(&hw, t0, a.at[0]), 1000);
}
END_TEST

static Suite *valarm_suite(void)
{
    Suite *s = suite_create("os_virtual_alarm");
    TCase *tc = tcase_create("mux");
    int n = (int)(sizeof(widths) / sizeof(widths[0]));
    tcase_add_loop_test(tc, test_single, 0, n);
    tcase_add_loop_test(tc, test_many, 0, n);
    tcase_add_loop_test(tc, test_dt_zero, 0, n);
    tcase_add_loop_test(tc, test_max_dt_late_interrupt, 0, n);
    tcase_add_loop_test(tc, test_near_half_dt, 0, n);
    tcase_add_loop_test(tc, test_reference_behind_now, 0, n);
    tcase_add_loop_test(tc, test_reference_ahead_of_now, 0, n);
    tcase_add_loop_test(tc, test_set_during_callback, 0, n);
    tcase_add_loop_test(tc, test_quick_alarms_not_skipped, 0, n);
    tcase_add_loop_test(tc, test_disarm_and_rearm, 0, n);
    tcase_add_loop_test(tc, test_earlier_alarm_reprograms, 0, n);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(valarm_suite());
}
