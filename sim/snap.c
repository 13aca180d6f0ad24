#include "snap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sclock.h"

void snap_buf_init(struct snap_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void snap_buf_free(struct snap_buf *b)
{
    free(b->data);
    snap_buf_init(b);
}

/* ----------------------------------------------------------- writing -- */

static uint8_t *grow(struct snap_writer *w, size_t n)
{
    struct snap_buf *b = w->buf;
    if (w->oom)
        return NULL;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 4096;
        uint8_t *d;
        while (cap - b->len < n)
            cap *= 2;
        d = realloc(b->data, cap);
        if (!d) {
            w->oom = true;
            return NULL;
        }
        b->data = d;
        b->cap = cap;
    }
    b->len += n;
    return b->data + b->len - n;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put(struct snap_writer *w, uint64_t v, unsigned n)
{
    uint8_t *p = grow(w, n);
    if (p)
        put_le(p, v, n);
}

void snap_u8(struct snap_writer *w, const char *key, uint8_t v) { (void)key; put(w, v, 1); }
void snap_u16(struct snap_writer *w, const char *key, uint16_t v) { (void)key; put(w, v, 2); }
void snap_u32(struct snap_writer *w, const char *key, uint32_t v) { (void)key; put(w, v, 4); }
void snap_u64(struct snap_writer *w, const char *key, uint64_t v) { (void)key; put(w, v, 8); }

void snap_bytes(struct snap_writer *w, const char *key, const void *p, size_t n)
{
    uint8_t *d = grow(w, n);
    (void)key;
    if (d && n)
        memcpy(d, p, n);
}

void snap_str(struct snap_writer *w, const char *key, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put(w, n, 4);
    snap_bytes(w, key, s, n);
}

void snap_u32s(struct snap_writer *w, const char *key, const uint32_t *a, size_t n)
{
    uint8_t *d = grow(w, 4 * n);
    (void)key;
    for (size_t i = 0; d && i < n; i++)
        put_le(d + 4 * i, a[i], 4);
}

void snap_u64s(struct snap_writer *w, const char *key, const uint64_t *a, size_t n)
{
    uint8_t *d = grow(w, 8 * n);
    (void)key;
    for (size_t i = 0; d && i < n; i++)
        put_le(d + 8 * i, a[i], 8);
}

void snap_bools(struct snap_writer *w, const char *key, const bool *a, size_t n)
{
    uint8_t *d = grow(w, n);
    (void)key;
    for (size_t i = 0; d && i < n; i++)
        d[i] = a[i] ? 1 : 0;
}

void snap_event(struct snap_writer *w, const char *key, const struct evq_event *ev)
{
    snap_bool(w, key, ev->pending);
    snap_u64(w, key, ev->pending ? ev->when : 0);
    snap_u64(w, key, ev->pending ? ev->seq : 0);
}

void snap_counter(struct snap_writer *w, const char *key, const struct counter *c)
{
    snap_u64(w, key, c->tick_hz);
    snap_u32(w, key, c->prescale);
    snap_u64(w, key, c->mask);
    snap_bool(w, key, c->running);
    snap_u64(w, key, c->base_value);
    snap_u64(w, key, c->base_ticks);
}

void snap_writer_init(struct snap_writer *w, struct snap_buf *b, const struct snap_header *h)
{
    w->buf = b;
    w->in_section = false;
    w->oom = false;
    b->len = 0;
    snap_bytes(w, "magic", SNAP_MAGIC, 8);
    snap_u32(w, "format", SNAP_FORMAT_VERSION);
    snap_u32(w, "header_len", 0);                   /* patched below */
    snap_str(w, "board", h->board);
    snap_u64(w, "cpu_hz", h->cpu_hz);
    snap_u64(w, "cycle", h->now);
    snap_u32(w, "nimages", h->nimages);
    for (unsigned i = 0; i < h->nimages; i++) {
        snap_str(w, "image", h->images[i].name);
        snap_u64(w, "size", h->images[i].size);
        snap_u64(w, "hash", h->images[i].hash);
    }
    if (!w->oom)
        put_le(b->data + 12, b->len, 4);
}

void snap_begin(struct snap_writer *w, const char *name, uint32_t version)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255)
        n = 255;            /* never in practice: names come from board tables */
    snap_u16(w, "name_len", (uint16_t)n);
    snap_bytes(w, "name", name, n);
    snap_u32(w, "version", version);
    w->sec_len_off = w->buf->len;
    snap_u64(w, "size", 0);
    w->in_section = true;
}

