/* alarm-edge: the alarm edge cases of the scenario library
 * (tests/scenario/alarm/), one per run. The app prints "alarm-edge: ready",
 * reads the name of a test from the console (a scenario types it), runs it
 * and prints "alarm-edge: NAME: PASS ..." or "... FAIL: why" (then exits
 * with 0 or 1).
 *
 * Raw tests use the alarm driver directly (syscalls/alarm_sys.h); the others
 * go through libtock's virtual alarms (services/alarm.h). Every alarm
 * callback first makes a marker system call (Command to driver 0xE0000,
 * which no kernel has: it returns NODEVICE) that the simulator stamps with
 * the exact cycle, for `alarm_upcall` expectations.
 *
 * Tick values are the kernel's left-justified 32-bit ticks; `unit` is the
 * number of them per hardware tick (256 on the nRF52's 24-bit RTC, 1 on a
 * 32-bit counter), found from the low bits of `now`. */
#include <stdio.h>
#include <string.h>

#include "services/alarm.h"
#include "sync/console_sync.h"
#include "syscalls/alarm_sys.h"
#include "syscalls/console_sys.h"
#include "tock.h"

#define MARK_DRIVER 0xE0000u
#define MARK_ALARM_UPCALL 1u

static uint32_t freq, unit, slack;    /* slack: extra lateness allowed (jitter), ticks */
static const char *test;
static unsigned failures;

#define FAIL(...)                                                   \
    do {                                                            \
        printf("alarm-edge: %s: FAIL: ", test);                     \
        printf(__VA_ARGS__);                                        \
        printf("\n");                                               \
        failures++;                                                 \
    } while (0)

static void mark(uint32_t id)
{
    tock_command(MARK_DRIVER, MARK_ALARM_UPCALL, id, 0);
}

static uint32_t now(void)
{
    uint32_t n = 0;
    alarm_sys_read(&n);
    return n;
}

static uint32_t us_ticks(uint64_t us)
{
    uint64_t t = (us * freq + 999999u) / 1000000u;
    return (uint32_t)(t > 0xFFFFFFFFu ? 0xFFFFFFFFu : t);
}

static unsigned long ticks_us(uint32_t t)
{
    return (unsigned long)((uint64_t)t * 1000000u / freq);
}

/* Spins (no yield, so no upcall runs) for at least us microseconds. */
static void busy_us(uint32_t us)
{
    uint32_t start = now(), t = us_ticks(us);
    while ((uint32_t)(now() - start) < t)
        ;
}

/* How late an upcall may be: the kernel's path (well under 1 ms), a chip's
 * minimum distance for a compare (2 ticks on the nRF52's RTC) and the tick
 * being read after it changed; plus what jitter the scenario adds. An alarm
 * a wrap (or a timeslice) late is far outside. */
static uint32_t late_bound(void)
{
    return us_ticks(1000) + 3 * unit + slack;
}

/* ---------------------------------------------------- raw upcalls -- */

static struct {
    volatile unsigned count;
    uint32_t now, exp;
} up;
static volatile unsigned other_count;

static void alarm_cb(int a0, int a1, int a2, void *ud)
{
    (void)a2;
    mark((uint32_t)(uintptr_t)ud);
    up.count++;
    up.now = (uint32_t)a0;
    up.exp = (uint32_t)a1;
}

static void other_cb(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
    other_count++;
}

static void raw_subscribe(uint32_t id)
{
    up.count = 0;
    if (alarm_sys_subscribe(alarm_cb, (void *)(uintptr_t)id) < 0)
        FAIL("subscribe failed");
}

/* Waits for the next alarm upcall; checks its expiration and lateness. */
static void wait_check(uint32_t exp, const char *what)
{
    unsigned before = up.count;
    while (up.count == before)
        tock_yield_wait();
    if (up.exp != exp)
        FAIL("%s: upcall expiration 0x%lx, the command returned 0x%lx", what,
             (unsigned long)up.exp, (unsigned long)exp);
    if ((int32_t)(up.now - exp) < 0)
        FAIL("%s: fired %lu ticks early (now 0x%lx, expiration 0x%lx)", what,
             (unsigned long)(exp - up.now), (unsigned long)up.now, (unsigned long)exp);
    else if (up.now - exp > late_bound())
        FAIL("%s: fired %lu us late (now 0x%lx, expiration 0x%lx)", what,
             ticks_us(up.now - exp), (unsigned long)up.now, (unsigned long)exp);
}

