#include "capsules/led.h"

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)p;
    (void)arg1;
    struct cap_led *c = container_of(d, struct cap_led, driver);
    if (cmd == 0)                   /* legacy: Success-u32 with the count */
        return k_ret_success_u32(c->nleds);
    if (cmd > 4)
        return k_ret_failure(K_ENOSUPPORT);
    if (arg0 >= c->nleds)
        return k_ret_failure(K_EINVAL);
    struct hil_led *l = c->leds[arg0];
    switch (cmd) {
    case 1: l->ops->on(l); break;
    case 2: l->ops->off(l); break;
    case 3: l->ops->toggle(l); break;
    default: return k_ret_success_u32(l->ops->read(l));
    }
    return k_ret_success();
}

void cap_led_init(struct cap_led *c, struct hil_led *const *leds, unsigned nleds)
{
    c->leds = leds;
    c->nleds = nleds;
    c->driver = (struct k_driver){ .num = CAP_LED_DRIVER, .command = command };
}

static void gl_on(struct hil_led *hl)
{
    struct gpio_led *l = (struct gpio_led *)hl;
    if (l->active_low)
        l->pin->ops->clear(l->pin);
    else
        l->pin->ops->set(l->pin);
}

static void gl_off(struct hil_led *hl)
{
    struct gpio_led *l = (struct gpio_led *)hl;
    if (l->active_low)
        l->pin->ops->set(l->pin);
    else
        l->pin->ops->clear(l->pin);
}

static void gl_toggle(struct hil_led *hl)
{
    struct gpio_led *l = (struct gpio_led *)hl;
    l->pin->ops->toggle(l->pin);
}

static bool gl_read(struct hil_led *hl)
{
    struct gpio_led *l = (struct gpio_led *)hl;
    return l->pin->ops->read(l->pin) != l->active_low;
}

static const struct hil_led_ops gpio_led_ops = {
    .on = gl_on, .off = gl_off, .toggle = gl_toggle, .read = gl_read,
};

void gpio_led_init(struct gpio_led *l, struct hil_gpio_pin *pin, bool active_low)
{
    l->led.ops = &gpio_led_ops;
    l->pin = pin;
    l->active_low = active_low;
    pin->ops->make_output(pin);
    gl_off(&l->led);
}
