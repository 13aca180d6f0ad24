/* osview: Tock processes, system calls, upcalls and scheduling seen from
 * the host (see osview.h). */
#include "osview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>

#include "machine.h"
#include "loader/appelf.h"
#include "loader/tbf.h"
#include "../boards/board.h"
#include "../cpu/cpu.h"

#define OSVIEW_SNAP_VERSION 1

static const char *const class_names[] = {
    "yield", "subscribe", "command", "allow-rw", "allow-ro", "memop", "exit", "allow-ur",
};

static const char *const error_names[] = {
    [1] = "FAIL", [2] = "BUSY", [3] = "ALREADY", [4] = "OFF", [5] = "RESERVE", [6] = "INVAL",
    [7] = "SIZE", [8] = "CANCEL", [9] = "NOMEM", [10] = "NOSUPPORT", [11] = "NODEVICE",
    [12] = "UNINSTALLED", [13] = "NOACK",
};

static const char *const memop_names[] = {
    "brk", "sbrk", "ram-start", "ram-end", "flash-start", "flash-end", "grant-start",
    "wfr-count", "wfr-start", "wfr-end", "set-stack-start", "set-heap-start",
};

static const struct { uint32_t num; const char *name; } drivers[] = {
    { 0x0, "alarm" }, { 0x1, "console" }, { 0x2, "led" }, { 0x3, "button" }, { 0x4, "gpio" },
    { 0x5, "adc" }, { 0x6, "dac" }, { 0x7, "analog-comparator" }, { 0x8, "low-level-debug" },
    { 0x9, "read-only-state" }, { 0x10, "pwm" }, { 0x10000, "ipc" }, { 0x10001, "app-loader" },
    { 0x10002, "process-info" }, { 0x40001, "rng" },
};

const char *osview_class_name(uint32_t cls)
{
    return cls < ARRAY_LEN(class_names) ? class_names[cls] : NULL;
}

const char *osview_driver_name(uint32_t driver)
{
    for (unsigned i = 0; i < ARRAY_LEN(drivers); i++)
        if (drivers[i].num == driver)
            return drivers[i].name;
    return NULL;
}

static void error_name(uint32_t e, char *buf, size_t len)
{
    if (e < ARRAY_LEN(error_names) && error_names[e])
        snprintf(buf, len, "%s", error_names[e]);
    else if (e == 1024)
        snprintf(buf, len, "BADRVAL");
    else
        snprintf(buf, len, "error %u", e);
}

void osview_format_return(const uint32_t r[4], char *buf, size_t len)
{
    char e[24];
    error_name(r[1], e, sizeof e);
    switch (r[0]) {
    case 0: snprintf(buf, len, "Failure(%s)", e); break;
    case 1: snprintf(buf, len, "Failure U32(%s, 0x%x)", e, r[2]); break;
    case 2: snprintf(buf, len, "Failure 2xU32(%s, 0x%x, 0x%x)", e, r[2], r[3]); break;
    case 3: snprintf(buf, len, "Failure U64(%s, 0x%llx)", e,
                     (unsigned long long)r[3] << 32 | r[2]); break;
    case 128: snprintf(buf, len, "Success"); break;
    case 129: snprintf(buf, len, "Success U32(0x%x)", r[1]); break;
    case 130: snprintf(buf, len, "Success 2xU32(0x%x, 0x%x)", r[1], r[2]); break;
    case 131: snprintf(buf, len, "Success U64(0x%llx)", (unsigned long long)r[2] << 32 | r[1]);
        break;
    case 132: snprintf(buf, len, "Success 3xU32(0x%x, 0x%x, 0x%x)", r[1], r[2], r[3]); break;
    case 133: snprintf(buf, len, "Success U32+U64(0x%x, 0x%llx)", r[1],
                       (unsigned long long)r[3] << 32 | r[2]); break;
    default: snprintf(buf, len, "variant %u (0x%x, 0x%x, 0x%x)", r[0], r[1], r[2], r[3]); break;
    }
}

