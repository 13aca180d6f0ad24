/* SiFive test finisher ("sifive,test0"), as on QEMU's `virt` at 0x100000.
 *
 * Models: the one register at offset 0. A write of status | code << 16 with
 * status 0x5555 (pass) ends the run with exit status 0, 0x3333 (fail) with
 * exit status `code` (QEMU exits with `code` too, so fail with code 0 is a
 * pass there and here), 0x7777 (reset) ends the run with exit status
 * cfg.reset_status and a note that a guest reset is not modelled. Any other
 * value is a guest error and is ignored, as on QEMU. Reads return 0.
 * Exits go through machine_request_exit(), so they take effect at the next
 * instruction boundary. Accesses of 2 or 4 bytes (a 16-bit write sets only
 * the status: code 0). */
#ifndef PERIPH_SIFIVE_TEST_H
#define PERIPH_SIFIVE_TEST_H

#include "periph.h"

struct sifive_test_cfg {
    int reset_status;           /* exit status for a reset request (0) */
};

enum { SIFIVE_TEST_FINISHER, SIFIVE_TEST_NREGS };

#define SIFIVE_TEST_FAIL  0x3333
#define SIFIVE_TEST_PASS  0x5555
#define SIFIVE_TEST_RESET 0x7777

struct sifive_test {
    struct periph dev;
    struct sifive_test_cfg cfg;
};

extern const struct periph_model sifive_test_model;

#endif
