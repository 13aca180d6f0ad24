/* The GDB packet layer and session against a fake target: framing,
 * checksums, acknowledgments, escapes, and malformed input (bad checksums,
 * oversized packets, unknown commands, binary garbage) answered per the
 * protocol, never a crash. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/gdb/gdb_proto.h"
#include "sim/gdb/gdb_session.h"
#include "gdb_fake.h"

static struct gdb_fake f;
static struct gdb_session s;
static char got[65536];

static void setup(void)
{
    gdb_fake_init(&f);
    gdb_session_init(&s, &gdb_fake_ops, &f);
}

static void teardown(void)
{
    gdb_session_free(&s);
}

/* Takes what the session sent (checked for well-formedness). */
static const char *take(void)
{
    const char *bad = gdb_fake_check_output(s.out.p ? s.out.p : "", s.out.len);
    ck_assert_msg(bad == NULL, "malformed output (%s): %.*s", bad, (int)s.out.len, s.out.p);
    ck_assert_uint_lt(s.out.len, sizeof got);
    memcpy(got, s.out.p ? s.out.p : "", s.out.len);
    got[s.out.len] = 0;
    gdb_buf_reset(&s.out);
    return got;
}

static void feed(const void *data, size_t len)
{
    gdb_session_input(&s, data, len);
}

static void feed_str(const char *str)
{
    feed(str, strlen(str));
}

/* Sends one well-formed packet. */
static void send_packet(const char *payload, size_t len)
{
    struct gdb_buf b = { 0 };
    gdb_frame(&b, payload, len, false);
    feed(b.p, b.len);
    gdb_buf_free(&b);
}

/* The payload of the reply to `payload` (the '+' ack and framing checked). */
static const char *ask(const char *payload)
{
    static char pl[65536];
    const char *out, *h, *e;
    send_packet(payload, strlen(payload));
    out = take();
    if (!s.noack) {
        ck_assert_msg(out[0] == '+', "no ack for %s: %s", payload, out);
        out++;
    }
    h = strrchr(out, '$');                                  /* the last frame */
    ck_assert_msg(h != NULL, "no reply to %s: '%s'", payload, out);
    e = strrchr(h, '#');
    ck_assert_ptr_nonnull(e);
    memcpy(pl, h + 1, (size_t)(e - h - 1));
    pl[e - h - 1] = 0;
    return pl;
}

