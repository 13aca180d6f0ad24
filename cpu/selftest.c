/* Start-up self-test: every Unicorn 2.0.1 behaviour the cores rely on
 * (DESIGN.md §10), checked on a scratch engine. A library that behaves
 * differently is refused with the name of the check that failed. */
#include <string.h>

#include "cpu.h"

/* uc_ctl_get_cpu_model() shifts a signed 2 into bit 31 (undefined in C):
 * the same request, built unsigned. */
#define UC_CTL_GET_CPU_MODEL \
    ((uc_control_type)((unsigned)UC_CTL_CPU_MODEL | (1u << 26) | ((unsigned)UC_CTL_IO_READ << 30)))

#define SCRATCH 0x10000u

struct probe {
    int intno;
    uint32_t pc;
    int count;
};

static void probe_intr(uc_engine *uc, uint32_t intno, void *ud)
{
    struct probe *p = ud;
    p->intno = (int)intno;
    uc_reg_read(uc, UC_ARM_REG_PC, &p->pc);
    p->count++;
    uc_emu_stop(uc);
}

static int fail(struct sim_error *err, const char *check, const char *detail)
{
    return sim_errorf(err, "unicorn self-test failed: %s (%s); tocksim needs the behaviour of "
                      "Unicorn 2.0.1 as measured in DESIGN.md §10", check, detail);
}

int cpu_selftest_arm(struct sim_error *err)
{
    uc_engine *uc;
    uc_hook h;
    struct probe p = { -1, 0, 0 };
    int model = -1, rc = 0;
    uint32_t v;
    /* svc #1 ; wfi ; bx lr */
    static const uint16_t code[] = { 0xdf01, 0xbf30, 0x4770 };

    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc))
        return fail(err, "uc_open(ARM, THUMB)", "failed");
    if (uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4) ||
        uc_ctl(uc, UC_CTL_GET_CPU_MODEL, &model) || model != UC_CPU_ARM_CORTEX_M4) {
        rc = fail(err, "Cortex-M4 model selection", "model is not the M4");
        goto out;
    }
    uc_mem_map(uc, SCRATCH, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, SCRATCH, code, sizeof code);
    v = SCRATCH + 0x1000;
    uc_reg_write(uc, UC_ARM_REG_SP, &v);
    uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)probe_intr, &p, 1, 0);
    /* SVC: intno 2, PC after the svc, nothing stacked */
    uc_emu_start(uc, SCRATCH | 1, 1, 0, 0);
    if (p.intno != 2 || p.pc != SCRATCH + 2) {
        rc = fail(err, "SVC raises interrupt 2 with PC after it", "different intno or PC");
        goto out;
    }
    /* WFI: ends uc_emu_start with PC after it, no hook */
    p.count = 0;
    uc_emu_start(uc, (SCRATCH + 2) | 1, 1, 0, 0);
    uc_reg_read(uc, UC_ARM_REG_PC, &v);
    if (p.count || v != SCRATCH + 4) {
        rc = fail(err, "WFI ends the run with PC after it", "hook called or PC elsewhere");
        goto out;
    }
    /* EXC_RETURN: in handler mode (IPSR written + flags rebuilt), bx lr to
     * 0xFFFFFFF9 raises interrupt 8 with PC = 0xFFFFFFF8 */
    v = 11;
    uc_reg_write(uc, UC_ARM_REG_IPSR, &v);
    uc_reg_read(uc, UC_ARM_REG_APSR_NZCV, &v);
    uc_reg_write(uc, UC_ARM_REG_APSR_NZCV, &v);
    v = 0xFFFFFFF9u;
    uc_reg_write(uc, UC_ARM_REG_LR, &v);
    p.count = 0;
    p.intno = -1;
    uc_emu_start(uc, (SCRATCH + 4) | 1, 1, 0, 0);
    if (p.intno != 8 || (p.pc & ~1u) != 0xFFFFFFF8u) {
        rc = fail(err, "EXC_RETURN branch raises interrupt 8", "no exception-exit trap");
        goto out;
    }
out:
    uc_close(uc);
    return rc;
}