void snap_end(struct snap_writer *w)
{
    if (!w->oom)
        put_le(w->buf->data + w->sec_len_off, w->buf->len - w->sec_len_off - 8, 8);
    w->in_section = false;
}

int snap_writer_finish(struct snap_writer *w)
{
    snap_u16(w, "end", 0);
    snap_u64(w, "checksum", 0);
    return w->oom ? -1 : 0;
}

/* ------------------------------------------------------------- hashing -- */

uint64_t snap_hash(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull ^ len;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        h ^= get_le(p + i, 8);
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 32);
}

/* ----------------------------------------------------------- reading -- */

static int rfail(struct snap_reader *r, size_t off, const char *fmt, ...) SIM_PRINTF(3, 4);

static int rfail(struct snap_reader *r, size_t off, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    if (r->bad)
        return -1;
    r->bad = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->cur)
        sim_errorf(r->err, "%s: section '%.*s' at offset %#zx: %s", r->src,
                   (int)r->cur->name_len, r->cur->name, off, msg);
    else
        sim_errorf(r->err, "%s: offset %#zx: %s", r->src, off, msg);
    return -1;
}

/* Header parsing: a tiny cursor over the whole buffer. */
struct cursor {
    struct snap_reader *r;
    size_t pos;
};

static bool need(struct cursor *c, size_t n, const char *what)
{
    if (c->r->bad)
        return false;
    if (c->r->len - c->pos < n) {
        rfail(c->r, c->pos, "truncated: %s needs %zu bytes, %zu left", what, n,
              c->r->len - c->pos);
        return false;
    }
    return true;
}

static uint64_t cget(struct cursor *c, unsigned n, const char *what)
{
    uint64_t v;
    if (!need(c, n, what))
        return 0;
    v = get_le(c->r->data + c->pos, n);
    c->pos += n;
    return v;
}

static void cstr(struct cursor *c, char *buf, size_t cap, const char *what)
{
    size_t at = c->pos;
    uint64_t n = cget(c, 4, what);
    buf[0] = 0;
    if (c->r->bad)
        return;
    if (n >= cap)
        rfail(c->r, at, "%s: length %llu, expected at most %zu", what, (unsigned long long)n,
              cap - 1);
    else if (need(c, n, what)) {
        memcpy(buf, c->r->data + c->pos, n);
        buf[n] = 0;
        c->pos += n;
    }
}

