/*
 * tests/unit/test_parser.c — parser/: lexer, grammar, AST dumps, errors.
 *
 * SQL goes in, ast_dump_stmt text or (SQLSTATE, byte position) comes out.
 * The lexer and keyword table are also tested directly through
 * parser/parser_int.h (module-internal; tests of a module may use it).
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
#include "parser/ast.h"
#include "parser/grammar.h"
#include "parser/parser.h"
#include "parser/parser_int.h"

/* ---------------------------------------------------------------- fixtures and helpers */

static int
setup(void **state)
{
    *state = arena_new(0);
    return 0;
}

static int
teardown(void **state)
{
    arena_free(*state);
    return 0;
}

/* Every statement's dump, one per line; or "ERR <sqlstate>@<pos>: <message>". */
static const char *
dump_sql(Arena *a, const char *sql)
{
    SqlError err;
    err_init(&err, a);
    AstStmtList l;
    Buf b;
    buf_init(&b);
    int rc = parse_sql(a, sql, strlen(sql), &l, &err);
    if (rc < 0) {
        assert_true(err_is_set(&err));
        assert_int_equal(l.n, 0);
        buf_printf(&b, "ERR %s@%d: %s", err.sqlstate, err.position, err.message);
    } else {
        assert_false(err_is_set(&err));
        for (int i = 0; i < l.n; i++) {
            if (i)
                buf_putc(&b, '\n');
            ast_dump_stmt(l.items[i], &b);
        }
    }
    buf_putc(&b, 0);
    char *out = arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

/* Parses text that must fail; returns the error (strings in a). */
static SqlError
parse_err(Arena *a, const char *sql, size_t n)
{
    SqlError err;
    err_init(&err, a);
    AstStmtList l;
    int rc = parse_sql(a, sql, n, &l, &err);
    if (rc == 0)
        fail_msg("expected an error for: %s", sql);
    assert_true(err_is_set(&err));
    return err;
}

/* ---------------------------------------------------------------- lexer */

typedef struct LexCase {
    const char *text;
    int code;
    int pos;
    const char *value; /* Token.s as a string */
} LexCase;

static void
test_lexer_tokens(void **state)
{
    Arena *a = *state;
    const char *sql =
        "SeLeCt Foo_1 \"MiXed\"\"Q\" 42 1.5 .5 1e10 2.5E-3 7. 'it''s' '' + - * / % || = <> != < <= > >= :: ( ) , ; . "
        "-- line comment\n /* block /* nested */ still */ x$y emit\tNOT like not WITH time with";
    static const LexCase want[] = {
        {"SeLeCt", TK_SELECT, 0, "select"},
        {"Foo_1", TK_ID, 7, "foo_1"},
        {"\"MiXed\"\"Q\"", TK_ID, 13, "MiXed\"Q"},
        {"42", TK_INTEGER, 24, "42"},
        {"1.5", TK_FLOAT, 27, "1.5"},
        {".5", TK_FLOAT, 31, ".5"},
        {"1e10", TK_FLOAT, 34, "1e10"},
        {"2.5E-3", TK_FLOAT, 39, "2.5E-3"},
        {"7.", TK_FLOAT, 46, "7."},
        {"'it''s'", TK_STRING, 49, "it's"},
        {"''", TK_STRING, 57, ""},
        {"+", TK_PLUS, 60, "+"},
        {"-", TK_MINUS, 62, "-"},
        {"*", TK_STAR, 64, "*"},
        {"/", TK_SLASH, 66, "/"},
        {"%", TK_PERCENT, 68, "%"},
        {"||", TK_CONCAT, 70, "||"},
        {"=", TK_EQ, 73, "="},
        {"<>", TK_NE, 75, "<>"},
        {"!=", TK_NE, 78, "!="},
        {"<", TK_LT, 81, "<"},
        {"<=", TK_LE, 83, "<="},
        {">", TK_GT, 86, ">"},
        {">=", TK_GE, 88, ">="},
        {"::", TK_DCOLON, 91, "::"},
        {"(", TK_LP, 94, "("},
        {")", TK_RP, 96, ")"},
        {",", TK_COMMA, 98, ","},
        {";", TK_SEMI, 100, ";"},
        {".", TK_DOT, 102, "."},
        {"x$y", TK_ID, 152, "x$y"},
        {"emit", TK_EMIT, 156, "emit"},
        {"NOT", TK_NOT_LA, 161, "not"},   /* NOT before LIKE */
        {"like", TK_LIKE, 165, "like"},
        {"not", TK_NOT, 170, "not"},      /* NOT before WITH */
        {"WITH", TK_WITH_LA, 174, "with"}, /* WITH before TIME */
        {"time", TK_TIME, 179, "time"},
        {"with", TK_WITH, 184, "with"},
    };
    Lexer lx;
    lex_init(&lx, a, sql, strlen(sql));
    SqlError err;
    err_init(&err, a);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        Token t;
        int code = lex_next(&lx, &t, &err);
        assert_int_equal(code, want[i].code);
        assert_int_equal(t.code, want[i].code);
        assert_int_equal(t.s.pos, want[i].pos);
        assert_int_equal(t.raw_n, strlen(want[i].text));
        assert_memory_equal(sql + t.s.pos, want[i].text, t.raw_n);
        assert_int_equal(t.s.n, strlen(want[i].value));
        assert_memory_equal(t.s.p, want[i].value, t.s.n);
    }
    Token t;
    assert_int_equal(lex_next(&lx, &t, &err), 0);
    assert_int_equal(t.s.pos, (int)strlen(sql));
    assert_false(err_is_set(&err));
}

static void
test_lexer_identifiers_nul_terminated(void **state)
{
    Arena *a = *state;
    const char *sql = "ABC \"Def\" Ünï";
    Lexer lx;
    lex_init(&lx, a, sql, strlen(sql));
    SqlError err;
    err_init(&err, a);
    Token t;
    assert_int_equal(lex_next(&lx, &t, &err), TK_ID);
    assert_string_equal(t.s.p, "abc");
    assert_int_equal(lex_next(&lx, &t, &err), TK_ID);
    assert_string_equal(t.s.p, "Def");
    /* bytes >= 0x80 are identifier characters; only ASCII folds */
    assert_int_equal(lex_next(&lx, &t, &err), TK_ID);
    assert_string_equal(t.s.p, "Ünï");
    assert_int_equal(t.s.pos, 10);
}

