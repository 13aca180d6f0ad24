/* nRF52 CLOCK: start the 64 MHz crystal and the 32.768 kHz crystal (which
 * clocks the RTCs). Each start is awaited asleep: the STARTED event's
 * interrupt is enabled, masked, only to end a WFI (the crystal oscillator
 * takes a quarter of a second: a busy poll would spin through it). */
#ifndef OS_CHIPS_NRF52_CLOCK_H
#define OS_CHIPS_NRF52_CLOCK_H

#include "lib/util.h"

void nrf52_clock_init(uintptr_t clock_base, unsigned clock_irq);

#endif
