/* console-echo: echoes every byte it reads; at the end of a line, prints
 * the line back with its length. */
#include <stdio.h>

#include "sync/console_sync.h"

int main(void)
{
    char line[80];
    size_t n = 0;

    printf("console-echo: type a line\n> ");
    fflush(stdout);
    for (;;) {
        int c = console_sync_getchar();
        if (c < 0) {
            printf("console-echo: read failed (%d)\n", c);
            return 1;
        }
        if (c == '\r' || c == '\n') {
            line[n] = 0;
            printf("\necho (%u bytes): %s\n> ", (unsigned)n, line);
            n = 0;
            continue;
        }
        putchar(c);
        if (n < sizeof line - 1)
            line[n++] = (char)c;
    }
}
