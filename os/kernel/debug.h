/* Kernel debug output and panics.
 *
 * k_printf appends to a ring buffer that a UART (usually a virtual UART
 * device shared with the console) drains in the background; text that does
 * not fit is dropped and counted (the blocking writer waits instead). The
 * panic path writes synchronously through the UART's put_sync, after
 * flushing what the ring still holds. */
#ifndef OS_KERNEL_DEBUG_H
#define OS_KERNEL_DEBUG_H

#include "lib/util.h"
#include "lib/kfmt.h"
#include "hil/uart.h"

#define K_DEBUG_BUF_SIZE 4096u

struct k_kernel;

void k_debug_init(struct hil_uart *uart);
void k_debug_set_kernel(struct k_kernel *k);
void k_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct k_writer *k_debug_writer(void);      /* async (ring buffer) */
struct k_writer *k_debug_blocking_writer(void); /* async; services interrupts when full */
struct k_writer *k_panic_writer(void);      /* sync; flushes the ring first; panics only */
uint32_t k_debug_dropped(void);

_Noreturn void k_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define K_PANIC(...) k_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
