/* The RISC-V PMP (privileged spec 1.12, 3.7), decided to the byte: for each
 * case an access just inside (allowed) and just outside (denied) the edge,
 * from U mode unless said otherwise, with mcause, mtval = the faulting
 * address and mepc = the faulting instruction. TOR (also with i = 0: the
 * bottom is 0), NA4, NAPOT from 8 B to 1 MiB and all ones, R/W/X one at a
 * time, priority by the lowest index, a matching entry that holds only part
 * of an access, U-mode default deny, words straddling a boundary inside a
 * page (in both orders), several accesses in a page that a boundary cuts at
 * +0x104 (the page-granular shortcut would get these wrong), fetches from
 * RAM (a `ret` placed there and called), and last, locked entries: they
 * bind M mode and ignore later writes (the L bit stays until reset).
 *
 * Test memory: DRAM above the runtime's RAM (QEMU's virt has 128 MiB), which
 * only the PMP entries under test cover. U mode always gets two background
 * entries of the lowest priority: 15 = the image (NAPOT 1 MiB R-X) and 14 =
 * its stack (NAPOT 1 KiB RW-). Every probe is a one-instruction function
 * (rv_*), so mepc can be compared with the function address. The trap
 * handler skips a faulting load or store (2 or 4 bytes) and returns from a
 * denied fetch through ra. */
#include "rt.h"

#define TA   0x80300000u        /* test pages: TA .. TA + 0x5000 */
#define TA2  (TA + 0x2000u)     /* sub-page sequences */
#define TA3  (TA + 0x3000u)     /* sub-page fetches */
#define TL   (TA + 0x4000u)     /* locked entries */
#define TA_END (TA + 0x5000u)
#define BIG64K 0x80310000u      /* NAPOT 64 KiB */
#define BIG1M  0x80400000u      /* NAPOT 1 MiB */

#define CFG_OFF   0x00u
#define CFG_TOR   0x08u
#define CFG_NA4   0x10u
#define CFG_NAPOT 0x18u
#define CFG_R     0x01u
#define CFG_W     0x02u
#define CFG_X     0x04u
#define CFG_L     0x80u
#define RW  (CFG_R | CFG_W)
#define RX  (CFG_R | CFG_X)
#define RWX (CFG_R | CFG_W | CFG_X)

#define C_RET   0x8082u         /* c.jr ra */
#define JALR_RA 0x00008067u     /* jalr x0, 0(ra): a 32-bit ret */

/* ----------------------------------------------------------- the probes -- */

uint32_t rv_lb(uint32_t a), rv_lh(uint32_t a), rv_lw(uint32_t a), rv_clw(uint32_t a);
uint32_t rv_sb(uint32_t a), rv_sh(uint32_t a), rv_sw(uint32_t a), rv_csw(uint32_t a);
uint32_t rv_call(uint32_t target);

#define PROBE(name, body) \
    "   .section .text." #name ", \"ax\"\n" \
    "   .global " #name "\n" \
    "   .type " #name ", @function\n" \
    #name ":\n" body "   ret\n"

/* Stores store the address itself; every probe returns a0 (a load that is
 * skipped leaves it unchanged: the address). */
__asm__(
    "   .option push\n"
    "   .option norvc\n"
    PROBE(rv_lb, "   lb a0, 0(a0)\n")
    PROBE(rv_lh, "   lh a0, 0(a0)\n")
    PROBE(rv_lw, "   lw a0, 0(a0)\n")
    PROBE(rv_sb, "   sb a0, 0(a0)\n")
    PROBE(rv_sh, "   sh a0, 0(a0)\n")
    PROBE(rv_sw, "   sw a0, 0(a0)\n")
    "   .option pop\n"
    PROBE(rv_clw, "   c.lw a0, 0(a0)\n")
    PROBE(rv_csw, "   c.sw a0, 0(a0)\n")
    "   .section .text.rv_call, \"ax\"\n"
    "   .global rv_call\n"
    "rv_call:\n"
    "   addi sp, sp, -16\n"
    "   sw ra, 12(sp)\n"
    "   jalr a0\n"
    "   lw ra, 12(sp)\n"
    "   addi sp, sp, 16\n"
    "   ret\n");

enum probe { P_LB, P_LH, P_LW, P_CLW, P_SB, P_SH, P_SW, P_CSW, P_CALL, P_N };
typedef uint32_t (*probe_fn)(uint32_t);
static probe_fn const probe_fns[P_N] = {
    rv_lb, rv_lh, rv_lw, rv_clw, rv_sb, rv_sh, rv_sw, rv_csw, rv_call,
};
static const unsigned probe_size[P_N] = { 1, 2, 4, 4, 1, 2, 4, 4, 2 };

static bool is_load(enum probe p) { return p <= P_CLW; }
static bool is_store(enum probe p) { return p >= P_SB && p <= P_CSW; }
static uint32_t fault_cause(enum probe p)
{
    return is_load(p) ? CAUSE_LOAD_ACCESS : is_store(p) ? CAUSE_STORE_ACCESS : CAUSE_INSN_ACCESS;
}

/* ------------------------------------------------------------- the PMP -- */

#define PMPADDR_CASE(n) case n: csr_write(pmpaddr##n, v); break;
#define PMPADDR_READ(n) case n: return csr_read(pmpaddr##n);

