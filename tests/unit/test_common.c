/*
 * tests/unit/test_common.c — unit tests for common/: arena, buf, errors, value, sltime.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh Arena as its state
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/util.h"
#include "common/value.h"

static int
setup_arena(void **state)
{
    *state = arena_new(1024);
    return 0;
}

static int
teardown_arena(void **state)
{
    arena_free(*state);
    return 0;
}

/* ---- helpers: strings in, strings out ---------------------------------------------------- */

static char fmt_out[256];

static const char *
fmt_value(Value v)
{
    Buf b;
    buf_init(&b);
    val_format(&v, &b);
    snprintf(fmt_out, sizeof fmt_out, "%s", b.data ? b.data : "");
    buf_free(&b);
    return fmt_out;
}

static const char *
fmt_dbl(double d)
{
    return fmt_value(val_double(d));
}

static const char *
fmt_ts(int64_t us)
{
    return fmt_value(val_ts(us));
}

static const char *
fmt_iv(int64_t us)
{
    return fmt_value(val_interval(us));
}

/* Parse s as type t; on success return 0 and *out, on failure copy the SQLSTATE to state. */
static char last_state[6];
static char last_msg[256];

static int
parse(SlType t, const char *s, Arena *a, Value *out)
{
    SqlError e;
    err_init(&e, a);
    int rc = val_parse(t, s, strlen(s), a, out, &e);
    if (rc == 0) {
        assert_false(err_is_set(&e));
        last_state[0] = '\0';
        last_msg[0] = '\0';
    } else {
        assert_true(err_is_set(&e));
        assert_int_equal(e.position, -1);
        memcpy(last_state, e.sqlstate, 6);
        snprintf(last_msg, sizeof last_msg, "%s", e.message);
    }
    return rc;
}

/* SQLSTATE of a failed parse, or "" on success. */
static const char *
parse_state(SlType t, const char *s, Arena *a)
{
    Value v;
    if (parse(t, s, a, &v) == 0)
        return "";
    return last_state;
}

static int64_t
ts_of(const char *s)
{
    SqlError e;
    int64_t us = 0;
    err_init(&e, NULL);
    int rc = ts_parse(s, strlen(s), &us, &e);
    if (rc != 0)
        fail_msg("ts_parse(\"%s\"): %s", s, e.message);
    err_clear(&e);
    return us;
}

static const char *
ts_state(const char *s)
{
    SqlError e;
    int64_t us;
    err_init(&e, NULL);
    if (ts_parse(s, strlen(s), &us, &e) == 0)
        return "";
    memcpy(last_state, e.sqlstate, 6);
    snprintf(last_msg, sizeof last_msg, "%s", e.message);
    err_clear(&e);
    return last_state;
}

static int64_t
iv_of_unit(const char *s, const char *unit)
{
    SqlError e;
    int64_t us = 0;
    err_init(&e, NULL);
    int rc = interval_parse(s, strlen(s), unit, unit ? strlen(unit) : 0, &us, &e);
    if (rc != 0)
        fail_msg("interval_parse(\"%s\", %s): %s", s, unit ? unit : "-", e.message);
    err_clear(&e);
    return us;
}

static int64_t
iv_of(const char *s)
{
    return iv_of_unit(s, NULL);
}

static const char *
iv_state_unit(const char *s, const char *unit)
{
    SqlError e;
    int64_t us;
    err_init(&e, NULL);
    if (interval_parse(s, strlen(s), unit, unit ? strlen(unit) : 0, &us, &e) == 0)
        return "";
    memcpy(last_state, e.sqlstate, 6);
    snprintf(last_msg, sizeof last_msg, "%s", e.message);
    err_clear(&e);
    return last_state;
}

static const char *
iv_state(const char *s)
{
    return iv_state_unit(s, NULL);
}

#define SEC INT64_C(1000000)
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* ---- arena ------------------------------------------------------------------------------- */

static void
test_arena_many_small(void **state)
{
    Arena *a = *state;
    enum { N = 10000 };
    unsigned char **ptrs = malloc(N * sizeof *ptrs);
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 37) + 1;
        ptrs[i] = arena_alloc(a, n);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], i & 0xff, n);
    }
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 37) + 1;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);
    }
    assert_true(arena_bytes(a) >= (size_t)N * 16);
    free(ptrs);
}

static void
test_arena_large_and_reset(void **state)
{
    Arena *a = *state;
    char *small1 = arena_alloc(a, 10);
    memcpy(small1, "abcdefghi", 10);
    /* Bigger than a quarter block: gets a block of its own, current block still serves. */
    char *big = arena_alloc(a, 100000);
    memset(big, 'x', 100000);
    char *small2 = arena_alloc(a, 10);
    assert_true(small2 > small1 && small2 - small1 < 1024);
    assert_string_equal(small1, "abcdefghi");
    char *huge = arena_zalloc(a, 1 << 20);
    for (size_t i = 0; i < (1u << 20); i += 4096)
        assert_int_equal(huge[i], 0);
    assert_true(arena_bytes(a) > (1u << 20) + 100000);

    arena_reset(a);
    assert_true(arena_bytes(a) <= 1024 + 64);
    char *again = arena_alloc(a, 16);
    assert_non_null(again);
    for (int i = 0; i < 1000; i++)
        arena_alloc(a, 100);
    arena_reset(a);
    arena_reset(a); /* idempotent */
    assert_non_null(arena_alloc(a, 5000));
}

