#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>

#include "sclock.h"
#include "loader/tbf.h"
#include "../boards/board.h"
#include "../cpu/cpu.h"
#include "../periph/clint.h"

struct machine *periph_machine(const struct periph *p)
{
    return p->m;
}

struct periph *machine_periph_at(struct machine *m, unsigned i)
{
    return i < m->nperiphs ? m->periphs[i] : NULL;
}

struct periph *machine_find_periph(struct machine *m, const char *name)
{
    for (unsigned i = 0; i < m->nperiphs; i++)
        if (strcmp(m->periphs[i]->name, name) == 0)
            return m->periphs[i];
    return NULL;
}

void machine_request_exit(struct machine *m, int status, const char *why)
{
    if (!m->exit_req) {
        m->exit_req = true;
        m->exit_status = status;
        snprintf(m->exit_why, sizeof m->exit_why, "%s", why ? why : "");
    }
    if (m->cpu)
        cpu_request_stop(m->cpu);
}

void machine_console_write(struct machine *m, const uint8_t *data, size_t len)
{
    trace_hash_bytes(&m->tr, data, len);
    m->console_bytes += len;
    if (m->console_out) {
        fwrite(data, 1, len, m->console_out);
        fflush(m->console_out);
    }
    if (m->until_text && !m->until_hit) {
        size_t n = strlen(m->until_text);
        for (size_t i = 0; i < len && !m->until_hit; i++) {
            /* simple matcher with restart (texts are short) */
            while (m->until_matched && m->until_text[m->until_matched] != (char)data[i]) {
                size_t k = m->until_matched - 1;
                while (k && strncmp(m->until_text, m->until_text + m->until_matched - k, k))
                    k--;
                m->until_matched = k;
            }
            if (m->until_text[m->until_matched] == (char)data[i])
                m->until_matched++;
            if (m->until_matched == n) {
                m->until_hit = true;
                if (m->cpu)
                    cpu_request_stop(m->cpu);
            }
        }
    }
}

/* Offers queued console input to the UART; what it does not take yet is
 * offered again 100 us later (simulated), until all of it is in. */
static void input_pump(struct evq_event *ev, void *ctx, cycles_t now, cycles_t late)
{
    struct machine *m = ctx;
    (void)late;
    if (m->console_uart && m->console_uart->model->ops->rx && m->input_pos < m->input_len) {
        size_t n = m->console_uart->model->ops->rx(m->console_uart, m->input + m->input_pos,
                                                   m->input_len - m->input_pos);
        m->input_pos += n;
        if (n)
            TRACE(&m->tr, TR_UART, "console input: %zu byte(s) accepted", n);
    }
    if (m->input_pos < m->input_len)
        evq_at(&m->q, ev, now + m->board->cpu_hz / 10000);
}

int machine_console_input(struct machine *m, const uint8_t *data, size_t len)
{
    uint8_t *buf;
    if (!m->console_uart || !m->console_uart->model->ops->rx)
        return -1;
    buf = realloc(m->input, m->input_len - m->input_pos + len);
    if (!buf)
        return -1;
    memmove(buf, buf + m->input_pos, m->input_len - m->input_pos);
    m->input_len -= m->input_pos;
    m->input_pos = 0;
    memcpy(buf + m->input_len, data, len);
    m->input = buf;
    m->input_len += len;
    if (!evq_pending(&m->input_ev))
        evq_at(&m->q, &m->input_ev, m->q.now);
    return 0;
}

static void console_chr_write(struct chardev *c, const uint8_t *data, size_t len)
{
    machine_console_write(c->ctx, data, len);
}

/* Inside a block (an MMIO access, a hook), Unicorn's PC is where it last
 * synced it, which depends on how its translated blocks happen to be
 * chained (its cache: cold after a snapshot restore); the start of the
 * block being executed, as our block hook saw it, depends only on the guest
 * and on where runs were cut. */
static uint32_t trace_pc(void *ctx)
{
    struct machine *m = ctx;
    if (!m->cpu)
        return 0;
    return cpu_trace_pc(m->cpu);
}

static const char *trace_sym(void *ctx, uint32_t addr, uint32_t *off)
{
    struct machine *m = ctx;
    for (unsigned i = 0; i < m->nimages; i++) {
        const struct elf_sym *s = elf_symbol_at(&m->images[i], addr);
        if (s) {
            *off = addr - s->addr;
            return s->name;
        }
    }
    return NULL;
}

