/* Board descriptions: const tables, one board.c per board folder. */
#ifndef BOARDS_BOARD_H
#define BOARDS_BOARD_H

#include "../sim/common.h"

struct periph_model;

enum board_arch { ARCH_ARMV7M, ARCH_RV32 };

enum mem_kind { MEM_RAM, MEM_ROM };     /* ROM: guest writes fault; the loader may write */

struct mem_desc {
    const char *name;
    uint32_t base, size;
    enum mem_kind kind;
};

/* An irq[] entry naming a hart interrupt line directly (RV32 mip bit)
 * instead of an input of the board's interrupt controller. */
#define IRQ_HART(bit) (1000 + (bit))
#define IRQ_NONE (-1)

struct periph_inst {
    const struct periph_model *model;
    const char *name;
    uint32_t base;
    int irq[4];                 /* intc input of each output line (NVIC: exception number,
                                   16 + IRQn); IRQ_HART(bit); 0 = not connected */
    const void *cfg;            /* model-specific, checked by the model's create() */
};

/* A board-level part: an LED or button wired to a GPIO pin. */
struct board_io {
    const char *name;           /* "led1", "button1" */
    const char *periph;         /* "gpio0" */
    unsigned pin;
    bool active_low;
};

struct board_desc {
    const char *name;
    const char *summary;
    enum board_arch arch;
    uint64_t cpu_hz;
    const struct mem_desc *mems;
    unsigned nmems;
    const struct periph_inst *periphs;
    unsigned nperiphs;
    const char *intc;           /* name of the interrupt controller periph (nvic / plic) */
    unsigned nirqs;
    const char *console;        /* periph name of the UART that is the console */
    const struct board_io *leds;
    unsigned nleds;
    const struct board_io *buttons;
    unsigned nbuttons;
    uint32_t exit_base;         /* sifive_test-like exit device, 0 if none */
    uint32_t apps_flash_base;   /* where `tocksim run APP.tbf...` lays the apps out */
    uint32_t apps_flash_size;
};

extern const struct board_desc board_nrf52840dk;
extern const struct board_desc board_mps2_an386;
extern const struct board_desc board_qemu_rv32_virt;

const struct board_desc *board_find(const char *name);
extern const struct board_desc *const board_list[];
extern const unsigned board_count;

#endif
