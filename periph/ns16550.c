#include "ns16550.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "lanes.h"
#include "../sim/sclock.h"

static const struct reg_desc ns16550_regs[NS16550_NREGS] = {
    /* bytes: RBR/THR/DLL, IER/DLM, IIR/FCR, LCR */
    [NS16550_W0] = { "RBR_IER_IIR_LCR", 0x0, REG_RW, 0, 0 },
    /* bytes: MCR, LSR, MSR, SCR */
    [NS16550_W1] = { "MCR_LSR_MSR_SCR", 0x4, REG_RW, 0, 0 },
};

static const uint8_t rx_trigger[4] = { 1, 4, 8, 14 };

static struct ns16550 *to_u(struct periph *p)
{
    return container_of(p, struct ns16550, dev);
}

static bool fifo_mode(const struct ns16550 *u)
{
    return (u->st.fcr & NS16550_FCR_FE) != 0;
}

static unsigned depth(const struct ns16550 *u)
{
    return fifo_mode(u) ? NS16550_FIFO : 1;
}

static void fifo_push(struct ns16550_fifo *f, uint8_t b)
{
    f->buf[(f->head + f->count) % NS16550_FIFO] = b;
    f->count++;
}

static uint8_t fifo_pop(struct ns16550_fifo *f)
{
    uint8_t b = f->buf[f->head];
    f->head = (f->head + 1) % NS16550_FIFO;
    f->count--;
    return b;
}

static void fifo_clear(struct ns16550_fifo *f)
{
    f->head = f->count = 0;
}

/* Cycles of one frame: start + data + parity + stop bits at the baud rate. */
static cycles_t frame_cycles(const struct ns16550 *u)
{
    unsigned bits = 1 + 5 + (u->st.lcr & 3) + ((u->st.lcr & 0x08) ? 1 : 0) +
                    ((u->st.lcr & 0x04) ? 2 : 1);
    uint64_t div = u->st.div ? u->st.div : 1;
    cycles_t c = sclock_cycle_of_tick(bits * div, u->dev.cpu_hz, u->cfg.baudbase_hz);
    return c ? c : 1;
}

static uint8_t lsr(const struct ns16550 *u)
{
    uint8_t v = 0;
    if (u->st.rx.count)
        v |= NS16550_LSR_DR;
    if (u->st.tx.count == 0) {
        v |= NS16550_LSR_THRE;
        if (!u->st.tsr_busy)
            v |= NS16550_LSR_TEMT;
    }
    return v;
}

static uint8_t msr(const struct ns16550 *u)
{
    uint8_t m = u->st.mcr;
    if (!(m & NS16550_MCR_LOOP))
        return 0xB0;                                    /* DCD, DSR, CTS */
    return (uint8_t)(((m & 0x01) ? 0x20 : 0) | ((m & 0x02) ? 0x10 : 0) |
                     ((m & 0x04) ? 0x40 : 0) | ((m & 0x08) ? 0x80 : 0));
}

static uint8_t iir(const struct ns16550 *u)
{
    uint8_t id = NS16550_IIR_NONE;
    bool rdi = u->st.ier & NS16550_IER_ERBFI;

    if (rdi && u->st.timeout_ipending)
        id = NS16550_IIR_CTI;
    else if (rdi && u->st.rx.count &&
             (!fifo_mode(u) || u->st.rx.count >= rx_trigger[u->st.fcr >> 6]))
        id = NS16550_IIR_RDA;
    else if ((u->st.ier & NS16550_IER_ETBEI) && u->st.thr_ipending)
        id = NS16550_IIR_THRE;
    return (uint8_t)(id | (fifo_mode(u) ? NS16550_IIR_FIFO : 0));
}

static void update_irq(struct ns16550 *u)
{
    irq_set(&u->dev.irq[0], !(iir(u) & NS16550_IIR_NONE));
}

/* (Re)starts the 4-frame receive timeout after RX activity (FIFO mode). */
static void arm_timeout(struct ns16550 *u, cycles_t now)
{
    evq_cancel(u->dev.q, &u->timeout_ev);
    if (fifo_mode(u) && u->st.rx.count)
        evq_at(u->dev.q, &u->timeout_ev, now + 4 * frame_cycles(u));
}

