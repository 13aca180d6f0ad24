/* The per-process part of the fault dump (TOCK.md §7): status, memory map,
 * registers, grants and MPU configuration, in Tock's layout. */
#ifndef OS_KERNEL_DUMP_H
#define OS_KERNEL_DUMP_H

#include "lib/kfmt.h"

struct k_process;

void k_dump_process(struct k_process *p, struct k_writer *w);

#endif
