/* Virtual UART mux (os/capsules/virtual_uart.c) and the kernel's debug
 * writer (os/kernel/debug.c) against a fake UART whose transfers complete
 * when the test says: transmissions go out in the order they were
 * requested, a line is never cut, the debug ring hands over whole lines,
 * and the transcript of a fixed sequence of prints is the same whether the
 * UART finishes a transfer after every step or after many. */
#include <check.h>
#include <string.h>
#include "check_tap.h"
#include "capsules/virtual_uart.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "lib/errorcode.h"

/* debug.c's panic path prints process dumps (dump.c); no process here. */
const char *k_proc_state_name(enum k_proc_state s)
{
    (void)s;
    return "?";
}

/* ------------------------------------------------------------ fake UART -- */

struct fake_uart {
    struct hil_uart uart;
    const uint8_t *buf;             /* the transfer in progress */
    size_t len;
    bool busy;
    char out[2048];                 /* everything sent, in order */
    size_t n;
    unsigned transfers;
};

static void out_add(struct fake_uart *f, const void *s, size_t len)
{
    ck_assert_uint_le(f->n + len, sizeof f->out - 1);
    memcpy(f->out + f->n, s, len);
    f->n += len;
    f->out[f->n] = 0;
}

static int fu_transmit(struct hil_uart *u, const uint8_t *buf, size_t len)
{
    struct fake_uart *f = (struct fake_uart *)u;
    if (f->busy)
        return K_EBUSY;
    if (len == 0)
        return K_ESIZE;
    f->buf = buf;
    f->len = len;
    f->busy = true;
    f->transfers++;
    return 0;
}

static int fu_receive(struct hil_uart *u, uint8_t *buf, size_t len) { (void)u; (void)buf; (void)len; return K_ENOSUPPORT; }
static int fu_abort(struct hil_uart *u) { (void)u; return K_EOFF; }

static void fu_put_sync(struct hil_uart *u, const char *s, size_t len)
{
    struct fake_uart *f = (struct fake_uart *)u;
    if (f->busy) {
        out_add(f, f->buf, f->len);
        f->busy = false;
    }
    out_add(f, s, len);
}

static const struct hil_uart_ops fu_ops = { fu_transmit, fu_receive, fu_abort, fu_put_sync };

/* The transfer in progress is done: its bytes are out, tx_done follows. */
static bool fu_complete(struct fake_uart *f)
{
    if (!f->busy)
        return false;
    out_add(f, f->buf, f->len);
    f->busy = false;
    f->uart.client->tx_done(f->uart.client, 0, f->len);
    return true;
}

static void fu_drain(struct fake_uart *f)
{
    for (unsigned i = 0; i < 1000 && fu_complete(f); i++) {
    }
    ck_assert(!f->busy);
}

/* ------------------------------------------------------ a chunked client -- */

/* Sends a text `chunk` bytes at a time, the next chunk from tx_done, as the
 * console capsule does with its 64-byte buffer (chunk 0: all in one
 * transfer, nothing sent from tx_done); counts tx_done calls. */
struct chunker {
    struct hil_uart_client c;
    struct hil_uart *u;
    const char *text;
    size_t len, sent, chunk, next_len;
    unsigned done_calls;
    size_t done_bytes;
    bool busy;
};

static void chunker_send(struct chunker *k)
{
    k->next_len = k->chunk ? K_MIN(k->chunk, k->len - k->sent) : k->len - k->sent;
    ck_assert_int_eq(k->u->ops->transmit(k->u, (const uint8_t *)k->text + k->sent, k->next_len), 0);
    k->busy = true;
}

static void chunker_tx_done(struct hil_uart_client *c, int err, size_t len)
{
    struct chunker *k = container_of(c, struct chunker, c);
    ck_assert_int_eq(err, 0);
    k->done_calls++;
    k->done_bytes += len;
    k->sent += len;
    k->busy = false;
    if (k->sent < k->len && k->chunk)
        chunker_send(k);
}

static void chunker_rx_done(struct hil_uart_client *c, int err, size_t len) { (void)c; (void)err; (void)len; }

