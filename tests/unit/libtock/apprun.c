/* apprun: runs one app TBF on Unicorn under a small stand-in for the Tock
 * kernel's system-call layer, so that crt0, libtock and the apps can be
 * tested end to end before (and independently of) os/ and the simulator.
 *
 *   apprun arm|rv32 APP.tbf [--max-insns N] [--input TEXT] [--press B@MS]...
 *          [--expect TEXT]... [--expect-exit N | --expect-fault | --expect-limit]
 *          [--trace]
 *
 * Modelled: the start contract (TOCK.md §3.3), every syscall class and
 * return variant, yield no-wait/wait/wait-for with a FIFO of upcalls
 * (Cortex-M: the svc returns into the callback, LR = after the svc; RV32:
 * ra = after the ecall), memop, exit; drivers: alarm (one expiration, fires
 * when now leaves [reference, reference + dt)), console (writes complete at
 * once; reads from --input), LEDs (4), buttons (2, --press), and no GPIO.
 * Time: one cycle per instruction (64 MHz Cortex-M with 8 388 608 Hz
 * alarm ticks, as the nRF52840 left-justifies its 32 kHz RTC; 10 MHz RV32
 * with 10 MHz ticks); an idle yield jumps to the next event. Memory: the
 * app's flash read-only, its RAM the only writable memory, so a stray
 * access is an unmapped/protection fault. Not modelled: the MPU/PMP
 * regions themselves, preemption, restart, grants, allow checks.
 * Console output goes to stdout; a summary line to stderr. Exit status: 0
 * if every expectation held, 1 if not, 2 for bad usage. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "sim/loader/tbf.h"

#define MAX_EVENTS 64
#define MAX_SUBS 32
#define QUEUE_LEN 10
#define OUT_CAP (1 << 16)

enum arch { ARCH_ARM, ARCH_RV32 };
enum stop { STOP_NONE, STOP_EXIT, STOP_FAULT, STOP_IDLE, STOP_LIMIT, STOP_ERROR };

struct upcall { uint32_t driver, sub, a0, a1, a2; };
struct sub { uint32_t driver, sub, fn, ud; };
struct press { uint32_t button; uint64_t at_cycles; bool pressed; };

struct run {
    enum arch arch;
    uc_engine *uc;
    uint64_t cpu_hz, tick_hz;
    uint64_t insns, max_insns, idle_cycles;
    uint32_t flash_start, flash_end, tbf_addr, mem_start, mem_len, app_brk, brk_limit;
    /* kernel state */
    struct sub subs[MAX_SUBS];
    unsigned nsubs;
    struct upcall queue[QUEUE_LEN];
    unsigned nqueue, dropped;
    bool alarm_armed;
    uint32_t alarm_ref, alarm_dt;
    uint32_t ro_ptr, ro_len, rw_ptr, rw_len;
    bool read_pending;
    uint32_t read_len;
    const char *input;
    size_t input_pos;
    struct press presses[MAX_EVENTS];
    unsigned npresses, next_press;
    uint32_t button_irq;                /* enabled-interrupt bitmask */
    uint32_t leds;
    bool trace;
    /* outcome */
    enum stop stop;
    uint32_t exit_code;
    char why[200];
    char out[OUT_CAP];
    size_t nout;
};

/* ------------------------------------------------------------ helpers -- */

static uint64_t cycles(const struct run *r) { return r->insns + r->idle_cycles; }

static uint32_t now_ticks(const struct run *r)
{
    return (uint32_t)((unsigned __int128)cycles(r) * r->tick_hz / r->cpu_hz);
}

static uint64_t now_ms(const struct run *r) { return cycles(r) * 1000 / r->cpu_hz; }

static uint32_t reg(struct run *r, int n)
{
    static const int arm[] = { UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3 };
    static const int rv[] = { UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2, UC_RISCV_REG_A3, UC_RISCV_REG_A4 };
    uint32_t v = 0;
    uc_reg_read(r->uc, r->arch == ARCH_ARM ? arm[n] : rv[n], &v);
    return v;
}

static void set_reg(struct run *r, int n, uint32_t v)
{
    static const int arm[] = { UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3 };
    static const int rv[] = { UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2, UC_RISCV_REG_A3 };
    uc_reg_write(r->uc, r->arch == ARCH_ARM ? arm[n] : rv[n], &v);
}

