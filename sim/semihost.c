#include "semihost.h"

#include <stdio.h>
#include <string.h>

#include "machine.h"
#include "sclock.h"
#include "../cpu/cpu.h"

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
    SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0A,
    SYS_FLEN = 0x0C, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
};
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void semihost_init(struct semihost *s, struct machine *m, struct cpu *cpu)
{
    s->m = m;
    s->cpu = cpu;
}

static uint32_t word(struct semihost *s, uint32_t addr, bool *ok)
{
    uint32_t v = 0;
    if (cpu_read_mem(s->cpu, addr, &v, 4))
        *ok = false;
    return v;
}

static void exit_with(struct semihost *s, uint32_t reason, uint32_t code)
{
    char why[96];
    int status = reason == ADP_STOPPED_APPLICATION_EXIT ? (int)code : 1;
    snprintf(why, sizeof why, "semihosting exit (reason 0x%x, code %u)", reason, code);
    machine_request_exit(s->m, status, why);
}

void semihost_call(struct semihost *s, uint32_t op, uint32_t arg, uint32_t *ret)
{
    bool ok = true;
    *ret = 0;

    switch (op) {
    case SYS_WRITEC: {
        uint8_t ch;
        if (cpu_read_mem(s->cpu, arg, &ch, 1) == 0)
            machine_console_write(s->m, &ch, 1);
        break;
    }
    case SYS_WRITE0: {
        uint8_t buf[256];
        for (uint32_t a = arg;;) {
            unsigned n = 0;
            while (n < sizeof buf && cpu_read_mem(s->cpu, a + n, &buf[n], 1) == 0 && buf[n])
                n++;
            machine_console_write(s->m, buf, n);
            if (n < sizeof buf)
                break;
            a += n;
        }
        break;
    }
    case SYS_WRITE: {
        uint32_t fh = word(s, arg, &ok), addr = word(s, arg + 4, &ok), len = word(s, arg + 8, &ok);
        uint8_t buf[256];
        uint32_t done = 0;
        if (!ok || (fh != 1 && fh != 2)) {
            *ret = len;             /* nothing written */
            break;
        }
        while (done < len) {
            uint32_t n = len - done > sizeof buf ? sizeof buf : len - done;
            if (cpu_read_mem(s->cpu, addr + done, buf, n))
                break;
            machine_console_write(s->m, buf, n);
            done += n;
        }
        *ret = len - done;
        break;
    }
    case SYS_OPEN: {
        /* ":tt" is the console: hand out 1 (stdout) for writes, 0 for reads */
        uint32_t name = word(s, arg, &ok), mode = word(s, arg + 4, &ok);
        char tt[4] = "";
        cpu_read_mem(s->cpu, name, tt, 3);
        *ret = ok && strcmp(tt, ":tt") == 0 ? (mode >= 4 ? 1u : 0u) : 0xFFFFFFFFu;
        break;
    }
    case SYS_CLOSE: case SYS_ISERROR: case SYS_SEEK: case SYS_ERRNO: case SYS_TIME:
        break;
    case SYS_ISTTY:
        *ret = 1;
        break;
    case SYS_READ: case SYS_READC: case SYS_FLEN:
        *ret = 0xFFFFFFFFu;
        break;
    case SYS_CLOCK: {
        struct cpu *c = s->cpu;
        *ret = (uint32_t)(sclock_cycles_to_ns(c->q->now, c->cpu_hz) / 10000000u);
        break;
    }
    case SYS_ELAPSED: {
        /* 64-bit count of target ticks: here, core cycles (exact) */
        uint32_t words[2] = { (uint32_t)s->cpu->q->now, (uint32_t)(s->cpu->q->now >> 32) };
        *ret = cpu_write_mem(s->cpu, arg, words, sizeof words) ? 0xFFFFFFFFu : 0;
        break;
    }
    case SYS_TICKFREQ:
        *ret = (uint32_t)s->cpu->cpu_hz;
        break;
    case SYS_GET_CMDLINE: {
        uint32_t buf = word(s, arg, &ok);
        uint8_t z = 0;
        uint32_t zero = 0;
        cpu_write_mem(s->cpu, buf, &z, 1);
        cpu_write_mem(s->cpu, arg + 4, &zero, 4);
        break;
    }
    case SYS_HEAPINFO: {
        uint32_t block = word(s, arg, &ok), zeros[4] = { 0, 0, 0, 0 };
        if (ok)
            cpu_write_mem(s->cpu, block, zeros, sizeof zeros);
        break;
    }
    case SYS_EXIT:
        /* AArch32: r1 is the reason itself */
        exit_with(s, arg, 0);
        break;
    case SYS_EXIT_EXTENDED: {
        uint32_t reason = word(s, arg, &ok), code = word(s, arg + 4, &ok);
        exit_with(s, reason, code);
        break;
    }
    default:
        TRACE(s->cpu->tr, TR_UNIMP, "semihosting operation 0x%x not modelled", op);
        *ret = 0xFFFFFFFFu;
        break;
    }
}
