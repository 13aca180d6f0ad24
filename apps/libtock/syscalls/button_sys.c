/* Button driver system calls (see button_sys.h). */
#include "button_sys.h"

int button_sys_count(uint32_t *n) { return tock_command_u32(BUTTON_DRIVER, 0, 0, 0, n); }

int button_sys_enable_interrupt(uint32_t button) { return tock_command_status(BUTTON_DRIVER, 1, button, 0); }

int button_sys_disable_interrupt(uint32_t button) { return tock_command_status(BUTTON_DRIVER, 2, button, 0); }

int button_sys_read(uint32_t button, uint32_t *pressed)
{
    return tock_command_u32(BUTTON_DRIVER, 3, button, 0, pressed);
}

int button_sys_subscribe(tock_upcall_fn fn, void *ud) { return tock_subscribe_status(BUTTON_DRIVER, 0, fn, ud); }
