/* ARMv7-M runtime for the bare-metal tests: vector table, exception dispatch,
 * semihosting console and exit (common/armv7m/rt.c, start.S). */
#ifndef ARMV7M_RT_H
#define ARMV7M_RT_H

#include <stdint.h>

#include "armv7m.h"
#include "memmap.h"
#include "t.h"

#define T_NUM_VECTORS (16u + NVIC_NUM_IRQS)

/* What a handler installed with t_set_handler() sees. */
struct t_exc {
    uint32_t num;          /* IPSR at entry */
    uint32_t exc_return;   /* LR at entry; a handler may change it (used on return) */
    uint32_t *frame;       /* the stacked r0-r3, r12, lr, pc, xPSR (FR_* indices) */
    uint32_t msp;          /* MSP at entry, after stacking */
    uint32_t psp;          /* PSP at entry */
};
typedef void (*t_handler_fn)(struct t_exc *e);

/* Every vector of the ROM table enters t_isr_common (start.S), which calls the
 * handler installed here for the current IPSR, then returns with POP {.., pc}.
 * An exception with no handler prints a FAIL line and ends the program. */
void t_set_handler(unsigned exc, t_handler_fn fn);
void t_isr_common(void);
extern void (*const t_rom_vectors[T_NUM_VECTORS])(void);

/* Size in bytes of the Thumb instruction at addr. */
static inline uint32_t t_insn_len(uint32_t addr)
{
    uint16_t hw = *(const volatile uint16_t *)addr;
    return (hw >> 11) >= 0x1Du ? 4u : 2u;
}

/* The test program's entry point: return when done (t_done() follows). */
void test_main(void);

/* Semihosting (ARM DUI 0471 / "Semihosting for AArch32 and AArch64"). */
#define SEMI_SYS_WRITEC        0x03u
#define SEMI_SYS_WRITE0        0x04u
#define SEMI_SYS_EXIT          0x18u
#define SEMI_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
uint32_t t_semihost(uint32_t op, uint32_t arg);
void t_flush(void);

#endif
