/* LED driver system calls (see led_sys.h). */
#include "led_sys.h"

int led_sys_count(uint32_t *n) { return tock_command_u32(LED_DRIVER, 0, 0, 0, n); }

int led_sys_on(uint32_t led) { return tock_command_status(LED_DRIVER, 1, led, 0); }

int led_sys_off(uint32_t led) { return tock_command_status(LED_DRIVER, 2, led, 0); }

int led_sys_toggle(uint32_t led) { return tock_command_status(LED_DRIVER, 3, led, 0); }

int led_sys_read(uint32_t led, uint32_t *on) { return tock_command_u32(LED_DRIVER, 4, led, 0, on); }
