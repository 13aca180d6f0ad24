#include "capsules/virtual_uart.h"
#include "lib/errorcode.h"

static struct vuart_tx *slot(struct vuart_mux *m, unsigned i)
{
    return &m->queue[(m->head + i) % VUART_QUEUE_LEN];
}

static struct vuart_tx pop(struct vuart_mux *m)
{
    struct vuart_tx t = m->queue[m->head];
    m->head = (m->head + 1) % VUART_QUEUE_LEN;
    m->count--;
    return t;
}

static void notify(struct vuart_dev *d, int err, size_t len)
{
    if (d->uart.client)
        d->uart.client->tx_done(d->uart.client, err, len);
}

/* Starts the FIFO's head if the UART is free. A transfer the UART refuses
 * is completed with its error and the next one is tried. */
static void serve(struct vuart_mux *m)
{
    while (!m->busy && !m->held && m->count) {
        struct vuart_tx *t = slot(m, 0);
        m->busy = true;
        int err = m->uart->ops->transmit(m->uart, t->buf, t->len);
        if (err) {
            struct vuart_tx failed = pop(m);
            m->busy = false;
            notify(failed.dev, err, failed.len);  /* given up */
        }
    }
}

static void mux_tx_done(struct hil_uart_client *c, int err, size_t len)
{
    struct vuart_mux *m = container_of(c, struct vuart_mux, client);
    if (!m->busy || !m->count)
        return;
    struct vuart_tx done = pop(m);
    m->busy = false;
    if (!err && done.len && done.buf[done.len - 1] != '\n') {
        /* mid-line: the device's next chunk, if it sends one now, goes first */
        m->held = done.dev;
        notify(done.dev, err, len);
        m->held = NULL;
        serve(m);
    } else {
        serve(m);
        notify(done.dev, err, len);
    }
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
    if (len == 0)
        return K_ESIZE;
    if (m->held == d) {                         /* continues its line: first */
        if (m->count == VUART_QUEUE_LEN)
            return K_EBUSY;
        m->head = (m->head + VUART_QUEUE_LEN - 1) % VUART_QUEUE_LEN;
        m->count++;
        *slot(m, 0) = (struct vuart_tx){ d, buf, len };
        return 0;
    }
    /* appends to the FIFO's tail if that is d's, not started, and ends at buf */
    if (m->count > (m->busy ? 1u : 0u)) {
        struct vuart_tx *t = slot(m, m->count - 1);
        if (t->dev == d && t->buf + t->len == buf) {
            t->len += len;
            return 0;
        }
    }
    if (m->count == VUART_QUEUE_LEN)
        return K_EBUSY;
    *slot(m, m->count) = (struct vuart_tx){ d, buf, len };
    m->count++;
    serve(m);
    return 0;
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
    struct vuart_mux *m = d->mux;
    m->uart->ops->put_sync(m->uart, s, 0);      /* finishes the transfer in progress */
    if (m->busy) {
        pop(m);
        m->busy = false;
    }
    /* d's queued transmissions, in order; the others' are left queued */
    for (unsigned i = 0, n = m->count; i < n; i++) {
        struct vuart_tx t = pop(m);
        if (t.dev == d)
            m->uart->ops->put_sync(m->uart, (const char *)t.buf, t.len);
        else
            *slot(m, m->count++) = t;
    }
    if (len)
        m->uart->ops->put_sync(m->uart, s, len);
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
    m->rx_active = NULL;
    m->head = m->count = 0;
    m->busy = false;
    m->held = NULL;
    uart->client = &m->client;
}

void vuart_dev_init(struct vuart_dev *d, struct vuart_mux *m)
{
    d->uart.ops = &dev_ops;
    d->uart.client = NULL;
    d->mux = m;
    d->next = NULL;
    struct vuart_dev **pp = &m->devs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = d;
}
