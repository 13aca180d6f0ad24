#include "kernel/tbf.h"
#include "lib/kstring.h"

uint32_t tbf_checksum(const uint8_t *buf, uint32_t header_size)
{
    uint32_t x = 0;
    for (uint32_t off = 0; off + 4 <= header_size; off += 4)
        if (off != 12)
            x ^= k_le32(buf + off);
    return x;
}

static enum tbf_status fail(enum tbf_status st, const char *msg, const char **why)
{
    if (why)
        *why = msg;
    return st;
}

/* One TLV. Returns false if its length does not fit its type. */
static bool parse_tlv(const uint8_t *buf, uint16_t type, uint32_t off, uint16_t len,
                      struct tbf_header *h)
{
    const uint8_t *d = buf + off;
    switch (type) {
    case TBF_TLV_MAIN:
        if (len != 12)
            return false;
        if (!h->has_program) {
            h->init_fn_offset = k_le32(d);
            h->protected_trailer_size = k_le32(d + 4);
            h->minimum_ram_size = k_le32(d + 8);
        }
        h->has_main = true;
        return true;
    case TBF_TLV_PROGRAM:
        if (len != 20)
            return false;
        h->init_fn_offset = k_le32(d);              /* Program wins over Main */
        h->protected_trailer_size = k_le32(d + 4);
        h->minimum_ram_size = k_le32(d + 8);
        h->binary_end_offset = k_le32(d + 12);
        h->app_version = k_le32(d + 16);
        h->has_program = true;
        return true;
    case TBF_TLV_WFR:
        if (len % 8)
            return false;
        for (uint32_t i = 0; i < len / 8u && h->n_wfr < TBF_MAX_WFR; i++, h->n_wfr++) {
            h->wfr[h->n_wfr].offset = k_le32(d + 8 * i);
            h->wfr[h->n_wfr].size = k_le32(d + 8 * i + 4);
        }
        return true;
    case TBF_TLV_PACKAGE_NAME:
        h->name_offset = off;
        h->name_len = len;
        return true;
    case TBF_TLV_FIXED_ADDRESSES:
        if (len != 8)
            return false;
        h->fixed_ram = k_le32(d);
        h->fixed_flash = k_le32(d + 4);
        return true;
    case TBF_TLV_PERMISSIONS: {
        if (len < 2)
            return false;
        uint32_t n = k_le16(d);
        if (2 + 16 * n > len)
            return false;
        h->has_permissions = true;
        h->perm_offset = off + 2;
        h->perm_count = n;
        return true;
    }
    case TBF_TLV_STORAGE_PERMISSIONS:
        h->has_storage_permissions = true;
        return true;
    case TBF_TLV_KERNEL_VERSION:
        if (len != 4)
            return false;
        h->has_kernel_version = true;
        h->kernel_major = k_le16(d);
        h->kernel_minor = k_le16(d + 2);
        return true;
    case TBF_TLV_SHORT_ID:
        if (len != 4)
            return false;
        h->has_short_id = true;
        h->short_id = k_le32(d);
        return true;
    default:                                        /* unknown types are skipped */
        return true;
    }
}

enum tbf_status tbf_parse(const uint8_t *buf, uint32_t avail, struct tbf_header *h,
                          const char **why)
{
    memset(h, 0, sizeof(*h));
    h->fixed_ram = h->fixed_flash = TBF_NO_ADDRESS;
    if (avail < TBF_BASE_SIZE)
        return fail(TBF_END, "no room for a header", why);
    h->version = k_le16(buf);
    h->header_size = k_le16(buf + 2);
    h->total_size = k_le32(buf + 4);
    h->flags = k_le32(buf + 8);
    h->checksum = k_le32(buf + 12);
    if (h->version != 2)
        return fail(TBF_END, "version is not 2", why);
    if (h->total_size < TBF_BASE_SIZE || h->total_size % 4)
        return fail(TBF_FATAL, "total_size below 16 or not a multiple of 4", why);
    if (h->total_size > avail)
        return fail(TBF_FATAL, "total_size runs past the end of app flash", why);
    if (h->header_size < TBF_BASE_SIZE || h->header_size > h->total_size || h->header_size % 4)
        return fail(TBF_SKIP, "header_size out of range", why);
    if (tbf_checksum(buf, h->header_size) != h->checksum)
        return fail(TBF_SKIP, "bad checksum", why);

    uint32_t off = TBF_BASE_SIZE;
    while (off < h->header_size) {
        if (off + 4 > h->header_size)
            return fail(TBF_SKIP, "truncated TLV", why);
        uint16_t type = k_le16(buf + off);
        uint16_t len = k_le16(buf + off + 2);
        off += 4;
        if (off + len > h->header_size)
            return fail(TBF_SKIP, "TLV runs past header_size", why);
        if (!parse_tlv(buf, type, off, len, h))
            return fail(TBF_SKIP, "TLV has the wrong length", why);
        off += k_align_up(len, 4);
    }
    if (tbf_is_app(h) && h->init_fn_offset >= h->total_size - h->header_size)
        return fail(TBF_SKIP, "init_fn_offset outside the binary", why);
    if (why)
        *why = NULL;
    return TBF_OK;
}

bool tbf_command_permitted(const uint8_t *buf, const struct tbf_header *h,
                           uint32_t driver, uint32_t cmd)
{
    if (!h->has_permissions)
        return true;
    for (uint32_t i = 0; i < h->perm_count; i++) {
        const uint8_t *e = buf + h->perm_offset + 16 * i;
        if (k_le32(e) != driver)
            continue;
        uint32_t offset = k_le32(e + 4);
        if (cmd / 64 != offset)
            continue;
        uint64_t mask = (uint64_t)k_le32(e + 8) | (uint64_t)k_le32(e + 12) << 32;
        return (mask >> (cmd % 64)) & 1;
    }
    return false;
}
