/* Tiny bare-metal runtime for the benchmark guests: console, exit, a
 * periodic timer and sleep, for Cortex-M (semihosting, SysTick) and RV32
 * (NS16550, sifive_test, CLINT). */
#ifndef BENCH_RT_H
#define BENCH_RT_H

#include <stdint.h>

void rt_puts(const char *s);
void rt_puthex(uint32_t v);
void rt_exit(int code) __attribute__((noreturn));
/* Periodic timer interrupt every `cycles` core cycles (ARM: SysTick). */
void rt_timer_start(uint32_t period_cycles);
void rt_timer_stop(void);
void rt_wait_irq(void);             /* wfi */
extern volatile uint32_t rt_ticks;  /* incremented by the timer interrupt */
/* Protection for rt_run_user: code executable, data, bss, the user stack
 * and the 4 KiB page-aligned buffer at buf readable and writable. With
 * `cut`, a region boundary falls inside the buffer's page (both sides
 * allowed): what a finer-than-a-page boundary costs. `variant` picks one of
 * two equivalent configurations (to measure switching). */
void rt_protect_user(uint32_t buf, int cut, int variant);
/* Runs fn unprivileged (Cortex-M thread mode with CONTROL.nPRIV, RV32 U mode). */
void rt_run_user(void (*fn)(void));
/* Marks the end of the measured work (the raw-Unicorn run stops here). */
void bench_done(void) __attribute__((noinline));

#endif
