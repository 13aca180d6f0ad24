/* tocksim pack: ELF -> TBF, app-flash layout, TBF decoding (command line).
 *
 * TBF produced for an app (offsets from the start of the TBF):
 *   [0, H)            header: Main, Program, PackageName, FixedAddresses
 *                     (fixed-address apps only), KernelVersion
 *   [H, B)            protected trailer: zero padding so the binary starts
 *                     aligned (PIC) or exactly where it was linked (fixed)
 *   [B, E)            the app's flash image (text, rodata, relocations, data
 *                     load image), E rounded up to 8
 *   [E, total)        a Credentials footer of format "reserved" (padding)
 * total is a power of two (>= 512) on ARM, for the Cortex-M MPU, and a
 * multiple of 256 on RISC-V. */
#include "pack.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "appelf.h"
#include "tbf.h"

static uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) & ~(a - 1); }

static uint64_t next_pow2(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

void pack_options_default(struct pack_options *o)
{
    memset(o, 0, sizeof *o);
    o->app_heap = PACK_DEFAULT_APP_HEAP;
    o->kernel_heap = PACK_DEFAULT_KERNEL_HEAP;
    o->kernel_major = 2;
    o->kernel_minor = 0;
    o->header_space = PACK_DEFAULT_HEADER_SPACE;
}

int pack_build(const struct appelf *app, const struct pack_options *o, uint8_t **tbf, size_t *len,
               struct sim_error *err)
{
    struct tbf_fields f = { 0 };
    uint32_t stack = o->stack ? o->stack : app->stack_size ? app->stack_size : PACK_DEFAULT_STACK;
    uint32_t bin_off, hsize;
    uint64_t ram, binary_end, total;

    *tbf = NULL;
    *len = 0;
    if (o->stack && o->stack < app->stack_size)
        return sim_errorf(err, "--stack %" PRIu32 " is smaller than the app's linked .stack (%" PRIu32
                          "): crt0 places data above the linked stack", o->stack, app->stack_size);
    f.package_name = o->name;
    f.flags = o->disabled ? 0 : TBF_FLAG_ENABLED;
    f.app_version = o->app_version;
    f.kernel_major = o->kernel_major;
    f.kernel_minor = o->kernel_minor;
    f.fixed = !app->pic;
    f.fixed_flash = app->flash_origin;
    f.fixed_ram = app->has_sram_origin ? app->sram_origin : app->ram_end ? app->ram_origin : TBF_NO_FIXED_ADDRESS;
    hsize = tbf_header_size(&f);

    if (app->pic) {
        bin_off = align_up(hsize, app->flash_align);
    } else {
        if (hsize > o->header_space)
            return sim_errorf(err, "the TBF header needs 0x%" PRIx32 " bytes but the app reserves only 0x%" PRIx32
                              " before its fixed flash address 0x%08" PRIx32 ": shorten --name or raise --header-space"
                              " (and link the app that much higher)", hsize, o->header_space, app->flash_origin);
        if (o->header_space % 4 || app->flash_origin < o->header_space)
            return sim_errorf(err, "--header-space 0x%" PRIx32 " does not fit before flash address 0x%08" PRIx32,
                              o->header_space, app->flash_origin);
        bin_off = o->header_space;
    }

    /* RAM: the ELF's RAM extent with the linked stack replaced by the
     * requested one, plus the heaps. */
    ram = (uint64_t)(app->ram_end - app->ram_origin) - app->stack_size + align_up(stack, 8) +
          align_up(o->app_heap, 4) + align_up(o->kernel_heap, 4);
    if (ram > UINT32_MAX)
        return sim_errorf(err, "app needs %" PRIu64 " bytes of RAM", ram);

    binary_end = ((uint64_t)bin_off + app->flash_size + 7) & ~7ull;
    if (app->arch == APPELF_ARM)
        total = next_pow2(binary_end < PACK_MIN_POW2_SIZE ? PACK_MIN_POW2_SIZE : binary_end);
    else
        total = (binary_end + PACK_FIXED_SIZE_ALIGN - 1) & ~(uint64_t)(PACK_FIXED_SIZE_ALIGN - 1);
    if (total > UINT32_MAX)
        return sim_errorf(err, "app is too large for a TBF (%" PRIu64 " bytes)", total);

    f.total_size = (uint32_t)total;
    f.protected_trailer_size = bin_off - hsize;
    f.init_fn_offset = f.protected_trailer_size + (app->entry - app->flash_origin);
    f.minimum_ram_size = (uint32_t)ram;
    f.binary_end_offset = (uint32_t)binary_end;

    uint8_t *out = calloc(1, (size_t)total);
    if (!out)
        return sim_errorf(err, "out of memory");
    if (tbf_write_header(&f, out, (size_t)total, err) < 0 ||
        (total > binary_end && tbf_write_padding_footer(out + binary_end, (uint32_t)(total - binary_end), err) < 0)) {
        free(out);
        return -1;
    }
    memcpy(out + bin_off, app->flash, app->flash_size);
    *tbf = out;
    *len = (size_t)total;
    return 0;
}

/* ------------------------------------------------------- command line -- */

static const char usage[] =
    "usage: tocksim pack APP.elf -o APP.tbf [--name N] [--stack N] [--heap N | --app-heap N]\n"
    "                    [--kernel-heap N] [--kernel-version MAJ.MIN] [--app-version N] [--disabled]\n"
    "                    [--header-space N] [--allow-textrel FUNC]... [--verbose]\n"
    "       tocksim pack --layout -o APPS.bin --base ADDR [--limit ADDR] APP.tbf...\n"
    "       tocksim pack --image -o IMAGE.elf --kernel KERNEL.elf --base ADDR [--limit ADDR] APP.tbf...\n"
    "       tocksim pack --describe FILE...\n";

static int read_file(const char *path, uint8_t **data, size_t *len, struct sim_error *err)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return sim_errorf(err, "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return sim_errorf(err, "%s: out of memory", path);
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return sim_errorf(err, "%s: read error", path);
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t len, struct sim_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return sim_errorf(err, "%s: cannot create: %s", path, strerror(errno));
    if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        remove(path);
        return sim_errorf(err, "%s: write error", path);
    }
    return 0;
}

