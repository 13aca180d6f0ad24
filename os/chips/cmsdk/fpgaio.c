#include "chips/cmsdk/fpgaio.h"
#include "lib/errorcode.h"

#define LED_REG     0x00u
#define BUTTON_REG  0x08u

static struct fpgaio_pin *fp(struct hil_gpio_pin *p) { return (struct fpgaio_pin *)p; }

static void nop_pull(struct hil_gpio_pin *p, enum hil_gpio_pull pull) { (void)p; (void)pull; }
static void nop(struct hil_gpio_pin *p) { (void)p; }

static void led_write(struct fpgaio_pin *f, bool on)
{
    uint32_t v = k_reg_read(f->io->base + LED_REG);
    v = on ? v | (1u << f->bit) : v & ~(1u << f->bit);
    k_reg_write(f->io->base + LED_REG, v);
}

static void p_set(struct hil_gpio_pin *p) { if (!fp(p)->is_button) led_write(fp(p), true); }
static void p_clear(struct hil_gpio_pin *p) { if (!fp(p)->is_button) led_write(fp(p), false); }

static bool p_read(struct hil_gpio_pin *p)
{
    struct fpgaio_pin *f = fp(p);
    uint32_t reg = f->is_button ? BUTTON_REG : LED_REG;
    return (k_reg_read(f->io->base + reg) >> f->bit) & 1;
}

static void p_toggle(struct hil_gpio_pin *p)
{
    if (!fp(p)->is_button)
        led_write(fp(p), !p_read(p));
}

static bool any_irq(struct fpgaio *io)
{
    for (unsigned i = 0; i < io->nbuttons; i++)
        if (io->buttons[i].irq_on)
            return true;
    return false;
}

static void arm_poll(struct fpgaio *io)
{
    if (io->poll && !hil_alarm_is_armed(io->poll))
        hil_alarm_set(io->poll, hil_alarm_now(io->poll), hil_ticks_from_ms(io->poll, io->poll_ms));
}

static int p_enable_interrupt(struct hil_gpio_pin *p, enum hil_gpio_edge edge)
{
    struct fpgaio_pin *f = fp(p);
    if (!f->is_button || !f->io->poll)
        return K_ENOSUPPORT;
    f->edge = edge;
    f->last = p_read(p);
    f->irq_on = true;
    arm_poll(f->io);
    return 0;
}

static void p_disable_interrupt(struct hil_gpio_pin *p)
{
    struct fpgaio_pin *f = fp(p);
    f->irq_on = false;
    if (f->io->poll && !any_irq(f->io))
        hil_alarm_disarm(f->io->poll);
}

static const struct hil_gpio_ops ops = {
    .make_output = nop, .make_input = nop_pull, .deactivate = nop,
    .set = p_set, .clear = p_clear, .toggle = p_toggle, .read = p_read,
    .enable_interrupt = p_enable_interrupt, .disable_interrupt = p_disable_interrupt,
};

static void poll_fired(struct hil_alarm_client *c)
{
    struct fpgaio *io = container_of(c, struct fpgaio, poll_client);
    for (unsigned i = 0; i < io->nbuttons; i++) {
        struct fpgaio_pin *f = &io->buttons[i];
        if (!f->irq_on)
            continue;
        bool v = p_read(&f->pin), was = f->last;
        f->last = v;
        bool hit = v != was && (f->edge == HIL_GPIO_EDGE_EITHER ||
                                (f->edge == HIL_GPIO_EDGE_RISING && v) ||
                                (f->edge == HIL_GPIO_EDGE_FALLING && !v));
        if (hit && f->pin.client)
            f->pin.client->fired(f->pin.client, &f->pin);
    }
    if (any_irq(io))
        arm_poll(io);
}

static void pin_init(struct fpgaio_pin *f, struct fpgaio *io, unsigned bit, bool button)
{
    f->pin.ops = &ops;
    f->pin.client = NULL;
    f->io = io;
    f->bit = (uint8_t)bit;
    f->is_button = button;
    f->irq_on = f->last = false;
    f->edge = HIL_GPIO_EDGE_EITHER;
}

void fpgaio_init(struct fpgaio *io, uintptr_t base, unsigned nleds, unsigned nbuttons,
                 struct hil_alarm *poll_alarm, uint32_t poll_ms)
{
    io->base = base;
    io->nleds = K_MIN(nleds, FPGAIO_MAX_PINS);
    io->nbuttons = K_MIN(nbuttons, FPGAIO_MAX_PINS);
    for (unsigned i = 0; i < io->nleds; i++)
        pin_init(&io->leds[i], io, i, false);
    for (unsigned i = 0; i < io->nbuttons; i++)
        pin_init(&io->buttons[i], io, i, true);
    io->poll = poll_alarm;
    io->poll_ms = poll_ms;
    io->poll_client.fired = poll_fired;
    if (poll_alarm)
        poll_alarm->client = &io->poll_client;
}
