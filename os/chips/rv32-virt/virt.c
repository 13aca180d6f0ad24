#include "chips/rv32-virt/virt.h"
#include "chips/rv32-virt/plic.h"
#include "memmap.h"

static bool has_pending(struct hil_chip *hc)
{
    (void)hc;
    return (RV_CSR_READ(mip) & RV_CSR_READ(mie) & (RV_MIP_MTIP | RV_MIP_MEIP)) != 0;
}

static bool has_pending_ctx(void *ctx)
{
    return has_pending(ctx);
}

static void service_pending(struct hil_chip *hc)
{
    struct virt_chip *c = (struct virt_chip *)hc;
    uint32_t mip = RV_CSR_READ(mip);
    if (mip & RV_MIP_MTIP)
        rv32i_mtimer_handle_interrupt(c->mtimer);
    if (mip & RV_MIP_MEIP) {
        unsigned src;
        while ((src = plic_claim(PLIC_BASE)) != 0) {
            if (src == UART0_IRQ)
                uart16550_handle_interrupt(c->uart0);
            plic_complete(PLIC_BASE, src);
        }
    }
}

static void sleep(struct hil_chip *hc)
{
    rv32i_sleep(has_pending_ctx, hc);
}

static void print_state(struct hil_chip *hc, struct k_writer *w)
{
    (void)hc;
    rv32i_print_trap_state(w);
}

static void halt(struct hil_chip *hc)
{
    (void)hc;
    rv32i_halt();
}

static const struct hil_chip_ops ops = {
    .has_pending = has_pending, .service_pending = service_pending, .sleep = sleep,
    .print_state = print_state, .halt = halt,
};

void virt_chip_init(struct virt_chip *c, struct rv32i_mtimer *mtimer, struct uart16550 *uart0)
{
    c->chip.ops = &ops;
    c->mtimer = mtimer;
    c->uart0 = uart0;
    plic_init(PLIC_BASE, PLIC_NUM_SOURCES);
    plic_enable(PLIC_BASE, UART0_IRQ);
    RV_CSR_SET(mie, RV_MIP_MEIP | RV_MIP_MTIP);
}
