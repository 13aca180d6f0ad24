/* The Cortex-M4 cycle model (cpu/cost/cost_armv7m.c, cpu/cost/cost.h and
 * the block-cost rules of cpu/uc_common.c), checked from the guest: each
 * sequence of known cost runs between two reads of the cycle count
 * (semihosting SYS_ELAPSED, exact in tocksim), and the difference must be
 * what the table's stated rules give. tocksim only: QEMU has no cycle model.
 *
 * A read is `movs r0, #0x30; movw r1, ...; movt r1, ...; bkpt 0xab`. The
 * block ending at a BKPT is charged when it starts, so a read returns the
 * count with that BKPT included; the difference of two reads around a
 * sequence S is cost(S) + the second read's four instructions (MOVS, MOVW,
 * MOVT: data processing, 1 each; BKPT: 1). That constant is measured first
 * with an empty sequence, checked against the rules (4), and subtracted.
 *
 * Rules used (the sources the table cites): ARM Cortex-M4 TRM r0p1 (DDI
 * 0439B) §3.3.1 Table 3-1, with P (pipeline refill) = 2:
 *   data processing 1; LDR/STR family 2, and 1 when it follows another load
 *   or store ("can pipeline", applied by the table to every load/store pair);
 *   LDRD/STRD 3; LDM/STM/PUSH/POP 1 + N, POP/LDM with PC 1 + N + P;
 *   B<c>/CBZ 1, + P taken; B, BL, BX, BLX 1 + P; MUL 1, MLA/MLS 2, long
 *   multiply 1; SDIV/UDIV 7 (fixed); MSR and barriers 2, MRS 1;
 * a taken branch's P is charged only when the next instruction is not its
 * fall-through (DESIGN.md §2); cost.h: exception entry 12, exception return
 * 10, tail-chaining 6 (TRM §3.3 "interrupt latency"). */
#include "rt.h"

/* The two counts (64-bit, low word first) of the last measurement, and the
 * two taken inside the SVC and PendSV handlers. */
volatile uint32_t cyc_t0[2], cyc_t1[2], cyc_h1[2], cyc_h2[2], cyc_p1[2], cyc_p2[2], cyc_t3[2];

/* Every case: void case(uint32_t *data) with r4 = data, then
 *   read t0; the sequence; read t1. */
#define HEAD(name) \
    "   .section .text." #name ", \"ax\", %progbits\n" \
    "   .global " #name "\n" \
    "   .type " #name ", %function\n" \
    "   .thumb_func\n" \
    "   .balign 4\n" \
    #name ":\n" \
    "   push {r4-r11, lr}\n" \
    "   mov r4, r0\n"
#define CASE(name, setup, body) \
    HEAD(name) setup "   ELAPSED cyc_t0\n" body "   ELAPSED cyc_t1\n" \
    "   pop {r4-r11, pc}\n" \
    "   .ltorg\n"

