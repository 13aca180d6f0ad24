/* A fake of the kernel's alarm driver (TOCK.md §2.1) for host tests of
 * apps/libtock/services/alarm.c: one expiration per process, fired when now
 * leaves [reference, reference + dt), its upcall delivered when the test
 * lets time run (as the app's next yield would). */
#ifndef TEST_FAKE_ALARM_SYS_H
#define TEST_FAKE_ALARM_SYS_H

#include <stdbool.h>
#include <stdint.h>

#include "tock.h"

struct fake_alarm {
    uint32_t hz;
    uint32_t now;
    bool armed;
    uint32_t reference, dt;
    tock_upcall_fn fn;
    void *ud;
    bool pending;                       /* upcall queued, not delivered */
    uint32_t pending_now, pending_expiration;
    uint32_t latency;                   /* ticks between firing and delivery */
    unsigned sets, stops, delivered;
};

extern struct fake_alarm fake;

void fake_reset(uint32_t hz, uint32_t now);
/* Lets ticks pass, firing and delivering upcalls at the exact ticks. */
void fake_run(uint64_t ticks);
/* Delivers a queued upcall now (if any). */
void fake_deliver(void);

#endif
