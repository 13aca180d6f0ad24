/* The kernel core on the host (os/kernel/: loader, process, grant,
 * dispatch): app discovery from a flash image, the start contract, and
 * every system call class with its exact return registers. Process memory
 * is mapped below 4 GiB (MAP_32BIT) so that 32-bit addresses work; the
 * architecture (UKB), MPU and chip are fakes. */
#include <check.h>
#include <string.h>
#include <sys/mman.h>
#include "check_tap.h"
#include "kernel/kernel.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"

#define FLASH_SIZE  0x10000u
#define RAM_SIZE    0x20000u

static uint8_t *flash, *ram;
static uint32_t flash_addr, ram_addr;

/* ---------------------------------------------------------------- fakes -- */

static int fu_init(struct ukb_state *s, uint32_t ms, uint32_t brk) { (void)ms; (void)brk; memset(s, 0, sizeof(*s)); return 0; }
static int fu_set_upcall(struct ukb_state *s, uint32_t ms, uint32_t brk, uint32_t fn, const uint32_t a[4])
{
    (void)ms; (void)brk;
    s->w[10] = fn;
    memcpy(&s->w[11], a, 16);
    return 0;
}
static int fu_set_return(struct ukb_state *s, uint32_t ms, uint32_t brk, const uint32_t r[4])
{
    (void)ms; (void)brk;
    memcpy(s->w, r, 16);
    s->w[4]++;                      /* count of returns */
    return 0;
}
static enum ukb_reason fu_switch(struct ukb_state *s, uint32_t ms, uint32_t brk, struct ukb_syscall *sc)
{
    (void)s; (void)ms; (void)brk; (void)sc;
    return UKB_INTERRUPTED;
}
static void fu_print(const struct ukb_state *s, uint32_t ms, uint32_t brk, struct k_writer *w) { (void)s; (void)ms; (void)brk; (void)w; }
static uint32_t fu_sp(const struct ukb_state *s) { (void)s; return 0; }
static const struct hil_ukb_ops fu_ops = { fu_init, fu_set_upcall, fu_set_return, fu_switch, fu_print, fu_sp };
static const struct hil_ukb fake_ukb = { &fu_ops, 0 };

static int fm_alloc(struct hil_mpu *m, uint32_t fs, uint32_t fsz, uint32_t fixed, uint32_t min,
                    uint32_t app, uint32_t kern, uint32_t *start, uint32_t *size, struct hil_mpu_config *c)
{
    (void)m; (void)app; (void)kern;
    uint32_t s = fixed ? fixed : k_align_up(fs, 256);
    uint32_t sz = k_align_up(min, 256);
    if (s + sz > fs + fsz)
        return K_ENOMEM;
    *start = s;
    *size = sz;
    c->w[0] = s;
    return 0;
}
static int fm_update(struct hil_mpu *m, uint32_t brk, uint32_t kbrk, struct hil_mpu_config *c)
{
    (void)m;
    if (brk > kbrk)
        return K_ENOMEM;
    c->w[1] = brk;
    return 0;
}
static int fm_flash(struct hil_mpu *m, uint32_t s, uint32_t sz, struct hil_mpu_config *c) { (void)m; (void)s; (void)sz; (void)c; return 0; }
static uint32_t fm_end(struct hil_mpu *m, const struct hil_mpu_config *c) { (void)m; return c->w[1]; }
/* fm_slots (up to two) extra regions in w[2..5] as (start, end); a start that
 * is not 4-aligned does not fit. */
static unsigned fm_slots;
static int fm_add(struct hil_mpu *m, uint32_t s, uint32_t sz, struct hil_mpu_config *c, unsigned *r)
{
    (void)m;
    if (s & 3)
        return K_ENOMEM;
    for (unsigned i = 0; i < fm_slots; i++) {
        if (c->w[2 + 2 * i] == c->w[3 + 2 * i]) {
            c->w[2 + 2 * i] = s;
            c->w[3 + 2 * i] = s + sz;
            *r = i;
            return 0;
        }
    }
    return K_ENOMEM;
}
static void fm_remove(struct hil_mpu *m, unsigned r, struct hil_mpu_config *c)
{
    (void)m;
    ck_assert_uint_lt(r, 2);
    ck_assert_uint_ne(c->w[2 + 2 * r], c->w[3 + 2 * r]);    /* removes only what was added */
    c->w[2 + 2 * r] = c->w[3 + 2 * r] = 0;
}
static void fm_cfg(struct hil_mpu *m, const struct hil_mpu_config *c) { (void)m; (void)c; }
static void fm_dis(struct hil_mpu *m) { (void)m; }
static void fm_print(struct hil_mpu *m, const struct hil_mpu_config *c, struct k_writer *w) { (void)m; (void)c; (void)w; }
static const struct hil_mpu_ops fm_ops = { fm_alloc, fm_update, fm_flash, fm_end, fm_add, fm_remove,
                                           fm_cfg, fm_dis, fm_print };
