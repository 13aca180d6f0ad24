/* Console input: reads 5 bytes twice (read-write allow 1, command 2,
 * Yield-WaitFor on subscribe 2) and prints them back. */
#include "raw.h"

int main(uint32_t mem_start, uint32_t mem_len);

int main(uint32_t mem_start, uint32_t mem_len)
{
    (void)mem_start;
    (void)mem_len;
    char buf[8];
    puts_("echo: ready\r\n");
    for (int i = 0; i < 2; i++) {
        allow_rw(1, 1, buf, 5);
        struct sret r = command(1, 2, 5, 0);
        if (r.r0 != 128) {
            puts_("echo: FAIL read command\r\n");
            return 1;
        }
        r = yield_wait_for(1, 2);               /* (status, bytes, 0) */
        allow_rw(1, 1, 0, 0);
        puts_("echo: got [");
        out(buf, r.r1);
        puts_("] status ");
        put_dec(r.r0);
        puts_("\r\n");
    }
    return 0;
}
