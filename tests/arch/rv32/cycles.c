/* The RV32 cycle model (cpu/cost/cost_rv32.c, cpu/cost/cost.h and the
 * block-cost rules of cpu/uc_common.c), checked from the guest: each
 * sequence of known cost runs between two `csrr mcycle` (emulated exactly
 * by tocksim at the instruction), and the difference must be what the
 * table's stated rules give. tocksim only: QEMU has no cycle model.
 *
 * A `csrr mcycle` reads the count before itself and costs 1 (CSR access), so
 * two reads around a sequence S differ by 1 + cost(S). That constant is
 * measured first with an empty sequence, checked (1), and subtracted.
 *
 * Rules used (the sources the table cites): SiFive E31 Core Complex Manual
 * v19.05 §3.1, §3.3 as cost_rv32.c states them: one instruction per cycle;
 * loads 2, stores 1; a load or store that follows another one costs one
 * cycle less (uc_common.c: "a load/store following another one ... gets its
 * pipelining discount"; a store already costs 1); taken branches + 2, jumps
 * (JAL, JALR, c.j, c.jal, c.jr, c.jalr) 1 + 2; MUL/MULH* 1; DIV/DIVU/REM/REMU
 * 33 (fixed); CSR access, ecall, mret 1; cost.h: trap entry 3, and "trap
 * entry and mret are taken as a jump (E31: 3 cycles each)". The penalty of a
 * taken branch is charged only when the next instruction is not its
 * fall-through (DESIGN.md §2). */
#include "rt.h"

/* Every case: uint32_t case(uint32_t *data) = mcycle difference around the
 * sequence. a0 = data on entry; the sequence may use t0-t5, a1-a5; t6 keeps
 * ra for the cases that call. */
#define CASE_RVC(name, setup, body) \
    "   .section .text." #name ", \"ax\"\n" \
    "   .global " #name "\n" \
    "   .type " #name ", @function\n" \
    "   .balign 4\n" \
    #name ":\n" \
    "   mv t6, ra\n" setup \
    "   csrr a6, mcycle\n" body "   csrr a7, mcycle\n" \
    "   mv ra, t6\n" \
    "   sub a0, a7, a6\n" \
    "   ret\n"
/* The same with the 32-bit encodings only (no silent compression). */
#define CASE(name, setup, body) \
    "   .option push\n   .option norvc\n" CASE_RVC(name, setup, body) "   .option pop\n"

