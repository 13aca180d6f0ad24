/* A scheduler timer on top of a (virtual) alarm, for chips without a
 * dedicated timeslice timer (RISC-V: the machine timer). Expiry interrupts
 * the running process because the alarm's interrupt does. */
#ifndef OS_CAPSULES_VALARM_SCHED_TIMER_H
#define OS_CAPSULES_VALARM_SCHED_TIMER_H

#include "hil/sched_timer.h"
#include "hil/time.h"

struct valarm_sched_timer {
    struct hil_sched_timer timer;
    struct hil_alarm *alarm;
    struct hil_alarm_client client;
    hil_ticks reference, dt;
    bool running, expired;
};

void valarm_sched_timer_init(struct valarm_sched_timer *t, struct hil_alarm *alarm);

#endif