static void
test_lexer_errors(void **state)
{
    Arena *a = *state;
    static const struct {
        const char *sql;
        int pos;
        const char *msg;
    } cases[] = {
        {"x 'abc", 2, "unterminated quoted string at or near \"'abc\""},
        {"x /* a /* b */", 2, "unterminated /* comment at or near \"/* a /* b */\""},
        {"x \"ab", 2, "unterminated quoted identifier at or near \"\"ab\""},
        {"x \"\"", 2, "zero-length delimited identifier at or near \"\"\"\""},
        {"x @", 2, "syntax error at or near \"@\""},
        {"x 12ab", 2, "trailing junk after numeric literal at or near \"12ab\""},
        {"x 1e", 2, "trailing junk after numeric literal at or near \"1e\""},
        {"x : y", 2, "syntax error at or near \":\""},
        {"x | y", 2, "syntax error at or near \"|\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Lexer lx;
        lex_init(&lx, a, cases[i].sql, strlen(cases[i].sql));
        SqlError err;
        err_init(&err, a);
        Token t;
        assert_int_equal(lex_next(&lx, &t, &err), TK_ID);
        assert_int_equal(lex_next(&lx, &t, &err), -1);
        assert_string_equal(err.sqlstate, "42601");
        assert_int_equal(err.position, cases[i].pos);
        assert_string_equal(err.message, cases[i].msg);
    }
}

static void
test_lexer_comments_only(void **state)
{
    Arena *a = *state;
    assert_string_equal(dump_sql(a, ""), "");
    assert_string_equal(dump_sql(a, "   \n\t "), "");
    assert_string_equal(dump_sql(a, "-- just a comment"), "");
    assert_string_equal(dump_sql(a, "/* c */ ; ;; -- x\n;"), "");
    assert_string_equal(dump_sql(a, "SELECT/**/1--x"), "(query@0:11 (select@0 (targets (int@10 1))))");
}

/* ---------------------------------------------------------------- statements */

static const struct {
    const char *sql;
    const char *dump;
} stmt_cases[] = {
    {"CREATE STREAM bids (auction BIGINT, price BIGINT NOT NULL, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (source = 'socket', port = 9999, follow = true, format text)",
     "(create_stream@0:184 bids (columns (@20 auction bigint) (@36 price bigint not-null) (@59 ts timestamp)) (watermark@73 ts (-@93 (col@93 ts) (typed@98 interval '5' second))) (with (@125 source (str@134 'socket')) (@144 port (int@151 9999)) (@157 follow (bool@166 true)) (@172 format (col@179 text))))"},
    {"CREATE STREAM IF NOT EXISTS s (a INT, b DOUBLE PRECISION, c VARCHAR(20), d TIMESTAMP WITH TIME ZONE, e timestamp without time zone, f TIMESTAMPTZ, g INTERVAL, h bool, i REAL NULL, \"Mixed\" text)",
     "(create_stream@0:193 s if-not-exists (columns (@31 a int) (@38 b \"double precision\") (@58 c varchar) (@73 d \"timestamp with time zone\") (@101 e \"timestamp without time zone\") (@132 f timestamptz) (@147 g interval) (@159 h bool) (@167 i real) (@180 \"Mixed\" text)))"},
    {"CREATE STREAM big_bids WITH (x = -1.5) AS SELECT * FROM bids WHERE price > 1000",
     "(create_stream@0:79 big_bids (with (@29 x (neg@33 (float@34 1.5)))) (select@42 (targets (star@49)) (from@56 bids) (where (>@67 (col@67 price) (int@75 1000)))))"},
    {"CREATE VIEW hot AS SELECT auction, window_start, count(*) AS bids FROM HOP(bids, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) GROUP BY auction, window_start EMIT UPDATE EVERY INTERVAL '2' SECOND",
     "(create_view@0:196 hot (select@19 (targets (col@26 auction) (col@35 window_start) (as (func@49 count *) bids)) (from-func@71 hop (col@75 bids) (col@81 ts) (typed@85 interval '10' second) (typed@107 interval '1' minute)) (group (col@137 auction) (col@146 window_start)) (emit@159 update) (every@171 (typed@177 interval '2' second))))"},
    {"CREATE OR REPLACE VIEW IF NOT EXISTS v WITH (retention = '1 hour') AS SELECT DISTINCT a.b, q.*, x AS y, z w FROM s AS q WHERE a = 1 AND NOT b OR c GROUP BY 1 HAVING count(*) > 2 ORDER BY a DESC NULLS LAST, b ASC, c NULLS FIRST LIMIT 10 OFFSET 5 EMIT COMPLETE ON DEMAND",
     "(create_view@0:268 v or-replace if-not-exists (with (@45 retention (str@57 '1 hour'))) (select@70 distinct (targets (col@86 a.b) (star@91 q) (as (col@96 x) y) (as (col@104 z) w)) (from@113 s (alias q)) (where (or@126 (and@126 (=@126 (col@126 a) (int@130 1)) (not@136 (col@140 b))) (col@145 c))) (group (int@156 1)) (having (>@165 (func@165 count *) (int@176 2))) (order (desc (col@187 a) nulls-last) (asc (col@206 b)) (asc (col@213 c) nulls-first)) (limit (int@233 10)) (offset (int@243 5)) (emit@245 complete) (on-demand@259)))"},
    {"create view v as select * from tumble(s, ts, interval '1 minute') t emit append every row",
     "(create_view@0:89 v (select@17 (targets (star@24)) (from-func@31 tumble (col@38 s) (col@41 ts) (typed@45 interval '1 minute') (alias t)) (emit@68 append) (every-row@80)))"},
    {"SELECT a FROM s EVERY ROW",
     "(query@0:25 (select@0 (targets (col@7 a)) (from@14 s) (every-row@16)))"},
    {"SELECT a FROM s ON DEMAND",
     "(query@0:25 (select@0 (targets (col@7 a)) (from@14 s) (on-demand@16)))"},
    {"SELECT 1",
     "(query@0:8 (select@0 (targets (int@7 1))))"},
    {"SELECT ALL a FROM f() x",
     "(query@0:23 (select@0 (targets (col@11 a)) (from-func@18 f (alias x))))"},
    {"INSERT INTO bids VALUES (1, -7, 1.5, TIMESTAMP '2026-01-01 00:00:01'), (2, 3, 4, NULL)",
     "(insert@0:86 bids (values (row (int@25 1) (neg@28 (int@29 7)) (float@32 1.5) (typed@37 timestamp '2026-01-01 00:00:01')) (row (int@72 2) (int@75 3) (int@78 4) (null@81))))"},
    {"INSERT INTO bids (auction, \"Price\") VALUES ('a''b', DATE '2026-01-01')",
     "(insert@0:70 bids (columns auction \"Price\") (values (row (str@44 'a''b') (typed@52 date '2026-01-01'))))"},
    {"COPY bids (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', NULL '')",
     "(copy@0:82 bids (columns a b) (with (@34 format (col@41 csv)) (@46 header (bool@53 true)) (@59 delimiter (str@69 ',')) (@74 null (str@79 ''))))"},
    {"COPY bids FROM STDIN (format 'text', header)",
     "(copy@0:44 bids (with (@22 format (str@29 'text')) (@37 header (bool@37 true))))"},
    {"COPY bids FROM STDIN CSV HEADER",
     "(copy@0:31 bids (with (@21 format (str@21 'csv')) (@25 header (bool@25 true))))"},
    {"copy bids from stdin with csv delimiter as ';' null as 'NA'",
     "(copy@0:59 bids (with (@26 format (str@26 'csv')) (@30 delimiter (str@43 ';')) (@47 null (str@55 'NA'))))"},
    {"SUBSCRIBE v",
     "(subscribe@0:11 v)"},
    {"SUBSCRIBE TO v EMIT UPDATE WHERE x > 1 FROM EPOCH 3 LIMIT 10 WITH (timeout = '2 seconds')",
     "(subscribe@0:89 v (emit@15 update) (where (>@33 (col@33 x) (int@37 1))) (from-epoch (int@50 3)) (limit (int@58 10)) (with (@67 timeout (str@77 '2 seconds'))))"},
    {"subscribe v emit complete",
     "(subscribe@0:25 v (emit@12 complete))"},
    {"COPY (SUBSCRIBE v LIMIT 3) TO STDOUT",
     "(copy_out@0:36 (subscribe@6:6 v (limit (int@24 3))))"},
    {"copy (subscribe v from epoch 2) to stdout with (format csv, header)",
     "(copy_out@0:67 (subscribe@6:6 v (from-epoch (int@29 2))) (with (@48 format (col@55 csv)) (@60 header (bool@60 true))))"},
    {"DECLARE c CURSOR FOR SUBSCRIBE v",
     "(declare@0:32 c (subscribe@21:21 v))"},
    {"DECLARE \"C\" NO SCROLL CURSOR WITH HOLD FOR SUBSCRIBE v WHERE x > 1",
     "(declare@0:66 \"C\" (subscribe@43:43 v (where (>@61 (col@61 x) (int@65 1)))))"},
    {"declare c cursor without hold for subscribe v",
     "(declare@0:45 c (subscribe@34:34 v))"},
    {"FETCH 10 FROM c",
     "(fetch@0:15 10 c)"},
    {"fetch forward 2 in c",
     "(fetch@0:20 2 c)"},
    {"FETCH ALL c",
     "(fetch@0:11 all c)"},
    {"FETCH FORWARD ALL FROM c",
     "(fetch@0:24 all c)"},
    {"CLOSE c",
     "(close@0:7 c)"},
    {"close all",
     "(close@0:9 all)"},
    {"SHOW STREAMS",
     "(show@0:12 streams)"},
    {"SHOW views",
     "(show@0:10 views)"},
    {"SHOW TABLES",
     "(show@0:11 tables)"},
    {"SHOW SINKS",
     "(show@0:10 sinks)"},
    {"SHOW QUERIES",
     "(show@0:12 queries)"},
    {"SHOW ALL",
     "(show@0:8 all)"},
    {"SHOW bids STATUS",
     "(show@0:16 status bids)"},
    {"SHOW server_version",
     "(show@0:19 param server_version)"},
    {"SHOW TRANSACTION ISOLATION LEVEL",
     "(show@0:32 param transaction_isolation)"},
    {"SHOW TIME ZONE",
     "(show@0:14 param timezone)"},
    {"DESCRIBE bids",
     "(describe@0:13 bids)"},
    {"DROP STREAM IF EXISTS bids CASCADE",
     "(drop@0:34 stream bids if-exists cascade)"},
    {"DROP VIEW v RESTRICT",
     "(drop@0:20 view v)"},
    {"DROP SINK k",
     "(drop@0:11 sink k)"},
    {"DROP TABLE t",
     "(drop@0:12 table t)"},
    {"EXPLAIN SELECT 1",
     "(explain@0:16 (query@8:16 (select@8 (targets (int@15 1)))))"},
    {"EXPLAIN ANALYZE CREATE VIEW v AS SELECT a FROM s",
     "(explain@0:48 analyze (create_view@16:48 v (select@33 (targets (col@40 a)) (from@47 s))))"},
    {"EXPLAIN CREATE STREAM d AS SELECT * FROM s",
     "(explain@0:42 (create_stream@8:42 d (select@27 (targets (star@34)) (from@41 s))))"},
    {"REFRESH VIEW v",
     "(refresh@0:14 v)"},
    {"SET x = 1",
     "(set@0:9 x (int@8 1))"},
    {"SET SESSION x TO 'a'",
     "(set@0:20 x (str@17 'a'))"},
    {"SET LOCAL search_path = a, b",
     "(set@0:28 local search_path (col@24 a))"},
    {"SET x TO DEFAULT",
     "(set@0:16 x default)"},
    {"SET standard_conforming_strings = on",
     "(set@0:36 standard_conforming_strings (col@34 on))"},
    {"SET TIME ZONE 'UTC'",
     "(set@0:19 timezone (str@14 'UTC'))"},
    {"SET extra_float_digits = -3",
     "(set@0:27 extra_float_digits (neg@25 (int@26 3)))"},
    {"BEGIN",
     "(txn@0:5 begin)"},
    {"BEGIN WORK",
     "(txn@0:10 begin)"},
    {"START TRANSACTION",
     "(txn@0:17 begin)"},
    {"COMMIT",
     "(txn@0:6 commit)"},
    {"COMMIT TRANSACTION",
     "(txn@0:18 commit)"},
    {"END",
     "(txn@0:3 commit)"},
    {"ROLLBACK",
     "(txn@0:8 rollback)"},
    {"ABORT",
     "(txn@0:5 rollback)"},
    {"BEGIN ISOLATION LEVEL READ COMMITTED, READ ONLY",
     "(txn@0:47 begin [ISOLATION LEVEL READ COMMITTED, READ ONLY])"},
    {"START TRANSACTION NOT DEFERRABLE",
     "(txn@0:32 begin [NOT DEFERRABLE])"},
    {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
     "(session@0:44 set-transaction [ISOLATION LEVEL SERIALIZABLE])"},
    {"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
     "(session@0:53 set-session-transaction [READ WRITE])"},
    {"SET myapp.Mode = 'x'",
     "(set@0:20 \"myapp.mode\" (str@17 'x'))"},
    {"SHOW myapp.mode",
     "(show@0:15 param \"myapp.mode\")"},
    {"RESET statement_timeout",
     "(session@0:23 reset statement_timeout)"},
    {"RESET ALL",
     "(session@0:9 reset-all)"},
    {"RESET TIME ZONE",
     "(session@0:15 reset timezone)"},
    {"DISCARD ALL",
     "(session@0:11 discard-all)"},
    {"DISCARD PLANS",
     "(session@0:13 discard plans)"},
    {"DEALLOCATE PREPARE s1",
     "(session@0:21 deallocate s1)"},
    {"DEALLOCATE ALL",
     "(session@0:14 deallocate-all)"},
    {"LISTEN v",
     "(session@0:8 listen v)"},
    {"LISTEN \"My View\"",
     "(session@0:16 listen \"My View\")"},
    {"UNLISTEN v",
     "(session@0:10 unlisten v)"},
    {"UNLISTEN *",
     "(session@0:10 unlisten-all)"},
    {"NOTIFY v, 'hello'",
     "(session@0:17 notify v [hello])"},
};

static void
test_statements(void **state)
{
    Arena *a = *state;
    for (size_t i = 0; i < sizeof stmt_cases / sizeof stmt_cases[0]; i++) {
        const char *got = dump_sql(a, stmt_cases[i].sql);
        if (strcmp(got, stmt_cases[i].dump) != 0)
            fail_msg("%s\n  want %s\n  got  %s", stmt_cases[i].sql, stmt_cases[i].dump, got);
    }
}

/* The AST fields the planner reads, checked directly rather than via the dump. */
static void
test_create_view_fields(void **state)
{
    Arena *a = *state;
    const char *sql = "CREATE VIEW v AS SELECT k, count(*) FROM TUMBLE(s, ts, INTERVAL '1' MINUTE) "
                      "GROUP BY k EMIT APPEND EVERY INTERVAL '2' SECOND;";
    SqlError err;
    err_init(&err, a);
    AstStmtList l;
    assert_int_equal(parse_sql(a, sql, strlen(sql), &l, &err), 0);
    assert_int_equal(l.n, 1);
    AstStmt *s = l.items[0];
    assert_int_equal(s->kind, AST_CREATE_VIEW);
    assert_int_equal(s->pos, 0);
    assert_int_equal(s->end, (int)strlen(sql) - 1);
    assert_string_equal(s->create_view.name.p, "v");
    AstSelect *q = s->create_view.select;
    assert_int_equal(q->ntargets, 2);
    assert_int_equal(q->targets[1].expr->kind, AST_FUNC);
    assert_true(q->targets[1].expr->func.star);
    assert_int_equal(q->from->kind, AST_FROM_FUNC);
    assert_string_equal(q->from->name.p, "tumble");
    assert_int_equal(q->from->args.n, 3);
    assert_int_equal(q->from->args.items[0]->kind, AST_COLUMN);
    assert_int_equal(q->from->args.items[2]->lit.kind, AST_LIT_TYPED);
    assert_memory_equal(q->from->args.items[2]->lit.unit.p, "minute", 6);
    assert_int_equal(q->group_by.n, 1);
    assert_int_equal(q->emit.mode, AST_EMIT_APPEND);
    assert_int_equal(q->emit.mode_pos, (int)(strstr(sql, "EMIT") - sql));
    assert_int_equal(q->emit.trigger, AST_TRIGGER_EVERY);
    assert_int_equal(q->emit.trigger_pos, (int)(strstr(sql, "EVERY") - sql));
    assert_non_null(q->emit.every);
    assert_null(q->where);
    assert_null(q->limit);
    /* absent things are -1 / NULL */
    const char *sql2 = "SELECT 1";
    assert_int_equal(parse_sql(a, sql2, strlen(sql2), &l, &err), 0);
    assert_int_equal(l.items[0]->select->emit.mode, AST_EMIT_DEFAULT);
    assert_int_equal(l.items[0]->select->emit.mode_pos, -1);
    assert_int_equal(l.items[0]->select->emit.trigger_pos, -1);
    assert_null(l.items[0]->select->from);
}

static void
test_multiple_statements(void **state)
{
    Arena *a = *state;
    assert_string_equal(dump_sql(a, "SELECT 1; ;SHOW ALL ;\n  DESCRIBE s"),
                        "(query@0:8 (select@0 (targets (int@7 1))))\n"
                        "(show@11:19 all)\n"
                        "(describe@24:34 s)");
    assert_string_equal(dump_sql(a, "BEGIN;COMMIT;"), "(txn@0:5 begin)\n(txn@6:12 commit)");
    /* an error anywhere means no statements at all */
    assert_string_equal(dump_sql(a, "SELECT 1; SELECT 2 3; SELECT 4"),
                        "ERR 42601@19: syntax error at or near \"3\"");
}

/* ---------------------------------------------------------------- expressions */

static const struct {
    const char *expr;
    const char *dump;
} expr_cases[] = {
    {"1 + 2 * 3", "(+@7 (int@7 1) (*@11 (int@11 2) (int@15 3)))"},
    {"1 - 2 - 3", "(-@7 (-@7 (int@7 1) (int@11 2)) (int@15 3))"},
    {"1 + 2 || 'x' || 3 * 4", "(||@7 (||@7 (+@7 (int@7 1) (int@11 2)) (str@16 'x')) (*@23 (int@23 3) (int@27 4)))"},
    {"10 / 2 % 3", "(%@7 (/@7 (int@7 10) (int@12 2)) (int@16 3))"},
    {"-1::int", "(neg@7 (cast@8 (int@8 1) int))"},
    {"- - 2", "(neg@7 (neg@9 (int@11 2)))"},
    {"+3", "(plus@7 (int@8 3))"},
    {"-a * b", "(*@7 (neg@7 (col@8 a)) (col@12 b))"},
    {"a::int::text", "(cast@7 (cast@7 (col@7 a) int) text)"},
    {"a OR b AND c", "(or@7 (col@7 a) (and@12 (col@12 b) (col@18 c)))"},
    {"NOT a AND b", "(and@7 (not@7 (col@11 a)) (col@17 b))"},
    {"NOT a = b", "(not@7 (=@11 (col@11 a) (col@15 b)))"},
    {"a = b AND c <> d OR e != f", "(or@7 (and@7 (=@7 (col@7 a) (col@11 b)) (<>@17 (col@17 c) (col@22 d))) (<>@27 (col@27 e) (col@32 f)))"},
    {"a < b + 1", "(<@7 (col@7 a) (+@11 (col@11 b) (int@15 1)))"},
    {"a <= b", "(<=@7 (col@7 a) (col@12 b))"},
    {"a > b", "(>@7 (col@7 a) (col@11 b))"},
    {"a >= b", "(>=@7 (col@7 a) (col@12 b))"},
    {"a IS NULL", "(is@7 (col@7 a) null)"},
    {"a IS NOT NULL", "(is@7 (col@7 a) not null)"},
    {"a IS TRUE", "(is@7 (col@7 a) true)"},
    {"a IS NOT FALSE", "(is@7 (col@7 a) not false)"},
    {"a ISNULL", "(is@7 (col@7 a) null)"},
    {"a NOTNULL", "(is@7 (col@7 a) not null)"},
    {"NOT a IS NULL", "(not@7 (is@11 (col@11 a) null))"},
    {"a = b IS NULL", "(is@7 (=@7 (col@7 a) (col@11 b)) null)"},
    {"a BETWEEN 1 AND 2", "(between@7 (col@7 a) (int@17 1) (int@23 2))"},
    {"a NOT BETWEEN 1 AND 2 AND b", "(and@7 (not-between@7 (col@7 a) (int@21 1) (int@27 2)) (col@33 b))"},
    {"x BETWEEN a + 1 AND b * 2 OR y", "(or@7 (between@7 (col@7 x) (+@17 (col@17 a) (int@21 1)) (*@27 (col@27 b) (int@31 2))) (col@36 y))"},
    {"a IN (1, 2, 3)", "(in@7 (col@7 a) (int@13 1) (int@16 2) (int@19 3))"},
    {"a NOT IN ('x')", "(not-in@7 (col@7 a) (str@17 'x'))"},
    {"a LIKE 'x%'", "(like@7 (col@7 a) (str@14 'x%'))"},
    {"a NOT LIKE b", "(not-like@7 (col@7 a) (col@18 b))"},
    {"a ILIKE 'x'", "(ilike@7 (col@7 a) (str@15 'x'))"},
    {"a NOT ILIKE 'x'", "(not-ilike@7 (col@7 a) (str@19 'x'))"},
    {"a = b NOT LIKE c", "(=@7 (col@7 a) (not-like@11 (col@11 b) (col@22 c)))"},
    {"a || b LIKE c", "(like@7 (||@7 (col@7 a) (col@12 b)) (col@19 c))"},
    {"CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END", "(case@7 (when (col@17 a) (int@24 1)) (when (col@31 b) (int@38 2)) (else (int@45 3)))"},
    {"CASE x WHEN 1 THEN 'a' END", "(case@7 (operand (col@12 x)) (when (int@19 1) (str@26 'a')))"},
    {"CAST(x AS bigint)", "(cast@7 (col@12 x) bigint)"},
    {"x::double precision", "(cast@7 (col@7 x) \"double precision\")"},
    {"CAST(ts AS timestamp with time zone)", "(cast@7 (col@12 ts) \"timestamp with time zone\")"},
    {"extract(epoch FROM ts)", "(func@7 extract (str@15 'epoch') (col@26 ts))"},
    {"EXTRACT('Hour' from ts)", "(func@7 extract (str@15 'hour') (col@27 ts))"},
    {"now()", "(func@7 now)"},
    {"coalesce(a, b)", "(func@7 coalesce (col@16 a) (col@19 b))"},
    {"count(DISTINCT x)", "(func@7 count distinct (col@22 x))"},
    {"count(*)", "(func@7 count *)"},
    {"nullif(a, b)", "(func@7 nullif (col@14 a) (col@17 b))"},
    {"greatest(a, b, c)", "(func@7 greatest (col@16 a) (col@19 b) (col@22 c))"},
    {"1.5", "(float@7 1.5)"},
    {".5", "(float@7 .5)"},
    {"1e10", "(float@7 1e10)"},
    {"1.5E-3", "(float@7 1.5E-3)"},
    {"3.", "(float@7 3.)"},
    {"'it''s'", "(str@7 'it''s')"},
    {"\"Quoted\"\"Id\"", "(col@7 \"Quoted\"\"Id\")"},
    {"TRUE", "(bool@7 true)"},
    {"false", "(bool@7 false)"},
    {"null", "(null@7)"},
    {"TIMESTAMP '2026-01-01 00:00:00'", "(typed@7 timestamp '2026-01-01 00:00:00')"},
    {"INTERVAL '5 seconds'", "(typed@7 interval '5 seconds')"},
    {"interval '1' hours", "(typed@7 interval '1' hours)"},
    {"INTERVAL '3' MILLISECONDS", "(typed@7 interval '3' milliseconds)"},
    {"(((1)))", "(int@10 1)"},
    {"(a + b) * c", "(*@8 (+@8 (col@8 a) (col@12 b)) (col@17 c))"},
    {"q.col", "(col@7 q.col)"},
    {"\"Q\".\"C\"", "(col@7 \"Q\".\"C\")"},
    {"timestamp", "(col@7 timestamp)"},
    {"interval", "(col@7 interval)"},
    {"date", "(col@7 date)"},
    {"status + key", "(+@7 (col@7 status) (col@16 key))"},
};

static void
test_expressions_and_precedence(void **state)
{
    Arena *a = *state;
    for (size_t i = 0; i < sizeof expr_cases / sizeof expr_cases[0]; i++) {
        const char *sql = arena_sprintf(a, "SELECT %s", expr_cases[i].expr);
        const char *want = arena_sprintf(a, "(query@0:%d (select@0 (targets %s)))",
                                         (int)strlen(sql), expr_cases[i].dump);
        const char *got = dump_sql(a, sql);
        if (strcmp(got, want) != 0)
            fail_msg("%s\n  want %s\n  got  %s", sql, want, got);
    }
}

/* ---------------------------------------------------------------- errors */

static const struct {
    const char *sql;
    int pos;
} bad_cases[] = {
    {"SELEC 1", 0},
    {"SELECT * FROM", 13},
    {"SELECT * FROM;", 13},
    {"SELECT (1 + 2", 13},
    {"SELECT 1 + 2)", 12},
    {"SELECT count(*", 14},
    {"SELECT a FROM s WHERE", 21},
    {"SELECT a FROM s WHERE a =", 25},
    {"SELECT a FROM s GROUP a", 22},
    {"SELECT a FROM s ORDER a", 22},
    {"SELECT a, FROM s", 10},
    {"SELECT a b c FROM s", 11},
    {"SELECT a FROM s EMIT BOGUS", 21},
    {"SELECT a FROM s AS t EMIT", 25},
    {"SELECT a FROM s EMIT UPDATE EVERY", 33},
    {"SELECT a FROM s ON", 18},
    {"SELECT a FROM s EMIT UPDATE EMIT APPEND", 28},
    {"SELECT a < b < c", 13},
    {"SELECT a = b = c", 13},
    {"SELECT 'abc", 7},
    {"SELECT a FROM s WHERE b = 'x", 26},
    {"SELECT /* never closed", 7},
    {"SELECT a @ b", 9},
    {"SELECT 1abc", 7},
    {"SELECT \"abc", 7},
    {"SELECT \"\" FROM s", 7},
    {"SELECT a FROM s LIMIT", 21},
    {"SELECT CASE WHEN a THEN 1", 25},
    {"SELECT CASE END", 12},
    {"SELECT CAST(a bigint)", 14},
    {"SELECT a BETWEEN 1", 18},
    {"SELECT a IN 1", 12},
    {"SELECT a IS 5", 12},
    {"SELECT INTERVAL '1' FORTNIGHT x", 30},
    {"CREATE STREAM s", 15},
    {"CREATE STREAM s ()", 17},
    {"CREATE STREAM s (a)", 18},
    {"CREATE STREAM s (a bigint,)", 26},
    {"CREATE STREAM s (a bigint, WATERMARK ts AS ts)", 40},
    {"CREATE STREAM s (a bigint, WATERMARK FOR ts ts)", 44},
    {"CREATE STREAM s (a bigint, WATERMARK FOR ts AS)", 46},
    {"CREATE STREAM s (WATERMARK FOR ts AS ts)", 27},
    {"CREATE STREAM s (a bigint, WATERMARK FOR ts AS ts, b int)", 49},
    {"CREATE STREAM s (a bigint) WITH (x = )", 37},
    {"CREATE STREAM s (a bigint) WITH x = 1", 32},
    {"CREATE STREAM s (a varchar(n))", 27},
    {"CREATE VIEW v SELECT 1", 14},
    {"CREATE VIEW AS SELECT 1", 12},
    {"CREATE OR VIEW v AS SELECT 1", 10},
    {"CREATE TABLE t (a int)", 7},
    {"INSERT INTO s VALUES", 20},
    {"INSERT INTO s VALUES (1,)", 24},
    {"INSERT INTO s VALUES (1), ", 26},
    {"INSERT s VALUES (1)", 7},
    {"INSERT INTO s (a b) VALUES (1)", 17},
    {"COPY s FROM", 11},
    {"COPY s FROM STDOUT", 12},
    {"COPY s FROM STDIN WITH (FORMAT csv", 34},
    {"COPY s FROM STDIN CSV BOGUS", 22},
    {"SUBSCRIBE", 9},
    {"SUBSCRIBE v EMIT", 16},
    {"SUBSCRIBE v FROM 3", 17},
    {"SUBSCRIBE v WHERE", 17},
    {"SUBSCRIBE v LIMIT 1 WHERE x", 20},
    {"SHOW", 4},
    {"SHOW a b", 7},
    {"DROP s", 5},
    {"DROP STREAM", 11},
    {"DROP STREAM IF s", 15},
    {"DESCRIBE", 8},
    {"EXPLAIN INSERT INTO s VALUES (1)", 8},
    {"EXPLAIN", 7},
    {"REFRESH v", 8},
    {"SET x", 5},
    {"SET x =", 7},
    {"BEGIN TRANSACTION 1", 18},
    {"LISTEN", 6},
    {"UNLISTEN 'v'", 9},
    {"NOTIFY v 'x'", 9},
    {"RESET", 5},
    {"DISCARD", 7},
    {"DEALLOCATE 1", 11},
    {"SET TRANSACTION", 15},
    {"SET SESSION CHARACTERISTICS AS", 30},
    {"START", 5},
    {"SELECT 1; SELEC 2", 10},
    {"SELECT 1 SELECT 2", 9},
    {"SELECT a FROM s; CREATE STREAM", 30},
    {"SELECT a FROM s JOIN t ON a = b", 21},
    {"SELECT a FROM (SELECT 1)", 14},
    {"SELECT x:y", 8},
    {"SELECT 1 !", 9},
    {"SELECT a.", 9},
    {"SELECT a.1", 8},
    {"SELECT ;", 7},
};

static void
test_syntax_errors(void **state)
{
    Arena *a = *state;
    assert_true(sizeof bad_cases / sizeof bad_cases[0] >= 40);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        SqlError err = parse_err(a, bad_cases[i].sql, strlen(bad_cases[i].sql));
        if (strcmp(err.sqlstate, "42601") != 0 || err.position != bad_cases[i].pos)
            fail_msg("%s: want 42601 at %d, got %s at %d (%s)", bad_cases[i].sql, bad_cases[i].pos,
                     err.sqlstate, err.position, err.message);
    }
}

