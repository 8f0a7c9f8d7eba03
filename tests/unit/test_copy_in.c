/*
 * tests/unit/test_copy_in.c — unit tests for server/copy_in.c: COPY FROM STDIN text and CSV
 * decoding, records split across calls, field-count and value errors.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh Fixture (stream + plan)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "planner/catalog.h"
#include "planner/planner.h"
#include "server/copy_in.h"

/* ---- fixture: a stream built by hand and a PlanCopy over it --------------------------------- */

typedef struct Fixture {
    CatObject *st;
    PlanCopy pc;
    int map[8];
    SqlError err;
    Buf dump;
} Fixture;

static int
setup(void **state)
{
    Fixture *fx = calloc(1, sizeof(*fx));
    fx->st = cat_object_new(CAT_STREAM, "s");
    err_init(&fx->err, NULL);
    buf_init(&fx->dump);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;
    err_clear(&fx->err);
    buf_free(&fx->dump);
    arena_free(fx->st->arena);
    free(fx);
    return 0;
}

/* Columns as "name:type" pairs, e.g. "a:bigint b:text". Every column is in the COPY list. */
static void
def_stream(Fixture *fx, const char *spec, bool csv)
{
    CatObject *o = fx->st;
    CatColumn *cols = ARENA_ARRAY(o->arena, CatColumn, 8);
    int n = 0;
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", spec);
    for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
        char *colon = strchr(tok, ':');
        *colon = '\0';
        cols[n].name = arena_strdup(o->arena, tok);
        cols[n].type = type_from_name(colon + 1, strlen(colon + 1));
        assert_int_not_equal(cols[n].type, TYPE_UNKNOWN);
        n++;
    }
    o->ncols = n;
    o->cols = cols;
    memset(&fx->pc, 0, sizeof(fx->pc));
    fx->pc.stream = o;
    fx->pc.ncols = n;
    for (int i = 0; i < n; i++)
        fx->map[i] = i;
    fx->pc.col_map = fx->map;
    fx->pc.csv = csv;
    fx->pc.delimiter = csv ? ',' : '\t';
    fx->pc.null_str = csv ? "" : "\\N";
}

/* Rows as text: values separated by '|', NULL as "<null>", control bytes as \xHH, one per line. */
static void
dump_rows(const CopyIn *ci, int ncols, Buf *out)
{
    int nrows;
    const Value *rows = copy_in_rows(ci, &nrows);
    Buf tmp;
    buf_init(&tmp);
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            const Value *v = &rows[(size_t)r * (size_t)ncols + (size_t)c];
            if (c)
                buf_putc(out, '|');
            if (v->isnull) {
                buf_puts(out, "<null>");
                continue;
            }
            buf_clear(&tmp);
            val_format(v, &tmp);
            for (size_t i = 0; i < tmp.len; i++) {
                unsigned char ch = (unsigned char)tmp.data[i];
                if (ch < 0x20 || ch == '|' || ch == '\\')
                    buf_printf(out, "\\x%02x", ch);
                else
                    buf_putc(out, (char)ch);
            }
        }
        buf_putc(out, '\n');
    }
    buf_free(&tmp);
}

/* Decode `in` in one call (+ finish); returns the rc and leaves the dump in fx->dump. */
static int
run(Fixture *fx, const char *in, size_t n)
{
    CopyIn *ci = copy_in_new(&fx->pc);
    int rc = copy_in_data(ci, in, n, &fx->err);
    if (rc == 0)
        rc = copy_in_finish(ci, &fx->err);
    buf_clear(&fx->dump);
    dump_rows(ci, fx->st->ncols, &fx->dump);
    buf_putc(&fx->dump, '\0');
    copy_in_free(ci);
    return rc;
}

static void
expect_rows(Fixture *fx, const char *in, const char *want)
{
    int rc = run(fx, in, strlen(in));
    if (rc != 0)
        fail_msg("unexpected error %s: %s (%s)", fx->err.sqlstate, fx->err.message,
                 fx->err.context ? fx->err.context : "");
    assert_string_equal(fx->dump.data, want);
}

static void
expect_error(Fixture *fx, const char *in, const char *sqlstate, const char *msg,
             const char *detail)
{
    int rc = run(fx, in, strlen(in));
    assert_int_equal(rc, -1);
    assert_true(err_is_set(&fx->err));
    assert_string_equal(fx->err.sqlstate, sqlstate);
    if (msg)
        assert_string_equal(fx->err.message, msg);
    if (detail) {
        assert_non_null(fx->err.context);
        assert_string_equal(fx->err.context, detail);
    }
    err_clear(&fx->err);
}

