/*
 * server/pgwire_ext.c — the extended query protocol's part of the codec
 * (see pgwire.h): decoders for Parse, Bind, Describe/Close and Execute
 * bodies, the small backend replies ('1', '2', '3', 'n', 's', 't'), and the
 * binary (format 1) send/receive functions of sluice's types.
 *
 * Decoders never trust a count: every count is checked against the bytes
 * that remain in the body before anything is allocated for it, so a hostile
 * Bind cannot make us allocate more than its own length (PostgreSQL's
 * pq_getmsg* idea).
 */
#include "server/pgwire.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"

/* 2000-01-01 00:00:00 UTC in Unix microseconds: PostgreSQL's timestamp epoch. */
#define PG_EPOCH_UNIX_US INT64_C(946684800000000)
#define US_PER_DAY INT64_C(86400000000)

/* ------------------------------------------------------------------ reading */

typedef struct Rd {
    const unsigned char *p;
    size_t left;
    bool bad;
} Rd;

static uint32_t
rd_u32(Rd *r)
{
    if (r->bad || r->left < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 |
                 r->p[3];
    r->p += 4;
    r->left -= 4;
    return v;
}

static uint16_t
rd_u16(Rd *r)
{
    if (r->bad || r->left < 2) {
        r->bad = true;
        return 0;
    }
    uint16_t v = (uint16_t)(r->p[0] << 8 | r->p[1]);
    r->p += 2;
    r->left -= 2;
    return v;
}

static uint8_t
rd_u8(Rd *r)
{
    if (r->bad || r->left < 1) {
        r->bad = true;
        return 0;
    }
    uint8_t v = r->p[0];
    r->p++;
    r->left--;
    return v;
}

static const char *
rd_str(Rd *r)
{
    if (r->bad)
        return NULL;
    const unsigned char *z = memchr(r->p, 0, r->left);
    if (!z) {
        r->bad = true;
        return NULL;
    }
    const char *s = (const char *)r->p;
    size_t n = (size_t)(z - r->p) + 1;
    r->p += n;
    r->left -= n;
    return s;
}

static int
malformed(SqlError *err, const char *what)
{
    err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "invalid %s message format", what);
    return -1;
}

int
pgw_parse_parse(const char *body, size_t len, Arena *a, PgwParse *out, SqlError *err)
{
    Rd r = {(const unsigned char *)body, len, false};
    memset(out, 0, sizeof *out);
    out->name = rd_str(&r);
    out->query = rd_str(&r);
    int n = rd_u16(&r);
    if (r.bad || (size_t)n * 4 > r.left)
        return malformed(err, "Parse");
    out->noids = n;
    out->oids = arena_alloc(a, sizeof(uint32_t) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        out->oids[i] = rd_u32(&r);
    if (r.bad || r.left != 0)
        return malformed(err, "Parse");
    return 0;
}

static int
read_formats(Rd *r, Arena *a, int16_t **out, int *n, int *bad_code, SqlError *err)
{
    *n = rd_u16(r);
    if (r->bad || (size_t)*n * 2 > r->left)
        return malformed(err, "Bind");
    *out = arena_alloc(a, sizeof(int16_t) * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++) {
        (*out)[i] = (int16_t)rd_u16(r);
        if ((*out)[i] != 0 && (*out)[i] != 1 && *bad_code < 0)
            *bad_code = (uint16_t)(*out)[i];
    }
    return 0;
}

int
pgw_parse_bind(const char *body, size_t len, Arena *a, PgwBind *out, SqlError *err)
{
    Rd r = {(const unsigned char *)body, len, false};
    memset(out, 0, sizeof *out);
    out->portal = rd_str(&r);
    out->stmt = rd_str(&r);
    if (r.bad)
        return malformed(err, "Bind");
    int bad_code = -1;
    if (read_formats(&r, a, &out->param_formats, &out->nparam_formats, &bad_code, err) != 0)
        return -1;
    int n = rd_u16(&r);
    if (r.bad || (size_t)n * 4 > r.left)
        return malformed(err, "Bind");
    out->nparams = n;
    out->values = arena_alloc(a, sizeof(const char *) * (size_t)(n ? n : 1));
    out->lens = arena_alloc(a, sizeof(int32_t) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        int32_t l = (int32_t)rd_u32(&r);
        if (r.bad || l < -1 || (l > 0 && (size_t)l > r.left))
            return malformed(err, "Bind");
        out->lens[i] = l;
        out->values[i] = l < 0 ? NULL : (const char *)r.p;
        if (l > 0) {
            r.p += l;
            r.left -= (size_t)l;
        }
    }
    if (read_formats(&r, a, &out->result_formats, &out->nresult_formats, &bad_code, err) != 0)
        return -1;
    if (r.bad || r.left != 0)
        return malformed(err, "Bind");
    if (out->nparam_formats > 1 && out->nparam_formats != n) {
        err_setf(err, ERR_PROTOCOL_VIOLATION, -1,
                 "bind message has %d parameter formats but %d parameters", out->nparam_formats,
                 n);
        return -1;
    }
    if (bad_code >= 0) {
        err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "unsupported format code: %d", bad_code);
        return 1;
    }
    return 0;
}

