/* Start of a raw test app on RV32 (TOCK.md §3.3 start contract):
 * a0 = app start in flash, a1 = memory start, a2 = memory length,
 * a3 = app break. The stack goes at the bottom of RAM, STACK_SIZE bytes. */
    .equ STACK_SIZE, 2048
    .section .text.start, "ax", @progbits
    .option norelax
    .global _start
_start:
    mv s0, a1
    mv s1, a2
    li t0, STACK_SIZE
    add s2, s0, t0
    li a0, 0                    /* memop brk(stack top) */
    mv a1, s2
    li a4, 5
    ecall
    mv sp, s2
    mv a0, s0
    mv a1, s1
    call main
    mv a1, a0                   /* exit-terminate(main's result) */
    li a0, 0
    li a4, 6
    ecall
1:  j 1b
