/* App discovery (TOCK.md §3.2): walk the app flash as a list of TBF
 * objects and create a process for each enabled app. */
#include "kernel/kernel.h"
#include "kernel/debug.h"

#define K_KERNEL_MAJOR 2u
#define K_KERNEL_MINOR 3u

void k_kernel_load(struct k_kernel *k)
{
    k_debug_set_kernel(k);
    if (!k->timeslice_us)
        k->timeslice_us = K_DEFAULT_TIMESLICE_US;
    k->ram_next = k->apps_ram_start;
    uint32_t addr = k->apps_flash_start;
    uint32_t end = k->apps_flash_start + k->apps_flash_size;
    while (addr < end) {
        struct tbf_header h;
        const char *why;
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)addr, end - addr, &h, &why);
        if (st == TBF_END)
            break;
        if (st == TBF_FATAL) {
            k_printf("Error: TBF at 0x%08x: %s; app discovery stops\r\n", (unsigned)addr, why);
            break;
        }
        if (st == TBF_SKIP) {
            k_printf("Warning: skipping TBF at 0x%08x: %s\r\n", (unsigned)addr, why);
        } else if (!tbf_is_app(&h)) {
            /* padding */
        } else if (!tbf_enabled(&h)) {
            k_printf("App at 0x%08x is disabled\r\n", (unsigned)addr);
        } else if (h.has_kernel_version &&
                   (h.kernel_major != K_KERNEL_MAJOR || h.kernel_minor > K_KERNEL_MINOR)) {
            k_printf("Warning: app at 0x%08x needs kernel %u.%u; skipped\r\n", (unsigned)addr,
                     h.kernel_major, h.kernel_minor);
        } else if (k->nprocs == k->max_procs) {
            k_printf("Warning: more apps than process slots (%u); rest ignored\r\n", k->max_procs);
            break;
        } else {
            k_process_create(k, addr, &h);
        }
        addr += h.total_size;
    }
    k_printf("Processes: %u\r\n", k->nprocs);
    for (unsigned i = 0; i < k->nprocs; i++) {
        const struct k_process *p = &k->procs[i];
        k_printf("  [%u] %-16s flash 0x%08x-0x%08x  ram 0x%08x-0x%08x\r\n", i,
                 p->name[0] ? p->name : "(no name)", (unsigned)p->flash_start,
                 (unsigned)p->flash_end, (unsigned)p->mem_start, (unsigned)p->mem_end);
    }
}