int
pgw_parse_target(const char *body, size_t len, char *kind, const char **name, SqlError *err)
{
    Rd r = {(const unsigned char *)body, len, false};
    *kind = (char)rd_u8(&r);
    *name = rd_str(&r);
    if (r.bad || r.left != 0 || (*kind != 'S' && *kind != 'P'))
        return malformed(err, *kind == 'S' || *kind == 'P' ? "Describe/Close" : "target");
    return 0;
}

int
pgw_parse_execute(const char *body, size_t len, const char **portal, int64_t *max_rows,
                  SqlError *err)
{
    Rd r = {(const unsigned char *)body, len, false};
    *portal = rd_str(&r);
    int32_t n = (int32_t)rd_u32(&r);
    if (r.bad || r.left != 0)
        return malformed(err, "Execute");
    *max_rows = n <= 0 ? 0 : n;
    return 0;
}

int
pgw_format_of(const int16_t *formats, int nformats, int i)
{
    if (nformats == 0)
        return 0;
    return nformats == 1 ? formats[0] : (i < nformats ? formats[i] : 0);
}

/* ------------------------------------------------------------------ types */

int
pgw_type_from_oid(uint32_t oid, SlType *out)
{
    switch (oid) {
    case 0: *out = TYPE_UNKNOWN; return 0;
    case 16: *out = TYPE_BOOL; return 0;
    case 20: case 21: case 23: *out = TYPE_BIGINT; return 0;
    case 700: case 701: case 1700: *out = TYPE_DOUBLE; return 0;
    case 25: case 1043: case 705: *out = TYPE_TEXT; return 0;
    case 1114: case 1184: *out = TYPE_TIMESTAMP; return 0;
    case 1186: *out = TYPE_INTERVAL; return 0;
    default: return -1;
    }
}

static uint64_t
be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put_u64be(Buf *b, uint64_t v)
{
    buf_put_u32be(b, (uint32_t)(v >> 32));
    buf_put_u32be(b, (uint32_t)v);
}

static int
bad_binary(SqlError *err, SlType t)
{
    err_setf(err, ERR_INVALID_BINARY_REPRESENTATION, -1,
             "incorrect binary data format in bind parameter of type %s", type_name(t));
    return -1;
}

