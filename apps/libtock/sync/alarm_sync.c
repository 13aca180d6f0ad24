/* Blocking alarm waits (see alarm_sync.h). */
#include "alarm_sync.h"

#include "../services/alarm.h"
#include "../tock.h"

static void set_flag(uint32_t now, uint32_t expiration, void *ud)
{
    (void)now; (void)expiration;
    *(volatile bool *)ud = true;
}

int alarm_sync_delay_ticks(uint64_t ticks)
{
    struct alarm a = { 0 };
    volatile bool done = false;
    int rc = alarm_in_ticks(&a, ticks, set_flag, (void *)&done);
    if (rc < 0)
        return rc;
    tock_yield_for(&done);
    return 0;
}

int alarm_sync_delay_ms(uint32_t ms)
{
    if (!alarm_frequency())
        return TOCK_ENODEVICE;
    return alarm_sync_delay_ticks(alarm_ms_to_ticks(ms));
}

bool alarm_sync_wait_for_ms(volatile bool *cond, uint32_t ms)
{
    struct alarm a = { 0 };
    volatile bool timeout = false;
    if (*cond)
        return true;
    if (alarm_in_ms(&a, ms, set_flag, (void *)&timeout) < 0)
        return *cond;
    while (!*cond && !timeout)
        tock_yield_wait();
    alarm_cancel(&a);
    return *cond;
}
