/* alarms: three repeating virtual alarms with co-prime periods (113, 271
 * and 499 ms) share the process's one kernel alarm. Each firing prints the
 * time it was due and how late it ran; after the slowest has fired ten
 * times the app prints a summary and exits. */
#include <stdio.h>

#include "services/alarm.h"
#include "tock.h"

struct ticker {
    const char *name;
    uint32_t period_ms;
    unsigned fired;
    uint32_t first_due;
    struct alarm alarm;
};

static struct ticker tickers[] = {
    { "A", 113, 0, 0, { 0 } },
    { "B", 271, 0, 0, { 0 } },
    { "C", 499, 0, 0, { 0 } },
};
static uint32_t start;
static volatile bool done;

static void fired(uint32_t now, uint32_t due, void *ud)
{
    struct ticker *t = ud;
    t->fired++;
    uint64_t due_ms = alarm_ticks_to_ms((uint32_t)(due - start));
    uint64_t late_us = alarm_ticks_to_us((uint32_t)(now - due));
    printf("alarms: %s (%lu ms) #%u due at %lu ms, ran %lu us late\n", t->name, (unsigned long)t->period_ms,
           t->fired, (unsigned long)due_ms, (unsigned long)late_us);
    if (t == &tickers[2] && t->fired == 10)
        done = true;
}

int main(void)
{
    uint32_t hz = alarm_frequency();
    if (!hz) {
        printf("alarms: no alarm driver\n");
        return 1;
    }
    alarm_now(&start);
    printf("alarms: kernel ticks at %lu Hz\n", (unsigned long)hz);
    for (unsigned i = 0; i < sizeof tickers / sizeof tickers[0]; i++)
        alarm_every_ms(&tickers[i].alarm, tickers[i].period_ms, fired, &tickers[i]);
    tock_yield_for(&done);
    for (unsigned i = 0; i < sizeof tickers / sizeof tickers[0]; i++)
        alarm_cancel(&tickers[i].alarm);
    printf("alarms: done: A %u, B %u, C %u firings\n", tickers[0].fired, tickers[1].fired, tickers[2].fired);
    return 0;
}
