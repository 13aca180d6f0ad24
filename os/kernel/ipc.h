/* Inter-process communication, driver 0x10000 (TOCK.md §2.6; Tock keeps it
 * in the kernel, kernel/src/ipc.rs, because it reaches into other
 * processes). A service is named by its TBF package name; every process is
 * addressed by its index in the process table.
 *
 *   command 1   discover: the package name in RO allow 0 -> Success-u32(index);
 *               NODEVICE if no process has that name, INVAL if nothing was
 *               ever allowed, NOMEM if the grant cannot be allocated
 *   command 2   notify service `arg0`: its upcall `arg0` (its own index)
 *   command 3   notify client `arg0`: its upcall with our index
 *               (both: INVAL no such process, NODEVICE not running, NOMEM its
 *               upcall queue is full or no MPU region can cover our buffer)
 *   subscribe N a service subscribes N = its own index; a client N = the service's
 *   allow-rw N  share a buffer with process N
 *
 * The upcall's arguments are (notifier index, shared length, shared
 * address): the notifier's RW allow numbered with the receiver's index, or
 * (.., 0, 0) if it shares nothing. The receiver gets read-write access to
 * exactly that buffer through an MPU region / PMP entry of its own
 * configuration (so only while it runs), from the notify until the owner
 * allows something else in its place or either process ends.
 *
 * Deviations from Tock: the buffer is looked up and mapped when the notify
 * is made, not when the receiver dequeues it, so a buffer the MPU cannot
 * cover fails the notify with NOMEM instead of being delivered unmapped;
 * and the access is withdrawn when the owner stops sharing (Tock keeps the
 * region until the receiver restarts). As in Tock, a notify to oneself
 * succeeds and delivers nothing. */
#ifndef OS_KERNEL_IPC_H
#define OS_KERNEL_IPC_H

#include "kernel/kernel.h"

#define K_IPC_DRIVER 0x10000u

struct k_ipc {
    struct k_driver driver;
    struct k_grant grant;
    struct k_kernel *kernel;
};

/* Registers the driver's grant: call before k_kernel_load, and list
 * &ipc->driver among the kernel's drivers. */
void k_ipc_init(struct k_ipc *ipc, struct k_kernel *k);

/* Index of the first process whose package name is exactly name[0..len),
 * or -1. */
int k_ipc_find(struct k_kernel *k, const char *name, uint32_t len);

#endif
