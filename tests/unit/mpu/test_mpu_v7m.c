/* The ARMv7-M MPU decoder (periph/mpu_v7m.c: mpu7m_decode, mpu7m_check)
 * against tables worked out by hand from the ARMv7-M ARM (DDI 0403E.b):
 * B3.5.9 MPU_RASR (SIZE: region = 2^(SIZE+1) bytes, SIZE >= 4; SRD: eight
 * equal subregions, bit k disables the k-th), B3.5.8 MPU_RBAR (base aligned
 * to the size), Table B3-15 (AP encodings), B3.5.7 MPU_CTRL (ENABLE,
 * HFNMIENA, PRIVDEFENA), B3.5.1 (the highest-numbered matching region
 * decides; the PPB is always privileged-only, the default map's XN). */
#include <check.h>
#include <string.h>

#include "periph/mpu_v7m.h"

#include "test_mpu.h"

static struct mpu7m m;

static void setup(void)
{
    memset(&m, 0, sizeof m);
}

static uint32_t rasr(unsigned size_field, unsigned ap, unsigned xn, unsigned srd)
{
    return (uint32_t)xn << 28 | (uint32_t)ap << 24 | (uint32_t)srd << 8 | size_field << 1 | 1u;
}

static void region(unsigned n, uint32_t base, uint32_t rasr_val)
{
    m.r[n].rbar = base;
    m.r[n].rasr = rasr_val;
}

static bool check(uint32_t addr, enum mpu7m_access acc, bool priv, int *reg)
{
    int r;
    bool ok = mpu7m_check(&m, addr, acc, priv, false, &r);
    if (reg)
        *reg = r;
    return ok;
}

/* ------------------------------------------------------------ decoding -- */

/* SIZE -> bytes, by hand: 4 -> 32, 5 -> 64, ..., 30 -> 2 GiB, 31 -> 4 GiB (0 here). */
static const uint64_t size_bytes[32] = {
    [4] = 32ull, [5] = 64ull, [6] = 128ull, [7] = 256ull, [8] = 512ull, [9] = 1024ull,
    [10] = 2048ull, [11] = 4096ull, [12] = 8192ull, [13] = 16384ull, [14] = 32768ull,
    [15] = 65536ull, [16] = 131072ull, [17] = 262144ull, [18] = 524288ull, [19] = 1048576ull,
    [20] = 2097152ull, [21] = 4194304ull, [22] = 8388608ull, [23] = 16777216ull,
    [24] = 33554432ull, [25] = 67108864ull, [26] = 134217728ull, [27] = 268435456ull,
    [28] = 536870912ull, [29] = 1073741824ull, [30] = 2147483648ull, [31] = 0 /* 4 GiB */,
};

START_TEST(test_size_field)
{
    struct mpu7m_region r = { 0, rasr((unsigned)_i, 3, 0, 0) };
    struct mpu7m_decoded d;
    mpu7m_decode(&r, &d);
    if (_i < 4) {
        ck_assert_msg(!d.enabled, "SIZE=%d (below 32 bytes) must not be enabled", _i);
        return;
    }
    ck_assert(d.enabled);
    ck_assert_msg(d.size == size_bytes[_i], "SIZE=%d: %llu bytes, want %llu", _i,
                  (unsigned long long)d.size, (unsigned long long)size_bytes[_i]);
    ck_assert_uint_eq(d.base, 0);
}
END_TEST

