/* RISC-V PMP driver (TOCK.md §7): pmp entries 0-1 = app flash as a TOR
 * region (R+X), entries 2-3 = app RAM from its start to the app break (R+W),
 * entries 4-15 = up to six buffers of other processes shared by IPC, one TOR
 * region each (R+W, exact to 4 bytes). 4-byte granularity: the block is
 * placed at the next 256-byte boundary (or the app's fixed RAM address).
 * M-mode is not restricted (no L bits), so the kernel leaves the PMP
 * programmed while it runs. */
#include "arch/rv32i/rv32i.h"
#include "lib/errorcode.h"

#define NEXTRA 6

/* Extra region i: [w[CFG_EXTRA + 2i], w[CFG_EXTRA + 2i + 1]), unused if empty. */
enum { CFG_START, CFG_SIZE, CFG_BRK, CFG_FLASH, CFG_FLASH_END, CFG_EXTRA };
_Static_assert(CFG_EXTRA + 2 * NEXTRA <= HIL_MPU_CONFIG_WORDS, "PMP config words");

#define PMP_R   0x01u
#define PMP_W   0x02u
#define PMP_X   0x04u
#define PMP_TOR 0x08u

static int pmp_allocate(struct hil_mpu *m, uint32_t free_start, uint32_t free_size,
                        uint32_t fixed_start, uint32_t min_size, uint32_t app_size,
                        uint32_t kernel_size, uint32_t *start, uint32_t *size,
                        struct hil_mpu_config *cfg)
{
    (void)m;
    (void)app_size;
    (void)kernel_size;
    uint32_t s = fixed_start ? fixed_start : k_align_up(free_start, 256);
    uint32_t sz = k_align_up(min_size, 256);
    if ((s & 3) || s < free_start || (uint64_t)s + sz > (uint64_t)free_start + free_size)
        return K_ENOMEM;
    *start = s;
    *size = sz;
    cfg->w[CFG_START] = s;
    cfg->w[CFG_SIZE] = sz;
    cfg->w[CFG_BRK] = s;
    return 0;
}

static int pmp_update(struct hil_mpu *m, uint32_t app_brk, uint32_t kernel_brk,
                      struct hil_mpu_config *cfg)
{
    (void)m;
    uint32_t end = k_align_up(app_brk, 4);
    if (app_brk < cfg->w[CFG_START] || end > kernel_brk)
        return K_ENOMEM;
    cfg->w[CFG_BRK] = end;
    return 0;
}

static int pmp_set_flash(struct hil_mpu *m, uint32_t start, uint32_t size, struct hil_mpu_config *cfg)
{
    (void)m;
    if ((start | size) & 3)
        return K_EINVAL;
    cfg->w[CFG_FLASH] = start;
    cfg->w[CFG_FLASH_END] = start + size;
    return 0;
}

static int pmp_add_region(struct hil_mpu *m, uint32_t start, uint32_t size,
                          struct hil_mpu_config *cfg, unsigned *region)
{
    (void)m;
    if (!size || ((start | size) & 3) || (uint64_t)start + size > 0xFFFFFFFCu)
        return K_ENOMEM;
    for (unsigned i = 0; i < NEXTRA; i++) {
        uint32_t *e = &cfg->w[CFG_EXTRA + 2 * i];
        if (e[1] != e[0])
            continue;
        e[0] = start;
        e[1] = start + size;
        *region = i;
        return 0;
    }
    return K_ENOMEM;
}

static void pmp_remove_region(struct hil_mpu *m, unsigned region, struct hil_mpu_config *cfg)
{
    (void)m;
    if (region < NEXTRA)
        cfg->w[CFG_EXTRA + 2 * region] = cfg->w[CFG_EXTRA + 2 * region + 1] = 0;
}

static uint32_t pmp_accessible_end(struct hil_mpu *m, const struct hil_mpu_config *cfg)
{
    (void)m;
    return cfg->w[CFG_BRK];
}