__asm__(
    "   .syntax unified\n"
    "   .thumb\n"
    "   .macro ELAPSED buf\n"
    "   movs r0, #0x30\n"
    "   movw r1, #:lower16:\\buf\n"
    "   movt r1, #:upper16:\\buf\n"
    "   bkpt 0xab\n"
    "   .endm\n"

    "   .section .text.cyc_leaf, \"ax\", %progbits\n"
    "   .global cyc_leaf\n"
    "   .type cyc_leaf, %function\n"
    "   .thumb_func\n"
    "cyc_leaf:\n"
    "   bx lr\n"

    CASE(cyc_empty, "", "")
    CASE(cyc_nop4, "", "   nop\n   nop\n   nop\n   nop\n")
    CASE(cyc_alu4, "",
         "   adds r2, r2, #1\n   eor.w r3, r3, r2, lsl #3\n   lsls r5, r3, #2\n   rev r6, r5\n")
    /* loads and stores */
    CASE(cyc_ldr1, "", "   ldr r2, [r4]\n")
    CASE(cyc_ldr4_indep, "",
         "   ldr r2, [r4]\n   ldr r3, [r4, #4]\n   ldr r5, [r4, #8]\n   ldr r6, [r4, #12]\n")
    CASE(cyc_ldr3_dep, "", "   ldr r2, [r4]\n   ldr r2, [r2]\n   ldr r2, [r2]\n")
    CASE(cyc_ldr_alu_ldr, "", "   ldr r2, [r4]\n   adds r3, r3, #1\n   ldr r5, [r4, #4]\n")
    CASE(cyc_ldr_use, "", "   ldr r2, [r4]\n   adds r3, r2, #1\n")
    CASE(cyc_str1, "", "   str r2, [r4, #32]\n")
    CASE(cyc_str_str, "", "   str r2, [r4, #32]\n   str r3, [r4, #36]\n")
    CASE(cyc_ldr_str, "", "   ldr r2, [r4]\n   str r2, [r4, #32]\n")
    CASE(cyc_str_ldr, "", "   str r2, [r4, #32]\n   ldr r3, [r4]\n")
    CASE(cyc_ldr_kinds, "",
         "   ldrb r2, [r4]\n   ldrh r3, [r4, #2]\n   ldr r5, [sp]\n   ldr r6, =0x12345678\n"
         "   ldrsb.w r7, [r4, #1]\n")
    CASE(cyc_ldrd, "", "   ldrd r2, r3, [r4]\n")
    CASE(cyc_strd, "", "   strd r2, r3, [r4, #32]\n")
    /* branches: the skipped instruction is never executed */
    CASE(cyc_bcond_taken, "", "   cmp r2, r2\n   beq 1f\n   nop\n1:\n")
    CASE(cyc_bcond_untaken, "", "   cmp r2, r2\n   bne 1f\n   nop\n1:\n")
    CASE(cyc_bcondw_taken, "", "   cmp r2, r2\n   beq.w 1f\n   nop\n1:\n")
    CASE(cyc_bcondw_untaken, "", "   cmp r2, r2\n   bne.w 1f\n   nop\n1:\n")
    CASE(cyc_cbz_taken, "", "   movs r2, #0\n   cbz r2, 1f\n   nop\n1:\n")
    CASE(cyc_cbnz_untaken, "", "   movs r2, #0\n   cbnz r2, 1f\n   nop\n1:\n")
    CASE(cyc_b, "", "   b 1f\n   nop\n1:\n")
    CASE(cyc_bw, "", "   b.w 1f\n   nop\n1:\n")
    CASE(cyc_bl_bx, "", "   bl cyc_leaf\n")
    CASE(cyc_blx_bx, "   ldr r7, =cyc_leaf\n", "   blx r7\n")
    CASE(cyc_bx, "   adr.w r7, 1f\n   orr r7, r7, #1\n", "   bx r7\n   nop\n   .balign 4\n1:\n")
    CASE(cyc_loop10, "   movs r2, #10\n", "1: subs r2, r2, #1\n   bne 1b\n")
    /* multiple transfers */
    CASE(cyc_push1_pop1, "", "   push {r2}\n   pop {r2}\n")
    CASE(cyc_push4_pop4, "", "   push {r2, r3, r5, r6}\n   pop {r2, r3, r5, r6}\n")
    CASE(cyc_push10_pop10, "", "   push.w {r2-r11}\n   pop.w {r2-r11}\n")
    CASE(cyc_ldm4, "", "   ldm.w r4, {r2, r3, r5, r6}\n")
    CASE(cyc_stm4, "", "   stm.w r4, {r2, r3, r5, r6}\n")
    CASE(cyc_ldm8, "", "   ldm.w r4, {r2, r3, r5, r6, r7, r8, r9, r10}\n")
    CASE(cyc_pop_pc, "", "   bl 2f\n   b 3f\n2: push {r2, lr}\n   pop {r2, pc}\n3:\n")
    /* multiply */
    CASE(cyc_muls4, "   movs r2, #3\n   movs r3, #5\n",
         "   muls r2, r3, r2\n   muls r2, r3, r2\n   muls r2, r3, r2\n   muls r2, r3, r2\n")
    CASE(cyc_mul4, "   movs r2, #3\n   movs r3, #5\n",
         "   mul r5, r2, r3\n   mul r6, r2, r3\n   mul r7, r2, r3\n   mul r8, r2, r3\n")
    CASE(cyc_mla2_mls2, "   movs r2, #3\n   movs r3, #5\n",
         "   mla r5, r2, r3, r5\n   mla r6, r2, r3, r6\n   mls r7, r2, r3, r7\n"
         "   mls r8, r2, r3, r8\n")
    CASE(cyc_long_mul4, "   movs r2, #3\n   movs r3, #5\n",
         "   umull r5, r6, r2, r3\n   smull r5, r6, r2, r3\n   umlal r5, r6, r2, r3\n"
         "   smlal r5, r6, r2, r3\n")
    /* divide: small and large quotients */
    CASE(cyc_udiv_small, "   movs r2, #7\n   movs r3, #7\n", "   udiv r5, r2, r3\n")
    CASE(cyc_udiv_large, "   mov.w r2, #0xFFFFFFFF\n   movs r3, #1\n", "   udiv r5, r2, r3\n")
    CASE(cyc_sdiv_small, "   mvn r2, #6\n   movs r3, #7\n", "   sdiv r5, r2, r3\n")
    CASE(cyc_sdiv_large, "   mvn r2, #0x80000000\n   movs r3, #1\n", "   sdiv r5, r2, r3\n")
    CASE(cyc_udiv_by_zero, "   movs r2, #7\n   movs r3, #0\n", "   udiv r5, r2, r3\n")
    CASE(cyc_div4, "   mov.w r2, #0xFFFFFFFF\n   movs r3, #3\n",
         "   udiv r5, r2, r3\n   sdiv r6, r2, r3\n   udiv r7, r3, r2\n   sdiv r8, r3, r3\n")
    /* system */
    CASE(cyc_barriers, "", "   dsb\n   isb\n   dmb\n")
    CASE(cyc_mrs_msr, "", "   mrs r2, basepri\n   msr basepri, r2\n")

    /* SVC: t0 in thread; h1, h2 in the handler; t3 in thread again */
    HEAD(cyc_svc)
    "   ELAPSED cyc_t0\n"
    "   svc #0\n"
    "   ELAPSED cyc_t3\n"
    "   pop {r4-r11, pc}\n"
    "   .ltorg\n"
    "   .section .text.cyc_svc_handler, \"ax\", %progbits\n"
    "   .global cyc_svc_handler\n"
    "   .type cyc_svc_handler, %function\n"
    "   .thumb_func\n"
    "cyc_svc_handler:\n"
    "   ELAPSED cyc_h1\n"
    "   ELAPSED cyc_h2\n"
    "   bx lr\n"

    /* SVC, then PendSV by tail-chaining: t0; h1 (SVC) pends PendSV, h2; p1,
     * p2 (PendSV); t3 */
    HEAD(cyc_svc_chain)
    "   ELAPSED cyc_t0\n"
    "   svc #0\n"
    "   ELAPSED cyc_t3\n"
    "   pop {r4-r11, pc}\n"
    "   .ltorg\n"
    "   .section .text.cyc_svc_pend_handler, \"ax\", %progbits\n"
    "   .global cyc_svc_pend_handler\n"
    "   .type cyc_svc_pend_handler, %function\n"
    "   .thumb_func\n"
    "cyc_svc_pend_handler:\n"
    "   ELAPSED cyc_h1\n"
    "   ldr r2, =0xE000ED04\n"
    "   mov.w r3, #0x10000000\n"            /* ICSR.PENDSVSET */
    "   str r3, [r2]\n"
    "   ELAPSED cyc_h2\n"
    "   bx lr\n"
    "   .ltorg\n"
    "   .section .text.cyc_pendsv_handler, \"ax\", %progbits\n"
    "   .global cyc_pendsv_handler\n"
    "   .type cyc_pendsv_handler, %function\n"
    "   .thumb_func\n"
    "cyc_pendsv_handler:\n"
    "   ELAPSED cyc_p1\n"
    "   ELAPSED cyc_p2\n"
    "   bx lr\n");

