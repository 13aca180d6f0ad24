/* Cortex-M context switch and exception entry (TOCK.md §6). The kernel runs
 * in privileged thread mode on MSP; a process runs unprivileged on PSP. The
 * kernel enters a process with `svc 0xff`; SVC, SysTick, faults and the
 * shared interrupt handler return to the kernel, after that svc, by
 * returning to thread mode on MSP. No PendSV. */
    .syntax unified
    .cpu cortex-m4
    .thumb

/* uint32_t armv7m_switch_to_user(uint32_t psp, uint32_t regs[8]):
 * runs the process until it traps; returns its new PSP; regs = r4-r11. */
    .section .text.armv7m_switch_to_user, "ax", %progbits
    .global armv7m_switch_to_user
    .type armv7m_switch_to_user, %function
    .thumb_func
armv7m_switch_to_user:
    push {r1, r4-r11, lr}           /* 10 words: keeps the stack 8-aligned */
    msr psp, r0
    ldmia r1, {r4-r11}
    svc 0xff
    ldr r1, [sp]
    stmia r1, {r4-r11}
    mrs r0, psp
    add sp, sp, #4
    pop {r4-r11, pc}
    .size armv7m_switch_to_user, . - armv7m_switch_to_user

/* Back to the kernel: privileged, thread mode, MSP. r1 = reason. */
    .section .text.armv7m_exc, "ax", %progbits
    .thumb_func
to_kernel:
    movs r0, #0
    msr control, r0
    isb
    ldr r0, =armv7m_switch_reason
    str r1, [r0]
    mvn lr, #6                      /* EXC_RETURN 0xFFFFFFF9 */
    bx lr

    .global armv7m_svc_handler
    .type armv7m_svc_handler, %function
    .thumb_func
armv7m_svc_handler:
    tst lr, #4
    bne 1f
    /* from the kernel's svc 0xff: enter the process */
    movs r0, #1
    msr control, r0                 /* unprivileged thread mode */
    isb
    mvn lr, #2                      /* EXC_RETURN 0xFFFFFFFD: thread, PSP */
    bx lr
1:  movs r1, #0                     /* ARMV7M_SWITCH_SYSCALL */
    b to_kernel
    .size armv7m_svc_handler, . - armv7m_svc_handler

    .global armv7m_systick_handler
    .type armv7m_systick_handler, %function
    .thumb_func
armv7m_systick_handler:
    tst lr, #4
    beq 1f
    movs r1, #2                     /* ARMV7M_SWITCH_INTERRUPTED */
    b to_kernel
1:  bx lr
    .size armv7m_systick_handler, . - armv7m_systick_handler

/* Every external interrupt: mask it in the NVIC and leave it pending for
 * the kernel's bottom half. */
    .global armv7m_generic_isr
    .type armv7m_generic_isr, %function
    .thumb_func
armv7m_generic_isr:
    mrs r0, ipsr
    subs r0, r0, #16
    lsrs r2, r0, #5
    and r0, r0, #31
    movs r1, #1
    lsls r1, r1, r0
    ldr r3, =0xE000E180             /* ICER */
    str r1, [r3, r2, lsl #2]
    ldr r3, =0xE000E200             /* ISPR */
    str r1, [r3, r2, lsl #2]
    tst lr, #4
    beq 1f
    movs r1, #2                     /* ARMV7M_SWITCH_INTERRUPTED */
    b to_kernel
1:  bx lr
    .size armv7m_generic_isr, . - armv7m_generic_isr

/* HardFault, MemManage, BusFault, UsageFault. */
    .global armv7m_fault_handler
    .type armv7m_fault_handler, %function
    .thumb_func
armv7m_fault_handler:
    tst lr, #4
    beq 1f
    /* If stacking for an svc failed, the SVC is still pending: drop it, or
     * it would be taken in the kernel and look like the kernel's svc 0xff. */
    ldr r2, =0xE000ED24             /* SHCSR */
    ldr r3, [r2]
    bic r3, r3, #(1 << 15)          /* SVCALLPENDED */
    str r3, [r2]
    movs r1, #1                     /* ARMV7M_SWITCH_FAULT */
    b to_kernel
1:  mrs r0, msp                     /* the kernel faulted: its frame is on MSP */
    mov r1, lr
    b armv7m_kernel_fault
    .size armv7m_fault_handler, . - armv7m_fault_handler
    .ltorg
