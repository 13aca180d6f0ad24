/* The CLINT machine timer (64-bit mtime/mtimecmp) as a 32-bit Alarm: the
 * kernel sees the low 32 bits of mtime. set_alarm computes the ticks left to
 * the 32-bit expiration and adds them to the full 64-bit mtime; an alarm
 * already passed is set to now, and mtime >= mtimecmp interrupts at once. */
#include "arch/rv32i/rv32i.h"

#define CLINT_MTIMECMP  0x4000u
#define CLINT_MTIME     0xBFF8u

static struct rv32i_mtimer *mt(struct hil_alarm *a) { return (struct rv32i_mtimer *)a; }

static uint64_t mtime64(struct rv32i_mtimer *t)
{
    uint32_t hi, lo;
    do {
        hi = k_reg_read(t->mtime + 4);
        lo = k_reg_read(t->mtime);
    } while (k_reg_read(t->mtime + 4) != hi);
    return (uint64_t)hi << 32 | lo;
}

static void write_cmp(struct rv32i_mtimer *t, uint64_t v)
{
    k_reg_write(t->mtimecmp, 0xFFFFFFFFu);          /* no spurious match in between */
    k_reg_write(t->mtimecmp + 4, (uint32_t)(v >> 32));
    k_reg_write(t->mtimecmp, (uint32_t)v);
}

static hil_ticks now(struct hil_alarm *a)
{
    return k_reg_read(mt(a)->mtime);
}

static void set_alarm(struct hil_alarm *a, hil_ticks reference, hil_ticks dt)
{
    struct rv32i_mtimer *t = mt(a);
    uint32_t ref = (uint32_t)reference, exp = ref + (uint32_t)dt;
    uint64_t n64 = mtime64(t);
    uint32_t n = (uint32_t)n64;
    uint32_t left = hil_ticks_within(n, ref, exp, 32) ? exp - n : 0;
    t->expire = exp;
    t->armed = true;
    write_cmp(t, n64 + left);
    RV_CSR_SET(mie, RV_MIP_MTIP);
}

static hil_ticks get_alarm(struct hil_alarm *a)
{
    return mt(a)->expire;
}

static int disarm(struct hil_alarm *a)
{
    struct rv32i_mtimer *t = mt(a);
    t->armed = false;
    write_cmp(t, ~(uint64_t)0);
    return 0;
}

static bool is_armed(struct hil_alarm *a)
{
    return mt(a)->armed;
}

static hil_ticks minimum_dt(struct hil_alarm *a)
{
    (void)a;
    return 1;
}

static const struct hil_alarm_ops ops = {
    .now = now, .set_alarm = set_alarm, .get_alarm = get_alarm,
    .disarm = disarm, .is_armed = is_armed, .minimum_dt = minimum_dt,
};

void rv32i_mtimer_handle_interrupt(struct rv32i_mtimer *t)
{
    bool was_armed = t->armed;
    disarm(&t->alarm);
    if (was_armed && t->alarm.client)
        t->alarm.client->fired(t->alarm.client);
}

void rv32i_mtimer_init(struct rv32i_mtimer *t, uintptr_t clint_base, uint32_t hz)
{
    t->alarm.ops = &ops;
    t->alarm.client = NULL;
    t->alarm.freq_hz = hz;
    t->alarm.width_bits = 32;
    t->mtime = clint_base + CLINT_MTIME;
    t->mtimecmp = clint_base + CLINT_MTIMECMP;
    t->armed = false;
    t->expire = 0;
    write_cmp(t, ~(uint64_t)0);
    RV_CSR_SET(mie, RV_MIP_MTIP);
}