#define P 2u                    /* pipeline refill, cost_armv7m.c */
#define READ 4u                 /* the second read: MOVS, MOVW, MOVT, BKPT */
#define ENTRY 12u               /* cost.h COST_ARMV7M_EXC_ENTRY */
#define RETURN 10u              /* cost.h COST_ARMV7M_EXC_RETURN */
#define TAIL_CHAIN 6u           /* cost.h COST_ARMV7M_TAIL_CHAIN */

typedef void (*case_fn)(uint32_t *data);
void cyc_empty(uint32_t *), cyc_nop4(uint32_t *), cyc_alu4(uint32_t *);
void cyc_ldr1(uint32_t *), cyc_ldr4_indep(uint32_t *), cyc_ldr3_dep(uint32_t *);
void cyc_ldr_alu_ldr(uint32_t *), cyc_ldr_use(uint32_t *), cyc_str1(uint32_t *);
void cyc_str_str(uint32_t *), cyc_ldr_str(uint32_t *), cyc_str_ldr(uint32_t *);
void cyc_ldr_kinds(uint32_t *), cyc_ldrd(uint32_t *), cyc_strd(uint32_t *);
void cyc_bcond_taken(uint32_t *), cyc_bcond_untaken(uint32_t *);
void cyc_bcondw_taken(uint32_t *), cyc_bcondw_untaken(uint32_t *);
void cyc_cbz_taken(uint32_t *), cyc_cbnz_untaken(uint32_t *), cyc_b(uint32_t *);
void cyc_bw(uint32_t *), cyc_bl_bx(uint32_t *), cyc_blx_bx(uint32_t *), cyc_bx(uint32_t *);
void cyc_loop10(uint32_t *), cyc_push1_pop1(uint32_t *), cyc_push4_pop4(uint32_t *);
void cyc_push10_pop10(uint32_t *), cyc_ldm4(uint32_t *), cyc_stm4(uint32_t *);
void cyc_ldm8(uint32_t *), cyc_pop_pc(uint32_t *), cyc_muls4(uint32_t *), cyc_mul4(uint32_t *);
void cyc_mla2_mls2(uint32_t *), cyc_long_mul4(uint32_t *), cyc_udiv_small(uint32_t *);
void cyc_udiv_large(uint32_t *), cyc_sdiv_small(uint32_t *), cyc_sdiv_large(uint32_t *);
void cyc_udiv_by_zero(uint32_t *), cyc_div4(uint32_t *), cyc_barriers(uint32_t *);
void cyc_mrs_msr(uint32_t *), cyc_svc(uint32_t *), cyc_svc_chain(uint32_t *);
void cyc_svc_handler(void), cyc_svc_pend_handler(void), cyc_pendsv_handler(void);

