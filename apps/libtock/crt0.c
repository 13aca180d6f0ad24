/* Process start (TOCK.md §3.3): the kernel enters _start with
 *   r0/a0 = app_start (the first byte after the TBF header and trailer: our
 *           crt0 header), r1/a1 = memory_start, r2/a2 = memory_len,
 *   r3/a3 = initial app break, and the stack pointer at memory_start, which
 *   is not usable (it is the bottom of our memory). _start (assembly):
 *     1. brk to the end of .bss; exits with CRT0_EXIT_BRK if refused;
 *     2. sets the stack pointer to the top of .stack, tells the kernel where
 *        the stack and heap start (memop 10/11, debug only);
 *     3. Cortex-M: r9 = runtime address of the GOT (-msingle-pic-base);
 *     4. crt0_relocate(): copies .got/.data/.tdata from flash, zeroes
 *        .tbss/.bss, applies the R_ARM_RELATIVE relocations (PIC), returns
 *        the thread pointer;
 *     5. sets the thread pointer (RV32: tp; Cortex-M: tock_tls_tp, read by
 *        __aeabi_read_tp), lets libc_glue.c record the GOT for its stdio
 *        hooks (tock_stdio_init), calls main() and exit()s with its result.
 * RV32 apps are linked at fixed addresses: if the kernel did not put them
 * there, _start exits with CRT0_EXIT_WRONG_ADDRESS before touching memory. */
#include <stdint.h>

#include "tock.h"

#define CRT0_MAGIC 0x30617374u          /* "tsa0" */
#define CRT0_EXIT_BRK 0xC0DE0001u
#define CRT0_EXIT_WRONG_ADDRESS 0xC0DE0002u
#define CRT0_EXIT_BAD_HEADER 0xC0DE0003u

/* Filled in by app.ld; offsets are from the header (flash) or from the
 * start of RAM. */
struct crt0_header {
    uint32_t magic;
    uint32_t stack_top;         /* RAM: initial stack pointer */
    uint32_t data_load;         /* flash: load image of .got .data .tdata */
    uint32_t data_start;        /* RAM: where it goes */
    uint32_t data_size;
    uint32_t bss_start;         /* RAM: .tbss .bss, zeroed */
    uint32_t bss_size;
    uint32_t rel_start;         /* flash: Elf32_Rel entries */
    uint32_t rel_size;
    uint32_t got;               /* RAM: _GLOBAL_OFFSET_TABLE_ (r9) */
    uint32_t tls;               /* RAM: the TLS block (.tdata) */
    uint32_t ram_end;           /* RAM: end of .bss, start of the heap */
    uint32_t flash_link;        /* link address of this header */
    uint32_t ram_link;          /* link address of RAM offset 0 */
};

/* Offsets used by the assembly below. */
_Static_assert(__builtin_offsetof(struct crt0_header, stack_top) == 4, "crt0 header");
_Static_assert(__builtin_offsetof(struct crt0_header, got) == 36, "crt0 header");
_Static_assert(__builtin_offsetof(struct crt0_header, ram_end) == 44, "crt0 header");
_Static_assert(__builtin_offsetof(struct crt0_header, flash_link) == 48, "crt0 header");
_Static_assert(__builtin_offsetof(struct crt0_header, ram_link) == 52, "crt0 header");

#define R_ARM_RELATIVE 23u
#define ARM_TCB_SIZE 8u                 /* ARM EABI: tp points 8 bytes below the TLS block */

void *crt0_relocate(const struct crt0_header *h, uintptr_t mem);
int main(void);
void exit(int status) __attribute__((noreturn));

/* Runs before the data, the GOT and the thread pointer are set up, so it
 * touches no global (the compiler may still call memcpy/memset, which
 * touch none either). */
void *crt0_relocate(const struct crt0_header *h, uintptr_t mem)
{
    uintptr_t flash = (uintptr_t)h;
    const uint32_t *src = (const uint32_t *)(flash + h->data_load);
    uint32_t *dst = (uint32_t *)(mem + h->data_start);

    for (uint32_t i = 0; i < h->data_size / 4; i++)
        dst[i] = src[i];
    uint32_t *bss = (uint32_t *)(mem + h->bss_start);
    for (uint32_t i = 0; i < h->bss_size / 4; i++)
        bss[i] = 0;

    /* Position-independent apps: rebase every word the linker listed. A
     * value at or above the flash link address points into flash, below
     * it into RAM. Entries that patch flash cannot be applied (the packer
     * warns about them). */
    const uint32_t *rel = (const uint32_t *)(flash + h->rel_start);
    for (uint32_t i = 0; i + 1 < h->rel_size / 4; i += 2) {
        uint32_t where = rel[i], info = rel[i + 1];
        if ((info & 0xffu) != R_ARM_RELATIVE || where >= h->flash_link)
            continue;
        uint32_t *p = (uint32_t *)(mem + (where - h->ram_link));
        uint32_t v = *p;
        *p = v >= h->flash_link ? (uint32_t)(flash + (v - h->flash_link)) : (uint32_t)(mem + (v - h->ram_link));
    }
#if defined(__arm__)
    return (void *)(mem + h->tls - ARM_TCB_SIZE);
#else
    return (void *)(mem + h->tls);
#endif
}

#if defined(__arm__)

void *tock_tls_tp;                      /* the thread pointer __aeabi_read_tp returns */