static struct hil_mpu fake_mpu = { &fm_ops };

static bool fc_pending(struct hil_chip *c) { (void)c; return false; }
static void fc_service(struct hil_chip *c) { (void)c; }
static const struct hil_chip_ops fc_ops = { fc_pending, fc_service, fc_service, NULL, NULL };
static struct hil_chip fake_chip = { &fc_ops };

/* A driver with 2 upcalls, 1 RO and 1 RW allow, and a 16-byte grant. */
static struct k_grant drv_grant = { .driver_num = 0x10, .size = 16 };
static struct k_ret drv_command(struct k_driver *d, struct k_process *p, uint32_t c, uint32_t a0, uint32_t a1)
{
    (void)d; (void)p; (void)a1;
    if (c == 0)
        return k_ret_success();
    if (c == 1)
        return k_ret_success_u32(a0 + 1);
    if (c == 2)
        return k_ret_success_u64(0x0102030405060708ull);
    return k_ret_failure(K_ENOSUPPORT);
}
static struct k_driver drv = { .num = 0x10, .num_upcalls = 2, .num_allow_ro = 1, .num_allow_rw = 1,
                               .grant = &drv_grant, .command = drv_command };
static struct k_ipc ipc;
static struct k_driver *const drivers[] = { &drv, &ipc.driver };

static struct k_process procs[4];
static struct k_kernel kern;

/* ------------------------------------------------------------- TBF image -- */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* An app at flash offset `off`: header with Main and a package name. */
static uint32_t put_app(uint32_t off, uint32_t total, uint32_t flags, const char *name, bool bad)
{
    uint8_t *b = flash + off;
    memset(b, 0, total);
    put16(b, 2);
    put32(b + 4, total);
    put32(b + 8, flags);
    uint32_t hs = 16;
    put16(b + hs, 1);
    put16(b + hs + 2, 12);
    put32(b + hs + 4, 0);           /* init at the binary's first byte */
    put32(b + hs + 8, 0);
    put32(b + hs + 12, 2048);       /* minimum RAM */
    hs += 16;
    if (name) {
        uint16_t n = (uint16_t)strlen(name);
        put16(b + hs, 3);
        put16(b + hs + 2, n);
        memcpy(b + hs + 4, name, n);
        hs += 4 + ((n + 3u) & ~3u);
    }
    put16(b + 2, (uint16_t)hs);
    put32(b + 12, tbf_checksum(b, hs) ^ (bad ? 1u : 0u));
    return off + total;
}

