/* Cortex-M user/kernel boundary (TOCK.md §1.4, §3.3, §6).
 *
 * Saved state: r4-r11, PSP, the PC after the last svc (yield_pc) and the
 * xPSR stacked with it. r0-r3, r12, LR, PC and xPSR live in the hardware
 * exception frame at PSP, in process memory. */
#include "arch/armv7m/armv7m.h"
#include "lib/kstring.h"
#include "lib/errorcode.h"

struct cm_state {
    uint32_t regs[8];               /* r4-r11 */
    uint32_t psp, yield_pc, psr;
};

_Static_assert(sizeof(struct cm_state) <= sizeof(struct ukb_state), "ukb_state too small");

#define FRAME_BYTES 32u
#define XPSR_THUMB  0x01000000u
#define XPSR_ALIGN  0x00000200u     /* the frame was realigned by 4 bytes */

struct armv7m_fault_regs armv7m_last_fault;
volatile uint32_t armv7m_switch_reason;

uint32_t armv7m_switch_to_user(uint32_t psp, uint32_t *regs);

static struct cm_state *st(struct ukb_state *s) { return (struct cm_state *)s; }
static const struct cm_state *cst(const struct ukb_state *s) { return (const struct cm_state *)s; }

static uint32_t *frame_at(uint32_t psp, uint32_t mem_start, uint32_t app_brk)
{
    if (psp < mem_start || psp > app_brk || app_brk - psp < FRAME_BYTES || (psp & 3))
        return NULL;
    return (uint32_t *)(uintptr_t)psp;
}

static int cm_init(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk)
{
    memset(s, 0, sizeof(*s));
    if (app_brk < mem_start + FRAME_BYTES)
        return K_EINVAL;
    st(s)->psp = app_brk - FRAME_BYTES;     /* an empty frame at the bottom */
    st(s)->psr = XPSR_THUMB;
    return 0;
}

static int cm_set_upcall(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                         uint32_t fn, const uint32_t args[4])
{
    struct cm_state *c = st(s);
    uint32_t *f = frame_at(c->psp, mem_start, app_brk);
    if (!f)
        return K_EINVAL;
    /* Turn the yield's svc into a call: fn(args) returns to after the svc. */
    f[0] = args[0];
    f[1] = args[1];
    f[2] = args[2];
    f[3] = args[3];
    f[4] = 0;
    f[5] = c->yield_pc | 1;
    f[6] = fn & ~1u;
    f[7] = XPSR_THUMB | (f[7] & XPSR_ALIGN);
    return 0;
}

static int cm_set_return(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                         const uint32_t regs[4])
{
    uint32_t *f = frame_at(st(s)->psp, mem_start, app_brk);
    if (!f)
        return K_EINVAL;
    f[0] = regs[0];
    f[1] = regs[1];
    f[2] = regs[2];
    f[3] = regs[3];
    return 0;
}

static void capture_fault(void)
{
    armv7m_last_fault.cfsr = k_reg_read(ARMV7M_SCB_CFSR);
    armv7m_last_fault.hfsr = k_reg_read(ARMV7M_SCB_HFSR);
    armv7m_last_fault.mmfar = k_reg_read(ARMV7M_SCB_MMFAR);
    armv7m_last_fault.bfar = k_reg_read(ARMV7M_SCB_BFAR);
    armv7m_last_fault.valid = true;
    k_reg_write(ARMV7M_SCB_CFSR, armv7m_last_fault.cfsr);      /* write-1-to-clear */
    k_reg_write(ARMV7M_SCB_HFSR, armv7m_last_fault.hfsr);
}

