/* UART HIL: split-phase transmit and receive, one client.
 * transmit/receive return 0 when the operation started (the client then gets
 * exactly one tx_done / rx_done), or a K_E* error (no callback).
 * put_sync writes bytes by polling; it is only for the panic path. */
#ifndef OS_HIL_UART_H
#define OS_HIL_UART_H

#include "lib/util.h"

struct hil_uart;

struct hil_uart_client {
    void (*tx_done)(struct hil_uart_client *c, int err, size_t len);
    void (*rx_done)(struct hil_uart_client *c, int err, size_t len);
};

struct hil_uart_ops {
    int (*transmit)(struct hil_uart *u, const uint8_t *buf, size_t len);
    int (*receive)(struct hil_uart *u, uint8_t *buf, size_t len);
    int (*abort_receive)(struct hil_uart *u);      /* rx_done follows with K_ECANCEL */
    void (*put_sync)(struct hil_uart *u, const char *s, size_t len);
};

struct hil_uart {
    const struct hil_uart_ops *ops;
    struct hil_uart_client *client;
};

#endif
