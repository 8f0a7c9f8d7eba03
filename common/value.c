/*
 * common/value.c — sluice's SQL types and the Value cell (see value.h).
 *
 * Text forms follow PostgreSQL 15 so that psql and libpq clients see what a
 * PostgreSQL server would send: booleans as t/f, doubles in the shortest form
 * that reads back to the same bits, timestamps and intervals via sltime.c.
 *
 * INTERFACE
 *   type_name / type_pg_oid / type_pg_len    names and PostgreSQL OIDs of the types
 *   type_from_name                           "bigint", "int", "double precision", ... → SlType
 *   val_format        append the PostgreSQL text form of a value to a Buf
 *   val_parse         parse text into a value of the given type
 *   val_cmp           total order of two non-NULL values of the same type
 *   val_equal         equality of two values (NULL equals NULL)
 *   val_hash          hash of one value, consistent with val_equal
 *   val_copy_text     copy a TEXT payload into an arena
 *   fmt_double        PostgreSQL float8out
 *   sl_hash_bytes     64-bit hash of a byte string
 */
#include "common/value.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/util.h"

static const struct {
    const char *name;
    uint32_t oid;
    int16_t len;
} type_info[TYPE__COUNT] = {
    [TYPE_UNKNOWN] = {"unknown", 705, -2},
    [TYPE_BOOL] = {"boolean", 16, 1},
    [TYPE_BIGINT] = {"bigint", 20, 8},
    [TYPE_DOUBLE] = {"double precision", 701, 8},
    [TYPE_TEXT] = {"text", 25, -1},
    [TYPE_TIMESTAMP] = {"timestamp", 1114, 8},
    [TYPE_INTERVAL] = {"interval", 1186, 16},
};

const char *
type_name(SlType t)
{
    if ((int)t < 0 || t >= TYPE__COUNT)
        return "unknown";
    return type_info[t].name;
}

uint32_t
type_pg_oid(SlType t)
{
    if ((int)t < 0 || t >= TYPE__COUNT)
        t = TYPE_UNKNOWN;
    return type_info[t].oid;
}

int16_t
type_pg_len(SlType t)
{
    if ((int)t < 0 || t >= TYPE__COUNT)
        t = TYPE_UNKNOWN;
    return type_info[t].len;
}

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: the n bytes at s equal the NUL-terminated lower-case word w. */
static bool
word_eq(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++) {
        if (lower(s[i]) != w[i])
            return false;
    }
    return i == n && w[i] == '\0';
}