static void pmpaddr_write(unsigned i, uint32_t v)
{
    switch (i) {
    PMPADDR_CASE(0) PMPADDR_CASE(1) PMPADDR_CASE(2) PMPADDR_CASE(3)
    PMPADDR_CASE(4) PMPADDR_CASE(5) PMPADDR_CASE(6) PMPADDR_CASE(7)
    PMPADDR_CASE(8) PMPADDR_CASE(9) PMPADDR_CASE(10) PMPADDR_CASE(11)
    PMPADDR_CASE(12) PMPADDR_CASE(13) PMPADDR_CASE(14) PMPADDR_CASE(15)
    }
}

static uint32_t pmpaddr_read(unsigned i)
{
    switch (i) {
    PMPADDR_READ(0) PMPADDR_READ(1) PMPADDR_READ(2) PMPADDR_READ(3)
    PMPADDR_READ(4) PMPADDR_READ(5) PMPADDR_READ(6) PMPADDR_READ(7)
    PMPADDR_READ(8) PMPADDR_READ(9) PMPADDR_READ(10) PMPADDR_READ(11)
    PMPADDR_READ(12) PMPADDR_READ(13) PMPADDR_READ(14) PMPADDR_READ(15)
    }
    return 0;
}

static void pmpcfg_write(unsigned r, uint32_t v)
{
    switch (r) {
    case 0: csr_write(pmpcfg0, v); break;
    case 1: csr_write(pmpcfg1, v); break;
    case 2: csr_write(pmpcfg2, v); break;
    case 3: csr_write(pmpcfg3, v); break;
    }
}

static uint32_t pmpcfg_read(unsigned r)
{
    switch (r) {
    case 0: return csr_read(pmpcfg0);
    case 1: return csr_read(pmpcfg1);
    case 2: return csr_read(pmpcfg2);
    case 3: return csr_read(pmpcfg3);
    }
    return 0;
}

/* The configuration being built: entries 0..13 for the case, 14 and 15 the
 * background for U mode. */
static uint8_t cfg[16];
static uint32_t addr[16];

static uint32_t user_stack[256] __attribute__((aligned(1024)));
#define USER_TOP (&user_stack[T_ARRAY_LEN(user_stack)])

static uint32_t napot(uint32_t base, uint32_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

static void clear(void)
{
    for (unsigned i = 0; i < 16; i++) {
        cfg[i] = 0;
        addr[i] = 0;
    }
    addr[14] = napot((uint32_t)user_stack, sizeof user_stack);
    cfg[14] = CFG_NAPOT | RW;
    addr[15] = napot(0x80000000u, 0x100000u);
    cfg[15] = CFG_NAPOT | RX;
}

static void apply(void)
{
    for (unsigned i = 0; i < 16; i++)
        pmpaddr_write(i, addr[i]);
    for (unsigned r = 0; r < 4; r++)
        pmpcfg_write(r, (uint32_t)cfg[4 * r] | (uint32_t)cfg[4 * r + 1] << 8 |
                            (uint32_t)cfg[4 * r + 2] << 16 | (uint32_t)cfg[4 * r + 3] << 24);
}

static void set_napot(unsigned i, uint32_t base, uint32_t size, uint8_t perm)
{
    addr[i] = napot(base, size);
    cfg[i] = CFG_NAPOT | perm;
}

static void set_na4(unsigned i, uint32_t base, uint8_t perm)
{
    addr[i] = base >> 2;
    cfg[i] = CFG_NA4 | perm;
}

/* [lo, hi) with entry i TOR and entry i - 1 OFF holding the bottom. */
static void set_tor(unsigned i, uint32_t lo, uint32_t hi, uint8_t perm)
{
    if (i > 0) {
        addr[i - 1] = lo >> 2;
        cfg[i - 1] = CFG_OFF;
    }
    addr[i] = hi >> 2;
    cfg[i] = CFG_TOR | perm;
}

/* ---------------------------------------------------------- trap record -- */

extern uint32_t t_kernel_sp;
extern char t_run_user_resume[];

#define HIST 16
static volatile struct {
    uint32_t count;
    uint32_t mcause[HIST], mepc[HIST], mtval[HIST];
} tr;
#define USER_ABORTED 0xDEADDEADu
#define MRET_INSN 0x30200073u
/* QEMU 7.2 refuses an mret to U mode when no PMP entry is on (test_all_off) */
static volatile bool mret_refusal_ok;

/* Leaves U mode for good: resumes t_run_user()'s epilogue in M mode. */
static void abort_user(struct t_trap *t)
{
    t->x[2] = t_kernel_sp;
    t->x[T_A0] = USER_ABORTED;
    t->mepc = (uint32_t)t_run_user_resume;
    t->mstatus |= MSTATUS_MPP_M;
}

static void handler(struct t_trap *t)
{
    bool from_u = (t->mstatus & MSTATUS_MPP) == MSTATUS_MPP_U;
    uint32_t n = tr.count++;

    if (n < HIST) {
        tr.mcause[n] = t->mcause;
        tr.mepc[n] = t->mepc;
        tr.mtval[n] = t->mtval;
    }
    if (n > 40) {                   /* a runaway: stop the case */
        if (from_u) {
            abort_user(t);
            return;
        }
        t_printf("FAIL runaway-traps: mcause 0x%x mepc 0x%08x mtval 0x%08x\n", t->mcause,
                 t->mepc, t->mtval);
        t_done();
    }
    switch (t->mcause) {
    case CAUSE_LOAD_ACCESS: case CAUSE_STORE_ACCESS:
    case CAUSE_LOAD_MISALIGNED: case CAUSE_STORE_MISALIGNED:
        t->mepc += t_insn_len(t->mepc);
        return;
    case CAUSE_INSN_ACCESS:
        if (t->mepc >= TA && t->mepc < TA_END) {
            t->mepc = t->x[1];      /* a called `ret` in the test pages */
            return;
        }
        break;
    default:
        break;
    }
    if (from_u || (t->mcause == CAUSE_ILLEGAL_INSN && t->mtval == MRET_INSN && mret_refusal_ok)) {
        abort_user(t);
        return;
    }
    t_printf("FAIL unexpected-trap: mcause 0x%x mepc 0x%08x mtval 0x%08x\n", t->mcause, t->mepc,
             t->mtval);
    t_done();
}

static void begin(void)
{
    tr.count = 0;
    for (unsigned i = 0; i < HIST; i++)
        tr.mcause[i] = tr.mepc[i] = tr.mtval[i] = 0;
}

/* ---------------------------------------------------------------- checks -- */

static void fence_i(void)
{
    __asm__ volatile(".word 0x0000100f" ::: "memory");     /* fence.i */
}

static void put_c_ret(uint32_t a)
{
    *(volatile uint16_t *)a = C_RET;
    fence_i();
}

static void put_jalr_ra(uint32_t a)
{
    *(volatile uint16_t *)a = (uint16_t)JALR_RA;
    *(volatile uint16_t *)(a + 2) = (uint16_t)(JALR_RA >> 16);
    fence_i();
}

/* Memory contents: a pattern of the address. */
static void fill(uint32_t lo, uint32_t hi)
{
    for (uint32_t a = lo; a < hi; a += 4)
        *(volatile uint32_t *)a = a ^ 0x5AC3A55Au;
}

static uint32_t mem_read(uint32_t a, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)*(volatile uint8_t *)(a + i) << (8 * i);
    return v;
}

