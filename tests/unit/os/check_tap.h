/* Run one Check suite with TAP on stdout (for Meson's protocol: 'tap'). */
#ifndef TESTS_UNIT_OS_CHECK_TAP_H
#define TESTS_UNIT_OS_CHECK_TAP_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite_tap(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
