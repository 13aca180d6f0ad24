/* GPIO driver 0x4 (TOCK.md §2.5). */
#ifndef LIBTOCK_GPIO_SYS_H
#define LIBTOCK_GPIO_SYS_H

#include "../tock.h"

#define GPIO_DRIVER 0x4u

enum gpio_pull { GPIO_PULL_NONE = 0, GPIO_PULL_UP = 1, GPIO_PULL_DOWN = 2 };
enum gpio_edge { GPIO_EDGE_EITHER = 0, GPIO_EDGE_RISING = 1, GPIO_EDGE_FALLING = 2 };

bool gpio_sys_exists(void);
int gpio_sys_count(uint32_t *n);
int gpio_sys_enable_output(uint32_t pin);
int gpio_sys_set(uint32_t pin);
int gpio_sys_clear(uint32_t pin);
int gpio_sys_toggle(uint32_t pin);
int gpio_sys_enable_input(uint32_t pin, enum gpio_pull pull);
int gpio_sys_read(uint32_t pin, uint32_t *level);
int gpio_sys_enable_interrupt(uint32_t pin, enum gpio_edge edge);
int gpio_sys_disable_interrupt(uint32_t pin);
int gpio_sys_disable(uint32_t pin);
/* Upcall (pin, level, 0, ud). */
int gpio_sys_subscribe(tock_upcall_fn fn, void *ud);

#endif
