/* The ARMv7-M MPU (PMSAv7), decided to the byte: for each case an access
 * just inside (allowed) and just outside (denied) the edge, from
 * unprivileged thread mode unless said otherwise. Faults are MemManage with
 * CFSR.DACCVIOL/IACCVIOL/MMARVALID/MSTKERR and MMFAR; the handler records
 * them and skips the faulting instruction. */
#include "rt.h"

/* Test area, away from the runtime's data (start of SRAM) and stack (end). */
#define TA  (SRAM_BASE + 0x10000u)          /* 1 KiB region R2 */
#define TA2 (SRAM_BASE + 0x11000u)          /* 2 KiB region for subregions */

#define AP_NONE  0u
#define AP_PRIV  1u         /* privileged RW, unprivileged none */
#define AP_URO   2u         /* privileged RW, unprivileged RO */
#define AP_RW    3u
#define AP_RO    6u

static uint32_t psp_stack[256] __attribute__((aligned(1024)));

/* What the MemManage handler saw. */
static volatile uint32_t faults, last_cfsr, last_mmfar, last_pc;

static uint32_t log2u(uint32_t v)
{
    uint32_t n = 0;
    while ((1u << n) < v)
        n++;
    return n;
}

static uint32_t rasr(uint32_t size, uint32_t ap, uint32_t xn, uint32_t srd)
{
    return (xn << 28) | (ap << 24) | (srd << 8) | ((log2u(size) - 1) << 1) | 1u;
}

static void region(unsigned n, uint32_t base, uint32_t rasr_val)
{
    MPU_RNR = n;
    MPU_RBAR = base;
    MPU_RASR = rasr_val;
    barrier();
}

static void region_off(unsigned n)
{
    MPU_RNR = n;
    MPU_RASR = 0;
    barrier();
}

static volatile uint32_t stack_test_psp, stack_case_lr;
extern const char stack_resume[];

/* Unprivileged thread on a PSP whose frame area it cannot write, then SVC:
 * the MemManage handler resumes at stack_resume on a good stack. */
static void __attribute__((noinline)) stacking_case(void)
{
    stack_case_lr = (uint32_t)__builtin_return_address(0);
    set_psp(stack_test_psp);
    set_control(3);
    __asm__ volatile("svc #2\n"
                     ".global stack_resume\n"
                     "stack_resume:\n" ::: "memory");
    set_control(0);
}

static void memmanage(struct t_exc *e)
{
    faults++;
    last_cfsr = SCB_CFSR;
    last_mmfar = SCB_MMFAR;
    SCB_CFSR = last_cfsr;                   /* write one to clear */
    if (last_cfsr & CFSR_MSTKERR) {
        /* no frame was written: build one on the good stack and resume */
        uint32_t *fr = &psp_stack[256 - FR_WORDS];
        for (unsigned i = 0; i < FR_WORDS; i++)
            fr[i] = 0;
        fr[FR_PC] = (uint32_t)stack_resume & ~1u;
        fr[FR_LR] = stack_case_lr;
        fr[FR_XPSR] = 1u << 24;
        set_psp((uint32_t)fr);
        set_control(get_control() & ~1u);
        e->exc_return = EXC_RETURN_THREAD_PSP;
        return;
    }
    uint32_t pc = e->frame[FR_PC];
    last_pc = pc;
    if (last_cfsr & CFSR_IACCVIOL)
        e->frame[FR_PC] = e->frame[FR_LR] & ~1u;    /* a call into XN: return */
    else
        e->frame[FR_PC] = pc + t_insn_len(pc);
}

static void svc_handler(struct t_exc *e)
{
    (void)e;
    set_control(get_control() & ~1u);       /* back to privileged thread */
}

/* Runs fn(arg) in unprivileged thread mode on the PSP stack. */
static void __attribute__((noinline)) run_unpriv(void (*fn)(uint32_t), uint32_t arg)
{
    set_psp((uint32_t)&psp_stack[256]);
    set_control(3);
    fn(arg);
    __asm__ volatile("svc #0" ::: "memory");
    set_control(0);
}

static void __attribute__((noinline)) do_ldrb(uint32_t a) { (void)*(volatile uint8_t *)a; }
static void __attribute__((noinline)) do_strb(uint32_t a) { *(volatile uint8_t *)a = 0x5a; }
static void __attribute__((noinline)) do_ldr(uint32_t a)
{
    uint32_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
    (void)v;
}
static void __attribute__((noinline)) do_str(uint32_t a)
{
    __asm__ volatile("str %0, [%0]" :: "r"(a) : "memory");
}
static void __attribute__((noinline)) do_call(uint32_t a) { ((void (*)(void))(a | 1u))(); }
/* Two-word transfers whose second word is at a (LDM/STM ending at a) or
 * whose first word is at a (STMDB, the PUSH form, starting at a). */
