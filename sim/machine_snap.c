/* Machine snapshots (format in snap.h): the header names the board and the
 * images loaded; then sections, in this order:
 *   machine     clock, event sequence counter, trace hash and record count,
 *               console byte count, console input still queued, the
 *               --until-text matcher, exit request, IRQ/pin line levels
 *   mem.<name>  one per RAM/ROM region: the non-zero 4 KiB pages
 *   <periph>    one per peripheral instance (its model's save op)
 *   cpu, <core> the core (cpu_snap.c, cortexm.c / rv32.c)
 *   osview      the Tock processes' states as the host sees them (osview.c)
 *   evq         the pending events in queue order: a cross-check of what
 *               the models re-armed (a model that forgot an event fails the
 *               restore instead of diverging silently)
 *
 * Memory: only pages the host ever touched can be non-zero (the regions
 * are anonymous mappings), which /proc/self/pagemap tells (present or
 * swapped); of those, the all-zero pages are left out. So a 128 MiB region
 * with 2 MiB in use costs 2 MiB, and the bytes of a snapshot depend only on
 * the machine state, never on the host's paging. */
#include "machine.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../boards/board.h"
#include "../cpu/cpu.h"

#define MACHINE_SNAP_VERSION 1
#define MEM_SNAP_VERSION 1
#define EVQ_SNAP_VERSION 1
#define SNAP_PAGE 4096u

static const uint8_t zero_page[SNAP_PAGE];

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int machine_note_image(struct machine *m, const char *path, const void *data, size_t len,
                       struct sim_error *err)
{
    struct snap_image *im;
    uint8_t *buf = NULL;