static uint32_t run(enum probe p, uint32_t a, bool user)
{
    return user ? t_run_user(probe_fns[p], a, USER_TOP) : probe_fns[p](a);
}

/* One access, allowed or denied; denied: exactly one trap, the access-fault
 * cause, mepc = the probe (the target for a call), mtval = the address. An
 * allowed load returns what M mode reads there; an allowed store writes, a
 * denied one does not. */
static void check(const char *name, enum probe p, uint32_t a, bool allowed, bool user)
{
    unsigned size = probe_size[p];
    uint32_t mask = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    uint32_t before = 0, want_val = a, got, after;
    uint32_t pc = p == P_CALL ? a : (uint32_t)probe_fns[p];

    if (is_store(p) || is_load(p))
        before = mem_read(a, size);
    if (is_load(p) && allowed) {
        want_val = before;
        if (p == P_LB)
            want_val = (uint32_t)(int32_t)(int8_t)want_val;
        else if (p == P_LH)
            want_val = (uint32_t)(int32_t)(int16_t)want_val;
    }
    if (is_store(p) && before == (a & mask)) {
        before ^= mask;             /* make the store visible */
        for (unsigned i = 0; i < size; i++)
            *(volatile uint8_t *)(a + i) = (uint8_t)(before >> (8 * i));
    }
    begin();
    got = run(p, a, user);
    after = is_store(p) ? mem_read(a, size) : 0;
    if (allowed) {
        t_ok(name, tr.count == 0 && got == want_val && (!is_store(p) || after == (a & mask)),
             "%u traps (first: mcause 0x%x mepc 0x%08x mtval 0x%08x); result 0x%08x (want "
             "0x%08x); memory 0x%08x", tr.count, tr.mcause[0], tr.mepc[0], tr.mtval[0], got,
             want_val, after);
    } else {
        t_ok(name, tr.count == 1 && tr.mcause[0] == fault_cause(p) && tr.mepc[0] == pc &&
                       tr.mtval[0] == a && got == a && (!is_store(p) || after == before),
             "%u traps; mcause 0x%x (want 0x%x), mepc 0x%08x (want 0x%08x), mtval 0x%08x (want "
             "0x%08x); result 0x%08x; memory 0x%08x (before 0x%08x)", tr.count, tr.mcause[0],
             fault_cause(p), tr.mepc[0], pc, tr.mtval[0], a, got, after, before);
    }
}

#define U_OK(name, p, a)   check(name, p, a, true, true)
#define U_NO(name, p, a)   check(name, p, a, false, true)
#define M_OK(name, p, a)   check(name, p, a, true, false)
#define M_NO(name, p, a)   check(name, p, a, false, false)

