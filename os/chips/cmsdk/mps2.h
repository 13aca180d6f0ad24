/* The MPS2 AN386 FPGA image as a chip: interrupt dispatch to the CMSDK
 * drivers, sleep, and the Cortex-M fault state. */
#ifndef OS_CHIPS_CMSDK_MPS2_H
#define OS_CHIPS_CMSDK_MPS2_H

#include "hil/chip.h"
#include "chips/cmsdk/uart.h"
#include "chips/cmsdk/alarm.h"

struct mps2_chip {
    struct hil_chip chip;
    struct cmsdk_uart *uart0;
    struct cmsdk_alarm *alarm;
};

void mps2_chip_init(struct mps2_chip *c, struct cmsdk_uart *uart0, struct cmsdk_alarm *alarm);

#endif
