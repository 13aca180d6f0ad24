/* blink: counts in binary on the board's LEDs, one step every 250 ms. */
#include <stdio.h>

#include "services/led.h"
#include "sync/alarm_sync.h"

int main(void)
{
    int n = led_count();
    if (n <= 0) {
        printf("blink: no LEDs (%d)\n", n);
        return 1;
    }
    printf("blink: %d LEDs\n", n);
    for (unsigned count = 0;; count++) {
        for (int i = 0; i < n; i++)
            led_set(i, (count >> i) & 1);
        printf("blink: step %u\n", count);
        alarm_sync_delay_ms(250);
    }
}