static const char *trace_proc(void *ctx, uint32_t pc, const char **sym, uint32_t *off)
{
    struct machine *m = ctx;
    struct osview_proc *p = osview_proc_at(&m->os, pc);
    *sym = p ? osview_app_symbol(p, pc, off) : NULL;
    return p ? p->name : NULL;
}

const char *machine_symbolize(struct machine *m, uint32_t addr, char *buf, size_t len)
{
    uint32_t off;
    const char *s = trace_sym(m, addr, &off);
    if (!s)
        snprintf(buf, len, "?");
    else if (off)
        snprintf(buf, len, "%s+0x%x", s, off);
    else
        snprintf(buf, len, "%s", s);
    return buf;
}

static int create_periph(struct machine *m, const struct periph_inst *pi, struct sim_error *err)
{
    const struct periph_model *model = pi->model;
    struct periph *p;

    if (model->instance_size < sizeof *p)
        return sim_errorf(err, "model %s: instance_size too small", model->kind);
    p = calloc(1, model->instance_size);
    if (!p)
        return sim_errorf(err, "%s: out of memory", pi->name);
    p->model = model;
    p->name = pi->name;
    p->base = pi->base;
    p->q = &m->q;
    p->tr = &m->tr;
    p->bus = &m->bus;
    p->cpu_hz = m->board->cpu_hz;
    p->m = m;
    if (m->board->console && strcmp(m->board->console, pi->name) == 0) {
        p->chr = &m->console;
        m->console_uart = p;
    }
    for (unsigned k = 0; k < PERIPH_MAX_IRQ; k++)
        irq_init(&p->irq[k], pi->name);
    for (unsigned k = 0; k < PERIPH_MAX_PINS; k++)
        irq_init(&p->pin[k], pi->name);
    m->periphs[m->nperiphs++] = p;
    if (model->create && model->create(p, pi->cfg, err))
        return -1;
    return bus_add_periph(&m->bus, p, err);
}

static int wire_irqs(struct machine *m, struct sim_error *err)
{
    const struct board_desc *b = m->board;
    for (unsigned i = 0; i < b->nperiphs; i++) {
        const struct periph_inst *pi = &b->periphs[i];
        struct periph *p = m->periphs[i];
        for (unsigned k = 0; k < 4; k++) {
            int n = pi->irq[k];
            if (n <= 0)
                continue;
            if (n >= IRQ_HART(0)) {
                if (b->arch != ARCH_RV32)
                    return sim_errorf(err, "%s: IRQ_HART only exists on RV32", pi->name);
                irq_connect(&p->irq[k], cpu_rv32_set_line, m->cpu, (unsigned)(n - IRQ_HART(0)));
            } else {
                if (!m->intc || !m->intc->model->sink)
                    return sim_errorf(err, "%s: no interrupt controller to wire irq %d to",
                                      pi->name, n);
                irq_connect(&p->irq[k], m->intc->model->sink, m->intc, (unsigned)n);
            }
        }
    }
    return 0;
}

int machine_create(struct machine **out, const struct board_desc *b, struct sim_error *err)
{
    struct machine *m = calloc(1, sizeof *m);

    *out = NULL;
    if (!m)
        return sim_errorf(err, "out of memory");
    m->board = b;
    evq_init(&m->q);
    trace_init(&m->tr, &m->q.now, b->cpu_hz);
    m->tr.pc_fn = trace_pc;
    m->tr.sym_fn = trace_sym;
    m->tr.proc_fn = trace_proc;
    m->tr.ctx = m;
    osview_init(&m->os, m);
    bus_init(&m->bus, &m->tr);
    m->console.write = console_chr_write;
    m->console.ctx = m;
    evq_event_init(&m->input_ev, "console.input", input_pump, m, 200);
    m->console_out = stdout;
    for (unsigned i = 0; i < b->nmems; i++)
        if (bus_add_ram(&m->bus, b->mems[i].name, b->mems[i].base, b->mems[i].size,
                        b->mems[i].kind == MEM_ROM, err))
            goto fail;
    for (unsigned i = 0; i < b->nperiphs; i++)
        if (create_periph(m, &b->periphs[i], err))
            goto fail;
    for (unsigned i = 0; i < m->nperiphs; i++)
        if (m->periphs[i]->model->ops->link && m->periphs[i]->model->ops->link(m->periphs[i], err))
            goto fail;
    if (b->intc) {
        m->intc = machine_find_periph(m, b->intc);
        if (!m->intc)
            sim_errorf(err, "board %s: no interrupt controller named %s", b->name, b->intc);
        if (!m->intc)
            goto fail;
    }
    m->cpu = b->arch == ARCH_ARMV7M ? cpu_cortexm_create(m, &m->bus, &m->q, &m->tr, b->cpu_hz, err)
                                    : cpu_rv32_create(m, &m->bus, &m->q, &m->tr, b->cpu_hz, err);
    if (!m->cpu)
        goto fail;
    if (wire_irqs(m, err))
        goto fail;
    for (unsigned i = 0; i < m->nperiphs; i++)     /* rdtime reads the CLINT */
        if (m->periphs[i]->model == &clint_model && b->arch == ARCH_RV32)
            cpu_rv32_set_mtime_source(m->cpu, (uint64_t (*)(void *))clint_mtime, m->periphs[i]);
    *out = m;
    return 0;
fail:
    machine_destroy(m);
    return -1;
}

