/* The nRF52840 as a chip: interrupt dispatch to its drivers (RTC1, UARTE0,
 * GPIOTE), sleep, and the Cortex-M fault state. */
#ifndef OS_CHIPS_NRF52_NRF52_H
#define OS_CHIPS_NRF52_NRF52_H

#include "hil/chip.h"
#include "chips/nrf52/rtc.h"
#include "chips/nrf52/uarte.h"
#include "chips/nrf52/gpio.h"

struct nrf52_chip {
    struct hil_chip chip;
    struct nrf52_rtc *rtc1;
    struct nrf52_uarte *uarte0;
    struct nrf52_gpiote *gpiote;
};

void nrf52_chip_init(struct nrf52_chip *c, struct nrf52_rtc *rtc1, struct nrf52_uarte *uarte0,
                     struct nrf52_gpiote *gpiote);

#endif
