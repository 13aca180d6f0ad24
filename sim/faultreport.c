#include "faultreport.h"

#include <string.h>

#include "machine.h"
#include "sclock.h"
#include "../cpu/cpu.h"
#include "../periph/nvic.h"
#include "../boards/board.h"

static const char *const panic_names[] = { "k_panic_at", "k_panic" };
static const char *const halt_names[] = { "armv7m_halt", "rv32i_halt", "k_halt" };

/* ------------------------------------------------------------ helpers -- */

static int reg_index(struct cpu *c, const char *name)
{
    unsigned n;
    const struct cpu_reg_desc *d = cpu_debug_regs(c, &n);
    for (unsigned i = 0; i < n; i++)
        if (strcmp(d[i].name, name) == 0)
            return (int)i;
    return -1;
}

static uint32_t reg_named(struct cpu *c, const char *name)
{
    uint32_t v = 0;
    int i = reg_index(c, name);
    if (i >= 0)
        cpu_debug_reg(c, (unsigned)i, &v, false);
    return v;
}

static bool is_rv(struct cpu *c)
{
    return c->thumb == 0;
}

/* Inside a symbol that has a size (a function, for code addresses). */
static const struct elf_sym *symbol_in(struct machine *m, uint32_t addr)
{
    for (unsigned i = 0; i < m->nimages; i++) {
        const struct elf_sym *s = elf_symbol_at(&m->images[i], addr);
        if (s && s->size && addr >= s->addr && addr - s->addr < s->size)
            return s;
    }
    return NULL;
}

static uint16_t rd16(struct cpu *c, uint32_t a)
{
    uint16_t v = 0;
    cpu_read_mem(c, a, &v, 2);
    return v;
}

/* A return address: code inside a function, right after a call. */
static bool is_return_address(struct machine *m, uint32_t r)
{
    struct cpu *c = m->cpu;
    if (!is_rv(c)) {
        uint32_t a = r & ~1u;
        if (!(r & 1) || a < 4 || !symbol_in(m, a - 2))
            return false;
        uint16_t h1 = rd16(c, a - 4), h2 = rd16(c, a - 2);
        return ((h1 & 0xf800) == 0xf000 && (h2 & 0xd000) == 0xd000) ||     /* bl */
               (h2 & 0xff87) == 0x4780;                                    /* blx rm */
    }
    if ((r & 1) || r < 4 || !symbol_in(m, r - 2))
        return false;
    uint32_t insn = (uint32_t)rd16(c, r - 4) | (uint32_t)rd16(c, r - 2) << 16;
    uint16_t hw = rd16(c, r - 2);
    return (insn & 0xfff) == 0x0ef ||                                   /* jal ra */
           ((insn & 0x707f) == 0x0067 && ((insn >> 7) & 0x1f) == 1) ||     /* jalr ra */
           ((hw & 0xf07f) == 0x9002 && ((hw >> 7) & 0x1f) != 0) ||         /* c.jalr */
           (hw & 0xe003) == 0x2001;                                        /* c.jal */
}

/* Frames: the PC, the link register, then return addresses found on the
 * stack (the kernel is built without frame pointers: a scan it is). */
static unsigned backtrace(struct machine *m, uint32_t *frames, unsigned max)
{
    struct cpu *c = m->cpu;
    uint32_t pc = reg_named(c, "pc"), sp = reg_named(c, "sp");
    uint32_t lr = reg_named(c, is_rv(c) ? "ra" : "lr");
    const struct bus_region *r = bus_region_at(&m->bus, sp);
    unsigned n = 0;

    frames[n++] = pc;
    if (n < max && is_return_address(m, lr) && (lr & ~1u) != pc)
        frames[n++] = lr & ~1u;
    if (!r)
        return n;
    for (uint32_t a = sp & ~3u; n < max && a + 4 <= r->base + r->size && a - sp < 4096; a += 4) {
        uint32_t w = 0;
        if (cpu_read_mem(c, a, &w, 4))
            break;
        if (is_return_address(m, w) && (w & ~1u) != frames[n - 1])
            frames[n++] = w & ~1u;
    }
    return n;
}

static void print_bits(FILE *f, uint32_t v, const char *const *names, unsigned n)
{
    bool any = false;
    for (unsigned i = 0; i < n; i++)
        if ((v >> i & 1) && names[i]) {
            fprintf(f, "%s%s", any ? " " : " (", names[i]);
            any = true;
        }
    if (any)
        fputc(')', f);
}

