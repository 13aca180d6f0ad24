/* App ELF reader for the packer (see appelf.h). */
#include "appelf.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EHDR32_SIZE 52u

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *appelf_arch_name(enum appelf_arch arch)
{
    return arch == APPELF_ARM ? "ARM" : "RISC-V";
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_MIPS: return "MIPS";
    case EM_AVR: return "AVR";
    default: return "unknown";
    }
}

/* Checks what libelf would otherwise report without an offset. */
static int check_raw(const char *path, const uint8_t *d, size_t len, struct sim_error *err)
{
    if (len < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0)
        return sim_errorf(err, "%s: offset 0x0: not an ELF file (%s)", path,
                          len < SELFMAG ? "too short for the ELF magic" : "no \\x7fELF magic");
    if (d[EI_CLASS] != ELFCLASS32)
        return sim_errorf(err, "%s: offset 0x%x: ELF class %u (%s), expected 32-bit: wrong architecture",
                          path, EI_CLASS, d[EI_CLASS], d[EI_CLASS] == ELFCLASS64 ? "64-bit" : "invalid");
    if (d[EI_DATA] != ELFDATA2LSB)
        return sim_errorf(err, "%s: offset 0x%x: data encoding %u, expected little-endian (1)",
                          path, EI_DATA, d[EI_DATA]);
    if (len < EHDR32_SIZE)
        return sim_errorf(err, "%s: offset 0x%zx: truncated: the file ends inside the ELF header (%zu of %u bytes)",
                          path, len, len, EHDR32_SIZE);
    unsigned type = rd16(d + 16), machine = rd16(d + 18);
    if (machine != EM_ARM && machine != EM_RISCV)
        return sim_errorf(err, "%s: offset 0x12: e_machine %u (%s): wrong architecture, expected ARM (40) or RISC-V (243)",
                          path, machine, machine_name(machine));
    if (type != ET_EXEC && type != ET_DYN)
        return sim_errorf(err, "%s: offset 0x10: e_type %u, expected an executable (2) or position-independent executable (3)",
                          path, type);
    uint32_t phoff = rd32(d + 28), shoff = rd32(d + 32);
    unsigned phentsize = rd16(d + 42), phnum = rd16(d + 44), shentsize = rd16(d + 46), shnum = rd16(d + 48);
    if (phnum == 0)
        return sim_errorf(err, "%s: offset 0x2c: no program headers: link the app into an executable", path);
    if (phentsize != sizeof(Elf32_Phdr))
        return sim_errorf(err, "%s: offset 0x2a: e_phentsize %u, expected %zu", path, phentsize, sizeof(Elf32_Phdr));
    if ((uint64_t)phoff + (uint64_t)phnum * phentsize > len)
        return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated: %u program headers run to 0x%" PRIx64
                          ", the file has 0x%zx bytes", path, phoff, phnum, (uint64_t)phoff + (uint64_t)phnum * phentsize, len);
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * phentsize;
        uint32_t ptype = rd32(ph), off = rd32(ph + 4), filesz = rd32(ph + 16);
        if (ptype == PT_LOAD && (uint64_t)off + filesz > len)
            return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated: program header %u's segment data [0x%" PRIx32
                              ", 0x%" PRIx64 ") runs past the end of the file (0x%zx bytes)",
                              path, phoff + i * phentsize, i, off, (uint64_t)off + filesz, len);
    }
    if (shnum && shentsize != sizeof(Elf32_Shdr))
        return sim_errorf(err, "%s: offset 0x2e: e_shentsize %u, expected %zu", path, shentsize, sizeof(Elf32_Shdr));
    if ((uint64_t)shoff + (uint64_t)shnum * shentsize > len)
        return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated: %u section headers run to 0x%" PRIx64
                          ", the file has 0x%zx bytes", path, shoff, shnum, (uint64_t)shoff + (uint64_t)shnum * shentsize, len);
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = d + shoff + i * shentsize;
        uint32_t stype = rd32(sh + 4), off = rd32(sh + 16), size = rd32(sh + 20);
        if (stype != SHT_NOBITS && stype != SHT_NULL && (uint64_t)off + size > len)
            return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated: section %u's data [0x%" PRIx32 ", 0x%" PRIx64
                              ") runs past the end of the file (0x%zx bytes)",
                              path, shoff + i * shentsize, i, off, (uint64_t)off + size, len);
    }
    return 0;
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
    return a0 < b1 && b0 < a1;
}

