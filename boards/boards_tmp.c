/* TEMPORARY test boards until the board tables land. */
#include <string.h>
#include "board.h"
#include "mps2-an386/memmap.h"
#include "../periph/nvic.h"
#include "../periph/scb.h"
#include "../periph/systick.h"
static const struct mem_desc mems[] = {
    { "ssram1", FLASH_BASE, FLASH_SIZE, MEM_RAM },
    { "ssram23", SRAM_BASE, SRAM_SIZE, MEM_RAM },
};
static const struct nvic_cfg nvcfg = { .nirqs = 32, .prio_bits = 3 };
static const struct scb_cfg scbcfg = { .nvic = "nvic", .cpuid = 0x410FC241 };
static const struct systick_cfg stcfg = { .ref_hz = 0 };
static const struct periph_inst periphs[] = {
    { &nvic_model, "nvic", 0xE000E000, {0}, &nvcfg },
    { &scb_model, "scb", 0xE000ED00, {0}, &scbcfg },
    { &systick_model, "systick", 0xE000E010, {15}, &stcfg },
};
const struct board_desc board_mps2_an386 = {
    .name = "mps2-an386", .arch = ARCH_ARMV7M, .cpu_hz = 25000000,
    .mems = mems, .nmems = 2, .periphs = periphs, .nperiphs = 3, .intc = "nvic",
};
const struct board_desc *const board_list[] = { &board_mps2_an386 };
const unsigned board_count = 1;
const struct board_desc *board_find(const char *name)
{
    for (unsigned i = 0; i < board_count; i++)
        if (!strcmp(board_list[i]->name, name)) return board_list[i];
    return NULL;
}
