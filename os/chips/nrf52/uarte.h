/* nRF52 UARTE (UART with EasyDMA), UARTE0. Transmit: TXD.PTR/TXD.MAXCNT,
 * TASKS_STARTTX, EVENTS_ENDTX (interrupt), TXD.AMOUNT; receive likewise with
 * RXD.* and EVENTS_ENDRX. Transfers longer than 255 bytes go out in 255-byte
 * pieces. EasyDMA reads RAM only: callers' buffers must be in RAM (the panic
 * path copies through a RAM buffer). */
#ifndef OS_CHIPS_NRF52_UARTE_H
#define OS_CHIPS_NRF52_UARTE_H

#include "hil/uart.h"

struct nrf52_uarte {
    struct hil_uart uart;
    uintptr_t base;
    const uint8_t *tx_buf;
    size_t tx_len, tx_pos, tx_chunk;
    uint8_t *rx_buf;
    size_t rx_len;
    bool tx_busy, rx_busy, rx_aborting;
};

void nrf52_uarte_init(struct nrf52_uarte *u, uintptr_t base, unsigned tx_pin, unsigned rx_pin);
void nrf52_uarte_handle_interrupt(struct nrf52_uarte *u);

#endif