static void setup(void)
{
    if (!flash) {
        uint8_t *m = mmap(NULL, FLASH_SIZE + RAM_SIZE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        ck_assert(m != MAP_FAILED);
        flash = m;
        ram = m + FLASH_SIZE;
        flash_addr = (uint32_t)(uintptr_t)flash;
        ram_addr = (uint32_t)(uintptr_t)ram;
    }
    memset(flash, 0, FLASH_SIZE);
    memset(ram, 0xCC, RAM_SIZE);
    uint32_t off = put_app(0, 1024, 1, "alpha", false);
    off = put_app(off, 512, 1, "broken", true);      /* bad checksum: skipped */
    off = put_app(off, 512, 0, "off", false);        /* disabled */
    off = put_app(off, 256, 1, NULL, false);
    flash[off - 256 + 16] = 0;                       /* turn the last one into padding: */
    memset(flash + off - 256, 0, 256);
    put16(flash + off - 256, 2);
    put16(flash + off - 256 + 2, 16);
    put32(flash + off - 256 + 4, 256);
    put32(flash + off - 256 + 12, tbf_checksum(flash + off - 256, 16));
    put_app(off, 1024, 1, "beta", false);

    memset(&kern, 0, sizeof(kern));
    memset(procs, 0, sizeof(procs));
    memset(&drv_grant, 0, sizeof(drv_grant));
    drv_grant = (struct k_grant){ .driver_num = 0x10, .size = 16 };
    kern = (struct k_kernel){
        .board_name = "host", .procs = procs, .max_procs = 4, .drivers = drivers, .ndrivers = 2,
        .chip = &fake_chip, .ukb = &fake_ukb, .mpu = &fake_mpu,
        .fault_policy = K_FAULT_STOP,
        .apps_flash_start = flash_addr, .apps_flash_size = FLASH_SIZE,
        .apps_ram_start = ram_addr, .apps_ram_size = RAM_SIZE,
    };
    k_grant_register(&kern, &drv_grant);
    k_ipc_init(&ipc, &kern);
    fm_slots = 2;
    k_kernel_load(&kern);
}

static struct k_process *P(unsigned i) { return &procs[i]; }

/* Make a system call; returns the process's r0-r3 afterwards (registers a
 * return variant does not use keep the call's arguments). */
static const uint32_t *sys(struct k_process *p, uint32_t cls, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    struct ukb_syscall sc = { cls, { a0, a1, a2, a3 } };
    memset(p->ctx.w, 0xEE, 16);
    p->state = K_PROC_RUNNING;
    k_handle_syscall(&kern, p, &sc);
    return p->ctx.w;
}

#define REGS(r, e0, e1, e2, e3) do {                   \
        ck_assert_uint_eq((r)[0], (e0));               \
        ck_assert_uint_eq((r)[1], (e1));               \
        ck_assert_uint_eq((r)[2], (e2));               \
        ck_assert_uint_eq((r)[3], (e3));               \
    } while (0)

/* ----------------------------------------------------------------- tests -- */

START_TEST(test_discovery_and_start)
{
    ck_assert_uint_eq(kern.nprocs, 2);
    ck_assert_str_eq(P(0)->name, "alpha");
    ck_assert_str_eq(P(1)->name, "beta");
    ck_assert_uint_eq(P(0)->flash_start, flash_addr);
    ck_assert_uint_eq(P(1)->flash_start, flash_addr + 1024 + 512 + 512 + 256);
    ck_assert_uint_eq(P(0)->mem_start, ram_addr);
    ck_assert(P(1)->mem_start >= P(0)->mem_end);
    ck_assert_uint_eq(P(0)->state, K_PROC_YIELDED);
    /* the start task: init(app_start, mem_start, mem_len, app_brk) */
    const struct k_task *t = k_upq_at(&P(0)->tasks, 0);
    ck_assert_uint_eq(k_upq_count(&P(0)->tasks), 1);
    ck_assert_uint_eq(t->fn, P(0)->flash_start + P(0)->tbf.header_size);
    ck_assert_uint_eq(t->args[0], P(0)->app_start);
    ck_assert_uint_eq(t->args[1], P(0)->mem_start);
    ck_assert_uint_eq(t->args[2], P(0)->mem_end - P(0)->mem_start);
    ck_assert_uint_eq(t->appdata, P(0)->app_brk);
    ck_assert_uint_eq(ram[0], 0);                   /* memory zeroed */
    ck_assert(k_process_ready(P(0)));
}
END_TEST

START_TEST(test_subscribe)
{
    struct k_process *p = P(0);
    uint32_t fn = p->app_start + 0x21;
    const uint32_t *r = sys(p, K_SYS_SUBSCRIBE, 0x10, 0, fn, 0x55);
    REGS(r, 130, 0, 0, 0x55);
    r = sys(p, K_SYS_SUBSCRIBE, 0x10, 0, fn + 2, 0x66);
    REGS(r, 130, fn, 0x55, 0x66);
    r = sys(p, K_SYS_SUBSCRIBE, 0x99, 0, fn, 0x77);
    REGS(r, 2, K_ENODEVICE, fn, 0x77);
    r = sys(p, K_SYS_SUBSCRIBE, 0x10, 2, fn, 0x77);
    REGS(r, 2, K_ENOSUPPORT, fn, 0x77);
    r = sys(p, K_SYS_SUBSCRIBE, 0x10, 1, ram_addr, 0x77);     /* not in its flash */
    REGS(r, 2, K_EINVAL, ram_addr, 0x77);
    r = sys(p, K_SYS_SUBSCRIBE, 0x10, 1, 0, 0);              /* Null upcall is fine */
    REGS(r, 130, 0, 0, 0);
    /* a successful subscribe drops queued upcalls of that id only */
    struct k_task t;
    k_upq_pop(&p->tasks, &t);
    k_upcall_schedule(p, 0x10, 0, 1, 2, 3);
    k_upcall_schedule(p, 0x10, 1, 4, 5, 6);
    k_upcall_schedule(p, 0x10, 0, 7, 8, 9);
    ck_assert_uint_eq(k_upq_at(&p->tasks, 0)->fn, fn + 2);
    ck_assert_uint_eq(k_upq_at(&p->tasks, 0)->appdata, 0x66);
    sys(p, K_SYS_SUBSCRIBE, 0x10, 0, fn, 0);
    ck_assert_uint_eq(k_upq_count(&p->tasks), 1);
    ck_assert_uint_eq(k_upq_at(&p->tasks, 0)->args[0], 4);
    /* a failed one does not */
    sys(p, K_SYS_SUBSCRIBE, 0x10, 1, 0x4, 0);
    ck_assert_uint_eq(k_upq_count(&p->tasks), 1);
}
END_TEST

