/* Blocking console I/O (see console_sync.h). */
#include "console_sync.h"

#include "../syscalls/console_sys.h"

int console_sync_write(const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        int rc;
        if ((rc = console_sys_allow_write(p, len)) < 0)
            return rc;
        if ((rc = console_sys_write(len)) < 0) {
            console_sys_allow_write(NULL, 0);
            return rc;
        }
        struct tock_ret r = tock_yield_wait_for(CONSOLE_DRIVER, CONSOLE_SUB_WRITE);
        console_sys_allow_write(NULL, 0);
        size_t done = r.variant;                   /* (bytes_written, 0, 0) */
        if (done == 0 || done > len)
            return TOCK_EFAIL;
        p += done;
        len -= done;
    }
    return 0;
}

int console_sync_read(void *buf, size_t len, size_t *got)
{
    int rc;
    *got = 0;
    if ((rc = console_sys_allow_read(buf, len)) < 0)
        return rc;
    if ((rc = console_sys_read(len)) < 0) {
        console_sys_allow_read(NULL, 0);
        return rc;
    }
    struct tock_ret r = tock_yield_wait_for(CONSOLE_DRIVER, CONSOLE_SUB_READ);
    console_sys_allow_read(NULL, 0);
    int status = (int)r.variant;                   /* (status, bytes_read, 0) */
    *got = r.r1 <= len ? r.r1 : len;
    return status > 0 ? -status : status;
}

int console_sync_getchar(void)
{
    unsigned char c;
    size_t got;
    int rc = console_sync_read(&c, 1, &got);
    if (rc < 0)
        return rc;
    return got == 1 ? c : TOCK_EFAIL;
}
