/* RV32 counters (RISC-V unprivileged spec "Zicntr", privileged spec 1.12
 * 3.1.10-3.1.11): cycle, time and instret with their high halves, read as
 * consistent 64-bit values; monotonic; instret counting at least the
 * instructions retired; time equal to the CLINT's mtime; mcycle/minstret
 * writable in M mode with the carry into the high half; and mcounteren
 * deciding, counter by counter, whether U mode may read them (else an
 * illegal-instruction trap with the instruction in mtval). */
#include "rt.h"

#define READ64(lo, hi) ({ \
    uint32_t h_, l_; \
    do { \
        h_ = csr_read(hi); \
        l_ = csr_read(lo); \
    } while (csr_read(hi) != h_); \
    ((uint64_t)h_ << 32) | l_; })

static uint64_t rd_cycle(void)   { return READ64(cycle, cycleh); }
static uint64_t rd_time(void)    { return READ64(time, timeh); }
static uint64_t rd_instret(void) { return READ64(instret, instreth); }

/* Runs n iterations of a 2-instruction loop (addi, bnez). */
static void spin(uint32_t n)
{
    __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
}

static void test_monotonic(const char *name, uint64_t (*rd)(void), bool strict)
{
    uint64_t first = rd(), prev = first;
    uint32_t bad = 0;
    for (unsigned i = 0; i < 1000; i++) {
        uint64_t now = rd();
        if (now < prev || (strict && now == prev))
            bad++;
        prev = now;
        spin(3);
    }
    t_ok(name, bad == 0 && prev > first, "%u steps backwards%s (first 0x%08x%08x, last 0x%08x%08x)",
         bad, strict ? " or standing" : "", (uint32_t)(first >> 32), (uint32_t)first,
         (uint32_t)(prev >> 32), (uint32_t)prev);
}

/* After writing high half `hi` and a low half close to 2^32, then counting
 * past 2^32: the high half must have carried. QEMU 7.2 keeps the two halves
 * apart (the low half wraps, the high half stays). */
static void check_carry(const char *name, uint64_t v, uint32_t hi, uint32_t lo_written)
{
    uint32_t got_hi = (uint32_t)(v >> 32), got_lo = (uint32_t)v;
    if (lo_written < 0xFFF00000u) {
        t_ok(name, false, "the low half read 0x%08x just after writing 0xfff00000", lo_written);
    } else if (got_hi == hi && got_lo < lo_written) {
        t_skip(name, "QEMU deviation: 0x%08x%08x, the low half wrapped without a carry",
               got_hi, got_lo);
    } else {
        t_ok(name, got_hi == hi + 1, "0x%08x%08x, want the high half 0x%08x",
             got_hi, got_lo, hi + 1);
    }
}

static void test_machine_mode(void)
{
    test_monotonic("cycle_monotonic", rd_cycle, false);
    test_monotonic("time_monotonic", rd_time, false);
    test_monotonic("instret_increases", rd_instret, true);

    uint64_t i0 = rd_instret();
    spin(1000);
    uint64_t i1 = rd_instret();
    t_ok("instret_counts_loop", i1 - i0 >= 2000u, "instret advanced by %u over 2000 instructions",
         (uint32_t)(i1 - i0));
    t_info("instret advanced by %u over a 2000-instruction loop", (uint32_t)(i1 - i0));

    uint64_t t0 = rd_time();
    uint64_t m = clint_mtime();
    uint64_t t1 = rd_time();
    t_ok("time_is_mtime", t0 <= m && m <= t1, "time 0x%08x then 0x%08x, mtime 0x%08x between",
         (uint32_t)t0, (uint32_t)t1, (uint32_t)m);

    uint64_t c0 = rd_cycle();
    uint32_t mc = csr_read(mcycle);
    uint64_t c1 = rd_cycle();
    t_ok("mcycle_is_cycle", (uint32_t)c0 <= mc && mc <= (uint32_t)c1 && (c1 >> 32) == (c0 >> 32),
         "cycle 0x%08x then 0x%08x, mcycle 0x%08x", (uint32_t)c0, (uint32_t)c1, mc);
    uint64_t n0 = rd_instret();
    uint32_t mi = csr_read(minstret);
    uint64_t n1 = rd_instret();
    t_ok("minstret_is_instret", (uint32_t)n0 < mi && mi < (uint32_t)n1,
         "instret 0x%08x then 0x%08x, minstret 0x%08x", (uint32_t)n0, (uint32_t)n1, mi);

    /* Writable in M mode; the low half carries into the high half (2^20
     * counts after the write, reached by 1.2 M instructions). */
    csr_write(mcycleh, 0);
    csr_write(mcycle, 0xFFF00000u);
    csr_write(mcycleh, 5);
    uint32_t lo_written = csr_read(mcycle);
    spin(600000);
    check_carry("mcycle_write_carry", rd_cycle(), 5, lo_written);
    csr_write(minstreth, 0);
    csr_write(minstret, 0xFFF00000u);
    csr_write(minstreth, 9);
    lo_written = csr_read(minstret);
    spin(600000);
    check_carry("minstret_write_carry", rd_instret(), 9, lo_written);
}

