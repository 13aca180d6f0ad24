/* ARMv7-M PMSAv7 MPU driver (TOCK.md §7).
 *
 * App RAM: one power-of-two block (>= 512 B) aligned to its size, covered
 * by regions 0 and 1 (one half each); of their 16 subregions, those up to
 * the app break are enabled (read-write, never execute). The kernel-owned top
 * of the block must start at or after the last enabled subregion.
 * App flash: region 2, the smallest power-of-two region that holds it, with
 * subregions trimming it where the alignment allows (read-only, executable).
 * Regions 3-7: memory of other processes shared by IPC, each covering
 * exactly the shared buffer (read-write, never execute). */
#include "arch/armv7m/armv7m.h"
#include "arch/armv7m/mpu_fit.h"
#include "lib/errorcode.h"

#define NREGIONS        8
#define FIRST_EXTRA     3

/* Region r's RBAR/RASR are words CFG_RBAR0 + 2r and CFG_RBAR0 + 2r + 1. */
enum { CFG_START, CFG_SIZE, CFG_NSUB, CFG_RBAR0, CFG_RASR0, CFG_RBAR1, CFG_RASR1, CFG_RBAR2, CFG_RASR2 };
#define CFG_RBAR(r)     (CFG_RBAR0 + 2 * (r))
#define CFG_RASR(r)     (CFG_RBAR0 + 2 * (r) + 1)
_Static_assert(CFG_RASR(NREGIONS - 1) < HIL_MPU_CONFIG_WORDS, "MPU config words");

#define RBAR_VALID      (1u << 4)
#define RASR_ENABLE     1u
#define RASR_XN         (1u << 28)
#define RASR_AP_RW      (3u << 24)      /* privileged and unprivileged read-write */
#define RASR_AP_RO      (6u << 24)      /* read-only for both */
#define RASR_NORMAL     ((1u << 18) | (1u << 17))   /* S=1 C=1 B=0: normal memory */
#define CTRL_ENABLE     1u
#define CTRL_PRIVDEFENA 4u

static uint32_t log2u(uint32_t v)
{
    return 31u - (uint32_t)__builtin_clz(v);
}

static uint32_t rasr(uint32_t size, uint32_t srd, uint32_t attrs)
{
    return attrs | RASR_NORMAL | (srd & 0xff) << 8 | (log2u(size) - 1) << 1 | RASR_ENABLE;
}

static void set_ram_regions(struct hil_mpu_config *cfg, uint32_t nsub)
{
    uint32_t start = cfg->w[CFG_START], size = cfg->w[CFG_SIZE], half = size / 2;
    uint32_t n0 = nsub > 8 ? 8 : nsub, n1 = nsub > 8 ? nsub - 8 : 0;
    cfg->w[CFG_NSUB] = nsub;
    cfg->w[CFG_RBAR0] = start | RBAR_VALID | 0;
    cfg->w[CFG_RASR0] = n0 ? rasr(half, ~((1u << n0) - 1), RASR_AP_RW | RASR_XN) : 0;
    cfg->w[CFG_RBAR1] = (start + half) | RBAR_VALID | 1;
    cfg->w[CFG_RASR1] = n1 ? rasr(half, ~((1u << n1) - 1), RASR_AP_RW | RASR_XN) : 0;
}

static uint32_t subregions_for(uint32_t size, uint32_t bytes)
{
    uint32_t sub = size / 16;
    return (bytes + sub - 1) / sub;
}