int
pgw_decode_binary(SlType t, uint32_t oid, const char *data, size_t n, Arena *a, Value *out,
                  SqlError *err)
{
    const unsigned char *p = (const unsigned char *)data;
    switch (t) {
    case TYPE_BOOL:
        if (n != 1)
            return bad_binary(err, t);
        *out = val_bool(p[0] != 0);
        return 0;
    case TYPE_BIGINT:
        if (n == 8 && oid != 21 && oid != 23)
            *out = val_int((int64_t)be64(p));
        else if (n == 4 && (oid == 23 || oid == 21 || oid == 0))
            *out = val_int((int32_t)be32(p));
        else if (n == 2 && (oid == 21 || oid == 0))
            *out = val_int((int16_t)(p[0] << 8 | p[1]));
        else
            return bad_binary(err, t);
        return 0;
    case TYPE_DOUBLE:
        if (oid == 1700) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                     "binary numeric parameters are not supported");
            err_hint(err, "Send numeric parameters in text format or as float8.");
            return -1;
        }
        if (n == 8 && oid != 700) {
            uint64_t u = be64(p);
            double d;
            memcpy(&d, &u, sizeof d);
            *out = val_double(d);
        } else if (n == 4 && oid == 700) {
            uint32_t u = be32(p);
            float f;
            memcpy(&f, &u, sizeof f);
            *out = val_double((double)f);
        } else {
            return bad_binary(err, t);
        }
        return 0;
    case TYPE_TEXT: {
        if (val_check_utf8(data, n, err) != 0)
            return -1;
        char *s = arena_alloc(a, n + 1);
        memcpy(s, data, n);
        s[n] = 0;
        *out = val_text(s, (uint32_t)n);
        return 0;
    }
    case TYPE_TIMESTAMP: {
        if (n != 8)
            return bad_binary(err, t);
        int64_t pg = (int64_t)be64(p);
        if (pg > INT64_MAX - PG_EPOCH_UNIX_US) {
            err_setf(err, ERR_DATETIME_FIELD_OVERFLOW, -1, "timestamp out of range");
            return -1;
        }
        *out = val_ts(pg + PG_EPOCH_UNIX_US);
        return 0;
    }
    case TYPE_INTERVAL: {
        if (n != 16)
            return bad_binary(err, t);
        int64_t us = (int64_t)be64(p);
        int32_t days = (int32_t)be32(p + 8);
        int32_t months = (int32_t)be32(p + 12);
        if (months != 0) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                     "interval parameters with months are not supported");
            err_hint(err, "sluice intervals are exact durations: give days or smaller units.");
            return -1;
        }
        __int128 total = (__int128)us + (__int128)days * US_PER_DAY;
        if (total > INT64_MAX || total < INT64_MIN) {
            err_setf(err, ERR_DATETIME_FIELD_OVERFLOW, -1, "interval out of range");
            return -1;
        }
        *out = val_interval((int64_t)total);
        return 0;
    }
    default:
        return bad_binary(err, t);
    }
}

void
pgw_encode_binary(const Value *v, Buf *b)
{
    switch ((SlType)v->type) {
    case TYPE_BOOL:
        buf_putc(b, v->i ? 1 : 0);
        return;
    case TYPE_BIGINT:
        put_u64be(b, (uint64_t)v->i);
        return;
    case TYPE_DOUBLE: {
        uint64_t u;
        memcpy(&u, &v->d, sizeof u);
        put_u64be(b, u);
        return;
    }
    case TYPE_TIMESTAMP:
        put_u64be(b, (uint64_t)(v->i - PG_EPOCH_UNIX_US));
        return;
    case TYPE_INTERVAL:
        put_u64be(b, (uint64_t)v->i);
        buf_put_u32be(b, 0); /* days */
        buf_put_u32be(b, 0); /* months */
        return;
    case TYPE_TEXT:
    default:
        val_format(v, b);
        return;
    }
}

/* ------------------------------------------------------------------ replies */

void
pgw_put_empty_message(Buf *b, char type)
{
    size_t m = pgw_begin_message(b, type);
    pgw_end_message(b, m);
}

void
pgw_put_parameter_description(Buf *b, int n, const SlType *types)
{
    size_t m = pgw_begin_message(b, 't');
    buf_put_u16be(b, (uint16_t)n);
    for (int i = 0; i < n; i++)
        buf_put_u32be(b, type_pg_oid(types[i]));
    pgw_end_message(b, m);
}
