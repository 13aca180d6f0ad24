/* Tock Binary Format v2 header parsing (TOCK.md §3.1). Pure: parses a byte
 * buffer, keeps offsets into it, and is built on the host for unit tests. */
#ifndef OS_KERNEL_TBF_H
#define OS_KERNEL_TBF_H

#include "lib/util.h"

#define TBF_BASE_SIZE       16u
#define TBF_MAX_WFR         4u
#define TBF_NO_ADDRESS      0xFFFFFFFFu

enum tbf_tlv_type {
    TBF_TLV_MAIN = 1,
    TBF_TLV_WFR = 2,
    TBF_TLV_PACKAGE_NAME = 3,
    TBF_TLV_FIXED_ADDRESSES = 5,
    TBF_TLV_PERMISSIONS = 6,
    TBF_TLV_STORAGE_PERMISSIONS = 7,
    TBF_TLV_KERNEL_VERSION = 8,
    TBF_TLV_PROGRAM = 9,
    TBF_TLV_SHORT_ID = 10,
    TBF_TLV_CREDENTIALS = 128,
};

enum tbf_flag { TBF_FLAG_ENABLED = 1u << 0, TBF_FLAG_STICKY = 1u << 1 };

enum tbf_status {
    TBF_OK,         /* a valid header */
    TBF_END,        /* no (more) apps: version != 2 or too little flash left */
    TBF_SKIP,       /* a bad header whose total_size can still be skipped */
    TBF_FATAL,      /* total_size unusable: discovery must stop */
};

struct tbf_header {
    uint16_t version, header_size;
    uint32_t total_size, flags, checksum;

    bool has_main, has_program;
    uint32_t init_fn_offset, protected_trailer_size, minimum_ram_size;
    uint32_t binary_end_offset, app_version;    /* Program TLV only */

    uint32_t name_offset, name_len;             /* into the header; len 0 = no name */
    uint32_t fixed_ram, fixed_flash;            /* TBF_NO_ADDRESS = none */
    uint32_t n_wfr;
    struct { uint32_t offset, size; } wfr[TBF_MAX_WFR];
    bool has_kernel_version;
    uint16_t kernel_major, kernel_minor;
    bool has_short_id;
    uint32_t short_id;
    uint32_t perm_offset, perm_count;           /* Permissions TLV entries (16 B each) */
    bool has_permissions;
    bool has_storage_permissions;
};

/* Parse the header at buf, with avail bytes of flash from buf to the end of
 * the app region. On TBF_SKIP the header's total_size is valid; *why (if not
 * NULL) says what was wrong for every status but TBF_OK. */
enum tbf_status tbf_parse(const uint8_t *buf, uint32_t avail, struct tbf_header *h,
                          const char **why);

/* XOR of the header's 32-bit words except word 3 (the checksum). */
uint32_t tbf_checksum(const uint8_t *buf, uint32_t header_size);

static inline bool tbf_is_app(const struct tbf_header *h) { return h->has_main || h->has_program; }
static inline bool tbf_enabled(const struct tbf_header *h) { return (h->flags & TBF_FLAG_ENABLED) != 0; }

/* Is command `cmd` of `driver` allowed by the Permissions TLV (true if none)? */
bool tbf_command_permitted(const uint8_t *buf, const struct tbf_header *h,
                           uint32_t driver, uint32_t cmd);

#endif
