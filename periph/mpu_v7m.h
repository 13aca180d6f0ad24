/* ARMv7-M MPU (PMSAv7) register model at 0xE000ED90: TYPE (8 regions),
 * CTRL (ENABLE, HFNMIENA, PRIVDEFENA), RNR, RBAR (VALID/REGION), RASR (ENABLE,
 * SIZE 32 B..4 GiB, SRD, AP, XN, TEX/S/C/B stored) and the RBAR_A1..3 /
 * RASR_A1..3 aliases.
 *
 * Enforcement is the core's job: the Cortex-M core hands this configuration
 * to Unicorn's own PMSAv7 MPU at the next instruction boundary (exact faults,
 * UNICORN.md §4). The decoder here (mpu7m_check) gives the same verdict in C
 * for what Unicorn cannot see: exception stacking and unstacking, traces
 * naming the region that denied an access, and unit tests.
 *
 * UNPREDICTABLE cases, our choices (each also traced as a guest error when
 * the guest programs it): SIZE < 4 (regions below 32 bytes) -> the region is
 * treated as disabled; a base not aligned to the size -> the low bits are
 * ignored (as the hardware's comparators do); SRD bits on regions smaller
 * than 256 bytes -> ignored; AP = 4 (reserved) -> no access.
 * Not modelled: the cache attributes' effects (TEX/S/C/B are stored only). */
#ifndef PERIPH_MPU_V7M_H
#define PERIPH_MPU_V7M_H

#include "periph.h"

#define MPU7M_NREGIONS 8

#define MPU7M_CTRL_ENABLE     (1u << 0)
#define MPU7M_CTRL_HFNMIENA   (1u << 1)
#define MPU7M_CTRL_PRIVDEFENA (1u << 2)

enum mpu7m_access { MPU7M_READ, MPU7M_WRITE, MPU7M_EXEC };

struct mpu7m_region {
    uint32_t rbar;              /* ADDR bits as written (VALID/REGION stripped) */
    uint32_t rasr;
};

struct cpu;

struct mpu7m {
    struct periph dev;
    uint32_t ctrl, rnr;
    struct mpu7m_region r[MPU7M_NREGIONS];
    uint32_t generation;        /* bumped when the effective configuration changes */
    struct cpu *cpu;            /* told to re-apply at the next boundary */
};

extern const struct periph_model mpu7m_model;

/* Decoded view of one region: enabled, base, size in bytes (0 = 4 GiB). */
struct mpu7m_decoded {
    bool enabled;
    uint32_t base;
    uint64_t size;
    uint8_t srd, ap;
    bool xn;
};
void mpu7m_decode(const struct mpu7m_region *r, struct mpu7m_decoded *d);

/* Does an access at addr get through? `priv` is the privilege of the access,
 * `neg_prio` true when running at priority < 0 (HardFault, NMI, FAULTMASK).
 * *region = the region that decided (-1: background/default map). */
bool mpu7m_check(const struct mpu7m *m, uint32_t addr, enum mpu7m_access acc, bool priv,
                 bool neg_prio, int *region);
/* "r3 0x20004000 4KiB srd=0x00 ap=RW/RO xn" */
void mpu7m_describe(const struct mpu7m *m, unsigned i, char *buf, size_t len);

#endif
