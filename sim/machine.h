/* The machine owns all simulator state: board, clock and events, bus,
 * peripherals, CPU, trace. Two machines in one process are independent. */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include "common.h"

struct machine;
struct periph;

/* Ends the run at the next instruction boundary with exit status `status`
 * (semihosting SYS_EXIT, sifive_test, kernel panic...). `why` is printed. */
void machine_request_exit(struct machine *m, int status, const char *why);
/* The machine a peripheral belongs to (set before the model's create). */
struct machine *periph_machine(const struct periph *p);

#endif
