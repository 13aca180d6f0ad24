/* ARMv7-M faults (ARMv7-M ARM B1.5.14-B1.5.16, B3.2.15-B3.2.18): UsageFault
 * (UNDEFINSTR, INVSTATE, DIVBYZERO, UNALIGNED), BusFault (precise data,
 * instruction fetch), MemManage (execute from an XN region, MPU data access),
 * escalation to HardFault (fault disabled or masked: HFSR.FORCED), and the
 * fault status registers (CFSR/HFSR write-one-to-clear, BFAR/MMFAR).
 *
 * Every faulting instruction is the first instruction of a small function
 * (fault_*), so the stacked PC can be compared with the function address. */
#include "rt.h"

#include "board.h"

#define IRQ_A 20u

/* ---------------------------------------------------------- probe functions -- */

uint32_t fault_udf(void);
uint32_t fault_sdiv(uint32_t a, uint32_t b);
uint32_t fault_udiv(uint32_t a, uint32_t b);
uint32_t fault_ldr(uint32_t addr);
uint32_t fault_ldrh(uint32_t addr);
uint32_t fault_ldrb(uint32_t addr);
uint64_t fault_ldrd(uint32_t addr);
uint64_t fault_ldm(uint32_t addr);
void fault_str(uint32_t addr, uint32_t v);
void fault_strh(uint32_t addr, uint32_t v);
void fault_call(uint32_t target);   /* blx target */

#define PROBE(name, body) \
    "   .section .text." #name ", \"ax\", %progbits\n" \
    "   .global " #name "\n" \
    "   .type " #name ", %function\n" \
    "   .thumb_func\n" \
    #name ":\n" body "   bx lr\n"

__asm__(
    PROBE(fault_udf, "   udf #0x42\n")
    PROBE(fault_sdiv, "   sdiv r0, r0, r1\n")
    PROBE(fault_udiv, "   udiv r0, r0, r1\n")
    PROBE(fault_ldr, "   ldr r0, [r0]\n")
    PROBE(fault_ldrh, "   ldrh r0, [r0]\n")
    PROBE(fault_ldrb, "   ldrb r0, [r0]\n")
    PROBE(fault_ldrd, "   ldrd r0, r1, [r0]\n")
    PROBE(fault_ldm, "   ldm r0, {r0, r1}\n")
    PROBE(fault_str, "   str r1, [r0]\n")
    PROBE(fault_strh, "   strh r1, [r0]\n")
    "   .section .text.fault_call, \"ax\", %progbits\n"
    "   .global fault_call\n"
    "   .type fault_call, %function\n"
    "   .thumb_func\n"
    "fault_call:\n"
    "   push {r4, lr}\n"
    "   blx r0\n"
    "   pop {r4, pc}\n");

#define ADDR(fn) ((uint32_t)(fn) & ~1u)

/* ----------------------------------------------------------- fault handler -- */

enum resume { RESUME_SKIP, RESUME_LR };

static struct {
    uint32_t count, num, cfsr, hfsr, mmfar, bfar, pc, xpsr, exc_return, shcsr;
    enum resume resume;
} flt;

static void fault_handler(struct t_exc *e)
{
    flt.count++;
    flt.num = e->num;
    flt.cfsr = SCB_CFSR;
    flt.hfsr = SCB_HFSR;
    flt.mmfar = SCB_MMFAR;
    flt.bfar = SCB_BFAR;
    flt.pc = e->frame[FR_PC];
    flt.xpsr = e->frame[FR_XPSR];
    flt.exc_return = e->exc_return;
    flt.shcsr = SCB_SHCSR;
    if (flt.resume == RESUME_LR) {
        e->frame[FR_PC] = e->frame[FR_LR] & ~1u;
        e->frame[FR_XPSR] |= 1u << 24;
    } else if (!(flt.cfsr & CFSR_IMPRECISERR)) {
        e->frame[FR_PC] += t_insn_len(e->frame[FR_PC]);
    }
}

