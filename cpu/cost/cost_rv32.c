/* RV32IMAC instruction costs for a SiFive E31-class in-order pipeline.
 * Source: SiFive E31 Core Complex Manual v19.05, chapter 3 "E31 RISC-V
 * Core", §3.1 "Instruction Memory System" and §3.3 "Execution Pipeline":
 *   - one instruction per cycle peak;
 *   - taken branches and jumps: the fetch unit redirects with a penalty;
 *     we charge 2 extra cycles for a taken conditional branch and for every
 *     jump (JAL/JALR and compressed forms) (the manual gives a 2-cycle
 *     penalty for correctly predicted taken branches without a BTB hit and
 *     3 for a misprediction; no predictor is modelled);
 *   - loads: 2 cycles (data available after the load-use latency of 1);
 *     stores: 1;
 *   - MUL: 1 (pipelined multiplier, result after 2 cycles: the latency is
 *     not charged unless used, which we do not model);
 *   - DIV/REM: "between a 2-cycle and 33-cycle result latency, depending on
 *     the operand values", from "a 1-bit per cycle hardware divide" (§3.3):
 *     the static table charges 33 (the bound); with exact division timing
 *     (cost_rv32_div) 1 + q cycles for q significant quotient bits, at
 *     least 2 (q = 0 or a zero divisor);
 *   - CSR access, ecall, wfi, fence: 1 (traps are charged where taken);
 *   - mret: 3, a jump to mepc (1 + the 2-cycle redirect of JAL/JALR);
 *   - AMO/LR/SC: 2 (a load and a store). */
#include "cost.h"

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

static void rvc(unsigned hw, struct insn_cost *o)
{
    unsigned quad = hw & 3, f3 = hw >> 13;

    switch (quad) {
    case 0:
        if (f3 == 2)
            set(o, 2, 2, COST_LOAD, 0);                 /* c.lw */
        else if (f3 == 6)
            set(o, 2, 1, COST_STORE, 0);                /* c.sw */
        else
            set(o, 2, 1, COST_ALU, 0);
        return;
    case 1:
        if (f3 == 1 || f3 == 5)
            set(o, 2, 1, COST_JUMP, 2);                 /* c.jal, c.j */
        else if (f3 == 6 || f3 == 7)
            set(o, 2, 1, COST_BRANCH, 2);               /* c.beqz, c.bnez */
        else
            set(o, 2, 1, COST_ALU, 0);
        return;
    default:
        if (f3 == 2)
            set(o, 2, 2, COST_LOAD, 0);                 /* c.lwsp */
        else if (f3 == 6)
            set(o, 2, 1, COST_STORE, 0);                /* c.swsp */
        else if (f3 == 4 && ((hw >> 2) & 0x1f) == 0 && ((hw >> 7) & 0x1f) != 0)
            set(o, 2, 1, COST_JUMP, 2);                 /* c.jr, c.jalr */
        else
            set(o, 2, 1, COST_ALU, 0);
        return;
    }
}

void cost_rv32(const uint8_t *code, unsigned avail, struct insn_cost *o)
{
    uint32_t insn;

    if ((code[0] & 3) != 3) {
        rvc((unsigned)code[0] | (unsigned)code[1] << 8, o);
        return;
    }
    if (avail < 4) {
        set(o, 4, 1, COST_OTHER, 0);
        return;
    }
    insn = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
           (uint32_t)code[3] << 24;
    switch (insn & 0x7f) {
    case 0x03: set(o, 4, 2, COST_LOAD, 0); break;
    case 0x23: set(o, 4, 1, COST_STORE, 0); break;
    case 0x63: set(o, 4, 1, COST_BRANCH, 2); break;
    case 0x6f: case 0x67: set(o, 4, 1, COST_JUMP, 2); break;
    case 0x2f: set(o, 4, 2, COST_OTHER, 0); break;
    case 0x73:
        if (insn == 0x30200073u)
            set(o, 4, 3, COST_ALU, 0);                  /* mret */
        else
            set(o, 4, 1, COST_ALU, 0);
        break;
    case 0x33:
        if ((insn >> 25) == 1 && ((insn >> 12) & 7) >= 4) {
            set(o, 4, 33, COST_ALU, 0);                 /* div, divu, rem, remu */
            o->div = (insn >> 12) & 1 ? COST_DIV_UNSIGNED : COST_DIV_SIGNED;
            o->rn = (uint8_t)((insn >> 15) & 31);
            o->rm = (uint8_t)((insn >> 20) & 31);
        } else
            set(o, 4, 1, COST_ALU, 0);
        break;
    default: set(o, 4, 1, COST_ALU, 0); break;
    }
}

unsigned cost_rv32_div(uint32_t n, uint32_t d, bool is_signed)
{
    unsigned c = 1 + cost_quotient_bits(n, d, is_signed);
    return c < 2 ? 2 : c;
}
