/* Console driver 0x1 (TOCK.md §2.2). */
#ifndef LIBTOCK_CONSOLE_SYS_H
#define LIBTOCK_CONSOLE_SYS_H

#include "../tock.h"

#define CONSOLE_DRIVER 0x1u
#define CONSOLE_SUB_WRITE 1u            /* upcall (bytes_written, 0, 0) */
#define CONSOLE_SUB_READ 2u             /* upcall (status, bytes_read, 0) */

bool console_sys_exists(void);
int console_sys_allow_write(const void *buf, size_t len);   /* RO allow 1 */
int console_sys_allow_read(void *buf, size_t len);          /* RW allow 1 */
int console_sys_write(size_t len);
int console_sys_read(size_t len);
int console_sys_abort_read(void);
int console_sys_subscribe_write(tock_upcall_fn fn, void *ud);
int console_sys_subscribe_read(tock_upcall_fn fn, void *ud);

#endif
