/* A narrower view of an alarm: the low `width` bits of a wider counter, as
 * a hil_alarm of that width (Tock runs 16-bit timers the same way). Test
 * kernels built with TOCK_ALARM_WIDTH=16 put one between the chip's alarm
 * and the virtual-alarm mux, so that every layer above sees a 16-bit
 * counter that wraps every 2^16 ticks (os/meson.build: kernel_variant_elf). */
#ifndef OS_CAPSULES_ALARM_NARROW_H
#define OS_CAPSULES_ALARM_NARROW_H

#include "hil/time.h"

struct alarm_narrow {
    struct hil_alarm alarm;             /* the narrow alarm (first member) */
    struct hil_alarm *hw;
    struct hil_alarm_client hw_client;
};

void alarm_narrow_init(struct alarm_narrow *n, struct hil_alarm *hw, unsigned width_bits);

#endif
