/* ARMv7-M SVCall and PendSV (ARMv7-M ARM B1.5.2, B1.5.4, B3.2.4): the SVC
 * immediate read back through the stacked PC, arguments and results through
 * the stacked registers, PendSV through ICSR.PENDSVSET running last, and an
 * SVC that cannot be taken (masked, or from a handler of equal or higher
 * priority) escalating to HardFault with HFSR.FORCED. */
#include "rt.h"

#define IRQ_A 20u
#define IRQ_B 21u

static volatile uint8_t evlog[16];
static volatile unsigned evlen;

static void ev(uint8_t code)
{
    if (evlen < T_ARRAY_LEN(evlog))
        evlog[evlen++] = code;
}

static bool ev_check(const char *name, const char *want)
{
    char got[T_ARRAY_LEN(evlog) + 1];
    unsigned i;
    for (i = 0; i < evlen; i++)
        got[i] = (char)evlog[i];
    got[i] = '\0';
    bool same = true;
    for (i = 0; same && (want[i] || got[i]); i++)
        same = want[i] == got[i];
    return t_ok(name, same, "event order \"%s\", want \"%s\"", got, want);
}

static void irq_setup(unsigned irq, uint8_t prio)
{
    nvic_disable(irq);
    nvic_unpend(irq);
    nvic_set_prio(irq, prio);
    nvic_enable(irq);
    barrier();
}

/* ------------------------------------------------------------ SVC number -- */

void svc_from_irq(struct t_exc *e);

static volatile uint32_t svc_icsr, svc_shcsr, svc_exc_return, svc_count;

/* Result in r0: (immediate << 24) | (r0 + r1 + r2 + r3) & 0xFFFFFF. */
static void svc_handler(struct t_exc *e)
{
    uint32_t pc = e->frame[FR_PC];
    uint32_t imm = *(const volatile uint16_t *)(pc - 2u) & 0xFFu;
    uint32_t sum = e->frame[FR_R0] + e->frame[FR_R1] + e->frame[FR_R2] + e->frame[FR_R3];
    e->frame[FR_R0] = (imm << 24) | (sum & 0xFFFFFFu);
    svc_icsr = SCB_ICSR;
    svc_shcsr = SCB_SHCSR;
    svc_exc_return = e->exc_return;
    svc_count++;
}

#define SVC4(imm, a, b, c, d) ({ \
    register uint32_t r0_ __asm__("r0") = (a); \
    register uint32_t r1_ __asm__("r1") = (b); \
    register uint32_t r2_ __asm__("r2") = (c); \
    register uint32_t r3_ __asm__("r3") = (d); \
    __asm__ volatile("svc %[n]" : "+r"(r0_) : [n] "i"(imm), "r"(r1_), "r"(r2_), "r"(r3_) : "memory"); \
    r0_; })

static void test_svc_number(void)
{
    t_set_handler(EXC_SVCALL, svc_handler);
    svc_count = 0;
    t_eq("svc_imm_0", SVC4(0, 1, 2, 3, 4), 0x0000000Au);
    t_eq("svc_imm_1", SVC4(1, 0x100, 0x20, 0x3, 0), 0x01000123u);
    t_eq("svc_imm_42", SVC4(0x42, 0x111111, 0x222222, 0x333333, 0x444444), 0x42AAAAAAu);
    t_eq("svc_imm_255", SVC4(255, 0xFFFFFF, 1, 0, 0), 0xFF000000u);
    t_eq("svc_count", svc_count, 4);
    t_eq("svc_icsr_vectactive", ICSR_VECTACTIVE(svc_icsr), EXC_SVCALL);
    t_ok("svc_shcsr_svcallact", svc_shcsr & SHCSR_SVCALLACT, "SHCSR = 0x%08x", svc_shcsr);
    t_eq("svc_shcsr_after", SCB_SHCSR & SHCSR_SVCALLACT, 0);
    t_eq("svc_exc_return", svc_exc_return, EXC_RETURN_THREAD_MSP);

    /* From a handler of lower priority, SVC preempts it (nested). */
    set_sys_prio(EXC_SVCALL, 0x40);
    t_eq("svc_shpr2", SCB_SHPR2 >> 24, 0x40);
    irq_setup(IRQ_A, 0x80);
    t_set_handler(EXC_IRQ0 + IRQ_A, svc_from_irq);
    nvic_pend(IRQ_A);
    barrier();
    nvic_disable(IRQ_A);
    t_eq("svc_nested_in_irq", svc_count, 5);
    t_eq("svc_nested_exc_return", svc_exc_return, EXC_RETURN_HANDLER);
    set_sys_prio(EXC_SVCALL, 0);
}

