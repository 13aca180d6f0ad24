/* Unit tests of the simulator core: event queue, clock conversions and the
 * lazy counter, irq lines, option parsing, trace categories, bus decoding. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cost/cost.h"
#include "sim/bus.h"
#include "sim/common.h"
#include "sim/evq.h"
#include "sim/irq.h"
#include "sim/sclock.h"
#include "sim/trace.h"
#include "periph/periph.h"

/* ------------------------------------------------------------- evq -- */

static char order[64];
static size_t norder;

static void rec(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    (void)ev; (void)now; (void)late;
    order[norder++] = *(const char *)ctx;
}

START_TEST(evq_orders_by_when_prio_seq)
{
    struct evq q;
    struct evq_event a, b, c, d;
    evq_init(&q);
    norder = 0;
    evq_event_init(&a, "a", rec, "a", 1);
    evq_event_init(&b, "b", rec, "b", 0);
    evq_event_init(&c, "c", rec, "c", 1);
    evq_event_init(&d, "d", rec, "d", 0);
    evq_at(&q, &a, 10);
    evq_at(&q, &c, 10);     /* same when and prio as a: after a (sequence) */
    evq_at(&q, &b, 10);     /* lower prio value: first */
    evq_at(&q, &d, 5);
    ck_assert_uint_eq(evq_next_deadline(&q), 5);
    q.now = 9;
    ck_assert_uint_eq(evq_run_due(&q), 1);
    q.now = 10;
    ck_assert_uint_eq(evq_run_due(&q), 3);
    order[norder] = 0;
    ck_assert_str_eq(order, "dbac");
    ck_assert_uint_eq(evq_next_deadline(&q), CYCLES_NEVER);
}
END_TEST

static struct evq_event rearm_ev;
static int rearm_count;
static void rearm(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct evq *q = ctx;
    (void)late;
    if (++rearm_count < 3)
        evq_at(q, ev, now);         /* same cycle: fires in the same run */
}

START_TEST(evq_rearm_cancel_and_late)
{
    struct evq q;
    struct evq_event a;
    evq_init(&q);
    evq_event_init(&rearm_ev, "r", rearm, &q, 0);
    evq_at(&q, &rearm_ev, 100);
    q.now = 150;
    rearm_count = 0;
    evq_run_due(&q);
    ck_assert_int_eq(rearm_count, 3);
    evq_event_init(&a, "a", rec, "a", 0);
    evq_at(&q, &a, 200);
    evq_at(&q, &a, 300);        /* re-arm moves it */
    ck_assert(evq_pending(&a));
    ck_assert_uint_eq(evq_next_deadline(&q), 300);
    evq_cancel(&q, &a);
    evq_cancel(&q, &a);         /* idempotent */
    ck_assert(!evq_pending(&a));
    ck_assert_uint_eq(evq_next_deadline(&q), CYCLES_NEVER);
}
END_TEST

/* ---------------------------------------------------------- sclock -- */

START_TEST(sclock_conversions_exact)
{
    /* 64 MHz core, 32768 Hz RTC: 1953.125 cycles per tick */
    ck_assert_uint_eq(sclock_ticks_at(0, 64000000, 32768), 0);
    ck_assert_uint_eq(sclock_ticks_at(1953, 64000000, 32768), 0);
    ck_assert_uint_eq(sclock_ticks_at(1954, 64000000, 32768), 1);
    ck_assert_uint_eq(sclock_cycle_of_tick(1, 64000000, 32768), 1954);
    ck_assert_uint_eq(sclock_cycle_of_tick(8, 64000000, 32768), 15625);
    ck_assert_uint_eq(sclock_ticks_at(15625, 64000000, 32768), 8);
    ck_assert_uint_eq(sclock_ticks_at(15624, 64000000, 32768), 7);
    /* round trip: the first cycle of tick t maps back to t, one before to t-1 */
    for (uint64_t t = 1; t < 100000; t += 7919) {
        cycles_t c = sclock_cycle_of_tick(t, 64000000, 32768);
        ck_assert_uint_eq(sclock_ticks_at(c, 64000000, 32768), t);
        ck_assert_uint_eq(sclock_ticks_at(c - 1, 64000000, 32768), t - 1);
    }
    ck_assert_uint_eq(sclock_cycles_to_ns(25000000, 25000000), 1000000000);
    ck_assert_uint_eq(sclock_ns_to_cycles(1, 25000000), 1);     /* 40 ns per cycle: rounds up */
    ck_assert_uint_eq(sclock_ns_to_cycles(1000000000ull * 3600, 64000000), 230400000000ull);
    /* no overflow for long runs: one year at 64 MHz */
    ck_assert_uint_eq(sclock_cycles_to_ns(64000000ull * 31536000, 64000000),
                      31536000ull * 1000000000ull);
}
END_TEST

