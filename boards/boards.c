/* The list of boards (DESIGN.md §6); the first is the default. */
#include <string.h>

#include "board.h"

/* The ARM boards need the lead's NVIC/SCB/MPU models; until periph/nvic.h
 * exists in the tree they are left out of the build (boards/meson.build). */
#if defined(__has_include)
#if __has_include("../periph/nvic.h") && __has_include("../periph/scb.h") && \
    __has_include("../periph/mpu_v7m.h")
#define BOARDS_HAVE_ARM 1
#endif
#endif

const struct board_desc *const board_list[] = {
#ifdef BOARDS_HAVE_ARM
    &board_nrf52840dk,
    &board_mps2_an386,
#endif
    &board_qemu_rv32_virt,
};

const unsigned board_count = ARRAY_LEN(board_list);

/* NULL or "" gives the default board. */
const struct board_desc *board_find(const char *name)
{
    if (!name || !*name)
        return board_list[0];
    for (unsigned i = 0; i < board_count; i++)
        if (strcmp(board_list[i]->name, name) == 0)
            return board_list[i];
    return NULL;
}