static int parse_u32(const char *opt, const char *s, uint32_t *v, struct sim_error *err)
{
    uint64_t x;
    if (!s)
        return sim_errorf(err, "%s needs a value", opt);
    if (sim_parse_u64(s, &x) < 0 || x > UINT32_MAX)
        return sim_errorf(err, "%s: '%s' is not a number below 2^32", opt, s);
    *v = (uint32_t)x;
    return 0;
}

static const char *base_name(const char *path, char *buf, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, cap, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = 0;
    return buf;
}

#define PACK_MAX_INPUTS 64
#define PACK_MAX_ALLOWED 16

struct cli {
    enum { MODE_PACK, MODE_LAYOUT, MODE_IMAGE, MODE_DESCRIBE } mode;
    const char *kernel;
    const char *inputs[PACK_MAX_INPUTS];
    unsigned ninputs;
    const char *output;
    const char *allowed[PACK_MAX_ALLOWED];
    unsigned nallowed;
    bool verbose, have_base;
    uint32_t base, limit;
    struct pack_options o;
};

static int parse_cli(int argc, char **argv, struct cli *c, struct sim_error *err)
{
    memset(c, 0, sizeof *c);
    pack_options_default(&c->o);
    c->limit = UINT32_MAX;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        int rc = 0;
        if (a[0] != '-' || a[1] == 0) {
            if (c->ninputs == PACK_MAX_INPUTS)
                return sim_errorf(err, "too many input files (at most %d)", PACK_MAX_INPUTS);
            c->inputs[c->ninputs++] = a;
            continue;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v)
                return sim_errorf(err, "%s needs a file name", a);
            c->output = v;
        } else if (!strcmp(a, "--name")) {
            if (!v)
                return sim_errorf(err, "--name needs a value");
            c->o.name = v;
        } else if (!strcmp(a, "--stack")) {
            rc = parse_u32(a, v, &c->o.stack, err);
            if (!rc && c->o.stack == 0)
                return sim_errorf(err, "--stack must be positive");
        } else if (!strcmp(a, "--heap") || !strcmp(a, "--app-heap")) {
            rc = parse_u32(a, v, &c->o.app_heap, err);
        } else if (!strcmp(a, "--kernel-heap")) {
            rc = parse_u32(a, v, &c->o.kernel_heap, err);
        } else if (!strcmp(a, "--app-version")) {
            rc = parse_u32(a, v, &c->o.app_version, err);
        } else if (!strcmp(a, "--header-space")) {
            rc = parse_u32(a, v, &c->o.header_space, err);
        } else if (!strcmp(a, "--kernel-version")) {
            unsigned maj, min;
            char tail;
            if (!v || sscanf(v, "%u.%u%c", &maj, &min, &tail) != 2 || maj > 0xFFFF || min > 0xFFFF)
                return sim_errorf(err, "--kernel-version: expected MAJOR.MINOR, got '%s'", v ? v : "");
            c->o.kernel_major = (uint16_t)maj;
            c->o.kernel_minor = (uint16_t)min;
        } else if (!strcmp(a, "--allow-textrel")) {
            if (!v)
                return sim_errorf(err, "--allow-textrel needs a function name");
            if (c->nallowed == PACK_MAX_ALLOWED)
                return sim_errorf(err, "too many --allow-textrel (at most %d)", PACK_MAX_ALLOWED);
            c->allowed[c->nallowed++] = v;
        } else if (!strcmp(a, "--kernel")) {
            if (!v)
                return sim_errorf(err, "--kernel needs a file name");
            c->kernel = v;
        } else if (!strcmp(a, "--base")) {
            rc = parse_u32(a, v, &c->base, err);
            c->have_base = true;
        } else if (!strcmp(a, "--limit")) {
            rc = parse_u32(a, v, &c->limit, err);
        } else {
            takes = false;
            if (!strcmp(a, "--disabled"))
                c->o.disabled = true;
            else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
                c->verbose = true;
            else if (!strcmp(a, "--layout"))
                c->mode = MODE_LAYOUT;
            else if (!strcmp(a, "--image"))
                c->mode = MODE_IMAGE;
            else if (!strcmp(a, "--describe"))
                c->mode = MODE_DESCRIBE;
            else
                return sim_errorf(err, "unknown option '%s'", a);
        }
        if (rc < 0)
            return -1;
        if (takes)
            i++;
    }
    if (c->mode != MODE_DESCRIBE && !c->output)
        return sim_errorf(err, "no output file (-o)");
    if (c->mode == MODE_PACK && c->ninputs != 1)
        return sim_errorf(err, "expected one input ELF, got %u", c->ninputs);
    if (c->mode != MODE_PACK && c->ninputs == 0)
        return sim_errorf(err, "no input files");
    if ((c->mode == MODE_LAYOUT || c->mode == MODE_IMAGE) && !c->have_base)
        return sim_errorf(err, "%s needs --base ADDR (the board's APPS_FLASH_BASE)",
                          c->mode == MODE_LAYOUT ? "--layout" : "--image");
    if (c->mode == MODE_IMAGE && !c->kernel)
        return sim_errorf(err, "--image needs --kernel KERNEL.elf");
    return 0;
}

