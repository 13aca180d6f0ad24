/* The peripheral model interface. One model = one .c/.h pair in periph/,
 * with a const `struct periph_model` describing its register window and an
 * instance struct that embeds `struct periph` as its first member.
 *
 * The bus decodes each guest access to a register (index into regs[], plus
 * the element index for register arrays), checks the access size and the
 * read-only / write-only rules, traces it by name (`--trace mmio`), and only
 * then calls the model's read/write. Unknown offsets and bad sizes are guest
 * errors handled by the bus (read as zero, writes ignored, one trace line). */
#ifndef PERIPH_PERIPH_H
#define PERIPH_PERIPH_H

#include "../sim/common.h"
#include "../sim/evq.h"
#include "../sim/irq.h"
#include "../sim/trace.h"

enum reg_access { REG_RW, REG_RO, REG_WO };

struct reg_desc {
    const char *name;
    uint32_t offset;
    enum reg_access access;
    uint16_t count;             /* elements in a register array (0 or 1: single register) */
    uint16_t stride;            /* bytes between elements (default 4) */
};

/* One decoded access. */
struct reg_ref {
    uint16_t reg;               /* index into the model's regs[] */
    uint16_t idx;               /* element of a register array */
    uint8_t byte;               /* byte offset inside the 32-bit register (sub-word access) */
    uint8_t size;               /* access size in bytes */
};

struct periph;
struct periph_inst;
struct bus;
struct snap_writer;
struct snap_reader;

/* A character device: the host end of a UART. */
struct chardev {
    void (*write)(struct chardev *c, const uint8_t *data, size_t len);   /* guest -> host */
    void *ctx;
};

struct periph_ops {
    uint32_t (*read)(struct periph *p, const struct reg_ref *r);
    void (*write)(struct periph *p, const struct reg_ref *r, uint32_t val);
    void (*reset)(struct periph *p);            /* cannot fail */
    /* Optional: an input pin driven from outside (button, scenario, UI). */
    void (*pin_in)(struct periph *p, unsigned pin, bool level);
    /* Optional: bytes arriving from the host end of a UART; returns how many
     * bytes were accepted (the rest stay queued in the machine). */
    size_t (*rx)(struct periph *p, const uint8_t *data, size_t len);
    /* Optional: called once every peripheral of the board exists, to find
     * the others this one works with (by instance name). */
    int (*link)(struct periph *p, struct sim_error *err);
    /* Optional: the run is ending; hand over what is still in flight to the
     * host (a UART's transmit FIFO), so that no output is lost. */
    void (*flush)(struct periph *p);
    /* Optional: `--set NAME.prop=value` (width_bits, start_count, prescaler,
     * ...); called after create and before reset. */
    int (*set_prop)(struct periph *p, const char *prop, uint64_t value, struct sim_error *err);
    /* Snapshots (sim/snap.h): save writes one section named after the
     * instance, with the model's own version, holding its whole state (`st`
     * and the properties that shape it); load reads it back, recomputes the
     * derived fields and re-arms the events from their saved absolute
     * deadlines. Neither touches the IRQ and pin lines: the machine saves
     * and restores their levels, and each sink restores its own inputs. */
    void (*save)(struct periph *p, struct snap_writer *w);
    int (*load)(struct periph *p, struct snap_reader *r, struct sim_error *err);
};

struct periph_model {
    const char *kind;                   /* "nrf-rtc" */
    const struct reg_desc *regs;
    unsigned nregs;
    uint32_t size;                      /* window size in bytes */
    uint8_t min_access, max_access;     /* allowed access sizes in bytes */
    size_t instance_size;
    /* Validates cfg and initialises the instance (whose `struct periph` is
     * already filled in by the machine). */
    int (*create)(struct periph *p, const void *cfg, struct sim_error *err);
    const struct periph_ops *ops;
    /* Interrupt controllers only: where device lines are wired (ctx = the
     * instance's struct periph; n = the board table's input number). */
    irq_sink_fn sink;
};

#define PERIPH_MAX_IRQ 4
#define PERIPH_MAX_PINS 32

struct periph {
    const struct periph_model *model;
    const char *name;                   /* instance name: "rtc1" */
    uint32_t base;
    /* What the model may use of the machine. */
    struct evq *q;
    struct trace *tr;
    struct bus *bus;                    /* for DMA (bus_ram_ptr) */
    uint64_t cpu_hz;
    struct chardev *chr;                /* UARTs: the console */
    struct machine *m;                  /* for machine_request_exit() only */
    /* Outputs, wired by the machine from the board table. */
    struct irq_line irq[PERIPH_MAX_IRQ];
    struct irq_line pin[PERIPH_MAX_PINS];   /* GPIO outputs (LEDs, scenario checks) */
    unsigned npins;
    /* Private to the bus: word offset -> (reg + 1) << 16 | idx, 0 = hole. */
    uint32_t *decode;
};

static inline cycles_t periph_now(const struct periph *p) { return p->q->now; }

#endif