    if (m->nimage_ids == SNAP_MAX_IMAGES)
        return sim_errorf(err, "%s: more than %u images", path, SNAP_MAX_IMAGES);
    if (!data) {
        FILE *f = fopen(path, "rb");
        long n;
        if (!f)
            return sim_errorf(err, "%s: cannot open", path);
        if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
            !(buf = malloc(n ? (size_t)n : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
            fclose(f);
            free(buf);
            return sim_errorf(err, "%s: cannot read", path);
        }
        fclose(f);
        data = buf;
        len = (size_t)n;
    }
    im = &m->image_ids[m->nimage_ids++];
    snprintf(im->name, sizeof im->name, "%s", base_name(path));
    im->size = len;
    im->hash = snap_hash(data, len);
    free(buf);
    return 0;
}

/* -------------------------------------------------------------- memory -- */

/* Marks in `touched` (one byte per page) the pages of [host, host + npages
 * pages) that the host has ever given memory to: only those can hold
 * anything but zeros. Without /proc/self/pagemap, all of them. */
static void touched_pages(const uint8_t *host, size_t npages, uint8_t *touched)
{
    uint64_t ent[512];
    int fd = open("/proc/self/pagemap", O_RDONLY);
    size_t first = (size_t)((uintptr_t)host / SNAP_PAGE);

    if (fd < 0 || (uintptr_t)host % SNAP_PAGE || sysconf(_SC_PAGESIZE) != SNAP_PAGE) {
        memset(touched, 1, npages);
        if (fd >= 0)
            close(fd);
        return;
    }
    for (size_t i = 0; i < npages;) {
        size_t n = npages - i < ARRAY_LEN(ent) ? npages - i : ARRAY_LEN(ent);
        ssize_t got = pread(fd, ent, n * 8, (off_t)((first + i) * 8));
        if (got != (ssize_t)(n * 8)) {
            memset(touched + i, 1, npages - i);
            break;
        }
        for (size_t k = 0; k < n; k++)
            touched[i + k] = (ent[k] >> 62) != 0;      /* present or swapped */
        i += n;
    }
    close(fd);
}

static int save_mem(struct machine *m, struct snap_writer *w)
{
    for (unsigned i = 0; i < m->bus.nregions; i++) {
        const struct bus_region *rg = &m->bus.regions[i];
        size_t npages = rg->size / SNAP_PAGE;
        uint8_t *touched = malloc(npages);
        uint32_t count = 0;
        char name[80];
        size_t count_off;

        if (!touched)
            return -1;
        touched_pages(rg->host, npages, touched);
        snprintf(name, sizeof name, "mem.%s", rg->name);
        snap_begin(w, name, MEM_SNAP_VERSION);
        snap_u32(w, "base", rg->base);
        snap_u32(w, "size", rg->size);
        snap_u32(w, "page_size", SNAP_PAGE);
        count_off = w->buf->len;
        snap_u32(w, "npages", 0);
        for (size_t p = 0; p < npages; p++) {
            const uint8_t *pg = rg->host + p * SNAP_PAGE;
            if (!touched[p] || !memcmp(pg, zero_page, SNAP_PAGE))
                continue;
            snap_u32(w, "page", (uint32_t)p);
            snap_bytes(w, "data", pg, SNAP_PAGE);
            count++;
        }
        if (!w->oom)
            for (unsigned k = 0; k < 4; k++)
                w->buf->data[count_off + k] = (uint8_t)(count >> (8 * k));
        snap_end(w);
        free(touched);
    }
    return 0;
}

/* Memory the restore rewrote, as merged ranges (for the CPU to drop
 * translations of). */
struct changed {
    struct cpu_range *r;
    unsigned n, cap;
    bool oom;
};

static void changed_add(struct changed *ch, uint32_t addr, uint32_t len)
{
    if (ch->n && ch->r[ch->n - 1].addr + ch->r[ch->n - 1].len == addr) {
        ch->r[ch->n - 1].len += len;
        return;
    }
    if (ch->n == ch->cap) {
        unsigned cap = ch->cap ? 2 * ch->cap : 64;
        struct cpu_range *nr = realloc(ch->r, cap * sizeof *nr);
        if (!nr) {
            ch->oom = true;
            return;
        }
        ch->r = nr;
        ch->cap = cap;
    }
    ch->r[ch->n].addr = addr;
    ch->r[ch->n].len = len;
    ch->n++;
}

static int load_mem(struct machine *m, struct snap_reader *r, struct changed *ch,
                    struct sim_error *err)
{
    for (unsigned i = 0; i < m->bus.nregions; i++) {
        const struct bus_region *rg = &m->bus.regions[i];
        size_t npages = rg->size / SNAP_PAGE;
        uint8_t *have = calloc(npages, 1), *touched = malloc(npages);
        uint32_t base, size, psize, count;
        char name[80];
        int rc = -1;

        if (!have || !touched) {
            free(have);
            free(touched);
            return sim_errorf(err, "out of memory");
        }
        snprintf(name, sizeof name, "mem.%s", rg->name);
        if (snap_open(r, name, MEM_SNAP_VERSION, err) < 0)
            goto out;
        base = snap_get_u32(r, "base");
        size = snap_get_u32(r, "size");
        psize = snap_get_u32(r, "page_size");
        if (!r->bad && (base != rg->base || size != rg->size || psize != SNAP_PAGE)) {
            snap_fail(r, "base", "region at 0x%08x, 0x%x bytes, pages of %u: this board's %s "
                      "is at 0x%08x, 0x%x bytes (pages of %u)", base, size, psize, rg->name,
                      rg->base, rg->size, SNAP_PAGE);
            goto out;
        }
        count = snap_get_u32(r, "npages");
        for (uint32_t k = 0; k < count && !r->bad; k++) {
            uint32_t p = snap_get_u32(r, "page");
            const uint8_t *d;
            if (!r->bad && (p >= npages || have[p])) {
                snap_fail(r, "page", "page %u: beyond the region's %zu pages or repeated", p,
                          npages);
                break;
            }
            d = snap_get_span(r, "data", SNAP_PAGE);
            if (d) {
                uint8_t *pg = rg->host + (size_t)p * SNAP_PAGE;
                have[p] = 1;
                touched[p] = memcmp(pg, d, SNAP_PAGE) != 0;    /* changed */
                if (touched[p])
                    memcpy(pg, d, SNAP_PAGE);
            }
        }
        if (snap_close(r))
            goto out;
        for (size_t p = 0; p < npages; p++)
            if (have[p]) {
                have[p] = touched[p] ? 2 : 1;
            }
        /* every other page is zero */
        touched_pages(rg->host, npages, touched);
        for (size_t p = 0; p < npages; p++) {
            uint8_t *pg = rg->host + p * SNAP_PAGE;
            if (touched[p] && !have[p] && memcmp(pg, zero_page, SNAP_PAGE)) {
                memset(pg, 0, SNAP_PAGE);
                have[p] = 2;
            }
            if (have[p] == 2)
                changed_add(ch, rg->base + (uint32_t)p * SNAP_PAGE, SNAP_PAGE);
        }
        if (ch->oom) {
            sim_errorf(err, "out of memory");
            goto out;
        }
        rc = 0;
out:
        free(have);
        free(touched);
        if (rc)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------- machine -- */

static void save_machine(struct machine *m, struct snap_writer *w)
{
    snap_begin(w, "machine", MACHINE_SNAP_VERSION);
    snap_u64(w, "now", m->q.now);
    snap_u64(w, "evq_seq", m->q.seq);
    snap_u64(w, "trace_hash", m->tr.hash);
    snap_u64(w, "trace_records", m->tr.records);
    snap_u32(w, "trace_mask", m->tr.mask);
    snap_u64(w, "console_bytes", m->console_bytes);
    snap_bool(w, "wfi_traced", m->wfi_traced);
    snap_bool(w, "exit_req", m->exit_req);
    snap_u32(w, "exit_status", (uint32_t)m->exit_status);
    snap_str(w, "exit_why", m->exit_why);
    snap_u32(w, "input_len", (uint32_t)(m->input_len - m->input_pos));
    snap_bytes(w, "input", m->input ? m->input + m->input_pos : NULL,
               m->input_len - m->input_pos);
    snap_event(w, "input_ev", &m->input_ev);
    snap_str(w, "until_text", m->until_text);
    snap_u64(w, "until_matched", m->until_matched);
    snap_bool(w, "until_hit", m->until_hit);
    snap_u32(w, "nperiphs", m->nperiphs);
    for (unsigned i = 0; i < m->nperiphs; i++) {
        const struct periph *p = m->periphs[i];
        uint32_t irq = 0, pins = 0;
        for (unsigned k = 0; k < PERIPH_MAX_IRQ; k++)
            irq |= (uint32_t)p->irq[k].level << k;
        for (unsigned k = 0; k < PERIPH_MAX_PINS; k++)
            pins |= (uint32_t)p->pin[k].level << k;
        snap_u8(w, "irq_levels", (uint8_t)irq);
        snap_u32(w, "pin_levels", pins);
    }
    snap_end(w);
}

/* The clock and the sequence counter first: the models re-arm their
 * events against them. */
static int load_machine(struct machine *m, struct snap_reader *r, struct sim_error *err)
{
    char text[256];
    uint32_t n, np;
    const uint8_t *in;

    if (snap_open(r, "machine", MACHINE_SNAP_VERSION, err) < 0)
        return -1;
    m->q.now = snap_get_u64(r, "now");
    m->q.seq = snap_get_u64(r, "evq_seq");
    m->tr.hash = snap_get_u64(r, "trace_hash");
    m->tr.records = snap_get_u64(r, "trace_records");
    (void)snap_get_u32(r, "trace_mask");   /* informative: the run's --trace decides */
    m->console_bytes = snap_get_u64(r, "console_bytes");
    m->wfi_traced = snap_get_bool(r, "wfi_traced");
    m->exit_req = snap_get_bool(r, "exit_req");
    m->exit_status = (int)snap_get_u32(r, "exit_status");
    snap_get_str(r, "exit_why", m->exit_why, sizeof m->exit_why);
    n = snap_get_u32(r, "input_len");
    in = snap_get_span(r, "input", n);
    free(m->input);
    m->input = NULL;
    m->input_len = m->input_pos = 0;
    if (in && n) {
        m->input = malloc(n);
        if (!m->input)
            return sim_errorf(err, "out of memory");
        memcpy(m->input, in, n);
        m->input_len = n;
    }
    snap_get_event(r, "input_ev", &m->q, &m->input_ev);
    snap_get_str(r, "until_text", text, sizeof text);
    m->until_matched = (size_t)snap_get_u64(r, "until_matched");
    m->until_hit = snap_get_bool(r, "until_hit");
    /* the matcher goes on only for the same text */
    if (!m->until_text || strcmp(text, m->until_text) ||
        m->until_matched > strlen(m->until_text)) {
        m->until_matched = 0;
        m->until_hit = false;
    }
    np = snap_get_u32(r, "nperiphs");
    if (!r->bad && np != m->nperiphs)
        return snap_fail(r, "nperiphs", "%u, this board has %u", np, m->nperiphs);
    for (unsigned i = 0; i < m->nperiphs && !r->bad; i++) {
        struct periph *p = m->periphs[i];
        uint32_t irq = snap_get_u8(r, "irq_levels"), pins = snap_get_u32(r, "pin_levels");
        /* levels only: every sink restores its own view of its inputs */
        for (unsigned k = 0; k < PERIPH_MAX_IRQ; k++)
            p->irq[k].level = (irq >> k) & 1;
        for (unsigned k = 0; k < PERIPH_MAX_PINS; k++)
            p->pin[k].level = (pins >> k) & 1;
    }
    return snap_close(r);
}

static void save_evq(struct machine *m, struct snap_writer *w)
{
    uint32_t n = 0;
    for (const struct evq_event *ev = m->q.head; ev; ev = ev->next)
        n++;
    snap_begin(w, "evq", EVQ_SNAP_VERSION);
    snap_u32(w, "count", n);
    for (const struct evq_event *ev = m->q.head; ev; ev = ev->next) {
        snap_str(w, "name", ev->name);
        snap_u64(w, "when", ev->when);
        snap_u8(w, "prio", ev->prio);
        snap_u64(w, "seq", ev->seq);
    }
    snap_end(w);
}

static int check_evq(struct machine *m, struct snap_reader *r, struct sim_error *err)
{
    const struct evq_event *ev = m->q.head;
    uint32_t n;

    if (snap_open(r, "evq", EVQ_SNAP_VERSION, err) < 0)
        return -1;
    n = snap_get_u32(r, "count");
    for (uint32_t i = 0; i < n && !r->bad; i++, ev = ev ? ev->next : NULL) {
        char name[64];
        cycles_t when;
        uint8_t prio;
        uint64_t seq;
        snap_get_str(r, "name", name, sizeof name);
        when = snap_get_u64(r, "when");
        prio = snap_get_u8(r, "prio");
        seq = snap_get_u64(r, "seq");
        if (r->bad)
            break;
        if (!ev)
            return snap_fail(r, "name", "event %u '%s' at cycle %llu was not re-armed by its "
                             "model", i, name, (unsigned long long)when);
        if (strcmp(ev->name, name) || ev->when != when || ev->prio != prio || ev->seq != seq)
            return snap_fail(r, "name", "event %u is '%s' at cycle %llu (seq %llu), but the "
                             "models re-armed '%s' at cycle %llu (seq %llu)", i, name,
                             (unsigned long long)when, (unsigned long long)seq, ev->name,
                             (unsigned long long)ev->when, (unsigned long long)ev->seq);
    }
    if (!r->bad && ev)
        return snap_fail(r, "count", "%u events, but the models re-armed more ('%s' at cycle "
                         "%llu)", n, ev->name, (unsigned long long)ev->when);
    return snap_close(r);
}

/* ---------------------------------------------------------- interface -- */

static void header_of(const struct machine *m, struct snap_header *h)
{
    memset(h, 0, sizeof *h);
    h->format = SNAP_FORMAT_VERSION;
    snprintf(h->board, sizeof h->board, "%s", m->board->name);
    h->cpu_hz = m->board->cpu_hz;
    h->now = m->q.now;
    h->nimages = m->nimage_ids;
    memcpy(h->images, m->image_ids, sizeof h->images[0] * m->nimage_ids);
}

int machine_snapshot(struct machine *m, struct snap_buf *b)
{
    struct snap_writer w;
    struct snap_header *h = malloc(sizeof *h);

    if (!h)
        return -1;
    header_of(m, h);
    snap_writer_init(&w, b, h);
    free(h);
    save_machine(m, &w);
    if (save_mem(m, &w))
        return -1;
    for (unsigned i = 0; i < m->nperiphs; i++)
        m->periphs[i]->model->ops->save(m->periphs[i], &w);
    cpu_snapshot_save(m->cpu, &w);
    osview_save(&m->os, &w);
    save_evq(m, &w);
    return snap_writer_finish(&w);
}

static int check_header(const struct machine *m, const struct snap_reader *r,
                        struct sim_error *err)
{
    const struct snap_header *h = &r->hdr;

    if (strcmp(h->board, m->board->name))
        return sim_errorf(err, "%s: the snapshot is of board %s, not %s", r->src, h->board,
                          m->board->name);
    if (h->cpu_hz != m->board->cpu_hz)
        return sim_errorf(err, "%s: the snapshot's core clock is %llu Hz, board %s runs at "
                          "%llu Hz", r->src, (unsigned long long)h->cpu_hz, m->board->name,
                          (unsigned long long)m->board->cpu_hz);
    for (unsigned i = 0; i < h->nimages || i < m->nimage_ids; i++) {
        const struct snap_image *a = i < h->nimages ? &h->images[i] : NULL;
        const struct snap_image *b = i < m->nimage_ids ? &m->image_ids[i] : NULL;
        if (!a)
            return sim_errorf(err, "%s: the snapshot has %u image(s); %s is one more", r->src,
                              h->nimages, b->name);
        if (!b)
            return sim_errorf(err, "%s: the snapshot was taken with %u image(s); image %u (%s) "
                              "is missing", r->src, h->nimages, i, a->name);
        if (a->size != b->size || a->hash != b->hash)
            return sim_errorf(err, "%s: image %u differs: the snapshot has %s (%llu bytes, hash "
                              "%016llx), this run loaded %s (%llu bytes, hash %016llx)", r->src,
                              i, a->name, (unsigned long long)a->size,
                              (unsigned long long)a->hash, b->name,
                              (unsigned long long)b->size, (unsigned long long)b->hash);
    }
    return 0;
}

static int restore(struct machine *m, const struct snap_buf *b, const char *src, bool check_sum,
                   struct sim_error *err)
{
    struct snap_reader *r = malloc(sizeof *r);
    const struct snap_section *extra;
    struct changed ch = { NULL, 0, 0, false };
    uint32_t mask = m->tr.mask;
    int rc = -1;

    if (!r)
        return sim_errorf(err, "out of memory");
    if (snap_reader_open(r, b->data, b->len, src, check_sum, err) || check_header(m, r, err))
        goto out;
    m->tr.mask = 0;                 /* restoring traces nothing */
    evq_clear(&m->q);
    if (load_machine(m, r, err) || load_mem(m, r, &ch, err))
        goto out;
    for (unsigned i = 0; i < m->nperiphs; i++)
        if (m->periphs[i]->model->ops->load(m->periphs[i], r, err))
            goto out;
    if (cpu_snapshot_load(m->cpu, r, ch.r, ch.n, err) || osview_load(&m->os, r, err) ||
        check_evq(m, r, err))
        goto out;
    extra = snap_unused(r);
    if (extra) {
        sim_errorf(err, "%s: section '%.*s' is not part of board %s", src, (int)extra->name_len,
                   extra->name, m->board->name);
        goto out;
    }
    rc = 0;
out:
    m->tr.mask = mask;
    free(ch.r);
    free(r);
    return rc;
}

int machine_restore(struct machine *m, const struct snap_buf *b, const char *src,
                    struct sim_error *err)
{
    return restore(m, b, src ? src : "snapshot", false, err);
}

int machine_snapshot_file(struct machine *m, const char *path, struct sim_error *err)
{
    struct snap_buf b;
    int rc;

    snap_buf_init(&b);
    if (machine_snapshot(m, &b)) {
        snap_buf_free(&b);
        return sim_errorf(err, "%s: out of memory while taking the snapshot", path);
    }
    rc = snap_file_write(path, &b, err);
    snap_buf_free(&b);
    return rc;
}

int machine_restore_file(struct machine *m, const char *path, struct sim_error *err)
{
    struct snap_buf b;
    int rc;

    snap_buf_init(&b);
    rc = snap_file_read(path, &b, err);
    if (!rc)
        rc = restore(m, &b, path, true, err);
    snap_buf_free(&b);
    return rc;
}

int machine_snapshot_header(const char *path, struct snap_header *h, struct sim_error *err)
{
    struct snap_buf b;
    struct snap_reader *r = malloc(sizeof *r);
    int rc;

    if (!r)
        return sim_errorf(err, "out of memory");
    snap_buf_init(&b);
    rc = snap_file_read(path, &b, err);
    if (!rc)
        rc = snap_reader_open(r, b.data, b.len, path, true, err);
    if (!rc)
        *h = r->hdr;
    snap_buf_free(&b);
    free(r);
    return rc;
}

int machine_snapshot_describe(const char *path, const uint8_t *data, size_t len, FILE *out,
                              struct sim_error *err)
{
    struct snap_reader *r;
    struct sim_error e2;

    if (snap_describe(path, data, len, out, err))
        return -1;
    r = malloc(sizeof *r);
    if (!r)
        return 0;
    /* the machine section's counters, when this tocksim can read them */
    if (!snap_reader_open(r, data, len, path, true, &e2) &&
        snap_open(r, "machine", MACHINE_SNAP_VERSION, &e2) > 0) {
        uint64_t now = snap_get_u64(r, "now");
        (void)snap_get_u64(r, "evq_seq");
        uint64_t hash = snap_get_u64(r, "trace_hash"), records = snap_get_u64(r, "trace_records");
        (void)snap_get_u32(r, "trace_mask");
        uint64_t console = snap_get_u64(r, "console_bytes");
        if (!r->bad)
            fprintf(out, "  machine     cycle %llu, trace hash %016llx (%llu records), "
                    "console bytes %llu\n", (unsigned long long)now, (unsigned long long)hash,
                    (unsigned long long)records, (unsigned long long)console);
    }
    free(r);
    return 0;
}
