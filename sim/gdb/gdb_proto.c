#include "gdb_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RX_IDLE, RX_DATA, RX_CSUM1, RX_CSUM2 };

void gdb_rx_init(struct gdb_rx *rx)
{
    memset(rx, 0, sizeof *rx);
    rx->state = RX_IDLE;
    rx->verify = true;
}

int gdb_hex_digit(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, const uint8_t *data, size_t len, size_t *used)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = data[i];
        int h;

        switch (rx->state) {
        case RX_IDLE:
            if (ch == '$') {
                rx->state = RX_DATA;
                rx->len = 0;
                rx->sum = 0;
                rx->overflow = false;
                break;
            }
            *used = i + 1;
            if (ch == 0x03)
                return GDB_RX_INTERRUPT;
            if (ch == '+')
                return GDB_RX_ACK;
            if (ch == '-')
                return GDB_RX_NAK;
            *used = 0;
            break;                      /* anything else between packets: noise */
        case RX_DATA:
            if (ch == '#') {
                rx->state = RX_CSUM1;
            } else if (ch == '$') {
                /* an unescaped '$' inside a packet: the packet was cut
                 * short; start over with this one */
                rx->len = 0;
                rx->sum = 0;
                rx->overflow = false;
            } else {
                rx->sum = (uint8_t)(rx->sum + ch);
                if (rx->len < GDB_MAX_PACKET)
                    rx->buf[rx->len++] = (char)ch;
                else
                    rx->overflow = true;
            }
            break;
        case RX_CSUM1:
            h = gdb_hex_digit(ch);
            rx->csum = (uint8_t)((h < 0 ? 0 : h) << 4);
            rx->state = h < 0 ? RX_IDLE : RX_CSUM2;
            if (h < 0) {
                *used = i + 1;
                return GDB_RX_BAD;
            }
            break;
        case RX_CSUM2:
            h = gdb_hex_digit(ch);
            rx->state = RX_IDLE;
            *used = i + 1;
            rx->buf[rx->len] = 0;
            if (h < 0)
                return GDB_RX_BAD;
            rx->csum = (uint8_t)(rx->csum | h);
            if (rx->overflow)
                return GDB_RX_OVERSIZE;
            if (rx->verify && rx->csum != rx->sum)
                return GDB_RX_BAD;
            return GDB_RX_PACKET;
        default:
            rx->state = RX_IDLE;
            break;
        }
    }
    *used = len;
    return GDB_RX_NONE;
}

/* --------------------------------------------------------------- output -- */

void gdb_buf_free(struct gdb_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void gdb_buf_reset(struct gdb_buf *b)
{
    b->len = 0;
    b->oom = false;
}

static bool reserve(struct gdb_buf *b, size_t more)
{
    size_t cap;
    char *p;
    if (b->oom)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void gdb_buf_add(struct gdb_buf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->p + b->len, data, len);
    b->len += len;
    b->p[b->len] = 0;
}

void gdb_buf_str(struct gdb_buf *b, const char *s)
{
    gdb_buf_add(b, s, strlen(s));
}

void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gdb_buf_hex(struct gdb_buf *b, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *d = data;
    if (!reserve(b, 2 * len))
        return;
    for (size_t i = 0; i < len; i++) {
        b->p[b->len++] = digits[d[i] >> 4];
        b->p[b->len++] = digits[d[i] & 15];
    }
    b->p[b->len] = 0;
}

void gdb_buf_hex_le32(struct gdb_buf *b, uint32_t v)
{
    uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    gdb_buf_hex(b, le, 4);
}

void gdb_frame(struct gdb_buf *out, const char *payload, size_t len, bool escape)
{
    uint8_t sum = 0;
    char tail[4];

    gdb_buf_add(out, "$", 1);
    for (size_t i = 0; i < len; i++) {
        char ch = payload[i];
        if (escape && (ch == '#' || ch == '$' || ch == '}' || ch == '*')) {
            char esc[2] = { '}', (char)(ch ^ 0x20) };
            gdb_buf_add(out, esc, 2);
            sum = (uint8_t)(sum + '}' + (uint8_t)esc[1]);
        } else {
            gdb_buf_add(out, &ch, 1);
            sum = (uint8_t)(sum + (uint8_t)ch);
        }
    }
    snprintf(tail, sizeof tail, "#%02x", sum);
    gdb_buf_add(out, tail, 3);
}

/* ---------------------------------------------------------------- input -- */

long gdb_unescape(char *data, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '}') {
            if (++i == len)
                return -1;
            data[o++] = (char)(data[i] ^ 0x20);
        } else {
            data[o++] = data[i];
        }
    }
    return (long)o;
}

int gdb_parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    int n = 0, h;
    while ((h = gdb_hex_digit((unsigned char)*s)) >= 0) {
        if (++n > 16)
            return -1;
        x = x << 4 | (uint64_t)h;
        s++;
    }
    if (!n)
        return -1;
    *p = s;
    *v = x;
    return 0;
}

int gdb_hex_decode(const char *hex, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hex_digit((unsigned char)hex[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