/* Decode `in` split at every byte position into two calls, and also one byte per call; every
 * run must give exactly the rows of the one-call run. */
static void
check_all_splits(Fixture *fx, const char *in)
{
    size_t n = strlen(in);
    assert_int_equal(run(fx, in, n), 0);
    char *want = strdup(fx->dump.data);
    int ncols = fx->st->ncols;
    Buf got;
    buf_init(&got);

    for (size_t k = 0; k <= n; k++) {
        CopyIn *ci = copy_in_new(&fx->pc);
        assert_int_equal(copy_in_data(ci, in, k, &fx->err), 0);
        assert_int_equal(copy_in_data(ci, in + k, n - k, &fx->err), 0);
        assert_int_equal(copy_in_finish(ci, &fx->err), 0);
        buf_clear(&got);
        dump_rows(ci, ncols, &got);
        buf_putc(&got, '\0');
        if (strcmp(got.data, want) != 0)
            fail_msg("split at %zu:\n%s\nwant:\n%s", k, got.data, want);
        copy_in_free(ci);
    }

    CopyIn *ci = copy_in_new(&fx->pc);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(copy_in_data(ci, in + i, 1, &fx->err), 0);
    assert_int_equal(copy_in_finish(ci, &fx->err), 0);
    buf_clear(&got);
    dump_rows(ci, ncols, &got);
    buf_putc(&got, '\0');
    assert_string_equal(got.data, want);
    copy_in_free(ci);

    buf_free(&got);
    free(want);
}

/* ---- text format ---------------------------------------------------------------------------- */

static void
test_text_basic(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:double", false);
    expect_rows(fx, "1\tfoo\t2.5\n2\tbar baz\t-3\n", "1|foo|2.5\n2|bar baz|-3\n");
    /* last record without a newline is taken at finish */
    expect_rows(fx, "1\tx\t1\n2\ty\t2", "1|x|1\n2|y|2\n");
    /* empty input */
    expect_rows(fx, "", "");
}

static void
test_text_escapes(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "t:text", false);
    expect_rows(fx, "\\b\\f\\n\\r\\t\\v\n", "\\x08\\x0c\\x0a\\x0d\\x09\\x0b\n");
    expect_rows(fx, "a\\\\b\n", "a\\x5cb\n");
    expect_rows(fx, "tab\\\there\n", "tab\\x09here\n");
    /* octal: 1 to 3 digits */
    expect_rows(fx, "\\101\\60\\7x\\1011\n", "A0\\x07xA1\n");
    /* hex: 1 or 2 digits; \x without a digit is 'x' */
    expect_rows(fx, "\\x41\\x4g\\x414\\xz\n", "A\\x04gA4xz\n");
    /* any other escaped byte stands for itself, including a newline */
    expect_rows(fx, "\\q\\.\\N1\n", "q.N1\n");
    expect_rows(fx, "line1\\\nline2\n", "line1\\x0aline2\n");
    /* a lone backslash at the very end of the data is dropped */
    expect_rows(fx, "ab\\", "ab\n");
    /* UTF-8 passes through */
    expect_rows(fx, "h\xc3\xa9llo\n", "h\xc3\xa9llo\n");
    /* \0 would put a NUL into the text */
    expect_error(fx, "\\0\n", "22P04", NULL, NULL);
    expect_error(fx, "\\x00\n", "22P04", NULL, NULL);
}

static void
test_text_custom_delimiter(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:text b:text", false);
    fx->pc.delimiter = ',';
    expect_rows(fx, "x\\,y,z\n", "x,y|z\n");
    expect_rows(fx, "a\tb,c\n", "a\\x09b|c\n");
    fx->pc.delimiter = '|';
    expect_rows(fx, "1|2\n", "1|2\n");
}

static void
test_text_null(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", false);
    expect_rows(fx, "\\N\t\\N\n", "<null>|<null>\n");
    /* empty field is an empty string in text format, not NULL */
    expect_rows(fx, "1\t\n", "1|\n");
    /* the null string is matched before de-escaping: \\N is the text "\N" */
    expect_rows(fx, "1\t\\\\N\n", "1|\\x5cN\n");
    expect_rows(fx, "1\t\\Nx\n", "1|Nx\n");
    fx->pc.null_str = "NULL";
    expect_rows(fx, "NULL\tNULL\n2\t\\N\n", "<null>|<null>\n2|N\n");
    fx->pc.null_str = "";
    expect_rows(fx, "\t\n", "<null>|<null>\n");
}