static void
test_syntax_error_messages_and_hints(void **state)
{
    Arena *a = *state;
    static const struct {
        const char *sql;
        const char *msg;
        const char *hint; /* NULL: none */
    } cases[] = {
        {"SELECT * FROM", "syntax error at end of input", "expected identifier"},
        {"SELECT * FROM;", "syntax error at or near \";\"", "expected identifier"},
        {"SELECT a FROM s EMIT BOGUS", "syntax error at or near \"BOGUS\"",
         "expected one of: APPEND, UPDATE, COMPLETE"},
        {"SELECT a b c FROM s", "syntax error at or near \"c\"",
         "expected one of: FROM, WHERE, GROUP, HAVING, ORDER, LIMIT, OFFSET, EMIT, EVERY, ON, \",\", \";\""},
        {"SELECT 1 + 2 )", "syntax error at or near \")\"",
         "expected one of: FROM, WHERE, GROUP, HAVING, ORDER, LIMIT, OFFSET, EMIT, EVERY, ON, AS, identifier, ..."},
        {"SELECT a FROM s WHERE", "syntax error at end of input", "expected one of: NOT, \"(\", expression"},
        {"CREATE STREAM s", "syntax error at end of input", "expected one of: WITH, AS, \"(\""},
        {"CREATE STREAM s (a bigint, WATERMARK FOR ts ts)", "syntax error at or near \"ts\"", "expected AS"},
        {"DROP s", "syntax error at or near \"s\"", "expected one of: STREAM, VIEW, TABLE, SINK"},
        {"SELECT 'it''s", "unterminated quoted string at or near \"'it''s\"", NULL},
        {"SELECT 1; SELECT 'x' 'y'", "syntax error at or near \"'y'\"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SqlError err = parse_err(a, cases[i].sql, strlen(cases[i].sql));
        assert_string_equal(err.sqlstate, "42601");
        assert_string_equal(err.message, cases[i].msg);
        if (cases[i].hint)
            assert_string_equal(err.hint, cases[i].hint);
        else if (strncmp(err.message, "syntax", 6) != 0)
            assert_null(err.hint);
    }
}

/* A hint must never name a token that is not accepted there: for every token
 * in the hint, the text up to the error plus that token must not fail at the
 * same position. Checked on every bad_cases entry. */
static const char *
hint_sample(const char *item)
{
    if (strcmp(item, "identifier") == 0 || strcmp(item, "expression") == 0)
        return "x";
    if (strcmp(item, "number") == 0)
        return "1";
    if (strcmp(item, "string") == 0)
        return "'s'";
    if (item[0] == '"')
        return NULL; /* punctuation: unquoted below */
    /* multi-word items ("WITH TIME ZONE") are used as written */
    return item;
}

static void
test_hints_are_sound(void **state)
{
    Arena *a = *state;
    int checked = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        SqlError err = parse_err(a, bad_cases[i].sql, strlen(bad_cases[i].sql));
        if (!err.hint)
            continue;
        const char *list = strchr(err.hint, ':') ? strchr(err.hint, ':') + 2 : err.hint + 9;
        char *copy = arena_strdup(a, list);
        for (char *item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
            while (*item == ' ')
                item++;
            if (strcmp(item, "...") == 0 || *item == 0)
                continue;
            const char *tok = hint_sample(item);
            char punct[4] = {0};
            if (!tok) {
                size_t n = strlen(item);
                if (n < 3)
                    continue; /* the "," item was split by strtok */
                memcpy(punct, item + 1, n - 2 < 3 ? n - 2 : 3);
                tok = punct;
            }
            const char *sql = arena_sprintf(a, "%.*s %s", err.position, bad_cases[i].sql, tok);
            SqlError e2;
            err_init(&e2, a);
            AstStmtList l;
            if (parse_sql(a, sql, strlen(sql), &l, &e2) < 0 && e2.position == err.position + 1 &&
                strcmp(e2.sqlstate, "42601") == 0)
                fail_msg("hint of \"%s\" names %s, but \"%s\" fails at %d: %s", bad_cases[i].sql,
                         item, sql, e2.position, e2.message);
            checked++;
        }
    }
    assert_true(checked > 100);
}