START_TEST(test_allow)
{
    struct k_process *p = P(0);
    sys(p, K_SYS_MEMOP, 0, p->mem_start + 1024, 0, 0);      /* brk */
    uint32_t buf = p->mem_start + 512;
    const uint32_t *r = sys(p, K_SYS_ALLOW_RW, 0x10, 0, buf, 64);
    REGS(r, 130, 0, 0, 64);
    r = sys(p, K_SYS_ALLOW_RW, 0x10, 0, buf + 8, 8);
    REGS(r, 130, buf, 64, 8);
    r = sys(p, K_SYS_ALLOW_RW, 0x10, 0, p->mem_start + 1000, 100);  /* past the break */
    REGS(r, 2, K_EINVAL, p->mem_start + 1000, 100);
    r = sys(p, K_SYS_ALLOW_RW, 0x10, 0, p->flash_start, 4);  /* RW from flash */
    REGS(r, 2, K_EINVAL, p->flash_start, 4);
    r = sys(p, K_SYS_ALLOW_RO, 0x10, 0, p->flash_start, 4);  /* RO from flash */
    REGS(r, 130, 0, 0, 4);
    r = sys(p, K_SYS_ALLOW_RO, 0x10, 1, buf, 4);
    REGS(r, 2, K_ENOSUPPORT, buf, 4);
    r = sys(p, K_SYS_ALLOW_RW, 0x11, 0, buf, 4);
    REGS(r, 2, K_ENODEVICE, buf, 4);
    r = sys(p, K_SYS_ALLOW_UR, 0x10, 0, buf, 4);
    REGS(r, 2, K_ENOSUPPORT, buf, 4);
    r = sys(p, K_SYS_ALLOW_RW, 0x10, 0, 0x12, 0);            /* zero length: anywhere */
    REGS(r, 130, buf + 8, 8, 0);
    /* the kernel reads and writes through it */
    uint32_t ptr, len;
    ck_assert(!k_allow_get(p, K_ALLOW_RW, 0x10, 0, &ptr, &len));
    sys(p, K_SYS_ALLOW_RW, 0x10, 0, buf, 4);
    ck_assert_uint_eq(k_allow_write(p, 0x10, 0, 2, "xyz", 3), 2);
    ck_assert(memcmp(ram + (buf - ram_addr), "\0\0xy", 4) == 0);
    /* brk may not go below an allowed buffer */
    r = sys(p, K_SYS_MEMOP, 0, buf + 2, 0, 0);
    REGS(r, 0, K_ENOMEM, 0, 0);
}
END_TEST

