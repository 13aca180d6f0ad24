/* Exact PMSAv7 region fitting (see mpu_fit.h). */
#include "arch/armv7m/mpu_fit.h"
#include "lib/errorcode.h"

int armv7m_mpu_fit_exact(uint32_t start, uint32_t len, struct armv7m_mpu_fit *out)
{
    uint64_t end = (uint64_t)start + len;
    if (len < 32 || len > 0x80000000u || end > 0x100000000ull)
        return K_ENOMEM;
    /* Bigger regions have bigger subregions: once a subregion is larger
     * than the range, nothing bigger can fit it exactly. */
    for (uint64_t sz = k_next_pow2(len); sz <= 0x80000000u && sz / 8 <= len; sz <<= 1) {
        uint64_t base = start & ~(sz - 1);
        if (end > base + sz)
            continue;
        uint8_t srd = 0;
        if (sz < 256) {
            if (base != start || sz != len)
                continue;
        } else {
            uint64_t sub = sz / 8;
            if ((start - base) % sub || (end - base) % sub)
                continue;
            unsigned first = (unsigned)((start - base) / sub), last = (unsigned)((end - base) / sub);
            srd = (uint8_t)~(((1u << last) - 1) & ~((1u << first) - 1));
        }
        out->base = (uint32_t)base;
        out->size = (uint32_t)sz;
        out->srd = srd;
        return 0;
    }
    return K_ENOMEM;
}
