/* Userspace virtual alarms (see alarm.h). Built for the guest and, with a
 * fake alarm_sys layer, on the host for tests/unit/libtock. */
#include "alarm.h"

#include <stddef.h>

#include "../syscalls/alarm_sys.h"

/* Module state (one process, one instance). */
static struct {
    bool ready;
    uint32_t hz;
    struct alarm *armed;                /* sorted by due time (see insert) */
    struct alarm *firing;               /* expired, callbacks not run yet */
    uint32_t last_now;                  /* alarm_uptime_ticks */
    uint64_t high;
    bool uptime_started;
} st;

static void on_kernel_alarm(int now, int expiration, int unused, void *ud);

static int setup(void)
{
    int rc;
    if (st.ready)
        return 0;
    if ((rc = alarm_sys_frequency(&st.hz)) < 0)
        return rc;
    if (st.hz == 0)
        return TOCK_ENODEVICE;
    if ((rc = alarm_sys_subscribe(on_kernel_alarm, NULL)) < 0)
        return rc;
    st.ready = true;
    return 0;
}

uint32_t alarm_frequency(void)
{
    return setup() == 0 ? st.hz : 0;
}

int alarm_now(uint32_t *ticks)
{
    return alarm_sys_read(ticks);
}

/* ---------------------------------------------------------- the lists -- */

static bool unlink_from(struct alarm **list, struct alarm *a)
{
    for (struct alarm **p = list; *p; p = &(*p)->next)
        if (*p == a) {
            *p = a->next;
            a->next = NULL;
            return true;
        }
    return false;
}

/* Points the kernel alarm at the earliest armed alarm (or stops it). */
static void program_kernel(void)
{
    if (st.armed)
        alarm_sys_set_absolute(st.armed->reference, st.armed->dt, NULL);
    else
        alarm_sys_stop();               /* ALREADY if nothing was armed: fine */
}

/* Ticks from now until a is due: negative once it has expired (by how much
 * it is overdue), so that alarms that expired while the process was busy
 * still fire in the order they were due. */
static int64_t due_in(const struct alarm *a, uint32_t now)
{
    return (int64_t)a->dt - (int64_t)(uint32_t)(now - a->reference);
}

/* Inserts a into list after every alarm due no later (ties keep insertion
 * order). */
static void insert_into(struct alarm **list, struct alarm *a, uint32_t now)
{
    int64_t key = due_in(a, now);
    struct alarm **p = list;
    while (*p && due_in(*p, now) <= key)
        p = &(*p)->next;
    a->next = *p;
    *p = a;
}

static void insert(struct alarm *a, uint32_t now)
{
    insert_into(&st.armed, a, now);
}

/* Starts the leg of a that begins at reference, with total ticks to go. */
static void start_leg(struct alarm *a, uint32_t reference, uint64_t total)
{
    a->reference = reference;
    a->dt = total > ALARM_MAX_LEG ? ALARM_MAX_LEG : (uint32_t)total;
    a->ticks_after = total - a->dt;
}

static int arm(struct alarm *a, uint32_t reference, uint64_t total, alarm_fn fn, void *ud)
{
    uint32_t now;
    int rc;
    if ((rc = setup()) < 0 || (rc = alarm_sys_read(&now)) < 0)
        return rc;
    alarm_cancel(a);
    a->fn = fn;
    a->ud = ud;
    start_leg(a, reference, total);
    a->armed = true;
    struct alarm *head = st.armed;
    insert(a, now);
    if (st.armed != head)
        program_kernel();
    return 0;
}

/* ---------------------------------------------------------------- API -- */

int alarm_at(struct alarm *a, uint32_t reference, uint32_t dt, alarm_fn fn, void *ud)
{
    a->period_ms = 0;
    return arm(a, reference, dt, fn, ud);
}

int alarm_in_ticks(struct alarm *a, uint64_t ticks, alarm_fn fn, void *ud)
{
    uint32_t now;
    int rc;
    if ((rc = alarm_sys_read(&now)) < 0)
        return rc;
    a->period_ms = 0;
    return arm(a, now, ticks, fn, ud);
}

int alarm_in_ms(struct alarm *a, uint32_t ms, alarm_fn fn, void *ud)
{
    int rc = setup();
    if (rc < 0)
        return rc;
    return alarm_in_ticks(a, alarm_ms_to_ticks(ms), fn, ud);
}

/* Ticks from the k-th to the (k+1)-th expiry of a repeating alarm: the
 * exact quotient of period * f / 1000, carrying the remainder. */