static void
test_arena_strings(void **state)
{
    Arena *a = *state;
    assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
    assert_string_equal(arena_strdup(a, ""), "");
    assert_string_equal(arena_sprintf(a, "%d-%s", 42, "x"), "42-x");
    char *z = arena_zalloc(a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    int *arr = ARENA_ARRAY(a, int, 100);
    arr[99] = 7;
    assert_int_equal(arr[0], 0);
    /* A long formatted string goes past the block size. */
    char *longs = arena_sprintf(a, "%05000d", 1);
    assert_int_equal(strlen(longs), 5000);
}

/* ---- buf --------------------------------------------------------------------------------- */

static void
test_buf(void **state)
{
    (void)state;
    Buf b;
    buf_init(&b);
    buf_puts(&b, "abc");
    buf_putc(&b, 'd');
    buf_printf(&b, "%d", 123);
    assert_int_equal(b.len, 7);
    assert_string_equal(b.data, "abcd123");
    buf_consume(&b, 2);
    assert_string_equal(b.data, "cd123");
    buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");

    /* Growth well past the initial capacity, and a printf longer than the stack scratch. */
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d", i);
    assert_int_equal(b.len, 4000);
    assert_memory_equal(b.data + 3996, "0999", 4);
    buf_clear(&b);
    buf_printf(&b, "%0600d", 5);
    assert_int_equal(b.len, 600);
    assert_int_equal(b.data[599], '5');

    buf_clear(&b);
    buf_put_u8(&b, 0x01);
    buf_put_u16be(&b, 0x0203);
    buf_put_u32be(&b, 0);
    buf_set_u32be(&b, 3, 0x04050607);
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "\x01\x02\x03\x04\x05\x06\x07", 7);
    buf_consume(&b, 100);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    assert_null(b.data);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void
test_errors_first_wins(void **state)
{
    Arena *a = *state;
    SqlError e;
    err_init(&e, a);
    assert_false(err_is_set(&e));
    assert_int_equal(e.position, -1);
    err_setf(&e, ERR_UNDEFINED_COLUMN, 7, "column \"%s\" does not exist", "x");
    err_setf(&e, ERR_SYNTAX_ERROR, 1, "later error");
    assert_true(err_is_set(&e));
    assert_string_equal(e.sqlstate, "42703");
    assert_string_equal(e.severity, "ERROR");
    assert_string_equal(e.message, "column \"x\" does not exist");
    assert_int_equal(e.position, 7);
    err_detail(&e, "detail %d", 1);
    err_detail(&e, "detail %d", 2);
    err_hint(&e, "try %s", "this");
    assert_string_equal(e.detail, "detail 1");
    assert_string_equal(e.hint, "try this");

    SqlError c;
    err_init(&c, NULL);
    err_copy(&c, &e);
    assert_string_equal(c.sqlstate, "42703");
    assert_string_equal(c.hint, "try this");
    err_clear(&c);
    assert_false(err_is_set(&c));

    /* Detail and hint without an error are ignored; a NULL error is allowed. */
    SqlError m;
    err_init(&m, NULL);
    err_detail(&m, "nothing");
    err_hint(&m, "nothing");
    assert_null(m.detail);
    assert_null(m.hint);
    err_setf(&m, ERR_DIVISION_BY_ZERO, -1, "division by zero");
    assert_string_equal(m.sqlstate, "22012");
    err_clear(&m);
    err_setf(NULL, ERR_INTERNAL_ERROR, -1, "ignored");

    assert_string_equal(err_sqlstate(ERR_SYNTAX_ERROR), "42601");
    assert_string_equal(err_sqlstate(ERR_INVALID_TEXT_REPRESENTATION), "22P02");
    assert_string_equal(err_sqlstate(ERR_FEATURE_NOT_SUPPORTED), "0A000");
    assert_string_equal(err_sqlstate((SqlErrCode)-1), "XX000");
}

/* ---- types ------------------------------------------------------------------------------- */

static SlType
tn(const char *s)
{
    return type_from_name(s, strlen(s));
}

static void
test_types(void **state)
{
    (void)state;
    assert_string_equal(type_name(TYPE_BOOL), "boolean");
    assert_string_equal(type_name(TYPE_BIGINT), "bigint");
    assert_string_equal(type_name(TYPE_DOUBLE), "double precision");
    assert_string_equal(type_name(TYPE_TEXT), "text");
    assert_string_equal(type_name(TYPE_TIMESTAMP), "timestamp");
    assert_string_equal(type_name(TYPE_INTERVAL), "interval");
    assert_string_equal(type_name(TYPE_UNKNOWN), "unknown");
    assert_string_equal(type_name((SlType)99), "unknown");

    assert_int_equal(type_pg_oid(TYPE_BOOL), 16);
    assert_int_equal(type_pg_oid(TYPE_BIGINT), 20);
    assert_int_equal(type_pg_oid(TYPE_DOUBLE), 701);
    assert_int_equal(type_pg_oid(TYPE_TEXT), 25);
    assert_int_equal(type_pg_oid(TYPE_TIMESTAMP), 1114);
    assert_int_equal(type_pg_oid(TYPE_INTERVAL), 1186);
    assert_int_equal(type_pg_oid(TYPE_UNKNOWN), 705);

    assert_int_equal(type_pg_len(TYPE_BOOL), 1);
    assert_int_equal(type_pg_len(TYPE_BIGINT), 8);
    assert_int_equal(type_pg_len(TYPE_DOUBLE), 8);
    assert_int_equal(type_pg_len(TYPE_TEXT), -1);
    assert_int_equal(type_pg_len(TYPE_TIMESTAMP), 8);
    assert_int_equal(type_pg_len(TYPE_INTERVAL), 16);
    assert_int_equal(type_pg_len(TYPE_UNKNOWN), -2);

    assert_int_equal(tn("boolean"), TYPE_BOOL);
    assert_int_equal(tn("BOOL"), TYPE_BOOL);
    const char *ints[] = {"bigint", "int", "Integer", "int8", "INT4", "smallint"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        assert_int_equal(tn(ints[i]), TYPE_BIGINT);
    const char *dbls[] = {"double", "double precision", "DOUBLE  PRECISION", "float", "float8",
                          "real"};
    for (size_t i = 0; i < sizeof dbls / sizeof dbls[0]; i++)
        assert_int_equal(tn(dbls[i]), TYPE_DOUBLE);
    assert_int_equal(tn("text"), TYPE_TEXT);
    assert_int_equal(tn("VarChar"), TYPE_TEXT);
    assert_int_equal(tn("string"), TYPE_TEXT);
    assert_int_equal(tn("timestamp"), TYPE_TIMESTAMP);
    assert_int_equal(tn("INTERVAL"), TYPE_INTERVAL);
    assert_int_equal(tn("numeric"), TYPE_UNKNOWN);
    assert_int_equal(tn("double prec"), TYPE_UNKNOWN);
    assert_int_equal(tn(""), TYPE_UNKNOWN);
    assert_int_equal(tn("in"), TYPE_UNKNOWN);
    assert_int_equal(tn("intx"), TYPE_UNKNOWN);
    /* Only n bytes are looked at. */
    assert_int_equal(type_from_name("intervalXYZ", 8), TYPE_INTERVAL);
}

/* ---- format ------------------------------------------------------------------------------ */

static void
test_format_scalars(void **state)
{
    (void)state;
    assert_string_equal(fmt_value(val_bool(true)), "t");
    assert_string_equal(fmt_value(val_bool(false)), "f");
    assert_string_equal(fmt_value(val_int(0)), "0");
    assert_string_equal(fmt_value(val_int(-42)), "-42");
    assert_string_equal(fmt_value(val_int(INT64_MAX)), "9223372036854775807");
    assert_string_equal(fmt_value(val_int(INT64_MIN)), "-9223372036854775808");
    assert_string_equal(fmt_value(val_text("a\0b", 3)), "a");
    Buf b;
    buf_init(&b);
    Value t = val_text("a\0b", 3);
    val_format(&t, &b);
    assert_int_equal(b.len, 3);
    buf_free(&b);
    assert_string_equal(fmt_value(val_text("", 0)), "");
    assert_string_equal(fmt_value(val_null(TYPE_BIGINT)), "");
    assert_string_equal(fmt_value(val_null(TYPE_TEXT)), "");
    assert_string_equal(fmt_value(val_ts(0)), "1970-01-01 00:00:00");
    assert_string_equal(fmt_value(val_interval(10 * SEC)), "00:00:10");
}

static void
test_format_double(void **state)
{
    (void)state;
    assert_string_equal(fmt_dbl(0.1), "0.1");
    assert_string_equal(fmt_dbl(3.0), "3");
    assert_string_equal(fmt_dbl(-3.0), "-3");
    assert_string_equal(fmt_dbl(0.0), "0");
    assert_string_equal(fmt_dbl(-0.0), "-0");
    assert_string_equal(fmt_dbl(1e20), "1e+20");
    assert_string_equal(fmt_dbl(1e15), "1e+15");
    assert_string_equal(fmt_dbl(123456789012345.0), "123456789012345");
    assert_string_equal(fmt_dbl(1234567890123456.0), "1.234567890123456e+15");
    assert_string_equal(fmt_dbl(0.0001), "0.0001");
    assert_string_equal(fmt_dbl(0.00001), "1e-05");
    assert_string_equal(fmt_dbl(1.5e-7), "1.5e-07");
    assert_string_equal(fmt_dbl(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(fmt_dbl(1.0 / 3.0), "0.3333333333333333");
    assert_string_equal(fmt_dbl(2.5), "2.5");
    assert_string_equal(fmt_dbl(100.0), "100");
    assert_string_equal(fmt_dbl(123.456), "123.456");
    assert_string_equal(fmt_dbl(1e100), "1e+100");
    assert_string_equal(fmt_dbl(1.7976931348623157e308), "1.7976931348623157e+308");
    assert_string_equal(fmt_dbl(2.2250738585072014e-308), "2.2250738585072014e-308");
    assert_string_equal(fmt_dbl(5e-324), "5e-324");
    assert_string_equal(fmt_dbl(INFINITY), "Infinity");
    assert_string_equal(fmt_dbl(-INFINITY), "-Infinity");
    assert_string_equal(fmt_dbl(NAN), "NaN");
}

static void
test_double_round_trip(void **state)
{
    Arena *a = *state;
    double samples[] = {0.1, 1.0 / 3.0, 2.0 / 3.0, M_PI, -M_E, 1e-300, 6.02214076e23, 1e-5,
                        123456.789, 9007199254740993.0, 4.35, 0.3, 1e16, 5e-324, 1e308};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        Value v;
        const char *s = fmt_dbl(samples[i]);
        char copy[sizeof fmt_out];
        snprintf(copy, sizeof copy, "%s", s);
        assert_int_equal(parse(TYPE_DOUBLE, copy, a, &v), 0);
        assert_true(v.d == samples[i]);
    }
    /* Pseudo-random bit patterns. */
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (isnan(d) || isinf(d))
            continue;
        char copy[sizeof fmt_out];
        snprintf(copy, sizeof copy, "%s", fmt_dbl(d));
        Value v;
        assert_int_equal(parse(TYPE_DOUBLE, copy, a, &v), 0);
        assert_memory_equal(&v.d, &d, sizeof d);
    }
}

/* ---- parse ------------------------------------------------------------------------------- */

static void
test_parse_bool(void **state)
{
    Arena *a = *state;
    const char *yes[] = {"t", "true", "TRUE", "  True  ", "yes", "y", "on", "ON", "1", "tr"};
    const char *no[] = {"f", "false", "FALSE", "no", "n", "off", "OFF", "0", " of\t"};
    Value v;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        assert_int_equal(parse(TYPE_BOOL, yes[i], a, &v), 0);
        assert_int_equal(v.type, TYPE_BOOL);
        assert_int_equal(v.i, 1);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        assert_int_equal(parse(TYPE_BOOL, no[i], a, &v), 0);
        assert_int_equal(v.i, 0);
    }
    const char *bad[] = {"", "o", "maybe", "truex", "2", "yess", "t rue"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_equal(parse_state(TYPE_BOOL, bad[i], a), "22P02");
    parse_state(TYPE_BOOL, "maybe", a);
    assert_string_equal(last_msg, "invalid input syntax for type boolean: \"maybe\"");
}

static void
test_parse_bigint(void **state)
{
    Arena *a = *state;
    Value v;
    assert_int_equal(parse(TYPE_BIGINT, "42", a, &v), 0);
    assert_int_equal(v.type, TYPE_BIGINT);
    assert_false(v.isnull);
    assert_int_equal(v.i, 42);
    assert_int_equal(parse(TYPE_BIGINT, "  -17 ", a, &v), 0);
    assert_int_equal(v.i, -17);
    assert_int_equal(parse(TYPE_BIGINT, "+5", a, &v), 0);
    assert_int_equal(v.i, 5);
    assert_int_equal(parse(TYPE_BIGINT, "9223372036854775807", a, &v), 0);
    assert_true(v.i == INT64_MAX);
    assert_int_equal(parse(TYPE_BIGINT, "-9223372036854775808", a, &v), 0);
    assert_true(v.i == INT64_MIN);
    assert_int_equal(parse(TYPE_BIGINT, "-0", a, &v), 0);
    assert_int_equal(v.i, 0);

    assert_string_equal(parse_state(TYPE_BIGINT, "9223372036854775808", a), "22003");
    assert_string_equal(last_msg, "value \"9223372036854775808\" is out of range for type bigint");
    assert_string_equal(parse_state(TYPE_BIGINT, "-9223372036854775809", a), "22003");
    assert_string_equal(parse_state(TYPE_BIGINT, "99999999999999999999999", a), "22003");

    const char *bad[] = {"abc", "", "  ", "-", "+", "1.5", "1e3", "12a", "1 2", "--1", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_equal(parse_state(TYPE_BIGINT, bad[i], a), "22P02");
    parse_state(TYPE_BIGINT, "abc", a);
    assert_string_equal(last_msg, "invalid input syntax for type bigint: \"abc\"");
}

static void
test_parse_double(void **state)
{
    Arena *a = *state;
    Value v;
    assert_int_equal(parse(TYPE_DOUBLE, "1.5", a, &v), 0);
    assert_int_equal(v.type, TYPE_DOUBLE);
    assert_true(v.d == 1.5);
    assert_int_equal(parse(TYPE_DOUBLE, " -2e3 ", a, &v), 0);
    assert_true(v.d == -2000.0);
    assert_int_equal(parse(TYPE_DOUBLE, ".5", a, &v), 0);
    assert_true(v.d == 0.5);
    assert_int_equal(parse(TYPE_DOUBLE, "Infinity", a, &v), 0);
    assert_true(isinf(v.d) && v.d > 0);
    assert_int_equal(parse(TYPE_DOUBLE, "-inf", a, &v), 0);
    assert_true(isinf(v.d) && v.d < 0);
    assert_int_equal(parse(TYPE_DOUBLE, "NaN", a, &v), 0);
    assert_true(isnan(v.d));
    assert_int_equal(parse(TYPE_DOUBLE, "4.9e-324", a, &v), 0);
    assert_true(v.d > 0);

    assert_string_equal(parse_state(TYPE_DOUBLE, "1e400", a), "22003");
    assert_string_equal(last_msg, "\"1e400\" is out of range for type double precision");
    assert_string_equal(parse_state(TYPE_DOUBLE, "1e-400", a), "22003");
    const char *bad[] = {"abc", "", "1.5x", "0x1p3", "nan(1)", "1 2", "e5", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_equal(parse_state(TYPE_DOUBLE, bad[i], a), "22P02");
    parse_state(TYPE_DOUBLE, "abc", a);
    assert_string_equal(last_msg, "invalid input syntax for type double precision: \"abc\"");

    /* Longer than the stack scratch buffer. */
    char longnum[400];
    memset(longnum, '0', sizeof longnum);
    longnum[0] = '2';
    longnum[1] = '.';
    longnum[sizeof longnum - 2] = '1';
    longnum[sizeof longnum - 1] = '\0';
    assert_int_equal(parse(TYPE_DOUBLE, longnum, a, &v), 0);
    assert_true(v.d == 2.0);
    /* ... and one whose value underflows to zero: out of range, as in PostgreSQL. */
    longnum[0] = '0';
    assert_string_equal(parse_state(TYPE_DOUBLE, longnum, a), "22003");
}

static void
test_parse_text_and_time(void **state)
{
    Arena *a = *state;
    char src[] = "  hello  ";
    Value v;
    assert_int_equal(val_parse(TYPE_TEXT, src, strlen(src), a, &v, NULL), 0);
    assert_int_equal(v.type, TYPE_TEXT);
    assert_int_equal(v.len, 9);
    assert_true(v.s != src);
    src[2] = 'X';
    assert_memory_equal(v.s, "  hello  ", 9);

    assert_int_equal(parse(TYPE_TIMESTAMP, "2026-01-01 00:00:01.5", a, &v), 0);
    assert_int_equal(v.type, TYPE_TIMESTAMP);
    assert_string_equal(fmt_value(v), "2026-01-01 00:00:01.5");
    assert_string_equal(parse_state(TYPE_TIMESTAMP, "yesterday", a), "22007");
    assert_string_equal(last_msg, "invalid input syntax for type timestamp: \"yesterday\"");

    assert_int_equal(parse(TYPE_INTERVAL, "90 minutes", a, &v), 0);
    assert_int_equal(v.type, TYPE_INTERVAL);
    assert_string_equal(fmt_value(v), "01:30:00");
    assert_int_equal(parse(TYPE_INTERVAL, "5", a, &v), 0);
    assert_true(v.i == 5 * SEC);
    assert_string_equal(parse_state(TYPE_INTERVAL, "soon", a), "22007");
    assert_string_equal(parse_state(TYPE_INTERVAL, "1 month", a), "0A000");

    assert_string_equal(parse_state(TYPE_UNKNOWN, "x", a), "XX000");
}

static void
test_format_parse_round_trip(void **state)
{
    Arena *a = *state;
    Value vals[] = {val_bool(true), val_bool(false), val_int(0), val_int(INT64_MIN),
                    val_int(INT64_MAX), val_double(-1.25e-10), val_text("x y", 3),
                    val_ts(0), val_ts(-1), val_ts(INT64_C(1767225601500000)),
                    val_ts(INT64_C(-62135596800000000)), val_interval(0),
                    val_interval(-90 * MIN), val_interval(36 * HOUR + 250000),
                    val_interval(-1)};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char text[sizeof fmt_out];
        snprintf(text, sizeof text, "%s", fmt_value(vals[i]));
        Value back;
        if (parse((SlType)vals[i].type, text, a, &back) != 0)
            fail_msg("round trip of \"%s\": %s", text, last_msg);
        assert_true(val_equal(&vals[i], &back));
        assert_true(val_hash(&vals[i]) == val_hash(&back));
    }
}

/* ---- cmp / equal / hash ------------------------------------------------------------------ */

static void
test_cmp_equal_hash(void **state)
{
    (void)state;
    Value a = val_int(1), b = val_int(2), c = val_int(1);
    assert_true(val_cmp(&a, &b) < 0);
    assert_true(val_cmp(&b, &a) > 0);
    assert_int_equal(val_cmp(&a, &c), 0);
    assert_true(val_equal(&a, &c));
    assert_true(val_hash(&a) == val_hash(&c));
    assert_false(val_equal(&a, &b));
    Value mn = val_int(INT64_MIN), mx = val_int(INT64_MAX);
    assert_true(val_cmp(&mn, &mx) < 0);

    /* text: bytes, then length */
    Value ab = val_text("ab", 2), abc = val_text("abc", 3), b1 = val_text("b", 1);
    Value ab2 = val_text("abX", 2), e1 = val_text("", 0), e2 = val_text(NULL, 0);
    Value hi = val_text("\xff", 1);
    assert_true(val_cmp(&ab, &abc) < 0);
    assert_true(val_cmp(&abc, &b1) < 0);
    assert_true(val_cmp(&b1, &hi) < 0); /* unsigned bytes */
    assert_int_equal(val_cmp(&ab, &ab2), 0);
    assert_true(val_equal(&ab, &ab2));
    assert_true(val_hash(&ab) == val_hash(&ab2));
    assert_true(val_equal(&e1, &e2));
    assert_true(val_hash(&e1) == val_hash(&e2));
    assert_true(val_cmp(&e1, &ab) < 0);

    /* doubles: -0 == 0, NaN above everything and equal to itself */
    Value pz = val_double(0.0), nz = val_double(-0.0);
    Value nan1 = val_double(NAN), nan2 = val_double(-NAN), inf = val_double(INFINITY);
    Value one = val_double(1.0);
    assert_int_equal(val_cmp(&pz, &nz), 0);
    assert_true(val_equal(&pz, &nz));
    assert_true(val_hash(&pz) == val_hash(&nz));
    assert_true(val_cmp(&nan1, &inf) > 0);
    assert_true(val_cmp(&inf, &nan1) < 0);
    assert_true(val_cmp(&one, &inf) < 0);
    assert_int_equal(val_cmp(&nan1, &nan2), 0);
    assert_true(val_equal(&nan1, &nan2));
    assert_true(val_hash(&nan1) == val_hash(&nan2));

    /* booleans, timestamps, intervals */
    Value f = val_bool(false), t = val_bool(true);
    assert_true(val_cmp(&f, &t) < 0);
    Value t1 = val_ts(-5), t2 = val_ts(5);
    assert_true(val_cmp(&t1, &t2) < 0);
    Value i1 = val_interval(-SEC), i2 = val_interval(SEC);
    assert_true(val_cmp(&i2, &i1) > 0);

    /* NULL equals NULL for grouping, whatever its type; never equals a value */
    Value n1 = val_null(TYPE_BIGINT), n2 = val_null(TYPE_BIGINT), n3 = val_null(TYPE_TEXT);
    Value zero = val_int(0);
    assert_true(val_equal(&n1, &n2));
    assert_true(val_equal(&n1, &n3));
    assert_true(val_hash(&n1) == val_hash(&n3));
    assert_false(val_equal(&n1, &zero));
    assert_false(val_equal(&zero, &n1));

    /* same payload, different type: not equal */
    Value ts0 = val_ts(0), iv0 = val_interval(0);
    assert_false(val_equal(&zero, &ts0));
    assert_false(val_equal(&ts0, &iv0));
    assert_false(val_equal(&zero, &pz));
}

static void
test_hash_quality(void **state)
{
    (void)state;
    /* Consistent, seed-sensitive, length-sensitive, and no collisions on a simple key set. */
    assert_true(sl_hash_bytes("abc", 3, 0) == sl_hash_bytes("abc", 3, 0));
    assert_true(sl_hash_bytes("abc", 3, 0) != sl_hash_bytes("abc", 3, 1));
    assert_true(sl_hash_bytes("a", 1, 0) != sl_hash_bytes("a\0", 2, 0));
    assert_true(sl_hash_bytes("", 0, 0) != sl_hash_bytes("\0", 1, 0));
    char big[100];
    memset(big, 'q', sizeof big);
    uint64_t h1 = sl_hash_bytes(big, sizeof big, 0);
    big[57] = 'r';
    assert_true(h1 != sl_hash_bytes(big, sizeof big, 0));

    enum { N = 20000 };
    uint64_t *hs = malloc(N * sizeof *hs);
    int buckets[256] = {0};
    for (int i = 0; i < N; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "key%d", i);
        hs[i] = sl_hash_bytes(key, (size_t)n, 0);
        buckets[hs[i] & 255]++;
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < i + 50 && j < N; j++)
            assert_true(hs[i] != hs[j]);
    for (int i = 0; i < 256; i++) {
        /* expected 78 per bucket */
        assert_true(buckets[i] > 30 && buckets[i] < 140);
    }
    free(hs);

    int ib[64] = {0};
    for (int64_t i = 0; i < 6400; i++) {
        Value v = val_int(i);
        ib[val_hash(&v) & 63]++;
    }
    for (int i = 0; i < 64; i++)
        assert_true(ib[i] > 50 && ib[i] < 160);
}

static void
test_copy_text(void **state)
{
    Arena *a = *state;
    char src[] = "borrowed";
    Value v = val_text(src, 8);
    val_copy_text(&v, a);
    assert_true(v.s != src);
    memset(src, 'z', 8);
    assert_memory_equal(v.s, "borrowed", 8);
    Value i = val_int(3);
    val_copy_text(&i, a);
    assert_int_equal(i.i, 3);
    Value n = val_null(TYPE_TEXT);
    val_copy_text(&n, a);
    assert_null(n.s);
}

/* ---- timestamps -------------------------------------------------------------------------- */

static void
test_ts_parse_forms(void **state)
{
    (void)state;
    assert_true(ts_of("1970-01-01") == 0);
    assert_true(ts_of("1970-01-01 00:00:00") == 0);
    assert_true(ts_of("2026-01-01") == INT64_C(1767225600) * SEC);
    assert_true(ts_of("2026-01-01 00:00:01.5") == INT64_C(1767225601500000));
    assert_true(ts_of("2026-01-01T00:00:01.5") == INT64_C(1767225601500000));
    assert_true(ts_of("  2026-01-01 00:00:01.5Z  ") == INT64_C(1767225601500000));
    assert_true(ts_of("2026-01-01 00:00") == INT64_C(1767225600) * SEC);
    assert_true(ts_of("2026-1-2 3:04:05") == ts_of("2026-01-02 03:04:05"));
    assert_true(ts_of("2026-01-01 02:00:00+02") == ts_of("2026-01-01 00:00:00"));
    assert_true(ts_of("2026-01-01 02:30:00+02:30") == ts_of("2026-01-01 00:00:00"));
    assert_true(ts_of("2026-01-01 02:30:00 +0230") == ts_of("2026-01-01 00:00:00"));
    assert_true(ts_of("2025-12-31 19:00:00-05:00") == ts_of("2026-01-01 00:00:00"));
    assert_true(ts_of("2026-01-01 00:00:00 UTC") == ts_of("2026-01-01"));
    assert_true(ts_of("2026-01-01 24:00:00") == ts_of("2026-01-02"));
    assert_true(ts_of("2026-01-01 00:00:00.000001") == ts_of("2026-01-01") + 1);
    assert_true(ts_of("2026-01-01 00:00:00.1234565") == ts_of("2026-01-01") + 123457);
    assert_true(ts_of("2026-01-01 00:00:00.1234564") == ts_of("2026-01-01") + 123456);
    assert_true(ts_of("2026-01-01 00:00:00.9999999") == ts_of("2026-01-01 00:00:01"));
}

static void
test_ts_calendar(void **state)
{
    (void)state;
    /* pre-1970 */
    assert_true(ts_of("1969-12-31 23:59:59") == -SEC);
    assert_true(ts_of("1969-12-31 23:59:59.999999") == -1);
    assert_string_equal(fmt_ts(-1), "1969-12-31 23:59:59.999999");
    assert_string_equal(fmt_ts(-SEC), "1969-12-31 23:59:59");
    assert_string_equal(fmt_ts(-DAY), "1969-12-31 00:00:00");
    assert_string_equal(fmt_ts(-DAY - 1), "1969-12-30 23:59:59.999999");
    assert_true(ts_of("1900-01-01") == INT64_C(-2208988800) * SEC);
    assert_true(ts_of("0001-01-01") == INT64_C(-62135596800) * SEC);
    assert_string_equal(fmt_ts(INT64_C(-62135596800) * SEC), "0001-01-01 00:00:00");
    assert_string_equal(fmt_ts(INT64_C(-62135596800) * SEC - 1),
                        "0001-12-31 23:59:59.999999 BC");
    assert_string_equal(fmt_ts(ts_of("9999-12-31 23:59:59.999999")),
                        "9999-12-31 23:59:59.999999");

    /* leap years */
    assert_true(ts_of("2024-03-01") - ts_of("2024-02-28") == 2 * DAY);
    assert_true(ts_of("2023-03-01") - ts_of("2023-02-28") == DAY);
    assert_true(ts_of("2000-03-01") - ts_of("2000-02-28") == 2 * DAY);
    assert_true(ts_of("1900-03-01") - ts_of("1900-02-28") == DAY);
    assert_string_equal(fmt_ts(ts_of("2024-02-29 12:00:00")), "2024-02-29 12:00:00");
    assert_string_equal(fmt_ts(ts_of("1600-02-29")), "1600-02-29 00:00:00");
    assert_string_equal(ts_state("2023-02-29"), "22007");
    assert_string_equal(ts_state("1900-02-29"), "22007");
    assert_string_equal(ts_state("2100-02-29"), "22007");

    /* every day of several years round-trips and follows the previous one */
    int64_t prev = ts_of("1899-12-31");
    for (int64_t d = 1; d < 366 * 250; d += 1) {
        int64_t us = prev + DAY;
        char text[sizeof fmt_out];
        snprintf(text, sizeof text, "%s", fmt_ts(us));
        assert_true(ts_of(text) == us);
        prev = us;
    }
    assert_string_equal(fmt_ts(prev), "2150-07-07 00:00:00");

    /* extremes do not crash */
    fmt_ts(INT64_MIN);
    fmt_ts(INT64_MAX);
}

static void
test_ts_format(void **state)
{
    (void)state;
    assert_string_equal(fmt_ts(0), "1970-01-01 00:00:00");
    assert_string_equal(fmt_ts(INT64_C(1767225601500000)), "2026-01-01 00:00:01.5");
    assert_string_equal(fmt_ts(INT64_C(1767225600000001)), "2026-01-01 00:00:00.000001");
    assert_string_equal(fmt_ts(INT64_C(1767225600120000)), "2026-01-01 00:00:00.12");
    assert_string_equal(fmt_ts(ts_of("2026-12-31 23:59:59")), "2026-12-31 23:59:59");
}

static void
test_ts_invalid(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "   ",
        "2026",
        "2026-01",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-01-32",
        "2026-04-31",
        "0000-01-01",
        "26-01-01",
        "2026/01/01",
        "2026-01-01 25:00:00",
        "2026-01-01 24:00:01",
        "2026-01-01 24:01:00",
        "2026-01-01 12:60:00",
        "2026-01-01 12:00:60",
        "2026-01-01 12",
        "2026-01-01 12:0",
        "2026-01-01T",
        "2026-01-01 12:00:00.",
        "2026-01-01 12:00:00 junk",
        "2026-01-01 12:00:00+",
        "2026-01-01 12:00:00+16",
        "2026-01-01 12:00:00+01:60",
        "2026-01-01x",
        "x2026-01-01",
        "2026-01-01 12:00:00ZZ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (strcmp(ts_state(bad[i]), "22007") != 0)
            fail_msg("ts_parse accepted \"%s\"", bad[i]);
    }
    ts_state("2026-13-01");
    assert_string_equal(last_msg, "invalid input syntax for type timestamp: \"2026-13-01\"");
}

/* ---- intervals --------------------------------------------------------------------------- */

static void
test_interval_parse_units(void **state)
{
    (void)state;
    assert_true(iv_of("5 seconds") == 5 * SEC);
    assert_true(iv_of("5 second") == 5 * SEC);
    assert_true(iv_of("5s") == 5 * SEC);
    assert_true(iv_of("5 SECS") == 5 * SEC);
    assert_true(iv_of("1 hour 30 minutes") == 90 * MIN);
    assert_true(iv_of("1h30m") == 90 * MIN);
    assert_true(iv_of("1.5 hours") == 90 * MIN);
    assert_true(iv_of("2 days 3 hours") == 2 * DAY + 3 * HOUR);
    assert_true(iv_of("100 ms") == 100000);
    assert_true(iv_of("250 milliseconds") == 250000);
    assert_true(iv_of("7 us") == 7);
    assert_true(iv_of("7 microseconds") == 7);
    assert_true(iv_of("1 week") == 7 * DAY);
    assert_true(iv_of("2 weeks") == 14 * DAY);
    assert_true(iv_of("  @ 3 min  ") == 3 * MIN);
    assert_true(iv_of("0.1 s") == 100000);
    assert_true(iv_of(".5 minute") == 30 * SEC);
    assert_true(iv_of("1.0000005 s") == SEC + 1);      /* rounds half away from zero */
    assert_true(iv_of("-90 minutes") == -90 * MIN);
    assert_true(iv_of("-1.5 hours") == -90 * MIN);
    assert_true(iv_of("1 hour -30 minutes") == 30 * MIN); /* per-field signs, as in PG */
    assert_true(iv_of("- 1 hour 30 minutes") == -90 * MIN);
    assert_true(iv_of("1 hour ago") == -HOUR);
    assert_true(iv_of("5") == 5 * SEC);                /* bare number: seconds */
    assert_true(iv_of("-2.5") == -2500000);
}

static void
test_interval_parse_clock(void **state)
{
    (void)state;
    assert_true(iv_of("00:01:30") == 90 * SEC);
    assert_true(iv_of("01:30:00") == 90 * MIN);
    assert_true(iv_of("36:00:00") == 36 * HOUR);
    assert_true(iv_of("00:00:10.25") == 10 * SEC + 250000);
    assert_true(iv_of("01:30") == 90 * 60 * SEC); /* HH:MM, as PostgreSQL */
    assert_true(iv_of("01:30.5") == 90 * SEC + 500000); /* MM:SS.f */
    assert_true(iv_of("01:30.5") == 90 * SEC + 500000);
    assert_true(iv_of("-01:30:00") == -90 * MIN);
    assert_true(iv_of("1 day 02:00:00") == 26 * HOUR);
    assert_true(iv_of("1 day -02:00:00") == 22 * HOUR);
    assert_true(iv_of("- 1 day 02:00:00") == -26 * HOUR);
    assert_true(iv_of("100:00:00") == 100 * HOUR);
}

static void
test_interval_separate_unit(void **state)
{
    (void)state;
    assert_true(iv_of_unit("5", "SECOND") == 5 * SEC);
    assert_true(iv_of_unit("5", "minute") == 5 * MIN);
    assert_true(iv_of_unit(" 2 ", "hours") == 2 * HOUR);
    assert_true(iv_of_unit("1.5", "minute") == 90 * SEC);
    assert_true(iv_of_unit("-1.5", "minute") == -90 * SEC);
    assert_true(iv_of_unit("3", "day") == 3 * DAY);
    assert_true(iv_of_unit("10", "ms") == 10000);
    /* the string's own unit wins */
    assert_true(iv_of_unit("5 minutes", "SECOND") == 5 * MIN);
    assert_true(iv_of_unit("00:01:00", "SECOND") == MIN);
    assert_string_equal(iv_state_unit("5", "month"), "0A000");
    assert_string_equal(iv_state_unit("5", "YEAR"), "0A000");
    assert_string_equal(iv_state_unit("5", "fortnight"), "22007");
}

static void
test_interval_invalid(void **state)
{
    (void)state;
    const char *months[] = {"1 month", "2 months", "1 mon", "1 year", "3 years", "1 y", "1 yr",
                            "1 day 1 month", "1 decade", "1 MONTH"};
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        if (strcmp(iv_state(months[i]), "0A000") != 0)
            fail_msg("interval \"%s\" gave %s", months[i], last_state);
    }
    iv_state("1 month");
    assert_string_equal(last_msg, "interval units of months or years are not supported (their "
                                  "length varies); use days");

    const char *bad[] = {"", "  ", "@", "abc", "5 parsecs", "5 5", "1 hour 5", "s", "1.5.5 s",
                         "01:60:00", "01:00:60", "1.5:00", "01:", "01:30:", "01:30x",
                         "5 seconds later", "--5 s", "ago", "1 ago hour", "- ", "1 hour,"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (strcmp(iv_state(bad[i]), "22007") != 0)
            fail_msg("interval \"%s\" gave \"%s\"", bad[i], last_state);
    }
    iv_state("abc");
    assert_string_equal(last_msg, "invalid input syntax for type interval: \"abc\"");

    assert_string_equal(iv_state("99999999999999999999 s"), "22003");
    assert_string_equal(iv_state("9999999999999 weeks"), "22003");
    assert_string_equal(iv_state("2000000 weeks 2000000 weeks 2000000 weeks 2000000 weeks "
                                 "2000000 weeks 2000000 weeks 2000000 weeks 2000000 weeks"),
                        "22003");
}

