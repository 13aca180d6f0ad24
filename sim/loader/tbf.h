/* Tock Binary Format (TBF) v2: header writer, layout of several apps in app
 * flash, and a decoder that explains any TBF or concatenation of TBFs.
 *
 * Format (../shared/TOCK.md §3.1): a 16-byte base header (version 2,
 * header_size, total_size, flags, checksum = XOR of every 32-bit header word
 * except the checksum word), then TLVs (u16 type, u16 length, data padded to
 * 4 bytes). The app binary follows the header plus the protected trailer;
 * footers (credentials) sit between binary_end_offset and total_size. All
 * fields are little-endian. The writer's output depends only on its input. */
#ifndef SIM_LOADER_TBF_H
#define SIM_LOADER_TBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common.h"

#define TBF_VERSION             2u
#define TBF_BASE_HEADER_SIZE    16u

enum tbf_tlv_type {
    TBF_TLV_MAIN = 1,
    TBF_TLV_WRITEABLE_FLASH = 2,
    TBF_TLV_PACKAGE_NAME = 3,
    TBF_TLV_FIXED_ADDRESSES = 5,
    TBF_TLV_PERMISSIONS = 6,
    TBF_TLV_STORAGE_PERMISSIONS = 7,
    TBF_TLV_KERNEL_VERSION = 8,
    TBF_TLV_PROGRAM = 9,
    TBF_TLV_SHORT_ID = 10,
    TBF_TLV_CREDENTIALS = 128,          /* footer */
};

#define TBF_FLAG_ENABLED        0x1u
#define TBF_FLAG_STICKY         0x2u
#define TBF_NO_FIXED_ADDRESS    0xFFFFFFFFu
#define TBF_CREDENTIALS_RESERVED 0u     /* credentials format 0: padding */

/* What the writer puts into one header. Offsets follow the kernel:
 * app_start = tbf + header_size + protected_trailer_size,
 * init_fn   = tbf + header_size + init_fn_offset. */
struct tbf_fields {
    const char *package_name;           /* NULL or "": no PackageName TLV */
    uint32_t flags;                     /* TBF_FLAG_* */
    uint32_t total_size;                /* whole object incl. footers */
    uint32_t init_fn_offset;
    uint32_t protected_trailer_size;
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset;         /* from the start of the TBF */
    uint32_t app_version;
    bool fixed;                         /* emit a FixedAddresses TLV */
    uint32_t fixed_ram, fixed_flash;    /* TBF_NO_FIXED_ADDRESS: none */
    uint16_t kernel_major, kernel_minor;
};

/* Size of the header the writer produces for f (base + TLVs), a multiple of 4. */
uint32_t tbf_header_size(const struct tbf_fields *f);
/* Writes the header (tbf_header_size(f) bytes) into out; checksum included. */
int tbf_write_header(const struct tbf_fields *f, uint8_t *out, size_t cap, struct sim_error *err);
/* Writes a Credentials footer of format "reserved" filling [0, len) of out;
 * len must be a multiple of 4 and at least 8. */
int tbf_write_padding_footer(uint8_t *out, uint32_t len, struct sim_error *err);
/* Writes a padding object (a base header without TLVs, app disabled) of
 * total_size bytes, the body filled with 0xFF; total_size >= 16, multiple of 4. */
int tbf_write_padding_app(uint8_t *out, uint32_t total_size, struct sim_error *err);

/* Checksum of a header: XOR of its 32-bit words except word 3. */
uint32_t tbf_checksum(const uint8_t *hdr, uint32_t header_size);

/* The facts the layout and the simulator's loader need, parsed leniently
 * (no checksum check: tbf_check does that). */
struct tbf_info {
    uint32_t header_size, total_size, flags;
    bool has_program;                   /* Main or Program present */
    uint32_t init_fn_offset, protected_trailer_size, minimum_ram_size;
    bool fixed;
    uint32_t fixed_ram, fixed_flash;
    char package_name[64];
};
/* Parses the header at data (len bytes available). Returns 0, or -1 with a
 * message located relative to the start of data. */
int tbf_parse(const uint8_t *data, size_t len, struct tbf_info *info, struct sim_error *err);

/* One app in an app-flash layout. */
struct tbf_placed {
    const char *path;                   /* for messages */
    const uint8_t *data;                /* the TBF */
    struct tbf_info info;
    uint32_t addr;                      /* out: address of the TBF */
};
/* Lays n apps out in app flash starting at base: fixed-address apps exactly
 * where their FixedAddresses TLV says, the others (position independent) in
 * decreasing size, each aligned to its total size when that is a power of
 * two (the Cortex-M MPU needs it). Gaps become padding objects; the list ends
 * with 16 bytes of 0xFF (erased flash: version != 2 ends discovery).
 * On success *image (malloc'd) holds *image_len bytes to place at base. */
int tbf_layout(struct tbf_placed *apps, size_t n, uint32_t base, uint32_t limit,
               uint8_t **image, size_t *image_len, struct sim_error *err);

/* tbf_looks_like() and tbf_describe() (the decoder: every object of a TBF
 * or of a concatenation, a bad checksum or a truncated TLV flagged with its
 * offset) are declared in pack.h and defined in tbf.c. */

#endif
