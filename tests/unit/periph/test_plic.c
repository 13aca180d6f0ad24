/* SiFive PLIC: priorities, threshold, claim/complete, MEIP/SEIP levels. */
#include <string.h>

#include "fixture.h"
#include "periph/plic.h"

static struct fx f;

static void setup(void)
{
    fx_create(&f, &plic_model, "plic", 0x0C000000, 10000000, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

static void src(unsigned n, bool level)
{
    plic_set_source(f.p, n, level);
}

START_TEST(test_reset_and_priorities)
{
    ck_assert_uint_eq(fx_read(&f, "PRIORITY", 10), 0);
    fx_write(&f, "PRIORITY", 10, 0xF);
    ck_assert_uint_eq(fx_read(&f, "PRIORITY", 10), 7);         /* WARL: mod 8 */
    fx_write(&f, "THRESHOLD0", 0, 9);
    ck_assert_uint_eq(fx_read(&f, "THRESHOLD0", 0), 1);
    fx_write(&f, "ENABLE0", 2, 0xFFFFFFFF);                     /* sources 64..95 */
    ck_assert_uint_eq(fx_read(&f, "ENABLE0", 2), 0xFFFFFFFF);
    fx_write(&f, "ENABLE0", 3, 0xFFFFFFFF);                     /* none above 95 */
    ck_assert_uint_eq(fx_read(&f, "ENABLE0", 3), 0);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 0);
}
END_TEST

START_TEST(test_claim_complete)
{
    fx_write(&f, "PRIORITY", 10, 1);
    fx_write(&f, "ENABLE0", 0, 1u << 10);
    src(10, true);
    ck_assert_uint_eq(fx_read(&f, "PENDING", 0), 1u << 10);
    ck_assert(f.irq.level[PLIC_IRQ_MEIP]);
    ck_assert(!f.irq.level[PLIC_IRQ_SEIP]);                     /* not enabled in context 1 */
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 10);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
    ck_assert_uint_eq(fx_read(&f, "PENDING", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 0);             /* nothing else */
    /* the device drops its line while claimed, then completion: quiet */
    src(10, false);
    fx_write(&f, "CLAIM0", 0, 10);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
    /* a line still high at completion is pending again */
    src(10, true);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 10);
    src(10, true);                                              /* pending again, masked by the claim */
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
    fx_write(&f, "CLAIM0", 0, 10);
    ck_assert(f.irq.level[PLIC_IRQ_MEIP]);
    /* pending follows the level before a claim (QEMU) */
    src(10, false);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
    ck_assert_uint_eq(fx_read(&f, "PENDING", 0), 0);
}
END_TEST

START_TEST(test_priority_order_and_threshold)
{
    fx_write(&f, "PRIORITY", 3, 2);
    fx_write(&f, "PRIORITY", 5, 5);
    fx_write(&f, "PRIORITY", 7, 5);
    fx_write(&f, "PRIORITY", 9, 0);                             /* never */
    fx_write(&f, "ENABLE0", 0, (1u << 3) | (1u << 5) | (1u << 7) | (1u << 9));
    src(3, true);
    src(5, true);
    src(7, true);
    src(9, true);
    fx_write(&f, "THRESHOLD0", 0, 5);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);                     /* must be above it */
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 0);
    fx_write(&f, "THRESHOLD0", 0, 2);
    ck_assert(f.irq.level[PLIC_IRQ_MEIP]);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 5);             /* tie: lowest number */
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 7);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);                     /* 3 is at the threshold */
    fx_write(&f, "THRESHOLD0", 0, 0);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 3);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 0);             /* 9 has priority 0 */
    fx_write(&f, "CLAIM0", 0, 5);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 5);
}
END_TEST

START_TEST(test_context1_seip)
{
    fx_write(&f, "PRIORITY", 33, 1);
    fx_write(&f, "ENABLE1", 1, 1u << 1);
    src(33, true);
    ck_assert(f.irq.level[PLIC_IRQ_SEIP]);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
    ck_assert_uint_eq(fx_read(&f, "CLAIM0", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "CLAIM1", 0), 33);
    ck_assert(!f.irq.level[PLIC_IRQ_SEIP]);
}
END_TEST

START_TEST(test_bad_source)
{
    uint64_t recs = fx_trace_records(&f);
    src(0, true);
    src(96, true);
    ck_assert_uint_ge(fx_trace_records(&f), recs + 2);
    ck_assert(!f.irq.level[PLIC_IRQ_MEIP]);
}
END_TEST

static Suite *plic_suite(void)
{
    Suite *s = suite_create("plic");
    TCase *tc = tcase_create("plic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_and_priorities);
    tcase_add_test(tc, test_claim_complete);
    tcase_add_test(tc, test_priority_order_and_threshold);
    tcase_add_test(tc, test_context1_seip);
    tcase_add_test(tc, test_bad_source);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(plic_suite());
}
