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
static void svc_handler(void);
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
    fault_handler, fault_handler, 0, 0, 0, 0, svc_handler, 0, 0, fault_handler, systick_handler,
};

/* ------------------------------------------------- unprivileged runs -- */

#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR  (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)

static uint32_t user_stack[256] __attribute__((aligned(1024)));

static unsigned log2_ceil(uint32_t v)
{
    unsigned n = 0;
    while ((1u << n) < v)
        n++;
    return n;
}

static void region(unsigned n, uint32_t base, uint32_t size, uint32_t ap, uint32_t xn)
{
    MPU_RNR = n;
    MPU_RBAR = base;
    MPU_RASR = (xn << 28) | (ap << 24) | ((log2_ceil(size) - 1) << 1) | 1u;
}

void rt_protect_user(uint32_t buf, int cut, int variant)
{
    extern uint32_t _sdata;
    region(0, 0x00000000u, 0x00100000u, 6, 0);             /* flash: RX for all */
    region(1, (uint32_t)&_sdata, 0x4000u, 3, 1);           /* data + bss */
    region(2, (uint32_t)user_stack, sizeof user_stack, 3, 1);
    if (!cut) {
        region(3, buf, 4096, 3, 1);
        /* the second configuration has one more (harmless) region */
        if (variant) {
            region(4, buf, 32, 3, 1);
        } else {
            MPU_RNR = 4;
            MPU_RASR = 0;
        }
    } else {
        /* the last 512 B of the buffer through a second, smaller region */
        MPU_RNR = 3;
        MPU_RBAR = buf;
        MPU_RASR = (1u << 28) | (3u << 24) | (0x80u << 8) | ((12 - 1) << 1) | 1u;
        region(4, buf + 3584, 512, 3, 1);
    }
    MPU_CTRL = 5;                                          /* ENABLE | PRIVDEFENA */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void svc_handler(void)
{
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("msr control, %0\n\tisb" ::"r"(control & ~1u));
}

void rt_run_user(void (*fn)(void))
{
    __asm__ volatile("msr psp, %0\n\t"
                     "movs r1, #3\n\t"
                     "msr control, r1\n\t"
                     "isb" ::"r"(&user_stack[256]) : "r1", "memory");
    fn();
    __asm__ volatile("svc #0\n\t"
                     "movs r1, #0\n\t"
                     "msr control, r1\n\t"
                     "isb" ::: "r1", "memory");
}
