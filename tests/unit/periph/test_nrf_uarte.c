/* nRF52 UARTE: EasyDMA TX timed by BAUDRATE, STOPTX, RX into RAM with
 * ENDRX/RXTO and shortcuts, interrupts, the legacy TXD path. */
#include <string.h>

#include "fixture.h"
#include "periph/nrf_uarte.h"

#define CPU_HZ 64000000u
#define BAUD_1M 0x10000000u     /* exactly 1 Mbaud: 64 cycles a bit */
#define BAUD_115200 0x01D60000u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &nrf_uarte_model, "uarte0", 0x40002000, CPU_HZ, NULL);
    memset(fx_ram, 0, sizeof fx_ram);
}

static void teardown(void)
{
    fx_destroy(&f);
}

static uint32_t ev(unsigned n)
{
    return fx_read(&f, "EVENTS", n);
}

static void task(const char *t)
{
    fx_write(&f, t, 0, 1);
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(fx_read(&f, "BAUDRATE", 0), 0x04000000);
    ck_assert_uint_eq(fx_read(&f, "PSEL_TXD", 0), 0xFFFFFFFF);
    ck_assert_uint_eq(fx_read(&f, "ENABLE", 0), 0);
    /* tasks do nothing while disabled */
    task("TASKS_STARTTX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXSTARTED), 0);
}
END_TEST

/* 5 bytes at 1 Mbaud, 8N1: 640 cycles each; ENDTX after the last. */
START_TEST(test_tx_dma_timing)
{
    const cycles_t fr = 640;
    cycles_t t0 = 1000;

    memcpy(fx_ram + 0x100, "Hello", 5);
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UARTE);
    fx_write(&f, "BAUDRATE", 0, BAUD_1M);
    fx_write(&f, "TXD_PTR", 0, FX_RAM_BASE + 0x100);
    fx_write(&f, "TXD_MAXCNT", 0, 5);
    fx_write(&f, "INTENSET", 0, 1u << NRF_UARTE_EV_ENDTX);
    ck_assert_uint_eq(fx_read(&f, "INTEN", 0), 1u << NRF_UARTE_EV_ENDTX);
    fx_advance_to(&f, t0);
    task("TASKS_STARTTX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXSTARTED), 1);
    /* double buffering: the next pointer may be written now */
    fx_write(&f, "TXD_PTR", 0, FX_RAM_BASE + 0x200);
    for (unsigned k = 1; k <= 5; k++) {
        fx_advance_to(&f, t0 + k * fr - 1);
        ck_assert_uint_eq(f.nout, k - 1);
        ck_assert_uint_eq(fx_read(&f, "TXD_AMOUNT", 0), k - 1);
        fx_advance_to(&f, t0 + k * fr);
        ck_assert_uint_eq(f.nout, k);
        ck_assert_uint_eq(ev(NRF_UARTE_EV_TXDRDY), 1);
        fx_write(&f, "EVENTS", NRF_UARTE_EV_TXDRDY, 0);
    }
    ck_assert(memcmp(f.out, "Hello", 5) == 0);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_ENDTX), 1);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], t0 + 5 * fr);
    ck_assert_uint_eq(fx_read(&f, "TXD_AMOUNT", 0), 5);
    fx_write(&f, "EVENTS", NRF_UARTE_EV_ENDTX, 0);
    ck_assert(!f.irq.level[0]);
}
END_TEST

/* Frame length follows BAUDRATE * 16 MHz / 2^32 and CONFIG. */
START_TEST(test_tx_baud_and_config)
{
    cycles_t t0;

    fx_ram[0] = 'x';
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UARTE);
    fx_write(&f, "BAUDRATE", 0, BAUD_115200);
    fx_write(&f, "CONFIG", 0, 0x0E | 0x10);     /* parity + 2 stop bits: 12 bits */
    fx_write(&f, "TXD_PTR", 0, FX_RAM_BASE);
    fx_write(&f, "TXD_MAXCNT", 0, 1);
    t0 = f.q.now;
    task("TASKS_STARTTX");
    {
        /* 12 bits * 64e6 * 2^32 / (0x01D60000 * 16e6), rounded up */
        unsigned __int128 num = (unsigned __int128)12 * CPU_HZ << 32;
        uint64_t den = (uint64_t)BAUD_115200 * 16000000u;
        cycles_t want = (cycles_t)((num + den - 1) / den);
        fx_advance_to(&f, t0 + want - 1);
        ck_assert_uint_eq(f.nout, 0);
        fx_advance_to(&f, t0 + want);
        ck_assert_uint_eq(f.nout, 1);
    }
}
END_TEST

