#include "sifive_test.h"

#include "../sim/snap.h"

#include <stdio.h>

#include "lanes.h"
#include "../sim/machine.h"

static const struct reg_desc sifive_test_regs[SIFIVE_TEST_NREGS] = {
    [SIFIVE_TEST_FINISHER] = { "FINISHER", 0x0, REG_RW, 0, 0 },
};

static uint32_t sifive_test_read(struct periph *p, const struct reg_ref *r)
{
    (void)p;
    (void)r;
    return 0;
}

static void sifive_test_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct sifive_test *t = container_of(p, struct sifive_test, dev);
    uint32_t v = val & lanes_mask(r);
    unsigned status = v & 0xFFFF, code = v >> 16;
    char why[128];

    if (r->byte != 0) {
        TRACE(p->tr, TR_GUEST_ERR, "%s: write 0x%08x at byte %u ignored", p->name, val, r->byte);
        return;
    }
    switch (status) {
    case SIFIVE_TEST_PASS:
        machine_request_exit(p->m, 0, "sifive_test: pass (0x5555)");
        return;
    case SIFIVE_TEST_FAIL:
        snprintf(why, sizeof why, "sifive_test: fail (0x3333), code %u", code);
        machine_request_exit(p->m, (int)code, why);
        return;
    case SIFIVE_TEST_RESET:
        machine_request_exit(p->m, t->cfg.reset_status,
                             "sifive_test: the guest requested a reset (0x7777); "
                             "reset is not modelled, the run ends here");
        return;
    default:
        TRACE(p->tr, TR_GUEST_ERR, "%s: write 0x%08x: not pass, fail or reset: ignored",
              p->name, v);
    }
}

static void sifive_test_reset(struct periph *p)
{
    (void)p;
}

static int sifive_test_create(struct periph *p, const void *cfg, struct sim_error *err)
{
    struct sifive_test *t = container_of(p, struct sifive_test, dev);
    (void)err;
    if (cfg)
        t->cfg = *(const struct sifive_test_cfg *)cfg;
    return 0;
}

#define SIFIVE_TEST_SNAP_VERSION 1

/* No state: an empty section, so that every model has one. */
static void sifive_test_save(struct periph *p, struct snap_writer *w)
{
    snap_begin(w, p->name, SIFIVE_TEST_SNAP_VERSION);
    snap_end(w);
}

static int sifive_test_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    if (snap_open(r, p->name, SIFIVE_TEST_SNAP_VERSION, err) < 0)
        return -1;
    return snap_close(r);
}

static const struct periph_ops sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .reset = sifive_test_reset,
    .save = sifive_test_save,
    .load = sifive_test_load,
};

const struct periph_model sifive_test_model = {
    .kind = "sifive-test",
    .regs = sifive_test_regs,
    .nregs = SIFIVE_TEST_NREGS,
    .size = 0x1000,
    .min_access = 2,
    .max_access = 4,
    .instance_size = sizeof(struct sifive_test),
    .create = sifive_test_create,
    .ops = &sifive_test_ops,
};
