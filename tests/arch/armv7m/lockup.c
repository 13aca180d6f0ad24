/* ARMv7-M lockup (ARMv7-M ARM B1.5.15 "Unrecoverable exception cases"): an
 * undefined instruction inside the HardFault handler cannot be escalated any
 * further, so the core locks up. The guest cannot observe that; the expected
 * outcome is that tocksim stops and exits with status 3. If execution goes on
 * instead, the program says so and fails.
 *
 * Not run in QEMU: QEMU 7.2 aborts there ("qemu: fatal: Lockup: can't
 * escalate 3 to HardFault (current priority -1)", SIGABRT). */
#include "rt.h"

static void hardfault_udf(struct t_exc *e)
{
    t_info("HardFault taken (HFSR = 0x%08x); now executing UDF inside it", SCB_HFSR);
    __asm__ volatile("udf #0x7");
    t_printf("FAIL lockup: the UDF in the HardFault handler did not lock the core up\n");
    t_done();
}

void test_main(void)
{
    t_info("expecting lockup: tocksim must stop with exit status 3");
    SCB_SHCSR &= ~SHCSR_USGFAULTENA;
    t_set_handler(EXC_HARDFAULT, hardfault_udf);
    __asm__ volatile("udf #0x6");
    t_printf("FAIL lockup: execution continued in thread mode after the HardFault\n");
}