static void
trim(const char **p, size_t *n)
{
    while (*n > 0 && is_ws(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && is_ws((*p)[*n - 1]))
        (*n)--;
}

/*
 * Map a type name from SQL (case-insensitive, n bytes) to an SlType; "double precision" may
 * have any whitespace between its words. Returns TYPE_UNKNOWN for names we do not know.
 */
SlType
type_from_name(const char *name, size_t n)
{
    static const struct {
        const char *word;
        SlType type;
    } names[] = {
        {"boolean", TYPE_BOOL},     {"bool", TYPE_BOOL},         {"bigint", TYPE_BIGINT},
        {"int", TYPE_BIGINT},       {"integer", TYPE_BIGINT},    {"int8", TYPE_BIGINT},
        {"int4", TYPE_BIGINT},      {"int2", TYPE_BIGINT},       {"smallint", TYPE_BIGINT},
        {"double", TYPE_DOUBLE},    {"float", TYPE_DOUBLE},      {"float8", TYPE_DOUBLE},
        {"float4", TYPE_DOUBLE},    {"real", TYPE_DOUBLE},       {"text", TYPE_TEXT},
        {"varchar", TYPE_TEXT},     {"string", TYPE_TEXT},       {"timestamp", TYPE_TIMESTAMP},
        {"interval", TYPE_INTERVAL},
    };
    if (!name)
        return TYPE_UNKNOWN;
    trim(&name, &n);
    if (n > 6 && word_eq(name, 6, "double") && is_ws(name[6])) {
        const char *p = name + 6;
        size_t m = n - 6;
        trim(&p, &m);
        return word_eq(p, m, "precision") ? TYPE_DOUBLE : TYPE_UNKNOWN;
    }
    for (size_t i = 0; i < SL_ARRAY_LEN(names); i++) {
        if (word_eq(name, n, names[i].word))
            return names[i].type;
    }
    return TYPE_UNKNOWN;
}

/*
 * Append the text form of d as PostgreSQL 15's float8out does (extra_float_digits = 1): the
 * fewest significant digits (15 to 17) that read back to the same double, in fixed notation
 * when the decimal exponent is in [-4, 15), otherwise d.ddde±XX; "NaN", "Infinity", "-Infinity".
 */
void
fmt_double(double d, Buf *out)
{
    if (isnan(d)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(d)) {
        buf_puts(out, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    char e[40];
    /* From 15 digits on, trimming zeros yields the shortest form (a double carries more than
     * 15 significant digits); subnormals carry fewer, so they search from 1. */
    int first = d != 0.0 && fabs(d) < DBL_MIN ? 1 : 15;
    for (int prec = first; prec <= 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    /* e is "[-]D.DDDDe[+-]XX": split into sign, digits and exponent. */
    const char *p = e;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[20];
    int nd = 0;
    for (; *p && *p != 'e'; p++) {
        if (*p != '.')
            digits[nd++] = *p;
    }
    int exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (neg)
        buf_putc(out, '-');
    if (exp10 < -4 || exp10 >= 15) {
        buf_putc(out, digits[0]);
        if (nd > 1) {
            buf_putc(out, '.');
            buf_append(out, digits + 1, (size_t)nd - 1);
        }
        buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    } else if (exp10 < 0) {
        buf_puts(out, "0.");
        for (int i = -1; i > exp10; i--)
            buf_putc(out, '0');
        buf_append(out, digits, (size_t)nd);
    } else if (nd <= exp10 + 1) {
        buf_append(out, digits, (size_t)nd);
        for (int i = nd; i <= exp10; i++)
            buf_putc(out, '0');
    } else {
        buf_append(out, digits, (size_t)exp10 + 1);
        buf_putc(out, '.');
        buf_append(out, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
    }
}

/* Append the PostgreSQL text form of v to out; a NULL appends nothing (the caller decides). */
void
val_format(const Value *v, Buf *out)
{
    if (v->isnull)
        return;
    switch ((SlType)v->type) {
    case TYPE_BOOL:
        buf_putc(out, v->i ? 't' : 'f');
        break;
    case TYPE_BIGINT:
        buf_printf(out, "%lld", (long long)v->i);
        break;
    case TYPE_DOUBLE:
        fmt_double(v->d, out);
        break;
    case TYPE_TEXT:
        buf_append(out, v->s, v->len);
        break;
    case TYPE_TIMESTAMP:
        ts_format(v->i, out);
        break;
    case TYPE_INTERVAL:
        interval_format(v->i, out);
        break;
    case TYPE_UNKNOWN:
    case TYPE__COUNT:
        break;
    }
}

/* PostgreSQL's parse_bool_with_len: any unambiguous prefix of true/false/yes/no/on/off, 1, 0. */
static bool
parse_bool(const char *s, size_t n, bool *out)
{
    static const struct {
        const char *word;
        size_t min;  /* shortest accepted prefix */
        bool val;
    } words[] = {
        {"true", 1, true}, {"false", 1, false}, {"yes", 1, true},
        {"no", 1, false},  {"on", 2, true},     {"off", 2, false},
    };
    if (n == 1 && (s[0] == '1' || s[0] == '0')) {
        *out = s[0] == '1';
        return true;
    }
    for (size_t i = 0; i < SL_ARRAY_LEN(words); i++) {
        size_t wl = strlen(words[i].word);
        if (n < words[i].min || n > wl)
            continue;
        size_t k = 0;
        while (k < n && lower(s[k]) == words[i].word[k])
            k++;
        if (k == n) {
            *out = words[i].val;
            return true;
        }
    }
    return false;
}

/* Returns 1 on success, 0 on bad syntax, -1 on overflow. */
static int
parse_int64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    int64_t acc = 0;  /* accumulated negatively so INT64_MIN fits */
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == n)
        return 0;
    bool ovf = false;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[i] - '0', &acc))
            ovf = true;
    }
    if (ovf)
        return -1;
    if (!neg) {
        if (acc == INT64_MIN)
            return -1;
        acc = -acc;
    }
    *out = acc;
    return 1;
}

