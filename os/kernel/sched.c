/* The kernel loop and the round-robin scheduler (TOCK.md §6): interrupts'
 * bottom halves first, then the next ready process for up to one timeslice. */
#include "kernel/kernel.h"
#include "kernel/debug.h"

enum stop_reason { STOP_NO_WORK, STOP_EXPIRED, STOP_PREEMPTED };

static bool kernel_work(struct k_kernel *k)
{
    return k->chip->ops->has_pending(k->chip);
}

/* Run p until it has nothing to do, its timeslice ends, or an interrupt
 * needs the kernel. */
static enum stop_reason do_process(struct k_kernel *k, struct k_process *p)
{
    struct hil_sched_timer *st = k->stimer;
    uint32_t slice = p->slice_left_us ? p->slice_left_us : k->timeslice_us;
    p->slice_left_us = 0;
    if (st)
        st->ops->start(st, slice);
    enum stop_reason why = STOP_NO_WORK;
    for (;;) {
        if (st && st->ops->remaining_us(st) < K_MIN_QUANTA_US) {
            why = STOP_EXPIRED;
            break;
        }
        if (kernel_work(k)) {
            why = STOP_PREEMPTED;
            break;
        }
        if (!k_process_ready(p))
            break;
        if (p->state == K_PROC_RUNNING) {
            struct ukb_syscall sc;
            k->mpu->ops->configure(k->mpu, &p->mpu);
            if (st)
                st->ops->arm(st);
            enum ukb_reason r = k->ukb->ops->switch_to(&p->ctx, p->mem_start, p->app_brk, &sc);
            if (st)
                st->ops->disarm(st);
            k->mpu->ops->disable(k->mpu);
            if (r == UKB_FAULT) {
                k_process_fault(p);
            } else if (r == UKB_SYSCALL) {
                k_handle_syscall(k, p, &sc);
            } else if (st && st->ops->remaining_us(st) == 0) {
                p->timeslice_expirations++;
                why = STOP_EXPIRED;
                break;
            }
        } else if (p->state == K_PROC_YIELDED) {
            struct k_task t;
            k_upq_pop(&p->tasks, &t);
            if (!t.fn)          /* Null Upcall: Yield-Wait is not woken by it */
                break;
            uint32_t args[4] = { t.args[0], t.args[1], t.args[2], t.appdata };
            if (k->ukb->ops->set_upcall(&p->ctx, p->mem_start, p->app_brk, t.fn, args))
                k_process_fault(p);
            else
                p->state = K_PROC_RUNNING;
        } else if (p->state == K_PROC_YIELDED_FOR) {
            struct k_task t;
            k_upq_take(&p->tasks, p->wait_driver, p->wait_subnum, &t);
            p->state = K_PROC_RUNNING;
            struct k_ret r = k_ret_yield_wait_for(t.args[0], t.args[1], t.args[2]);
            k_process_set_return(p, &r);
        }
    }
    if (st) {
        if (why == STOP_PREEMPTED)
            p->slice_left_us = st->ops->remaining_us(st);
        st->ops->reset(st);
    }
    return why;
}

static struct k_process *next_ready(struct k_kernel *k)
{
    for (unsigned n = 0; n < k->nprocs; n++) {
        struct k_process *p = &k->procs[(k->rr_next + n) % k->nprocs];
        if (k_process_ready(p))
            return p;
    }
    return NULL;
}

void k_kernel_loop_once(struct k_kernel *k)
{
    if (kernel_work(k)) {
        k->chip->ops->service_pending(k->chip);
        return;
    }
    struct k_process *p = next_ready(k);
    if (!p) {
        k->chip->ops->sleep(k->chip);
        return;
    }
    enum stop_reason why = do_process(k, p);
    /* A process preempted by the kernel resumes next with what is left of
     * its slice; otherwise it goes to the back of the line. */
    k->rr_next = why == STOP_PREEMPTED ? p->index : (p->index + 1) % k->nprocs;
}

_Noreturn void k_kernel_run(struct k_kernel *k)
{
    for (;;)
        k_kernel_loop_once(k);
}
