/* Snapshots of a core: the "cpu" section holds what uc_common.c carries
 * from one block to the next (instruction count, the pending taken-branch
 * penalty and load/store pairing, the split and emulation state, WFI
 * sleep, interrupt polling) and the bus's pending MMIO fault; the core's own
 * section (arch->save/load, at the end of cortexm.c and rv32.c) holds the
 * registers. Snapshots are taken between runs, at an instruction boundary.
 *
 * A load drops Unicorn's translated code and our block costs for the memory
 * it rewrote (UNICORN.md §10: writes behind Unicorn's back do not
 * invalidate translations); code that did not change keeps its
 * translations, which are a function of the code bytes and the mode only.
 * (uc_ctl_remove_cache over all 4 GiB costs ~20 ms on ARM and does nothing
 * on RV32, whose address 0 is unmapped: the range is looked up by its first
 * address.) */
#include "cpu.h"

#include <string.h>

#include "../sim/snap.h"

#define CPU_SNAP_VERSION 1

void cpu_snapshot_save(struct cpu *c, struct snap_writer *w)
{
    snap_begin(w, "cpu", CPU_SNAP_VERSION);
    snap_str(w, "arch", c->arch->name);
    snap_u64(w, "insns", c->insns);
    snap_u32(w, "prev_end", c->prev_end);
    snap_u8(w, "prev_penalty", c->prev_penalty);
    snap_bool(w, "prev_last_ls", c->prev_last_ls);
    snap_bool(w, "prev_sync", c->prev_sync);
    snap_bool(w, "lazy_resync", c->lazy_resync);
    snap_u32(w, "blk_addr", c->blk_addr);
    snap_u64(w, "blk_start", c->blk_start);
    snap_u64(w, "blk_insns", c->blk_insns);
    snap_bool(w, "sleeping", c->sleeping);
    snap_bool(w, "resync", c->resync);
    snap_bool(w, "exec_check", c->exec_check);
    snap_bool(w, "stop_req", c->stop_req);
    snap_bool(w, "irq_check", c->irq_check);
    snap_bool(w, "irq_poll", c->irq_poll);
    snap_bool(w, "hook_stopped", c->hook_stopped);
    snap_bool(w, "split", c->split);
    snap_bool(w, "split_keep", c->split_keep);
    snap_bool(w, "emulate_pending", c->emulate_pending);
    snap_u32(w, "emulate_pc", c->emulate_pc);
    snap_u32(w, "native_pc", c->native_pc);
    snap_u32(w, "split_pc", c->split_pc);
    snap_u32(w, "split_size", c->split_size);
    snap_u32(w, "split_until", c->split_until);
    snap_u32(w, "sync_kind", (uint32_t)c->sync_kind);
    snap_u32(w, "sync_a", c->sync_a);
    snap_u32(w, "sync_b", c->sync_b);
    snap_bool(w, "fatal", c->fatal);
    snap_str(w, "fatal_msg", c->fatal_msg);
    snap_bool(w, "bus_fault_pending", c->bus->fault_pending);
    snap_u32(w, "bus_fault_addr", c->bus->fault_addr);
    snap_bool(w, "bus_fault_write", c->bus->fault_write);
    snap_end(w);
    c->arch->save(c, w);
}

void cpu_snapshot_invalidate(struct cpu *c)
{
    for (unsigned i = 0; i < c->snap_nchanged; i++)
        cpu_invalidate(c, c->snap_changed[i].addr, c->snap_changed[i].len);
    c->snap_nchanged = 0;
}

int cpu_snapshot_load(struct cpu *c, struct snap_reader *r, const struct cpu_range *changed,
                      unsigned nchanged, struct sim_error *err)
{
    char arch[32];
    int rc;

    /* the core first: restoring its registers may move the PC (cpu_jump),
     * which resets the block-to-block state restored below; it drops the
     * translations of the changed memory where it can (privileged) */
    c->snap_changed = changed;
    c->snap_nchanged = nchanged;
    rc = c->arch->load(c, r, err);
    cpu_snapshot_invalidate(c);         /* if the core did not */
    c->snap_changed = NULL;
    if (rc)
        return -1;
    if (snap_open(r, "cpu", CPU_SNAP_VERSION, err) < 0)
        return -1;
    snap_get_str(r, "arch", arch, sizeof arch);
    if (!r->bad && strcmp(arch, c->arch->name))
        return snap_fail(r, "arch", "'%s', this machine's core is '%s'", arch, c->arch->name);
    c->insns = snap_get_u64(r, "insns");
    c->prev_end = snap_get_u32(r, "prev_end");
    c->prev_penalty = snap_get_u8(r, "prev_penalty");
    c->prev_last_ls = snap_get_bool(r, "prev_last_ls");
    c->prev_sync = snap_get_bool(r, "prev_sync");
    c->lazy_resync = snap_get_bool(r, "lazy_resync");
    c->blk_addr = snap_get_u32(r, "blk_addr");
    c->blk_start = snap_get_u64(r, "blk_start");
    c->blk_insns = snap_get_u64(r, "blk_insns");
    c->sleeping = snap_get_bool(r, "sleeping");
    c->resync = snap_get_bool(r, "resync");
    c->exec_check = snap_get_bool(r, "exec_check");
    c->stop_req = snap_get_bool(r, "stop_req");
    c->irq_check = snap_get_bool(r, "irq_check");
    c->irq_poll = snap_get_bool(r, "irq_poll");
    c->hook_stopped = snap_get_bool(r, "hook_stopped");
    c->split = snap_get_bool(r, "split");
    c->split_keep = snap_get_bool(r, "split_keep");
    c->emulate_pending = snap_get_bool(r, "emulate_pending");
    c->emulate_pc = snap_get_u32(r, "emulate_pc");
    c->native_pc = snap_get_u32(r, "native_pc");
    c->split_pc = snap_get_u32(r, "split_pc");
    c->split_size = snap_get_u32(r, "split_size");
    c->split_until = snap_get_u32(r, "split_until");
    c->sync_kind = (int)snap_get_u32(r, "sync_kind");
    c->sync_a = snap_get_u32(r, "sync_a");
    c->sync_b = snap_get_u32(r, "sync_b");
    c->fatal = snap_get_bool(r, "fatal");
    snap_get_str(r, "fatal_msg", c->fatal_msg, sizeof c->fatal_msg);
    c->bus->fault_pending = snap_get_bool(r, "bus_fault_pending");
    c->bus->fault_addr = snap_get_u32(r, "bus_fault_addr");
    c->bus->fault_write = snap_get_bool(r, "bus_fault_write");
    return snap_close(r);
}
