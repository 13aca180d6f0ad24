#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sclock.h"

const unsigned fx_widths[4] = { 16, 24, 32, 64 };
uint8_t fx_ram[FX_RAM_SIZE];

/* ------------------------------------------------------------ doubles -- */

/* The fixture is the machine: periph->m points at the struct fx. The doubles
 * are weak so that a test that also links the real machine (test_boards,
 * through the board tables) gets the real ones. */
__attribute__((weak)) void machine_request_exit(struct machine *m, int status, const char *why)
{
    struct fx *f = (struct fx *)(void *)m;
    f->exit_requested = true;
    f->exit_status = status;
    snprintf(f->exit_why, sizeof f->exit_why, "%s", why ? why : "");
}

__attribute__((weak)) struct machine *periph_machine(const struct periph *p)
{
    return p->m;
}

__attribute__((weak)) uint8_t *bus_ram_ptr(struct bus *b, uint32_t addr, uint32_t len)
{
    (void)b;
    if (addr < FX_RAM_BASE || len > FX_RAM_SIZE || addr - FX_RAM_BASE > FX_RAM_SIZE - len)
        return NULL;
    return fx_ram + (addr - FX_RAM_BASE);
}

/* ----------------------------------------------------------- recorders -- */

static void record(struct fx_lines *l, const struct fx *f, unsigned n, bool level)
{
    ck_assert_uint_lt(n, PERIPH_MAX_PINS);
    l->level[n] = level;
    if (level) {
        l->rises[n]++;
        l->last_rise[n] = f->q.now;
    } else {
        l->falls[n]++;
    }
    if (l->nlog < FX_LOG_MAX)
        l->log[l->nlog++] = (struct fx_edge){ f->q.now, n, level };
}

static void irq_sink(void *ctx, unsigned n, bool level)
{
    struct fx *f = ctx;
    record(&f->irq, f, n, level);
}

static void pin_sink(void *ctx, unsigned n, bool level)
{
    struct fx *f = ctx;
    record(&f->pin, f, n, level);
}

static void chr_write(struct chardev *c, const uint8_t *data, size_t len)
{
    struct fx *f = c->ctx;
    for (size_t i = 0; i < len && f->nout < sizeof f->out; i++)
        f->out[f->nout++] = data[i];
}

/* ------------------------------------------------------------- fixture -- */

int fx_try_create(struct fx *f, const struct periph_model *model, const char *name,
                  uint32_t base, uint64_t cpu_hz, const void *cfg, struct sim_error *err)
{
    static char irq_names[PERIPH_MAX_IRQ][8], pin_names[PERIPH_MAX_PINS][8];
    struct periph *p;
    int rc;

    memset(f, 0, sizeof *f);
    evq_init(&f->q);
    trace_init(&f->tr, &f->q.now, cpu_hz);
    f->tr.out = getenv("FX_TRACE") ? stderr : NULL;
    f->tr.mask = (1u << TR_NCATS) - 1;       /* exercise every trace site */
    f->chr.write = chr_write;
    f->chr.ctx = f;

    ck_assert_uint_ge(model->instance_size, sizeof(struct periph));
    p = calloc(1, model->instance_size);
    ck_assert_ptr_nonnull(p);
    p->model = model;
    p->name = name;
    p->base = base;
    p->q = &f->q;
    p->tr = &f->tr;
    p->bus = NULL;
    p->cpu_hz = cpu_hz;
    p->chr = &f->chr;
    p->m = (struct machine *)(void *)f;
    for (unsigned i = 0; i < PERIPH_MAX_IRQ; i++) {
        snprintf(irq_names[i], sizeof irq_names[i], "irq%u", i);
        irq_init(&p->irq[i], irq_names[i]);
    }
    for (unsigned i = 0; i < PERIPH_MAX_PINS; i++) {
        snprintf(pin_names[i], sizeof pin_names[i], "pin%u", i);
        irq_init(&p->pin[i], pin_names[i]);
    }
    f->p = p;
    rc = model->create ? model->create(p, cfg, err) : 0;     /* optional, as in the machine */
    if (rc)
        return rc;
    /* the machine wires lines after create, then resets */
    for (unsigned i = 0; i < PERIPH_MAX_IRQ; i++)
        irq_connect(&p->irq[i], irq_sink, f, i);
    for (unsigned i = 0; i < PERIPH_MAX_PINS; i++)
        irq_connect(&p->pin[i], pin_sink, f, i);
    memset(&f->irq, 0, sizeof f->irq);
    memset(&f->pin, 0, sizeof f->pin);
    for (unsigned i = 0; i < PERIPH_MAX_IRQ; i++)
        f->irq.level[i] = p->irq[i].level;
    for (unsigned i = 0; i < PERIPH_MAX_PINS; i++)
        f->pin.level[i] = p->pin[i].level;
    model->ops->reset(p);
    return 0;
}