void svc_from_irq(struct t_exc *e)
{
    (void)SVC4(7, 0, 0, 0, 0);
}

/* ------------------------------------------------------------------ PendSV -- */

static volatile uint32_t pendsv_exc_return, pendsv_shcsr, pendsv_ipsr;
static volatile unsigned pendsv_repend;

static void pendsv_handler(struct t_exc *e)
{
    pendsv_exc_return = e->exc_return;
    pendsv_shcsr = SCB_SHCSR;
    pendsv_ipsr = get_ipsr();
    ev('P');
    if (pendsv_repend) {
        pendsv_repend--;
        SCB_ICSR = ICSR_PENDSVSET;
        barrier();
        ev('p');
    }
}

static void irq_a_pends_both(struct t_exc *e)
{
    ev('a');
    SCB_ICSR = ICSR_PENDSVSET;
    nvic_pend(IRQ_B);
    barrier();
    ev('A');
}

static void irq_b(struct t_exc *e)
{
    ev('b');
}

static void test_pendsv(void)
{
    set_sys_prio(EXC_PENDSV, 0xE0);
    t_eq("pendsv_shpr3", (SCB_SHPR3 >> 16) & 0xFFu, 0xE0);
    t_set_handler(EXC_PENDSV, pendsv_handler);

    /* Set, read back, clear without running. */
    evlen = 0;
    set_primask(1);
    SCB_ICSR = ICSR_PENDSVSET;
    barrier();
    t_ok("pendsv_set_reads_1", SCB_ICSR & ICSR_PENDSVSET, "ICSR = 0x%08x", SCB_ICSR);
    t_eq("pendsv_vectpending", ICSR_VECTPENDING(SCB_ICSR), EXC_PENDSV);
    SCB_ICSR = ICSR_PENDSVCLR;
    barrier();
    t_eq("pendsv_clr", SCB_ICSR & ICSR_PENDSVSET, 0);
    set_primask(0);
    t_eq("pendsv_clr_not_run", evlen, 0);

    /* Pended from thread: runs at once. */
    SCB_ICSR = ICSR_PENDSVSET;
    barrier();
    ev_check("pendsv_from_thread", "P");
    t_eq("pendsv_exc_return", pendsv_exc_return, EXC_RETURN_THREAD_MSP);
    t_eq("pendsv_ipsr", pendsv_ipsr, EXC_PENDSV);
    t_ok("pendsv_shcsr_act", pendsv_shcsr & SHCSR_PENDSVACT, "SHCSR = 0x%08x", pendsv_shcsr);

    /* Pended from an IRQ together with another IRQ: PendSV goes last. */
    evlen = 0;
    irq_setup(IRQ_A, 0x40);
    irq_setup(IRQ_B, 0x80);
    t_set_handler(EXC_IRQ0 + IRQ_A, irq_a_pends_both);
    t_set_handler(EXC_IRQ0 + IRQ_B, irq_b);
    nvic_pend(IRQ_A);
    barrier();
    ev_check("pendsv_runs_last", "aAbP");
    t_eq("pendsv_last_exc_return", pendsv_exc_return, EXC_RETURN_THREAD_MSP);

    /* All pending at once behind PRIMASK: priority order, PendSV last. */
    evlen = 0;
    set_primask(1);
    SCB_ICSR = ICSR_PENDSVSET;
    nvic_pend(IRQ_B);
    t_set_handler(EXC_IRQ0 + IRQ_A, irq_b);
    nvic_pend(IRQ_A);
    barrier();
    set_primask(0);
    ev_check("pendsv_after_pending_irqs", "bbP");

    /* PendSV pending itself from its handler runs once more. */
    evlen = 0;
    pendsv_repend = 1;
    SCB_ICSR = ICSR_PENDSVSET;
    barrier();
    ev_check("pendsv_repend_self", "PpP");

    nvic_disable(IRQ_A);
    nvic_disable(IRQ_B);
    t_set_handler(EXC_PENDSV, 0);
    set_sys_prio(EXC_PENDSV, 0);
}

