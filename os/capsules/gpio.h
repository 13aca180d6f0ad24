/* GPIO driver 0x4 (TOCK.md §2.5). pins[i] may be NULL (not wired: NODEVICE).
 * Interrupts give (pin, level, 0) on subscribe 0 to every process that has
 * the driver's grant (i.e. subscribed or allowed to it). */
#ifndef OS_CAPSULES_GPIO_H
#define OS_CAPSULES_GPIO_H

#include "kernel/kernel.h"
#include "hil/gpio.h"

#define CAP_GPIO_DRIVER 0x4u

struct cap_gpio {
    struct k_driver driver;
    struct k_grant grant;
    struct k_kernel *kernel;
    struct hil_gpio_pin *const *pins;
    unsigned npins;
    struct hil_gpio_client client;
};

void cap_gpio_init(struct cap_gpio *c, struct k_kernel *k, struct hil_gpio_pin *const *pins,
                   unsigned npins);

#endif