/* Name of the function containing addr (Thumb bit ignored): a sized
 * function symbol that covers it, else the nearest one below it, else "?". */
static void func_at(Elf *e, Elf_Scn *symscn, uint32_t addr, char *out, size_t cap)
{
    GElf_Shdr sh;
    Elf_Data *data;
    const char *near = NULL;
    uint32_t near_lo = 0;

    snprintf(out, cap, "?");
    if (!symscn || !gelf_getshdr(symscn, &sh) || !(data = elf_getdata(symscn, NULL)) || !sh.sh_entsize)
        return;
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        GElf_Sym s;
        const char *n;
        if (!gelf_getsym(data, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
            !(n = elf_strptr(e, sh.sh_link, s.st_name)))
            continue;
        uint32_t lo = (uint32_t)s.st_value & ~1u;
        if (addr >= lo && addr - lo < s.st_size) {
            snprintf(out, cap, "%s", n);
            return;
        }
        if (lo <= addr && (!near || lo > near_lo)) {
            near = n;
            near_lo = lo;
        }
    }
    if (near)
        snprintf(out, cap, "%s", near);
}

static bool find_symbol(Elf *e, Elf_Scn *symscn, const char *name, uint32_t *value)
{
    GElf_Shdr sh;
    Elf_Data *data;
    if (!gelf_getshdr(symscn, &sh) || !(data = elf_getdata(symscn, NULL)) || !sh.sh_entsize)
        return false;
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        GElf_Sym s;
        const char *n;
        if (gelf_getsym(data, (int)i, &s) && s.st_shndx != SHN_UNDEF &&
            (n = elf_strptr(e, sh.sh_link, s.st_name)) && strcmp(n, name) == 0) {
            *value = (uint32_t)s.st_value;
            return true;
        }
    }
    return false;
}

static Elf_Scn *find_section(Elf *e, size_t shstrndx, const char *name, GElf_Shdr *out)
{
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        GElf_Shdr sh;
        const char *n;
        if (!gelf_getshdr(s, &sh) || !(n = elf_strptr(e, shstrndx, sh.sh_name)))
            continue;
        if (strcmp(n, name) == 0) {
            if (out)
                *out = sh;
            return s;
        }
    }
    return NULL;
}

/* Dynamic relocations of a PIC app: crt0 applies R_ARM_RELATIVE in RAM;
 * anything else is an error; relative ones that patch flash are recorded. */
static int check_relocs(const char *path, Elf *e, Elf_Scn *symscn, struct appelf *app, struct sim_error *err)
{
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        GElf_Shdr sh;
        Elf_Data *data;
        if (!gelf_getshdr(s, &sh) || !(sh.sh_flags & SHF_ALLOC))
            continue;
        if (sh.sh_type == SHT_RELA)
            return sim_errorf(err, "%s: section %zu: RELA dynamic relocations; crt0 applies only REL (R_ARM_RELATIVE)",
                              path, elf_ndxscn(s));
        if (sh.sh_type != SHT_REL || !(data = elf_getdata(s, NULL)) || !sh.sh_entsize)
            continue;
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Rel r;
            if (!gelf_getrel(data, (int)i, &r))
                break;
            uint32_t type = (uint32_t)GELF_R_TYPE(r.r_info), where = (uint32_t)r.r_offset;
            if (type != R_ARM_RELATIVE)
                return sim_errorf(err, "%s: offset 0x%" PRIx64 ": dynamic relocation %zu has type %" PRIu32
                                  " at 0x%08" PRIx32 "; crt0 applies only R_ARM_RELATIVE (23): link with -pie and no shared libraries",
                                  path, (uint64_t)sh.sh_offset + i * sh.sh_entsize, i, type, where);
            if (where >= app->flash_origin && where - app->flash_origin < app->flash_size &&
                !(where >= app->ram_origin && where < app->ram_end)) {
                if (app->ntextrel < APPELF_MAX_TEXTREL) {
                    struct appelf_textrel *t = &app->textrel[app->ntextrel];
                    t->addr = where;
                    func_at(e, symscn, where, t->func, sizeof t->func);
                }
                app->ntextrel++;
            }
        }
    }
    return 0;
}

