/* Console driver 0x1 (TOCK.md §2.2) over a UART (usually a virtual UART).
 * Writes are copied from the process's read-only allow 1 through a kernel
 * buffer, one process at a time, and signalled on subscribe 1 with
 * (bytes_written, 0, 0). Reads fill read-write allow 1 and signal subscribe 2
 * with (status, bytes_read, 0). */
#ifndef OS_CAPSULES_CONSOLE_H
#define OS_CAPSULES_CONSOLE_H

#include "kernel/kernel.h"
#include "hil/uart.h"

#define CAP_CONSOLE_DRIVER 0x1u
#define CAP_CONSOLE_BUF 64u

struct cap_console_app {
    uint32_t write_len, written;
    bool write_pending;             /* waiting for the UART */
    uint32_t read_len;
};

struct cap_console {
    struct k_driver driver;
    struct k_grant grant;
    struct k_kernel *kernel;
    struct hil_uart *uart;
    struct hil_uart_client client;
    struct k_process *tx_proc, *rx_proc;
    uint32_t tx_proc_id, rx_proc_id;
    size_t tx_chunk;
    uint8_t tx_buf[CAP_CONSOLE_BUF];
    uint8_t rx_buf[CAP_CONSOLE_BUF];
};

void cap_console_init(struct cap_console *c, struct k_kernel *k, struct hil_uart *uart);

#endif
