/* Cortex-M4 instruction costs.
 * Source: ARM Cortex-M4 Processor Technical Reference Manual r0p1 (DDI 0439B),
 * §3.3.1 "Cortex-M4 instruction set summary", Table 3-1, where
 *   P = pipeline refill, 1..3 cycles: we take 2 (the usual figure for a
 *       taken branch to an aligned 32-bit target with zero-wait-state flash),
 *   N = number of registers in a register list,
 *   loads and stores "can pipeline": a load/store that follows another one
 *       costs 1 instead of 2 (charged by the block decoder and across block
 *       boundaries by the block hook, so that the cost never depends on where
 *       Unicorn cuts its translation blocks).
 * Values used:
 *   data processing, MOV, compare, shifts, bit field, REV, CLZ: 1 (Table 3-1)
 *   MUL, SMULL/UMULL, SMLAL/UMLAL: 1; MLA, MLS: 2 (Table 3-1 "Multiply")
 *   SDIV/UDIV: 2..12, operand dependent ("early termination ... based on the
 *       number of leading ones and zeroes in the input operands"); the
 *       static table charges 7 (the midpoint). With exact division timing
 *       (cost_armv7m_div) the cost is 2 + ceil(q / 3), at most 12, for q
 *       significant quotient bits: our model of a divider that retires 3
 *       quotient bits per cycle after 2 cycles of set-up; the TRM gives only
 *       the bounds, which the model meets (q = 0 and a zero divisor: 2;
 *       q >= 30: 12)
 *   LDR/STR and variants (byte, half, signed, literal, SP-relative): 2
 *   LDRD/STRD: 1 + 2 = 3 (Table 3-1: "1 + N" with N = 2)
 *   LDM/STM/PUSH/POP: 1 + N; POP/LDM with PC: 1 + N + P
 *   B<c>, CBZ/CBNZ: 1, + P when taken; B, BL, BX, BLX: 1 + P
 *   TBB/TBH: 2 + P
 *   MSR/MRS, CPS, ISB/DSB/DMB: 1..4; MSR and barriers taken as 2 (a barrier
 *       drains the pipeline), others 1
 *   WFI, SVC, BKPT: 1 (the exception or sleep is charged where it happens). */
#include "cost.h"

#define P 2u

static unsigned popcount16(unsigned v)
{
    return (unsigned)__builtin_popcount(v & 0xffffu);
}

static void set(struct insn_cost *o, unsigned len, unsigned cycles, enum cost_kind kind,
                unsigned penalty)
{
    o->len = (uint8_t)len;
    o->cycles = (uint8_t)cycles;
    o->kind = (uint8_t)kind;
    o->penalty = (uint8_t)penalty;
    o->div = COST_DIV_NONE;
    o->rn = o->rm = 0;
}

static void thumb16(unsigned hw, struct insn_cost *o)
{
    if ((hw & 0xf800) == 0x4800)                        /* LDR (literal) */
        set(o, 2, 2, COST_LOAD, 0);
    else if ((hw & 0xf000) == 0x5000)                   /* LDR/STR (register) */
        set(o, 2, 2, ((hw >> 9) & 7) >= 3 ? COST_LOAD : COST_STORE, 0);
    else if ((hw & 0xe000) == 0x6000 || (hw & 0xf000) == 0x8000 || (hw & 0xf000) == 0x9000)
        set(o, 2, 2, (hw & 0x0800) ? COST_LOAD : COST_STORE, 0);   /* imm, halfword, SP */
    else if ((hw & 0xfe00) == 0xb400)                   /* PUSH */
        set(o, 2, 1 + popcount16(hw & 0x1ff), COST_OTHER, 0);
    else if ((hw & 0xfe00) == 0xbc00) {                 /* POP */
        if (hw & 0x100)
            set(o, 2, 1 + popcount16(hw & 0x1ff), COST_JUMP, P);
        else
            set(o, 2, 1 + popcount16(hw & 0xff), COST_OTHER, 0);
    } else if ((hw & 0xf000) == 0xc000)                 /* STM/LDM */
        set(o, 2, 1 + popcount16(hw & 0xff), COST_OTHER, 0);
    else if ((hw & 0xf000) == 0xd000 && (hw & 0x0e00) != 0x0e00)   /* B<c> */
        set(o, 2, 1, COST_BRANCH, P);
    else if ((hw & 0xf800) == 0xe000)                   /* B */
        set(o, 2, 1, COST_JUMP, P);
    else if ((hw & 0xff00) == 0x4700)                   /* BX, BLX (register) */
        set(o, 2, 1, COST_JUMP, P);
    else if ((hw & 0xff87) == 0x4687)                   /* MOV pc, Rm */
        set(o, 2, 1, COST_JUMP, P);
    else if ((hw & 0xf500) == 0xb100)                   /* CBZ/CBNZ */
        set(o, 2, 1, COST_BRANCH, P);
    else if ((hw & 0xffc0) == 0x4340)                   /* MULS */
        set(o, 2, 1, COST_ALU, 0);
    else
        set(o, 2, 1, COST_ALU, 0);
}

