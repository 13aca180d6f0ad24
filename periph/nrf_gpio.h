/* nRF52 GPIO port (P0, P1), per the nRF52840 Product Specification v1.7.
 *
 * The window starts at the port's base + 0x500 (P0: 0x50000500, P1:
 * 0x50000800), where its first register is, so that the two ports' windows
 * do not overlap: OUT (0x004), OUTSET, OUTCLR, IN (0x010), DIR, DIRSET,
 * DIRCLR, LATCH (0x020, write 1 to clear), DETECTMODE (0x024), PIN_CNF[32]
 * (0x200). DIR and PIN_CNF[n].DIR are the same bit.
 *
 * The level of each pad: the GPIOTE's drive if a GPIOTE channel in task mode
 * owns the pin; else OUT when the pin is an output; else the level driven
 * from outside (ops->pin_in: buttons, scenarios) if any; else the pull
 * (PULL = up: 1, down: 0); else 1 for pins the board pulls up
 * (cfg.ext_pullup: an LED to VDD), 0 for the rest (a floating pin reads
 * low). IN shows the
 * pad where the input buffer is connected (PIN_CNF.INPUT = 0), 0 elsewhere.
 * p->pin[n] follows the pad level (LEDs, scenario checks).
 * SENSE: a pin with a connected input buffer and SENSE = high/low meets its
 * criterion while the pad is 1/0; that sets its LATCH bit (again at once if
 * still met when cleared). DETECT = OR of the criteria (DETECTMODE = 0) or
 * LATCH != 0 (DETECTMODE = 1, LDETECT; clearing some LATCH bits while others
 * stay set makes a new rising edge). DETECT goes to the GPIOTE (PORT event).
 *
 * Connection to the GPIOTE: the GPIOTE registers itself as the port's
 * observer (nrf_gpiote_link(), called by the machine after both exist); the
 * port tells it every pad change and every DETECT change, and the GPIOTE
 * drives pins in task mode through nrf_gpio_drive().
 *
 * Not modelled: drive strength (DRIVE), analog levels, contention between
 * an output and an outside driver (the output wins), the wake-up from
 * System OFF by DETECT, pins of P1 above P1.15 (cfg.pins). */
#ifndef PERIPH_NRF_GPIO_H
#define PERIPH_NRF_GPIO_H

#include "periph.h"

struct nrf_gpio_cfg {
    unsigned port;              /* 0 or 1 */
    uint32_t pins;              /* implemented pins; 0 = all 32 (P1 has 0x0000FFFF) */
    uint32_t ext_pullup;        /* pins pulled high on the board (LEDs to VDD): an
                                   undriven pin without internal pull reads 1 */
};

enum {
    NRF_GPIO_OUT, NRF_GPIO_OUTSET, NRF_GPIO_OUTCLR, NRF_GPIO_IN, NRF_GPIO_DIR,
    NRF_GPIO_DIRSET, NRF_GPIO_DIRCLR, NRF_GPIO_LATCH, NRF_GPIO_DETECTMODE, NRF_GPIO_PIN_CNF,
    NRF_GPIO_NREGS
};

/* offset of the window from the port's base address */
#define NRF_GPIO_WINDOW_OFFSET 0x500u

#define NRF_GPIO_CNF_DIR        (1u << 0)
#define NRF_GPIO_CNF_INPUT_DISC (1u << 1)
#define NRF_GPIO_CNF_PULL(c)    (((c) >> 2) & 3u)
#define NRF_GPIO_PULLDOWN       1u
#define NRF_GPIO_PULLUP         3u
#define NRF_GPIO_CNF_SENSE(c)   (((c) >> 16) & 3u)
#define NRF_GPIO_SENSE_HIGH     2u
#define NRF_GPIO_SENSE_LOW      3u

/* What a port tells its observer (the GPIOTE). */
struct nrf_gpio_observer {
    void (*pads)(void *ctx, unsigned port, uint32_t old_levels, uint32_t new_levels);
    void (*detect)(void *ctx, unsigned port, bool level);
    void *ctx;
};

struct nrf_gpio {
    struct periph dev;
    struct nrf_gpio_cfg cfg;
    struct {
        uint32_t out, latch, detectmode;
        uint32_t cnf[32];
        uint32_t ext_driven, ext_level;     /* from outside */
        uint32_t te_owned, te_level;        /* GPIOTE task mode */
    } st;
    uint32_t pads;              /* derived: pad levels */
    bool detect;                /* derived: DETECT signal */
    const struct nrf_gpio_observer *obs;
};

extern const struct periph_model nrf_gpio_model;

/* The pad levels, one bit a pin. */
uint32_t nrf_gpio_pads(struct periph *p);
/* Outside drive: pin_in() drives a level, this one stops driving. */
void nrf_gpio_release(struct periph *p, unsigned pin);
/* GPIOTE task mode: own the pin and drive `level`, or (own = false) give it back. */
void nrf_gpio_drive(struct periph *p, unsigned pin, bool own, bool level);
/* Registers the observer (one per port; NULL to remove). */
void nrf_gpio_set_observer(struct periph *p, const struct nrf_gpio_observer *obs);

#endif