static void
test_depth_limits(void **state)
{
    Arena *a = *state;
    size_t n = 10000;
    char *sql = malloc(7 + 2 * n + 2);
    memcpy(sql, "SELECT ", 7);
    memset(sql + 7, '(', n);
    sql[7 + n] = '1';
    memset(sql + 8 + n, ')', n);
    SqlError err = parse_err(a, sql, 8 + 2 * n);
    assert_string_equal(err.sqlstate, "54001");
    assert_string_equal(err.message, "statement is too complex");
    assert_int_equal(err.position, 7 + PARSE_MAX_DEPTH);

    /* exactly PARSE_MAX_DEPTH levels are fine */
    Arena *b = arena_new(0);
    char *ok = arena_alloc(b, 7 + 2 * PARSE_MAX_DEPTH + 2);
    memcpy(ok, "SELECT ", 7);
    memset(ok + 7, '(', PARSE_MAX_DEPTH);
    ok[7 + PARSE_MAX_DEPTH] = '1';
    memset(ok + 8 + PARSE_MAX_DEPTH, ')', PARSE_MAX_DEPTH);
    SqlError e2;
    err_init(&e2, b);
    AstStmtList l;
    assert_int_equal(parse_sql(b, ok, 8 + 2 * PARSE_MAX_DEPTH, &l, &e2), 0);
    arena_free(b);

    /* prefix operators without parentheses: lemon's stack limit */
    for (size_t i = 0; i < n; i++)
        memcpy(sql + 7 + 2 * i, "- ", 2);
    sql[7 + 2 * n] = '1';
    err = parse_err(a, sql, 8 + 2 * n);
    assert_string_equal(err.sqlstate, "54001");
    for (size_t i = 0; i < n / 2; i++)
        memcpy(sql + 7 + 4 * i, "NOT ", 4);
    err = parse_err(a, sql, 7 + 4 * (n / 2));
    assert_string_equal(err.sqlstate, "54001");

    /* a left-deep chain: the tree depth limit */
    for (size_t i = 0; i < n; i++)
        memcpy(sql + 7 + 2 * i, "1+", 2);
    sql[7 + 2 * n] = '1';
    err = parse_err(a, sql, 8 + 2 * n);
    assert_string_equal(err.sqlstate, "54001");
    assert_int_equal(err.position, 7);
    free(sql);

    /* a long but flat list is fine */
    Buf big;
    buf_init(&big);
    buf_puts(&big, "INSERT INTO s VALUES (0)");
    for (int i = 1; i < 5000; i++)
        buf_printf(&big, ", (%d)", i);
    SqlError e3;
    err_init(&e3, a);
    assert_int_equal(parse_sql(a, big.data, big.len, &l, &e3), 0);
    assert_int_equal(l.items[0]->insert.nrows, 5000);
    assert_memory_equal(l.items[0]->insert.rows[4999].items[0]->lit.text.p, "4999", 4);
    buf_free(&big);
}

