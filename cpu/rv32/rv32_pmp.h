/* RV32 PMP enforcement on Unicorn (DESIGN.md §5, UNICORN.md §7).
 *
 * Every guest access to the PMP CSRs is emulated by the host against a
 * shadow copy (periph/pmp.c decodes it); Unicorn's own PMP is programmed
 * from the shadow through the saved context with a *derived* configuration
 * that is exact at page granularity, because Unicorn 2.0.1 caches PMP
 * verdicts per 4 KiB page (a page cut by a region boundary lets later
 * denied accesses through, and denies instruction fetches altogether):
 *   - a page that some region boundary cuts ("cut page") is given no read or
 *     write permission in Unicorn, and execute permission if any part of it
 *     is executable: every data access to it traps, and the host decides it
 *     to the byte (an allowed access is performed by the host and execution
 *     goes on; a denied one becomes the guest's access fault); instruction
 *     fetches are checked per block by the host;
 *   - the whole pages inside each region keep the region's permissions and
 *     run at full speed.
 * The slow path is thus confined to the cut pages. */
#ifndef CPU_RV32_PMP_H
#define CPU_RV32_PMP_H

#include <unicorn/unicorn.h>

#include "../../periph/pmp.h"
#include "../../sim/common.h"
#include "../../sim/trace.h"

#define RV_PMP_MAX_CUT 16

struct rv_pmp {
    struct pmp shadow;
    size_t blob_off;            /* pmp_state inside a saved context */
    uint32_t cut[RV_PMP_MAX_CUT];   /* cut pages, sorted */
    unsigned ncut;
    bool exec_check;            /* some cut page is partly executable */
    bool dirty;
    bool programmed;            /* `applied` holds what Unicorn was given */
    struct pmp applied;
    uint64_t programs, slow_accesses;
};

/* Finds pmp_state in a saved context (a scratch engine writes markers). */
int rv_pmp_find_offset(size_t *off, struct sim_error *err);
/* Derives Unicorn's configuration from the shadow and writes it into the
 * context blob `ctx` (saved by the caller, restored by the caller). */
void rv_pmp_program(struct rv_pmp *p, void *ctx, struct trace *tr);
bool rv_pmp_is_cut(const struct rv_pmp *p, uint32_t addr);

#endif
