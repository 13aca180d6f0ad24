/* ARM CMSDK APB UART (as in the MPS2 FPGA images and QEMU's mps2 machines):
 * DATA 0x00, STATE 0x04 (TXFULL, RXFULL, overruns), CTRL 0x08 (TX/RX enable
 * and interrupt enables), INTSTATUS/INTCLEAR 0x0C, BAUDDIV 0x10. One byte of
 * buffering each way; interrupt-driven transmit and receive. */
#ifndef OS_CHIPS_CMSDK_UART_H
#define OS_CHIPS_CMSDK_UART_H

#include "hil/uart.h"

struct cmsdk_uart {
    struct hil_uart uart;
    uintptr_t base;
    const uint8_t *tx_buf;
    size_t tx_len, tx_pos;
    uint8_t *rx_buf;
    size_t rx_len, rx_pos;
    bool tx_busy, rx_busy;
};

void cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t pclk_hz, uint32_t baud);
void cmsdk_uart_handle_tx(struct cmsdk_uart *u);    /* TX interrupt bottom half */
void cmsdk_uart_handle_rx(struct cmsdk_uart *u);    /* RX interrupt bottom half */
/* A receive is pending and a byte is already waiting. The RX interrupt is
 * only raised for bytes that arrive while it is enabled, so the chip also
 * polls this. */
bool cmsdk_uart_rx_ready(struct cmsdk_uart *u);

#endif
