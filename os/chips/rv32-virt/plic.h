/* RISC-V PLIC, hart 0 machine-mode context: priority per source (base +
 * 4*src), enable bits (base + 0x2000), threshold (base + 0x200000),
 * claim/complete (base + 0x200004). */
#ifndef OS_CHIPS_RV32_VIRT_PLIC_H
#define OS_CHIPS_RV32_VIRT_PLIC_H

#include "lib/util.h"

void plic_init(uintptr_t base, unsigned nsources);
void plic_enable(uintptr_t base, unsigned src);
unsigned plic_claim(uintptr_t base);            /* 0: none */
void plic_complete(uintptr_t base, unsigned src);

#endif
