/* The ARMv7-M MPU's register interface on malformed configurations: each
 * UNPREDICTABLE case does our documented choice and says so on the
 * guest-error trace line; nothing crashes. (The region decoder itself is
 * checked in tests/unit/mpu.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "periph/mpu_v7m.h"

static struct fx f;
static char *log_buf;
static size_t log_len;

static void setup(void)
{
    fx_create(&f, &mpu7m_model, "mpu", 0xE000ED90u, 64000000, NULL);
    f.tr.out = open_memstream(&log_buf, &log_len);
    f.tr.mask = 1u << TR_GUEST_ERR;
}

static void teardown(void)
{
    fclose(f.tr.out);
    f.tr.out = NULL;
    free(log_buf);
    log_buf = NULL;
    fx_destroy(&f);
}

static const char *logged(void)
{
    fflush(f.tr.out);
    return log_buf ? log_buf : "";
}

static struct mpu7m_decoded region(unsigned n)
{
    struct mpu7m_decoded d;
    mpu7m_decode(&container_of(f.p, struct mpu7m, dev)->r[n], &d);
    return d;
}

static void program(unsigned n, uint32_t rbar, uint32_t rasr)
{
    fx_write(&f, "RNR", 0, n);
    fx_write(&f, "RBAR", 0, rbar);
    fx_write(&f, "RASR", 0, rasr);
}

START_TEST(test_size_below_32_bytes)
{
    /* SIZE = 3 (16 B): UNPREDICTABLE; our choice is a disabled region */
    program(2, 0x20000000u, (3u << 1) | 1u | (3u << 24));
    ck_assert(!region(2).enabled);
    ck_assert_ptr_nonnull(strstr(logged(), "region 2 SIZE=3 is below 32 bytes"));
    ck_assert_ptr_nonnull(strstr(logged(), "UNPREDICTABLE: treated as disabled"));
}
END_TEST

START_TEST(test_base_not_aligned)
{
    /* 4 KiB region at 0x20000100: the low bits are ignored */
    program(1, 0x20000100u, (11u << 1) | 1u | (3u << 24));
    ck_assert(region(1).enabled);
    ck_assert_uint_eq(region(1).base, 0x20000000u);
    ck_assert_ptr_nonnull(strstr(logged(), "region 1 base 0x20000100 not aligned"));
}
END_TEST

START_TEST(test_srd_on_small_region)
{
    /* SRD on a 128 B region: UNPREDICTABLE below 256 B; ignored */
    program(0, 0x20000000u, (6u << 1) | 1u | (0x0Fu << 8) | (3u << 24));
    ck_assert_uint_eq(region(0).srd, 0);
    ck_assert_ptr_nonnull(strstr(logged(), "region 0 has subregions disabled"));
}
END_TEST

START_TEST(test_well_formed_is_silent)
{
    program(3, 0x20000000u, (11u << 1) | 1u | (3u << 24));
    ck_assert(region(3).enabled);
    ck_assert_str_eq(logged(), "");
}
END_TEST

START_TEST(test_rnr_beyond_regions)
{
    fx_write(&f, "RNR", 0, 9);
    ck_assert_ptr_nonnull(strstr(logged(), "RNR=9 beyond the 8 regions"));
    ck_assert_uint_lt(fx_read(&f, "RNR", 0), 8);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mpu_v7m");
    TCase *tc = tcase_create("malformed");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_size_below_32_bytes);
    tcase_add_test(tc, test_base_not_aligned);
    tcase_add_test(tc, test_srd_on_small_region);
    tcase_add_test(tc, test_well_formed_is_silent);
    tcase_add_test(tc, test_rnr_beyond_regions);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
