/* LED driver 0x2 (TOCK.md §2.3). */
#ifndef LIBTOCK_LED_SYS_H
#define LIBTOCK_LED_SYS_H

#include "../tock.h"

#define LED_DRIVER 0x2u

int led_sys_count(uint32_t *n);         /* command 0 returns the count */
int led_sys_on(uint32_t led);
int led_sys_off(uint32_t led);
int led_sys_toggle(uint32_t led);
int led_sys_read(uint32_t led, uint32_t *on);

#endif
