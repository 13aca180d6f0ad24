/* ARMv7-M execution modes and stacks (ARMv7-M ARM B1.4.4, B1.5.6-B1.5.8,
 * B5.2.2-B5.2.3): MSP/PSP selection with CONTROL.SPSEL, exceptions taken from
 * thread mode on the PSP (EXC_RETURN 0xFFFFFFFD), CONTROL in and after a
 * handler, and unprivileged thread mode (CONTROL.nPRIV): MRS of privileged
 * registers reads 0, MSR and CPS are ignored, an access to the System Control
 * Space is a BusFault, SVC is the way back. The unprivileged task is started
 * the way Tock starts a process: an SVC whose handler returns with
 * EXC_RETURN 0xFFFFFFFD onto a frame prepared on the process stack. */
#include "rt.h"

#define IRQ_A 20u

static uint32_t psp_stack[512] __attribute__((aligned(8)));
#define PSP_TOP ((uint32_t)&psp_stack[T_ARRAY_LEN(psp_stack)])

/* What the SVC handler saw on its last run. */
static volatile struct {
    uint32_t count, imm, exc_return, control, frame, psp, msp, xpsr, ipsr;
} sv;

#define SVC_TO_TASK   0xF0u
#define SVC_TO_KERNEL 0xF1u

/* The SVC handler doubles as the kernel's context switch: SVC_TO_TASK drops
 * privilege and returns to the frame on the PSP, SVC_TO_KERNEL restores
 * privilege and returns to the frame on the MSP (where the first SVC left
 * the kernel's own frame). Any other SVC just records what it saw. */
static void svc_handler(struct t_exc *e)
{
    sv.count++;
    sv.imm = *(const volatile uint16_t *)(e->frame[FR_PC] - 2u) & 0xFFu;
    sv.exc_return = e->exc_return;
    sv.control = get_control();
    sv.frame = (uint32_t)e->frame;
    sv.psp = e->psp;
    sv.msp = e->msp;
    sv.xpsr = e->frame[FR_XPSR];
    sv.ipsr = get_ipsr();
    if (sv.imm == SVC_TO_TASK) {
        set_control(1);                       /* nPRIV; SPSEL comes from EXC_RETURN */
        e->exc_return = EXC_RETURN_THREAD_PSP;
    } else if (sv.imm == SVC_TO_KERNEL) {
        set_control(0);
        e->exc_return = EXC_RETURN_THREAD_MSP;
    }
}

/* ----------------------------------------------------- SPSEL in thread mode -- */

/* spsel_probe(out): out[0] MSP before, out[1] SP after CONTROL = 2,
 * out[2] PSP, out[3] MSP while on PSP, out[4] CONTROL, out[5] PSP after a
 * push, out[6] SP just before the SVC, out[7] SP after it, out[8] CONTROL
 * after it, out[9] SP after CONTROL = 0. The PSP must be set by the caller. */
void spsel_probe(uint32_t *out);
__asm__(
    "   .section .text.spsel_probe, \"ax\", %progbits\n"
    "   .global spsel_probe\n"
    "   .type spsel_probe, %function\n"
    "   .thumb_func\n"
    "spsel_probe:\n"
    "   push    {r4-r7}\n"
    "   mov     r4, r0\n"
    "   mrs     r1, msp\n"
    "   str     r1, [r4, #0]\n"
    "   movs    r1, #2\n"
    "   msr     control, r1\n"
    "   isb\n"
    "   mov     r2, sp\n"
    "   str     r2, [r4, #4]\n"
    "   mrs     r3, psp\n"
    "   str     r3, [r4, #8]\n"
    "   mrs     r3, msp\n"
    "   str     r3, [r4, #12]\n"
    "   mrs     r3, control\n"
    "   str     r3, [r4, #16]\n"
    "   push    {r1}\n"
    "   mrs     r3, psp\n"
    "   str     r3, [r4, #20]\n"
    "   pop     {r1}\n"
    "   mov     r2, sp\n"
    "   str     r2, [r4, #24]\n"
    "   svc     #0x21\n"
    "   mov     r2, sp\n"
    "   str     r2, [r4, #28]\n"
    "   mrs     r3, control\n"
    "   str     r3, [r4, #32]\n"
    "   movs    r1, #0\n"
    "   msr     control, r1\n"
    "   isb\n"
    "   mov     r2, sp\n"
    "   str     r2, [r4, #36]\n"
    "   pop     {r4-r7}\n"
    "   bx      lr\n");