static const unsigned widths[] = { 16, 24, 32, 64 };

START_TEST(counter_wraps_at_exact_tick)
{
    unsigned w = widths[_i];
    struct counter c;
    uint64_t mask = counter_mask_of(w);
    counter_init(&c, 64000000, 32768, w);
    counter_set_value(&c, 0, mask - 2);         /* start_count 3 ticks before the wrap */
    counter_start(&c, 0);
    ck_assert_uint_eq(counter_value(&c, 0), mask - 2);
    cycles_t wrap = counter_cycle_of_wrap(&c, 0);
    ck_assert_uint_eq(wrap, sclock_cycle_of_tick(3, 64000000, 32768));
    ck_assert_uint_eq(counter_value(&c, wrap - 1), mask);
    ck_assert_uint_eq(counter_value(&c, wrap), 0);
    /* compare across the wrap */
    cycles_t at5 = counter_cycle_of(&c, 0, 5);
    ck_assert_uint_eq(counter_value(&c, at5), 5);
    ck_assert_uint_eq(counter_value(&c, at5 - 1), 4);
    /* a compare equal to the current value is a full period away */
    if (w <= 24) {
        cycles_t full = counter_cycle_of(&c, 0, mask - 2);
        ck_assert_uint_eq(full, sclock_cycle_of_tick(mask + 1, 64000000, 32768));
    }
}
END_TEST

START_TEST(counter_stop_start_prescale)
{
    struct counter c;
    counter_init(&c, 1000, 100, 24);        /* 10 cycles per tick */
    counter_start(&c, 0);
    ck_assert_uint_eq(counter_value(&c, 95), 9);
    counter_stop(&c, 95);
    ck_assert_uint_eq(counter_value(&c, 500), 9);
    ck_assert_uint_eq(counter_cycle_of(&c, 500, 10), CYCLES_NEVER);
    counter_start(&c, 500);                 /* phase stays with the tick clock */
    ck_assert_uint_eq(counter_value(&c, 509), 9);
    ck_assert_uint_eq(counter_value(&c, 510), 10);
    counter_set_prescale(&c, 510, 4);       /* now counts every 4 ticks = 40 cycles */
    ck_assert_uint_eq(counter_value(&c, 510), 10);
    cycles_t t = counter_cycle_of(&c, 510, 11);
    ck_assert_uint_eq(counter_value(&c, t), 11);
    ck_assert_uint_eq(counter_value(&c, t - 1), 10);
    ck_assert_uint_eq(t % 40, 0);
}
END_TEST

/* ------------------------------------------------------------- irq -- */

static int sink_calls;
static bool sink_level;
static unsigned sink_n;
static void sink(void *ctx, unsigned n, bool level)
{
    (void)ctx;
    sink_calls++;
    sink_level = level;
    sink_n = n;
}
static int tap_calls;
static bool tap_saw_level_before_sink;
static void tap(struct irq_tap *t, const struct irq_line *l, bool level)
{
    (void)t;
    tap_calls++;
    tap_saw_level_before_sink = l->level == level && sink_calls == tap_calls - 1;
}

