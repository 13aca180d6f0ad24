/* CMSDK APB UART: TX timing by BAUDDIV, TXFULL/overrun, interrupts, RX. */
#include <string.h>

#include "fixture.h"
#include "periph/cmsdk_uart.h"

#define CPU_HZ 25000000u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &cmsdk_uart_model, "uart0", 0x40004000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

START_TEST(test_ids_and_reset)
{
    static const uint8_t id[12] = { 0x04, 0, 0, 0, 0x21, 0xB8, 0x1B, 0, 0x0D, 0xF0, 0x05, 0xB1 };
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(fx_read(&f, "PID4_7", i), id[i]);
        ck_assert_uint_eq(fx_read(&f, "PID0_3", i), id[4 + i]);
        ck_assert_uint_eq(fx_read(&f, "CID0_3", i), id[8 + i]);
    }
    ck_assert_uint_eq(fx_read(&f, "STATE", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "CTRL", 0), 0);
    ck_assert_uint_eq(fx_read(&f, "BAUDDIV", 0), 0);
    fx_write(&f, "BAUDDIV", 0, 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "BAUDDIV", 0), 0xFFFFF);
}
END_TEST

/* 10 bits of BAUDDIV cycles per byte; TXFULL while a byte waits behind the
 * shifter; TX interrupt when the buffer empties. */
START_TEST(test_tx_timing)
{
    const unsigned div = 217;           /* 115200 baud at 25 MHz */
    const cycles_t fr = 10 * div;
    cycles_t t0 = 500;

    fx_write(&f, "BAUDDIV", 0, div);
    fx_write(&f, "CTRL", 0, CMSDK_UART_CTRL_TX_EN | CMSDK_UART_CTRL_TX_INTEN);
    fx_advance_to(&f, t0);
    fx_write(&f, "DATA", 0, 'O');
    ck_assert_uint_eq(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXFULL, 0);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_TX]);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_ALL]);
    fx_write(&f, "INTSTATUS", 0, CMSDK_UART_INT_TX);
    ck_assert(!f.irq.level[CMSDK_UART_IRQ_TX]);
    fx_write(&f, "DATA", 0, 'K');
    ck_assert_uint_ne(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXFULL, 0);
    fx_advance_to(&f, t0 + fr - 1);
    ck_assert_uint_eq(f.nout, 0);
    ck_assert(!f.irq.level[CMSDK_UART_IRQ_TX]);
    fx_advance_to(&f, t0 + fr);
    ck_assert_uint_eq(f.nout, 1);
    ck_assert_uint_eq(f.out[0], 'O');
    ck_assert_uint_eq(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXFULL, 0);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_TX]);
    ck_assert_uint_eq(f.irq.last_rise[CMSDK_UART_IRQ_TX], t0 + fr);
    fx_advance_to(&f, t0 + 2 * fr);
    ck_assert_uint_eq(f.nout, 2);
    ck_assert_uint_eq(f.out[1], 'K');
}
END_TEST

START_TEST(test_tx_overrun)
{
    fx_write(&f, "BAUDDIV", 0, 16);
    fx_write(&f, "CTRL", 0, CMSDK_UART_CTRL_TX_EN | CMSDK_UART_CTRL_TXO_INTEN);
    fx_write(&f, "DATA", 0, 'a');       /* shifter */
    fx_write(&f, "DATA", 0, 'b');       /* buffer */
    fx_write(&f, "DATA", 0, 'c');       /* overrun: replaces b */
    ck_assert_uint_ne(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXOVR, 0);
    ck_assert_uint_eq(fx_read(&f, "INTSTATUS", 0), CMSDK_UART_INT_TXO);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_OVR]);
    fx_write(&f, "INTSTATUS", 0, CMSDK_UART_INT_TXO);    /* also clears STATE.TXOVERRUN */
    ck_assert_uint_eq(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXOVR, 0);
    ck_assert(!f.irq.level[CMSDK_UART_IRQ_OVR]);
    fx_advance(&f, 2 * 160);
    ck_assert_uint_eq(f.nout, 2);
    ck_assert(memcmp(f.out, "ac", 2) == 0);
}
END_TEST

/* A byte written with TX disabled waits until TX_EN. BAUDDIV < 16 counts as 16. */
START_TEST(test_tx_disabled_then_enabled)
{
    uint64_t recs;
    fx_write(&f, "DATA", 0, 'z');
    ck_assert_uint_ne(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_TXFULL, 0);
    fx_advance(&f, 100000);
    ck_assert_uint_eq(f.nout, 0);
    recs = fx_trace_records(&f);
    fx_write(&f, "CTRL", 0, CMSDK_UART_CTRL_TX_EN);
    ck_assert_uint_gt(fx_trace_records(&f), recs);      /* BAUDDIV 0 reported */
    fx_advance(&f, 159);
    ck_assert_uint_eq(f.nout, 0);
    fx_advance(&f, 1);
    ck_assert_uint_eq(f.nout, 1);
}
END_TEST

START_TEST(test_rx)
{
    static const uint8_t in[] = "xy";
    ck_assert_uint_eq(cmsdk_uart_model.ops->rx(f.p, in, 2), 0);     /* RX disabled */
    fx_write(&f, "CTRL", 0, CMSDK_UART_CTRL_RX_EN | CMSDK_UART_CTRL_RX_INTEN);
    ck_assert_uint_eq(cmsdk_uart_model.ops->rx(f.p, in, 2), 1);
    ck_assert_uint_eq(cmsdk_uart_model.ops->rx(f.p, in + 1, 1), 0); /* RXFULL */
    ck_assert_uint_ne(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_RXFULL, 0);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_RX]);
    ck_assert_uint_eq(fx_read_sz(&f, "DATA", 0, 0, 1), 'x');
    ck_assert_uint_eq(fx_read(&f, "STATE", 0) & CMSDK_UART_STATE_RXFULL, 0);
    ck_assert(f.irq.level[CMSDK_UART_IRQ_RX]);          /* until INTSTATUS is cleared */
    fx_write(&f, "INTSTATUS", 0, CMSDK_UART_INT_RX);
    ck_assert(!f.irq.level[CMSDK_UART_IRQ_RX]);
    ck_assert(!f.irq.level[CMSDK_UART_IRQ_ALL]);
    ck_assert_uint_eq(cmsdk_uart_model.ops->rx(f.p, in + 1, 1), 1);
    ck_assert_uint_eq(fx_read(&f, "DATA", 0), 'y');
}
END_TEST

static Suite *cmsdk_uart_suite(void)
{
    Suite *s = suite_create("cmsdk_uart");
    TCase *tc = tcase_create("cmsdk_uart");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ids_and_reset);
    tcase_add_test(tc, test_tx_timing);
    tcase_add_test(tc, test_tx_overrun);
    tcase_add_test(tc, test_tx_disabled_then_enabled);
    tcase_add_test(tc, test_rx);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(cmsdk_uart_suite());
}
