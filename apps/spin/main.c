/* spin: announces itself, then loops forever without a system call: only
 * the kernel's timeslice (preemption) lets other processes run. */
#include <stdio.h>

int main(void)
{
    printf("spin: spinning forever without yielding\n");
    for (volatile unsigned long n = 0;; n++)
        ;
}