static uint64_t next_period_ticks(struct alarm *a)
{
    uint64_t num = (uint64_t)a->period_ms * st.hz + a->period_rem;
    a->period_rem = (uint32_t)(num % 1000);
    return num / 1000;
}

int alarm_every_ms(struct alarm *a, uint32_t period_ms, alarm_fn fn, void *ud)
{
    uint32_t now;
    int rc;
    if (period_ms == 0)
        return TOCK_EINVAL;
    if ((rc = setup()) < 0 || (rc = alarm_sys_read(&now)) < 0)
        return rc;
    alarm_cancel(a);
    a->period_ms = period_ms;
    a->period_rem = 0;
    uint64_t ticks = next_period_ticks(a);
    return arm(a, now, ticks ? ticks : 1, fn, ud);
}

void alarm_cancel(struct alarm *a)
{
    if (!a->armed)
        return;
    a->armed = false;
    if (unlink_from(&st.firing, a))
        return;
    struct alarm *head = st.armed;
    if (unlink_from(&st.armed, a) && a == head)
        program_kernel();
}

bool alarm_is_armed(const struct alarm *a)
{
    return a->armed;
}

/* ------------------------------------------------------------- firing -- */

static void note_uptime(uint32_t now)
{
    if (!st.uptime_started) {
        st.uptime_started = true;
        st.last_now = now;
        return;
    }
    if (now < st.last_now)
        st.high += 1ull << 32;
    st.last_now = now;
}

static void on_kernel_alarm(int now_arg, int expiration, int unused, void *ud)
{
    uint32_t now;
    (void)now_arg; (void)expiration; (void)unused; (void)ud;
    if (alarm_sys_read(&now) < 0)
        return;
    note_uptime(now);

    /* Move every expired alarm to the firing list (expiry order, merged
     * with what a yielding callback left there); long alarms whose leg
     * ended start their next leg instead. */
    while (st.armed && alarm_ticks_expired(now, st.armed->reference, st.armed->dt)) {
        struct alarm *a = st.armed;
        st.armed = a->next;
        a->next = NULL;
        if (a->ticks_after) {
            start_leg(a, a->reference + a->dt, a->ticks_after);
            insert(a, now);
            continue;
        }
        insert_into(&st.firing, a, now);
    }
    program_kernel();

    /* Callbacks, one at a time from the shared list: a callback may cancel
     * or re-arm any alarm, or yield (and so fire alarms) itself. A repeating
     * alarm whose next expiry has also passed (the process was busy for
     * more than a period) goes back into this batch in expiry order, so
     * that every expiry runs once and in order with the other alarms'. */
    while (st.firing) {
        struct alarm *a = st.firing;
        st.firing = a->next;
        a->next = NULL;
        uint32_t due = a->reference + a->dt;
        if (a->period_ms) {
            uint64_t ticks = next_period_ticks(a);
            start_leg(a, due, ticks ? ticks : 1);
            if (alarm_ticks_expired(now, a->reference, a->dt)) {
                insert_into(&st.firing, a, now);
            } else {
                struct alarm *head = st.armed;
                insert(a, now);
                if (st.armed != head)
                    program_kernel();
            }
        } else {
            a->armed = false;
        }
        a->fn(now, due, a->ud);
    }
}

/* -------------------------------------------------------- conversions -- */

uint64_t alarm_ms_to_ticks(uint64_t ms)
{
    uint64_t hz = alarm_frequency();
    /* ms * hz may exceed 64 bits only beyond 2^32 ms at 2^32 Hz. */
    return (ms * hz + 999) / 1000;
}

uint64_t alarm_ticks_to_ms(uint64_t ticks)
{
    uint64_t hz = alarm_frequency();
    if (!hz)
        return 0;
    return ticks / hz * 1000 + ticks % hz * 1000 / hz;
}

uint64_t alarm_ticks_to_us(uint64_t ticks)
{
    uint64_t hz = alarm_frequency();
    if (!hz)
        return 0;
    return ticks / hz * 1000000 + ticks % hz * 1000000 / hz;
}

int alarm_uptime_ticks(uint64_t *ticks)
{
    uint32_t now;
    int rc = alarm_sys_read(&now);
    if (rc < 0)
        return rc;
    note_uptime(now);
    *ticks = st.high | now;
    return 0;
}

int alarm_uptime_ms(uint64_t *ms)
{
    uint64_t t;
    int rc = alarm_uptime_ticks(&t);
    if (rc == 0)
        *ms = alarm_ticks_to_ms(t);
    return rc;
}
