/* Alarm driver system calls (see alarm_sys.h). */
#include "alarm_sys.h"

bool alarm_sys_exists(void) { return tock_driver_exists(ALARM_DRIVER); }

int alarm_sys_frequency(uint32_t *hz) { return tock_command_u32(ALARM_DRIVER, 1, 0, 0, hz); }

int alarm_sys_read(uint32_t *now) { return tock_command_u32(ALARM_DRIVER, 2, 0, 0, now); }

int alarm_sys_stop(void) { return tock_command_status(ALARM_DRIVER, 3, 0, 0); }

int alarm_sys_set_relative(uint32_t dt, uint32_t *expiration)
{
    return tock_command_u32(ALARM_DRIVER, 5, dt, 0, expiration);
}

int alarm_sys_set_absolute(uint32_t reference, uint32_t dt, uint32_t *expiration)
{
    return tock_command_u32(ALARM_DRIVER, 6, reference, dt, expiration);
}

int alarm_sys_subscribe(tock_upcall_fn fn, void *ud) { return tock_subscribe_status(ALARM_DRIVER, 0, fn, ud); }
