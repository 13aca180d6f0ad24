/* Compute workload 1: table-driven CRC-32 over a 4 KiB buffer, repeated. */
#include "rt.h"

#ifndef PASSES
#define PASSES 8000
#endif

static uint32_t table[256];
static uint8_t buf[4096];

int main(void)
{
    uint32_t crc = 0;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    for (uint32_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + (i >> 5));
    for (int p = 0; p < PASSES; p++) {
        uint32_t c = ~crc;
        for (uint32_t i = 0; i < sizeof buf; i++)
            c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        crc = ~c;
    }
    bench_done();
    rt_puts("crc32 ");
    rt_puthex(crc);
    rt_puts("\n");
    return 0;
}
