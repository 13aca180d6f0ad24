/* LED HIL. */
#ifndef OS_HIL_LED_H
#define OS_HIL_LED_H

#include "lib/util.h"

struct hil_led;

struct hil_led_ops {
    void (*on)(struct hil_led *l);
    void (*off)(struct hil_led *l);
    void (*toggle)(struct hil_led *l);
    bool (*read)(struct hil_led *l);
};

struct hil_led {
    const struct hil_led_ops *ops;
};

#endif
