/* The list of boards (DESIGN.md §6); the first is the default. */
#include <string.h>

#include "board.h"

const struct board_desc *const board_list[] = {
    &board_nrf52840dk,
    &board_mps2_an386,
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