START_TEST(test_memop)
{
    struct k_process *p = P(0);
    const uint32_t *r = sys(p, K_SYS_MEMOP, 1, 0, 0, 0);      /* sbrk(0) */
    REGS(r, 129, p->mem_start, 0, 0);
    r = sys(p, K_SYS_MEMOP, 1, 256, 0, 0);
    REGS(r, 129, p->mem_start, 0, 0);
    ck_assert_uint_eq(p->app_brk, p->mem_start + 256);
    r = sys(p, K_SYS_MEMOP, 1, (uint32_t)-512, 0, 0);         /* below the start */
    REGS(r, 0, K_ENOMEM, 0, 0);
    r = sys(p, K_SYS_MEMOP, 0, p->mem_end, 0, 0);
    REGS(r, 0, K_ENOMEM, 0, 0);
    r = sys(p, K_SYS_MEMOP, 2, 0, 0, 0);
    ck_assert_uint_eq(r[1], p->mem_start);
    r = sys(p, K_SYS_MEMOP, 3, 0, 0, 0);
    ck_assert_uint_eq(r[1], p->mem_end);
    r = sys(p, K_SYS_MEMOP, 4, 0, 0, 0);
    ck_assert_uint_eq(r[1], p->flash_start);
    r = sys(p, K_SYS_MEMOP, 5, 0, 0, 0);
    ck_assert_uint_eq(r[1], p->flash_start + 1024);
    r = sys(p, K_SYS_MEMOP, 6, 0, 0, 0);
    ck_assert_uint_eq(r[1], p->kernel_brk);
    r = sys(p, K_SYS_MEMOP, 7, 0, 0, 0);
    REGS(r, 129, 0, 0, 0);
    r = sys(p, K_SYS_MEMOP, 8, 0, 0, 0);
    REGS(r, 0, K_EFAIL, 0, 0);
    r = sys(p, K_SYS_MEMOP, 10, p->mem_start + 100, 0, 0);
    REGS(r, 128, p->mem_start + 100, 0, 0);
    ck_assert_uint_eq(p->stack_start_dbg, p->mem_start + 100);
    r = sys(p, K_SYS_MEMOP, 12, 0, 0, 0);
    REGS(r, 0, K_ENOSUPPORT, 0, 0);
}
END_TEST

START_TEST(test_grants_and_brk)
{
    struct k_process *p = P(1);
    uint32_t kb = p->kernel_brk;
    uint8_t *g = k_grant_enter(p, &drv_grant);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq((uint32_t)(uintptr_t)g, kb - 16);
    ck_assert_uint_eq(p->kernel_brk, kb - 16);
    ck_assert_uint_eq(g[0], 0);
    ck_assert_ptr_eq(k_grant_enter(p, &drv_grant), g);
    ck_assert_ptr_eq(k_grant_get(p, &drv_grant), g);
    const uint32_t *r = sys(p, K_SYS_MEMOP, 0, p->kernel_brk + 4, 0, 0);
    REGS(r, 0, K_ENOMEM, 0, 0);
    r = sys(p, K_SYS_MEMOP, 0, p->kernel_brk, 0, 0);
    ck_assert_uint_eq(r[0], 128);
}
END_TEST

START_TEST(test_command)
{
    struct k_process *p = P(0);
    const uint32_t *r = sys(p, K_SYS_COMMAND, 0x10, 1, 41, 7);
    REGS(r, 129, 42, 41, 7);
    r = sys(p, K_SYS_COMMAND, 0x10, 2, 0, 0);
    REGS(r, 131, 0x05060708, 0x01020304, 0);
    r = sys(p, K_SYS_COMMAND, 0x10, 9, 0, 0);
    REGS(r, 0, K_ENOSUPPORT, 0, 0);
    r = sys(p, K_SYS_COMMAND, 0x42, 0, 5, 6);
    REGS(r, 0, K_ENODEVICE, 5, 6);
    ck_assert_uint_eq(p->syscall_count, 4);
}
END_TEST

START_TEST(test_yield)
{
    struct k_process *p = P(0);
    struct k_task t;
    k_upq_pop(&p->tasks, &t);
    uint32_t flag = p->mem_start + 4;
    sys(p, K_SYS_MEMOP, 0, p->mem_start + 64, 0, 0);
    ram[4] = 0xAA;
    sys(p, K_SYS_YIELD, 0, flag, 0, 0);
    ck_assert_uint_eq(ram[4], 0);
    ck_assert_uint_eq(p->state, K_PROC_RUNNING);            /* returns at once */
    ck_assert_uint_eq(p->ctx.w[0], 0xEEEEEEEE);             /* no return registers */
    k_upcall_schedule(p, 0x10, 1, 0, 0, 0);                  /* Null upcall */
    sys(p, K_SYS_YIELD, 0, flag, 0, 0);
    ck_assert_uint_eq(ram[4], 0);
    sys(p, K_SYS_SUBSCRIBE, 0x10, 0, p->app_start + 1, 0);
    k_upcall_schedule(p, 0x10, 0, 0, 0, 0);
    sys(p, K_SYS_YIELD, 0, flag, 0, 0);
    ck_assert_uint_eq(ram[4], 1);
    ck_assert_uint_eq(p->state, K_PROC_YIELDED);
    sys(p, K_SYS_YIELD, 2, 0x10, 1, 0);
    ck_assert_uint_eq(p->state, K_PROC_YIELDED_FOR);
    ck_assert(k_process_ready(p));                          /* (0x10, 1) is queued */
    sys(p, K_SYS_YIELD, 2, 0x10, 3, 0);
    ck_assert(!k_process_ready(p));
    sys(p, K_SYS_YIELD, 1, 0, 0, 0);
    ck_assert_uint_eq(p->state, K_PROC_YIELDED);
    sys(p, K_SYS_YIELD, 7, 0, 0, 0);                          /* unknown: fault */
    ck_assert_uint_eq(p->state, K_PROC_FAULTED);
    ck_assert(p->completion_faulted);
}
END_TEST