static int mpu_allocate(struct hil_mpu *m, uint32_t free_start, uint32_t free_size,
                        uint32_t fixed_start, uint32_t min_size, uint32_t app_size,
                        uint32_t kernel_size, uint32_t *start, uint32_t *size,
                        struct hil_mpu_config *cfg)
{
    (void)m;
    uint64_t free_end = (uint64_t)free_start + free_size;
    for (uint32_t sz = k_next_pow2(K_MAX(min_size, 512u)); sz && sz <= free_size; sz <<= 1) {
        uint32_t s = fixed_start ? fixed_start : k_align_up(free_start, sz);
        if (s & (sz - 1))
            return K_EINVAL;            /* a fixed start must be aligned to the block */
        if ((uint64_t)s + sz > free_end)
            return K_ENOMEM;
        uint32_t nsub = subregions_for(sz, app_size);
        if (nsub * (sz / 16) > sz - kernel_size)
            continue;                   /* the app's minimum would overlap the kernel part */
        *start = s;
        *size = sz;
        cfg->w[CFG_START] = s;
        cfg->w[CFG_SIZE] = sz;
        set_ram_regions(cfg, nsub);
        return 0;
    }
    return K_ENOMEM;
}

static int mpu_update(struct hil_mpu *m, uint32_t app_brk, uint32_t kernel_brk,
                      struct hil_mpu_config *cfg)
{
    (void)m;
    uint32_t start = cfg->w[CFG_START], size = cfg->w[CFG_SIZE];
    if (app_brk < start || app_brk > start + size)
        return K_ENOMEM;
    uint32_t nsub = subregions_for(size, app_brk - start);
    if (start + nsub * (size / 16) > kernel_brk)
        return K_ENOMEM;
    set_ram_regions(cfg, nsub);
    return 0;
}

static int mpu_set_flash(struct hil_mpu *m, uint32_t start, uint32_t size,
                         struct hil_mpu_config *cfg)
{
    (void)m;
    uint64_t end = (uint64_t)start + size;
    for (uint64_t sz = k_next_pow2(K_MAX(size, 32u)); sz <= 0x80000000u; sz <<= 1) {
        uint32_t base = start & ~(uint32_t)(sz - 1);
        if (end > base + sz)
            continue;
        uint32_t srd = 0;
        if (sz >= 256) {
            uint32_t sub = (uint32_t)sz / 8;
            uint32_t first = (start - base) / sub;
            uint32_t last = (uint32_t)((end - base + sub - 1) / sub);
            uint32_t on = ((1u << last) - 1) & ~((1u << first) - 1);
            srd = ~on & 0xff;
        } else if (base != start || sz != size) {
            continue;
        }
        cfg->w[CFG_RBAR2] = base | RBAR_VALID | 2;
        cfg->w[CFG_RASR2] = rasr((uint32_t)sz, srd, RASR_AP_RO);
        return 0;
    }
    return K_EINVAL;
}

static int mpu_add_region(struct hil_mpu *m, uint32_t start, uint32_t size,
                          struct hil_mpu_config *cfg, unsigned *region)
{
    (void)m;
    struct armv7m_mpu_fit fit;
    if (armv7m_mpu_fit_exact(start, size, &fit))
        return K_ENOMEM;
    for (unsigned r = FIRST_EXTRA; r < NREGIONS; r++) {
        if (cfg->w[CFG_RASR(r)] & RASR_ENABLE)
            continue;
        cfg->w[CFG_RBAR(r)] = fit.base | RBAR_VALID | r;
        cfg->w[CFG_RASR(r)] = rasr(fit.size, fit.srd, RASR_AP_RW | RASR_XN);
        *region = r;
        return 0;
    }
    return K_ENOMEM;
}

static void mpu_remove_region(struct hil_mpu *m, unsigned region, struct hil_mpu_config *cfg)
{
    (void)m;
    if (region >= FIRST_EXTRA && region < NREGIONS)
        cfg->w[CFG_RBAR(region)] = cfg->w[CFG_RASR(region)] = 0;
}

static uint32_t mpu_accessible_end(struct hil_mpu *m, const struct hil_mpu_config *cfg)
{
    (void)m;
    return cfg->w[CFG_START] + cfg->w[CFG_NSUB] * (cfg->w[CFG_SIZE] / 16);
}