static void test_spsel(void)
{
    uint32_t out[10];
    set_psp(PSP_TOP);
    sv.count = 0;
    spsel_probe(out);
    t_eq("spsel_sp_is_psp", out[1], PSP_TOP);
    t_eq("spsel_psp", out[2], PSP_TOP);
    t_eq("spsel_msp_unchanged", out[3], out[0]);
    t_eq("spsel_control", out[4], 2);
    t_eq("spsel_push_uses_psp", out[5], PSP_TOP - 4);
    t_eq("spsel_back_to_msp", out[9], out[0]);

    /* The SVC taken from thread mode on the PSP. */
    t_eq("psp_svc_taken", sv.count, 1);
    t_eq("psp_svc_exc_return", sv.exc_return, EXC_RETURN_THREAD_PSP);
    t_eq("psp_svc_frame_on_psp", sv.frame, out[6] - 32u);
    t_eq("psp_svc_psp_at_entry", sv.psp, out[6] - 32u);
    t_eq("psp_svc_msp_untouched", sv.msp, out[0]);
    t_eq("psp_svc_control_in_handler", sv.control, 0);
    t_eq("psp_svc_sp_restored", out[7], out[6]);
    t_eq("psp_svc_control_after", out[8], 2);
}

/* --------------------------------------------------- CONTROL in a handler -- */

static volatile uint32_t h_control_before, h_control_after;

static void spsel_write_in_handler(struct t_exc *e)
{
    h_control_before = get_control();
    set_control(2);               /* SPSEL: ignored in handler mode */
    h_control_after = get_control();
}

static void test_control_in_handler(void)
{
    t_set_handler(EXC_IRQ0 + IRQ_A, spsel_write_in_handler);
    nvic_set_prio(IRQ_A, 0x80);
    nvic_enable(IRQ_A);
    nvic_pend(IRQ_A);
    barrier();
    nvic_disable(IRQ_A);
    t_eq("handler_control", h_control_before, 0);
    t_eq("handler_spsel_write_ignored", h_control_after, 0);
    t_eq("thread_control_after_handler", get_control(), 0);
    t_eq("thread_sp_is_msp", get_sp() == get_msp(), 1);
}

/* ------------------------------------------------------ unprivileged task -- */

uint32_t switch_to_task(uint32_t psp);   /* returns the task's PSP at its last SVC */
void svc_odd_sp(uint32_t *sp);    /* SVC #6 with SP = 4 mod 8: sp[0] before, sp[1] after */
__asm__(
    "   .section .text.switch_to_task, \"ax\", %progbits\n"
    "   .global switch_to_task\n"
    "   .type switch_to_task, %function\n"
    "   .thumb_func\n"
    "switch_to_task:\n"
    "   push    {r4-r12, lr}\n"
    "   msr     psp, r0\n"
    "   isb\n"
    "   svc     #0xF0\n"
    "   mrs     r0, psp\n"
    "   pop     {r4-r12, pc}\n"
    "   .section .text.svc_odd_sp, \"ax\", %progbits\n"
    "   .global svc_odd_sp\n"
    "   .type svc_odd_sp, %function\n"
    "   .thumb_func\n"
    "svc_odd_sp:\n"
    "   push    {r4, lr}\n"
    "   sub     sp, #4\n"
    "   mov     r1, sp\n"
    "   str     r1, [r0]\n"
    "   svc     #6\n"
    "   mov     r1, sp\n"
    "   str     r1, [r0, #4]\n"
    "   add     sp, #4\n"
    "   pop     {r4, pc}\n");

static struct {
    uint32_t arg, control, msp, psp, primask, basepri, faultmask;
    uint32_t control_after_msr, basepri_after_msr, primask_after_cpsid, msp_after_msr;
    uint32_t svc_exc_return, svc_control, svc_frame, svc_psp, svc_ipsr;
    uint32_t odd_sp[2], odd_frame, odd_xpsr;
    uint32_t irq_exc_return, irq_control, irq_frame_is_psp;
    uint32_t ppb_value, done;
} task;

static volatile uint32_t bus_count, bus_cfsr, bus_bfar;
static void busfault_skip(struct t_exc *e)
{
    bus_count++;
    bus_cfsr = SCB_CFSR;
    bus_bfar = SCB_BFAR;
    SCB_CFSR = bus_cfsr;
    e->frame[FR_PC] += t_insn_len(e->frame[FR_PC]);
}

static void irq_from_task(struct t_exc *e)
{
    task.irq_exc_return = e->exc_return;
    task.irq_control = get_control();
    task.irq_frame_is_psp = (uint32_t)e->frame == e->psp;
}

/* Runs unprivileged on the PSP. Records what it sees; never returns. */
static void task_main(uint32_t arg)
{
    task.arg = arg;
    task.control = get_control();
    task.msp = get_msp();
    task.psp = get_psp();
    task.primask = get_primask();
    task.basepri = get_basepri();
    task.faultmask = get_faultmask();

    set_control(0);
    task.control_after_msr = get_control();
    set_basepri(0);
    set_faultmask(1);
    __asm__ volatile("cpsid i" ::: "memory");
    task.primask_after_cpsid = get_primask();
    task.basepri_after_msr = get_basepri();
    set_msp(0x20000100u);
    task.msp_after_msr = get_msp();

    /* A system call from unprivileged thread mode on the PSP. */
    __asm__ volatile("svc #5" ::: "memory");
    task.svc_exc_return = sv.exc_return;
    task.svc_control = sv.control;
    task.svc_frame = sv.frame;
    task.svc_psp = sv.psp;
    task.svc_ipsr = sv.ipsr;

    /* PSP 4 mod 8 at the exception: the frame is aligned, xPSR bit 9 set. */
    svc_odd_sp(task.odd_sp);
    task.odd_frame = sv.frame;
    task.odd_xpsr = sv.xpsr;

    /* NVIC_STIR is writable from unprivileged code when CCR.USERSETMPEND. */
    NVIC_STIR = IRQ_A;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    /* Any other System Control Space access is a BusFault. */
    task.ppb_value = SCB_ICSR;

    task.done = 1;
    for (;;)
        __asm__ volatile("svc %0" :: "i"(SVC_TO_KERNEL) : "memory");
}

