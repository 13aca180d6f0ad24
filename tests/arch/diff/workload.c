/* Deterministic compute workload for differential runs: the same image runs
 * in QEMU and in tocksim (qemu_diff.sh), and the console output must be the
 * same byte for byte. Nothing here reads a timer or a counter; every printed
 * value depends only on the instructions' results: CRC32 (bitwise and
 * table-driven) over a generated 4 KiB buffer, 32- and 64-bit multiply and
 * divide (hardware and libgcc), two sorts, recursion, bit operations. */
#include "rt.h"

static uint32_t rng_state;

static uint32_t rng(void)   /* xorshift32 */
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static uint32_t checksum;

static void mix(uint32_t v)
{
    checksum = (checksum ^ v) * 0x01000193u;   /* FNV-1a step */
}

static void out(const char *what, uint32_t v)
{
    mix(v);
    t_printf("%s: %08x\n", what, v);
}

/* ------------------------------------------------------------------ CRC32 -- */

static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
    }
    return ~crc;
}

static uint32_t crc_table[256];

static uint32_t crc32_table(const uint8_t *p, uint32_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint8_t buf[4096];

static void test_crc(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & -(c & 1u));
        crc_table[i] = c;
    }
    static const uint8_t check[] = "123456789";
    t_eq("crc32_check_value", crc32_table(check, 9), 0xCBF43926u);

    rng_state = 0x12345678u;
    for (uint32_t i = 0; i < sizeof(buf); i += 4) {
        uint32_t v = rng();
        buf[i] = (uint8_t)v;
        buf[i + 1] = (uint8_t)(v >> 8);
        buf[i + 2] = (uint8_t)(v >> 16);
        buf[i + 3] = (uint8_t)(v >> 24);
    }
    uint32_t a = crc32_bitwise(buf, sizeof(buf)), b = crc32_table(buf, sizeof(buf));
    t_eq("crc32_bitwise_equals_table", a, b);
    out("crc32 of the 4 KiB buffer", a);
    uint32_t partial = 0;
    for (uint32_t off = 0; off < sizeof(buf); off += 512)
        partial ^= crc32_table(buf + off, 512 - (off >> 6));
    out("crc32 of slices, xor", partial);
}

/* ----------------------------------------------------------- mul and div -- */

static void test_muldiv(void)
{
    rng_state = 0xC0FFEE11u;
    uint32_t s_mul = 0, s_udiv = 0, s_sdiv = 0, s_rem = 0, s_hi = 0, s_div64 = 0;
    for (uint32_t i = 0; i < 2000; i++) {
        uint32_t a = rng(), b = rng();
        if (i & 1)
            b >>= (i % 29);            /* small divisors too */
        if (b == 0)
            b = 7;
        int32_t sa = (int32_t)a, sb = (int32_t)b;
        if (sa == INT32_MIN && sb == -1)
            sb = 3;
        s_mul += a * b;
        s_udiv ^= a / b;
        s_sdiv += (uint32_t)(sa / sb);
        s_rem ^= a % b + (uint32_t)(sa % sb);
        uint64_t p = (uint64_t)a * b;
        int64_t sp = (int64_t)sa * sb;
        s_hi += (uint32_t)(p >> 32) ^ (uint32_t)((uint64_t)sp >> 32);
        uint64_t n = ((uint64_t)a << 32) | rng();
        uint64_t d = ((uint64_t)(b >> (i % 17)) << (i % 23)) | 1u;
        s_div64 += (uint32_t)(n / d) ^ (uint32_t)((n / d) >> 32) ^ (uint32_t)(n % d);
    }
    out("sum of products", s_mul);
    out("xor of unsigned quotients", s_udiv);
    out("sum of signed quotients", s_sdiv);
    out("xor of remainders", s_rem);
    out("sum of high product words", s_hi);
    out("64-bit divisions", s_div64);
}

/* ------------------------------------------------------------------ sorts -- */

static uint32_t arr_a[1024], arr_b[1024];

static void quicksort(uint32_t *v, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = v[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (j - lo < hi - i) {       /* recurse into the smaller part */
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static void insertion_sort(uint32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void test_sort(void)
{
    rng_state = 0xBADC0DE5u;
    const int n = (int)T_ARRAY_LEN(arr_a);
    for (int i = 0; i < n; i++)
        arr_a[i] = arr_b[i] = rng() % 5000u;   /* with duplicates */
    quicksort(arr_a, 0, n - 1);
    insertion_sort(arr_b, n);
    uint32_t unsorted = 0, differ = 0, weighted = 0;
    for (int i = 0; i < n; i++) {
        if (i && arr_a[i - 1] > arr_a[i])
            unsorted++;
        if (arr_a[i] != arr_b[i])
            differ++;
        weighted += arr_a[i] * (uint32_t)(i + 1);
    }
    t_eq("quicksort_sorted", unsorted, 0);
    t_eq("sorts_agree", differ, 0);
    out("sorted, weighted sum", weighted);
    out("sorted, median", arr_a[n / 2]);
}

/* ------------------------------------------------------ recursion and bits -- */

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t ackermann(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static void test_misc(void)
{
    out("fib(22)", fib(22));
    out("ackermann(2, 300)", ackermann(2, 300));
    rng_state = 0x0DDBA11u;
    uint32_t s_clz = 0, s_pop = 0, s_rev = 0, s_rot = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t v = rng() >> (i % 31);
        s_clz += v ? (uint32_t)__builtin_clz(v) : 32u;
        s_pop += (uint32_t)__builtin_popcount(v);
        s_rev ^= __builtin_bswap32(v) + i;
        uint32_t r = i % 32;
        s_rot += (v << r) | (v >> ((32 - r) % 32));
    }
    out("count leading zeros", s_clz);
    out("population count", s_pop);
    out("byte reverse", s_rev);
    out("rotate", s_rot);
    uint64_t acc = (uint64_t)-1;
    for (int i = 0; i < 40; i++)
        acc = acc * 3u + (uint64_t)(int64_t)(i & 1 ? -i : i);
    out("64-bit arithmetic, low", (uint32_t)acc);
    out("64-bit arithmetic, high", (uint32_t)(acc >> 32));
    out("64-bit shifts right", (uint32_t)(acc >> 37) ^ (uint32_t)((int64_t)acc >> 41));
}

void test_main(void)
{
    t_puts("workload: start\n");
    checksum = 0x811C9DC5u;
    test_crc();
    test_muldiv();
    test_sort();
    test_misc();
    t_printf("checksum: %08x\n", checksum);
}
