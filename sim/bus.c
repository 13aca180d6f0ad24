#include "bus.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <unicorn/unicorn.h>

#include "../periph/periph.h"

void bus_init(struct bus *b, struct trace *tr)
{
    memset(b, 0, sizeof *b);
    b->tr = tr;
}

void bus_free(struct bus *b)
{
    for (unsigned i = 0; i < b->nregions; i++)
        if (b->regions[i].host)
            munmap(b->regions[i].host, b->regions[i].size);
    for (unsigned i = 0; i < b->nperiphs; i++) {
        free(b->periphs[i]->decode);
        b->periphs[i]->decode = NULL;
    }
    free(b->spans);
    b->spans = NULL;
    b->nregions = b->nperiphs = 0;
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

int bus_add_ram(struct bus *b, const char *name, uint32_t base, uint32_t size, bool rom,
                struct sim_error *err)
{
    struct bus_region *r;
    void *host;

    if (b->nregions == BUS_MAX_REGIONS)
        return sim_errorf(err, "memory region %s: more than %d regions", name, BUS_MAX_REGIONS);
    if (size == 0 || (base & 0xfff) || (size & 0xfff))
        return sim_errorf(err, "memory region %s: base 0x%08x size 0x%x must be 4 KiB aligned",
                          name, base, size);
    for (unsigned i = 0; i < b->nregions; i++)
        if (overlaps(base, size, b->regions[i].base, b->regions[i].size))
            return sim_errorf(err, "memory region %s overlaps %s", name, b->regions[i].name);
    /* Anonymous mappings: pages the guest never touches cost nothing. */
    host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (host == MAP_FAILED)
        return sim_errorf(err, "memory region %s: cannot allocate %u bytes", name, size);
    r = &b->regions[b->nregions++];
    r->name = name;
    r->base = base;
    r->size = size;
    r->rom = rom;
    r->host = host;
    return 0;
}

static unsigned reg_count(const struct reg_desc *d) { return d->count > 1 ? d->count : 1; }
static unsigned reg_stride(const struct reg_desc *d) { return d->stride ? d->stride : 4; }

/* Builds the word-offset -> register map of a window. */
static int build_decode(struct periph *p, struct sim_error *err)
{
    const struct periph_model *m = p->model;
    unsigned nwords = (m->size + 3) / 4;

    p->decode = calloc(nwords, sizeof *p->decode);
    if (!p->decode)
        return sim_errorf(err, "%s: out of memory", p->name);
    for (unsigned r = 0; r < m->nregs; r++) {
        const struct reg_desc *d = &m->regs[r];
        for (unsigned i = 0; i < reg_count(d); i++) {
            uint32_t off = d->offset + i * reg_stride(d);
            unsigned w = off / 4;
            if (off % 4 || w >= nwords || p->decode[w])
                return sim_errorf(err, "model %s: register %s[%u] at 0x%x is misaligned, "
                                  "outside the window or overlaps another", m->kind, d->name, i, off);
            p->decode[w] = (uint32_t)(r + 1) << 16 | i;
        }
    }
    return 0;
}

int bus_add_periph(struct bus *b, struct periph *p, struct sim_error *err)
{
    unsigned i;

    if (b->nperiphs == BUS_MAX_PERIPHS)
        return sim_errorf(err, "%s: more than %d peripherals", p->name, BUS_MAX_PERIPHS);
    if (build_decode(p, err))
        return -1;
    /* keep sorted by window size so that the smallest window wins */
    for (i = b->nperiphs; i > 0 && b->periphs[i - 1]->model->size > p->model->size; i--)
        b->periphs[i] = b->periphs[i - 1];
    b->periphs[i] = p;
    b->nperiphs++;
    return 0;
}

const struct bus_region *bus_region_at(const struct bus *b, uint32_t addr)
{
    for (unsigned i = 0; i < b->nregions; i++) {
        const struct bus_region *r = &b->regions[i];
        if (addr - r->base < r->size)
            return r;
    }
    return NULL;
}

uint8_t *bus_ram_ptr(struct bus *b, uint32_t addr, uint32_t len)
{
    const struct bus_region *r = bus_region_at(b, addr);
    if (!r || len > r->size - (addr - r->base))
        return NULL;
    return r->host + (addr - r->base);
}

struct periph *bus_periph_at(const struct bus *b, uint32_t addr)
{
    for (unsigned i = 0; i < b->nperiphs; i++) {
        struct periph *p = b->periphs[i];
        if (addr - p->base < p->model->size)
            return p;
    }
    return NULL;
}

/* Decodes addr in p's window; false for a hole. */
static bool decode(const struct periph *p, uint32_t addr, unsigned size, struct reg_ref *r)
{
    uint32_t off = addr - p->base;
    uint32_t d = p->decode[off / 4];

    if (!d)
        return false;
    r->reg = (uint16_t)((d >> 16) - 1);
    r->idx = (uint16_t)(d & 0xffff);
    r->byte = (uint8_t)(off & 3);
    r->size = (uint8_t)size;
    return true;
}

static bool size_ok(const struct periph *p, uint32_t addr, unsigned size)
{
    return size >= p->model->min_access && size <= p->model->max_access && (addr & (size - 1)) == 0;
}

static void raise_fault(struct bus *b, uint32_t addr, bool write)
{
    if (!b->fault_pending) {
        b->fault_pending = true;
        b->fault_addr = addr;
        b->fault_write = write;
    }
    if (b->notify)
        b->notify(b->cpu_ctx);
}

/* The Private Peripheral Bus (the SCS) is for privileged code only. */
static bool ppb_denied(struct bus *b, uint32_t addr, bool write)
{
    return addr >= 0xE0000000u && addr < 0xE0100000u && b->ppb_allowed &&
           !b->ppb_allowed(b->cpu_ctx, addr, write);
}

uint32_t bus_mmio_read(struct bus *b, uint32_t addr, unsigned size)
{
    struct periph *p = bus_periph_at(b, addr);
    struct reg_ref r;
    uint32_t v;

    if (!p) {
        TRACE(b->tr, TR_GUEST_ERR, "read%u from unmapped address 0x%08x", size * 8, addr);
        raise_fault(b, addr, false);
        return 0;
    }
    if (ppb_denied(b, addr, false)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s: unprivileged read at 0x%08x", p->name, addr);
        raise_fault(b, addr, false);
        return 0;
    }
    if (!decode(p, addr, size, &r)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s: read%u at unimplemented offset 0x%03x (reads as zero)",
              p->name, size * 8, addr - p->base);
        return 0;
    }
    const struct reg_desc *d = &p->model->regs[r.reg];
    if (!size_ok(p, addr, size)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s.%s: %u-byte read not allowed (sizes %u..%u)", p->name,
              d->name, size, p->model->min_access, p->model->max_access);
        return 0;
    }
    if (d->access == REG_WO) {
        TRACE(b->tr, TR_GUEST_ERR, "%s.%s: read of a write-only register (reads as zero)",
              p->name, d->name);
        return 0;
    }
    /* Models return the whole register; the access keeps its byte lanes
     * (periph/lanes.h). */
    v = p->model->ops->read(p, &r) >> (8 * r.byte);
    if (size < 4)
        v &= (1u << (8 * size)) - 1;
    if (trace_on(b->tr, TR_MMIO)) {
        if (reg_count(d) > 1)
            trace_emit(b->tr, TR_MMIO, "%s.%s[%u] -> 0x%08x", p->name, d->name, r.idx, v);
        else
            trace_emit(b->tr, TR_MMIO, "%s.%s -> 0x%08x", p->name, d->name, v);
    }
    return v;
}

