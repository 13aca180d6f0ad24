/* tocksim pack / TBF inspection (owned by the apps/ work). */
#ifndef SIM_LOADER_PACK_H
#define SIM_LOADER_PACK_H

#include <stdio.h>

#include "../common.h"

/* `tocksim pack APP.elf -o APP.tbf [--name N] [--stack N] [--heap N] ...`; returns an exit status. */
int pack_main(int argc, char **argv);
/* True if data looks like a TBF header (version 2, sane sizes). */
bool tbf_looks_like(const uint8_t *data, size_t len);
/* Decodes every TBF in data (a single app or a concatenation) to out. */
int tbf_describe(const char *path, const uint8_t *data, size_t len, FILE *out, struct sim_error *err);

/* ELF -> TBF without the command line (used by pack_main and the tests). */
struct pack_options {
    const char *name;                   /* PackageName; NULL: none */
    uint32_t stack;                     /* 0: the ELF's .stack size, else 2048 */
    uint32_t app_heap, kernel_heap;     /* bytes reserved above the data / for grants */
    uint16_t kernel_major, kernel_minor;
    uint32_t app_version;
    bool disabled;
    uint32_t header_space;              /* fixed-address apps: bytes before the binary
                                           reserved for header + trailer (0x80) */
};
#define PACK_DEFAULT_STACK          2048u
#define PACK_DEFAULT_APP_HEAP       1024u
#define PACK_DEFAULT_KERNEL_HEAP    1024u
#define PACK_DEFAULT_HEADER_SPACE   0x80u
#define PACK_MIN_POW2_SIZE          512u    /* smallest Cortex-M TBF */
#define PACK_FIXED_SIZE_ALIGN       256u    /* fixed-address TBF total_size granule */

void pack_options_default(struct pack_options *o);
struct appelf;
/* Builds the TBF (malloc'd in *tbf) for an app read by appelf_read. */
int pack_build(const struct appelf *app, const struct pack_options *o, uint8_t **tbf, size_t *len,
               struct sim_error *err);

#endif
