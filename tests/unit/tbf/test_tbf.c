/* Unit tests: TBF writer/decoder/layout, the app ELF reader and `tocksim
 * pack`. The ELF inputs are synthesised here (a tiny linker in a struct),
 * then broken one way at a time. */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/loader/appelf.h"
#include "sim/loader/pack.h"
#include "sim/loader/tbf.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }   /* host is little-endian */

/* ------------------------------------------------- synthetic app ELFs -- */

struct seg { uint32_t vaddr, paddr, filesz, memsz, flags; };
struct elfspec {
    uint16_t machine;
    uint16_t type;
    uint32_t entry;
    struct seg seg[4];
    unsigned nseg;
    bool symtab;
    uint32_t stack_size;                /* .stack section size (0: none) */
    uint32_t stack_addr;
    uint32_t text_addr, text_size;      /* .text section */
    uint32_t data_addr, data_size;      /* .data section */
};

#define SEGDATA_OFF 0x200u

/* ARM PIC app: 0x100 bytes of text at 0x80000000, 0x20 of data loaded after
 * it and run at 0x800 (0x40 with bss), a 0x800 stack at RAM 0. */
static struct elfspec arm_pic(void)
{
    struct elfspec s = {
        .machine = EM_ARM, .type = ET_DYN, .entry = 0x80000041, .symtab = true,
        .seg = { { 0x80000000, 0x80000000, 0x100, 0x100, PF_R | PF_X },
                 { 0x800, 0x80000100, 0x20, 0x40, PF_R | PF_W },
                 { 0x0, 0x0, 0, 0x800, PF_R | PF_W } },
        .nseg = 3, .stack_size = 0x800, .stack_addr = 0,
        .text_addr = 0x80000000, .text_size = 0x100, .data_addr = 0x800, .data_size = 0x20,
    };
    return s;
}

/* RV32 fixed-address app linked at flash 0x80100080, RAM 0x80240000. */
static struct elfspec rv_fixed(void)
{
    struct elfspec s = {
        .machine = EM_RISCV, .type = ET_EXEC, .entry = 0x80100080, .symtab = true,
        .seg = { { 0x80100080, 0x80100080, 0x100, 0x100, PF_R | PF_X },
                 { 0x80240400, 0x80100180, 0x20, 0x40, PF_R | PF_W },
                 { 0x80240000, 0x80240000, 0, 0x400, PF_R | PF_W } },
        .nseg = 3, .stack_size = 0x400, .stack_addr = 0x80240000,
        .text_addr = 0x80100080, .text_size = 0x100, .data_addr = 0x80240400, .data_size = 0x20,
    };
    return s;
}

struct strtab { char buf[128]; uint32_t len; };
static uint32_t str_add(struct strtab *t, const char *s)
{
    uint32_t at = t->len;
    strcpy(t->buf + at, s);
    t->len += (uint32_t)strlen(s) + 1;
    return at;
}

