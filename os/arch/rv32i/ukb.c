/* RV32 user/kernel boundary (TOCK.md §1.1, §1.4, §3.3): all 31 registers,
 * pc, and the trap's mcause/mtval are saved in the process state. System
 * calls: ecall with the class in a4, arguments and results in a0-a3; the
 * kernel steps pc over the ecall. Upcalls: a0-a3 = arguments, ra = the pc to
 * return to, pc = the function. */
#include "arch/rv32i/rv32i.h"
#include "lib/errorcode.h"
#include "lib/kstring.h"

enum { R_RA = 1, R_SP = 2, R_A0 = 10, R_A4 = 14, S_PC = 32, S_MCAUSE = 33, S_MTVAL = 34 };

#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_ECALL_U   8u
#define MCAUSE_ECALL_M   11u

_Static_assert(35 <= UKB_STATE_WORDS, "ukb_state too small");

void rv32i_switch_to_user(uint32_t *state);

static uint32_t last_mcause, last_mtval;
static bool last_valid;

static int rv_init(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk)
{
    (void)app_brk;
    memset(s, 0, sizeof(*s));
    s->w[R_SP] = mem_start;
    return 0;
}

static int rv_set_upcall(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk, uint32_t fn,
                         const uint32_t args[4])
{
    (void)mem_start;
    (void)app_brk;
    for (int i = 0; i < 4; i++)
        s->w[R_A0 + i] = args[i];
    s->w[R_RA] = s->w[S_PC];
    s->w[S_PC] = fn;
    return 0;
}

static int rv_set_return(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                         const uint32_t regs[4])
{
    (void)mem_start;
    (void)app_brk;
    for (int i = 0; i < 4; i++)
        s->w[R_A0 + i] = regs[i];
    return 0;
}

static enum ukb_reason rv_switch_to(struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                                    struct ukb_syscall *sc)
{
    (void)mem_start;
    (void)app_brk;
    rv32i_switch_to_user(s->w);
    uint32_t mcause = s->w[S_MCAUSE];
    if (mcause & MCAUSE_INTERRUPT)
        return UKB_INTERRUPTED;
    if (mcause == MCAUSE_ECALL_U || mcause == MCAUSE_ECALL_M) {
        s->w[S_PC] += 4;
        sc->class_id = s->w[R_A4];
        for (int i = 0; i < 4; i++)
            sc->args[i] = s->w[R_A0 + i];
        return UKB_SYSCALL;
    }
    last_mcause = mcause;
    last_mtval = s->w[S_MTVAL];
    last_valid = true;
    return UKB_FAULT;
}

const char *rv32i_mcause_name(uint32_t mcause)
{
    static const char *const exc[] = {
        "Instruction misaligned", "Instruction access fault", "Illegal instruction",
        "Breakpoint", "Load misaligned", "Load access fault", "Store misaligned",
        "Store access fault", "User environment call", "Supervisor environment call",
        "Reserved", "Machine environment call", "Instruction page fault", "Load page fault",
        "Reserved", "Store page fault",
    };
    if (mcause & MCAUSE_INTERRUPT) {
        switch (mcause & 0xff) {
        case 3: return "Machine software interrupt";
        case 7: return "Machine timer interrupt";
        case 11: return "Machine external interrupt";
        default: return "Interrupt";
        }
    }
    return mcause < ARRAY_LEN(exc) ? exc[mcause] : "Unknown";
}

void rv32i_print_trap_state(struct k_writer *w)
{
    k_wputs(w, "\r\n---| RISC-V Machine State |---\r\n");
    if (!last_valid) {
        k_wputs(w, "No process fault recorded.\r\n");
        return;
    }
    k_wprintf(w, "Last process trap: mcause %#010X (%s), mtval %#010X\r\n", (unsigned)last_mcause,
              rv32i_mcause_name(last_mcause), (unsigned)last_mtval);
}

static void rv_print(const struct ukb_state *s, uint32_t mem_start, uint32_t app_brk,
                     struct k_writer *w)
{
    (void)mem_start;
    (void)app_brk;
    for (int i = 0; i < 16; i++)
        k_wprintf(w, "\r\n R%-2d: %#010X    R%-2d: %#010X", i, (unsigned)s->w[i], i + 16,
                  (unsigned)s->w[i + 16]);
    k_wprintf(w, "\r\n PC : %#010X", (unsigned)s->w[S_PC]);
    k_wprintf(w, "\r\n mcause: %#010X (%s)", (unsigned)s->w[S_MCAUSE],
              rv32i_mcause_name(s->w[S_MCAUSE]));
    k_wprintf(w, "\r\n mtval:  %#010X\r\n", (unsigned)s->w[S_MTVAL]);
}

static uint32_t rv_stack_pointer(const struct ukb_state *s)
{
    return s->w[R_SP];
}

static const struct hil_ukb_ops rv_ops = {
    .init = rv_init,
    .set_upcall = rv_set_upcall,
    .set_return = rv_set_return,
    .switch_to = rv_switch_to,
    .print = rv_print,
    .stack_pointer = rv_stack_pointer,
};

const struct hil_ukb rv32i_ukb = { .ops = &rv_ops, .initial_brk_size = 0 };
