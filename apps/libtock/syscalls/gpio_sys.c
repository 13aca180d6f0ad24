/* GPIO driver system calls (see gpio_sys.h). */
#include "gpio_sys.h"

bool gpio_sys_exists(void) { return tock_driver_exists(GPIO_DRIVER); }

int gpio_sys_count(uint32_t *n) { return tock_command_u32(GPIO_DRIVER, 10, 0, 0, n); }

int gpio_sys_enable_output(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 1, pin, 0); }

int gpio_sys_set(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 2, pin, 0); }

int gpio_sys_clear(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 3, pin, 0); }

int gpio_sys_toggle(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 4, pin, 0); }

int gpio_sys_enable_input(uint32_t pin, enum gpio_pull pull)
{
    return tock_command_status(GPIO_DRIVER, 5, pin, (uint32_t)pull);
}

int gpio_sys_read(uint32_t pin, uint32_t *level) { return tock_command_u32(GPIO_DRIVER, 6, pin, 0, level); }

int gpio_sys_enable_interrupt(uint32_t pin, enum gpio_edge edge)
{
    return tock_command_status(GPIO_DRIVER, 7, pin, (uint32_t)edge);
}

int gpio_sys_disable_interrupt(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 8, pin, 0); }

int gpio_sys_disable(uint32_t pin) { return tock_command_status(GPIO_DRIVER, 9, pin, 0); }

int gpio_sys_subscribe(tock_upcall_fn fn, void *ud) { return tock_subscribe_status(GPIO_DRIVER, 0, fn, ud); }