static bool allowed(const struct cli *c, const char *func)
{
    for (unsigned i = 0; i < c->nallowed; i++)
        if (!strcmp(c->allowed[i], func))
            return true;
    return false;
}

static int do_pack(const struct cli *c, struct sim_error *err)
{
    uint8_t *elf = NULL, *tbf = NULL;
    size_t elf_len, tbf_len;
    struct appelf app;
    struct pack_options o = c->o;
    char namebuf[64];
    const char *in = c->inputs[0];
    int rc = -1;

    if (read_file(in, &elf, &elf_len, err) < 0)
        return -1;
    if (appelf_read(in, elf, elf_len, &app, err) < 0)
        goto out_elf;
    if (!o.name)
        o.name = base_name(in, namebuf, sizeof namebuf);
    if (pack_build(&app, &o, &tbf, &tbf_len, err) < 0) {
        /* Locate the problem: it comes from this input. */
        struct sim_error e2;
        sim_errorf(&e2, "%s: %s", in, err->msg);
        *err = e2;
        goto out_app;
    }
    for (unsigned i = 0; i < app.ntextrel && i < APPELF_MAX_TEXTREL; i++)
        if (!allowed(c, app.textrel[i].func))
            fprintf(stderr, "tocksim pack: warning: %s: relocation of the word at 0x%08" PRIx32
                    " (in %s) patches flash and cannot be applied at run time\n",
                    in, app.textrel[i].addr, app.textrel[i].func);
    if (app.ntextrel > APPELF_MAX_TEXTREL)
        fprintf(stderr, "tocksim pack: warning: %s: %u more flash relocations\n", in,
                app.ntextrel - APPELF_MAX_TEXTREL);
    if (write_file(c->output, tbf, tbf_len, err) < 0)
        goto out_app;
    if (c->verbose) {
        struct sim_error e2;
        tbf_describe(c->output, tbf, tbf_len, stdout, &e2);
    }
    rc = 0;
out_app:
    free(tbf);
    appelf_free(&app);
out_elf:
    free(elf);
    return rc;
}