int snap_reader_open(struct snap_reader *r, const uint8_t *data, size_t len, const char *src,
                     bool check_sum, struct sim_error *err)
{
    struct cursor c = { r, 0 };
    struct snap_header *h = &r->hdr;
    uint64_t hlen;

    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->src = src ? src : "snapshot";
    r->err = err;
    if (len < 8 || memcmp(data, SNAP_MAGIC, 8) != 0)
        return rfail(r, 0, "not a tocksim snapshot (expected the magic \"%s\")", SNAP_MAGIC);
    c.pos = 8;
    h->format = (uint32_t)cget(&c, 4, "format version");
    if (!r->bad && h->format != SNAP_FORMAT_VERSION)
        return rfail(r, 8, "format version %u, this tocksim reads version %u", h->format,
                     SNAP_FORMAT_VERSION);
    hlen = cget(&c, 4, "header length");
    cstr(&c, h->board, sizeof h->board, "board name");
    h->cpu_hz = cget(&c, 8, "cpu_hz");
    h->now = cget(&c, 8, "cycle");
    h->nimages = (unsigned)cget(&c, 4, "image count");
    if (!r->bad && h->nimages > SNAP_MAX_IMAGES)
        return rfail(r, c.pos - 4, "%u images, expected at most %u", h->nimages, SNAP_MAX_IMAGES);
    for (unsigned i = 0; i < h->nimages && !r->bad; i++) {
        cstr(&c, h->images[i].name, sizeof h->images[i].name, "image name");
        h->images[i].size = cget(&c, 8, "image size");
        h->images[i].hash = cget(&c, 8, "image hash");
    }
    if (r->bad)
        return -1;
    if (hlen != c.pos)
        return rfail(r, 12, "header length %llu, but the header fields end at %zu",
                     (unsigned long long)hlen, c.pos);
    for (;;) {
        size_t at = c.pos;
        unsigned nl = (unsigned)cget(&c, 2, "section name length");
        struct snap_section *s;
        if (r->bad)
            return -1;
        if (nl == 0)
            break;
        if (r->nsec == SNAP_MAX_SECTIONS)
            return rfail(r, at, "more than %u sections", SNAP_MAX_SECTIONS);
        s = &r->sec[r->nsec];
        if (!need(&c, nl, "section name"))
            return -1;
        s->name = (const char *)data + c.pos;
        s->name_len = nl;
        c.pos += nl;
        for (unsigned k = 0; k < nl; k++)
            if (s->name[k] < 0x21 || s->name[k] > 0x7e)
                return rfail(r, at, "section name is not printable text");
        for (unsigned k = 0; k < r->nsec; k++)
            if (r->sec[k].name_len == nl && !memcmp(r->sec[k].name, s->name, nl))
                return rfail(r, at, "section '%.*s' appears twice", (int)nl, s->name);
        s->version = (uint32_t)cget(&c, 4, "section version");
        s->size = (size_t)cget(&c, 8, "section size");
        if (r->bad)
            return -1;
        if (s->size > len - c.pos)
            return rfail(r, at, "truncated: section '%.*s' claims %zu bytes, %zu left", (int)nl,
                         s->name, s->size, len - c.pos);
        s->off = c.pos;
        c.pos += s->size;
        r->nsec++;
    }
    {
        size_t at = c.pos;
        uint64_t sum = cget(&c, 8, "checksum");
        if (r->bad)
            return -1;
        if (c.pos != len)
            return rfail(r, c.pos, "%zu bytes after the end record", len - c.pos);
        if (check_sum && sum != snap_hash(data, at))
            return rfail(r, at, "checksum 0x%016llx does not match the contents (0x%016llx): "
                         "the file is corrupted", (unsigned long long)sum,
                         (unsigned long long)snap_hash(data, at));
    }
    return 0;
}

const struct snap_section *snap_find(const struct snap_reader *r, const char *name)
{
    size_t n = strlen(name);
    for (unsigned i = 0; i < r->nsec; i++)
        if (r->sec[i].name_len == n && !memcmp(r->sec[i].name, name, n))
            return &r->sec[i];
    return NULL;
}

int snap_open(struct snap_reader *r, const char *name, uint32_t max_version,
              struct sim_error *err)
{
    struct snap_section *s = (struct snap_section *)snap_find(r, name);

    r->err = err;
    r->bad = false;
    r->cur = NULL;
    if (!s)
        return rfail(r, r->len, "no section '%s' (snapshot of an older or different machine?)",
                     name);
    r->cur = s;
    s->used = true;
    r->pos = s->off;
    r->end = s->off + s->size;
    r->version = s->version;
    if (s->version == 0 || s->version > max_version)
        return rfail(r, s->off, "version %u, this tocksim reads versions 1..%u", s->version,
                     max_version);
    return (int)s->version;
}