/* Serialises spec into a malloc'd ELF; returns its size. */
static size_t build_elf(const struct elfspec *s, uint8_t **out)
{
    uint8_t *b = calloc(1, 0x1000);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)b;
    uint32_t off = SEGDATA_OFF;
    struct strtab shstr = { .len = 1 }, str = { .len = 1 };
    Elf32_Shdr sh[8];
    unsigned nsh = 1;

    memset(sh, 0, sizeof sh);
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = s->type;
    eh->e_machine = s->machine;
    eh->e_version = EV_CURRENT;
    eh->e_entry = s->entry;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = (uint16_t)s->nseg;
    eh->e_shentsize = sizeof(Elf32_Shdr);

    uint32_t seg_off[4] = { 0 };
    for (unsigned i = 0; i < s->nseg; i++) {
        Elf32_Phdr *ph = (Elf32_Phdr *)(b + eh->e_phoff) + i;
        ph->p_type = PT_LOAD;
        ph->p_offset = s->seg[i].filesz ? off : 0;
        ph->p_vaddr = s->seg[i].vaddr;
        ph->p_paddr = s->seg[i].paddr;
        ph->p_filesz = s->seg[i].filesz;
        ph->p_memsz = s->seg[i].memsz;
        ph->p_flags = s->seg[i].flags;
        ph->p_align = 4;
        seg_off[i] = ph->p_offset;
        for (uint32_t k = 0; k < s->seg[i].filesz; k++)
            b[off + k] = (uint8_t)(0x10 * i + k);
        off += (s->seg[i].filesz + 3) & ~3u;
    }

    /* Sections. */
    Elf32_Shdr *t = &sh[nsh++];
    t->sh_name = str_add(&shstr, ".text");
    t->sh_type = SHT_PROGBITS; t->sh_flags = SHF_ALLOC | SHF_EXECINSTR;
    t->sh_addr = s->text_addr; t->sh_offset = seg_off[0]; t->sh_size = s->text_size; t->sh_addralign = 4;
    if (s->nseg > 1) {
        t = &sh[nsh++];
        t->sh_name = str_add(&shstr, ".data");
        t->sh_type = SHT_PROGBITS; t->sh_flags = SHF_ALLOC | SHF_WRITE;
        t->sh_addr = s->data_addr; t->sh_offset = seg_off[1]; t->sh_size = s->data_size; t->sh_addralign = 4;
    }
    if (s->stack_size) {
        t = &sh[nsh++];
        t->sh_name = str_add(&shstr, ".stack");
        t->sh_type = SHT_NOBITS; t->sh_flags = SHF_ALLOC | SHF_WRITE;
        t->sh_addr = s->stack_addr; t->sh_offset = off; t->sh_size = s->stack_size; t->sh_addralign = 8;
    }
    if (s->symtab) {
        Elf32_Sym *syms = (Elf32_Sym *)(b + off);
        memset(syms, 0, 2 * sizeof *syms);
        syms[1].st_name = str_add(&str, "_start");
        syms[1].st_value = s->entry;
        syms[1].st_size = 0x20;
        syms[1].st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC);
        syms[1].st_shndx = 1;
        unsigned symidx = nsh;
        t = &sh[nsh++];
        t->sh_name = str_add(&shstr, ".symtab");
        t->sh_type = SHT_SYMTAB; t->sh_offset = off; t->sh_size = 2 * sizeof *syms;
        t->sh_entsize = sizeof *syms; t->sh_info = 1; t->sh_addralign = 4;
        off += 2 * sizeof *syms;
        t = &sh[nsh++];
        t->sh_name = str_add(&shstr, ".strtab");
        t->sh_type = SHT_STRTAB; t->sh_offset = off; t->sh_size = str.len; t->sh_addralign = 1;
        memcpy(b + off, str.buf, str.len);
        off += (str.len + 3) & ~3u;
        sh[symidx].sh_link = nsh - 1;
    }
    t = &sh[nsh++];
    t->sh_name = str_add(&shstr, ".shstrtab");
    t->sh_type = SHT_STRTAB; t->sh_offset = off; t->sh_size = shstr.len; t->sh_addralign = 1;
    memcpy(b + off, shstr.buf, shstr.len);
    off += (shstr.len + 3) & ~3u;

    eh->e_shoff = off;
    eh->e_shnum = (uint16_t)nsh;
    eh->e_shstrndx = (uint16_t)(nsh - 1);
    memcpy(b + off, sh, nsh * sizeof(Elf32_Shdr));
    off += nsh * sizeof(Elf32_Shdr);
    ck_assert_uint_le(off, 0x1000);
    *out = b;
    return off;
}

static int read_spec(const struct elfspec *s, struct appelf *app, struct sim_error *err)
{
    uint8_t *elf;
    size_t len = build_elf(s, &elf);
    int rc = appelf_read("app.elf", elf, len, app, err);
    free(elf);
    return rc;
}

static void pack_spec(const struct elfspec *s, const char *name, uint8_t **tbf, size_t *len)
{
    struct appelf app;
    struct sim_error err = { { 0 } };
    struct pack_options o;
    ck_assert_msg(read_spec(s, &app, &err) == 0, "%s", err.msg);
    pack_options_default(&o);
    o.name = name;
    ck_assert_msg(pack_build(&app, &o, tbf, len, &err) == 0, "%s", err.msg);
    appelf_free(&app);
}

/* ----------------------------------------------------------- writer -- */

