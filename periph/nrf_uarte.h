/* nRF52 UARTE0 (UART with EasyDMA), per the nRF52840 Product Specification
 * v1.7.
 *
 * Models, with ENABLE = 8: TASKS_STARTTX/STOPTX/STARTRX/STOPRX/FLUSHRX;
 * EVENTS_RXDRDY/ENDRX/TXDRDY/ENDTX/ERROR/RXTO/RXSTARTED/TXSTARTED/TXSTOPPED
 * (CTS/NCTS exist but never fire); SHORTS ENDRX_STARTRX, ENDRX_STOPRX;
 * INTEN/INTENSET/INTENCLR (irq[0] = OR of the pending events enabled in
 * INTEN); ERRORSRC (never set); BAUDRATE; CONFIG (parity and 2 stop bits
 * lengthen the frame); PSEL.RTS/TXD/CTS/RXD (stored only);
 * TXD.PTR/MAXCNT/AMOUNT and RXD.PTR/MAXCNT/AMOUNT (MAXCNT 16 bits).
 * TX: STARTTX latches TXD.PTR/MAXCNT (so they can be rewritten for the next
 * transfer, as the double-buffering allows) and raises TXSTARTED; each byte
 * is read from RAM through bus_ram_ptr() when it starts and leaves on
 * p->chr one frame later (start + 8 data + parity + stop bits at the rate
 * BAUDRATE * 16 MHz / 2^32), raising TXDRDY; after MAXCNT bytes, ENDTX.
 * STOPTX finishes the byte on the line, then raises ENDTX (if not yet) and
 * TXSTOPPED; TXD.AMOUNT counts the bytes sent. A TXD buffer outside RAM
 * (EasyDMA cannot read flash) sends nothing: ENDTX with AMOUNT 0 and a
 * guest-error trace.
 * RX: STARTRX latches RXD.PTR/MAXCNT and raises RXSTARTED; ops->rx writes
 * bytes into the buffer (RXDRDY each) while a reception is running and the
 * buffer has room; a full buffer raises ENDRX (then the SHORTS apply);
 * STOPRX raises ENDRX (if not yet) and RXTO at once. Bytes offered while no
 * reception runs are refused and stay queued in the machine.
 * Legacy UART (ENABLE = 4), TX only, for panic writers: TXD (0x51C) plus
 * STARTTX sends one byte and raises TXDRDY one frame later.
 *
 * Not modelled: flow control (CTS/RTS, HWFC), the 4-byte RX FIFO and its
 * flush (FLUSHRX raises ENDRX with AMOUNT 0 when not receiving), line
 * errors, RX line timing (bytes arrive when the host offers them), the RX
 * timeout delay of STOPRX, the legacy UART receiver, the pins (GPIO). */
#ifndef PERIPH_NRF_UARTE_H
#define PERIPH_NRF_UARTE_H

#include "periph.h"

enum {
    NRF_UARTE_TASKS_STARTRX, NRF_UARTE_TASKS_STOPRX, NRF_UARTE_TASKS_STARTTX,
    NRF_UARTE_TASKS_STOPTX, NRF_UARTE_TASKS_FLUSHRX,
    NRF_UARTE_EVENTS,           /* 0x100..0x15C, one array indexed by event number */
    NRF_UARTE_SHORTS, NRF_UARTE_INTEN, NRF_UARTE_INTENSET, NRF_UARTE_INTENCLR,
    NRF_UARTE_ERRORSRC, NRF_UARTE_ENABLE,
    NRF_UARTE_PSEL_RTS, NRF_UARTE_PSEL_TXD, NRF_UARTE_PSEL_CTS, NRF_UARTE_PSEL_RXD,
    NRF_UARTE_RXD_LEGACY, NRF_UARTE_TXD_LEGACY, NRF_UARTE_BAUDRATE,
    NRF_UARTE_RXD_PTR, NRF_UARTE_RXD_MAXCNT, NRF_UARTE_RXD_AMOUNT,
    NRF_UARTE_TXD_PTR, NRF_UARTE_TXD_MAXCNT, NRF_UARTE_TXD_AMOUNT,
    NRF_UARTE_CONFIG,
    NRF_UARTE_NREGS
};

/* Event numbers: EVENTS_x is at 0x100 + 4 * n, its INTEN bit is n. */
enum {
    NRF_UARTE_EV_CTS = 0, NRF_UARTE_EV_NCTS = 1, NRF_UARTE_EV_RXDRDY = 2,
    NRF_UARTE_EV_ENDRX = 4, NRF_UARTE_EV_TXDRDY = 7, NRF_UARTE_EV_ENDTX = 8,
    NRF_UARTE_EV_ERROR = 9, NRF_UARTE_EV_RXTO = 17, NRF_UARTE_EV_RXSTARTED = 19,
    NRF_UARTE_EV_TXSTARTED = 20, NRF_UARTE_EV_TXSTOPPED = 22, NRF_UARTE_NEV = 24
};

#define NRF_UARTE_EV_MASK ((1u << NRF_UARTE_EV_CTS) | (1u << NRF_UARTE_EV_NCTS) |      \
                           (1u << NRF_UARTE_EV_RXDRDY) | (1u << NRF_UARTE_EV_ENDRX) |  \
                           (1u << NRF_UARTE_EV_TXDRDY) | (1u << NRF_UARTE_EV_ENDTX) |  \
                           (1u << NRF_UARTE_EV_ERROR) | (1u << NRF_UARTE_EV_RXTO) |    \
                           (1u << NRF_UARTE_EV_RXSTARTED) |                            \
                           (1u << NRF_UARTE_EV_TXSTARTED) | (1u << NRF_UARTE_EV_TXSTOPPED))

#define NRF_UARTE_SHORT_ENDRX_STARTRX (1u << 5)
#define NRF_UARTE_SHORT_ENDRX_STOPRX  (1u << 6)
#define NRF_UARTE_ENABLE_UARTE 8
#define NRF_UARTE_ENABLE_UART  4

struct nrf_uarte {
    struct periph dev;
    struct {
        uint32_t events;        /* bit n = EVENTS[n] */
        uint32_t inten, shorts, enable, baudrate, config;
        uint32_t psel[4];
        uint32_t rxd_ptr, rxd_maxcnt, rxd_amount;
        uint32_t txd_ptr, txd_maxcnt, txd_amount;
        /* transfers in progress (latched at START) */
        bool tx_busy, tx_stop, tx_legacy;
        uint32_t tx_ptr, tx_max;
        uint8_t tx_byte;
        bool rx_busy;
        uint32_t rx_ptr, rx_max;
    } st;
    struct evq_event tx_ev;
    char tx_name[32];
};

extern const struct periph_model nrf_uarte_model;

#endif