static const struct {
    const char *name;
    case_fn fn;
    uint32_t want;              /* cost of the sequence by the rules */
} cases[] = {
    /* Table 3-1 "NOP 1", data processing 1 (ADD, EOR with shift, LSL, REV) */
    { "nop_x4", cyc_nop4, 4 },
    { "alu_x4", cyc_alu4, 4 },
    /* LDR 2 (Table 3-1 "Load ... word 2") */
    { "ldr", cyc_ldr1, 2 },
    /* Independent loads pipeline (Table 3-1 note: "LDR ... can pipeline",
     * TRM §3.3.2): 2 + 1 + 1 + 1 */
    { "ldr_x4_independent", cyc_ldr4_indep, 5 },
    /* Dependent loads (each address is the previous load's result). The
     * TRM §3.3.2 says a load whose address depends on the previous LDR's
     * destination does not pipeline (2 + 2 + 2 on the hardware); the table
     * pipelines every load after a load/store: 2 + 1 + 1. */
    { "ldr_x3_dependent", cyc_ldr3_dep, 4 },
    /* A data-processing instruction in between breaks the pipelining: 2 + 1 + 2 */
    { "ldr_alu_ldr", cyc_ldr_alu_ldr, 5 },
    /* The loaded value used at once: no load-use stall in the table: 2 + 1 */
    { "ldr_then_use", cyc_ldr_use, 3 },
    /* STR 2 (Table 3-1 "Store ... word 2") */
    { "str", cyc_str1, 2 },
    /* STR after STR / LDR pipelines: 2 + 1. (TRM §3.3.2: nothing pipelines
     * after a store with a register offset, and STR pipelines when it
     * follows an LDR; the table pipelines every pair.) */
    { "str_str", cyc_str_str, 3 },
    { "ldr_str", cyc_ldr_str, 3 },
    { "str_ldr", cyc_str_ldr, 3 },
    /* LDRB, LDRH, LDR [sp], LDR literal, LDRSB.W: 2 + 1 + 1 + 1 + 1 */
    { "ldr_kinds_x5", cyc_ldr_kinds, 6 },
    /* LDRD/STRD "1 + N" with N = 2: 3 */
    { "ldrd", cyc_ldrd, 3 },
    { "strd", cyc_strd, 3 },
    /* CMP 1; B<c> 1 + P taken, 1 untaken (then the NOP runs: 1) */
    { "bcond_taken", cyc_bcond_taken, 1 + 1 + P },
    { "bcond_untaken", cyc_bcond_untaken, 1 + 1 + 1 },
    { "bcond_w_taken", cyc_bcondw_taken, 1 + 1 + P },
    { "bcond_w_untaken", cyc_bcondw_untaken, 1 + 1 + 1 },
    /* MOVS 1; CBZ/CBNZ 1 + P taken, 1 untaken */
    { "cbz_taken", cyc_cbz_taken, 1 + 1 + P },
    { "cbnz_untaken", cyc_cbnz_untaken, 1 + 1 + 1 },
    /* B 1 + P */
    { "b", cyc_b, 1 + P },
    { "b_w", cyc_bw, 1 + P },
    /* BL 1 + P, then BX LR 1 + P */
    { "bl_bx_lr", cyc_bl_bx, 2 * (1 + P) },
    /* BLX Rm 1 + P, BX LR 1 + P */
    { "blx_bx_lr", cyc_blx_bx, 2 * (1 + P) },
    /* BX Rm 1 + P */
    { "bx", cyc_bx, 1 + P },
    /* SUBS 1, BNE 1 (+ P the nine times it is taken): 10 * 2 + 9 * P */
    { "loop_x10", cyc_loop10, 10 * 2 + 9 * P },
    /* PUSH/POP 1 + N */
    { "push1_pop1", cyc_push1_pop1, 2 * (1 + 1) },
    { "push4_pop4", cyc_push4_pop4, 2 * (1 + 4) },
    { "push10_pop10", cyc_push10_pop10, 2 * (1 + 10) },
    /* LDM/STM 1 + N */
    { "ldm4", cyc_ldm4, 1 + 4 },
    { "stm4", cyc_stm4, 1 + 4 },
    { "ldm8", cyc_ldm8, 1 + 8 },
    /* BL (1 + P), PUSH {r2, lr} (1 + 2), POP {r2, pc} (1 + 2 + P), B (1 + P) */
    { "pop_pc", cyc_pop_pc, (1 + P) + 3 + (3 + P) + (1 + P) },
    /* MUL 1 (16- and 32-bit) */
    { "muls_x4", cyc_muls4, 4 },
    { "mul_x4", cyc_mul4, 4 },
    /* MLA, MLS 2 */
    { "mla_x2_mls_x2", cyc_mla2_mls2, 4 * 2 },
    /* UMULL, SMULL, UMLAL, SMLAL 1 (as the table states) */
    { "long_mul_x4", cyc_long_mul4, 4 },
    /* SDIV/UDIV. The hardware takes 2..12 cycles: the divider terminates
     * early depending on the operands (TRM Table 3-1 note: "Division
     * operations use early termination to minimize the number of cycles
     * required based on the number of leading ones and zeroes in the input
     * operands"), so 7/7 is quick and 0xFFFFFFFF/1 slow. The static table
     * charges a fixed 7 (the midpoint); with --set cpu.exact_div=1
     * (T_EXACT_DIV) a divide costs 2 + ceil(q / 3), at most 12, for q
     * significant quotient bits (cpu/cost/cost_armv7m.c). */
#ifdef T_EXACT_DIV
    { "udiv_small_quotient", cyc_udiv_small, 3 },    /* 7 / 7: q = 1 */
    { "udiv_large_quotient", cyc_udiv_large, 12 },   /* 0xFFFFFFFF / 1: q = 32 */
    { "sdiv_small_quotient", cyc_sdiv_small, 3 },    /* -7 / 7: q = 1 */
    { "sdiv_large_quotient", cyc_sdiv_large, 12 },   /* 0x7FFFFFFF / 1: q = 31 */
    { "udiv_by_zero", cyc_udiv_by_zero, 2 },
    /* 0xFFFFFFFF / 3 (q = 31), -1 / 3 (q = 0), 3 / 0xFFFFFFFF (q = 0), 3 / 3 (q = 1) */
    { "div_x4", cyc_div4, 12 + 2 + 2 + 3 },
#else
    { "udiv_small_quotient", cyc_udiv_small, 7 },
    { "udiv_large_quotient", cyc_udiv_large, 7 },
    { "sdiv_small_quotient", cyc_sdiv_small, 7 },
    { "sdiv_large_quotient", cyc_sdiv_large, 7 },
    { "udiv_by_zero", cyc_udiv_by_zero, 7 },         /* DIV_0_TRP off: result 0 */
    { "div_x4", cyc_div4, 4 * 7 },
#endif
    /* DSB, ISB, DMB: 2 each (the table's choice within Table 3-1's 1..4) */
    { "barriers_x3", cyc_barriers, 3 * 2 },
    /* MRS 1, MSR 2 */
    { "mrs_msr", cyc_mrs_msr, 1 + 2 },
};

