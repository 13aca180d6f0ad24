/* LED driver 0x2 (TOCK.md §2.3), and an LED on a GPIO pin. */
#ifndef OS_CAPSULES_LED_H
#define OS_CAPSULES_LED_H

#include "kernel/kernel.h"
#include "hil/led.h"
#include "hil/gpio.h"

#define CAP_LED_DRIVER 0x2u

struct cap_led {
    struct k_driver driver;
    struct hil_led *const *leds;
    unsigned nleds;
};

void cap_led_init(struct cap_led *c, struct hil_led *const *leds, unsigned nleds);

/* An LED driven by a GPIO pin, lit when the pin is high (or low). */
struct gpio_led {
    struct hil_led led;
    struct hil_gpio_pin *pin;
    bool active_low;
};

void gpio_led_init(struct gpio_led *l, struct hil_gpio_pin *pin, bool active_low);

#endif