int snap_close(struct snap_reader *r)
{
    if (r->bad)
        return -1;
    if (r->pos != r->end)
        return rfail(r, r->pos, "%zu bytes left unread (not the layout of version %u)",
                     r->end - r->pos, r->version);
    r->cur = NULL;
    return 0;
}

const struct snap_section *snap_unused(const struct snap_reader *r)
{
    for (unsigned i = 0; i < r->nsec; i++)
        if (!r->sec[i].used)
            return &r->sec[i];
    return NULL;
}

const uint8_t *snap_get_span(struct snap_reader *r, const char *key, size_t n)
{
    const uint8_t *p;
    if (r->bad || !r->cur)
        return NULL;
    if (r->end - r->pos < n) {
        rfail(r, r->pos, "truncated reading '%s' (%zu bytes, %zu left)", key, n, r->end - r->pos);
        return NULL;
    }
    p = r->data + r->pos;
    r->pos += n;
    return p;
}

static uint64_t rget(struct snap_reader *r, const char *key, unsigned n)
{
    const uint8_t *p = snap_get_span(r, key, n);
    return p ? get_le(p, n) : 0;
}

uint8_t snap_get_u8(struct snap_reader *r, const char *key) { return (uint8_t)rget(r, key, 1); }
uint16_t snap_get_u16(struct snap_reader *r, const char *key) { return (uint16_t)rget(r, key, 2); }
uint32_t snap_get_u32(struct snap_reader *r, const char *key) { return (uint32_t)rget(r, key, 4); }
uint64_t snap_get_u64(struct snap_reader *r, const char *key) { return rget(r, key, 8); }

bool snap_get_bool(struct snap_reader *r, const char *key)
{
    size_t at = r->pos;
    uint8_t v = snap_get_u8(r, key);
    if (v > 1)
        rfail(r, at, "field '%s': %u, expected 0 or 1", key, v);
    return v == 1;
}

void snap_get_bytes(struct snap_reader *r, const char *key, void *p, size_t n)
{
    const uint8_t *s = snap_get_span(r, key, n);
    if (s)
        memcpy(p, s, n);
    else
        memset(p, 0, n);
}

void snap_get_str(struct snap_reader *r, const char *key, char *buf, size_t cap)
{
    size_t at = r->pos;
    uint32_t n = snap_get_u32(r, key);
    const uint8_t *s;
    buf[0] = 0;
    if (r->bad)
        return;
    if (n >= cap) {
        rfail(r, at, "field '%s': string of %u bytes, expected at most %zu", key, n, cap - 1);
        return;
    }
    s = snap_get_span(r, key, n);
    if (s) {
        memcpy(buf, s, n);
        buf[n] = 0;
    }
}

void snap_get_u32s(struct snap_reader *r, const char *key, uint32_t *a, size_t n)
{
    const uint8_t *s = snap_get_span(r, key, 4 * n);
    for (size_t i = 0; i < n; i++)
        a[i] = s ? (uint32_t)get_le(s + 4 * i, 4) : 0;
}

void snap_get_u64s(struct snap_reader *r, const char *key, uint64_t *a, size_t n)
{
    const uint8_t *s = snap_get_span(r, key, 8 * n);
    for (size_t i = 0; i < n; i++)
        a[i] = s ? get_le(s + 8 * i, 8) : 0;
}

void snap_get_bools(struct snap_reader *r, const char *key, bool *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = snap_get_bool(r, key);
}

void snap_get_event(struct snap_reader *r, const char *key, struct evq *q, struct evq_event *ev)
{
    bool pending = snap_get_bool(r, key);
    size_t at = r->pos;
    cycles_t when = snap_get_u64(r, key);
    uint64_t seq = snap_get_u64(r, key);

    evq_cancel(q, ev);
    if (r->bad || !pending)
        return;
    if (seq >= q->seq) {
        rfail(r, at, "event '%s': sequence number %llu, but the queue's next is %llu",
              ev->name, (unsigned long long)seq, (unsigned long long)q->seq);
        return;
    }
    evq_restore(q, ev, when, seq);
}

