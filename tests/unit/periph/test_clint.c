/* CLINT: mtime, mtimecmp -> MTIP level, msip -> MSIP, widths 16/24/32/64. */
#include <string.h>

#include "fixture.h"
#include "periph/clint.h"
#include "sim/sclock.h"

#define CPU_HZ 25000000u
#define TB_HZ 10000000u

static struct fx f;

static void setup(void)
{
    static const struct clint_cfg cfg = { .timebase_hz = TB_HZ };
    fx_create(&f, &clint_model, "clint", 0x02000000, CPU_HZ, &cfg);
}

static void teardown(void)
{
    fx_destroy(&f);
}

static uint64_t mask_of(unsigned w)
{
    return w >= 64 ? UINT64_MAX : (1ull << w) - 1;
}

/* cycle of timebase tick k */
static cycles_t tick(uint64_t k)
{
    return sclock_cycle_of_tick(k, CPU_HZ, TB_HZ);
}

static void set_cmp(uint64_t v)
{
    fx_write(&f, "MTIMECMP_HI", 0, 0xFFFFFFFF);
    fx_write(&f, "MTIMECMP_LO", 0, (uint32_t)v);
    fx_write(&f, "MTIMECMP_HI", 0, (uint32_t)(v >> 32));
}

static uint64_t mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = fx_read(&f, "MTIME_HI", 0);
        lo = fx_read(&f, "MTIME_LO", 0);
    } while (hi != fx_read(&f, "MTIME_HI", 0));
    return (uint64_t)hi << 32 | lo;
}

START_TEST(test_reset)
{
    ck_assert_uint_eq(fx_read(&f, "MTIMECMP_LO", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "MTIMECMP_HI", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "MSIP", 0), 0);
    fx_advance(&f, 1000);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);       /* not armed until written (QEMU) */
    ck_assert_uint_eq(mtime(), sclock_ticks_at(1000, CPU_HZ, TB_HZ));
    ck_assert_uint_eq(clint_mtime(f.p), 400);
    set_cmp(0);
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);
}
END_TEST

/* MTIP rises at the exact tick where mtime reaches mtimecmp. */
START_TEST(test_mtip_level)
{
    cycles_t t0 = 777;
    uint64_t m0;

    fx_advance_to(&f, t0);
    m0 = mtime();
    set_cmp(m0 + 1000);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    fx_advance_to(&f, tick(m0 + 1000) - 1);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    fx_advance_to(&f, tick(m0 + 1000));
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);
    ck_assert_uint_eq(f.irq.last_rise[CLINT_IRQ_MTIP], tick(m0 + 1000));
    fx_advance(&f, 100000);
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);          /* a level: stays */
    ck_assert_uint_eq(f.irq.rises[CLINT_IRQ_MTIP], 1);
    set_cmp(UINT64_MAX);                             /* acknowledged by moving mtimecmp */
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    /* writing mtime forward past mtimecmp raises it at once */
    set_cmp(5000000);
    fx_write(&f, "MTIME_HI", 0, 0);
    fx_write(&f, "MTIME_LO", 0, 5000000);
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);
    fx_write(&f, "MTIME_LO", 0, 4999999);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    {
        uint64_t k = sclock_ticks_at(f.q.now, CPU_HZ, TB_HZ);
        ck_assert_uint_eq(fx_run_until_irq(&f, CLINT_IRQ_MTIP, true, CYCLES_NEVER), tick(k + 1));
    }
}
END_TEST

/* start_count one tick before the maximum; compare at and across the wrap. */
START_TEST(test_wrap)
{
    unsigned w = fx_widths[_i];
    uint64_t m = mask_of(w);
    uint64_t k0;

    fx_set(&f, "width_bits", w);
    fx_set(&f, "start_count", m - 1);
    ck_assert_uint_eq(mtime(), m - 1);
    k0 = sclock_ticks_at(f.q.now, CPU_HZ, TB_HZ);
    set_cmp(m);                                      /* at the maximum */
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    fx_advance_to(&f, tick(k0 + 1) - 1);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    fx_advance_to(&f, tick(k0 + 1));
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);
    ck_assert_uint_eq(mtime(), m);
    /* the wrap brings mtime below mtimecmp: MTIP drops at the exact tick */
    fx_advance_to(&f, tick(k0 + 2));
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    ck_assert_uint_eq(mtime(), 0);
    ck_assert_uint_eq(f.irq.log[f.irq.nlog - 1].when, tick(k0 + 2));
    /* compare across the wrap */
    set_cmp(3);
    fx_advance_to(&f, tick(k0 + 5) - 1);
    ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
    fx_advance_to(&f, tick(k0 + 5));
    ck_assert(f.irq.level[CLINT_IRQ_MTIP]);
    /* an mtimecmp beyond a narrow mtime never fires */
    if (w < 64) {
        set_cmp(m + 1);
        ck_assert(!f.irq.level[CLINT_IRQ_MTIP]);
        ck_assert_uint_eq(evq_next_deadline(&f.q), CYCLES_NEVER);
    }
}
END_TEST

/* mtime read at arbitrary cycles; prescaler divides the timebase. */
START_TEST(test_arbitrary_reads_and_prescaler)
{
    for (cycles_t c = 0; c < 3000000; c += 4099) {
        fx_advance_to(&f, c);
        ck_assert_uint_eq(mtime(), sclock_ticks_at(c, CPU_HZ, TB_HZ));
        ck_assert_uint_eq(clint_mtime(f.p), sclock_ticks_at(c, CPU_HZ, TB_HZ));
    }
    fx_set(&f, "prescaler", 10);
    {
        cycles_t c0 = f.q.now;
        uint64_t base = sclock_ticks_at(c0, CPU_HZ, TB_HZ) / 10;
        for (cycles_t c = c0; c < c0 + 1000000; c += 1237) {
            fx_advance_to(&f, c);
            ck_assert_uint_eq(mtime(), sclock_ticks_at(c, CPU_HZ, TB_HZ) / 10 - base);
        }
    }
}
END_TEST

START_TEST(test_msip)
{
    fx_write(&f, "MSIP", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "MSIP", 0), 1);
    ck_assert(f.irq.level[CLINT_IRQ_MSIP]);
    fx_write(&f, "MSIP", 0, 2);
    ck_assert(!f.irq.level[CLINT_IRQ_MSIP]);
    ck_assert_uint_eq(f.irq.rises[CLINT_IRQ_MSIP], 1);
}
END_TEST

START_TEST(test_props)
{
    struct sim_error err;
    ck_assert_int_eq(clint_model.ops->set_prop(f.p, "width_bits", 48, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "clint.width_bits: found 48, expected one of 16, 24, 32, 64"));
    fx_set(&f, "width_bits", 16);
    ck_assert_int_eq(clint_model.ops->set_prop(f.p, "start_count", 0x10000, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected at most 0xffff"));
}
END_TEST

static Suite *clint_suite(void)
{
    Suite *s = suite_create("clint");
    TCase *tc = tcase_create("clint");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_mtip_level);
    tcase_add_loop_test(tc, test_wrap, 0, 4);
    tcase_add_test(tc, test_arbitrary_reads_and_prescaler);
    tcase_add_test(tc, test_msip);
    tcase_add_test(tc, test_props);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(clint_suite());
}
