/* A fake target for the GDB session (no machine, no Unicorn): 24 registers,
 * 4 KiB of memory at 0x1000, breakpoints counted; resume/interrupt only set
 * flags. Shared by test_gdb_packets.c and tests/fuzz/fuzz_gdb.c, which also
 * check every byte the session sends with gdb_fake_check_output. */
#ifndef TESTS_GDB_FAKE_H
#define TESTS_GDB_FAKE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/gdb/gdb_session.h"

#define FAKE_NREGS 24
#define FAKE_BASE 0x1000u
#define FAKE_SIZE 4096u

struct gdb_fake {
    uint32_t regs[FAKE_NREGS];
    uint8_t mem[FAKE_SIZE];
    int bps;
    bool running, stepping, interrupted, detached, killed;
    unsigned resumes;
};

static unsigned fake_nregs(void *t)
{
    (void)t;
    return FAKE_NREGS;
}

static int fake_reg_read(void *t, unsigned n, uint32_t *v)
{
    struct gdb_fake *f = t;
    if (n >= FAKE_NREGS)
        abort();                            /* the session must check */
    if (n == 23)
        return -1;                          /* one unavailable register */
    *v = f->regs[n];
    return 0;
}

static int fake_reg_write(void *t, unsigned n, uint32_t v)
{
    struct gdb_fake *f = t;
    if (n >= FAKE_NREGS)
        abort();
    f->regs[n] = v;
    return 0;
}

static const char fake_xml[] =
    "<?xml version=\"1.0\"?><target><architecture>arm</architecture>"
    "<feature name=\"org.gnu.gdb.arm.m-profile\"><reg name=\"r0\" bitsize=\"32\"/></feature>"
    "</target>";

static const char *fake_target_xml(void *t, size_t *len)
{
    (void)t;
    *len = sizeof fake_xml - 1;
    return fake_xml;
}

static uint32_t fake_mem_read(void *t, uint32_t addr, uint8_t *buf, uint32_t len)
{
    struct gdb_fake *f = t;
    uint32_t n = 0;
    while (n < len && addr + n >= FAKE_BASE && addr + n < FAKE_BASE + FAKE_SIZE) {
        buf[n] = f->mem[addr + n - FAKE_BASE];
        n++;
    }
    return n;
}

static int fake_mem_write(void *t, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    struct gdb_fake *f = t;
    if (addr < FAKE_BASE || addr - FAKE_BASE > FAKE_SIZE || len > FAKE_SIZE - (addr - FAKE_BASE))
        return -1;
    memcpy(f->mem + (addr - FAKE_BASE), buf, len);
    return 0;
}

static int fake_breakpoint(void *t, enum gdb_bp_type type, uint32_t addr, uint32_t kind, bool insert)
{
    struct gdb_fake *f = t;
    (void)kind;
    if (type > GDB_WP_ACCESS)
        abort();
    if (type >= GDB_WP_WRITE && (addr < FAKE_BASE || addr >= FAKE_BASE + FAKE_SIZE))
        return -1;
    f->bps += insert ? 1 : -1;
    return 0;
}

static int fake_set_pc(void *t, uint32_t pc)
{
    struct gdb_fake *f = t;
    f->regs[15] = pc;
    return 0;
}

static void fake_resume(void *t, bool step)
{
    struct gdb_fake *f = t;
    if (f->running)
        abort();                            /* resumed twice without a stop */
    f->running = true;
    f->stepping = step;
    f->resumes++;
}

static void fake_interrupt(void *t)
{
    struct gdb_fake *f = t;
    if (!f->running)
        abort();                            /* only while running */
    f->interrupted = true;
}

static void fake_monitor(void *t, const char *cmd, struct gdb_buf *out)
{
    (void)t;
    gdb_buf_printf(out, "monitor: [%s]\n", cmd);
}

static void fake_detach(void *t)
{
    ((struct gdb_fake *)t)->detached = true;
}

static void fake_kill(void *t)
{
    ((struct gdb_fake *)t)->killed = true;
}

static const struct gdb_target_ops gdb_fake_ops = {
    .nregs = fake_nregs, .reg_read = fake_reg_read, .reg_write = fake_reg_write,
    .target_xml = fake_target_xml, .mem_read = fake_mem_read, .mem_write = fake_mem_write,
    .breakpoint = fake_breakpoint, .set_pc = fake_set_pc, .resume = fake_resume,
    .interrupt = fake_interrupt, .monitor = fake_monitor, .detach = fake_detach,
    .kill = fake_kill,
};

static void gdb_fake_init(struct gdb_fake *f)
{
    memset(f, 0, sizeof *f);
    for (unsigned i = 0; i < FAKE_NREGS; i++)
        f->regs[i] = 0x01010101u * i;
    for (unsigned i = 0; i < FAKE_SIZE; i++)
        f->mem[i] = (uint8_t)i;
}

/* The target stops (as the server would after a resume). */
static void gdb_fake_stop(struct gdb_session *s, struct gdb_fake *f, int sig)
{
    struct gdb_stop st = { .sig = sig };
    f->running = false;
    f->interrupted = false;
    gdb_session_stopped(s, &st, NULL);
}

/* Everything the session sends is '+', '-', or a whole "$...#xx" frame with
 * the right checksum and no unescaped '$' or '#' inside. Returns NULL if so,
 * else what is wrong. */
static const char *gdb_fake_check_output(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (p[i] == '+' || p[i] == '-') {
            i++;
            continue;
        }
        if (p[i] != '$')
            return "a byte outside any frame";
        {
            unsigned sum = 0, cs;
            size_t j = i + 1;
            while (j < len && p[j] != '#') {
                if (p[j] == '$')
                    return "'$' inside a frame";
                sum = (sum + (uint8_t)p[j]) & 0xff;
                j++;
            }
            if (j + 3 > len)
                return "a frame without its checksum";
            if (sscanf(p + j + 1, "%2x", &cs) != 1 || cs != sum)
                return "a bad checksum";
            i = j + 3;
        }
    }
    return NULL;
}

#endif