__asm__(
    "   .section .text.cyc_leaf, \"ax\"\n"
    "   .option push\n   .option norvc\n"
    "   .balign 4\n"
    "cyc_leaf:\n"
    "   jalr x0, 0(ra)\n"
    "   .option pop\n"
    "cyc_cleaf:\n"
    "   c.jr ra\n"

    CASE(cyc_empty, "", "")
    CASE(cyc_nop4, "", "   nop\n   nop\n   nop\n   nop\n")
    CASE(cyc_alu4, "", "   addi t0, t0, 1\n   xor t1, t0, t1\n   slli t2, t1, 3\n   sltu t3, t2, t1\n")
    CASE_RVC(cyc_calu4, "", "   c.addi a1, 1\n   c.mv a2, a1\n   c.slli a2, 3\n   c.and a2, a1\n")
    /* loads and stores */
    CASE(cyc_lw1, "", "   lw t0, 0(a0)\n")
    CASE(cyc_lw4_indep, "", "   lw t0, 0(a0)\n   lw t1, 4(a0)\n   lw t2, 8(a0)\n   lw t3, 12(a0)\n")
    CASE(cyc_lw3_dep, "", "   lw t0, 0(a0)\n   lw t0, 0(t0)\n   lw t0, 0(t0)\n")
    CASE(cyc_lw_alu_lw, "", "   lw t0, 0(a0)\n   addi t2, t2, 1\n   lw t1, 4(a0)\n")
    CASE(cyc_lw_use, "", "   lw t0, 0(a0)\n   addi t1, t0, 1\n")
    CASE(cyc_lb_lh_lbu_lhu, "",
         "   lb t0, 0(a0)\n   lh t1, 2(a0)\n   lbu t2, 1(a0)\n   lhu t3, 6(a0)\n")
    CASE(cyc_sw1, "", "   sw t0, 64(a0)\n")
    CASE(cyc_sw4, "", "   sw t0, 64(a0)\n   sw t1, 68(a0)\n   sb t2, 72(a0)\n   sh t3, 74(a0)\n")
    CASE(cyc_lw_sw, "", "   lw t0, 0(a0)\n   sw t0, 64(a0)\n")
    CASE(cyc_sw_lw, "", "   sw t0, 64(a0)\n   lw t1, 0(a0)\n")
    CASE_RVC(cyc_clw2, "", "   c.lw a1, 0(a0)\n   c.lw a2, 4(a0)\n")
    CASE_RVC(cyc_csw_clwsp, "", "   c.sw a1, 64(a0)\n   c.lwsp a2, 0(sp)\n")
    /* branches: the skipped instruction never runs */
    CASE(cyc_beq_taken, "", "   beq x0, x0, 1f\n   nop\n1:\n")
    CASE(cyc_bne_untaken, "", "   bne x0, x0, 1f\n   nop\n1:\n")
    CASE(cyc_blt_taken, "   li t0, -1\n", "   blt t0, x0, 1f\n   nop\n1:\n")
    CASE(cyc_bgeu_untaken, "   li t0, 1\n   li t1, 2\n", "   bgeu t0, t1, 1f\n   nop\n1:\n")
    CASE_RVC(cyc_cbeqz_taken, "   li a1, 0\n", "   c.beqz a1, 1f\n   c.nop\n1:\n")
    CASE_RVC(cyc_cbnez_untaken, "   li a1, 0\n", "   c.bnez a1, 1f\n   c.nop\n1:\n")
    CASE(cyc_loop10, "   li t0, 10\n", "1: addi t0, t0, -1\n   bne t0, x0, 1b\n")
    /* jumps */
    CASE(cyc_jal, "", "   jal x0, 1f\n   nop\n1:\n")
    CASE_RVC(cyc_cj, "", "   c.j 1f\n   c.nop\n1:\n")
    CASE(cyc_jal_ret, "", "   jal ra, cyc_leaf\n")
    CASE(cyc_jalr_ret, "   la t1, cyc_leaf\n", "   jalr ra, 0(t1)\n")
    CASE_RVC(cyc_cjal_cjr, "", "   c.jal 2f\n   c.j 3f\n2: c.jr ra\n3:\n")
    CASE_RVC(cyc_cjalr_cjr, "   la t1, cyc_cleaf\n", "   c.jalr t1\n")
    /* multiply, divide */
    CASE(cyc_mul4, "   li t0, 3\n   li t1, 5\n",
         "   mul t2, t0, t1\n   mulh t3, t0, t1\n   mulhu t4, t0, t1\n   mulhsu t5, t0, t1\n")
    CASE(cyc_div_small, "   li t0, 7\n   li t1, 7\n", "   div t2, t0, t1\n")
    CASE(cyc_divu_large, "   li t0, -1\n   li t1, 1\n", "   divu t2, t0, t1\n")
    CASE(cyc_rem_small, "   li t0, 7\n   li t1, 7\n", "   rem t2, t0, t1\n")
    CASE(cyc_remu_large, "   li t0, -1\n   li t1, 2\n", "   remu t2, t0, t1\n")
    CASE(cyc_div_by_zero, "   li t0, 7\n", "   div t2, t0, x0\n")
    CASE(cyc_div_overflow, "   li t0, 0x80000000\n   li t1, -1\n", "   div t2, t0, t1\n")
    CASE(cyc_divrem4, "   li t0, -1\n   li t1, 3\n",
         "   div t2, t0, t1\n   divu t3, t0, t1\n   rem t4, t0, t1\n   remu t5, t0, t1\n")
    /* CSR reads (and one write) */
    CASE(cyc_csrr_mscratch, "", "   csrr t0, mscratch\n")
    CASE(cyc_csrr_mstatus, "", "   csrr t0, mstatus\n")
    CASE(cyc_csrr_misa_mhartid, "", "   csrr t0, misa\n   csrr t1, mhartid\n")
    CASE(cyc_csrr_mip, "", "   csrr t0, mip\n")
    CASE(cyc_csrr_minstret, "", "   csrr t0, minstret\n")
    CASE(cyc_csrr_cycle_time, "", "   csrr t0, cycle\n   csrr t1, mcycleh\n   csrr t2, instret\n")
    CASE(cyc_csrw_mscratch, "", "   csrr t1, mscratch\n   csrw mscratch, t0\n   csrw mscratch, t1\n")

    /* ecall to a handler of our own and mret back: t0 in M mode, t1 first
     * thing in the handler, t2 before its mret, t3 after. a0 = &result[4]. */
    "   .section .text.cyc_trap, \"ax\"\n"
    "   .option push\n   .option norvc\n"
    "   .global cyc_trap\n"
    "   .balign 4\n"
    "cyc_trap:\n"
    "   csrr a2, mcycle\n"
    "   csrr t0, mepc\n"
    "   addi t0, t0, 4\n"
    "   csrw mepc, t0\n"
    "   csrr a3, mcycle\n"
    "   mret\n"
    "   .global cyc_ecall\n"
    "   .balign 4\n"
    "cyc_ecall:\n"
    "   csrr a1, mcycle\n"
    "   ecall\n"
    "   csrr a4, mcycle\n"
    "   sw a1, 0(a0)\n"
    "   sw a2, 4(a0)\n"
    "   sw a3, 8(a0)\n"
    "   sw a4, 12(a0)\n"
    "   ret\n"
    "   .option pop\n");