static void thumb32(unsigned hw1, unsigned hw2, struct insn_cost *o)
{
    unsigned op1 = (hw1 >> 11) & 3;

    if (op1 == 1) {
        if ((hw1 & 0xfe40) == 0xe840) {                 /* dual, exclusive, table branch */
            if ((hw1 & 0xfff0) == 0xe8d0 && (hw2 & 0xffe0) == 0xf000)
                set(o, 4, 2, COST_JUMP, P);             /* TBB/TBH */
            else if ((hw1 & 0xffe0) == 0xe840 || (hw1 & 0xfff0) == 0xe8c0 ||
                     (hw1 & 0xfff0) == 0xe8d0)
                set(o, 4, 2, (hw1 & 0x10) ? COST_LOAD : COST_STORE, 0);  /* LDREX/STREX */
            else
                set(o, 4, 3, (hw1 & 0x10) ? COST_LOAD : COST_STORE, 0);  /* LDRD/STRD */
        } else if ((hw1 & 0xfe40) == 0xe800) {          /* LDM/STM (and POP.W/PUSH.W) */
            unsigned n = popcount16(hw2);
            if ((hw1 & 0x10) && (hw2 & 0x8000))
                set(o, 4, 1 + n, COST_JUMP, P);
            else
                set(o, 4, 1 + n, COST_OTHER, 0);
        } else {
            set(o, 4, 1, COST_ALU, 0);                  /* data processing (shifted reg), coproc */
        }
        return;
    }
    if (op1 == 2) {
        if (hw2 & 0x8000) {                             /* branches and misc control */
            unsigned op = (hw2 >> 12) & 7;
            if (op & 1) {                               /* B.W (T4), BL */
                set(o, 4, 1, COST_JUMP, P);
            } else if ((op & 5) == 0) {
                if (((hw1 >> 7) & 7) != 7)              /* B<c>.W */
                    set(o, 4, 1, COST_BRANCH, P);
                else if ((hw1 & 0xffe0) == 0xf380 || (hw1 & 0xfff0) == 0xf3b0)
                    set(o, 4, 2, COST_OTHER, 0);        /* MSR, barriers */
                else
                    set(o, 4, 1, COST_OTHER, 0);        /* MRS, hints */
            } else {
                set(o, 4, 1, COST_OTHER, 0);
            }
        } else {
            set(o, 4, 1, COST_ALU, 0);                  /* data processing (immediate) */
        }
        return;
    }
    /* op1 == 3 */
    if ((hw1 & 0xfe00) == 0xf800) {                     /* load/store single */
        unsigned rt = hw2 >> 12;
        if ((hw1 & 0x10) && rt == 15 && (hw1 & 0x60) == 0x40)
            set(o, 4, 2, COST_JUMP, P);                 /* LDR pc */
        else
            set(o, 4, 2, (hw1 & 0x10) ? COST_LOAD : COST_STORE, 0);
    } else if ((hw1 & 0xff80) == 0xfb00) {              /* MUL, MLA, MLS, ... */
        unsigned ra = hw2 >> 12;
        set(o, 4, ra == 15 ? 1 : 2, COST_ALU, 0);
    } else if ((hw1 & 0xff80) == 0xfb80) {              /* long multiply, divide */
        if ((hw1 & 0xffd0) == 0xfb90 && (hw2 & 0xf0) == 0xf0) {
            set(o, 4, 7, COST_ALU, 0);                  /* SDIV/UDIV */
            o->div = (hw1 & 0x20) ? COST_DIV_UNSIGNED : COST_DIV_SIGNED;
            o->rn = (uint8_t)(hw1 & 0xf);
            o->rm = (uint8_t)(hw2 & 0xf);
        } else
            set(o, 4, 1, COST_ALU, 0);
    } else {
        set(o, 4, 1, COST_ALU, 0);                      /* data processing (register), FP */
    }
}

void cost_armv7m(const uint8_t *code, unsigned avail, struct insn_cost *o)
{
    unsigned hw1 = (unsigned)code[0] | (unsigned)code[1] << 8;

    if ((hw1 >> 11) >= 0x1d) {
        if (avail < 4) {
            set(o, 4, 1, COST_OTHER, 0);
            return;
        }
        thumb32(hw1, (unsigned)code[2] | (unsigned)code[3] << 8, o);
    } else {
        thumb16(hw1, o);
    }
}

unsigned cost_quotient_bits(uint32_t n, uint32_t d, bool is_signed)
{
    if (is_signed) {
        n = (int32_t)n < 0 ? 0u - n : n;
        d = (int32_t)d < 0 ? 0u - d : d;
    }
    if (d == 0 || n < d)
        return 0;
    return (unsigned)(__builtin_clz(d) - __builtin_clz(n)) + 1;
}

unsigned cost_armv7m_div(uint32_t n, uint32_t d, bool is_signed)
{
    unsigned c = 2 + (cost_quotient_bits(n, d, is_signed) + 2) / 3;
    return c > 12 ? 12 : c;
}
