/* gpio-echo: GPIO pin 0 (an input with interrupts on both edges) is copied
 * to pin 1 (an output) at every change, and each change is printed with the
 * time it was handled. On nrf52840dk the kernel's GPIO pins 0 and 1 are
 * P1.01 and P1.02; boards without a GPIO driver say so and exit. A
 * scenario drives pin 0 and samples pin 1 (tests/scenario/basic/gpio.scn). */
#include <stdio.h>

#include "services/alarm.h"
#include "services/gpio.h"
#include "tock.h"

static void changed(int pin, bool level, void *ud)
{
    uint64_t ms = 0;
    (void)ud;
    if (pin != 0)
        return;
    gpio_write(1, level);
    alarm_uptime_ms(&ms);
    printf("gpio-echo: pin 0 %s, pin 1 follows (%lu ms)\n", level ? "high" : "low",
           (unsigned long)ms);
}

int main(void)
{
    int n = gpio_count();
    if (n < 2) {
        printf("gpio-echo: no GPIO pins (%d)\n", n);
        return 0;
    }
    if (gpio_output(1) < 0 || gpio_write(1, false) < 0 || gpio_input(0, GPIO_PULL_DOWN) < 0 ||
        gpio_on_change(changed, NULL) < 0 || gpio_interrupt(0, GPIO_EDGE_EITHER) < 0) {
        printf("gpio-echo: cannot set the pins up\n");
        return 1;
    }
    printf("gpio-echo: %d pins; copying pin 0 to pin 1\n", n);
    for (;;)
        tock_yield_wait();
}
