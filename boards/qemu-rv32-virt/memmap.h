/* qemu-rv32-virt memory map: the map of QEMU's `-M virt` for riscv32
 * (and of Tock's qemu_rv32_virt board). Shared by the simulator and os/. */
#ifndef BOARD_QEMU_RV32_VIRT_MEMMAP_H
#define BOARD_QEMU_RV32_VIRT_MEMMAP_H

#define BOARD_NAME          "qemu-rv32-virt"
#define BOARD_CPU_HZ        10000000u       /* one instruction-clock per mtime tick */

#define TEST_BASE           0x00100000u     /* sifive_test: write 0x5555 pass, (code<<16)|0x3333 fail */
#define CLINT_BASE          0x02000000u
#define CLINT_SIZE          0x00010000u
#define PLIC_BASE           0x0C000000u
#define PLIC_SIZE           0x00600000u
#define UART0_BASE          0x10000000u     /* NS16550A */
#define UART0_IRQ           10u             /* PLIC source */
#define PLIC_NUM_SOURCES    96u

#define SRAM_BASE           0x80000000u     /* DRAM; -bios none jumps here */
#define SRAM_SIZE           0x08000000u     /* 128 MiB, QEMU's default */

/* Layout used by os/ and apps/ (as Tock's qemu_rv32_virt: ROM-like kernel
 * text at the start of DRAM, apps after it, RAM above). */
#define FLASH_BASE          0x80000000u
#define FLASH_SIZE          0x00200000u
#define KERNEL_FLASH_BASE   0x80000000u
#define KERNEL_FLASH_SIZE   0x00100000u
#define APPS_FLASH_BASE     0x80100000u
#define APPS_FLASH_SIZE     0x00100000u
#define KERNEL_RAM_BASE     0x80200000u
#define KERNEL_RAM_SIZE     0x00040000u
#define APPS_RAM_BASE       0x80240000u
#define APPS_RAM_SIZE       0x00080000u

#define MTIME_HZ            10000000u       /* CLINT mtime: 10 MHz */

/* Bit numbers of the hart's mip that the CLINT and the PLIC drive. */
#define MIP_BIT_MSIP        3u
#define MIP_BIT_MTIP        7u
#define MIP_BIT_SEIP        9u
#define MIP_BIT_MEIP        11u

#endif
