/* Reads a Tock app ELF (Cortex-M PIC, or fixed-address on either core) into
 * what a TBF needs: the flash bytes, the entry, the RAM extent, the stack.
 *
 * Model: every PT_LOAD segment with file bytes is flash content at its load
 * address (p_paddr); every segment whose run address differs from its load
 * address, or that has no file bytes, occupies RAM at p_vaddr. An app is
 * position independent when it is ARM and its flash starts at 0x80000000
 * (the Tock convention; its RAM is then linked at 0); otherwise it is fixed
 * at the addresses it was linked for. Malformed input yields one error
 * message naming the file and the offset, program header or section. */
#ifndef SIM_LOADER_APPELF_H
#define SIM_LOADER_APPELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common.h"

#define APPELF_PIC_FLASH_BASE   0x80000000u
#define APPELF_PIC_RAM_BASE     0x00000000u
#define APPELF_MAX_FLASH        (16u << 20)     /* sanity bound on the image */
#define APPELF_MAX_TEXTREL      16u

enum appelf_arch { APPELF_ARM, APPELF_RV32 };

/* A dynamic relocation crt0 cannot apply because it patches flash. */
struct appelf_textrel {
    uint32_t addr;                      /* link address of the patched word */
    char func[48];                      /* function containing it, or "?" */
};

struct appelf {
    enum appelf_arch arch;
    bool pic;
    uint32_t flash_origin;              /* link address of flash byte 0 */
    uint8_t *flash;                     /* flash_size bytes, malloc'd */
    uint32_t flash_size;
    uint32_t flash_align;               /* largest alignment of a flash section */
    uint32_t entry;                     /* link address; bit 0 set for Thumb */
    uint32_t ram_origin, ram_end;       /* extent of the RAM segments */
    uint32_t stack_size;                /* size of .stack, 0 if none */
    bool has_sram_origin;               /* symbol _sram_origin: start of app RAM */
    uint32_t sram_origin;
    unsigned ntextrel;                  /* all of them; at most APPELF_MAX_TEXTREL kept */
    struct appelf_textrel textrel[APPELF_MAX_TEXTREL];
};

/* Parses len bytes of an ELF file; path only names it in messages. */
int appelf_read(const char *path, const uint8_t *data, size_t len, struct appelf *app, struct sim_error *err);
void appelf_free(struct appelf *app);
const char *appelf_arch_name(enum appelf_arch arch);

/* Copies a 32-bit little-endian executable (a kernel) and adds a section
 * named secname holding data at addr, in a new PT_LOAD segment, so that
 * loaders that go by program headers (QEMU, tocksim) load it. New program
 * and section header tables go at the end of the file. The new range must
 * not overlap a loaded segment. *out is malloc'd. */
int appelf_add_segment(const char *path, const uint8_t *elf, size_t len, const char *secname, uint32_t addr,
                       const uint8_t *data, size_t dlen, uint8_t **out, size_t *out_len, struct sim_error *err);

#endif