static void ret4(struct run *r, uint32_t v0, uint32_t v1, uint32_t v2, uint32_t v3)
{
    set_reg(r, 0, v0);
    set_reg(r, 1, v1);
    set_reg(r, 2, v2);
    set_reg(r, 3, v3);
}

static void ret_success(struct run *r) { set_reg(r, 0, 128); }
static void ret_u32(struct run *r, uint32_t v) { set_reg(r, 0, 129); set_reg(r, 1, v); }
static void ret_fail(struct run *r, uint32_t err) { set_reg(r, 0, 0); set_reg(r, 1, err); }

enum { E_FAIL = 1, E_ALREADY = 3, E_INVAL = 6, E_NOMEM = 9, E_NOSUPPORT = 10, E_NODEVICE = 11 };

static void stop(struct run *r, enum stop why, const char *msg)
{
    if (r->stop == STOP_NONE) {
        r->stop = why;
        snprintf(r->why, sizeof r->why, "%s", msg);
    }
    uc_emu_stop(r->uc);
}

static bool in_app_ram(const struct run *r, uint32_t p, uint32_t len)
{
    return p >= r->mem_start && (uint64_t)p + len <= r->app_brk;
}

static bool in_app(const struct run *r, uint32_t p, uint32_t len)
{
    return in_app_ram(r, p, len) || (p >= r->flash_start && (uint64_t)p + len <= r->flash_end);
}

/* ----------------------------------------------------------- upcalls -- */

static struct sub *find_sub(struct run *r, uint32_t driver, uint32_t sub)
{
    for (unsigned i = 0; i < r->nsubs; i++)
        if (r->subs[i].driver == driver && r->subs[i].sub == sub)
            return &r->subs[i];
    return NULL;
}

static void enqueue(struct run *r, uint32_t driver, uint32_t sub, uint32_t a0, uint32_t a1, uint32_t a2)
{
    if (r->nqueue == QUEUE_LEN) {
        r->dropped++;
        return;
    }
    r->queue[r->nqueue++] = (struct upcall){ driver, sub, a0, a1, a2 };
}

static void dequeue_at(struct run *r, unsigned i, struct upcall *u)
{
    *u = r->queue[i];
    memmove(&r->queue[i], &r->queue[i + 1], (r->nqueue - i - 1) * sizeof r->queue[0]);
    r->nqueue--;
}

/* Brings the world up to now: alarm expiry, button presses. */
static void poll_events(struct run *r)
{
    uint32_t now = now_ticks(r);
    if (r->alarm_armed && (uint32_t)(now - r->alarm_ref) >= r->alarm_dt) {
        r->alarm_armed = false;
        enqueue(r, 0, 0, now, r->alarm_ref + r->alarm_dt, 0);
    }
    while (r->next_press < r->npresses && r->presses[r->next_press].at_cycles <= cycles(r)) {
        struct press *p = &r->presses[r->next_press++];
        if (r->trace)
            fprintf(stderr, "[apprun %6" PRIu64 " ms] button %u %s\n", now_ms(r), p->button,
                    p->pressed ? "pressed" : "released");
        if (r->button_irq & (1u << p->button))
            enqueue(r, 3, 0, p->button, p->pressed, 0);
    }
    if (r->read_pending && r->input && r->input[r->input_pos]) {
        size_t avail = strlen(r->input + r->input_pos);
        uint32_t n = r->read_len < avail ? r->read_len : (uint32_t)avail;
        if (n > r->rw_len)
            n = r->rw_len;
        uc_mem_write(r->uc, r->rw_ptr, r->input + r->input_pos, n);
        r->input_pos += n;
        r->read_pending = false;
        enqueue(r, 1, 2, 0, n, 0);
    }
}