void bus_mmio_write(struct bus *b, uint32_t addr, unsigned size, uint32_t val)
{
    struct periph *p = bus_periph_at(b, addr);
    struct reg_ref r;

    if (!p) {
        TRACE(b->tr, TR_GUEST_ERR, "write%u of 0x%08x to unmapped address 0x%08x", size * 8, val,
              addr);
        raise_fault(b, addr, true);
        return;
    }
    if (ppb_denied(b, addr, true)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s: unprivileged write at 0x%08x", p->name, addr);
        raise_fault(b, addr, true);
        return;
    }
    if (!decode(p, addr, size, &r)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s: write%u of 0x%08x at unimplemented offset 0x%03x (ignored)",
              p->name, size * 8, val, addr - p->base);
        return;
    }
    const struct reg_desc *d = &p->model->regs[r.reg];
    if (!size_ok(p, addr, size)) {
        TRACE(b->tr, TR_GUEST_ERR, "%s.%s: %u-byte write not allowed (sizes %u..%u)", p->name,
              d->name, size, p->model->min_access, p->model->max_access);
        return;
    }
    if (d->access == REG_RO) {
        TRACE(b->tr, TR_GUEST_ERR, "%s.%s: write of 0x%08x to a read-only register (ignored)",
              p->name, d->name, val);
        return;
    }
    if (trace_on(b->tr, TR_MMIO)) {
        if (reg_count(d) > 1)
            trace_emit(b->tr, TR_MMIO, "%s.%s[%u] <- 0x%08x", p->name, d->name, r.idx, val);
        else
            trace_emit(b->tr, TR_MMIO, "%s.%s <- 0x%08x", p->name, d->name, val);
    }
    /* Models receive the value in its byte lanes (periph/lanes.h). */
    p->model->ops->write(p, &r, size < 4 ? (val & ((1u << (8 * size)) - 1)) << (8 * r.byte) : val);
}

/* ---- Unicorn glue: one uc_mmio_map per page-aligned span of windows.
 * Unicorn passes offsets relative to the mapped base; each span carries its
 * base so one callback pair serves all spans. */

struct mmio_span {
    struct bus *b;
    uint32_t base;
};

