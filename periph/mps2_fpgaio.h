/* MPS2 FPGA system control and I/O block (AN385/AN386 at 0x40028000), with
 * the register behaviour of QEMU 7.2's mps2-fpgaio.
 *
 * Models: LED0 (0x00: bit n lights USERLEDn; drives p->pin[n]), BUTTON
 * (0x08: bit n = button n pressed, from ops->pin_in(n); QEMU always reads
 * 0, which is what this reads with no button pressed), CLK1HZ (0x10) and
 * CLK100HZ (0x14): counters of whole 1 s / 10 ms periods since reset or
 * since they were written (a write sets the value and restarts the
 * period), COUNTER (0x18), PRESCALE (0x1C), PSCNTR (0x20): PSCNTR counts
 * down at cfg.prescale_hz (default the CPU clock, 25 MHz on mps2); one tick
 * after it reaches 0 it reloads PRESCALE and COUNTER increments (with
 * PRESCALE = 0, PSCNTR stays 0 and COUNTER increments every tick), all
 * three writable; MISC (0x4C: read as written, traced as unimplemented).
 * No interrupts. All counters are lazy (computed from the cycle count).
 *
 * Not modelled: DBGCTRL and SWITCH (absent on AN385/AN386, as in QEMU:
 * guest errors via the bus), what the MISC bits control (SPI, CLCD). */
#ifndef PERIPH_MPS2_FPGAIO_H
#define PERIPH_MPS2_FPGAIO_H

#include "periph.h"

struct mps2_fpgaio_cfg {
    uint64_t prescale_hz;       /* 0 = the CPU clock */
    unsigned num_leds;          /* 0 = 2 */
    unsigned num_buttons;       /* 0 = 2 */
};

enum {
    MPS2_FPGAIO_LED0, MPS2_FPGAIO_BUTTON, MPS2_FPGAIO_CLK1HZ, MPS2_FPGAIO_CLK100HZ,
    MPS2_FPGAIO_COUNTER, MPS2_FPGAIO_PRESCALE, MPS2_FPGAIO_PSCNTR, MPS2_FPGAIO_MISC,
    MPS2_FPGAIO_NREGS
};

struct mps2_fpgaio {
    struct periph dev;
    struct mps2_fpgaio_cfg cfg;
    struct {
        uint32_t led0, buttons, misc, prescale;
        cycles_t clk1hz_base, clk100hz_base;        /* cycle of the last write (0: reset) */
        uint32_t clk1hz0, clk100hz0;
        uint64_t ps_base_ticks;                     /* prescale-clock tick of the last sync */
        uint32_t counter0, pscntr0;
    } st;
};

extern const struct periph_model mps2_fpgaio_model;

#endif