START_TEST(test_checksum)
{
    uint8_t h[24] = { 0 };
    wr32(h, 0x00180002);
    wr32(h + 4, 0x1000);
    wr32(h + 8, 1);
    wr32(h + 12, 0xdeadbeef);              /* ignored */
    wr32(h + 16, 0x11111111);
    wr32(h + 20, 0x22222222);
    ck_assert_uint_eq(tbf_checksum(h, 24), 0x00180002u ^ 0x1000u ^ 1u ^ 0x11111111u ^ 0x22222222u);
}
END_TEST

START_TEST(test_header_round_trip)
{
    struct tbf_fields f = {
        .package_name = "blink", .flags = TBF_FLAG_ENABLED, .total_size = 0x800,
        .init_fn_offset = 0x45, .protected_trailer_size = 4, .minimum_ram_size = 0x1234,
        .binary_end_offset = 0x700, .app_version = 7, .fixed = true,
        .fixed_ram = 0x80244000, .fixed_flash = 0x80110080, .kernel_major = 2, .kernel_minor = 1,
    };
    uint8_t buf[0x800];
    struct tbf_info info;
    struct sim_error err;

    memset(buf, 0, sizeof buf);
    uint32_t hs = tbf_header_size(&f);
    ck_assert_uint_eq(hs % 4, 0);
    ck_assert_int_eq(tbf_write_header(&f, buf, sizeof buf, &err), 0);
    ck_assert_int_eq(tbf_write_padding_footer(buf + 0x700, 0x100, &err), 0);
    ck_assert_int_eq(tbf_parse(buf, sizeof buf, &info, &err), 0);
    ck_assert_uint_eq(info.header_size, hs);
    ck_assert_uint_eq(info.total_size, 0x800);
    ck_assert_uint_eq(info.init_fn_offset, 0x45);
    ck_assert_uint_eq(info.protected_trailer_size, 4);
    ck_assert_uint_eq(info.minimum_ram_size, 0x1234);
    ck_assert(info.fixed);
    ck_assert_uint_eq(info.fixed_ram, 0x80244000);
    ck_assert_uint_eq(info.fixed_flash, 0x80110080);
    ck_assert_str_eq(info.package_name, "blink");
    ck_assert_uint_eq(rd32(buf + 12), tbf_checksum(buf, hs));

    FILE *out = tmpfile();
    ck_assert_int_eq(tbf_describe("x.tbf", buf, sizeof buf, out, &err), 0);
    fclose(out);
}
END_TEST

START_TEST(test_header_too_small)
{
    struct tbf_fields f = { .total_size = 8 };
    uint8_t buf[128];
    struct sim_error err;
    ck_assert_int_eq(tbf_write_header(&f, buf, sizeof buf, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "larger than total_size"));
}
END_TEST

/* ------------------------------------------------------------- pack -- */