void machine_destroy(struct machine *m)
{
    if (!m)
        return;
    if (m->cpu)
        cpu_destroy(m->cpu);
    osview_free(&m->os);
    bus_free(&m->bus);
    for (unsigned i = 0; i < m->nperiphs; i++)
        free(m->periphs[i]);
    for (unsigned i = 0; i < m->nimages; i++)
        elf_free(&m->images[i]);
    free(m->input);
    free(m);
}

static int bad_number(const char *assignment, const char *value, struct sim_error *err)
{
    return sim_errorf(err, "--set %s: value '%s' is not a number (decimal, 0x.. or 0b..)",
                      assignment, value);
}

int machine_set(struct machine *m, const char *assignment, struct sim_error *err)
{
    char name[64], prop[64];
    const char *dot = strchr(assignment, '.'), *eq = strchr(assignment, '=');
    uint64_t v;
    struct periph *p;

    if (!dot || !eq || eq < dot || dot == assignment || eq == dot + 1 ||
        (size_t)(dot - assignment) >= sizeof name || (size_t)(eq - dot - 1) >= sizeof prop)
        return sim_errorf(err, "--set %s: expected MODEL.PROP=VALUE (e.g. rtc1.width_bits=16)",
                          assignment);
    memcpy(name, assignment, (size_t)(dot - assignment));
    name[dot - assignment] = 0;
    memcpy(prop, dot + 1, (size_t)(eq - dot - 1));
    prop[eq - dot - 1] = 0;
    p = machine_find_periph(m, name);
    if (!p && !strcmp(name, "cpu"))
        return sim_parse_u64(eq + 1, &v) ? bad_number(assignment, eq + 1, err)
                                         : cpu_set_prop(m->cpu, prop, v, err);
    if (!p) {
        char names[512] = "";
        for (unsigned i = 0; i < m->nperiphs && strlen(names) < 400; i++) {
            strcat(names, i ? ", " : "");
            strcat(names, m->periphs[i]->name);
        }
        return sim_errorf(err, "--set %s: board %s has no peripheral '%s' (it has: %s)",
                          assignment, m->board->name, name, names);
    }
    if (sim_parse_u64(eq + 1, &v))
        return bad_number(assignment, eq + 1, err);
    if (!p->model->ops->set_prop)
        return sim_errorf(err, "--set %s: %s (%s) has no settable properties", assignment, name,
                          p->model->kind);
    return p->model->ops->set_prop(p, prop, v, err);
}

int machine_load_elf(struct machine *m, const char *path, struct sim_error *err)
{
    if (m->nimages == MACHINE_MAX_IMAGES)
        return sim_errorf(err, "%s: too many images", path);
    if (elf_load(&m->images[m->nimages], path,
                 m->board->arch == ARCH_ARMV7M ? EM_ARM : EM_RISCV, &m->bus, err))
        return -1;
    m->nimages++;
    return machine_note_image(m, path, NULL, 0, err);
}

