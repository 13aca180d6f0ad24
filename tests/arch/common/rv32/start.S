/* RV32 start-up and trap entry for the bare-metal tests.
 *
 * Every trap swaps sp with mscratch (which holds the top of a dedicated trap
 * stack), saves x1-x31, mepc, mcause, mtval and mstatus in a struct t_trap
 * (rt.h), calls t_trap_dispatch(), writes mepc and mstatus back, restores the
 * registers (sp from x[2]) and returns with mret. Traps do not nest. */

#define FRAME     (36 * 4)
#define OFF_X(i)  ((i) * 4)
#define OFF_MEPC    (32 * 4)
#define OFF_MCAUSE  (33 * 4)
#define OFF_MTVAL   (34 * 4)
#define OFF_MSTATUS (35 * 4)

    .section .text.start, "ax"
    .global _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, __trap_stack_top
    csrw    mscratch, t0
    la      t0, t_trap_direct
    csrw    mtvec, t0
    call    t_init
1:  wfi
    j       1b

/* Direct-mode entry: x[0] = T_VEC_DIRECT. */
    .section .text.t_trap, "ax"
    .balign 4
    .global t_trap_direct
t_trap_direct:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -FRAME
    sw      t0, OFF_X(5)(sp)
    li      t0, -1
    j       t_trap_common

/* Vectored-mode table: slot n (a 4-byte jump) enters with x[0] = n. */
    .balign 256
    .global t_trap_vectors
t_trap_vectors:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j       t_vec_\n
    .endr
    .option pop
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
t_vec_\n:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -FRAME
    sw      t0, OFF_X(5)(sp)
    li      t0, \n
    j       t_trap_common
    .endr

t_trap_common:
    sw      t0, OFF_X(0)(sp)
    sw      x1, OFF_X(1)(sp)
    .irp i, 3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sw      x\i, OFF_X(\i)(sp)
    .endr
    csrr    t0, mscratch
    sw      t0, OFF_X(2)(sp)
    csrr    t0, mepc
    sw      t0, OFF_MEPC(sp)
    csrr    t0, mcause
    sw      t0, OFF_MCAUSE(sp)
    csrr    t0, mtval
    sw      t0, OFF_MTVAL(sp)
    csrr    t0, mstatus
    sw      t0, OFF_MSTATUS(sp)

    mv      a0, sp
    call    t_trap_dispatch

    lw      t0, OFF_MEPC(sp)
    csrw    mepc, t0
    lw      t0, OFF_MSTATUS(sp)
    csrw    mstatus, t0
    lw      t0, OFF_X(2)(sp)
    csrw    mscratch, t0
    lw      x1, OFF_X(1)(sp)
    .irp i, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    lw      x\i, OFF_X(\i)(sp)
    .endr
    addi    sp, sp, FRAME
    csrrw   sp, mscratch, sp
    mret

/* uint32_t t_run_user(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t *stack_top) */
    .section .text.t_run_user, "ax"
    .global t_run_user
t_run_user:
    addi    sp, sp, -64
    sw      ra, 0(sp)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    sw      s\i, (4 + 4 * \i)(sp)
    .endr
    la      t0, t_kernel_sp
    sw      sp, 0(t0)
    csrw    mepc, a0
    li      t0, (3 << 11)           /* mstatus.MPP = U */
    csrc    mstatus, t0
    mv      a0, a1
    mv      sp, a2
    la      ra, t_user_return
    mret
    .global t_run_user_resume
t_run_user_resume:                  /* machine mode again; a0 = result */
    lw      ra, 0(sp)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    lw      s\i, (4 + 4 * \i)(sp)
    .endr
    addi    sp, sp, 64
    ret

/* A user function that returns lands here: exit to t_run_user(). */
    .global t_user_exit
t_user_return:
t_user_exit:
    li      a7, 0x7E57              /* T_ECALL_EXIT */
    ecall
    j       t_user_exit
