/*
 * tests/unit/test_copy_out.c — unit tests for server/copy_out.c: one row as a
 * line of PostgreSQL COPY text or CSV format (escapes, quoting, NULLs, typed values).
 *
 * INTERFACE
 *   main    runs every test in one cmocka group
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common/buf.h"
#include "common/value.h"
#include "server/copy_out.h"

static Value
txt(const char *s)
{
    return val_text(s, (uint32_t)strlen(s));
}

/* Encodes n values and compares the line with want. */
static void
expect_row(CopyOutFormat f, int n, const Value *vals, const char *want)
{
    Buf b;
    buf_init(&b);
    copy_out_row(&b, f, n, vals);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    buf_free(&b);
}

static void
test_text_plain(void **state)
{
    (void)state;
    Value v[4] = {val_int(7), txt("insert"), txt("AAPL"), val_double(1.5)};
    expect_row(COPY_OUT_TEXT, 4, v, "7\tinsert\tAAPL\t1.5\n");
}

static void
test_text_escapes(void **state)
{
    (void)state;
    Value v[2] = {txt("a\tb\nc\rd\\e"), txt("\b\f\v")};
    expect_row(COPY_OUT_TEXT, 2, v, "a\\tb\\nc\\rd\\\\e\t\\b\\f\\v\n");
}

static void
test_text_null_and_empty(void **state)
{
    (void)state;
    Value v[3] = {val_null(TYPE_TEXT), txt(""), val_null(TYPE_BIGINT)};
    expect_row(COPY_OUT_TEXT, 3, v, "\\N\t\t\\N\n");
}

static void
test_text_literal_backslash_n(void **state)
{
    (void)state;
    Value v[1] = {txt("\\N")}; /* the two characters, not NULL */
    expect_row(COPY_OUT_TEXT, 1, v, "\\\\N\n");
}

static void
test_csv_plain(void **state)
{
    (void)state;
    Value v[4] = {val_int(3), txt("upsert"), txt("x y"), val_bool(true)};
    expect_row(COPY_OUT_CSV, 4, v, "3,upsert,x y,t\n");
}

static void
test_csv_quoting(void **state)
{
    (void)state;
    Value v[5] = {txt("a,b"), txt("say \"hi\""), txt("two\nlines"), txt("cr\r"), txt("tab\tok")};
    expect_row(COPY_OUT_CSV, 5, v,
               "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",tab\tok\n");
}

static void
test_csv_null_vs_empty(void **state)
{
    (void)state;
    Value v[4] = {val_null(TYPE_TEXT), txt(""), val_null(TYPE_DOUBLE), txt("\\.")};
    expect_row(COPY_OUT_CSV, 4, v, ",\"\",,\"\\.\"\n");
}

static void
test_csv_backslash_unescaped(void **state)
{
    (void)state;
    Value v[1] = {txt("c:\\dir")};
    expect_row(COPY_OUT_CSV, 1, v, "c:\\dir\n");
}

static void
test_header(void **state)
{
    (void)state;
    const char *names[3] = {"_epoch", "_op", "a,b"};
    Buf b;
    buf_init(&b);
    copy_out_header(&b, COPY_OUT_CSV, 3, names);
    assert_string_equal(b.data, "_epoch,_op,\"a,b\"\n");
    buf_free(&b);
}

static void
test_appends(void **state)
{
    (void)state;
    Buf b;
    buf_init(&b);
    Value v[1] = {val_int(1)};
    copy_out_row(&b, COPY_OUT_TEXT, 1, v);
    copy_out_row(&b, COPY_OUT_TEXT, 1, v);
    assert_string_equal(b.data, "1\n1\n");
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_plain),
        cmocka_unit_test(test_text_escapes),
        cmocka_unit_test(test_text_null_and_empty),
        cmocka_unit_test(test_text_literal_backslash_n),
        cmocka_unit_test(test_csv_plain),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_null_vs_empty),
        cmocka_unit_test(test_csv_backslash_unescaped),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