/* Returns 1 on success, 0 on bad syntax, -1 when out of range (PostgreSQL float8in rules). */
static int
parse_double(const char *s, size_t n, double *out)
{
    char small[128];
    char *buf = n < sizeof small ? small : sl_malloc(n + 1);
    int rc = 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* strtod also reads hex floats and nan(...), which PostgreSQL rejects. */
    if (n == 0 || strpbrk(buf, "xX(") != NULL || is_ws(buf[0])) {
        rc = 0;
        goto done;
    }
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end != buf + n) {
        rc = 0;
        goto done;
    }
    if (errno == ERANGE && (d == 0.0 || isinf(d))) {
        rc = -1;
        goto done;
    }
    *out = d;
done:
    if (buf != small)
        free(buf);
    return rc;
}

/*
 * Parse the n bytes at s as a value of type t into *out. Leading and trailing whitespace is
 * ignored except for TEXT, which is copied verbatim into `a` (returns memory owned by `a`;
 * with a NULL arena the value borrows `s`). Returns 0, or -1 with err set: 22P02 bad syntax,
 * 22003 out of range, 22007 bad timestamp/interval, 0A000 month/year interval units.
 */
int
val_check_utf8(const char *s, size_t n, SqlError *err)
{
    ptrdiff_t bad = sl_utf8_invalid(s, n);
    if (bad < 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s + bad;
    size_t left = n - (size_t)bad;
    if (left > 1)
        err_setf(err, ERR_CHARACTER_NOT_IN_REPERTOIRE, -1,
                 "invalid byte sequence for encoding \"UTF8\": 0x%02x 0x%02x", p[0], p[1]);
    else
        err_setf(err, ERR_CHARACTER_NOT_IN_REPERTOIRE, -1,
                 "invalid byte sequence for encoding \"UTF8\": 0x%02x", p[0]);
    return -1;
}

int
val_parse(SlType t, const char *s, size_t n, Arena *a, Value *out, SqlError *err)
{
    const char *p = s;
    size_t m = n;
    int rc;

    if (t != TYPE_TEXT)
        trim(&p, &m);
    switch (t) {
    case TYPE_BOOL: {
        bool b;
        if (!parse_bool(p, m, &b))
            goto bad;
        *out = val_bool(b);
        return 0;
    }
    case TYPE_BIGINT: {
        int64_t x = 0;
        rc = parse_int64(p, m, &x);
        if (rc == 0)
            goto bad;
        if (rc < 0) {
            err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, -1,
                     "value \"%.*s\" is out of range for type bigint", (int)n, s);
            return -1;
        }
        *out = val_int(x);
        return 0;
    }
    case TYPE_DOUBLE: {
        double d = 0;
        rc = parse_double(p, m, &d);
        if (rc == 0)
            goto bad;
        if (rc < 0) {
            err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, -1,
                     "\"%.*s\" is out of range for type double precision", (int)n, s);
            return -1;
        }
        *out = val_double(d);
        return 0;
    }
    case TYPE_TEXT:
        if (n > UINT32_MAX) {
            err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "text value too long (%zu bytes)", n);
            return -1;
        }
        if (val_check_utf8(s, n, err) != 0)
            return -1;
        *out = val_text(a ? arena_strndup(a, s, n) : s, (uint32_t)n);
        return 0;
    case TYPE_TIMESTAMP: {
        int64_t us;
        if (ts_parse(s, n, &us, err) < 0)
            return -1;
        *out = val_ts(us);
        return 0;
    }
    case TYPE_INTERVAL: {
        int64_t us;
        if (interval_parse(s, n, NULL, 0, &us, err) < 0)
            return -1;
        *out = val_interval(us);
        return 0;
    }
    case TYPE_UNKNOWN:
    case TYPE__COUNT:
        break;
    }
    err_setf(err, ERR_INTERNAL_ERROR, -1, "cannot parse a value of type %s", type_name(t));
    return -1;

