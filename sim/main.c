/* tocksim entry point (being built). */
#include <stdio.h>
int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "tocksim: under construction\n");
    return 2;
}
