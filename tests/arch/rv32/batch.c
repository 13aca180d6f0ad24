/* Straight-line code right after a PMP CSR access. tocksim performs such
 * code on the host (a whole PMP reprogramming costs one stop of Unicorn),
 * for the simple integer instructions: LUI, AUIPC, OP-IMM, OP (no M), LW,
 * branches, JAL and their compressed forms. The same sequence runs twice,
 * once right after `csrr pmpcfg3` (on the host in tocksim) and once after a
 * plain `nop` (in Unicorn): every register it writes must be the same, and
 * both must equal the values worked out by hand. */
#include "rt.h"

static uint32_t words[4] = { 0x11111111u, 0x80000001u, 0xcafef00du, 0x7ffffffeu };

/* out[] gets a0-a5, t0-t6, s0, s1 and ra - label. */
#define SEQ(first)                                                              \
    __asm__ volatile(                                                           \
        ".option push\n\t.option rvc\n\t"                                       \
        "addi sp, sp, -32\n\t"                                                  \
        "sw ra, 28(sp)\n\tsw s0, 24(sp)\n\tsw s1, 20(sp)\n\tsw %[w], 16(sp)\n\t" \
        "sw %[o], 12(sp)\n\t"                                                   \
        first "\n\t"                                                            \
        "c.li a0, -7\n\t"                                                       \
        "c.lui a1, 0x1f\n\t"                                                    \
        "c.addi a0, 9\n\t"                                                      \
        "c.addi16sp sp, 16\n\t"                                                 \
        "c.addi16sp sp, -16\n\t"                                                \
        "c.addi4spn s0, sp, 12\n\t"                                             \
        "sub s0, s0, sp\n\t"                                                    \
        "lui a2, 0x80000\n\t"                                                   \
        "c.mv a3, a2\n\t"                                                       \
        "c.srai a3, 4\n\t"                                                      \
        "c.srli a2, 3\n\t"                                                      \
        "c.andi a3, -2\n\t"                                                     \
        "c.slli a0, 5\n\t"                                                      \
        "c.add a0, a1\n\t"                                                      \
        "c.lwsp a4, 16(sp)\n\t"                                                 \
        "c.lw a5, 4(a4)\n\t"                                                    \
        "lw t0, 8(a4)\n\t"                                                      \
        "c.sub a3, a5\n\t"                                                      \
        "c.xor a2, a5\n\t"                                                      \
        "c.or a0, a3\n\t"                                                       \
        "c.and s0, a0\n\t"                                                      \
        "slti t1, a3, -1\n\t"                                                   \
        "sltiu t2, a3, -1\n\t"                                                  \
        "xori t3, t0, -256\n\t"                                                 \
        "ori t4, t0, 0x7ff\n\t"                                                 \
        "andi t5, t0, -16\n\t"                                                  \
        "slli t6, t0, 7\n\t"                                                    \
        "srli s1, t0, 9\n\t"                                                    \
        "srai t0, t0, 9\n\t"                                                    \
        "add t1, t1, t0\n\t"                                                    \
        "sub t2, t2, t6\n\t"                                                    \
        "sll t3, t3, a0\n\t"                                                    \
        "slt t4, t4, a5\n\t"                                                    \
        "sltu t5, t5, a5\n\t"                                                   \
        "xor t6, t6, a2\n\t"                                                    \
        "srl s1, s1, a3\n\t"                                                    \
        "sra a1, a2, a3\n\t"                                                    \
        "or a0, a0, t5\n\t"                                                     \
        "and a2, a2, t3\n\t"                                                    \
        "1: auipc a3, 0\n\t"                                                    \
        "lla a4, 1b\n\t"                                                        \
        "sub a3, a3, a4\n\t"                                                    \
        "beq a0, a0, 2f\n\t"                                                    \
        "addi a3, a3, 1\n"                                                      \
        "2: bne a0, a0, 3f\n\t"                                                 \
        "addi a3, a3, 2\n"                                                      \
        "3: blt a5, zero, 4f\n\t"                                               \
        "addi a3, a3, 4\n"                                                      \
        "4: bge a5, zero, 5f\n\t"                                               \
        "addi a3, a3, 8\n"                                                      \
        "5: bltu zero, a5, 6f\n\t"                                              \
        "addi a3, a3, 16\n"                                                     \
        "6: bgeu zero, a5, 7f\n\t"                                              \
        "addi a3, a3, 32\n"                                                     \
        "7: c.beqz a3, 8f\n\t"                                                  \
        "addi a3, a3, 64\n"                                                     \
        "8: c.bnez a3, 9f\n\t"                                                  \
        "addi a3, a3, 128\n"                                                    \
        "9: jal a4, 10f\n\t"                                                    \
        "addi a3, a3, 256\n"                                                    \
        "10: c.j 11f\n\t"                                                       \
        "addi a3, a3, 512\n"                                                    \
        "11: c.jal 12f\n\t"                                                     \
        "addi a3, a3, 1024\n"                                                   \
        "12: lla a5, 9b\n\t"                                                    \
        "sub a4, a4, a5\n\t"                                                    \
        "lla a5, 11b\n\t"                                                       \
        "sub ra, ra, a5\n\t"                                                    \
        "lw a5, 12(sp)\n\t"                                                     \
        "sw a0, 0(a5)\n\tsw a1, 4(a5)\n\tsw a2, 8(a5)\n\tsw a3, 12(a5)\n\t"     \
        "sw a4, 16(a5)\n\tsw t0, 20(a5)\n\tsw t1, 24(a5)\n\tsw t2, 28(a5)\n\t"  \
        "sw t3, 32(a5)\n\tsw t4, 36(a5)\n\tsw t5, 40(a5)\n\tsw t6, 44(a5)\n\t"  \
        "sw s0, 48(a5)\n\tsw s1, 52(a5)\n\tsw ra, 56(a5)\n\t"                   \
        "lw ra, 28(sp)\n\tlw s0, 24(sp)\n\tlw s1, 20(sp)\n\t"                   \
        "addi sp, sp, 32\n\t"                                                   \
        ".option pop"                                                           \
        :                                                                       \
        : [w] "r"(words), [o] "r"(out)                                          \
        : "a0", "a1", "a2", "a3", "a4", "a5", "t0", "t1", "t2", "t3", "t4",     \
          "t5", "t6", "memory")

