/* nRF52 CLOCK: start the 64 MHz crystal and the 32.768 kHz crystal (which
 * clocks the RTCs). Waits are bounded, so a model that starts the clocks at
 * once (or not at all) does not hang the boot. */
#ifndef OS_CHIPS_NRF52_CLOCK_H
#define OS_CHIPS_NRF52_CLOCK_H

#include "lib/util.h"

void nrf52_clock_init(uintptr_t clock_base);

#endif