static void timeout(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct ns16550 *u = ctx;
    (void)ev;
    (void)now;
    (void)late;
    if (u->st.rx.count) {
        u->st.timeout_ipending = true;
        update_irq(u);
    }
}

static bool receive(struct ns16550 *u, uint8_t b, cycles_t now)
{
    if (u->st.rx.count >= depth(u))
        return false;
    fifo_push(&u->st.rx, b);
    u->st.timeout_ipending = false;
    arm_timeout(u, now);
    return true;
}

/* Moves the next byte into the shift register if it is idle. */
static void tx_start(struct ns16550 *u, cycles_t now)
{
    if (u->st.tsr_busy || u->st.tx.count == 0)
        return;
    u->st.tsr = fifo_pop(&u->st.tx);
    u->st.tsr_busy = true;
    if (u->st.tx.count == 0)
        u->st.thr_ipending = true;      /* THRE rises */
    evq_at(u->dev.q, &u->tx_ev, now + frame_cycles(u));
}

static void tx_done(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct ns16550 *u = ctx;
    uint8_t b = u->st.tsr;
    (void)ev;
    (void)late;

    u->st.tsr_busy = false;
    if (u->st.mcr & NS16550_MCR_LOOP) {
        if (!receive(u, b, now))
            TRACE(u->dev.tr, TR_UART, "%s: loopback byte 0x%02x lost (RX FIFO full)",
                  u->dev.name, b);
    } else {
        TRACE(u->dev.tr, TR_UART, "%s: tx 0x%02x", u->dev.name, b);
        if (u->dev.chr && u->dev.chr->write)
            u->dev.chr->write(u->dev.chr, &b, 1);
    }
    tx_start(u, now);
    update_irq(u);
}

/* End of the run: what is in the shift register and the FIFO goes out now. */
static void ns16550_flush(struct periph *p)
{
    struct ns16550 *u = container_of(p, struct ns16550, dev);
    while (u->st.tsr_busy || u->st.tx.count) {
        uint8_t b = u->st.tsr_busy ? u->st.tsr : fifo_pop(&u->st.tx);
        u->st.tsr_busy = false;
        if (!(u->st.mcr & NS16550_MCR_LOOP) && u->dev.chr && u->dev.chr->write)
            u->dev.chr->write(u->dev.chr, &b, 1);
    }
    evq_cancel(u->dev.q, &u->tx_ev);
}

static uint8_t read_byte(struct ns16550 *u, unsigned off, cycles_t now)
{
    bool dlab = u->st.lcr & NS16550_LCR_DLAB;
    uint8_t v;

    switch (off) {
    case NS16550_RBR:
        if (dlab)
            return (uint8_t)u->st.div;
        if (!u->st.rx.count)
            return 0;
        v = fifo_pop(&u->st.rx);
        u->st.timeout_ipending = false;
        arm_timeout(u, now);
        update_irq(u);
        return v;
    case NS16550_IER:
        return dlab ? (uint8_t)(u->st.div >> 8) : u->st.ier;
    case NS16550_IIR:
        v = iir(u);
        if ((v & 0x0F) == NS16550_IIR_THRE) {
            u->st.thr_ipending = false;
            update_irq(u);
        }
        return v;
    case NS16550_LCR:
        return u->st.lcr;
    case NS16550_MCR:
        return u->st.mcr;
    case NS16550_LSR:
        return lsr(u);
    case NS16550_MSR:
        return msr(u);
    case NS16550_SCR:
        return u->st.scr;
    }
    return 0;
}

