/* The memory map: RAM/ROM regions (host-owned buffers mapped into Unicorn)
 * and MMIO windows dispatched to peripheral models by register. */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include "common.h"
#include "trace.h"

struct periph;
struct uc_struct;

struct bus_region {
    const char *name;
    uint32_t base, size;
    bool rom;                   /* guest writes are bus faults; loader and debugger may write */
    uint8_t *host;
};

#define BUS_MAX_REGIONS 8
#define BUS_MAX_PERIPHS 48

struct bus {
    struct bus_region regions[BUS_MAX_REGIONS];
    unsigned nregions;
    struct periph *periphs[BUS_MAX_PERIPHS];   /* sorted by window size, smallest first */
    unsigned nperiphs;
    struct trace *tr;
    struct uc_struct *uc;       /* set by bus_attach */
    void *spans;                /* MMIO span contexts handed to Unicorn */
    /* Set when a guest MMIO access hit nothing or broke a rule (an
     * unprivileged access to the PPB); the CPU turns it into the
     * architectural fault at the next instruction boundary where it regains
     * control (not necessarily the faulting instruction: MMIO callbacks
     * cannot stop Unicorn precisely, UNICORN.md §5). */
    bool fault_pending;
    uint32_t fault_addr;
    bool fault_write;
    /* Set by the CPU: may the current code make this PPB access? and: a
     * fault is pending. */
    bool (*ppb_allowed)(void *ctx, uint32_t addr, bool write);
    void (*notify)(void *ctx);
    /* Around each guest MMIO access made from translated code: the CPU sets
     * the clock to the cycle of the accessing instruction (Unicorn only
     * knows the block) and puts it back afterwards. */
    void (*access_begin)(void *ctx, uint32_t addr, bool write);
    void (*access_end)(void *ctx);
    void *cpu_ctx;
};

void bus_init(struct bus *b, struct trace *tr);
void bus_free(struct bus *b);
int bus_add_ram(struct bus *b, const char *name, uint32_t base, uint32_t size, bool rom,
                struct sim_error *err);
/* Registers p's window [p->base, p->base + p->model->size). A window may sit
 * inside a larger one; the smallest window containing an address wins. */
int bus_add_periph(struct bus *b, struct periph *p, struct sim_error *err);
/* Maps everything into the Unicorn engine. */
int bus_attach(struct bus *b, struct uc_struct *uc, struct sim_error *err);

/* Host pointer to [addr, addr+len) if it lies inside one RAM/ROM region
 * (for DMA models and the loader), else NULL. */
uint8_t *bus_ram_ptr(struct bus *b, uint32_t addr, uint32_t len);
const struct bus_region *bus_region_at(const struct bus *b, uint32_t addr);
struct periph *bus_periph_at(const struct bus *b, uint32_t addr);

/* Guest MMIO access through the register decoder (used by the Unicorn
 * callbacks and by unit tests). */
uint32_t bus_mmio_read(struct bus *b, uint32_t addr, unsigned size);
void bus_mmio_write(struct bus *b, uint32_t addr, unsigned size, uint32_t val);

/* Debugger/loader access: RAM, ROM and (reads only, side-effect free: 0)
 * MMIO. Returns -1 at the first unmapped byte. */
int bus_debug_read(struct bus *b, uint32_t addr, void *buf, uint32_t len);
int bus_debug_write(struct bus *b, uint32_t addr, const void *buf, uint32_t len);

#endif