/* The four edges of [lo, hi) for byte loads, and the first and last words. */
static void edges(const char *what, uint32_t lo, uint32_t hi)
{
    char name[64];
    static const char *const suffix[] = {
        "_first_byte", "_last_byte", "_byte_before", "_byte_after", "_first_word", "_last_word",
        "_first_store", "_last_store", "_store_after",
    };
    const struct { enum probe p; uint32_t a; bool ok; } c[] = {
        { P_LB, lo, true }, { P_LB, hi - 1, true }, { P_LB, lo - 1, false },
        { P_LB, hi, false }, { P_LW, lo, true }, { P_LW, hi - 4, true },
        { P_SB, lo, true }, { P_SB, hi - 1, true }, { P_SB, hi, false },
    };
    for (unsigned k = 0; k < T_ARRAY_LEN(c); k++) {
        unsigned n = 0;
        for (const char *s = what; *s; s++)
            name[n++] = *s;
        for (const char *s = suffix[k]; *s; s++)
            name[n++] = *s;
        name[n] = 0;
        check(name, c[k].p, c[k].a, c[k].ok, true);
    }
}

/* A misaligned access that straddles a boundary at b: one part allowed, the
 * other not. It must trap (the matching entry does not hold all its bytes,
 * or the other part matches no entry): an access fault, or an
 * address-misaligned exception (both allowed for a misaligned access), with
 * mepc = the probe and mtval = the access address or, for an access the
 * hart splits, the first address of the part that faulted (b). A load
 * leaves its register alone. */
static void straddle(const char *name, enum probe p, uint32_t a, uint32_t b)
{
    uint32_t misaligned = is_load(p) ? CAUSE_LOAD_MISALIGNED : CAUSE_STORE_MISALIGNED;
    uint32_t pc = (uint32_t)probe_fns[p];
    begin();
    uint32_t got = run(p, a, true);
    t_ok(name, tr.count == 1 && (tr.mcause[0] == fault_cause(p) || tr.mcause[0] == misaligned) &&
                   tr.mepc[0] == pc && (tr.mtval[0] == a || tr.mtval[0] == b) && got == a,
         "%u traps; mcause 0x%x, mepc 0x%08x (want 0x%08x), mtval 0x%08x (want 0x%08x or "
         "0x%08x); result 0x%08x", tr.count, tr.mcause[0], tr.mepc[0], pc, tr.mtval[0], a, b, got);
    if (tr.count == 1)
        t_info("%s: mcause %u, mtval 0x%08x", name, tr.mcause[0], tr.mtval[0]);
}

/* ------------------------------------------------------------ sequences -- */

/* Several accesses in one U-mode run: the first allowed access must not
 * open the page for the denied ones (nor a denied one close it). */
struct op {
    uint8_t probe;
    uint8_t allowed;
    uint32_t addr;
};
struct seq {
    uint32_t n;
    const struct op *ops;
};

/* Runs in U mode: reads only its arguments (in the image) and its stack. */
static uint32_t user_seq(uint32_t arg)
{
    const struct seq *s = (const struct seq *)arg;
    uint32_t acc = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t v = probe_fns[s->ops[i].probe](s->ops[i].addr);
        if (s->ops[i].probe <= P_CLW)
            acc = ((acc << 5) | (acc >> 27)) ^ v;
    }
    return acc;
}

static void run_seq(const char *name, const struct seq *s)
{
    uint32_t want_acc = 0, want_traps = 0;
    bool traps_ok = true, stores_ok = true;

    fill(TA2 - 0x100, TA2 + 0x1100);
    for (uint32_t i = 0; i < s->n; i++) {
        const struct op *o = &s->ops[i];
        if (o->probe <= P_CLW) {
            uint32_t v = o->allowed ? probe_fns[o->probe](o->addr) : o->addr;   /* M mode */
            want_acc = ((want_acc << 5) | (want_acc >> 27)) ^ v;
        }
    }
    begin();
    uint32_t acc = t_run_user(user_seq, (uint32_t)s, USER_TOP);
    for (uint32_t i = 0; i < s->n; i++) {
        const struct op *o = &s->ops[i];
        uint32_t size = probe_size[o->probe];
        if (!o->allowed) {
            uint32_t k = want_traps++;
            if (k < HIST && traps_ok &&
                (tr.mcause[k] != fault_cause((enum probe)o->probe) ||
                 tr.mepc[k] != (uint32_t)probe_fns[o->probe] || tr.mtval[k] != o->addr)) {
                traps_ok = false;
                t_info("%s: trap %u: mcause 0x%x mepc 0x%08x mtval 0x%08x; want an access "
                       "fault at 0x%08x (op %u)", name, k, tr.mcause[k], tr.mepc[k], tr.mtval[k],
                       o->addr, i);
            }
        }
        if (is_store((enum probe)o->probe)) {
            uint32_t m = mem_read(o->addr, size);
            uint32_t stored = size == 4 ? o->addr : o->addr & ((1u << (8 * size)) - 1);
            bool written = m == stored;
            if (written != (bool)o->allowed) {
                stores_ok = false;
                t_info("%s: store %u at 0x%08x %s", name, i, o->addr,
                       written ? "was done" : "was not done");
            }
        }
    }
    t_ok(name, tr.count == want_traps && traps_ok && stores_ok && acc == want_acc,
         "%u traps (want %u)%s%s; loads 0x%08x (want 0x%08x)", tr.count, want_traps,
         traps_ok ? "" : ", wrong trap", stores_ok ? "" : ", wrong store", acc, want_acc);
}

