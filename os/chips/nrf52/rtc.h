/* nRF52 RTC (RTC1 for the kernel's alarm): 24-bit COUNTER at 32768 Hz
 * (PRESCALER 0), compare CC[0] with the COMPARE0 event/interrupt.
 * Registers: TASKS_START 0x000, TASKS_STOP 0x004, TASKS_CLEAR 0x008,
 * EVENTS_COMPARE[n] 0x140+4n, INTENSET 0x304, INTENCLR 0x308 (COMPARE0 =
 * bit 16), COUNTER 0x504, PRESCALER 0x508, CC[n] 0x540+4n. As Tock: an
 * expiration less than 3 ticks ahead (or passed) is moved to now + 2, since
 * CC = COUNTER or COUNTER + 1 may not produce an event. */
#ifndef OS_CHIPS_NRF52_RTC_H
#define OS_CHIPS_NRF52_RTC_H

#include "hil/time.h"

struct nrf52_rtc {
    struct hil_alarm alarm;
    uintptr_t base;
    bool armed;
};

void nrf52_rtc_init(struct nrf52_rtc *r, uintptr_t base);
void nrf52_rtc_handle_interrupt(struct nrf52_rtc *r);

#endif