/* ---------------------------------------------------------------- keywords */

static void
test_keyword_table(void **state)
{
    (void)state;
    for (int i = 1; i < lex_nkeywords; i++)
        assert_true(strcmp(lex_keywords[i - 1].name, lex_keywords[i].name) < 0);
    for (int i = 0; i < lex_nkeywords; i++) {
        const Keyword *k = &lex_keywords[i];
        int fb = parser_token_fallback(k->code);
        if (k->cls == KW_UNRESERVED && fb != TK_ID)
            fail_msg("keyword %s is non-reserved but not in grammar.y's %%fallback", k->name);
        if (k->cls != KW_UNRESERVED && fb != 0)
            fail_msg("keyword %s is in %%fallback but not KW_UNRESERVED", k->name);
        assert_ptr_equal(lex_keyword_by_code(k->code), k);
        assert_true(lex_is_keyword(k->name, strlen(k->name)));
    }
    /* every %fallback token is a non-reserved keyword */
    for (int code = 1; code < parser_token_count(); code++) {
        if (parser_token_fallback(code) == 0)
            continue;
        const Keyword *k = lex_keyword_by_code(code);
        assert_non_null(k);
        assert_int_equal(k->cls, KW_UNRESERVED);
    }
    assert_true(lex_is_keyword("SeLeCt", 6));
    assert_true(lex_is_keyword("watermark", 9));
    assert_false(lex_is_keyword("bids", 4));
    assert_false(lex_is_keyword("selectx", 7));
    assert_false(lex_is_keyword("", 0));
}

