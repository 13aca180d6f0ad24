/* The GDB stub of `tocksim run --gdb [HOST:]PORT`: one TCP connection,
 * served from the simulator thread. While the target runs, the machine
 * runs in slices of 1 ms of simulated time on a fixed grid (multiples of
 * cpu_hz/1000 cycles) and the socket is polled between slices, so what GDB
 * sends (Ctrl-C included) takes effect only at slice boundaries: a stop
 * lands on the same cycle for the same slice. Simulated time stands still
 * while the target is stopped. */
#ifndef SIM_GDB_SERVER_H
#define SIM_GDB_SERVER_H

#include "../common.h"

struct machine;
struct faultreport;

enum gdb_end {
    GDB_END_DETACHED,       /* D: run on without a debugger */
    GDB_END_KILLED,         /* k, or the connection closed */
    GDB_END_EXITED,         /* the guest ended the run (*status) */
    GDB_END_INTERRUPTED,    /* SIGINT to tocksim */
};

/* Listens on "[HOST:]PORT" (HOST defaults to 127.0.0.1; port 0 picks a
 * free one). A HOST that is not a loopback address is refused unless
 * `any`. *where gets "host:port" as bound. */
int gdb_listen(const char *spec, bool any, int *fd, char *where, size_t where_len,
               struct sim_error *err);

/* Waits for GDB on listen_fd (closing it once connected), then serves the
 * session until it ends. max_cycles bounds the run as --max-time does. */
enum gdb_end gdb_serve(struct machine *m, int listen_fd, cycles_t max_cycles,
                       volatile const int *stop_flag, struct faultreport *fr, int *status);

#endif
