/* Process lifecycle and memory: creation from a TBF header, the start
 * contract (TOCK.md §3.3), brk, termination, restart and fault policy. */
#include "kernel/kernel.h"
#include "kernel/debug.h"
#include "kernel/dump.h"
#include "lib/kstring.h"

#define INIT_TASK_ID 0xFFFFFFFFu        /* driver/subnum of the start "upcall" */

static void *mem(uint32_t addr)
{
    return (void *)(uintptr_t)addr;
}

const char *k_proc_state_name(enum k_proc_state s)
{
    switch (s) {
    case K_PROC_RUNNING: return "Running";
    case K_PROC_YIELDED: return "Yielded";
    case K_PROC_YIELDED_FOR: return "YieldedFor";
    case K_PROC_FAULTED: return "Faulted";
    case K_PROC_TERMINATED: return "Terminated";
    default: return "Unused";
    }
}

bool k_process_in_ram(const struct k_process *p, uint32_t addr, uint32_t len)
{
    return addr >= p->mem_start && addr <= p->app_brk && len <= p->app_brk - addr;
}

bool k_process_in_flash(const struct k_process *p, uint32_t addr, uint32_t len)
{
    return addr >= p->flash_start && addr <= p->flash_end && len <= p->flash_end - addr;
}

static void drop_shared_regions(struct k_process *p)
{
    struct hil_mpu *m = p->kernel->mpu;
    for (unsigned i = 0; i < K_MAX_SHARED; i++) {
        if (p->shared[i].used)
            m->ops->remove_region(m, p->shared[i].hw, &p->mpu);
        p->shared[i].used = false;
    }
}

static void clear_kernel_state(struct k_process *p)
{
    drop_shared_regions(p);
    k_upq_init(&p->tasks);
    memset(p->subs, 0, sizeof(p->subs));
    memset(p->allows, 0, sizeof(p->allows));
    memset(p->grant_ptr, 0, sizeof(p->grant_ptr));
    p->wait_driver = p->wait_subnum = 0;
    p->slice_left_us = 0;
}

/* Fresh memory, CPU state and start task; the process becomes Yielded with
 * its init function queued, as after a Tock process reset. */
static int process_reset(struct k_process *p)
{
    struct k_kernel *k = p->kernel;
    clear_kernel_state(p);
    memset(mem(p->mem_start), 0, p->mem_end - p->mem_start);
    p->app_brk = p->mem_start + k->ukb->initial_brk_size;
    p->kernel_brk = p->mem_end;
    p->allow_high_water = p->mem_start;
    p->stack_start_dbg = p->heap_start_dbg = 0;
    p->has_last_syscall = false;
    p->id = k->next_id++;
    int err = k->mpu->ops->update_app_memory(k->mpu, p->app_brk, p->kernel_brk, &p->mpu);
    if (!err)
        err = k->ukb->ops->init(&p->ctx, p->mem_start, p->app_brk);
    if (err)
        return err;
    struct k_task start = {
        .driver = INIT_TASK_ID, .subnum = INIT_TASK_ID, .fn = p->init_fn,
        .appdata = p->app_brk, .args = { p->app_start, p->mem_start, p->mem_end - p->mem_start },
    };
    k_upq_push(&p->tasks, &start);
    p->state = K_PROC_YIELDED;
    return 0;
}

int k_process_create(struct k_kernel *k, uint32_t flash, const struct tbf_header *h)
{
    if (k->nprocs == k->max_procs)
        return K_ENOMEM;
    struct k_process *p = &k->procs[k->nprocs];
    memset(p, 0, sizeof(*p));
    p->kernel = k;
    p->index = k->nprocs;
    p->tbf = *h;
    uint32_t n = K_MIN(h->name_len, (uint32_t)K_NAME_MAX - 1);
    memcpy(p->name, (const char *)mem(flash) + h->name_offset, n);
    p->name[n] = '\0';
    p->flash_start = flash;
    p->flash_end = flash + h->total_size;
    p->app_start = flash + h->header_size + h->protected_trailer_size;
    p->init_fn = flash + h->header_size + h->init_fn_offset;

    if (h->fixed_flash != TBF_NO_ADDRESS && h->fixed_flash != p->app_start) {
        k_printf("Error: app '%s' is linked for flash 0x%08x but sits at 0x%08x\r\n",
                 p->name, (unsigned)h->fixed_flash, (unsigned)p->app_start);
        return K_EINVAL;
    }
    uint32_t fixed_ram = 0;
    if (h->fixed_ram != TBF_NO_ADDRESS) {
        fixed_ram = h->fixed_ram;
        if (fixed_ram < k->ram_next) {
            k_printf("Error: app '%s' needs RAM at 0x%08x, below the next free 0x%08x\r\n",
                     p->name, (unsigned)fixed_ram, (unsigned)k->ram_next);
            return K_EINVAL;
        }
    }
    uint32_t app_size = K_MAX(h->minimum_ram_size, k->ukb->initial_brk_size);
    uint32_t ram_end = k->apps_ram_start + k->apps_ram_size;
    uint32_t start, size;
    int err = k->mpu->ops->allocate_app_memory(k->mpu, k->ram_next, ram_end - k->ram_next,
                                               fixed_ram, app_size + k->grant_bytes, app_size,
                                               k->grant_bytes, &start, &size, &p->mpu);
    if (err) {
        k_printf("Error: app '%s' needs %u bytes of RAM; only 0x%08x..0x%08x is free\r\n",
                 p->name, (unsigned)(app_size + k->grant_bytes), (unsigned)k->ram_next,
                 (unsigned)ram_end);
        return err;
    }
    err = k->mpu->ops->set_flash(k->mpu, p->flash_start, h->total_size, &p->mpu);
    if (err) {
        k_printf("Error: app '%s': the MPU cannot cover its flash\r\n", p->name);
        return err;
    }
    p->mem_start = start;
    p->mem_end = start + size;
    err = process_reset(p);
    if (err)
        return err;
    k->ram_next = p->mem_end;
    k->nprocs++;
    return 0;
}