/* Cycles until the next event, or UINT64_MAX if none will come. */
static uint64_t next_event_in(struct run *r)
{
    uint64_t best = UINT64_MAX;
    if (r->alarm_armed) {
        uint32_t now = now_ticks(r);
        uint32_t gone = now - r->alarm_ref;
        uint64_t ticks = gone >= r->alarm_dt ? 0 : r->alarm_dt - gone;
        /* the first cycle at which now_ticks() has advanced by `ticks` */
        uint64_t target = (uint64_t)(((unsigned __int128)(cycles(r) * r->tick_hz / r->cpu_hz + ticks) * r->cpu_hz +
                                      r->tick_hz - 1) / r->tick_hz);
        best = target > cycles(r) ? target - cycles(r) : 0;
    }
    if (r->next_press < r->npresses) {
        uint64_t at = r->presses[r->next_press].at_cycles;
        uint64_t d = at > cycles(r) ? at - cycles(r) : 0;
        if (d < best)
            best = d;
    }
    return best;
}

/* Sleeps until the queue is not empty; false if nothing will ever come. */
static bool wait_for_upcall(struct run *r)
{
    for (;;) {
        poll_events(r);
        if (r->nqueue)
            return true;
        uint64_t d = next_event_in(r);
        if (d == UINT64_MAX)
            return false;
        r->idle_cycles += d;
    }
}

static uint32_t pc(struct run *r)
{
    uint32_t v;
    uc_reg_read(r->uc, r->arch == ARCH_ARM ? UC_ARM_REG_PC : UC_RISCV_REG_PC, &v);
    return v;
}

/* Runs u's function next: it returns to the instruction after the yield. */
static void deliver(struct run *r, const struct upcall *u, const struct sub *s)
{
    uint32_t ret = pc(r), fn = s->fn;
    ret4(r, u->a0, u->a1, u->a2, s->ud);
    if (r->arch == ARCH_ARM) {
        ret |= 1;
        fn |= 1;                        /* Unicorn: bit 0 of a PC write selects Thumb */
        uc_reg_write(r->uc, UC_ARM_REG_LR, &ret);
        uc_reg_write(r->uc, UC_ARM_REG_PC, &fn);
    } else {
        uc_reg_write(r->uc, UC_RISCV_REG_RA, &ret);
        uc_reg_write(r->uc, UC_RISCV_REG_PC, &fn);
    }
}

/* Yield-Wait / Yield-NoWait: runs the first upcall that has a function;
 * events for Null Upcalls are dropped. */
static bool run_one(struct run *r, bool wait)
{
    for (;;) {
        if (wait && !wait_for_upcall(r))
            return false;
        if (!wait) {
            poll_events(r);
            if (!r->nqueue)
                return false;
        }
        struct upcall u;
        dequeue_at(r, 0, &u);
        struct sub *s = find_sub(r, u.driver, u.sub);
        if (s && s->fn) {
            deliver(r, &u, s);
            return true;
        }
    }
}

/* ------------------------------------------------------------ drivers -- */

