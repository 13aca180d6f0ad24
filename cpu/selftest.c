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

struct first_block {
    uint32_t size;
    int count;
    bool clear_exits;
};

static void probe_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
    struct first_block *f = ud;
    (void)addr;
    if (f->count++ == 0)
        f->size = size;
    if (f->clear_exits) {
        uc_ctl(uc, UC_CTL_WRITE(UC_CTL_UC_EXITS, 2), (uint64_t *)NULL, (size_t)0);
        f->clear_exits = false;
    }
}

/* Exact splits (uc_common.c): with exits on, a run whose exit is disarmed
 * from the block hook of its first (truncated) block keeps that
 * translation, and a later run without exits reuses it; no exit at all
 * means Unicorn stops only on our request or a WFI. `code` at `pc` is three
 * straight-line instructions of `step` bytes, then a WFI. */
int cpu_selftest_exits(uc_engine *uc, int pc_reg, uint32_t pc, uint32_t step,
                       struct sim_error *err)
{
    static const char check[] = "an exit disarmed from the block hook keeps the truncated block";
    struct first_block f = { 0, 0, true };
    uint64_t x = (pc & ~1u) + step;
    uint32_t v;
    uc_hook h;

    if (!cpu_uc_clock_installed())
        return fail(err, "libunicorn reads tocksim's host clock", "gettimeofday not interposed");
    if (uc_ctl(uc, UC_CTL_WRITE(UC_CTL_UC_USE_EXITS, 1), 1) ||
        uc_ctl(uc, UC_CTL_WRITE(UC_CTL_UC_EXITS, 2), &x, (size_t)1))
        return fail(err, check, "UC_CTL_UC_USE_EXITS refused");
    if (uc_hook_add(uc, &h, UC_HOOK_BLOCK, (void *)probe_block, &f, 1, 0))
        return fail(err, check, "no block hook");
    uc_emu_start(uc, pc, 1, 0, 0);
    uc_reg_read(uc, pc_reg, &v);
    if (f.size != step || (v & ~1u) != (pc & ~1u) + step) {
        uc_hook_del(uc, h);
        return fail(err, check, "the split run did not stop at its exit");
    }
    f.count = 0;
    f.size = 0;
    uc_emu_start(uc, pc, 1, 0, 0);              /* the kept block, then its stop */
    if (f.size != step) {
        uc_hook_del(uc, h);
        return fail(err, check, "the truncated translation was dropped");
    }
    uc_emu_start(uc, pc + step, 1, 0, 0);       /* no exit: on to the WFI */
    uc_hook_del(uc, h);
    uc_reg_read(uc, pc_reg, &v);
    if ((v & ~1u) <= (pc & ~1u) + 2 * step)
        return fail(err, check, "a run without exits stopped early");
    return 0;
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
    {
        /* movs r0, #1 ; movs r1, #2 ; movs r2, #3 ; wfi */
        static const uint16_t three[] = { 0x2001, 0x2102, 0x2203, 0xbf30 };
        uc_mem_write(uc, SCRATCH + 0x100, three, sizeof three);
        if ((rc = cpu_selftest_exits(uc, UC_ARM_REG_PC, (SCRATCH + 0x100) | 1, 2, err)))
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

int cpu_selftest_rv(struct sim_error *err)
{
    /* addi a0, x0, 1 ; addi a1, x0, 2 ; addi a2, x0, 3 ; wfi */
    static const uint32_t three[] = { 0x00100513u, 0x00200593u, 0x00300613u, 0x10500073u };
    uc_engine *uc;
    int rc;

    if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc))
        return fail(err, "uc_open(RISCV32)", "failed");
    uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31);
    uc_mem_map(uc, SCRATCH, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, SCRATCH, three, sizeof three);
    rc = cpu_selftest_exits(uc, UC_RISCV_REG_PC, SCRATCH, 4, err);
    uc_close(uc);
    return rc;
}
