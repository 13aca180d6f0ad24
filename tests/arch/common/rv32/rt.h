/* RV32 runtime for the bare-metal tests: trap entry (direct and vectored
 * mtvec), user-mode calls, NS16550 console, sifive_test exit
 * (common/rv32/rt.c, start.S). */
#ifndef RV32_RT_H
#define RV32_RT_H

#include <stdint.h>

#include "memmap.h"
#include "rv32.h"
#include "t.h"

/* Saved state of a trap, built by start.S. x[0] holds the mtvec slot the trap
 * entered through: T_VEC_DIRECT for the direct entry, else the vectored-table
 * index. The handler may change x[], mepc and mstatus; they are restored by
 * mret (x[2] is the interrupted sp). */
struct t_trap {
    uint32_t x[32];
    uint32_t mepc, mcause, mtval, mstatus;
};
#define T_VEC_DIRECT 0xFFFFFFFFu
enum { T_A0 = 10, T_A1, T_A2, T_A3, T_A4, T_A5, T_A6, T_A7 };

typedef void (*t_trap_fn)(struct t_trap *t);
/* Every trap goes to this handler; with none installed, a trap prints a FAIL
 * line and ends the program. */
void t_set_trap_handler(t_trap_fn fn);

/* mtvec values for the two entries of start.S. */
extern char t_trap_direct[], t_trap_vectors[];
#define T_MTVEC_DIRECT   ((uint32_t)t_trap_direct)
#define T_MTVEC_VECTORED ((uint32_t)t_trap_vectors | 1u)

/* Runs fn(arg) in user mode on the given stack (mret with MPP = U) and returns
 * its result once it returns or calls t_user_exit() (an ecall that the
 * runtime handles). */
uint32_t t_run_user(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t *stack_top);
#define T_ECALL_EXIT 0x7E57u   /* a7 of the ecall that t_run_user() catches */

/* Size in bytes of the instruction at addr. */
static inline uint32_t t_insn_len(uint32_t addr)
{
    return (*(const volatile uint16_t *)addr & 3u) == 3u ? 4u : 2u;
}

void test_main(void);

#endif
