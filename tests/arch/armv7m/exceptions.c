/* ARMv7-M exception entry and return, NVIC priorities, masking, tail-chaining,
 * NVIC and ICSR registers, VTOR relocation (ARMv7-M ARM B1.5, B3.2, B3.4).
 *
 * External interrupts are raised in software (ISPR, STIR) on IRQs 20-23,
 * which have no enabled source on any of our boards (SWI0-3 on the nRF52840).
 * Priorities are multiples of 0x20, so only the top 3 bits are used (the
 * nRF52840 implements 3 bits, QEMU 8). */
#include "rt.h"

#define IRQ_A 20u
#define IRQ_B 21u
#define IRQ_C 22u
#define IRQ_D 23u

/* ---------------------------------------------------------------- events -- */

/* Ordered record of what the handlers did: one small code per event. */
static volatile uint8_t evlog[32];
static volatile unsigned evlen;
static volatile uint32_t thread_marker;
static volatile unsigned marker_seen_set;   /* handlers that saw thread_marker != 0 */

static void ev(uint8_t code)
{
    if (evlen < T_ARRAY_LEN(evlog))
        evlog[evlen++] = code;
    if (thread_marker)
        marker_seen_set++;
}

static void ev_reset(void)
{
    evlen = 0;
    thread_marker = 0;
    marker_seen_set = 0;
}

/* Compares the event log with `want` (a string of event codes). */
static bool ev_check(const char *name, const char *want)
{
    unsigned n = 0;
    while (want[n])
        n++;
    bool same = evlen == n;
    for (unsigned i = 0; same && i < n; i++)
        same = evlog[i] == (uint8_t)want[i];
    if (!same) {
        char got[T_ARRAY_LEN(evlog) + 1];
        unsigned i;
        for (i = 0; i < evlen && i < T_ARRAY_LEN(evlog); i++)
            got[i] = (char)evlog[i];
        got[i] = '\0';
        return t_ok(name, false, "event order \"%s\", want \"%s\"", got, want);
    }
    return t_ok(name, true, "");
}

static void irq_setup(unsigned irq, uint8_t prio)
{
    nvic_disable(irq);
    nvic_unpend(irq);
    nvic_set_prio(irq, prio);
    nvic_enable(irq);
    barrier();
}

static void irq_teardown(void)
{
    static const unsigned irqs[] = { IRQ_A, IRQ_B, IRQ_C, IRQ_D };
    for (unsigned i = 0; i < T_ARRAY_LEN(irqs); i++) {
        nvic_disable(irqs[i]);
        nvic_unpend(irqs[i]);
        nvic_set_prio(irqs[i], 0);
        t_set_handler(EXC_IRQ0 + irqs[i], 0);
    }
    barrier();
}

/* ------------------------------------------------- stacked frame (SVC) -- */

/* svc_probe(pad): with pad = 4 the SP is 4 mod 8 at the SVC. Loads known
 * values into r0-r3, r12, lr and the flags, executes SVC #0x17, then records
 * r0-r3, r12, lr, APSR and SP after the return in probe_post[], and the SP
 * before the SVC in probe_sp_before. */
void svc_probe(uint32_t pad);
void irq_probe(volatile uint32_t *ispr, uint32_t bit);
extern char svc_probe_ret[], irq_probe_after_str[], irq_probe_after_isb[];
uint32_t probe_sp_before, probe_post[8];

#define MAGIC_R0  0x10101010u
#define MAGIC_R1  0x21212121u
#define MAGIC_R2  0x32323232u
#define MAGIC_R3  0x43434343u
#define MAGIC_R12 0xC1C1C1C1u
#define MAGIC_LR  0x5A5A5A5Bu