static void print_fault_status(struct faultreport *fr)
{
    struct machine *m = fr->m;
    struct cpu *c = m->cpu;
    FILE *f = fr->out;
    char sym[96];

    if (!is_rv(c)) {
        static const char *const cfsr_names[32] = {
            [0] = "IACCVIOL", [1] = "DACCVIOL", [3] = "MUNSTKERR", [4] = "MSTKERR",
            [5] = "MLSPERR", [7] = "MMARVALID", [8] = "IBUSERR", [9] = "PRECISERR",
            [10] = "IMPRECISERR", [11] = "UNSTKERR", [12] = "STKERR", [13] = "LSPERR",
            [15] = "BFARVALID", [16] = "UNDEFINSTR", [17] = "INVSTATE", [18] = "INVPC",
            [19] = "NOCP", [24] = "UNALIGNED", [25] = "DIVBYZERO",
        };
        static const char *const hfsr_names[32] = { [1] = "VECTTBL", [30] = "FORCED",
                                                    [31] = "DEBUGEVT" };
        struct periph *p = machine_find_periph(m, "nvic");
        struct nvic *nv = p && p->model == &nvic_model ? container_of(p, struct nvic, dev) : NULL;
        uint32_t ipsr = reg_named(c, "xpsr") & 0x1ff;
        if (!nv)
            return;
        fprintf(f, "  fault status:\n    CFSR  0x%08x", nv->cfsr);
        print_bits(f, nv->cfsr, cfsr_names, 32);
        fprintf(f, "\n    HFSR  0x%08x", nv->hfsr);
        print_bits(f, nv->hfsr, hfsr_names, 32);
        fprintf(f, "\n    MMFAR 0x%08x%s\n    BFAR  0x%08x%s\n", nv->mmfar,
                (nv->cfsr & 0x80) ? "" : " (not valid)", nv->bfar,
                (nv->cfsr & 0x8000) ? "" : " (not valid)");
        fprintf(f, "    mode: %s", ipsr ? "handler" : "thread");
        if (ipsr)
            fprintf(f, ", exception %u%s", ipsr,
                    ipsr == 3 ? " (HardFault)" : ipsr == 4 ? " (MemManage)" :
                    ipsr == 5 ? " (BusFault)" : ipsr == 6 ? " (UsageFault)" :
                    ipsr == 11 ? " (SVCall)" : ipsr == 15 ? " (SysTick)" : "");
        fputc('\n', f);
        return;
    }
    {
        static const char *const causes[] = {
            "instruction address misaligned", "instruction access fault", "illegal instruction",
            "breakpoint", "load address misaligned", "load access fault",
            "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
            "ecall from S-mode", "reserved", "ecall from M-mode",
        };
        uint32_t mcause = reg_named(c, "mcause"), mepc = reg_named(c, "mepc");
        uint32_t mtval = reg_named(c, "mtval"), ms = reg_named(c, "mstatus");
        unsigned code = mcause & 0x7fffffffu;
        fprintf(f, "  fault status (last trap):\n    mcause  0x%08x (%s %s)\n", mcause,
                (mcause >> 31) ? "interrupt" : "exception",
                (mcause >> 31) ? (code == 3 ? "machine software" : code == 7 ? "machine timer" :
                                  code == 11 ? "machine external" : "?")
                               : code < ARRAY_LEN(causes) ? causes[code] : "?");
        fprintf(f, "    mepc    0x%08x <%s>\n    mtval   0x%08x\n    mstatus 0x%08x (MPP=%s, "
                "MIE=%u, MPIE=%u), now in %s mode\n", mepc,
                machine_symbolize(m, mepc, sym, sizeof sym), mtval, ms,
                ((ms >> 11) & 3) == 3 ? "M" : ((ms >> 11) & 3) == 0 ? "U" : "?", (ms >> 3) & 1,
                (ms >> 7) & 1, reg_named(c, "priv") == 3 ? "machine" : "user");
    }
}

