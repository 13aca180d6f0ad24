/* Per-board facts the architecture tests rely on, beyond memmap.h. The
 * simulator's board tables must keep these true (the same holds in QEMU's
 * machine of the same name). Selected by -DT_BOARD_<NAME> from Meson. */
#ifndef T_BOARD_H
#define T_BOARD_H

#if defined(T_BOARD_NRF52840DK) || defined(T_BOARD_MPS2_AN386)
/* Nothing answers here: accesses are bus errors. In the SRAM region of the
 * ARMv7-M default map, so executable (a fetch is a BusFault, not XN). On
 * mps2-an386, QEMU maps RAM and unimplemented-device stubs (which read as
 * zero) up to 0x23FFFFFF and nothing from 0x24000000 to 0x3FFFFFFF. */
#define T_UNMAPPED_ADDR 0x30000000u
/* In the execute-never system region (0xE0000000-0xFFFFFFFF) and unmapped. */
#define T_XN_ADDR       0xF0000000u
#elif defined(T_BOARD_QEMU_RV32_VIRT)
/* Between the sifive_test/RTC devices and the CLINT: no device. */
#define T_UNMAPPED_ADDR 0x01000000u
#else
#error "unknown board: add it to tests/arch/common/board.h"
#endif

#endif
