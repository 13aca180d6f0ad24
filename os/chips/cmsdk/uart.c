#include "chips/cmsdk/uart.h"
#include "lib/errorcode.h"

#define DATA        0x00u
#define STATE       0x04u
#define CTRL        0x08u
#define INTSTATUS   0x0Cu
#define BAUDDIV     0x10u

#define STATE_TXFULL    (1u << 0)
#define STATE_RXFULL    (1u << 1)
#define CTRL_TX_EN      (1u << 0)
#define CTRL_RX_EN      (1u << 1)
#define CTRL_TX_INTEN   (1u << 2)
#define CTRL_RX_INTEN   (1u << 3)
#define INT_TX          (1u << 0)
#define INT_RX          (1u << 1)

static uint32_t rd(struct cmsdk_uart *u, uint32_t off) { return k_reg_read(u->base + off); }
static void wr(struct cmsdk_uart *u, uint32_t off, uint32_t v) { k_reg_write(u->base + off, v); }

static void set_ctrl(struct cmsdk_uart *u, uint32_t set, uint32_t clear)
{
    wr(u, CTRL, (rd(u, CTRL) & ~clear) | set);
}

static int transmit(struct hil_uart *hu, const uint8_t *buf, size_t len)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)hu;
    if (u->tx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->tx_buf = buf;
    u->tx_len = len;
    u->tx_pos = 1;
    u->tx_busy = true;
    wr(u, INTSTATUS, INT_TX);
    set_ctrl(u, CTRL_TX_INTEN, 0);
    wr(u, DATA, buf[0]);        /* the interrupt comes when it has gone out */
    return 0;
}

void cmsdk_uart_handle_tx(struct cmsdk_uart *u)
{
    wr(u, INTSTATUS, INT_TX);
    if (!u->tx_busy)
        return;
    if (u->tx_pos < u->tx_len) {
        wr(u, DATA, u->tx_buf[u->tx_pos++]);
        return;
    }
    u->tx_busy = false;
    set_ctrl(u, 0, CTRL_TX_INTEN);
    if (u->uart.client)
        u->uart.client->tx_done(u->uart.client, 0, u->tx_len);
}

static int receive(struct hil_uart *hu, uint8_t *buf, size_t len)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)hu;
    if (u->rx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->rx_buf = buf;
    u->rx_len = len;
    u->rx_pos = 0;
    u->rx_busy = true;
    set_ctrl(u, CTRL_RX_INTEN, 0);
    return 0;
}

static void rx_finish(struct cmsdk_uart *u, int err)
{
    u->rx_busy = false;
    set_ctrl(u, 0, CTRL_RX_INTEN);
    if (u->uart.client)
        u->uart.client->rx_done(u->uart.client, err, u->rx_pos);
}

void cmsdk_uart_handle_rx(struct cmsdk_uart *u)
{
    wr(u, INTSTATUS, INT_RX);
    /* a byte that arrives with no receive pending waits in the data register */
    while (u->rx_busy && (rd(u, STATE) & STATE_RXFULL)) {
        u->rx_buf[u->rx_pos++] = (uint8_t)rd(u, DATA);
        if (u->rx_pos == u->rx_len)
            rx_finish(u, 0);
    }
}

bool cmsdk_uart_rx_ready(struct cmsdk_uart *u)
{
    return u->rx_busy && (rd(u, STATE) & STATE_RXFULL);
}

static int abort_receive(struct hil_uart *hu)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)hu;
    if (!u->rx_busy)
        return K_EOFF;
    rx_finish(u, K_ECANCEL);
    return 0;
}

static void put_byte(struct cmsdk_uart *u, uint8_t b)
{
    while (rd(u, STATE) & STATE_TXFULL) {
    }
    wr(u, DATA, b);
}

/* Panic output: the rest of the transfer in progress goes out first, then
 * the text, by polling. */
static void put_sync(struct hil_uart *hu, const char *s, size_t len)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)hu;
    if (u->tx_busy) {
        while (u->tx_pos < u->tx_len)
            put_byte(u, u->tx_buf[u->tx_pos++]);
        u->tx_busy = false;
        set_ctrl(u, 0, CTRL_TX_INTEN);
    }
    for (size_t i = 0; i < len; i++)
        put_byte(u, (uint8_t)s[i]);
    while (rd(u, STATE) & STATE_TXFULL) {
    }
}

static const struct hil_uart_ops ops = {
    .transmit = transmit,
    .receive = receive,
    .abort_receive = abort_receive,
    .put_sync = put_sync,
};

void cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t pclk_hz, uint32_t baud)
{
    u->uart.ops = &ops;
    u->uart.client = NULL;
    u->base = base;
    u->tx_busy = u->rx_busy = false;
    wr(u, CTRL, 0);
    uint32_t div = pclk_hz / baud;
    wr(u, BAUDDIV, div < 16 ? 16 : div);
    wr(u, INTSTATUS, INT_TX | INT_RX | 0xC);
    wr(u, CTRL, CTRL_TX_EN | CTRL_RX_EN);
}
