/* LEDs (driver 0x2): indices 0..led_count()-1. */
#ifndef LIBTOCK_SERVICES_LED_H
#define LIBTOCK_SERVICES_LED_H

#include <stdbool.h>

int led_count(void);                    /* >= 0, or a negative TOCK_E* */
int led_on(int led);
int led_off(int led);
int led_toggle(int led);
int led_set(int led, bool on);
bool led_is_on(int led);

#endif
