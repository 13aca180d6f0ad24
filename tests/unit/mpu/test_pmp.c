/* The RISC-V PMP decoder (periph/pmp.c: pmp_entry_range, pmp_check,
 * pmp_page_is_cut) against tables worked out by hand from the privileged
 * spec 1.12, 3.7: NAPOT pmpaddr = base/4 | (size/8 - 1) (size = 2^(k+3) for
 * k trailing ones), TOR [pmpaddr(i-1)*4, pmpaddr(i)*4) with 0 below entry 0
 * and nothing when top <= bottom, NA4 [pmpaddr*4, +4); the lowest-numbered
 * entry that matches any byte decides and must hold every byte; M mode is
 * bound only by locked entries; U mode is denied when no entry matches. */
#include <check.h>
#include <string.h>

#include "periph/pmp.h"

#include "test_mpu.h"

static struct pmp p;

static void setup(void)
{
    memset(&p, 0, sizeof p);
}

#define NAPOT (PMP_NAPOT << 3)
#define TOR   (PMP_TOR << 3)
#define NA4   (PMP_NA4 << 3)
#define RWX   (PMP_R | PMP_W | PMP_X)

static bool u_ok(uint32_t addr, unsigned size, unsigned acc, int *entry)
{
    int e;
    bool ok = pmp_check(&p, addr, size, acc, false, &e);
    if (entry)
        *entry = e;
    return ok;
}

static bool m_ok(uint32_t addr, unsigned size, unsigned acc, int *entry)
{
    int e;
    bool ok = pmp_check(&p, addr, size, acc, true, &e);
    if (entry)
        *entry = e;
    return ok;
}

/* ---------------------------------------------------------------- NAPOT -- */

/* By hand: base 0x80300000 (aligned for all of them). */
static const struct { uint32_t size, pmpaddr; } napot_table[] = {
    { 8, 0x200C0000u },          /* base/4 = 0x200C0000, no trailing one */
    { 16, 0x200C0001u },
    { 32, 0x200C0003u },
    { 64, 0x200C0007u },
    { 128, 0x200C000Fu },
    { 256, 0x200C001Fu },
    { 1024, 0x200C007Fu },
    { 4096, 0x200C01FFu },
    { 65536, 0x200C1FFFu },
    { 1048576, 0x200DFFFFu },    /* 0x80300000 is 1 MiB aligned: 0x200C0000 | 0x1FFFF */
};

START_TEST(test_napot_sizes)
{
    uint64_t lo, hi;
    uint32_t size = napot_table[_i].size;
    p.addr[3] = napot_table[_i].pmpaddr;
    p.cfg[3] = NAPOT | PMP_R | PMP_W;
    ck_assert(pmp_entry_range(&p, 3, &lo, &hi));
    ck_assert_msg(lo == 0x80300000u && hi == 0x80300000ull + size,
                  "pmpaddr 0x%08x: [0x%llx, 0x%llx), want [0x80300000, 0x%llx)",
                  napot_table[_i].pmpaddr, (unsigned long long)lo, (unsigned long long)hi,
                  0x80300000ull + size);
    int e;
    ck_assert(u_ok(0x80300000u, 1, PMP_R, &e));
    ck_assert_int_eq(e, 3);
    ck_assert(u_ok(0x80300000u + size - 1, 1, PMP_W, &e));
    ck_assert(u_ok(0x80300000u + size - 4, 4, PMP_R, &e));
    ck_assert(!u_ok(0x80300000u + size, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x802FFFFFu, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x80300000u, 1, PMP_X, &e));
    ck_assert_int_eq(e, 3);
}
END_TEST

