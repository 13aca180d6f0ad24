/* Fuzz target for the GDB packet layer and session (sim/gdb/gdb_proto.c,
 * gdb_session.c) against the fake target of tests/gdb/gdb_fake.h.
 *
 * Input: a byte stream cut into chunks (the first byte of each chunk gives
 * its length), fed to one session; whenever the target is running, the
 * next chunk's first byte decides whether it stops. Checked after every
 * chunk: every byte sent is a whole, correctly summed frame or an ack; the
 * fake target aborts on any out-of-range register or a resume while
 * running. Built two ways (tests/fuzz/meson.build): with clang's libFuzzer
 * when available, and always as a plain deterministic driver
 * (-DFUZZ_STANDALONE) that runs seeded random and mutated-packet inputs,
 * or replays the files given as arguments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/gdb/gdb_proto.h"
#include "sim/gdb/gdb_session.h"
#include "tests/gdb/gdb_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct gdb_session *s)
{
    const char *bad = gdb_fake_check_output(s->out.p ? s->out.p : "", s->out.len);
    if (bad) {
        fprintf(stderr, "fuzz_gdb: malformed output: %s\n", bad);
        abort();
    }
    gdb_buf_reset(&s->out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gdb_fake f;
    struct gdb_session s;
    struct gdb_rx rx;
    size_t i = 0;

    gdb_fake_init(&f);
    gdb_session_init(&s, &gdb_fake_ops, &f);
    while (i < size) {
        size_t n = 1 + data[i] % 97;
        uint8_t ctl = data[i++];
        if (f.running && (ctl & 0x80))
            gdb_fake_stop(&s, &f, ctl & 0x1f);
        if (n > size - i)
            n = size - i;
        gdb_session_input(&s, data + i, n);
        i += n;
        check(&s);
        if (s.state == GDB_SESSION_DETACHED || s.state == GDB_SESSION_KILLED)
            break;
    }
    if (f.running)
        gdb_fake_stop(&s, &f, 5);
    check(&s);
    gdb_session_free(&s);

    /* the receiver alone, byte by byte, in both checksum modes */
    gdb_rx_init(&rx);
    rx.verify = size & 1;
    for (i = 0; i < size; i++) {
        size_t used;
        enum gdb_rx_event ev = gdb_rx_feed(&rx, data + i, 1, &used);
        if (used != 1 || rx.len > GDB_MAX_PACKET || (ev == GDB_RX_PACKET && rx.buf[rx.len]))
            abort();
    }
    return 0;
}

#ifdef FUZZ_STANDALONE
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Commands GDB sends, and some it does not; mutated below. */
static const char *const templates[] = {
    "qSupported:multiprocess+;swbreak+", "QStartNoAckMode", "?", "g", "G0011223344556677",
    "p0", "pf", "P3=01020304", "m1000,40", "m1ff0,40", "mffffffff,10", "M1000,4:deadbeef",
    "X1004,4:\x7d\x5d\x7d\x03" "ab", "Z0,1000,2", "z0,1000,2", "Z2,1000,4", "Z4,1100,8",
    "c", "s", "c1000", "C05", "S02;1000", "vCont?", "vCont;c", "vCont;s:1;c", "vCont;t",
    "vCont;C05:-1", "vMustReplyEmpty", "qXfer:features:read:target.xml:0,ffb",
    "qXfer:features:read:target.xml:40,20", "qRcmd,68656c70", "qRcmd,", "qAttached", "qC",
    "qfThreadInfo", "qsThreadInfo", "Hg0", "Hc-1", "T1", "qSymbol::", "D", "k", "vKill;1",
};

static size_t make_input(uint8_t *buf, size_t cap)
{
    size_t len = 0;
    unsigned parts = 1 + next() % 12;
    for (unsigned k = 0; k < parts && len + 300 < cap; k++) {
        uint64_t r = next();
        buf[len++] = (uint8_t)next();           /* chunk control byte */
        if (r % 4 == 0) {                       /* raw garbage */
            size_t n = next() % 200;
            for (size_t i = 0; i < n; i++)
                buf[len++] = (uint8_t)next();
        } else if (r % 4 == 1) {                /* control bytes */
            static const char ctl[] = "$#}+-\x03*";
            size_t n = 1 + next() % 8;
            for (size_t i = 0; i < n; i++)
                buf[len++] = (uint8_t)ctl[next() % 7];
        } else {                                /* a (mutated) packet, summed right */
            char pl[256];
            const char *t = templates[next() % (sizeof templates / sizeof templates[0])];
            size_t n = strlen(t);
            struct gdb_buf b = { 0 };
            memcpy(pl, t, n);
            for (unsigned m = next() % 4; m > 0 && n; m--) {
                size_t at = next() % n;
                switch (next() % 3) {
                case 0: pl[at] = (char)next(); break;
                case 1: n = at; break;
                default:
                    if (n < sizeof pl - 1)
                        pl[n++] = "0123456789abcdef,:;=-"[next() % 21];
                }
            }
            gdb_frame(&b, pl, n, next() % 3 == 0);
            if (next() % 8 == 0 && b.len > 3)
                b.p[b.len - 1] ^= 1;            /* now and then a bad checksum */
            memcpy(buf + len, b.p, b.len);
            len += b.len;
            gdb_buf_free(&b);
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    static uint8_t buf[8192];
    unsigned long runs = 20000;
    const char *env = getenv("FUZZ_RUNS");

    if (argc > 1) {                             /* replay files (a corpus, a crash) */
        for (int a = 1; a < argc; a++) {
            FILE *fp = fopen(argv[a], "rb");
            size_t n;
            if (!fp) {
                fprintf(stderr, "fuzz_gdb: cannot open %s\n", argv[a]);
                return 2;
            }
            n = fread(buf, 1, sizeof buf, fp);
            fclose(fp);
            LLVMFuzzerTestOneInput(buf, n);
        }
        printf("fuzz_gdb: %d file(s) replayed\n", argc - 1);
        return 0;
    }
    if (env)
        runs = strtoul(env, NULL, 0);
    for (unsigned long r = 0; r < runs; r++) {
        size_t n = make_input(buf, sizeof buf);
        LLVMFuzzerTestOneInput(buf, n);
    }
    printf("fuzz_gdb: %lu deterministic inputs, no failure\n", runs);
    return 0;
}
#endif
