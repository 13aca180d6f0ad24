/* Blocking waits built on the virtual alarms and Yield-Wait: other upcalls
 * (buttons, other alarms) keep running while a caller waits. Each wait uses
 * its own alarm and flag on the caller's stack, so waits may nest (a
 * callback may itself delay). */
#ifndef LIBTOCK_SYNC_ALARM_SYNC_H
#define LIBTOCK_SYNC_ALARM_SYNC_H

#include <stdbool.h>
#include <stdint.h>

int alarm_sync_delay_ms(uint32_t ms);
int alarm_sync_delay_ticks(uint64_t ticks);
/* Yields until *cond is true or ms pass; returns *cond. */
bool alarm_sync_wait_for_ms(volatile bool *cond, uint32_t ms);

#endif
