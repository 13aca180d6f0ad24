/* Console driver system calls (see console_sys.h). */
#include "console_sys.h"

bool console_sys_exists(void) { return tock_driver_exists(CONSOLE_DRIVER); }

int console_sys_allow_write(const void *buf, size_t len) { return tock_allow_ro_status(CONSOLE_DRIVER, 1, buf, len); }

int console_sys_allow_read(void *buf, size_t len) { return tock_allow_rw_status(CONSOLE_DRIVER, 1, buf, len); }

int console_sys_write(size_t len) { return tock_command_status(CONSOLE_DRIVER, 1, (uint32_t)len, 0); }

int console_sys_read(size_t len) { return tock_command_status(CONSOLE_DRIVER, 2, (uint32_t)len, 0); }

int console_sys_abort_read(void) { return tock_command_status(CONSOLE_DRIVER, 3, 0, 0); }

int console_sys_subscribe_write(tock_upcall_fn fn, void *ud)
{
    return tock_subscribe_status(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, fn, ud);
}

int console_sys_subscribe_read(tock_upcall_fn fn, void *ud)
{
    return tock_subscribe_status(CONSOLE_DRIVER, CONSOLE_SUB_READ, fn, ud);
}
