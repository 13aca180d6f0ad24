/* memory: grows its heap with sbrk (memop 1) 1 KiB at a time, touching each
 * new KiB, until the kernel refuses; then shows that malloc fails cleanly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tock.h"

#define STEP 1024

int main(void)
{
    char *ram_start = tock_memop_ptr(TOCK_MEMOP_RAM_START);
    char *ram_end = tock_memop_ptr(TOCK_MEMOP_RAM_END);
    char *start = tock_sbrk(0);
    printf("memory: RAM [%p, %p), heap starts at %p\n", (void *)ram_start, (void *)ram_end, (void *)start);

    unsigned kib = 0;
    for (;;) {
        char *p = tock_sbrk(STEP);
        if (p == (void *)-1)
            break;
        memset(p, 0xA5, STEP);          /* the new memory must be usable */
        kib++;
    }
    char *brk = tock_sbrk(0);
    printf("memory: sbrk refused after %u KiB, break at %p (%u bytes below RAM end)\n", kib, (void *)brk,
           (unsigned)(ram_end - brk));
    void *m = malloc(2 * STEP);
    printf("memory: malloc(%u) after that: %s\n", 2 * STEP, m ? "got memory?!" : "NULL, as expected");
    return 0;
}