/* ----------------------------------------------------- raw tests -- */

static void t_dt0(void)
{
    raw_subscribe(0);
    for (int i = 0; i < 20; i++) {
        uint32_t exp;
        unsigned before = up.count;
        alarm_sys_set_relative(0, &exp);
        if (!tock_yield_no_wait() || up.count != before + 1) {
            FAIL("dt=0 (#%d): no upcall queued by the command", i);
            return;
        }
        if (up.exp != exp)
            FAIL("dt=0: upcall expiration 0x%lx, command returned 0x%lx", (unsigned long)up.exp,
                 (unsigned long)exp);
        busy_us(37);
    }
}

/* Short alarms: 1..3 ticks of a slow counter; on a counter as fast as the
 * CPU, dt sweeps 1..700 ticks, across the time the kernel takes from
 * reading now to programming the hardware (an expiry that passes in
 * between must still fire at once, not a wrap later). */
static void t_dt1(void)
{
    raw_subscribe(1);
    for (uint32_t i = 0; i < 100; i++) {
        uint32_t exp, dt = unit > 1 ? unit * (1 + i % 3) : 1 + 7 * i;
        alarm_sys_set_relative(dt, &exp);
        wait_check(exp, "short dt");
        if (failures)
            return;
    }
}

/* Alarms at a phase sliding 13 hardware ticks per 10 ms period against
 * whatever the kernel does every 10 ms (polling, timeslices): one of them
 * expires while the kernel is busy with another alarm, and must still be
 * on time (tock #3277). */
static void t_phase(void)
{
    uint32_t period = us_ticks(10000) + 13 * unit, ref, n = us_ticks(10000) / (13 * unit) + 2;
    raw_subscribe(13);
    ref = now();
    for (uint32_t i = 0; i < n; i++) {
        uint32_t exp;
        alarm_sys_set_absolute(ref, period, &exp);
        wait_check(exp, "sliding phase");
        if (failures) {
            printf("alarm-edge: %s: alarm %lu of %lu\n", test, (unsigned long)i, (unsigned long)n);
            return;
        }
        ref = exp;
    }
    printf("alarm-edge: %s: %lu alarms, phase step 13 ticks\n", test, (unsigned long)n);
}

static void t_ref_ahead(void)
{
    raw_subscribe(2);
    for (int i = 0; i < 10; i++) {
        uint32_t exp, n = now();
        alarm_sys_set_absolute(n + 100 * unit, 50 * unit, &exp);
        if (!tock_yield_no_wait())
            FAIL("reference ahead of now (#%d): not treated as passed (no upcall at once)", i);
    }
}

/* The reference lies 16 ticks before the last wrap of the counter, now a
 * little after it: the window [reference, reference + dt) spans the wrap
 * and the alarm is due 1 ms from now, not at once and not a wrap later. */
static void t_ref_behind_wrap(void)
{
    uint32_t n = now(), ref, dt, exp, want;
    raw_subscribe(3);
    /* a narrow counter wraps often (every 2 s at most): sleep past the next
     * wrap if it is under 3 s away */
    if (n >= 0x80000000u && (uint32_t)(0u - n) < us_ticks(3000000)) {
        unsigned before = up.count;
        alarm_sys_set_relative((0u - n) + 64 * unit, &exp);
        while (up.count == before)
            tock_yield_wait();
        n = now();
    }
    if (n >= 0x80000000u) {
        FAIL("now 0x%lx: the counter has not wrapped lately (the scenario sets alarm.wrap_at)",
             (unsigned long)n);
        return;
    }
    ref = 0u - 16 * unit;
    dt = n + 16 * unit + us_ticks(1000);
    want = ref + dt;
    alarm_sys_set_absolute(ref, dt, &exp);
    if (tock_yield_no_wait())
        FAIL("reference 0x%lx behind the wrap (now 0x%lx): fired at once", (unsigned long)ref,
             (unsigned long)n);
    if ((uint32_t)(exp - want) >= unit)
        FAIL("expiration 0x%lx, expected 0x%lx", (unsigned long)exp, (unsigned long)want);
    wait_check(exp, "reference behind the wrap");
}

static void t_dt(uint32_t dt, const char *what)
{
    uint32_t exp, n;
    raw_subscribe(4);
    n = now();
    alarm_sys_set_relative(dt, &exp);
    if (tock_yield_no_wait()) {
        FAIL("%s: fired at once", what);
        return;
    }
    printf("alarm-edge: %s: armed at 0x%lx, due 0x%lx (%lu s away)\n", test, (unsigned long)n,
           (unsigned long)exp, (unsigned long)((uint64_t)(exp - n) / freq));
    wait_check(exp, what);
}