static uint32_t data[16] __attribute__((aligned(8)));

static uint32_t measured(volatile uint32_t *from, volatile uint32_t *to)
{
    return to[0] - from[0];
}

static void expect(const char *name, uint32_t got, uint32_t want)
{
    t_info("%s: got %u cycles, want %u", name, got, want);
    t_ok(name, got == want, "got %u cycles, want %u", got, want);
}

static uint32_t vectors[128] __attribute__((aligned(512)));

static void test_exceptions(void)
{
    uint32_t old = SCB_VTOR;
    for (unsigned i = 0; i < T_NUM_VECTORS; i++)
        vectors[i] = (uint32_t)t_rom_vectors[i];

    /* SVC (1), entry (12), then the handler's first read (READ) */
    vectors[EXC_SVCALL] = (uint32_t)cyc_svc_handler;
    barrier();
    SCB_VTOR = (uint32_t)vectors;
    barrier();
    cyc_svc(data);
    SCB_VTOR = old;
    barrier();
    expect("svc_entry", measured(cyc_t0, cyc_h1) - READ, 1 + ENTRY);
    expect("handler_read_to_read", measured(cyc_h1, cyc_h2) - READ, 0);
    /* BX LR (1) that returns (10): the return's refill is part of its 10 */
    expect("exception_return", measured(cyc_h2, cyc_t3) - READ, 1 + RETURN);

    /* SVC pends PendSV (same priority: it waits), returns: tail-chain (6) */
    vectors[EXC_SVCALL] = (uint32_t)cyc_svc_pend_handler;
    vectors[EXC_PENDSV] = (uint32_t)cyc_pendsv_handler;
    barrier();
    SCB_VTOR = (uint32_t)vectors;
    barrier();
    cyc_svc_chain(data);
    SCB_VTOR = old;
    barrier();
    expect("svc_entry_again", measured(cyc_t0, cyc_h1) - READ, 1 + ENTRY);
    /* BX LR (1) that chains to the pending PendSV (6) */
    expect("tail_chain_to_pendsv", measured(cyc_h2, cyc_p1) - READ, 1 + TAIL_CHAIN);
    expect("return_after_tail_chain", measured(cyc_p2, cyc_t3) - READ, 1 + RETURN);
}

