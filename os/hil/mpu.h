/* Memory protection HIL: the ARMv7-M MPU and the RISC-V PMP behind one
 * interface (after Tock's kernel::platform::mpu). A process's configuration
 * lives in an opaque hil_mpu_config owned by the kernel; the driver fills it
 * and loads it into hardware before the process runs. */
#ifndef OS_HIL_MPU_H
#define OS_HIL_MPU_H

#include "lib/util.h"
#include "lib/kfmt.h"

#define HIL_MPU_CONFIG_WORDS 24

struct hil_mpu_config {
    uint32_t w[HIL_MPU_CONFIG_WORDS];
};

struct hil_mpu;

struct hil_mpu_ops {
    /* Place a process memory block inside [free_start, free_start + free_size):
     * at least min_size bytes; its first app_size bytes must be accessible to
     * the process and its last kernel_size bytes must not be. A non-zero
     * fixed_start forces the block's start. Fills *start, *size and cfg. */
    int (*allocate_app_memory)(struct hil_mpu *m, uint32_t free_start, uint32_t free_size,
                               uint32_t fixed_start, uint32_t min_size, uint32_t app_size,
                               uint32_t kernel_size, uint32_t *start, uint32_t *size,
                               struct hil_mpu_config *cfg);
    /* The app break moved: make [start, app_brk) accessible, keep
     * [kernel_brk, end) protected. Fails (K_ENOMEM) if it cannot. */
    int (*update_app_memory)(struct hil_mpu *m, uint32_t app_brk, uint32_t kernel_brk,
                             struct hil_mpu_config *cfg);
    /* Read + execute access to the process's flash. */
    int (*set_flash)(struct hil_mpu *m, uint32_t start, uint32_t size, struct hil_mpu_config *cfg);
    /* First address above app_brk that the process cannot access (for the
     * fault dump: MPU subregions round the break up). */
    uint32_t (*accessible_end)(struct hil_mpu *m, const struct hil_mpu_config *cfg);
    /* Extra read-write access to exactly [start, start + size), outside the
     * process's own memory (IPC shares: Tock's allocate_region for
     * add_mpu_region). Fills *region with an id for remove_region. K_ENOMEM
     * if every extra region is taken or the hardware cannot cover exactly
     * that range. */
    int (*add_region)(struct hil_mpu *m, uint32_t start, uint32_t size,
                      struct hil_mpu_config *cfg, unsigned *region);
    void (*remove_region)(struct hil_mpu *m, unsigned region, struct hil_mpu_config *cfg);
    void (*configure)(struct hil_mpu *m, const struct hil_mpu_config *cfg);   /* load + enable */
    void (*disable)(struct hil_mpu *m);
    void (*print)(struct hil_mpu *m, const struct hil_mpu_config *cfg, struct k_writer *w);
};

struct hil_mpu {
    const struct hil_mpu_ops *ops;
};

#endif