#define TAKEN 2u                /* cost_rv32.c: taken branch / jump penalty */
#define JUMP (1u + TAKEN)
#define DIV 33u
#define TRAP 3u                 /* cost.h COST_RV32_TRAP */
#define READ 1u                 /* the second csrr mcycle */

typedef uint32_t (*case_fn)(uint32_t *data);
uint32_t cyc_empty(uint32_t *), cyc_nop4(uint32_t *), cyc_alu4(uint32_t *), cyc_calu4(uint32_t *);
uint32_t cyc_lw1(uint32_t *), cyc_lw4_indep(uint32_t *), cyc_lw3_dep(uint32_t *);
uint32_t cyc_lw_alu_lw(uint32_t *), cyc_lw_use(uint32_t *), cyc_lb_lh_lbu_lhu(uint32_t *);
uint32_t cyc_sw1(uint32_t *), cyc_sw4(uint32_t *), cyc_lw_sw(uint32_t *), cyc_sw_lw(uint32_t *);
uint32_t cyc_clw2(uint32_t *), cyc_csw_clwsp(uint32_t *);
uint32_t cyc_beq_taken(uint32_t *), cyc_bne_untaken(uint32_t *), cyc_blt_taken(uint32_t *);
uint32_t cyc_bgeu_untaken(uint32_t *), cyc_cbeqz_taken(uint32_t *), cyc_cbnez_untaken(uint32_t *);
uint32_t cyc_loop10(uint32_t *), cyc_jal(uint32_t *), cyc_cj(uint32_t *), cyc_jal_ret(uint32_t *);
uint32_t cyc_jalr_ret(uint32_t *), cyc_cjal_cjr(uint32_t *), cyc_cjalr_cjr(uint32_t *);
uint32_t cyc_mul4(uint32_t *), cyc_div_small(uint32_t *), cyc_divu_large(uint32_t *);
uint32_t cyc_rem_small(uint32_t *), cyc_remu_large(uint32_t *), cyc_div_by_zero(uint32_t *);
uint32_t cyc_div_overflow(uint32_t *), cyc_divrem4(uint32_t *), cyc_csrr_mscratch(uint32_t *);
uint32_t cyc_csrr_mstatus(uint32_t *), cyc_csrr_misa_mhartid(uint32_t *), cyc_csrr_mip(uint32_t *);
uint32_t cyc_csrr_minstret(uint32_t *), cyc_csrr_cycle_time(uint32_t *);
uint32_t cyc_csrw_mscratch(uint32_t *);
void cyc_ecall(uint32_t *result);
extern char cyc_trap[];