__asm__(
    "    .syntax unified\n"
    "    .section .text._start, \"ax\", %progbits\n"
    "    .global _start\n"
    "    .type _start, %function\n"
    "    .thumb_func\n"
    "_start:\n"
    "    mov   r4, r0\n"                    /* r4 = header (app_start) */
    "    mov   r5, r1\n"                    /* r5 = memory_start */
    "    ldr   r6, [r4]\n"
    "    ldr   r7, =0x30617374\n"
    "    cmp   r6, r7\n"
    "    bne   3f\n"
    "    ldr   r1, [r4, #44]\n"             /* brk(memory_start + ram_end) */
    "    add   r1, r5\n"
    "    movs  r0, #0\n"
    "    svc   5\n"
    "    cmp   r0, #128\n"
    "    bne   1f\n"
    "    ldr   r0, [r4, #4]\n"              /* sp = memory_start + stack_top */
    "    add   r0, r5\n"
    "    bic   r0, r0, #7\n"
    "    mov   sp, r0\n"
    "    mov   r1, r0\n"                    /* memop 10: stack top */
    "    movs  r0, #10\n"
    "    svc   5\n"
    "    ldr   r1, [r4, #44]\n"             /* memop 11: heap start */
    "    add   r1, r5\n"
    "    movs  r0, #11\n"
    "    svc   5\n"
    "    ldr   r0, [r4, #36]\n"             /* r9 = GOT */
    "    add   r9, r5, r0\n"
    "    mov   r0, r4\n"
    "    mov   r1, r5\n"
    "    bl    crt0_relocate\n"
    "    ldr   r1, 4f\n"                    /* tock_tls_tp = r0 (through the GOT) */
    "    ldr   r1, [r9, r1]\n"
    "    str   r0, [r1]\n"
    "    bl    tock_stdio_init\n"
    "    bl    main\n"
    "    bl    exit\n"
    "1:  ldr   r1, =0xC0DE0001\n"           /* CRT0_EXIT_BRK */
    "    b     2f\n"
    "3:  ldr   r1, =0xC0DE0003\n"           /* CRT0_EXIT_BAD_HEADER */
    "2:  movs  r0, #0\n"
    "    svc   6\n"
    "    b     2b\n"
    "    .align 2\n"
    "4:  .word tock_tls_tp(GOT)\n"
    "    .ltorg\n"
    "    .size _start, . - _start\n"
    "\n"
    /* __aeabi_read_tp may change r0 only. */
    "    .section .text.__aeabi_read_tp, \"ax\", %progbits\n"
    "    .global __aeabi_read_tp\n"
    "    .type __aeabi_read_tp, %function\n"
    "    .thumb_func\n"
    "__aeabi_read_tp:\n"
    "    ldr   r0, 5f\n"
    "    ldr   r0, [r9, r0]\n"
    "    ldr   r0, [r0]\n"
    "    bx    lr\n"
    "    .align 2\n"
    "5:  .word tock_tls_tp(GOT)\n"
    "    .size __aeabi_read_tp, . - __aeabi_read_tp\n");

#elif defined(__riscv)

__asm__(
    "    .section .text._start, \"ax\", @progbits\n"
    "    .global _start\n"
    "    .type _start, @function\n"
    "_start:\n"
    "    mv    s0, a0\n"                    /* s0 = header (app_start) */
    "    mv    s1, a1\n"                    /* s1 = memory_start */
    "    lw    t0, 0(s0)\n"
    "    li    t1, 0x30617374\n"
    "    bne   t0, t1, 3f\n"
    "    lw    t0, 48(s0)\n"                /* linked where the kernel put us? */
    "    bne   t0, s0, 2f\n"
    "    lw    t0, 52(s0)\n"
    "    bne   t0, s1, 2f\n"
    "    lw    a1, 44(s0)\n"                /* brk(memory_start + ram_end) */
    "    add   a1, a1, s1\n"
    "    li    a0, 0\n"
    "    li    a4, 5\n"
    "    ecall\n"
    "    li    t0, 128\n"
    "    bne   a0, t0, 1f\n"
    "    lw    t0, 4(s0)\n"                 /* sp = memory_start + stack_top */
    "    add   t0, t0, s1\n"
    "    andi  sp, t0, -16\n"
    "    mv    a1, sp\n"                    /* memop 10: stack top */
    "    li    a0, 10\n"
    "    li    a4, 5\n"
    "    ecall\n"
    "    lw    a1, 44(s0)\n"                /* memop 11: heap start */
    "    add   a1, a1, s1\n"
    "    li    a0, 11\n"
    "    li    a4, 5\n"
    "    ecall\n"
    "    mv    a0, s0\n"
    "    mv    a1, s1\n"
    "    call  crt0_relocate\n"
    "    mv    tp, a0\n"
    "    call  tock_stdio_init\n"
    "    call  main\n"
    "    call  exit\n"
    "1:  li    a1, 0xC0DE0001\n"            /* CRT0_EXIT_BRK */
    "    j     4f\n"
    "2:  li    a1, 0xC0DE0002\n"            /* CRT0_EXIT_WRONG_ADDRESS */
    "    j     4f\n"
    "3:  li    a1, 0xC0DE0003\n"            /* CRT0_EXIT_BAD_HEADER */
    "4:  li    a0, 0\n"
    "    li    a4, 6\n"
    "    ecall\n"
    "    j     4b\n"
    "    .size _start, . - _start\n");

#endif