static void clear_status(void)
{
    SCB_CFSR = 0xFFFFFFFFu;
    SCB_HFSR = 0xFFFFFFFFu;
}

static void expect_begin(enum resume resume)
{
    clear_status();
    flt.count = 0;
    flt.num = 0;
    flt.resume = resume;
}

/* Checks that exactly one fault `num` happened at `pc` with CFSR == cfsr and
 * HFSR == hfsr; prints one line per field under names prefix_*. */
static void expect_fault(const char *prefix, unsigned num, uint32_t pc, uint32_t cfsr, uint32_t hfsr)
{
    bool ok = flt.count == 1 && flt.num == num && flt.pc == pc && flt.cfsr == cfsr &&
              flt.hfsr == hfsr;
    t_ok(prefix, ok,
         "%u faults; exception %u (want %u), stacked pc 0x%08x (want 0x%08x), "
         "CFSR 0x%08x (want 0x%08x), HFSR 0x%08x (want 0x%08x)",
         flt.count, flt.num, num, flt.pc, pc, flt.cfsr, cfsr, flt.hfsr, hfsr);
    clear_status();
}

static void expect_no_fault(const char *name)
{
    t_ok(name, flt.count == 0, "%u faults: exception %u at 0x%08x, CFSR 0x%08x HFSR 0x%08x",
         flt.count, flt.num, flt.pc, flt.cfsr, flt.hfsr);
    clear_status();
}

/* ------------------------------------------------------------- UsageFault -- */

static volatile uint32_t irq_result;
static void udf_in_irq(struct t_exc *e)
{
    irq_result = fault_udf();
}

static void test_undefined(void)
{
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    expect_begin(RESUME_SKIP);
    fault_udf();
    expect_fault("udf_usagefault", EXC_USAGEFAULT, ADDR(fault_udf), CFSR_UNDEFINSTR, 0);

    /* Status registers: write one to clear, zero leaves them. */
    expect_begin(RESUME_SKIP);
    fault_udf();
    SCB_CFSR = 0;
    t_eq("cfsr_write0_keeps", SCB_CFSR, CFSR_UNDEFINSTR);
    SCB_CFSR = CFSR_DIVBYZERO;
    t_eq("cfsr_write_other_bit_keeps", SCB_CFSR, CFSR_UNDEFINSTR);
    SCB_CFSR = CFSR_UNDEFINSTR;
    t_eq("cfsr_w1c", SCB_CFSR, 0);
    t_ok("usagefault_shcsr_active", flt.shcsr & SHCSR_USGFAULTACT, "SHCSR = 0x%08x", flt.shcsr);
    t_eq("usagefault_exc_return", flt.exc_return, EXC_RETURN_THREAD_MSP);

    /* Disabled: escalated to HardFault, FORCED. */
    SCB_SHCSR &= ~SHCSR_USGFAULTENA;
    expect_begin(RESUME_SKIP);
    fault_udf();
    uint32_t hfsr = SCB_HFSR;
    SCB_HFSR = 0;
    uint32_t hfsr_after0 = SCB_HFSR;
    SCB_HFSR = HFSR_FORCED;
    uint32_t hfsr_after1 = SCB_HFSR;
    expect_fault("udf_disabled_hardfault", EXC_HARDFAULT, ADDR(fault_udf), CFSR_UNDEFINSTR,
                 HFSR_FORCED);
    t_eq("hfsr_forced", hfsr, HFSR_FORCED);
    t_eq("hfsr_write0_keeps", hfsr_after0, HFSR_FORCED);
    t_eq("hfsr_w1c", hfsr_after1, 0);

    /* Enabled but masked by BASEPRI: escalated. */
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    set_sys_prio(EXC_USAGEFAULT, 0x80);
    expect_begin(RESUME_SKIP);
    set_basepri(0x80);
    fault_udf();
    set_basepri(0);
    expect_fault("udf_basepri_masked_hardfault", EXC_HARDFAULT, ADDR(fault_udf),
                 CFSR_UNDEFINSTR, HFSR_FORCED);

    /* From a handler of higher priority than UsageFault: escalated. */
    nvic_set_prio(IRQ_A, 0x40);
    t_set_handler(EXC_IRQ0 + IRQ_A, udf_in_irq);
    nvic_enable(IRQ_A);
    expect_begin(RESUME_SKIP);
    nvic_pend(IRQ_A);
    barrier();
    nvic_disable(IRQ_A);
    expect_fault("udf_in_higher_irq_hardfault", EXC_HARDFAULT, ADDR(fault_udf),
                 CFSR_UNDEFINSTR, HFSR_FORCED);
    t_eq("udf_in_irq_exc_return", flt.exc_return, EXC_RETURN_HANDLER);

    /* From a handler of lower priority: a nested UsageFault. */
    nvic_set_prio(IRQ_A, 0xC0);
    nvic_enable(IRQ_A);
    expect_begin(RESUME_SKIP);
    nvic_pend(IRQ_A);
    barrier();
    nvic_disable(IRQ_A);
    expect_fault("udf_in_lower_irq_usagefault", EXC_USAGEFAULT, ADDR(fault_udf),
                 CFSR_UNDEFINSTR, 0);
    set_sys_prio(EXC_USAGEFAULT, 0);
    t_set_handler(EXC_IRQ0 + IRQ_A, 0);
}

