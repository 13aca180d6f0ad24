/* TBF v2 writer, layout and decoder (see tbf.h). */
#include "tbf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pack.h"

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static uint32_t align4(uint32_t v) { return (v + 3u) & ~3u; }
static bool is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

/* ------------------------------------------------------------- writer -- */

static size_t name_len(const struct tbf_fields *f)
{
    return f->package_name ? strlen(f->package_name) : 0;
}

uint32_t tbf_header_size(const struct tbf_fields *f)
{
    uint32_t size = TBF_BASE_HEADER_SIZE;
    size += 4 + 12;                                     /* Main */
    size += 4 + 20;                                     /* Program */
    if (name_len(f))
        size += 4 + align4((uint32_t)name_len(f));      /* PackageName */
    if (f->fixed)
        size += 4 + 8;                                  /* FixedAddresses */
    size += 4 + 4;                                      /* KernelVersion */
    return size;
}

static uint8_t *put_tlv(uint8_t *p, uint16_t type, uint16_t len)
{
    wr16(p, type);
    wr16(p + 2, len);
    return p + 4;
}

uint32_t tbf_checksum(const uint8_t *hdr, uint32_t header_size)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 4 <= header_size; i += 4)
        if (i != 12)
            sum ^= rd32(hdr + i);
    return sum;
}

int tbf_write_header(const struct tbf_fields *f, uint8_t *out, size_t cap, struct sim_error *err)
{
    uint32_t hsize = tbf_header_size(f);
    size_t nlen = name_len(f);
    uint8_t *p = out;

    if (nlen > 0xFFFF - 3)
        return sim_errorf(err, "package name is %zu bytes long, at most 65532 fit in a TLV", nlen);
    if (cap < hsize)
        return sim_errorf(err, "TBF header needs 0x%" PRIx32 " bytes, only %zu available", hsize, cap);
    if (hsize > f->total_size)
        return sim_errorf(err, "TBF header (0x%" PRIx32 " bytes) is larger than total_size 0x%" PRIx32,
                          hsize, f->total_size);
    memset(out, 0, hsize);

    wr16(p, TBF_VERSION);
    wr16(p + 2, (uint16_t)hsize);
    wr32(p + 4, f->total_size);
    wr32(p + 8, f->flags);
    p += TBF_BASE_HEADER_SIZE;                          /* checksum filled in last */

    p = put_tlv(p, TBF_TLV_MAIN, 12);
    wr32(p, f->init_fn_offset);
    wr32(p + 4, f->protected_trailer_size);
    wr32(p + 8, f->minimum_ram_size);
    p += 12;

    p = put_tlv(p, TBF_TLV_PROGRAM, 20);
    wr32(p, f->init_fn_offset);
    wr32(p + 4, f->protected_trailer_size);
    wr32(p + 8, f->minimum_ram_size);
    wr32(p + 12, f->binary_end_offset);
    wr32(p + 16, f->app_version);
    p += 20;

    if (nlen) {
        p = put_tlv(p, TBF_TLV_PACKAGE_NAME, (uint16_t)nlen);
        memcpy(p, f->package_name, nlen);
        p += align4((uint32_t)nlen);
    }
    if (f->fixed) {
        p = put_tlv(p, TBF_TLV_FIXED_ADDRESSES, 8);
        wr32(p, f->fixed_ram);
        wr32(p + 4, f->fixed_flash);
        p += 8;
    }
    p = put_tlv(p, TBF_TLV_KERNEL_VERSION, 4);
    wr16(p, f->kernel_major);
    wr16(p + 2, f->kernel_minor);
    p += 4;

    if ((uint32_t)(p - out) != hsize)
        return sim_errorf(err, "internal: TBF header size mismatch");
    wr32(out + 12, tbf_checksum(out, hsize));
    return 0;
}

int tbf_write_padding_footer(uint8_t *out, uint32_t len, struct sim_error *err)
{
    if (len < 8 || len % 4 || len - 4 > 0xFFFF)
        return sim_errorf(err, "cannot pad 0x%" PRIx32 " bytes with a credentials footer", len);
    memset(out, 0, len);
    put_tlv(out, TBF_TLV_CREDENTIALS, (uint16_t)(len - 4));
    wr32(out + 4, TBF_CREDENTIALS_RESERVED);
    return 0;
}