static const struct {
    const char *name;
    case_fn fn;
    uint32_t want;              /* cost of the sequence by the rules */
} cases[] = {
    /* one instruction per cycle (NOP, ADDI, XOR, SLLI, SLTU; compressed too) */
    { "nop_x4", cyc_nop4, 4 },
    { "alu_x4", cyc_alu4, 4 },
    { "c_alu_x4", cyc_calu4, 4 },
    /* loads 2 */
    { "lw", cyc_lw1, 2 },
    /* independent loads: 2, then 1 each after a load (uc_common.c) */
    { "lw_x4_independent", cyc_lw4_indep, 2 + 1 + 1 + 1 },
    /* Dependent loads (each address the previous result): the E31 has a
     * load-use latency, so on the hardware each of these waits for the one
     * before; the table charges by position only: 2 + 1 + 1 */
    { "lw_x3_dependent", cyc_lw3_dep, 2 + 1 + 1 },
    /* an ALU instruction in between: 2 + 1 + 2 */
    { "lw_alu_lw", cyc_lw_alu_lw, 2 + 1 + 2 },
    /* the result used at once: the table's 2 already covers the load-use
     * latency (cost_rv32.c: "data available after the load-use latency of 1") */
    { "lw_then_use", cyc_lw_use, 2 + 1 },
    { "lb_lh_lbu_lhu", cyc_lb_lh_lbu_lhu, 2 + 1 + 1 + 1 },
    /* stores 1 */
    { "sw", cyc_sw1, 1 },
    { "sw_sw_sb_sh", cyc_sw4, 4 },
    { "lw_sw", cyc_lw_sw, 2 + 1 },
    /* a load after a store: 1 (the pipelining rule applies to any pair) */
    { "sw_lw", cyc_sw_lw, 1 + 1 },
    { "c_lw_x2", cyc_clw2, 2 + 1 },
    { "c_sw_c_lwsp", cyc_csw_clwsp, 1 + 1 },
    /* conditional branches: 1, + 2 taken (then the NOP runs when untaken) */
    { "beq_taken", cyc_beq_taken, 1 + TAKEN },
    { "bne_untaken", cyc_bne_untaken, 1 + 1 },
    { "blt_taken", cyc_blt_taken, 1 + TAKEN },
    { "bgeu_untaken", cyc_bgeu_untaken, 1 + 1 },
    { "c_beqz_taken", cyc_cbeqz_taken, 1 + TAKEN },
    { "c_bnez_untaken", cyc_cbnez_untaken, 1 + 1 },
    /* ADDI 1, BNE 1 (+ 2 the nine times it is taken) */
    { "loop_x10", cyc_loop10, 10 * 2 + 9 * TAKEN },
    /* JAL, c.j: 1 + 2 */
    { "jal", cyc_jal, JUMP },
    { "c_j", cyc_cj, JUMP },
    /* a call and its return: JAL/JALR 1 + 2, then JALR (ret) 1 + 2; the
     * compressed call returns to a c.j over the callee: three jumps */
    { "jal_ret", cyc_jal_ret, 2 * JUMP },
    { "jalr_ret", cyc_jalr_ret, 2 * JUMP },
    { "c_jal_c_jr_c_j", cyc_cjal_cjr, 3 * JUMP },
    { "c_jalr_c_jr", cyc_cjalr_cjr, 2 * JUMP },
    /* MUL, MULH, MULHU, MULHSU: 1 */
    { "mul_x4", cyc_mul4, 4 },
    /* DIV/DIVU/REM/REMU. The E31's divider is iterative and terminates
     * early on small operands (the manual's figure, 33, is the bound), so
     * 7/7 is quick and 0xFFFFFFFF/1 slow; the static table charges 33
     * always; with --set cpu.exact_div=1 (T_EXACT_DIV) a divide costs
     * 1 + q, at least 2, for q significant quotient bits (1 bit per cycle,
     * cpu/cost/cost_rv32.c). */
#ifdef T_EXACT_DIV
    { "div_small_quotient", cyc_div_small, 2 },      /* 7 / 7: q = 1 */
    { "divu_large_quotient", cyc_divu_large, 33 },   /* 0xFFFFFFFF / 1: q = 32 */
    { "rem_small", cyc_rem_small, 2 },
    { "remu_large", cyc_remu_large, 32 },            /* 0xFFFFFFFF / 2: q = 31 */
    { "div_by_zero", cyc_div_by_zero, 2 },
    { "div_overflow", cyc_div_overflow, 33 },        /* |0x80000000| / 1: q = 32 */
    /* -1 / 3 signed (q = 0), 0xFFFFFFFF / 3 unsigned (q = 31), twice */
    { "div_divu_rem_remu", cyc_divrem4, 2 + 32 + 2 + 32 },
#else
    { "div_small_quotient", cyc_div_small, DIV },
    { "divu_large_quotient", cyc_divu_large, DIV },
    { "rem_small", cyc_rem_small, DIV },
    { "remu_large", cyc_remu_large, DIV },
    { "div_by_zero", cyc_div_by_zero, DIV },         /* no trap on RISC-V: result -1 */
    { "div_overflow", cyc_div_overflow, DIV },
    { "div_divu_rem_remu", cyc_divrem4, 4 * DIV },
#endif
    /* CSR access 1: Unicorn's own CSRs, and the ones the host emulates
     * (mip, minstret, cycle, mcycleh, instret) */
    { "csrr_mscratch", cyc_csrr_mscratch, 1 },
    { "csrr_mstatus", cyc_csrr_mstatus, 1 },
    { "csrr_misa_mhartid", cyc_csrr_misa_mhartid, 2 },
    { "csrr_mip", cyc_csrr_mip, 1 },
    { "csrr_minstret", cyc_csrr_minstret, 1 },
    { "csrr_cycle_mcycleh_instret", cyc_csrr_cycle_time, 3 },
    { "csrr_csrw_mscratch", cyc_csrw_mscratch, 3 },
};

