/* ARM CMSDK APB UART (Cortex-M System Design Kit TRM, DDI0479), with the
 * register behaviour of QEMU 7.2's cmsdk-apb-uart.
 *
 * Models: DATA (0x00), STATE (0x04: TXFULL, RXFULL, TXOVERRUN, RXOVERRUN;
 * the overrun bits are write-1-to-clear), CTRL (0x08: TX_EN, RX_EN,
 * TX_INTEN, RX_INTEN, TXO_INTEN, RXO_INTEN, HSTEST), INTSTATUS (0x0C: TX,
 * RX, TXO, RXO; write 1 to clear; TXO/RXO are STATE's overrun bits ANDed
 * with their enables, and clearing them clears STATE's bits), BAUDDIV
 * (0x10, 20 bits), PID4-7/PID0-3/CID0-3 (0xFD0-0xFFC).
 * Transmission is timed: a byte written to DATA sits in the TX buffer
 * (TXFULL) until the shift register is free, then moves there at once;
 * TXFULL going 1 -> 0 sets INTSTATUS.TX (with TX_INTEN); the byte appears on
 * p->chr 10 bit times later (8N1, one bit = BAUDDIV PCLK cycles; BAUDDIV
 * below 16, the minimum, is taken as 16). Writing DATA while TXFULL sets
 * TXOVERRUN and replaces the buffered byte (as QEMU). The transmitter only
 * runs while TX_EN is set (QEMU would leave such a byte stuck).
 * RX: ops->rx accepts one byte when RX_EN and not RXFULL (as QEMU's
 * can_receive), sets RXFULL and INTSTATUS.RX (with RX_INTEN); reading DATA
 * clears RXFULL. So RXOVERRUN never happens from the console.
 * Outputs: irq[0] = TXINT, irq[1] = RXINT, irq[2] = TXOVRINT | RXOVRINT
 * (mps2 ORs them into one NVIC line), irq[3] = UARTINT (all combined).
 * INTSTATUS bits are levels until cleared by writing INTSTATUS.
 *
 * Not modelled: HSTEST (high-speed test mode), the RX line timing (bytes
 * arrive whenever the host offers them and RXFULL is clear). */
#ifndef PERIPH_CMSDK_UART_H
#define PERIPH_CMSDK_UART_H

#include "periph.h"

struct cmsdk_uart_cfg {
    uint64_t pclk_hz;           /* 0 = the CPU clock */
};

enum {
    CMSDK_UART_DATA, CMSDK_UART_STATE, CMSDK_UART_CTRL, CMSDK_UART_INTSTATUS,
    CMSDK_UART_BAUDDIV, CMSDK_UART_PID4_7, CMSDK_UART_PID0_3, CMSDK_UART_CID0_3,
    CMSDK_UART_NREGS
};

#define CMSDK_UART_STATE_TXFULL   (1u << 0)
#define CMSDK_UART_STATE_RXFULL   (1u << 1)
#define CMSDK_UART_STATE_TXOVR    (1u << 2)
#define CMSDK_UART_STATE_RXOVR    (1u << 3)
#define CMSDK_UART_CTRL_TX_EN     (1u << 0)
#define CMSDK_UART_CTRL_RX_EN     (1u << 1)
#define CMSDK_UART_CTRL_TX_INTEN  (1u << 2)
#define CMSDK_UART_CTRL_RX_INTEN  (1u << 3)
#define CMSDK_UART_CTRL_TXO_INTEN (1u << 4)
#define CMSDK_UART_CTRL_RXO_INTEN (1u << 5)
#define CMSDK_UART_INT_TX         (1u << 0)
#define CMSDK_UART_INT_RX         (1u << 1)
#define CMSDK_UART_INT_TXO        (1u << 2)
#define CMSDK_UART_INT_RXO        (1u << 3)

enum { CMSDK_UART_IRQ_TX, CMSDK_UART_IRQ_RX, CMSDK_UART_IRQ_OVR, CMSDK_UART_IRQ_ALL };

struct cmsdk_uart {
    struct periph dev;
    struct cmsdk_uart_cfg cfg;
    struct {
        uint32_t state, ctrl, intstatus, bauddiv;
        uint8_t txbuf, rxbuf, tsr;
        bool tsr_busy;
    } st;
    bool warned_baud;
    struct evq_event tx_ev;
    char tx_name[32];
};

extern const struct periph_model cmsdk_uart_model;

#endif