static void write_byte(struct ns16550 *u, unsigned off, uint8_t v, cycles_t now)
{
    bool dlab = u->st.lcr & NS16550_LCR_DLAB;
    uint8_t changed;

    switch (off) {
    case NS16550_THR:
        if (dlab) {
            u->st.div = (uint16_t)((u->st.div & 0xFF00) | v);
            return;
        }
        if (u->st.tx.count >= depth(u)) {
            TRACE(u->dev.tr, TR_GUEST_ERR, "%s.THR <- 0x%02x: transmitter full, byte lost",
                  u->dev.name, v);
            return;
        }
        fifo_push(&u->st.tx, v);
        u->st.thr_ipending = false;
        tx_start(u, now);
        break;
    case NS16550_IER:
        if (dlab) {
            u->st.div = (uint16_t)((u->st.div & 0x00FF) | (v << 8));
            return;
        }
        changed = (uint8_t)((u->st.ier ^ v) & 0x0F);
        u->st.ier = v & 0x0F;
        if (u->st.ier & NS16550_IER_ERBFI)
            u->st.listening = true;
        /* (re-)enabling ETBEI with THR empty raises THRE, as on QEMU */
        if (changed & NS16550_IER_ETBEI)
            u->st.thr_ipending = (u->st.ier & NS16550_IER_ETBEI) && u->st.tx.count == 0;
        if ((v & NS16550_IER_EDSSI))
            TRACE(u->dev.tr, TR_UNIMP, "%s: modem-status interrupt not modelled", u->dev.name);
        break;
    case NS16550_FCR:
        u->st.listening = true;
        if ((v ^ u->st.fcr) & NS16550_FCR_FE)
            v |= NS16550_FCR_RXRST | NS16550_FCR_TXRST;
        if (v & NS16550_FCR_RXRST) {
            fifo_clear(&u->st.rx);
            u->st.timeout_ipending = false;
            evq_cancel(u->dev.q, &u->timeout_ev);
        }
        if (v & NS16550_FCR_TXRST) {
            fifo_clear(&u->st.tx);
            u->st.thr_ipending = true;
        }
        u->st.fcr = v & 0xC9;
        break;
    case NS16550_LCR:
        u->st.lcr = v;
        return;
    case NS16550_MCR:
        u->st.mcr = v & 0x1F;
        return;
    case NS16550_LSR:
    case NS16550_MSR:
        TRACE(u->dev.tr, TR_GUEST_ERR, "%s: write 0x%02x to read-only %s ignored", u->dev.name,
              v, off == NS16550_LSR ? "LSR" : "MSR");
        return;
    case NS16550_SCR:
        u->st.scr = v;
        return;
    }
    update_irq(u);
}

static uint32_t ns16550_read(struct periph *p, const struct reg_ref *r)
{
    struct ns16550 *u = to_u(p);
    uint32_t v = 0;
    for (unsigned b = r->byte; b < (unsigned)r->byte + r->size && b < 4; b++)
        v |= (uint32_t)read_byte(u, r->reg * 4 + b, periph_now(p)) << (8 * b);
    return v;
}

static void ns16550_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct ns16550 *u = to_u(p);
    for (unsigned b = r->byte; b < (unsigned)r->byte + r->size && b < 4; b++)
        write_byte(u, r->reg * 4 + b, (uint8_t)(val >> (8 * b)), periph_now(p));
}

/* Input from the host end (a terminal, --input, a scenario) is offered once
 * the driver has set the receiver up (FCR written or the receive interrupt
 * enabled): until then the simulator holds it, as a terminal holds what is
 * typed before a program reads, instead of losing it to the driver's FIFO
 * reset. */
static size_t ns16550_rx(struct periph *p, const uint8_t *data, size_t len)
{
    struct ns16550 *u = to_u(p);
    size_t n = 0;
    if (!u->st.listening)
        return 0;
    while (n < len && receive(u, data[n], periph_now(p)))
        n++;
    if (n)
        update_irq(u);
    return n;
}

static void ns16550_reset(struct periph *p)
{
    struct ns16550 *u = to_u(p);

    evq_cancel(p->q, &u->tx_ev);
    evq_cancel(p->q, &u->timeout_ev);
    memset(&u->st, 0, sizeof u->st);
    u->st.div = 0x0C;
    u->st.mcr = 0x08;                   /* OUT2, as QEMU resets it */
    update_irq(u);
}

