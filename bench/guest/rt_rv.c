#include "rt.h"

#define UART ((volatile uint8_t *)0x10000000u)
#define TEST ((volatile uint32_t *)0x00100000u)
#define MTIMECMP ((volatile uint32_t *)0x02004000u)
#define MTIME ((volatile uint32_t *)0x0200BFF8u)

volatile uint32_t rt_ticks;
static uint32_t period;
static uint64_t next;
int main(void);

void rt_puts(const char *s)
{
    while (*s) {
        while (!(UART[5] & 0x20))
            ;
        UART[0] = (uint8_t)*s++;
    }
}

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
    *TEST = code ? ((uint32_t)code << 16) | 0x3333u : 0x5555u;
    for (;;)
        ;
}

static uint64_t mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME[1];
        lo = MTIME[0];
    } while (hi != MTIME[1]);
    return (uint64_t)hi << 32 | lo;
}

static void set_cmp(uint64_t t)
{
    MTIMECMP[1] = 0xffffffffu;
    MTIMECMP[0] = (uint32_t)t;
    MTIMECMP[1] = (uint32_t)(t >> 32);
}

/* The CPU clock and mtime both run at 10 MHz on this board. */
void rt_timer_start(uint32_t p)
{
    period = p;
    next = mtime() + p;
    set_cmp(next);
    __asm__ volatile("csrs mie, %0" ::"r"(1u << 7));
    __asm__ volatile("csrs mstatus, 8");
}

void rt_timer_stop(void) { __asm__ volatile("csrc mie, %0" ::"r"(1u << 7)); }
void rt_wait_irq(void) { __asm__ volatile("wfi"); }
void bench_done(void) { __asm__ volatile(""); }

__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void)
{
    uint32_t cause;
    __asm__ volatile("csrr %0, mcause" : "=r"(cause));
    if (cause == 0x80000007u) {
        rt_ticks++;
        next += period;
        set_cmp(next);
        return;
    }
    rt_puts("trap\n");
    rt_exit(1);
}

__attribute__((section(".text.start"), naked)) void _start(void)
{
    __asm__ volatile("la sp, _estack\n"
                     "la t0, %0\n"
                     "csrw mtvec, t0\n"
                     "call rt_crt\n" ::"i"(trap_handler));
}

void rt_crt(void);
void rt_crt(void)
{
    extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;
    uint32_t *s = &_sidata, *d = &_sdata;
    while (d < &_edata)
        *d++ = *s++;
    for (d = &_sbss; d < &_ebss;)
        *d++ = 0;
    rt_exit(main());
}