static void command(struct run *r, uint32_t driver, uint32_t cmd, uint32_t a0, uint32_t a1)
{
    uint32_t now = now_ticks(r);
    switch (driver) {
    case 0:                                             /* alarm */
        switch (cmd) {
        case 0: ret_success(r); return;
        case 1: ret_u32(r, (uint32_t)r->tick_hz); return;
        case 2: ret_u32(r, now); return;
        case 3:
            if (!r->alarm_armed) {
                ret_fail(r, E_ALREADY);
                return;
            }
            r->alarm_armed = false;
            ret_success(r);
            return;
        case 5: a1 = a0; a0 = now; /* fall through */
        case 6:
            r->alarm_armed = true;
            r->alarm_ref = a0;
            r->alarm_dt = a1;
            ret_u32(r, a0 + a1);
            poll_events(r);                             /* expired: queued at once */
            return;
        }
        break;
    case 1:                                             /* console */
        switch (cmd) {
        case 0: ret_success(r); return;
        case 1: {
            uint32_t n = a0 < r->ro_len ? a0 : r->ro_len;
            char buf[512];
            for (uint32_t done = 0; done < n;) {
                uint32_t k = n - done < sizeof buf ? n - done : (uint32_t)sizeof buf;
                uc_mem_read(r->uc, r->ro_ptr + done, buf, k);
                fwrite(buf, 1, k, stdout);
                if (r->nout + k < OUT_CAP) {
                    memcpy(r->out + r->nout, buf, k);
                    r->nout += k;
                }
                done += k;
            }
            fflush(stdout);
            ret_success(r);
            enqueue(r, 1, 1, n, 0, 0);
            return;
        }
        case 2:
            if (r->read_pending) {
                ret_fail(r, 2);
                return;
            }
            r->read_pending = true;
            r->read_len = a0;
            ret_success(r);
            poll_events(r);
            return;
        case 3:
            r->read_pending = false;
            ret_success(r);
            return;
        }
        break;
    case 2:                                             /* LEDs */
        if (cmd == 0) {
            ret_u32(r, 4);
            return;
        }
        if (a0 >= 4) {
            ret_fail(r, E_INVAL);
            return;
        }
        if (cmd >= 1 && cmd <= 3) {
            uint32_t old = r->leds;
            r->leds = cmd == 1 ? r->leds | 1u << a0 : cmd == 2 ? r->leds & ~(1u << a0) : r->leds ^ 1u << a0;
            if (r->trace && old != r->leds)
                fprintf(stderr, "[apprun %6" PRIu64 " ms] LED%u %s\n", now_ms(r), a0, r->leds >> a0 & 1 ? "on" : "off");
            ret_success(r);
            return;
        }
        if (cmd == 4) {
            ret_u32(r, r->leds >> a0 & 1);
            return;
        }
        break;
    case 3:                                             /* buttons */
        if (cmd == 0) {
            ret_u32(r, 2);
            return;
        }
        if (a0 >= 2) {
            ret_fail(r, E_INVAL);
            return;
        }
        if (cmd == 1 || cmd == 2) {
            r->button_irq = cmd == 1 ? r->button_irq | 1u << a0 : r->button_irq & ~(1u << a0);
            ret_success(r);
            return;
        }
        if (cmd == 3) {
            ret_u32(r, 0);
            return;
        }
        break;
    default:
        ret_fail(r, E_NODEVICE);
        return;
    }
    ret_fail(r, E_NOSUPPORT);
}

static void memop(struct run *r, uint32_t op, uint32_t arg)
{
    switch (op) {
    case 0:
    case 1: {
        uint32_t old = r->app_brk;
        uint64_t want = op == 0 ? arg : (uint64_t)r->app_brk + (int32_t)arg;
        if (want < r->mem_start || want > r->brk_limit) {
            ret_fail(r, E_NOMEM);
            return;
        }
        r->app_brk = (uint32_t)want;
        if (op == 0)
            ret_success(r);
        else
            ret_u32(r, old);
        return;
    }
    case 2: ret_u32(r, r->mem_start); return;
    case 3: ret_u32(r, r->mem_start + r->mem_len); return;
    case 4: ret_u32(r, r->tbf_addr); return;
    case 5: ret_u32(r, r->flash_end); return;
    case 6: ret_u32(r, r->brk_limit); return;
    case 7: ret_u32(r, 0); return;
    case 10:
    case 11: ret_success(r); return;
    default: ret_fail(r, E_NOSUPPORT); return;
    }
}

