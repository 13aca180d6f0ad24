#include "capsules/button.h"

static bool pressed(const struct hil_button *b)
{
    return b->pin->ops->read(b->pin) != b->active_low;
}

/* Keep each pin's interrupt on while any process wants that button. */
static void update_irqs(struct cap_button *c)
{
    uint32_t want = 0;
    for (unsigned i = 0; i < k_num_processes(c->kernel); i++) {
        struct cap_button_app *app = k_grant_get(k_process_at(c->kernel, i), &c->grant);
        if (app)
            want |= app->mask;
    }
    for (unsigned b = 0; b < c->nbuttons; b++) {
        struct hil_gpio_pin *pin = c->buttons[b].pin;
        uint32_t bit = 1u << b;
        if ((want & bit) && !(c->irq_enabled & bit))
            pin->ops->enable_interrupt(pin, HIL_GPIO_EDGE_EITHER);
        else if (!(want & bit) && (c->irq_enabled & bit))
            pin->ops->disable_interrupt(pin);
    }
    c->irq_enabled = want;
}

static void fired(struct hil_gpio_client *cl, struct hil_gpio_pin *pin)
{
    struct cap_button *c = container_of(cl, struct cap_button, client);
    for (unsigned b = 0; b < c->nbuttons; b++) {
        if (c->buttons[b].pin != pin)
            continue;
        uint32_t state = pressed(&c->buttons[b]);
        for (unsigned i = 0; i < k_num_processes(c->kernel); i++) {
            struct k_process *p = k_process_at(c->kernel, i);
            struct cap_button_app *app = k_grant_get(p, &c->grant);
            if (app && (app->mask & (1u << b)))
                k_upcall_schedule(p, CAP_BUTTON_DRIVER, 0, b, state, 0);
        }
    }
}

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)arg1;
    struct cap_button *c = container_of(d, struct cap_button, driver);
    if (cmd == 0)
        return k_ret_success_u32(c->nbuttons);
    if (cmd > 3)
        return k_ret_failure(K_ENOSUPPORT);
    if (arg0 >= c->nbuttons)
        return k_ret_failure(K_EINVAL);
    if (cmd == 3)
        return k_ret_success_u32(pressed(&c->buttons[arg0]));
    struct cap_button_app *app = k_grant_enter(p, &c->grant);
    if (!app)
        return k_ret_failure(K_ENOMEM);
    if (cmd == 1)
        app->mask |= 1u << arg0;
    else
        app->mask &= ~(1u << arg0);
    update_irqs(c);
    return k_ret_success();
}

void cap_button_init(struct cap_button *c, struct k_kernel *k, const struct hil_button *buttons,
                     unsigned nbuttons)
{
    c->kernel = k;
    c->buttons = buttons;
    c->nbuttons = K_MIN(nbuttons, CAP_BUTTON_MAX);
    c->client.fired = fired;
    c->irq_enabled = 0;
    for (unsigned b = 0; b < c->nbuttons; b++) {
        buttons[b].pin->ops->make_input(buttons[b].pin, buttons[b].pull);
        buttons[b].pin->client = &c->client;
    }
    c->driver = (struct k_driver){
        .num = CAP_BUTTON_DRIVER, .num_upcalls = 1, .grant = &c->grant, .command = command,
    };
    c->grant = (struct k_grant){ .driver_num = CAP_BUTTON_DRIVER, .size = sizeof(struct cap_button_app) };
    k_grant_register(k, &c->grant);
}
