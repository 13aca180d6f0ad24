/* RISC-V PMP (Physical Memory Protection), privileged spec v1.11 §3.6:
 * 16 entries (pmpcfg0-3, pmpaddr0-15), address matching OFF/TOR/NA4/NAPOT,
 * R/W/X permissions and the L bit (a locked entry also binds M mode and
 * cannot be rewritten until reset), priority by lowest index, and U-mode
 * default deny when no entry matches.
 *
 * The CSRs themselves live in Unicorn (the guest reads and writes them with
 * csrr/csrw, and Unicorn's PMP enforces them for whole pages, UNICORN.md §7);
 * this module decodes a copy of them for what Unicorn gets wrong or cannot
 * tell: exact verdicts for accesses in pages that a region boundary cuts,
 * traces naming the entry that decided, and unit tests.
 *
 * Choices where the spec leaves room: pmpaddr holds address bits [33:2]
 * (RV32 with 34-bit physical addresses, of which we use 32); NAPOT with
 * pmpaddr all ones covers the whole 34-bit space; a TOR entry whose top is
 * not above its bottom matches nothing; W=1 with R=0 (reserved) is stored
 * but denies writes. */
#ifndef PERIPH_PMP_H
#define PERIPH_PMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMP_ENTRIES 16

#define PMP_R 0x01u
#define PMP_W 0x02u
#define PMP_X 0x04u
#define PMP_A 0x18u
#define PMP_L 0x80u
enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

struct pmp {
    uint8_t cfg[PMP_ENTRIES];
    uint32_t addr[PMP_ENTRIES];
};

/* Byte range [lo, hi) an entry matches (hi up to 2^34); false if none. */
bool pmp_entry_range(const struct pmp *p, unsigned i, uint64_t *lo, uint64_t *hi);
/* Verdict for an access of `size` bytes at addr (acc = PMP_R, PMP_W or
 * PMP_X) at privilege M (m_mode true) or U. *entry = the deciding entry, -1
 * when none matched. An access that is only partly inside the matching
 * entry fails. */
bool pmp_check(const struct pmp *p, uint32_t addr, unsigned size, unsigned acc, bool m_mode,
               int *entry);
/* True if the permissions U mode sees change somewhere inside the 4 KiB
 * page at `page` (so a page-granular check cannot decide it). */
bool pmp_page_is_cut(const struct pmp *p, uint32_t page);
/* "pmp3 TOR 0x80240000..0x80241234 R-X L" */
void pmp_describe(const struct pmp *p, unsigned i, char *buf, size_t len);

#endif
