#include "pmp.h"

#include <stdio.h>

bool pmp_entry_range(const struct pmp *p, unsigned i, uint64_t *lo, uint64_t *hi)
{
    uint64_t a = (uint64_t)p->addr[i] << 2;

    switch ((p->cfg[i] & PMP_A) >> 3) {
    case PMP_TOR:
        *lo = i ? (uint64_t)p->addr[i - 1] << 2 : 0;
        *hi = a;
        return *hi > *lo;
    case PMP_NA4:
        *lo = a;
        *hi = a + 4;
        return true;
    case PMP_NAPOT: {
        /* trailing ones of pmpaddr give the size: 2^(ones + 3) bytes */
        uint32_t v = p->addr[i];
        unsigned ones = 0;
        while (ones < 32 && (v >> ones) & 1)
            ones++;
        uint64_t size = 1ull << (ones + 3);
        *lo = a & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

bool pmp_check(const struct pmp *p, uint32_t addr, unsigned size, unsigned acc, bool m_mode,
               int *entry)
{
    uint64_t first = addr, last = (uint64_t)addr + size;     /* [first, last) */
    *entry = -1;
    for (unsigned i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;
        if (!pmp_entry_range(p, i, &lo, &hi))
            continue;
        if (last <= lo || first >= hi)
            continue;                       /* no byte of the access matches */
        *entry = (int)i;
        if (first < lo || last > hi)
            return false;                   /* partly inside: fails */
        if (m_mode && !(p->cfg[i] & PMP_L))
            return true;
        if (acc == PMP_W)
            return (p->cfg[i] & (PMP_R | PMP_W)) == (PMP_R | PMP_W);
        return (p->cfg[i] & acc) != 0;
    }
    /* no entry matches: M mode is allowed, U mode is not, as all 16 entries
     * are implemented (privileged spec 3.7.1), even when every one is OFF */
    return m_mode;
}

bool pmp_page_is_cut(const struct pmp *p, uint32_t page)
{
    uint64_t lo_page = page & ~0xfffu, hi_page = lo_page + 0x1000;
    for (unsigned i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;
        if (!pmp_entry_range(p, i, &lo, &hi))
            continue;
        if ((lo > lo_page && lo < hi_page) || (hi > lo_page && hi < hi_page))
            return true;
    }
    return false;
}

void pmp_describe(const struct pmp *p, unsigned i, char *buf, size_t len)
{
    static const char *const modes[4] = { "OFF", "TOR", "NA4", "NAPOT" };
    uint8_t c = p->cfg[i];
    uint64_t lo, hi;
    if (!pmp_entry_range(p, i, &lo, &hi)) {
        snprintf(buf, len, "pmp%u %s%s", i, modes[(c & PMP_A) >> 3],
                 (c & PMP_A) ? " (empty range: matches nothing)" : "");
        return;
    }
    snprintf(buf, len, "pmp%u %s 0x%08llx..0x%08llx %c%c%c%s", i, modes[(c & PMP_A) >> 3],
             (unsigned long long)lo, (unsigned long long)(hi - 1), (c & PMP_R) ? 'R' : '-',
             (c & PMP_W) ? 'W' : '-', (c & PMP_X) ? 'X' : '-', (c & PMP_L) ? " L" : "");
}
