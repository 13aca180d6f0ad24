#include "nrf_uarte.h"

#include "../sim/snap.h"

#include <stdio.h>
#include <string.h>

#include "../sim/bus.h"

static const struct reg_desc nrf_uarte_regs[NRF_UARTE_NREGS] = {
    [NRF_UARTE_TASKS_STARTRX] = { "TASKS_STARTRX", 0x000, REG_WO, 0, 0 },
    [NRF_UARTE_TASKS_STOPRX]  = { "TASKS_STOPRX",  0x004, REG_WO, 0, 0 },
    [NRF_UARTE_TASKS_STARTTX] = { "TASKS_STARTTX", 0x008, REG_WO, 0, 0 },
    [NRF_UARTE_TASKS_STOPTX]  = { "TASKS_STOPTX",  0x00C, REG_WO, 0, 0 },
    [NRF_UARTE_TASKS_FLUSHRX] = { "TASKS_FLUSHRX", 0x02C, REG_WO, 0, 0 },
    [NRF_UARTE_EVENTS]        = { "EVENTS",        0x100, REG_RW, NRF_UARTE_NEV, 4 },
    [NRF_UARTE_SHORTS]        = { "SHORTS",        0x200, REG_RW, 0, 0 },
    [NRF_UARTE_INTEN]         = { "INTEN",         0x300, REG_RW, 0, 0 },
    [NRF_UARTE_INTENSET]      = { "INTENSET",      0x304, REG_RW, 0, 0 },
    [NRF_UARTE_INTENCLR]      = { "INTENCLR",      0x308, REG_RW, 0, 0 },
    [NRF_UARTE_ERRORSRC]      = { "ERRORSRC",      0x480, REG_RW, 0, 0 },
    [NRF_UARTE_ENABLE]        = { "ENABLE",        0x500, REG_RW, 0, 0 },
    [NRF_UARTE_PSEL_RTS]      = { "PSEL_RTS",      0x508, REG_RW, 0, 0 },
    [NRF_UARTE_PSEL_TXD]      = { "PSEL_TXD",      0x50C, REG_RW, 0, 0 },
    [NRF_UARTE_PSEL_CTS]      = { "PSEL_CTS",      0x510, REG_RW, 0, 0 },
    [NRF_UARTE_PSEL_RXD]      = { "PSEL_RXD",      0x514, REG_RW, 0, 0 },
    [NRF_UARTE_RXD_LEGACY]    = { "RXD",           0x518, REG_RO, 0, 0 },
    [NRF_UARTE_TXD_LEGACY]    = { "TXD",           0x51C, REG_WO, 0, 0 },
    [NRF_UARTE_BAUDRATE]      = { "BAUDRATE",      0x524, REG_RW, 0, 0 },
    [NRF_UARTE_RXD_PTR]       = { "RXD_PTR",       0x534, REG_RW, 0, 0 },
    [NRF_UARTE_RXD_MAXCNT]    = { "RXD_MAXCNT",    0x538, REG_RW, 0, 0 },
    [NRF_UARTE_RXD_AMOUNT]    = { "RXD_AMOUNT",    0x53C, REG_RO, 0, 0 },
    [NRF_UARTE_TXD_PTR]       = { "TXD_PTR",       0x544, REG_RW, 0, 0 },
    [NRF_UARTE_TXD_MAXCNT]    = { "TXD_MAXCNT",    0x548, REG_RW, 0, 0 },
    [NRF_UARTE_TXD_AMOUNT]    = { "TXD_AMOUNT",    0x54C, REG_RO, 0, 0 },
    [NRF_UARTE_CONFIG]        = { "CONFIG",        0x56C, REG_RW, 0, 0 },
};

static struct nrf_uarte *to_u(struct periph *p)
{
    return container_of(p, struct nrf_uarte, dev);
}

static void update_irq(struct nrf_uarte *u)
{
    irq_set(&u->dev.irq[0], (u->st.events & u->st.inten) != 0);
}

static void raise(struct nrf_uarte *u, unsigned ev)
{
    u->st.events |= 1u << ev;
}

/* One frame on the line: start + 8 data (+ parity) + 1 or 2 stop bits, at
 * BAUDRATE * 16 MHz / 2^32 baud. */