__asm__(
    "   .section .text.svc_probe, \"ax\", %progbits\n"
    "   .global svc_probe\n"
    "   .type svc_probe, %function\n"
    "   .thumb_func\n"
    "svc_probe:\n"
    "   push    {r4-r7, lr}\n"
    "   sub     sp, #4\n"
    "   mov     r7, r0\n"
    "   cbz     r0, 1f\n"
    "   sub     sp, #4\n"
    "1: ldr     r4, =probe_sp_before\n"
    "   mov     r5, sp\n"
    "   str     r5, [r4]\n"
    "   ldr     r4, =0xA0000000\n"           /* N and C set */
    "   msr     APSR_nzcvq, r4\n"
    "   ldr     r0, =0x10101010\n"
    "   ldr     r1, =0x21212121\n"
    "   ldr     r2, =0x32323232\n"
    "   ldr     r3, =0x43434343\n"
    "   ldr     r4, =0xC1C1C1C1\n"
    "   mov     r12, r4\n"
    "   ldr     r4, =0x5A5A5A5B\n"
    "   mov     lr, r4\n"
    "   svc     #0x17\n"
    "   .global svc_probe_ret\n"
    "svc_probe_ret:\n"
    "   mrs     r6, apsr\n"
    "   ldr     r4, =probe_post\n"
    "   stm     r4!, {r0-r3}\n"
    "   mov     r5, r12\n"
    "   str     r5, [r4], #4\n"
    "   mov     r5, lr\n"
    "   str     r5, [r4], #4\n"
    "   str     r6, [r4], #4\n"
    "   mov     r5, sp\n"
    "   str     r5, [r4], #4\n"
    "   cbz     r7, 2f\n"
    "   add     sp, #4\n"
    "2: add     sp, #4\n"
    "   pop     {r4-r7, pc}\n"
    "   .ltorg\n"
    "   .size svc_probe, . - svc_probe\n"

    /* irq_probe(ispr, bit): as svc_probe, but the exception is an interrupt
     * made pending by a store to ISPR. */
    "   .section .text.irq_probe, \"ax\", %progbits\n"
    "   .global irq_probe\n"
    "   .type irq_probe, %function\n"
    "   .thumb_func\n"
    "irq_probe:\n"
    "   push    {r4-r7, lr}\n"
    "   sub     sp, #4\n"
    "   mov     r6, r0\n"
    "   mov     r7, r1\n"
    "   ldr     r4, =probe_sp_before\n"
    "   mov     r5, sp\n"
    "   str     r5, [r4]\n"
    "   ldr     r4, =0x50000000\n"           /* Z and V set */
    "   msr     APSR_nzcvq, r4\n"
    "   ldr     r0, =0x10101010\n"
    "   ldr     r1, =0x21212121\n"
    "   ldr     r2, =0x32323232\n"
    "   ldr     r3, =0x43434343\n"
    "   ldr     r4, =0xC1C1C1C1\n"
    "   mov     r12, r4\n"
    "   ldr     r4, =0x5A5A5A5B\n"
    "   mov     lr, r4\n"
    "   str     r7, [r6]\n"
    "   .global irq_probe_after_str\n"
    "irq_probe_after_str:\n"
    "   dsb\n"
    "   isb\n"
    "   .global irq_probe_after_isb\n"
    "irq_probe_after_isb:\n"
    "   mrs     r6, apsr\n"
    "   ldr     r4, =probe_post\n"
    "   stm     r4!, {r0-r3}\n"
    "   mov     r5, r12\n"
    "   str     r5, [r4], #4\n"
    "   mov     r5, lr\n"
    "   str     r5, [r4], #4\n"
    "   str     r6, [r4], #4\n"
    "   mov     r5, sp\n"
    "   str     r5, [r4], #4\n"
    "   add     sp, #4\n"
    "   pop     {r4-r7, pc}\n"
    "   .ltorg\n"
    "   .size irq_probe, . - irq_probe\n");

/* What the handler saw. */
static struct {
    uint32_t frame[FR_WORDS];
    uint32_t frame_addr, exc_return, ipsr, icsr, control, runs;
} seen;

