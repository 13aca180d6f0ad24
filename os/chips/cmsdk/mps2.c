#include "chips/cmsdk/mps2.h"
#include "arch/armv7m/armv7m.h"
#include "memmap.h"

static bool has_pending(struct hil_chip *hc)
{
    struct mps2_chip *c = (struct mps2_chip *)hc;
    return armv7m_nvic_next_pending(NVIC_NUM_IRQS) >= 0 || cmsdk_uart_rx_ready(c->uart0);
}

static bool has_pending_ctx(void *ctx)
{
    return has_pending(ctx);
}

static void service_pending(struct hil_chip *hc)
{
    struct mps2_chip *c = (struct mps2_chip *)hc;
    if (cmsdk_uart_rx_ready(c->uart0))
        cmsdk_uart_handle_rx(c->uart0);
    int irq;
    while ((irq = armv7m_nvic_next_pending(NVIC_NUM_IRQS)) >= 0) {
        armv7m_nvic_clear_pending((unsigned)irq);
        switch (irq) {
        case UART0_RX_IRQ: cmsdk_uart_handle_rx(c->uart0); break;
        case UART0_TX_IRQ: cmsdk_uart_handle_tx(c->uart0); break;
        case TIMER0_IRQ: cmsdk_alarm_handle_interrupt(c->alarm); break;
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

void mps2_chip_init(struct mps2_chip *c, struct cmsdk_uart *uart0, struct cmsdk_alarm *alarm)
{
    c->chip.ops = &ops;
    c->uart0 = uart0;
    c->alarm = alarm;
    armv7m_nvic_enable(UART0_RX_IRQ);
    armv7m_nvic_enable(UART0_TX_IRQ);
    armv7m_nvic_enable(TIMER0_IRQ);
}
