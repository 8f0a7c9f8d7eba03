/*
 * storage/rowcodec.h — the binary form of a batch of rows, as stored in stream log records.
 *
 * Layout (little-endian):
 *     u32 magic 'S' 'R' 'B' 0x01      u32 nrows      u32 ncols      u8 type[ncols]   (SlType)
 *     then per row: a NULL bitmap of (ncols + 7) / 8 bytes (bit c of byte c / 8 set = NULL;
 *     unused high bits zero) followed by each non-NULL column: BOOL 1 byte (0/1); BIGINT,
 *     DOUBLE (IEEE bits), TIMESTAMP, INTERVAL 8 bytes; TEXT u32 length + bytes.
 * A column of TYPE_UNKNOWN may only hold NULLs.
 *
 * Decoding checks every length against the payload and rejects anything malformed (truncated,
 * trailing bytes, bad magic/type/bool, non-zero padding bits) with XX001 data_corrupted; it
 * never reads outside the payload.
 *
 * INTERFACE
 *   rowcodec_encode   append the encoding of nrows x ncols Values (row-major) to a Buf
 *   rowcodec_peek     read nrows/ncols from a payload's header
 *   rowcodec_decode   decode a payload into an arena-allocated Value array
 */
#ifndef SL_ROWCODEC_H
#define SL_ROWCODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/value.h"

struct Arena;
struct Buf;
struct SqlError;

#define ROWCODEC_MAX_COLS 65535u

typedef struct RowBatch {
    uint32_t nrows;
    uint32_t ncols;
    const SlType *types;   /* ncols column types */
    Value *rows;           /* nrows * ncols, row-major: rows[r * ncols + c] */
} RowBatch;

/*
 * Append the encoding of `rows` (nrows * ncols Values, row-major; borrowed) with column types
 * `types` to `out`. A non-NULL Value must have its column's type. Returns 0, or -1 with err set
 * (XX000 for a type mismatch, 54000 for too many columns); `out` is then left as it was.
 */
int rowcodec_encode(struct Buf *out, const SlType *types, uint32_t ncols, const Value *rows,
                    uint32_t nrows, struct SqlError *err);

/* Read the header of payload `p` (n bytes). Returns 0, or -1 with XX001 when it is malformed. */
int rowcodec_peek(const void *p, size_t n, uint32_t *nrows, uint32_t *ncols,
                  struct SqlError *err);

/*
 * Decode payload `p` (n bytes). When `types` is not NULL the payload must have exactly those
 * `ncols` column types (else XX001). The Value array (and out->types) is allocated in `a`; TEXT
 * values point into `p` (zero-copy: the caller keeps `p` alive as long as the values) unless
 * `copy_text`, in which case they are copied into `a`. Returns 0, or -1 with err set and *out
 * undefined.
 */
int rowcodec_decode(const void *p, size_t n, const SlType *types, uint32_t ncols,
                    struct Arena *a, bool copy_text, RowBatch *out, struct SqlError *err);

#endif