static void record_handler(struct t_exc *e)
{
    for (unsigned i = 0; i < FR_WORDS; i++)
        seen.frame[i] = e->frame[i];
    seen.frame_addr = (uint32_t)e->frame;
    seen.exc_return = e->exc_return;
    seen.ipsr = get_ipsr();
    seen.icsr = SCB_ICSR;
    seen.control = get_control();
    seen.runs++;
}

static void check_regs(const char *prefix, const uint32_t *regs)
{
    static const uint32_t want[6] = { MAGIC_R0, MAGIC_R1, MAGIC_R2, MAGIC_R3, MAGIC_R12, MAGIC_LR };
    unsigned bad = 6;
    for (unsigned i = 0; i < 6; i++)
        if (regs[i] != want[i]) {
            bad = i;
            break;
        }
    static const char *const names[6] = { "r0", "r1", "r2", "r3", "r12", "lr" };
    if (bad == 6)
        t_ok(prefix, true, "");
    else
        t_ok(prefix, false, "%s = 0x%08x, want 0x%08x", names[bad], regs[bad], want[bad]);
}

static void test_svc_frame(uint32_t pad)
{
    const bool odd = pad != 0;
    seen.runs = 0;
    t_set_handler(EXC_SVCALL, record_handler);
    svc_probe(pad);
    t_set_handler(EXC_SVCALL, 0);

    t_eq(odd ? "svc4_taken" : "svc8_taken", seen.runs, 1);
    check_regs(odd ? "svc4_stacked_regs" : "svc8_stacked_regs", seen.frame);
    t_eq(odd ? "svc4_stacked_pc" : "svc8_stacked_pc", seen.frame[FR_PC], (uint32_t)svc_probe_ret);
    t_eq(odd ? "svc4_stacked_xpsr" : "svc8_stacked_xpsr", seen.frame[FR_XPSR],
         0xA0000000u | (1u << 24) | (odd ? 1u << 9 : 0));
    t_eq(odd ? "svc4_frame_addr" : "svc8_frame_addr", seen.frame_addr,
         (probe_sp_before - 32u) & ~7u);
    t_eq(odd ? "svc4_exc_return" : "svc8_exc_return", seen.exc_return, EXC_RETURN_THREAD_MSP);
    t_eq(odd ? "svc4_ipsr" : "svc8_ipsr", seen.ipsr, EXC_SVCALL);
    check_regs(odd ? "svc4_unstacked_regs" : "svc8_unstacked_regs", probe_post);
    t_eq(odd ? "svc4_unstacked_flags" : "svc8_unstacked_flags", probe_post[6] & 0xF8000000u,
         0xA0000000u);
    t_eq(odd ? "svc4_sp_restored" : "svc8_sp_restored", probe_post[7], probe_sp_before);
}

static void test_irq_frame(void)
{
    seen.runs = 0;
    irq_setup(IRQ_A, 0x80);
    t_set_handler(EXC_IRQ0 + IRQ_A, record_handler);
    irq_probe(&NVIC_ISPR(IRQ_A / 32), 1u << (IRQ_A % 32));
    irq_teardown();

    t_eq("irq_taken", seen.runs, 1);
    check_regs("irq_stacked_regs", seen.frame);
    t_ok("irq_stacked_pc",
         seen.frame[FR_PC] >= (uint32_t)irq_probe_after_str &&
             seen.frame[FR_PC] <= (uint32_t)irq_probe_after_isb,
         "0x%08x, want 0x%08x..0x%08x (between the ISPR store and the ISB)",
         seen.frame[FR_PC], (uint32_t)irq_probe_after_str, (uint32_t)irq_probe_after_isb);
    t_eq("irq_stacked_xpsr", seen.frame[FR_XPSR], 0x50000000u | (1u << 24));
    t_eq("irq_frame_addr", seen.frame_addr, probe_sp_before - 32u);
    t_eq("irq_exc_return", seen.exc_return, EXC_RETURN_THREAD_MSP);
    t_eq("irq_ipsr", seen.ipsr, EXC_IRQ0 + IRQ_A);
    t_eq("irq_icsr_vectactive", ICSR_VECTACTIVE(seen.icsr), EXC_IRQ0 + IRQ_A);
    t_ok("irq_icsr_rettobase", seen.icsr & ICSR_RETTOBASE, "ICSR = 0x%08x", seen.icsr);
    check_regs("irq_unstacked_regs", probe_post);
    t_eq("irq_unstacked_flags", probe_post[6] & 0xF8000000u, 0x50000000u);
    t_eq("irq_sp_restored", probe_post[7], probe_sp_before);
    t_eq("thread_ipsr", get_ipsr(), 0);
    t_eq("thread_icsr_vectactive", ICSR_VECTACTIVE(SCB_ICSR), 0);
}

