/* mps2-an386 (QEMU's Cortex-M4 MPS2 machine): the only file that knows
 * every part. Statically allocates and wires chip drivers, capsules and the
 * kernel, then discovers apps and runs the kernel loop.
 *
 * Alarm: CMSDK dual timer (free-running) + TIMER0 (compare), 32-bit, 25 MHz.
 * Console and debug output share UART0. LEDs and buttons: FPGAIO (buttons
 * polled every 10 ms). No GPIO driver. Fault policy: restart (3 times, then
 * stop), with the fault dump printed. */
#include "memmap.h"
#include "kernel/kernel.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"
#include "arch/armv7m/armv7m.h"
#include "chips/cmsdk/mps2.h"
#include "chips/cmsdk/fpgaio.h"
#include "capsules/virtual_alarm.h"
#include "capsules/alarm_narrow.h"
#include "capsules/virtual_uart.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/led.h"
#include "capsules/button.h"
#include "capsules/lldebug.h"

#define NUM_PROCS 4

static struct cmsdk_uart uart0;
static struct cmsdk_alarm hw_alarm;
static struct mps2_chip chip;
static struct armv7m_mpu mpu;
static struct armv7m_systick systick;
static struct valarm_mux alarm_mux;
#if defined(TOCK_ALARM_WIDTH)
static struct alarm_narrow alarm_narrow;
#endif
static struct valarm alarm_for_apps, alarm_for_buttons;
static struct vuart_mux uart_mux;
static struct vuart_dev uart_console, uart_debug;
static struct fpgaio fpgaio;
static struct gpio_led leds[FPGAIO_NUM_LEDS];
static struct hil_led *const led_list[FPGAIO_NUM_LEDS] = { &leds[0].led, &leds[1].led };
static struct hil_button buttons[FPGAIO_NUM_BUTTONS];

static struct cap_alarm cap_alarm;
static struct cap_console cap_console;
static struct cap_led cap_led;
static struct cap_button cap_button;
static struct cap_lldebug cap_lldebug;

static struct k_ipc ipc;
static struct k_process procs[NUM_PROCS];
static struct k_driver *const drivers[] = {
    &cap_alarm.driver, &cap_console.driver, &cap_led.driver,
    &cap_button.driver, &cap_lldebug.driver,
    &ipc.driver,
};

static struct k_kernel kernel = {
    .board_name = BOARD_NAME,
    .procs = procs,
    .max_procs = NUM_PROCS,
    .drivers = drivers,
    .ndrivers = ARRAY_LEN(drivers),
    .ukb = &armv7m_ukb,
    .fault_policy = K_FAULT_RESTART,
    .restart_threshold = 3,
    .fault_debug = true,
    .apps_flash_start = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
    .apps_ram_start = APPS_RAM_BASE,
    .apps_ram_size = APPS_RAM_SIZE,
};

int main(void)
{
    cmsdk_uart_init(&uart0, UART0_BASE, BOARD_CPU_HZ, 115200);
    cmsdk_alarm_init(&hw_alarm, TIMER0_BASE, DUALTIMER_BASE, BOARD_CPU_HZ);
    mps2_chip_init(&chip, &uart0, &hw_alarm);
    armv7m_mpu_init(&mpu);
    armv7m_systick_init(&systick, BOARD_CPU_HZ);

    vuart_mux_init(&uart_mux, &uart0.uart);
    vuart_dev_init(&uart_debug, &uart_mux);
    vuart_dev_init(&uart_console, &uart_mux);
    k_debug_init(&uart_debug.uart);

#if defined(TOCK_ALARM_WIDTH)
    /* test kernels: every layer above sees a TOCK_ALARM_WIDTH-bit counter */
    alarm_narrow_init(&alarm_narrow, &hw_alarm.alarm, TOCK_ALARM_WIDTH);
    valarm_mux_init(&alarm_mux, &alarm_narrow.alarm);
#else
    valarm_mux_init(&alarm_mux, &hw_alarm.alarm);
#endif
    valarm_init(&alarm_for_apps, &alarm_mux);
    valarm_init(&alarm_for_buttons, &alarm_mux);

    fpgaio_init(&fpgaio, FPGAIO_BASE, FPGAIO_NUM_LEDS, FPGAIO_NUM_BUTTONS,
                &alarm_for_buttons.alarm, 10);
    for (unsigned i = 0; i < FPGAIO_NUM_LEDS; i++)
        gpio_led_init(&leds[i], &fpgaio.leds[i].pin, false);
    for (unsigned i = 0; i < FPGAIO_NUM_BUTTONS; i++)
        buttons[i] = (struct hil_button){ &fpgaio.buttons[i].pin, false, HIL_GPIO_PULL_NONE };

    kernel.chip = &chip.chip;
    kernel.mpu = &mpu.mpu;
    kernel.stimer = &systick.timer;
    cap_alarm_init(&cap_alarm, &kernel, &alarm_for_apps.alarm);
    cap_console_init(&cap_console, &kernel, &uart_console.uart);
    cap_led_init(&cap_led, led_list, FPGAIO_NUM_LEDS);
    cap_button_init(&cap_button, &kernel, buttons, FPGAIO_NUM_BUTTONS);
    cap_lldebug_init(&cap_lldebug);
    k_ipc_init(&ipc, &kernel);

    k_printf("\r\ntocksim kernel %s on %s (Cortex-M4, %u Hz)\r\n", K_VERSION_STRING, BOARD_NAME,
             (unsigned)BOARD_CPU_HZ);
    k_kernel_load(&kernel);
    k_printf("Initialization complete. Entering main loop\r\n");
    k_kernel_run(&kernel);
}
