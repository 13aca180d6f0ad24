/* IPC (driver 0x10000): services found by package name, notifications both
 * ways, and a buffer the client shares with the service. The callback gets
 * the notifier's index and the buffer it shares with us (NULL, 0 if none);
 * the kernel lets us access that buffer, and nothing else of its memory. */
#ifndef LIBTOCK_SERVICES_IPC_H
#define LIBTOCK_SERVICES_IPC_H

#include <stddef.h>

#define IPC_MAX_PEERS 16        /* process indexes 0..15 */

typedef void (*ipc_fn)(int from, void *buf, size_t len, void *ud);

/* The index of the process with that package name, or a negative TOCK_E*. */
int ipc_discover(const char *name);
/* Serve as `own_name` (our package name): fn runs for each client notify.
 * Returns our index. */
int ipc_serve(const char *own_name, ipc_fn fn, void *ud);
/* Client: fn runs when `service` notifies us. */
int ipc_on_reply(int service, ipc_fn fn, void *ud);
/* Share buf (len bytes; NULL, 0 to stop) with process `peer`. For the
 * kernel to grant access, buf must fit one MPU region exactly: a power of
 * two >= 32 B aligned to its size is always fine. */
int ipc_share(int peer, void *buf, size_t len);
int ipc_notify_service(int service);
int ipc_notify_client(int client);

#endif
