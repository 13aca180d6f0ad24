/* Alarm driver 0x0 (TOCK.md §2.1). Tick values are the kernel's
 * left-justified 32-bit ticks; the frequency is scaled to match. */
#ifndef LIBTOCK_ALARM_SYS_H
#define LIBTOCK_ALARM_SYS_H

#include "../tock.h"

#define ALARM_DRIVER 0x0u

bool alarm_sys_exists(void);
int alarm_sys_frequency(uint32_t *hz);
int alarm_sys_read(uint32_t *now);
/* TOCK_EALREADY if nothing was armed. */
int alarm_sys_stop(void);
/* Fires when now leaves [now, now + dt); *expiration = now + dt. */
int alarm_sys_set_relative(uint32_t dt, uint32_t *expiration);
/* Fires when now leaves [reference, reference + dt) (at once if it already has). */
int alarm_sys_set_absolute(uint32_t reference, uint32_t dt, uint32_t *expiration);
/* Upcall (now, expiration, 0, ud). */
int alarm_sys_subscribe(tock_upcall_fn fn, void *ud);

#endif
