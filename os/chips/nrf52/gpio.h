/* nRF52 GPIO (P0 at 0x50000000, P1 at 0x50000300: OUTSET 0x508, OUTCLR
 * 0x50C, IN 0x510, DIRSET 0x518, DIRCLR 0x51C, PIN_CNF[n] 0x700+4n) and
 * GPIOTE pin interrupts (8 channels: EVENTS_IN[n] 0x100+4n, INTENSET 0x304,
 * INTENCLR 0x308, CONFIG[n] 0x510+4n with MODE=Event, PSEL, PORT, POLARITY).
 * Pins are numbered 0-47 (32 * port + pin). A channel is taken when a pin's
 * interrupt is enabled and freed when it is disabled. */
#ifndef OS_CHIPS_NRF52_GPIO_H
#define OS_CHIPS_NRF52_GPIO_H

#include "hil/gpio.h"

#define NRF52_GPIOTE_CHANNELS 8u

struct nrf52_gpiote;

struct nrf52_pin {
    struct hil_gpio_pin pin;
    struct nrf52_gpiote *gpiote;
    uintptr_t port;             /* GPIO port base */
    uint8_t num;                /* 0-47 */
    int8_t channel;             /* GPIOTE channel, -1 if none */
};

struct nrf52_gpiote {
    uintptr_t base;
    struct nrf52_pin *owner[NRF52_GPIOTE_CHANNELS];
};

void nrf52_gpiote_init(struct nrf52_gpiote *g, uintptr_t base);
void nrf52_gpiote_handle_interrupt(struct nrf52_gpiote *g);
void nrf52_pin_init(struct nrf52_pin *p, struct nrf52_gpiote *g, uintptr_t p0_base,
                    uintptr_t p1_base, unsigned num);

#endif