static cycles_t frame_cycles(const struct nrf_uarte *u)
{
    unsigned bits = 1 + 8 + ((u->st.config & 0xE) ? 1 : 0) + ((u->st.config & 0x10) ? 2 : 1);
    unsigned __int128 c;
    uint32_t br = u->st.baudrate ? u->st.baudrate : 1;

    c = ((unsigned __int128)bits * u->dev.cpu_hz << 32) + (uint64_t)br * 16000000u - 1;
    c /= (uint64_t)br * 16000000u;
    return c ? (cycles_t)c : 1;
}

/* Starts the next byte of the TX transfer, or ends it. */
static void tx_next(struct nrf_uarte *u, cycles_t now)
{
    const uint8_t *src;

    if (u->st.tx_legacy) {
        evq_at(u->dev.q, &u->tx_ev, now + frame_cycles(u));
        return;
    }
    if (u->st.tx_stop || u->st.txd_amount >= u->st.tx_max) {
        u->st.tx_busy = false;
        raise(u, NRF_UARTE_EV_ENDTX);
        if (u->st.tx_stop)
            raise(u, NRF_UARTE_EV_TXSTOPPED);
        u->st.tx_stop = false;
        return;
    }
    src = bus_ram_ptr(u->dev.bus, u->st.tx_ptr + u->st.txd_amount, 1);
    if (!src) {
        TRACE(u->dev.tr, TR_GUEST_ERR, "%s: TXD.PTR 0x%08x + %u is not in RAM (EasyDMA)",
              u->dev.name, u->st.tx_ptr, u->st.txd_amount);
        u->st.tx_busy = false;
        raise(u, NRF_UARTE_EV_ENDTX);
        return;
    }
    u->st.tx_byte = *src;
    evq_at(u->dev.q, &u->tx_ev, now + frame_cycles(u));
}

static void tx_done(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct nrf_uarte *u = ctx;
    uint8_t b = u->st.tx_byte;
    (void)ev;
    (void)late;

    TRACE(u->dev.tr, TR_UART, "%s: tx 0x%02x", u->dev.name, b);
    if (u->dev.chr && u->dev.chr->write)
        u->dev.chr->write(u->dev.chr, &b, 1);
    raise(u, NRF_UARTE_EV_TXDRDY);
    if (u->st.tx_legacy) {
        u->st.tx_legacy = false;
        u->st.tx_busy = false;
    } else {
        u->st.txd_amount++;
        tx_next(u, now);
    }
    update_irq(u);
}

static void start_tx(struct nrf_uarte *u, cycles_t now)
{
    if (u->st.enable == NRF_UARTE_ENABLE_UART) {
        /* legacy UART: STARTTX only enables the transmitter; TXD writes send */
        return;
    }
    if (u->st.tx_busy) {
        TRACE(u->dev.tr, TR_GUEST_ERR, "%s: STARTTX while transmitting: ignored", u->dev.name);
        return;
    }
    u->st.tx_ptr = u->st.txd_ptr;
    u->st.tx_max = u->st.txd_maxcnt;
    u->st.txd_amount = 0;
    u->st.tx_busy = true;
    u->st.tx_stop = false;
    raise(u, NRF_UARTE_EV_TXSTARTED);
    tx_next(u, now);
}

static void stop_tx(struct nrf_uarte *u)
{
    if (u->st.tx_busy && !u->st.tx_legacy) {
        if (evq_pending(&u->tx_ev))
            u->st.tx_stop = true;       /* after the byte on the line */
        return;
    }
    raise(u, NRF_UARTE_EV_TXSTOPPED);
}

static void end_rx(struct nrf_uarte *u, cycles_t now);

static void start_rx(struct nrf_uarte *u, cycles_t now)
{
    u->st.rx_ptr = u->st.rxd_ptr;
    u->st.rx_max = u->st.rxd_maxcnt;
    u->st.rxd_amount = 0;
    u->st.rx_busy = true;
    raise(u, NRF_UARTE_EV_RXSTARTED);
    if (u->st.rx_max == 0)
        end_rx(u, now);
}

static void stop_rx(struct nrf_uarte *u)
{
    if (u->st.rx_busy) {
        u->st.rx_busy = false;
        raise(u, NRF_UARTE_EV_ENDRX);
    }
    raise(u, NRF_UARTE_EV_RXTO);
}

/* The RX buffer is full. */
static void end_rx(struct nrf_uarte *u, cycles_t now)
{
    u->st.rx_busy = false;
    raise(u, NRF_UARTE_EV_ENDRX);
    if (u->st.shorts & NRF_UARTE_SHORT_ENDRX_STARTRX)
        start_rx(u, now);
    if (u->st.shorts & NRF_UARTE_SHORT_ENDRX_STOPRX)
        stop_rx(u);
}

