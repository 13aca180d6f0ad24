#include "capsules/virtual_uart.h"
#include "lib/errorcode.h"

static int start(struct vuart_mux *m, struct vuart_dev *d)
{
    d->tx_pending = false;
    m->tx_active = d;
    int err = m->uart->ops->transmit(m->uart, d->tx_buf, d->tx_len);
    if (err)
        m->tx_active = NULL;
    return err;
}

/* The next device with a pending transmission, starting after `after`. */
static struct vuart_dev *next_pending(struct vuart_mux *m, struct vuart_dev *after)
{
    struct vuart_dev *d = after && after->next ? after->next : m->devs;
    for (struct vuart_dev *first = d; d;) {
        if (d->tx_pending)
            return d;
        d = d->next ? d->next : m->devs;
        if (d == first)
            break;
    }
    return NULL;
}

static void mux_tx_done(struct hil_uart_client *c, int err, size_t len)
{
    struct vuart_mux *m = container_of(c, struct vuart_mux, client);
    struct vuart_dev *done = m->tx_active;
    m->tx_active = NULL;
    struct vuart_dev *n;
    while ((n = next_pending(m, done)) != NULL) {
        int e = start(m, n);
        if (!e)
            break;
        if (n->uart.client)         /* a queued transfer that could not start */
            n->uart.client->tx_done(n->uart.client, e, 0);
    }
    if (done && done->uart.client)
        done->uart.client->tx_done(done->uart.client, err, len);
}

static void mux_rx_done(struct hil_uart_client *c, int err, size_t len)
{
    struct vuart_mux *m = container_of(c, struct vuart_mux, client);
    struct vuart_dev *d = m->rx_active;
    m->rx_active = NULL;
    if (d && d->uart.client)
        d->uart.client->rx_done(d->uart.client, err, len);
}

static int dev_transmit(struct hil_uart *u, const uint8_t *buf, size_t len)
{
    struct vuart_dev *d = (struct vuart_dev *)u;
    struct vuart_mux *m = d->mux;
    if (d->tx_pending || m->tx_active == d)
        return K_EBUSY;
    d->tx_buf = buf;
    d->tx_len = len;
    d->tx_pending = true;
    return m->tx_active ? 0 : start(m, d);
}

static int dev_receive(struct hil_uart *u, uint8_t *buf, size_t len)
{
    struct vuart_dev *d = (struct vuart_dev *)u;
    struct vuart_mux *m = d->mux;
    if (m->rx_active)
        return K_EBUSY;
    m->rx_active = d;
    int err = m->uart->ops->receive(m->uart, buf, len);
    if (err)
        m->rx_active = NULL;
    return err;
}

static int dev_abort_receive(struct hil_uart *u)
{
    struct vuart_dev *d = (struct vuart_dev *)u;
    if (d->mux->rx_active != d)
        return K_EOFF;
    return d->mux->uart->ops->abort_receive(d->mux->uart);
}

static void dev_put_sync(struct hil_uart *u, const char *s, size_t len)
{
    struct vuart_dev *d = (struct vuart_dev *)u;
    d->mux->uart->ops->put_sync(d->mux->uart, s, len);
}

static const struct hil_uart_ops dev_ops = {
    .transmit = dev_transmit,
    .receive = dev_receive,
    .abort_receive = dev_abort_receive,
    .put_sync = dev_put_sync,
};

void vuart_mux_init(struct vuart_mux *m, struct hil_uart *uart)
{
    m->uart = uart;
    m->client.tx_done = mux_tx_done;
    m->client.rx_done = mux_rx_done;
    m->devs = NULL;
    m->tx_active = m->rx_active = NULL;
    uart->client = &m->client;
}

void vuart_dev_init(struct vuart_dev *d, struct vuart_mux *m)
{
    d->uart.ops = &dev_ops;
    d->uart.client = NULL;
    d->mux = m;
    d->next = NULL;
    d->tx_pending = false;
    struct vuart_dev **pp = &m->devs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = d;
}