int tbf_write_padding_app(uint8_t *out, uint32_t total_size, struct sim_error *err)
{
    if (total_size < TBF_BASE_HEADER_SIZE || total_size % 4)
        return sim_errorf(err, "cannot make a padding object of 0x%" PRIx32 " bytes", total_size);
    memset(out, 0xFF, total_size);
    wr16(out, TBF_VERSION);
    wr16(out + 2, TBF_BASE_HEADER_SIZE);
    wr32(out + 4, total_size);
    wr32(out + 8, 0);
    wr32(out + 12, tbf_checksum(out, TBF_BASE_HEADER_SIZE));
    return 0;
}

/* ------------------------------------------------------------- parser -- */

int tbf_parse(const uint8_t *data, size_t len, struct tbf_info *info, struct sim_error *err)
{
    memset(info, 0, sizeof *info);
    info->fixed_ram = info->fixed_flash = TBF_NO_FIXED_ADDRESS;
    if (len < TBF_BASE_HEADER_SIZE)
        return sim_errorf(err, "offset 0x0: %zu bytes, a TBF header needs at least 16", len);
    if (rd16(data) != TBF_VERSION)
        return sim_errorf(err, "offset 0x0: version %u, expected 2", rd16(data));
    info->header_size = rd16(data + 2);
    info->total_size = rd32(data + 4);
    info->flags = rd32(data + 8);
    if (info->header_size < TBF_BASE_HEADER_SIZE || info->header_size % 4)
        return sim_errorf(err, "offset 0x2: header_size 0x%" PRIx32 ", expected a multiple of 4 >= 0x10",
                          info->header_size);
    if (info->total_size < info->header_size || info->total_size > len)
        return sim_errorf(err, "offset 0x4: total_size 0x%" PRIx32 " outside [header_size 0x%" PRIx32
                          ", file size 0x%zx]", info->total_size, info->header_size, len);

    for (uint32_t pos = TBF_BASE_HEADER_SIZE; pos < info->header_size;) {
        if (info->header_size - pos < 4)
            return sim_errorf(err, "offset 0x%" PRIx32 ": truncated TLV header", pos);
        uint16_t type = rd16(data + pos), tlen = rd16(data + pos + 2);
        const uint8_t *v = data + pos + 4;
        if (align4(tlen) > info->header_size - pos - 4)
            return sim_errorf(err, "offset 0x%" PRIx32 ": TLV type %u length 0x%x runs past the header end 0x%"
                              PRIx32, pos, type, tlen, info->header_size);
        if ((type == TBF_TLV_MAIN && tlen >= 12) || (type == TBF_TLV_PROGRAM && tlen >= 20)) {
            if (type == TBF_TLV_PROGRAM || !info->has_program) {
                info->init_fn_offset = rd32(v);
                info->protected_trailer_size = rd32(v + 4);
                info->minimum_ram_size = rd32(v + 8);
            }
            info->has_program = true;
        } else if (type == TBF_TLV_FIXED_ADDRESSES && tlen >= 8) {
            info->fixed_ram = rd32(v);
            info->fixed_flash = rd32(v + 4);
            info->fixed = true;
        } else if (type == TBF_TLV_PACKAGE_NAME) {
            size_t n = tlen < sizeof info->package_name - 1 ? tlen : sizeof info->package_name - 1;
            memcpy(info->package_name, v, n);
            info->package_name[n] = 0;
        }
        pos += 4 + align4(tlen);
    }
    return 0;
}

/* ------------------------------------------------------------- layout -- */

/* Address of the TBF a fixed-flash app needs, from the app-binary address. */
static uint32_t fixed_tbf_addr(const struct tbf_info *i)
{
    return i->fixed_flash - i->header_size - i->protected_trailer_size;
}

static bool wants_fixed_flash(const struct tbf_info *i)
{
    return i->fixed && i->fixed_flash != TBF_NO_FIXED_ADDRESS;
}

static int cmp_placed(const void *a, const void *b)
{
    const struct tbf_placed *x = *(struct tbf_placed *const *)a, *y = *(struct tbf_placed *const *)b;
    bool fx = wants_fixed_flash(&x->info), fy = wants_fixed_flash(&y->info);
    if (fx != fy)
        return fx ? -1 : 1;                 /* fixed apps first, by address */
    if (fx) {
        uint32_t ax = fixed_tbf_addr(&x->info), ay = fixed_tbf_addr(&y->info);
        if (ax != ay)
            return ax < ay ? -1 : 1;
    } else if (x->info.total_size != y->info.total_size) {
        return x->info.total_size > y->info.total_size ? -1 : 1;
    }
    return x < y ? -1 : x > y;              /* stable: input order */
}

