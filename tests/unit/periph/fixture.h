/* Test fixture for peripheral models: a bare machine without bus, CPU or
 * Unicorn. It owns an event queue (the clock), a trace that hashes but does
 * not print, one instance of the model under test, and recorders on the
 * instance's irq and pin lines. Time advances with fx_advance(), which runs
 * due events exactly as the machine's CPU loop would.
 *
 * Also provides test doubles for what the models call in the machine:
 * machine_request_exit(), periph_machine() and bus_ram_ptr() (one flat RAM
 * window, fx_ram). */
#ifndef TESTS_UNIT_PERIPH_FIXTURE_H
#define TESTS_UNIT_PERIPH_FIXTURE_H

#include <check.h>

#include "periph/periph.h"
#include "sim/bus.h"
#include "sim/machine.h"

#define FX_LOG_MAX 4096

/* One recorded change on an irq or pin line. */
struct fx_edge {
    cycles_t when;
    unsigned line;
    bool level;
};

struct fx_lines {
    bool level[PERIPH_MAX_PINS];
    unsigned rises[PERIPH_MAX_PINS];
    unsigned falls[PERIPH_MAX_PINS];
    cycles_t last_rise[PERIPH_MAX_PINS];
    struct fx_edge log[FX_LOG_MAX];
    unsigned nlog;
};

struct fx {
    struct evq q;
    struct trace tr;
    struct periph *p;
    struct fx_lines irq, pin;
    /* machine_request_exit() double */
    bool exit_requested;
    int exit_status;
    char exit_why[256];
    /* characters the model wrote to its chardev */
    struct chardev chr;
    uint8_t out[8192];
    size_t nout;
};

#define FX_RAM_BASE 0x20000000u
#define FX_RAM_SIZE 0x10000u
extern uint8_t fx_ram[FX_RAM_SIZE];

/* Builds `name` of `model` at `base` with cfg; fails the test if create()
 * fails. cpu_hz is the machine's clock. Lines are connected to recorders;
 * reset() is called. */
struct periph *fx_create(struct fx *f, const struct periph_model *model, const char *name,
                         uint32_t base, uint64_t cpu_hz, const void *cfg);
/* Same, but returns create()'s result and the error instead of failing. */
int fx_try_create(struct fx *f, const struct periph_model *model, const char *name,
                  uint32_t base, uint64_t cpu_hz, const void *cfg, struct sim_error *err);
void fx_destroy(struct fx *f);
/* set_prop then reset (as the machine does with --set); fails the test on error. */
void fx_set(struct fx *f, const char *prop, uint64_t value);
void fx_reset(struct fx *f);

/* Register access by name (and element), as the bus would decode it. */
unsigned fx_reg_index(const struct fx *f, const char *reg);
uint32_t fx_read(struct fx *f, const char *reg, unsigned idx);
void fx_write(struct fx *f, const char *reg, unsigned idx, uint32_t val);
/* Sub-word access: `byte` inside the 32-bit register, `size` bytes.
 * Lane convention (see periph/periph_lanes.h): the value is positioned in
 * its byte lanes of the word, both ways. */
uint32_t fx_read_sz(struct fx *f, const char *reg, unsigned idx, unsigned byte, unsigned size);
void fx_write_sz(struct fx *f, const char *reg, unsigned idx, unsigned byte, unsigned size,
                 uint32_t val);

/* Sets q.now = when (>= now) and runs due events. */
void fx_advance_to(struct fx *f, cycles_t when);
static inline void fx_advance(struct fx *f, cycles_t delta) { fx_advance_to(f, f->q.now + delta); }
/* Advances event by event (never past `limit`) until `line`'s irq level is
 * `level`; returns the cycle, or CYCLES_NEVER if the limit was reached. */
cycles_t fx_run_until_irq(struct fx *f, unsigned line, bool level, cycles_t limit);

/* The model's trace records (count), for "a guest error was reported". */
static inline uint64_t fx_trace_records(const struct fx *f) { return f->tr.records; }

/* The widths that timer tests loop over. */
extern const unsigned fx_widths[4];

/* TAP runner: runs the suite, returns the process exit status. */
int fx_run_suite(Suite *s);

#endif