static void print_regs(struct faultreport *fr, const uint32_t *vals, const bool *ok, unsigned n)
{
    struct machine *m = fr->m;
    unsigned nd;
    const struct cpu_reg_desc *d = cpu_debug_regs(m->cpu, &nd);
    char sym[96];
    unsigned col = 0;

    if (n > nd)
        n = nd;
    for (unsigned i = 0; i < n; i++) {
        char cell[128];
        const struct elf_sym *s;
        if (!ok[i] || !strncmp(d[i].name, "pmp", 3))
            continue;
        /* small values are counts and flags, not addresses */
        s = vals[i] >= 0x400 ? symbol_in(m, vals[i] & (is_rv(m->cpu) ? ~0u : ~1u)) : NULL;
        if (s)
            snprintf(cell, sizeof cell, "%-9s 0x%08x <%s>", d[i].name, vals[i],
                     machine_symbolize(m, vals[i] & (is_rv(m->cpu) ? ~0u : ~1u), sym, sizeof sym));
        else
            snprintf(cell, sizeof cell, "%-9s 0x%08x", d[i].name, vals[i]);
        fprintf(fr->out, "%s%-44s", col ? "" : "    ", cell);
        if (++col == 2 || strlen(cell) > 44) {
            fputc('\n', fr->out);
            col = 0;
        }
    }
    if (col)
        fputc('\n', fr->out);
}

static void capture_regs(struct faultreport *fr)
{
    unsigned n;
    cpu_debug_regs(fr->m->cpu, &n);
    if (n > FR_MAX_REGS)
        n = FR_MAX_REGS;
    fr->nregs = n;
    for (unsigned i = 0; i < n; i++)
        fr->regs_ok[i] = cpu_debug_reg(fr->m->cpu, i, &fr->regs[i], false) == 0;
}

/* The report: the registers and backtrace of the panic entry when there
 * was one, else of now. */
static void report(struct faultreport *fr, const char *why)
{
    struct machine *m = fr->m;
    struct cpu *c = m->cpu;
    FILE *f = fr->out;
    char tbuf[32], sym[96];
    uint32_t now_regs[FR_MAX_REGS];
    bool now_ok[FR_MAX_REGS];
    uint32_t bt[FR_MAX_FRAMES];
    unsigned nbt, n;

    fflush(stdout);
    fprintf(f, "tocksim: ==== fault report: %s ====\n", why);
    fprintf(f, "  board %s, cycle %llu (t=%s), %llu instructions\n", m->board->name,
            (unsigned long long)m->q.now,
            sclock_fmt_ns(sclock_cycles_to_ns(m->q.now, m->board->cpu_hz), tbuf, sizeof tbuf),
            (unsigned long long)c->insns);
    if (fr->panicked) {
        fprintf(f, "  registers at the panic call (%s):\n",
                machine_symbolize(m, fr->panic_addr, sym, sizeof sym));
        print_regs(fr, fr->regs, fr->regs_ok, fr->nregs);
        memcpy(bt, fr->bt, sizeof bt);
        nbt = fr->nbt;
    } else {
        cpu_debug_regs(c, &n);
        if (n > FR_MAX_REGS)
            n = FR_MAX_REGS;
        for (unsigned i = 0; i < n; i++)
            now_ok[i] = cpu_debug_reg(c, i, &now_regs[i], false) == 0;
        fprintf(f, "  registers:\n");
        print_regs(fr, now_regs, now_ok, n);
        nbt = backtrace(m, bt, FR_MAX_FRAMES);
    }
    print_fault_status(fr);
    fprintf(f, "  backtrace (pc, %s, then return addresses found on the stack):\n",
            is_rv(c) ? "ra" : "lr");
    for (unsigned i = 0; i < nbt; i++)
        fprintf(f, "    #%-2u 0x%08x <%s>\n", i, bt[i], machine_symbolize(m, bt[i], sym, sizeof sym));
    if (m->tr.ring) {
        fprintf(f, "  last trace events (exc, syscall, mpu, guest-error; oldest first):\n");
        trace_ring_print(&m->tr, f);
    }
    fprintf(f, "tocksim: ==== end of fault report ====\n");
    fflush(f);
    fr->reported = true;
}

void faultreport_print(struct faultreport *fr, const char *why)
{
    if (fr->m)
        report(fr, why);
}

/* --------------------------------------------------------------- hooks -- */