static void mpu_configure(struct hil_mpu *m, const struct hil_mpu_config *cfg)
{
    (void)m;
    k_reg_write(ARMV7M_MPU_CTRL, 0);
    for (unsigned r = 0; r < NREGIONS; r++) {
        k_reg_write(ARMV7M_MPU_RNR, r);
        k_reg_write(ARMV7M_MPU_RBAR, cfg->w[CFG_RBAR(r)]);
        k_reg_write(ARMV7M_MPU_RASR, cfg->w[CFG_RASR(r)]);
    }
    k_reg_write(ARMV7M_MPU_CTRL, CTRL_ENABLE | CTRL_PRIVDEFENA);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void mpu_disable(struct hil_mpu *m)
{
    (void)m;
    k_reg_write(ARMV7M_MPU_CTRL, 0);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void print_region(struct k_writer *w, unsigned r, uint32_t rbar, uint32_t rasr_v)
{
    if (!(rasr_v & RASR_ENABLE)) {
        k_wprintf(w, "  Region %u: Unused\r\n", r);
        return;
    }
    uint32_t base = rbar & ~0x1fu;
    uint32_t size = 2u << ((rasr_v >> 1) & 0x1f);
    uint32_t ap = (rasr_v >> 24) & 7;
    const char *perm = ap == 3 ? ((rasr_v & RASR_XN) ? "ReadWrite" : "ReadWriteExecute")
                               : ((rasr_v & RASR_XN) ? "ReadOnly" : "ReadExecute");
    k_wprintf(w, "  Region %u: [%#010X:%#010X], length: %u bytes; %s (%#x)\r\n", r,
              (unsigned)base, (unsigned)(base + size), (unsigned)size, perm, (unsigned)ap);
    if (size < 256)
        return;
    uint32_t sub = size / 8;
    for (unsigned i = 0; i < 8; i++)
        k_wprintf(w, "    Sub-region %u: [%#010X:%#010X], %s\r\n", i, (unsigned)(base + i * sub),
                  (unsigned)(base + (i + 1) * sub),
                  (rasr_v >> (8 + i)) & 1 ? "Disabled" : "Enabled");
}

static void mpu_print(struct hil_mpu *m, const struct hil_mpu_config *cfg, struct k_writer *w)
{
    (void)m;
    k_wputs(w, "\r\n Cortex-M MPU\r\n");
    uint32_t start = cfg->w[CFG_START], half = cfg->w[CFG_SIZE] / 2;
    /* regions 0 and 1 are printed even when all their subregions are off */
    for (unsigned r = 0; r < 2; r++) {
        uint32_t v = cfg->w[CFG_RASR0 + 2 * r];
        if (!v)
            v = rasr(half, 0xff, RASR_AP_RW | RASR_XN);
        print_region(w, r, start + r * half, v);
    }
    for (unsigned r = 2; r < NREGIONS; r++)
        print_region(w, r, cfg->w[CFG_RBAR(r)], cfg->w[CFG_RASR(r)]);
}

static const struct hil_mpu_ops mpu_ops = {
    .allocate_app_memory = mpu_allocate,
    .update_app_memory = mpu_update,
    .set_flash = mpu_set_flash,
    .accessible_end = mpu_accessible_end,
    .add_region = mpu_add_region,
    .remove_region = mpu_remove_region,
    .configure = mpu_configure,
    .disable = mpu_disable,
    .print = mpu_print,
};

void armv7m_mpu_init(struct armv7m_mpu *m)
{
    m->mpu.ops = &mpu_ops;
    /* regions 3-7 are off until a process has IPC shares */
    for (unsigned r = FIRST_EXTRA; r < NREGIONS; r++) {
        k_reg_write(ARMV7M_MPU_RNR, r);
        k_reg_write(ARMV7M_MPU_RASR, 0);
    }
    k_reg_write(ARMV7M_MPU_CTRL, 0);
}
