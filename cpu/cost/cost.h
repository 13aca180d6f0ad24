/* Per-core instruction cost tables. A block is decoded once into its
 * instruction count and static cycle cost; dynamic parts (taken branches)
 * are charged by the block hook from the block sequence. */
#ifndef CPU_COST_H
#define CPU_COST_H

#include <stdint.h>
#include <stdbool.h>

enum cost_kind {
    COST_ALU,
    COST_LOAD,          /* single load: pipelines with a following load/store */
    COST_STORE,         /* single store: likewise */
    COST_BRANCH,        /* may or may not be taken: penalty only when taken */
    COST_JUMP,          /* always taken (BL, B, BX, JAL, JALR, POP {pc}) */
    COST_OTHER,
};

enum cost_div { COST_DIV_NONE, COST_DIV_UNSIGNED, COST_DIV_SIGNED };

struct insn_cost {
    uint8_t len;        /* bytes */
    uint8_t cycles;     /* static cost, not counting a taken-branch penalty */
    uint8_t kind;       /* enum cost_kind */
    uint8_t penalty;    /* extra cycles when a branch is taken */
    uint8_t div;        /* enum cost_div: a divide whose cost depends on ... */
    uint8_t rn, rm;     /* ... its dividend and divisor registers */
};

static inline bool cost_is_ls(uint8_t kind) { return kind == COST_LOAD || kind == COST_STORE; }

/* An instruction's cycles where it runs: a single load/store right after
 * another one costs one less ("can pipeline", Cortex-M4 TRM Table 3-1; the
 * same rule on the E31 table). Every place that charges instructions (the
 * block decoder, the host's own execution, a clock inside a block) uses
 * this, so they all agree. */
static inline unsigned cost_after(const struct insn_cost *ic, bool after_ls)
{
    return ic->cycles - (unsigned)(after_ls && cost_is_ls(ic->kind) && ic->cycles > 1);
}

/* Decodes the instruction at code[0..avail) (avail >= 2). */
typedef void (*cost_decode_fn)(const uint8_t *code, unsigned avail, struct insn_cost *out);

void cost_armv7m(const uint8_t *code, unsigned avail, struct insn_cost *out);
void cost_rv32(const uint8_t *code, unsigned avail, struct insn_cost *out);

/* Operand-dependent divide timing (`--set cpu.exact_div=1`): the cycles a
 * divide of n by d takes, from the number of quotient bits the divider has
 * to produce. The static tables charge a fixed figure instead. */
typedef unsigned (*cost_div_fn)(uint32_t n, uint32_t d, bool is_signed);
unsigned cost_armv7m_div(uint32_t n, uint32_t d, bool is_signed);
unsigned cost_rv32_div(uint32_t n, uint32_t d, bool is_signed);
/* Significant quotient bits of |n| / |d| (0 when |n| < |d| or d = 0). */
unsigned cost_quotient_bits(uint32_t n, uint32_t d, bool is_signed);

/* Cycles charged for exception entry / return (ARMv7-M: Cortex-M4 TRM
 * §3.3 "interrupt latency" 12 cycles entry, 10 return (tail-chain 6);
 * RV32: trap entry and mret are taken as a jump (E31: 3 cycles each)). */
#define COST_ARMV7M_EXC_ENTRY   12u
#define COST_ARMV7M_EXC_RETURN  10u
#define COST_ARMV7M_TAIL_CHAIN  6u
#define COST_RV32_TRAP          3u

#endif