static void do_syscall(struct run *r, uint32_t cls)
{
    uint32_t a0 = reg(r, 0), a1 = reg(r, 1), a2 = reg(r, 2), a3 = reg(r, 3);
    char msg[120];
    poll_events(r);
    switch (cls) {
    case 0:                                             /* yield */
        if (a0 == 0) {
            uint8_t ran = run_one(r, false);
            if (a1 && in_app_ram(r, a1, 1))
                uc_mem_write(r->uc, a1, &ran, 1);
        } else if (a0 == 1) {
            if (!run_one(r, true))
                stop(r, STOP_IDLE, "idle: the process waits and nothing will wake it");
        } else if (a0 == 2) {
            for (;;) {
                unsigned i;
                for (i = 0; i < r->nqueue; i++)
                    if (r->queue[i].driver == a1 && r->queue[i].sub == a2)
                        break;
                if (i < r->nqueue) {
                    struct upcall u;
                    dequeue_at(r, i, &u);
                    ret4(r, u.a0, u.a1, u.a2, a3);
                    break;
                }
                uint64_t d = next_event_in(r);
                if (d == UINT64_MAX) {
                    snprintf(msg, sizeof msg, "idle: yield-wait-for (%" PRIu32 ", %" PRIu32 ") will never return", a1, a2);
                    stop(r, STOP_IDLE, msg);
                    break;
                }
                r->idle_cycles += d;
                poll_events(r);
            }
        } else {
            snprintf(msg, sizeof msg, "fault: yield number %" PRIu32, a0);
            stop(r, STOP_FAULT, msg);
        }
        return;
    case 1: {                                           /* subscribe */
        if (a2 && !(a2 >= r->flash_start && a2 < r->flash_end)) {
            ret4(r, 2, E_INVAL, a2, a3);
            return;
        }
        struct sub *s = find_sub(r, a0, a1);
        if (!s) {
            if (r->nsubs == MAX_SUBS) {
                ret4(r, 2, E_NOMEM, a2, a3);
                return;
            }
            s = &r->subs[r->nsubs++];
            *s = (struct sub){ a0, a1, 0, 0 };
        }
        ret4(r, 130, s->fn, s->ud, 0);
        s->fn = a2;
        s->ud = a3;
        for (unsigned i = 0; i < r->nqueue;) {          /* drop its queued upcalls */
            struct upcall u;
            if (r->queue[i].driver == a0 && r->queue[i].sub == a1)
                dequeue_at(r, i, &u);
            else
                i++;
        }
        return;
    }
    case 2:
        command(r, a0, a1, a2, a3);
        return;
    case 3:                                             /* allow rw */
    case 4:                                             /* allow ro */
        if (a0 != 1 || a1 != 1) {
            ret4(r, 2, a0 != 1 ? E_NODEVICE : E_NOSUPPORT, a2, a3);
            return;
        }
        if (a3 && !(cls == 3 ? in_app_ram(r, a2, a3) : in_app(r, a2, a3))) {
            ret4(r, 2, E_INVAL, a2, a3);
            return;
        }
        if (cls == 3) {
            ret4(r, 130, r->rw_ptr, r->rw_len, 0);
            r->rw_ptr = a2;
            r->rw_len = a3;
        } else {
            ret4(r, 130, r->ro_ptr, r->ro_len, 0);
            r->ro_ptr = a2;
            r->ro_len = a3;
        }
        return;
    case 5:
        memop(r, a0, a1);
        return;
    case 6:
        if (a0 == 0) {
            r->exit_code = a1;
            snprintf(msg, sizeof msg, "exit %" PRIu32 " (0x%" PRIx32 ")", a1, a1);
            stop(r, STOP_EXIT, msg);
        } else {
            stop(r, STOP_ERROR, "restart is not modelled");
        }
        return;
    default:
        snprintf(msg, sizeof msg, "fault: syscall class %" PRIu32, cls);
        stop(r, STOP_FAULT, msg);
        return;
    }
}

/* -------------------------------------------------------------- hooks -- */

static void on_insn(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
    struct run *r = ud;
    (void)uc; (void)addr; (void)size;
    if (++r->insns >= r->max_insns)
        stop(r, STOP_LIMIT, "instruction limit");
}

static void on_intr(uc_engine *uc, uint32_t intno, void *ud)
{
    struct run *r = ud;
    uint32_t p = pc(r);
    char msg[120];
    if (r->arch == ARCH_ARM && intno == 2) {
        uint16_t insn = 0;
        uc_mem_read(uc, p - 2, &insn, 2);
        do_syscall(r, insn & 0xff);
        return;
    }
    if (r->arch == ARCH_RV32 && intno == 8) {
        uint32_t cls = 0;
        uc_reg_read(uc, UC_RISCV_REG_A4, &cls);
        do_syscall(r, cls);
        return;
    }
    snprintf(msg, sizeof msg, "fault: exception %" PRIu32 " at pc 0x%08" PRIx32, intno, p);
    stop(r, STOP_FAULT, msg);
}

static bool on_bad_mem(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *ud)
{
    struct run *r = ud;
    char msg[120];
    (void)uc; (void)size; (void)value;
    snprintf(msg, sizeof msg, "fault: %s 0x%08" PRIx64 " (in the block at 0x%08" PRIx32 ")",
             type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT ? "write to"
             : type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT ? "fetch from" : "read from", addr, pc(r));
    if (r->stop == STOP_NONE) {
        r->stop = STOP_FAULT;
        snprintf(r->why, sizeof r->why, "%s", msg);
    }
    return false;
}