static void
test_text_end_marker(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", false);
    expect_rows(fx, "1\ta\n\\.\ngarbage here\n", "1|a\n");
    expect_rows(fx, "1\ta\n\\.\r\nx\n", "1|a\n");
    expect_rows(fx, "1\ta\n\\.", "1|a\n");
    /* "\\." is not the marker, nor is "\." with more on the line */
    def_stream(fx, "t:text", false);
    expect_rows(fx, "\\\\.\nx\n", "\\x5c.\nx\n");
    expect_rows(fx, "\\.x\ny\n", ".x\ny\n");
}

static void
test_text_end_marker_stops_calls(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint", false);
    CopyIn *ci = copy_in_new(&fx->pc);
    assert_int_equal(copy_in_data(ci, "1\n\\.\n", 5, &fx->err), 0);
    assert_int_equal(copy_in_data(ci, "not a number\n", 13, &fx->err), 0);
    assert_int_equal(copy_in_finish(ci, &fx->err), 0);
    int n;
    copy_in_rows(ci, &n);
    assert_int_equal(n, 1);
    assert_int_equal(copy_in_lines(ci), 1);
    assert_false(err_is_set(&fx->err));
    copy_in_free(ci);
}

static void
test_text_crlf(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", false);
    expect_rows(fx, "1\ta\r\n2\tb\r\n", "1|a\n2|b\n");
    expect_rows(fx, "1\ta\r\n2\tb\r", "1|a\n2|b\n");
    /* an escaped \r is data */
    expect_rows(fx, "1\ta\\\r\n", "1|a\\x0d\n");
    expect_rows(fx, "1\ta\\\\\r\n", "1|a\\x5c\n");
}

static void
test_text_empty_line(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "t:text", false);
    expect_rows(fx, "a\n\nb\n", "a\n\nb\n");
    def_stream(fx, "a:text b:text", false);
    expect_error(fx, "x\ty\n\n", "22P04", "missing data for column \"b\"", "COPY s, line 2: \"\"");
}

static void
test_text_splits(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:double", false);
    check_all_splits(fx, "1\tplain\t1.5\r\n"
                         "2\t\\b\\f\\n\\r\\t\\v\\\\\\\t\\101\\x41\\q\t2\n"
                         "\\N\t\\N\t\\N\n"
                         "3\tback\\\nslash newline\t3\n"
                         "4\t\\\\\t4\r\n"
                         "5\t\t5\n"
                         "\\.\n"
                         "ignored\n");
    check_all_splits(fx, "1\ta\t1\n2\tno newline at end\t2");
}

/* ---- CSV format ----------------------------------------------------------------------------- */

static void
test_csv_basic(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:text", true);
    expect_rows(fx, "1,foo,bar\n2,\"x,y\",\"say \"\"hi\"\"\"\n",
                "1|foo|bar\n2|x,y|say \"hi\"\n");
    /* quoted newlines, CRLF inside and outside quotes */
    expect_rows(fx, "1,\"two\nlines\",\"cr\r\nlf\"\r\n2,b,c\r\n",
                "1|two\\x0alines|cr\\x0d\\x0alf\n2|b|c\n");
    /* quotes may start mid-field (PostgreSQL's rule) */
    expect_rows(fx, "1,ab\"c,d\"e,\"\"\n", "1|abc,de|\n");
    /* backslashes are ordinary in CSV */
    expect_rows(fx, "1,a\\tb,\\N\n", "1|a\\x5ctb|\\x5cN\n");
    /* whitespace is kept */
    expect_rows(fx, "1, a , \" b \"\n", "1| a |  b \n");
}

static void
test_csv_null(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:text", true);
    /* unquoted empty is NULL; quoted empty is the empty string */
    expect_rows(fx, ",\"\",\n", "<null>||<null>\n");
    fx->pc.null_str = "NULL";
    expect_rows(fx, "NULL,NULL,\"NULL\"\n", "<null>|<null>|NULL\n");
    expect_rows(fx, "1,,\"\"\n", "1||\n");
}

