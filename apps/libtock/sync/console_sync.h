/* Blocking console I/O with Yield-WaitFor: no other upcall runs while the
 * caller waits, so printf from a callback cannot interleave with printf in
 * the code it interrupted. */
#ifndef LIBTOCK_SYNC_CONSOLE_SYNC_H
#define LIBTOCK_SYNC_CONSOLE_SYNC_H

#include <stddef.h>

/* Writes all len bytes (several transfers if the kernel takes fewer). */
int console_sync_write(const void *buf, size_t len);
/* Reads up to len bytes; *got receives the count. */
int console_sync_read(void *buf, size_t len, size_t *got);
/* One byte (0..255) or a negative TOCK_E*. */
int console_sync_getchar(void);

#endif