/* ------------------------------------------------------ nesting by priority -- */

static volatile uint32_t nest_exc_return, nest_icsr, nest_iabr, nest_ipsr;
static volatile unsigned nest_pend;   /* IRQ the A handler pends */

static void nest_a(struct t_exc *e)
{
    ev('a');
    nvic_pend(nest_pend);
    barrier();
    ev('A');
}

static void nest_other(struct t_exc *e)
{
    nest_exc_return = e->exc_return;
    nest_icsr = SCB_ICSR;
    nest_iabr = NVIC_IABR(0);
    nest_ipsr = get_ipsr();
    ev((uint8_t)('0' + (e->num - EXC_IRQ0 - IRQ_A)));
}

static void run_nest(unsigned other, uint8_t prio_a, uint8_t prio_other)
{
    ev_reset();
    irq_setup(IRQ_A, prio_a);
    irq_setup(other, prio_other);
    t_set_handler(EXC_IRQ0 + IRQ_A, nest_a);
    t_set_handler(EXC_IRQ0 + other, nest_other);
    nest_pend = other;
    nvic_pend(IRQ_A);
    barrier();
    thread_marker = 1;
    irq_teardown();
}

static void test_nesting(void)
{
    /* Higher priority (lower value) preempts: B runs inside A. */
    run_nest(IRQ_B, 0x80, 0x40);
    ev_check("nest_higher_preempts", "a1A");
    t_eq("nest_exc_return_handler", nest_exc_return, EXC_RETURN_HANDLER);
    t_eq("nest_ipsr", nest_ipsr, EXC_IRQ0 + IRQ_B);
    t_eq("nest_iabr_both_active", nest_iabr & ((1u << IRQ_A) | (1u << IRQ_B)),
         (1u << IRQ_A) | (1u << IRQ_B));
    t_eq("nest_icsr_rettobase_0", nest_icsr & ICSR_RETTOBASE, 0);
    t_eq("nest_icsr_vectactive", ICSR_VECTACTIVE(nest_icsr), EXC_IRQ0 + IRQ_B);

    /* Equal priority does not preempt: C runs after A returns. */
    run_nest(IRQ_C, 0x80, 0x80);
    ev_check("nest_equal_waits", "aA2");
    t_eq("nest_equal_exc_return", nest_exc_return, EXC_RETURN_THREAD_MSP);
    t_ok("nest_equal_icsr_rettobase_1", nest_icsr & ICSR_RETTOBASE, "ICSR = 0x%08x", nest_icsr);
    t_eq("nest_equal_before_thread", marker_seen_set, 0);

    /* Lower priority waits too. */
    run_nest(IRQ_D, 0x80, 0xC0);
    ev_check("nest_lower_waits", "aA3");
    t_eq("nest_lower_before_thread", marker_seen_set, 0);
}

/* ------------------------------------------------------- priority grouping -- */