START_TEST(test_napot_special)
{
    uint64_t lo, hi;
    p.cfg[0] = NAPOT | PMP_R;
    /* all ones: 32 trailing ones -> 2^35 bytes from 0, all of the 34-bit space */
    p.addr[0] = 0xFFFFFFFFu;
    ck_assert(pmp_entry_range(&p, 0, &lo, &hi));
    ck_assert_uint_eq(lo, 0);
    ck_assert(hi == 1ull << 35);
    ck_assert(u_ok(0, 1, PMP_R, NULL));
    ck_assert(u_ok(0xFFFFFFFCu, 4, PMP_R, NULL));
    /* 0x7FFFFFFF: 31 ones -> 2^34 bytes from 0 */
    p.addr[0] = 0x7FFFFFFFu;
    ck_assert(pmp_entry_range(&p, 0, &lo, &hi));
    ck_assert_uint_eq(lo, 0);
    ck_assert(hi == 1ull << 34);
    /* low address bits under the size are ignored: 0x20000005 = one trailing
     * one, 16 bytes at (0x20000005 << 2) & ~15 = 0x80000010 */
    p.addr[0] = 0x20000005u;
    ck_assert(pmp_entry_range(&p, 0, &lo, &hi));
    ck_assert_uint_eq(lo, 0x80000010u);
    ck_assert_uint_eq(hi, 0x80000020u);
    /* 0x1FFFFFFF: 29 ones -> 4 GiB at 0 */
    p.addr[0] = 0x1FFFFFFFu;
    ck_assert(pmp_entry_range(&p, 0, &lo, &hi));
    ck_assert_uint_eq(lo, 0);
    ck_assert(hi == 1ull << 32);
}
END_TEST

/* ------------------------------------------------------------- TOR, NA4 -- */

