#include "mpu_v7m.h"

#include "../sim/snap.h"

#include <stdio.h>

#include "../cpu/cpu.h"

enum { R_TYPE, R_CTRL, R_RNR, R_RBAR, R_RASR, R_RBAR_A, R_RASR_A, R_N };

static const struct reg_desc mpu_regs[R_N] = {
    [R_TYPE]   = { "TYPE",   0x00, REG_RO },
    [R_CTRL]   = { "CTRL",   0x04, REG_RW },
    [R_RNR]    = { "RNR",    0x08, REG_RW },
    [R_RBAR]   = { "RBAR",   0x0C, REG_RW },
    [R_RASR]   = { "RASR",   0x10, REG_RW },
    [R_RBAR_A] = { "RBAR_A", 0x14, REG_RW, 3, 8 },
    [R_RASR_A] = { "RASR_A", 0x18, REG_RW, 3, 8 },
};

static struct mpu7m *to_mpu(struct periph *p) { return container_of(p, struct mpu7m, dev); }

void mpu7m_decode(const struct mpu7m_region *r, struct mpu7m_decoded *d)
{
    unsigned size_field = (r->rasr >> 1) & 0x1f;

    d->enabled = (r->rasr & 1) && size_field >= 4;
    d->size = size_field >= 31 ? 0 : (uint64_t)1 << (size_field + 1);
    d->base = d->size ? (uint32_t)(r->rbar & ~(uint32_t)(d->size - 1)) : 0;
    d->srd = (d->size == 0 || d->size >= 256) ? (uint8_t)(r->rasr >> 8) : 0;
    d->ap = (uint8_t)((r->rasr >> 24) & 7);
    d->xn = (r->rasr >> 28) & 1;
}

static bool region_hits(const struct mpu7m_decoded *d, uint32_t addr)
{
    uint64_t off;
    if (!d->enabled)
        return false;
    off = (uint64_t)addr - d->base;
    if (d->size && off >= d->size)
        return false;
    if (d->srd) {
        uint64_t sub = (d->size ? d->size : (1ull << 32)) / 8;
        if (d->srd & (1u << (off / sub)))
            return false;
    }
    return true;
}

/* ARMv7-M default memory map: execute-never for peripherals, devices and
 * the system region; everything readable and writable. */
static bool default_map(uint32_t addr, enum mpu7m_access acc)
{
    if (acc == MPU7M_EXEC)
        return !((addr >= 0x40000000u && addr < 0x60000000u) || addr >= 0xA0000000u);
    return true;
}

static bool ap_allows(uint8_t ap, enum mpu7m_access acc, bool priv)
{
    bool write = acc == MPU7M_WRITE;
    switch (ap) {
    case 1: return priv;
    case 2: return priv || !write;
    case 3: return true;
    case 5: return priv && !write;
    case 6: case 7: return !write;
    default: return false;      /* 0: no access; 4: reserved */
    }
}

bool mpu7m_check(const struct mpu7m *m, uint32_t addr, enum mpu7m_access acc, bool priv,
                 bool neg_prio, int *region)
{
    *region = -1;
    /* The PPB is always mapped by the default map, privileged only. */
    if (addr >= 0xE0000000u && addr < 0xE0100000u)
        return priv && acc != MPU7M_EXEC;
    if (!(m->ctrl & MPU7M_CTRL_ENABLE) || (neg_prio && !(m->ctrl & MPU7M_CTRL_HFNMIENA)))
        return default_map(addr, acc);
    for (int i = MPU7M_NREGIONS - 1; i >= 0; i--) {
        struct mpu7m_decoded d;
        mpu7m_decode(&m->r[i], &d);
        if (!region_hits(&d, addr))
            continue;
        *region = i;
        if (acc == MPU7M_EXEC && d.xn)
            return false;
        return ap_allows(d.ap, acc, priv);
    }
    if (priv && (m->ctrl & MPU7M_CTRL_PRIVDEFENA))
        return default_map(addr, acc);
    return false;
}

void mpu7m_describe(const struct mpu7m *m, unsigned i, char *buf, size_t len)
{
    static const char *const ap_names[8] = { "--/--", "RW/--", "RW/RO", "RW/RW",
                                             "res", "RO/--", "RO/RO", "RO/RO" };
    struct mpu7m_decoded d;
    mpu7m_decode(&m->r[i], &d);
    if (!d.enabled) {
        snprintf(buf, len, "r%u off", i);
        return;
    }
    if (d.size >= 1024 || d.size == 0)
        snprintf(buf, len, "r%u 0x%08x %llu KiB srd=0x%02x ap=%s%s", i, d.base,
                 (unsigned long long)((d.size ? d.size : (1ull << 32)) / 1024), d.srd,
                 ap_names[d.ap], d.xn ? " xn" : "");
    else
        snprintf(buf, len, "r%u 0x%08x %llu B srd=0x%02x ap=%s%s", i, d.base,
                 (unsigned long long)d.size, d.srd, ap_names[d.ap], d.xn ? " xn" : "");
}

static uint32_t mpu_read(struct periph *p, const struct reg_ref *r)
{
    struct mpu7m *m = to_mpu(p);
    unsigned n;

    switch (r->reg) {
    case R_TYPE: return MPU7M_NREGIONS << 8;
    case R_CTRL: return m->ctrl;
    case R_RNR: return m->rnr;
    case R_RBAR: case R_RBAR_A:
        return m->r[m->rnr].rbar | m->rnr;
    case R_RASR: case R_RASR_A:
        n = m->rnr;
        return m->r[n].rasr;
    default: return 0;
    }
}