START_TEST(irq_lines)
{
    struct irq_line l;
    struct irq_tap t1 = { .fn = tap }, t2 = { .fn = tap };
    sink_calls = tap_calls = 0;
    irq_init(&l, "x");
    irq_connect(&l, sink, NULL, 7);
    irq_add_tap(&l, &t1);
    irq_set(&l, true);
    ck_assert_int_eq(sink_calls, 1);
    ck_assert(sink_level);
    ck_assert_uint_eq(sink_n, 7);
    ck_assert_int_eq(tap_calls, 1);
    ck_assert(tap_saw_level_before_sink);
    irq_set(&l, true);                      /* unchanged: nothing */
    ck_assert_int_eq(sink_calls, 1);
    irq_add_tap(&l, &t2);
    irq_set(&l, false);
    ck_assert_int_eq(sink_calls, 2);
    ck_assert_int_eq(tap_calls, 3);
    ck_assert(!sink_level);
}
END_TEST

/* ---------------------------------------------------------- parsing -- */

START_TEST(parse_numbers_and_times)
{
    uint64_t v;
    ck_assert_int_eq(sim_parse_u64("0x00FF_FF00", &v), 0);
    ck_assert_uint_eq(v, 0xFFFF00);
    ck_assert_int_eq(sim_parse_u64("0b101", &v), 0);
    ck_assert_uint_eq(v, 5);
    ck_assert_int_eq(sim_parse_u64("18446744073709551615", &v), 0);
    ck_assert_int_eq(sim_parse_u64("18446744073709551616", &v), -1);
    ck_assert_int_eq(sim_parse_u64("12z", &v), -1);
    ck_assert_int_eq(sim_parse_u64("", &v), -1);
    ck_assert_int_eq(sim_parse_u64("0x", &v), -1);
    ck_assert_int_eq(sim_parse_time_ns("10s", &v), 0);
    ck_assert_uint_eq(v, 10000000000ull);
    ck_assert_int_eq(sim_parse_time_ns("2.5ms", &v), 0);
    ck_assert_uint_eq(v, 2500000);
    ck_assert_int_eq(sim_parse_time_ns("3us", &v), 0);
    ck_assert_uint_eq(v, 3000);
    ck_assert_int_eq(sim_parse_time_ns("7ns", &v), 0);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(sim_parse_time_ns("10", &v), -1);          /* unit required */
    ck_assert_int_eq(sim_parse_time_ns("10 s", &v), -1);
    ck_assert_int_eq(sim_parse_time_ns("1.5ns", &v), -1);       /* sub-ns */
    ck_assert_int_eq(sim_parse_time_ns("10h", &v), -1);
    ck_assert_int_eq(sim_parse_time_ns("-1s", &v), -1);
}
END_TEST

START_TEST(trace_categories)
{
    uint32_t m;
    struct sim_error err;
    ck_assert_int_eq(trace_parse_cats("exc,irq", &m, &err), 0);
    ck_assert_uint_eq(m, (1u << TR_EXC) | (1u << TR_IRQ));
    ck_assert_int_eq(trace_parse_cats("all", &m, &err), 0);
    ck_assert_uint_eq(m, (1u << TR_NCATS) - 1);
    ck_assert_int_eq(trace_parse_cats("exc,bogus", &m, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "bogus"));
}
END_TEST

START_TEST(trace_hash_is_deterministic)
{
    struct trace a, b;
    cycles_t now = 42;
    trace_init(&a, &now, 1000);
    trace_init(&b, &now, 1000);
    a.out = b.out = NULL;
    a.mask = b.mask = 1u << TR_IRQ;
    TRACE(&a, TR_IRQ, "line %d", 3);
    TRACE(&b, TR_IRQ, "line %d", 3);
    TRACE(&a, TR_EXC, "off: not hashed");
    ck_assert_uint_eq(a.hash, b.hash);
    TRACE(&b, TR_IRQ, "line %d", 4);
    ck_assert_uint_ne(a.hash, b.hash);
}
END_TEST

/* ------------------------------------------------------------- bus -- */

