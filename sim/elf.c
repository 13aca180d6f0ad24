#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus.h"

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    default: return "another architecture";
    }
}

static int cmp_sym(const void *a, const void *b)
{
    const struct elf_sym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int read_symbols(struct elf_image *img, Elf *e)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        Elf_Data *d;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        d = elf_getdata(scn, NULL);
        if (!d)
            continue;
        size_t n = sh.sh_size / sh.sh_entsize;
        img->syms = calloc(n ? n : 1, sizeof *img->syms);
        if (!img->syms)
            return -1;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            const char *name;
            if (!gelf_getsym(d, (int)i, &s))
                continue;
            if (GELF_ST_TYPE(s.st_info) != STT_FUNC && GELF_ST_TYPE(s.st_info) != STT_OBJECT &&
                GELF_ST_TYPE(s.st_info) != STT_NOTYPE)
                continue;
            if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS)
                continue;
            name = elf_strptr(e, sh.sh_link, s.st_name);
            if (!name || !*name || name[0] == '$' || name[0] == '.')
                continue;
            img->syms[img->nsyms].addr = (uint32_t)s.st_value & (img->machine == EM_ARM &&
                GELF_ST_TYPE(s.st_info) == STT_FUNC ? ~1u : ~0u);
            img->syms[img->nsyms].size = (uint32_t)s.st_size;
            img->syms[img->nsyms].name = strdup(name);
            img->nsyms++;
        }
        qsort(img->syms, img->nsyms, sizeof *img->syms, cmp_sym);
        break;
    }
    return 0;
}

int elf_load(struct elf_image *img, const char *path, uint16_t expect_machine, struct bus *b,
             struct sim_error *err)
{
    int fd, rc = -1;
    Elf *e = NULL;
    GElf_Ehdr eh;
    size_t nph;
    struct stat st;
    uint8_t *file = NULL;
    unsigned loaded = 0;

    memset(img, 0, sizeof *img);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return sim_errorf(err, "libelf initialisation failed");
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return sim_errorf(err, "%s: cannot open: %s", path, strerror(errno));
    img->path = strdup(path);       /* freed by elf_free(), also on the errors below */
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        sim_errorf(err, "%s: not a regular file", path);
        goto out;
    }
    file = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!file || pread(fd, file, (size_t)st.st_size, 0) != st.st_size) {
        sim_errorf(err, "%s: cannot read", path);
        goto out;
    }
    img->hash = 0xcbf29ce484222325ull;
    for (off_t i = 0; i < st.st_size; i++) {
        img->hash ^= file[i];
        img->hash *= 0x100000001b3ull;
    }
    if (st.st_size < 4 || memcmp(file, "\177ELF", 4) != 0) {
        sim_errorf(err, "%s: offset 0: not an ELF file (expected the magic 7f 45 4c 46)", path);
        goto out;
    }
    e = elf_memory((char *)file, (size_t)st.st_size);
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        sim_errorf(err, "%s: offset 0: truncated or malformed ELF header", path);
        goto out;
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS32) {
        sim_errorf(err, "%s: offset 4: ELF class is %s, expected 32-bit", path,
                   eh.e_ident[EI_CLASS] == ELFCLASS64 ? "64-bit" : "invalid");
        goto out;
    }
    if (eh.e_machine != expect_machine) {
        sim_errorf(err, "%s: offset 0x12: e_machine is %s, expected %s for this board", path,
                   machine_name(eh.e_machine), machine_name(expect_machine));
        goto out;
    }
    if (eh.e_type != ET_EXEC && !(b == NULL && eh.e_type == ET_DYN)) {
        sim_errorf(err, "%s: offset 0x10: e_type %u, expected an executable (ET_EXEC)", path,
                   eh.e_type);
        goto out;
    }
    img->machine = eh.e_machine;
    img->entry = (uint32_t)eh.e_entry;
    if (elf_getphdrnum(e, &nph)) {
        sim_errorf(err, "%s: cannot read the program headers", path);
        goto out;
    }
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        uint8_t *dst;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            sim_errorf(err, "%s: program header %zu is truncated", path, i);
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0 || b == NULL)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset + ph.p_filesz > (uint64_t)st.st_size) {
            sim_errorf(err, "%s: segment %zu: file range 0x%llx+0x%llx lies outside the file "
                       "(size 0x%llx)", path, i, (unsigned long long)ph.p_offset,
                       (unsigned long long)ph.p_filesz, (unsigned long long)st.st_size);
            goto out;
        }
        dst = ph.p_paddr + ph.p_memsz <= 0x100000000ull ?
              bus_ram_ptr(b, (uint32_t)ph.p_paddr, (uint32_t)ph.p_memsz) : NULL;
        if (!dst) {
            sim_errorf(err, "%s: segment %zu at 0x%08llx..0x%08llx is not inside the board's "
                       "memory", path, i, (unsigned long long)ph.p_paddr,
                       (unsigned long long)(ph.p_paddr + ph.p_memsz - 1));
            goto out;
        }
        memcpy(dst, file + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        loaded++;
    }
    if (!loaded && b) {
        sim_errorf(err, "%s: no loadable segment", path);
        goto out;
    }
    if (read_symbols(img, e)) {
        sim_errorf(err, "%s: out of memory reading symbols", path);
        goto out;
    }
    rc = 0;
