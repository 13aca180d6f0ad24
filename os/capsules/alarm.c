#include "capsules/alarm.h"

/* Kernels built with -DTOCK_BUG_<NAME> re-introduce a historical Tock
 * alarm bug for the scenario library to catch (tests/scenario/alarm/):
 *   TOCK_BUG_NOW_RAW       tock #3938: ticks cross the syscall boundary
 *                          unjustified (a 24-bit counter wraps at 2^24)
 *   TOCK_BUG_DT_ROUNDING   tock #4201: reference and dt rounded separately
 *                          (an alarm can fire a tick early)
 *   TOCK_BUG_UPCALL_RAW    tock #4201: upcall arg1 not left-justified
 *   TOCK_BUG_BOUNDARY      tock #2163: now == reference + dt not expired */
static unsigned padding(const struct hil_alarm *a)
{
#if defined(TOCK_BUG_NOW_RAW)
    (void)a;
    return 0;
#else
    return a->width_bits < 32 ? 32u - a->width_bits : 0u;
#endif
}

uint32_t cap_alarm_left_justify(const struct hil_alarm *a, hil_ticks t)
{
    return (uint32_t)(t << padding(a));
}

void cap_alarm_to_hw(const struct hil_alarm *a, hil_ticks now, bool has_ref, uint32_t ref_u32,
                     uint32_t dt_u32, hil_ticks *ref, hil_ticks *dt)
{
    unsigned w = a->width_bits, pad = padding(a);
    if (w > 32) {
        /* Rebase the 32-bit userspace reference onto the wide counter: it is
         * at or before now, so in this or the previous 2^32 window. */
        if (!has_ref) {
            *ref = now;
        } else {
            hil_ticks hi = now >> 32;
            if ((uint32_t)now < ref_u32)
                hi -= 1;
            *ref = ((hi << 32) | ref_u32) & hil_ticks_mask(w);
        }
        *dt = dt_u32;
        return;
    }
    uint64_t unit = (uint64_t)1 << pad;
    if (!has_ref) {
        *ref = now;
        *dt = ((uint64_t)dt_u32 + unit - 1) >> pad;     /* round up: never early */
        if (*dt > hil_ticks_mask(w))                    /* 2^32 - 1 is 2^w - 1, not 0 */
            *dt = hil_ticks_mask(w);
        return;
    }
#if defined(TOCK_BUG_DT_ROUNDING)
    *ref = ref_u32 >> pad;
    *dt = ((uint64_t)dt_u32 + unit - 1) >> pad;
    if (*dt > hil_ticks_mask(w))
        *dt = hil_ticks_mask(w);
#else
    /* Round the reference down and the expiration up (tock #4201), in 64
     * bits so that a dt near 2^32 stays near 2^w and does not wrap to 0. */
    hil_ticks ref_hw = ref_u32 >> pad;
    uint64_t exp_hw = ((uint64_t)ref_u32 + dt_u32 + unit - 1) >> pad;
    *ref = ref_hw;
    *dt = exp_hw - ref_hw > hil_ticks_mask(w) ? hil_ticks_mask(w) : exp_hw - ref_hw;
#endif
}

/* After any change, and whenever the alarm fires: deliver every expired
 * expiration, then arm the hardware for the earliest remaining one. */
static void rearm_or_callback(struct cap_alarm *c, bool fired)
{
    struct hil_alarm *a = c->alarm;
    unsigned w = a->width_bits;
    hil_ticks now = hil_alarm_now(a);
    bool found = false;
    hil_ticks best_ref = 0, best_dt = 0, best_left = 0;
    for (unsigned i = 0; i < k_num_processes(c->kernel); i++) {
        struct k_process *p = k_process_at(c->kernel, i);
        struct cap_alarm_app *app = k_grant_get(p, &c->grant);
        if (!app || !app->armed)
            continue;
        hil_ticks exp = hil_ticks_add(app->reference, app->dt, w);
#if defined(TOCK_BUG_BOUNDARY)
        bool expired = hil_ticks_within(exp, app->reference, now, w);
#else
        bool expired = !hil_ticks_within(now, app->reference, exp, w);
#endif
        if (fired && c->armed && app->reference == c->armed_ref && app->dt == c->armed_dt)
            expired = true;
        if (expired) {
            app->armed = false;
#if defined(TOCK_BUG_UPCALL_RAW)
            k_upcall_schedule(p, CAP_ALARM_DRIVER, 0, cap_alarm_left_justify(a, now),
                              (uint32_t)exp, 0);
#else
            k_upcall_schedule(p, CAP_ALARM_DRIVER, 0, cap_alarm_left_justify(a, now),
                              cap_alarm_left_justify(a, exp), 0);
#endif
            continue;
        }
        hil_ticks left = hil_ticks_sub(exp, now, w);
        if (!found || left < best_left) {
            found = true;
            best_ref = app->reference;
            best_dt = app->dt;
            best_left = left;
        }
    }
    c->armed = found;
    c->armed_ref = best_ref;
    c->armed_dt = best_dt;
    if (found)
        hil_alarm_set(a, best_ref, best_dt);
    else
        hil_alarm_disarm(a);
}

static void alarm_fired(struct hil_alarm_client *cl)
{
    rearm_or_callback(container_of(cl, struct cap_alarm, client), true);
}

static struct k_ret command(struct k_driver *d, struct k_process *p, uint32_t cmd,
                            uint32_t arg0, uint32_t arg1)
{
    struct cap_alarm *c = container_of(d, struct cap_alarm, driver);
    struct hil_alarm *a = c->alarm;
    switch (cmd) {
    case 0:
        return k_ret_success();
    case 1:
        return k_ret_success_u32(a->freq_hz << padding(a));
    case 2:
        return k_ret_success_u32(cap_alarm_left_justify(a, hil_alarm_now(a)));
    case 3: {
        struct cap_alarm_app *app = k_grant_enter(p, &c->grant);
        if (!app)
            return k_ret_failure(K_ENOMEM);
        if (!app->armed)
            return k_ret_failure(K_EALREADY);
        app->armed = false;
        rearm_or_callback(c, false);
        return k_ret_success();
    }
    case 5:
    case 6: {
        struct cap_alarm_app *app = k_grant_enter(p, &c->grant);
        if (!app)
            return k_ret_failure(K_ENOMEM);
        hil_ticks ref, dt;
        if (cmd == 5)
            cap_alarm_to_hw(a, hil_alarm_now(a), false, 0, arg0, &ref, &dt);
        else
            cap_alarm_to_hw(a, hil_alarm_now(a), true, arg0, arg1, &ref, &dt);
        app->armed = true;
        app->reference = ref;
        app->dt = dt;
        uint32_t exp = cap_alarm_left_justify(a, hil_ticks_add(ref, dt, a->width_bits));
        rearm_or_callback(c, false);
        return k_ret_success_u32(exp);
    }
    default:
        return k_ret_failure(K_ENOSUPPORT);
    }
}

void cap_alarm_init(struct cap_alarm *c, struct k_kernel *k, struct hil_alarm *alarm)
{
    c->kernel = k;
    c->alarm = alarm;
    c->client.fired = alarm_fired;
    c->armed = false;
    alarm->client = &c->client;
    c->driver = (struct k_driver){
        .num = CAP_ALARM_DRIVER, .num_upcalls = 1, .grant = &c->grant, .command = command,
    };
    c->grant = (struct k_grant){ .driver_num = CAP_ALARM_DRIVER, .size = sizeof(struct cap_alarm_app) };
    k_grant_register(k, &c->grant);
}
