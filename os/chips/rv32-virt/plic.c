#include "chips/rv32-virt/plic.h"

#define PRIORITY    0x000000u
#define ENABLE      0x002000u
#define THRESHOLD   0x200000u
#define CLAIM       0x200004u

void plic_init(uintptr_t base, unsigned nsources)
{
    for (unsigned w = 0; w * 32 < nsources; w++)
        k_reg_write(base + ENABLE + 4 * w, 0);
    for (unsigned s = 1; s < nsources; s++)
        k_reg_write(base + PRIORITY + 4 * s, 0);
    k_reg_write(base + THRESHOLD, 0);
}

void plic_enable(uintptr_t base, unsigned src)
{
    k_reg_write(base + PRIORITY + 4 * src, 1);
    uintptr_t en = base + ENABLE + 4 * (src / 32);
    k_reg_write(en, k_reg_read(en) | 1u << (src % 32));
}

unsigned plic_claim(uintptr_t base)
{
    return k_reg_read(base + CLAIM);
}

void plic_complete(uintptr_t base, unsigned src)
{
    k_reg_write(base + CLAIM, src);
}
