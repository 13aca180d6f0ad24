/* Never yields: the scheduler must preempt it. Prints a heartbeat through
 * the low-level debug driver (a command, no yield) every few million loops. */
#include "raw.h"

int main(uint32_t mem_start, uint32_t mem_len);

int main(uint32_t mem_start, uint32_t mem_len)
{
    (void)mem_start;
    (void)mem_len;
    for (uint32_t beat = 0;; beat++) {
        for (volatile uint32_t i = 0; i < 2000000u; i++) {
        }
        command(8, 2, beat, 0);
    }
}