static uint32_t data[32] __attribute__((aligned(16)));

static void expect(const char *name, uint32_t got, uint32_t want)
{
    t_info("%s: got %u cycles, want %u", name, got, want);
    t_ok(name, got == want, "got %u cycles, want %u", got, want);
}

static void test_trap(void)
{
    volatile uint32_t r[4];
    uint32_t old = csr_read(mtvec);
    csr_write(mtvec, (uint32_t)cyc_trap);
    cyc_ecall((uint32_t *)r);
    csr_write(mtvec, old);
    /* csrr (1), ecall (1, "traps are charged where taken"), trap entry (3) */
    expect("ecall_trap_entry", r[1] - r[0] - READ, 1 + TRAP);
    /* mret: cost.h "trap entry and mret are taken as a jump (E31: 3 cycles
     * each)"; then the first csrr after it */
    expect("mret", r[3] - r[2] - READ, 3);
}

/* A peripheral register is read at the cycle of its own instruction, not
 * where Unicorn's block ends: two reads of the CLINT's mtime (one tick per
 * cycle on this board) in one straight-line block, three NOPs (1 each) and
 * the second LW (2) apart, differ by exactly 5. */
static void test_mmio_time(void)
{
    uint32_t first, second;
    __asm__ volatile("lw %0, 0(%2)\n\tnop\n\tnop\n\tnop\n\tlw %1, 0(%2)"
                     : "=&r"(first), "=&r"(second) : "r"(&CLINT_MTIME_LO) : "memory");
    expect("mmio_read_at_its_instruction", second - first, 3 + 2);
}

void test_main(void)
{
    for (unsigned i = 0; i < 8; i++)
        data[i] = (uint32_t)&data[i + 1];

    uint32_t overhead = cyc_empty(data);
    expect("calibration_empty_sequence", overhead, READ);
    expect("calibration_repeatable", cyc_empty(data), overhead);

    for (unsigned i = 0; i < T_ARRAY_LEN(cases); i++) {
        uint32_t got = cases[i].fn(data) - overhead;
        uint32_t again = cases[i].fn(data) - overhead;     /* translated blocks reused */
        expect(cases[i].name, got, cases[i].want);
        if (again != got)
            t_ok(cases[i].name, false, "second run: got %u cycles, first %u", again, got);
    }
    test_mmio_time();
    test_trap();
}
