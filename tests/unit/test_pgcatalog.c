/*
 * tests/unit/test_pgcatalog.c — the catalog emulation (server/pgcatalog*.c): the
 * PostgreSQL → SQLite translator (casts, regex operators, OPERATOR(), COLLATE, ANY,
 * arrays, subscripts, E'' strings, parameters, result hints), the pre-scan and the
 * statement splitter, type lookups, and whole queries as psql, JDBC and psycopg send them
 * run against a snapshot of a catalog with one stream and one view.
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
#include "server/pgcatalog.h"

/* Translates sql; returns the SQLite text (static buffer) or NULL with *code set. */
static const char *
tr(const char *sql, PgcTranslation *out, SqlErrCode *code)
{
    static char text[4096];
    SqlError err;
    err_init(&err, NULL);
    if (pgcat_translate(sql, strlen(sql), out, &err) != 0) {
        if (code)
            *code = err.code;
        err_clear(&err);
        return NULL;
    }
    snprintf(text, sizeof text, "%s", out->sql.data);
    return text;
}

static void
expect_tr(const char *sql, const char *want)
{
    PgcTranslation t;
    const char *got = tr(sql, &t, NULL);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("translate(%s)\n want %s\n  got %s", sql, want, got);
    pgcat_translation_free(&t);
}

static void
test_translate_rewrites(void **state)
{
    (void)state;
    expect_tr("SELECT c.oid FROM pg_catalog.pg_class c", "select c . oid from pg_class c");
    expect_tr("SELECT x::pg_catalog.text", "select CAST ( x AS TEXT )");
    expect_tr("SELECT 'a'::regclass", "select pg_regclass ( 'a' )");
    expect_tr("SELECT t.oid::regtype::text", "select pg_regtype_out ( pg_regtype ( t . oid ) )");
    expect_tr("SELECT f(a, b)::int8", "select CAST ( f ( a , b ) AS INTEGER )");
    expect_tr("SELECT CAST(x AS double precision)", "select CAST ( ( x ) AS REAL )");
    expect_tr("WHERE c.relname OPERATOR(pg_catalog.~) '^(v)$' COLLATE pg_catalog.default",
              "where c . relname REGEXP '^(v)$'");
    expect_tr("WHERE n !~ '^pg_' AND m ~* 'x' AND k ILIKE 'a%'",
              "where n NOT REGEXP '^pg_' and m MATCH 'x' and k GLOB 'a%'");
    expect_tr("WHERE c.relkind = ANY($1)", "where pg_any ( c . relkind , '=' , $1 )");
    expect_tr("WHERE x <> ALL (ARRAY['a', 'b'])",
              "where pg_all ( x , '<>' , pg_array ( 'a' , 'b' ) )");
    expect_tr("WHERE x = ANY (SELECT y FROM t)", "where x IN ( select y from t )");
    expect_tr("SELECT a.b[2]", "select pg_subscript ( a . b , 2 )");
    expect_tr("SELECT E'a\\nb''c'", "select 'a\nb''c'");
    expect_tr("SELECT $$x'y$$", "select 'x''y'");
    expect_tr("SELECT array_agg(x ORDER BY y) FROM t", "select array_agg ( x ) from t");
    expect_tr("SELECT row_number() OVER (ORDER BY y) FROM t",
              "select row_number ( ) over ( order by y ) from t");
    expect_tr("SELECT a IS DISTINCT FROM b", "select a IS NOT b");
    expect_tr("SELECT current_user, current_schema()",
              "select current_user ( ) , current_schema ( )");
    expect_tr("SELECT 'x' || s FROM unnest(a) s", "select 'x' || s . unnest from unnest ( a ) s");
    expect_tr("SELECT s.r FROM generate_series(1, 3) AS s(r)",
              "select s . r from ( SELECT generate_series AS \"r\" FROM generate_series ( 1 , 3 ) "
              ") AS \"s\"");
    expect_tr("SELECT (information_schema._pg_expandarray(k)).n",
              "select pg_field ( ( _pg_expandarray ( k ) ) , 'n' )");
    expect_tr("SELECT trim(both '\"' from x)", "select pg_trim ( 'both' , '\"' , x )");
    expect_tr("SELECT 1 AS Default", "select 1 AS \"default\"");
    expect_tr("SELECT ARRAY(SELECT r FROM t ORDER BY 1)",
              "select ( SELECT array_agg ( r ) from t order by 1 )");
    expect_tr("SELECT x::text[]", "select pg_array_cast ( x , 'text' )");
    expect_tr("SELECT 1; ", "select 1");
    expect_tr("SELECT substring(x for 128), substring(y from 2 for 3)",
              "select substr ( x , 1 , 128 ) , substr ( y , 2 , 3 )");
}