static void chunker_init(struct chunker *k, struct vuart_dev *d, size_t chunk)
{
    memset(k, 0, sizeof *k);
    k->c.tx_done = chunker_tx_done;
    k->c.rx_done = chunker_rx_done;
    k->u = &d->uart;
    k->chunk = chunk;
    d->uart.client = &k->c;
}

static void chunker_write(struct chunker *k, const char *text)
{
    ck_assert(!k->busy);
    k->text = text;
    k->len = strlen(text);
    k->sent = 0;
    chunker_send(k);
}

/* ---------------------------------------------------------------- setup -- */

static struct fake_uart hw;
static struct vuart_mux mux;
static struct vuart_dev dev[3];
static struct chunker cl[3];

static void setup(void)
{
    memset(&hw, 0, sizeof hw);
    hw.uart.ops = &fu_ops;
    vuart_mux_init(&mux, &hw.uart);
    for (unsigned i = 0; i < 3; i++) {
        vuart_dev_init(&dev[i], &mux);
        chunker_init(&cl[i], &dev[i], 64);
    }
}

/* ---------------------------------------------------------------- tests -- */

/* Request order, not round robin: c (registered last) asked before b. */
START_TEST(test_fifo_order)
{
    setup();
    chunker_write(&cl[0], "a\n");
    chunker_write(&cl[2], "c\n");
    chunker_write(&cl[1], "b\n");
    fu_drain(&hw);
    ck_assert_str_eq(hw.out, "a\nc\nb\n");
}
END_TEST

/* Client 0 writes `first` in chunks of `chunk` bytes (0: one transfer),
 * client 1 then asks for `second`. */
static const struct {
    size_t chunk;
    const char *first, *second, *out;
} line_cases[] = {
    /* a chunk that ends mid-line keeps the UART for its device's next one */
    { 4, "one line in chunks\n", "other\n", "one line in chunks\nother\n" },
    /* lines of one write may be separated by what was asked for earlier */
    { 3, "ab\ncd\n", "x\n", "ab\nx\ncd\n" },
    /* a device that ends mid-line and sends nothing more releases the UART */
    { 0, "> ", "x\n", "> x\n" },
};

START_TEST(test_lines)
{
    setup();
    chunker_init(&cl[0], &dev[0], line_cases[_i].chunk);
    chunker_write(&cl[0], line_cases[_i].first);
    chunker_write(&cl[1], line_cases[_i].second);
    fu_drain(&hw);
    ck_assert_str_eq(hw.out, line_cases[_i].out);
}
END_TEST

/* Contiguous transmissions of one device that have not started merge: one
 * tx_done for both, with the total length. */
START_TEST(test_merge_contiguous)
{
    static const char text[] = "k1\nk2\n";
    setup();
    chunker_init(&cl[1], &dev[1], 0);
    chunker_write(&cl[0], "busy\n");
    ck_assert_int_eq(dev[1].uart.ops->transmit(&dev[1].uart, (const uint8_t *)text, 3), 0);
    ck_assert_int_eq(dev[1].uart.ops->transmit(&dev[1].uart, (const uint8_t *)text + 3, 3), 0);
    ck_assert_uint_eq(mux.count, 2);
    fu_drain(&hw);
    ck_assert_str_eq(hw.out, "busy\nk1\nk2\n");
    ck_assert_uint_eq(cl[1].done_calls, 1);
    ck_assert_uint_eq(cl[1].done_bytes, 6);
}
END_TEST

START_TEST(test_queue_full)
{
    static const char text[VUART_QUEUE_LEN * 2] = { 0 };
    setup();
    for (unsigned i = 0; i < VUART_QUEUE_LEN; i++)       /* not contiguous: no merge */
        ck_assert_int_eq(dev[i % 2].uart.ops->transmit(&dev[i % 2].uart, (const uint8_t *)text + 2 * i, 1), 0);
    ck_assert_int_eq(dev[2].uart.ops->transmit(&dev[2].uart, (const uint8_t *)text, 1), K_EBUSY);
    ck_assert_int_eq(dev[0].uart.ops->transmit(&dev[0].uart, NULL, 0), K_ESIZE);
}
END_TEST