bool k_process_ready(const struct k_process *p)
{
    switch (p->state) {
    case K_PROC_RUNNING:
        return true;
    case K_PROC_YIELDED:
        return k_upq_count(&p->tasks) > 0;
    case K_PROC_YIELDED_FOR:
        return k_upq_has(&p->tasks, p->wait_driver, p->wait_subnum);
    default:
        return false;
    }
}

int k_process_brk(struct k_process *p, uint32_t nb)
{
    struct k_kernel *k = p->kernel;
    if (nb < p->allow_high_water || nb < p->mem_start || nb >= p->mem_end || nb > p->kernel_brk)
        return K_ENOMEM;
    if (k->mpu->ops->update_app_memory(k->mpu, nb, p->kernel_brk, &p->mpu))
        return K_ENOMEM;
    if (nb > p->app_brk)
        memset(mem(p->app_brk), 0, nb - p->app_brk);
    p->app_brk = nb;
    return 0;
}

void k_process_terminate(struct k_process *p, bool faulted, uint32_t code)
{
    /* Its memory is no longer shared with anyone (a restart clears it). */
    struct k_kernel *k = p->kernel;
    for (unsigned i = 0; i < k->nprocs; i++)
        k_process_unshare_region(&k->procs[i], p);
    clear_kernel_state(p);
    p->kernel_brk = p->mem_end;
    p->state = faulted ? K_PROC_FAULTED : K_PROC_TERMINATED;
    p->has_completion = true;
    p->completion_faulted = faulted;
    p->completion_code = code;
}

int k_process_restart(struct k_process *p)
{
    p->restart_count++;
    int err = process_reset(p);
    if (err) {
        k_printf("Error: could not restart app '%s'\r\n", p->name);
        p->state = K_PROC_FAULTED;
    }
    return err;
}

void k_process_fault(struct k_process *p)
{
    struct k_kernel *k = p->kernel;
    p->state = K_PROC_FAULTED;
    if (k->fault_policy == K_FAULT_PANIC)
        K_PANIC("Process %s had a fault", p->name);
    if (k->fault_debug) {
        struct k_writer *w = k_debug_blocking_writer();
        k_wprintf(w, "\r\n---| Process %s had a fault |---\r\n", p->name);
        if (k->chip->ops->print_state)
            k->chip->ops->print_state(k->chip, w);
        k_dump_process(p, w);
    }
    k_process_terminate(p, true, 0);
    if (k->fault_policy == K_FAULT_RESTART && p->restart_count < k->restart_threshold)
        k_process_restart(p);
}

void k_process_set_return(struct k_process *p, const struct k_ret *r)
{
    uint32_t regs[4];
    memcpy(regs, p->last_syscall.args, sizeof(regs));
    k_ret_encode(r, regs);
    if (p->kernel->ukb->ops->set_return(&p->ctx, p->mem_start, p->app_brk, regs))
        k_process_fault(p);
}

/* Slot of the region p holds in owner's memory, or -1. */
static int find_shared(const struct k_process *p, const struct k_process *owner)
{
    for (unsigned i = 0; i < K_MAX_SHARED; i++)
        if (p->shared[i].used && p->shared[i].owner == owner->index)
            return (int)i;
    return -1;
}

const struct k_shared_region *k_process_shared_region(const struct k_process *p,
                                                      const struct k_process *owner)
{
    int i = find_shared(p, owner);
    return i < 0 ? NULL : &p->shared[i];
}

void k_process_unshare_region(struct k_process *p, const struct k_process *owner)
{
    int i = find_shared(p, owner);
    if (i < 0)
        return;
    struct hil_mpu *m = p->kernel->mpu;
    m->ops->remove_region(m, p->shared[i].hw, &p->mpu);
    p->shared[i].used = false;
}

int k_process_share_region(struct k_process *p, const struct k_process *owner,
                           uint32_t start, uint32_t size)
{
    const struct k_shared_region *cur = k_process_shared_region(p, owner);
    if (cur && cur->start == start && cur->size == size)
        return 0;
    k_process_unshare_region(p, owner);
    for (unsigned i = 0; i < K_MAX_SHARED; i++) {
        struct k_shared_region *r = &p->shared[i];
        if (r->used)
            continue;
        struct hil_mpu *m = p->kernel->mpu;
        unsigned hw;
        if (m->ops->add_region(m, start, size, &p->mpu, &hw))
            return K_ENOMEM;
        *r = (struct k_shared_region){ start, size, (uint16_t)owner->index, (uint8_t)hw, true };
        return 0;
    }
    return K_ENOMEM;
}
