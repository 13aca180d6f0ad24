/* NS16550A UART (QEMU virt's serial port): byte registers RBR/THR 0, IER 1,
 * IIR/FCR 2, LCR 3, MCR 4, LSR 5; DLL 0 and DLM 1 while LCR.DLAB is set.
 * init sets the divisor for `baud` from the UART's input clock (clock_hz,
 * 16 clocks per bit), 8N1. FIFOs on; transmit fills the 16-byte FIFO
 * whenever LSR.THRE says it is empty and takes the THR-empty interrupt for
 * the rest; receive takes the data-ready interrupt. */
#ifndef OS_CHIPS_RV32_VIRT_UART16550_H
#define OS_CHIPS_RV32_VIRT_UART16550_H

#include "hil/uart.h"

struct uart16550 {
    struct hil_uart uart;
    uintptr_t base;
    const uint8_t *tx_buf;
    size_t tx_len, tx_pos;
    uint8_t *rx_buf;
    size_t rx_len, rx_pos;
    bool tx_busy, rx_busy;
};

void uart16550_init(struct uart16550 *u, uintptr_t base, uint32_t clock_hz, uint32_t baud);
void uart16550_handle_interrupt(struct uart16550 *u);

#endif