static uint64_t span_read(uc_engine *uc, uint64_t offset, unsigned size, void *ud)
{
    struct mmio_span *s = ud;
    struct bus *b = s->b;
    uint32_t addr = s->base + (uint32_t)offset, v;
    (void)uc;
    if (b->access_begin)
        b->access_begin(b->cpu_ctx, addr, false);
    v = bus_mmio_read(b, addr, size);
    if (b->access_end)
        b->access_end(b->cpu_ctx);
    return v;
}

static void span_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *ud)
{
    struct mmio_span *s = ud;
    struct bus *b = s->b;
    uint32_t addr = s->base + (uint32_t)offset;
    (void)uc;
    if (b->access_begin)
        b->access_begin(b->cpu_ctx, addr, true);
    bus_mmio_write(b, addr, size, (uint32_t)value);
    if (b->access_end)
        b->access_end(b->cpu_ctx);
}

#define SPAN_PAGE 0x1000u

int bus_attach(struct bus *b, struct uc_struct *ucs, struct sim_error *err)
{
    uc_engine *uc = (uc_engine *)ucs;
    uc_err e;
    uint32_t starts[BUS_MAX_PERIPHS], ends[BUS_MAX_PERIPHS];
    unsigned nspans = 0;

    b->uc = ucs;
    for (unsigned i = 0; i < b->nregions; i++) {
        struct bus_region *r = &b->regions[i];
        e = uc_mem_map_ptr(uc, r->base, r->size,
                           r->rom ? UC_PROT_READ | UC_PROT_EXEC : UC_PROT_ALL, r->host);
        if (e != UC_ERR_OK)
            return sim_errorf(err, "memory region %s at 0x%08x: uc_mem_map_ptr: %s", r->name,
                              r->base, uc_strerror(e));
    }
    /* Page-aligned spans covering all windows, merged when they touch. */
    for (unsigned i = 0; i < b->nperiphs; i++) {
        struct periph *p = b->periphs[i];
        uint32_t s = p->base & ~(SPAN_PAGE - 1);
        uint64_t end = ((uint64_t)p->base + p->model->size + SPAN_PAGE - 1) & ~(uint64_t)(SPAN_PAGE - 1);
        starts[nspans] = s;
        ends[nspans] = (uint32_t)(end - 1);
        nspans++;
    }
    /* sort by start, merge overlaps */
    for (unsigned i = 1; i < nspans; i++)
        for (unsigned j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
            uint32_t t = starts[j]; starts[j] = starts[j - 1]; starts[j - 1] = t;
            t = ends[j]; ends[j] = ends[j - 1]; ends[j - 1] = t;
        }
    unsigned m = 0;
    for (unsigned i = 0; i < nspans; i++) {
        if (m && starts[i] <= ends[m - 1] + 1) {
            if (ends[i] > ends[m - 1])
                ends[m - 1] = ends[i];
        } else {
            starts[m] = starts[i];
            ends[m] = ends[i];
            m++;
        }
    }
    struct mmio_span *sp = m ? calloc(m, sizeof *sp) : NULL;
    b->spans = sp;
    if (!sp && m)
        return sim_errorf(err, "out of memory");
    for (unsigned i = 0; i < m; i++) {
        if (bus_region_at(b, starts[i]))
            return sim_errorf(err, "MMIO span 0x%08x overlaps memory", starts[i]);
        sp[i].b = b;
        sp[i].base = starts[i];
        e = uc_mmio_map(uc, starts[i], (uint64_t)ends[i] - starts[i] + 1, span_read, &sp[i],
                        span_write, &sp[i]);
        if (e != UC_ERR_OK)
            return sim_errorf(err, "MMIO span 0x%08x-0x%08x: uc_mmio_map: %s", starts[i], ends[i],
                              uc_strerror(e));
    }
    return 0;
}

int bus_debug_read(struct bus *b, uint32_t addr, void *buf, uint32_t len)
{
    uint8_t *out = buf;
    while (len) {
        const struct bus_region *r = bus_region_at(b, addr);
        if (r) {
            uint32_t n = r->size - (addr - r->base);
            if (n > len)
                n = len;
            memcpy(out, r->host + (addr - r->base), n);
            out += n; addr += n; len -= n;
        } else if (bus_periph_at(b, addr)) {
            *out++ = 0;             /* no side effects from a debugger read */
            addr++; len--;
        } else {
            return -1;
        }
    }
    return 0;
}

int bus_debug_write(struct bus *b, uint32_t addr, const void *buf, uint32_t len)
{
    const uint8_t *in = buf;
    while (len) {
        const struct bus_region *r = bus_region_at(b, addr);
        if (!r)
            return -1;
        uint32_t n = r->size - (addr - r->base);
        if (n > len)
            n = len;
        memcpy(r->host + (addr - r->base), in, n);
        if (b->uc)
            uc_ctl_remove_cache((uc_engine *)b->uc, addr, (uint64_t)addr + n);
        in += n; addr += n; len -= n;
    }
    return 0;
}
