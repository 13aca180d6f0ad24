/* Grants, allowed-buffer access and upcall scheduling: the kernel services
 * that capsules use. */
#include "kernel/kernel.h"
#include "lib/kstring.h"

int k_grant_register(struct k_kernel *k, struct k_grant *g)
{
    if (g->registered)
        return K_EALREADY;
    if (k->ngrants == K_MAX_GRANTS)
        return K_ENOMEM;
    g->index = (uint8_t)k->ngrants;
    g->registered = true;
    k->grants[k->ngrants++] = g;
    k->grant_bytes += k_align_up(g->size ? g->size : 1, 8);
    return 0;
}

void *k_grant_get(struct k_process *p, struct k_grant *g)
{
    if (!g->registered || !k_process_alive(p) || !p->grant_ptr[g->index])
        return NULL;
    return (void *)(uintptr_t)p->grant_ptr[g->index];
}

void *k_grant_enter(struct k_process *p, struct k_grant *g)
{
    if (!g->registered || !k_process_alive(p))
        return NULL;
    if (p->grant_ptr[g->index])
        return (void *)(uintptr_t)p->grant_ptr[g->index];
    struct k_kernel *k = p->kernel;
    uint32_t need = k_align_up(g->size ? g->size : 1, 8);
    uint32_t nb = p->kernel_brk - need;
    if (p->kernel_brk - p->mem_start < need || nb < p->app_brk ||
        nb < k->mpu->ops->accessible_end(k->mpu, &p->mpu))
        return NULL;
    p->kernel_brk = nb;
    memset((void *)(uintptr_t)nb, 0, need);
    p->grant_ptr[g->index] = nb;
    return (void *)(uintptr_t)nb;
}

unsigned k_num_processes(struct k_kernel *k)
{
    return k->nprocs;
}

struct k_process *k_process_at(struct k_kernel *k, unsigned i)
{
    return i < k->nprocs ? &k->procs[i] : NULL;
}

int k_upcall_schedule(struct k_process *p, uint32_t driver, uint32_t subnum,
                      uint32_t a0, uint32_t a1, uint32_t a2)
{
    if (!k_process_alive(p))
        return K_EOFF;
    struct k_task t = { .driver = driver, .subnum = subnum, .args = { a0, a1, a2 } };
    for (unsigned i = 0; i < K_MAX_SUBSCRIBES; i++) {
        const struct k_subscription *s = &p->subs[i];
        if (s->used && s->driver == driver && s->subnum == subnum) {
            t.fn = s->fn;
            t.appdata = s->appdata;
            break;
        }
    }
    if (!k_upq_push(&p->tasks, &t)) {
        p->dropped_upcalls++;
        return K_ENOMEM;
    }
    return 0;
}

static struct k_allow_slot *find_allow(struct k_process *p, enum k_allow_kind kind,
                                       uint32_t driver, uint32_t num)
{
    for (unsigned i = 0; i < K_MAX_ALLOWS; i++) {
        struct k_allow_slot *a = &p->allows[i];
        if (a->used && a->kind == kind && a->driver == driver && a->num == num)
            return a;
    }
    return NULL;
}

bool k_allow_get(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                 uint32_t *ptr, uint32_t *len)
{
    struct k_allow_slot *a = k_process_alive(p) ? find_allow(p, kind, driver, num) : NULL;
    *ptr = a ? a->ptr : 0;
    *len = a ? a->len : 0;
    return a && a->len;
}

size_t k_allow_read(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                    uint32_t off, void *dst, size_t n)
{
    uint32_t ptr, len;
    if (!k_allow_get(p, kind, driver, num, &ptr, &len) || off >= len)
        return 0;
    n = K_MIN(n, (size_t)(len - off));
    memcpy(dst, (const void *)(uintptr_t)(ptr + off), n);
    return n;
}

size_t k_allow_write(struct k_process *p, uint32_t driver, uint32_t num,
                     uint32_t off, const void *src, size_t n)
{
    uint32_t ptr, len;
    if (!k_allow_get(p, K_ALLOW_RW, driver, num, &ptr, &len) || off >= len)
        return 0;
    n = K_MIN(n, (size_t)(len - off));
    memcpy((void *)(uintptr_t)(ptr + off), src, n);
    return n;
}
