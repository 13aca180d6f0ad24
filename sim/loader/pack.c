/* Placeholder until the TBF packer lands. */
#include "pack.h"

int pack_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "tocksim pack: not built yet\n");
    return SIM_EXIT_USAGE;
}

bool tbf_looks_like(const uint8_t *data, size_t len)
{
    return len >= 16 && data[0] == 2 && data[1] == 0;
}

int tbf_describe(const char *path, const uint8_t *data, size_t len, FILE *out, struct sim_error *err)
{
    (void)data; (void)len; (void)out;
    return sim_errorf(err, "%s: TBF decoding not built yet", path);
}