int appelf_read(const char *path, const uint8_t *data, size_t len, struct appelf *app, struct sim_error *err)
{
    Elf *e = NULL;
    char *copy = NULL;
    int rc = -1;
    GElf_Ehdr eh;
    size_t phnum, shstrndx;

    memset(app, 0, sizeof *app);
    if (check_raw(path, data, len, err) < 0)
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return sim_errorf(err, "libelf: %s", elf_errmsg(-1));
    /* libelf may convert in place: give it a private copy. */
    if (!(copy = malloc(len)))
        return sim_errorf(err, "%s: out of memory", path);
    memcpy(copy, data, len);
    if (!(e = elf_memory(copy, len)) || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &phnum) != 0 ||
        elf_getshdrstrndx(e, &shstrndx) != 0) {
        sim_errorf(err, "%s: offset 0x0: unreadable ELF: %s", path, elf_errmsg(-1));
        goto out;
    }
    app->arch = eh.e_machine == EM_ARM ? APPELF_ARM : APPELF_RV32;

    GElf_Shdr symsh;
    Elf_Scn *symscn = NULL;
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s))
        if (gelf_getshdr(s, &symsh) && symsh.sh_type == SHT_SYMTAB)
            symscn = s;
    if (!symscn) {
        sim_errorf(err, "%s: section headers (offset 0x%" PRIx64 "): no symbol table (.symtab): "
                   "the app was stripped; link it without -s so its stack and entry can be checked",
                   path, (uint64_t)eh.e_shoff);
        goto out;
    }

    /* Segments: flash bytes at load addresses, RAM at run addresses. */
    uint64_t flo = UINT64_MAX, fhi = 0, rlo = UINT64_MAX, rhi = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr p, q;
        if (!gelf_getphdr(e, (int)i, &p) || p.p_type != PT_LOAD)
            continue;
        uint64_t phoff = eh.e_phoff + i * eh.e_phentsize;
        bool in_flash = p.p_filesz > 0, in_ram = p.p_vaddr != p.p_paddr || (p.p_filesz == 0 && p.p_memsz > 0);
        if (p.p_filesz > p.p_memsz) {
            sim_errorf(err, "%s: offset 0x%" PRIx64 ": program header %zu: p_filesz 0x%" PRIx64 " exceeds p_memsz 0x%" PRIx64,
                       path, phoff, i, (uint64_t)p.p_filesz, (uint64_t)p.p_memsz);
            goto out;
        }
        if (p.p_paddr + p.p_filesz > UINT32_MAX + 1ull || p.p_vaddr + p.p_memsz > UINT32_MAX + 1ull) {
            sim_errorf(err, "%s: offset 0x%" PRIx64 ": program header %zu: segment wraps past 4 GiB", path, phoff, i);
            goto out;
        }
        for (size_t j = 0; j < i; j++) {
            if (!gelf_getphdr(e, (int)j, &q) || q.p_type != PT_LOAD)
                continue;
            bool q_ram = q.p_vaddr != q.p_paddr || (q.p_filesz == 0 && q.p_memsz > 0);
            const char *what = NULL;
            uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            if (in_flash && q.p_filesz && overlaps(p.p_paddr, p.p_paddr + p.p_filesz, q.p_paddr, q.p_paddr + q.p_filesz)) {
                what = "load (flash) addresses";
                a0 = p.p_paddr; a1 = p.p_paddr + p.p_filesz; b0 = q.p_paddr; b1 = q.p_paddr + q.p_filesz;
            } else if (in_ram && q_ram && overlaps(p.p_vaddr, p.p_vaddr + p.p_memsz, q.p_vaddr, q.p_vaddr + q.p_memsz)) {
                what = "run (RAM) addresses";
                a0 = p.p_vaddr; a1 = p.p_vaddr + p.p_memsz; b0 = q.p_vaddr; b1 = q.p_vaddr + q.p_memsz;
            }
            if (what) {
                sim_errorf(err, "%s: offset 0x%" PRIx64 ": program header %zu [0x%08" PRIx64 ", 0x%08" PRIx64
                           ") overlaps program header %zu [0x%08" PRIx64 ", 0x%08" PRIx64 ") in %s",
                           path, phoff, i, a0, a1, j, b0, b1, what);
                goto out;
            }
        }
        if (in_flash) {
            if (p.p_paddr < flo) flo = p.p_paddr;
            if (p.p_paddr + p.p_filesz > fhi) fhi = p.p_paddr + p.p_filesz;
        }
        if (in_ram) {
            if (p.p_vaddr < rlo) rlo = p.p_vaddr;
            if (p.p_vaddr + p.p_memsz > rhi) rhi = p.p_vaddr + p.p_memsz;
        }
    }
    if (flo == UINT64_MAX) {
        sim_errorf(err, "%s: offset 0x%" PRIx64 ": no loadable segment has file contents: nothing to put in flash",
                   path, (uint64_t)eh.e_phoff);
        goto out;
    }
    if (fhi - flo > APPELF_MAX_FLASH) {
        sim_errorf(err, "%s: offset 0x%" PRIx64 ": flash content spans [0x%08" PRIx64 ", 0x%08" PRIx64
                   "), more than %u MiB: is a RAM section missing AT>FLASH?", path, (uint64_t)eh.e_phoff, flo, fhi,
                   APPELF_MAX_FLASH >> 20);
        goto out;
    }
    app->flash_origin = (uint32_t)flo;
    app->flash_size = (uint32_t)(fhi - flo);
    app->ram_origin = rlo == UINT64_MAX ? 0 : (uint32_t)rlo;
    app->ram_end = rlo == UINT64_MAX ? 0 : (uint32_t)rhi;
    app->pic = app->arch == APPELF_ARM && app->flash_origin == APPELF_PIC_FLASH_BASE;
    if (!(app->flash = calloc(1, app->flash_size ? app->flash_size : 1))) {
        sim_errorf(err, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr p;
        if (gelf_getphdr(e, (int)i, &p) && p.p_type == PT_LOAD && p.p_filesz)
            memcpy(app->flash + (p.p_paddr - flo), data + p.p_offset, p.p_filesz);
    }

    /* Entry: inside an executable segment's file bytes. */
    app->entry = (uint32_t)eh.e_entry;
    uint32_t pc = app->entry & (app->arch == APPELF_ARM ? ~1u : ~0u);
    bool entry_ok = false;
    for (size_t i = 0; i < phnum && !entry_ok; i++) {
        GElf_Phdr p;
        if (gelf_getphdr(e, (int)i, &p) && p.p_type == PT_LOAD && (p.p_flags & PF_X) && p.p_vaddr == p.p_paddr &&
            pc >= p.p_vaddr && pc < p.p_vaddr + p.p_filesz)
            entry_ok = true;
    }
    if (!entry_ok) {
        sim_errorf(err, "%s: offset 0x18: entry point 0x%08" PRIx32 " is %s", path, app->entry,
                   app->entry == 0 ? "missing (0): no _start?" : "not inside an executable segment in flash");
        goto out;
    }

    /* Sections: largest flash alignment, stack size. */
    app->flash_align = 4;
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || !(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS)
            continue;
        if (sh.sh_addr >= flo && sh.sh_addr < fhi && sh.sh_addralign > app->flash_align)
            app->flash_align = (uint32_t)sh.sh_addralign;
    }
    if (app->flash_align > 4096) {
        sim_errorf(err, "%s: a flash section asks for %" PRIu32 "-byte alignment, at most 4096 is supported",
                   path, app->flash_align);
        goto out;
    }
    GElf_Shdr stsh;
    if (find_section(e, shstrndx, ".stack", &stsh))
        app->stack_size = (uint32_t)stsh.sh_size;
    app->has_sram_origin = find_symbol(e, symscn, "_sram_origin", &app->sram_origin);

    if (app->arch == APPELF_ARM && eh.e_type == ET_DYN && !app->pic) {
        sim_errorf(err, "%s: offset 0x10: position-independent executable linked at flash 0x%08" PRIx32
                   "; Tock PIC apps are linked at flash 0x80000000", path, app->flash_origin);
        goto out;
    }
    if (app->pic && app->ram_end && app->ram_origin != APPELF_PIC_RAM_BASE) {
        sim_errorf(err, "%s: PIC app whose RAM starts at 0x%08" PRIx32 "; Tock PIC apps link RAM at 0",
                   path, app->ram_origin);
        goto out;
    }
    if (app->pic && check_relocs(path, e, symscn, app, err) < 0)
        goto out;
    rc = 0;