static void test_prigroup(void)
{
    uint32_t saved = SCB_AIRCR;
    SCB_AIRCR = AIRCR_VECTKEY | AIRCR_PRIGROUP(5);   /* group = bits [7:6] */
    barrier();
    t_eq("prigroup_readback", (SCB_AIRCR >> 8) & 7u, 5);

    /* 0x60 and 0x40 share group priority 0x40: no preemption. */
    run_nest(IRQ_B, 0x60, 0x40);
    ev_check("prigroup_subprio_no_preempt", "aA1");

    /* 0x20 is in group 0x00: preempts 0x60. */
    run_nest(IRQ_B, 0x60, 0x20);
    ev_check("prigroup_group_preempts", "a1A");

    /* Both pending, same group: the lower subpriority goes first even with
     * the higher IRQ number. */
    ev_reset();
    set_primask(1);
    irq_setup(IRQ_A, 0x60);
    irq_setup(IRQ_B, 0x40);
    t_set_handler(EXC_IRQ0 + IRQ_A, nest_other);
    t_set_handler(EXC_IRQ0 + IRQ_B, nest_other);
    nvic_pend(IRQ_A);
    nvic_pend(IRQ_B);
    barrier();
    set_primask(0);
    thread_marker = 1;
    irq_teardown();
    ev_check("prigroup_subprio_orders_pending", "10");

    SCB_AIRCR = AIRCR_VECTKEY | (saved & AIRCR_PRIGROUP(7));
    barrier();
}

/* ------------------------------------------------------------------ masking -- */

static volatile unsigned count_a, count_b;
static volatile uint32_t h_faultmask_after;

static void count_handler(struct t_exc *e)
{
    if (e->num == EXC_IRQ0 + IRQ_A)
        count_a++;
    else
        count_b++;
}

static void set_faultmask_handler(struct t_exc *e)
{
    count_a++;
    set_faultmask(1);
    h_faultmask_after = get_faultmask();
}

static volatile unsigned nmi_count;
static void nmi_handler(struct t_exc *e)
{
    nmi_count++;
}

static void test_masking(void)
{
    count_a = count_b = 0;
    irq_setup(IRQ_A, 0x80);
    irq_setup(IRQ_B, 0x40);
    t_set_handler(EXC_IRQ0 + IRQ_A, count_handler);
    t_set_handler(EXC_IRQ0 + IRQ_B, count_handler);

    /* PRIMASK */
    set_primask(1);
    t_eq("primask_reads_1", get_primask(), 1);
    nvic_pend(IRQ_A);
    barrier();
    t_eq("primask_blocks", count_a, 0);
    uint32_t icsr = SCB_ICSR;
    t_eq("primask_vectpending", ICSR_VECTPENDING(icsr), EXC_IRQ0 + IRQ_A);
    t_ok("primask_isrpending", icsr & ICSR_ISRPENDING, "ICSR = 0x%08x", icsr);
    set_primask(0);
    t_eq("primask_release", count_a, 1);
    t_eq("vectpending_none", ICSR_VECTPENDING(SCB_ICSR), 0);

    /* BASEPRI masks priorities >= its value only. */
    count_a = count_b = 0;
    set_basepri(0x80);
    t_eq("basepri_readback", get_basepri(), 0x80);
    nvic_pend(IRQ_A);
    nvic_pend(IRQ_B);
    barrier();
    t_eq("basepri_blocks_equal", count_a, 0);
    t_eq("basepri_passes_higher", count_b, 1);
    set_basepri_max(0xC0);
    t_eq("basepri_max_ignores_lower", get_basepri(), 0x80);
    set_basepri_max(0x60);
    t_eq("basepri_max_raises", get_basepri(), 0x60);
    set_basepri_max(0);
    t_eq("basepri_max_ignores_zero", get_basepri(), 0x60);
    set_basepri(0);
    t_eq("basepri_release", count_a, 1);

    /* FAULTMASK masks everything but NMI, even priority 0. */
    count_a = 0;
    nvic_set_prio(IRQ_A, 0x00);
    set_faultmask(1);
    t_eq("faultmask_reads_1", get_faultmask(), 1);
    nvic_pend(IRQ_A);
    barrier();
    t_eq("faultmask_blocks_prio0", count_a, 0);
    nmi_count = 0;
    t_set_handler(EXC_NMI, nmi_handler);
    SCB_ICSR = ICSR_NMIPENDSET;
    barrier();
    t_eq("faultmask_passes_nmi", nmi_count, 1);
    t_eq("faultmask_kept_after_nmi", get_faultmask(), 1);
    set_faultmask(0);
    t_eq("faultmask_release", count_a, 1);

    /* PRIMASK does not mask NMI either. */
    set_primask(1);
    SCB_ICSR = ICSR_NMIPENDSET;
    barrier();
    t_eq("primask_passes_nmi", nmi_count, 2);
    set_primask(0);
    t_set_handler(EXC_NMI, 0);

    /* Exception return (but from NMI) clears FAULTMASK. */
    count_a = 0;
    t_set_handler(EXC_IRQ0 + IRQ_A, set_faultmask_handler);
    nvic_pend(IRQ_A);
    barrier();
    t_eq("faultmask_set_in_handler", h_faultmask_after, 1);
    t_eq("faultmask_cleared_by_return", get_faultmask(), 0);
    irq_teardown();
}

