/* IPC (see ipc.h). */
#include "ipc.h"

#include <string.h>
#include "../syscalls/ipc_sys.h"

/* One callback per subscribe number (= a process index). */
static struct {
    ipc_fn fn;
    void *ud;
} slots[IPC_MAX_PEERS];

static void upcall(int from, int len, int addr, void *ud)
{
    unsigned id = (unsigned)(uintptr_t)ud;
    if (id < IPC_MAX_PEERS && slots[id].fn)
        slots[id].fn(from, len ? (void *)(uintptr_t)addr : NULL, (size_t)len, slots[id].ud);
}

static int subscribe(int id, ipc_fn fn, void *ud)
{
    if (id < 0 || id >= IPC_MAX_PEERS)
        return TOCK_EINVAL;
    slots[id].fn = fn;
    slots[id].ud = ud;
    return ipc_sys_subscribe((uint32_t)id, upcall, (void *)(uintptr_t)id);
}

int ipc_discover(const char *name)
{
    uint32_t id;
    int rc = ipc_sys_discover(name, strlen(name), &id);
    return rc < 0 ? rc : (int)id;
}

int ipc_serve(const char *own_name, ipc_fn fn, void *ud)
{
    int id = ipc_discover(own_name);
    if (id < 0)
        return id;
    int rc = subscribe(id, fn, ud);
    return rc < 0 ? rc : id;
}

int ipc_on_reply(int service, ipc_fn fn, void *ud) { return subscribe(service, fn, ud); }

int ipc_share(int peer, void *buf, size_t len)
{
    return peer < 0 ? TOCK_EINVAL : ipc_sys_share((uint32_t)peer, buf, len);
}

int ipc_notify_service(int service)
{
    return service < 0 ? TOCK_EINVAL : ipc_sys_notify_service((uint32_t)service);
}

int ipc_notify_client(int client)
{
    return client < 0 ? TOCK_EINVAL : ipc_sys_notify_client((uint32_t)client);
}
