/* tocksim entry point (being built). */
#include <stdio.h>
#include <string.h>

#include "loader/pack.h"

int main(int argc, char **argv)
{
    /* Until the lead's command dispatcher lands: `tocksim pack ...`. */
    if (argc > 1 && strcmp(argv[1], "pack") == 0)
        return pack_main(argc - 1, argv + 1);
    fprintf(stderr, "tocksim: under construction\n");
    return 2;
}
