/* nrf52840dk: Nordic nRF52840-DK (PCA10056), Cortex-M4 at 64 MHz.
 * Addresses and IRQ numbers: nRF52840 PS v1.7 (memmap.h). NVIC inputs are
 * exception numbers: external IRQ n is 16 + n, SysTick is 15. */
#include "../board.h"
#include "memmap.h"
#include "periph/periph.h"
#include "periph/nvic.h"
#include "periph/scb.h"
#include "periph/mpu_v7m.h"
#include "periph/systick.h"
#include "periph/nrf_clock.h"
#include "periph/nrf_uarte.h"
#include "periph/nrf_gpio.h"
#include "periph/nrf_gpiote.h"
#include "periph/nrf_rtc.h"

#define NO_IRQ      { -1, -1, -1, -1 }
#define EXT_IRQ(n)  { 16 + (int)(n), -1, -1, -1 }
#define SYSTICK_EXC 15

static const struct mem_desc mems[] = {
    { "flash", FLASH_BASE, FLASH_SIZE, MEM_ROM },
    { "sram",  SRAM_BASE,  SRAM_SIZE,  MEM_RAM },
};

/* nRF52840 implements 3 priority bits; QEMU's mps2-an386 Cortex-M4 has 8. */
static const struct nvic_cfg nvic_cfg = { .nirqs = NVIC_NUM_IRQS, .prio_bits = 3 };
static const struct scb_cfg scb_cfg = { .nvic = "nvic", .cpuid = 0x410FC241u };
static const struct systick_cfg systick_cfg = { .ref_hz = 0, .width_bits = 24 };
static const struct nrf_clock_cfg clock_cfg = { .resetreas = 0 };
/* the LEDs hang between VDD and their pins: an undriven LED pin reads high (LED off) */
static const struct nrf_gpio_cfg gpio0_cfg = {
    .port = 0, .pins = 0xFFFFFFFFu,
    .ext_pullup = (1u << LED1_PIN) | (1u << LED2_PIN) | (1u << LED3_PIN) | (1u << LED4_PIN),
};
static const struct nrf_gpio_cfg gpio1_cfg = { .port = 1, .pins = 0x0000FFFFu };
static const struct nrf_gpiote_cfg gpiote_cfg = { .ports = { "gpio0", "gpio1" } };
static const struct nrf_rtc_cfg rtc0_cfg = { .n_cc = 3, .width_bits = 24, .lfclk_hz = RTC_HZ };
static const struct nrf_rtc_cfg rtc12_cfg = { .n_cc = 4, .width_bits = 24, .lfclk_hz = RTC_HZ };

static const struct periph_inst periphs[] = {
    { &nvic_model,      "nvic",    0xE000E000u, NO_IRQ, &nvic_cfg },
    { &scb_model,       "scb",     0xE000ED00u, NO_IRQ, &scb_cfg },
    { &mpu7m_model,     "mpu",     0xE000ED90u, NO_IRQ, NULL },
    { &systick_model,   "systick", 0xE000E010u, { SYSTICK_EXC, -1, -1, -1 }, &systick_cfg },
    { &nrf_clock_model, "clock",   CLOCK_BASE,  EXT_IRQ(CLOCK_IRQ), &clock_cfg },
    { &nrf_uarte_model, "uarte0",  UARTE0_BASE, EXT_IRQ(UARTE0_IRQ), NULL },
    { &nrf_gpiote_model, "gpiote", GPIOTE_BASE, EXT_IRQ(GPIOTE_IRQ), &gpiote_cfg },
    { &nrf_rtc_model,   "rtc0",    RTC0_BASE,   EXT_IRQ(RTC0_IRQ), &rtc0_cfg },
    { &nrf_rtc_model,   "rtc1",    RTC1_BASE,   EXT_IRQ(RTC1_IRQ), &rtc12_cfg },
    { &nrf_rtc_model,   "rtc2",    RTC2_BASE,   EXT_IRQ(RTC2_IRQ), &rtc12_cfg },
    /* GPIO windows start at the first register (base + 0x500) so P0 and P1 do not overlap */
    { &nrf_gpio_model,  "gpio0",   GPIO_P0_BASE + NRF_GPIO_WINDOW_OFFSET, NO_IRQ, &gpio0_cfg },
    { &nrf_gpio_model,  "gpio1",   GPIO_P1_BASE + NRF_GPIO_WINDOW_OFFSET, NO_IRQ, &gpio1_cfg },
};

/* PCA10056: LEDs and buttons are active low */
static const struct board_io leds[] = {
    { "led1", "gpio0", LED1_PIN, true },
    { "led2", "gpio0", LED2_PIN, true },
    { "led3", "gpio0", LED3_PIN, true },
    { "led4", "gpio0", LED4_PIN, true },
};

static const struct board_io buttons[] = {
    { "button1", "gpio0", BUTTON1_PIN, true },
    { "button2", "gpio0", BUTTON2_PIN, true },
    { "button3", "gpio0", BUTTON3_PIN, true },
    { "button4", "gpio0", BUTTON4_PIN, true },
};

const struct board_desc board_nrf52840dk = {
    .name = BOARD_NAME,
    .summary = "Nordic nRF52840-DK: Cortex-M4 64 MHz, RTC1 alarm (24-bit, 32768 Hz), UARTE0 console",
    .arch = ARCH_ARMV7M,
    .cpu_hz = BOARD_CPU_HZ,
    .mems = mems,
    .nmems = ARRAY_LEN(mems),
    .periphs = periphs,
    .nperiphs = ARRAY_LEN(periphs),
    .intc = "nvic",
    .nirqs = NVIC_NUM_IRQS,
    .console = "uarte0",
    .leds = leds,
    .nleds = ARRAY_LEN(leds),
    .buttons = buttons,
    .nbuttons = ARRAY_LEN(buttons),
    .exit_base = 0,
    .apps_flash_base = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
};
