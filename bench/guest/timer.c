/* Timer wake-ups: a 10 ms periodic interrupt, the core asleep (WFI) in
 * between, WAKEUPS times (100 simulated seconds for 10 000). */
#include "rt.h"

#ifndef WAKEUPS
#define WAKEUPS 10000
#endif
#ifndef PERIOD
#define PERIOD 250000               /* 10 ms at 25 MHz (mps2-an386) */
#endif

int main(void)
{
    rt_timer_start(PERIOD);
    while (rt_ticks < WAKEUPS)
        rt_wait_irq();
    rt_timer_stop();
    bench_done();
    rt_puts("wakeups ");
    rt_puthex(rt_ticks);
    rt_puts("\n");
    return 0;
}
