/* GPIO HIL: one struct per pin. Interrupts call the pin's client. */
#ifndef OS_HIL_GPIO_H
#define OS_HIL_GPIO_H

#include "lib/util.h"

enum hil_gpio_pull { HIL_GPIO_PULL_NONE, HIL_GPIO_PULL_UP, HIL_GPIO_PULL_DOWN };
enum hil_gpio_edge { HIL_GPIO_EDGE_EITHER, HIL_GPIO_EDGE_RISING, HIL_GPIO_EDGE_FALLING };

struct hil_gpio_pin;

struct hil_gpio_client {
    void (*fired)(struct hil_gpio_client *c, struct hil_gpio_pin *pin);
};

struct hil_gpio_ops {
    void (*make_output)(struct hil_gpio_pin *p);
    void (*make_input)(struct hil_gpio_pin *p, enum hil_gpio_pull pull);
    void (*deactivate)(struct hil_gpio_pin *p);    /* lowest-power, disconnected */
    void (*set)(struct hil_gpio_pin *p);
    void (*clear)(struct hil_gpio_pin *p);
    void (*toggle)(struct hil_gpio_pin *p);
    bool (*read)(struct hil_gpio_pin *p);
    int (*enable_interrupt)(struct hil_gpio_pin *p, enum hil_gpio_edge edge);  /* 0 or K_E* */
    void (*disable_interrupt)(struct hil_gpio_pin *p);
};

struct hil_gpio_pin {
    const struct hil_gpio_ops *ops;
    struct hil_gpio_client *client;
};

#endif
