/* NS16550A UART with 16-byte FIFOs, byte registers at consecutive offsets
 * (reg-shift 0), as QEMU's `virt` maps it at 0x10000000.
 *
 * Models: RBR/THR/DLL (0), IER/DLM (1), IIR/FCR (2), LCR (3), MCR (4), LSR
 * (5), MSR (6), SCR (7); DLAB banking; FIFO mode (FCR.FE) with RX trigger
 * levels 1/4/8/14 and FIFO resets, or the single-byte holding registers.
 * Transmission is timed: a byte moves from THR/FIFO into the shift register
 * at once when it is idle (THRE rises then), and leaves on p->chr after one
 * frame time = (1 + data + parity + stop) bits at baudbase / divisor
 * (divisor 0 is taken as 1); TEMT when both are empty. Interrupts on irq[0]
 * (a level), by IIR priority: received data (trigger level reached, or data
 * ready without FIFO) = 0x4, character timeout (FIFO holds data below the
 * trigger and nothing was received or read for 4 frame times) = 0xC, THR
 * empty = 0x2 (set when THR/FIFO empties, or when ETBEI is set while it is
 * empty; cleared by reading IIR while it is the reported source, or by
 * writing THR). IIR[7:6] = 11 with FIFOs on. Loopback (MCR[4]) routes TX to
 * RX and MSR reflects MCR (DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD);
 * otherwise MSR reads DCD|DSR|CTS (0xB0) as on QEMU. MCR.OUT2 does not gate
 * the interrupt (as on QEMU).
 *
 * RX: ops->rx accepts as many bytes as fit in the FIFO (1 without FIFO);
 * the machine keeps the rest, so overruns, parity/framing errors and break
 * never happen and the line-status interrupt never fires. Not modelled:
 * modem-status delta bits and their interrupt, DMA mode signals, the
 * scratch-free 8250 variants, 64-byte FIFOs (16750).
 *
 * Registers are bytes; each 32-bit word of the window is one entry of the
 * register table (the bus decodes per word), so the model selects the
 * register by r->byte (periph/lanes.h). min_access = max_access = 1. */
#ifndef PERIPH_NS16550_H
#define PERIPH_NS16550_H

#include "periph.h"

struct ns16550_cfg {
    uint32_t baudbase_hz;       /* input clock / 16; 0 = 399193 (QEMU virt) */
};

enum { NS16550_W0, NS16550_W1, NS16550_NREGS };

/* byte offsets */
enum {
    NS16550_RBR = 0, NS16550_THR = 0, NS16550_DLL = 0, NS16550_IER = 1, NS16550_DLM = 1,
    NS16550_IIR = 2, NS16550_FCR = 2, NS16550_LCR = 3, NS16550_MCR = 4, NS16550_LSR = 5,
    NS16550_MSR = 6, NS16550_SCR = 7,
};

#define NS16550_IER_ERBFI   0x01
#define NS16550_IER_ETBEI   0x02
#define NS16550_IER_ELSI    0x04
#define NS16550_IER_EDSSI   0x08
#define NS16550_IIR_NONE    0x01
#define NS16550_IIR_RLS     0x06
#define NS16550_IIR_RDA     0x04
#define NS16550_IIR_CTI     0x0C
#define NS16550_IIR_THRE    0x02
#define NS16550_IIR_FIFO    0xC0
#define NS16550_FCR_FE      0x01
#define NS16550_FCR_RXRST   0x02
#define NS16550_FCR_TXRST   0x04
#define NS16550_LCR_DLAB    0x80
#define NS16550_MCR_LOOP    0x10
#define NS16550_LSR_DR      0x01
#define NS16550_LSR_THRE    0x20
#define NS16550_LSR_TEMT    0x40

#define NS16550_FIFO 16

struct ns16550_fifo {
    uint8_t buf[NS16550_FIFO];
    unsigned head, count;
};

struct ns16550 {
    struct periph dev;
    struct ns16550_cfg cfg;
    struct {
        uint8_t ier, lcr, mcr, scr, fcr;
        bool listening;         /* the driver has set the receiver up (FCR or IER.ERBFI) */
        uint16_t div;
        struct ns16550_fifo rx, tx;     /* without FIFO mode: depth 1 */
        bool tsr_busy;
        uint8_t tsr;
        bool thr_ipending;
        bool timeout_ipending;
    } st;
    struct evq_event tx_ev, timeout_ev;
    char tx_name[32], to_name[32];
};

extern const struct periph_model ns16550_model;

#endif
