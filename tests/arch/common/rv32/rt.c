/* RV32 runtime: C start, trap dispatch, console on the NS16550 UART, exit
 * through the sifive_test device. */
#include "rt.h"

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];

void t_init(void);
void t_trap_dispatch(struct t_trap *t);
extern char t_run_user_resume[];
uint32_t t_kernel_sp;

static t_trap_fn trap_handler;

void t_set_trap_handler(t_trap_fn fn)
{
    trap_handler = fn;
}

void t_trap_dispatch(struct t_trap *t)
{
    if (t->mcause == CAUSE_ECALL_U && t->x[T_A7] == T_ECALL_EXIT) {
        /* Back from t_run_user(): resume its epilogue in machine mode. */
        t->x[2] = t_kernel_sp;
        t->mepc = (uint32_t)t_run_user_resume;
        t->mstatus |= MSTATUS_MPP_M;
        return;
    }
    if (!trap_handler) {
        t_printf("FAIL unexpected-trap: mcause=0x%08x mepc=0x%08x mtval=0x%08x mstatus=0x%08x\n",
                 t->mcause, t->mepc, t->mtval, t->mstatus);
        t_done();
    }
    trap_handler(t);
}

#define UART_LSR (*(volatile uint8_t *)(UART0_BASE + 5u))
#define UART_LSR_THRE 0x20u

void t_putc(char c)
{
    volatile uint8_t *thr = (volatile uint8_t *)UART0_BASE;
    while (!(UART_LSR & UART_LSR_THRE))
        ;
    *thr = (uint8_t)c;
}

#define SIFIVE_TEST_PASS 0x5555u
#define SIFIVE_TEST_FAIL 0x3333u

_Noreturn void t_exit(int status)
{
    REG32(TEST_BASE) = status == 0 ? SIFIVE_TEST_PASS
                                   : ((uint32_t)status << 16) | SIFIVE_TEST_FAIL;
    for (;;)
        __asm__ volatile("wfi");
}

void t_init(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    if (src != dst)
        while (dst < __data_end)
            *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    /* One PMP entry covering everything, RWX: user mode may then access all
     * memory (with no entry, user accesses fail on a core with a PMP). */
    csr_write(pmpaddr0, 0xFFFFFFFFu);
    csr_write(pmpcfg0, 0x1Fu);   /* A = NAPOT, X, W, R */
    test_main();
    t_done();
}
