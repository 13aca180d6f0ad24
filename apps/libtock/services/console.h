/* Asynchronous console (driver 0x1): start a transfer, get a callback.
 * One write and one read may be outstanding at a time. */
#ifndef LIBTOCK_SERVICES_CONSOLE_H
#define LIBTOCK_SERVICES_CONSOLE_H

#include <stddef.h>

/* status: 0 or a negative TOCK_E*; n: bytes transferred. */
typedef void (*console_fn)(int status, size_t n, void *ud);

/* buf must stay valid until fn runs. */
int console_write(const void *buf, size_t len, console_fn fn, void *ud);
int console_read(void *buf, size_t len, console_fn fn, void *ud);
int console_abort_read(void);

#endif