/* ------------------------------------------------ tail-chaining and order -- */

static volatile uint32_t first_icsr, first_exc_return, tail_bad_exc_return;

static void tail_handler(struct t_exc *e)
{
    if (evlen == 0) {
        first_icsr = SCB_ICSR;
        first_exc_return = e->exc_return;
    }
    if (e->exc_return != EXC_RETURN_THREAD_MSP)
        tail_bad_exc_return = e->exc_return;
    ev((uint8_t)('0' + (e->num - EXC_IRQ0 - IRQ_A)));
}

static void test_tail_chain(void)
{
    ev_reset();
    tail_bad_exc_return = 0;
    set_primask(1);
    irq_setup(IRQ_A, 0x80);
    irq_setup(IRQ_B, 0x40);
    irq_setup(IRQ_C, 0x80);
    irq_setup(IRQ_D, 0x40);
    for (unsigned irq = IRQ_A; irq <= IRQ_D; irq++) {
        t_set_handler(EXC_IRQ0 + irq, tail_handler);
        nvic_pend(irq);
    }
    barrier();
    set_primask(0);
    thread_marker = 1;
    irq_teardown();

    /* Priority first (B, D at 0x40), then the lower number. */
    ev_check("tail_order", "1302");
    t_eq("tail_all_before_thread", marker_seen_set, 0);
    t_eq("tail_first_vectpending", ICSR_VECTPENDING(first_icsr), EXC_IRQ0 + IRQ_D);
    t_eq("tail_exc_return_thread", tail_bad_exc_return, 0);
}

/* Late set-pending: a handler pends itself, or a lower-priority IRQ. */
static volatile uint32_t self_pending_seen, self_active_seen;

static void self_pend_handler(struct t_exc *e)
{
    ev('s');
    if (evlen == 1) {
        nvic_pend(IRQ_A);
        barrier();
        self_pending_seen = nvic_is_pending(IRQ_A);
        self_active_seen = nvic_is_active(IRQ_A);
        ev('S');
    }
}

static void test_late_pend(void)
{
    ev_reset();
    irq_setup(IRQ_A, 0x80);
    t_set_handler(EXC_IRQ0 + IRQ_A, self_pend_handler);
    nvic_pend(IRQ_A);
    barrier();
    thread_marker = 1;
    irq_teardown();
    ev_check("late_pend_self_reruns", "sSs");
    t_eq("late_pend_self_pending", self_pending_seen, 1);
    t_eq("late_pend_self_active", self_active_seen, 1);
    t_eq("late_pend_before_thread", marker_seen_set, 0);
}

/* ----------------------------------------------------------- NVIC registers -- */

