/* TEMPORARY board tables until boards/<board>/board.c land from the periph
 * work: just enough to run bare-metal programs on all three boards. */
#include <string.h>
#include "board.h"
#include "../periph/nvic.h"
#include "../periph/scb.h"
#include "../periph/systick.h"
#include "../periph/clint.h"
#include "../periph/ns16550.h"
#include "../periph/sifive_test.h"
#include "../periph/nrf_rtc.h"
#include "../periph/mpu_v7m.h"

static const struct mem_desc mps2_mems[] = {
    { "ssram1", 0x00000000, 0x00400000, MEM_RAM },
    { "ssram23", 0x20000000, 0x00400000, MEM_RAM },
};
static const struct mem_desc nrf_mems[] = {
    { "flash", 0x00000000, 0x00100000, MEM_ROM },
    { "sram", 0x20000000, 0x00040000, MEM_RAM },
};
static const struct nvic_cfg mps2_nv = { .nirqs = 32, .prio_bits = 3 };
static const struct nvic_cfg nrf_nv = { .nirqs = 48, .prio_bits = 3 };
static const struct scb_cfg scbcfg = { .nvic = "nvic", .cpuid = 0x410FC241 };
static const struct systick_cfg stcfg = { .ref_hz = 0 };
static const struct nrf_rtc_cfg rtccfg = { 0 };
static const struct periph_inst mps2_periphs[] = {
    { &nvic_model, "nvic", 0xE000E000, {0}, &mps2_nv },
    { &scb_model, "scb", 0xE000ED00, {0}, &scbcfg },
    { &systick_model, "systick", 0xE000E010, {15}, &stcfg },
    { &mpu7m_model, "mpu", 0xE000ED90, {0}, NULL },
};
static const struct periph_inst nrf_periphs[] = {
    { &nvic_model, "nvic", 0xE000E000, {0}, &nrf_nv },
    { &scb_model, "scb", 0xE000ED00, {0}, &scbcfg },
    { &systick_model, "systick", 0xE000E010, {15}, &stcfg },
    { &nrf_rtc_model, "rtc1", 0x40011000, {16 + 17}, &rtccfg },
    { &mpu7m_model, "mpu", 0xE000ED90, {0}, NULL },
};
const struct board_desc board_mps2_an386 = {
    .name = "mps2-an386", .arch = ARCH_ARMV7M, .cpu_hz = 25000000,
    .mems = mps2_mems, .nmems = 2, .periphs = mps2_periphs, .nperiphs = 4, .intc = "nvic",
};
const struct board_desc board_nrf52840dk = {
    .name = "nrf52840dk", .arch = ARCH_ARMV7M, .cpu_hz = 64000000,
    .mems = nrf_mems, .nmems = 2, .periphs = nrf_periphs, .nperiphs = 5, .intc = "nvic",
};

static const struct mem_desc virt_mems[] = {
    { "dram", 0x80000000, 0x08000000, MEM_RAM },
};
static const struct clint_cfg clcfg = { .timebase_hz = 10000000 };
static const struct ns16550_cfg ucfg = { 0 };
static const struct sifive_test_cfg tcfg = { 0 };
static const struct periph_inst virt_periphs[] = {
    { &sifive_test_model, "test", 0x00100000, {0}, &tcfg },
    { &clint_model, "clint", 0x02000000, {IRQ_HART(7), IRQ_HART(3)}, &clcfg },
    { &ns16550_model, "uart0", 0x10000000, {0}, &ucfg },
};
const struct board_desc board_qemu_rv32_virt = {
    .name = "qemu-rv32-virt", .arch = ARCH_RV32, .cpu_hz = 10000000,
    .mems = virt_mems, .nmems = 1, .periphs = virt_periphs, .nperiphs = 3,
    .console = "uart0",
};

const struct board_desc *const board_list[] = { &board_nrf52840dk, &board_mps2_an386,
                                                &board_qemu_rv32_virt };
const unsigned board_count = 3;
const struct board_desc *board_find(const char *name)
{
    for (unsigned i = 0; i < board_count; i++)
        if (!strcmp(board_list[i]->name, name)) return board_list[i];
    return NULL;
}
