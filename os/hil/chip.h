/* Chip HIL: what the kernel loop needs from the SoC. Interrupt handlers only
 * note that an interrupt happened (top half); service_pending runs the
 * drivers' handlers in the kernel thread (bottom half). */
#ifndef OS_HIL_CHIP_H
#define OS_HIL_CHIP_H

#include "lib/util.h"
#include "lib/kfmt.h"

struct hil_chip;

struct hil_chip_ops {
    bool (*has_pending)(struct hil_chip *c);
    void (*service_pending)(struct hil_chip *c);
    /* Wait for an interrupt; returns at once if one is already pending. */
    void (*sleep)(struct hil_chip *c);
    /* CPU fault registers etc., for the panic dump. */
    void (*print_state)(struct hil_chip *c, struct k_writer *w);
    /* Stop for good (after a panic): interrupts off, sleep forever. */
    void (*halt)(struct hil_chip *c);
};

struct hil_chip {
    const struct hil_chip_ops *ops;
};

#endif
