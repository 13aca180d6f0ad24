#include "chips/nrf52/clock.h"

#define TASKS_HFCLKSTART        0x000u
#define TASKS_LFCLKSTART        0x008u
#define EVENTS_HFCLKSTARTED     0x100u
#define EVENTS_LFCLKSTARTED     0x104u
#define LFCLKSRC                0x518u
#define LFCLKSRC_XTAL           1u
#define WAIT_LIMIT              1000000u

static void wait_event(uintptr_t reg)
{
    for (uint32_t i = 0; i < WAIT_LIMIT && !k_reg_read(reg); i++) {
    }
    k_reg_write(reg, 0);
}

void nrf52_clock_init(uintptr_t base)
{
    k_reg_write(base + EVENTS_HFCLKSTARTED, 0);
    k_reg_write(base + TASKS_HFCLKSTART, 1);
    wait_event(base + EVENTS_HFCLKSTARTED);
    k_reg_write(base + LFCLKSRC, LFCLKSRC_XTAL);
    k_reg_write(base + EVENTS_LFCLKSTARTED, 0);
    k_reg_write(base + TASKS_LFCLKSTART, 1);
    wait_event(base + EVENTS_LFCLKSTARTED);
}
