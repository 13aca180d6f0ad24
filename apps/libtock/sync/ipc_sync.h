/* Blocking IPC call: notify a service and wait for its notify back, with a
 * timeout (a service may fault or never answer). Other upcalls keep running
 * while the caller waits (Yield-Wait). */
#ifndef LIBTOCK_SYNC_IPC_SYNC_H
#define LIBTOCK_SYNC_IPC_SYNC_H

#include <stdint.h>

/* 0 when `service` answered within timeout_ms, TOCK_ECANCEL if it did not,
 * or the notify's error. Replaces the reply callback set by ipc_on_reply. */
int ipc_sync_call(int service, uint32_t timeout_ms);

#endif
