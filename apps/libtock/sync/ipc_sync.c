/* Blocking IPC call (see ipc_sync.h). */
#include "ipc_sync.h"

#include <stdbool.h>
#include "alarm_sync.h"
#include "../services/ipc.h"
#include "../tock.h"

static void replied(int from, void *buf, size_t len, void *ud)
{
    (void)from; (void)buf; (void)len;
    *(volatile bool *)ud = true;
}

int ipc_sync_call(int service, uint32_t timeout_ms)
{
    volatile bool done = false;
    int rc = ipc_on_reply(service, replied, (void *)&done);
    if (rc < 0)
        return rc;
    if ((rc = ipc_notify_service(service)) < 0)
        return rc;
    bool ok = alarm_sync_wait_for_ms(&done, timeout_ms);
    /* a late reply must not write to this stack frame */
    ipc_on_reply(service, NULL, NULL);
    return ok ? 0 : TOCK_ECANCEL;
}
