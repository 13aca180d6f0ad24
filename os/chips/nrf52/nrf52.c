#include "chips/nrf52/nrf52.h"
#include "arch/armv7m/armv7m.h"
#include "memmap.h"

static bool has_pending(struct hil_chip *hc)
{
    (void)hc;
    return armv7m_nvic_next_pending(NVIC_NUM_IRQS) >= 0;
}

static bool has_pending_ctx(void *ctx)
{
    return has_pending(ctx);
}

static void service_pending(struct hil_chip *hc)
{
    struct nrf52_chip *c = (struct nrf52_chip *)hc;
    int irq;
    while ((irq = armv7m_nvic_next_pending(NVIC_NUM_IRQS)) >= 0) {
        armv7m_nvic_clear_pending((unsigned)irq);
        switch (irq) {
        case RTC1_IRQ: nrf52_rtc_handle_interrupt(c->rtc1); break;
        case UARTE0_IRQ: nrf52_uarte_handle_interrupt(c->uarte0); break;
        case GPIOTE_IRQ: nrf52_gpiote_handle_interrupt(c->gpiote); break;
        default: continue;              /* not ours: leave it disabled */
        }
        armv7m_nvic_enable((unsigned)irq);
    }
}

static void sleep(struct hil_chip *hc)
{
    armv7m_sleep(has_pending_ctx, hc);
}

static void print_state(struct hil_chip *hc, struct k_writer *w)
{
    (void)hc;
    armv7m_print_fault_state(w);
}

static void halt(struct hil_chip *hc)
{
    (void)hc;
    armv7m_halt();
}

static const struct hil_chip_ops ops = {
    .has_pending = has_pending, .service_pending = service_pending, .sleep = sleep,
    .print_state = print_state, .halt = halt,
};

void nrf52_chip_init(struct nrf52_chip *c, struct nrf52_rtc *rtc1, struct nrf52_uarte *uarte0,
                     struct nrf52_gpiote *gpiote)
{
    c->chip.ops = &ops;
    c->rtc1 = rtc1;
    c->uarte0 = uarte0;
    c->gpiote = gpiote;
    armv7m_nvic_enable(RTC1_IRQ);
    armv7m_nvic_enable(UARTE0_IRQ);
    armv7m_nvic_enable(GPIOTE_IRQ);
}
