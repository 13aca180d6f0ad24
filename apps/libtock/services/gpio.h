/* GPIO pins (driver 0x4). */
#ifndef LIBTOCK_SERVICES_GPIO_H
#define LIBTOCK_SERVICES_GPIO_H

#include <stdbool.h>

#include "../syscalls/gpio_sys.h"

typedef void (*gpio_fn)(int pin, bool level, void *ud);

int gpio_count(void);
int gpio_output(int pin);
int gpio_write(int pin, bool level);
int gpio_toggle(int pin);
int gpio_input(int pin, enum gpio_pull pull);
int gpio_read(int pin);                 /* 0/1 or a negative TOCK_E* */
/* Sets the callback (replacing any) for pins with interrupts enabled. */
int gpio_on_change(gpio_fn fn, void *ud);
int gpio_interrupt(int pin, enum gpio_edge edge);
int gpio_no_interrupt(int pin);

#endif
