#include "kernel/upcall.h"

void k_upq_init(struct k_upcall_queue *q)
{
    q->head = 0;
    q->count = 0;
}

bool k_upq_push(struct k_upcall_queue *q, const struct k_task *t)
{
    if (q->count == K_UPCALL_QUEUE_LEN)
        return false;
    q->t[(q->head + q->count) % K_UPCALL_QUEUE_LEN] = *t;
    q->count++;
    return true;
}

bool k_upq_pop(struct k_upcall_queue *q, struct k_task *out)
{
    if (!q->count)
        return false;
    *out = q->t[q->head];
    q->head = (uint8_t)((q->head + 1) % K_UPCALL_QUEUE_LEN);
    q->count--;
    return true;
}

/* Remove entry i (0 = oldest), closing the gap. */
static void remove_at(struct k_upcall_queue *q, unsigned i)
{
    for (; i + 1 < q->count; i++)
        q->t[(q->head + i) % K_UPCALL_QUEUE_LEN] = q->t[(q->head + i + 1) % K_UPCALL_QUEUE_LEN];
    q->count--;
}

static int find(const struct k_upcall_queue *q, uint32_t driver, uint32_t subnum)
{
    for (unsigned i = 0; i < q->count; i++) {
        const struct k_task *t = k_upq_at(q, i);
        if (t->driver == driver && t->subnum == subnum)
            return (int)i;
    }
    return -1;
}

bool k_upq_take(struct k_upcall_queue *q, uint32_t driver, uint32_t subnum, struct k_task *out)
{
    int i = find(q, driver, subnum);
    if (i < 0)
        return false;
    *out = *k_upq_at(q, (unsigned)i);
    remove_at(q, (unsigned)i);
    return true;
}

bool k_upq_has(const struct k_upcall_queue *q, uint32_t driver, uint32_t subnum)
{
    return find(q, driver, subnum) >= 0;
}

unsigned k_upq_purge(struct k_upcall_queue *q, uint32_t driver, uint32_t subnum)
{
    unsigned n = 0;
    int i;
    while ((i = find(q, driver, subnum)) >= 0) {
        remove_at(q, (unsigned)i);
        n++;
    }
    return n;
}