out:
    if (e)
        elf_end(e);
    free(file);
    close(fd);
    if (rc)
        elf_free(img);
    return rc;
}

void elf_free(struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsyms; i++)
        free(img->syms[i].name);
    free(img->syms);
    free(img->path);
    memset(img, 0, sizeof *img);
}

const struct elf_sym *elf_symbol_at(const struct elf_image *img, uint32_t addr)
{
    unsigned lo = 0, hi = img->nsyms;
    const struct elf_sym *best = NULL;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (img->syms[mid].addr <= addr) {
            best = &img->syms[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (best && best->size && addr >= best->addr + best->size)
        return NULL;
    return best;
}

const struct elf_sym *elf_symbol_named(const struct elf_image *img, const char *name)
{
    for (unsigned i = 0; i < img->nsyms; i++)
        if (strcmp(img->syms[i].name, name) == 0)
            return &img->syms[i];
    return NULL;
}

int elf_describe(const char *path, FILE *out, struct sim_error *err)
{
    int fd = open(path, O_RDONLY);
    Elf *e;
    GElf_Ehdr eh;
    size_t nph;
    int rc = -1;

    if (elf_version(EV_CURRENT) == EV_NONE)
        return sim_errorf(err, "libelf initialisation failed");
    if (fd < 0)
        return sim_errorf(err, "%s: cannot open: %s", path, strerror(errno));
    e = elf_begin(fd, ELF_C_READ, NULL);
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &nph)) {
        sim_errorf(err, "%s: offset 0: truncated or malformed ELF header", path);
        goto out;
    }
    fprintf(out, "%s: ELF%d %s executable for %s, entry 0x%08llx\n", path,
            eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32,
            eh.e_type == ET_EXEC ? "static" : "non-static", machine_name(eh.e_machine),
            (unsigned long long)eh.e_entry);
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
            continue;
        fprintf(out, "  load 0x%08llx..0x%08llx  %6llu bytes (%llu from the file)  %c%c%c\n",
                (unsigned long long)ph.p_paddr,
                (unsigned long long)(ph.p_paddr + (ph.p_memsz ? ph.p_memsz - 1 : 0)),
                (unsigned long long)ph.p_memsz, (unsigned long long)ph.p_filesz,
                (ph.p_flags & PF_R) ? 'r' : '-', (ph.p_flags & PF_W) ? 'w' : '-',
                (ph.p_flags & PF_X) ? 'x' : '-');
    }
    {
        struct elf_image img = { 0 };
        img.machine = eh.e_machine;
        if (read_symbols(&img, e) == 0)
            fprintf(out, "  %u symbols\n", img.nsyms);
        elf_free(&img);
    }
    rc = 0;
out:
    if (e)
        elf_end(e);
    close(fd);
    return rc;
}
