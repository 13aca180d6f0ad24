#include "fake_kernel.h"
#include <string.h>

struct fake_kernel fk;

void fk_reset(unsigned nprocs)
{
    memset(&fk, 0, sizeof(fk));
    fk.k.procs = fk.procs;
    fk.k.max_procs = FK_PROCS;
    fk.k.nprocs = nprocs;
    for (unsigned i = 0; i < nprocs; i++) {
        fk.procs[i].index = i;
        fk.procs[i].id = 100 + i;
        fk.procs[i].kernel = &fk.k;
        fk.procs[i].state = K_PROC_YIELDED;
    }
}

int k_grant_register(struct k_kernel *k, struct k_grant *g)
{
    g->index = (uint8_t)k->ngrants++;
    g->registered = true;
    return 0;
}

void *k_grant_get(struct k_process *p, struct k_grant *g)
{
    if (!k_process_alive(p) || !p->grant_ptr[g->index])
        return NULL;
    return fk.grant_mem[p->index][g->index];
}

void *k_grant_enter(struct k_process *p, struct k_grant *g)
{
    if (!k_process_alive(p))
        return NULL;
    p->grant_ptr[g->index] = 1;
    return fk.grant_mem[p->index][g->index];
}

unsigned k_num_processes(struct k_kernel *k)
{
    return k->nprocs;
}

struct k_process *k_process_at(struct k_kernel *k, unsigned i)
{
    return i < k->nprocs ? &k->procs[i] : NULL;
}

int k_upcall_schedule(struct k_process *p, uint32_t driver, uint32_t subnum,
                      uint32_t a0, uint32_t a1, uint32_t a2)
{
    if (!k_process_alive(p))
        return K_EOFF;
    if (fk.nlog < FK_LOG)
        fk.log[fk.nlog++] = (struct fk_upcall){ p->index, driver, subnum, a0, a1, a2 };
    return 0;
}

bool k_allow_get(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                 uint32_t *ptr, uint32_t *len)
{
    (void)driver;
    (void)num;
    *ptr = fk.allow_buf[p->index][kind] ? 0x1000 : 0;
    *len = fk.allow_len[p->index][kind];
    return *len != 0;
}

size_t k_allow_read(struct k_process *p, enum k_allow_kind kind, uint32_t driver, uint32_t num,
                    uint32_t off, void *dst, size_t n)
{
    (void)driver;
    (void)num;
    uint32_t len = fk.allow_len[p->index][kind];
    if (off >= len)
        return 0;
    n = n < len - off ? n : len - off;
    memcpy(dst, fk.allow_buf[p->index][kind] + off, n);
    return n;
}

size_t k_allow_write(struct k_process *p, uint32_t driver, uint32_t num, uint32_t off,
                     const void *src, size_t n)
{
    (void)driver;
    (void)num;
    uint32_t len = fk.allow_len[p->index][K_ALLOW_RW];
    if (off >= len)
        return 0;
    n = n < len - off ? n : len - off;
    memcpy(fk.allow_buf[p->index][K_ALLOW_RW] + off, src, n);
    return n;
}
