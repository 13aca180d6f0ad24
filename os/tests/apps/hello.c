/* The kernel's self-test app: exercises every system call class with raw
 * system calls and prints "ok ..." / "FAIL ..." lines, then
 * "hello: done, N failures" and exits with N. */
#include "raw.h"

struct ctx {
    unsigned failures;
    volatile uint32_t fired;
    uint32_t args[3];
};

static void check(struct ctx *c, bool ok, const char *what, uint32_t v)
{
    puts_(ok ? "ok   " : "FAIL ");
    puts_(what);
    if (!ok) {
        puts_(" got ");
        put_hex(v);
        c->failures++;
    }
    puts_("\r\n");
}

static void alarm_cb(uint32_t now, uint32_t exp, uint32_t unused, void *data)
{
    struct ctx *c = data;
    (void)unused;
    c->fired++;
    c->args[0] = now;
    c->args[1] = exp;
}

int main(uint32_t mem_start, uint32_t mem_len);

int main(uint32_t mem_start, uint32_t mem_len)
{
    struct ctx c = { 0 };
    puts_("hello: start\r\n");

    struct sret r = memop(2, 0);
    check(&c, r.r0 == 129 && r.r1 == mem_start, "memop 2 = memory start", r.r1);
    r = memop(3, 0);
    check(&c, r.r0 == 129 && r.r1 == mem_start + mem_len, "memop 3 = memory end", r.r1);
    r = memop(4, 0);
    uint32_t flash = r.r1;
    r = memop(5, 0);
    check(&c, r.r0 == 129 && r.r1 > flash, "memop 4/5 = flash range", r.r1);
    r = memop(1, 0);
    uint32_t brk = r.r1;
    check(&c, r.r0 == 129 && brk == mem_start + 2048, "sbrk(0) = break", brk);
    r = memop(1, 64);
    check(&c, r.r0 == 129 && r.r1 == brk, "sbrk(64) returns the old break", r.r1);
    r = memop(0, mem_start + mem_len);
    check(&c, r.r0 == 0 && r.r1 == 9, "brk(memory end) = NOMEM", r.r1);
    r = memop(42, 0);
    check(&c, r.r0 == 0 && r.r1 == 10, "memop 42 = NOSUPPORT", r.r1);

    r = command(0, 0, 0, 0);
    check(&c, r.r0 == 128, "alarm exists", r.r0);
    r = command(0x99, 0, 0, 0);
    check(&c, r.r0 == 0 && r.r1 == 11, "command to no driver = NODEVICE", r.r1);
    r = command(0, 99, 0, 0);
    check(&c, r.r0 == 0 && r.r1 == 10, "unknown command = NOSUPPORT", r.r1);
    r = subscribe(0x99, 0, alarm_cb, 0x1234);
    check(&c, r.r0 == 2 && r.r1 == 11 && r.r2 == (uintptr_t)alarm_cb && r.r3 == 0x1234,
          "subscribe to no driver = (2, NODEVICE, fn, data)", r.r0);
    r = subscribe(0, 0, alarm_cb, &c);
    check(&c, r.r0 == 130 && r.r1 == 0 && r.r2 == 0, "first subscribe returns (0, 0)", r.r0);
    r = subscribe(0, 0, alarm_cb, &c);
    check(&c, r.r0 == 130 && r.r1 == (uintptr_t)alarm_cb && r.r2 == (uintptr_t)&c,
          "second subscribe returns the previous one", r.r1);
    r = subscribe(0, 5, alarm_cb, &c);
    check(&c, r.r0 == 2 && r.r1 == 10, "subscribe number too big = NOSUPPORT", r.r1);
    r = subscribe(0, 0, 0x10, 0);
    check(&c, r.r0 == 2 && r.r1 == 6, "upcall outside the app = INVAL", r.r1);
    r = allow_rw(1, 1, 0x10, 4);
    check(&c, r.r0 == 2 && r.r1 == 6 && r.r2 == 0x10 && r.r3 == 4,
          "allow of foreign memory = (2, INVAL, ptr, len)", r.r1);
    r = allow_rw(1, 1, 0x10, 0);
    check(&c, r.r0 == 130, "zero-length allow anywhere is fine", r.r0);

    r = command(0, 1, 0, 0);
    check(&c, r.r0 == 129 && r.r1 != 0, "alarm frequency", r.r1);
    uint32_t freq = r.r1;
    r = command(0, 2, 0, 0);
    uint32_t t0 = r.r1;
    check(&c, r.r0 == 129, "alarm now", r.r0);

    uint8_t flag = 0xAA;
    yield_no_wait(&flag);
    check(&c, flag == 0, "yield-no-wait with nothing queued writes 0", flag);

    /* no printing (which yields) between set and stop: other apps may run */
    struct sret set = command(0, 5, freq * 10, 0);              /* 10 s */
    struct sret stop1 = command(0, 3, 0, 0);
    struct sret stop2 = command(0, 3, 0, 0);
    check(&c, set.r0 == 129, "alarm set relative", set.r0);
    check(&c, stop1.r0 == 128, "stop an armed alarm", stop1.r0);
    check(&c, stop2.r0 == 0 && stop2.r1 == 3, "stop again = ALREADY", stop2.r1);
    uint32_t exp;
    r = command(0, 5, freq / 100, 0);
    exp = r.r1;
    while (!c.fired)
        yield_wait();
    check(&c, c.fired == 1 && c.args[1] == exp, "alarm upcall with (now, expiration)", c.args[1]);
    check(&c, c.args[0] - t0 >= freq / 100, "alarm did not fire early", c.args[0] - t0);

    subscribe(0, 0, 0, 0);                      /* Null upcall: use Yield-WaitFor */
    r = command(0, 2, 0, 0);
    r = command(0, 6, r.r1, freq / 200);        /* reference = now, 5 ms */
    exp = r.r1;
    r = yield_wait_for(0, 0);
    check(&c, r.r1 == exp, "yield-wait-for returns the upcall's arguments", r.r1);

    r = command(0, 6, 0, 0);                    /* dt = 0: fires at once */
    flag = 0;
    yield_no_wait(&flag);
    check(&c, flag == 0, "a Null-upcall event does not count for yield-no-wait", flag);
    r = yield_wait_for(0, 0);
    check(&c, r.r1 == 0, "dt = 0 fires immediately", r.r1);

    r = command(2, 0, 0, 0);
    if (r.r0 == 129 && r.r1 > 0) {
        check(&c, command(2, 1, 0, 0).r0 == 128, "led on", 0);
        check(&c, command(2, 1, r.r1, 0).r1 == 6, "led out of range = INVAL", 0);
    }
    r = command(8, 2, 0x2a, 0);
    check(&c, r.r0 == 128, "low-level debug print", r.r0);

    puts_("hello: done, ");
    put_dec(c.failures);
    puts_(" failures\r\n");
    return (int)c.failures;
}
