/* GDB remote serial protocol, the framing layer: packets ($data#cs),
 * checksums, acknowledgments (+/-), the interrupt byte (0x03), binary
 * escapes (} x^0x20) and hex helpers. No I/O, no allocation on input: the
 * receiver is a byte-at-a-time state machine over a fixed buffer, so any
 * byte sequence is safe to feed (tests/fuzz). */
#ifndef SIM_GDB_PROTO_H
#define SIM_GDB_PROTO_H

#include <stdarg.h>

#include "../common.h"

/* Largest payload accepted, and announced to GDB as PacketSize (hex). */
#define GDB_MAX_PACKET 4096

enum gdb_rx_event {
    GDB_RX_NONE,        /* all bytes consumed, no complete event */
    GDB_RX_PACKET,      /* rx->buf[0..len) holds a payload (escapes still in) */
    GDB_RX_BAD,         /* a packet whose checksum did not match (dropped) */
    GDB_RX_OVERSIZE,    /* a packet longer than GDB_MAX_PACKET (dropped) */
    GDB_RX_INTERRUPT,   /* 0x03 outside a packet */
    GDB_RX_ACK,         /* '+' */
    GDB_RX_NAK,         /* '-' */
};

struct gdb_rx {
    int state;
    char buf[GDB_MAX_PACKET + 1];   /* NUL-terminated payload */
    size_t len;
    uint8_t sum, csum;
    bool overflow;
    bool verify;                    /* check checksums (off in no-ack mode) */
};

void gdb_rx_init(struct gdb_rx *rx);
/* Consumes bytes up to and including the next event (*used = how many). */
enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, const uint8_t *data, size_t len, size_t *used);

/* A growable output buffer; on allocation failure it stops growing and
 * sets `oom` (the packet is then sent truncated, never overrun). */
struct gdb_buf {
    char *p;
    size_t len, cap;
    bool oom;
};

void gdb_buf_free(struct gdb_buf *b);
void gdb_buf_reset(struct gdb_buf *b);
void gdb_buf_add(struct gdb_buf *b, const void *data, size_t len);
void gdb_buf_str(struct gdb_buf *b, const char *s);
void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...) SIM_PRINTF(2, 3);
/* Bytes as two lowercase hex digits each. */
void gdb_buf_hex(struct gdb_buf *b, const void *data, size_t len);
/* A 32-bit value in target (little-endian) byte order, 8 hex digits. */
void gdb_buf_hex_le32(struct gdb_buf *b, uint32_t v);
/* Appends "$payload#cs" to out; escape: also escape '#', '$', '}', '*'
 * (binary replies such as qXfer data). */
void gdb_frame(struct gdb_buf *out, const char *payload, size_t len, bool escape);

/* Undoes binary escapes in place; returns the new length, -1 if the data
 * ends in a lone '}'. */
long gdb_unescape(char *data, size_t len);
int gdb_hex_digit(int ch);
/* Parses a hex number at *p (at most 16 digits, at least one), advancing
 * *p; -1 if there is none. */
int gdb_parse_hex(const char **p, uint64_t *v);
/* Decodes 2*n hex digits into n bytes; -1 on a non-hex digit. */
int gdb_hex_decode(const char *hex, size_t n, uint8_t *out);

#endif
