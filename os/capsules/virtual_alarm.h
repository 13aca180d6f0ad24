/* Virtual alarms: many clients share one hardware alarm (TOCK.md §4.2).
 *
 * Each virtual alarm is itself a hil_alarm of the hardware's width and
 * frequency. Alarms with dt > half the counter range (+ minimum_dt) are split
 * into two legs so that a late interrupt cannot push them a full wrap away;
 * `now` is re-read for every alarm checked; an alarm found already expired
 * when choosing the next hardware alarm counts as zero ticks away. */
#ifndef OS_CAPSULES_VIRTUAL_ALARM_H
#define OS_CAPSULES_VIRTUAL_ALARM_H

#include "hil/time.h"

struct valarm_mux;

struct valarm {
    struct hil_alarm alarm;         /* what clients use (first member) */
    struct valarm_mux *mux;
    struct valarm *next;
    hil_ticks reference, dt;
    bool armed, extended;
};

struct valarm_mux {
    struct hil_alarm *hw;
    struct hil_alarm_client hw_client;
    struct valarm *head;
    unsigned enabled;
    bool firing;
    bool has_next;                  /* (next_ref, next_dt) programmed in hardware */
    hil_ticks next_ref, next_dt;
};

void valarm_mux_init(struct valarm_mux *m, struct hil_alarm *hw);
/* Add v to m (newest first, as Tock's push_head); the client goes in
 * v->alarm.client. */
void valarm_init(struct valarm *v, struct valarm_mux *m);

#endif