static void test_invstate(void)
{
    /* BLX to an address with bit 0 clear: EPSR.T = 0, the next instruction
     * faults with INVSTATE at the target. */
    expect_begin(RESUME_LR);
    fault_call(ADDR(fault_ldrb));
    expect_fault("invstate", EXC_USAGEFAULT, ADDR(fault_ldrb), CFSR_INVSTATE, 0);
    t_eq("invstate_stacked_t_bit", flt.xpsr & (1u << 24), 0);
}

static void test_divide(void)
{
    SCB_CCR &= ~CCR_DIV_0_TRP;
    expect_begin(RESUME_SKIP);
    uint32_t q1 = fault_sdiv(100, 0), q2 = fault_udiv(100, 0);
    expect_no_fault("div0_untrapped_no_fault");
    t_eq("div0_untrapped_sdiv_0", q1, 0);
    t_eq("div0_untrapped_udiv_0", q2, 0);
    t_eq("sdiv_result", fault_sdiv((uint32_t)-100, 7), (uint32_t)-14);
    t_eq("sdiv_overflow", fault_sdiv(0x80000000u, (uint32_t)-1), 0x80000000u);

    SCB_CCR |= CCR_DIV_0_TRP;
    expect_begin(RESUME_SKIP);
    fault_sdiv(100, 0);
    expect_fault("div0_sdiv_trap", EXC_USAGEFAULT, ADDR(fault_sdiv), CFSR_DIVBYZERO, 0);
    expect_begin(RESUME_SKIP);
    fault_udiv(100, 0);
    expect_fault("div0_udiv_trap", EXC_USAGEFAULT, ADDR(fault_udiv), CFSR_DIVBYZERO, 0);
    expect_begin(RESUME_SKIP);
    t_eq("div_trap_nonzero_ok", fault_udiv(100, 7), 14);
    expect_no_fault("div_trap_nonzero_no_fault");
    SCB_CCR &= ~CCR_DIV_0_TRP;
}

static uint8_t ubuf[16] __attribute__((aligned(8))) = {
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
};

