/* Buttons (driver 0x3): one callback for every enabled button. */
#ifndef LIBTOCK_SERVICES_BUTTON_H
#define LIBTOCK_SERVICES_BUTTON_H

#include <stdbool.h>

typedef void (*button_fn)(int button, bool pressed, void *ud);

int button_count(void);                 /* >= 0, or a negative TOCK_E* */
/* Sets the callback (replacing any) for the buttons enabled below. */
int button_on_change(button_fn fn, void *ud);
int button_enable(int button);          /* interrupts on both edges */
int button_disable(int button);
bool button_is_pressed(int button);

#endif
