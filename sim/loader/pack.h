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

#endif