static void t_exact(void)
{
    raw_subscribe(5);
    for (int i = 0; i < 30; i++) {
        uint32_t exp, n = now(), d = 1000 * unit;
        alarm_sys_set_absolute(n - d, d, &exp);
        if (!tock_yield_no_wait()) {
            FAIL("now == reference + dt (#%d, 0x%lx): not expired at the command", i,
                 (unsigned long)n);
            return;
        }
        busy_us(13 + 7 * (uint32_t)i);
    }
    for (int i = 0; i < 10; i++) {
        uint32_t exp;
        alarm_sys_set_relative((50 + 7 * (uint32_t)i) * unit, &exp);
        wait_check(exp, "fires when now reaches reference + dt");
        if (failures)
            return;
    }
}

/* Reference and dt not multiples of a hardware tick: the expiration is
 * rounded up, never down (tock #4201). */
static void t_rounding(void)
{
    raw_subscribe(6);
    for (uint32_t k = 0; k < 50; k++) {
        uint32_t n = now(), ret;
        uint32_t ref = n - (3 * unit + (k * 53) % unit);
        uint32_t dt = 6 * unit + (k * 97) % unit + 1;
        uint32_t want = ref + dt;
        alarm_sys_set_absolute(ref, dt, &ret);
        if ((int32_t)(ret - want) < 0 || ret - want >= unit)
            FAIL("ref 0x%lx dt 0x%lx: expiration 0x%lx, expected 0x%lx rounded up to a tick",
                 (unsigned long)ref, (unsigned long)dt, (unsigned long)ret, (unsigned long)want);
        wait_check(ret, "rounded expiration");
        if ((int32_t)(up.now - want) < 0)
            FAIL("ref 0x%lx dt 0x%lx: fired at 0x%lx, before 0x%lx", (unsigned long)ref,
                 (unsigned long)dt, (unsigned long)up.now, (unsigned long)want);
        if (failures)
            return;
    }
}

static void t_stop_after_fire(void)
{
    uint32_t exp;
    int rc;
    raw_subscribe(7);
    alarm_sys_set_relative(us_ticks(1000), &exp);
    busy_us(5000);                      /* fired; the upcall waits in the queue */
    rc = alarm_sys_stop();
    if (rc != TOCK_EALREADY)
        FAIL("stop after the alarm fired returned %d, expected ALREADY (%d)", rc, TOCK_EALREADY);
    if (!tock_yield_no_wait() || up.count != 1)
        FAIL("the queued upcall was not delivered after stop");
    /* stop before it fires: success, and no upcall */
    alarm_sys_set_relative(us_ticks(20000), &exp);
    rc = alarm_sys_stop();
    if (rc != TOCK_OK)
        FAIL("stop of an armed alarm returned %d, expected OK", rc);
    busy_us(30000);
    if (tock_yield_no_wait())
        FAIL("an upcall came from a stopped alarm");
}

static void t_resubscribe(void)
{
    uint32_t exp;
    raw_subscribe(8);
    alarm_sys_set_relative(us_ticks(1000), &exp);
    busy_us(5000);                      /* fired; the upcall waits in the queue */
    other_count = 0;
    if (alarm_sys_subscribe(other_cb, NULL) < 0)
        FAIL("re-subscribe failed");
    if (tock_yield_no_wait())
        FAIL("an upcall queued before the re-subscribe was delivered");
    busy_us(10000);
    if (tock_yield_no_wait())
        FAIL("an upcall was delivered after the re-subscribe");
    if (up.count || other_count)
        FAIL("callbacks ran: old %u, new %u (expected none)", up.count, other_count);
}

static volatile uintptr_t kernel_word = 4;     /* an address no app may write */

static void t_queue_overflow(void)
{
    unsigned delivered = 0;
    raw_subscribe(9);
    for (int i = 0; i < 11; i++) {      /* eleven upcalls, no yield in between */
        uint32_t exp;
        alarm_sys_set_relative(0, &exp);
    }
    while (tock_yield_no_wait())
        delivered++;
    if (delivered != 10) {
        FAIL("%u upcalls delivered after 11 were queued, expected 10 (queue of 10)", delivered);
        return;
    }
    printf("alarm-edge: %s: PASS (10 of 11 delivered; faulting on purpose to show the "
           "kernel's dropped-upcall count)\n", test);
    *(volatile uint32_t *)kernel_word = 0;  /* the fault dump follows */
    FAIL("the write to 0x4 did not fault");
}

