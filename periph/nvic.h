/* ARMv7-M NVIC (window 0xE000E000..0xE000EF03: ICTR, ACTLR, ISER/ICER/ISPR/
 * ICPR/IABR at +0x100.., IPR at +0x400, STIR at +0xF00)
 * and the exception state of the core: pending/active/priority of every
 * exception 1..16+N. The SCB model (scb.c) and the Cortex-M core
 * (cpu/cortexm/) act on it through the functions below.
 * Inputs are exception numbers: external IRQ n is input 16+n, SysTick 15.
 * External lines are level-sensitive: a line still high when its handler
 * returns is pending again; a rising edge pends it.
 * Not modelled: the NMI input, DebugMonitor, ACTLR's effects (stored only). */
#ifndef PERIPH_NVIC_H
#define PERIPH_NVIC_H

#include "periph.h"

#define NVIC_MAX_EXC (16 + 240)

enum {
    EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5,
    EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12, EXC_PENDSV = 14, EXC_SYSTICK = 15,
};

struct nvic_cfg {
    unsigned nirqs;             /* external interrupt lines */
    unsigned prio_bits;         /* implemented priority bits (nRF52: 3) */
};

struct cpu;

struct nvic {
    struct periph dev;
    struct nvic_cfg cfg;
    struct cpu *cpu;            /* told when something may have become deliverable */
    unsigned nexc;              /* 16 + nirqs */
    uint8_t prio[NVIC_MAX_EXC];     /* raw priority byte (configurable exceptions) */
    bool enabled[NVIC_MAX_EXC];
    bool pending[NVIC_MAX_EXC];
    bool active[NVIC_MAX_EXC];
    bool level[NVIC_MAX_EXC];
    /* SCB state that concerns exceptions (registers in scb.c) */
    uint32_t vtor;
    uint32_t prigroup;
    uint32_t ccr;
    uint32_t shcsr_ena;         /* MEMFAULTENA | BUSFAULTENA | USGFAULTENA bits of SHCSR */
    uint32_t cfsr, hfsr, mmfar, bfar, dfsr;
    uint32_t actlr;
};

extern const struct periph_model nvic_model;

void nvic_set_input(void *nvic, unsigned exc, bool level);  /* irq_sink_fn */
void nvic_set_pending(struct nvic *n, unsigned exc);
/* Priority of an exception (-3..-1 fixed, 0..255 configurable). */
int nvic_priority(const struct nvic *n, unsigned exc);
int nvic_group_priority(const struct nvic *n, int prio);
/* Execution priority from the active exceptions and the masks. */
int nvic_exec_priority(const struct nvic *n, bool primask, bool faultmask, uint32_t basepri);
/* Highest-priority pending exception (0 if none); *prio = its group priority. */
unsigned nvic_highest_pending(const struct nvic *n, int *prio);
void nvic_acknowledge(struct nvic *n, unsigned exc);    /* pending -> active */
void nvic_deactivate(struct nvic *n, unsigned exc);
unsigned nvic_active_count(const struct nvic *n);
bool nvic_fault_enabled(const struct nvic *n, unsigned exc);

#endif
