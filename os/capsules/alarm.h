/* Alarm driver 0x0 (TOCK.md §2.1): one expiration per process on top of one
 * (virtual) alarm. Tick values cross the syscall boundary left-justified to
 * 32 bits: ticks << (32 - width) for narrower counters, the low 32 bits for
 * wider ones. */
#ifndef OS_CAPSULES_ALARM_H
#define OS_CAPSULES_ALARM_H

#include "kernel/kernel.h"
#include "hil/time.h"

#define CAP_ALARM_DRIVER 0x0u

struct cap_alarm_app {
    bool armed;
    hil_ticks reference, dt;        /* hardware ticks */
};

struct cap_alarm {
    struct k_driver driver;
    struct k_grant grant;
    struct k_kernel *kernel;
    struct hil_alarm *alarm;
    struct hil_alarm_client client;
    /* what the alarm below was last armed with: when it fires, the apps
     * whose expiration that was have expired, whatever now says (with dt
     * near 2^w, now is back inside [reference, reference + dt) a tick after
     * the expiration) */
    bool armed;
    hil_ticks armed_ref, armed_dt;
};

void cap_alarm_init(struct cap_alarm *c, struct k_kernel *k, struct hil_alarm *alarm);

/* The conversions, exposed for unit tests. */
uint32_t cap_alarm_left_justify(const struct hil_alarm *a, hil_ticks t);
/* (reference, dt) in hardware ticks for userspace values; has_ref false for
 * command 5 (reference = now). */
void cap_alarm_to_hw(const struct hil_alarm *a, hil_ticks now, bool has_ref, uint32_t ref_u32,
                     uint32_t dt_u32, hil_ticks *ref, hil_ticks *dt);

#endif