/* A never-yielding app shares the CPU: alarms may be late by one timeslice
 * (10 ms), not more. */
static void t_latency(void)
{
    uint32_t ref = now(), period = us_ticks(20000), max_late = 0;
    raw_subscribe(10);
    for (int i = 0; i < 50; i++) {
        uint32_t exp, late;
        unsigned before = up.count;
        alarm_sys_set_absolute(ref, period, &exp);
        while (up.count == before)
            tock_yield_wait();
        late = now() - exp;             /* when the callback ran, not when it fired */
        if (late > max_late)
            max_late = late;
        ref = exp;
    }
    printf("alarm-edge: %s: 50 alarms, latest callback %lu us after its expiration\n", test,
           ticks_us(max_late));
    if (max_late > us_ticks(11000))
        FAIL("a callback ran %lu us late (more than one 10 ms timeslice)", ticks_us(max_late));
}

/* Yield-NoWait polling sees the upcall at the first poll after the kernel
 * queued it. */
static void t_poll(void)
{
    uint32_t exp, margin = us_ticks(200) > 2 * unit ? us_ticks(200) : 2 * unit;
    unsigned polls = 0, empty_after = 0;
    raw_subscribe(11);
    alarm_sys_set_relative(us_ticks(20000), &exp);
    for (;;) {
        uint32_t t = now();
        polls++;
        if (tock_yield_no_wait())
            break;
        if ((int32_t)(t - exp) > (int32_t)margin)
            empty_after++;
    }
    if (empty_after)
        FAIL("%u polls after the expiration (+%lu us) found nothing", empty_after,
             ticks_us(margin));
    if (polls < 2)
        FAIL("only %u polls: the alarm fired too early", polls);
    printf("alarm-edge: %s: %u polls, upcall %lu us after the expiration\n", test, polls,
           ticks_us(up.now - exp));
}

/* Yield-WaitFor returns the console write completion while the alarm
 * upcall queued before it stays queued (and runs at the next yield). */
static void t_waitfor(void)
{
    static const char msg[] = "alarm-edge: waitfor: writing while an alarm upcall is queued\n";
    uint32_t exp;
    struct tock_ret r;
    raw_subscribe(12);
    other_count = 0;
    alarm_sys_set_relative(0, &exp);    /* upcall queued now */
    if (console_sys_allow_write(msg, sizeof msg - 1) < 0 ||
        console_sys_subscribe_write(other_cb, NULL) < 0 || console_sys_write(sizeof msg - 1) < 0) {
        FAIL("console write failed to start");
        return;
    }
    r = tock_yield_wait_for(CONSOLE_DRIVER, CONSOLE_SUB_WRITE);
    if (r.variant != sizeof msg - 1)
        FAIL("wait-for returned (%lu, %lu, %lu), expected the write completion (%u bytes)",
             (unsigned long)r.variant, (unsigned long)r.r1, (unsigned long)r.r2,
             (unsigned)(sizeof msg - 1));
    if (up.count)
        FAIL("the alarm callback ran during wait-for");
    if (other_count)
        FAIL("wait-for called the console callback");
    if (!tock_yield_no_wait() || up.count != 1)
        FAIL("the alarm upcall did not stay queued for the next yield");
}

/* ------------------------------------------------- libtock tests -- */

static struct {
    volatile unsigned n;
    char order[8];
    uint32_t now[8], exp[8];
} lt;

static void lt_cb(uint32_t n, uint32_t exp, void *ud)
{
    unsigned i = lt.n;
    mark(100 + (uint32_t)(uintptr_t)ud);
    if (i < 8) {
        lt.order[i] = (char)(uintptr_t)ud;
        lt.now[i] = now();
        lt.exp[i] = exp;
    }
    lt.n++;
    (void)n;
}

static void lt_wait(unsigned count)
{
    while (lt.n < count)
        tock_yield_wait();
}

static void lt_check(unsigned i, char name, uint32_t bound, const char *what)
{
    if (lt.order[i] != name) {
        FAIL("%s: callback %u was %c, expected %c", what, i + 1, lt.order[i], name);
        return;
    }
    if ((int32_t)(lt.now[i] - lt.exp[i]) < 0)
        FAIL("%s: %c ran %lu ticks early", what, name, (unsigned long)(lt.exp[i] - lt.now[i]));
    else if (lt.now[i] - lt.exp[i] > bound)
        FAIL("%s: %c ran %lu us late (bound %lu us)", what, name, ticks_us(lt.now[i] - lt.exp[i]),
             ticks_us(bound));
}