/* The same check, from grammar.y's text: the %fallback list and the
 * KW_UNRESERVED entries of keywords.c name the same words. */
static void
test_fallback_list_in_source(void **state)
{
    Arena *a = *state;
    const char *self = __FILE__;
    const char *cut = strstr(self, "tests/unit/test_parser.c");
    assert_non_null(cut);
    char *path = arena_sprintf(a, "%.*sparser/grammar.y", (int)(cut - self), self);
    FILE *f = fopen(path, "r");
    if (!f)
        skip();
    Buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_putc(&b, 0);
    char *p = strstr(b.data, "\n%fallback ID");
    assert_non_null(p);
    p += strlen("\n%fallback ID");
    char *end = strchr(p, '.');
    assert_non_null(end);
    *end = 0;
    int count = 0;
    for (char *w = strtok(p, " \n\t"); w; w = strtok(NULL, " \n\t")) {
        const Keyword *k = lex_keyword_lookup(w, strlen(w));
        if (!k || k->cls != KW_UNRESERVED)
            fail_msg("%%fallback lists %s, which keywords.c does not mark KW_UNRESERVED", w);
        count++;
    }
    int unreserved = 0;
    for (int i = 0; i < lex_nkeywords; i++)
        unreserved += lex_keywords[i].cls == KW_UNRESERVED;
    assert_int_equal(count, unreserved);
    buf_free(&b);
}

