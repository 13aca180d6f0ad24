#include "capsules/console.h"

static struct cap_console_app *app_of(struct cap_console *c, struct k_process *p)
{
    return k_grant_get(p, &c->grant);
}

/* Send the next chunk of p's write; false if nothing could be started. */
static bool send_chunk(struct cap_console *c, struct k_process *p, struct cap_console_app *app)
{
    size_t n = k_allow_read(p, K_ALLOW_RO, CAP_CONSOLE_DRIVER, 1, app->written, c->tx_buf,
                            K_MIN((size_t)(app->write_len - app->written), sizeof(c->tx_buf)));
    if (n == 0 || c->uart->ops->transmit(c->uart, c->tx_buf, n) != 0)
        return false;
    c->tx_proc = p;
    c->tx_proc_id = p->id;
    c->tx_chunk = n;
    return true;
}

static void finish_write(struct k_process *p, struct cap_console_app *app)
{
    app->write_pending = false;
    k_upcall_schedule(p, CAP_CONSOLE_DRIVER, 1, app->written, 0, 0);
}

/* Start the next queued write, round-robin after `after`. */
static void start_next(struct cap_console *c, unsigned after)
{
    unsigned n = k_num_processes(c->kernel);
    for (unsigned i = 1; i <= n && !c->tx_proc; i++) {
        struct k_process *p = k_process_at(c->kernel, (after + i) % n);
        struct cap_console_app *app = app_of(c, p);
        if (app && app->write_pending && !send_chunk(c, p, app))
            finish_write(p, app);
    }
}

static void tx_done(struct hil_uart_client *cl, int err, size_t len)
{
    struct cap_console *c = container_of(cl, struct cap_console, client);
    struct k_process *p = c->tx_proc;
    c->tx_proc = NULL;
    if (!p)
        return;
    struct cap_console_app *app = p->id == c->tx_proc_id ? app_of(c, p) : NULL;
    if (app && app->write_pending) {
        app->written += err ? 0 : (uint32_t)K_MIN(len, c->tx_chunk);
        if (err || app->written >= app->write_len || !send_chunk(c, p, app))
            finish_write(p, app);
    }
    if (!c->tx_proc)
        start_next(c, p->index);
}

static void rx_done(struct hil_uart_client *cl, int err, size_t len)
{
    struct cap_console *c = container_of(cl, struct cap_console, client);
    struct k_process *p = c->rx_proc;
    c->rx_proc = NULL;
    if (!p || p->id != c->rx_proc_id)
        return;
    struct cap_console_app *app = app_of(c, p);
    if (!app)
        return;
    size_t n = k_allow_write(p, CAP_CONSOLE_DRIVER, 1, 0, c->rx_buf, K_MIN(len, (size_t)app->read_len));
    app->read_len = 0;
    k_upcall_schedule(p, CAP_CONSOLE_DRIVER, 2, (uint32_t)err, (uint32_t)n, 0);
}

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    (void)arg1;
    struct cap_console *c = container_of(d, struct cap_console, driver);
    if (cmd == 0)
        return k_ret_success();
    struct cap_console_app *app = k_grant_enter(p, &c->grant);
    if (!app)
        return k_ret_failure(K_ENOMEM);
    switch (cmd) {
    case 1: {                                       /* write(len) */
        if (app->write_pending)
            return k_ret_failure(K_EBUSY);
        uint32_t ptr, blen;
        k_allow_get(p, K_ALLOW_RO, CAP_CONSOLE_DRIVER, 1, &ptr, &blen);
        app->write_len = K_MIN(arg0, blen);
        app->written = 0;
        if (app->write_len == 0) {                  /* nothing to send: done at once */
            k_upcall_schedule(p, CAP_CONSOLE_DRIVER, 1, 0, 0, 0);
            return k_ret_success();
        }
        app->write_pending = true;
        if (!c->tx_proc && !send_chunk(c, p, app))
            finish_write(p, app);
        return k_ret_success();
    }
    case 2: {                                       /* read(len) */
        if (c->rx_proc)
            return k_ret_failure(K_EBUSY);
        uint32_t ptr, blen;
        k_allow_get(p, K_ALLOW_RW, CAP_CONSOLE_DRIVER, 1, &ptr, &blen);
        uint32_t n = K_MIN(K_MIN(arg0, blen), (uint32_t)sizeof(c->rx_buf));
        if (n == 0)
            return k_ret_failure(K_ESIZE);
        int err = c->uart->ops->receive(c->uart, c->rx_buf, n);
        if (err)
            return k_ret_failure((uint32_t)err);
        app->read_len = n;
        c->rx_proc = p;
        c->rx_proc_id = p->id;
        return k_ret_success();
    }
    case 3:                                         /* abort read */
        if (c->rx_proc != p)
            return k_ret_failure(K_EOFF);
        return k_ret_from_err(c->uart->ops->abort_receive(c->uart));
    default:
        return k_ret_failure(K_ENOSUPPORT);
    }
}

void cap_console_init(struct cap_console *c, struct k_kernel *k, struct hil_uart *uart)
{
    c->kernel = k;
    c->uart = uart;
    c->client.tx_done = tx_done;
    c->client.rx_done = rx_done;
    uart->client = &c->client;
    c->tx_proc = c->rx_proc = NULL;
    c->driver = (struct k_driver){
        .num = CAP_CONSOLE_DRIVER, .num_upcalls = 3, .num_allow_ro = 2, .num_allow_rw = 2,
        .grant = &c->grant, .command = command,
    };
    c->grant = (struct k_grant){ .driver_num = CAP_CONSOLE_DRIVER, .size = sizeof(struct cap_console_app) };
    k_grant_register(k, &c->grant);
}
