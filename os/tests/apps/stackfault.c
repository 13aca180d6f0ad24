/* Moves its stack pointer below its memory and makes a system call: the
 * exception entry itself faults (Cortex-M: MemManage stacking fault). */
#include "raw.h"

int main(uint32_t mem_start, uint32_t mem_len);

int main(uint32_t mem_start, uint32_t mem_len)
{
    (void)mem_len;
    puts_("stackfault: bad sp, then a system call\r\n");
#if defined(__arm__)
    __asm__ volatile("mov sp, %0\n\tsvc 2" : : "r"(mem_start - 64) : "memory");
#else
    __asm__ volatile("mv sp, %0\n\tsw zero, 0(sp)" : : "r"(mem_start - 64) : "memory");
#endif
    puts_("stackfault: FAIL, still alive\r\n");
    return 1;
}