/* Non-reserved keywords work as names in every position that takes one. */
static void
test_keywords_as_identifiers(void **state)
{
    Arena *a = *state;
    static const char *const forms[] = {
        "SELECT %1$s FROM s",
        "SELECT a %1$s FROM s",
        "SELECT a AS %1$s FROM %1$s AS %1$s",
        "SELECT a FROM s %1$s",
        "SELECT a FROM s %1$s WHERE x",
        "SELECT %1$s.%1$s FROM s %1$s WHERE %1$s > 1 GROUP BY %1$s ORDER BY %1$s",
        "SELECT a, %1$s FROM s",
        "CREATE STREAM %1$s (%1$s bigint, b int, %1$s int)",
        "INSERT INTO %1$s (%1$s) VALUES (1)",
        "COPY %1$s (%1$s) FROM STDIN",
        "DROP VIEW %1$s",
        "DESCRIBE %1$s",
        "SUBSCRIBE %1$s",
        "SUBSCRIBE TO %1$s EMIT UPDATE",
        "SHOW %1$s STATUS",
        "REFRESH VIEW %1$s",
        "CREATE VIEW %1$s AS SELECT %1$s FROM %1$s",
        "CREATE STREAM s (a int) WITH (%1$s = %1$s)",
        "SELECT CAST(%1$s AS %1$s)",
        "SET %1$s = %1$s",
    };
    for (int i = 0; i < lex_nkeywords; i++) {
        const Keyword *k = &lex_keywords[i];
        if (k->cls == KW_RESERVED)
            continue;
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            const char *sql = arena_sprintf(a, forms[f], k->name);
            const char *got = dump_sql(a, sql);
            if (strncmp(got, "ERR", 3) == 0)
                fail_msg("%s: %s", sql, got);
        }
        /* and as a function name, except EXTRACT(field FROM x) */
        if (k->code != TK_EXTRACT) {
            const char *sql = arena_sprintf(a, "SELECT %s(%s) FROM s", k->name, k->name);
            assert_string_not_equal(dump_sql(a, sql), "ERR");
            assert_true(strncmp(dump_sql(a, sql), "ERR", 3) != 0);
        }
    }
    /* the keyword reading still wins where it fits */
    assert_string_equal(dump_sql(a, "SELECT a FROM s emit update"),
                        "(query@0:27 (select@0 (targets (col@7 a)) (from@14 s) (emit@16 update)))");
    assert_string_equal(dump_sql(a, "SELECT a FROM s emit"),
                        "(query@0:20 (select@0 (targets (col@7 a)) (from@14 s (alias emit))))");
}

