/* Byte lanes of a sub-word register access.
 *
 * Convention shared by the models in periph/ (and assumed of the bus): a
 * register is 32 bits wide; an access of r->size bytes at byte r->byte of
 * it uses byte lanes [r->byte, r->byte + r->size).
 *  - read() returns the whole register as if read as a word; the bus keeps
 *    the accessed lanes ((v >> 8 * byte) & size mask).
 *  - write() receives the value already in its lanes (val << 8 * byte);
 *    lanes outside the access are zero and must not be written.
 * Models whose registers have side effects per byte (ns16550) look at
 * r->byte and r->size; word-only models set min_access = max_access = 4. */
#ifndef PERIPH_LANES_H
#define PERIPH_LANES_H

#include "periph.h"

static inline uint32_t lanes_mask(const struct reg_ref *r)
{
    uint32_t m = r->size >= 4 ? 0xffffffffu : ((1u << (8 * r->size)) - 1);
    return m << (8 * r->byte);
}

/* old with the accessed lanes replaced by those of val. */
static inline uint32_t lanes_merge(uint32_t old, const struct reg_ref *r, uint32_t val)
{
    uint32_t m = lanes_mask(r);
    return (old & ~m) | (val & m);
}

/* True if the access covers byte `b` of the register. */
static inline bool lanes_has(const struct reg_ref *r, unsigned b)
{
    return b >= r->byte && b < (unsigned)r->byte + r->size;
}

#endif
