/* Fake kernel alarm driver (see fake_alarm_sys.h). */
#include "fake_alarm_sys.h"

#include <string.h>

#include "syscalls/alarm_sys.h"

struct fake_alarm fake;

void fake_reset(uint32_t hz, uint32_t now)
{
    memset(&fake, 0, sizeof fake);
    fake.hz = hz;
    fake.now = now;
}

static bool expired(uint32_t now, uint32_t ref, uint32_t dt)
{
    return (uint32_t)(now - ref) >= dt;
}

/* The kernel's "process_rearm_or_callback" for our one process. */
static void check(void)
{
    if (fake.armed && expired(fake.now, fake.reference, fake.dt)) {
        fake.armed = false;
        fake.pending = true;
        fake.pending_now = fake.now;
        fake.pending_expiration = fake.reference + fake.dt;
    }
}

void fake_deliver(void)
{
    if (!fake.pending)
        return;
    fake.pending = false;
    fake.delivered++;
    if (fake.fn)
        fake.fn((int)fake.pending_now, (int)fake.pending_expiration, 0, fake.ud);
}

void fake_run(uint64_t ticks)
{
    for (;;) {
        check();
        if (fake.pending) {
            uint64_t lat = fake.latency < ticks ? fake.latency : ticks;
            fake.now += (uint32_t)lat;
            ticks -= lat;
            fake_deliver();
            continue;
        }
        if (!fake.armed) {
            fake.now += (uint32_t)ticks;
            return;
        }
        uint32_t gone = fake.now - fake.reference;
        uint32_t rem = fake.dt - gone;          /* > 0: not expired */
        if (rem > ticks) {
            fake.now += (uint32_t)ticks;
            return;
        }
        fake.now += rem;
        ticks -= rem;
    }
}

/* ------------------------------------------------ alarm_sys interface -- */

bool alarm_sys_exists(void) { return true; }

int alarm_sys_frequency(uint32_t *hz)
{
    *hz = fake.hz;
    return 0;
}

int alarm_sys_read(uint32_t *now)
{
    *now = fake.now;
    return 0;
}

int alarm_sys_stop(void)
{
    fake.stops++;
    if (!fake.armed)
        return TOCK_EALREADY;
    fake.armed = false;
    return 0;
}

int alarm_sys_set_relative(uint32_t dt, uint32_t *expiration)
{
    return alarm_sys_set_absolute(fake.now, dt, expiration);
}

int alarm_sys_set_absolute(uint32_t reference, uint32_t dt, uint32_t *expiration)
{
    fake.sets++;
    fake.armed = true;
    fake.reference = reference;
    fake.dt = dt;
    if (expiration)
        *expiration = reference + dt;
    check();                                    /* expired: upcall queued at once */
    return 0;
}

int alarm_sys_subscribe(tock_upcall_fn fn, void *ud)
{
    fake.fn = fn;
    fake.ud = ud;
    fake.pending = false;                       /* subscribe drops queued upcalls */
    return 0;
}