START_TEST(test_tor)
{
    uint64_t lo, hi;
    int e;
    p.addr[1] = 0x80300204u >> 2;
    p.addr[2] = 0x8030030Cu >> 2;
    p.cfg[2] = TOR | PMP_R | PMP_W;
    ck_assert(pmp_entry_range(&p, 2, &lo, &hi));
    ck_assert_uint_eq(lo, 0x80300204u);
    ck_assert_uint_eq(hi, 0x8030030Cu);
    ck_assert(u_ok(0x80300204u, 1, PMP_R, &e));
    ck_assert_int_eq(e, 2);
    ck_assert(u_ok(0x8030030Bu, 1, PMP_W, &e));
    ck_assert(u_ok(0x80300308u, 4, PMP_W, &e));
    ck_assert(!u_ok(0x8030030Cu, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x80300203u, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    /* entry 1 is OFF: it only lends its address */
    ck_assert(!pmp_entry_range(&p, 1, &lo, &hi));
    /* the bottom is pmpaddr(i-1) whatever entry i-1's mode */
    p.cfg[1] = NA4 | PMP_R;
    ck_assert(pmp_entry_range(&p, 2, &lo, &hi));
    ck_assert_uint_eq(lo, 0x80300204u);
    ck_assert(!u_ok(0x80300204u, 1, PMP_W, &e));    /* entry 1 (NA4, R) wins */
    ck_assert_int_eq(e, 1);
    ck_assert(u_ok(0x80300208u, 1, PMP_W, &e));
    ck_assert_int_eq(e, 2);
}
END_TEST

START_TEST(test_tor_entry0)
{
    uint64_t lo, hi;
    int e;
    p.addr[0] = 0x80000104u >> 2;
    p.cfg[0] = TOR | RWX;
    ck_assert(pmp_entry_range(&p, 0, &lo, &hi));
    ck_assert_uint_eq(lo, 0);
    ck_assert_uint_eq(hi, 0x80000104u);
    ck_assert(u_ok(0, 4, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(u_ok(0x10000005u, 1, PMP_W, &e));
    ck_assert(u_ok(0x80000100u, 4, PMP_X, &e));
    ck_assert(!u_ok(0x80000104u, 1, PMP_R, &e));
}
END_TEST

START_TEST(test_tor_empty)
{
    uint64_t lo, hi;
    int e;
    /* top == bottom and top < bottom: no byte matches */
    p.addr[2] = 0x80300300u >> 2;
    p.addr[3] = 0x80300300u >> 2;
    p.cfg[3] = TOR | PMP_R;
    ck_assert(!pmp_entry_range(&p, 3, &lo, &hi));
    p.addr[5] = 0x80300400u >> 2;
    p.addr[6] = 0x80300200u >> 2;
    p.cfg[6] = TOR | PMP_R;
    ck_assert(!pmp_entry_range(&p, 6, &lo, &hi));
    /* entry 0 TOR with pmpaddr0 = 0: [0, 0) */
    p.cfg[0] = TOR | PMP_R;
    ck_assert(!pmp_entry_range(&p, 0, &lo, &hi));
    /* so a later entry decides */
    p.addr[9] = (0x80300000u >> 2) | 0x1FF;
    p.cfg[9] = NAPOT | PMP_R | PMP_W;
    ck_assert(u_ok(0x80300300u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 9);
}
END_TEST

START_TEST(test_na4)
{
    uint64_t lo, hi;
    int e;
    p.addr[4] = 0x80300504u >> 2;
    p.cfg[4] = NA4 | PMP_R;
    ck_assert(pmp_entry_range(&p, 4, &lo, &hi));
    ck_assert_uint_eq(lo, 0x80300504u);
    ck_assert_uint_eq(hi, 0x80300508u);
    ck_assert(u_ok(0x80300504u, 4, PMP_R, &e));
    ck_assert(u_ok(0x80300507u, 1, PMP_R, &e));
    ck_assert(u_ok(0x80300506u, 2, PMP_R, &e));
    ck_assert(!u_ok(0x80300504u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 4);
    ck_assert(!u_ok(0x80300503u, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x80300508u, 1, PMP_R, &e));
    ck_assert_int_eq(e, -1);
}
END_TEST

/* ------------------------------------------------------------ verdicts -- */

START_TEST(test_permissions)
{
    /* cfg RWX bits -> {read, write, execute}; W without R is reserved and
     * grants no write (our choice, pmp.h) */
    static const struct { uint8_t perm; bool r, w, x; } t[] = {
        { 0, false, false, false },
        { PMP_R, true, false, false },
        { PMP_W, false, false, false },
        { PMP_R | PMP_W, true, true, false },
        { PMP_X, false, false, true },
        { PMP_R | PMP_X, true, false, true },
        { PMP_W | PMP_X, false, false, true },
        { RWX, true, true, true },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        p.addr[0] = (0x80300600u >> 2) | 7;          /* 64 B */
        p.cfg[0] = NAPOT | t[i].perm;
        ck_assert_msg(u_ok(0x80300600u, 4, PMP_R, NULL) == t[i].r, "perm %u read", t[i].perm);
        ck_assert_msg(u_ok(0x80300600u, 4, PMP_W, NULL) == t[i].w, "perm %u write", t[i].perm);
        ck_assert_msg(u_ok(0x80300600u, 2, PMP_X, NULL) == t[i].x, "perm %u exec", t[i].perm);
        /* M mode: not locked, so everything */
        ck_assert(m_ok(0x80300600u, 4, PMP_W, NULL));
        ck_assert(m_ok(0x80300600u, 4, PMP_X, NULL));
    }
}
END_TEST

START_TEST(test_locked_m_mode)
{
    int e;
    p.addr[0] = (0x80304000u >> 2) | 7;              /* 64 B, L R-- */
    p.cfg[0] = NAPOT | PMP_L | PMP_R;
    ck_assert(m_ok(0x80304000u, 4, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(!m_ok(0x80304000u, 1, PMP_W, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(!m_ok(0x8030403Fu, 1, PMP_W, &e));
    ck_assert(!m_ok(0x80304010u, 2, PMP_X, &e));
    ck_assert(m_ok(0x80304040u, 1, PMP_W, &e));      /* no match: M allowed */
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x80304000u, 1, PMP_W, &e));
    ck_assert(u_ok(0x80304000u, 1, PMP_R, &e));
    /* an unlocked entry of lower priority does not bind M */
    p.addr[1] = (0x80304000u >> 2) | 0x1FF;          /* 4 KiB, --- */
    p.cfg[1] = NAPOT;
    ck_assert(m_ok(0x80304100u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    ck_assert(!m_ok(0x80304000u, 4, PMP_W, &e));     /* entry 0 still first */
    /* a locked TOR */
    p.addr[2] = 0x80304104u >> 2;
    p.addr[3] = 0x80304208u >> 2;
    p.cfg[3] = TOR | PMP_L | PMP_R | PMP_W;
    p.cfg[1] = 0;
    ck_assert(m_ok(0x80304104u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 3);
    ck_assert(!m_ok(0x80304108u, 2, PMP_X, &e));
    ck_assert(m_ok(0x80304208u, 4, PMP_X, &e));
}
END_TEST

START_TEST(test_partial_overlap)
{
    int e;
    p.addr[0] = 0x80300704u >> 2;                   /* NA4 RW */
    p.cfg[0] = NA4 | PMP_R | PMP_W;
    p.addr[1] = (0x80300000u >> 2) | 0x1FF;         /* 4 KiB RW */
    p.cfg[1] = NAPOT | PMP_R | PMP_W;
    ck_assert(u_ok(0x80300704u, 4, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    /* entry 0 holds two of the four bytes: it decides, and fails */
    ck_assert(!u_ok(0x80300702u, 4, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(!u_ok(0x80300706u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(!u_ok(0x80300707u, 2, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    /* in M mode too, locked or not (the entry must hold all bytes) */
    ck_assert(!m_ok(0x80300702u, 4, PMP_R, &e));
    ck_assert_int_eq(e, 0);
    /* next to it, entry 1 alone */
    ck_assert(u_ok(0x80300700u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    ck_assert(u_ok(0x80300708u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    /* an access reaching past the end of the only entry */
    memset(&p, 0, sizeof p);
    p.addr[1] = 0x80300900u >> 2;
    p.addr[2] = 0x80300A04u >> 2;
    p.cfg[2] = TOR | PMP_R | PMP_W;
    ck_assert(!u_ok(0x80300A02u, 4, PMP_R, &e));
    ck_assert_int_eq(e, 2);
    ck_assert(!u_ok(0x803008FEu, 4, PMP_R, &e));
    ck_assert_int_eq(e, 2);
    ck_assert(u_ok(0x80300A00u, 4, PMP_R, &e));
}
END_TEST

START_TEST(test_priority)
{
    int e;
    p.addr[0] = (0x80300700u >> 2) | 7;             /* 64 B R-- */
    p.cfg[0] = NAPOT | PMP_R;
    p.addr[1] = (0x80300000u >> 2) | 0x1FF;         /* 4 KiB RW- */
    p.cfg[1] = NAPOT | PMP_R | PMP_W;
    ck_assert(!u_ok(0x80300700u, 1, PMP_W, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(u_ok(0x80300700u, 1, PMP_R, &e));
    ck_assert(u_ok(0x803006FFu, 1, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    ck_assert(u_ok(0x80300740u, 1, PMP_W, &e));
    /* swapped: the small one RW, the big one R */
    p.cfg[0] = NAPOT | PMP_R | PMP_W;
    p.cfg[1] = NAPOT | PMP_R;
    ck_assert(u_ok(0x8030073Cu, 4, PMP_W, &e));
    ck_assert_int_eq(e, 0);
    ck_assert(!u_ok(0x80300740u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    /* entry 15 below everything */
    p.addr[15] = 0xFFFFFFFFu;
    p.cfg[15] = NAPOT | RWX;
    ck_assert(!u_ok(0x80300740u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 1);
    ck_assert(u_ok(0x80301000u, 4, PMP_W, &e));
    ck_assert_int_eq(e, 15);
}
END_TEST

START_TEST(test_default_deny)
{
    int e;
    p.addr[5] = (0x80300700u >> 2) | 7;
    p.cfg[5] = NAPOT | RWX;
    ck_assert(!u_ok(0x80300800u, 4, PMP_R, &e));
    ck_assert_int_eq(e, -1);
    ck_assert(!u_ok(0x80300800u, 4, PMP_X, &e));
    ck_assert(m_ok(0x80300800u, 4, PMP_W, &e));
    ck_assert_int_eq(e, -1);
    /* an OFF entry with an address matches nothing */
    p.cfg[5] = PMP_R | PMP_W | PMP_X;
    p.addr[6] = (0x80300800u >> 2) | 7;
    p.cfg[6] = NA4 | PMP_R;
    ck_assert(!u_ok(0x80300700u, 4, PMP_R, &e));
    ck_assert_int_eq(e, -1);
}
END_TEST

START_TEST(test_all_off)
{
    /* 16 entries implemented, all OFF: "If no PMP entry matches an S-mode or
     * U-mode access, but at least one PMP entry is implemented, the access
     * fails" (3.7.1). M mode: allowed. */
    int e;
    ck_assert(m_ok(0x80300000u, 4, PMP_W, &e));
    ck_assert_msg(!u_ok(0x80300000u, 4, PMP_R, &e),
                  "U-mode access with every PMP entry OFF was allowed");
    ck_assert_int_eq(e, -1);
}
END_TEST

/* ------------------------------------------------------------ cut pages -- */

START_TEST(test_page_is_cut)
{
    /* page-aligned bounds: not cut */
    p.addr[1] = 0x80300000u >> 2;
    p.addr[2] = 0x80302000u >> 2;
    p.cfg[2] = TOR | PMP_R;
    ck_assert(!pmp_page_is_cut(&p, 0x80300000u));
    ck_assert(!pmp_page_is_cut(&p, 0x80301000u));
    ck_assert(!pmp_page_is_cut(&p, 0x802FF000u));
    ck_assert(!pmp_page_is_cut(&p, 0x80302000u));
    /* top at +0x104 in the page 0x80302000 */
    p.addr[2] = 0x80302104u >> 2;
    ck_assert(pmp_page_is_cut(&p, 0x80302000u));
    ck_assert(pmp_page_is_cut(&p, 0x80302FFCu));     /* any address in the page */
    ck_assert(!pmp_page_is_cut(&p, 0x80301000u));
    ck_assert(!pmp_page_is_cut(&p, 0x80303000u));
    /* bottom at +0x104 */
    p.addr[1] = 0x80300104u >> 2;
    ck_assert(pmp_page_is_cut(&p, 0x80300000u));
    ck_assert(!pmp_page_is_cut(&p, 0x80301000u));
    /* NA4 and small NAPOT in the middle of a page; 4 KiB NAPOT aligned */
    memset(&p, 0, sizeof p);
    p.addr[0] = 0x80305504u >> 2;
    p.cfg[0] = NA4 | PMP_R;
    ck_assert(pmp_page_is_cut(&p, 0x80305000u));
    p.cfg[0] = 0;
    ck_assert(!pmp_page_is_cut(&p, 0x80305000u));    /* OFF: nothing */
    p.addr[3] = (0x80306208u >> 2) | 0;
    p.cfg[3] = NAPOT | PMP_R;
    ck_assert(pmp_page_is_cut(&p, 0x80306000u));
    p.addr[3] = (0x80306000u >> 2) | 0x1FF;
    ck_assert(!pmp_page_is_cut(&p, 0x80306000u));
    p.addr[3] = (0x80300000u >> 2) | 0x1FFFF;        /* 1 MiB */
    ck_assert(!pmp_page_is_cut(&p, 0x80300000u));
    ck_assert(!pmp_page_is_cut(&p, 0x803FF000u));
    /* TOR from 0 to +0x104: the page at 0 is not cut, the top page is */
    memset(&p, 0, sizeof p);
    p.addr[0] = 0x80000104u >> 2;
    p.cfg[0] = TOR | RWX;
    ck_assert(!pmp_page_is_cut(&p, 0));
    ck_assert(pmp_page_is_cut(&p, 0x80000000u));
    /* an empty TOR cuts nothing */
    memset(&p, 0, sizeof p);
    p.addr[1] = 0x80300104u >> 2;
    p.addr[2] = 0x80300104u >> 2;
    p.cfg[2] = TOR | PMP_R;
    ck_assert(!pmp_page_is_cut(&p, 0x80300000u));
    /* all ones covers everything: no edge in any page */
    p.addr[4] = 0xFFFFFFFFu;
    p.cfg[4] = NAPOT | PMP_R;
    ck_assert(!pmp_page_is_cut(&p, 0xFFFFF000u));
    ck_assert(!pmp_page_is_cut(&p, 0));
}
END_TEST

Suite *pmp_suite(void)
{
    Suite *s = suite_create("pmp");
    TCase *tc = tcase_create("ranges");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_napot_sizes, 0, (int)(sizeof napot_table / sizeof napot_table[0]));
    tcase_add_test(tc, test_napot_special);
    tcase_add_test(tc, test_tor);
    tcase_add_test(tc, test_tor_entry0);
    tcase_add_test(tc, test_tor_empty);
    tcase_add_test(tc, test_na4);
    suite_add_tcase(s, tc);

    tc = tcase_create("verdicts");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_permissions);
    tcase_add_test(tc, test_locked_m_mode);
    tcase_add_test(tc, test_partial_overlap);
    tcase_add_test(tc, test_priority);
    tcase_add_test(tc, test_default_deny);
    tcase_add_test(tc, test_all_off);
    suite_add_tcase(s, tc);

    tc = tcase_create("cut_pages");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_page_is_cut);
    suite_add_tcase(s, tc);
    return s;
}