static const char *const names[15] = { "a0", "a1", "a2", "a3", "a4", "t0", "t1", "t2",
                                       "t3", "t4", "t5", "t6", "s0", "s1", "ra" };

static const char *join(char *buf, const char *a, const char *b)
{
    char *p = buf;
    while (*a)
        *p++ = *a++;
    while (*b)
        *p++ = *b++;
    *p = 0;
    return buf;
}

static void host_side(uint32_t *out) { SEQ("csrr t0, pmpcfg3"); }
static void native(uint32_t *out) { SEQ("nop"); }

void test_main(void)
{
    uint32_t h[15], n[15];
    /* worked out by hand from the instruction definitions */
    uint32_t a5 = 0x80000001u, t0 = 0xcafef00du;
    uint32_t a1 = 0x1f000, a0 = (2u << 5) + a1, a2 = 0x80000000u >> 3;
    uint32_t a3 = (uint32_t)((int32_t)0x80000000 >> 4) & ~1u, s0 = 12;
    a3 -= a5;
    a2 ^= a5;
    a0 |= a3;
    s0 &= a0;
    uint32_t t1 = (int32_t)a3 < -1, t2 = a3 < 0xffffffffu, t3 = t0 ^ 0xffffff00u;
    uint32_t t4 = t0 | 0x7ff, t5 = t0 & ~15u, t6 = t0 << 7, s1 = t0 >> 9;
    t0 = (uint32_t)((int32_t)t0 >> 9);
    t1 += t0;
    t2 -= t6;
    t3 <<= a0 & 31;
    t4 = (int32_t)t4 < (int32_t)a5;
    t5 = t5 < a5;
    t6 ^= a2;
    s1 >>= a3 & 31;
    a1 = (uint32_t)((int32_t)a2 >> (a3 & 31));
    a0 |= t5;
    a2 &= t3;
    /* branches: beq taken, bne not (+2), blt taken (a5 < 0), bge not (+8),
     * bltu taken, bgeu not (+32), c.beqz not (a3 = 42: +64), c.bnez taken,
     * jal/c.j/c.jal taken; a4 = the jal's link - its address = 4, ra = 2 */
    uint32_t want[15] = { a0, a1, a2, 2 + 8 + 32 + 64, 4, t0, t1, t2, t3, t4, t5, t6, s0, s1, 2 };

    host_side(h);
    native(n);
    for (unsigned i = 0; i < 15; i++) {
        char name[32];
        t_eq(join(name, "after_pmp_csr_", names[i]), h[i], want[i]);
        t_eq(join(name, "native_", names[i]), n[i], want[i]);
    }
}