static void test_unaligned(void)
{
    const uint32_t b = (uint32_t)ubuf;
    SCB_CCR &= ~CCR_UNALIGN_TRP;
    expect_begin(RESUME_SKIP);
    t_eq("unaligned_ldr_value", fault_ldr(b + 1), 0x14131211u);
    t_eq("unaligned_ldrh_value", fault_ldrh(b + 3), 0x1413u);
    fault_str(b + 5, 0xA1B2C3D4u);
    t_eq("unaligned_str_value", fault_ldr(b + 4), 0xB2C3D414u);
    fault_strh(b + 9, 0x5566u);
    t_eq("unaligned_strh_value", fault_ldr(b + 8), 0x1B5566A1u);
    t_eq("ldrd_word_aligned_value", (uint32_t)(fault_ldrd(b + 4) >> 32), 0x1B5566A1u);
    expect_no_fault("unaligned_untrapped_no_fault");

    /* LDRD and LDM need word alignment whatever UNALIGN_TRP says. */
    expect_begin(RESUME_SKIP);
    fault_ldrd(b + 2);
    expect_fault("unaligned_ldrd", EXC_USAGEFAULT, ADDR(fault_ldrd), CFSR_UNALIGNED, 0);
    expect_begin(RESUME_SKIP);
    fault_ldm(b + 1);
    expect_fault("unaligned_ldm", EXC_USAGEFAULT, ADDR(fault_ldm), CFSR_UNALIGNED, 0);

    SCB_CCR |= CCR_UNALIGN_TRP;
    expect_begin(RESUME_SKIP);
    fault_ldr(b + 2);
    expect_fault("unalign_trp_ldr", EXC_USAGEFAULT, ADDR(fault_ldr), CFSR_UNALIGNED, 0);
    expect_begin(RESUME_SKIP);
    fault_ldrh(b + 1);
    expect_fault("unalign_trp_ldrh", EXC_USAGEFAULT, ADDR(fault_ldrh), CFSR_UNALIGNED, 0);
    expect_begin(RESUME_SKIP);
    fault_str(b + 3, 0);
    expect_fault("unalign_trp_str", EXC_USAGEFAULT, ADDR(fault_str), CFSR_UNALIGNED, 0);
    expect_begin(RESUME_SKIP);
    t_eq("unalign_trp_ldrb_ok", fault_ldrb(b + 3), 0x13);
    t_eq("unalign_trp_aligned_ok", fault_ldr(b), 0x13121110u);
    expect_no_fault("unalign_trp_aligned_no_fault");
    SCB_CCR &= ~CCR_UNALIGN_TRP;
}

/* --------------------------------------------------------------- BusFault -- */

static void test_busfault(void)
{
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    expect_begin(RESUME_SKIP);
    fault_ldr(T_UNMAPPED_ADDR + 8);
    expect_fault("bus_load", EXC_BUSFAULT, ADDR(fault_ldr), CFSR_PRECISERR | CFSR_BFARVALID, 0);
    t_eq("bus_load_bfar", flt.bfar, T_UNMAPPED_ADDR + 8);

    /* BFARVALID and PRECISERR are write-one-to-clear; BFAR is read/write. */
    expect_begin(RESUME_SKIP);
    fault_ldr(T_UNMAPPED_ADDR);
    t_eq("bus_cfsr_before_w1c", SCB_CFSR, CFSR_PRECISERR | CFSR_BFARVALID);
    SCB_CFSR = CFSR_BFARVALID;
    t_eq("bus_cfsr_w1c_bfarvalid", SCB_CFSR, CFSR_PRECISERR);
    SCB_CFSR = CFSR_PRECISERR;
    t_eq("bus_cfsr_w1c_preciserr", SCB_CFSR, 0);
    SCB_BFAR = 0x12345678u;
    t_eq("bfar_writable", SCB_BFAR, 0x12345678u);

    /* A store: precise or imprecise, both are architectural. */
    expect_begin(RESUME_SKIP);
    fault_str(T_UNMAPPED_ADDR + 4, 0xDEAD);
    barrier();
    bool precise = flt.cfsr == (CFSR_PRECISERR | CFSR_BFARVALID) && flt.bfar == T_UNMAPPED_ADDR + 4 &&
                   flt.pc == ADDR(fault_str);
    bool imprecise = flt.cfsr == CFSR_IMPRECISERR;
    t_ok("bus_store", flt.count == 1 && flt.num == EXC_BUSFAULT && (precise || imprecise),
         "%u faults, exception %u, CFSR 0x%08x, BFAR 0x%08x, stacked pc 0x%08x",
         flt.count, flt.num, flt.cfsr, flt.bfar, flt.pc);
    t_info("store to unmapped 0x%08x: %s BusFault", T_UNMAPPED_ADDR + 4,
           precise ? "precise" : imprecise ? "imprecise" : "unexpected");
    clear_status();

    /* Instruction fetch from unmapped, executable memory. */
    expect_begin(RESUME_LR);
    fault_call(T_UNMAPPED_ADDR | 1u);
    expect_fault("bus_fetch", EXC_BUSFAULT, T_UNMAPPED_ADDR, CFSR_IBUSERR, 0);

    /* Disabled: HardFault, FORCED. */
    SCB_SHCSR &= ~SHCSR_BUSFAULTENA;
    expect_begin(RESUME_SKIP);
    fault_ldr(T_UNMAPPED_ADDR);
    expect_fault("bus_disabled_hardfault", EXC_HARDFAULT, ADDR(fault_ldr),
                 CFSR_PRECISERR | CFSR_BFARVALID, HFSR_FORCED);
}

