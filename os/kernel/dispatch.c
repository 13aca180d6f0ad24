/* System call handling (TOCK.md §1): yield, subscribe, command, the three
 * allows, memop and exit. */
#include "kernel/kernel.h"
#include "kernel/debug.h"

struct k_driver *k_driver_find(struct k_kernel *k, uint32_t num)
{
    for (unsigned i = 0; i < k->ndrivers; i++)
        if (k->drivers[i]->num == num)
            return k->drivers[i];
    return NULL;
}

/* Tock allocates a driver's grant the first time a process subscribes or
 * allows to it. */
static bool ensure_grant(struct k_driver *d, struct k_process *p)
{
    return !d->grant || k_grant_enter(p, d->grant) != NULL;
}

static struct k_ret do_subscribe(struct k_kernel *k, struct k_process *p, const uint32_t a[4])
{
    uint32_t driver = a[0], subnum = a[1], fn = a[2], appdata = a[3];
    /* Failures return (err, passed fn, passed appdata). */
    if (fn && !(fn >= p->app_start && fn < p->flash_end))
        return k_ret_failure_2u32(K_EINVAL, fn, appdata);
    struct k_driver *d = k_driver_find(k, driver);
    if (!d)
        return k_ret_failure_2u32(K_ENODEVICE, fn, appdata);
    if (subnum >= d->num_upcalls)
        return k_ret_failure_2u32(K_ENOSUPPORT, fn, appdata);
    if (!ensure_grant(d, p))
        return k_ret_failure_2u32(K_ENOMEM, fn, appdata);
    struct k_subscription *slot = NULL, *free_slot = NULL;
    for (unsigned i = 0; i < K_MAX_SUBSCRIBES; i++) {
        struct k_subscription *s = &p->subs[i];
        if (s->used && s->driver == driver && s->subnum == subnum)
            slot = s;
        else if (!s->used && !free_slot)
            free_slot = s;
    }
    uint32_t prev_fn = 0, prev_data = 0;
    if (slot) {
        prev_fn = slot->fn;
        prev_data = slot->appdata;
    } else if (free_slot) {
        slot = free_slot;
        slot->used = true;
        slot->driver = driver;
        slot->subnum = subnum;
    } else {
        return k_ret_failure_2u32(K_ENOMEM, fn, appdata);
    }
    slot->fn = fn;
    slot->appdata = appdata;
    /* TRD 104 §4.2: a successful subscribe cancels pending upcalls of this id. */
    k_upq_purge(&p->tasks, driver, subnum);
    return k_ret_success_2u32(prev_fn, prev_data);
}

static struct k_ret do_allow(struct k_kernel *k, struct k_process *p, enum k_allow_kind kind,
                             const uint32_t a[4])
{
    uint32_t driver = a[0], num = a[1], ptr = a[2], len = a[3];
    struct k_driver *d = k_driver_find(k, driver);
    if (!d)
        return k_ret_failure_2u32(K_ENODEVICE, ptr, len);
    if (len) {
        bool ok = k_process_in_ram(p, ptr, len) ||
                  (kind == K_ALLOW_RO && k_process_in_flash(p, ptr, len));
        if (!ok)
            return k_ret_failure_2u32(K_EINVAL, ptr, len);
    }
    uint32_t count = kind == K_ALLOW_RO ? d->num_allow_ro : kind == K_ALLOW_RW ? d->num_allow_rw : 0;
    if (num >= count)
        return k_ret_failure_2u32(K_ENOSUPPORT, ptr, len);
    if (!ensure_grant(d, p))
        return k_ret_failure_2u32(K_ENOMEM, ptr, len);
    struct k_allow_slot *slot = NULL, *free_slot = NULL;
    for (unsigned i = 0; i < K_MAX_ALLOWS; i++) {
        struct k_allow_slot *s = &p->allows[i];
        if (s->used && s->kind == kind && s->driver == driver && s->num == num)
            slot = s;
        else if (!s->used && !free_slot)
            free_slot = s;
    }
    uint32_t prev_ptr = 0, prev_len = 0;
    if (slot) {
        prev_ptr = slot->ptr;
        prev_len = slot->len;
    } else if (free_slot) {
        slot = free_slot;
        slot->used = true;
        slot->kind = (uint8_t)kind;
        slot->driver = driver;
        slot->num = num;
    } else {
        return k_ret_failure_2u32(K_ENOMEM, ptr, len);
    }
    slot->ptr = ptr;
    slot->len = len;
    /* brk may not move below memory the kernel was given access to. */
    if (len && k_process_in_ram(p, ptr, len) && ptr + len > p->allow_high_water)
        p->allow_high_water = ptr + len;
    if (d->allowed)
        d->allowed(d, p, kind, num, ptr, len);
    return k_ret_success_2u32(prev_ptr, prev_len);
}