/* put_sync: the transfer in progress, then the caller's queued ones, then
 * the text; another device's queued transmission is left. */
START_TEST(test_put_sync_flushes_own_queue)
{
    static const char mine[] = "m1\nm2\n";
    setup();
    chunker_write(&cl[0], "first\n");
    ck_assert_int_eq(dev[1].uart.ops->transmit(&dev[1].uart, (const uint8_t *)mine, 3), 0);
    chunker_write(&cl[2], "other\n");
    ck_assert_int_eq(dev[1].uart.ops->transmit(&dev[1].uart, (const uint8_t *)mine + 3, 3), 0);
    dev[1].uart.ops->put_sync(&dev[1].uart, "panic\n", 6);
    ck_assert_str_eq(hw.out, "first\nm1\nm2\npanic\n");
    ck_assert_uint_eq(mux.count, 1);
}
END_TEST

/* The debug ring hands over whole lines only: a line printed in pieces
 * goes out in one piece, after what was asked for before it ended. */
START_TEST(test_debug_whole_lines)
{
    setup();
    k_debug_init(&dev[1].uart);
    struct k_writer *w = k_debug_writer();
    k_wputs(w, "kernel ");
    k_wputs(w, "line");
    chunker_write(&cl[0], "app\n");
    k_wputs(w, "\r\n");
    fu_drain(&hw);
    ck_assert_str_eq(hw.out, "app\nkernel line\r\n");
    ck_assert_uint_eq(hw.transfers, 2);
}
END_TEST

/* The same prints, the UART finishing a transfer every `period` steps (1 =
 * fast, 50 = slower than everything): always the same transcript, in the
 * order the lines were made. (Before the FIFO mux, a slow UART put a
 * kernel line in the middle of the app's and the kernel's start-up lines
 * after the app's first one.) */
static const unsigned periods[] = { 1, 2, 3, 5, 50 };

START_TEST(test_transcript_independent_of_uart_speed)
{
    setup();
    k_debug_init(&dev[1].uart);
    chunker_init(&cl[0], &dev[0], 16);        /* the console: 16-byte chunks */
    struct k_writer *w = k_debug_writer();
    unsigned period = periods[_i], step = 0;
#define STEP() do { if (++step % period == 0) fu_complete(&hw); } while (0)
    k_wprintf(w, "\r\nbanner %s\r\n", "v1");
    STEP();
    k_wprintf(w, "Processes: %u\r\n", 2u);
    STEP();
    k_wprintf(w, "Entering main loop\r\n");
    STEP();
    chunker_write(&cl[0], "app: a line that takes several chunks to send\n");
    STEP();
    k_wputs(w, "LowLevelDebug: ");
    STEP();
    k_wputs(w, "App 0x0 prints 0x1\n");
    STEP();
    k_wputs(w, "LowLevelDebug: App 0x0 prints 0x2\n");
    STEP();
#undef STEP
    fu_drain(&hw);
    ck_assert_str_eq(hw.out, "\r\nbanner v1\r\nProcesses: 2\r\nEntering main loop\r\n"
                             "app: a line that takes several chunks to send\n"
                             "LowLevelDebug: App 0x0 prints 0x1\n"
                             "LowLevelDebug: App 0x0 prints 0x2\n");
}
END_TEST

static Suite *vuart_suite(void)
{
    Suite *s = suite_create("vuart");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fifo_order);
    tcase_add_loop_test(tc, test_lines, 0, (int)ARRAY_LEN(line_cases));
    tcase_add_test(tc, test_merge_contiguous);
    tcase_add_test(tc, test_queue_full);
    tcase_add_test(tc, test_put_sync_flushes_own_queue);
    tcase_add_test(tc, test_debug_whole_lines);
    tcase_add_loop_test(tc, test_transcript_independent_of_uart_speed, 0, (int)ARRAY_LEN(periods));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(vuart_suite());
}
