/* Chrome trace-event JSON of a run, as ui.perfetto.dev (and chrome://tracing)
 * load it. One trace process (the board) with these tracks (threads):
 *   ISRs      Cortex-M: one slice per exception handler, named (SysTick,
 *             SVCall, IRQn <handler symbol>), nested as they preempt each
 *             other; RV32: an instant per trap (cause named)
 *   alarms    an instant per record of the `alarm` trace category: the
 *             alarm timer's compare writes and its matches
 *   <process> one track per Tock process: "running" slices, a slice per
 *             system call (from the call until the kernel resumes the
 *             process; its decoded return in the end's args), instants for
 *             upcalls, preemptions and faults
 * Timestamps are simulated microseconds (ns precision). */
#ifndef SIM_PERFETTO_H
#define SIM_PERFETTO_H

#include "common.h"

struct machine;
struct perfetto;

/* Opens path and writes the track names (after load, reset and the scan of
 * the processes); switches the alarm category on for itself (not hashed). */
int perfetto_open(struct perfetto **out, struct machine *m, const char *path,
                  struct sim_error *err);
/* Ends the open slices at the current time and closes the file; NULL ok. */
void perfetto_close(struct perfetto *p);

#endif