static volatile bool slept;

static void sleep_cb(uint32_t n, uint32_t exp, void *ud)
{
    (void)n;
    (void)exp;
    (void)ud;
    slept = true;
}

static void lt_sleep(uint32_t ticks)
{
    struct alarm s;
    slept = false;
    alarm_in_ticks(&s, ticks, sleep_cb, NULL);
    tock_yield_for(&slept);
}

/* Sleeps until the next wrap of the counter is between 64 ticks and 2^31
 * ticks away (a narrow counter gets there within one period; a native one
 * must have been started near its wrap by the scenario). */
static bool wrap_ahead(uint32_t *to_wrap)
{
    for (int tries = 0; tries < 3; tries++) {
        uint32_t w = 0u - now();
        if (w < 0x80000000u && w > 64 * unit) {
            *to_wrap = w;
            return true;
        }
        if (w <= 64 * unit)
            lt_sleep(w + 128 * unit);           /* past this wrap */
        else if (w - 0x40000000u < us_ticks(3000000))
            lt_sleep(w - 0x40000000u);          /* to a quarter counter before the next */
        else
            return false;
    }
    return false;
}

/* Two alarms due just before and just after a wrap of the counter (set in
 * the reverse order), a third well after: they run in time order. */
static void t_straddle(void)
{
    struct alarm a, b, c;
    uint32_t n, to_wrap, d;
    memset(&lt, 0, sizeof lt);
    if (!wrap_ahead(&to_wrap)) {
        FAIL("no counter wrap within 2^31 ticks (the scenario sets alarm.wrap_at)");
        return;
    }
    n = now();
    to_wrap = 0u - n;
    d = to_wrap / 4 < us_ticks(2000) ? to_wrap / 4 : us_ticks(2000);
    alarm_at(&b, n, to_wrap + d, lt_cb, (void *)'B');
    alarm_at(&a, n, to_wrap - d, lt_cb, (void *)'A');
    alarm_at(&c, n, to_wrap + 4 * d, lt_cb, (void *)'C');
    printf("alarm-edge: %s: wrap in %lu us; A %lu us before it, B %lu us after\n", test,
           ticks_us(to_wrap), ticks_us(d), ticks_us(d));
    lt_wait(3);
    lt_check(0, 'A', us_ticks(2000), "before the wrap");
    lt_check(1, 'B', us_ticks(2000), "after the wrap");
    lt_check(2, 'C', us_ticks(2000), "well after the wrap");
}

static struct alarm lc_a, lc_b, lc_c;

static void long_cb(uint32_t n, uint32_t exp, void *ud)
{
    lt_cb(n, exp, ud);
    busy_us(40000);                     /* B expires meanwhile */
}

/* B expires during A's 40 ms callback: it runs right after A returns (up
 * to 40 ms late), not a wrap later; C is on time. */
static void t_long_callback(void)
{
    memset(&lt, 0, sizeof lt);
    alarm_in_ms(&lc_a, 20, long_cb, (void *)'A');
    alarm_in_ms(&lc_b, 30, lt_cb, (void *)'B');
    alarm_in_ms(&lc_c, 100, lt_cb, (void *)'C');
    lt_wait(3);
    lt_check(0, 'A', us_ticks(2000), "A");
    lt_check(1, 'B', us_ticks(35000), "B, due during A's callback");
    lt_check(2, 'C', us_ticks(2000), "C");
}

static void rearm_cb(uint32_t n, uint32_t exp, void *ud)
{
    lt_cb(n, exp, ud);
    alarm_in_ms(&lc_b, 100, lt_cb, (void *)'B');    /* moves B from +500 ms */
}

/* A's callback re-arms B (already armed later): B runs 100 ms after A's
 * callback, not at once and not at its old time. */
static void t_rearm_other(void)
{
    memset(&lt, 0, sizeof lt);
    alarm_in_ms(&lc_b, 500, lt_cb, (void *)'b');
    alarm_in_ms(&lc_a, 50, rearm_cb, (void *)'A');
    lt_wait(2);
    lt_check(0, 'A', us_ticks(2000), "A");
    lt_check(1, 'B', us_ticks(2000), "B re-armed by A");
    if (lt.n == 2 && (uint32_t)(lt.now[1] - lt.now[0]) < us_ticks(100000))
        FAIL("B ran %lu us after A's callback, expected 100 ms", ticks_us(lt.now[1] - lt.now[0]));
    tock_yield_no_wait();
    if (lt.n != 2)
        FAIL("%u callbacks, expected 2 (B's old time must not fire)", lt.n);
}