struct periph *fx_create(struct fx *f, const struct periph_model *model, const char *name,
                         uint32_t base, uint64_t cpu_hz, const void *cfg)
{
    struct sim_error err = { "" };
    int rc = fx_try_create(f, model, name, base, cpu_hz, cfg, &err);
    ck_assert_msg(rc == 0, "create %s failed: %s", name, err.msg);
    return f->p;
}

void fx_destroy(struct fx *f)
{
    free(f->p);
    f->p = NULL;
}

void fx_set(struct fx *f, const char *prop, uint64_t value)
{
    struct sim_error err = { "" };
    ck_assert_ptr_nonnull(f->p->model->ops->set_prop);
    ck_assert_msg(f->p->model->ops->set_prop(f->p, prop, value, &err) == 0,
                  "set %s.%s failed: %s", f->p->name, prop, err.msg);
    fx_reset(f);
}

void fx_reset(struct fx *f)
{
    f->p->model->ops->reset(f->p);
}

unsigned fx_reg_index(const struct fx *f, const char *reg)
{
    const struct periph_model *m = f->p->model;
    for (unsigned i = 0; i < m->nregs; i++)
        if (strcmp(m->regs[i].name, reg) == 0)
            return i;
    ck_abort_msg("%s has no register %s", m->kind, reg);
    return 0;
}

static struct reg_ref ref_of(struct fx *f, const char *reg, unsigned idx, unsigned byte,
                             unsigned size)
{
    unsigned i = fx_reg_index(f, reg);
    const struct reg_desc *d = &f->p->model->regs[i];
    ck_assert_uint_lt(idx, d->count ? d->count : 1);
    ck_assert_uint_le(byte + size, 4);
    return (struct reg_ref){ .reg = (uint16_t)i, .idx = (uint16_t)idx, .byte = (uint8_t)byte,
                             .size = (uint8_t)size };
}

uint32_t fx_read_sz(struct fx *f, const char *reg, unsigned idx, unsigned byte, unsigned size)
{
    struct reg_ref r = ref_of(f, reg, idx, byte, size);
    uint32_t v;
    ck_assert_msg(f->p->model->regs[r.reg].access != REG_WO, "%s is write-only", reg);
    v = f->p->model->ops->read(f->p, &r) >> (8 * byte);
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

void fx_write_sz(struct fx *f, const char *reg, unsigned idx, unsigned byte, unsigned size,
                 uint32_t val)
{
    struct reg_ref r = ref_of(f, reg, idx, byte, size);
    ck_assert_msg(f->p->model->regs[r.reg].access != REG_RO, "%s is read-only", reg);
    if (size < 4)
        val &= (1u << (8 * size)) - 1;
    f->p->model->ops->write(f->p, &r, val << (8 * byte));
}

uint32_t fx_read(struct fx *f, const char *reg, unsigned idx)
{
    return fx_read_sz(f, reg, idx, 0, 4);
}

void fx_write(struct fx *f, const char *reg, unsigned idx, uint32_t val)
{
    fx_write_sz(f, reg, idx, 0, 4, val);
}

void fx_advance_to(struct fx *f, cycles_t when)
{
    ck_assert_uint_ge(when, f->q.now);
    /* deliver events at their own deadlines, in order, as the CPU loop does */
    while (evq_next_deadline(&f->q) <= when) {
        f->q.now = evq_next_deadline(&f->q);
        evq_run_due(&f->q);
    }
    f->q.now = when;
    evq_run_due(&f->q);
}

cycles_t fx_run_until_irq(struct fx *f, unsigned line, bool level, cycles_t limit)
{
    while (f->irq.level[line] != level) {
        cycles_t next = evq_next_deadline(&f->q);
        if (next > limit) {
            fx_advance_to(f, limit);
            return f->irq.level[line] == level ? f->q.now : CYCLES_NEVER;
        }
        fx_advance_to(f, next);
    }
    return f->q.now;
}

int fx_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_set_tap(sr, "/dev/stdout");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