START_TEST(test_size_edges)
{
    /* a region of 2^(SIZE+1) bytes at 0x20000000 (aligned for SIZE <= 28):
     * last byte in, the byte after out */
    unsigned s = (unsigned)_i;
    uint64_t size = size_bytes[s];
    uint32_t base = 0x20000000u;
    int reg;
    region(0, base, rasr(s, 3, 0, 0));
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(base, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 0);
    ck_assert(check(base + (uint32_t)size - 1, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 0);
    ck_assert(!check(base + (uint32_t)size, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(!check(base - 1, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, -1);
}
END_TEST

START_TEST(test_whole_space)
{
    int reg;
    region(0, 0, rasr(31, 3, 0, 0));
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0, MPU7M_READ, false, &reg));
    ck_assert(check(0xDFFFFFFFu, MPU7M_WRITE, false, &reg));
    ck_assert(check(0xFFFFFFFFu, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 0);
}
END_TEST

START_TEST(test_base_masking)
{
    /* RBAR low bits below the size are ignored (UNPREDICTABLE, our choice) */
    static const struct { uint32_t rbar; unsigned size_field; uint32_t base; } t[] = {
        { 0x20001234u, 11, 0x20001000u },       /* 4 KiB */
        { 0x20001FE0u, 11, 0x20001000u },
        { 0x200003E0u, 4, 0x200003E0u },        /* 32 B: nothing masked */
        { 0x200003E0u, 5, 0x200003C0u },        /* 64 B */
        { 0x2000FFE0u, 15, 0x20000000u },       /* 64 KiB */
        { 0x2345FFE0u, 19, 0x23400000u },       /* 1 MiB */
        { 0x9FFFFFE0u, 30, 0x80000000u },       /* 2 GiB */
        { 0xFFFFFFE0u, 31, 0x00000000u },       /* 4 GiB */
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct mpu7m_region r = { t[i].rbar, rasr(t[i].size_field, 3, 0, 0) };
        struct mpu7m_decoded d;
        mpu7m_decode(&r, &d);
        ck_assert_msg(d.base == t[i].base, "rbar 0x%08x SIZE %u: base 0x%08x, want 0x%08x",
                      t[i].rbar, t[i].size_field, d.base, t[i].base);
    }
    /* and the check honours the masked base */
    region(0, 0x20001234u, rasr(11, 3, 0, 0));
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x20001000u, MPU7M_READ, false, NULL));
    ck_assert(check(0x20001FFFu, MPU7M_READ, false, NULL));
    ck_assert(!check(0x20000FFFu, MPU7M_READ, false, NULL));
    ck_assert(!check(0x20002000u, MPU7M_READ, false, NULL));
}
END_TEST

/* ---------------------------------------------------------- subregions -- */

/* 2 KiB at 0x20004000: subregion k = [0x20004000 + 256k, +256). */
static const uint32_t sub2k[8][2] = {
    { 0x20004000u, 0x200040FFu }, { 0x20004100u, 0x200041FFu },
    { 0x20004200u, 0x200042FFu }, { 0x20004300u, 0x200043FFu },
    { 0x20004400u, 0x200044FFu }, { 0x20004500u, 0x200045FFu },
    { 0x20004600u, 0x200046FFu }, { 0x20004700u, 0x200047FFu },
};

START_TEST(test_srd_bit)
{
    unsigned k = (unsigned)_i;
    int reg;
    region(2, 0x20004000u, rasr(10, 3, 0, 1u << k));
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(!check(sub2k[k][0], MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(!check(sub2k[k][1], MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, -1);
    if (k > 0) {
        ck_assert(check(sub2k[k][0] - 1, MPU7M_READ, false, &reg));
        ck_assert_int_eq(reg, 2);
    }
    if (k < 7) {
        ck_assert(check(sub2k[k][1] + 1, MPU7M_READ, false, &reg));
        ck_assert_int_eq(reg, 2);
    }
    /* every other subregion is enabled */
    for (unsigned j = 0; j < 8; j++)
        if (j != k)
            ck_assert(check(sub2k[j][0] + 0x80, MPU7M_WRITE, false, NULL));
    struct mpu7m_decoded d;
    mpu7m_decode(&m.r[2], &d);
    ck_assert_uint_eq(d.srd, 1u << k);
}
END_TEST

START_TEST(test_srd_falls_through)
{
    /* a disabled subregion lets a lower region decide */
    int reg;
    region(1, 0x20004000u, rasr(10, 6, 0, 0));             /* 2 KiB read-only */
    region(2, 0x20004000u, rasr(10, 3, 0, 0x10));          /* 2 KiB RW, subregion 4 off */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x20004400u, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 1);
    ck_assert(!check(0x20004400u, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 1);
    ck_assert(check(0x200043FFu, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 2);
}
END_TEST

START_TEST(test_srd_ignored_below_256)
{
    /* regions of 32..128 bytes have no subregions: SRD ignored */
    region(0, 0x20000080u, rasr(6, 3, 0, 0xFF));           /* 128 B */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x20000080u, MPU7M_READ, false, NULL));
    ck_assert(check(0x200000FFu, MPU7M_READ, false, NULL));
    struct mpu7m_decoded d;
    mpu7m_decode(&m.r[0], &d);
    ck_assert_uint_eq(d.srd, 0);
    /* 256 B: subregions of 32 B */
    region(0, 0x20000100u, rasr(7, 3, 0, 0x02));
    ck_assert(check(0x2000011Fu, MPU7M_READ, false, NULL));
    ck_assert(!check(0x20000120u, MPU7M_READ, false, NULL));
    ck_assert(!check(0x2000013Fu, MPU7M_READ, false, NULL));
    ck_assert(check(0x20000140u, MPU7M_READ, false, NULL));
}
END_TEST

START_TEST(test_srd_4gib)
{
    /* 4 GiB: subregions of 512 MiB; bit 1 = 0x20000000..0x3FFFFFFF */
    region(0, 0, rasr(31, 3, 0, 0x02));
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x1FFFFFFFu, MPU7M_READ, false, NULL));
    ck_assert(!check(0x20000000u, MPU7M_READ, false, NULL));
    ck_assert(!check(0x3FFFFFFFu, MPU7M_READ, false, NULL));
    ck_assert(check(0x40000000u, MPU7M_READ, false, NULL));
}
END_TEST

/* ------------------------------------------------------------------ AP -- */

/* Table B3-15, by hand: {privileged read, privileged write, unprivileged
 * read, unprivileged write}. 4 is reserved (no access, our choice); 7 is
 * read-only like 6. */
static const bool ap_table[8][4] = {
    [0] = { false, false, false, false },
    [1] = { true, true, false, false },
    [2] = { true, true, true, false },
    [3] = { true, true, true, true },
    [4] = { false, false, false, false },
    [5] = { true, false, false, false },
    [6] = { true, false, true, false },
    [7] = { true, false, true, false },
};

START_TEST(test_ap)
{
    unsigned ap = (unsigned)_i;
    region(3, 0x20008000u, rasr(9, ap, 0, 0));
    m.ctrl = MPU7M_CTRL_ENABLE | MPU7M_CTRL_PRIVDEFENA;
    for (unsigned priv = 0; priv < 2; priv++) {
        bool r = check(0x20008010u, MPU7M_READ, priv, NULL);
        bool w = check(0x20008010u, MPU7M_WRITE, priv, NULL);
        bool x = check(0x20008010u, MPU7M_EXEC, priv, NULL);
        bool want_r = ap_table[ap][priv ? 0 : 2], want_w = ap_table[ap][priv ? 1 : 3];
        ck_assert_msg(r == want_r, "AP=%u %s read: %d, want %d", ap, priv ? "priv" : "unpriv", r,
                      want_r);
        ck_assert_msg(w == want_w, "AP=%u %s write: %d, want %d", ap, priv ? "priv" : "unpriv",
                      w, want_w);
        /* XN = 0: a fetch needs read access */
        ck_assert_msg(x == want_r, "AP=%u %s fetch: %d, want %d", ap, priv ? "priv" : "unpriv",
                      x, want_r);
    }
}
END_TEST

START_TEST(test_xn)
{
    int reg;
    region(0, 0x00000000u, rasr(19, 6, 0, 0));      /* 1 MiB code, RO */
    region(1, 0x20000000u, rasr(15, 3, 1, 0));     /* 64 KiB data, RW, XN */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x00001000u, MPU7M_EXEC, false, &reg));
    ck_assert(check(0x00001000u, MPU7M_EXEC, true, &reg));
    ck_assert(!check(0x20000100u, MPU7M_EXEC, false, &reg));
    ck_assert_int_eq(reg, 1);
    ck_assert(!check(0x20000100u, MPU7M_EXEC, true, &reg));   /* XN binds privileged code too */
    ck_assert(check(0x20000100u, MPU7M_READ, false, &reg));
    ck_assert(check(0x20000100u, MPU7M_WRITE, false, &reg));
    /* AP = 0 with XN = 0: no fetch either */
    region(2, 0x20000200u, rasr(4, 0, 0, 0));
    ck_assert(!check(0x20000200u, MPU7M_EXEC, true, &reg));
    ck_assert_int_eq(reg, 2);
}
END_TEST