static struct k_ret do_command(struct k_kernel *k, struct k_process *p, const uint32_t a[4])
{
    if (!tbf_command_permitted((const uint8_t *)(uintptr_t)p->flash_start, &p->tbf, a[0], a[1]))
        return k_ret_failure(K_ENODEVICE);
    struct k_driver *d = k_driver_find(k, a[0]);
    if (!d)
        return k_ret_failure(K_ENODEVICE);
    return d->command(d, p, a[1], a[2], a[3]);
}

struct k_ret k_memop(struct k_process *p, uint32_t op, uint32_t arg)
{
    switch (op) {
    case 0:                                     /* brk */
        return k_ret_from_err(k_process_brk(p, arg) ? K_ENOMEM : 0);
    case 1: {                                   /* sbrk: returns the old break */
        uint32_t old = p->app_brk;
        int64_t nb = (int64_t)old + (int32_t)arg;
        if (nb < 0 || nb > 0xFFFFFFFFll || k_process_brk(p, (uint32_t)nb))
            return k_ret_failure(K_ENOMEM);
        return k_ret_success_u32(old);
    }
    case 2: return k_ret_success_u32(p->mem_start);
    case 3: return k_ret_success_u32(p->mem_end);
    case 4: return k_ret_success_u32(p->flash_start);
    case 5: return k_ret_success_u32(p->flash_end);
    case 6: return k_ret_success_u32(p->kernel_brk);
    case 7: return k_ret_success_u32(p->tbf.n_wfr);
    case 8:
    case 9:
        if (arg >= p->tbf.n_wfr || p->tbf.wfr[arg].size == 0)
            return k_ret_failure(K_EFAIL);
        return k_ret_success_u32(p->flash_start + p->tbf.wfr[arg].offset +
                                 (op == 9 ? p->tbf.wfr[arg].size : 0));
    case 10:
        p->stack_start_dbg = arg;
        return k_ret_success();
    case 11:
        p->heap_start_dbg = arg;
        return k_ret_success();
    default:
        return k_ret_failure(K_ENOSUPPORT);
    }
}

static void do_yield(struct k_process *p, const uint32_t a[4])
{
    switch (a[0]) {
    case K_YIELD_NO_WAIT: {
        /* Only upcalls that would run count: Null-upcall events stay queued
         * for Yield-WaitFor. (Upstream counts them too, and then leaves the
         * process waiting after discarding them.) */
        bool has_tasks = false;
        for (unsigned i = 0; i < k_upq_count(&p->tasks); i++)
            has_tasks |= k_upq_at(&p->tasks, i)->fn != 0;
        if (a[1] && k_process_in_ram(p, a[1], 1))
            *(volatile uint8_t *)(uintptr_t)a[1] = has_tasks;
        if (has_tasks)
            p->state = K_PROC_YIELDED;
        break;
    }
    case K_YIELD_WAIT:
        p->state = K_PROC_YIELDED;
        break;
    case K_YIELD_WAIT_FOR:
        p->wait_driver = a[1];
        p->wait_subnum = a[2];
        p->state = K_PROC_YIELDED_FOR;
        break;
    default:                    /* as upstream: an unknown yield faults */
        k_process_fault(p);
        break;
    }
}

void k_handle_syscall(struct k_kernel *k, struct k_process *p, const struct ukb_syscall *sc)
{
    p->syscall_count++;
    p->last_syscall = *sc;
    p->has_last_syscall = true;
    const uint32_t *a = sc->args;
    switch (sc->class_id) {
    case K_SYS_YIELD:
        do_yield(p, a);
        return;
    case K_SYS_SUBSCRIBE: {
        struct k_ret r = do_subscribe(k, p, a);
        k_process_set_return(p, &r);
        return;
    }
    case K_SYS_COMMAND: {
        struct k_ret r = do_command(k, p, a);
        if (k_process_alive(p))
            k_process_set_return(p, &r);
        return;
    }
    case K_SYS_ALLOW_RW:
    case K_SYS_ALLOW_RO:
    case K_SYS_ALLOW_UR: {
        enum k_allow_kind kind = sc->class_id == K_SYS_ALLOW_RW ? K_ALLOW_RW
                               : sc->class_id == K_SYS_ALLOW_RO ? K_ALLOW_RO : K_ALLOW_UR;
        struct k_ret r = do_allow(k, p, kind, a);
        k_process_set_return(p, &r);
        return;
    }
    case K_SYS_MEMOP: {
        struct k_ret r = k_memop(p, a[0], a[1]);
        k_process_set_return(p, &r);
        return;
    }
    case K_SYS_EXIT:
        if (a[0] == 0) {
            k_process_terminate(p, false, a[1]);
        } else if (a[0] == 1) {
            k_process_terminate(p, false, a[1]);
            k_process_restart(p);
        } else {
            struct k_ret r = k_ret_failure(K_ENOSUPPORT);
            k_process_set_return(p, &r);
        }
        return;
    default:                    /* unknown class: fault, as upstream */
        k_process_fault(p);
        return;
    }
}
