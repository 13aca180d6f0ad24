/* mps2-an386: ARM MPS2 with the AN386 (Cortex-M4) image, the memory map of
 * QEMU 7.2's `-M mps2-an386` (memmap.h). NVIC inputs are exception
 * numbers: external IRQ n is 16 + n, SysTick is 15. */
#include "../board.h"
#include "memmap.h"
#include "periph/periph.h"
#include "periph/nvic.h"
#include "periph/scb.h"
#include "periph/mpu_v7m.h"
#include "periph/systick.h"
#include "periph/cmsdk_timer.h"
#include "periph/cmsdk_dualtimer.h"
#include "periph/cmsdk_uart.h"
#include "periph/mps2_fpgaio.h"

#define NO_IRQ      { -1, -1, -1, -1 }
#define EXT_IRQ(n)  { 16 + (int)(n), -1, -1, -1 }
#define SYSTICK_EXC 15

/* QEMU maps both SSRAMs as RAM (code runs from SSRAM1 at 0) */
static const struct mem_desc mems[] = {
    { "ssram1",  FLASH_BASE, FLASH_SIZE, MEM_RAM },
    { "ssram23", SRAM_BASE,  SRAM_SIZE,  MEM_RAM },
};

/* QEMU's mps2 boards feed SysTick a 1 MHz reference clock */
/* nRF52840 implements 3 priority bits; QEMU's mps2-an386 Cortex-M4 has 8. */
static const struct nvic_cfg nvic_cfg = { .nirqs = NVIC_NUM_IRQS, .prio_bits = 8 };
static const struct scb_cfg scb_cfg = { .nvic = "nvic", .cpuid = 0x410FC241u };
static const struct systick_cfg systick_cfg = { .ref_hz = 1000000, .width_bits = 24 };
static const struct cmsdk_timer_cfg timer_cfg = { .pclk_hz = BOARD_CPU_HZ, .width_bits = 32 };
static const struct cmsdk_dualtimer_cfg dualtimer_cfg = { .timclk_hz = BOARD_CPU_HZ };
static const struct cmsdk_uart_cfg uart_cfg = { .pclk_hz = BOARD_CPU_HZ };
static const struct mps2_fpgaio_cfg fpgaio_cfg = {
    .prescale_hz = BOARD_CPU_HZ, .num_leds = FPGAIO_NUM_LEDS, .num_buttons = FPGAIO_NUM_BUTTONS,
};

static const struct periph_inst periphs[] = {
    { &nvic_model,            "nvic",      0xE000E000u,    NO_IRQ, &nvic_cfg },
    { &scb_model,             "scb",       0xE000ED00u,    NO_IRQ, &scb_cfg },
    { &mpu7m_model,           "mpu",       0xE000ED90u,    NO_IRQ, NULL },
    { &systick_model,         "systick",   0xE000E010u,    { SYSTICK_EXC, -1, -1, -1 }, &systick_cfg },
    { &cmsdk_timer_model,     "timer0",    TIMER0_BASE,    EXT_IRQ(TIMER0_IRQ), &timer_cfg },
    { &cmsdk_timer_model,     "timer1",    TIMER1_BASE,    EXT_IRQ(TIMER1_IRQ), &timer_cfg },
    /* irq[0] = TIMINTC (combined), as QEMU wires it; TIMINT1/2 unconnected */
    { &cmsdk_dualtimer_model, "dualtimer", DUALTIMER_BASE, EXT_IRQ(DUALTIMER_IRQ), &dualtimer_cfg },
    /* irq[0] = TX, irq[1] = RX, irq[2] = TX/RX overrun (IRQ 12), irq[3] = combined: unconnected */
    { &cmsdk_uart_model,      "uart0",     UART0_BASE,
      { 16 + UART0_TX_IRQ, 16 + UART0_RX_IRQ, 16 + UART_OVF_IRQ, -1 }, &uart_cfg },
    { &mps2_fpgaio_model,     "fpgaio",    FPGAIO_BASE,    NO_IRQ, &fpgaio_cfg },
};

static const struct board_io leds[] = {
    { "led0", "fpgaio", 0, false },
    { "led1", "fpgaio", 1, false },
};

static const struct board_io buttons[] = {
    { "button0", "fpgaio", 0, false },
    { "button1", "fpgaio", 1, false },
};

const struct board_desc board_mps2_an386 = {
    .name = BOARD_NAME,
    .summary = "ARM MPS2 AN386 (QEMU mps2-an386): Cortex-M4 25 MHz, CMSDK timer alarm, CMSDK UART0 console",
    .arch = ARCH_ARMV7M,
    .cpu_hz = BOARD_CPU_HZ,
    .mems = mems,
    .nmems = ARRAY_LEN(mems),
    .periphs = periphs,
    .nperiphs = ARRAY_LEN(periphs),
    .intc = "nvic",
    .nirqs = NVIC_NUM_IRQS,
    .console = "uart0",
    .leds = leds,
    .nleds = ARRAY_LEN(leds),
    .buttons = buttons,
    .nbuttons = ARRAY_LEN(buttons),
    .exit_base = 0,
    .apps_flash_base = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
};
