#include "cmsdk_uart.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "lanes.h"
#include "../sim/sclock.h"

static const struct reg_desc cmsdk_uart_regs[CMSDK_UART_NREGS] = {
    [CMSDK_UART_DATA]      = { "DATA",      0x000, REG_RW, 0, 0 },
    [CMSDK_UART_STATE]     = { "STATE",     0x004, REG_RW, 0, 0 },
    [CMSDK_UART_CTRL]      = { "CTRL",      0x008, REG_RW, 0, 0 },
    [CMSDK_UART_INTSTATUS] = { "INTSTATUS", 0x00C, REG_RW, 0, 0 },
    [CMSDK_UART_BAUDDIV]   = { "BAUDDIV",   0x010, REG_RW, 0, 0 },
    [CMSDK_UART_PID4_7]    = { "PID4_7",    0xFD0, REG_RO, 4, 4 },
    [CMSDK_UART_PID0_3]    = { "PID0_3",    0xFE0, REG_RO, 4, 4 },
    [CMSDK_UART_CID0_3]    = { "CID0_3",    0xFF0, REG_RO, 4, 4 },
};

static const uint8_t cmsdk_uart_id[12] = {
    0x04, 0x00, 0x00, 0x00,     /* PID4..7 */
    0x21, 0xB8, 0x1B, 0x00,     /* PID0..3 */
    0x0D, 0xF0, 0x05, 0xB1,     /* CID0..3 */
};

static struct cmsdk_uart *to_u(struct periph *p)
{
    return container_of(p, struct cmsdk_uart, dev);
}

static void update(struct cmsdk_uart *u)
{
    const uint32_t omask = CMSDK_UART_INT_TXO | CMSDK_UART_INT_RXO;
    uint32_t is;

    u->st.intstatus = (u->st.intstatus & ~omask) | (u->st.state & (u->st.ctrl >> 2) & omask);
    is = u->st.intstatus;
    irq_set(&u->dev.irq[CMSDK_UART_IRQ_TX], is & CMSDK_UART_INT_TX);
    irq_set(&u->dev.irq[CMSDK_UART_IRQ_RX], is & CMSDK_UART_INT_RX);
    irq_set(&u->dev.irq[CMSDK_UART_IRQ_OVR], is & omask);
    irq_set(&u->dev.irq[CMSDK_UART_IRQ_ALL], is != 0);
}

static cycles_t frame_cycles(const struct cmsdk_uart *u)
{
    uint64_t div = u->st.bauddiv < 16 ? 16 : u->st.bauddiv;
    return sclock_cycle_of_tick(10 * div, u->dev.cpu_hz, u->cfg.pclk_hz);
}

/* Buffer -> shift register when the transmitter is enabled and idle. */
static void tx_start(struct cmsdk_uart *u, cycles_t now)
{
    if (u->st.tsr_busy || !(u->st.state & CMSDK_UART_STATE_TXFULL) ||
        !(u->st.ctrl & CMSDK_UART_CTRL_TX_EN))
        return;
    u->st.tsr = u->st.txbuf;
    u->st.tsr_busy = true;
    u->st.state &= ~CMSDK_UART_STATE_TXFULL;
    if (u->st.ctrl & CMSDK_UART_CTRL_TX_INTEN)
        u->st.intstatus |= CMSDK_UART_INT_TX;
    evq_at(u->dev.q, &u->tx_ev, now + frame_cycles(u));
}

static void tx_done(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct cmsdk_uart *u = ctx;
    uint8_t b = u->st.tsr;
    (void)ev;
    (void)late;

    u->st.tsr_busy = false;
    TRACE(u->dev.tr, TR_UART, "%s: tx 0x%02x", u->dev.name, b);
    if (u->dev.chr && u->dev.chr->write)
        u->dev.chr->write(u->dev.chr, &b, 1);
    tx_start(u, now);
    update(u);
}

static uint32_t cmsdk_uart_read(struct periph *p, const struct reg_ref *r)
{
    struct cmsdk_uart *u = to_u(p);

    switch (r->reg) {
    case CMSDK_UART_DATA:
        if (lanes_has(r, 0)) {
            u->st.state &= ~CMSDK_UART_STATE_RXFULL;
            update(u);
        }
        return u->st.rxbuf;
    case CMSDK_UART_STATE:
        return u->st.state;
    case CMSDK_UART_CTRL:
        return u->st.ctrl;
    case CMSDK_UART_INTSTATUS:
        return u->st.intstatus;
    case CMSDK_UART_BAUDDIV:
        return u->st.bauddiv;
    case CMSDK_UART_PID4_7:
        return cmsdk_uart_id[r->idx];
    case CMSDK_UART_PID0_3:
        return cmsdk_uart_id[4 + r->idx];
    case CMSDK_UART_CID0_3:
        return cmsdk_uart_id[8 + r->idx];
    }
    return 0;
}