static uint32_t nrf_uarte_read(struct periph *p, const struct reg_ref *r)
{
    struct nrf_uarte *u = to_u(p);

    switch (r->reg) {
    case NRF_UARTE_EVENTS:
        if (!((NRF_UARTE_EV_MASK >> r->idx) & 1))
            TRACE(p->tr, TR_GUEST_ERR, "%s: read of reserved offset 0x%03x", p->name,
                  0x100 + 4 * r->idx);
        return (u->st.events >> r->idx) & 1;
    case NRF_UARTE_SHORTS:
        return u->st.shorts;
    case NRF_UARTE_INTEN:
    case NRF_UARTE_INTENSET:
    case NRF_UARTE_INTENCLR:
        return u->st.inten;
    case NRF_UARTE_ERRORSRC:
        return 0;
    case NRF_UARTE_ENABLE:
        return u->st.enable;
    case NRF_UARTE_PSEL_RTS:
    case NRF_UARTE_PSEL_TXD:
    case NRF_UARTE_PSEL_CTS:
    case NRF_UARTE_PSEL_RXD:
        return u->st.psel[r->reg - NRF_UARTE_PSEL_RTS];
    case NRF_UARTE_RXD_LEGACY:
        return 0;
    case NRF_UARTE_BAUDRATE:
        return u->st.baudrate;
    case NRF_UARTE_RXD_PTR:
        return u->st.rxd_ptr;
    case NRF_UARTE_RXD_MAXCNT:
        return u->st.rxd_maxcnt;
    case NRF_UARTE_RXD_AMOUNT:
        return u->st.rxd_amount;
    case NRF_UARTE_TXD_PTR:
        return u->st.txd_ptr;
    case NRF_UARTE_TXD_MAXCNT:
        return u->st.txd_maxcnt;
    case NRF_UARTE_TXD_AMOUNT:
        return u->st.txd_amount;
    case NRF_UARTE_CONFIG:
        return u->st.config;
    }
    return 0;
}

