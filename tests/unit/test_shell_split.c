/*
 * tests/unit/test_shell_split.c — unit tests for the shell's statement splitter.
 *
 * The Makefile links unit tests against the server and engine objects, not the shell's, and
 * shell/ is a separate program (a libpq client). So this test includes shell/input.c itself;
 * input.c depends only on common/ (buf, util), which the engine objects provide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "shell/input.c"

/* Feed text line by line (as the shell does) and collect the pieces as "S:stmt" / "M:meta". */
static char *
split_all(const char *text, bool flush_rest)
{
    ShSplitter sp;
    sh_splitter_init(&sp);
    Buf out;
    buf_init(&out);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        sh_splitter_feed(&sp, p, n);
        p += n;
        char *piece;
        ShPiece kind;
        while ((kind = sh_splitter_next(&sp, &piece)) != SH_PIECE_NONE) {
            buf_printf(&out, "%s:%s|", kind == SH_PIECE_STMT ? "S" : "M", piece);
            free(piece);
        }
    }
    if (flush_rest) {
        char *rest = sh_splitter_rest(&sp);
        if (rest) {
            buf_printf(&out, "R:%s|", rest);
            free(rest);
        }
    }
    sh_splitter_free(&sp);
    if (!out.data)
        buf_puts(&out, "");
    return out.data;
}

#define CHECK_SPLIT(text, expected)                 \
    do {                                            \
        char *got_ = split_all((text), true);       \
        assert_string_equal(got_, (expected));      \
        free(got_);                                 \
    } while (0)

static void
test_simple(void **state)
{
    (void)state;
    CHECK_SPLIT("select 1; select 2;\n", "S:select 1;|S:select 2;|");
    CHECK_SPLIT("select\n  1\n;\n", "S:select\n  1\n;|");
    CHECK_SPLIT("SELECT 1", "R:SELECT 1|");
    CHECK_SPLIT("select 1;\nselect 2\n\n", "S:select 1;|R:select 2|");
}

static void
test_quotes(void **state)
{
    (void)state;
    CHECK_SPLIT("select 'a;b';\n", "S:select 'a;b';|");
    CHECK_SPLIT("select 'it''s; ok';\n", "S:select 'it''s; ok';|");
    CHECK_SPLIT("select 'multi\n;line';\n", "S:select 'multi\n;line';|");
    CHECK_SPLIT("select \"a;b\" from t;\n", "S:select \"a;b\" from t;|");
    CHECK_SPLIT("select \"x\"\"; y\";\n", "S:select \"x\"\"; y\";|");
    CHECK_SPLIT("select E'\\';'; select 2;\n", "S:select E'\\';';|S:select 2;|");
    /* a plain string: backslash is an ordinary character */
    CHECK_SPLIT("select '\\'; select 2;\n", "S:select '\\';|S:select 2;|");
    /* "e" ending an identifier does not make an E-string */
    CHECK_SPLIT("select some'\\'; x';\n", "S:select some'\\';|R:x';|");
}

static void
test_comments(void **state)
{
    (void)state;
    CHECK_SPLIT("select 1 -- no; end\n;\n", "S:select 1 -- no; end\n;|");
    CHECK_SPLIT("select /* a; /* nested; */ still; */ 1;\n",
                "S:select /* a; /* nested; */ still; */ 1;|");
    /* leading whitespace and -- comments are dropped, like psql; block comments are kept */
    CHECK_SPLIT("  -- intro\n\n  select 1;\n", "S:select 1;|");
    CHECK_SPLIT("/* c */ select 1;\n", "S:/* c */ select 1;|");
    CHECK_SPLIT("-- only a comment\n", "");
}

static void
test_dollar(void **state)
{
    (void)state;
    CHECK_SPLIT("do $$ begin; end $$;\n", "S:do $$ begin; end $$;|");
    CHECK_SPLIT("do $f$ a; $$ b; $f$;\n", "S:do $f$ a; $$ b; $f$;|");
    /* $1 is a parameter, not a delimiter */
    CHECK_SPLIT("select $1; select 2;\n", "S:select $1;|S:select 2;|");
}

static void
test_empty_statements(void **state)
{
    (void)state;
    CHECK_SPLIT(";\n", "");
    CHECK_SPLIT("select 1;;  ;\nselect 2;\n", "S:select 1;|S:select 2;|");
}

static void
test_meta(void **state)
{
    (void)state;
    CHECK_SPLIT("\\timing\nselect 1;\n", "M:\\timing|S:select 1;|");
    CHECK_SPLIT("select 1; \\q\n", "S:select 1;|M:\\q|");
    /* text before a meta command stays pending */
    CHECK_SPLIT("select \\d foo\n1;\n", "M:\\d foo|S:select 1;|");
    /* a backslash inside a string is not a meta command */
    CHECK_SPLIT("select '\\q';\n", "S:select '\\q';|");
}

static void
test_incremental_scan(void **state)
{
    (void)state;
    const char *s = "select 'a;\nb'; x";
    ShScan st;
    memset(&st, 0, sizeof st);
    size_t pos = 0;
    /* first part only: stops inside the string */
    assert_int_equal(sh_scan(&st, s, 10, &pos), SH_SCAN_MORE);
    assert_int_equal(pos, 10);
    assert_int_equal(st.mode, SH_LEX_SQUOTE);
    assert_int_equal(sh_scan(&st, s, strlen(s), &pos), SH_SCAN_END);
    assert_int_equal(pos, 14);
    assert_int_equal(sh_scan(&st, s, strlen(s), &pos), SH_SCAN_MORE);
    assert_int_equal(st.mode, SH_LEX_CODE);
}

static void
test_mode_and_blank(void **state)
{
    (void)state;
    ShSplitter sp;
    sh_splitter_init(&sp);
    assert_true(sh_splitter_blank(&sp));
    sh_splitter_feed(&sp, "select 'abc\n", 12);
    char *piece;
    assert_int_equal(sh_splitter_next(&sp, &piece), SH_PIECE_NONE);
    assert_false(sh_splitter_blank(&sp));
    assert_int_equal(sh_splitter_mode(&sp), SH_LEX_SQUOTE);
    sh_splitter_feed(&sp, "'\n", 2);
    assert_int_equal(sh_splitter_mode(&sp), SH_LEX_CODE);
    sh_splitter_feed(&sp, "/* open\n", 8);
    assert_int_equal(sh_splitter_mode(&sp), SH_LEX_BLOCK_COMMENT);
    sh_splitter_reset(&sp);
    assert_true(sh_splitter_blank(&sp));
    sh_splitter_free(&sp);
}

static void
test_first_word(void **state)
{
    (void)state;
    char w[32];
    assert_int_equal(sh_first_word("  SUBSCRIBE v;", w, sizeof w, NULL), 9);
    assert_string_equal(w, "subscribe");
    sh_first_word("-- c\n/* x /* y */ */ Create stream s", w, sizeof w, NULL);
    assert_string_equal(w, "create");
    assert_int_equal(sh_first_word("  ;", w, sizeof w, NULL), 0);
    assert_string_equal(w, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_dollar),
        cmocka_unit_test(test_empty_statements),
        cmocka_unit_test(test_meta),
        cmocka_unit_test(test_incremental_scan),
        cmocka_unit_test(test_mode_and_blank),
        cmocka_unit_test(test_first_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
