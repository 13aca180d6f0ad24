/* Common entry of every exception for the ARMv7-M tests: hands the C
 * dispatcher (rt.c) a pointer to the saved EXC_RETURN, then performs the
 * exception return by popping it into the PC. */
    .syntax unified
    .thumb

    .section .text.t_isr_common, "ax", %progbits
    .global t_isr_common
    .type t_isr_common, %function
    .thumb_func
t_isr_common:
    push    {r4, lr}            @ 8 bytes: keeps the MSP 8-byte aligned
    mov     r0, sp
    bl      t_dispatch
    pop     {r4, pc}            @ PC <- EXC_RETURN: exception return
    .size t_isr_common, . - t_isr_common
