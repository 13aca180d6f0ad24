/* qemu-rv32-virt (QEMU's RISC-V virt machine, RV32IMAC): the only file that
 * knows every part. Alarm: CLINT mtime viewed as 32 bits at 10 MHz, shared
 * by the apps' alarm driver and the scheduler (10 ms round-robin timeslice on
 * a virtual alarm). Console and debug output share the NS16550 UART. No LEDs,
 * buttons or GPIO (those drivers are absent: NODEVICE). Fault policy: panic,
 * as Tock's qemu_rv32_virt. */
#include "memmap.h"
#include "kernel/kernel.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"
#include "arch/rv32i/rv32i.h"
#include "chips/rv32-virt/virt.h"
#include "capsules/virtual_alarm.h"
#include "capsules/alarm_narrow.h"
#include "capsules/virtual_uart.h"
#include "capsules/valarm_sched_timer.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/lldebug.h"

#define NUM_PROCS 4

/* The NS16550's input clock, as QEMU's virt machine states it in its device
 * tree (clock-frequency); the divisor for a baud rate is computed from it. */
#define UART0_CLOCK_HZ 3686400u

static struct uart16550 uart0;
static struct rv32i_mtimer mtimer;
static struct virt_chip chip;
static struct rv32i_pmp pmp;
static struct valarm_mux alarm_mux;
#if defined(TOCK_ALARM_WIDTH)
static struct alarm_narrow alarm_narrow;
#endif
static struct valarm alarm_for_apps, alarm_for_sched;
static struct valarm_sched_timer sched_timer;
static struct vuart_mux uart_mux;
static struct vuart_dev uart_console, uart_debug;

static struct cap_alarm cap_alarm;
static struct cap_console cap_console;
static struct cap_lldebug cap_lldebug;

static struct k_ipc ipc;
static struct k_process procs[NUM_PROCS];
static struct k_driver *const drivers[] = {
    &cap_alarm.driver, &cap_console.driver, &cap_lldebug.driver,
    &ipc.driver,
};

static struct k_kernel kernel = {
    .board_name = BOARD_NAME,
    .procs = procs,
    .max_procs = NUM_PROCS,
    .drivers = drivers,
    .ndrivers = ARRAY_LEN(drivers),
    .ukb = &rv32i_ukb,
    .fault_policy = K_FAULT_PANIC,
    .apps_flash_start = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
    .apps_ram_start = APPS_RAM_BASE,
    .apps_ram_size = APPS_RAM_SIZE,
};

int main(void)
{
    uart16550_init(&uart0, UART0_BASE, UART0_CLOCK_HZ, 115200);
    rv32i_mtimer_init(&mtimer, CLINT_BASE, MTIME_HZ);
    virt_chip_init(&chip, &mtimer, &uart0);
    rv32i_pmp_init(&pmp);

    vuart_mux_init(&uart_mux, &uart0.uart);
    vuart_dev_init(&uart_debug, &uart_mux);
    vuart_dev_init(&uart_console, &uart_mux);
    k_debug_init(&uart_debug.uart);

#if defined(TOCK_ALARM_WIDTH)
    /* test kernels: every layer above sees a TOCK_ALARM_WIDTH-bit counter */
    alarm_narrow_init(&alarm_narrow, &mtimer.alarm, TOCK_ALARM_WIDTH);
    valarm_mux_init(&alarm_mux, &alarm_narrow.alarm);
#else
    valarm_mux_init(&alarm_mux, &mtimer.alarm);
#endif
    valarm_init(&alarm_for_apps, &alarm_mux);
    valarm_init(&alarm_for_sched, &alarm_mux);
    valarm_sched_timer_init(&sched_timer, &alarm_for_sched.alarm);

    kernel.chip = &chip.chip;
    kernel.mpu = &pmp.mpu;
    kernel.stimer = &sched_timer.timer;
    cap_alarm_init(&cap_alarm, &kernel, &alarm_for_apps.alarm);
    cap_console_init(&cap_console, &kernel, &uart_console.uart);
    cap_lldebug_init(&cap_lldebug);
    k_ipc_init(&ipc, &kernel);

    k_printf("\r\ntocksim kernel %s on %s (RV32IMAC, mtime %u Hz)\r\n", K_VERSION_STRING,
             BOARD_NAME, (unsigned)MTIME_HZ);
    k_kernel_load(&kernel);
    k_printf("Initialization complete. Entering main loop\r\n");
    k_kernel_run(&kernel);
}
