/* ARMv7-M System Control Block (0xE000ED00): CPUID, ICSR, VTOR, AIRCR, SCR,
 * CCR, SHPR1-3, SHCSR, CFSR, HFSR, DFSR, MMFAR, BFAR, AFSR, CPACR. State that
 * concerns exceptions lives in the NVIC model (struct nvic), found by name.
 * Not modelled: ID_* feature registers (read as zero), sleep-on-exit,
 * SEVONPEND, system reset by AIRCR.SYSRESETREQ (ends the run, status 0,
 * with a note). */
#ifndef PERIPH_SCB_H
#define PERIPH_SCB_H

#include "periph.h"

struct nvic;

struct scb_cfg {
    const char *nvic;           /* instance name of the NVIC */
    uint32_t cpuid;             /* 0x410FC241 for Cortex-M4 r0p1 */
};

struct scb {
    struct periph dev;
    struct scb_cfg cfg;
    struct nvic *nvic;
    uint32_t scr, cpacr, afsr;
};

extern const struct periph_model scb_model;

#endif