out:
    if (e)
        elf_end(e);
    free(copy);
    if (rc < 0)
        appelf_free(app);
    return rc;
}

void appelf_free(struct appelf *app)
{
    free(app->flash);
    app->flash = NULL;
    app->flash_size = 0;
}

/* ------------------------------------------------------ image builder -- */

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static size_t align_to(size_t v, size_t a) { return (v + a - 1) / a * a; }

int appelf_add_segment(const char *path, const uint8_t *elf, size_t len, const char *secname, uint32_t addr,
                       const uint8_t *data, size_t dlen, uint8_t **out, size_t *out_len, struct sim_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (len < EI_NIDENT || memcmp(elf, ELFMAG, SELFMAG) != 0 || elf[EI_CLASS] != ELFCLASS32 ||
        elf[EI_DATA] != ELFDATA2LSB || len < EHDR32_SIZE)
        return sim_errorf(err, "%s: offset 0x0: not a 32-bit little-endian ELF file", path);
    if (rd16(elf + 16) != ET_EXEC)
        return sim_errorf(err, "%s: offset 0x10: e_type %u, expected an executable (2)", path, rd16(elf + 16));
    uint32_t phoff = rd32(elf + 28), shoff = rd32(elf + 32);
    unsigned phnum = rd16(elf + 44), shnum = rd16(elf + 48), shstrndx = rd16(elf + 50);
    if (rd16(elf + 42) != sizeof(Elf32_Phdr) || (uint64_t)phoff + phnum * sizeof(Elf32_Phdr) > len)
        return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated or malformed program header table", path, phoff);
    if (shnum == 0 || shstrndx >= shnum || rd16(elf + 46) != sizeof(Elf32_Shdr) ||
        (uint64_t)shoff + shnum * sizeof(Elf32_Shdr) > len)
        return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated or missing section header table", path, shoff);
    const uint8_t *strsh = elf + shoff + shstrndx * sizeof(Elf32_Shdr);
    uint32_t str_off = rd32(strsh + 16), str_size = rd32(strsh + 20);
    if ((uint64_t)str_off + str_size > len)
        return sim_errorf(err, "%s: offset 0x%" PRIx32 ": truncated section name table", path, str_off);
    if (dlen == 0 || (uint64_t)addr + dlen > UINT32_MAX + 1ull)
        return sim_errorf(err, "%s: cannot add %zu bytes at 0x%08" PRIx32, path, dlen, addr);
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = elf + phoff + i * sizeof(Elf32_Phdr);
        uint32_t vaddr = rd32(ph + 8), paddr = rd32(ph + 12), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
        if (rd32(ph) == PT_PHDR)
            return sim_errorf(err, "%s: offset 0x%zx: has a PT_PHDR segment, which moving the program headers would break",
                              path, (size_t)(phoff + i * sizeof(Elf32_Phdr)));
        if (rd32(ph) != PT_LOAD)
            continue;
        if (overlaps(addr, (uint64_t)addr + dlen, paddr, (uint64_t)paddr + filesz) ||
            overlaps(addr, (uint64_t)addr + dlen, vaddr, (uint64_t)vaddr + memsz))
            return sim_errorf(err, "%s: offset 0x%zx: %s [0x%08" PRIx32 ", 0x%08" PRIx64 ") would overlap program header %u"
                              " [0x%08" PRIx32 ", 0x%08" PRIx64 ")", path, (size_t)(phoff + i * sizeof(Elf32_Phdr)),
                              secname, addr, (uint64_t)addr + dlen, i, vaddr, (uint64_t)vaddr + memsz);
    }

    /* Layout: old file | data | section names | program headers | section headers. */
    size_t name_len = strlen(secname) + 1;
    size_t data_off = align_to(len, 4);
    size_t str_new = data_off + dlen;
    size_t ph_new = align_to(str_new + str_size + name_len, 4);
    size_t sh_new = ph_new + (phnum + 1) * sizeof(Elf32_Phdr);
    size_t total = sh_new + (shnum + 1) * sizeof(Elf32_Shdr);
    uint8_t *o = calloc(1, total);
    if (!o)
        return sim_errorf(err, "out of memory");
    memcpy(o, elf, len);
    memcpy(o + data_off, data, dlen);
    memcpy(o + str_new, elf + str_off, str_size);
    memcpy(o + str_new + str_size, secname, name_len);
    memcpy(o + ph_new, elf + phoff, phnum * sizeof(Elf32_Phdr));
    uint8_t *ph = o + ph_new + phnum * sizeof(Elf32_Phdr);
    wr32(ph, PT_LOAD);
    wr32(ph + 4, (uint32_t)data_off);
    wr32(ph + 8, addr);
    wr32(ph + 12, addr);
    wr32(ph + 16, (uint32_t)dlen);
    wr32(ph + 20, (uint32_t)dlen);
    wr32(ph + 24, PF_R);
    wr32(ph + 28, 4);
    memcpy(o + sh_new, elf + shoff, shnum * sizeof(Elf32_Shdr));
    uint8_t *ss = o + sh_new + shstrndx * sizeof(Elf32_Shdr);     /* names moved */
    wr32(ss + 16, (uint32_t)str_new);
    wr32(ss + 20, (uint32_t)(str_size + name_len));
    uint8_t *sh = o + sh_new + shnum * sizeof(Elf32_Shdr);
    wr32(sh, str_size);                                         /* sh_name */
    wr32(sh + 4, SHT_PROGBITS);
    wr32(sh + 8, SHF_ALLOC);
    wr32(sh + 12, addr);
    wr32(sh + 16, (uint32_t)data_off);
    wr32(sh + 20, (uint32_t)dlen);
    wr32(sh + 32, 4);                                           /* sh_addralign */
    wr32(o + 28, (uint32_t)ph_new);
    wr32(o + 32, (uint32_t)sh_new);
    wr16(o + 44, (uint16_t)(phnum + 1));
    wr16(o + 48, (uint16_t)(shnum + 1));
    *out = o;
    *out_len = total;
    return 0;
}