static void read_str(struct cpu *c, uint32_t addr, char *out, size_t len)
{
    size_t i = 0;
    for (; i + 1 < len; i++) {
        char ch;
        if (cpu_read_mem(c, addr + (uint32_t)i, &ch, 1) || !ch)
            break;
        out[i] = (ch >= 0x20 && ch < 0x7f) ? ch : '?';
    }
    out[i] = 0;
}

static bool on_panic(struct cpu *c, uint32_t pc, void *ctx)
{
    struct faultreport *fr = ctx;
    char file[96], fmt[160];
    bool rv = is_rv(c);
    uint32_t a0 = reg_named(c, rv ? "a0" : "r0"), a1 = reg_named(c, rv ? "a1" : "r1");
    uint32_t a2 = reg_named(c, rv ? "a2" : "r2");

    (void)pc;
    if (fr->panicked)
        return false;               /* a panic inside the panic: keep the first */
    fr->panicked = true;
    read_str(c, a0, file, sizeof file);
    read_str(c, a2, fmt, sizeof fmt);
    for (char *p = fmt; *p; p++)
        if (*p == '\r' || *p == '\n')
            *p = ' ';
    snprintf(fr->panic_msg, sizeof fr->panic_msg, "kernel panic at %s:%u: \"%s\"", file, a1, fmt);
    capture_regs(fr);
    fr->nbt = backtrace(fr->m, fr->bt, FR_MAX_FRAMES);
    if (!fr->nhalt) {
        /* no halt routine to wait for: report now */
        report(fr, fr->panic_msg);
        if (fr->for_debugger) {
            fr->report_stop = true;
            return true;
        }
        machine_request_exit(fr->m, SIM_EXIT_GUEST, fr->panic_msg);
    }
    return false;
}

static bool on_halt(struct cpu *c, uint32_t pc, void *ctx)
{
    struct faultreport *fr = ctx;
    char why[400], sym[96];

    if (fr->reported && fr->for_debugger)
        return false;               /* GDB continued past the report */
    if (fr->panicked)
        snprintf(why, sizeof why, "%s", fr->panic_msg);
    else
        snprintf(why, sizeof why, "the kernel halted (%s called)",
                 machine_symbolize(fr->m, pc, sym, sizeof sym));
    report(fr, why);
    if (fr->for_debugger) {
        fr->report_stop = true;
        return true;
    }
    (void)c;
    machine_request_exit(fr->m, SIM_EXIT_GUEST, why);
    return false;
}

int faultreport_attach(struct faultreport *fr, struct machine *m, bool for_debugger)
{
    struct cpu *c = m->cpu;

    memset(fr, 0, sizeof *fr);
    fr->m = m;
    fr->out = stderr;
    fr->for_debugger = for_debugger;
    if (trace_ring_enable(&m->tr, 1u << TR_EXC | 1u << TR_SYSCALL | 1u << TR_MPU |
                                  1u << TR_GUEST_ERR, FR_RING))
        return -1;
    if (!m->nimages)
        return 0;
    for (unsigned i = 0; i < ARRAY_LEN(panic_names) && !fr->panic_addr; i++) {
        const struct elf_sym *s = elf_symbol_named(&m->images[0], panic_names[i]);
        if (s && s->size)
            fr->panic_addr = s->addr;
    }
    for (unsigned i = 0; i < ARRAY_LEN(halt_names); i++) {
        const struct elf_sym *s = elf_symbol_named(&m->images[0], halt_names[i]);
        if (s && s->size && fr->nhalt < ARRAY_LEN(fr->halt_addr))
            fr->halt_addr[fr->nhalt++] = s->addr;
    }
    if (fr->panic_addr && cpu_bp_add(c, fr->panic_addr, on_panic, fr))
        return -1;
    for (unsigned i = 0; i < fr->nhalt; i++)
        if (cpu_bp_add(c, fr->halt_addr[i], on_halt, fr))
            return -1;
    return 0;
}

void faultreport_detach(struct faultreport *fr)
{
    struct machine *m = fr->m;
    if (!m)
        return;
    if (fr->panic_addr)
        cpu_bp_del(m->cpu, fr->panic_addr, on_panic, fr);
    for (unsigned i = 0; i < fr->nhalt; i++)
        cpu_bp_del(m->cpu, fr->halt_addr[i], on_halt, fr);
    trace_ring_free(&m->tr);
    fr->m = NULL;
}