static void nrf_uarte_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct nrf_uarte *u = to_u(p);
    cycles_t now = periph_now(p);
    bool on = u->st.enable == NRF_UARTE_ENABLE_UARTE || u->st.enable == NRF_UARTE_ENABLE_UART;

    if (r->reg <= NRF_UARTE_TASKS_FLUSHRX) {
        if (!(val & 1))
            return;
        if (!on) {
            /* stopping a disabled UARTE is harmless (drivers do it at init);
             * starting one is a guest error */
            if (r->reg != NRF_UARTE_TASKS_STOPTX && r->reg != NRF_UARTE_TASKS_STOPRX)
                TRACE(p->tr, TR_GUEST_ERR, "%s.%s while disabled (ENABLE %u): ignored",
                      p->name, nrf_uarte_regs[r->reg].name, u->st.enable);
            return;
        }
    }
    switch (r->reg) {
    case NRF_UARTE_TASKS_STARTRX:
        if (u->st.enable == NRF_UARTE_ENABLE_UART) {
            TRACE(p->tr, TR_UNIMP, "%s: legacy UART receiver not modelled", p->name);
            return;
        }
        start_rx(u, now);
        break;
    case NRF_UARTE_TASKS_STOPRX:
        stop_rx(u);
        break;
    case NRF_UARTE_TASKS_STARTTX:
        start_tx(u, now);
        break;
    case NRF_UARTE_TASKS_STOPTX:
        stop_tx(u);
        break;
    case NRF_UARTE_TASKS_FLUSHRX:
        if (!u->st.rx_busy) {           /* the FIFO is always empty here */
            u->st.rxd_amount = 0;
            raise(u, NRF_UARTE_EV_ENDRX);
        }
        break;
    case NRF_UARTE_EVENTS:
        if (!((NRF_UARTE_EV_MASK >> r->idx) & 1)) {
            TRACE(p->tr, TR_GUEST_ERR, "%s: write to reserved offset 0x%03x ignored", p->name,
                  0x100 + 4 * r->idx);
            return;
        }
        if (val & 1)
            u->st.events |= 1u << r->idx;
        else
            u->st.events &= ~(1u << r->idx);
        break;
    case NRF_UARTE_SHORTS:
        u->st.shorts = val & (NRF_UARTE_SHORT_ENDRX_STARTRX | NRF_UARTE_SHORT_ENDRX_STOPRX);
        return;
    case NRF_UARTE_INTEN:
        u->st.inten = val & NRF_UARTE_EV_MASK;
        break;
    case NRF_UARTE_INTENSET:
        u->st.inten |= val & NRF_UARTE_EV_MASK;
        break;
    case NRF_UARTE_INTENCLR:
        u->st.inten &= ~val;
        break;
    case NRF_UARTE_ERRORSRC:
        return;                         /* W1C, never set */
    case NRF_UARTE_ENABLE:
        u->st.enable = val & 0xF;
        if (u->st.enable != 0 && u->st.enable != NRF_UARTE_ENABLE_UART &&
            u->st.enable != NRF_UARTE_ENABLE_UARTE)
            TRACE(p->tr, TR_GUEST_ERR, "%s.ENABLE <- %u: expected 0, 4 or 8", p->name, val);
        return;
    case NRF_UARTE_PSEL_RTS:
    case NRF_UARTE_PSEL_TXD:
    case NRF_UARTE_PSEL_CTS:
    case NRF_UARTE_PSEL_RXD:
        u->st.psel[r->reg - NRF_UARTE_PSEL_RTS] = val & 0x8000003F;
        return;
    case NRF_UARTE_TXD_LEGACY:
        if (u->st.enable != NRF_UARTE_ENABLE_UART) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.TXD written without ENABLE = 4: ignored", p->name);
            return;
        }
        if (u->st.tx_busy) {
            TRACE(p->tr, TR_GUEST_ERR, "%s.TXD written while busy: byte lost", p->name);
            return;
        }
        u->st.tx_byte = (uint8_t)val;
        u->st.tx_busy = u->st.tx_legacy = true;
        tx_next(u, now);
        return;
    case NRF_UARTE_BAUDRATE:
        u->st.baudrate = val;
        if (val == 0)
            TRACE(p->tr, TR_GUEST_ERR, "%s.BAUDRATE <- 0", p->name);
        return;
    case NRF_UARTE_RXD_PTR:
        u->st.rxd_ptr = val;
        return;
    case NRF_UARTE_RXD_MAXCNT:
        u->st.rxd_maxcnt = val & 0xFFFF;
        return;
    case NRF_UARTE_TXD_PTR:
        u->st.txd_ptr = val;
        return;
    case NRF_UARTE_TXD_MAXCNT:
        u->st.txd_maxcnt = val & 0xFFFF;
        return;
    case NRF_UARTE_CONFIG:
        u->st.config = val & 0x1F;
        if (val & 1)
            TRACE(p->tr, TR_UNIMP, "%s: CONFIG.HWFC (flow control) not modelled", p->name);
        return;
    default:
        return;
    }
    update_irq(u);
}

static size_t nrf_uarte_rx(struct periph *p, const uint8_t *data, size_t len)
{
    struct nrf_uarte *u = to_u(p);
    size_t n = 0;

    while (n < len && u->st.rx_busy && u->st.rxd_amount < u->st.rx_max) {
        uint8_t *dst = bus_ram_ptr(p->bus, u->st.rx_ptr + u->st.rxd_amount, 1);
        if (dst)
            *dst = data[n];
        else
            TRACE(p->tr, TR_GUEST_ERR, "%s: RXD.PTR 0x%08x + %u is not in RAM (EasyDMA)",
                  p->name, u->st.rx_ptr, u->st.rxd_amount);
        n++;
        u->st.rxd_amount++;
        raise(u, NRF_UARTE_EV_RXDRDY);
        if (u->st.rxd_amount == u->st.rx_max)
            end_rx(u, periph_now(p));
    }
    if (n)
        update_irq(u);
    return n;
}

static void nrf_uarte_reset(struct periph *p)
{
    struct nrf_uarte *u = to_u(p);
    evq_cancel(p->q, &u->tx_ev);
    memset(&u->st, 0, sizeof u->st);
    u->st.baudrate = 0x04000000;        /* 250 kbaud */
    for (unsigned i = 0; i < 4; i++)
        u->st.psel[i] = 0xFFFFFFFF;
    update_irq(u);
}

static int nrf_uarte_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct nrf_uarte *u = to_u(p);
    (void)cfg;
    (void)err;
    snprintf(u->tx_name, sizeof u->tx_name, "%s.tx", p->name);
    evq_event_init(&u->tx_ev, u->tx_name, tx_done, u, 0);
    return 0;
}

