/* IPC driver system calls (see ipc_sys.h). */
#include "ipc_sys.h"

bool ipc_sys_exists(void) { return tock_driver_exists(IPC_DRIVER); }

int ipc_sys_discover(const char *name, size_t len, uint32_t *id)
{
    int rc = tock_allow_ro_status(IPC_DRIVER, 0, name, len);
    if (rc < 0)
        return rc;
    rc = tock_command_u32(IPC_DRIVER, 1, 0, 0, id);
    tock_allow_ro_status(IPC_DRIVER, 0, NULL, 0);
    return rc;
}

int ipc_sys_subscribe(uint32_t id, tock_upcall_fn fn, void *ud) { return tock_subscribe_status(IPC_DRIVER, id, fn, ud); }

int ipc_sys_share(uint32_t id, void *buf, size_t len) { return tock_allow_rw_status(IPC_DRIVER, id, buf, len); }

int ipc_sys_notify_service(uint32_t id) { return tock_command_status(IPC_DRIVER, 2, id, 0); }

int ipc_sys_notify_client(uint32_t id) { return tock_command_status(IPC_DRIVER, 3, id, 0); }
