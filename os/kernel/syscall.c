#include "kernel/syscall.h"

void k_ret_encode(const struct k_ret *r, uint32_t regs[4])
{
    switch (r->variant) {
    case K_RET_FAILURE:
        regs[0] = r->variant;
        regs[1] = r->err;
        break;
    case K_RET_FAILURE_U32:
        regs[0] = r->variant;
        regs[1] = r->err;
        regs[2] = r->v[0];
        break;
    case K_RET_FAILURE_2U32:
    case K_RET_FAILURE_U64:
        regs[0] = r->variant;
        regs[1] = r->err;
        regs[2] = r->v[0];
        regs[3] = r->v[1];
        break;
    case K_RET_SUCCESS:
        regs[0] = r->variant;
        break;
    case K_RET_SUCCESS_U32:
        regs[0] = r->variant;
        regs[1] = r->v[0];
        break;
    case K_RET_SUCCESS_2U32:
    case K_RET_SUCCESS_U64:
        regs[0] = r->variant;
        regs[1] = r->v[0];
        regs[2] = r->v[1];
        break;
    case K_RET_SUCCESS_3U32:
    case K_RET_SUCCESS_U32_U64:
        regs[0] = r->variant;
        regs[1] = r->v[0];
        regs[2] = r->v[1];
        regs[3] = r->v[2];
        break;
    case K_RET_YIELD_WAIT_FOR:
        regs[0] = r->v[0];
        regs[1] = r->v[1];
        regs[2] = r->v[2];
        break;
    default:                    /* not a variant: report a kernel failure */
        regs[0] = K_RET_FAILURE;
        regs[1] = K_EFAIL;
        break;
    }
}
