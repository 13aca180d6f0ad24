#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "kernel/dump.h"
#include "lib/kstring.h"

/* The ring holds, from its oldest byte at head: `queued` bytes handed to
 * the UART (whole lines, in the order they were written), then the rest of
 * the current line, which is handed over when its '\n' is written. So the
 * kernel's lines take their place in the UART's order when they are printed
 * (a virtual UART serves transmissions in the order they were requested,
 * see capsules/virtual_uart.h) and are never cut by another client's text.
 * Only a line longer than the whole ring goes out in pieces. */
struct debug_state {
    struct hil_uart *uart;
    struct hil_uart_client client;
    struct k_kernel *kernel;
    uint8_t buf[K_DEBUG_BUF_SIZE];
    uint32_t head, count;           /* ring: oldest byte at head */
    uint32_t queued;                /* bytes from head handed to the UART */
    uint32_t dropped;
    bool panicking;
};

static struct debug_state dbg;

/* Hands the ring's bytes [head + queued, head + queued + n) to the UART, as
 * one transmission or two where they wrap. A refused one (the UART's queue
 * is full) is tried again from the next tx_done. */
static void submit(uint32_t n)
{
    while (n) {
        uint32_t at = (dbg.head + dbg.queued) % K_DEBUG_BUF_SIZE;
        uint32_t m = K_MIN(n, K_DEBUG_BUF_SIZE - at);
        if (dbg.uart->ops->transmit(dbg.uart, dbg.buf + at, m) != 0)
            return;
        dbg.queued += m;
        n -= m;
    }
}

/* Hands over every complete line not handed over yet (everything, if the
 * ring is full of one unfinished line). */
static void kick(void)
{
    if (!dbg.uart || dbg.panicking || dbg.count == dbg.queued)
        return;
    uint32_t n = dbg.count - dbg.queued;
    if (dbg.count < K_DEBUG_BUF_SIZE) {
        while (n && dbg.buf[(dbg.head + dbg.queued + n - 1) % K_DEBUG_BUF_SIZE] != '\n')
            n--;
    }
    submit(n);
}

static void debug_tx_done(struct hil_uart_client *c, int err, size_t len)
{
    (void)c;
    uint32_t n = (uint32_t)K_MIN(len, (size_t)dbg.queued);
    dbg.head = (dbg.head + n) % K_DEBUG_BUF_SIZE;
    dbg.count -= n;
    dbg.queued -= n;
    /* A transmission the UART refused (len = the bytes given up) is lost;
     * the next line written tries again, not this callback (no loop). */
    if (err)
        dbg.dropped += n;
    else
        kick();
}

static void debug_rx_done(struct hil_uart_client *c, int err, size_t len)
{
    (void)c;
    (void)err;
    (void)len;
}

void k_debug_init(struct hil_uart *uart)
{
    dbg.uart = uart;
    dbg.client.tx_done = debug_tx_done;
    dbg.client.rx_done = debug_rx_done;
    uart->client = &dbg.client;
}

void k_debug_set_kernel(struct k_kernel *k)
{
    dbg.kernel = k;
}

static void ring_write(struct k_writer *w, const char *s, size_t n)
{
    (void)w;
    bool line_end = false;
    for (size_t i = 0; i < n; i++) {
        if (dbg.count == K_DEBUG_BUF_SIZE) {
            dbg.dropped += (uint32_t)(n - i);
            break;
        }
        dbg.buf[(dbg.head + dbg.count) % K_DEBUG_BUF_SIZE] = (uint8_t)s[i];
        dbg.count++;
        line_end |= s[i] == '\n';
    }
    if (line_end || dbg.count == K_DEBUG_BUF_SIZE)
        kick();
}

static struct k_writer ring_writer = { ring_write };

struct k_writer *k_debug_writer(void)
{
    return &ring_writer;
}

void k_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    k_vwprintf(&ring_writer, fmt, ap);
    va_end(ap);
}

uint32_t k_debug_dropped(void)
{
    return dbg.dropped;
}

/* The blocking writer: when the ring is full, run interrupt bottom halves
 * (which drain it) until there is room. Used for fault dumps that do not
 * panic, from the kernel loop, where servicing interrupts is safe. */
static void blocking_write(struct k_writer *w, const char *s, size_t n)
{
    (void)w;
    struct hil_chip *chip = dbg.kernel ? dbg.kernel->chip : NULL;
    while (n) {
        if (dbg.count == K_DEBUG_BUF_SIZE && chip && dbg.uart && !dbg.panicking) {
            if (chip->ops->has_pending(chip))
                chip->ops->service_pending(chip);
            else
                chip->ops->sleep(chip);
            continue;
        }
        size_t room = K_DEBUG_BUF_SIZE - dbg.count;
        size_t m = n < room ? n : (room ? room : n);
        ring_write(NULL, s, m);
        s += m;
        n -= m;
    }
}

static struct k_writer blocking_writer = { blocking_write };

struct k_writer *k_debug_blocking_writer(void)
{
    return &blocking_writer;
}

static void sync_write(struct k_writer *w, const char *s, size_t n)
{
    (void)w;
    if (dbg.uart && dbg.uart->ops->put_sync)
        dbg.uart->ops->put_sync(dbg.uart, s, n);
}

static struct k_writer sync_writer = { sync_write };

struct k_writer *k_panic_writer(void)
{
    /* What the ring holds goes out first: put_sync finishes the transfer in
     * progress and writes what this device has queued, then the bytes not
     * handed over yet follow. The asynchronous path is dead after this:
     * only for panics. */
    if (!dbg.panicking) {
        dbg.panicking = true;
        uint32_t at = (dbg.head + dbg.queued) % K_DEBUG_BUF_SIZE, rest = dbg.count - dbg.queued;
        uint32_t n = K_MIN(rest, K_DEBUG_BUF_SIZE - at);
        sync_write(NULL, (const char *)dbg.buf + at, n);
        sync_write(NULL, (const char *)dbg.buf, rest - n);
        dbg.head = dbg.count = dbg.queued = 0;
    }
    return &sync_writer;
}

_Noreturn void k_panic_at(const char *file, int line, const char *fmt, ...)
{
    struct k_writer *w = k_panic_writer();
    k_wprintf(w, "\r\npanicked at %s:%d:1:\r\n", file, line);
    va_list ap;
    va_start(ap, fmt);
    k_vwprintf(w, fmt, ap);
    va_end(ap);
    k_wprintf(w, "\r\n\tKernel version %s\r\n", K_VERSION_STRING);
    struct k_kernel *k = dbg.kernel;
    if (k && k->chip && k->chip->ops->print_state)
        k->chip->ops->print_state(k->chip, w);
    if (k) {
        k_wputs(w, "\r\n---| App Status |---\r\n");
        for (unsigned i = 0; i < k->nprocs; i++)
            k_dump_process(&k->procs[i], w);
    }
    if (k && k->chip && k->chip->ops->halt)
        k->chip->ops->halt(k->chip);
    for (;;) {
    }
}
