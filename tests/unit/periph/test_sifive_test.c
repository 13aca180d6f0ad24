/* sifive_test: pass, fail with code, reset, junk. */
#include <string.h>

#include "fixture.h"
#include "periph/sifive_test.h"

static struct fx f;

static void setup(void)
{
    fx_create(&f, &sifive_test_model, "test", 0x100000, 10000000, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

START_TEST(test_pass)
{
    ck_assert_uint_eq(fx_read(&f, "FINISHER", 0), 0);
    fx_write(&f, "FINISHER", 0, 0x5555);
    ck_assert(f.exit_requested);
    ck_assert_int_eq(f.exit_status, 0);
    ck_assert_ptr_nonnull(strstr(f.exit_why, "pass"));
}
END_TEST

START_TEST(test_fail_code)
{
    fx_write(&f, "FINISHER", 0, (42u << 16) | 0x3333);
    ck_assert(f.exit_requested);
    ck_assert_int_eq(f.exit_status, 42);
    ck_assert_ptr_nonnull(strstr(f.exit_why, "code 42"));
}
END_TEST

START_TEST(test_halfword_pass)
{
    fx_write_sz(&f, "FINISHER", 0, 0, 2, 0x5555);
    ck_assert(f.exit_requested);
    ck_assert_int_eq(f.exit_status, 0);
}
END_TEST

START_TEST(test_reset_request)
{
    fx_write(&f, "FINISHER", 0, 0x7777);
    ck_assert(f.exit_requested);
    ck_assert_int_eq(f.exit_status, 0);
    ck_assert_ptr_nonnull(strstr(f.exit_why, "reset"));
}
END_TEST

START_TEST(test_junk_ignored)
{
    uint64_t recs = fx_trace_records(&f);
    fx_write(&f, "FINISHER", 0, 0x1234);
    fx_write_sz(&f, "FINISHER", 0, 2, 2, 0x5555);   /* upper half alone: not a status */
    ck_assert(!f.exit_requested);
    ck_assert_uint_eq(fx_trace_records(&f), recs + 2);
}
END_TEST

static Suite *sifive_test_suite(void)
{
    Suite *s = suite_create("sifive_test");
    TCase *tc = tcase_create("sifive_test");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_pass);
    tcase_add_test(tc, test_fail_code);
    tcase_add_test(tc, test_halfword_pass);
    tcase_add_test(tc, test_reset_request);
    tcase_add_test(tc, test_junk_ignored);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(sifive_test_suite());
}
