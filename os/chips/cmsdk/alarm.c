#include "chips/cmsdk/alarm.h"

/* CMSDK APB timer */
#define T_CTRL          0x00u
#define T_VALUE         0x04u
#define T_RELOAD        0x08u
#define T_INTCLEAR      0x0Cu
#define T_CTRL_EN       (1u << 0)
#define T_CTRL_IRQEN    (1u << 3)
/* CMSDK APB dual timer, counter 1 */
#define D_LOAD          0x00u
#define D_VALUE         0x04u
#define D_CONTROL       0x08u
#define D_INTCLR        0x0Cu
#define D_CTRL_32BIT    (1u << 1)
#define D_CTRL_EN       (1u << 7)

#define MIN_DT          16u     /* ticks: time to program the compare */

static struct cmsdk_alarm *ca(struct hil_alarm *a) { return (struct cmsdk_alarm *)a; }

static hil_ticks now(struct hil_alarm *a)
{
    return ~k_reg_read(ca(a)->dual_base + D_VALUE);
}

static void set_alarm(struct hil_alarm *ha, hil_ticks reference, hil_ticks dt)
{
    struct cmsdk_alarm *a = ca(ha);
    uint32_t ref = (uint32_t)reference, exp = ref + (uint32_t)dt;
    uint32_t n = (uint32_t)now(ha);
    uint32_t left = hil_ticks_within(n, ref, exp, 32) ? exp - n : 0;
    if (left < MIN_DT)
        left = MIN_DT;
    a->expire = exp;
    a->armed = true;
    k_reg_write(a->timer_base + T_CTRL, 0);
    k_reg_write(a->timer_base + T_INTCLEAR, 1);
    k_reg_write(a->timer_base + T_RELOAD, 0xFFFFFFFFu);
    k_reg_write(a->timer_base + T_VALUE, left);
    k_reg_write(a->timer_base + T_CTRL, T_CTRL_EN | T_CTRL_IRQEN);
}

static hil_ticks get_alarm(struct hil_alarm *a)
{
    return ca(a)->expire;
}

static int disarm(struct hil_alarm *ha)
{
    struct cmsdk_alarm *a = ca(ha);
    a->armed = false;
    k_reg_write(a->timer_base + T_CTRL, 0);
    k_reg_write(a->timer_base + T_INTCLEAR, 1);
    return 0;
}

static bool is_armed(struct hil_alarm *a)
{
    return ca(a)->armed;
}

static hil_ticks minimum_dt(struct hil_alarm *a)
{
    (void)a;
    return MIN_DT;
}

static const struct hil_alarm_ops ops = {
    .now = now, .set_alarm = set_alarm, .get_alarm = get_alarm,
    .disarm = disarm, .is_armed = is_armed, .minimum_dt = minimum_dt,
};

void cmsdk_alarm_handle_interrupt(struct cmsdk_alarm *a)
{
    bool was_armed = a->armed;
    disarm(&a->alarm);
    if (was_armed && a->alarm.client)
        a->alarm.client->fired(a->alarm.client);
}

void cmsdk_alarm_init(struct cmsdk_alarm *a, uintptr_t timer_base, uintptr_t dualtimer_base,
                      uint32_t pclk_hz)
{
    a->alarm.ops = &ops;
    a->alarm.client = NULL;
    a->alarm.freq_hz = pclk_hz;
    a->alarm.width_bits = 32;
    a->timer_base = timer_base;
    a->dual_base = dualtimer_base;
    a->armed = false;
    a->expire = 0;
    /* Free-running from its reset value (0xFFFFFFFF, now = 0): no write to
     * LOAD, which would restart it, so that a scenario may start it near
     * the wrap. */
    k_reg_write(dualtimer_base + D_CONTROL, 0);
    k_reg_write(dualtimer_base + D_INTCLR, 1);
    k_reg_write(dualtimer_base + D_CONTROL, D_CTRL_EN | D_CTRL_32BIT);   /* free-running */
    disarm(&a->alarm);
}
