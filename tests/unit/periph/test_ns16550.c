/* NS16550A: reset values, DLAB, TX timing by divisor and frame format,
 * FIFOs, THRE / RX data / character-timeout interrupts, loopback. */
#include <string.h>

#include "fixture.h"
#include "periph/ns16550.h"
#include "sim/sclock.h"

#define CPU_HZ 10000000u
#define BAUDBASE 399193u

static struct fx f;

static void setup(void)
{
    fx_create(&f, &ns16550_model, "uart0", 0x10000000, CPU_HZ, NULL);
}

static void teardown(void)
{
    fx_destroy(&f);
}

/* byte register access by offset, as the bus decodes it */
static uint8_t rd(unsigned off)
{
    return (uint8_t)fx_read_sz(&f, off < 4 ? "RBR_IER_IIR_LCR" : "MCR_LSR_MSR_SCR", 0, off & 3, 1);
}

static void wr(unsigned off, uint8_t v)
{
    fx_write_sz(&f, off < 4 ? "RBR_IER_IIR_LCR" : "MCR_LSR_MSR_SCR", 0, off & 3, 1, v);
}

static void set_divisor(uint16_t d)
{
    uint8_t lcr = rd(NS16550_LCR);
    wr(NS16550_LCR, lcr | NS16550_LCR_DLAB);
    wr(NS16550_DLL, d & 0xFF);
    wr(NS16550_DLM, d >> 8);
    wr(NS16550_LCR, lcr);
}

static cycles_t frame(unsigned bits, unsigned div)
{
    return sclock_cycle_of_tick((uint64_t)bits * div, CPU_HZ, BAUDBASE);
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(rd(NS16550_LSR), 0x60);
    ck_assert_uint_eq(rd(NS16550_IIR), 0x01);
    ck_assert_uint_eq(rd(NS16550_MSR), 0xB0);
    ck_assert_uint_eq(rd(NS16550_MCR), 0x08);
    ck_assert_uint_eq(rd(NS16550_IER), 0);
    ck_assert_uint_eq(rd(NS16550_LCR), 0);
    wr(NS16550_LCR, NS16550_LCR_DLAB);
    ck_assert_uint_eq(rd(NS16550_DLL), 0x0C);
    ck_assert_uint_eq(rd(NS16550_DLM), 0);
    wr(NS16550_LCR, 0);
    wr(NS16550_SCR, 0x5A);
    ck_assert_uint_eq(rd(NS16550_SCR), 0x5A);
    ck_assert(!f.irq.level[0]);
}
END_TEST

/* The byte leaves one frame after it enters the idle shift register. */
START_TEST(test_tx_timing_no_fifo)
{
    cycles_t fr;

    wr(NS16550_LCR, 0x03);                  /* 8N1: 10 bits */
    set_divisor(3);
    fr = frame(10, 3);
    fx_advance_to(&f, 1000);
    wr(NS16550_THR, 'A');
    ck_assert_uint_eq(rd(NS16550_LSR) & (NS16550_LSR_THRE | NS16550_LSR_TEMT), NS16550_LSR_THRE);
    wr(NS16550_THR, 'B');                   /* holding register */
    ck_assert_uint_eq(rd(NS16550_LSR) & NS16550_LSR_THRE, 0);
    wr(NS16550_THR, 'C');                   /* no room: lost */
    fx_advance_to(&f, 1000 + fr - 1);
    ck_assert_uint_eq(f.nout, 0);
    fx_advance_to(&f, 1000 + fr);
    ck_assert_uint_eq(f.nout, 1);
    ck_assert_uint_eq(f.out[0], 'A');
    ck_assert_uint_ne(rd(NS16550_LSR) & NS16550_LSR_THRE, 0);
    ck_assert_uint_eq(rd(NS16550_LSR) & NS16550_LSR_TEMT, 0);
    fx_advance_to(&f, 1000 + 2 * fr);
    ck_assert_uint_eq(f.nout, 2);
    ck_assert_uint_eq(f.out[1], 'B');
    ck_assert_uint_eq(rd(NS16550_LSR) & 0x60, 0x60);
    fx_advance(&f, 10 * fr);
    ck_assert_uint_eq(f.nout, 2);
    /* 7 data bits, parity, 2 stop bits: 1 + 7 + 1 + 2 = 11 bits */
    wr(NS16550_LCR, 0x02 | 0x04 | 0x08);
    set_divisor(1);
    {
        cycles_t t = f.q.now;
        wr(NS16550_THR, 'x');
        fx_advance_to(&f, t + frame(11, 1) - 1);
        ck_assert_uint_eq(f.nout, 2);
        fx_advance_to(&f, t + frame(11, 1));
        ck_assert_uint_eq(f.nout, 3);
    }
}
END_TEST

START_TEST(test_tx_fifo)
{
    cycles_t fr, t0;

    wr(NS16550_LCR, 0x03);
    set_divisor(1);
    fr = frame(10, 1);
    wr(NS16550_FCR, NS16550_FCR_FE);
    ck_assert_uint_eq(rd(NS16550_IIR), 0xC1);
    t0 = f.q.now;
    for (unsigned i = 0; i < 18; i++)
        wr(NS16550_THR, (uint8_t)('a' + i));    /* 1 in the shifter, 16 queued, 1 lost */
    for (unsigned k = 1; k <= 17; k++) {
        fx_advance_to(&f, t0 + k * fr - 1);
        ck_assert_uint_eq(f.nout, k - 1);
        fx_advance_to(&f, t0 + k * fr);
        ck_assert_uint_eq(f.nout, k);
    }
    ck_assert(memcmp(f.out, "abcdefghijklmnopq", 17) == 0);
    fx_advance(&f, 5 * fr);
    ck_assert_uint_eq(f.nout, 17);
    /* TX FIFO reset drops queued bytes */
    wr(NS16550_THR, '1');
    wr(NS16550_THR, '2');
    wr(NS16550_THR, '3');
    wr(NS16550_FCR, NS16550_FCR_FE | NS16550_FCR_TXRST);
    fx_advance(&f, 5 * fr);
    ck_assert_uint_eq(f.nout, 18);
    ck_assert_uint_eq(f.out[17], '1');
}
END_TEST

