/* ELF images on libelf: bounds-checked loading into the bus and symbols
 * for traces. Every error names the file and what was expected. */
#ifndef SIM_ELF_H
#define SIM_ELF_H

#include <stdio.h>

#include "common.h"

struct bus;

struct elf_sym {
    uint32_t addr, size;
    char *name;
};

struct elf_image {
    char *path;
    uint16_t machine;           /* EM_ARM or EM_RISCV */
    uint32_t entry;
    struct elf_sym *syms;       /* functions and objects, sorted by address */
    unsigned nsyms;
    uint64_t hash;              /* FNV-1a of the file (snapshot headers) */
};

/* Loads the PT_LOAD segments of `path` into the bus; expects e_machine.
 * b NULL: the symbols only (an app's ELF, for traces; PIE allowed). */
int elf_load(struct elf_image *img, const char *path, uint16_t expect_machine, struct bus *b,
             struct sim_error *err);
void elf_free(struct elf_image *img);
/* Symbol containing addr (or the nearest function below it), NULL if none. */
const struct elf_sym *elf_symbol_at(const struct elf_image *img, uint32_t addr);
const struct elf_sym *elf_symbol_named(const struct elf_image *img, const char *name);

/* `tocksim info` on an ELF: machine, entry, loadable segments, symbols. */
int elf_describe(const char *path, FILE *out, struct sim_error *err);

#endif
