/* buttons: each button toggles the LED with the same index; every press
 * and release is printed with the time it was handled. */
#include <stdio.h>

#include "services/alarm.h"
#include "services/button.h"
#include "services/led.h"
#include "tock.h"

static int nleds;

static void changed(int button, bool pressed, void *ud)
{
    uint64_t ms = 0;
    (void)ud;
    alarm_uptime_ms(&ms);
    printf("buttons: button %d %s at %lu ms\n", button, pressed ? "pressed" : "released", (unsigned long)ms);
    if (pressed && button < nleds)
        led_toggle(button);
}

int main(void)
{
    int n = button_count();
    nleds = led_count();
    if (n <= 0) {
        printf("buttons: no buttons (%d)\n", n);
        return 1;
    }
    button_on_change(changed, NULL);
    for (int i = 0; i < n; i++)
        button_enable(i);
    uint64_t ms = 0;
    alarm_uptime_ms(&ms);
    printf("buttons: %d buttons, %d LEDs, waiting (t=%lu ms)\n", n, nleds, (unsigned long)ms);
    for (;;)
        tock_yield_wait();
}