#define TBF_LIST_END_BYTES 16u

int tbf_layout(struct tbf_placed *apps, size_t n, uint32_t base, uint32_t limit,
               uint8_t **image, size_t *image_len, struct sim_error *err)
{
    struct tbf_placed **order = calloc(n ? n : 1, sizeof *order);
    uint8_t *img = NULL;
    uint64_t at = base;
    int rc = -1;

    *image = NULL;
    *image_len = 0;
    if (!order)
        return sim_errorf(err, "out of memory");
    for (size_t i = 0; i < n; i++)
        order[i] = &apps[i];
    qsort(order, n, sizeof *order, cmp_placed);

    /* First pass: addresses. */
    for (size_t i = 0; i < n; i++) {
        struct tbf_placed *a = order[i];
        uint32_t size = a->info.total_size;
        uint64_t want;
        if (wants_fixed_flash(&a->info)) {
            want = fixed_tbf_addr(&a->info);
            if (a->info.fixed_flash < a->info.header_size + a->info.protected_trailer_size || want < at) {
                sim_errorf(err, "%s: needs its TBF at 0x%08" PRIx64 " (binary at 0x%08" PRIx32 "), which %s",
                           a->path, want, a->info.fixed_flash,
                           want < base ? "is below app flash" : "overlaps the app placed before it");
                goto out;
            }
        } else {
            uint64_t align = is_pow2(size) ? size : 4;
            want = (at + align - 1) & ~(align - 1);
        }
        if (want > at && want - at < TBF_BASE_HEADER_SIZE) {
            sim_errorf(err, "%s: a gap of %" PRIu64 " bytes before it is too small for a padding object",
                       a->path, want - at);
            goto out;
        }
        a->addr = (uint32_t)want;
        at = want + size;
    }
    if (at + TBF_LIST_END_BYTES > limit) {
        sim_errorf(err, "apps need app flash up to 0x%08" PRIx64 ", the board has it up to 0x%08" PRIx32,
                   at + TBF_LIST_END_BYTES, limit);
        goto out;
    }

    /* Second pass: bytes. */
    *image_len = (size_t)(at - base) + TBF_LIST_END_BYTES;
    img = malloc(*image_len);
    if (!img) {
        sim_errorf(err, "out of memory");
        goto out;
    }
    memset(img, 0xFF, *image_len);
    at = base;
    for (size_t i = 0; i < n; i++) {
        struct tbf_placed *a = order[i];
        if (a->addr > at && tbf_write_padding_app(img + (at - base), (uint32_t)(a->addr - at), err) < 0)
            goto out;
        memcpy(img + (a->addr - base), a->data, a->info.total_size);
        at = a->addr + (uint64_t)a->info.total_size;
    }
    *image = img;
    img = NULL;
    rc = 0;
out:
    if (rc < 0)
        *image_len = 0;
    free(img);
    free(order);
    return rc;
}

/* ------------------------------------------------------------ decoder -- */

bool tbf_looks_like(const uint8_t *data, size_t len)
{
    if (len < TBF_BASE_HEADER_SIZE || rd16(data) != TBF_VERSION)
        return false;
    uint32_t hs = rd16(data + 2), total = rd32(data + 4);
    return hs >= TBF_BASE_HEADER_SIZE && hs % 4 == 0 && total >= hs;
}

/* Decoding state: the first problem becomes the returned error. */
struct dec {
    const char *path;
    FILE *out;
    struct sim_error *err;
    int nerrors;
};

static void problem(struct dec *d, size_t off, const char *fmt, ...) SIM_PRINTF(3, 4);
static void problem(struct dec *d, size_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(d->out, "  ERROR at 0x%06zx: %s\n", off, msg);
    if (d->nerrors++ == 0)
        sim_errorf(d->err, "%s: offset 0x%zx: %s", d->path, off, msg);
}

