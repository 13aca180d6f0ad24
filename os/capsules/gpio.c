#include "capsules/gpio.h"

static void fired(struct hil_gpio_client *cl, struct hil_gpio_pin *pin)
{
    struct cap_gpio *c = container_of(cl, struct cap_gpio, client);
    for (unsigned i = 0; i < c->npins; i++) {
        if (c->pins[i] != pin)
            continue;
        uint32_t level = pin->ops->read(pin);
        for (unsigned j = 0; j < k_num_processes(c->kernel); j++) {
            struct k_process *p = k_process_at(c->kernel, j);
            if (k_grant_get(p, &c->grant))
                k_upcall_schedule(p, CAP_GPIO_DRIVER, 0, i, level, 0);
        }
    }
}

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)p;
    struct cap_gpio *c = container_of(d, struct cap_gpio, driver);
    if (cmd == 0)
        return k_ret_success();
    if (cmd == 10)
        return k_ret_success_u32(c->npins);
    if (cmd > 10)
        return k_ret_failure(K_ENOSUPPORT);
    if (arg0 >= c->npins)
        return k_ret_failure(K_EINVAL);
    struct hil_gpio_pin *pin = c->pins[arg0];
    if (!pin)
        return k_ret_failure(K_ENODEVICE);
    switch (cmd) {
    case 1: pin->ops->make_output(pin); break;
    case 2: pin->ops->set(pin); break;
    case 3: pin->ops->clear(pin); break;
    case 4: pin->ops->toggle(pin); break;
    case 5:
        if (arg1 > 2)
            return k_ret_failure(K_EINVAL);
        pin->ops->make_input(pin, arg1 == 1 ? HIL_GPIO_PULL_UP
                                  : arg1 == 2 ? HIL_GPIO_PULL_DOWN : HIL_GPIO_PULL_NONE);
        break;
    case 6:
        return k_ret_success_u32(pin->ops->read(pin));
    case 7: {
        if (arg1 > 2)
            return k_ret_failure(K_EINVAL);
        enum hil_gpio_edge e = arg1 == 1 ? HIL_GPIO_EDGE_RISING
                             : arg1 == 2 ? HIL_GPIO_EDGE_FALLING : HIL_GPIO_EDGE_EITHER;
        return k_ret_from_err(pin->ops->enable_interrupt(pin, e));
    }
    case 8: pin->ops->disable_interrupt(pin); break;
    case 9:
        pin->ops->disable_interrupt(pin);
        pin->ops->deactivate(pin);
        break;
    }
    return k_ret_success();
}

void cap_gpio_init(struct cap_gpio *c, struct k_kernel *k, struct hil_gpio_pin *const *pins,
                   unsigned npins)
{
    c->kernel = k;
    c->pins = pins;
    c->npins = npins;
    c->client.fired = fired;
    for (unsigned i = 0; i < npins; i++)
        if (pins[i])
            pins[i]->client = &c->client;
    c->driver = (struct k_driver){
        .num = CAP_GPIO_DRIVER, .num_upcalls = 1, .grant = &c->grant, .command = command,
    };
    c->grant = (struct k_grant){ .driver_num = CAP_GPIO_DRIVER, .size = 4 };
    k_grant_register(k, &c->grant);
}
