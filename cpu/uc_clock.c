/* The host clock libunicorn sees.
 *
 * Unicorn 2.0.1 reads the host's wall clock (gettimeofday, through
 * get_clock_realtime) for one purpose only: sizing its software TLB. At each
 * flush it doubles the table of an MMU index whose entry count since the
 * last flush exceeded 70 % of its size, and halves it only once 100 ms of
 * *host* time have passed with less than 30 % in use. A Cortex-M MPU region
 * that ends inside a 1 KiB page makes QEMU refill that page's entry on every
 * access, and each refill counts as a new entry: one busy timeslice grows
 * the table to 2^22 entries (128 MiB), and every later flush (two per
 * system call: the kernel switches the MPU on and off) then clears 128 MiB
 * until host time lets it shrink. Measured on mps2-an386, 10 simulated s of
 * the alarms demo: 1116 flushes, the slowest 53 ms, 37 % of the run in
 * memset.
 *
 * tocksim defines gettimeofday itself; the dynamic linker binds libunicorn's
 * reference (its only user among our libraries, checked with nm) to this
 * definition. Every call reads as one second after the previous one, so
 * every flush finds its window expired: the TLB follows the guest's recent
 * use (grows when full, shrinks when mostly empty) whatever the host's speed,
 * and its size, like everything else, depends on the guest alone. The
 * count is process-wide because the function it replaces is; it only ever
 * moves forward, so runs in other threads cannot change what one run sees
 * (each call is at least a second after the one before). The value stays a
 * plausible wall-clock time for any other caller. */
#include "cpu.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <sys/time.h>
#include <time.h>

static atomic_uint_fast64_t uc_clock_calls;

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct timespec ts;
    uint64_t n = atomic_fetch_add(&uc_clock_calls, 1) + 1;

    (void)tz;
    clock_gettime(CLOCK_REALTIME, &ts);
    tv->tv_sec = ts.tv_sec + (time_t)n;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}

bool cpu_uc_clock_installed(void)
{
    return dlsym(RTLD_DEFAULT, "gettimeofday") == (void *)gettimeofday;
}
