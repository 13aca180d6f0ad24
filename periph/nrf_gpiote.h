/* nRF52 GPIOTE (GPIO tasks and events), per the nRF52840 Product
 * Specification v1.7.
 *
 * Models: CONFIG[8] (MODE event/task, PSEL pin, PORT, POLARITY, OUTINIT),
 * EVENTS_IN[8], EVENTS_PORT, TASKS_OUT/SET/CLR[8], INTENSET/INTENCLR (IN0-7
 * = bits 0-7, PORT = bit 31); irq[0] = OR of the pending events enabled.
 * Event mode: EVENTS_IN[n] is set on the configured edge (rising, falling,
 * any) of the pad of the selected pin, whatever its input buffer setting.
 * Task mode: the channel owns the pin and drives it (OUTINIT at once;
 * TASKS_OUT per POLARITY: set, clear or toggle; TASKS_SET, TASKS_CLR), over
 * the GPIO's OUT/DIR; MODE = disabled gives the pin back. EVENTS_PORT is set
 * on a rising edge of the OR of the ports' DETECT signals.
 *
 * Connection: the GPIOTE observes the GPIO ports, which are separate
 * peripherals; nrf_gpiote_link(gpiote, port, gpio) installs it as the
 * port's observer (struct nrf_gpio_observer). The machine calls it for
 * every name in cfg.ports after creating all peripherals (see the report:
 * there is no generic link step in periph_ops yet). Unlinked ports are
 * simply not observed.
 *
 * Not modelled: the PPI (tasks are triggered by writes only), the
 * low-power latency of IN events, more than one channel on a pin (the
 * lowest channel wins the drive). */
#ifndef PERIPH_NRF_GPIOTE_H
#define PERIPH_NRF_GPIOTE_H

#include "nrf_gpio.h"

#define NRF_GPIOTE_NCH 8

struct nrf_gpiote_cfg {
    const char *ports[2];       /* instance names of P0 and P1 ("gpio0", "gpio1") */
};

enum {
    NRF_GPIOTE_TASKS_OUT, NRF_GPIOTE_TASKS_SET, NRF_GPIOTE_TASKS_CLR,
    NRF_GPIOTE_EVENTS_IN, NRF_GPIOTE_EVENTS_PORT, NRF_GPIOTE_INTENSET, NRF_GPIOTE_INTENCLR,
    NRF_GPIOTE_CONFIG, NRF_GPIOTE_NREGS
};

#define NRF_GPIOTE_MODE_EVENT 1u
#define NRF_GPIOTE_MODE_TASK  3u
#define NRF_GPIOTE_POL_LOTOHI 1u
#define NRF_GPIOTE_POL_HITOLO 2u
#define NRF_GPIOTE_POL_TOGGLE 3u
#define NRF_GPIOTE_INT_PORT   (1u << 31)

static inline uint32_t nrf_gpiote_config(unsigned mode, unsigned port, unsigned pin,
                                         unsigned polarity, unsigned outinit)
{
    return mode | (pin << 8) | (port << 13) | (polarity << 16) | (outinit << 20);
}

struct nrf_gpiote {
    struct periph dev;
    struct nrf_gpiote_cfg cfg;
    struct {
        uint32_t config[NRF_GPIOTE_NCH];
        uint32_t events_in;     /* bit n = EVENTS_IN[n] */
        bool events_port;
        uint32_t inten;
        uint32_t out;           /* task-mode levels, bit n = channel n */
    } st;
    struct periph *ports[2];
    bool detect[2];
    struct nrf_gpio_observer obs;
};

extern const struct periph_model nrf_gpiote_model;

/* Makes the GPIOTE observe and drive `gpio` as port `port` (0 or 1). */
int nrf_gpiote_link(struct periph *gpiote, unsigned port, struct periph *gpio,
                    struct sim_error *err);

#endif