START_TEST(test_exit_and_restart)
{
    struct k_process *p = P(0), *q = P(1);
    const uint32_t *r = sys(p, K_SYS_EXIT, 2, 5, 0, 0);
    REGS(r, 0, K_ENOSUPPORT, 0, 0);
    uint32_t id = q->id;
    k_grant_enter(q, &drv_grant);
    sys(q, K_SYS_EXIT, 1, 3, 0, 0);
    ck_assert_uint_eq(q->state, K_PROC_YIELDED);
    ck_assert_uint_eq(q->restart_count, 1);
    ck_assert_uint_ne(q->id, id);
    ck_assert_uint_eq(q->completion_code, 3);
    ck_assert_ptr_null(k_grant_get(q, &drv_grant));          /* grants freed */
    ck_assert_uint_eq(k_upq_count(&q->tasks), 1);            /* init queued again */
    sys(p, K_SYS_EXIT, 0, 42, 0, 0);
    ck_assert_uint_eq(p->state, K_PROC_TERMINATED);
    ck_assert_uint_eq(p->completion_code, 42);
    ck_assert(!p->completion_faulted);
    ck_assert(!k_process_ready(p));
    ck_assert_int_eq(k_upcall_schedule(p, 0x10, 0, 0, 0, 0), K_EOFF);
    sys(q, 99, 0, 0, 0, 0);                                  /* unknown class: fault */
    ck_assert_uint_eq(q->state, K_PROC_FAULTED);
}
END_TEST

START_TEST(test_restart_policy)
{
    kern.fault_policy = K_FAULT_RESTART;
    kern.restart_threshold = 2;
    struct k_process *p = P(0);
    for (int i = 0; i < 2; i++) {
        k_process_fault(p);
        ck_assert_uint_eq(p->state, K_PROC_YIELDED);
    }
    k_process_fault(p);
    ck_assert_uint_eq(p->state, K_PROC_FAULTED);
    ck_assert_uint_eq(p->restart_count, 2);
}
END_TEST

/* ------------------------------------------------------------------ IPC -- */

/* RO-allow name (copied into alpha's RAM) and discover. */
static const uint32_t *discover(struct k_process *p, const char *name)
{
    uint32_t buf = p->mem_start + 256;
    memcpy(ram + (buf - ram_addr), name, strlen(name));
    sys(p, K_SYS_ALLOW_RO, K_IPC_DRIVER, 0, buf, (uint32_t)strlen(name));
    return sys(p, K_SYS_COMMAND, K_IPC_DRIVER, 1, 0, 0);
}

START_TEST(test_ipc_discover)
{
    struct k_process *a = P(0);
    sys(a, K_SYS_MEMOP, 0, a->mem_start + 1024, 0, 0);
    const uint32_t *r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 0, 0, 0);
    REGS(r, 128, 0, 0, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 1, 0, 0);             /* nothing allowed */
    REGS(r, 0, K_EINVAL, 0, 0);
    r = discover(a, "beta");
    REGS(r, 129, 1, 0, 0);
    r = discover(a, "alpha");
    REGS(r, 129, 0, 0, 0);
    r = discover(a, "bet");                                       /* exact names only */
    REGS(r, 0, K_ENODEVICE, 0, 0);
    r = discover(a, "betaa");
    REGS(r, 0, K_ENODEVICE, 0, 0);
    r = discover(a, "off");                                       /* not loaded */
    REGS(r, 0, K_ENODEVICE, 0, 0);
    sys(a, K_SYS_ALLOW_RO, K_IPC_DRIVER, 0, 0, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 1, 0, 0);             /* empty name */
    REGS(r, 0, K_ENODEVICE, 0, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 4, 0, 0);
    REGS(r, 0, K_ENOSUPPORT, 0, 0);
    ck_assert_int_eq(k_ipc_find(&kern, "beta", 4), 1);
    ck_assert_int_eq(k_ipc_find(&kern, "beta", 3), -1);
    ck_assert_int_eq(k_ipc_find(&kern, "", 0), -1);
    /* subscribe numbers and allow numbers are process indexes */
    r = sys(a, K_SYS_SUBSCRIBE, K_IPC_DRIVER, 3, a->app_start + 1, 0);
    REGS(r, 130, 0, 0, 0);
    r = sys(a, K_SYS_SUBSCRIBE, K_IPC_DRIVER, 4, a->app_start + 1, 0);
    REGS(r, 2, K_ENOSUPPORT, a->app_start + 1, 0);
    r = sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 4, a->mem_start + 512, 4);
    REGS(r, 2, K_ENOSUPPORT, a->mem_start + 512, 4);
}
END_TEST

