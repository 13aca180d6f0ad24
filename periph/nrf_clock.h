/* nRF52 CLOCK and POWER (they share 0x40000000 and one interrupt), per the
 * nRF52840 Product Specification v1.7. Minimal.
 *
 * Models: TASKS_HFCLKSTART/STOP -> EVENTS_HFCLKSTARTED after the HFXO
 * debounce time (HFXODEBOUNCE * 16 us, 256 us at reset); HFCLKRUN,
 * HFCLKSTAT (SRC = Xtal and STATE = running once started, 0 after STOP).
 * TASKS_LFCLKSTART/STOP -> EVENTS_LFCLKSTARTED after the start-up time of
 * the source latched from LFCLKSRC into LFCLKSRCCOPY (cfg, defaults RC 600
 * us, Xtal 250 ms, Synth 600 us: the PS's typical values); LFCLKRUN,
 * LFCLKSTAT (SRC, STATE). TASKS_CAL -> EVENTS_DONE at once; TASKS_CTSTART
 * -> CTSTARTED, CTTO every CTIV * 0.25 s while running; CTSTOP ->
 * CTSTOPPED. EVENTS_x (write 0 clears, 1 sets), INTENSET/INTENCLR with the
 * PS's bit = event number (POWER's POFWARN, SLEEPENTER, ... share the
 * register); irq[0] = OR of pending events enabled.
 * POWER registers hold sane values: RESETREAS (cfg.resetreas, write 1 to
 * clear), GPREGRET/GPREGRET2 (8 bits), POFCON, DCDCEN, DCDCEN0,
 * MAINREGSTATUS (0: normal), USBREGSTATUS (0: no VBUS), RAMSTATUS (0xF),
 * RAM[n].POWER (0xFFFF: all sections on) with POWERSET/POWERCLR,
 * TASKS_CONSTLAT/LOWPWR (accepted). Writing 1 to SYSTEMOFF ends the run
 * (exit status 0, with a note): wake-up from System OFF is not modelled.
 *
 * Not modelled: that the RTCs and UARTE depend on the clocks (they run
 * whether or not a clock was started), clock accuracy, the POF comparator
 * (POFWARN never fires), sleep events, USB power events, the calibration
 * itself, TRACECONFIG, LFRCMODE (stored only). */
#ifndef PERIPH_NRF_CLOCK_H
#define PERIPH_NRF_CLOCK_H

#include "periph.h"

struct nrf_clock_cfg {
    uint32_t lf_start_us[3];    /* start-up of LFRC, LFXO, LFSYNT; 0 = PS typical */
    uint32_t resetreas;         /* RESETREAS after reset (0: power-on) */
};

enum {
    NRF_CLOCK_TASKS_HFCLKSTART, NRF_CLOCK_TASKS_HFCLKSTOP, NRF_CLOCK_TASKS_LFCLKSTART,
    NRF_CLOCK_TASKS_LFCLKSTOP, NRF_CLOCK_TASKS_CAL, NRF_CLOCK_TASKS_CTSTART,
    NRF_CLOCK_TASKS_CTSTOP, NRF_CLOCK_TASKS_CONSTLAT, NRF_CLOCK_TASKS_LOWPWR,
    NRF_CLOCK_EVENTS, NRF_CLOCK_INTENSET, NRF_CLOCK_INTENCLR,
    NRF_CLOCK_RESETREAS, NRF_CLOCK_HFCLKRUN, NRF_CLOCK_HFCLKSTAT, NRF_CLOCK_LFCLKRUN,
    NRF_CLOCK_LFCLKSTAT, NRF_CLOCK_LFCLKSRCCOPY, NRF_CLOCK_RAMSTATUS, NRF_CLOCK_USBREGSTATUS,
    NRF_CLOCK_SYSTEMOFF, NRF_CLOCK_POFCON, NRF_CLOCK_LFCLKSRC, NRF_CLOCK_GPREGRET,
    NRF_CLOCK_GPREGRET2, NRF_CLOCK_HFXODEBOUNCE, NRF_CLOCK_CTIV, NRF_CLOCK_TRACECONFIG,
    NRF_CLOCK_DCDCEN, NRF_CLOCK_DCDCEN0, NRF_CLOCK_LFRCMODE, NRF_CLOCK_MAINREGSTATUS,
    NRF_CLOCK_RAM_POWER, NRF_CLOCK_RAM_POWERSET, NRF_CLOCK_RAM_POWERCLR,
    NRF_CLOCK_NREGS
};

/* event numbers = INTEN bits */
enum {
    NRF_CLOCK_EV_HFCLKSTARTED = 0, NRF_CLOCK_EV_LFCLKSTARTED = 1, NRF_CLOCK_EV_POFWARN = 2,
    NRF_CLOCK_EV_DONE = 3, NRF_CLOCK_EV_CTTO = 4, NRF_CLOCK_EV_SLEEPENTER = 5,
    NRF_CLOCK_EV_SLEEPEXIT = 6, NRF_CLOCK_EV_USBDETECTED = 7, NRF_CLOCK_EV_USBREMOVED = 8,
    NRF_CLOCK_EV_USBPWRRDY = 9, NRF_CLOCK_EV_CTSTARTED = 10, NRF_CLOCK_EV_CTSTOPPED = 11,
    NRF_CLOCK_NEV = 12
};

#define NRF_CLOCK_STAT_RUNNING (1u << 16)
#define NRF_CLOCK_NRAM 9

struct nrf_clock {
    struct periph dev;
    struct nrf_clock_cfg cfg;
    struct {
        uint32_t events, inten;
        bool hf_run, hf_on, lf_run, lf_on, ct_on;
        uint32_t lfclksrc, lfclksrccopy, hfxodebounce, ctiv, traceconfig, lfrcmode;
        uint32_t resetreas, gpregret, gpregret2, pofcon, dcdcen, dcdcen0;
        uint32_t ram_power[NRF_CLOCK_NRAM];
    } st;
    struct evq_event hf_ev, lf_ev, ct_ev;
    char hf_name[32], lf_name[32], ct_name[32];
};

extern const struct periph_model nrf_clock_model;

#endif
