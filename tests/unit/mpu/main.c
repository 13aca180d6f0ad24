/* Runs the memory-protection decoder suites with TAP on stdout. */
#include <stdlib.h>

#include "test_mpu.h"

int main(void)
{
    SRunner *sr = srunner_create(mpu_v7m_suite());
    srunner_add_suite(sr, pmp_suite());
    srunner_set_tap(sr, "/dev/stdout");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