static const char *tlv_name(uint16_t type)
{
    switch (type) {
    case TBF_TLV_MAIN: return "Main";
    case TBF_TLV_WRITEABLE_FLASH: return "WriteableFlashRegions";
    case TBF_TLV_PACKAGE_NAME: return "PackageName";
    case TBF_TLV_FIXED_ADDRESSES: return "FixedAddresses";
    case TBF_TLV_PERMISSIONS: return "Permissions";
    case TBF_TLV_STORAGE_PERMISSIONS: return "StoragePermissions";
    case TBF_TLV_KERNEL_VERSION: return "KernelVersion";
    case TBF_TLV_PROGRAM: return "Program";
    case TBF_TLV_SHORT_ID: return "ShortId";
    case TBF_TLV_CREDENTIALS: return "Credentials";
    default: return "unknown";
    }
}

static void print_addr(FILE *out, const char *label, uint32_t v)
{
    if (v == TBF_NO_FIXED_ADDRESS)
        fprintf(out, " %s none", label);
    else
        fprintf(out, " %s 0x%08" PRIx32, label, v);
}

static void print_hex(FILE *out, const uint8_t *v, uint16_t len)
{
    for (uint16_t i = 0; i < len && i < 32; i++)
        fprintf(out, "%s%02x", i ? " " : " ", v[i]);
    if (len > 32)
        fprintf(out, " ...");
}

/* One TLV of a header (footer false) or of the footer region. */
static void describe_tlv(struct dec *d, size_t off, uint16_t type, uint16_t len, const uint8_t *v)
{
    FILE *out = d->out;
    fprintf(out, "  0x%06zx %s (%u), %u bytes:", off, tlv_name(type), type, len);
    switch (type) {
    case TBF_TLV_MAIN:
    case TBF_TLV_PROGRAM:
        if (len != (type == TBF_TLV_MAIN ? 12 : 20)) {
            fputc('\n', out);
            problem(d, off, "%s TLV length %u, expected %u", tlv_name(type), len, type == TBF_TLV_MAIN ? 12 : 20);
            return;
        }
        fprintf(out, " init_fn_offset 0x%" PRIx32 ", protected_trailer_size 0x%" PRIx32
                ", minimum_ram_size 0x%" PRIx32, rd32(v), rd32(v + 4), rd32(v + 8));
        if (type == TBF_TLV_PROGRAM)
            fprintf(out, ", binary_end_offset 0x%" PRIx32 ", version %" PRIu32, rd32(v + 12), rd32(v + 16));
        break;
    case TBF_TLV_PACKAGE_NAME:
        fputs(" \"", out);
        for (uint16_t i = 0; i < len; i++)
            fputc(v[i] >= 0x20 && v[i] < 0x7f && v[i] != '"' ? v[i] : '?', out);
        fputc('"', out);
        break;
    case TBF_TLV_FIXED_ADDRESSES:
        if (len != 8)
            break;
        print_addr(out, "ram", rd32(v));
        fputc(',', out);
        print_addr(out, "flash", rd32(v + 4));
        break;
    case TBF_TLV_KERNEL_VERSION:
        if (len == 4)
            fprintf(out, " %u.%u", rd16(v), rd16(v + 2));
        break;
    case TBF_TLV_WRITEABLE_FLASH:
        for (uint16_t i = 0; i + 8 <= len; i += 8)
            fprintf(out, " [offset 0x%" PRIx32 ", size 0x%" PRIx32 "]", rd32(v + i), rd32(v + i + 4));
        break;
    case TBF_TLV_SHORT_ID:
        if (len == 4)
            fprintf(out, " 0x%08" PRIx32, rd32(v));
        break;
    case TBF_TLV_CREDENTIALS:
        if (len >= 4)
            fprintf(out, " format %" PRIu32 "%s", rd32(v), rd32(v) == 0 ? " (reserved: padding)" : "");
        break;
    default:
        print_hex(out, v, len);
        break;
    }
    fputc('\n', out);
}

/* Walks TLVs in [start, end) of data; returns false if one is truncated. */
static bool walk_tlvs(struct dec *d, const uint8_t *data, size_t start, size_t end, const char *what)
{
    size_t pos = start;
    while (pos < end) {
        if (end - pos < 4) {
            problem(d, pos, "truncated TLV in the %s: %zu bytes left, a TLV header needs 4", what, end - pos);
            return false;
        }
        uint16_t type = rd16(data + pos), len = rd16(data + pos + 2);
        if (align4(len) > end - pos - 4) {
            problem(d, pos, "truncated TLV in the %s: type %u length %u needs 0x%zx bytes, %zu left before 0x%zx",
                    what, type, len, (size_t)align4(len) + 4, end - pos, end);
            return false;
        }
        describe_tlv(d, pos, type, len, data + pos + 4);
        pos += 4 + align4(len);
    }
    return true;
}