enum { F_CTRL, F_DATA, F_ARR, F_RO, F_N };
static const struct reg_desc fake_regs[F_N] = {
    [F_CTRL] = { "CTRL", 0x00, REG_RW },
    [F_DATA] = { "DATA", 0x04, REG_WO },
    [F_ARR] = { "ARR", 0x10, REG_RW, 4, 8 },
    [F_RO] = { "ID", 0xFC, REG_RO },
};
struct fake { struct periph dev; uint32_t last_reg, last_idx, last_val, writes; };
static uint32_t fake_read(struct periph *p, const struct reg_ref *r)
{
    struct fake *f = container_of(p, struct fake, dev);
    f->last_reg = r->reg;
    f->last_idx = r->idx;
    return 0x1000 + r->reg * 0x10 + r->idx;
}
static void fake_write(struct periph *p, const struct reg_ref *r, uint32_t v)
{
    struct fake *f = container_of(p, struct fake, dev);
    f->last_reg = r->reg;
    f->last_idx = r->idx;
    f->last_val = v;
    f->writes++;
}
static const struct periph_ops fake_ops = { .read = fake_read, .write = fake_write };
static const struct periph_model fake_model = {
    .kind = "fake", .regs = fake_regs, .nregs = F_N, .size = 0x100, .min_access = 4,
    .max_access = 4, .instance_size = sizeof(struct fake), .ops = &fake_ops,
};
static const struct periph_model small_model = {
    .kind = "small", .regs = fake_regs, .nregs = 1, .size = 0x8, .min_access = 4,
    .max_access = 4, .instance_size = sizeof(struct fake), .ops = &fake_ops,
};

START_TEST(bus_decodes_registers_and_rules)
{
    struct bus b;
    struct trace tr;
    cycles_t now = 0;
    struct fake f = { .dev = { .model = &fake_model, .name = "f", .base = 0x40000000 } };
    struct fake s = { .dev = { .model = &small_model, .name = "s", .base = 0x40000020 } };
    struct sim_error err;

    trace_init(&tr, &now, 1000);
    tr.out = NULL;
    tr.mask = 1u << TR_GUEST_ERR;
    bus_init(&b, &tr);
    ck_assert_int_eq(bus_add_periph(&b, &f.dev, &err), 0);
    ck_assert_int_eq(bus_add_periph(&b, &s.dev, &err), 0);
    ck_assert_int_eq(bus_add_ram(&b, "ram", 0x20000000, 0x1000, false, &err), 0);
    ck_assert_int_eq(bus_add_ram(&b, "ram2", 0x20000800, 0x1000, false, &err), -1); /* overlap */

    ck_assert_uint_eq(bus_mmio_read(&b, 0x40000018, 4), 0x1000 + F_ARR * 0x10 + 1);
    ck_assert_uint_eq(f.last_idx, 1);
    bus_mmio_write(&b, 0x40000000, 4, 0xabc);
    ck_assert_uint_eq(f.last_val, 0xabc);
    ck_assert_uint_eq(f.writes, 1);
    /* the smaller window inside wins */
    bus_mmio_write(&b, 0x40000020, 4, 7);
    ck_assert_uint_eq(s.writes, 1);
    ck_assert_uint_eq(f.writes, 1);
    /* rules: write-only reads as zero, read-only ignores writes, size, holes */
    uint64_t before = tr.records;
    ck_assert_uint_eq(bus_mmio_read(&b, 0x40000004, 4), 0);
    bus_mmio_write(&b, 0x400000FC, 4, 1);
    bus_mmio_write(&b, 0x40000000, 2, 1);
    ck_assert_uint_eq(bus_mmio_read(&b, 0x40000008, 4), 0);    /* hole */
    ck_assert_uint_eq(f.writes, 1);
    ck_assert_uint_eq(tr.records - before, 4);                   /* one guest-error line each */
    /* unmapped: flagged for the CPU */
    ck_assert(!b.fault_pending);
    bus_mmio_read(&b, 0x50000000, 4);
    ck_assert(b.fault_pending);
    ck_assert_uint_eq(b.fault_addr, 0x50000000);
    /* RAM pointers and debug access */
    ck_assert_ptr_nonnull(bus_ram_ptr(&b, 0x20000ffc, 4));
    ck_assert_ptr_null(bus_ram_ptr(&b, 0x20000ffd, 4));
    uint32_t v = 0x11223344, r = 0;
    ck_assert_int_eq(bus_debug_write(&b, 0x20000010, &v, 4), 0);
    ck_assert_int_eq(bus_debug_read(&b, 0x20000010, &r, 4), 0);
    ck_assert_uint_eq(r, v);
    ck_assert_int_eq(bus_debug_read(&b, 0x30000000, &r, 4), -1);
    bus_free(&b);
}
END_TEST

