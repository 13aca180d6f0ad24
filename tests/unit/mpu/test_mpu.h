/* Check suites for the memory-protection decoders (tests/unit/mpu/). */
#ifndef TESTS_UNIT_MPU_TEST_MPU_H
#define TESTS_UNIT_MPU_TEST_MPU_H

#include <check.h>

Suite *mpu_v7m_suite(void);
Suite *pmp_suite(void);

#endif