int tbf_describe(const char *path, const uint8_t *data, size_t len, FILE *out, struct sim_error *err)
{
    struct dec d = { path, out, err, 0 };
    size_t off = 0;
    unsigned napps = 0;

    fprintf(out, "%s: %zu bytes\n", path, len);
    while (off < len) {
        size_t left = len - off;
        const uint8_t *p = data + off;
        if (left >= 2 && rd16(p) != TBF_VERSION) {
            fprintf(out, "0x%06zx end of app list (version 0x%04x)\n", off, rd16(p));
            /* Erased (0xFFFF) or zeroed flash ends a list; anything else at
             * the very start means this is not a TBF at all. */
            if (off == 0 && rd16(p) != 0xFFFF && rd16(p) != 0)
                problem(&d, 0, "version 0x%04x, expected 2: not a TBF", rd16(p));
            break;
        }
        if (left < TBF_BASE_HEADER_SIZE) {
            fprintf(out, "0x%06zx TBF\n", off);
            problem(&d, off, "truncated base header: %zu bytes left, need 16", left);
            break;
        }
        uint32_t hsize = rd16(p + 2), total = rd32(p + 4), flags = rd32(p + 8), sum = rd32(p + 12);
        fprintf(out, "0x%06zx TBF version 2, header_size 0x%" PRIx32 ", total_size 0x%" PRIx32
                ", flags 0x%" PRIx32 "%s%s\n", off, hsize, total, flags,
                flags & TBF_FLAG_ENABLED ? " enabled" : " disabled", flags & TBF_FLAG_STICKY ? " sticky" : "");
        if (hsize < TBF_BASE_HEADER_SIZE || hsize % 4) {
            problem(&d, off + 2, "header_size 0x%" PRIx32 ", expected a multiple of 4 and at least 0x10", hsize);
            break;
        }
        if (total < hsize) {
            problem(&d, off + 4, "total_size 0x%" PRIx32 " is smaller than header_size 0x%" PRIx32, total, hsize);
            break;
        }
        if (hsize > left) {
            problem(&d, off + 2, "header_size 0x%" PRIx32 " runs past the end of the data (0x%zx bytes left)",
                    hsize, left);
            break;
        }
        uint32_t want = tbf_checksum(p, hsize);
        if (want == sum)
            fprintf(out, "  0x%06zx checksum 0x%08" PRIx32 " ok\n", off + 12, sum);
        else
            problem(&d, off + 12, "checksum 0x%08" PRIx32 " stored, 0x%08" PRIx32 " computed", sum, want);

        uint32_t binary_end = total;
        bool program = false;
        if (hsize == TBF_BASE_HEADER_SIZE)
            fprintf(out, "  (no TLVs: padding object)\n");
        if (walk_tlvs(&d, data, off + TBF_BASE_HEADER_SIZE, off + hsize, "header")) {
            /* Second look for the Program TLV, which bounds the footers. */
            for (size_t pos = off + TBF_BASE_HEADER_SIZE; pos + 4 <= off + hsize;) {
                uint16_t type = rd16(data + pos), tlen = rd16(data + pos + 2);
                if (type == TBF_TLV_PROGRAM && tlen == 20) {
                    binary_end = rd32(data + pos + 4 + 12);
                    program = true;
                }
                pos += 4 + align4(tlen);
            }
        }
        if (total > left) {
            problem(&d, off + 4, "total_size 0x%" PRIx32 " runs past the end of the data (0x%zx bytes left)",
                    total, left);
            break;
        }
        if (program) {
            if (binary_end < hsize || binary_end > total)
                problem(&d, off + hsize, "binary_end_offset 0x%" PRIx32 " outside [0x%" PRIx32 ", 0x%" PRIx32 "]",
                        binary_end, hsize, total);
            else if (binary_end < total)
                walk_tlvs(&d, data, off + binary_end, off + total, "footer");
        }
        napps++;
        off += total;
    }
    if (off >= len)
        fprintf(out, "0x%06zx end of data\n", len);
    fprintf(out, "%u object(s), %d error(s)\n", napps, d.nerrors);
    return d.nerrors ? -1 : 0;
}