/* ---------------------------------------------------------- processes -- */

void osview_init(struct osview *os, struct machine *m)
{
    memset(os, 0, sizeof *os);
    os->m = m;
    os->arm = m->board->arch == ARCH_ARMV7M;
}

void osview_free(struct osview *os)
{
    for (unsigned i = 0; i < os->nprocs; i++)
        if (os->procs[i].has_syms)
            elf_free(&os->procs[i].syms);
    os->nprocs = 0;
}

struct osview_proc *osview_proc_at(struct osview *os, uint32_t pc)
{
    for (unsigned i = 0; i < os->nprocs; i++)
        if (pc >= os->procs[i].tbf && pc < os->procs[i].tbf_end)
            return &os->procs[i];
    return NULL;
}

struct osview_proc *osview_proc_named(struct osview *os, const char *name)
{
    for (unsigned i = 0; i < os->nprocs; i++)
        if (!strcmp(os->procs[i].name, name))
            return &os->procs[i];
    return NULL;
}

const char *osview_app_symbol(const struct osview_proc *p, uint32_t pc, uint32_t *off)
{
    const struct elf_sym *s;
    uint32_t link = pc + p->sym_bias;
    if (!p->has_syms || !(s = elf_symbol_at(&p->syms, link)))
        return NULL;
    if (s->size && link - s->addr >= s->size)
        return NULL;                    /* past the end of the nearest symbol */
    *off = link - s->addr;
    return s->name;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *d = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (64l << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (d = malloc((size_t)n)) &&
        fread(d, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(d);
        d = NULL;
    }
    fclose(f);
    return d;
}

/* Takes the ELF at path as p's when its flash bytes are the ones in the
 * guest's flash at p's binary. */
static bool try_elf(struct osview *os, struct osview_proc *p, const char *path)
{
    size_t len = 0;
    uint8_t *data = read_all(path, &len), *mine = NULL;
    struct appelf app;
    struct sim_error err;
    bool ok = false;

    if (!data)
        return false;
    memset(&app, 0, sizeof app);
    if (appelf_read(path, data, len, &app, &err) == 0 && app.flash_size &&
        app.flash_size <= p->tbf_end - p->app_start && (mine = malloc(app.flash_size)) &&
        bus_debug_read(&os->m->bus, p->app_start, mine, app.flash_size) == 0 &&
        memcmp(mine, app.flash, app.flash_size) == 0 &&
        elf_load(&p->syms, path, os->arm ? EM_ARM : EM_RISCV, NULL, &err) == 0) {
        p->has_syms = true;
        p->sym_bias = app.flash_origin - p->app_start;
        ok = true;
    }
    free(mine);
    appelf_free(&app);
    free(data);
    return ok;
}

static void find_elf(struct osview *os, struct osview_proc *p, const char *const *tbf_paths,
                     unsigned n)
{
    char path[1024];
    const char *arch = os->arm ? "arm" : "rv32";

    for (unsigned i = 0; i < n; i++) {
        size_t l = strlen(tbf_paths[i]);
        if (l < 4 || l >= sizeof path || strcmp(tbf_paths[i] + l - 4, ".tbf"))
            continue;
        snprintf(path, sizeof path, "%.*s.elf", (int)(l - 4), tbf_paths[i]);
        if (try_elf(os, p, path))
            return;
    }
    if (os->m->nimages && os->m->images[0].path) {
        const char *k = os->m->images[0].path, *slash = strrchr(k, '/');
        int dl = slash ? (int)(slash - k) : 1;
        const char *dir = slash ? k : ".";
        snprintf(path, sizeof path, "%.*s/%s-%s.elf", dl, dir, p->name, arch);
        if (try_elf(os, p, path))
            return;
        snprintf(path, sizeof path, "%.*s/../apps/%s-%s.elf", dl, dir, p->name, arch);
        try_elf(os, p, path);
    }
}

void osview_scan(struct osview *os, const char *const *tbf_paths, unsigned n)
{
    const struct board_desc *b = os->m->board;
    uint32_t addr = b->apps_flash_base, end = b->apps_flash_base + b->apps_flash_size;

    osview_free(os);
    os->running = os->last_ran = NULL;
    while (addr + 16 <= end && os->nprocs < OSVIEW_MAX_PROCS) {
        uint8_t hdr[512];
        struct tbf_info info;
        uint32_t avail = end - addr < sizeof hdr ? end - addr : (uint32_t)sizeof hdr;
        if (bus_debug_read(&os->m->bus, addr, hdr, avail))
            break;
        uint32_t hsize = hdr[2] | (uint32_t)hdr[3] << 8;
        uint32_t total = hdr[4] | (uint32_t)hdr[5] << 8 | (uint32_t)hdr[6] << 16 |
                         (uint32_t)hdr[7] << 24;
        if (hdr[0] != 2 || hdr[1] != 0 || hsize > avail || total < 16 || total > end - addr)
            break;
        /* tbf_parse reads only the header_size bytes read here; the length
         * passed is the object's, which it checks total_size against */
        if (tbf_parse(hdr, total, &info, NULL))
            break;
        if (info.has_program && (info.flags & TBF_FLAG_ENABLED)) {
            struct osview_proc *p = &os->procs[os->nprocs];
            memset(p, 0, sizeof *p);
            p->idx = os->nprocs++;
            snprintf(p->name, sizeof p->name, "%s", info.package_name[0] ? info.package_name : "?");
            p->tbf = addr;
            p->tbf_end = addr + info.total_size;
            p->app_start = addr + info.header_size + info.protected_trailer_size;
            p->min_ram = info.minimum_ram_size;
            p->fixed_ram = info.fixed && info.fixed_ram != TBF_NO_FIXED_ADDRESS;
            p->ram_start = p->fixed_ram ? info.fixed_ram : 0;
            find_elf(os, p, tbf_paths, n);
        }
        addr += info.total_size;
    }
}

/* ------------------------------------------------------------- events -- */

static void notify(struct osview *os, struct osview_event *ev)
{
    for (struct osview_listener *l = os->listeners; l; l = l->next)
        l->fn(l, ev);
}

/* "0x00401234 <main+0x10>" for a process's code, the kernel's otherwise. */
static void where(struct osview *os, struct osview_proc *p, uint32_t pc, char *buf, size_t len)
{
    uint32_t off = 0;
    const char *s = p ? osview_app_symbol(p, pc, &off) : NULL;
    char ks[80];
    if (s)
        snprintf(buf, len, off ? "0x%08x <%s+0x%x>" : "0x%08x <%s>", pc, s, off);
    else if (!p && strcmp(machine_symbolize(os->m, pc, ks, sizeof ks), "?"))
        snprintf(buf, len, "0x%08x <%s>", pc, ks);
    else
        snprintf(buf, len, "0x%08x", pc);
}

/* The peripheral wired to exception number n (board table: 16 + IRQn). */
static const char *irq_owner(const struct osview *os, unsigned n)
{
    const struct board_desc *b = os->m->board;
    for (unsigned i = 0; i < b->nperiphs; i++)
        for (unsigned k = 0; k < 4; k++)
            if (b->periphs[i].irq[k] == (int)n)
                return b->periphs[i].name;
    return NULL;
}

static void exc_name(struct osview *os, uint32_t number, uint32_t handler, char *buf, size_t len)
{
    static const char *const arm[16] = {
        [1] = "Reset", [2] = "NMI", [3] = "HardFault", [4] = "MemManage", [5] = "BusFault",
        [6] = "UsageFault", [11] = "SVCall", [12] = "DebugMonitor", [14] = "PendSV",
        [15] = "SysTick",
    };
    static const char *const rv_exc[] = {
        "instruction misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load misaligned", "load access fault", "store misaligned",
        "store access fault", "ecall from U", "ecall from S", "reserved", "ecall from M",
    };
    if (os->arm) {
        const char *pname;
        char sym[72];
        if (number < 16 && arm[number])
            snprintf(buf, len, "%s", arm[number]);
        else if (number >= 16 && (pname = irq_owner(os, number)))
            snprintf(buf, len, "IRQ%u %s", number - 16, pname);
        else if (number >= 16 && strcmp(machine_symbolize(os->m, handler, sym, sizeof sym), "?"))
            snprintf(buf, len, "IRQ%u %s", number - 16, sym);
        else
            snprintf(buf, len, "exception %u", number);
    } else if (number & 0x80000000u) {
        uint32_t c = number & 0x7fffffffu;
        snprintf(buf, len, "%s", c == 3 ? "machine software interrupt" :
                 c == 7 ? "machine timer interrupt" : c == 11 ? "machine external interrupt" :
                 "interrupt");
        if (c != 3 && c != 7 && c != 11)
            snprintf(buf, len, "interrupt %u", c);
    } else if (number < ARRAY_LEN(rv_exc)) {
        snprintf(buf, len, "%s", rv_exc[number]);
    } else {
        snprintf(buf, len, "exception %u", number);
    }
}

static void sched_switch(struct osview *os, struct osview_proc *p)
{
    if (os->last_ran && os->last_ran != p)
        TRACE(&os->m->tr, TR_SCHED, "switch %s -> %s", os->last_ran->name, p->name);
    os->last_ran = p;
}

static void on_syscall(struct osview *os, struct osview_proc *p, uint32_t cls, uint32_t pc,
                       const uint32_t x[4])
{
    struct trace *t = &os->m->tr;
    const char *cn = osview_class_name(cls), *dn = NULL;
    char detail[64] = "", text[200];
    struct osview_event ev = { .what = OSV_SYSCALL, .p = p, .cls = cls };

    p->state = OSV_P_SYSCALL;
    p->sys_cls = cls;
    p->sys_pc = pc;
    memcpy(p->sys_args, x, sizeof p->sys_args);
    p->nsyscalls++;
    switch (cls) {
    case 0:
        snprintf(detail, sizeof detail, " %s", x[0] == 0 ? "no-wait" : x[0] == 1 ? "wait" :
                 x[0] == 2 ? "wait-for" : "(unknown)");
        break;
    case 1: case 2: case 3: case 4: case 7:
        dn = osview_driver_name(x[0]);
        if (dn)
            snprintf(detail, sizeof detail, " %s", dn);
        break;
    case 5:
        if (x[0] < ARRAY_LEN(memop_names))
            snprintf(detail, sizeof detail, " %s", memop_names[x[0]]);
        break;
    case 6:
        snprintf(detail, sizeof detail, " %s", x[0] == 0 ? "terminate" : x[0] == 1 ? "restart" :
                 "(unknown)");
        break;
    default:
        break;
    }
    if (cn)
        snprintf(text, sizeof text, "%s(0x%x, 0x%x, 0x%x, 0x%x)%s", cn, x[0], x[1], x[2], x[3],
                 detail);
    else
        snprintf(text, sizeof text, "class %u (0x%x, 0x%x, 0x%x, 0x%x)", cls, x[0], x[1], x[2],
                 x[3]);
    TRACE(t, TR_SYSCALL, "%s %s", p->name, text);
    if (cls == 1) {                     /* subscribe: remember the function */
        unsigned i;
        for (i = 0; i < p->nsubs; i++)
            if (p->subs[i].driver == x[0] && p->subs[i].num == x[1])
                break;
        if (i == p->nsubs && p->nsubs < OSVIEW_MAX_SUBS) {
            p->subs[i].driver = x[0];
            p->subs[i].num = x[1];
            p->nsubs++;
        }
        if (i < p->nsubs)
            p->subs[i].fn = x[2] & (os->arm ? ~1u : ~0u);
    }
    if (cls == 6 && x[0] <= 1) {
        TRACE(t, TR_SCHED, "%s %s (code %d)", p->name, x[0] ? "restarts" : "exits",
              (int32_t)x[1]);
        p->state = OSV_P_EXITED;
    }
    memcpy(ev.a, x, sizeof ev.a);
    ev.driver = x[0];
    ev.num = x[1];
    ev.text = text;
    notify(os, &ev);
}

/* The kernel resumes p after its system call (target == where it was made). */
static void on_sysret(struct osview *os, struct osview_proc *p, const uint32_t r[4])
{
    const char *cn = osview_class_name(p->sys_cls), *dn;
    char v[96], text[200], drv[24];
    struct osview_event ev = { .what = OSV_SYSRET, .p = p, .cls = p->sys_cls };
    const uint32_t *x = p->sys_args;

    switch (p->sys_cls) {
    case 0:
        if (x[0] == 2)
            snprintf(text, sizeof text, "yield(wait-for) -> (0x%x, 0x%x, 0x%x)", r[0], r[1],
                     r[2]);
        else
            snprintf(text, sizeof text, "yield(%s) -> no upcall",
                     x[0] == 0 ? "no-wait" : x[0] == 1 ? "wait" : "unknown");
        break;
    case 1: case 2: case 3: case 4: case 7:
        osview_format_return(r, v, sizeof v);
        dn = osview_driver_name(x[0]);
        if (!dn) {
            snprintf(drv, sizeof drv, "0x%x", x[0]);
            dn = drv;
        }
        snprintf(text, sizeof text, "%s(%s, %u) -> %s", cn, dn, x[1], v);
        break;
    case 5:
        osview_format_return(r, v, sizeof v);
        if (x[0] < ARRAY_LEN(memop_names))
            snprintf(text, sizeof text, "memop(%s) -> %s", memop_names[x[0]], v);
        else
            snprintf(text, sizeof text, "memop(%u) -> %s", x[0], v);
        break;
    default:
        osview_format_return(r, v, sizeof v);
        snprintf(text, sizeof text, "%s -> %s", cn ? cn : "class ?", v);
        break;
    }
    TRACE(&os->m->tr, TR_SYSCALL, "%s %s", p->name, text);
    memcpy(ev.a, r, sizeof ev.a);
    ev.driver = x[0];
    ev.num = x[1];
    ev.text = text;
    notify(os, &ev);
}

static void on_upcall(struct osview *os, struct osview_proc *p, uint32_t fn, const uint32_t r[4])
{
    char w[128], text[240];
    struct osview_event ev = { .what = OSV_UPCALL, .p = p, .fn = fn };
    unsigned i;

    for (i = 0; i < p->nsubs; i++)
        if (p->subs[i].fn && p->subs[i].fn == fn)
            break;
    where(os, p, fn, w, sizeof w);
    p->nupcalls++;
    if (i < p->nsubs) {
        ev.driver = p->subs[i].driver;
        ev.num = p->subs[i].num;
        snprintf(text, sizeof text, "upcall driver 0x%x sub %u (0x%x, 0x%x, 0x%x) -> %s",
                 ev.driver, ev.num, r[0], r[1], r[2], w);
    } else {
        ev.driver = ev.num = UINT32_MAX;
        snprintf(text, sizeof text, "upcall (0x%x, 0x%x, 0x%x) -> %s", r[0], r[1], r[2], w);
    }
    TRACE(&os->m->tr, TR_UPCALL, "%s %s", p->name, text);
    memcpy(ev.a, r, sizeof ev.a);
    ev.text = text;
    notify(os, &ev);
}

static bool is_fault(const struct osview *os, uint32_t number)
{
    if (os->arm)
        return number >= 3 && number <= 6;
    return !(number & 0x80000000u) && number != 8 && number != 11;
}

static bool is_syscall(const struct osview *os, const struct cpu_exc_event *e)
{
    return os->arm ? e->number == 11 : (e->number == 8 || e->number == 11);
}

static void on_entry(struct osview *os, const struct cpu_exc_event *e)
{
    struct osview_proc *p = NULL;
    char name[96], text[320], w[128];
    struct osview_event ev = { .what = OSV_EXC_ENTRY, .number = e->number,
                               .from_user = e->from == CPU_MODE_USER, .tail_chain = e->tail_chain };

    exc_name(os, e->number, e->target, name, sizeof name);
    if (e->from == CPU_MODE_USER) {
        p = osview_proc_at(os, e->pc);
        if (!p)
            p = os->running;
    }
    ev.p = p;
    ev.text = name;
    notify(os, &ev);
    if (!p)
        return;
    os->running = NULL;
    {
        struct osview_event st = { .what = OSV_STOP, .p = p, .number = e->number, .text = name,
                                   .stop = is_syscall(os, e) ? OSV_STOP_SYSCALL :
                                           is_fault(os, e->number) ? OSV_STOP_FAULT :
                                           OSV_STOP_INTERRUPT };
        notify(os, &st);
    }
    if (is_syscall(os, e)) {
        on_syscall(os, p, e->svc, e->pc, e->r);
        return;
    }
    where(os, p, e->pc, w, sizeof w);
    if (is_fault(os, e->number)) {
        struct osview_event f = { .what = OSV_FAULT, .p = p, .number = e->number };
        p->state = OSV_P_FAULTED;
        snprintf(text, sizeof text, "%s fault: %s at %s", p->name, name, w);
        TRACE(&os->m->tr, TR_SCHED, "%s", text);
        f.text = text + strlen(p->name) + 1;
        notify(os, &f);
        return;
    }
    p->state = OSV_P_INTERRUPTED;
    p->stop_pc = e->pc;
    p->npreempt++;
    TRACE(&os->m->tr, TR_SCHED, "%s preempted at %s by %s%s", p->name, w, name,
          os->arm && e->number == 15 ? " (timeslice expired)" : "");
}

static void on_return(struct osview *os, const struct cpu_exc_event *e)
{
    struct osview_proc *p;
    struct osview_event ev = { .what = OSV_EXC_RETURN, .number = e->number,
                               .tail_chain = e->tail_chain };
    char w[160];

    if (os->arm || e->to == CPU_MODE_USER)
        notify(os, &ev);
    if (e->to != CPU_MODE_USER || !(p = osview_proc_at(os, e->target)))
        return;
    switch (p->state) {
    case OSV_P_SYSCALL: {
        /* Cortex-M stacks the address after the svc; RV32's kernel moves
         * mepc past the ecall */
        uint32_t resume = os->arm ? p->sys_pc : p->sys_pc + 4;
        p->state = OSV_P_RUNNING;
        if (e->target == resume)
            on_sysret(os, p, e->r);
        else
            on_upcall(os, p, e->target, e->r);
        break;
    }
    case OSV_P_INTERRUPTED:
        if (e->target != p->stop_pc) {
            where(os, p, e->target, w, sizeof w);
            TRACE(&os->m->tr, TR_SCHED, "%s continues at %s", p->name, w);
        }
        break;
    case OSV_P_RUNNING:
        break;
    default:                            /* first run, or a restart */
        where(os, p, e->target, w, sizeof w);
        TRACE(&os->m->tr, TR_SCHED, "%s starts at %s", p->name, w);
        break;
    }
    p->state = OSV_P_RUNNING;
    sched_switch(os, p);
    os->running = p;
    ev.what = OSV_RUN;
    ev.p = p;
    ev.text = p->name;
    notify(os, &ev);
}

static void on_exc(void *ctx, const struct cpu_exc_event *e)
{
    struct osview *os = ctx;
    if (e->kind == CPU_EXC_ENTRY)
        on_entry(os, e);
    else
        on_return(os, e);
}

int osview_observe(struct osview *os)
{
    if (os->observing || !SIM_TRACE_HOOKS)
        return 0;
    os->observing = true;
    cpu_set_exc_observer(os->m->cpu, on_exc, os);
    return 0;
}

void osview_listen(struct osview *os, struct osview_listener *l)
{
    struct osview_listener **pp = &os->listeners;
    while (*pp)
        pp = &(*pp)->next;
    l->next = NULL;
    *pp = l;
    osview_observe(os);
}

void osview_unlisten(struct osview *os, struct osview_listener *l)
{
    for (struct osview_listener **pp = &os->listeners; *pp; pp = &(*pp)->next)
        if (*pp == l) {
            *pp = l->next;
            return;
        }
}

/* ---------------------------------------------------------- snapshots -- */

void osview_save(struct osview *os, struct snap_writer *w)
{
    snap_begin(w, "osview", OSVIEW_SNAP_VERSION);
    snap_u32(w, "nprocs", os->nprocs);
    snap_u32(w, "running", os->running ? os->running->idx + 1 : 0);
    snap_u32(w, "last_ran", os->last_ran ? os->last_ran->idx + 1 : 0);
    for (unsigned i = 0; i < os->nprocs; i++) {
        const struct osview_proc *p = &os->procs[i];
        snap_u32(w, "state", p->state);
        snap_u32(w, "sys_cls", p->sys_cls);
        snap_u32(w, "sys_pc", p->sys_pc);
        snap_u32s(w, "sys_args", p->sys_args, 4);
        snap_u32(w, "stop_pc", p->stop_pc);
        snap_u32(w, "nsubs", p->nsubs);
        for (unsigned k = 0; k < p->nsubs; k++) {
            uint32_t s[3] = { p->subs[k].driver, p->subs[k].num, p->subs[k].fn };
            snap_u32s(w, "sub", s, 3);
        }
        snap_u64(w, "nsyscalls", p->nsyscalls);
        snap_u64(w, "nupcalls", p->nupcalls);
        snap_u64(w, "npreempt", p->npreempt);
    }
    snap_end(w);
}

int osview_load(struct osview *os, struct snap_reader *r, struct sim_error *err)
{
    uint32_t n, run, last;
    if (snap_open(r, "osview", OSVIEW_SNAP_VERSION, err) < 0)
        return -1;
    n = snap_get_u32(r, "nprocs");
    run = snap_get_u32(r, "running");
    last = snap_get_u32(r, "last_ran");
    if (n != os->nprocs || run > n || last > n)
        return snap_fail(r, "nprocs", "%u process(es) in the snapshot, %u in app flash", n,
                         os->nprocs);
    os->running = run ? &os->procs[run - 1] : NULL;
    os->last_ran = last ? &os->procs[last - 1] : NULL;
    for (unsigned i = 0; i < n; i++) {
        struct osview_proc *p = &os->procs[i];
        p->state = (enum osview_pstate)snap_get_u32(r, "state");
        p->sys_cls = snap_get_u32(r, "sys_cls");
        p->sys_pc = snap_get_u32(r, "sys_pc");
        snap_get_u32s(r, "sys_args", p->sys_args, 4);
        p->stop_pc = snap_get_u32(r, "stop_pc");
        p->nsubs = snap_get_u32(r, "nsubs");
        if (p->nsubs > OSVIEW_MAX_SUBS || p->state > OSV_P_EXITED)
            return snap_fail(r, "nsubs", "process %u: bad state", i);
        for (unsigned k = 0; k < p->nsubs; k++) {
            uint32_t s[3];
            snap_get_u32s(r, "sub", s, 3);
            p->subs[k].driver = s[0];
            p->subs[k].num = s[1];
            p->subs[k].fn = s[2];
        }
        p->nsyscalls = snap_get_u64(r, "nsyscalls");
        p->nupcalls = snap_get_u64(r, "nupcalls");
        p->npreempt = snap_get_u64(r, "npreempt");
    }
    return snap_close(r);
}
