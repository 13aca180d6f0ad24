/* Scheduler timer HIL: bounds a process's timeslice (SysTick on Cortex-M, a
 * virtual alarm on RISC-V). start() begins counting; arm() lets expiry
 * interrupt a running process; disarm() stops that without stopping the count. */
#ifndef OS_HIL_SCHED_TIMER_H
#define OS_HIL_SCHED_TIMER_H

#include "lib/util.h"

struct hil_sched_timer;

struct hil_sched_timer_ops {
    void (*start)(struct hil_sched_timer *t, uint32_t us);
    void (*reset)(struct hil_sched_timer *t);
    void (*arm)(struct hil_sched_timer *t);
    void (*disarm)(struct hil_sched_timer *t);
    uint32_t (*remaining_us)(struct hil_sched_timer *t);     /* 0 once expired */
};

struct hil_sched_timer {
    const struct hil_sched_timer_ops *ops;
};

#endif
