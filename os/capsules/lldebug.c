#include "capsules/lldebug.h"
#include "kernel/debug.h"

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)d;
    switch (cmd) {
    case 0:
        return k_ret_success();
    case 1:
        k_printf("LowLevelDebug: App %#x alert code %#x\n", p->index, (unsigned)arg0);
        return k_ret_success();
    case 2:
        k_printf("LowLevelDebug: App %#x prints %#x\n", p->index, (unsigned)arg0);
        return k_ret_success();
    case 3:
        k_printf("LowLevelDebug: App %#x prints %#x %#x\n", p->index, (unsigned)arg0,
                 (unsigned)arg1);
        return k_ret_success();
    default:
        return k_ret_failure(K_ENOSUPPORT);
    }
}

void cap_lldebug_init(struct cap_lldebug *c)
{
    c->driver = (struct k_driver){ .num = CAP_LLDEBUG_DRIVER, .command = command };
}
