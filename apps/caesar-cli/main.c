/* caesar-cli: a client of caesar-svc (or caesar-snoop). It shares one
 * 64-byte buffer (aligned to its size, so one MPU region covers it exactly),
 * sends each message with a shift, checks the reply, and shifts it back. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "services/ipc.h"
#include "sync/alarm_sync.h"
#include "sync/ipc_sync.h"
#include "tock.h"

#define TIMEOUT_MS 100

static uint8_t buf[64] __attribute__((aligned(64)));

static const struct {
    unsigned shift;
    const char *text;
} msgs[] = {
    { 13, "Hello, IPC world" },
    { 3, "The quick brown fox jumps over the lazy dog" },
    { 25, "Tock 0x10000" },
    { 1, "zZ" },
    { 7, "Process isolation" },
};

/* Asks the service to shift `text` by n; the result is in buf + 1. */
static int transform(int svc, unsigned n, const char *text)
{
    buf[0] = (uint8_t)n;
    size_t len = strlen(text);
    memcpy(buf + 1, text, len + 1);
    return ipc_sync_call(svc, TIMEOUT_MS);
}

static int find_service(void)
{
    int svc = ipc_discover("caesar-svc");
    return svc >= 0 ? svc : ipc_discover("caesar-snoop");
}

int main(void)
{
    int svc = find_service();
    if (svc < 0) {
        printf("caesar-cli: no caesar service: %s\n", tock_strerror(svc));
        return 1;
    }
    printf("caesar-cli: service is process %d; sharing %u bytes at %p\n", svc,
           (unsigned)sizeof(buf), (void *)buf);
    int rc = ipc_share(svc, buf, sizeof(buf));
    if (rc < 0) {
        printf("caesar-cli: share: %s\n", tock_strerror(rc));
        return 1;
    }
    alarm_sync_delay_ms(10);            /* let the service subscribe */
    unsigned ok = 0, failed = 0;
    for (unsigned i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        const char *text = msgs[i].text;
        unsigned n = msgs[i].shift;
        rc = transform(svc, n, text);
        if (rc < 0) {
            printf("caesar-cli: request %u: %s\n", i + 1, tock_strerror(rc));
            failed++;
            alarm_sync_delay_ms(50);
            continue;
        }
        char out[64];
        memcpy(out, buf + 1, sizeof(out) - 1);
        out[sizeof(out) - 1] = 0;
        rc = transform(svc, 26 - n, out);
        bool back = rc == 0 && strcmp((const char *)buf + 1, text) == 0;
        printf("caesar-cli: \"%s\" +%u -> \"%s\"%s\n", text, n, out,
               back ? ", and back" : ", but not back!");
        if (back)
            ok++;
        else
            failed++;
    }
    printf("caesar-cli: done: %u ok, %u failed\n", ok, failed);
    return 0;
}
