/* ipc-errors: the IPC driver's error paths, run next to caesar-svc. Each
 * line names the case, the expected result and what the kernel returned. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "services/ipc.h"
#include "sync/alarm_sync.h"
#include "syscalls/ipc_sys.h"
#include "tock.h"

static unsigned failures;

static void check(const char *what, int expected, int got)
{
    bool ok = expected == got;
    failures += !ok;
    printf("ipc-errors: %s: %s (expected %s)%s\n", what, tock_strerror(got),
           tock_strerror(expected), ok ? "" : " MISMATCH");
}

static unsigned replies;

static void reply(int from, void *buf, size_t len, void *ud)
{
    (void)from; (void)buf; (void)len; (void)ud;
    replies++;
}

static unsigned self_notified;

static void to_self(int from, void *buf, size_t len, void *ud)
{
    (void)from; (void)buf; (void)len; (void)ud;
    self_notified++;
}

/* Not covered by any one MPU region or PMP entry: odd address, 3 bytes. */
static uint8_t odd[8];

int main(void)
{
    check("driver exists", 0, ipc_sys_exists() ? 0 : TOCK_ENODEVICE);
    /* before any allow: discover has nothing to search for */
    check("discover, nothing allowed", TOCK_EINVAL, tock_command_status(IPC_DRIVER, 1, 0, 0));
    check("discover an unknown name", TOCK_ENODEVICE, ipc_discover("no-such-service"));
    int self = ipc_discover("ipc-errors");
    int svc = ipc_discover("caesar-svc");
    printf("ipc-errors: I am process %d, caesar-svc is process %d\n", self, svc);
    check("notify service 9 (no such process)", TOCK_EINVAL, ipc_notify_service(9));
    check("notify client 200 (no such process)", TOCK_EINVAL, ipc_notify_client(200));
    check("subscribe upcall 16 (>= processes)", TOCK_ENOSUPPORT,
          tock_subscribe_status(IPC_DRIVER, 16, NULL, NULL));
    check("share with process 16", TOCK_ENOSUPPORT, ipc_share(16, odd, 4));
    check("unknown command 7", TOCK_ENOSUPPORT, tock_command_status(IPC_DRIVER, 7, 0, 0));

    /* to oneself: accepted, never delivered (as Tock) */
    ipc_serve("ipc-errors", to_self, NULL);
    check("notify myself", 0, ipc_notify_service(self));
    tock_yield_no_wait();
    printf("ipc-errors: upcalls from myself: %u\n", self_notified);

    alarm_sync_delay_ms(10);            /* caesar-svc is serving by now */
    ipc_on_reply(svc, reply, NULL);
    check("share an odd 3-byte buffer", 0, ipc_share(svc, odd + 1, 3));
    check("notify with it (no MPU region fits)", TOCK_ENOMEM, ipc_notify_service(svc));
    ipc_share(svc, NULL, 0);

    /* pings without yielding: the service's queue holds 10. Its 10 replies
     * then fill our own queue, so take them (Yield-Wait) before printing:
     * printf's write-done upcall would find no room. */
    unsigned accepted = 0;
    int rc = 0;
    for (unsigned i = 0; i < 12 && rc == 0; i++)
        if ((rc = ipc_notify_service(svc)) == 0)
            accepted++;
    while (replies < accepted)
        tock_yield_wait();
    printf("ipc-errors: %u pings accepted, %u replies\n", accepted, replies);
    check("ping with the service's queue full", TOCK_ENOMEM, rc);
    printf("ipc-errors: done, %u mismatches\n", failures);
    return 0;
}