START_TEST(test_stoptx)
{
    memcpy(fx_ram, "abcdef", 6);
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UARTE);
    fx_write(&f, "BAUDRATE", 0, BAUD_1M);
    fx_write(&f, "TXD_PTR", 0, FX_RAM_BASE);
    fx_write(&f, "TXD_MAXCNT", 0, 6);
    task("TASKS_STARTTX");
    fx_advance(&f, 640 + 100);              /* 'a' sent, 'b' on the line */
    task("TASKS_STOPTX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXSTOPPED), 0);
    fx_advance(&f, 540);
    ck_assert_uint_eq(f.nout, 2);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_ENDTX), 1);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXSTOPPED), 1);
    ck_assert_uint_eq(fx_read(&f, "TXD_AMOUNT", 0), 2);
    fx_advance(&f, 10000);
    ck_assert_uint_eq(f.nout, 2);
}
END_TEST

START_TEST(test_tx_from_flash)
{
    uint64_t recs = fx_trace_records(&f);
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UARTE);
    fx_write(&f, "TXD_PTR", 0, 0x00001000);
    fx_write(&f, "TXD_MAXCNT", 0, 4);
    task("TASKS_STARTTX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_ENDTX), 1);
    ck_assert_uint_eq(fx_read(&f, "TXD_AMOUNT", 0), 0);
    ck_assert_uint_gt(fx_trace_records(&f), recs);
    fx_advance(&f, 100000);
    ck_assert_uint_eq(f.nout, 0);
}
END_TEST

START_TEST(test_rx)
{
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UARTE);
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"z", 1), 0);  /* not started */
    fx_write(&f, "RXD_PTR", 0, FX_RAM_BASE + 0x40);
    fx_write(&f, "RXD_MAXCNT", 0, 3);
    fx_write(&f, "INTENSET", 0, (1u << NRF_UARTE_EV_ENDRX) | (1u << NRF_UARTE_EV_RXTO));
    task("TASKS_STARTRX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_RXSTARTED), 1);
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"ab", 2), 2);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_RXDRDY), 1);
    ck_assert_uint_eq(fx_read(&f, "RXD_AMOUNT", 0), 2);
    ck_assert(!f.irq.level[0]);
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"cde", 3), 1);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_ENDRX), 1);
    ck_assert(f.irq.level[0]);
    ck_assert(memcmp(fx_ram + 0x40, "abc", 3) == 0);
    fx_write(&f, "EVENTS", NRF_UARTE_EV_ENDRX, 0);
    ck_assert(!f.irq.level[0]);
    /* shortcut ENDRX -> STARTRX keeps receiving into the (new) buffer */
    fx_write(&f, "SHORTS", 0, NRF_UARTE_SHORT_ENDRX_STARTRX);
    fx_write(&f, "RXD_PTR", 0, FX_RAM_BASE + 0x80);
    fx_write(&f, "RXD_MAXCNT", 0, 2);
    task("TASKS_STARTRX");
    fx_write(&f, "RXD_PTR", 0, FX_RAM_BASE + 0x90);
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"deXY", 4), 4);
    ck_assert(memcmp(fx_ram + 0x80, "de", 2) == 0);
    ck_assert(memcmp(fx_ram + 0x90, "XY", 2) == 0);
    fx_write(&f, "SHORTS", 0, 0);
    /* STOPRX mid-buffer: ENDRX then RXTO, AMOUNT = what arrived */
    fx_write(&f, "RXD_MAXCNT", 0, 10);
    fx_write(&f, "EVENTS", NRF_UARTE_EV_ENDRX, 0);
    task("TASKS_STARTRX");
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"q", 1), 1);
    task("TASKS_STOPRX");
    ck_assert_uint_eq(ev(NRF_UARTE_EV_ENDRX), 1);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_RXTO), 1);
    ck_assert_uint_eq(fx_read(&f, "RXD_AMOUNT", 0), 1);
    ck_assert_uint_eq(nrf_uarte_model.ops->rx(f.p, (const uint8_t *)"r", 1), 0);
}
END_TEST

START_TEST(test_legacy_txd)
{
    fx_write(&f, "ENABLE", 0, NRF_UARTE_ENABLE_UART);
    fx_write(&f, "BAUDRATE", 0, BAUD_1M);
    task("TASKS_STARTTX");
    fx_write(&f, "TXD", 0, '!');
    fx_advance(&f, 639);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXDRDY), 0);
    fx_advance(&f, 1);
    ck_assert_uint_eq(ev(NRF_UARTE_EV_TXDRDY), 1);
    ck_assert_uint_eq(f.nout, 1);
    ck_assert_uint_eq(f.out[0], '!');
}
END_TEST

static Suite *nrf_uarte_suite(void)
{
    Suite *s = suite_create("nrf_uarte");
    TCase *tc = tcase_create("nrf_uarte");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_tx_dma_timing);
    tcase_add_test(tc, test_tx_baud_and_config);
    tcase_add_test(tc, test_stoptx);
    tcase_add_test(tc, test_tx_from_flash);
    tcase_add_test(tc, test_rx);
    tcase_add_test(tc, test_legacy_txd);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(nrf_uarte_suite());
}
