/* Compute workload 2: a multiply/divide loop. */
#include "rt.h"

#ifndef ITERS
#define ITERS 10000000
#endif

int main(void)
{
    uint32_t a = 12345, b = 678, acc = 0;
    for (uint32_t i = 1; i <= ITERS; i++) {
        a = a * 1664525u + 1013904223u;
        b = b * 22695477u + i;
        acc += a / ((b >> 16) | 1) + a % (i | 1);
    }
    bench_done();
    rt_puts("muldiv ");
    rt_puthex(acc);
    rt_puts("\n");
    return 0;
}
