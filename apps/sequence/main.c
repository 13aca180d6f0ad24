/* sequence: console output whose order follows from what happens, not
 * from how fast anything runs; the app of the differential test against
 * QEMU (tests/qemu-kernel/).
 *
 * It first waits 200 ms: apps that print at the same time interleave by
 * UART speed (an app makes its next line only when its last one is out),
 * and by then the kernel's start-up lines and a companion's few lines
 * (hello's) are out at any UART speed above ~25 kbaud (~450 bytes).
 * Then it prints its start; three repeating alarms (41, 67 and 113 ms: no
 * two due at the same tick before the 113 ms one has fired four times)
 * print one line per firing, which must come in due order; then console
 * lines around two lines the kernel prints for it (low-level debug, driver
 * 0x8), which must come out in the order they were made; a line longer
 * than libtock's 64-byte stdout buffer (two console writes); and
 * "sequence: done". Then it exits. */
#include <stdio.h>

#include "services/alarm.h"
#include "sync/alarm_sync.h"
#include "tock.h"

#define LLDEBUG_DRIVER 0x8u
#define LLDEBUG_PRINT1 2u
#define LLDEBUG_PRINT2 3u
#define START_DELAY_MS 200u

struct ticker {
    const char *name;
    uint32_t period_ms;
    unsigned fired;
    struct alarm alarm;
};

static struct ticker tickers[] = {
    { "A", 41, 0, { 0 } },
    { "B", 67, 0, { 0 } },
    { "C", 113, 0, { 0 } },
};
static volatile bool done;

static void fired(uint32_t now, uint32_t due, void *ud)
{
    (void)now;
    (void)due;
    struct ticker *t = ud;
    t->fired++;
    printf("sequence: %s (%lu ms) #%u\n", t->name, (unsigned long)t->period_ms, t->fired);
    if (t == &tickers[2] && t->fired == 4)
        done = true;
}

int main(void)
{
    alarm_sync_delay_ms(START_DELAY_MS);
    printf("sequence: start\n");
    for (unsigned i = 0; i < sizeof tickers / sizeof tickers[0]; i++)
        alarm_every_ms(&tickers[i].alarm, tickers[i].period_ms, fired, &tickers[i]);
    tock_yield_for(&done);
    for (unsigned i = 0; i < sizeof tickers / sizeof tickers[0]; i++)
        alarm_cancel(&tickers[i].alarm);

    printf("sequence: the kernel prints two lines for me next\n");
    tock_command(LLDEBUG_DRIVER, LLDEBUG_PRINT1, 0x5E9, 0);
    tock_command(LLDEBUG_DRIVER, LLDEBUG_PRINT2, 41, 67);
    printf("sequence: and now me again\n");
    printf("sequence: a line of more than sixty-four characters, in two console writes\n");
    printf("sequence: done\n");
    return 0;
}
