/* RISC-V PMP driver (TOCK.md §7): pmp entries 0-1 = app flash as a TOR
 * region (R+X), entries 2-3 = app RAM from its start to the app break (R+W).
 * 4-byte granularity: the block is placed at the next 256-byte boundary (or
 * the app's fixed RAM address). M-mode is not restricted (no L bits), so the
 * kernel leaves the PMP programmed while it runs. */
#include "arch/rv32i/rv32i.h"
#include "lib/errorcode.h"

enum { CFG_START, CFG_SIZE, CFG_BRK, CFG_FLASH, CFG_FLASH_END };

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
}

static const struct hil_mpu_ops ops = {
    .allocate_app_memory = pmp_allocate,
    .update_app_memory = pmp_update,
    .set_flash = pmp_set_flash,
    .accessible_end = pmp_accessible_end,
    .configure = pmp_configure,
    .disable = pmp_disable,
    .print = pmp_print,
};

void rv32i_pmp_init(struct rv32i_pmp *p)
{
    p->mpu.ops = &ops;
    RV_CSR_WRITE(pmpcfg0, 0);
}
