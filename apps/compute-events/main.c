/* compute-events: a long SHA-256 computation that must also serve events.
 *
 * A 10 ms repeating alarm and the buttons generate events while the app
 * hashes ROUNDS times over a 64-byte buffer (each round hashes the previous
 * digest). The default build calls Yield-NoWait every POLL_EVERY rounds, so
 * events are served during the computation; the COMPUTE_EVENTS_YIELD_WAIT_ONLY
 * build never yields until the computation is over, then Yield-Waits. Both
 * print the measured event latency (how late each alarm callback ran after
 * its due time) in simulated microseconds, and the digest (the same in
 * both). */
#include <inttypes.h>
#include <stdio.h>

#include "services/alarm.h"
#include "services/button.h"
#include "sha256.h"
#include "tock.h"

#ifndef ROUNDS
#define ROUNDS 4000
#endif
#define POLL_EVERY 8
#define PERIOD_MS 10

#ifdef COMPUTE_EVENTS_YIELD_WAIT_ONLY
#define VARIANT "yield-wait only"
#else
#define VARIANT "yield-no-wait polling"
#endif

static struct {
    unsigned alarms, buttons;
    uint64_t late_us_sum, late_us_max;
    volatile bool after_compute;        /* an alarm ran after the computation */
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
        ev.after_compute = true;
}

static void button(int index, bool pressed, void *ud)
{
    uint64_t ms = 0;
    (void)ud;
    alarm_uptime_ms(&ms);
    ev.buttons++;
    printf("compute-events: button %d %s, served at %" PRIu64 " ms\n", index, pressed ? "pressed" : "released", ms);
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
        if (r % POLL_EVERY == 0)
            while (tock_yield_no_wait())
                ;
#endif
    }
    ev.computing = false;
    alarm_uptime_ticks(&t1);
    /* Serve what is pending, until an alarm has run after the computation. */
    tock_yield_for(&ev.after_compute);
    alarm_cancel(&period);

    printf("compute-events (%s): digest ", VARIANT);
    for (int i = 0; i < 8; i++)
        printf("%02x", digest[i]);
    printf("... in %" PRIu64 " ms\n", alarm_ticks_to_ms(t1 - t0));
    printf("compute-events (%s): %u alarm events, latency avg %" PRIu64 " us, max %" PRIu64 " us; %u button events\n",
           VARIANT, ev.alarms, ev.alarms ? ev.late_us_sum / ev.alarms : 0, ev.late_us_max, ev.buttons);
    return 0;
}
