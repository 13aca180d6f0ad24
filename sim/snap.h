/* Snapshots: a versioned, little-endian byte format for the whole machine
 * state, written and read by small typed calls. The same bytes serve the
 * in-memory snapshots of reverse debugging (machine_snapshot into a
 * snap_buf) and the files of `--snapshot-out` / `--restore` (the buffer
 * written to disk, plus a checksum).
 *
 * Layout (every integer little-endian):
 *   header   "TOCKSNAP", u32 format version, u32 header length,
 *            str board, u64 cpu_hz, u64 cycle, u32 nimages,
 *            nimages x { str name, u64 size, u64 hash }
 *   section  u16 name length (1..255), name, u32 version, u64 payload length,
 *            payload (the fields a model wrote, in order, untagged)
 *   ...
 *   end      u16 0, u64 checksum of every byte before it (0 in memory)
 *   str = u32 length + bytes (no terminator).
 *
 * Each model owns one section keyed by its instance name, with its own
 * version: save = snap_begin(w, name, V) + fields + snap_end(w); load =
 * snap_open(r, name, V) + the same fields + snap_close(r). A reader that
 * meets a shorter or longer section than it expects, a version it does not
 * know, or any truncation, fails with one located message:
 *   "x.snap: section 'rtc1' at offset 0x1c0: truncated reading 'cc_blind'".
 * Field keys are not stored; they name the field in those messages.
 * Events are saved with their absolute `when` and queue sequence number and
 * re-armed by their owner on load (snap_event / snap_get_event), so that
 * ties at equal (when, prio) keep their order. */
#ifndef SIM_SNAP_H
#define SIM_SNAP_H

#include <stdio.h>

#include "common.h"
#include "evq.h"

struct counter;

#define SNAP_MAGIC "TOCKSNAP"
#define SNAP_FORMAT_VERSION 1u
#define SNAP_MAX_IMAGES 40
#define SNAP_MAX_SECTIONS 128

struct snap_buf {
    uint8_t *data;
    size_t len, cap;
};

void snap_buf_init(struct snap_buf *b);
void snap_buf_free(struct snap_buf *b);

/* ----------------------------------------------------------- writing -- */

struct snap_writer {
    struct snap_buf *buf;
    size_t sec_len_off;         /* where the open section's payload length goes */
    bool in_section;
    bool oom;
};

struct snap_image {
    char name[64];              /* file name, for messages */
    uint64_t size, hash;
};

struct snap_header {
    uint32_t format;
    char board[64];
    uint64_t cpu_hz;
    cycles_t now;
    unsigned nimages;
    struct snap_image images[SNAP_MAX_IMAGES];
};

/* Starts a snapshot in b (emptied first) with its header. */
void snap_writer_init(struct snap_writer *w, struct snap_buf *b, const struct snap_header *h);
/* Appends the end record; -1 if memory ran out somewhere. */
int snap_writer_finish(struct snap_writer *w);

void snap_begin(struct snap_writer *w, const char *name, uint32_t version);
void snap_end(struct snap_writer *w);
void snap_u8(struct snap_writer *w, const char *key, uint8_t v);
void snap_u16(struct snap_writer *w, const char *key, uint16_t v);
void snap_u32(struct snap_writer *w, const char *key, uint32_t v);
void snap_u64(struct snap_writer *w, const char *key, uint64_t v);
static inline void snap_bool(struct snap_writer *w, const char *key, bool v)
{
    snap_u8(w, key, v ? 1 : 0);
}
void snap_bytes(struct snap_writer *w, const char *key, const void *p, size_t n);
void snap_str(struct snap_writer *w, const char *key, const char *s);
void snap_u32s(struct snap_writer *w, const char *key, const uint32_t *a, size_t n);
void snap_u64s(struct snap_writer *w, const char *key, const uint64_t *a, size_t n);
void snap_bools(struct snap_writer *w, const char *key, const bool *a, size_t n);
/* pending, when, seq */
void snap_event(struct snap_writer *w, const char *key, const struct evq_event *ev);
/* everything but the CPU clock it was created with */
void snap_counter(struct snap_writer *w, const char *key, const struct counter *c);

/* ----------------------------------------------------------- reading -- */

struct snap_section {
    const char *name;
    unsigned name_len;
    uint32_t version;
    size_t off, size;           /* payload */
    bool used;
};

struct snap_reader {
    const uint8_t *data;
    size_t len;
    const char *src;            /* file name or "snapshot", for messages */
    struct snap_header hdr;
    struct snap_section sec[SNAP_MAX_SECTIONS];
    unsigned nsec;
    /* the open section */
    struct snap_section *cur;
    uint32_t version;
    size_t pos, end;
    bool bad;
    struct sim_error *err;
};

/* Checks the header and the section table (sizes, end record, and the
 * checksum if `check_sum`). The buffer must outlive the reader. */
int snap_reader_open(struct snap_reader *r, const uint8_t *data, size_t len, const char *src,
                     bool check_sum, struct sim_error *err);
/* Opens section `name`: its version must be 1..max_version. Returns the
 * version, or -1 (err filled: missing, or a version this code cannot read). */
int snap_open(struct snap_reader *r, const char *name, uint32_t max_version,
              struct sim_error *err);
/* Closes the open section: -1 if a read failed or bytes are left over. */
int snap_close(struct snap_reader *r);
/* The first section no snap_open asked for, NULL if none. */
const struct snap_section *snap_unused(const struct snap_reader *r);
const struct snap_section *snap_find(const struct snap_reader *r, const char *name);

uint8_t snap_get_u8(struct snap_reader *r, const char *key);
uint16_t snap_get_u16(struct snap_reader *r, const char *key);
uint32_t snap_get_u32(struct snap_reader *r, const char *key);
uint64_t snap_get_u64(struct snap_reader *r, const char *key);
bool snap_get_bool(struct snap_reader *r, const char *key);
void snap_get_bytes(struct snap_reader *r, const char *key, void *p, size_t n);
/* A pointer to the next n bytes of the section (NULL after a failure). */
const uint8_t *snap_get_span(struct snap_reader *r, const char *key, size_t n);
/* Into buf (cap bytes, NUL-terminated); a longer string is an error. */
void snap_get_str(struct snap_reader *r, const char *key, char *buf, size_t cap);
void snap_get_u32s(struct snap_reader *r, const char *key, uint32_t *a, size_t n);
void snap_get_u64s(struct snap_reader *r, const char *key, uint64_t *a, size_t n);
void snap_get_bools(struct snap_reader *r, const char *key, bool *a, size_t n);
/* Re-arms ev on q at its saved (when, seq), or cancels it. */
void snap_get_event(struct snap_reader *r, const char *key, struct evq *q,
                    struct evq_event *ev);
void snap_get_counter(struct snap_reader *r, const char *key, struct counter *c);
/* A value read is out of range for the model: fails the section with a
 * located message ("field 'presc': 0, expected 1..4096"). Returns -1. */
int snap_fail(struct snap_reader *r, const char *key, const char *fmt, ...) SIM_PRINTF(3, 4);

/* Word-wise FNV-style hash (image identity and file checksums). */
uint64_t snap_hash(const void *data, size_t len);

/* Files: the buffer plus its checksum; reading checks nothing but I/O. */
int snap_file_write(const char *path, struct snap_buf *b, struct sim_error *err);
int snap_file_read(const char *path, struct snap_buf *b, struct sim_error *err);

/* `tocksim info`: the header and one line per section. */
int snap_describe(const char *src, const uint8_t *data, size_t len, FILE *out,
                  struct sim_error *err);

#endif