static void
test_csv_header_and_marker(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", true);
    fx->pc.header = true;
    expect_rows(fx, "a,b\n1,x\n2,y\n", "1|x\n2|y\n");
    /* the header is not parsed, whatever it holds */
    expect_rows(fx, "not,a,header,with,many,\"fields\n\"\n1,x\n", "1|x\n");
    expect_rows(fx, "a,b\n1,x\n\\.\n2,y\n", "1|x\n");
    fx->pc.header = false;
    expect_rows(fx, "1,x\r\n\\.\r\n2,y\n", "1|x\n");
    /* "\." inside quotes is data */
    expect_rows(fx, "1,\"\n\\.\n\"\n", "1|\\x0a\\x5c.\\x0a\n");

    fx->pc.header = true;
    CopyIn *ci = copy_in_new(&fx->pc);
    assert_int_equal(copy_in_data(ci, "a,b\n1,\"x\ny\"\n2,z\n", 16, &fx->err), 0);
    assert_int_equal(copy_in_finish(ci, &fx->err), 0);
    assert_int_equal(copy_in_lines(ci), 3);
    int n;
    copy_in_rows(ci, &n);
    assert_int_equal(n, 2);
    copy_in_free(ci);
}

static void
test_csv_unterminated(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", true);
    expect_error(fx, "1,ok\n2,\"open\n", "22P04", "unterminated CSV quoted field", NULL);
}

static void
test_csv_splits(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:double", true);
    fx->pc.header = true;
    check_all_splits(fx, "a,b,c\r\n"
                         "1,plain,1.5\r\n"
                         "2,\"quoted, with \"\"quotes\"\"\r\nand lines\",2\n"
                         ",,\n"
                         "3,\"\",3\n"
                         "4,mid\"dle\"q,4\n"
                         "\\.\n"
                         "trailing junk\n");
    fx->pc.header = false;
    check_all_splits(fx, "1,\"a\n\",1\n2,\"\"\"\",2");
}

/* ---- errors --------------------------------------------------------------------------------- */

static void
test_field_count(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:bigint", false);
    expect_error(fx, "1\tx\t1\n2\ty\n", "22P04", "missing data for column \"c\"",
                 "COPY s, line 2: \"2\ty\"");
    expect_error(fx, "1\tx\t1\t9\n", "22P04", "extra data after last expected column",
                 "COPY s, line 1: \"1\tx\t1\t9\"");
    def_stream(fx, "a:bigint b:text c:bigint", true);
    expect_error(fx, "1,x\n", "22P04", "missing data for column \"c\"", NULL);
    expect_error(fx, "1,x,2,\n", "22P04", "extra data after last expected column", NULL);
    /* a quoted delimiter is not a field separator */
    expect_rows(fx, "1,\"x,y\",2\n", "1|x,y|2\n");
}

static void
test_bad_values(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:double c:timestamp", false);
    expect_error(fx, "1\t1\t2024-01-01 00:00:00\n2\t2\t2024-01-01\nx\t3\t2024-01-01\n", "22P02",
                 "invalid input syntax for type bigint: \"x\"", "COPY s, line 3, column a: \"x\"");
    expect_error(fx, "1\tabc\t2024-01-01\n", "22P02", NULL, "COPY s, line 1, column b: \"abc\"");
    expect_error(fx, "99999999999999999999\t1\t2024-01-01\n", "22003", NULL,
                 "COPY s, line 1, column a: \"99999999999999999999\"");
    expect_error(fx, "1\t1\tnot a time\n", "22007", NULL, NULL);
    /* the detail shows the de-escaped value, truncated */
    expect_error(fx, "\\x41\t1\t2024-01-01\n", "22P02", NULL, "COPY s, line 1, column a: \"A\"");
    char in[200];
    snprintf(in, sizeof(in), "1\t%0100d\t2024-01-01\n", 7);
    memset(in + 2, 'z', 100);
    expect_error(fx, in, "22P02", NULL,
                 "COPY s, line 1, column b: "
                 "\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...\"");
    /* CSV: the line counts records, so a quoted newline does not add one */
    def_stream(fx, "a:text b:bigint", true);
    fx->pc.header = true;
    expect_error(fx, "h1,h2\n\"x\ny\",1\nz,q\n", "22P02", NULL, "COPY s, line 3, column b: \"q\"");
}

