/* Blocking button wait (see button_sync.h). */
#include "button_sync.h"

#include "../syscalls/button_sys.h"

int button_sync_wait_press(int button)
{
    int rc = button_sys_enable_interrupt((uint32_t)button);
    if (rc < 0)
        return rc;
    for (;;) {
        struct tock_ret r = tock_yield_wait_for(BUTTON_DRIVER, 0);
        if ((int)r.variant == button && r.r1 == 1)
            return 0;
    }
}
