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
/* The i-th peripheral instance (board-table order), NULL past the end. */
struct periph *machine_periph_at(struct machine *m, unsigned i);
/* A peripheral instance by name (models created earlier in the board table). */
struct periph *machine_find_periph(struct machine *m, const char *name);
/* Bytes the guest wrote to its console (UART, semihosting). */
void machine_console_write(struct machine *m, const uint8_t *data, size_t len);
/* Bytes for the guest's console UART (keyboard, scenario, --input): queued
 * and handed to the UART as fast as it accepts them, deterministically. */
int machine_console_input(struct machine *m, const uint8_t *data, size_t len);


#include <stdio.h>

#include "bus.h"
#include "elf.h"
#include "evq.h"
#include "osview.h"
#include "snap.h"
#include "trace.h"
#include "../periph/periph.h"

struct board_desc;
struct cpu;

#define MACHINE_MAX_IMAGES 8

struct machine {
    const struct board_desc *board;
    struct evq q;
    struct trace tr;
    struct bus bus;
    struct cpu *cpu;
    struct periph *periphs[BUS_MAX_PERIPHS];    /* in board-table order */
    unsigned nperiphs;
    struct periph *intc;
    struct chardev console;
    FILE *console_out;
    struct elf_image images[MACHINE_MAX_IMAGES];    /* [0] = kernel */
    unsigned nimages;
    bool exit_req;
    int exit_status;
    char exit_why[320];
    /* console input waiting for the UART */
    uint8_t *input;
    size_t input_len, input_pos;
    struct evq_event input_ev;
    struct periph *console_uart;
    /* --until-text */
    const char *until_text;
    size_t until_matched;
    bool until_hit;
    /* snapshots (machine_snap.c) */
    uint64_t console_bytes;     /* bytes written to the console so far */
    bool wfi_traced;            /* this sleep's "wfi" trace line is out */
    struct snap_image image_ids[SNAP_MAX_IMAGES];   /* what was loaded, in order */
    unsigned nimage_ids;
    struct osview os;           /* the Tock processes (osview.h) */
};

enum machine_end {
    MACHINE_END_EXIT,       /* the guest or the machine asked to stop (exit_status) */
    MACHINE_END_LIMIT,      /* reached --max-time / --max-cycles */
    MACHINE_END_UNTIL,      /* --until-text seen */
    MACHINE_END_FATAL,      /* lockup / cannot continue (message printed) */
    MACHINE_END_IDLE,       /* asleep with nothing that could ever wake it */
    MACHINE_END_INTERRUPT,  /* *stop_flag was set (Ctrl-C) */
    MACHINE_END_DEBUG,      /* breakpoint, step or watchpoint (cpu_debug_stop_info) */
};

int machine_create(struct machine **out, const struct board_desc *b, struct sim_error *err);
void machine_destroy(struct machine *m);
/* `NAME.prop=value` (before machine_reset). */
int machine_set(struct machine *m, const char *assignment, struct sim_error *err);
int machine_load_elf(struct machine *m, const char *path, struct sim_error *err);
/* Reads the TBFs and lays them out in the board's app flash, in order
 * (after the kernel's ELF was loaded); each is noted as an image. */
int machine_load_apps(struct machine *m, const char *const *paths, unsigned n,
                      struct sim_error *err);
int machine_reset(struct machine *m, struct sim_error *err);
enum machine_end machine_run(struct machine *m, cycles_t max_cycles,
                             volatile const int *stop_flag);
/* Ends the run: lets the models hand over output still in flight. */
void machine_flush(struct machine *m);
/* Symbol for an address in any loaded image ("name+0x12" into buf). */
const char *machine_symbolize(struct machine *m, uint32_t addr, char *buf, size_t len);

/* Snapshots (machine_snap.c, format in snap.h). Between runs only.
 * machine_snapshot: the whole state into b (reused: its memory is kept);
 * machine_restore: back into m, which must be the same board with the same
 * images loaded (and reset); `src` names the snapshot in messages. A failed
 * restore leaves m in an unspecified state: destroy it. */
int machine_snapshot(struct machine *m, struct snap_buf *b);
int machine_restore(struct machine *m, const struct snap_buf *b, const char *src,
                    struct sim_error *err);
/* Records an image loaded from outside (an app TBF) for the snapshot header;
 * machine_load_elf records the kernel itself. */
int machine_note_image(struct machine *m, const char *path, const void *data, size_t len,
                       struct sim_error *err);
int machine_snapshot_file(struct machine *m, const char *path, struct sim_error *err);
int machine_restore_file(struct machine *m, const char *path, struct sim_error *err);
/* Reads a snapshot file's header only (board, cycle, images): -1 if it is
 * not a readable snapshot. */
int machine_snapshot_header(const char *path, struct snap_header *h, struct sim_error *err);
/* `tocksim info` on a snapshot. */
int machine_snapshot_describe(const char *path, const uint8_t *data, size_t len, FILE *out,
                              struct sim_error *err);

#endif
