/* VCD (IEEE 1364 value change dump) of a run, for GTKWave and friends:
 * every GPIO output pin of the board's models (scope gpio.<periph>), every
 * interrupt line that is wired (scope irq.<periph>), and one signal per
 * Tock process that is 1 while the process runs (scope proc, from osview).
 * Timescale 1 ns; times come from the simulated clock only, so the same run
 * writes the same bytes. */
#ifndef SIM_VCD_H
#define SIM_VCD_H

#include "common.h"

struct machine;
struct vcd;

/* Opens path and writes the header and the initial values (call after the
 * machine is loaded, reset and its processes scanned). */
int vcd_open(struct vcd **out, struct machine *m, const char *path, struct sim_error *err);
/* Writes the end time and closes the file; NULL is fine. */
void vcd_close(struct vcd *v);

#endif
