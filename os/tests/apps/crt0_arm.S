/* Start of a raw test app on Cortex-M (TOCK.md §3.3 start contract):
 * r0 = app start in flash, r1 = memory start, r2 = memory length,
 * r3 = app break. The stack goes at the bottom of RAM, STACK_SIZE bytes. */
    .syntax unified
    .cpu cortex-m4
    .thumb
    .equ STACK_SIZE, 2048
    .section .text.start, "ax", %progbits
    .global _start
    .thumb_func
_start:
    mov r4, r1                  /* memory start */
    mov r6, r2                  /* memory length */
    add r5, r4, #STACK_SIZE
    movs r0, #0                 /* memop brk(stack top) */
    mov r1, r5
    svc 5
    mov sp, r5
    mov r0, r4
    mov r1, r6
    bl main
    mov r1, r0                  /* exit-terminate(main's result) */
    movs r0, #0
    svc 6
1:  b 1b
