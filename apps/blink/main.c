/* blink: counts in binary on the board's LEDs, one step every 250 ms, and
 * prints each step (boards without LEDs, such as QEMU's virt, get only the
 * printout). */
#include <stdio.h>

#include "services/led.h"
#include "sync/alarm_sync.h"

int main(void)
{
    int n = led_count();
    if (n > 0)
        printf("blink: %d LEDs\n", n);
    else
        printf("blink: no LED driver (%d), printing the pattern only\n", n);
    int shown = n > 0 ? n : 4;
    for (unsigned count = 0;; count++) {
        char pattern[9];
        for (int i = 0; i < shown && i < 8; i++) {
            int on = (count >> i) & 1;
            pattern[i] = on ? '*' : '.';
            if (i < n)
                led_set(i, on);
        }
        pattern[shown < 8 ? shown : 8] = 0;
        printf("blink: step %u %s\n", count, pattern);
        alarm_sync_delay_ms(250);
    }
}
