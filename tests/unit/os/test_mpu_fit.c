/* Exact PMSAv7 region fitting for IPC shares (os/arch/armv7m/mpu_fit.c):
 * whole regions, runs of subregions, and what cannot be covered exactly. */
#include <check.h>
#include "check_tap.h"
#include "arch/armv7m/mpu_fit.h"
#include "lib/errorcode.h"

static void fits(uint32_t start, uint32_t len, uint32_t base, uint32_t size, uint8_t srd)
{
    struct armv7m_mpu_fit f = { 0, 0, 0 };
    ck_assert_int_eq(armv7m_mpu_fit_exact(start, len, &f), 0);
    ck_assert_uint_eq(f.base, base);
    ck_assert_uint_eq(f.size, size);
    ck_assert_uint_eq(f.srd, srd);
    /* what the region grants is exactly the range */
    uint32_t sub = size >= 256 ? size / 8 : size;
    uint32_t on = 0;
    for (unsigned i = 0; i < (size >= 256 ? 8u : 1u); i++)
        if (!(srd >> i & 1)) {
            ck_assert_uint_eq(base + i * sub, start + on);
            on += sub;
        }
    ck_assert_uint_eq(on, len);
}

static void no_fit(uint32_t start, uint32_t len)
{
    struct armv7m_mpu_fit f;
    ck_assert_int_eq(armv7m_mpu_fit_exact(start, len, &f), K_ENOMEM);
}

START_TEST(test_whole_regions)
{
    fits(0x20004000, 32, 0x20004000, 32, 0);
    fits(0x20004040, 64, 0x20004040, 64, 0);
    fits(0x20004000, 0x1000, 0x20004000, 0x1000, 0);
    fits(0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u, 0);
}
END_TEST

START_TEST(test_subregions)
{
    /* 96 B at 0x..20: three 32 B subregions of a 256 B region */
    fits(0x20004020, 96, 0x20004000, 256, (uint8_t)~0x0E);
    /* 7/8 of a 1 KiB region, not at its start */
    fits(0x20004080, 896, 0x20004000, 1024, 0x01);
    /* 192 B straddling a 256 B boundary: a 512 B region, subregions 2-4 */
    fits(0x20004080, 192, 0x20004000, 512, (uint8_t)~0x1C);
}
END_TEST

START_TEST(test_no_fit)
{
    no_fit(0x20004000, 0);
    no_fit(0x20004000, 16);             /* below the minimum region */
    no_fit(0x20004001, 32);             /* misaligned */
    no_fit(0x20004010, 32);
    no_fit(0x20004000, 48);             /* not a power of two, no subregions below 256 B */
    no_fit(0x20004020, 100);            /* not whole subregions */
    no_fit(0xFFFFFFE0u, 64);            /* past the end of the address space */
    no_fit(0, 0x80000001u);
}
END_TEST

static Suite *fit_suite(void)
{
    Suite *s = suite_create("os_mpu_fit");
    TCase *tc = tcase_create("fit");
    tcase_add_test(tc, test_whole_regions);
    tcase_add_test(tc, test_subregions);
    tcase_add_test(tc, test_no_fit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(fit_suite());
}