START_TEST(test_pack_arm)
{
    struct elfspec s = arm_pic();
    uint8_t *tbf, *again;
    size_t len, len2;
    struct tbf_info info;
    struct sim_error err;

    pack_spec(&s, "hello", &tbf, &len);
    ck_assert_uint_eq(len, 512);                        /* power of two, at least 512 */
    ck_assert_int_eq(tbf_parse(tbf, len, &info, &err), 0);
    ck_assert(!info.fixed);
    ck_assert_uint_eq(info.total_size, 512);
    ck_assert_uint_eq((info.header_size + info.protected_trailer_size) % 4, 0);
    uint32_t bin = info.header_size + info.protected_trailer_size;
    /* Entry: _start at 0x41 into the binary, Thumb bit kept. */
    ck_assert_uint_eq(info.init_fn_offset, info.protected_trailer_size + 0x41);
    /* RAM: 0x840 span - 0x800 linked stack + 0x800 stack + 1024 + 1024. */
    ck_assert_uint_eq(info.minimum_ram_size, 0x40 + 0x800 + 0x400 + 0x400);
    /* Binary: text then the data load image, byte for byte. */
    ck_assert_uint_eq(tbf[bin], 0x00);
    ck_assert_uint_eq(tbf[bin + 0xff], 0xff);
    ck_assert_uint_eq(tbf[bin + 0x100], 0x10);
    ck_assert_uint_eq(tbf[bin + 0x11f], 0x2f);

    FILE *out = tmpfile();
    ck_assert_msg(tbf_describe("hello.tbf", tbf, len, out, &err) == 0, "%s", err.msg);
    fclose(out);

    /* Stable: the same input gives the same bytes. */
    pack_spec(&s, "hello", &again, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_mem_eq(tbf, again, len);
    free(again);
    free(tbf);
}
END_TEST

START_TEST(test_pack_arm_power_of_two)
{
    struct elfspec s = arm_pic();
    uint8_t *tbf;
    size_t len;
    s.seg[0].filesz = s.seg[0].memsz = s.text_size = 0x9f0;
    s.seg[1].paddr = 0x800009f0;
    pack_spec(&s, "big", &tbf, &len);
    ck_assert_uint_eq(len, 4096);
    free(tbf);
}
END_TEST

START_TEST(test_pack_rv_fixed)
{
    struct elfspec s = rv_fixed();
    uint8_t *tbf;
    size_t len;
    struct tbf_info info;
    struct sim_error err;

    pack_spec(&s, "blink", &tbf, &len);
    ck_assert_int_eq(tbf_parse(tbf, len, &info, &err), 0);
    ck_assert(info.fixed);
    ck_assert_uint_eq(info.fixed_flash, 0x80100080);
    ck_assert_uint_eq(info.fixed_ram, 0x80240000);
    ck_assert_uint_eq(info.header_size + info.protected_trailer_size, 0x80);
    ck_assert_uint_eq(info.init_fn_offset, info.protected_trailer_size);
    ck_assert_uint_eq(len % 256, 0);
    ck_assert_uint_eq(info.minimum_ram_size, 0x440 + 0x400 + 0x400);
    /* The TBF for binary 0x80100080 must sit at 0x80100000. */
    struct tbf_placed p = { .path = "blink.tbf", .data = tbf, .info = info };
    uint8_t *img;
    size_t img_len;
    ck_assert_msg(tbf_layout(&p, 1, 0x80100000, 0x80200000, &img, &img_len, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p.addr, 0x80100000);
    ck_assert_mem_eq(img, tbf, len);
    free(img);
    free(tbf);
}
END_TEST

START_TEST(test_pack_rv_header_space)
{
    struct elfspec s = rv_fixed();
    struct appelf app;
    struct pack_options o;
    struct sim_error err;
    uint8_t *tbf;
    size_t len;
    ck_assert_int_eq(read_spec(&s, &app, &err), 0);
    pack_options_default(&o);
    o.name = "a-package-name-far-too-long-for-the-128-bytes-reserved-before-the-binary-of-this-app";
    ck_assert_int_eq(pack_build(&app, &o, &tbf, &len, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "header-space"));
    o.name = "ok";
    o.stack = 0x100;                                    /* smaller than the linked stack */
    ck_assert_int_eq(pack_build(&app, &o, &tbf, &len, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "--stack"));
    appelf_free(&app);
}
END_TEST

/* ---------------------------------------------------- malformed ELFs -- */

enum bad {
    BAD_NO_SYMBOLS, BAD_OVERLAP_FLASH, BAD_OVERLAP_RAM, BAD_NO_ENTRY, BAD_ENTRY_OUTSIDE,
    BAD_MACHINE, BAD_CLASS64, BAD_NOT_ELF, BAD_TRUNC_EHDR, BAD_TRUNC_PHDR, BAD_TRUNC_SEGMENT,
    BAD_TRUNC_SHDR, BAD_RELOCATABLE, BAD_NO_PHDRS, BAD_COUNT
};
static const struct { const char *what, *expect; } bad_cases[BAD_COUNT] = {
    [BAD_NO_SYMBOLS] = { "no symbols", "no symbol table" },
    [BAD_OVERLAP_FLASH] = { "overlapping segments (flash)", "overlaps program header 0" },
    [BAD_OVERLAP_RAM] = { "overlapping segments (RAM)", "in run (RAM) addresses" },
    [BAD_NO_ENTRY] = { "missing entry", "entry point 0x00000000 is missing" },
    [BAD_ENTRY_OUTSIDE] = { "entry outside code", "not inside an executable segment" },
    [BAD_MACHINE] = { "wrong architecture", "wrong architecture" },
    [BAD_CLASS64] = { "64-bit ELF", "wrong architecture" },
    [BAD_NOT_ELF] = { "not an ELF", "not an ELF file" },
    [BAD_TRUNC_EHDR] = { "truncated in the ELF header", "truncated" },
    [BAD_TRUNC_PHDR] = { "truncated in the program headers", "truncated" },
    [BAD_TRUNC_SEGMENT] = { "truncated in segment data", "truncated" },
    [BAD_TRUNC_SHDR] = { "truncated in the section headers", "truncated" },
    [BAD_RELOCATABLE] = { "object file, not linked", "e_type 1" },
    [BAD_NO_PHDRS] = { "no program headers", "no program headers" },
};

static size_t make_bad(int which, uint8_t **out)
{
    struct elfspec s = arm_pic();
    size_t len;
    switch (which) {
    case BAD_NO_SYMBOLS: s.symtab = false; break;
    case BAD_OVERLAP_FLASH: s.seg[1].paddr = 0x80000080; break;
    case BAD_OVERLAP_RAM: s.seg[1].vaddr = 0x700; break;
    case BAD_NO_ENTRY: s.entry = 0; break;
    case BAD_ENTRY_OUTSIDE: s.entry = 0x80000201; break;
    default: break;
    }
    len = build_elf(&s, out);
    uint8_t *b = *out;
    Elf32_Ehdr *eh = (Elf32_Ehdr *)b;
    switch (which) {
    case BAD_MACHINE: eh->e_machine = EM_X86_64; break;
    case BAD_CLASS64: b[EI_CLASS] = ELFCLASS64; break;
    case BAD_NOT_ELF: memcpy(b, "#!/bin", 6); break;
    case BAD_TRUNC_EHDR: len = 40; break;
    case BAD_TRUNC_PHDR: len = eh->e_phoff + sizeof(Elf32_Phdr) + 8; break;
    case BAD_TRUNC_SEGMENT: len = SEGDATA_OFF + 0x80; break;
    case BAD_TRUNC_SHDR: len -= 12; break;
    case BAD_RELOCATABLE: eh->e_type = ET_REL; break;
    case BAD_NO_PHDRS: eh->e_phnum = 0; break;
    default: break;
    }
    return len;
}

START_TEST(test_malformed_elf)
{
    uint8_t *elf;
    size_t len = make_bad(_i, &elf);
    struct appelf app;
    struct sim_error err = { { 0 } };

    ck_assert_msg(appelf_read("bad.elf", elf, len, &app, &err) == -1, "%s accepted", bad_cases[_i].what);
    if (getenv("TBF_TEST_VERBOSE"))                     /* to review the wording */
        fprintf(stderr, "%-34s %s\n", bad_cases[_i].what, err.msg);
    ck_assert_msg(strstr(err.msg, bad_cases[_i].expect), "%s: '%s' lacks '%s'", bad_cases[_i].what, err.msg,
                  bad_cases[_i].expect);
    ck_assert_msg(strncmp(err.msg, "bad.elf: ", 9) == 0, "%s: '%s' does not name the file", bad_cases[_i].what,
                  err.msg);
    ck_assert_msg(strstr(err.msg, "offset 0x") || strstr(err.msg, "program header") || strstr(err.msg, "section"),
                  "%s: '%s' is not located", bad_cases[_i].what, err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    free(elf);
}
END_TEST

/* The command line: exit status 2 and exactly one line on stderr. */
START_TEST(test_malformed_cli)
{
    char dir[] = "/tmp/tbftestXXXXXX";
    char in[64], out[64], errf[64];
    uint8_t *elf;
    size_t len = make_bad(_i, &elf);

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/bad.elf", dir);
    snprintf(out, sizeof out, "%s/bad.tbf", dir);
    snprintf(errf, sizeof errf, "%s/stderr", dir);
    FILE *f = fopen(in, "wb");
    ck_assert_uint_eq(fwrite(elf, 1, len, f), len);
    fclose(f);
    free(elf);

    ck_assert_ptr_nonnull(freopen(errf, "w", stderr));
    char *argv[] = { "pack", in, "-o", out, NULL };
    int rc = pack_main(4, argv);
    fflush(stderr);
    ck_assert_int_eq(rc, 2);
    ck_assert_int_ne(access(out, F_OK), 0);             /* nothing written */

    char line[1024];
    int lines = 0;
    f = fopen(errf, "r");
    while (fgets(line, sizeof line, f))
        lines++;
    fclose(f);
    ck_assert_int_eq(lines, 1);
    remove(errf);
    remove(in);
    rmdir(dir);
}
END_TEST

START_TEST(test_good_cli)
{
    char dir[] = "/tmp/tbftestXXXXXX";
    char in[64], out[64], img[64];
    uint8_t *elf;
    struct elfspec s = arm_pic();
    size_t len = build_elf(&s, &elf);

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/hello.elf", dir);
    snprintf(out, sizeof out, "%s/hello.tbf", dir);
    snprintf(img, sizeof img, "%s/apps.bin", dir);
    FILE *f = fopen(in, "wb");
    fwrite(elf, 1, len, f);
    fclose(f);
    free(elf);
    char *argv[] = { "pack", in, "-o", out, "--stack", "4096", "--heap", "0x200", "--kernel-heap", "512",
                     "--name", "hi", NULL };
    ck_assert_int_eq(pack_main(12, argv), 0);
    char *argv2[] = { "pack", "--layout", "-o", img, "--base", "0x40000", out, out, NULL };
    ck_assert_int_eq(pack_main(8, argv2), 0);

    f = fopen(img, "rb");
    uint8_t buf[2048];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_uint_eq(n, 512 + 512 + 16);
    struct tbf_info info;
    struct sim_error err;
    ck_assert_int_eq(tbf_parse(buf, n, &info, &err), 0);
    ck_assert_uint_eq(info.minimum_ram_size, 0x40 + 4096 + 0x200 + 512);
    ck_assert_str_eq(info.package_name, "hi");
    FILE *o = tmpfile();
    ck_assert_msg(tbf_describe("apps.bin", buf, n, o, &err) == 0, "%s", err.msg);
    fclose(o);
    remove(in);
    remove(out);
    remove(img);
    rmdir(dir);
}
END_TEST

/* ---------------------------------------------------------- decoder -- */

/* Decodes into a string. */
static int describe(const uint8_t *d, size_t len, char *text, size_t cap, struct sim_error *err)
{
    FILE *f = tmpfile();
    int rc = tbf_describe("t.tbf", d, len, f, err);
    rewind(f);
    size_t n = fread(text, 1, cap - 1, f);
    text[n] = 0;
    fclose(f);
    return rc;
}

START_TEST(test_describe_bad_checksum)
{
    uint8_t *tbf;
    size_t len;
    char text[4096];
    struct sim_error err;
    struct elfspec s = arm_pic();
    pack_spec(&s, "hello", &tbf, &len);
    tbf[0x14] ^= 1;                                     /* inside the Main TLV */
    ck_assert_int_eq(describe(tbf, len, text, sizeof text, &err), -1);
    ck_assert_msg(strstr(err.msg, "offset 0xc: checksum"), "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(text, "ERROR at 0x00000c"));
    free(tbf);
}
END_TEST

START_TEST(test_describe_truncated_tlv)
{
    uint8_t *tbf;
    size_t len;
    char text[4096];
    struct sim_error err;
    struct elfspec s = arm_pic();
    pack_spec(&s, "hello", &tbf, &len);
    /* PackageName TLV is at 0x38: claim 200 bytes, then fix the checksum so
     * only the TLV is wrong. */
    ck_assert_uint_eq(tbf[0x38], TBF_TLV_PACKAGE_NAME);
    tbf[0x3a] = 200;
    wr32(tbf + 12, tbf_checksum(tbf, tbf[2] | tbf[3] << 8));
    ck_assert_int_eq(describe(tbf, len, text, sizeof text, &err), -1);
    ck_assert_msg(strstr(err.msg, "offset 0x38: truncated TLV"), "%s", err.msg);
    struct tbf_info info;
    ck_assert_int_eq(tbf_parse(tbf, len, &info, &err), -1);
    ck_assert_msg(strstr(err.msg, "offset 0x38"), "%s", err.msg);
    free(tbf);
}
END_TEST

START_TEST(test_describe_concatenation)
{
    uint8_t *a, *b, *img;
    size_t la, lb, n;
    char text[8192];
    struct sim_error err;
    struct elfspec s = arm_pic();
    pack_spec(&s, "one", &a, &la);
    s.seg[0].filesz = s.seg[0].memsz = s.text_size = 0x300;
    s.seg[1].paddr = 0x80000300;
    pack_spec(&s, "two", &b, &lb);
    ck_assert_uint_eq(lb, 1024);
    struct tbf_placed p[2] = { { .path = "one", .data = a }, { .path = "two", .data = b } };
    ck_assert_int_eq(tbf_parse(a, la, &p[0].info, &err), 0);
    ck_assert_int_eq(tbf_parse(b, lb, &p[1].info, &err), 0);
    ck_assert_int_eq(tbf_layout(p, 2, 0x40000, 0x100000, &img, &n, &err), 0);
    /* Larger first, each aligned to its size. */
    ck_assert_uint_eq(p[1].addr, 0x40000);
    ck_assert_uint_eq(p[0].addr, 0x40400);
    ck_assert_uint_eq(n, 1024 + 512 + 16);
    ck_assert_int_eq(describe(img, n, text, sizeof text, &err), 0);
    ck_assert_ptr_nonnull(strstr(text, "2 object(s), 0 error(s)"));
    ck_assert_ptr_nonnull(strstr(text, "0x000600 end of app list (version 0xffff)"));
    /* Cut the second object short: located error. */
    ck_assert_int_eq(describe(img, 1024 + 100, text, sizeof text, &err), -1);
    ck_assert_msg(strstr(err.msg, "offset 0x404: total_size"), "%s", err.msg);
    free(img);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_layout_fixed_with_padding)
{
    uint8_t *a, *b, *img;
    size_t la, lb, n;
    struct sim_error err;
    struct elfspec s = rv_fixed();
    pack_spec(&s, "a", &a, &la);
    s = rv_fixed();
    for (unsigned i = 0; i < 2; i++)
        s.seg[i].paddr += 0x10000;
    s.seg[0].vaddr += 0x10000;
    s.entry += 0x10000;
    s.text_addr += 0x10000;
    pack_spec(&s, "b", &b, &lb);
    struct tbf_placed p[2] = { { .path = "b", .data = b }, { .path = "a", .data = a } };
    ck_assert_int_eq(tbf_parse(b, lb, &p[0].info, &err), 0);
    ck_assert_int_eq(tbf_parse(a, la, &p[1].info, &err), 0);
    ck_assert_msg(tbf_layout(p, 2, 0x80100000, 0x80200000, &img, &n, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p[1].addr, 0x80100000);
    ck_assert_uint_eq(p[0].addr, 0x80110000);
    ck_assert_uint_eq(n, 0x10000 + lb + 16);
    struct tbf_info pad;
    ck_assert_int_eq(tbf_parse(img + la, n - la, &pad, &err), 0);   /* padding object */
    ck_assert(!pad.has_program);
    ck_assert_uint_eq(pad.total_size, 0x10000 - la);
    char *text = malloc(1 << 16);
    ck_assert_int_eq(describe(img, n, text, 1 << 16, &err), 0);
    ck_assert_ptr_nonnull(strstr(text, "padding object"));
    free(text);
    free(img);
    /* Not below app flash, not past its end. */
    ck_assert_int_eq(tbf_layout(p, 2, 0x80104000, 0x80200000, &img, &n, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "below app flash"));
    ck_assert_int_eq(tbf_layout(p, 2, 0x80100000, 0x80110100, &img, &n, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "the board has"));
    free(a);
    free(b);
}
END_TEST

/* ------------------------------------------------------ image builder -- */

START_TEST(test_add_segment)
{
    struct elfspec k = arm_pic();                        /* reuse as a "kernel" */
    k.type = ET_EXEC;
    k.seg[0].vaddr = k.seg[0].paddr = k.text_addr = 0;
    k.entry = 1;
    k.seg[1].paddr = 0x100;
    k.seg[1].vaddr = k.data_addr = 0x20000000;
    k.seg[2].vaddr = k.seg[2].paddr = k.stack_addr = 0x20001000;
    uint8_t *elf, *img;
    size_t len = build_elf(&k, &elf), img_len;
    uint8_t apps[48];
    struct sim_error err;
    for (unsigned i = 0; i < sizeof apps; i++)
        apps[i] = (uint8_t)(0xA0 + i);

    ck_assert_msg(appelf_add_segment("k.elf", elf, len, ".apps", 0x40000, apps, sizeof apps, &img, &img_len, &err) == 0,
                  "%s", err.msg);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
    ck_assert_uint_eq(eh->e_phnum, 4);
    Elf32_Phdr *ph = (Elf32_Phdr *)(img + eh->e_phoff) + 3;
    ck_assert_uint_eq(ph->p_type, PT_LOAD);
    ck_assert_uint_eq(ph->p_paddr, 0x40000);
    ck_assert_uint_eq(ph->p_vaddr, 0x40000);
    ck_assert_uint_eq(ph->p_filesz, sizeof apps);
    ck_assert_mem_eq(img + ph->p_offset, apps, sizeof apps);
    /* The old segments and their bytes are untouched. */
    ck_assert_mem_eq(img + eh->e_phoff, elf + ((Elf32_Ehdr *)elf)->e_phoff, 3 * sizeof(Elf32_Phdr));
    ck_assert_mem_eq(img + SEGDATA_OFF, elf + SEGDATA_OFF, 0x100);
    /* A section named .apps covers it. */
    Elf32_Shdr *sh = (Elf32_Shdr *)(img + eh->e_shoff);
    Elf32_Shdr *last = &sh[eh->e_shnum - 1];
    const char *names = (const char *)img + sh[eh->e_shstrndx].sh_offset;
    ck_assert_str_eq(names + last->sh_name, ".apps");
    ck_assert_uint_eq(last->sh_addr, 0x40000);
    ck_assert_uint_eq(last->sh_offset, ph->p_offset);
    ck_assert_str_eq(names + sh[1].sh_name, ".text");
    free(img);

    /* Overlap with the kernel's flash or RAM: refused, located. */
    ck_assert_int_eq(appelf_add_segment("k.elf", elf, len, ".apps", 0xF0, apps, sizeof apps, &img, &img_len, &err), -1);
    ck_assert_msg(strstr(err.msg, "would overlap program header 0"), "%s", err.msg);
    ck_assert_int_eq(appelf_add_segment("k.elf", elf, len, ".apps", 0x20000FF0, apps, sizeof apps, &img, &img_len,
                                        &err), -1);
    ck_assert_msg(strstr(err.msg, "would overlap program header"), "%s", err.msg);
    /* Not an executable. */
    eh = (Elf32_Ehdr *)elf;
    eh->e_type = ET_DYN;
    ck_assert_int_eq(appelf_add_segment("k.elf", elf, len, ".apps", 0x40000, apps, sizeof apps, &img, &img_len, &err), -1);
    ck_assert_msg(strstr(err.msg, "k.elf: offset 0x10"), "%s", err.msg);
    free(elf);
}
END_TEST

static Suite *tbf_suite(void)
{
    Suite *s = suite_create("tbf");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, test_checksum);
    tcase_add_test(tc, test_header_round_trip);
    tcase_add_test(tc, test_header_too_small);
    suite_add_tcase(s, tc);

    tc = tcase_create("pack");
    tcase_add_test(tc, test_pack_arm);
    tcase_add_test(tc, test_pack_arm_power_of_two);
    tcase_add_test(tc, test_pack_rv_fixed);
    tcase_add_test(tc, test_pack_rv_header_space);
    tcase_add_test(tc, test_good_cli);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_malformed_elf, 0, BAD_COUNT);
    tcase_add_loop_test(tc, test_malformed_cli, 0, BAD_COUNT);
    suite_add_tcase(s, tc);

    tc = tcase_create("describe");
    tcase_add_test(tc, test_describe_bad_checksum);
    tcase_add_test(tc, test_describe_truncated_tlv);
    tcase_add_test(tc, test_describe_concatenation);
    tcase_add_test(tc, test_layout_fixed_with_padding);
    tcase_add_test(tc, test_add_segment);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tbf_suite());
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
