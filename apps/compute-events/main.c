/* compute-events: a long SHA-256 computation that must also serve events.
 *
 * A 10 ms repeating alarm and the buttons generate events while the app
 * hashes ROUNDS times over a 64-byte buffer (each round hashes the previous
 * digest). The default build calls Yield-NoWait after every round, so
 * events are served during the computation; the COMPUTE_EVENTS_YIELD_WAIT_ONLY
 * build never yields until the computation is over, then Yield-Waits until
 * the queued events are served (every period that passed during the
 * computation runs then, late, in one batch). Both
 * print the measured event latency (how late each alarm callback ran after
 * its due time) in simulated microseconds, and the digest (the same in
 * both). */
#include <stdio.h>

#include "services/alarm.h"
#include "services/button.h"
#include "sha256.h"
#include "tock.h"

#ifndef ROUNDS
#define ROUNDS 4000
#endif
#define PERIOD_MS 10

#ifdef COMPUTE_EVENTS_YIELD_WAIT_ONLY
#define VARIANT "yield-wait only"
#else
#define VARIANT "yield-no-wait polling"
#endif

static struct {
    unsigned alarms, buttons;
    uint64_t late_us_sum, late_us_max;
    volatile unsigned after_compute;    /* alarms that ran after the computation */
    bool computing;
} ev;

static void tick(uint32_t now, uint32_t due, void *ud)
{
    (void)ud;
    uint64_t late = alarm_ticks_to_us((uint32_t)(now - due));
    ev.alarms++;
    ev.late_us_sum += late;
    if (late > ev.late_us_max)
        ev.late_us_max = late;
    if (!ev.computing)
        ev.after_compute++;
}

static void button(int index, bool pressed, void *ud)
{
    uint64_t ms = 0;
    (void)ud;
    alarm_uptime_ms(&ms);
    ev.buttons++;
    printf("compute-events: button %d %s, served at %lu ms\n", index, pressed ? "pressed" : "released",
           (unsigned long)ms);
}

int main(void)
{
    struct alarm period = { 0 };
    uint8_t digest[32] = { 0 };
    uint64_t t0, t1;

    if (!alarm_frequency()) {
        printf("compute-events: no alarm driver\n");
        return 1;
    }
    int nbuttons = button_count();
    if (nbuttons > 0) {
        button_on_change(button, NULL);
        for (int i = 0; i < nbuttons; i++)
            button_enable(i);
    }
    printf("compute-events (%s): %u SHA-256 rounds, %d ms alarm, %d buttons\n", VARIANT, ROUNDS, PERIOD_MS,
           nbuttons > 0 ? nbuttons : 0);
    alarm_uptime_ticks(&t0);
    alarm_every_ms(&period, PERIOD_MS, tick, NULL);

    ev.computing = true;
    for (unsigned r = 0; r < ROUNDS; r++) {
        struct sha256 c;
        sha256_init(&c);
        sha256_update(&c, digest, sizeof digest);
        sha256_update(&c, &r, sizeof r);
        sha256_final(&c, digest);
#ifndef COMPUTE_EVENTS_YIELD_WAIT_ONLY
        while (tock_yield_no_wait())
            ;
#endif
    }
    ev.computing = false;
    alarm_uptime_ticks(&t1);
    /* Serve what is queued: upcalls run in order, and the alarm service
     * runs every missed period in one batch, so two alarms after the
     * computation come after everything that was waiting. */
    while (ev.after_compute < 2)
        tock_yield_wait();
    alarm_cancel(&period);

    printf("compute-events (%s): digest ", VARIANT);
    for (int i = 0; i < 8; i++)
        printf("%02x", digest[i]);
    printf("... in %lu ms\n", (unsigned long)alarm_ticks_to_ms(t1 - t0));
    printf("compute-events (%s): %u alarm events, latency avg %lu us, max %lu us; %u button events\n",
           VARIANT, ev.alarms, (unsigned long)(ev.alarms ? ev.late_us_sum / ev.alarms : 0), (unsigned long)ev.late_us_max,
           ev.buttons);
    return 0;
}
