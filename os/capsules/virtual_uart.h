/* Virtual UARTs: several clients (console, kernel debug output) share one
 * UART. Each device is a hil_uart; transmissions are queued and served
 * round-robin; one device at a time may receive. */
#ifndef OS_CAPSULES_VIRTUAL_UART_H
#define OS_CAPSULES_VIRTUAL_UART_H

#include "hil/uart.h"

struct vuart_mux;

struct vuart_dev {
    struct hil_uart uart;           /* what the client uses (first member) */
    struct vuart_mux *mux;
    struct vuart_dev *next;
    const uint8_t *tx_buf;
    size_t tx_len;
    bool tx_pending;
};

struct vuart_mux {
    struct hil_uart *uart;
    struct hil_uart_client client;
    struct vuart_dev *devs;         /* in registration order */
    struct vuart_dev *tx_active, *rx_active;
};

void vuart_mux_init(struct vuart_mux *m, struct hil_uart *uart);
void vuart_dev_init(struct vuart_dev *d, struct vuart_mux *m);

#endif
