/* Button driver 0x3 (TOCK.md §2.4). */
#ifndef LIBTOCK_BUTTON_SYS_H
#define LIBTOCK_BUTTON_SYS_H

#include "../tock.h"

#define BUTTON_DRIVER 0x3u

int button_sys_count(uint32_t *n);      /* command 0 returns the count */
int button_sys_enable_interrupt(uint32_t button);
int button_sys_disable_interrupt(uint32_t button);
int button_sys_read(uint32_t button, uint32_t *pressed);
/* Upcall (button, pressed 1 / released 0, 0, ud). */
int button_sys_subscribe(tock_upcall_fn fn, void *ud);

#endif
