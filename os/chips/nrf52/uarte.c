#include "chips/nrf52/uarte.h"
#include "lib/errorcode.h"
#include "lib/kstring.h"

#define TASKS_STARTRX       0x000u
#define TASKS_STOPRX        0x004u
#define TASKS_STARTTX       0x008u
#define TASKS_STOPTX        0x00Cu
#define EVENTS_ENDRX        0x110u
#define EVENTS_ENDTX        0x120u
#define EVENTS_ERROR        0x124u
#define EVENTS_RXTO         0x144u
#define INTENSET            0x304u
#define INTENCLR            0x308u
#define ERRORSRC            0x480u
#define ENABLE              0x500u
#define PSEL_RTS            0x508u
#define PSEL_TXD            0x50Cu
#define PSEL_CTS            0x510u
#define PSEL_RXD            0x514u
#define BAUDRATE            0x524u
#define RXD_PTR             0x534u
#define RXD_MAXCNT          0x538u
#define RXD_AMOUNT          0x53Cu
#define TXD_PTR             0x544u
#define TXD_MAXCNT          0x548u
#define TXD_AMOUNT          0x54Cu
#define CONFIG              0x56Cu

#define INT_ENDRX           (1u << 4)
#define INT_ENDTX           (1u << 8)
#define ENABLE_UARTE        8u
#define PSEL_DISCONNECTED   0x80000000u
#define BAUD_115200         0x01D7E000u
#define MAX_CHUNK           255u
#define WAIT_LIMIT          10000000u

static uint32_t rd(struct nrf52_uarte *u, uint32_t off) { return k_reg_read(u->base + off); }
static void wr(struct nrf52_uarte *u, uint32_t off, uint32_t v) { k_reg_write(u->base + off, v); }

static void start_tx_chunk(struct nrf52_uarte *u)
{
    u->tx_chunk = K_MIN(u->tx_len - u->tx_pos, (size_t)MAX_CHUNK);
    wr(u, EVENTS_ENDTX, 0);
    wr(u, TXD_PTR, (uint32_t)(uintptr_t)(u->tx_buf + u->tx_pos));
    wr(u, TXD_MAXCNT, (uint32_t)u->tx_chunk);
    wr(u, TASKS_STARTTX, 1);
}

static int transmit(struct hil_uart *hu, const uint8_t *buf, size_t len)
{
    struct nrf52_uarte *u = (struct nrf52_uarte *)hu;
    if (u->tx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->tx_buf = buf;
    u->tx_len = len;
    u->tx_pos = 0;
    u->tx_busy = true;
    start_tx_chunk(u);
    return 0;
}

static int receive(struct hil_uart *hu, uint8_t *buf, size_t len)
{
    struct nrf52_uarte *u = (struct nrf52_uarte *)hu;
    if (u->rx_busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    u->rx_buf = buf;
    u->rx_len = K_MIN(len, (size_t)MAX_CHUNK);
    u->rx_busy = true;
    u->rx_aborting = false;
    wr(u, EVENTS_ENDRX, 0);
    wr(u, RXD_PTR, (uint32_t)(uintptr_t)buf);
    wr(u, RXD_MAXCNT, (uint32_t)u->rx_len);
    wr(u, TASKS_STARTRX, 1);
    return 0;
}

static int abort_receive(struct hil_uart *hu)
{
    struct nrf52_uarte *u = (struct nrf52_uarte *)hu;
    if (!u->rx_busy)
        return K_EOFF;
    u->rx_aborting = true;
    wr(u, TASKS_STOPRX, 1);         /* ENDRX follows with the bytes so far */
    return 0;
}

void nrf52_uarte_handle_interrupt(struct nrf52_uarte *u)
{
    if (rd(u, EVENTS_ENDTX)) {
        wr(u, EVENTS_ENDTX, 0);
        if (u->tx_busy) {
            u->tx_pos += K_MIN((size_t)rd(u, TXD_AMOUNT), u->tx_chunk);
            if (u->tx_pos < u->tx_len) {
                start_tx_chunk(u);
            } else {
                u->tx_busy = false;
                if (u->uart.client)
                    u->uart.client->tx_done(u->uart.client, 0, u->tx_len);
            }
        }
    }
    if (rd(u, EVENTS_ENDRX)) {
        wr(u, EVENTS_ENDRX, 0);
        wr(u, EVENTS_RXTO, 0);
        if (u->rx_busy) {
            u->rx_busy = false;
            int err = u->rx_aborting ? K_ECANCEL : 0;
            if (u->uart.client)
                u->uart.client->rx_done(u->uart.client, err, rd(u, RXD_AMOUNT));
        }
    }
    if (rd(u, EVENTS_ERROR)) {
        wr(u, EVENTS_ERROR, 0);
        wr(u, ERRORSRC, rd(u, ERRORSRC));    /* write-1-to-clear */
    }
}

/* Panic output: the transfer in progress goes out to its end, by polling;
 * then the text, through a RAM buffer (it may be in flash, which EasyDMA
 * cannot read). */
static void put_sync(struct hil_uart *hu, const char *s, size_t len)
{
    static uint8_t buf[64];
    struct nrf52_uarte *u = (struct nrf52_uarte *)hu;
    while (u->tx_busy) {
        uint32_t i = 0;
        while (i < WAIT_LIMIT && !rd(u, EVENTS_ENDTX))
            i++;
        u->tx_pos += K_MIN((size_t)rd(u, TXD_AMOUNT), u->tx_chunk);
        if (i < WAIT_LIMIT && u->tx_pos < u->tx_len)
            start_tx_chunk(u);
        else
            u->tx_busy = false;
    }
    wr(u, INTENCLR, INT_ENDTX);
    while (len) {
        size_t n = K_MIN(len, sizeof(buf));
        memcpy(buf, s, n);
        wr(u, EVENTS_ENDTX, 0);
        wr(u, TXD_PTR, (uint32_t)(uintptr_t)buf);
        wr(u, TXD_MAXCNT, (uint32_t)n);
        wr(u, TASKS_STARTTX, 1);
        for (uint32_t i = 0; i < WAIT_LIMIT && !rd(u, EVENTS_ENDTX); i++) {
        }
        s += n;
        len -= n;
    }
}

static const struct hil_uart_ops ops = {
    .transmit = transmit,
    .receive = receive,
    .abort_receive = abort_receive,
    .put_sync = put_sync,
};

void nrf52_uarte_init(struct nrf52_uarte *u, uintptr_t base, unsigned tx_pin, unsigned rx_pin)
{
    u->uart.ops = &ops;
    u->uart.client = NULL;
    u->base = base;
    u->tx_busy = u->rx_busy = u->rx_aborting = false;
    wr(u, ENABLE, 0);
    wr(u, TASKS_STOPTX, 1);
    wr(u, TASKS_STOPRX, 1);
    wr(u, EVENTS_ENDTX, 0);
    wr(u, EVENTS_ENDRX, 0);
    wr(u, PSEL_TXD, tx_pin);
    wr(u, PSEL_RXD, rx_pin);
    wr(u, PSEL_CTS, PSEL_DISCONNECTED);
    wr(u, PSEL_RTS, PSEL_DISCONNECTED);
    wr(u, BAUDRATE, BAUD_115200);
    wr(u, CONFIG, 0);
    wr(u, ENABLE, ENABLE_UARTE);
    wr(u, INTENSET, INT_ENDTX | INT_ENDRX);
}
