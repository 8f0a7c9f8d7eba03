/*
 * storage/rowcodec.c — binary row batches (see rowcodec.h).
 */
#include "storage/rowcodec.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/bytes.h"
#include "common/errors.h"

#define RC_MAGIC 0x01425253u   /* "SRB" + version 1 */
#define RC_HEADER 12

static bool
fixed8(SlType t)
{
    return t == TYPE_BIGINT || t == TYPE_DOUBLE || t == TYPE_TIMESTAMP || t == TYPE_INTERVAL;
}

int
rowcodec_encode(Buf *out, const SlType *types, uint32_t ncols, const Value *rows, uint32_t nrows,
                SqlError *err)
{
    if (ncols > ROWCODEC_MAX_COLS) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "row batch has %u columns, limit %u", ncols,
                 ROWCODEC_MAX_COLS);
        return -1;
    }
    size_t start = out->len;
    size_t bm = ((size_t)ncols + 7) / 8;
    buf_reserve(out, RC_HEADER + ncols);
    uint8_t *h = (uint8_t *)out->data + out->len;
    le_put_u32(h, RC_MAGIC);
    le_put_u32(h + 4, nrows);
    le_put_u32(h + 8, ncols);
    for (uint32_t c = 0; c < ncols; c++)
        h[RC_HEADER + c] = (uint8_t)types[c];
    out->len += RC_HEADER + ncols;

    for (uint32_t r = 0; r < nrows; r++) {
        const Value *row = rows + (size_t)r * ncols;
        size_t need = bm;
        for (uint32_t c = 0; c < ncols; c++) {
            const Value *v = &row[c];
            if (v->isnull)
                continue;
            if (v->type != types[c] || types[c] == TYPE_UNKNOWN) {
                err_setf(err, ERR_INTERNAL_ERROR, -1,
                         "row %u column %u: value of type %s in a column of type %s", r, c,
                         type_name((SlType)v->type), type_name(types[c]));
                out->len = start;
                return -1;
            }
            need += types[c] == TYPE_BOOL ? 1 : types[c] == TYPE_TEXT ? 4 + (size_t)v->len : 8;
        }
        buf_reserve(out, need);
        uint8_t *p = (uint8_t *)out->data + out->len;
        memset(p, 0, bm);
        for (uint32_t c = 0; c < ncols; c++)
            if (row[c].isnull)
                p[c / 8] |= (uint8_t)(1u << (c % 8));
        p += bm;
        for (uint32_t c = 0; c < ncols; c++) {
            const Value *v = &row[c];
            if (v->isnull)
                continue;
            if (types[c] == TYPE_BOOL) {
                *p++ = v->i ? 1 : 0;
            } else if (types[c] == TYPE_TEXT) {
                le_put_u32(p, v->len);
                if (v->len)
                    memcpy(p + 4, v->s, v->len);
                p += 4 + (size_t)v->len;
            } else {
                le_put_u64(p, (uint64_t)v->i); /* the union's bits: int64 or double */
                p += 8;
            }
        }
        out->len += need;
    }
    if (out->data)
        out->data[out->len] = '\0';
    return 0;
}

static int
garbled(SqlError *err, const char *what, size_t off)
{
    err_setf(err, ERR_DATA_CORRUPTED, -1, "malformed row batch: %s at byte %zu", what, off);
    return -1;
}

int
rowcodec_peek(const void *p, size_t n, uint32_t *nrows, uint32_t *ncols, SqlError *err)
{
    const uint8_t *b = p;
    if (n < RC_HEADER)
        return garbled(err, "header cut short", n);
    if (le_get_u32(b) != RC_MAGIC)
        return garbled(err, "bad magic", 0);
    *nrows = le_get_u32(b + 4);
    *ncols = le_get_u32(b + 8);
    if (*ncols > ROWCODEC_MAX_COLS)
        return garbled(err, "too many columns", 8);
    if (n - RC_HEADER < *ncols)
        return garbled(err, "column types cut short", n);
    return 0;
}

int
rowcodec_decode(const void *payload, size_t n, const SlType *types, uint32_t ncols, Arena *a,
                bool copy_text, RowBatch *out, SqlError *err)
{
    const uint8_t *b = payload;
    uint32_t nrows, nc;
    if (rowcodec_peek(payload, n, &nrows, &nc, err) != 0)
        return -1;
    const uint8_t *tb = b + RC_HEADER;
    for (uint32_t c = 0; c < nc; c++)
        if (tb[c] >= TYPE__COUNT)
            return garbled(err, "unknown column type", RC_HEADER + (size_t)c);
    if (types) {
        if (nc != ncols) {
            err_setf(err, ERR_DATA_CORRUPTED, -1,
                     "row batch has %u columns, expected %u", nc, ncols);
            return -1;
        }
        for (uint32_t c = 0; c < nc; c++)
            if (tb[c] != (uint8_t)types[c]) {
                err_setf(err, ERR_DATA_CORRUPTED, -1,
                         "row batch column %u has type %s, expected %s", c,
                         type_name((SlType)tb[c]), type_name(types[c]));
                return -1;
            }
    }
    size_t off = RC_HEADER + nc;
    size_t bm = ((size_t)nc + 7) / 8;
    /* Each row needs at least its bitmap: bound the allocation by the payload size. */
    if (nc > 0 && (n - off) / bm < nrows)
        return garbled(err, "row count exceeds the payload", 4);
    SlType *ot = ARENA_ARRAY(a, SlType, nc ? nc : 1);
    for (uint32_t c = 0; c < nc; c++)
        ot[c] = (SlType)tb[c];
    size_t nvals = (size_t)nrows * nc;
    Value *vals = ARENA_ARRAY(a, Value, nvals ? nvals : 1);

    for (uint32_t r = 0; nc > 0 && r < nrows; r++) {
        if (n - off < bm)
            return garbled(err, "row bitmap cut short", off);
        const uint8_t *bits = b + off;
        if (nc % 8 && (bits[bm - 1] >> (nc % 8)) != 0)
            return garbled(err, "bad NULL bitmap padding", off + bm - 1);
        off += bm;
        Value *row = vals + (size_t)r * nc;
        for (uint32_t c = 0; c < nc; c++) {
            Value *v = &row[c];
            SlType t = ot[c];
            memset(v, 0, sizeof *v);
            v->type = (uint8_t)t;
            if (bits[c / 8] & (1u << (c % 8))) {
                v->isnull = 1;
                continue;
            }
            if (t == TYPE_UNKNOWN)
                return garbled(err, "non-NULL value in a column of unknown type", off);
            if (t == TYPE_BOOL) {
                if (n - off < 1)
                    return garbled(err, "value cut short", off);
                if (b[off] > 1)
                    return garbled(err, "bad boolean", off);
                v->i = b[off];
                off += 1;
            } else if (fixed8(t)) {
                if (n - off < 8)
                    return garbled(err, "value cut short", off);
                v->i = (int64_t)le_get_u64(b + off);
                off += 8;
            } else { /* TYPE_TEXT */
                if (n - off < 4)
                    return garbled(err, "text length cut short", off);
                uint32_t len = le_get_u32(b + off);
                off += 4;
                if (n - off < len)
                    return garbled(err, "text cut short", off);
                v->len = len;
                v->s = copy_text ? arena_strndup(a, (const char *)b + off, len)
                                 : (const char *)b + off;
                off += len;
            }
        }
    }
    if (off != n)
        return garbled(err, "trailing bytes", off);
    out->nrows = nrows;
    out->ncols = nc;
    out->types = ot;
    out->rows = vals;
    return 0;
}
