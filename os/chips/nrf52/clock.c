#include "chips/nrf52/clock.h"

#include "arch/armv7m/armv7m.h"

#define TASKS_HFCLKSTART        0x000u
#define TASKS_LFCLKSTART        0x008u
#define EVENTS_HFCLKSTARTED     0x100u
#define EVENTS_LFCLKSTARTED     0x104u
#define INTENSET                0x304u
#define INTENCLR                0x308u
#define INT_HFCLKSTARTED        (1u << 0)
#define INT_LFCLKSTARTED        (1u << 1)
#define LFCLKSRC                0x518u
#define LFCLKSRC_XTAL           1u

static bool event_set(void *reg)
{
    return k_reg_read((uintptr_t)reg) != 0;
}

static void start_and_wait(uintptr_t base, unsigned irq, uint32_t task, uint32_t event,
                           uint32_t inten)
{
    k_reg_write(base + event, 0);
    k_reg_write(base + INTENSET, inten);
    k_reg_write(base + task, 1);
    armv7m_wait_masked(irq, event_set, (void *)(base + event));
    k_reg_write(base + INTENCLR, inten);
    k_reg_write(base + event, 0);
}

void nrf52_clock_init(uintptr_t base, unsigned irq)
{
    start_and_wait(base, irq, TASKS_HFCLKSTART, EVENTS_HFCLKSTARTED, INT_HFCLKSTARTED);
    k_reg_write(base + LFCLKSRC, LFCLKSRC_XTAL);
    start_and_wait(base, irq, TASKS_LFCLKSTART, EVENTS_LFCLKSTARTED, INT_LFCLKSTARTED);
}