static void
test_error_is_sticky(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint", false);
    CopyIn *ci = copy_in_new(&fx->pc);
    assert_int_equal(copy_in_data(ci, "1\n", 2, &fx->err), 0);
    assert_int_equal(copy_in_data(ci, "bad\n2\n", 6, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "22P02");
    int n;
    copy_in_rows(ci, &n);
    assert_int_equal(n, 1); /* the failed record is not buffered; nothing after it is read */
    int64_t lines = copy_in_lines(ci);
    assert_int_equal(copy_in_data(ci, "3\n", 2, &fx->err), -1);
    assert_int_equal(copy_in_lines(ci), lines);
    assert_int_equal(copy_in_finish(ci, &fx->err), -1);
    assert_string_equal(fx->err.message, "invalid input syntax for type bigint: \"bad\"");
    copy_in_free(ci);
}

/* ---- column list, buffering, volume --------------------------------------------------------- */

static void
test_column_subset(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text c:double d:bool", false);
    fx->pc.ncols = 2;
    fx->map[0] = 2;
    fx->map[1] = 0;
    expect_rows(fx, "1.5\t7\n\\N\t8\n", "7|<null>|1.5|<null>\n8|<null>|<null>|<null>\n");
    expect_error(fx, "1.5\t7\tx\n", "22P04", "extra data after last expected column", NULL);
    expect_error(fx, "1.5\n", "22P04", "missing data for column \"a\"", NULL);
    expect_error(fx, "x\t7\n", "22P02", NULL, "COPY s, line 1, column c: \"x\"");
}

static void
test_clear_rows(void **state)
{
    Fixture *fx = *state;
    def_stream(fx, "a:bigint b:text", false);
    CopyIn *ci = copy_in_new(&fx->pc);
    size_t empty = copy_in_buffered_bytes(ci);
    for (int i = 0; i < 1000; i++) {
        char line[64];
        int len = snprintf(line, sizeof(line), "%d\tsome text value %d\n", i, i);
        assert_int_equal(copy_in_data(ci, line, (size_t)len, &fx->err), 0);
    }
    int n;
    const Value *rows = copy_in_rows(ci, &n);
    assert_int_equal(n, 1000);
    assert_int_equal(rows[2 * 999].i, 999);
    assert_int_equal(rows[2 * 999 + 1].len, strlen("some text value 999"));
    size_t full = copy_in_buffered_bytes(ci);
    assert_true(full >= 1000 * 2 * sizeof(Value) + empty);

    copy_in_clear_rows(ci);
    copy_in_rows(ci, &n);
    assert_int_equal(n, 0);
    assert_true(copy_in_buffered_bytes(ci) < full);
    assert_int_equal(copy_in_data(ci, "5\tafter\n", 8, &fx->err), 0);
    rows = copy_in_rows(ci, &n);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].i, 5);
    assert_memory_equal(rows[1].s, "after", 5);
    assert_int_equal(copy_in_lines(ci), 1001);
    copy_in_free(ci);
}

static void
feed_chunks(Fixture *fx, const char *in, size_t n, int expect_rows_n, int64_t expect_sum)
{
    CopyIn *ci = copy_in_new(&fx->pc);
    int64_t sum = 0;
    int total = 0;
    const size_t chunk = 65536 - 7; /* odd size: records straddle every boundary */
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        assert_int_equal(copy_in_data(ci, in + off, k, &fx->err), 0);
        int nr;
        const Value *rows = copy_in_rows(ci, &nr);
        for (int r = 0; r < nr; r++)
            sum += rows[(size_t)r * 3].i;
        total += nr;
        copy_in_clear_rows(ci);
    }
    assert_int_equal(copy_in_finish(ci, &fx->err), 0);
    int nr;
    const Value *rows = copy_in_rows(ci, &nr);
    for (int r = 0; r < nr; r++)
        sum += rows[(size_t)r * 3].i;
    total += nr;
    assert_int_equal(total, expect_rows_n);
    assert_int_equal(sum, expect_sum);
    copy_in_free(ci);
}

static void
test_many_rows(void **state)
{
    Fixture *fx = *state;
    const int N = 100000;
    Buf in;
    buf_init(&in);
    int64_t sum = 0;

    def_stream(fx, "a:bigint b:text c:double", false);
    for (int i = 0; i < N; i++) {
        buf_printf(&in, "%d\tname number %d\\twith tab\t%d.25\n", i, i, i);
        sum += i;
    }
    feed_chunks(fx, in.data, in.len, N, sum);

    buf_clear(&in);
    def_stream(fx, "a:bigint b:text c:double", true);
    for (int i = 0; i < N; i++)
        buf_printf(&in, "%d,\"name, %d\",%d.5\r\n", i, i, i);
    feed_chunks(fx, in.data, in.len, N, sum);
    buf_free(&in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_custom_delimiter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_end_marker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_end_marker_stops_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_empty_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_splits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_header_and_marker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_unterminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_splits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_is_sticky, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_subset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
