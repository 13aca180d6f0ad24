/* fault: after 500 ms, writes one word just below the start of its own
 * RAM, which belongs to the kernel or another process: the MPU/PMP must
 * stop it and the kernel's fault policy takes over. */
#include <stdint.h>
#include <stdio.h>

#include "sync/alarm_sync.h"
#include "tock.h"

int main(void)
{
    volatile uint32_t *target = (uint32_t *)tock_memop_ptr(TOCK_MEMOP_RAM_START) - 1;
    printf("fault: writing to %p, outside my memory, in 500 ms\n", (void *)target);
    alarm_sync_delay_ms(500);
    *target = 0xBADC0DE;
    printf("fault: the write to %p went through: memory protection is off!\n", (void *)target);
    return 1;
}
