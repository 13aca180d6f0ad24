#include "rt.h"

extern uint32_t _estack;
volatile uint32_t rt_ticks;
int main(void);

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void rt_puts(const char *s) { semihost(0x04, s); }

void rt_puthex(uint32_t v)
{
    char b[11] = "0x";
    for (int i = 0; i < 8; i++) {
        unsigned d = (v >> (28 - 4 * i)) & 15;
        b[2 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    b[10] = 0;
    rt_puts(b);
}

void rt_exit(int code)
{
    uint32_t args[2] = { 0x20026, (uint32_t)code };
    semihost(0x20, args);
    for (;;)
        ;
}

#define SYST ((volatile uint32_t *)0xE000E010u)

void rt_timer_start(uint32_t period)
{
    SYST[1] = period - 1;
    SYST[2] = 0;
    SYST[0] = 7;
}

void rt_timer_stop(void) { SYST[0] = 0; }
void rt_wait_irq(void) { __asm__ volatile("wfi"); }
void bench_done(void) { __asm__ volatile(""); }

static void systick_handler(void) { rt_ticks++; }
static void fault_handler(void) { rt_puts("fault\n"); rt_exit(1); }

static void reset_handler(void)
{
    extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;
    uint32_t *s = &_sidata, *d = &_sdata;
    while (d < &_edata)
        *d++ = *s++;
    for (d = &_sbss; d < &_ebss;)
        *d++ = 0;
    rt_exit(main());
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&_estack, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, 0, 0, fault_handler, systick_handler,
};
