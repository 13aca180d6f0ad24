#include "chips/nrf52/gpio.h"
#include "lib/errorcode.h"

#define OUTSET      0x508u
#define OUTCLR      0x50Cu
#define OUT         0x504u
#define IN          0x510u
#define DIRSET      0x518u
#define DIRCLR      0x51Cu
#define PIN_CNF     0x700u

#define CNF_DIR_OUT         (1u << 0)
#define CNF_INPUT_DISCONNECT (1u << 1)
#define CNF_PULL_DOWN       (1u << 2)
#define CNF_PULL_UP         (3u << 2)

#define TE_EVENTS_IN    0x100u
#define TE_INTENSET     0x304u
#define TE_INTENCLR     0x308u
#define TE_CONFIG       0x510u
#define TE_MODE_EVENT   1u
#define TE_POL_LOTOHI   (1u << 16)
#define TE_POL_HITOLO   (2u << 16)
#define TE_POL_TOGGLE   (3u << 16)

static struct nrf52_pin *np(struct hil_gpio_pin *p) { return (struct nrf52_pin *)p; }
static uint32_t bit(struct nrf52_pin *p) { return 1u << (p->num % 32); }
static uintptr_t cnf(struct nrf52_pin *p) { return p->port + PIN_CNF + 4u * (p->num % 32); }

static void make_output(struct hil_gpio_pin *hp)
{
    struct nrf52_pin *p = np(hp);
    k_reg_write(cnf(p), CNF_DIR_OUT | CNF_INPUT_DISCONNECT);
    k_reg_write(p->port + DIRSET, bit(p));
}

static void make_input(struct hil_gpio_pin *hp, enum hil_gpio_pull pull)
{
    struct nrf52_pin *p = np(hp);
    uint32_t v = pull == HIL_GPIO_PULL_UP ? CNF_PULL_UP : pull == HIL_GPIO_PULL_DOWN ? CNF_PULL_DOWN : 0;
    k_reg_write(p->port + DIRCLR, bit(p));
    k_reg_write(cnf(p), v);
}

static void deactivate(struct hil_gpio_pin *hp)
{
    struct nrf52_pin *p = np(hp);
    k_reg_write(p->port + DIRCLR, bit(p));
    k_reg_write(cnf(p), CNF_INPUT_DISCONNECT);
}

static void set(struct hil_gpio_pin *hp) { k_reg_write(np(hp)->port + OUTSET, bit(np(hp))); }
static void clear(struct hil_gpio_pin *hp) { k_reg_write(np(hp)->port + OUTCLR, bit(np(hp))); }

static void toggle(struct hil_gpio_pin *hp)
{
    struct nrf52_pin *p = np(hp);
    if (k_reg_read(p->port + OUT) & bit(p))
        clear(hp);
    else
        set(hp);
}

static bool read(struct hil_gpio_pin *hp)
{
    struct nrf52_pin *p = np(hp);
    /* an output pin reads back what it drives */
    uint32_t reg = (k_reg_read(cnf(p)) & CNF_DIR_OUT) ? OUT : IN;
    return (k_reg_read(p->port + reg) & bit(p)) != 0;
}

static void disable_interrupt(struct hil_gpio_pin *hp)
{
    struct nrf52_pin *p = np(hp);
    if (p->channel < 0)
        return;
    struct nrf52_gpiote *g = p->gpiote;
    unsigned ch = (unsigned)p->channel;
    k_reg_write(g->base + TE_INTENCLR, 1u << ch);
    k_reg_write(g->base + TE_CONFIG + 4 * ch, 0);
    k_reg_write(g->base + TE_EVENTS_IN + 4 * ch, 0);
    g->owner[ch] = NULL;
    p->channel = -1;
}

static int enable_interrupt(struct hil_gpio_pin *hp, enum hil_gpio_edge edge)
{
    struct nrf52_pin *p = np(hp);
    struct nrf52_gpiote *g = p->gpiote;
    disable_interrupt(hp);
    int ch = -1;
    for (unsigned i = 0; i < NRF52_GPIOTE_CHANNELS && ch < 0; i++)
        if (!g->owner[i])
            ch = (int)i;
    if (ch < 0)
        return K_EBUSY;
    uint32_t pol = edge == HIL_GPIO_EDGE_RISING ? TE_POL_LOTOHI
                 : edge == HIL_GPIO_EDGE_FALLING ? TE_POL_HITOLO : TE_POL_TOGGLE;
    g->owner[ch] = p;
    p->channel = (int8_t)ch;
    k_reg_write(g->base + TE_CONFIG + 4u * (unsigned)ch,
                TE_MODE_EVENT | (p->num % 32u) << 8 | (p->num / 32u) << 13 | pol);
    k_reg_write(g->base + TE_EVENTS_IN + 4u * (unsigned)ch, 0);
    k_reg_write(g->base + TE_INTENSET, 1u << ch);
    return 0;
}

static const struct hil_gpio_ops ops = {
    .make_output = make_output, .make_input = make_input, .deactivate = deactivate,
    .set = set, .clear = clear, .toggle = toggle, .read = read,
    .enable_interrupt = enable_interrupt, .disable_interrupt = disable_interrupt,
};

void nrf52_gpiote_init(struct nrf52_gpiote *g, uintptr_t base)
{
    g->base = base;
    k_reg_write(base + TE_INTENCLR, 0xFFFFFFFFu);
    for (unsigned i = 0; i < NRF52_GPIOTE_CHANNELS; i++) {
        g->owner[i] = NULL;
        k_reg_write(base + TE_CONFIG + 4 * i, 0);
        k_reg_write(base + TE_EVENTS_IN + 4 * i, 0);
    }
}

void nrf52_gpiote_handle_interrupt(struct nrf52_gpiote *g)
{
    for (unsigned i = 0; i < NRF52_GPIOTE_CHANNELS; i++) {
        if (!k_reg_read(g->base + TE_EVENTS_IN + 4 * i))
            continue;
        k_reg_write(g->base + TE_EVENTS_IN + 4 * i, 0);
        struct nrf52_pin *p = g->owner[i];
        if (p && p->pin.client)
            p->pin.client->fired(p->pin.client, &p->pin);
    }
}

void nrf52_pin_init(struct nrf52_pin *p, struct nrf52_gpiote *g, uintptr_t p0_base,
                    uintptr_t p1_base, unsigned num)
{
    p->pin.ops = &ops;
    p->pin.client = NULL;
    p->gpiote = g;
    p->port = num < 32 ? p0_base : p1_base;
    p->num = (uint8_t)num;
    p->channel = -1;
}