static void
test_interval_format(void **state)
{
    (void)state;
    assert_string_equal(fmt_iv(0), "00:00:00");
    assert_string_equal(fmt_iv(10 * SEC), "00:00:10");
    assert_string_equal(fmt_iv(-90 * MIN), "-01:30:00");
    assert_string_equal(fmt_iv(36 * HOUR), "36:00:00");
    assert_string_equal(fmt_iv(36 * HOUR + 250000), "36:00:00.25");
    assert_string_equal(fmt_iv(1), "00:00:00.000001");
    assert_string_equal(fmt_iv(-1), "-00:00:00.000001");
    assert_string_equal(fmt_iv(1000 * HOUR + 59 * MIN + 59 * SEC), "1000:59:59");
    assert_string_equal(fmt_iv(INT64_MIN), "-2562047788:00:54.775808");
    assert_string_equal(fmt_iv(INT64_MAX), "2562047788:00:54.775807");
    /* round trip */
    int64_t samples[] = {0, 1, -1, 999999, 90 * SEC, -26 * HOUR, 7 * DAY + 1, INT64_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char text[sizeof fmt_out];
        snprintf(text, sizeof text, "%s", fmt_iv(samples[i]));
        assert_true(iv_of(text) == samples[i]);
    }
}

static void
test_interval_unit_us(void **state)
{
    (void)state;
    struct {
        const char *w;
        int64_t us;
    } cases[] = {
        {"microsecond", 1}, {"microseconds", 1}, {"us", 1},         {"usec", 1},
        {"millisecond", 1000}, {"MS", 1000},    {"msec", 1000},     {"second", SEC},
        {"Seconds", SEC},   {"s", SEC},          {"sec", SEC},       {"secs", SEC},
        {"minute", MIN},    {"minutes", MIN},    {"m", MIN},         {"min", MIN},
        {"mins", MIN},      {"hour", HOUR},      {"HOURS", HOUR},    {"h", HOUR},
        {"hr", HOUR},       {"hrs", HOUR},       {"day", DAY},       {"days", DAY},
        {"d", DAY},         {"week", 7 * DAY},   {"weeks", 7 * DAY}, {"w", 7 * DAY},
        {"month", 0},       {"year", 0},         {"", 0},            {"secondsx", 0},
        {"mon", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (interval_unit_us(cases[i].w, strlen(cases[i].w)) != cases[i].us)
            fail_msg("interval_unit_us(\"%s\")", cases[i].w);
    }
    assert_true(interval_unit_us("seconds", 3) == SEC); /* only n bytes */
    assert_true(interval_unit_us(NULL, 0) == 0);
}

static void
test_floor_div(void **state)
{
    (void)state;
    assert_true(sl_floor_div(7, 2) == 3);
    assert_true(sl_floor_div(-7, 2) == -4);
    assert_true(sl_floor_div(-6, 2) == -3);
    assert_true(sl_floor_div(-1, DAY) == -1);
    assert_true(sl_floor_div(0, DAY) == 0);
}

/* UTF-8 as PostgreSQL accepts it: no overlong forms, surrogates, code points
 * beyond U+10FFFF or NUL bytes; the offset of the first bad byte. */
static void
test_utf8(void **state)
{
    (void)state;
    static const struct { const char *s; size_t n; ptrdiff_t bad; } cases[] = {
        {"", 0, -1},
        {"plain ascii, longer than eight bytes", 36, -1},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, -1},
        {"\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7, -1},        /* U+FFFF, U+10FFFF */
        {"abc\xff", 4, 3},
        {"abcdefghij\x80", 11, 10},                     /* lone continuation */
        {"\xc0\xaf", 2, 0},                              /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0},                          /* overlong, 3 bytes */
        {"\xed\xa0\x80", 3, 0},                          /* surrogate U+D800 */
        {"\xf4\x90\x80\x80", 4, 0},                      /* U+110000 */
        {"ok\xe2\x82", 4, 2},                            /* truncated */
        {"abcdefgh\0ijk", 12, 8},                       /* NUL */
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(cases); i++)
        assert_int_equal(sl_utf8_invalid(cases[i].s, cases[i].n), cases[i].bad);
    SqlError err;
    err_init(&err, NULL);
    Value v;
    assert_int_equal(val_parse(TYPE_TEXT, "x\xff", 2, NULL, &v, &err), -1);
    assert_string_equal(err.sqlstate, "22021");
    err_clear(&err);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_arena, teardown_arena)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_arena_many_small),
        T(test_arena_large_and_reset),
        T(test_arena_strings),
        T(test_buf),
        T(test_errors_first_wins),
        T(test_types),
        T(test_format_scalars),
        T(test_format_double),
        T(test_double_round_trip),
        T(test_parse_bool),
        T(test_parse_bigint),
        T(test_parse_double),
        T(test_parse_text_and_time),
        T(test_format_parse_round_trip),
        T(test_cmp_equal_hash),
        T(test_hash_quality),
        T(test_copy_text),
        T(test_ts_parse_forms),
        T(test_ts_calendar),
        T(test_ts_format),
        T(test_ts_invalid),
        T(test_interval_parse_units),
        T(test_interval_parse_clock),
        T(test_interval_separate_unit),
        T(test_interval_invalid),
        T(test_interval_format),
        T(test_interval_unit_us),
        T(test_floor_div),
        T(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