static uint8_t *read_file(const char *path, size_t *len, struct sim_error *err)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long n;

    if (!f) {
        sim_errorf(err, "%s: cannot open", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc(n > 0 ? (size_t)n : 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        sim_errorf(err, "%s: cannot read", path);
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

/* Lays the TBFs out in the board's app flash (after the kernel was loaded). */
int machine_load_apps(struct machine *m, const char *const *paths, unsigned n,
                      struct sim_error *err)
{
    struct tbf_placed placed[32];
    uint8_t *files[32] = { 0 }, *image = NULL;
    size_t lens[32], image_len = 0;
    int rc = -1;

    if (n > ARRAY_LEN(placed))
        return sim_errorf(err, "at most %zu apps", ARRAY_LEN(placed));
    for (unsigned i = 0; i < n; i++) {
        files[i] = read_file(paths[i], &lens[i], err);
        if (!files[i] || machine_note_image(m, paths[i], files[i], lens[i], err))
            goto out;
        placed[i].path = paths[i];
        placed[i].data = files[i];
        if (tbf_parse(files[i], lens[i], &placed[i].info, err)) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            sim_errorf(err, "%s: %s", paths[i], msg);
            goto out;
        }
    }
    if (tbf_layout(placed, n, m->board->apps_flash_base,
                   m->board->apps_flash_base + m->board->apps_flash_size, &image, &image_len, err))
        goto out;
    if (bus_debug_write(&m->bus, m->board->apps_flash_base, image, (uint32_t)image_len)) {
        sim_errorf(err, "apps: %zu bytes do not fit the board's memory at 0x%08x", image_len,
                   m->board->apps_flash_base);
        goto out;
    }
    rc = 0;
out:
    for (unsigned i = 0; i < n; i++)
        free(files[i]);
    free(image);
    return rc;
}

int machine_reset(struct machine *m, struct sim_error *err)
{
    for (unsigned i = 0; i < m->nperiphs; i++)
        if (m->periphs[i]->model->ops->reset)
            m->periphs[i]->model->ops->reset(m->periphs[i]);
    if (m->board->arch == ARCH_ARMV7M)
        return cpu_cortexm_reset(m->cpu, err);
    if (!m->nimages)
        return sim_errorf(err, "no kernel loaded");
    return cpu_rv32_reset(m->cpu, m->images[0].entry, err);
}

void machine_flush(struct machine *m)
{
    for (unsigned i = 0; i < m->nperiphs; i++)
        if (m->periphs[i]->model->ops->flush)
            m->periphs[i]->model->ops->flush(m->periphs[i]);
}

enum machine_end machine_run(struct machine *m, cycles_t max_cycles, volatile const int *stop_flag)
{
    struct evq *q = &m->q;

    for (;;) {
        enum cpu_stop r;

        /* one "wfi" line per sleep and per event that did not end it, so
         * that ending a run and going on (a snapshot) traces nothing more */
        if (evq_run_due(q))
            m->wfi_traced = false;
        if (m->exit_req)
            return MACHINE_END_EXIT;
        if (m->until_hit)
            return MACHINE_END_UNTIL;
        if (stop_flag && *stop_flag)
            return MACHINE_END_INTERRUPT;
        if (q->now >= max_cycles)
            return MACHINE_END_LIMIT;
        /* Bounded slices so that Ctrl-C is seen even in a busy guest. */
        cycles_t limit = max_cycles;
        if (stop_flag && limit - q->now > m->board->cpu_hz / 10)
            limit = q->now + m->board->cpu_hz / 10;
        r = cpu_run(m->cpu, limit);
        if (r == CPU_STOP_DEBUG)
            return MACHINE_END_DEBUG;
        if (r == CPU_STOP_FATAL) {
            if (m->exit_req)
                return MACHINE_END_EXIT;
            snprintf(m->exit_why, sizeof m->exit_why, "%s", m->cpu->fatal_msg);
            return MACHINE_END_FATAL;
        }
        if (r != CPU_STOP_WFI)
            m->wfi_traced = false;
        if (r == CPU_STOP_WFI) {
            if (m->exit_req || m->until_hit)
                continue;       /* an exit written just before the WFI wins */
            cycles_t next = evq_next_deadline(q);
            if (!m->wfi_traced) {
                /* not the run's limit: the trace must not depend on it */
                if (next == CYCLES_NEVER)
                    TRACE(&m->tr, TR_CPU, "wfi: sleeping, no event pending");
                else
                    TRACE(&m->tr, TR_CPU, "wfi: sleeping until %llu", (unsigned long long)next);
            }
            m->wfi_traced = true;
            if ((next == CYCLES_NEVER && max_cycles == CYCLES_NEVER) ||
                (m->cpu->arch->can_wake && !m->cpu->arch->can_wake(m->cpu))) {
                snprintf(m->exit_why, sizeof m->exit_why,
                         "the core is asleep (WFI) with no interrupt that could ever wake it");
                return MACHINE_END_IDLE;
            }
            if (next > max_cycles)
                next = max_cycles;
            if (next > q->now)
                q->now = next;
        }
    }
}
