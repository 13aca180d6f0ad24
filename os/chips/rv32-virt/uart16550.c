#include "chips/rv32-virt/uart16550.h"
#include "lib/errorcode.h"

#define RBR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define DLL 0           /* with LCR.DLAB */
#define DLM 1           /* with LCR.DLAB */
#define LCR_8N1     0x03u
#define LCR_DLAB    0x80u
#define IER_RDA     0x01u
#define IER_THRE    0x02u
#define LSR_DR      0x01u
#define LSR_THRE    0x20u
#define FIFO_DEPTH  16u

static uint8_t rd(struct uart16550 *u, unsigned r) { return *(volatile uint8_t *)(u->base + r); }
static void wr(struct uart16550 *u, unsigned r, uint8_t v) { *(volatile uint8_t *)(u->base + r) = v; }

static void fill_fifo(struct uart16550 *u)
{
    if (!(rd(u, LSR) & LSR_THRE))
        return;
    for (unsigned i = 0; i < FIFO_DEPTH && u->tx_pos < u->tx_len; i++)
        wr(u, THR, u->tx_buf[u->tx_pos++]);
}

static int transmit(struct hil_uart *hu, const uint8_t *buf, size_t len)
{
    struct uart16550 *u = (struct uart16550 *)hu;
    if (u->tx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->tx_buf = buf;
    u->tx_len = len;
    u->tx_pos = 0;
    u->tx_busy = true;
    fill_fifo(u);
    wr(u, IER, rd(u, IER) | IER_THRE);      /* interrupts when the FIFO is empty */
    return 0;
}

static int receive(struct hil_uart *hu, uint8_t *buf, size_t len)
{
    struct uart16550 *u = (struct uart16550 *)hu;
    if (u->rx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->rx_buf = buf;
    u->rx_len = len;
    u->rx_pos = 0;
    u->rx_busy = true;
    wr(u, IER, rd(u, IER) | IER_RDA);
    return 0;
}

static void rx_finish(struct uart16550 *u, int err)
{
    u->rx_busy = false;
    wr(u, IER, rd(u, IER) & ~IER_RDA);
    if (u->uart.client)
        u->uart.client->rx_done(u->uart.client, err, u->rx_pos);
}

static int abort_receive(struct hil_uart *hu)
{
    struct uart16550 *u = (struct uart16550 *)hu;
    if (!u->rx_busy)
        return K_EOFF;
    rx_finish(u, K_ECANCEL);
    return 0;
}

void uart16550_handle_interrupt(struct uart16550 *u)
{
    /* bytes that arrive with no receive pending wait in the FIFO */
    while (u->rx_busy && (rd(u, LSR) & LSR_DR)) {
        u->rx_buf[u->rx_pos++] = rd(u, RBR);
        if (u->rx_pos == u->rx_len)
            rx_finish(u, 0);
    }
    if (u->tx_busy && (rd(u, LSR) & LSR_THRE)) {
        if (u->tx_pos < u->tx_len) {
            fill_fifo(u);
        } else {
            u->tx_busy = false;
            wr(u, IER, rd(u, IER) & ~IER_THRE);
            if (u->uart.client)
                u->uart.client->tx_done(u->uart.client, 0, u->tx_len);
        }
    }
}

static void put_byte(struct uart16550 *u, uint8_t b)
{
    while (!(rd(u, LSR) & LSR_THRE)) {
    }
    wr(u, THR, b);
}

/* Panic output: the rest of the transfer in progress goes out first, then
 * the text, by polling. */
static void put_sync(struct hil_uart *hu, const char *s, size_t len)
{
    struct uart16550 *u = (struct uart16550 *)hu;
    if (u->tx_busy) {
        while (u->tx_pos < u->tx_len)
            put_byte(u, u->tx_buf[u->tx_pos++]);
        u->tx_busy = false;
        wr(u, IER, rd(u, IER) & ~IER_THRE);
    }
    for (size_t i = 0; i < len; i++)
        put_byte(u, (uint8_t)s[i]);
}

static const struct hil_uart_ops ops = {
    .transmit = transmit,
    .receive = receive,
    .abort_receive = abort_receive,
    .put_sync = put_sync,
};

void uart16550_init(struct uart16550 *u, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    u->uart.ops = &ops;
    u->uart.client = NULL;
    u->base = base;
    u->tx_busy = u->rx_busy = false;
    wr(u, IER, 0);
    /* divisor = clock / (16 * baud), rounded to nearest, at least 1 */
    uint32_t div = (clock_hz + 8u * baud) / (16u * baud);
    if (div == 0)
        div = 1;
    if (div > 0xFFFF)
        div = 0xFFFF;
    wr(u, LCR, LCR_DLAB);
    wr(u, DLL, (uint8_t)div);
    wr(u, DLM, (uint8_t)(div >> 8));
    wr(u, LCR, LCR_8N1);        /* DLAB off again */
    wr(u, FCR, 0x07);           /* FIFOs on and cleared */
    wr(u, MCR, 0x08);           /* OUT2: interrupt line enabled */
}