/* The architecture makes MPU changes visible after a context
 * synchronization (ISB, exception entry or return): applied then. */
static void changed(struct mpu7m *m)
{
    m->generation++;
    cpu_resync_lazy(m->cpu);
}

static void check_region(struct mpu7m *m, unsigned n)
{
    uint32_t rasr = m->r[n].rasr;
    unsigned size_field = (rasr >> 1) & 0x1f;
    if (!(rasr & 1))
        return;
    if (size_field < 4)
        TRACE(m->dev.tr, TR_GUEST_ERR, "mpu: region %u SIZE=%u is below 32 bytes "
              "(UNPREDICTABLE: treated as disabled)", n, size_field);
    else if (size_field < 31 && (m->r[n].rbar & ((2u << size_field) - 1)))
        TRACE(m->dev.tr, TR_GUEST_ERR, "mpu: region %u base 0x%08x not aligned to its size "
              "0x%x (UNPREDICTABLE: low bits ignored)", n, m->r[n].rbar, 2u << size_field);
    else if (size_field < 7 && (rasr & 0xff00))
        TRACE(m->dev.tr, TR_GUEST_ERR, "mpu: region %u has subregions disabled but is smaller "
              "than 256 bytes (SRD ignored)", n);
}

static void mpu_write(struct periph *p, const struct reg_ref *r, uint32_t val)
{
    struct mpu7m *m = to_mpu(p);

    switch (r->reg) {
    case R_CTRL:
        if ((val & 7) != m->ctrl) {
            m->ctrl = val & 7;
            changed(m);
        }
        break;
    case R_RNR:
        if ((val & 0xff) >= MPU7M_NREGIONS)
            TRACE(p->tr, TR_GUEST_ERR, "mpu: RNR=%u beyond the %u regions (ignored)", val & 0xff,
                  MPU7M_NREGIONS);
        else
            m->rnr = val & 0xff;
        break;
    case R_RBAR: case R_RBAR_A:
        if (val & 0x10) {               /* VALID: also selects the region */
            if ((val & 0xf) >= MPU7M_NREGIONS) {
                TRACE(p->tr, TR_GUEST_ERR, "mpu: RBAR.REGION=%u beyond the regions (ignored)",
                      val & 0xf);
                break;
            }
            m->rnr = val & 0xf;
        }
        if (m->r[m->rnr].rbar != (val & ~0x1fu)) {
            m->r[m->rnr].rbar = val & ~0x1fu;
            check_region(m, m->rnr);
            changed(m);
        }
        break;
    case R_RASR: case R_RASR_A:
        val &= 0x173fff3fu;             /* XN, AP, TEX, S, C, B, SRD, SIZE, ENABLE */
        if (m->r[m->rnr].rasr != val) {
            m->r[m->rnr].rasr = val;
            check_region(m, m->rnr);
            changed(m);
        }
        break;
    default:
        break;
    }
}

static void mpu_reset(struct periph *p)
{
    struct mpu7m *m = to_mpu(p);
    m->ctrl = 0;
    m->rnr = 0;
    for (unsigned i = 0; i < MPU7M_NREGIONS; i++)
        m->r[i].rbar = m->r[i].rasr = 0;
    m->generation++;
    cpu_resync(m->cpu);
}

#define MPU7M_SNAP_VERSION 1

static void mpu_save(struct periph *p, struct snap_writer *w)
{
    struct mpu7m *m = to_mpu(p);
    snap_begin(w, p->name, MPU7M_SNAP_VERSION);
    snap_u32(w, "ctrl", m->ctrl);
    snap_u32(w, "rnr", m->rnr);
    for (unsigned i = 0; i < MPU7M_NREGIONS; i++) {
        snap_u32(w, "rbar", m->r[i].rbar);
        snap_u32(w, "rasr", m->r[i].rasr);
    }
    snap_u32(w, "generation", m->generation);
    snap_end(w);
}

/* The core compares `generation` with what it applied; the CPU's own
 * section restores that and re-programs Unicorn's MPU. */
static int mpu_load(struct periph *p, struct snap_reader *r, struct sim_error *err)
{
    struct mpu7m *m = to_mpu(p);

    if (snap_open(r, p->name, MPU7M_SNAP_VERSION, err) < 0)
        return -1;
    m->ctrl = snap_get_u32(r, "ctrl") & 7;
    m->rnr = snap_get_u32(r, "rnr");
    if (m->rnr >= MPU7M_NREGIONS)
        return snap_fail(r, "rnr", "%u, expected 0..%u", m->rnr, MPU7M_NREGIONS - 1);
    for (unsigned i = 0; i < MPU7M_NREGIONS; i++) {
        m->r[i].rbar = snap_get_u32(r, "rbar");
        m->r[i].rasr = snap_get_u32(r, "rasr");
    }
    m->generation = snap_get_u32(r, "generation");
    return snap_close(r);
}

static const struct periph_ops mpu_ops = {
    .read = mpu_read,
    .write = mpu_write,
    .reset = mpu_reset,
    .save = mpu_save,
    .load = mpu_load,
};

const struct periph_model mpu7m_model = {
    .kind = "armv7m-mpu",
    .regs = mpu_regs,
    .nregs = R_N,
    .size = 0x30,
    .min_access = 4,
    .max_access = 4,
    .instance_size = sizeof(struct mpu7m),
    .ops = &mpu_ops,
};
