/* IPC driver 0x10000 (TOCK.md §2.6). Processes are named by index: a
 * service's index comes from discover (its package name), a client's from
 * the upcall it sends. */
#ifndef LIBTOCK_IPC_SYS_H
#define LIBTOCK_IPC_SYS_H

#include "../tock.h"

#define IPC_DRIVER 0x10000u

bool ipc_sys_exists(void);
/* RO-allows name (slot 0), discovers, withdraws the allow; *id = index. */
int ipc_sys_discover(const char *name, size_t len, uint32_t *id);
/* Upcall (notifier index, shared length, shared address, ud) on number id:
 * a service subscribes its own index, a client the service's. */
int ipc_sys_subscribe(uint32_t id, tock_upcall_fn fn, void *ud);
/* RW-allow buf to process id (NULL, 0 stops sharing). */
int ipc_sys_share(uint32_t id, void *buf, size_t len);
int ipc_sys_notify_service(uint32_t id);     /* command 2 */
int ipc_sys_notify_client(uint32_t id);      /* command 3 */

#endif