static void __attribute__((noinline)) do_ldm_to(uint32_t a)
{
    __asm__ volatile("ldm %0, {r2, r3}" :: "r"(a - 4) : "r2", "r3", "memory");
}
static void __attribute__((noinline)) do_stm_to(uint32_t a)
{
    __asm__ volatile("stm %0, {r2, r3}" :: "r"(a - 4) : "r2", "r3", "memory");
}
static void __attribute__((noinline)) do_push_from(uint32_t a)
{
    uint32_t sp = a + 8;
    __asm__ volatile("stmdb %0!, {r2, r3}" : "+r"(sp) :: "r2", "r3", "memory");
}

/* Runs one access and checks allowed / denied (and MMFAR when denied). */
static void expect(const char *name, void (*fn)(uint32_t), uint32_t addr, bool allowed,
                   bool unpriv)
{
    uint32_t before = faults;
    if (unpriv)
        run_unpriv(fn, addr);
    else
        fn(addr);
    if (allowed) {
        t_ok(name, faults == before, "faulted (CFSR 0x%08x, MMFAR 0x%08x)", last_cfsr,
             last_mmfar);
    } else if (faults == before) {
        t_ok(name, false, "access at 0x%08x was not denied", addr);
    } else if (fn == do_call) {
        t_ok(name, (last_cfsr & CFSR_IACCVIOL) && !(last_cfsr & CFSR_MMARVALID),
             "CFSR 0x%08x, want IACCVIOL without MMARVALID", last_cfsr);
    } else {
        t_ok(name, (last_cfsr & (CFSR_DACCVIOL | CFSR_MMARVALID)) ==
                   (CFSR_DACCVIOL | CFSR_MMARVALID) && last_mmfar >= addr && last_mmfar < addr + 4,
             "CFSR 0x%08x MMFAR 0x%08x, want DACCVIOL|MMARVALID at 0x%08x", last_cfsr,
             last_mmfar, addr);
    }
}

static void base_regions(void)
{
    for (unsigned n = 0; n < 8; n++)
        region_off(n);
    region(0, FLASH_BASE, rasr(FLASH_SIZE, AP_RO, 0, 0));          /* code: RX for all */
    region(1, SRAM_BASE, rasr(0x8000, AP_URO, 1, 0));              /* runtime data: RO */
    region(2, (uint32_t)psp_stack, rasr(1024, AP_RW, 1, 0));       /* PSP stack */
    region(3, TA, rasr(1024, AP_RW, 1, 0));                        /* the test area */
    MPU_CTRL = 5;                                                  /* ENABLE | PRIVDEFENA */
    barrier();
}