START_TEST(test_ipc_notify)
{
    struct k_process *a = P(0), *b = P(1);
    struct k_task t;
    k_upq_pop(&a->tasks, &t);
    k_upq_pop(&b->tasks, &t);
    sys(a, K_SYS_MEMOP, 0, a->mem_start + 1024, 0, 0);
    uint32_t fa = a->app_start + 1, fb = b->app_start + 1;
    sys(b, K_SYS_SUBSCRIBE, K_IPC_DRIVER, 1, fb, 0xB);           /* service: its own index */
    sys(a, K_SYS_SUBSCRIBE, K_IPC_DRIVER, 1, fa, 0xA);           /* client: the service's */
    /* no shared buffer: (from, 0, 0) */
    const uint32_t *r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 128, 2, 1, 0);
    ck_assert(k_upq_take(&b->tasks, K_IPC_DRIVER, 1, &t));
    ck_assert_uint_eq(t.fn, fb);
    ck_assert_uint_eq(t.appdata, 0xB);
    ck_assert_uint_eq(t.args[0], 0);
    ck_assert_uint_eq(t.args[1], 0);
    ck_assert_uint_eq(t.args[2], 0);
    /* a shared buffer: its address and length, and the service may access it */
    uint32_t buf = a->mem_start + 512;
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, buf, 64);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 128, 2, 1, 0);
    ck_assert(k_upq_take(&b->tasks, K_IPC_DRIVER, 1, &t));
    ck_assert_uint_eq(t.args[0], 0);
    ck_assert_uint_eq(t.args[1], 64);
    ck_assert_uint_eq(t.args[2], buf);
    const struct k_shared_region *sr = k_process_shared_region(b, a);
    ck_assert_ptr_nonnull(sr);
    ck_assert_uint_eq(sr->start, buf);
    ck_assert_uint_eq(sr->size, 64);
    ck_assert_uint_eq(b->mpu.w[2], buf);
    ck_assert_uint_eq(b->mpu.w[3], buf + 64);
    ck_assert_ptr_null(k_process_shared_region(a, b));           /* not the other way */
    /* notify again with the same buffer: the same region */
    sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    ck_assert_uint_eq(b->mpu.w[4], b->mpu.w[5]);
    k_upq_take(&b->tasks, K_IPC_DRIVER, 1, &t);
    /* the service answers: the client's upcall is the service's index */
    r = sys(b, K_SYS_COMMAND, K_IPC_DRIVER, 3, 0, 0);
    REGS(r, 128, 3, 0, 0);
    ck_assert(k_upq_take(&a->tasks, K_IPC_DRIVER, 1, &t));
    ck_assert_uint_eq(t.fn, fa);
    ck_assert_uint_eq(t.args[0], 1);
    ck_assert_uint_eq(t.args[1], 0);
    ck_assert_uint_eq(t.args[2], 0);
    /* re-allowing the same buffer keeps the access, another one ends it */
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, buf, 64);
    ck_assert_ptr_nonnull(k_process_shared_region(b, a));
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, buf, 32);
    ck_assert_ptr_null(k_process_shared_region(b, a));
    ck_assert_uint_eq(b->mpu.w[3], 0);
    /* a buffer the MPU cannot cover: NOMEM, nothing queued, no access */
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, buf + 1, 16);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 0, K_ENOMEM, 1, 0);
    ck_assert(!k_upq_has(&b->tasks, K_IPC_DRIVER, 1));
    ck_assert_ptr_null(k_process_shared_region(b, a));
    /* unsharing (length 0): (from, 0, 0) again */
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, 0, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 128, 2, 1, 0);
    ck_assert(k_upq_take(&b->tasks, K_IPC_DRIVER, 1, &t));
    ck_assert_uint_eq(t.args[1], 0);
    ck_assert_uint_eq(t.args[2], 0);
}
END_TEST