/* One alarm longer than 2^32 ticks, chained by libtock in legs of 2^31. */
static void t_chain_long(void)
{
    struct alarm a;
    uint64_t start, end, want = (1ull << 32) + us_ticks(100000);
    memset(&lt, 0, sizeof lt);
    alarm_uptime_ticks(&start);
    alarm_in_ticks(&a, want, lt_cb, (void *)'L');
    printf("alarm-edge: %s: waiting 2^32 + %lu ticks (%lu s)\n", test,
           (unsigned long)us_ticks(100000), (unsigned long)(want / freq));
    lt_wait(1);
    alarm_uptime_ticks(&end);
    if (end - start < want)
        FAIL("fired %lu ticks early", (unsigned long)(want - (end - start)));
    else if (end - start - want > us_ticks(2000))
        FAIL("fired %lu us late", ticks_us((uint32_t)(end - start - want)));
}

/* A storm of system calls: reads now for 2 s without yielding. */
static void t_busy(void)
{
    uint32_t start = now(), calls = 0;
    while ((uint32_t)(now() - start) < us_ticks(2000000))
        calls++;
    printf("alarm-edge: %s: %lu reads of now in 2 s\n", test, (unsigned long)calls);
}

/* ----------------------------------------------------------- main -- */

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    { "dt0", t_dt0 },
    { "dt1", t_dt1 },
    { "ref-ahead", t_ref_ahead },
    { "ref-behind-wrap", t_ref_behind_wrap },
    { "dt-max", NULL },
    { "dt-half-minus", NULL },
    { "dt-half-plus", NULL },
    { "exact", t_exact },
    { "rounding", t_rounding },
    { "straddle", t_straddle },
    { "long-callback", t_long_callback },
    { "rearm-other", t_rearm_other },
    { "stop-after-fire", t_stop_after_fire },
    { "resubscribe", t_resubscribe },
    { "queue-overflow", t_queue_overflow },
    { "chain-long", t_chain_long },
    { "latency", t_latency },
    { "poll", t_poll },
    { "waitfor", t_waitfor },
    { "busy", t_busy },
    { "phase", t_phase },
};

static uint32_t detect_unit(void)
{
    uint32_t acc = 0, last = now();
    unsigned changes = 0;
    for (unsigned i = 0; i < 100000 && changes < 4; i++) {
        uint32_t n = now();
        acc |= n;
        if (n != last)
            changes++;
        last = n;
    }
    return acc ? acc & (0u - acc) : 1;
}

int main(void)
{
    char line[40], *arg;
    size_t n = 0;

    if (alarm_sys_frequency(&freq) < 0 || !freq) {
        printf("alarm-edge: no alarm driver\n");
        return 1;
    }
    unit = detect_unit();
    printf("alarm-edge: ready (%lu Hz, %lu ticks per hardware tick)\n", (unsigned long)freq,
           (unsigned long)unit);
    while (n < sizeof line - 1) {
        int c = console_sync_getchar();
        if (c < 0 || c == '\n' || c == '\r')
            break;
        line[n++] = (char)c;
    }
    line[n] = 0;
    /* "NAME [SLACK_US]": more lateness allowed when the scenario adds jitter */
    arg = strchr(line, ' ');
    if (arg) {
        unsigned long us = 0;
        *arg++ = 0;
        while (*arg >= '0' && *arg <= '9')
            us = us * 10 + (unsigned long)(*arg++ - '0');
        slack = us_ticks(us);
    }
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(line, tests[i].name))
            continue;
        test = tests[i].name;
        if (!strcmp(test, "dt-max"))
            t_dt(0xFFFFFFFFu, "dt = 2^32 - 1");
        else if (!strcmp(test, "dt-half-minus"))
            t_dt(0x80000000u - unit, "dt = half the counter - 1 tick");
        else if (!strcmp(test, "dt-half-plus"))
            t_dt(0x80000000u + unit, "dt = half the counter + 1 tick");
        else
            tests[i].fn();
        if (!failures)
            printf("alarm-edge: %s: PASS\n", test);
        return failures ? 1 : 0;
    }
    printf("alarm-edge: unknown test '%s'\n", line);
    return 2;
}