static void test_unprivileged(void)
{
    /* Initial frame for the task on its stack, as an exception would leave it. */
    uint32_t *frame = (uint32_t *)(PSP_TOP - 32u);
    for (unsigned i = 0; i < FR_WORDS; i++)
        frame[i] = 0;
    frame[FR_R0] = 0xC0FFEE00u;
    frame[FR_PC] = (uint32_t)task_main & ~1u;
    frame[FR_XPSR] = 1u << 24;

    set_basepri(0xE0);            /* a privileged value the task cannot see */
    SCB_CCR |= 1u << 1;           /* USERSETMPEND */
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    t_set_handler(EXC_BUSFAULT, busfault_skip);
    t_set_handler(EXC_IRQ0 + IRQ_A, irq_from_task);
    nvic_set_prio(IRQ_A, 0x80);
    nvic_enable(IRQ_A);
    uint32_t msp_before = get_msp();

    uint32_t task_psp = switch_to_task((uint32_t)frame);

    nvic_disable(IRQ_A);
    SCB_CCR &= ~(1u << 1);
    uint32_t kernel_basepri = get_basepri();
    set_basepri(0);

    t_eq("task_completed", task.done, 1);
    t_eq("task_arg_from_frame", task.arg, 0xC0FFEE00u);
    t_eq("task_control", task.control, 3);
    t_eq("task_mrs_msp_reads_0", task.msp, 0);
    t_eq("task_mrs_psp_reads_0", task.psp, 0);
    t_eq("task_mrs_basepri_reads_0", task.basepri, 0);
    t_eq("task_mrs_primask_reads_0", task.primask, 0);
    t_eq("task_mrs_faultmask_reads_0", task.faultmask, 0);
    t_eq("task_msr_control_ignored", task.control_after_msr, 3);
    t_eq("task_cpsid_ignored", task.primask_after_cpsid, 0);
    t_eq("task_msr_basepri_ignored", kernel_basepri, 0xE0);
    t_eq("task_msr_faultmask_ignored", get_faultmask(), 0);
    t_eq("task_msr_msp_ignored", get_msp(), msp_before);
    t_eq("task_primask_unchanged", get_primask(), 0);

    t_eq("task_svc_exc_return", task.svc_exc_return, EXC_RETURN_THREAD_PSP);
    t_eq("task_svc_control_in_handler", task.svc_control, 1);
    t_eq("task_svc_ipsr", task.svc_ipsr, EXC_SVCALL);
    t_eq("task_svc_frame_on_psp", task.svc_frame, task.svc_psp);
    t_eq("task_svc_odd_sp", task.odd_sp[0] & 7u, 4);
    t_eq("task_svc_odd_frame", task.odd_frame, (task.odd_sp[0] - 32u) & ~7u);
    t_eq("task_svc_odd_xpsr_bit9", task.odd_xpsr & (1u << 9), 1u << 9);
    t_eq("task_svc_odd_sp_restored", task.odd_sp[1], task.odd_sp[0]);

    t_eq("task_irq_exc_return", task.irq_exc_return, EXC_RETURN_THREAD_PSP);
    t_eq("task_irq_control_in_handler", task.irq_control, 1);
    t_eq("task_irq_frame_on_psp", task.irq_frame_is_psp, 1);

    t_eq("task_ppb_busfault", bus_count, 1);
    t_eq("task_ppb_busfault_cfsr", bus_cfsr, CFSR_PRECISERR | CFSR_BFARVALID);
    t_eq("task_ppb_busfault_bfar", bus_bfar, 0xE000ED04u);

    /* Back in the kernel: privileged, on the MSP, the task's SP saved. */
    t_eq("kernel_control_after_task", get_control(), 0);
    t_eq("kernel_sp_is_msp", get_sp() == get_msp(), 1);
    t_eq("kernel_back_exc_return", sv.exc_return, EXC_RETURN_THREAD_PSP);
    t_eq("kernel_task_psp_saved", task_psp, sv.psp);
    t_eq("kernel_msp_restored", get_msp(), msp_before);

    SCB_SHCSR &= ~SHCSR_BUSFAULTENA;
    t_set_handler(EXC_BUSFAULT, 0);
}

void test_main(void)
{
    t_set_handler(EXC_SVCALL, svc_handler);
    t_eq("reset_control", get_control(), 0);
    test_spsel();
    test_control_in_handler();
    test_unprivileged();
}