/* -------------------------------------------- SVC escalated to HardFault -- */

static volatile uint32_t hf_count, hf_hfsr, hf_pc, hf_exc_return, hf_ipsr;

static void hardfault_handler(struct t_exc *e)
{
    hf_count++;
    hf_hfsr = SCB_HFSR;
    hf_pc = e->frame[FR_PC];
    hf_exc_return = e->exc_return;
    hf_ipsr = get_ipsr();
    SCB_HFSR = HFSR_FORCED;   /* write one to clear */
}

void svc_escalate_probe(void);
extern char svc_escalate_ret[];
__asm__(
    "   .section .text.svc_escalate_probe, \"ax\", %progbits\n"
    "   .global svc_escalate_probe\n"
    "   .type svc_escalate_probe, %function\n"
    "   .thumb_func\n"
    "svc_escalate_probe:\n"
    "   svc     #0x33\n"
    "   .global svc_escalate_ret\n"
    "svc_escalate_ret:\n"
    "   bx      lr\n");

static void check_escalation(const char *name, uint32_t want_exc_return)
{
    char buf[48];
    const char *suffixes[] = { "_hardfault", "_forced", "_stacked_pc", "_exc_return", "_ipsr",
                               "_hfsr_w1c", "_no_svc" };
    unsigned n = 0;
    while (name[n] && n < 24) {
        buf[n] = name[n];
        n++;
    }
    const uint32_t got[] = { hf_count, hf_hfsr & HFSR_FORCED, hf_pc, hf_exc_return, hf_ipsr,
                             SCB_HFSR & HFSR_FORCED, svc_count };
    const uint32_t want[] = { 1, HFSR_FORCED, (uint32_t)svc_escalate_ret, want_exc_return,
                              EXC_HARDFAULT, 0, 0 };
    for (unsigned i = 0; i < T_ARRAY_LEN(suffixes); i++) {
        unsigned k = n;
        for (const char *s = suffixes[i]; *s; s++)
            buf[k++] = *s;
        buf[k] = '\0';
        t_eq(buf, got[i], want[i]);
    }
}

static void escalate_from_irq(struct t_exc *e)
{
    svc_escalate_probe();
}

static void test_svc_escalation(void)
{
    t_set_handler(EXC_HARDFAULT, hardfault_handler);
    t_set_handler(EXC_SVCALL, svc_handler);
    set_sys_prio(EXC_SVCALL, 0x80);

    /* BASEPRI at or above the SVC priority. */
    hf_count = svc_count = 0;
    set_basepri(0x40);
    svc_escalate_probe();
    set_basepri(0);
    check_escalation("svc_basepri", EXC_RETURN_THREAD_MSP);

    /* PRIMASK. */
    hf_count = svc_count = 0;
    set_primask(1);
    svc_escalate_probe();
    set_primask(0);
    check_escalation("svc_primask", EXC_RETURN_THREAD_MSP);

    /* From a handler of the same priority as SVCall. */
    hf_count = svc_count = 0;
    irq_setup(IRQ_A, 0x80);
    t_set_handler(EXC_IRQ0 + IRQ_A, escalate_from_irq);
    nvic_pend(IRQ_A);
    barrier();
    nvic_disable(IRQ_A);
    check_escalation("svc_in_equal_prio_irq", EXC_RETURN_HANDLER);
    t_eq("svc_not_left_pending", SCB_SHCSR & (1u << 15), 0);

    /* Unmasked again: SVC is taken normally. */
    hf_count = svc_count = 0;
    svc_escalate_probe();
    t_eq("svc_unmasked_taken", svc_count, 1);
    t_eq("svc_unmasked_no_hardfault", hf_count, 0);

    set_sys_prio(EXC_SVCALL, 0);
    t_set_handler(EXC_HARDFAULT, 0);
}

void test_main(void)
{
    test_svc_number();
    test_pendsv();
    test_svc_escalation();
}
