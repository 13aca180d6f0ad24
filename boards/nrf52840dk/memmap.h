/* nrf52840dk memory map: plain #defines shared by the simulator (boards/, periph/)
 * and the guest kernel (os/). Addresses and IRQ numbers follow the nRF52840
 * Product Specification v1.7 and the PCA10056 (nRF52840-DK) schematic. */
#ifndef BOARD_NRF52840DK_MEMMAP_H
#define BOARD_NRF52840DK_MEMMAP_H

#define BOARD_NAME          "nrf52840dk"
#define BOARD_CPU_HZ        64000000u

#define FLASH_BASE          0x00000000u
#define FLASH_SIZE          0x00100000u     /* 1 MiB */
#define SRAM_BASE           0x20000000u
#define SRAM_SIZE           0x00040000u     /* 256 KiB */

/* Layout used by os/ and apps/ (same split as Tock's nrf52840dk board). */
#define KERNEL_FLASH_BASE   FLASH_BASE
#define KERNEL_FLASH_SIZE   0x00040000u
#define APPS_FLASH_BASE     0x00040000u
#define APPS_FLASH_SIZE     0x000C0000u
#define KERNEL_RAM_BASE     SRAM_BASE
#define KERNEL_RAM_SIZE     0x00010000u
#define APPS_RAM_BASE       0x20010000u
#define APPS_RAM_SIZE       0x00030000u

#define NVIC_NUM_IRQS       48u

#define CLOCK_BASE          0x40000000u     /* CLOCK and POWER share 0x40000000 */
#define POWER_BASE          0x40000000u
#define CLOCK_IRQ           0u
#define UARTE0_BASE         0x40002000u
#define UARTE0_IRQ          2u
#define GPIOTE_BASE         0x40006000u
#define GPIOTE_IRQ          6u
#define TIMER0_BASE         0x40008000u
#define TIMER0_IRQ          8u
#define RTC0_BASE           0x4000B000u
#define RTC0_IRQ            11u
#define RTC1_BASE           0x40011000u
#define RTC1_IRQ            17u
#define RTC2_BASE           0x40024000u
#define RTC2_IRQ            36u
#define GPIO_P0_BASE        0x50000000u
#define GPIO_P1_BASE        0x50000300u

#define RTC_HZ              32768u          /* LFCLK */

/* PCA10056: LEDs and buttons are active low; buttons need the pull-up. */
#define LED1_PIN            13u             /* P0.13 */
#define LED2_PIN            14u
#define LED3_PIN            15u
#define LED4_PIN            16u
#define BUTTON1_PIN         11u             /* P0.11 */
#define BUTTON2_PIN         12u
#define BUTTON3_PIN         24u
#define BUTTON4_PIN         25u
#define UART_TX_PIN         6u
#define UART_RX_PIN         8u

#endif
