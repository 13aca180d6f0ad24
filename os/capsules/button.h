/* Button driver 0x3 (TOCK.md §2.4): upcall (index, pressed, 0) on subscribe
 * 0 to every process that enabled interrupts for that button. */
#ifndef OS_CAPSULES_BUTTON_H
#define OS_CAPSULES_BUTTON_H

#include "kernel/kernel.h"
#include "hil/button.h"

#define CAP_BUTTON_DRIVER 0x3u
#define CAP_BUTTON_MAX 8u

struct cap_button_app {
    uint32_t mask;                  /* bit i: interrupts enabled for button i */
};

struct cap_button {
    struct k_driver driver;
    struct k_grant grant;
    struct k_kernel *kernel;
    const struct hil_button *buttons;
    unsigned nbuttons;
    struct hil_gpio_client client;
    uint32_t irq_enabled;           /* buttons with the pin interrupt on */
};

void cap_button_init(struct cap_button *c, struct k_kernel *k, const struct hil_button *buttons,
                     unsigned nbuttons);

#endif