static enum ukb_reason cm_switch_to(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                                    struct ukb_syscall *sc)
{
    struct cm_state *c = st(s);
    armv7m_switch_reason = ARMV7M_SWITCH_INTERRUPTED;
    c->psp = armv7m_switch_to_user(c->psp, c->regs);
    switch (armv7m_switch_reason) {
    case ARMV7M_SWITCH_SYSCALL: {
        uint32_t *f = frame_at(c->psp, mem_start, app_brk);
        if (!f)
            return UKB_FAULT;
        c->yield_pc = f[6];
        c->psr = f[7];
        uint16_t svc = *(const uint16_t *)(uintptr_t)(f[6] - 2);
        sc->class_id = svc & 0xff;
        sc->args[0] = f[0];
        sc->args[1] = f[1];
        sc->args[2] = f[2];
        sc->args[3] = f[3];
        return UKB_SYSCALL;
    }
    case ARMV7M_SWITCH_FAULT:
        capture_fault();
        return UKB_FAULT;
    default:
        return UKB_INTERRUPTED;
    }
}

static void cm_print(const struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                     struct k_writer *w)
{
    const struct cm_state *c = cst(s);
    uint32_t fr[8];
    const uint32_t *f = frame_at(c->psp, mem_start, app_brk);
    for (int i = 0; i < 8; i++)
        fr[i] = f ? f[i] : 0xBAD00BADu;
    const uint32_t *r = c->regs;    /* r4..r11 */
    k_wprintf(w, "\r\n  R0 : %#010X    R6 : %#010X", (unsigned)fr[0], (unsigned)r[2]);
    k_wprintf(w, "\r\n  R1 : %#010X    R7 : %#010X", (unsigned)fr[1], (unsigned)r[3]);
    k_wprintf(w, "\r\n  R2 : %#010X    R8 : %#010X", (unsigned)fr[2], (unsigned)r[4]);
    k_wprintf(w, "\r\n  R3 : %#010X    R10: %#010X", (unsigned)fr[3], (unsigned)r[6]);
    k_wprintf(w, "\r\n  R4 : %#010X    R11: %#010X", (unsigned)r[0], (unsigned)r[7]);
    k_wprintf(w, "\r\n  R5 : %#010X    R12: %#010X", (unsigned)r[1], (unsigned)fr[4]);
    k_wprintf(w, "\r\n  R9 : %#010X (Static Base Register)", (unsigned)r[5]);
    k_wprintf(w, "\r\n  SP : %#010X (Process Stack Pointer)", (unsigned)c->psp);
    k_wprintf(w, "\r\n  LR : %#010X", (unsigned)fr[5]);
    k_wprintf(w, "\r\n  PC : %#010X", (unsigned)fr[6]);
    k_wprintf(w, "\r\n YPC : %#010X\r\n", (unsigned)c->yield_pc);
    uint32_t x = fr[7];
    k_wprintf(w, "\r\n APSR: N %u Z %u C %u V %u Q %u", (unsigned)(x >> 31) & 1,
              (unsigned)(x >> 30) & 1, (unsigned)(x >> 29) & 1, (unsigned)(x >> 28) & 1,
              (unsigned)(x >> 27) & 1);
    k_wprintf(w, "\r\n       GE %u %u %u %u", (unsigned)(x >> 19) & 1, (unsigned)(x >> 18) & 1,
              (unsigned)(x >> 17) & 1, (unsigned)(x >> 16) & 1);
    uint32_t ici_it = ((x >> 25) & 3) << 6 | ((x >> 10) & 0x3f);
    bool thumb = (x >> 24) & 1;
    k_wprintf(w, "\r\n EPSR: ICI.IT %#04x\r\n       ThumbBit %s %s\r\n", (unsigned)ici_it,
              thumb ? "true" : "false", thumb ? "" : "!!ERROR - Cortex M Thumb only!");
}

static uint32_t cm_stack_pointer(const struct ukb_state *s)
{
    return cst(s)->psp;
}

static const struct hil_ukb_ops cm_ops = {
    .init = cm_init,
    .set_upcall = cm_set_upcall,
    .set_return = cm_set_return,
    .switch_to = cm_switch_to,
    .print = cm_print,
    .stack_pointer = cm_stack_pointer,
};

const struct hil_ukb armv7m_ukb = { .ops = &cm_ops, .initial_brk_size = FRAME_BYTES };
