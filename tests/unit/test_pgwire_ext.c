/*
 * tests/unit/test_pgwire_ext.c — the extended query protocol's codec: Parse,
 * Bind, Describe/Close and Execute bodies (well-formed and hostile), the small
 * replies, and the binary send/receive format of every sluice type.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "server/pgwire.h"

#define LIT(s) (s), (sizeof(s) - 1)

static void
assert_bytes_n(const Buf *b, const char *want, size_t n)
{
    assert_int_equal(b->len, n);
    assert_memory_equal(b->data, want, n);
}

static void
test_parse_message(void **state)
{
    (void)state;
    Arena *a = arena_new(1024);
    SqlError err;
    err_init(&err, a);
    PgwParse p;
    static const char body[] = "s1\0SELECT $1\0\0\x02\0\0\0\x14\0\0\0\0";
    assert_int_equal(pgw_parse_parse(body, sizeof body - 1, a, &p, &err), 0);
    assert_string_equal(p.name, "s1");
    assert_string_equal(p.query, "SELECT $1");
    assert_int_equal(p.noids, 2);
    assert_int_equal(p.oids[0], 20);
    assert_int_equal(p.oids[1], 0);
    /* a count larger than the body: 08P01, nothing allocated for it */
    static const char huge[] = "\0SELECT 1\0\xff\xff\0\0\0\x14";
    assert_int_equal(pgw_parse_parse(huge, sizeof huge - 1, a, &p, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    /* unterminated query string */
    assert_int_equal(pgw_parse_parse(LIT("\0SELECT"), a, &p, &err), -1);
    err_clear(&err);
    arena_free(a);
}

static void
test_bind_message(void **state)
{
    (void)state;
    Arena *a = arena_new(1024);
    SqlError err;
    err_init(&err, a);
    PgwBind b;
    /* portal "", statement "st", 1 format (binary), 2 values (8 bytes, NULL), 1 result format */
    static const char body[] = "\0st\0\0\x01\0\x01\0\x02\0\0\0\x08\0\0\0\0\0\0\0\x2a"
                               "\xff\xff\xff\xff\0\x01\0\x01";
    assert_int_equal(pgw_parse_bind(body, sizeof body - 1, a, &b, &err), 0);
    assert_string_equal(b.portal, "");
    assert_string_equal(b.stmt, "st");
    assert_int_equal(b.nparams, 2);
    assert_int_equal(b.lens[0], 8);
    assert_int_equal(b.lens[1], -1);
    assert_null(b.values[1]);
    assert_int_equal(pgw_format_of(b.param_formats, b.nparam_formats, 1), 1);
    assert_int_equal(b.nresult_formats, 1);
    assert_int_equal(b.result_formats[0], 1);
    /* 65535 parameters claimed in a short body: 08P01 before any allocation */
    static const char huge[] = "\0\0\0\0\xff\xff\0\0\0\x01";
    assert_int_equal(pgw_parse_bind(huge, sizeof huge - 1, a, &b, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    /* a value length beyond the body */
    static const char longval[] = "\0\0\0\0\0\x01\0\0\x10\0x\0\0";
    assert_int_equal(pgw_parse_bind(longval, sizeof longval - 1, a, &b, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    /* an unknown format code: an error, but the message itself is well-formed */
    static const char fmt[] = "\0\0\0\x01\0\x07\0\0\0\0";
    assert_int_equal(pgw_parse_bind(fmt, sizeof fmt - 1, a, &b, &err), 1);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    /* trailing garbage */
    static const char trail[] = "\0\0\0\0\0\0\0\0!";
    assert_int_equal(pgw_parse_bind(trail, sizeof trail - 1, a, &b, &err), -1);
    err_clear(&err);
    arena_free(a);
}

static void
test_target_and_execute(void **state)
{
    (void)state;
    SqlError err;
    err_init(&err, NULL);
    char kind;
    const char *name;
    assert_int_equal(pgw_parse_target(LIT("Sabc\0"), &kind, &name, &err), 0);
    assert_int_equal(kind, 'S');
    assert_string_equal(name, "abc");
    assert_int_equal(pgw_parse_target(LIT("X\0"), &kind, &name, &err), -1);
    err_clear(&err);
    const char *portal;
    int64_t max;
    assert_int_equal(pgw_parse_execute(LIT("p\0\0\0\0\x05"), &portal, &max, &err), 0);
    assert_string_equal(portal, "p");
    assert_int_equal(max, 5);
    assert_int_equal(pgw_parse_execute(LIT("p\0\0\0"), &portal, &max, &err), -1);
    err_clear(&err);
}

static void
test_replies(void **state)
{
    (void)state;
    Buf b;
    buf_init(&b);
    pgw_put_empty_message(&b, '1');
    assert_bytes_n(&b, LIT("1\0\0\0\x04"));
    buf_clear(&b);
    SlType t[2] = {TYPE_BIGINT, TYPE_TEXT};
    pgw_put_parameter_description(&b, 2, t);
    assert_bytes_n(&b, LIT("t\0\0\0\x0e\0\x02\0\0\0\x14\0\0\0\x19"));
    buf_clear(&b);
    Value v[2] = {val_int(1), val_null(TYPE_TEXT)};
    int16_t fmt[1] = {1};
    pgw_put_data_row_fmt(&b, 2, v, fmt, 1);
    assert_bytes_n(&b, LIT("D\0\0\0\x16\0\x02\0\0\0\x08\0\0\0\0\0\0\0\x01\xff\xff\xff\xff"));
    buf_free(&b);
}

/* encode, then decode: the same value */
static void
roundtrip(Value v, uint32_t oid)
{
    Arena *a = arena_new(256);
    SqlError err;
    err_init(&err, a);
    Buf b;
    buf_init(&b);
    pgw_encode_binary(&v, &b);
    Value out;
    assert_int_equal(pgw_decode_binary((SlType)v.type, oid, b.data ? b.data : "", b.len, a, &out,
                                       &err), 0);
    assert_true(val_equal(&v, &out));
    buf_free(&b);
    arena_free(a);
}

static void
test_binary_roundtrip(void **state)
{
    (void)state;
    roundtrip(val_bool(true), 16);
    roundtrip(val_int(-1234567890123), 20);
    roundtrip(val_double(-2.5e300), 701);
    roundtrip(val_text("h\xc3\xa9llo", 6), 25);
    roundtrip(val_ts(1767225600123456), 1114);
    roundtrip(val_interval(90000000), 1186);
}

static void
test_binary_formats(void **state)
{
    (void)state;
    Arena *a = arena_new(256);
    SqlError err;
    err_init(&err, a);
    Value v;
    Buf b;
    buf_init(&b);
    /* timestamp: µs since 2000-01-01; 2000-01-01 00:00:01 is 1,000,000 */
    Value ts = val_ts(INT64_C(946684801000000));
    pgw_encode_binary(&ts, &b);
    assert_bytes_n(&b, LIT("\0\0\0\0\0\x0f\x42\x40"));
    buf_clear(&b);
    /* interval: µs, then days and months (always 0 from sluice) */
    Value iv = val_interval(1);
    pgw_encode_binary(&iv, &b);
    assert_bytes_n(&b, LIT("\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0\0"));
    buf_free(&b);
    /* int4 and int2 parameter widths */
    assert_int_equal(pgw_decode_binary(TYPE_BIGINT, 23, LIT("\xff\xff\xff\xfe"), a, &v, &err), 0);
    assert_int_equal(v.i, -2);
    assert_int_equal(pgw_decode_binary(TYPE_BIGINT, 21, LIT("\x01\x00"), a, &v, &err), 0);
    assert_int_equal(v.i, 256);
    /* a wrong width: 22P03 */
    assert_int_equal(pgw_decode_binary(TYPE_BIGINT, 20, LIT("\x01\x00"), a, &v, &err), -1);
    assert_string_equal(err.sqlstate, "22P03");
    err_clear(&err);
    /* float4 parameter */
    assert_int_equal(pgw_decode_binary(TYPE_DOUBLE, 700, LIT("\x3f\xc0\0\0"), a, &v, &err), 0);
    assert_true(v.d == 1.5);
    /* interval with days folds them in; months are refused */
    assert_int_equal(pgw_decode_binary(TYPE_INTERVAL, 1186,
                                       LIT("\0\0\0\0\0\0\0\x01\0\0\0\x02\0\0\0\0"), a, &v, &err), 0);
    assert_int_equal(v.i, INT64_C(2) * 86400000000 + 1);
    assert_int_equal(pgw_decode_binary(TYPE_INTERVAL, 1186,
                                       LIT("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01"), a, &v, &err), -1);
    assert_string_equal(err.sqlstate, "0A000");
    err_clear(&err);
    /* bool must be one byte */
    assert_int_equal(pgw_decode_binary(TYPE_BOOL, 16, LIT("\x01\x00"), a, &v, &err), -1);
    err_clear(&err);
    arena_free(a);
}

static void
test_type_oids(void **state)
{
    (void)state;
    SlType t;
    static const struct { uint32_t oid; SlType t; } map[] = {
        {0, TYPE_UNKNOWN}, {20, TYPE_BIGINT}, {23, TYPE_BIGINT}, {21, TYPE_BIGINT},
        {701, TYPE_DOUBLE}, {700, TYPE_DOUBLE}, {25, TYPE_TEXT}, {1043, TYPE_TEXT},
        {16, TYPE_BOOL}, {1114, TYPE_TIMESTAMP}, {1184, TYPE_TIMESTAMP}, {1186, TYPE_INTERVAL}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        assert_int_equal(pgw_type_from_oid(map[i].oid, &t), 0);
        assert_int_equal(t, map[i].t);
    }
    assert_int_equal(pgw_type_from_oid(600, &t), -1); /* point */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_message),     cmocka_unit_test(test_bind_message),
        cmocka_unit_test(test_target_and_execute), cmocka_unit_test(test_replies),
        cmocka_unit_test(test_binary_roundtrip),  cmocka_unit_test(test_binary_formats),
        cmocka_unit_test(test_type_oids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