/* Lays the input TBFs out for app flash at c->base: *image, *len. */
static int layout_inputs(const struct cli *c, uint8_t **image, size_t *image_len, struct sim_error *err)
{
    struct tbf_placed apps[PACK_MAX_INPUTS];
    uint8_t *bufs[PACK_MAX_INPUTS] = { 0 };
    int rc = -1;

    memset(apps, 0, sizeof apps);
    for (unsigned i = 0; i < c->ninputs; i++) {
        size_t len;
        struct sim_error e2;
        if (read_file(c->inputs[i], &bufs[i], &len, err) < 0)
            goto out;
        apps[i].path = c->inputs[i];
        apps[i].data = bufs[i];
        if (tbf_parse(bufs[i], len, &apps[i].info, &e2) < 0) {
            sim_errorf(err, "%s: %s", c->inputs[i], e2.msg);
            goto out;
        }
        if (tbf_checksum(bufs[i], apps[i].info.header_size) !=
            (uint32_t)(bufs[i][12] | bufs[i][13] << 8 | bufs[i][14] << 16 | (uint32_t)bufs[i][15] << 24)) {
            sim_errorf(err, "%s: offset 0xc: bad header checksum", c->inputs[i]);
            goto out;
        }
    }
    if (tbf_layout(apps, c->ninputs, c->base, c->limit, image, image_len, err) < 0)
        goto out;
    if (c->verbose)
        for (unsigned i = 0; i < c->ninputs; i++)
            printf("0x%08" PRIx32 " %s (0x%" PRIx32 " bytes)\n", apps[i].addr, apps[i].path,
                   apps[i].info.total_size);
    rc = 0;
out:
    for (unsigned i = 0; i < c->ninputs; i++)
        free(bufs[i]);
    return rc;
}

static int do_layout(const struct cli *c, struct sim_error *err)
{
    uint8_t *image;
    size_t len;
    if (layout_inputs(c, &image, &len, err) < 0)
        return -1;
    int rc = write_file(c->output, image, len, err);
    free(image);
    return rc;
}

static int do_image(const struct cli *c, struct sim_error *err)
{
    uint8_t *apps = NULL, *kernel = NULL, *out = NULL;
    size_t apps_len, kernel_len, out_len;
    int rc = -1;
    if (layout_inputs(c, &apps, &apps_len, err) < 0 || read_file(c->kernel, &kernel, &kernel_len, err) < 0 ||
        appelf_add_segment(c->kernel, kernel, kernel_len, ".apps", c->base, apps, apps_len, &out, &out_len, err) < 0 ||
        write_file(c->output, out, out_len, err) < 0)
        goto out;
    rc = 0;
out:
    free(out);
    free(kernel);
    free(apps);
    return rc;
}

static int do_describe(const struct cli *c, struct sim_error *err)
{
    int rc = 0;
    for (unsigned i = 0; i < c->ninputs; i++) {
        uint8_t *data = NULL;
        size_t len;
        struct sim_error e2;
        if (read_file(c->inputs[i], &data, &len, &e2) < 0 || tbf_describe(c->inputs[i], data, len, stdout, &e2) < 0) {
            if (rc == 0)
                *err = e2;
            rc = -1;
        }
        if (i + 1 < c->ninputs)
            putchar('\n');
        free(data);
    }
    return rc;
}

int pack_main(int argc, char **argv)
{
    struct cli c;
    struct sim_error err = { { 0 } };
    int rc;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return SIM_EXIT_OK;
        }
    if (parse_cli(argc, argv, &c, &err) < 0) {
        fprintf(stderr, "tocksim pack: %s\n%s", err.msg, usage);
        return SIM_EXIT_USAGE;
    }
    switch (c.mode) {
    case MODE_PACK: rc = do_pack(&c, &err); break;
    case MODE_LAYOUT: rc = do_layout(&c, &err); break;
    case MODE_IMAGE: rc = do_image(&c, &err); break;
    default: rc = do_describe(&c, &err); break;
    }
    if (rc < 0) {
        fprintf(stderr, "tocksim pack: %s\n", err.msg);
        return SIM_EXIT_USAGE;
    }
    return SIM_EXIT_OK;
}
