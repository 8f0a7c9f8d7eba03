/*
 * common/bytes.h — little-endian integers in byte buffers, and a bounds-
 * checked reader: the one implementation the on-disk formats share (stream
 * log records, row encoding, catalog snapshots, checkpoints).
 *
 * INTERFACE
 *   le_put_u32 / le_put_u64 / le_get_u32 / le_get_u64   fixed-width little-endian values
 *   br_take / br_u32 / br_u64                          reads that never run past the end:
 *                                                      a short read sets r->bad and yields 0
 */
#ifndef SL_BYTES_H
#define SL_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void
le_put_u32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, 4);
}

static inline void
le_put_u64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

static inline uint32_t
le_get_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t
le_get_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

typedef struct ByteReader {
    const unsigned char *p, *end;
    bool bad;
} ByteReader;

static inline const void *
br_take(ByteReader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const void *q = r->p;
    r->p += n;
    return q;
}

static inline uint32_t
br_u32(ByteReader *r)
{
    const void *q = br_take(r, 4);
    return q ? le_get_u32(q) : 0;
}

static inline uint64_t
br_u64(ByteReader *r)
{
    const void *q = br_take(r, 8);
    return q ? le_get_u64(q) : 0;
}

#endif
