/* qemu-rv32-virt: the memory map of QEMU 7.2's riscv32 `-M virt` (one hart,
 * `-bios none`), RV32IMAC. irq[] values below IRQ_HART(0) are PLIC
 * sources; IRQ_HART(b) is bit b of the hart's mip (board.h). */
#include "../board.h"
#include "memmap.h"
#include "periph/periph.h"
#include "periph/sifive_test.h"
#include "periph/clint.h"
#include "periph/plic.h"
#include "periph/ns16550.h"

#define NO_IRQ { -1, -1, -1, -1 }

static const struct mem_desc mems[] = {
    { "dram", SRAM_BASE, SRAM_SIZE, MEM_RAM },
};

static const struct sifive_test_cfg test_cfg = { .reset_status = 0 };
static const struct clint_cfg clint_cfg = { .timebase_hz = MTIME_HZ, .width_bits = 64 };
static const struct plic_cfg plic_cfg = { .num_sources = PLIC_NUM_SOURCES, .num_priorities = 7 };
static const struct ns16550_cfg uart_cfg = { .baudbase_hz = 399193 };   /* QEMU virt */

static const struct periph_inst periphs[] = {
    { &sifive_test_model, "test",  TEST_BASE,  NO_IRQ, &test_cfg },
    /* irq[0] = MTIP, irq[1] = MSIP */
    { &clint_model,       "clint", CLINT_BASE,
      { IRQ_HART(MIP_BIT_MTIP), IRQ_HART(MIP_BIT_MSIP), -1, -1 }, &clint_cfg },
    /* irq[0] = MEIP (context 0), irq[1] = SEIP (context 1) */
    { &plic_model,        "plic",  PLIC_BASE,
      { IRQ_HART(MIP_BIT_MEIP), IRQ_HART(MIP_BIT_SEIP), -1, -1 }, &plic_cfg },
    { &ns16550_model,     "uart0", UART0_BASE, { UART0_IRQ, -1, -1, -1 }, &uart_cfg },
};

const struct board_desc board_qemu_rv32_virt = {
    .name = BOARD_NAME,
    .summary = "QEMU riscv32 virt: RV32IMAC, CLINT mtime alarm (10 MHz), NS16550 console",
    .arch = ARCH_RV32,
    .cpu_hz = BOARD_CPU_HZ,
    .mems = mems,
    .nmems = ARRAY_LEN(mems),
    .periphs = periphs,
    .nperiphs = ARRAY_LEN(periphs),
    .intc = "plic",
    .nirqs = PLIC_NUM_SOURCES,
    .console = "uart0",
    .leds = NULL,
    .nleds = 0,
    .buttons = NULL,
    .nbuttons = 0,
    .exit_base = TEST_BASE,
    .apps_flash_base = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
};
