/* A narrower view of an alarm: `width` bits of a wider counter, as a
 * hil_alarm of that width (Tock runs 16-bit timers the same way). Test
 * kernels built with TOCK_ALARM_WIDTH=16 put one between the chip's alarm
 * and the virtual-alarm mux, so that every layer above sees a 16-bit
 * counter that wraps every 2^16 ticks (os/meson.build: kernel_variant_elf).
 *
 * A fast counter is also divided by a power of two (a prescaler), so that
 * the frequency userspace sees, freq << (32 - width), fits in 32 bits:
 * 25 MHz / 512 and 10 MHz / 256 for a 16-bit view; the nRF52's 32768 Hz as
 * it is. Narrow ticks start on multiples of the divider. */
#ifndef OS_CAPSULES_ALARM_NARROW_H
#define OS_CAPSULES_ALARM_NARROW_H

#include "hil/time.h"

struct alarm_narrow {
    struct hil_alarm alarm;             /* the narrow alarm (first member) */
    struct hil_alarm *hw;
    struct hil_alarm_client hw_client;
    unsigned shift;                     /* hardware ticks per narrow tick: 1 << shift */
};

void alarm_narrow_init(struct alarm_narrow *n, struct hil_alarm *hw, unsigned width_bits);

#endif
