/* Memory-protection benchmarks (issue #3):
 *   MODE 0  crc32 in privileged/M mode, protection off (the reference)
 *   MODE 1  the same loop in unprivileged/U mode inside page-aligned regions
 *   MODE 2  the same, with a region boundary inside the buffer's page
 *           (RV32: a page decided by the host to the byte; ARM: a 512-byte
 *           subregion boundary, which Unicorn re-checks on every access)
 *   MODE 3  SWITCHES switches between two processes' configurations
 *   MODE 4  SWITCHES rewrites of an unchanged configuration (no flush) */
#include "rt.h"

#ifndef PASSES
#define PASSES 2000
#endif
#ifndef SWITCHES
#define SWITCHES 100000
#endif

#define BUF_SIZE 4096
static uint32_t table[256];
static uint8_t buf[BUF_SIZE] __attribute__((aligned(4096)));
static volatile uint32_t result;

static void __attribute__((unused)) crc_work(void)
{
    uint32_t crc = 0;
    for (int p = 0; p < PASSES; p++) {
        uint32_t c = ~crc;
        for (uint32_t i = 0; i < BUF_SIZE; i++)
            c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        crc = ~c;
    }
    result = crc;
}

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    for (uint32_t i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(i * 7 + (i >> 5));
#if MODE == 0
    crc_work();
#elif MODE == 1 || MODE == 2
    rt_protect_user((uint32_t)buf, MODE == 2, 0);
    rt_run_user(crc_work);
#else
    for (uint32_t i = 0; i < SWITCHES; i++)
        rt_protect_user((uint32_t)buf, 0, MODE == 3 ? (int)(i & 1) : 0);
    result = SWITCHES;
#endif
    bench_done();
    rt_puts("prot ");
    rt_puthex(result);
    rt_puts("\n");
    return 0;
}
