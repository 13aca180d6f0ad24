/* IPC driver 0x10000 (see ipc.h). */
#include "kernel/ipc.h"
#include "lib/kstring.h"

int k_ipc_find(struct k_kernel *k, const char *name, uint32_t len)
{
    for (unsigned i = 0; i < k->nprocs; i++) {
        const struct k_process *p = &k->procs[i];
        const char *pn = (const char *)(uintptr_t)(p->flash_start + p->tbf.name_offset);
        if (p->tbf.name_len == len && (len == 0 || memcmp(pn, name, len) == 0))
            return (int)i;
    }
    return -1;
}

/* The RO allow slot `num` of the IPC driver, even if empty; NULL if the
 * process never made that allow (Tock: a default buffer, INVAL). */
static const struct k_allow_slot *ro_allow(const struct k_process *p, uint32_t num)
{
    for (unsigned i = 0; i < K_MAX_ALLOWS; i++) {
        const struct k_allow_slot *a = &p->allows[i];
        if (a->used && a->kind == K_ALLOW_RO && a->driver == K_IPC_DRIVER && a->num == num)
            return a;
    }
    return NULL;
}

static struct k_ret discover(struct k_ipc *ipc, struct k_process *p)
{
    if (!k_grant_enter(p, &ipc->grant))
        return k_ret_failure(K_ENOMEM);
    const struct k_allow_slot *a = ro_allow(p, 0);
    if (!a)
        return k_ret_failure(K_EINVAL);
    int i = k_ipc_find(ipc->kernel, (const char *)(uintptr_t)a->ptr, a->len);
    return i < 0 ? k_ret_failure(K_ENODEVICE) : k_ret_success_u32((uint32_t)i);
}

/* from notifies to (upcall subnum): map from's buffer for `to` into to's
 * MPU configuration and queue the upcall. */
static struct k_ret notify(struct k_ipc *ipc, struct k_process *from, uint32_t target, bool service)
{
    struct k_process *to = k_process_at(ipc->kernel, target);
    if (!to)
        return k_ret_failure(K_EINVAL);
    if (!k_process_alive(to))
        return k_ret_failure(K_ENODEVICE);
    if (to == from)                 /* as Tock: accepted, never delivered */
        return k_ret_success();
    uint32_t ptr, len;
    if (k_allow_get(from, K_ALLOW_RW, K_IPC_DRIVER, to->index, &ptr, &len)) {
        if (k_process_share_region(to, from, ptr, len))
            return k_ret_failure(K_ENOMEM);
    } else {
        k_process_unshare_region(to, from);
        ptr = len = 0;
    }
    uint32_t subnum = service ? to->index : from->index;
    int err = k_upcall_schedule(to, K_IPC_DRIVER, subnum, from->index, len, ptr);
    return k_ret_from_err(err);
}

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)arg1;
    struct k_ipc *ipc = container_of(d, struct k_ipc, driver);
    switch (cmd) {
    case 0:
        return k_ret_success();
    case 1:
        return discover(ipc, p);
    case 2:
        return notify(ipc, p, arg0, true);
    case 3:
        return notify(ipc, p, arg0, false);
    default:
        return k_ret_failure(K_ENOSUPPORT);
    }
}

/* A buffer shared with process num was replaced: num loses its access to
 * the old one (it gets the new one at the next notify). */
static void allowed(struct k_driver *d, struct k_process *p, enum k_allow_kind kind,
                    uint32_t num, uint32_t ptr, uint32_t len)
{
    struct k_ipc *ipc = container_of(d, struct k_ipc, driver);
    struct k_process *to = k_process_at(ipc->kernel, num);
    if (kind != K_ALLOW_RW || !to)
        return;
    const struct k_shared_region *r = k_process_shared_region(to, p);
    if (r && (r->start != ptr || r->size != len))
        k_process_unshare_region(to, p);
}

void k_ipc_init(struct k_ipc *ipc, struct k_kernel *k)
{
    uint8_t n = (uint8_t)k->max_procs;
    ipc->kernel = k;
    ipc->grant = (struct k_grant){ .driver_num = K_IPC_DRIVER, .size = 0 };
    ipc->driver = (struct k_driver){
        .num = K_IPC_DRIVER, .num_upcalls = n, .num_allow_ro = 1, .num_allow_rw = n,
        .grant = &ipc->grant, .command = command, .allowed = allowed,
    };
    k_grant_register(k, &ipc->grant);
}