static volatile uint32_t in_handler_iabr, in_handler_ispr;

static void nvic_reg_handler(struct t_exc *e)
{
    in_handler_iabr = NVIC_IABR(0);
    in_handler_ispr = NVIC_ISPR(0);
    count_a++;
}

static void test_nvic_regs(void)
{
    const uint32_t bit = 1u << IRQ_A;
    nvic_disable(IRQ_A);
    nvic_unpend(IRQ_A);
    barrier();
    t_eq("nvic_iser_clear", NVIC_ISER(0) & bit, 0);
    NVIC_ISER(0) = bit;
    t_eq("nvic_iser_set", NVIC_ISER(0) & bit, bit);
    t_eq("nvic_icer_reads_enable", NVIC_ICER(0) & bit, bit);
    NVIC_ICER(0) = bit;
    t_eq("nvic_icer_clears", NVIC_ISER(0) & bit, 0);

    count_a = 0;
    t_set_handler(EXC_IRQ0 + IRQ_A, nvic_reg_handler);
    nvic_set_prio(IRQ_A, 0x80);
    NVIC_ISPR(0) = bit;
    barrier();
    t_eq("nvic_ispr_disabled_stays_pending", NVIC_ISPR(0) & bit, bit);
    t_eq("nvic_icpr_reads_pending", NVIC_ICPR(0) & bit, bit);
    t_eq("nvic_disabled_not_taken", count_a, 0);
    NVIC_ICPR(0) = bit;
    barrier();
    t_eq("nvic_icpr_clears", NVIC_ISPR(0) & bit, 0);
    NVIC_ISER(0) = bit;
    barrier();
    t_eq("nvic_enable_after_clear_not_taken", count_a, 0);

    NVIC_ISPR(0) = bit;
    barrier();
    t_eq("nvic_pending_enabled_taken", count_a, 1);
    t_eq("nvic_iabr_in_handler", in_handler_iabr & bit, bit);
    t_eq("nvic_ispr_cleared_on_entry", in_handler_ispr & bit, 0);
    t_eq("nvic_iabr_after", NVIC_IABR(0) & bit, 0);
    t_eq("nvic_ispr_after", NVIC_ISPR(0) & bit, 0);

    /* Pending while disabled, taken as soon as it is enabled. */
    NVIC_ICER(0) = bit;
    NVIC_ISPR(0) = bit;
    barrier();
    t_eq("nvic_pend_disabled", count_a, 1);
    NVIC_ISER(0) = bit;
    barrier();
    t_eq("nvic_enable_takes_pending", count_a, 2);

    /* STIR */
    NVIC_STIR = IRQ_A;
    barrier();
    t_eq("nvic_stir", count_a, 3);

    /* Priority registers: byte and word views of the same bytes. */
    nvic_set_prio(IRQ_A, 0xA0);
    nvic_set_prio(IRQ_B, 0x40);
    t_eq("nvic_ipr_byte", NVIC_IPR8(IRQ_A), 0xA0);
    uint32_t word = REG32(0xE000E400u + (IRQ_A & ~3u));
    t_eq("nvic_ipr_word", (word >> (8 * (IRQ_A & 3u))) & 0xFFu, 0xA0);
    t_eq("nvic_ipr_word_next", (word >> (8 * (IRQ_B & 3u))) & 0xFFu, 0x40);
    nvic_set_prio(IRQ_C, 0xFF);
    t_info("priority bits implemented: 0xFF reads back as 0x%02x; ICTR = 0x%x",
           NVIC_IPR8(IRQ_C), ICTR);
    irq_teardown();
}

/* ------------------------------------------------------------------- VTOR -- */

static uint32_t ram_vectors[128] __attribute__((aligned(512)));
volatile uint32_t cnt_bx_lr, cnt_pop_pc, cnt_ldr_pc, cnt_bx_r3;
void h_bx_lr(void), h_pop_pc(void), h_ldr_pc(void), h_bx_r3(void);

