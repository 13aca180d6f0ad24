/* A 32-bit up-counting Alarm HIL from two CMSDK timers (the CMSDK timers
 * count down):
 *  - the dual timer's first counter runs free, 32-bit, no interrupt, from
 *    0xFFFFFFFF down: now = ~VALUE;
 *  - TIMER0 is the compare: on set_alarm it is loaded with the ticks left
 *    until the expiration and interrupts when it reaches zero.
 * Both count PCLK, so the compare never fires before the expiration as seen
 * by now(); if it fires a little late, the virtual alarm layer checks `now`. */
#ifndef OS_CHIPS_CMSDK_ALARM_H
#define OS_CHIPS_CMSDK_ALARM_H

#include "hil/time.h"

struct cmsdk_alarm {
    struct hil_alarm alarm;
    uintptr_t timer_base, dual_base;
    bool armed;
    hil_ticks expire;
};

void cmsdk_alarm_init(struct cmsdk_alarm *a, uintptr_t timer_base, uintptr_t dualtimer_base,
                      uint32_t pclk_hz);
void cmsdk_alarm_handle_interrupt(struct cmsdk_alarm *a);

#endif