static void pmp_configure(struct hil_mpu *m, const struct hil_mpu_config *cfg)
{
    (void)m;
    RV_CSR_WRITE(pmpcfg0, 0);
    RV_CSR_WRITE(pmpaddr0, cfg->w[CFG_FLASH] >> 2);
    RV_CSR_WRITE(pmpaddr1, cfg->w[CFG_FLASH_END] >> 2);
    RV_CSR_WRITE(pmpaddr2, cfg->w[CFG_START] >> 2);
    RV_CSR_WRITE(pmpaddr3, cfg->w[CFG_BRK] >> 2);
    /* extra region i: entry 4 + 2i holds its start (OFF), 5 + 2i its end (TOR) */
    const uint32_t *x = &cfg->w[CFG_EXTRA];
    uint32_t c[3] = { 0, 0, 0 };
    for (unsigned i = 0; i < NEXTRA; i++)
        if (x[2 * i + 1] != x[2 * i])
            c[i / 2] |= (PMP_TOR | PMP_R | PMP_W) << (8 + 16 * (i % 2));
    RV_CSR_WRITE(pmpaddr4, x[0] >> 2);
    RV_CSR_WRITE(pmpaddr5, x[1] >> 2);
    RV_CSR_WRITE(pmpaddr6, x[2] >> 2);
    RV_CSR_WRITE(pmpaddr7, x[3] >> 2);
    RV_CSR_WRITE(pmpaddr8, x[4] >> 2);
    RV_CSR_WRITE(pmpaddr9, x[5] >> 2);
    RV_CSR_WRITE(pmpaddr10, x[6] >> 2);
    RV_CSR_WRITE(pmpaddr11, x[7] >> 2);
    RV_CSR_WRITE(pmpaddr12, x[8] >> 2);
    RV_CSR_WRITE(pmpaddr13, x[9] >> 2);
    RV_CSR_WRITE(pmpaddr14, x[10] >> 2);
    RV_CSR_WRITE(pmpaddr15, x[11] >> 2);
    RV_CSR_WRITE(pmpcfg1, c[0]);
    RV_CSR_WRITE(pmpcfg2, c[1]);
    RV_CSR_WRITE(pmpcfg3, c[2]);
    RV_CSR_WRITE(pmpcfg0, (PMP_TOR | PMP_R | PMP_X) << 8 | (PMP_TOR | PMP_R | PMP_W) << 24);
}

static void pmp_disable(struct hil_mpu *m)
{
    (void)m;        /* M-mode ignores unlocked entries */
}

static void pmp_print(struct hil_mpu *m, const struct hil_mpu_config *cfg, struct k_writer *w)
{
    (void)m;
    k_wputs(w, "\r\n PMP regions (TOR):\r\n");
    k_wprintf(w, "  [%#010X:%#010X], length: %u bytes; ReadExecute (flash)\r\n",
              (unsigned)cfg->w[CFG_FLASH], (unsigned)cfg->w[CFG_FLASH_END],
              (unsigned)(cfg->w[CFG_FLASH_END] - cfg->w[CFG_FLASH]));
    k_wprintf(w, "  [%#010X:%#010X], length: %u bytes; ReadWrite (RAM up to the app break)\r\n",
              (unsigned)cfg->w[CFG_START], (unsigned)cfg->w[CFG_BRK],
              (unsigned)(cfg->w[CFG_BRK] - cfg->w[CFG_START]));
    for (unsigned i = 0; i < NEXTRA; i++) {
        uint32_t s = cfg->w[CFG_EXTRA + 2 * i], e = cfg->w[CFG_EXTRA + 2 * i + 1];
        if (e != s)
            k_wprintf(w, "  [%#010X:%#010X], length: %u bytes; ReadWrite (IPC share)\r\n",
                      (unsigned)s, (unsigned)e, (unsigned)(e - s));
    }
}

static const struct hil_mpu_ops ops = {
    .allocate_app_memory = pmp_allocate,
    .update_app_memory = pmp_update,
    .set_flash = pmp_set_flash,
    .accessible_end = pmp_accessible_end,
    .add_region = pmp_add_region,
    .remove_region = pmp_remove_region,
    .configure = pmp_configure,
    .disable = pmp_disable,
    .print = pmp_print,
};

void rv32i_pmp_init(struct rv32i_pmp *p)
{
    p->mpu.ops = &ops;
    RV_CSR_WRITE(pmpcfg0, 0);
    RV_CSR_WRITE(pmpcfg1, 0);
    RV_CSR_WRITE(pmpcfg2, 0);
    RV_CSR_WRITE(pmpcfg3, 0);
}
