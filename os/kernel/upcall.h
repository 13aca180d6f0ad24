/* Per-process queue of pending upcalls (TOCK.md §1.4): a FIFO of
 * K_UPCALL_QUEUE_LEN tasks. A task whose fn is 0 comes from a Null Upcall:
 * it is kept so that Yield-WaitFor can return its values, but Yield-Wait
 * discards it. Pure code: also built on the host. */
#ifndef OS_KERNEL_UPCALL_H
#define OS_KERNEL_UPCALL_H

#include "lib/util.h"

#define K_UPCALL_QUEUE_LEN 10

struct k_task {
    uint32_t driver, subnum;
    uint32_t fn, appdata;       /* fn 0: Null Upcall (return values only) */
    uint32_t args[3];
};

struct k_upcall_queue {
    struct k_task t[K_UPCALL_QUEUE_LEN];
    uint8_t head, count;
};

void k_upq_init(struct k_upcall_queue *q);
/* Append; false (and nothing queued) if the queue is full. */
bool k_upq_push(struct k_upcall_queue *q, const struct k_task *t);
/* Remove the oldest task. */
bool k_upq_pop(struct k_upcall_queue *q, struct k_task *out);
/* Remove the oldest task for (driver, subnum); the others keep their order. */
bool k_upq_take(struct k_upcall_queue *q, uint32_t driver, uint32_t subnum, struct k_task *out);
bool k_upq_has(const struct k_upcall_queue *q, uint32_t driver, uint32_t subnum);
/* Remove every task for (driver, subnum); returns how many. */
unsigned k_upq_purge(struct k_upcall_queue *q, uint32_t driver, uint32_t subnum);
static inline unsigned k_upq_count(const struct k_upcall_queue *q) { return q->count; }
static inline const struct k_task *k_upq_at(const struct k_upcall_queue *q, unsigned i)
{
    return &q->t[(q->head + i) % K_UPCALL_QUEUE_LEN];
}

#endif
