/* Prints, then writes to memory it does not own: the kernel's fault policy
 * must act (dump, restart, stop or panic, per board). */
#include "raw.h"

#ifndef FAULT_ADDR
#define FAULT_ADDR 0x0
#endif

int main(uint32_t mem_start, uint32_t mem_len);

int main(uint32_t mem_start, uint32_t mem_len)
{
    (void)mem_len;
    puts_("fault: writing outside my memory\r\n");
    *(volatile uint32_t *)(mem_start - 4) = 0xdeadbeef;
    puts_("fault: FAIL, still alive\r\n");
    return 1;
}