void snap_get_counter(struct snap_reader *r, const char *key, struct counter *c)
{
    size_t at = r->pos;
    c->tick_hz = snap_get_u64(r, key);
    c->prescale = snap_get_u32(r, key);
    c->mask = snap_get_u64(r, key);
    c->running = snap_get_bool(r, key);
    c->base_value = snap_get_u64(r, key);
    c->base_ticks = snap_get_u64(r, key);
    if (!r->bad && (c->tick_hz == 0 || c->prescale == 0 || (c->mask & (c->mask + 1))))
        rfail(r, at, "counter '%s': tick_hz %llu, prescale %u, mask 0x%llx: expected non-zero "
              "clocks and a mask of all ones", key, (unsigned long long)c->tick_hz, c->prescale,
              (unsigned long long)c->mask);
}

int snap_fail(struct snap_reader *r, const char *key, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rfail(r, r->pos, "field '%s': %s", key, msg);
}

/* -------------------------------------------------------------- files -- */

int snap_file_write(const char *path, struct snap_buf *b, struct sim_error *err)
{
    FILE *f;
    size_t body;

    if (b->len < 8)
        return sim_errorf(err, "%s: empty snapshot", path);
    body = b->len - 8;
    put_le(b->data + body, snap_hash(b->data, body), 8);
    f = fopen(path, "wb");
    if (!f)
        return sim_errorf(err, "%s: cannot create", path);
    if (fwrite(b->data, 1, b->len, f) != b->len) {
        fclose(f);
        return sim_errorf(err, "%s: write failed", path);
    }
    if (fclose(f))
        return sim_errorf(err, "%s: write failed", path);
    return 0;
}

int snap_file_read(const char *path, struct snap_buf *b, struct sim_error *err)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return sim_errorf(err, "%s: cannot open", path);
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return sim_errorf(err, "%s: cannot read", path);
    }
    free(b->data);
    b->data = malloc(n ? (size_t)n : 1);
    b->len = b->cap = 0;
    if (!b->data) {
        fclose(f);
        return sim_errorf(err, "%s: out of memory (%ld bytes)", path, n);
    }
    b->cap = n ? (size_t)n : 1;
    if (fread(b->data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        return sim_errorf(err, "%s: cannot read", path);
    }
    b->len = (size_t)n;
    fclose(f);
    return 0;
}

int snap_describe(const char *src, const uint8_t *data, size_t len, FILE *out,
                  struct sim_error *err)
{
    struct snap_reader *r = malloc(sizeof *r);
    const struct snap_header *h;

    if (!r)
        return sim_errorf(err, "%s: out of memory", src);
    if (snap_reader_open(r, data, len, src, true, err)) {
        free(r);
        return -1;
    }
    h = &r->hdr;
    fprintf(out, "%s: tocksim snapshot, format version %u, %zu bytes\n", src, h->format, len);
    fprintf(out, "  board       %s (%llu Hz)\n", h->board, (unsigned long long)h->cpu_hz);
    {
        char t[32];
        fprintf(out, "  taken at    cycle %llu, t=%s\n", (unsigned long long)h->now,
                sclock_fmt_ns(h->cpu_hz ? sclock_cycles_to_ns(h->now, h->cpu_hz) : 0, t,
                              sizeof t));
    }
    for (unsigned i = 0; i < h->nimages; i++)
        fprintf(out, "  image %-4u  %s, %llu bytes, hash %016llx\n", i, h->images[i].name,
                (unsigned long long)h->images[i].size, (unsigned long long)h->images[i].hash);
    fprintf(out, "  sections    %u\n", r->nsec);
    for (unsigned i = 0; i < r->nsec; i++)
        fprintf(out, "    %-20.*s v%-3u %10zu bytes\n", (int)r->sec[i].name_len, r->sec[i].name,
                r->sec[i].version, r->sec[i].size);
    free(r);
    return 0;
}
