/* LEDs (see led.h). */
#include "led.h"

#include "../syscalls/led_sys.h"

int led_count(void)
{
    uint32_t n;
    int rc = led_sys_count(&n);
    return rc < 0 ? rc : (int)n;
}

int led_on(int led) { return led_sys_on((uint32_t)led); }

int led_off(int led) { return led_sys_off((uint32_t)led); }

int led_toggle(int led) { return led_sys_toggle((uint32_t)led); }

int led_set(int led, bool on) { return on ? led_on(led) : led_off(led); }

bool led_is_on(int led)
{
    uint32_t on = 0;
    return led_sys_read((uint32_t)led, &on) == 0 && on;
}