/* Divides: the decoders name the operand registers; the exact timing
 * follows the quotient length within each core's documented bounds. */
START_TEST(divide_decode_and_timing)
{
    /* udiv r5, r2, r3 ; sdiv r6, r2, r3 (Thumb-2, two half-words each) */
    static const uint8_t udiv[] = { 0xb2, 0xfb, 0xf3, 0xf5 }, sdiv[] = { 0x92, 0xfb, 0xf3, 0xf6 };
    /* divu t2, t0, t1 ; rem t4, t0, t1 */
    static const uint8_t divu[] = { 0xb3, 0xd3, 0x62, 0x02 }, rem[] = { 0xb3, 0xee, 0x62, 0x02 };
    struct insn_cost ic;

    cost_armv7m(udiv, sizeof udiv, &ic);
    ck_assert(ic.div == COST_DIV_UNSIGNED && ic.rn == 2 && ic.rm == 3 && ic.cycles == 7);
    cost_armv7m(sdiv, sizeof sdiv, &ic);
    ck_assert(ic.div == COST_DIV_SIGNED && ic.rn == 2 && ic.rm == 3);
    cost_rv32(divu, sizeof divu, &ic);
    ck_assert(ic.div == COST_DIV_UNSIGNED && ic.rn == 5 && ic.rm == 6 && ic.cycles == 33);
    cost_rv32(rem, sizeof rem, &ic);
    ck_assert(ic.div == COST_DIV_SIGNED && ic.rn == 5 && ic.rm == 6);

    ck_assert_uint_eq(cost_quotient_bits(7, 7, false), 1);
    ck_assert_uint_eq(cost_quotient_bits(6, 7, false), 0);
    ck_assert_uint_eq(cost_quotient_bits(0xffffffffu, 1, false), 32);
    ck_assert_uint_eq(cost_quotient_bits(0xffffffffu, 1, true), 1);    /* -1 / 1 */
    ck_assert_uint_eq(cost_quotient_bits(0x80000000u, 0xffffffffu, true), 32);
    ck_assert_uint_eq(cost_quotient_bits(5, 0, false), 0);
    for (uint32_t n = 1; n; n <<= 1)
        for (uint32_t d = 1; d; d <<= 3) {
            unsigned a = cost_armv7m_div(n, d, false), r = cost_rv32_div(n, d, false);
            ck_assert(a >= 2 && a <= 12 && r >= 2 && r <= 33);
            /* a longer quotient never takes fewer cycles */
            ck_assert(cost_armv7m_div(n, d, false) >= cost_armv7m_div(n >> 1, d, false));
            ck_assert(cost_rv32_div(n, d, false) >= cost_rv32_div(n >> 1, d, false));
        }
    ck_assert_uint_eq(cost_armv7m_div(7, 0, false), 2);
    ck_assert_uint_eq(cost_rv32_div(7, 0, true), 2);
}
END_TEST

static Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, evq_orders_by_when_prio_seq);
    tcase_add_test(tc, evq_rearm_cancel_and_late);
    tcase_add_test(tc, sclock_conversions_exact);
    tcase_add_loop_test(tc, counter_wraps_at_exact_tick, 0, 4);
    tcase_add_test(tc, counter_stop_start_prescale);
    tcase_add_test(tc, irq_lines);
    tcase_add_test(tc, parse_numbers_and_times);
    tcase_add_test(tc, trace_categories);
    tcase_add_test(tc, trace_hash_is_deterministic);
    tcase_add_test(tc, bus_decodes_registers_and_rules);
    tcase_add_test(tc, divide_decode_and_timing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sim_suite());
    int failed;
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