void test_main(void)
{
    char name[64];

    t_set_handler(EXC_MEMMANAGE, memmanage);
    t_set_handler(EXC_SVCALL, svc_handler);
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    t_eq("mpu_type_dregion", (MPU_TYPE >> 8) & 0xff, 8);

    /* MPU off: the default map, everything allowed */
    MPU_CTRL = 0;
    barrier();
    expect("off_unpriv_read_anywhere", do_ldrb, TA - 1, true, true);
    expect("off_unpriv_write_anywhere", do_strb, TA + 4096, true, true);

    base_regions();

    /* first and last byte of a 1 KiB region, and one past each edge */
    expect("edge_first_byte_read", do_ldrb, TA, true, true);
    expect("edge_last_byte_read", do_ldrb, TA + 1023, true, true);
    expect("edge_before_first_denied", do_ldrb, TA - 1, false, true);
    expect("edge_after_last_denied", do_ldrb, TA + 1024, false, true);
    expect("edge_last_byte_write", do_strb, TA + 1023, true, true);
    expect("edge_after_last_write_denied", do_strb, TA + 1024, false, true);
    /* words straddling an edge: one allowed byte does not make it allowed */
    expect("straddle_word_end_denied", do_ldr, TA + 1022, false, true);
    expect("straddle_word_start_denied", do_ldr, TA - 2, false, true);
    expect("straddle_word_store_denied", do_str, TA + 1021, false, true);
    /* multi-word transfers at the edges: the denied word faults the whole
     * instruction, MMFAR names it */
    expect("ldm_last_two_words_allowed", do_ldm_to, TA + 1020, true, true);
    expect("ldm_across_end_denied", do_ldm_to, TA + 1024, false, true);
    expect("stm_last_two_words_allowed", do_stm_to, TA + 1020, true, true);
    expect("stm_across_end_denied", do_stm_to, TA + 1024, false, true);
    expect("push_first_two_words_allowed", do_push_from, TA, true, true);
    expect("push_across_start_denied", do_push_from, TA - 4, false, true);
    expect("last_word_allowed", do_ldr, TA + 1020, true, true);

    /* privileged code with PRIVDEFENA: the background map allows it */
    expect("priv_background_allowed", do_ldrb, TA + 4096, true, false);

    /* each subregion of a 2 KiB region disabled in turn (256 B each) */
    for (unsigned k = 0; k < 8; k++) {
        uint32_t sub = TA2 + 256 * k;
        region(4, TA2, rasr(2048, AP_RW, 1, 1u << k));
        t_printf("INFO subregion %u disabled: 0x%08x..0x%08x\n", k, sub, sub + 255);
#define SUBCASE(label, a, ok) do { \
            const char *s = label; unsigned i = 0; \
            for (; s[i]; i++) \
                name[i] = s[i]; \
            name[i++] = '_'; \
            name[i++] = (char)('0' + k); \
            name[i] = 0; expect(name, do_ldrb, (a), (ok), true); } while (0)
        SUBCASE("srd_first_byte_denied", sub, false);
        SUBCASE("srd_last_byte_denied", sub + 255, false);
        if (k > 0)
            SUBCASE("srd_byte_before_allowed", sub - 1, true);
        if (k < 7)
            SUBCASE("srd_byte_after_allowed", sub + 256, true);
#undef SUBCASE
    }
    region_off(4);

    /* overlapping regions: the higher number wins; 32 bytes is exact */
    region(5, TA + 0x100, rasr(32, AP_NONE, 1, 0));
    expect("overlap_below_allowed", do_ldrb, TA + 0xFF, true, true);
    expect("overlap_first_denied", do_ldrb, TA + 0x100, false, true);
    expect("overlap_last_denied", do_ldrb, TA + 0x11F, false, true);
    expect("overlap_after_allowed", do_ldrb, TA + 0x120, true, true);
    expect("overlap_denied_even_privileged", do_ldrb, TA + 0x100, false, false);

    /* read-only */
    region(5, TA + 0x200, rasr(32, AP_RO, 1, 0));
    expect("ro_read_allowed", do_ldrb, TA + 0x200, true, true);
    expect("ro_write_denied", do_strb, TA + 0x200, false, true);
    expect("ro_write_denied_privileged", do_strb, TA + 0x21F, false, false);

    /* privileged only */
    region(5, TA + 0x200, rasr(32, AP_PRIV, 1, 0));
    expect("privonly_unpriv_read_denied", do_ldrb, TA + 0x200, false, true);
    expect("privonly_priv_read_allowed", do_ldrb, TA + 0x200, true, false);
    expect("privonly_priv_write_allowed", do_strb, TA + 0x200, true, false);
    /* privileged read-write, unprivileged read-only */
    region(5, TA + 0x200, rasr(32, AP_URO, 1, 0));
    expect("uro_unpriv_read_allowed", do_ldrb, TA + 0x21F, true, true);
    expect("uro_unpriv_write_denied", do_strb, TA + 0x21F, false, true);
    region_off(5);

    /* execute never: a `bx lr` placed in the test area */
    *(volatile uint16_t *)(TA + 0x300) = 0x4770;
    barrier();
    expect("xn_call_denied", do_call, TA + 0x300, false, true);
    region(3, TA, rasr(1024, AP_RW, 0, 0));
    expect("x_call_allowed", do_call, TA + 0x300, true, true);
    region(3, TA, rasr(1024, AP_RW, 1, 0));

    /* the region table reads back */
    MPU_RNR = 3;
    t_eq("rbar_readback", MPU_RBAR, TA | 3u);
    t_eq("rasr_readback", MPU_RASR, rasr(1024, AP_RW, 1, 0));

    /* MPU off again: allowed */
    MPU_CTRL = 0;
    barrier();
    expect("off_again_allowed", do_ldrb, TA - 1, true, true);
    base_regions();

    /* Exception entry stacking into a region the thread cannot write:
     * MemManage with MSTKERR (no MMARVALID), the frame is not written. */
    {
        uint32_t before = faults;
        volatile uint32_t *probe = (volatile uint32_t *)(TA + 0x3E0);
        region(5, TA + 0x3E0, rasr(32, AP_URO, 1, 0));
        probe[7] = 0xC0FFEE00u;
        stack_test_psp = TA + 0x400;
        stacking_case();
        t_ok("stacking_fault_taken", faults == before + 1, "faults %u", faults - before);
        t_ok("stacking_mstkerr", (last_cfsr & CFSR_MSTKERR) && !(last_cfsr & CFSR_MMARVALID),
             "CFSR 0x%08x", last_cfsr);
        t_eq("stacking_frame_not_written", probe[7], 0xC0FFEE00u);
        region_off(5);
    }
    MPU_CTRL = 0;
    barrier();
}