/* ---------------------------------------------------------------- robustness */

/* Random token soup: never crashes, always 0 or an error with a position inside
 * the text, and every syntax error carries a hint (the backstop %syntax_error
 * without a hint would mean the dry run and lemon disagree). */
static void
test_random_token_soup(void **state)
{
    Arena *a = *state;
    static const char *const vocab[] = {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "EMIT", "UPDATE", "EVERY",
        "ROW", "ON", "DEMAND", "CREATE", "STREAM", "VIEW", "AS", "WITH", "(", ")", ",", ";",
        "*", "+", "-", "=", "<", "::", ".", "a", "b", "1", "2.5", "'s'", "NOT", "LIKE", "IN",
        "BETWEEN", "AND", "OR", "IS", "NULL", "CASE", "WHEN", "THEN", "END", "INTERVAL",
        "SECOND", "TIMESTAMP", "WATERMARK", "FOR", "INSERT", "INTO", "VALUES", "SUBSCRIBE",
        "COPY", "STDIN", "CSV", "SHOW", "STATUS", "SET", "TO", "TIME", "ZONE", "DISTINCT",
        "count", "EXPLAIN", "DROP", "IF", "EXISTS",
    };
    const size_t nv = sizeof vocab / sizeof vocab[0];
    unsigned seed = 12345;
    int ok = 0;
    for (int iter = 0; iter < 4000; iter++) {
        Buf b;
        buf_init(&b);
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 14;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&b, vocab[(seed >> 16) % nv]);
            buf_putc(&b, ' ');
        }
        SqlError err;
        err_init(&err, a);
        AstStmtList l;
        if (parse_sql(a, b.data, b.len, &l, &err) == 0) {
            ok++;
            for (int i = 0; i < l.n; i++) {
                Buf d;
                buf_init(&d);
                ast_dump_stmt(l.items[i], &d);
                buf_free(&d);
            }
        } else {
            assert_true(err.position >= 0 && (size_t)err.position <= b.len);
            if (strcmp(err.sqlstate, "42601") == 0)
                assert_non_null(err.hint);
        }
        buf_free(&b);
        if (iter % 500 == 0)
            arena_reset(a);
    }
    assert_true(ok > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lexer_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_identifiers_nul_terminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_comments_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_view_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiple_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expressions_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_messages_and_hints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hints_are_sound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyword_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_list_in_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keywords_as_identifiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_token_soup, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
