/* Virtual UARTs: several clients (console, kernel debug output) share one
 * UART. Each device is a hil_uart; one device at a time may receive.
 *
 * Transmit order. What the user reads must not depend on how fast the UART
 * is (a 115200-baud wire, QEMU's instant one, or a slower simulated one):
 * the same kernel and apps print the same transcript everywhere. So the mux
 * does not take turns between devices (round robin would put whoever
 * happens to be waiting when a transfer ends next); it keeps one FIFO of
 * transmissions in the order they were requested, and a device may queue
 * several. A transmission requested while another device's is queued goes
 * after it, however long the UART takes to get there.
 *
 * Lines stay whole. A transfer that ends in the middle of a line (not with
 * '\n') keeps the UART for its device: a transmission the device requests
 * from its tx_done callback (the next chunk of the same write) goes first,
 * ahead of everything queued. If the device requests none, the line is
 * left as is and the FIFO goes on. Clients that write whole lines (the
 * kernel's debug output) therefore never see another client's text cut into
 * theirs, and the chunks of one console write (the console capsule sends
 * 64 bytes at a time) are not cut by kernel messages either. (A line an app
 * splits over several writes can still be; so can lines of different apps,
 * which the console capsule orders among themselves.)
 *
 * A transmission that continues, in memory, the device's own last queued
 * one that has not started yet is appended to it (the kernel debug ring
 * queues line after line this way): the device then gets a single tx_done
 * with the total length. When the FIFO is full, transmit returns K_EBUSY.
 * A queued transmission that the UART refuses to start completes with the
 * UART's error and its whole length (the bytes given up).
 *
 * put_sync (panic path only) lets the hardware finish the transfer in
 * progress, writes the calling device's queued transmissions (without
 * tx_done: the asynchronous path is over), then the given bytes. */
#ifndef OS_CAPSULES_VIRTUAL_UART_H
#define OS_CAPSULES_VIRTUAL_UART_H

#include "hil/uart.h"

#define VUART_QUEUE_LEN 8u

struct vuart_mux;

struct vuart_dev {
    struct hil_uart uart;           /* what the client uses (first member) */
    struct vuart_mux *mux;
    struct vuart_dev *next;
};

struct vuart_tx {
    struct vuart_dev *dev;
    const uint8_t *buf;
    size_t len;
};

struct vuart_mux {
    struct hil_uart *uart;
    struct hil_uart_client client;
    struct vuart_dev *devs;         /* in registration order */
    struct vuart_dev *rx_active;
    struct vuart_tx queue[VUART_QUEUE_LEN];  /* FIFO; queue[head] is on the UART when busy */
    unsigned head, count;
    bool busy;
    struct vuart_dev *held;         /* in its tx_done after a transfer ended mid-line */
};

void vuart_mux_init(struct vuart_mux *m, struct hil_uart *uart);
void vuart_dev_init(struct vuart_dev *d, struct vuart_mux *m);

#endif