/* Handlers ending in four different exception-return instructions. */
__asm__(
    "   .section .text.excret_handlers, \"ax\", %progbits\n"
    "   .thumb_func\n"
    "   .global h_bx_lr\n"
    "h_bx_lr:\n"
    "   ldr     r0, =cnt_bx_lr\n"
    "   ldr     r1, [r0]\n"
    "   adds    r1, #1\n"
    "   str     r1, [r0]\n"
    "   bx      lr\n"
    "   .thumb_func\n"
    "   .global h_pop_pc\n"
    "h_pop_pc:\n"
    "   push    {r4, lr}\n"
    "   ldr     r0, =cnt_pop_pc\n"
    "   ldr     r1, [r0]\n"
    "   adds    r1, #1\n"
    "   str     r1, [r0]\n"
    "   pop     {r4, pc}\n"
    "   .thumb_func\n"
    "   .global h_ldr_pc\n"
    "h_ldr_pc:\n"
    "   str     lr, [sp, #-8]!\n"
    "   ldr     r0, =cnt_ldr_pc\n"
    "   ldr     r1, [r0]\n"
    "   adds    r1, #1\n"
    "   str     r1, [r0]\n"
    "   ldr     pc, [sp], #8\n"
    "   .thumb_func\n"
    "   .global h_bx_r3\n"
    "h_bx_r3:\n"
    "   ldr     r0, =cnt_bx_r3\n"
    "   ldr     r1, [r0]\n"
    "   adds    r1, #1\n"
    "   str     r1, [r0]\n"
    "   mov     r3, lr\n"
    "   bx      r3\n"
    "   .ltorg\n");

static void rom_handler_should_not_run(struct t_exc *e)
{
    count_b++;
}

static void test_vtor(void)
{
    uint32_t old = SCB_VTOR;
    t_eq("vtor_reset_value", old, (uint32_t)t_rom_vectors);
    for (unsigned i = 0; i < T_NUM_VECTORS; i++)
        ram_vectors[i] = (uint32_t)t_rom_vectors[i];
    static const unsigned irqs[4] = { IRQ_A, IRQ_B, IRQ_C, IRQ_D };
    void (*const fns[4])(void) = { h_bx_lr, h_pop_pc, h_ldr_pc, h_bx_r3 };
    for (unsigned i = 0; i < 4; i++) {
        ram_vectors[EXC_IRQ0 + irqs[i]] = (uint32_t)fns[i];
        irq_setup(irqs[i], 0x80);
        t_set_handler(EXC_IRQ0 + irqs[i], rom_handler_should_not_run);
    }
    count_b = 0;
    barrier();
    SCB_VTOR = (uint32_t)ram_vectors;
    barrier();
    t_eq("vtor_readback", SCB_VTOR, (uint32_t)ram_vectors);
    for (unsigned i = 0; i < 4; i++) {
        nvic_pend(irqs[i]);
        barrier();
    }
    SCB_VTOR = old;
    barrier();
    irq_teardown();
    t_eq("vtor_rom_handler_unused", count_b, 0);
    t_eq("excret_bx_lr", cnt_bx_lr, 1);
    t_eq("excret_pop_pc", cnt_pop_pc, 1);
    t_eq("excret_ldr_pc", cnt_ldr_pc, 1);
    t_eq("excret_bx_r3", cnt_bx_r3, 1);
}

void test_main(void)
{
    t_info("exceptions on " BOARD_NAME ": CPUID 0x%08x", SCB_CPUID);
    SCB_CCR |= CCR_STKALIGN;
    t_ok("ccr_stkalign", SCB_CCR & CCR_STKALIGN, "CCR = 0x%08x", SCB_CCR);
    test_svc_frame(0);
    test_svc_frame(4);
    test_irq_frame();
    test_nesting();
    test_prigroup();
    test_masking();
    test_tail_chain();
    test_late_pend();
    test_nvic_regs();
    test_vtor();
}