/* ------------------------------------------------------------------ U mode -- */

static volatile struct {
    uint32_t count, mcause, mepc, mtval;
} tr;

static void skip_handler(struct t_trap *t)
{
    tr.count++;
    tr.mcause = t->mcause;
    tr.mepc = t->mepc;
    tr.mtval = t->mtval;
    t->x[T_A0] = 0xDEADu;
    t->mepc += t_insn_len(t->mepc);
}

uint32_t u_rdcycle(uint32_t unused);
uint32_t u_rdtime(uint32_t unused);
uint32_t u_rdinstret(uint32_t unused);
__asm__(
    "   .option push\n"
    "   .option norvc\n"
    "   .section .text.u_counters, \"ax\"\n"
    "   .global u_rdcycle\n"
    "u_rdcycle:\n"
    "   rdcycle a0\n"
    "   ret\n"
    "   .global u_rdtime\n"
    "u_rdtime:\n"
    "   rdtime a0\n"
    "   ret\n"
    "   .global u_rdinstret\n"
    "u_rdinstret:\n"
    "   rdinstret a0\n"
    "   ret\n"
    "   .option pop\n");

static uint32_t user_stack[256] __attribute__((aligned(16)));
#define USER_TOP (&user_stack[T_ARRAY_LEN(user_stack)])

struct counter {
    const char *name;
    uint32_t (*fn)(uint32_t);
    uint32_t bit;          /* in mcounteren */
    uint32_t insn;         /* csrrs a0, <counter>, x0 */
    uint64_t (*m_read)(void);
};
static const struct counter counters[] = {
    { "cycle", u_rdcycle, 1u << 0, 0xC0002573u, rd_cycle },
    { "time", u_rdtime, 1u << 1, 0xC0102573u, rd_time },
    { "instret", u_rdinstret, 1u << 2, 0xC0202573u, rd_instret },
};

static void test_user_mode(void)
{
    t_set_trap_handler(skip_handler);
    /* With S mode (QEMU's virt hart has it), U-mode reads also need
     * scounteren; allow all there, so that mcounteren decides. */
    bool has_s = csr_read(misa) & (1u << ('S' - 'A'));
    t_info("misa = 0x%08x: %s mode", csr_read(misa), has_s ? "S and U" : "no S");
    if (has_s)
        csr_write(scounteren, 7);
    char name[40];
    for (unsigned i = 0; i < T_ARRAY_LEN(counters); i++) {
        const struct counter *c = &counters[i];
        unsigned n = 0;
        for (const char *s = "u_"; *s; s++)
            name[n++] = *s;
        for (const char *s = c->name; *s; s++)
            name[n++] = *s;

        /* Allowed: only this counter's bit set. */
        csr_write(mcounteren, c->bit);
        tr.count = 0;
        uint32_t before = (uint32_t)c->m_read();
        uint32_t v = t_run_user(c->fn, 0, USER_TOP);
        uint32_t after = (uint32_t)c->m_read();
        const char *allowed = "_allowed";
        unsigned k = n;
        for (const char *s = allowed; *s; s++)
            name[k++] = *s;
        name[k] = '\0';
        t_ok(name, tr.count == 0 && before <= v && v <= after,
             "%u traps (mcause %u), value 0x%08x, M mode read 0x%08x before, 0x%08x after",
             tr.count, tr.mcause, v, before, after);

        /* Denied: every bit but this one. */
        csr_write(mcounteren, 7u & ~c->bit);
        tr.count = 0;
        v = t_run_user(c->fn, 0, USER_TOP);
        const char *denied = "_denied";
        k = n;
        for (const char *s = denied; *s; s++)
            name[k++] = *s;
        name[k] = '\0';
        t_ok(name,
             tr.count == 1 && tr.mcause == CAUSE_ILLEGAL_INSN && tr.mepc == (uint32_t)c->fn &&
                 tr.mtval == c->insn,
             "%u traps, mcause %u (want 2), mepc 0x%08x (want 0x%08x), mtval 0x%08x (want 0x%08x)",
             tr.count, tr.mcause, tr.mepc, (uint32_t)c->fn, tr.mtval, c->insn);
    }
    csr_write(mcounteren, 0);
    t_set_trap_handler(0);
}

void test_main(void)
{
    test_machine_mode();
    test_user_mode();
}
