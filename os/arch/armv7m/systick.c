/* SysTick as the scheduler timer (TOCK.md §6): counts down from the
 * timeslice at the core clock; COUNTFLAG (latched in `expired`, because
 * reading CSR clears it) says the slice is over; TICKINT only while a process
 * runs, so the expiry interrupts the process and nothing else. */
#include "arch/armv7m/armv7m.h"

#define CSR_ENABLE      (1u << 0)
#define CSR_TICKINT     (1u << 1)
#define CSR_CLKSOURCE   (1u << 2)
#define CSR_COUNTFLAG   (1u << 16)

static struct armv7m_systick *sy(struct hil_sched_timer *t) { return (struct armv7m_systick *)t; }

static void st_start(struct hil_sched_timer *t, uint32_t us)
{
    uint64_t ticks = (uint64_t)sy(t)->hz * us / 1000000u;
    if (ticks > 0x00FFFFFFu)
        ticks = 0x00FFFFFFu;
    if (ticks < 2)
        ticks = 2;
    k_reg_write(ARMV7M_SYST_CSR, 0);
    k_reg_write(ARMV7M_SYST_RVR, (uint32_t)ticks - 1);
    k_reg_write(ARMV7M_SYST_CVR, 0);
    k_reg_write(ARMV7M_SYST_CSR, CSR_ENABLE | CSR_CLKSOURCE);
    sy(t)->expired = false;
}

static void st_reset(struct hil_sched_timer *t)
{
    k_reg_write(ARMV7M_SYST_CSR, 0);
    k_reg_write(ARMV7M_SYST_CVR, 0);
    sy(t)->expired = false;
}

static void st_arm(struct hil_sched_timer *t)
{
    (void)t;
    k_reg_write(ARMV7M_SYST_CSR, CSR_ENABLE | CSR_CLKSOURCE | CSR_TICKINT);
}

static void st_disarm(struct hil_sched_timer *t)
{
    (void)t;
    k_reg_write(ARMV7M_SYST_CSR, CSR_ENABLE | CSR_CLKSOURCE);
}

static uint32_t st_remaining_us(struct hil_sched_timer *t)
{
    struct armv7m_systick *s = sy(t);
    if (s->expired)
        return 0;
    if (k_reg_read(ARMV7M_SYST_CSR) & CSR_COUNTFLAG) {
        s->expired = true;
        return 0;
    }
    uint64_t left = k_reg_read(ARMV7M_SYST_CVR);
    if (left == 0)              /* not reloaded yet, just after start() */
        left = (uint64_t)k_reg_read(ARMV7M_SYST_RVR) + 1;
    return (uint32_t)(left * 1000000u / s->hz);
}

static const struct hil_sched_timer_ops ops = {
    .start = st_start,
    .reset = st_reset,
    .arm = st_arm,
    .disarm = st_disarm,
    .remaining_us = st_remaining_us,
};

void armv7m_systick_init(struct armv7m_systick *s, uint32_t core_hz)
{
    s->timer.ops = &ops;
    s->hz = core_hz;
    s->expired = false;
}