static void
test_translate_params_and_errors(void **state)
{
    (void)state;
    PgcTranslation t;
    assert_non_null(tr("SELECT $1, $3", &t, NULL));
    assert_int_equal(t.nparams, 3);
    pgcat_translation_free(&t);
    SqlErrCode code = ERR__COUNT;
    assert_null(tr("SELECT 'abc", &t, &code));
    assert_int_equal(code, ERR_SYNTAX_ERROR);
    assert_null(tr("SELECT x::nosuchtype", &t, &code));
    assert_int_equal(code, ERR_UNDEFINED_OBJECT);
    assert_null(tr("SELECT 1; SELECT 2", &t, &code));
    assert_int_equal(code, ERR_SYNTAX_ERROR);
    assert_null(tr("SELECT /* open", &t, &code));
    assert_null(tr("SELECT ::text", &t, &code));
    assert_null(tr("SELECT $0", &t, &code));
    assert_int_equal(code, ERR_UNDEFINED_PARAMETER);
}

static void
test_translate_hints(void **state)
{
    (void)state;
    PgcTranslation t;
    assert_non_null(tr("SELECT n.nspname AS \"Schema\", c.relname, count(*), x::regclass, "
                       "a = b, true, 1, 'z', CASE WHEN p THEN 'x' END AS k, "
                       "pg_catalog.format_type(t, m), coalesce(a::int4, 0) y FROM t",
                       &t, NULL));
    assert_int_equal(t.nhints, 11);
    const char *names[] = {"Schema",   "relname",  "count", "x",           "?column?", "bool",
                           "?column?", "?column?", "k",     "format_type", "y"};
    uint32_t oids[] = {0, 0, 20, 2205, 16, 16, 23, 25, 25, 25, 23};
    for (int i = 0; i < 11; i++) {
        assert_string_equal(t.hints[i].name, names[i]);
        assert_int_equal(t.hints[i].oid, oids[i]);
    }
    pgcat_translation_free(&t);
    assert_non_null(tr("SELECT * FROM t", &t, NULL));
    assert_int_equal(t.nhints, -1);
    pgcat_translation_free(&t);
}