/* ------------------------------------------------------------- MemManage -- */

static uint8_t mpu_buf[64] __attribute__((aligned(32)));

static void test_memmanage(void)
{
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    /* The system region 0xE0000000-0xFFFFFFFF is execute-never. */
    expect_begin(RESUME_LR);
    fault_call(T_XN_ADDR | 1u);
    expect_fault("mm_exec_xn", EXC_MEMMANAGE, T_XN_ADDR, CFSR_IACCVIOL, 0);

    SCB_SHCSR &= ~SHCSR_MEMFAULTENA;
    expect_begin(RESUME_LR);
    fault_call(T_XN_ADDR | 1u);
    expect_fault("mm_exec_xn_disabled_hardfault", EXC_HARDFAULT, T_XN_ADDR, CFSR_IACCVIOL,
                 HFSR_FORCED);

    /* MPU: a 32-byte no-access region over mpu_buf, default map elsewhere
     * for privileged code. */
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    uint32_t regions = (MPU_TYPE >> 8) & 0xFFu;
    t_ok("mpu_present", regions >= 8, "MPU_TYPE = 0x%08x", MPU_TYPE);
    if (regions) {
        MPU_RNR = 0;
        MPU_RBAR = (uint32_t)mpu_buf;
        MPU_RASR = (1u << 28) /* XN */ | (0u << 24) /* AP: no access */ | (4u << 1) /* 32 B */ | 1u;
        MPU_CTRL = (1u << 2) /* PRIVDEFENA */ | 1u;
        barrier();
        expect_begin(RESUME_SKIP);
        fault_ldr((uint32_t)mpu_buf + 8);
        uint32_t outside = fault_ldr((uint32_t)mpu_buf + 32);
        MPU_CTRL = 0;
        MPU_RASR = 0;
        barrier();
        expect_fault("mm_mpu_load", EXC_MEMMANAGE, ADDR(fault_ldr), CFSR_DACCVIOL | CFSR_MMARVALID, 0);
        t_eq("mm_mpu_mmfar", flt.mmfar, (uint32_t)mpu_buf + 8);
        t_eq("mm_mpu_outside_ok", outside, 0);
        SCB_MMFAR = 0x0BADF00Du;
        t_eq("mmfar_writable", SCB_MMFAR, 0x0BADF00Du);
    }
}

void test_main(void)
{
    for (unsigned exc = EXC_HARDFAULT; exc <= EXC_USAGEFAULT; exc++)
        t_set_handler(exc, fault_handler);
    clear_status();
    test_undefined();
    test_invstate();
    test_divide();
    test_unaligned();
    test_busfault();
    test_memmanage();
    SCB_SHCSR &= ~(SHCSR_USGFAULTENA | SHCSR_BUSFAULTENA | SHCSR_MEMFAULTENA);
}
