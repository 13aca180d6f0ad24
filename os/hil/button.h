/* Buttons are GPIO input pins plus a polarity; the button capsule takes this
 * description from the board. */
#ifndef OS_HIL_BUTTON_H
#define OS_HIL_BUTTON_H

#include "hil/gpio.h"

struct hil_button {
    struct hil_gpio_pin *pin;
    bool active_low;
    enum hil_gpio_pull pull;
};

#endif