/* THRE interrupt: on ETBEI with THR empty, cleared by reading IIR or
 * writing THR, raised again when THR empties. */
START_TEST(test_thre_interrupt)
{
    cycles_t fr;

    wr(NS16550_LCR, 0x03);
    set_divisor(2);
    fr = frame(10, 2);
    wr(NS16550_IER, NS16550_IER_ETBEI);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_IIR), NS16550_IIR_THRE);
    ck_assert(!f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_IIR), NS16550_IIR_NONE);
    wr(NS16550_THR, 'A');                   /* straight into the shifter: THR empty again */
    ck_assert(f.irq.level[0]);
    wr(NS16550_THR, 'B');                   /* fills THR: cleared */
    ck_assert(!f.irq.level[0]);
    fx_advance(&f, fr);                     /* A done, B moves on: THRE */
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(f.irq.last_rise[0], f.q.now);
    wr(NS16550_IER, 0);
    ck_assert(!f.irq.level[0]);
}
END_TEST

START_TEST(test_rx_no_fifo)
{
    static const uint8_t hi[] = "hi";

    wr(NS16550_IER, NS16550_IER_ERBFI);
    ck_assert_uint_eq(ns16550_model.ops->rx(f.p, hi, 2), 1);    /* one holding register */
    ck_assert_uint_ne(rd(NS16550_LSR) & NS16550_LSR_DR, 0);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_IIR), NS16550_IIR_RDA);
    ck_assert_uint_eq(rd(NS16550_RBR), 'h');
    ck_assert(!f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_LSR) & NS16550_LSR_DR, 0);
    ck_assert_uint_eq(ns16550_model.ops->rx(f.p, hi + 1, 1), 1);
    ck_assert_uint_eq(rd(NS16550_RBR), 'i');
    fx_advance(&f, 1000000);                /* no timeout without FIFOs */
    ck_assert(!f.irq.level[0]);
}
END_TEST

/* FIFO with trigger level 4: RDA at 4 bytes; below it, the character
 * timeout after 4 frame times without activity. */
START_TEST(test_rx_fifo_trigger_and_timeout)
{
    cycles_t fr;

    wr(NS16550_LCR, 0x03);
    set_divisor(3);
    fr = frame(10, 3);
    wr(NS16550_FCR, NS16550_FCR_FE | (1 << 6));     /* trigger 4 */
    wr(NS16550_IER, NS16550_IER_ERBFI);
    ck_assert_uint_eq(ns16550_model.ops->rx(f.p, (const uint8_t *)"abc", 3), 3);
    ck_assert(!f.irq.level[0]);
    fx_advance(&f, 4 * fr - 1);
    ck_assert(!f.irq.level[0]);
    fx_advance(&f, 1);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_IIR), 0xC0 | NS16550_IIR_CTI);
    ck_assert_uint_eq(rd(NS16550_RBR), 'a');        /* clears the timeout, re-arms it */
    ck_assert(!f.irq.level[0]);
    fx_advance(&f, 4 * fr);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_RBR), 'b');
    ck_assert_uint_eq(ns16550_model.ops->rx(f.p, (const uint8_t *)"defghijklmnopqrstu", 18), 15);
    ck_assert(f.irq.level[0]);
    ck_assert_uint_eq(rd(NS16550_IIR), 0xC0 | NS16550_IIR_RDA);
    for (const char *s = "cdefghijklmnopqr"; *s; s++)
        ck_assert_uint_eq(rd(NS16550_RBR), (uint8_t)*s);
    ck_assert_uint_eq(rd(NS16550_LSR) & NS16550_LSR_DR, 0);
    ck_assert(!f.irq.level[0]);
    fx_advance(&f, 100 * fr);
    ck_assert(!f.irq.level[0]);
    /* RX FIFO reset */
    ns16550_model.ops->rx(f.p, (const uint8_t *)"zz", 2);
    wr(NS16550_FCR, NS16550_FCR_FE | NS16550_FCR_RXRST);
    ck_assert_uint_eq(rd(NS16550_LSR) & NS16550_LSR_DR, 0);
}
END_TEST

START_TEST(test_loopback)
{
    wr(NS16550_LCR, 0x03);
    set_divisor(1);
    wr(NS16550_MCR, NS16550_MCR_LOOP | 0x03);
    ck_assert_uint_eq(rd(NS16550_MSR), 0x30);
    wr(NS16550_THR, 'Q');
    fx_advance(&f, frame(10, 1));
    ck_assert_uint_eq(f.nout, 0);
    ck_assert_uint_eq(rd(NS16550_RBR), 'Q');
}
END_TEST

static Suite *ns16550_suite(void)
{
    Suite *s = suite_create("ns16550");
    TCase *tc = tcase_create("ns16550");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_tx_timing_no_fifo);
    tcase_add_test(tc, test_tx_fifo);
    tcase_add_test(tc, test_thre_interrupt);
    tcase_add_test(tc, test_rx_no_fifo);
    tcase_add_test(tc, test_rx_fifo_trigger_and_timeout);
    tcase_add_test(tc, test_loopback);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(ns16550_suite());
}
