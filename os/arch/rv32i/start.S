/* RV32 reset, trap entry and process switch (TOCK.md §6).
 * mscratch = 0 while the kernel runs, = &state while a process runs. */
    .option norelax
    .section .text.start, "ax", @progbits
    .global _start
_start:
    csrw mie, zero
    csrci mstatus, 8                /* MIE = 0 */
    csrw mscratch, zero
    la gp, __global_pointer$
    la sp, _estack
    la t0, rv32i_trap_entry
    csrw mtvec, t0                  /* direct mode */
    la t0, _sidata                  /* .data from flash */
    la t1, _sdata
    la t2, _edata
1:  bgeu t1, t2, 2f
    lw t3, 0(t0)
    sw t3, 0(t1)
    addi t0, t0, 4
    addi t1, t1, 4
    j 1b
2:  la t1, _sbss
    la t2, _ebss
3:  bgeu t1, t2, 4f
    sw zero, 0(t1)
    addi t1, t1, 4
    j 3b
4:  call main
    j rv32i_halt

/* void rv32i_switch_to_user(uint32_t *state): state = x0..x31, pc, mcause,
 * mtval (words). Returns when the process traps. */
    .section .text.rv32i_switch_to_user, "ax", @progbits
    .global rv32i_switch_to_user
rv32i_switch_to_user:
    addi sp, sp, -64
    sw ra, 0(sp)
    sw gp, 4(sp)
    sw tp, 8(sp)
    sw s0, 12(sp)
    sw s1, 16(sp)
    sw s2, 20(sp)
    sw s3, 24(sp)
    sw s4, 28(sp)
    sw s5, 32(sp)
    sw s6, 36(sp)
    sw s7, 40(sp)
    sw s8, 44(sp)
    sw s9, 48(sp)
    sw s10, 52(sp)
    sw s11, 56(sp)
    la t0, rv32i_kernel_sp
    sw sp, 0(t0)
    csrw mscratch, a0
    lw t0, 128(a0)
    csrw mepc, t0
    li t0, 0x1800                   /* MPP = U */
    csrc mstatus, t0
    li t0, 0x80                     /* MPIE = 1: interrupts on in U-mode */
    csrs mstatus, t0
    lw x1, 4(a0)
    lw x2, 8(a0)
    lw x3, 12(a0)
    lw x4, 16(a0)
    lw x5, 20(a0)
    lw x6, 24(a0)
    lw x7, 28(a0)
    lw x8, 32(a0)
    lw x9, 36(a0)
    lw x11, 44(a0)
    lw x12, 48(a0)
    lw x13, 52(a0)
    lw x14, 56(a0)
    lw x15, 60(a0)
    lw x16, 64(a0)
    lw x17, 68(a0)
    lw x18, 72(a0)
    lw x19, 76(a0)
    lw x20, 80(a0)
    lw x21, 84(a0)
    lw x22, 88(a0)
    lw x23, 92(a0)
    lw x24, 96(a0)
    lw x25, 100(a0)
    lw x26, 104(a0)
    lw x27, 108(a0)
    lw x28, 112(a0)
    lw x29, 116(a0)
    lw x30, 120(a0)
    lw x31, 124(a0)
    lw x10, 40(a0)
    mret

    .section .text.rv32i_trap_entry, "ax", @progbits
    .balign 4
    .global rv32i_trap_entry
rv32i_trap_entry:
    csrrw sp, mscratch, sp          /* sp = &state, or 0 if the kernel trapped */
    beqz sp, kernel_trap
    sw x1, 4(sp)
    sw x3, 12(sp)
    sw x4, 16(sp)
    sw x5, 20(sp)
    sw x6, 24(sp)
    sw x7, 28(sp)
    sw x8, 32(sp)
    sw x9, 36(sp)
    sw x10, 40(sp)
    sw x11, 44(sp)
    sw x12, 48(sp)
    sw x13, 52(sp)
    sw x14, 56(sp)
    sw x15, 60(sp)
    sw x16, 64(sp)
    sw x17, 68(sp)
    sw x18, 72(sp)
    sw x19, 76(sp)
    sw x20, 80(sp)
    sw x21, 84(sp)
    sw x22, 88(sp)
    sw x23, 92(sp)
    sw x24, 96(sp)
    sw x25, 100(sp)
    sw x26, 104(sp)
    sw x27, 108(sp)
    sw x28, 112(sp)
    sw x29, 116(sp)
    sw x30, 120(sp)
    sw x31, 124(sp)
    csrr t0, mscratch               /* the process's sp */
    sw t0, 8(sp)
    csrr t0, mepc
    sw t0, 128(sp)
    csrr t0, mcause
    sw t0, 132(sp)
    csrr t0, mtval
    sw t0, 136(sp)
    csrw mscratch, zero
    la t0, rv32i_kernel_sp          /* back on the kernel stack, after the switch */
    lw sp, 0(t0)
    lw ra, 0(sp)
    lw gp, 4(sp)
    lw tp, 8(sp)
    lw s0, 12(sp)
    lw s1, 16(sp)
    lw s2, 20(sp)
    lw s3, 24(sp)
    lw s4, 28(sp)
    lw s5, 32(sp)
    lw s6, 36(sp)
    lw s7, 40(sp)
    lw s8, 44(sp)
    lw s9, 48(sp)
    lw s10, 52(sp)
    lw s11, 56(sp)
    addi sp, sp, 64
    ret

kernel_trap:                        /* the kernel itself trapped: a bug */
    csrrw sp, mscratch, sp          /* restore sp; mscratch = 0 again */
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    j rv32i_kernel_trap

    .section .bss.rv32i_kernel_sp, "aw", @nobits
    .balign 4
    .global rv32i_kernel_sp
rv32i_kernel_sp:
    .word 0