START_TEST(test_ipc_errors)
{
    struct k_process *a = P(0), *b = P(1);
    sys(a, K_SYS_MEMOP, 0, a->mem_start + 1024, 0, 0);
    const uint32_t *r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 2, 0);  /* no process 2 */
    REGS(r, 0, K_EINVAL, 2, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 3, 99, 0);
    REGS(r, 0, K_EINVAL, 99, 0);
    /* to oneself: accepted, never delivered (as Tock) */
    unsigned n = k_upq_count(&a->tasks);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 0, 0);
    REGS(r, 128, 2, 0, 0);
    ck_assert_uint_eq(k_upq_count(&a->tasks), n);
    /* a full queue: NOMEM and a dropped upcall */
    while (k_upq_count(&b->tasks) < K_UPCALL_QUEUE_LEN)
        ck_assert_uint_eq(sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0)[0], 128);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 0, K_ENOMEM, 1, 0);
    ck_assert_uint_eq(b->dropped_upcalls, 1);
    /* no MPU region left: NOMEM */
    struct k_task t;
    while (k_upq_pop(&b->tasks, &t))
        ;
    fm_slots = 0;
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, a->mem_start + 512, 32);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    REGS(r, 0, K_ENOMEM, 1, 0);
    ck_assert_uint_eq(k_upq_count(&b->tasks), 0);
    /* a process that is not running: NODEVICE */
    sys(b, K_SYS_EXIT, 0, 0, 0, 0);
    r = sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 3, 1, 0);
    REGS(r, 0, K_ENODEVICE, 1, 0);
}
END_TEST

START_TEST(test_ipc_access_ends)
{
    struct k_process *a = P(0), *b = P(1);
    sys(a, K_SYS_MEMOP, 0, a->mem_start + 1024, 0, 0);
    sys(b, K_SYS_MEMOP, 0, b->mem_start + 1024, 0, 0);
    /* each shares with the other */
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, a->mem_start + 512, 32);
    sys(b, K_SYS_ALLOW_RW, K_IPC_DRIVER, 0, b->mem_start + 512, 32);
    sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    sys(b, K_SYS_COMMAND, K_IPC_DRIVER, 3, 0, 0);
    ck_assert_ptr_nonnull(k_process_shared_region(b, a));
    ck_assert_ptr_nonnull(k_process_shared_region(a, b));
    /* alpha restarts: beta loses alpha's memory, alpha its own regions */
    sys(a, K_SYS_EXIT, 1, 0, 0, 0);
    ck_assert_ptr_null(k_process_shared_region(b, a));
    ck_assert_ptr_null(k_process_shared_region(a, b));
    ck_assert_uint_eq(b->mpu.w[3], 0);
    ck_assert_uint_eq(a->mpu.w[3], 0);
    /* a fault ends it too */
    sys(a, K_SYS_MEMOP, 0, a->mem_start + 1024, 0, 0);
    sys(a, K_SYS_ALLOW_RW, K_IPC_DRIVER, 1, a->mem_start + 512, 32);
    sys(a, K_SYS_COMMAND, K_IPC_DRIVER, 2, 1, 0);
    ck_assert_ptr_nonnull(k_process_shared_region(b, a));
    k_process_fault(a);
    ck_assert_ptr_null(k_process_shared_region(b, a));
}
END_TEST

static Suite *syscall_suite(void)
{
    Suite *s = suite_create("os_syscalls");
    TCase *tc = tcase_create("kernel");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_discovery_and_start);
    tcase_add_test(tc, test_subscribe);
    tcase_add_test(tc, test_allow);
    tcase_add_test(tc, test_memop);
    tcase_add_test(tc, test_grants_and_brk);
    tcase_add_test(tc, test_command);
    tcase_add_test(tc, test_yield);
    tcase_add_test(tc, test_exit_and_restart);
    tcase_add_test(tc, test_restart_policy);
    tcase_add_test(tc, test_ipc_discover);
    tcase_add_test(tc, test_ipc_notify);
    tcase_add_test(tc, test_ipc_errors);
    tcase_add_test(tc, test_ipc_access_ends);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(syscall_suite());
}
