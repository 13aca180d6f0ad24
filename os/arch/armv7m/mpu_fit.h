/* Fitting a byte range exactly into one PMSAv7 MPU region (pure code, also
 * built on the host by tests/unit/os). A region is a power of two >= 32 B,
 * aligned to its size; regions of 256 B or more have 8 subregions that can
 * be switched off one by one, so a range that is a run of whole subregions
 * fits too. */
#ifndef OS_ARCH_ARMV7M_MPU_FIT_H
#define OS_ARCH_ARMV7M_MPU_FIT_H

#include "lib/util.h"

struct armv7m_mpu_fit {
    uint32_t base;          /* region base address (aligned to size) */
    uint32_t size;          /* region size, a power of two, 32 B to 2 GiB */
    uint8_t srd;            /* subregion disable bits (1 = off) */
};

/* The smallest region covering exactly [start, start + len). Returns 0, or
 * K_ENOMEM when no region can (below 32 B, above 2 GiB, or misaligned). */
int armv7m_mpu_fit_exact(uint32_t start, uint32_t len, struct armv7m_mpu_fit *out);

#endif
