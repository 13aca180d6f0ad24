/* MPS2 FPGA I/O block: LED register (+0x00, one bit per LED, 1 = lit) and
 * BUTTON register (+0x08, one bit per push button, 1 = pressed), as GPIO
 * pins. The buttons have no interrupt (QEMU's model has none either), so pin
 * interrupts are emulated by polling on a (virtual) alarm every poll_ms
 * while any is enabled. */
#ifndef OS_CHIPS_CMSDK_FPGAIO_H
#define OS_CHIPS_CMSDK_FPGAIO_H

#include "hil/gpio.h"
#include "hil/time.h"

#define FPGAIO_MAX_PINS 2u

struct fpgaio;

struct fpgaio_pin {
    struct hil_gpio_pin pin;
    struct fpgaio *io;
    uint8_t bit;
    bool is_button;
    bool irq_on, last;
    enum hil_gpio_edge edge;
};

struct fpgaio {
    uintptr_t base;
    struct fpgaio_pin leds[FPGAIO_MAX_PINS];
    struct fpgaio_pin buttons[FPGAIO_MAX_PINS];
    unsigned nleds, nbuttons;
    struct hil_alarm *poll;
    struct hil_alarm_client poll_client;
    uint32_t poll_ms;
};

void fpgaio_init(struct fpgaio *io, uintptr_t base, unsigned nleds, unsigned nbuttons,
                 struct hil_alarm *poll_alarm, uint32_t poll_ms);

#endif
