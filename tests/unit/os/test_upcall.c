/* Upcall queue (os/kernel/upcall.c) and upcall scheduling with its dropped
 * counter (k_upcall_schedule in os/kernel/grant.c); return-value encoding
 * (os/kernel/syscall.c). */
#include <check.h>
#include <string.h>
#include "check_tap.h"
#include "kernel/kernel.h"

static struct k_task task(uint32_t d, uint32_t s, uint32_t a0)
{
    return (struct k_task){ .driver = d, .subnum = s, .fn = 0x1001, .args = { a0, 0, 0 } };
}

START_TEST(test_fifo_and_overflow)
{
    struct k_upcall_queue q;
    k_upq_init(&q);
    for (uint32_t i = 0; i < K_UPCALL_QUEUE_LEN; i++) {
        struct k_task t = task(0, 0, i);
        ck_assert(k_upq_push(&q, &t));
    }
    struct k_task extra = task(0, 0, 99);
    ck_assert(!k_upq_push(&q, &extra));
    ck_assert_uint_eq(k_upq_count(&q), K_UPCALL_QUEUE_LEN);
    for (uint32_t i = 0; i < K_UPCALL_QUEUE_LEN; i++) {
        struct k_task t;
        ck_assert(k_upq_pop(&q, &t));
        ck_assert_uint_eq(t.args[0], i);
    }
    struct k_task t;
    ck_assert(!k_upq_pop(&q, &t));
}
END_TEST

START_TEST(test_take_keeps_order)
{
    struct k_upcall_queue q;
    k_upq_init(&q);
    /* wrap the ring first */
    for (int i = 0; i < 7; i++) {
        struct k_task t = task(9, 9, 0);
        struct k_task o;
        k_upq_push(&q, &t);
        k_upq_pop(&q, &o);
    }
    struct k_task a = task(0, 0, 1), b = task(1, 1, 2), c = task(0, 0, 3), d = task(2, 0, 4);
    k_upq_push(&q, &a);
    k_upq_push(&q, &b);
    k_upq_push(&q, &c);
    k_upq_push(&q, &d);
    ck_assert(k_upq_has(&q, 1, 1));
    ck_assert(!k_upq_has(&q, 1, 0));
    struct k_task t;
    ck_assert(k_upq_take(&q, 1, 1, &t));
    ck_assert_uint_eq(t.args[0], 2);
    ck_assert(!k_upq_take(&q, 1, 1, &t));
    ck_assert_uint_eq(k_upq_purge(&q, 0, 0), 2);
    ck_assert_uint_eq(k_upq_count(&q), 1);
    ck_assert(k_upq_pop(&q, &t));
    ck_assert_uint_eq(t.args[0], 4);
}
END_TEST

START_TEST(test_schedule_counts_drops)
{
    struct k_process p;
    memset(&p, 0, sizeof(p));
    p.state = K_PROC_YIELDED;
    k_upq_init(&p.tasks);
    p.subs[3] = (struct k_subscription){ .driver = 1, .subnum = 1, .fn = 0x2001, .appdata = 7, .used = true };
    for (int i = 0; i < K_UPCALL_QUEUE_LEN; i++)
        ck_assert_int_eq(k_upcall_schedule(&p, 1, 1, (uint32_t)i, 0, 0), 0);
    ck_assert_uint_eq(p.dropped_upcalls, 0);
    ck_assert_int_eq(k_upcall_schedule(&p, 1, 1, 10, 0, 0), K_ENOMEM);
    ck_assert_uint_eq(p.dropped_upcalls, 1);
    ck_assert_int_eq(k_upcall_schedule(&p, 0, 0, 11, 0, 0), K_ENOMEM);
    ck_assert_uint_eq(p.dropped_upcalls, 2);
    const struct k_task *t = k_upq_at(&p.tasks, 0);
    ck_assert_uint_eq(t->fn, 0x2001);       /* taken from the subscription */
    ck_assert_uint_eq(t->appdata, 7);
    struct k_task o;
    k_upq_pop(&p.tasks, &o);
    ck_assert_int_eq(k_upcall_schedule(&p, 0, 0, 12, 0, 0), 0);
    ck_assert_uint_eq(k_upq_at(&p.tasks, K_UPCALL_QUEUE_LEN - 1)->fn, 0);   /* Null upcall */
    p.state = K_PROC_TERMINATED;
    ck_assert_int_eq(k_upcall_schedule(&p, 1, 1, 0, 0, 0), K_EOFF);
}
END_TEST

static void enc(struct k_ret r, uint32_t e0, uint32_t e1, uint32_t e2, uint32_t e3)
{
    uint32_t regs[4] = { 0xA0, 0xA1, 0xA2, 0xA3 };
    k_ret_encode(&r, regs);
    ck_assert_uint_eq(regs[0], e0);
    ck_assert_uint_eq(regs[1], e1);
    ck_assert_uint_eq(regs[2], e2);
    ck_assert_uint_eq(regs[3], e3);
}

START_TEST(test_return_encodings)
{
    enc(k_ret_failure(K_ENODEVICE), 0, 11, 0xA2, 0xA3);
    enc(k_ret_failure_u32(K_EBUSY, 5), 1, 2, 5, 0xA3);
    enc(k_ret_failure_2u32(K_EINVAL, 5, 6), 2, 6, 5, 6);
    enc(k_ret_failure_u64(K_EFAIL, 0x1122334455667788ull), 3, 1, 0x55667788, 0x11223344);
    enc(k_ret_success(), 128, 0xA1, 0xA2, 0xA3);
    enc(k_ret_success_u32(42), 129, 42, 0xA2, 0xA3);
    enc(k_ret_success_2u32(1, 2), 130, 1, 2, 0xA3);
    enc(k_ret_success_u64(0x1122334455667788ull), 131, 0x55667788, 0x11223344, 0xA3);
    enc(k_ret_success_3u32(1, 2, 3), 132, 1, 2, 3);
    enc(k_ret_success_u32_u64(9, 0x1122334455667788ull), 133, 9, 0x55667788, 0x11223344);
    enc(k_ret_yield_wait_for(7, 8, 9), 7, 8, 9, 0xA3);
    enc(k_ret_from_err(0), 128, 0xA1, 0xA2, 0xA3);
    enc(k_ret_from_err(K_ENOMEM), 0, 9, 0xA2, 0xA3);
}
END_TEST

static Suite *upcall_suite(void)
{
    Suite *s = suite_create("os_upcall");
    TCase *tc = tcase_create("queue");
    tcase_add_test(tc, test_fifo_and_overflow);
    tcase_add_test(tc, test_take_keeps_order);
    tcase_add_test(tc, test_schedule_counts_drops);
    tcase_add_test(tc, test_return_encodings);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(upcall_suite());
}