static int ns16550_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct ns16550 *u = to_u(p);
    (void)err;
    if (cfg)
        u->cfg = *(const struct ns16550_cfg *)cfg;
    if (u->cfg.baudbase_hz == 0)
        u->cfg.baudbase_hz = 399193;
    snprintf(u->tx_name, sizeof u->tx_name, "%s.tx", p->name);
    snprintf(u->to_name, sizeof u->to_name, "%s.rx_timeout", p->name);
    evq_event_init(&u->tx_ev, u->tx_name, tx_done, u, 0);
    evq_event_init(&u->timeout_ev, u->to_name, timeout, u, 1);
    return 0;
}

#define NS16550_SNAP_VERSION 1

static void fifo_save(struct snap_writer *w, const char *key, const struct ns16550_fifo *f)
{
    snap_bytes(w, key, f->buf, NS16550_FIFO);
    snap_u32(w, key, f->head);
    snap_u32(w, key, f->count);
}

static void fifo_load(struct snap_reader *r, const char *key, struct ns16550_fifo *f)
{
    snap_get_bytes(r, key, f->buf, NS16550_FIFO);
    f->head = snap_get_u32(r, key);
    f->count = snap_get_u32(r, key);
    if (f->head >= NS16550_FIFO || f->count > NS16550_FIFO)
        snap_fail(r, key, "head %u, count %u: expected below %u", f->head, f->count,
                  NS16550_FIFO);
}

static void ns16550_save(struct periph *p, struct snap_writer *w)
{
    struct ns16550 *u = to_u(p);
    snap_begin(w, p->name, NS16550_SNAP_VERSION);
    snap_u8(w, "ier", u->st.ier);
    snap_u8(w, "lcr", u->st.lcr);
    snap_u8(w, "mcr", u->st.mcr);
    snap_u8(w, "scr", u->st.scr);
    snap_u8(w, "fcr", u->st.fcr);
    snap_u16(w, "div", u->st.div);
    fifo_save(w, "rx", &u->st.rx);
    fifo_save(w, "tx", &u->st.tx);
    snap_bool(w, "tsr_busy", u->st.tsr_busy);
    snap_u8(w, "tsr", u->st.tsr);
    snap_bool(w, "thr_ipending", u->st.thr_ipending);
    snap_bool(w, "timeout_ipending", u->st.timeout_ipending);
    snap_bool(w, "listening", u->st.listening);
    snap_event(w, "tx_ev", &u->tx_ev);
    snap_event(w, "timeout_ev", &u->timeout_ev);
    snap_end(w);
}

static int ns16550_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct ns16550 *u = to_u(p);

    if (snap_open(r, p->name, NS16550_SNAP_VERSION, err) < 0)
        return -1;
    u->st.ier = snap_get_u8(r, "ier");
    u->st.lcr = snap_get_u8(r, "lcr");
    u->st.mcr = snap_get_u8(r, "mcr");
    u->st.scr = snap_get_u8(r, "scr");
    u->st.fcr = snap_get_u8(r, "fcr");
    u->st.div = snap_get_u16(r, "div");
    fifo_load(r, "rx", &u->st.rx);
    fifo_load(r, "tx", &u->st.tx);
    u->st.tsr_busy = snap_get_bool(r, "tsr_busy");
    u->st.tsr = snap_get_u8(r, "tsr");
    u->st.thr_ipending = snap_get_bool(r, "thr_ipending");
    u->st.timeout_ipending = snap_get_bool(r, "timeout_ipending");
    u->st.listening = snap_get_bool(r, "listening");
    snap_get_event(r, "tx_ev", p->q, &u->tx_ev);
    snap_get_event(r, "timeout_ev", p->q, &u->timeout_ev);
    return snap_close(r);
}

static const struct periph_ops ns16550_ops = {
    .read = ns16550_read,
    .write = ns16550_write,
    .reset = ns16550_reset,
    .rx = ns16550_rx,
    .flush = ns16550_flush,
    .save = ns16550_save,
    .load = ns16550_load,
};

const struct periph_model ns16550_model = {
    .kind = "ns16550",
    .regs = ns16550_regs,
    .nregs = NS16550_NREGS,
    .size = 0x100,
    .min_access = 1,
    .max_access = 1,
    .instance_size = sizeof(struct ns16550),
    .create = ns16550_create,
    .ops = &ns16550_ops,
};