static void cmsdk_uart_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct cmsdk_uart *u = to_u(p);
    cycles_t now = periph_now(p);
    const uint32_t ovr = CMSDK_UART_STATE_TXOVR | CMSDK_UART_STATE_RXOVR;

    switch (r->reg) {
    case CMSDK_UART_DATA:
        if (!lanes_has(r, 0))
            return;
        u->st.txbuf = (uint8_t)val;
        if (u->st.state & CMSDK_UART_STATE_TXFULL) {
            u->st.state |= CMSDK_UART_STATE_TXOVR;
            TRACE(p->tr, TR_UART, "%s: TX overrun, 0x%02x replaces the buffered byte", p->name,
                  (uint8_t)val);
        } else {
            u->st.state |= CMSDK_UART_STATE_TXFULL;
            tx_start(u, now);
        }
        break;
    case CMSDK_UART_STATE:
        u->st.state &= ~(val & ovr);
        break;
    case CMSDK_UART_CTRL:
        u->st.ctrl = lanes_merge(u->st.ctrl, r, val) & 0x7F;
        if ((u->st.ctrl & CMSDK_UART_CTRL_TX_EN) && u->st.bauddiv < 16 && !u->warned_baud) {
            u->warned_baud = true;
            TRACE(p->tr, TR_GUEST_ERR, "%s: TX enabled with BAUDDIV %u (minimum 16)", p->name,
                  u->st.bauddiv);
        }
        if (u->st.ctrl & 0x40)
            TRACE(p->tr, TR_UNIMP, "%s: CTRL.HSTEST not modelled", p->name);
        tx_start(u, now);
        break;
    case CMSDK_UART_INTSTATUS:
        u->st.state &= ~(val & ovr);
        u->st.intstatus &= ~val;
        break;
    case CMSDK_UART_BAUDDIV:
        u->st.bauddiv = lanes_merge(u->st.bauddiv, r, val) & 0xFFFFF;
        return;
    default:
        return;
    }
    update(u);
}

static size_t cmsdk_uart_rx(struct periph *p, const uint8_t *data, size_t len)
{
    struct cmsdk_uart *u = to_u(p);

    if (len == 0 || !(u->st.ctrl & CMSDK_UART_CTRL_RX_EN) ||
        (u->st.state & CMSDK_UART_STATE_RXFULL))
        return 0;
    u->st.rxbuf = data[0];
    u->st.state |= CMSDK_UART_STATE_RXFULL;
    if (u->st.ctrl & CMSDK_UART_CTRL_RX_INTEN)
        u->st.intstatus |= CMSDK_UART_INT_RX;
    update(u);
    return 1;
}

static void cmsdk_uart_reset(struct periph *p)
{
    struct cmsdk_uart *u = to_u(p);
    evq_cancel(p->q, &u->tx_ev);
    memset(&u->st, 0, sizeof u->st);
    u->warned_baud = false;
    update(u);
}

static int cmsdk_uart_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct cmsdk_uart *u = to_u(p);
    (void)err;
    if (cfg)
        u->cfg = *(const struct cmsdk_uart_cfg *)cfg;
    if (u->cfg.pclk_hz == 0)
        u->cfg.pclk_hz = p->cpu_hz;
    snprintf(u->tx_name, sizeof u->tx_name, "%s.tx", p->name);
    evq_event_init(&u->tx_ev, u->tx_name, tx_done, u, 0);
    return 0;
}

#define CMSDK_UART_SNAP_VERSION 1

static void cmsdk_uart_save(struct periph *p, struct snap_writer *w)
{
    struct cmsdk_uart *u = to_u(p);
    snap_begin(w, p->name, CMSDK_UART_SNAP_VERSION);
    snap_u32(w, "state", u->st.state);
    snap_u32(w, "ctrl", u->st.ctrl);
    snap_u32(w, "intstatus", u->st.intstatus);
    snap_u32(w, "bauddiv", u->st.bauddiv);
    snap_u8(w, "txbuf", u->st.txbuf);
    snap_u8(w, "rxbuf", u->st.rxbuf);
    snap_u8(w, "tsr", u->st.tsr);
    snap_bool(w, "tsr_busy", u->st.tsr_busy);
    snap_bool(w, "warned_baud", u->warned_baud);    /* a trace line given once */
    snap_event(w, "tx_ev", &u->tx_ev);
    snap_end(w);
}

static int cmsdk_uart_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct cmsdk_uart *u = to_u(p);

    if (snap_open(r, p->name, CMSDK_UART_SNAP_VERSION, err) < 0)
        return -1;
    u->st.state = snap_get_u32(r, "state");
    u->st.ctrl = snap_get_u32(r, "ctrl");
    u->st.intstatus = snap_get_u32(r, "intstatus");
    u->st.bauddiv = snap_get_u32(r, "bauddiv");
    u->st.txbuf = snap_get_u8(r, "txbuf");
    u->st.rxbuf = snap_get_u8(r, "rxbuf");
    u->st.tsr = snap_get_u8(r, "tsr");
    u->st.tsr_busy = snap_get_bool(r, "tsr_busy");
    u->warned_baud = snap_get_bool(r, "warned_baud");
    snap_get_event(r, "tx_ev", p->q, &u->tx_ev);
    return snap_close(r);
}

static const struct periph_ops cmsdk_uart_ops = {
    .read = cmsdk_uart_read,
    .write = cmsdk_uart_write,
    .reset = cmsdk_uart_reset,
    .rx = cmsdk_uart_rx,
    .save = cmsdk_uart_save,
    .load = cmsdk_uart_load,
};

const struct periph_model cmsdk_uart_model = {
    .kind = "cmsdk-apb-uart",
    .regs = cmsdk_uart_regs,
    .nregs = CMSDK_UART_NREGS,
    .size = 0x1000,
    .min_access = 1,
    .max_access = 4,
    .instance_size = sizeof(struct cmsdk_uart),
    .create = cmsdk_uart_create,
    .ops = &cmsdk_uart_ops,
};
