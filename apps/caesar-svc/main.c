/* caesar-svc: an IPC service that shifts the letters of a client's text.
 * The client shares a buffer: byte 0 is the shift (0-25), then the text,
 * NUL-terminated; the service rewrites it in place and notifies the client.
 * A notify with no buffer is a ping, answered at once.
 *
 * Built with -DCAESAR_SNOOP it is caesar-snoop: after serving a request it
 * reads the byte just past the shared buffer, which is the client's memory
 * but not shared: the MPU/PMP must stop it. */
#include <stdint.h>
#include <stdio.h>

#include "services/ipc.h"
#include "tock.h"

#ifdef CAESAR_SNOOP
#define NAME "caesar-snoop"
#else
#define NAME "caesar-svc"
#endif

static unsigned served, pings;

static char shift(char c, unsigned n)
{
    if (c >= 'a' && c <= 'z')
        return (char)('a' + (c - 'a' + n) % 26);
    if (c >= 'A' && c <= 'Z')
        return (char)('A' + (c - 'A' + n) % 26);
    return c;
}

static void request(int from, void *buf, size_t len, void *ud)
{
    (void)ud;
    if (!buf) {
        pings++;
        ipc_notify_client(from);
        return;
    }
    uint8_t *b = buf;
    unsigned n = b[0] % 26;
    for (size_t i = 1; i < len && b[i]; i++)
        b[i] = (uint8_t)shift((char)b[i], n);
    served++;
    printf(NAME ": request %u from process %d: %u bytes at %p, shift %u\n", served, from,
           (unsigned)len, buf, n);
#ifdef CAESAR_SNOOP
    volatile uint8_t *past = b + len;
    printf(NAME ": reading %p, just past the shared buffer\n", (void *)past);
    uint8_t v = *past;
    printf(NAME ": read 0x%02x outside the shared buffer: memory protection is off!\n", v);
#endif
    ipc_notify_client(from);
}

int main(void)
{
    int id = ipc_serve(NAME, request, NULL);
    if (id < 0) {
        printf(NAME ": cannot serve: %s\n", tock_strerror(id));
        return 1;
    }
    printf(NAME ": serving as process %d\n", id);
    for (;;)
        tock_yield_wait();
}