static void
test_wants_and_split(void **state)
{
    (void)state;
    const char *yes[] = {"SELECT * FROM pg_catalog.pg_class", "select version()",
                         "SELECT 'x'::regclass", "SELECT * FROM information_schema.tables",
                         "SELECT current_user"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(pgcat_wants(yes[i], strlen(yes[i])));
    const char *no[] = {"SELECT * FROM v",
                        "SELECT 'pg_class' FROM v -- pg_type",
                        "INSERT INTO s VALUES ('version()')",
                        "SELECT \"pg_class\"x FROM v",
                        "/* pg_namespace */ SELECT 1",
                        "SELECT version, format_type FROM v"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(pgcat_wants(no[i], strlen(no[i])));
    const char *q = "SELECT 1; SELECT ';' ; -- c\n SELECT (2;3)";
    size_t pos = 0, start, len;
    assert_true(pgcat_split(q, strlen(q), &pos, &start, &len));
    assert_int_equal(len, 8);
    assert_true(pgcat_split(q, strlen(q), &pos, &start, &len));
    assert_memory_equal(q + start, "SELECT ';' ", len);
    assert_true(pgcat_split(q, strlen(q), &pos, &start, &len));
    assert_memory_equal(q + start, "SELECT (2;3)", len);
    assert_false(pgcat_split(q, strlen(q), &pos, &start, &len));
}

static void
test_types(void **state)
{
    (void)state;
    assert_int_equal(pgcat_type_by_name("double precision")->oid, 701);
    assert_int_equal(pgcat_type_by_name("pg_catalog.int8")->oid, 20);
    assert_int_equal(pgcat_type_by_name("INTEGER")->oid, 23);
    assert_int_equal(pgcat_type_by_name("text[]")->oid, 1009);
    assert_int_equal(pgcat_type_by_name("_int8")->oid, 1016);
    assert_int_equal(pgcat_type_by_name("character varying(10)")->oid, 1043);
    assert_int_equal(pgcat_type_by_name("timestamp without time zone")->oid, 1114);
    assert_null(pgcat_type_by_name("hstore"));
    /* every sluice type has a row, with the OID the wire protocol reports */
    for (int t = TYPE_BOOL; t < TYPE__COUNT; t++)
        assert_non_null(pgcat_type_by_oid(type_pg_oid((SlType)t)));
    Buf b;
    buf_init(&b);
    assert_true(pgcat_format_type(1022, &b));
    assert_memory_equal(b.data, "double precision[]", b.len);
    buf_free(&b);
}

/* ---------------------------------------------------------------- whole queries */

static Catalog *
sample_catalog(void)
{
    Catalog *cat = cat_new();
    CatObject *s = cat_object_new(CAT_STREAM, "trades");
    static const char *names[] = {"sym", "price", "ts"};
    SlType types[] = {TYPE_TEXT, TYPE_DOUBLE, TYPE_TIMESTAMP};
    s->ncols = 3;
    s->cols = arena_zalloc(s->arena, sizeof(CatColumn) * 3);
    for (int i = 0; i < 3; i++) {
        s->cols[i].name = names[i];
        s->cols[i].type = types[i];
    }
    cat_add(cat, s);
    CatObject *v = cat_object_new(CAT_VIEW, "counts");
    v->ncols = 2;
    v->cols = arena_zalloc(v->arena, sizeof(CatColumn) * 2);
    v->cols[0].name = "sym";
    v->cols[0].type = TYPE_TEXT;
    v->cols[1].name = "n";
    v->cols[1].type = TYPE_BIGINT;
    v->sql = "CREATE VIEW counts AS SELECT sym, count(*) AS n FROM trades GROUP BY sym";
    cat_add(cat, v);
    return cat;
}

/* Runs sql and renders the DataRows as "a|b\n" lines (NULL as "\N"); *err_code on failure. */
static char *
run(PgCatalog *pc, Catalog *cat, const char *sql, int nvals, const char *const *vals,
    SqlErrCode *err_code)
{
    SqlError err;
    err_init(&err, NULL);
    PgcSession sess = {"alice", "db1", 42};
    PgcStmt *st = pgcat_prepare(pc, cat, sql, strlen(sql), &err);
    Buf out;
    buf_init(&out);
    if (!st || pgcat_exec(pc, cat, st, &sess, nvals, vals, false, NULL, 0, &out, &err) != 0) {
        if (err_code)
            *err_code = err.code;
        err_clear(&err);
        pgcat_stmt_free(st);
        buf_free(&out);
        return NULL;
    }
    pgcat_stmt_free(st);
    Buf text;
    buf_init(&text);
    const unsigned char *p = (const unsigned char *)out.data;
    size_t off = 0;
    while (off < out.len) {
        char type = (char)p[off];
        uint32_t len = (uint32_t)p[off + 1] << 24 | p[off + 2] << 16 | p[off + 3] << 8 | p[off + 4];
        if (type == 'D') {
            const unsigned char *q = p + off + 5;
            int n = q[0] << 8 | q[1];
            q += 2;
            for (int i = 0; i < n; i++) {
                int32_t l = (int32_t)((uint32_t)q[0] << 24 | q[1] << 16 | q[2] << 8 | q[3]);
                q += 4;
                if (i)
                    buf_putc(&text, '|');
                if (l < 0) {
                    buf_puts(&text, "\\N");
                } else {
                    buf_append(&text, q, (size_t)l);
                    q += l;
                }
            }
            buf_putc(&text, '\n');
        }
        off += 1 + len;
    }
    buf_putc(&text, 0);
    buf_free(&out);
    return text.data;
}

static void
expect_rows(PgCatalog *pc, Catalog *cat, const char *sql, int nvals, const char *const *vals,
            const char *want)
{
    SqlErrCode code = ERR__COUNT;
    char *got = run(pc, cat, sql, nvals, vals, &code);
    if (!got)
        fail_msg("%s: failed with error code %d", sql, (int)code);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n want <%s>\n  got <%s>", sql, want, got);
    free(got);
}

static void
test_queries(void **state)
{
    (void)state;
    Catalog *cat = sample_catalog();
    PgCatalog *pc = pgcat_new();
    /* psql \d */
    expect_rows(pc, cat,
                "SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' "
                "THEN 'table' WHEN 'v' THEN 'view' END as \"Type\", "
                "pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c "
                "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam "
                "WHERE c.relkind IN ('r','p','v','m','S','f','') AND n.nspname <> 'pg_catalog' "
                "AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' "
                "AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;",
                0, NULL, "public|counts|view|alice\npublic|trades|table|alice\n");
    /* psql \d trades, first two steps: the OID found is the one the second query takes */
    char *oid = run(pc, cat,
                    "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN "
                    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname "
                    "OPERATOR(pg_catalog.~) '^(trades)$' COLLATE pg_catalog.default AND "
                    "pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3",
                    0, NULL, NULL);
    assert_non_null(oid);
    *strchr(oid, '|') = 0;
    const char *vals[] = {oid};
    expect_rows(pc, cat,
                "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull "
                "FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT "
                "a.attisdropped ORDER BY a.attnum",
                1, vals,
                "sym|text|f\nprice|double precision|f\nts|timestamp without time zone|f\n");
    expect_rows(pc, cat, "SELECT $1::regclass::text, $1::regclass", 1, vals, "trades|trades\n");
    free(oid);
    /* psycopg's TypeInfo.fetch */
    const char *tname[] = {"double precision"};
    expect_rows(
        pc, cat,
        "SELECT typname AS name, oid, typarray AS array_oid, oid::regtype::text AS regtype, "
        "typdelim AS delimiter FROM pg_type t WHERE t.oid = $1::regtype ORDER BY t.oid",
        1, tname, "float8|701|1022|double precision|,\n");
    SqlErrCode code = ERR__COUNT;
    const char *hstore[] = {"hstore"};
    assert_null(run(pc, cat, "SELECT oid FROM pg_type WHERE oid = $1::regtype", 1, hstore, &code));
    assert_int_equal(code, ERR_UNDEFINED_OBJECT);
    /* arrays, session functions */
    const char *kinds[] = {"{v,m}"};
    expect_rows(pc, cat, "SELECT relname FROM pg_class WHERE relkind = ANY($1) AND oid >= 16384", 1,
                kinds, "counts\n");
    expect_rows(
        pc, cat,
        "SELECT current_user, current_database(), pg_backend_pid(), "
        "array_to_string(ARRAY['a', NULL, 'b'], ','), (current_schemas(true))[2], "
        "pg_get_viewdef('counts'::regclass) = 'SELECT sym, count(*) AS n FROM trades GROUP BY sym'",
        0, NULL, "alice|db1|42|a,b|public|t\n");
    expect_rows(pc, cat, "SELECT s FROM generate_series(1, 3) s", 0, NULL, "1\n2\n3\n");
    expect_rows(pc, cat, "SELECT x FROM unnest('{a,\"b c\"}'::text[]) x", 0, NULL, "a\nb c\n");
    /* the snapshot follows the catalog */
    CatObject *v = cat_lookup(cat, "counts");
    cat_remove(cat, v);
    expect_rows(pc, cat, "SELECT count(*) FROM pg_class WHERE oid >= 16384", 0, NULL, "1\n");
    /* errors */
    assert_null(run(pc, cat, "SELECT nosuch FROM pg_class", 0, NULL, &code));
    assert_int_equal(code, ERR_UNDEFINED_COLUMN);
    assert_null(run(pc, cat, "SELECT * FROM pg_nosuch", 0, NULL, &code));
    assert_int_equal(code, ERR_UNDEFINED_TABLE);
    assert_null(run(pc, cat, "DELETE FROM pg_class", 0, NULL, &code));
    assert_int_equal(code, ERR_FEATURE_NOT_SUPPORTED);
    assert_null(run(pc, cat, "SELECT 'x' ~ '('", 0, NULL, &code));
    assert_int_equal(code, ERR_INVALID_PARAMETER_VALUE);
    /* bounded: a result too large, a statement running too long */
    assert_null(run(pc, cat, "SELECT a.*, b.* FROM pg_attribute a, pg_attribute b, pg_type c", 0,
                    NULL, &code));
    assert_true(code == ERR_PROGRAM_LIMIT_EXCEEDED || code == ERR_QUERY_CANCELED);
    assert_null(run(pc, cat,
                    "SELECT count(*) FROM pg_attribute a, pg_attribute b, "
                    "pg_attribute c, pg_attribute d",
                    0, NULL, &code));
    assert_int_equal(code, ERR_QUERY_CANCELED);
    expect_rows(pc, cat, "SELECT count(*) FROM pg_namespace", 0, NULL, "4\n");
    pgcat_free(pc);
    cat_free(cat);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translate_rewrites),
        cmocka_unit_test(test_translate_params_and_errors),
        cmocka_unit_test(test_translate_hints),
        cmocka_unit_test(test_wants_and_split),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