#define NRF_UARTE_SNAP_VERSION 1

static void nrf_uarte_save(struct periph *p, struct snap_writer *w)
{
    struct nrf_uarte *u = to_u(p);
    snap_begin(w, p->name, NRF_UARTE_SNAP_VERSION);
    snap_u32(w, "events", u->st.events);
    snap_u32(w, "inten", u->st.inten);
    snap_u32(w, "shorts", u->st.shorts);
    snap_u32(w, "enable", u->st.enable);
    snap_u32(w, "baudrate", u->st.baudrate);
    snap_u32(w, "config", u->st.config);
    snap_u32s(w, "psel", u->st.psel, 4);
    snap_u32(w, "rxd_ptr", u->st.rxd_ptr);
    snap_u32(w, "rxd_maxcnt", u->st.rxd_maxcnt);
    snap_u32(w, "rxd_amount", u->st.rxd_amount);
    snap_u32(w, "txd_ptr", u->st.txd_ptr);
    snap_u32(w, "txd_maxcnt", u->st.txd_maxcnt);
    snap_u32(w, "txd_amount", u->st.txd_amount);
    snap_bool(w, "tx_busy", u->st.tx_busy);
    snap_bool(w, "tx_stop", u->st.tx_stop);
    snap_bool(w, "tx_legacy", u->st.tx_legacy);
    snap_u32(w, "tx_ptr", u->st.tx_ptr);
    snap_u32(w, "tx_max", u->st.tx_max);
    snap_u8(w, "tx_byte", u->st.tx_byte);
    snap_bool(w, "rx_busy", u->st.rx_busy);
    snap_u32(w, "rx_ptr", u->st.rx_ptr);
    snap_u32(w, "rx_max", u->st.rx_max);
    snap_event(w, "tx_ev", &u->tx_ev);
    snap_end(w);
}

static int nrf_uarte_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct nrf_uarte *u = to_u(p);

    if (snap_open(r, p->name, NRF_UARTE_SNAP_VERSION, err) < 0)
        return -1;
    u->st.events = snap_get_u32(r, "events");
    u->st.inten = snap_get_u32(r, "inten");
    u->st.shorts = snap_get_u32(r, "shorts");
    u->st.enable = snap_get_u32(r, "enable");
    u->st.baudrate = snap_get_u32(r, "baudrate");
    u->st.config = snap_get_u32(r, "config");
    snap_get_u32s(r, "psel", u->st.psel, 4);
    u->st.rxd_ptr = snap_get_u32(r, "rxd_ptr");
    u->st.rxd_maxcnt = snap_get_u32(r, "rxd_maxcnt");
    u->st.rxd_amount = snap_get_u32(r, "rxd_amount");
    u->st.txd_ptr = snap_get_u32(r, "txd_ptr");
    u->st.txd_maxcnt = snap_get_u32(r, "txd_maxcnt");
    u->st.txd_amount = snap_get_u32(r, "txd_amount");
    u->st.tx_busy = snap_get_bool(r, "tx_busy");
    u->st.tx_stop = snap_get_bool(r, "tx_stop");
    u->st.tx_legacy = snap_get_bool(r, "tx_legacy");
    u->st.tx_ptr = snap_get_u32(r, "tx_ptr");
    u->st.tx_max = snap_get_u32(r, "tx_max");
    u->st.tx_byte = snap_get_u8(r, "tx_byte");
    u->st.rx_busy = snap_get_bool(r, "rx_busy");
    u->st.rx_ptr = snap_get_u32(r, "rx_ptr");
    u->st.rx_max = snap_get_u32(r, "rx_max");
    snap_get_event(r, "tx_ev", p->q, &u->tx_ev);
    return snap_close(r);
}

static const struct periph_ops nrf_uarte_ops = {
    .read = nrf_uarte_read,
    .write = nrf_uarte_write,
    .reset = nrf_uarte_reset,
    .rx = nrf_uarte_rx,
    .save = nrf_uarte_save,
    .load = nrf_uarte_load,
};

const struct periph_model nrf_uarte_model = {
    .kind = "nrf-uarte",
    .regs = nrf_uarte_regs,
    .nregs = NRF_UARTE_NREGS,
    .size = 0x1000,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct nrf_uarte),
    .create = nrf_uarte_create,
    .ops = &nrf_uarte_ops,
};
