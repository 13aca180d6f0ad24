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
    if (cause == 8) {
        /* ecall from U mode: back to M mode after rt_run_user's mret */
        extern char rt_user_return[];
        __asm__ volatile("csrw mepc, %0\n\t"
                         "li t0, 0x1800\n\t csrs mstatus, t0" ::"r"(rt_user_return) : "t0");
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

/* ------------------------------------------------------ U-mode runs -- */

uint32_t rt_user_stack[256] __attribute__((aligned(16)));
volatile uint32_t rt_m_sp;

#define CSRW(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"(v))

void rt_protect_user(uint32_t buf, int cut, int variant)
{
    extern uint32_t _sdata;
    /* 0-1: flash RX; 2-3: RAM from the data to the buffer's end (or, with
     * `cut`, to the middle of the buffer's page) RW; 4-5: the rest RW */
    uint32_t ram = (uint32_t)&_sdata, mid = buf + 2052, end = buf + 4096;
    CSRW(pmpcfg0, 0);
    CSRW(pmpcfg1, 0);
    CSRW(pmpaddr0, 0x80000000u >> 2);
    CSRW(pmpaddr1, (0x80000000u + 0x100000u) >> 2);
    CSRW(pmpaddr2, ram >> 2);
    CSRW(pmpaddr3, (cut ? mid : end) >> 2);
    CSRW(pmpaddr4, (cut ? mid : end + (variant ? 4096 : 0)) >> 2);
    CSRW(pmpaddr5, (end + 8192) >> 2);
    /* cfg: TOR (0x08) | R 1 | W 2 | X 4 */
    CSRW(pmpcfg0, (0x0du << 8) | (0x0bu << 24));
    CSRW(pmpcfg1, 0x0bu << 8);
}

void __attribute__((naked, used)) rt_user_entry(void);
void __attribute__((naked, used)) rt_user_entry(void)
{
    __asm__ volatile("jalr a0\n\t"
                     "ecall\n\t");
}

void rt_run_user(void (*fn)(void))
{
    register void (*a0)(void) __asm__("a0") = fn;
    __asm__ volatile(
        "addi sp, sp, -64\n\t"
        "sw ra, 0(sp)\n\t sw s0, 4(sp)\n\t sw s1, 8(sp)\n\t sw s2, 12(sp)\n\t"
        "sw s3, 16(sp)\n\t sw s4, 20(sp)\n\t sw s5, 24(sp)\n\t sw s6, 28(sp)\n\t"
        "sw s7, 32(sp)\n\t sw s8, 36(sp)\n\t sw s9, 40(sp)\n\t sw s10, 44(sp)\n\t sw s11, 48(sp)\n\t"
        "la t0, rt_m_sp\n\t sw sp, 0(t0)\n\t"
        "la t0, rt_user_entry\n\t csrw mepc, t0\n\t"
        "li t0, 0x1800\n\t csrc mstatus, t0\n\t"        /* MPP = U */
        "la sp, rt_user_stack + 1024\n\t"
        "mret\n\t"
        ".global rt_user_return\n"
        "rt_user_return:\n\t"
        "la t0, rt_m_sp\n\t lw sp, 0(t0)\n\t"
        "lw ra, 0(sp)\n\t lw s0, 4(sp)\n\t lw s1, 8(sp)\n\t lw s2, 12(sp)\n\t"
        "lw s3, 16(sp)\n\t lw s4, 20(sp)\n\t lw s5, 24(sp)\n\t lw s6, 28(sp)\n\t"
        "lw s7, 32(sp)\n\t lw s8, 36(sp)\n\t lw s9, 40(sp)\n\t lw s10, 44(sp)\n\t lw s11, 48(sp)\n\t"
        "addi sp, sp, 64\n\t"
        : "+r"(a0) :: "t0", "memory");
}
