/* nrf52840dk (PCA10056, nRF52840, Cortex-M4 at 64 MHz): the only file that
 * knows every part. Alarm: RTC1, 24-bit, 32768 Hz (userspace sees
 * 8388608 Hz, left-justified). Console and debug output share UARTE0
 * (TX P0.06, RX P0.08). LEDs P0.13-16 and buttons P0.11, 12, 24, 25 are
 * active low (buttons with pull-ups, GPIOTE interrupts). GPIO driver: P1.01
 * to P1.08. Fault policy: panic, as Tock's nrf52840dk. */
#include "memmap.h"
#include "kernel/kernel.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"
#include "arch/armv7m/armv7m.h"
#include "chips/nrf52/nrf52.h"
#include "chips/nrf52/clock.h"
#include "capsules/virtual_alarm.h"
#include "capsules/alarm_narrow.h"
#include "capsules/virtual_uart.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/led.h"
#include "capsules/button.h"
#include "capsules/gpio.h"
#include "capsules/lldebug.h"

#define NUM_PROCS 4
#define NUM_GPIO 8

static struct nrf52_rtc rtc1;
static struct nrf52_uarte uarte0;
static struct nrf52_gpiote gpiote;
static struct nrf52_chip chip;
static struct armv7m_mpu mpu;
static struct armv7m_systick systick;
static struct valarm_mux alarm_mux;
#if defined(TOCK_ALARM_WIDTH)
static struct alarm_narrow alarm_narrow;
#endif
static struct valarm alarm_for_apps;
static struct vuart_mux uart_mux;
static struct vuart_dev uart_console, uart_debug;

static const uint8_t led_pins[4] = { LED1_PIN, LED2_PIN, LED3_PIN, LED4_PIN };
static const uint8_t button_pins[4] = { BUTTON1_PIN, BUTTON2_PIN, BUTTON3_PIN, BUTTON4_PIN };
static struct nrf52_pin led_gpio[4], button_gpio[4], gpio_pins[NUM_GPIO];
static struct gpio_led leds[4];
static struct hil_led *const led_list[4] = { &leds[0].led, &leds[1].led, &leds[2].led, &leds[3].led };
static struct hil_button buttons[4];
static struct hil_gpio_pin *const gpio_list[NUM_GPIO] = {
    &gpio_pins[0].pin, &gpio_pins[1].pin, &gpio_pins[2].pin, &gpio_pins[3].pin,
    &gpio_pins[4].pin, &gpio_pins[5].pin, &gpio_pins[6].pin, &gpio_pins[7].pin,
};

static struct cap_alarm cap_alarm;
static struct cap_console cap_console;
static struct cap_led cap_led;
static struct cap_button cap_button;
static struct cap_gpio cap_gpio;
static struct cap_lldebug cap_lldebug;

static struct k_ipc ipc;
static struct k_process procs[NUM_PROCS];
static struct k_driver *const drivers[] = {
    &cap_alarm.driver, &cap_console.driver, &cap_led.driver,
    &cap_button.driver, &cap_gpio.driver, &cap_lldebug.driver,
    &ipc.driver,
};

static struct k_kernel kernel = {
    .board_name = BOARD_NAME,
    .procs = procs,
    .max_procs = NUM_PROCS,
    .drivers = drivers,
    .ndrivers = ARRAY_LEN(drivers),
    .ukb = &armv7m_ukb,
    .fault_policy = K_FAULT_PANIC,
    .apps_flash_start = APPS_FLASH_BASE,
    .apps_flash_size = APPS_FLASH_SIZE,
    .apps_ram_start = APPS_RAM_BASE,
    .apps_ram_size = APPS_RAM_SIZE,
};

int main(void)
{
    nrf52_clock_init(CLOCK_BASE, CLOCK_IRQ);
    nrf52_rtc_init(&rtc1, RTC1_BASE);
    nrf52_uarte_init(&uarte0, UARTE0_BASE, UART_TX_PIN, UART_RX_PIN);
    nrf52_gpiote_init(&gpiote, GPIOTE_BASE);
    nrf52_chip_init(&chip, &rtc1, &uarte0, &gpiote);
    armv7m_mpu_init(&mpu);
    armv7m_systick_init(&systick, BOARD_CPU_HZ);

    vuart_mux_init(&uart_mux, &uarte0.uart);
    vuart_dev_init(&uart_debug, &uart_mux);
    vuart_dev_init(&uart_console, &uart_mux);
    k_debug_init(&uart_debug.uart);

#if defined(TOCK_ALARM_WIDTH)
    /* test kernels: every layer above sees a TOCK_ALARM_WIDTH-bit counter */
    alarm_narrow_init(&alarm_narrow, &rtc1.alarm, TOCK_ALARM_WIDTH);
    valarm_mux_init(&alarm_mux, &alarm_narrow.alarm);
#else
    valarm_mux_init(&alarm_mux, &rtc1.alarm);
#endif
    valarm_init(&alarm_for_apps, &alarm_mux);

    for (unsigned i = 0; i < 4; i++) {
        nrf52_pin_init(&led_gpio[i], &gpiote, GPIO_P0_BASE, GPIO_P1_BASE, led_pins[i]);
        gpio_led_init(&leds[i], &led_gpio[i].pin, true);
        nrf52_pin_init(&button_gpio[i], &gpiote, GPIO_P0_BASE, GPIO_P1_BASE, button_pins[i]);
        buttons[i] = (struct hil_button){ &button_gpio[i].pin, true, HIL_GPIO_PULL_UP };
    }
    for (unsigned i = 0; i < NUM_GPIO; i++)
        nrf52_pin_init(&gpio_pins[i], &gpiote, GPIO_P0_BASE, GPIO_P1_BASE, 32 + 1 + i);

    kernel.chip = &chip.chip;
    kernel.mpu = &mpu.mpu;
    kernel.stimer = &systick.timer;
    cap_alarm_init(&cap_alarm, &kernel, &alarm_for_apps.alarm);
    cap_console_init(&cap_console, &kernel, &uart_console.uart);
    cap_led_init(&cap_led, led_list, 4);
    cap_button_init(&cap_button, &kernel, buttons, 4);
    cap_gpio_init(&cap_gpio, &kernel, gpio_list, NUM_GPIO);
    cap_lldebug_init(&cap_lldebug);
    k_ipc_init(&ipc, &kernel);

    k_printf("\r\ntocksim kernel %s on %s (Cortex-M4, %u Hz)\r\n", K_VERSION_STRING, BOARD_NAME,
             (unsigned)BOARD_CPU_HZ);
    k_kernel_load(&kernel);
    k_printf("Initialization complete. Entering main loop\r\n");
    k_kernel_run(&kernel);
}
