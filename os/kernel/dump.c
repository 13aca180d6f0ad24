#include "kernel/dump.h"
#include "kernel/kernel.h"

static const char *class_name(uint32_t c)
{
    static const char *const names[] = {
        "Yield", "Subscribe", "Command", "ReadWriteAllow", "ReadOnlyAllow",
        "Memop", "Exit", "UserspaceReadableAllow",
    };
    return c < ARRAY_LEN(names) ? names[c] : "Unknown";
}

static void last_syscall(struct k_process *p, struct k_writer *w)
{
    if (!p->has_last_syscall) {
        k_wputs(w, " Last Syscall: None\r\n");
        return;
    }
    const uint32_t *a = p->last_syscall.args;
    k_wprintf(w, " Last Syscall: %s { %#x, %#x, %#x, %#x }\r\n",
              class_name(p->last_syscall.class_id), (unsigned)a[0], (unsigned)a[1],
              (unsigned)a[2], (unsigned)a[3]);
}

static const char *exceeded(uint32_t size, uint32_t allocated)
{
    return size > allocated ? " EXCEEDED!" : "          ";
}

void k_dump_process(struct k_process *p, struct k_writer *w)
{
    struct k_kernel *k = p->kernel;
    /* In Tock these sit at the top of the process's RAM; ours live in the
     * kernel's control block, so they take no room here. */
    uint32_t grant_start = p->kernel_brk;
    uint32_t grant_size = p->mem_end - grant_start;

    k_wprintf(w, "\xf0\x9d\x90\x80\xf0\x9d\x90\xa9\xf0\x9d\x90\xa9: %s   -   [%s]\r\n",
              p->name, k_proc_state_name(p->state));
    k_wprintf(w, " Events Queued: %u   Syscall Count: %u   Dropped Upcall Count: %u\r\n",
              k_upq_count(&p->tasks), (unsigned)p->syscall_count, (unsigned)p->dropped_upcalls);
    k_wprintf(w, " Restart Count: %u\r\n", (unsigned)p->restart_count);
    last_syscall(p, w);
    if (!p->has_completion)
        k_wputs(w, " Completion Code: None\r\n");
    else if (p->completion_faulted)
        k_wputs(w, " Completion Code: Faulted\r\n");
    else
        k_wprintf(w, " Completion Code: %d\r\n", (int)p->completion_code);

    k_wputs(w, "\r\n\r\n \xe2\x95\x94\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90"
               "\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\x90\xe2\x95\xa4");
    for (int i = 0; i < 42; i++)
        k_wputs(w, "\xe2\x95\x90");
    k_wputs(w, "\xe2\x95\x97\r\n \xe2\x95\x91  Address  \xe2\x94\x82 Region Name    Used | Allocated (bytes)  \xe2\x95\x91\r\n");
    k_wprintf(w, " \xe2\x95\x9a%#010X\xe2\x95\x90\xe2\x95\xaa", (unsigned)p->mem_end);
    for (int i = 0; i < 42; i++)
        k_wputs(w, "\xe2\x95\x90");
    k_wputs(w, "\xe2\x95\x9d\r\n");

#define BAR "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80" \
            "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
#define RULE BAR BAR BAR "\xe2\x94\x80"
#define VL "\xe2\x94\x82"
#define CROSS "\xe2\x94\xbc"
    k_wprintf(w, "             " VL " Grant Ptrs   %6u\r\n", 0u);
    k_wprintf(w, "             " VL " Upcalls      %6u\r\n", 0u);
    k_wprintf(w, "             " VL " Process      %6u\r\n", 0u);
    k_wprintf(w, "  %#010X " CROSS RULE "\r\n", (unsigned)p->mem_end);
    k_wprintf(w, "             " VL " \xe2\x96\xbc Grant      %6u\r\n", (unsigned)grant_size);
    k_wprintf(w, "  %#010X " CROSS RULE "\r\n", (unsigned)grant_start);
    k_wputs(w, "             " VL " Unused\r\n");
    k_wprintf(w, "  %#010X " CROSS RULE, (unsigned)p->app_brk);

    uint32_t heap = p->heap_start_dbg, stack = p->stack_start_dbg;
    if (heap && heap >= p->mem_start && heap <= p->app_brk) {
        k_wprintf(w, "\r\n             " VL " \xe2\x96\xb2 Heap       %6u | %6u%s     S",
                  (unsigned)(p->app_brk - heap), (unsigned)(grant_start - heap),
                  exceeded(p->app_brk - heap, grant_start - heap));
        k_wprintf(w, "\r\n  %#010X " CROSS RULE " R", (unsigned)heap);
    } else {
        k_wputs(w, "\r\n             " VL " \xe2\x96\xb2 Heap            ? |      ?               S");
        k_wputs(w, "\r\n  ?????????? " CROSS RULE " R");
    }
    if (heap && stack && heap >= stack)
        k_wprintf(w, "\r\n             " VL " Data         %6u | %6u               A",
                  (unsigned)(heap - stack), (unsigned)(heap - stack));
    else
        k_wputs(w, "\r\n             " VL " Data              ? |      ?               A");
    uint32_t sp = k->ukb->ops->stack_pointer(&p->ctx);
    if (stack && stack >= p->mem_start) {
        k_wprintf(w, "\r\n  %#010X " CROSS RULE " M", (unsigned)stack);
        k_wprintf(w, "\r\n             " VL " \xe2\x96\xbc Stack      %6u | %6u%s",
                  (unsigned)(stack - sp), (unsigned)(stack - p->mem_start),
                  exceeded(stack - sp, stack - p->mem_start));
    } else {
        k_wputs(w, "\r\n  ?????????? " CROSS RULE " M");
        k_wputs(w, "\r\n             " VL " \xe2\x96\xbc Stack           ? |      ?");
    }
    k_wprintf(w, "\r\n  %#010X " CROSS RULE, (unsigned)sp);
    k_wputs(w, "\r\n             " VL " Unused");
    k_wprintf(w, "\r\n  %#010X \xe2\x94\xb4" RULE, (unsigned)p->mem_start);
    k_wputs(w, "\r\n             .....");
    k_wprintf(w, "\r\n  %#010X \xe2\x94\xac" RULE " F", (unsigned)p->flash_end);
    k_wprintf(w, "\r\n             " VL " App Flash    %6u                        L",
              (unsigned)(p->flash_end - p->app_start));
    k_wprintf(w, "\r\n  %#010X " CROSS RULE " A", (unsigned)p->app_start);
    k_wprintf(w, "\r\n             " VL " Protected    %6u                        S",
              (unsigned)(p->app_start - p->flash_start));
    k_wprintf(w, "\r\n  %#010X \xe2\x94\xb4" RULE " H\r\n", (unsigned)p->flash_start);

    k->ukb->ops->print(&p->ctx, p->mem_start, p->app_brk, w);

    k_wprintf(w, "\r\n Total number of grant regions defined: %u\r\n", k->ngrants);
    unsigned rows = (k->ngrants + 2) / 3;
    for (unsigned r = 0; r < rows; r++) {
        for (unsigned c = 0; c < 3; c++) {
            unsigned i = r + rows * c;
            if (i >= k->ngrants)
                break;
            if (p->grant_ptr[i])
                k_wprintf(w, "  Grant %2u %#x: %#x", i, (unsigned)k->grants[i]->driver_num,
                          (unsigned)p->grant_ptr[i]);
            else
                k_wprintf(w, "  Grant %2u : --        ", i);
        }
        k_wputs(w, "\r\n");
    }
    k->mpu->ops->print(k->mpu, &p->mpu, w);
    k_wputs(w, "\r\n");
}