/* ---------------------------------------------------------------- CTRL -- */

START_TEST(test_disabled_is_default_map)
{
    int reg;
    region(0, 0x20000000u, rasr(9, 0, 1, 0));       /* would deny everything */
    m.ctrl = 0;
    ck_assert(check(0x20000000u, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(check(0x20000000u, MPU7M_EXEC, false, &reg));
    /* default map XN: peripherals 0x40000000-0x5FFFFFFF, devices and system >= 0xA0000000 */
    ck_assert(check(0x3FFFFFFEu, MPU7M_EXEC, false, &reg));
    ck_assert(!check(0x40000000u, MPU7M_EXEC, false, &reg));
    ck_assert(!check(0x5FFFFFFEu, MPU7M_EXEC, false, &reg));
    ck_assert(check(0x60000000u, MPU7M_EXEC, false, &reg));
    ck_assert(check(0x9FFFFFFEu, MPU7M_EXEC, false, &reg));
    ck_assert(!check(0xA0000000u, MPU7M_EXEC, false, &reg));
    ck_assert(check(0x40000000u, MPU7M_WRITE, false, &reg));
}
END_TEST

START_TEST(test_privdefena)
{
    int reg;
    region(0, 0x20000000u, rasr(9, 3, 0, 0));
    m.ctrl = MPU7M_CTRL_ENABLE;
    /* no region: denied for everybody without PRIVDEFENA */
    ck_assert(!check(0x20001000u, MPU7M_READ, true, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(!check(0x20001000u, MPU7M_READ, false, &reg));
    m.ctrl = MPU7M_CTRL_ENABLE | MPU7M_CTRL_PRIVDEFENA;
    /* with it: the default map for privileged accesses only */
    ck_assert(check(0x20001000u, MPU7M_WRITE, true, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(check(0x20001000u, MPU7M_EXEC, true, &reg));
    ck_assert(!check(0x40001000u, MPU7M_EXEC, true, &reg));     /* default map XN */
    ck_assert(!check(0x20001000u, MPU7M_READ, false, &reg));
    /* a region still decides over the background */
    region(1, 0x20001000u, rasr(4, 0, 0, 0));
    ck_assert(!check(0x20001000u, MPU7M_READ, true, &reg));
    ck_assert_int_eq(reg, 1);
}
END_TEST

START_TEST(test_hfnmiena)
{
    int reg;
    region(0, 0x20000000u, rasr(9, 0, 1, 0));               /* no access */
    m.ctrl = MPU7M_CTRL_ENABLE;
    /* HardFault/NMI/FAULTMASK: the MPU is off unless HFNMIENA */
    ck_assert(mpu7m_check(&m, 0x20000000u, MPU7M_WRITE, true, true, &reg));
    ck_assert_int_eq(reg, -1);
    ck_assert(!mpu7m_check(&m, 0x20000000u, MPU7M_WRITE, true, false, &reg));
    m.ctrl = MPU7M_CTRL_ENABLE | MPU7M_CTRL_HFNMIENA;
    ck_assert(!mpu7m_check(&m, 0x20000000u, MPU7M_WRITE, true, true, &reg));
    ck_assert_int_eq(reg, 0);
    /* without HFNMIENA at negative priority, no region and no PRIVDEFENA:
     * still the default map */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(mpu7m_check(&m, 0x30000000u, MPU7M_READ, true, true, &reg));
}
END_TEST

START_TEST(test_ppb)
{
    int reg;
    /* the PPB is privileged-only whatever the MPU says, never executable */
    region(7, 0xE0000000u, rasr(20, 3, 0, 0));      /* 2 MiB: past the PPB */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0xE000ED00u, MPU7M_READ, true, &reg));
    ck_assert(check(0xE000E010u, MPU7M_WRITE, true, &reg));
    ck_assert(!check(0xE000ED00u, MPU7M_READ, false, &reg));
    ck_assert(!check(0xE000E000u, MPU7M_EXEC, true, &reg));
    ck_assert(check(0xE00FFFFFu, MPU7M_READ, true, &reg));
    ck_assert(!check(0xE00FFFFFu, MPU7M_READ, false, &reg));
    /* just above the PPB the region applies */
    ck_assert(check(0xE0100000u, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 7);
}
END_TEST

/* ------------------------------------------------------------ priority -- */

START_TEST(test_priority)
{
    int reg;
    region(1, 0x20000000u, rasr(11, 3, 1, 0));      /* 4 KiB RW */
    region(5, 0x20000400u, rasr(4, 6, 1, 0));       /* 32 B RO inside it */
    region(3, 0x20000400u, rasr(9, 0, 1, 0));       /* 1 KiB no access, below 5 */
    m.ctrl = MPU7M_CTRL_ENABLE;
    ck_assert(check(0x20000400u, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 5);
    ck_assert(!check(0x2000041Fu, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 5);
    ck_assert(!check(0x20000420u, MPU7M_READ, false, &reg));       /* region 3 */
    ck_assert_int_eq(reg, 3);
    ck_assert(!check(0x200007FFu, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 3);
    ck_assert(check(0x20000800u, MPU7M_WRITE, false, &reg));       /* region 1 */
    ck_assert_int_eq(reg, 1);
    ck_assert(check(0x200003FFu, MPU7M_WRITE, false, &reg));
    ck_assert_int_eq(reg, 1);
    /* a disabled region never decides */
    m.r[5].rasr &= ~1u;
    ck_assert(!check(0x20000400u, MPU7M_READ, false, &reg));
    ck_assert_int_eq(reg, 3);
}
END_TEST

Suite *mpu_v7m_suite(void)
{
    Suite *s = suite_create("mpu_v7m");
    TCase *tc = tcase_create("decode");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_size_field, 0, 32);
    tcase_add_loop_test(tc, test_size_edges, 4, 29);
    tcase_add_test(tc, test_whole_space);
    tcase_add_test(tc, test_base_masking);
    suite_add_tcase(s, tc);

    tc = tcase_create("srd");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_srd_bit, 0, 8);
    tcase_add_test(tc, test_srd_falls_through);
    tcase_add_test(tc, test_srd_ignored_below_256);
    tcase_add_test(tc, test_srd_4gib);
    suite_add_tcase(s, tc);

    tc = tcase_create("access");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_ap, 0, 8);
    tcase_add_test(tc, test_xn);
    tcase_add_test(tc, test_disabled_is_default_map);
    tcase_add_test(tc, test_privdefena);
    tcase_add_test(tc, test_hfnmiena);
    tcase_add_test(tc, test_ppb);
    tcase_add_test(tc, test_priority);
    suite_add_tcase(s, tc);
    return s;
}
