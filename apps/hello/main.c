/* hello: prints a greeting and where the kernel put the process. */
#include <stdio.h>

#include "tock.h"

int main(void)
{
    printf("Hello from Tock userspace (tocksim libtock)!\n");
    printf("app flash [%p, %p), RAM [%p, %p)\n", tock_memop_ptr(TOCK_MEMOP_FLASH_START),
           tock_memop_ptr(TOCK_MEMOP_FLASH_END), tock_memop_ptr(TOCK_MEMOP_RAM_START),
           tock_memop_ptr(TOCK_MEMOP_RAM_END));
    return 0;
}