#define SEQ(name, ...) \
    static const struct op name##_ops[] = { __VA_ARGS__ }; \
    static const struct seq name = { T_ARRAY_LEN(name##_ops), name##_ops }

/* Boundary at TA2 + 0x104: [TA2, TA2 + 0x104) allowed, above denied. */
SEQ(seq_below_allowed_first,
    { P_LW, 1, TA2 + 0x100 }, { P_LW, 0, TA2 + 0x104 }, { P_LB, 1, TA2 + 0x103 },
    { P_LB, 0, TA2 + 0x104 }, { P_SW, 1, TA2 + 0x0FC }, { P_SW, 0, TA2 + 0x108 },
    { P_LW, 1, TA2 + 0x000 }, { P_LW, 0, TA2 + 0xFFC }, { P_CLW, 1, TA2 + 0x0F8 },
    { P_CSW, 0, TA2 + 0x10C }, { P_LH, 1, TA2 + 0x102 }, { P_LH, 0, TA2 + 0x104 });
SEQ(seq_below_denied_first,
    { P_LW, 0, TA2 + 0x104 }, { P_LW, 1, TA2 + 0x100 }, { P_SB, 0, TA2 + 0x105 },
    { P_SB, 1, TA2 + 0x103 }, { P_LW, 0, TA2 + 0x800 }, { P_LW, 1, TA2 + 0x004 },
    { P_CSW, 0, TA2 + 0x110 }, { P_CSW, 1, TA2 + 0x0F0 }, { P_LB, 0, TA2 + 0x104 });
/* Boundary at TA2 + 0x104 the other way: [TA2 + 0x104, TA2 + 0x2000). */
SEQ(seq_above_allowed_first,
    { P_LW, 1, TA2 + 0x104 }, { P_LW, 0, TA2 + 0x100 }, { P_LB, 1, TA2 + 0x104 },
    { P_LB, 0, TA2 + 0x103 }, { P_LW, 1, TA2 + 0x1000 }, { P_LW, 0, TA2 + 0x000 },
    { P_SW, 1, TA2 + 0x108 }, { P_SW, 0, TA2 + 0x0FC }, { P_LW, 1, TA2 + 0xFFC });
SEQ(seq_above_denied_first,
    { P_LW, 0, TA2 + 0x100 }, { P_LW, 1, TA2 + 0x104 }, { P_SB, 0, TA2 + 0x103 },
    { P_SB, 1, TA2 + 0x104 }, { P_LB, 0, TA2 + 0x0FF }, { P_LB, 1, TA2 + 0xFFF },
    { P_CLW, 0, TA2 + 0x0F0 }, { P_CLW, 1, TA2 + 0x1004 });

/* ----------------------------------------------------------------- cases -- */

static void test_tor(void)
{
    /* [TA + 0x204, TA + 0x30C): both ends inside one page */
    clear();
    set_tor(3, TA + 0x204, TA + 0x30C, RW);
    apply();
    fill(TA, TA + 0x1000);
    edges("tor", TA + 0x204, TA + 0x30C);
    U_NO("tor_word_before", P_LW, TA + 0x200);
    U_NO("tor_word_after", P_LW, TA + 0x30C);

    /* i = 0: the bottom is address 0 (the UART, far below, is inside) */
    clear();
    set_tor(0, 0, TA + 0x104, RWX);
    apply();
    U_OK("tor0_last_byte", P_LB, TA + 0x103);
    U_NO("tor0_byte_after", P_LB, TA + 0x104);
    U_OK("tor0_bottom_is_zero_uart", P_LB, UART0_BASE + 5u);
    clear();
    apply();
    U_NO("no_tor0_uart_denied", P_LB, UART0_BASE + 5u);

    /* top <= bottom: matches nothing, so a lower-priority entry decides */
    clear();
    set_tor(3, TA + 0x300, TA + 0x300, CFG_R);
    set_napot(5, TA, 0x1000, RW);
    apply();
    U_OK("tor_empty_equal_matches_nothing", P_SB, TA + 0x300);
    clear();
    set_tor(3, TA + 0x400, TA + 0x200, CFG_R);
    set_napot(5, TA, 0x1000, RW);
    apply();
    U_OK("tor_empty_inverted_matches_nothing", P_SB, TA + 0x300);
}

static void test_na4_napot(void)
{
    static const struct { const char *name; uint32_t base, size; } cases[] = {
        { "napot8", TA + 0x208, 8 },        { "napot16", TA + 0x310, 16 },
        { "napot64", TA + 0x440, 64 },      { "napot4k", TA + 0x1000, 0x1000 },
        { "napot64k", BIG64K, 0x10000 },    { "napot1m", BIG1M, 0x100000 },
    };

    clear();
    set_na4(2, TA + 0x504, RW);
    apply();
    fill(TA, TA + 0x1000);
    U_OK("na4_first_byte", P_LB, TA + 0x504);
    U_OK("na4_last_byte", P_LB, TA + 0x507);
    U_OK("na4_word", P_LW, TA + 0x504);
    U_OK("na4_word_store", P_SW, TA + 0x504);
    U_NO("na4_byte_before", P_LB, TA + 0x503);
    U_NO("na4_byte_after", P_LB, TA + 0x508);
    U_NO("na4_word_before", P_LW, TA + 0x500);
    U_NO("na4_word_after", P_LW, TA + 0x508);

    for (unsigned k = 0; k < T_ARRAY_LEN(cases); k++) {
        clear();
        set_napot(1, cases[k].base, cases[k].size, RW);
        apply();
        t_info("%s: pmpaddr1 = 0x%08x", cases[k].name, pmpaddr_read(1));
        t_eq(cases[k].name, pmpaddr_read(1), napot(cases[k].base, cases[k].size));
        fill(cases[k].base - 16, cases[k].base + 16);
        fill(cases[k].base + cases[k].size - 16, cases[k].base + cases[k].size + 16);
        edges(cases[k].name, cases[k].base, cases[k].base + cases[k].size);
    }

    /* all ones: everything (here R-X: stores denied everywhere, even U's stack) */
    clear();
    addr[0] = 0xFFFFFFFFu;
    cfg[0] = CFG_NAPOT | RX;
    apply();
    U_OK("napot_all_ones_load_low", P_LB, UART0_BASE + 5u);
    U_OK("napot_all_ones_load", P_LW, TA + 0x10);
    U_NO("napot_all_ones_store", P_SW, TA + 0x10);
    U_NO("napot_all_ones_store_stack", P_SW, (uint32_t)&user_stack[4]);
}

static void test_rwx(void)
{
    const uint32_t a = TA + 0x600;
    clear();
    apply();
    fill(TA, TA + 0x1000);
    put_c_ret(a);
    put_c_ret(a + 0x40);

    static const struct { const char *load, *store, *call; uint8_t perm; } cases[] = {
        { "r_load", "r_store", "r_fetch", CFG_R },
        { "rw_load", "rw_store", "rw_fetch", RW },
        { "x_load", "x_store", "x_fetch", CFG_X },
        { "rx_load", "rx_store", "rx_fetch", RX },
        { "none_load", "none_store", "none_fetch", 0 },
        { "rwx_load", "rwx_store", "rwx_fetch", RWX },
    };
    for (unsigned k = 0; k < T_ARRAY_LEN(cases); k++) {
        uint8_t p = cases[k].perm;
        clear();
        set_napot(0, a, 64, p);
        apply();
        check(cases[k].load, P_LW, a + 4, p & CFG_R, true);
        check(cases[k].store, P_SW, a + 4, (p & RW) == RW, true);
        check(cases[k].call, P_CALL, a, p & CFG_X, true);
    }
    /* outside the entry: the fetch is denied by default */
    clear();
    set_napot(0, a, 64, RWX);
    apply();
    U_NO("fetch_after_region_denied", P_CALL, a + 0x40);
    /* in M mode an entry without L does not apply */
    clear();
    set_napot(0, a, 64, 0);
    apply();
    M_OK("m_ignores_unlocked_load", P_LW, a + 4);
    M_OK("m_ignores_unlocked_store", P_SW, a + 4);
    M_OK("m_ignores_unlocked_fetch", P_CALL, a);
    M_OK("m_no_match_allowed", P_SW, TA + 0x900);
}

static void test_priority(void)
{
    fill(TA, TA + 0x1000);
    clear();
    set_napot(0, TA + 0x700, 64, CFG_R);        /* inside: read-only */
    set_napot(1, TA, 0x1000, RW);
    apply();
    U_OK("prio_low_index_ro_load", P_LB, TA + 0x700);
    U_NO("prio_low_index_ro_store_first", P_SB, TA + 0x700);
    U_NO("prio_low_index_ro_store_last", P_SB, TA + 0x73F);
    U_OK("prio_high_index_rw_store_before", P_SB, TA + 0x6FF);
    U_OK("prio_high_index_rw_store_after", P_SB, TA + 0x740);

    clear();
    set_napot(0, TA + 0x700, 64, RW);           /* inside: writable */
    set_napot(1, TA, 0x1000, CFG_R);
    apply();
    U_OK("prio_low_index_rw_store", P_SW, TA + 0x73C);
    U_NO("prio_high_index_ro_store_before", P_SW, TA + 0x6FC);
    U_NO("prio_high_index_ro_store_after", P_SW, TA + 0x740);

    /* the lowest matching entry must hold every byte: entry 0 holds two bytes
     * of these words, entry 1 would allow them all, the access still fails */
    clear();
    set_na4(0, TA + 0x704, RW);
    set_napot(1, TA, 0x1000, RW);
    apply();
    U_OK("partial_na4_word_inside", P_LW, TA + 0x704);
    straddle("partial_match_low_half", P_LW, TA + 0x702, TA + 0x704);
    straddle("partial_match_high_half", P_LW, TA + 0x706, TA + 0x708);
    straddle("partial_match_store", P_SW, TA + 0x702, TA + 0x704);

    /* U mode, PMP on, no entry matches: denied (M mode: allowed) */
    clear();
    set_napot(0, TA + 0x700, 64, RW);
    apply();
    U_NO("u_default_deny_load", P_LW, TA + 0x800);
    U_NO("u_default_deny_store", P_SW, TA + 0x800);
    M_OK("m_default_allow", P_SW, TA + 0x800);
}

/* With every entry OFF the PMP is still implemented: U mode gets nothing
 * (privileged spec 3.7.1: "If no PMP entry matches an S-mode or U-mode
 * access, but at least one PMP entry is implemented, the access fails"),
 * not even its first instruction fetch. */
static void test_all_off(void)
{
    for (unsigned i = 0; i < 16; i++) {
        cfg[i] = 0;
        addr[i] = 0;
    }
    apply();
    begin();
    mret_refusal_ok = true;
    uint32_t r = t_run_user(rv_lw, TA, USER_TOP);
    mret_refusal_ok = false;
    if (r == USER_ABORTED && tr.count == 1 && tr.mcause[0] == CAUSE_ILLEGAL_INSN &&
        tr.mtval[0] == MRET_INSN) {
        t_skip("u_all_entries_off_denied", "QEMU deviation: the mret to U mode is an illegal "
               "instruction when no PMP entry is on; the architecture wants it to succeed and the "
               "first U-mode fetch to fault");
        return;
    }
    t_ok("u_all_entries_off_denied",
         r == USER_ABORTED && tr.count == 1 && tr.mcause[0] == CAUSE_INSN_ACCESS &&
             tr.mepc[0] == (uint32_t)rv_lw && tr.mtval[0] == (uint32_t)rv_lw,
         "result 0x%08x, %u traps, mcause 0x%x mepc 0x%08x (want 0x%08x) mtval 0x%08x", r,
         tr.count, tr.mcause[0], tr.mepc[0], (uint32_t)rv_lw, tr.mtval[0]);
}

static void test_straddle(void)
{
    /* [TA + 0x900, TA + 0xA04) RW, nothing around it */
    clear();
    set_tor(1, TA + 0x900, TA + 0xA04, RW);
    apply();
    fill(TA, TA + 0x1000);
    U_OK("straddle_last_word_inside", P_LW, TA + 0xA00);
    U_OK("straddle_first_word_inside", P_LW, TA + 0x900);
    straddle("straddle_word_allowed_then_denied", P_LW, TA + 0xA02, TA + 0xA04);
    straddle("straddle_word_denied_then_allowed", P_LW, TA + 0x8FE, TA + 0x8FE);
    straddle("straddle_half_allowed_then_denied", P_LH, TA + 0xA03, TA + 0xA04);
    straddle("straddle_half_denied_then_allowed", P_LH, TA + 0x8FF, TA + 0x8FF);
    straddle("straddle_store_allowed_then_denied", P_SW, TA + 0xA01, TA + 0xA04);
    straddle("straddle_store_denied_then_allowed", P_SW, TA + 0x8FD, TA + 0x8FD);
}

static void test_subpage(void)
{
    clear();
    set_tor(1, TA2, TA2 + 0x104, RW);
    apply();
    run_seq("subpage_below_allowed_first", &seq_below_allowed_first);
    run_seq("subpage_below_allowed_first_again", &seq_below_allowed_first);
    apply();                    /* rewritten: a fresh start for the page */
    run_seq("subpage_below_denied_first", &seq_below_denied_first);
    run_seq("subpage_below_denied_first_again", &seq_below_denied_first);
    run_seq("subpage_below_allowed_after_denied", &seq_below_allowed_first);

    clear();
    set_tor(1, TA2 + 0x104, TA2 + 0x2000, RW);
    apply();
    run_seq("subpage_above_allowed_first", &seq_above_allowed_first);
    run_seq("subpage_above_allowed_first_again", &seq_above_allowed_first);
    apply();
    run_seq("subpage_above_denied_first", &seq_above_denied_first);
    run_seq("subpage_above_denied_first_again", &seq_above_denied_first);
}

static void test_subpage_fetch(void)
{
    clear();
    apply();
    put_c_ret(TA3 + 0x100);
    put_c_ret(TA3 + 0x102);
    put_c_ret(TA3 + 0x104);
    put_c_ret(TA3 + 0x106);
    put_c_ret(TA3 + 0x800);
    clear();
    set_tor(1, TA3, TA3 + 0x104, RWX);
    apply();
    U_OK("fetch_subpage_last_half_allowed", P_CALL, TA3 + 0x102);
    U_NO("fetch_subpage_first_denied", P_CALL, TA3 + 0x104);
    U_OK("fetch_subpage_allowed_again", P_CALL, TA3 + 0x100);
    U_NO("fetch_subpage_denied_again", P_CALL, TA3 + 0x106);
    U_NO("fetch_subpage_far_denied", P_CALL, TA3 + 0x800);
    apply();
    U_NO("fetch_subpage_denied_first", P_CALL, TA3 + 0x104);
    U_OK("fetch_subpage_allowed_after", P_CALL, TA3 + 0x102);

    clear();
    set_tor(1, TA3 + 0x104, TA3 + 0x200, RWX);
    apply();
    U_OK("fetch_subpage_above_first_allowed", P_CALL, TA3 + 0x104);
    U_NO("fetch_subpage_above_before_denied", P_CALL, TA3 + 0x102);
    U_OK("fetch_subpage_above_allowed_again", P_CALL, TA3 + 0x106);

    /* a 32-bit instruction across the boundary: mepc = its start, mtval =
     * the part that faulted (3.1.16) */
    clear();
    apply();
    put_jalr_ra(TA3 + 0x102);
    for (unsigned dir = 0; dir < 2; dir++) {
        const char *name = dir ? "fetch_straddle_denied_then_allowed"
                               : "fetch_straddle_allowed_then_denied";
        uint32_t want_tval = dir ? TA3 + 0x102 : TA3 + 0x104;
        clear();
        if (dir)
            set_tor(1, TA3 + 0x104, TA3 + 0x200, RWX);
        else
            set_tor(1, TA3, TA3 + 0x104, RWX);
        apply();
        begin();
        uint32_t r = t_run_user(rv_call, TA3 + 0x102, USER_TOP);
        if (!dir && tr.count == 0 && r == TA3 + 0x102) {
            t_skip(name, "QEMU deviation: a 32-bit instruction whose second half is not "
                   "executable ran (only its first byte was checked); the architecture wants an "
                   "instruction access fault, mepc 0x%08x, mtval 0x%08x", TA3 + 0x102, want_tval);
            continue;
        }
        t_ok(name, tr.count == 1 && tr.mcause[0] == CAUSE_INSN_ACCESS &&
                       tr.mepc[0] == TA3 + 0x102 && tr.mtval[0] == want_tval && r == TA3 + 0x102,
             "%u traps; mcause 0x%x, mepc 0x%08x (want 0x%08x), mtval 0x%08x (want 0x%08x)",
             tr.count, tr.mcause[0], tr.mepc[0], TA3 + 0x102, tr.mtval[0], want_tval);
    }
}

/* Must come last: a locked entry stays until reset. */
static void test_locked(void)
{
    fill(TL, TL + 0x1000);
    put_c_ret(TL + 0x10);
    put_c_ret(TL + 0x108);
    put_c_ret(TL + 0x90);
    clear();
    set_napot(0, TL, 64, CFG_R);
    apply();
    M_OK("unlocked_m_store", P_SW, TL + 4);
    M_OK("unlocked_m_fetch", P_CALL, TL + 0x10);

    /* entry 0: NAPOT 64 B, L R-- */
    clear();
    set_napot(0, TL, 64, CFG_L | CFG_R);
    apply();
    M_OK("locked_m_load", P_LW, TL + 4);
    M_NO("locked_m_store_first", P_SB, TL);
    M_NO("locked_m_store_last", P_SB, TL + 0x3F);
    M_NO("locked_m_fetch", P_CALL, TL + 0x10);
    M_OK("locked_m_store_after", P_SB, TL + 0x40);
    M_OK("locked_m_store_before", P_SB, TL - 1);
    U_NO("locked_u_store", P_SW, TL + 8);
    U_OK("locked_u_load", P_LW, TL + 8);

    /* writes to the locked entry are ignored; its neighbours' are not */
    uint32_t cfg0 = pmpcfg_read(0), a0 = pmpaddr_read(0);
    t_eq("locked_cfg_readback", cfg0 & 0xFFu, CFG_L | CFG_NAPOT | CFG_R);
    pmpcfg_write(0, 0x00000000u | (CFG_NAPOT | RWX));
    pmpaddr_write(0, napot(TA, 0x1000));
    t_eq("locked_cfg_write_ignored", pmpcfg_read(0) & 0xFFu, CFG_L | CFG_NAPOT | CFG_R);
    t_eq("locked_addr_write_ignored", pmpaddr_read(0), a0);
    pmpcfg_write(0, (CFG_R << 8) | (CFG_L | CFG_NAPOT | CFG_R));
    t_eq("unlocked_neighbour_cfg_written", (pmpcfg_read(0) >> 8) & 0xFFu, CFG_R);
    M_NO("locked_still_enforced", P_SW, TL + 0x20);

    /* entry 2: TOR L RW- over [TL + 0x104, TL + 0x208): also locks pmpaddr1 */
    cfg[0] = CFG_L | CFG_NAPOT | CFG_R;
    cfg[1] = CFG_OFF;
    addr[1] = (TL + 0x104) >> 2;
    cfg[2] = CFG_L | CFG_TOR | RW;
    addr[2] = (TL + 0x208) >> 2;
    apply();
    M_OK("locked_tor_m_store_first", P_SW, TL + 0x104);
    M_OK("locked_tor_m_store_last", P_SB, TL + 0x207);
    M_NO("locked_tor_m_fetch", P_CALL, TL + 0x108);
    M_OK("locked_tor_m_fetch_between", P_CALL, TL + 0x90);   /* no match: allowed */
    M_OK("locked_tor_m_store_after", P_SB, TL + 0x208);
    pmpaddr_write(1, (TL + 0x800) >> 2);
    pmpaddr_write(2, (TL + 0x900) >> 2);
    t_eq("locked_tor_bottom_write_ignored", pmpaddr_read(1), (TL + 0x104) >> 2);
    t_eq("locked_tor_top_write_ignored", pmpaddr_read(2), (TL + 0x208) >> 2);
    M_NO("locked_tor_still_enforced", P_CALL, TL + 0x108);
}

void test_main(void)
{
    t_set_trap_handler(handler);
    test_tor();
    test_na4_napot();
    test_rwx();
    test_priority();
    test_straddle();
    test_subpage();
    test_subpage_fetch();
    test_all_off();
    test_locked();
}
