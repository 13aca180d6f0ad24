/* Low-level debug driver 0x8: status codes and numbers printed with only the
 * command system call ("LowLevelDebug: App 0x0 prints 0x2a"). */
#ifndef OS_CAPSULES_LLDEBUG_H
#define OS_CAPSULES_LLDEBUG_H

#include "kernel/kernel.h"

#define CAP_LLDEBUG_DRIVER 0x8u

struct cap_lldebug {
    struct k_driver driver;
};

void cap_lldebug_init(struct cap_lldebug *c);

#endif
