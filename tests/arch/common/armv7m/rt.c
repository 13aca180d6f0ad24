/* ARMv7-M runtime: reset, ROM vector table, exception dispatch, console
 * through semihosting (line-buffered SYS_WRITE0) and exit. */
#include "rt.h"

extern uint32_t __stack_top[], __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];

void t_reset(void);
uint32_t t_dispatch(uint32_t *saved);

__attribute__((section(".vectors"), used))
void (*const t_rom_vectors[T_NUM_VECTORS])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = t_reset,
    [2 ... T_NUM_VECTORS - 1] = t_isr_common,
};

static t_handler_fn handlers[T_NUM_VECTORS];

void t_set_handler(unsigned exc, t_handler_fn fn)
{
    if (exc < T_NUM_VECTORS)
        handlers[exc] = fn;
}

/* Called by t_isr_common with a pointer to the two words it pushed:
 * saved[0] = r4 (padding), saved[1] = EXC_RETURN, popped into PC on return. */
uint32_t t_dispatch(uint32_t *saved)
{
    struct t_exc e;
    e.num = get_ipsr() & 0x1FFu;
    e.exc_return = saved[1];
    e.msp = (uint32_t)saved + 8u;
    e.psp = get_psp();
    e.frame = (uint32_t *)((e.exc_return & 4u) ? e.psp : e.msp);
    t_handler_fn fn = e.num < T_NUM_VECTORS ? handlers[e.num] : 0;
    if (!fn) {
        t_printf("FAIL unexpected-exception: %u, stacked pc=0x%08x lr=0x%08x xpsr=0x%08x "
                 "cfsr=0x%08x hfsr=0x%08x bfar=0x%08x exc_return=0x%08x\n",
                 e.num, e.frame[FR_PC], e.frame[FR_LR], e.frame[FR_XPSR],
                 SCB_CFSR, SCB_HFSR, SCB_BFAR, e.exc_return);
        t_done();
    }
    fn(&e);
    saved[1] = e.exc_return;
    return 0;
}

uint32_t t_semihost(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static char line[128];
static unsigned line_len;

void t_flush(void)
{
    if (line_len) {
        line[line_len] = '\0';
        t_semihost(SEMI_SYS_WRITE0, (uint32_t)line);
        line_len = 0;
    }
}

void t_putc(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line) - 1)
        t_flush();
}

_Noreturn void t_exit(int status)
{
    t_flush();
    if (status == 0) {
        t_semihost(SEMI_SYS_EXIT, ADP_STOPPED_APPLICATION_EXIT);
    } else {
        static uint32_t block[2];
        block[0] = ADP_STOPPED_APPLICATION_EXIT;
        block[1] = (uint32_t)status;
        t_semihost(SEMI_SYS_EXIT_EXTENDED, (uint32_t)block);
    }
    for (;;)
        __asm__ volatile("wfi");
}

void t_reset(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    test_main();
    t_done();
}