/* --------------------------------------------------------------- main -- */

static int usage(void)
{
    fprintf(stderr, "usage: apprun arm|rv32 APP.tbf [--max-insns N] [--input TEXT] [--press B@MS]...\n"
                    "              [--expect TEXT]... [--expect-exit N | --expect-fault | --expect-limit | --expect-idle]"
                    " [--trace]\n");
    return 2;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

#define CHECK_UC(call)                                                                \
    do {                                                                              \
        uc_err e_ = (call);                                                           \
        if (e_) {                                                                     \
            fprintf(stderr, "apprun: %s: %s\n", #call, uc_strerror(e_));              \
            return 2;                                                                 \
        }                                                                             \
    } while (0)

int main(int argc, char **argv)
{
    static struct run run;
    struct run *r = &run;
    const char *expect[16];
    unsigned nexpect = 0;
    enum stop want_stop = STOP_EXIT;
    uint32_t want_exit = 0;

    if (argc < 3)
        return usage();
    r->arch = !strcmp(argv[1], "arm") ? ARCH_ARM : !strcmp(argv[1], "rv32") ? ARCH_RV32 : (enum arch)-1;
    if ((int)r->arch < 0)
        return usage();
    r->max_insns = 200000000;
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--trace")) {
            r->trace = true;
        } else if (!strcmp(argv[i], "--expect-fault")) {
            want_stop = STOP_FAULT;
        } else if (!strcmp(argv[i], "--expect-limit")) {
            want_stop = STOP_LIMIT;
        } else if (!strcmp(argv[i], "--expect-idle")) {
            want_stop = STOP_IDLE;
        } else if (!v) {
            return usage();
        } else if (!strcmp(argv[i], "--max-insns")) {
            r->max_insns = strtoull(v, NULL, 0);
            i++;
        } else if (!strcmp(argv[i], "--input")) {
            r->input = v;
            i++;
        } else if (!strcmp(argv[i], "--expect")) {
            if (nexpect == 16)
                return usage();
            expect[nexpect++] = v;
            i++;
        } else if (!strcmp(argv[i], "--expect-exit")) {
            want_stop = STOP_EXIT;
            want_exit = (uint32_t)strtoul(v, NULL, 0);
            i++;
        } else if (!strcmp(argv[i], "--press")) {
            unsigned b;
            unsigned long ms;
            if (sscanf(v, "%u@%lu", &b, &ms) != 2 || r->npresses + 2 > MAX_EVENTS)
                return usage();
            r->presses[r->npresses++] = (struct press){ b, 0, true };
            r->presses[r->npresses - 1].at_cycles = ms;         /* converted below */
            r->presses[r->npresses++] = (struct press){ b, ms + 50, false };
            i++;
        } else {
            return usage();
        }
    }

    size_t len;
    uint8_t *tbf = read_all(argv[2], &len);
    struct tbf_info info;
    struct sim_error err;
    if (!tbf || tbf_parse(tbf, len, &info, &err) < 0 || !info.has_program) {
        fprintf(stderr, "apprun: %s: %s\n", argv[2], tbf ? err.msg : "cannot read");
        return 2;
    }

    /* Where the "kernel" puts the app. */
    uint32_t flash_map, flash_map_size, ram_base;
    if (r->arch == ARCH_ARM) {
        CHECK_UC(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &r->uc));
        CHECK_UC(uc_ctl_set_cpu_model(r->uc, UC_CPU_ARM_CORTEX_M4));
        r->cpu_hz = 64000000;
        r->tick_hz = 8388608;
        flash_map = 0x00000000;
        flash_map_size = 0x00100000;
        r->tbf_addr = 0x00040000;
        ram_base = 0x20010000;
    } else {
        CHECK_UC(uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &r->uc));
        CHECK_UC(uc_ctl_set_cpu_model(r->uc, UC_CPU_RISCV32_SIFIVE_E31));
        r->cpu_hz = 10000000;
        r->tick_hz = 10000000;
        flash_map = 0x80000000;
        flash_map_size = 0x00200000;
        r->tbf_addr = 0x80100000;
        ram_base = 0x80240000;
    }
    if (info.fixed && info.fixed_flash != TBF_NO_FIXED_ADDRESS)
        r->tbf_addr = info.fixed_flash - info.header_size - info.protected_trailer_size;
    if (info.fixed && info.fixed_ram != TBF_NO_FIXED_ADDRESS)
        ram_base = info.fixed_ram;
    for (unsigned i = 0; i < r->npresses; i++)
        r->presses[i].at_cycles = r->presses[i].at_cycles * r->cpu_hz / 1000;

    r->flash_start = r->tbf_addr;
    r->flash_end = r->tbf_addr + info.total_size;
    r->mem_start = ram_base;
    r->mem_len = (info.minimum_ram_size + 1024 + 4095) & ~4095u;    /* + kernel-owned top */
    r->brk_limit = r->mem_start + r->mem_len - 1024;
    r->app_brk = r->mem_start + (r->arch == ARCH_ARM ? 32 : 0);
    CHECK_UC(uc_mem_map(r->uc, flash_map, flash_map_size, UC_PROT_READ | UC_PROT_EXEC));
    CHECK_UC(uc_mem_write(r->uc, r->tbf_addr, tbf, info.total_size));
    CHECK_UC(uc_mem_map(r->uc, r->mem_start, r->mem_len, UC_PROT_READ | UC_PROT_WRITE));

    uc_hook h1, h2, h3;
    CHECK_UC(uc_hook_add(r->uc, &h1, UC_HOOK_CODE, (void *)on_insn, r, 1, 0));
    CHECK_UC(uc_hook_add(r->uc, &h2, UC_HOOK_INTR, (void *)on_intr, r, 1, 0));
    CHECK_UC(uc_hook_add(r->uc, &h3, UC_HOOK_MEM_INVALID, (void *)on_bad_mem, r, 1, 0));

    /* The start contract. */
    uint32_t app_start = r->tbf_addr + info.header_size + info.protected_trailer_size;
    uint32_t entry = r->tbf_addr + info.header_size + info.init_fn_offset;
    set_reg(r, 0, app_start);
    set_reg(r, 1, r->mem_start);
    set_reg(r, 2, r->mem_len);
    set_reg(r, 3, r->app_brk);
    uint32_t sp = r->mem_start;
    uc_reg_write(r->uc, r->arch == ARCH_ARM ? UC_ARM_REG_SP : UC_RISCV_REG_SP, &sp);

    uint64_t start = r->arch == ARCH_ARM ? (entry | 1) : entry;
    for (;;) {
        uc_err e = uc_emu_start(r->uc, start, 0, 0, 0);
        if (r->stop != STOP_NONE)
            break;
        if (e) {
            snprintf(r->why, sizeof r->why, "unicorn: %s at pc 0x%08" PRIx32, uc_strerror(e), pc(r));
            r->stop = e == UC_ERR_WRITE_UNMAPPED || e == UC_ERR_READ_UNMAPPED || e == UC_ERR_FETCH_UNMAPPED ||
                      e == UC_ERR_WRITE_PROT || e == UC_ERR_READ_PROT || e == UC_ERR_FETCH_PROT ? STOP_FAULT : STOP_ERROR;
            break;
        }
        start = pc(r) | (r->arch == ARCH_ARM ? 1 : 0);  /* a hook changed pc and stopped */
    }
    fprintf(stderr, "[apprun] %s: %s after %" PRIu64 " instructions, %" PRIu64 " ms; %u upcalls dropped\n",
            argv[2], r->why, r->insns, now_ms(r), r->dropped);

    int bad = 0;
    if (r->stop != want_stop || (want_stop == STOP_EXIT && r->exit_code != want_exit)) {
        fprintf(stderr, "[apprun] FAIL: unexpected end: %s\n", r->why);
        bad = 1;
    }
    r->out[r->nout] = 0;
    for (unsigned i = 0; i < nexpect; i++)
        if (!strstr(r->out, expect[i])) {
            fprintf(stderr, "[apprun] FAIL: output lacks \"%s\"\n", expect[i]);
            bad = 1;
        }
    uc_close(r->uc);
    free(tbf);
    return bad;
}
