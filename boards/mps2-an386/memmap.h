/* mps2-an386 memory map: the map of QEMU's `-M mps2-an386` (ARM AN386, the
 * Cortex-M4 build of the AN385 FPGA image). Shared by the simulator and os/. */
#ifndef BOARD_MPS2_AN386_MEMMAP_H
#define BOARD_MPS2_AN386_MEMMAP_H

#define BOARD_NAME          "mps2-an386"
#define BOARD_CPU_HZ        25000000u       /* QEMU's SYSCLK_FRQ */

#define FLASH_BASE          0x00000000u     /* ZBT SSRAM1, holds code */
#define FLASH_SIZE          0x00400000u     /* 4 MiB */
#define SRAM_BASE           0x20000000u     /* ZBT SSRAM2/3 */
#define SRAM_SIZE           0x00400000u     /* 4 MiB */

#define KERNEL_FLASH_BASE   FLASH_BASE
#define KERNEL_FLASH_SIZE   0x00040000u
#define APPS_FLASH_BASE     0x00040000u
#define APPS_FLASH_SIZE     0x000C0000u
#define KERNEL_RAM_BASE     SRAM_BASE
#define KERNEL_RAM_SIZE     0x00010000u
#define APPS_RAM_BASE       0x20010000u
#define APPS_RAM_SIZE       0x00030000u

#define NVIC_NUM_IRQS       32u

#define TIMER0_BASE         0x40000000u     /* CMSDK APB timer, 32-bit down-counter */
#define TIMER0_IRQ          8u
#define TIMER1_BASE         0x40001000u
#define TIMER1_IRQ          9u
#define DUALTIMER_BASE      0x40002000u     /* CMSDK APB dual timer (SP804-like) */
#define DUALTIMER_IRQ       10u
#define UART0_BASE          0x40004000u     /* CMSDK APB UART */
#define UART0_RX_IRQ        0u
#define UART0_TX_IRQ        1u
#define UART_OVF_IRQ        12u             /* UART0..2 overflow, ORed */
#define FPGAIO_BASE         0x40028000u     /* LEDs, buttons, counters */
#define SCC_BASE            0x4002F000u

#define FPGAIO_NUM_LEDS     2u
#define FPGAIO_NUM_BUTTONS  2u

#endif
