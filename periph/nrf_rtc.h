/* nRF52 RTC (RTC0/1/2), per the nRF52840 Product Specification v1.7.
 *
 * Models: the 24-bit COUNTER on the 32768 Hz LFCLK with the 12-bit
 * PRESCALER (f = 32768 / (PRESCALER + 1)), writable only while stopped and
 * latched, with the prescaler restarted, by START, CLEAR and TRIGOVRFLW
 * (TRIGOVRFLW sets COUNTER to 0xFFFFF0, i.e. 16 ticks before the wrap);
 * TICK, OVRFLW and COMPARE[n] events; INTENSET/INTENCLR; EVTEN/SET/CLR.
 * An RTC event sets its EVENTS register only if it is enabled in EVTEN or
 * INTEN when it happens (the PS's event gating); irq[0] is a level: the OR
 * of the events pending and enabled in INTEN. Writing 0 to an EVENTS
 * register clears it, writing 1 sets it.
 *
 * COMPARE follows the PS's rules: it happens when COUNTER goes from CC-1 to
 * CC (so CLEAR with CC = 0, TRIGOVRFLW, or START with COUNTER = CC do not
 * trigger it; the wrap 0xFFFFFF -> 0 with CC = 0 does). "If the COUNTER is
 * N, writing N or N+1 to a CC register may not trigger a COMPARE event":
 * this model never triggers it for the next increment after a CC write
 * (N+1 matches only after a full wrap, 512 s later); N+2 always triggers.
 * That is the deterministic worst case the PS allows, and exactly what an
 * alarm driver must cope with.
 *
 * Properties: width_bits (16/24/32; CC registers and TRIGOVRFLW follow the
 * width), start_count (COUNTER at reset), prescaler (PRESCALER at reset,
 * 0..4095).
 *
 * Not modelled: the PPI (EVTEN only gates the EVENTS registers), the
 * LFCLK start-up (the RTC counts whether or not LFCLK was started), the
 * PCLK16M/LFCLK synchronisation delays of tasks and of COUNTER reads (tasks
 * act at once; the first increment after START/CLEAR comes PRESCALER+1 LFCLK
 * edges later, on the LFCLK's own phase), anomaly 20 (idle RTC registers). */
#ifndef PERIPH_NRF_RTC_H
#define PERIPH_NRF_RTC_H

#include "periph.h"
#include "timer_props.h"

#define NRF_RTC_MAX_CC 4

struct nrf_rtc_cfg {
    unsigned n_cc;              /* compare registers: 3 on RTC0, 4 on RTC1/2 (0 = 4) */
    unsigned width_bits;        /* 0 = 24 */
    uint32_t lfclk_hz;          /* 0 = 32768 */
};

enum {
    NRF_RTC_TASKS_START, NRF_RTC_TASKS_STOP, NRF_RTC_TASKS_CLEAR, NRF_RTC_TASKS_TRIGOVRFLW,
    NRF_RTC_EVENTS_TICK, NRF_RTC_EVENTS_OVRFLW, NRF_RTC_EVENTS_COMPARE,
    NRF_RTC_INTENSET, NRF_RTC_INTENCLR, NRF_RTC_EVTEN, NRF_RTC_EVTENSET, NRF_RTC_EVTENCLR,
    NRF_RTC_COUNTER, NRF_RTC_PRESCALER, NRF_RTC_CC,
    NRF_RTC_NREGS
};

/* INTEN / EVTEN / event bits */
#define NRF_RTC_TICK        (1u << 0)
#define NRF_RTC_OVRFLW      (1u << 1)
#define NRF_RTC_COMPARE(n)  (1u << (16 + (n)))

enum { NRF_RTC_SRC_TICK, NRF_RTC_SRC_OVRFLW, NRF_RTC_SRC_CC0, NRF_RTC_NSRC = NRF_RTC_SRC_CC0 + NRF_RTC_MAX_CC };

struct nrf_rtc;
struct nrf_rtc_src {
    struct evq_event ev;
    struct nrf_rtc *rtc;
    unsigned n;
    char name[32];
};

struct nrf_rtc {
    struct periph dev;
    struct nrf_rtc_cfg cfg;
    struct timer_props props;
    struct {
        bool running;
        uint32_t presc;         /* latched PRESCALER + 1 */
        uint64_t base_raw;      /* LFCLK edge at which the prescaler last restarted */
        uint64_t base_value;    /* COUNTER at base_raw (held value when stopped) */
        uint32_t prescaler;     /* the PRESCALER register */
        uint32_t events;        /* pending events, INTEN bit layout */
        uint32_t inten, evten;
        uint32_t cc[NRF_RTC_MAX_CC];
        cycles_t cc_blind[NRF_RTC_MAX_CC];  /* increment a CC write cannot see */
    } st;
    uint64_t mask;
    uint32_t valid;             /* implemented event bits */
    struct nrf_rtc_src src[NRF_RTC_NSRC];
};

extern const struct periph_model nrf_rtc_model;

/* COUNTER now (for tests and the board view). */
uint32_t nrf_rtc_counter(struct periph *p);

#endif
