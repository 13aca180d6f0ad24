/* Asynchronous console (see console.h). */
#include "console.h"

#include "../syscalls/console_sys.h"

static struct {
    console_fn write_fn, read_fn;
    void *write_ud, *read_ud;
} st;

/* Write done: (bytes_written, 0, 0). */
static void write_done(int written, int unused1, int unused2, void *ud)
{
    console_fn fn = st.write_fn;
    (void)unused1; (void)unused2; (void)ud;
    console_sys_allow_write(NULL, 0);
    st.write_fn = NULL;
    if (fn)
        fn(0, (size_t)written, st.write_ud);
}

/* Read done: (status, bytes_read, 0). */
static void read_done(int status, int n, int unused, void *ud)
{
    console_fn fn = st.read_fn;
    (void)unused; (void)ud;
    console_sys_allow_read(NULL, 0);
    st.read_fn = NULL;
    if (fn)
        fn(status > 0 ? -status : status, (size_t)n, st.read_ud);
}

int console_write(const void *buf, size_t len, console_fn fn, void *ud)
{
    int rc;
    if (st.write_fn)
        return TOCK_EBUSY;
    if ((rc = console_sys_subscribe_write(write_done, NULL)) < 0 ||
        (rc = console_sys_allow_write(buf, len)) < 0)
        return rc;
    st.write_fn = fn;
    st.write_ud = ud;
    if ((rc = console_sys_write(len)) < 0) {
        st.write_fn = NULL;
        console_sys_allow_write(NULL, 0);
    }
    return rc;
}

int console_read(void *buf, size_t len, console_fn fn, void *ud)
{
    int rc;
    if (st.read_fn)
        return TOCK_EBUSY;
    if ((rc = console_sys_subscribe_read(read_done, NULL)) < 0 ||
        (rc = console_sys_allow_read(buf, len)) < 0)
        return rc;
    st.read_fn = fn;
    st.read_ud = ud;
    if ((rc = console_sys_read(len)) < 0) {
        st.read_fn = NULL;
        console_sys_allow_read(NULL, 0);
    }
    return rc;
}

int console_abort_read(void)
{
    return console_sys_abort_read();
}
