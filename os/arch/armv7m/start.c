/* Reset: vector table, .data/.bss set-up, then the board's main(). */
#include "arch/armv7m/armv7m.h"
#include "lib/kstring.h"

#define ARMV7M_MAX_IRQS 64      /* enough for every board here (nRF52840: 48) */

extern uint32_t _estack[], _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern int main(void);

void armv7m_reset_handler(void);
void armv7m_svc_handler(void);
void armv7m_systick_handler(void);
void armv7m_generic_isr(void);
void armv7m_fault_handler(void);
void armv7m_unhandled(void);

void armv7m_unhandled(void)
{
    armv7m_halt();
}

typedef void (*vector_fn)(void);

__attribute__((section(".vectors"), used))
const vector_fn armv7m_vectors[16 + ARMV7M_MAX_IRQS] = {
    [0] = (vector_fn)(uintptr_t)_estack,
    [1] = armv7m_reset_handler,
    [2] = armv7m_unhandled,             /* NMI */
    [3] = armv7m_fault_handler,         /* HardFault */
    [4] = armv7m_fault_handler,         /* MemManage */
    [5] = armv7m_fault_handler,         /* BusFault */
    [6] = armv7m_fault_handler,         /* UsageFault */
    [11] = armv7m_svc_handler,
    [12] = armv7m_unhandled,            /* DebugMonitor */
    [14] = armv7m_unhandled,            /* PendSV: not used */
    [15] = armv7m_systick_handler,
    [16 ... 16 + ARMV7M_MAX_IRQS - 1] = armv7m_generic_isr,
};

void armv7m_reset_handler(void)
{
    uint32_t *src = _sidata;
    for (uint32_t *dst = _sdata; dst < _edata;)
        *dst++ = *src++;
    for (uint32_t *dst = _sbss; dst < _ebss;)
        *dst++ = 0;
    k_reg_write(ARMV7M_SCB_VTOR, (uint32_t)(uintptr_t)armv7m_vectors);
    main();
    armv7m_halt();
}
