/*
 * common/value.h — sluice's SQL types and the Value cell.
 *
 * A Value is 16 bytes: a payload (int64 for BIGINT, BOOLEAN (0/1), TIMESTAMP
 * (microseconds since the Unix epoch, UTC) and INTERVAL (microseconds);
 * double for DOUBLE; pointer + length for TEXT) plus its type and a NULL flag.
 * TEXT bytes are not owned by the Value: they live in some arena whose
 * lifetime the holder knows.
 *
 * INTERFACE
 *   type_name / type_pg_oid / type_pg_len    names and PostgreSQL OIDs of the types
 *   type_from_name                           "bigint", "int", "double precision", ... → SlType
 *   val_null / val_int / val_double / val_bool / val_text / val_ts / val_interval   constructors
 *   val_format        append the PostgreSQL text form of a value to a Buf (NULL appends nothing)
 *   val_parse         parse text into a value of the given type (COPY, INSERT literals, casts)
 *   val_cmp           total order of two non-NULL values of the same type
 *   val_equal         equality of two values (NULL equals NULL: for grouping)
 *   val_hash          hash of one value, consistent with val_equal
 *   val_copy_text     copy a TEXT payload into an arena (no-op for other types)
 */
#ifndef SL_VALUE_H
#define SL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Arena;
struct Buf;
struct SqlError;

typedef enum SlType {
    TYPE_UNKNOWN = 0, /* NULL literal before it is given a type */
    TYPE_BOOL,
    TYPE_BIGINT,
    TYPE_DOUBLE,
    TYPE_TEXT,
    TYPE_TIMESTAMP,
    TYPE_INTERVAL,
    TYPE__COUNT
} SlType;

typedef struct Value {
    union {
        int64_t i;
        double d;
        const char *s;
    };
    uint32_t len;   /* TEXT: byte length */
    uint8_t type;   /* SlType */
    uint8_t isnull;
} Value;

const char *type_name(SlType t);
uint32_t type_pg_oid(SlType t);
int16_t type_pg_len(SlType t);
SlType type_from_name(const char *name, size_t n);

static inline Value val_null(SlType t) { Value v = {.i = 0}; v.type = (uint8_t)t; v.isnull = 1; return v; }
static inline Value val_int(int64_t x) { Value v = {.i = x}; v.type = TYPE_BIGINT; return v; }
static inline Value val_double(double x) { Value v = {.d = x}; v.type = TYPE_DOUBLE; return v; }
static inline Value val_bool(bool x) { Value v = {.i = x ? 1 : 0}; v.type = TYPE_BOOL; return v; }
static inline Value val_ts(int64_t us) { Value v = {.i = us}; v.type = TYPE_TIMESTAMP; return v; }
static inline Value val_interval(int64_t us) { Value v = {.i = us}; v.type = TYPE_INTERVAL; return v; }
static inline Value val_text(const char *s, uint32_t n) { Value v = {.s = s}; v.len = n; v.type = TYPE_TEXT; return v; }

void val_format(const Value *v, struct Buf *out);
/* 22021 unless s[0..n) is UTF-8 without NUL bytes (text values, SQL text). */
int val_check_utf8(const char *s, size_t n, struct SqlError *err);
int val_parse(SlType t, const char *s, size_t n, struct Arena *a, Value *out, struct SqlError *err);
int val_cmp(const Value *a, const Value *b);
bool val_equal(const Value *a, const Value *b);
uint64_t val_hash(const Value *v);
void val_copy_text(Value *v, struct Arena *a);
void fmt_double(double d, struct Buf *out);

/* 64-bit hashing helpers (shared by val_hash and the executor's hash tables). */
uint64_t sl_hash_bytes(const void *p, size_t n, uint64_t seed);
static inline uint64_t sl_hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

#endif
