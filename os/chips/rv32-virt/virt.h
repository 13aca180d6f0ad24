/* QEMU's RISC-V virt machine as a chip: CLINT machine timer, PLIC, UART0. */
#ifndef OS_CHIPS_RV32_VIRT_VIRT_H
#define OS_CHIPS_RV32_VIRT_VIRT_H

#include "hil/chip.h"
#include "arch/rv32i/rv32i.h"
#include "chips/rv32-virt/uart16550.h"

struct virt_chip {
    struct hil_chip chip;
    struct rv32i_mtimer *mtimer;
    struct uart16550 *uart0;
};

void virt_chip_init(struct virt_chip *c, struct rv32i_mtimer *mtimer, struct uart16550 *uart0);

#endif