START_TEST(framing_and_checksum)
{
    const char *r = ask("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
    ck_assert_msg(strstr(r, "PacketSize=1000") && strstr(r, "qXfer:features:read+") &&
                  strstr(r, "QStartNoAckMode+"), "%s", r);
    ck_assert_str_eq(ask("?"), "T05thread:1;");
    ck_assert_str_eq(ask("vMustReplyEmpty"), "");
    ck_assert_str_eq(ask("qC"), "QC1");
    ck_assert_str_eq(ask("qfThreadInfo"), "m1");
    ck_assert_str_eq(ask("qsThreadInfo"), "l");
    ck_assert_str_eq(ask("qAttached"), "1");
    ck_assert_str_eq(ask("Hg0"), "OK");
    ck_assert_str_eq(ask("T1"), "OK");
    ck_assert_str_eq(ask("T2"), "E01");
}
END_TEST

START_TEST(bad_checksum_is_nak_and_retransmit_works)
{
    feed_str("$g#00");
    ck_assert_str_eq(take(), "-");
    feed_str("$g#zz");
    ck_assert_str_eq(take(), "-");
    /* a NAK for our reply brings the same frame again */
    ask("qC");
    feed_str("-");
    ck_assert_str_eq(take(), "$QC1#c5");
    feed_str("+");
    ck_assert_str_eq(take(), "");
}
END_TEST

START_TEST(oversized_packet)
{
    char *big = malloc(3 * GDB_MAX_PACKET);
    memset(big, 'm', 3 * GDB_MAX_PACKET);
    send_packet(big, 3 * GDB_MAX_PACKET);
    ck_assert_str_eq(take(), "+$E01#a6");
    /* the stream is in step again */
    ck_assert_str_eq(ask("qC"), "QC1");
    free(big);
}
END_TEST

START_TEST(unknown_and_malformed_commands)
{
    static const char *const empty[] = { "jfoo", "qBogus", "vBogus", "Qbad", "!", "Z9,1000,4",
                                         "qOffsets", "bc", "vCtrlC", "vCont" };
    static const char *const error[] = { "m", "mzz,4", "m1000", "m1000,", "m1000,4x",
                                         "M1000,2:abc", "M1000,2:abcg", "X1000,3:ab",
                                         "p", "pq", "P1=12", "P1=1234567g", "Z0", "Z0,zz,2",
                                         "G123", "gx", "vCont;x", "vCont;c:zz",
                                         "qXfer:features:read:target.xml:zz", "qRcmd,6",
                                         "qRcmd,zz", "C", "S0g", "cz", "H", "vCont;s:2" };
    for (unsigned i = 0; i < ARRAY_LEN(empty); i++)
        ck_assert_msg(strcmp(ask(empty[i]), "") == 0, "%s", empty[i]);
    for (unsigned i = 0; i < ARRAY_LEN(error); i++)
        ck_assert_msg(ask(error[i])[0] == 'E', "%s -> %s", error[i], ask(error[i]));
    ck_assert(!f.running);
    ck_assert_str_eq(ask("qXfer:features:read:other.xml:0,10"), "E00");
    ck_assert_str_eq(ask("p99"), "E00");
    ck_assert_str_eq(ask("P99=00000000"), "E00");
}
END_TEST

START_TEST(registers)
{
    const char *r = ask("g");
    ck_assert_uint_eq(strlen(r), 8 * FAKE_NREGS);
    ck_assert(!strncmp(r + 8, "01010101", 8));
    ck_assert(!strncmp(r + 8 * 23, "xxxxxxxx", 8));         /* unavailable */
    ck_assert_str_eq(ask("p5"), "05050505");
    ck_assert_str_eq(ask("P5=78563412"), "OK");
    ck_assert_uint_eq(f.regs[5], 0x12345678u);
    ck_assert_str_eq(ask("G0000000011000000"), "OK");
    ck_assert_uint_eq(f.regs[1], 0x11u);
    ck_assert_str_eq(ask("p10"), "10101010");
    ck_assert_str_eq(ask("p17"), "E00");                    /* unavailable */
}
END_TEST

START_TEST(memory)
{
    ck_assert_str_eq(ask("m1000,4"), "00010203");
    ck_assert_str_eq(ask("m1ffe,4"), "feff");             /* the readable prefix */
    ck_assert_str_eq(ask("m0,4"), "E14");
    ck_assert_str_eq(ask("m1000,0"), "");
    ck_assert_str_eq(ask("mffffffff,ffffffff"), "E14");
    ck_assert_str_eq(ask("M1000,2:abcd"), "OK");
    ck_assert_uint_eq(f.mem[0], 0xab);
    ck_assert_uint_eq(f.mem[1], 0xcd);
    ck_assert_str_eq(ask("M0,1:00"), "E14");
    /* binary write with escapes: '}' 0x5d -> '}', '}' 0x03 -> '#', raw 0x00 */
    {
        static const char pkt[] = { 'X', '1', '0', '1', '0', ',', '3', ':', '}', 0x5d, '}', 0x03,
                                    0x00 };
        send_packet(pkt, sizeof pkt);
        ck_assert_str_eq(take(), "+$OK#9a");
        ck_assert_uint_eq(f.mem[0x10], '}');
        ck_assert_uint_eq(f.mem[0x11], '#');
        ck_assert_uint_eq(f.mem[0x12], 0);
    }
    ck_assert_str_eq(ask("X1000,0:"), "OK");
    {
        static const char dangling[] = { 'X', '1', '0', '0', '0', ',', '1', ':', '}' };
        send_packet(dangling, sizeof dangling);
        ck_assert_str_eq(take(), "+$E01#a6");
    }
}
END_TEST

START_TEST(breakpoints)
{
    ck_assert_str_eq(ask("Z0,1000,2"), "OK");
    ck_assert_str_eq(ask("Z1,1000,2"), "OK");
    ck_assert_str_eq(ask("Z2,1004,4;X1,0"), "OK");
    ck_assert_str_eq(ask("z0,1000,2"), "OK");
    ck_assert_str_eq(ask("Z3,5000,4"), "E01");              /* the target refuses */
    ck_assert_int_eq(f.bps, 2);
}
END_TEST

START_TEST(target_xml_chunks)
{
    const char *r = ask("qXfer:features:read:target.xml:0,10");
    ck_assert_msg(r[0] == 'm' && strlen(r) == 17, "%s", r);
    r = ask("qXfer:features:read:target.xml:0,fff");
    ck_assert_msg(r[0] == 'l' && strstr(r, "</target>"), "%s", r);
    ck_assert_str_eq(ask("qXfer:features:read:target.xml:ffff,10"), "l");
}
END_TEST

START_TEST(monitor)
{
    const char *out;
    send_packet("qRcmd,68656c70", 14);                     /* "help" */
    out = take();
    ck_assert_msg(strstr(out, "$O") && strstr(out, "$OK#9a"), "%s", out);
    ck_assert_str_eq(ask("qRcmd,"), "OK");                  /* empty command */
    ck_assert_str_eq(ask("qRcmd,6100"), "E01");             /* a NUL inside */
}
END_TEST

START_TEST(noack_mode)
{
    ck_assert_str_eq(ask("QStartNoAckMode"), "OK");
    ck_assert(s.noack);
    feed_str("+");                                          /* GDB's last ack */
    /* no acks; a wrong checksum is ignored */
    feed_str("$qC#00");
    ck_assert_str_eq(take(), "$QC1#c5");
    feed_str("-");
    ck_assert_str_eq(take(), "");
}
END_TEST

START_TEST(running_interrupt_and_held_packets)
{
    ck_assert_str_eq(ask("vCont?"), "vCont;c;C;s;S;t");
    send_packet("vCont;c", 7);
    ck_assert_str_eq(take(), "+");
    ck_assert(f.running && !f.stepping);
    /* while running: a packet is held, 0x03 interrupts, a 0x03 inside a
     * packet is data */
    {
        static const char pkt[] = "$X1000,1:\x03#00";
        feed(pkt, sizeof pkt - 1);
        feed_str("$qC#b4");
        feed_str("\x03");
    }
    ck_assert_str_eq(take(), "");
    ck_assert(f.interrupted);
    gdb_fake_stop(&s, &f, 2);
    {
        const char *out = take();
        ck_assert_msg(!strncmp(out, "$T02thread:1;#", 14), "%s", out);
        ck_assert_msg(strstr(out, "-") && strstr(out, "+$QC1#c5"), "%s", out);
    }
    /* vCont with a step for our thread, a continue for the others */
    send_packet("vCont;s:1;c", 11);
    take();
    ck_assert(f.running && f.stepping);
    gdb_fake_stop(&s, &f, 5);
    take();
    /* c ADDR */
    send_packet("c2000", 5);
    take();
    ck_assert(f.running);
    ck_assert_uint_eq(f.regs[15], 0x2000u);
    gdb_fake_stop(&s, &f, 5);
    take();
    ck_assert_str_eq(ask("vCont;t"), "T00thread:1;");
}
END_TEST

START_TEST(stop_replies)
{
    struct gdb_stop w = { .sig = 5, .watch = GDB_WP_READ, .watch_addr = 0x20000010 };
    struct gdb_stop x = { .exited = true, .status = 3 };
    send_packet("c", 1);
    take();
    f.running = false;
    gdb_session_stopped(&s, &w, "hi\n");
    {
        const char *out = take();
        ck_assert_msg(!strncmp(out, "$O68690a#", 9) && strstr(out, "$T05rwatch:20000010;thread:1;#"),
                      "%s", out);
    }
    send_packet("c", 1);
    take();
    f.running = false;
    gdb_session_stopped(&s, &x, NULL);
    ck_assert_str_eq(take(), "$W03#ba");
}
END_TEST

START_TEST(detach_and_kill)
{
    ck_assert_str_eq(ask("D"), "OK");
    ck_assert(f.detached);
    ck_assert_int_eq(s.state, GDB_SESSION_DETACHED);
    /* nothing more is processed */
    send_packet("g", 1);
    ck_assert_str_eq(take(), "");
    gdb_session_free(&s);
    gdb_session_init(&s, &gdb_fake_ops, &f);
    send_packet("k", 1);
    ck_assert_str_eq(take(), "+");
    ck_assert(f.killed);
}
END_TEST

/* Deterministic garbage: the session must answer only in whole frames and
 * never touch the target out of range (the fake aborts). */
START_TEST(binary_garbage)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint8_t buf[512];
    for (unsigned round = 0; round < 3000; round++) {
        size_t n = 1 + round % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = (uint8_t)x;
            /* plenty of framing bytes */
            if ((x >> 20) % 7 == 0)
                buf[i] = "$#}+-\x03"[(x >> 30) % 6];
        }
        feed(buf, n);
        take();
        if (f.running)
            gdb_fake_stop(&s, &f, 5);
        take();
        if (s.state != GDB_SESSION_STOPPED) {
            gdb_session_free(&s);
            gdb_fake_init(&f);
            gdb_session_init(&s, &gdb_fake_ops, &f);
        }
    }
}
END_TEST

static Suite *gdb_suite(void)
{
    Suite *su = suite_create("gdb-packets");
    TCase *tc = tcase_create("session");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, framing_and_checksum);
    tcase_add_test(tc, bad_checksum_is_nak_and_retransmit_works);
    tcase_add_test(tc, oversized_packet);
    tcase_add_test(tc, unknown_and_malformed_commands);
    tcase_add_test(tc, registers);
    tcase_add_test(tc, memory);
    tcase_add_test(tc, breakpoints);
    tcase_add_test(tc, target_xml_chunks);
    tcase_add_test(tc, monitor);
    tcase_add_test(tc, noack_mode);
    tcase_add_test(tc, running_interrupt_and_held_packets);
    tcase_add_test(tc, stop_replies);
    tcase_add_test(tc, detach_and_kill);
    tcase_add_test(tc, binary_garbage);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(gdb_suite());
    int failed;
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