bad:
    err_setf(err, ERR_INVALID_TEXT_REPRESENTATION, -1, "invalid input syntax for type %s: \"%.*s\"",
             type_name(t), (int)n, s);
    return -1;
}

static int
cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/*
 * Order two values: <0, 0, >0. Meant for non-NULL values of one type; NaN sorts above every
 * other double and equals itself, -0.0 equals 0.0 (PostgreSQL float8_cmp). As a safety net,
 * NULL sorts after non-NULL and different types order by type tag.
 */
int
val_cmp(const Value *a, const Value *b)
{
    if (a->isnull || b->isnull)
        return (int)a->isnull - (int)b->isnull;
    if (a->type != b->type)
        return cmp_i64(a->type, b->type);
    switch ((SlType)a->type) {
    case TYPE_DOUBLE: {
        bool an = isnan(a->d), bn = isnan(b->d);
        if (an || bn)
            return (int)an - (int)bn;
        return (a->d > b->d) - (a->d < b->d);
    }
    case TYPE_TEXT: {
        uint32_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->s, b->s, n) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return cmp_i64(a->len, b->len);
    }
    case TYPE_UNKNOWN:
        return 0;
    default:
        return cmp_i64(a->i, b->i);
    }
}

/* Grouping equality: NULL equals NULL (of any type); otherwise same type and val_cmp == 0. */
bool
val_equal(const Value *a, const Value *b)
{
    if (a->isnull || b->isnull)
        return a->isnull && b->isnull;
    if (a->type != b->type)
        return false;
    return val_cmp(a, b) == 0;
}

#define HASH_P0 0xa0761d6478bd642fULL
#define HASH_P1 0xe7037ed1a0b428dbULL
#define HASH_P2 0x8ebc6af09c88c6e3ULL
#define HASH_P3 0x589965cc75374cc3ULL

static inline uint64_t
mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
read64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/*
 * wyhash-style 64-bit hash: 16-byte blocks folded with a 128-bit multiply, the zero-padded
 * tail and the length mixed in last (so "a" and "a\0" differ). Not for adversarial input.
 */
uint64_t
sl_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    size_t left = n;
    uint64_t h = seed ^ HASH_P0;
    while (left >= 16) {
        h = mum(read64(s) ^ HASH_P1, read64(s + 8) ^ h);
        s += 16;
        left -= 16;
    }
    unsigned char tail[16] = {0};
    if (left)
        memcpy(tail, s, left);
    h = mum(read64(tail) ^ HASH_P1, read64(tail + 8) ^ h ^ HASH_P2);
    return mum(h ^ HASH_P3, (uint64_t)n ^ HASH_P1);
}

/* Hash consistent with val_equal: all NULLs hash alike, -0.0 as 0.0, every NaN alike. */
uint64_t
val_hash(const Value *v)
{
    if (v->isnull)
        return 0x6e756c6c6e756c6cULL;
    uint64_t tseed = (uint64_t)v->type * 0x9e3779b97f4a7c15ULL;
    switch ((SlType)v->type) {
    case TYPE_DOUBLE: {
        double d = v->d;
        uint64_t bits;
        if (d == 0.0)
            d = 0.0;
        if (isnan(d))
            bits = 0x7ff8000000000000ULL;
        else
            memcpy(&bits, &d, sizeof bits);
        return sl_hash_u64(bits ^ tseed);
    }
    case TYPE_TEXT:
        return sl_hash_bytes(v->s, v->len, tseed);
    case TYPE_UNKNOWN:
        return tseed;
    default:
        return sl_hash_u64((uint64_t)v->i ^ tseed);
    }
}

/* Copy a non-NULL TEXT payload into `a` (the value then points at memory owned by `a`). */
void
val_copy_text(Value *v, Arena *a)
{
    if (v->isnull || v->type != TYPE_TEXT)
        return;
    v->s = arena_strndup(a, v->s, v->len);
}