/* A peripheral register is read at the cycle of its own instruction, not
 * where Unicorn's block ends: two reads of SysTick's down-counter in one
 * straight-line block, three NOPs (1 each) and the second LDR (2) apart,
 * differ by exactly 5. */
static void test_mmio_time(void)
{
    uint32_t first, second;
    SYST_CSR = 0;
    SYST_RVR = 0x00FFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | (1u << 2);     /* processor clock, no interrupt */
    __asm__ volatile("ldr %0, [%2]\n\tnop\n\tnop\n\tnop\n\tldr %1, [%2]"
                     : "=&l"(first), "=&l"(second) : "l"(&SYST_CVR) : "memory");
    SYST_CSR = 0;
    expect("mmio_read_at_its_instruction", first - second, 3 + 2);
}

void test_main(void)
{
    for (unsigned i = 0; i < 8; i++)
        data[i] = (uint32_t)&data[i + 1];

    /* The constant: the second read's MOVS, MOVW, MOVT (1 each), BKPT (1). */
    cyc_empty(data);
    uint32_t overhead = measured(cyc_t0, cyc_t1);
    expect("calibration_empty_sequence", overhead, READ);
    cyc_empty(data);
    expect("calibration_repeatable", measured(cyc_t0, cyc_t1), overhead);

    for (unsigned i = 0; i < T_ARRAY_LEN(cases); i++) {
        cases[i].fn(data);
        uint32_t got = measured(cyc_t0, cyc_t1) - overhead;
        /* the same again: translated blocks reused, same count */
        cases[i].fn(data);
        uint32_t again = measured(cyc_t0, cyc_t1) - overhead;
        expect(cases[i].name, got, cases[i].want);
        if (again != got)
            t_ok(cases[i].name, false, "second run: got %u cycles, first %u", again, got);
    }
    test_mmio_time();
    test_exceptions();
}
