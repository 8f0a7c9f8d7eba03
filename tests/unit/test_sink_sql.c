/*
 * tests/unit/test_sink_sql.c — unit tests for connectors/sink_sql.c: the statement texts a
 * PostgreSQL sink sends (INSERT / upsert / DELETE / CREATE TABLE, placeholders only), which
 * target column types take which sluice types, which SQLSTATEs stop a sink for good, and the
 * conninfo shown to users (passwords removed).
 *
 * INTERFACE
 *   main    runs every test in one cmocka group
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/value.h"
#include "connectors/sink_sql.h"

/* Columns as a sink passes them: already quoted. */
static const char *const COLS3[] = {"\"sym\"", "\"win\"", "\"total\""};

static char out_text[4096];

/* The Buf's text, copied out so each test can compare with one assert. */
static const char *
text_of(Buf *b)
{
    snprintf(out_text, sizeof out_text, "%s", b->data ? b->data : "");
    buf_free(b);
    return out_text;
}

/* ---- INSERT ---------------------------------------------------------------------------- */

static void
test_insert_plain(void **state)
{
    (void)state;
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"t\"", 3, COLS3, 1, false, 0, NULL);
    assert_string_equal(text_of(&b),
                        "INSERT INTO \"t\" (\"sym\", \"win\", \"total\") VALUES ($1, $2, $3)");
}

static void
test_insert_multi_row_numbering(void **state)
{
    (void)state;
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"s\".\"t\"", 3, COLS3, 3, false, 0, NULL);
    assert_string_equal(text_of(&b),
                        "INSERT INTO \"s\".\"t\" (\"sym\", \"win\", \"total\") VALUES "
                        "($1, $2, $3), ($4, $5, $6), ($7, $8, $9)");
}

static void
test_insert_numbering_large(void **state)
{
    (void)state;
    /* 1000 rows of 3 columns: the last placeholder is $3000 and none repeats or is skipped */
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"t\"", 3, COLS3, 1000, false, 0, NULL);
    const char *s = b.data;
    int want = 1, found = 0;
    for (const char *p = strchr(s, '$'); p; p = strchr(p + 1, '$')) {
        assert_int_equal(atoi(p + 1), want);
        want++;
        found++;
    }
    assert_int_equal(found, 3000);
    assert_non_null(strstr(s, "($2998, $2999, $3000)"));
    assert_null(strstr(s, "ON CONFLICT"));
    buf_free(&b);
}

static void
test_insert_upsert(void **state)
{
    (void)state;
    static const int key[] = {0, 1};
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"t\"", 3, COLS3, 2, true, 2, key);
    assert_string_equal(text_of(&b),
                        "INSERT INTO \"t\" (\"sym\", \"win\", \"total\") VALUES "
                        "($1, $2, $3), ($4, $5, $6) ON CONFLICT (\"sym\", \"win\") "
                        "DO UPDATE SET \"total\" = EXCLUDED.\"total\"");
}

static void
test_insert_upsert_key_not_first(void **state)
{
    (void)state;
    /* the key is the last column: the other two are updated, in column order */
    static const int key[] = {2};
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"t\"", 3, COLS3, 1, true, 1, key);
    assert_string_equal(text_of(&b),
                        "INSERT INTO \"t\" (\"sym\", \"win\", \"total\") VALUES ($1, $2, $3) "
                        "ON CONFLICT (\"total\") DO UPDATE SET \"sym\" = EXCLUDED.\"sym\", "
                        "\"win\" = EXCLUDED.\"win\"");
}

static void
test_insert_upsert_all_key(void **state)
{
    (void)state;
    /* every column is key: nothing to update */
    static const int key[] = {1, 0};
    static const char *const cols[] = {"\"a\"", "\"b\""};
    Buf b;
    buf_init(&b);
    sinksql_insert(&b, "\"t\"", 2, cols, 1, true, 2, key);
    assert_string_equal(text_of(&b), "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2) "
                                     "ON CONFLICT (\"b\", \"a\") DO NOTHING");
}

/* ---- DELETE ---------------------------------------------------------------------------- */

static void
test_delete(void **state)
{
    (void)state;
    static const int key[] = {0, 1};
    Buf b;
    buf_init(&b);
    sinksql_delete(&b, "\"t\"", COLS3, 2, key, 3);
    assert_string_equal(text_of(&b), "DELETE FROM \"t\" WHERE (\"sym\", \"win\") IN "
                                     "(($1, $2), ($3, $4), ($5, $6))");
}

static void
test_delete_one_key(void **state)
{
    (void)state;
    static const int key[] = {2};
    Buf b;
    buf_init(&b);
    sinksql_delete(&b, "\"t\"", COLS3, 1, key, 2);
    assert_string_equal(text_of(&b), "DELETE FROM \"t\" WHERE (\"total\") IN (($1), ($2))");
}

/* ---- CREATE TABLE ---------------------------------------------------------------------- */

static void
test_create_table_no_key(void **state)
{
    (void)state;
    static const char *const cols[] = {"\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"f\""};
    static const SlType types[] = {TYPE_BIGINT, TYPE_DOUBLE, TYPE_TEXT, TYPE_TIMESTAMP,
                                   TYPE_BOOL, TYPE_INTERVAL};
    Buf b;
    buf_init(&b);
    sinksql_create_table(&b, "\"T\"", 6, cols, types, 0, NULL);
    assert_string_equal(text_of(&b),
                        "CREATE TABLE IF NOT EXISTS \"T\" (\"a\" bigint, \"b\" double precision, "
                        "\"c\" text, \"d\" timestamptz, \"e\" boolean, \"f\" interval)");
}

static void
test_create_table_key(void **state)
{
    (void)state;
    static const SlType types[] = {TYPE_TEXT, TYPE_TIMESTAMP, TYPE_DOUBLE};
    static const int key[] = {0, 1};
    Buf b;
    buf_init(&b);
    sinksql_create_table(&b, "\"s\".\"t\"", 3, COLS3, types, 2, key);
    assert_string_equal(text_of(&b),
                        "CREATE TABLE IF NOT EXISTS \"s\".\"t\" (\"sym\" text, \"win\" "
                        "timestamptz, \"total\" double precision, PRIMARY KEY (\"sym\", \"win\"))");
}

static void
test_pg_type(void **state)
{
    (void)state;
    assert_string_equal(sinksql_pg_type(TYPE_BIGINT), "bigint");
    assert_string_equal(sinksql_pg_type(TYPE_DOUBLE), "double precision");
    assert_string_equal(sinksql_pg_type(TYPE_TEXT), "text");
    assert_string_equal(sinksql_pg_type(TYPE_TIMESTAMP), "timestamptz");
    assert_string_equal(sinksql_pg_type(TYPE_BOOL), "boolean");
    assert_string_equal(sinksql_pg_type(TYPE_INTERVAL), "interval");
}

/* ---- type fit ---------------------------------------------------------------------------- */

static void
test_type_fits_accepted(void **state)
{
    (void)state;
    assert_true(sinksql_type_fits(TYPE_BIGINT, "bigint"));
    assert_true(sinksql_type_fits(TYPE_BIGINT, "numeric"));
    assert_true(sinksql_type_fits(TYPE_DOUBLE, "double precision"));
    assert_true(sinksql_type_fits(TYPE_TEXT, "text"));
    assert_true(sinksql_type_fits(TYPE_TEXT, "character varying"));
    assert_true(sinksql_type_fits(TYPE_TIMESTAMP, "timestamp with time zone"));
    assert_true(sinksql_type_fits(TYPE_TIMESTAMP, "timestamp without time zone"));
    assert_true(sinksql_type_fits(TYPE_BOOL, "boolean"));
    assert_true(sinksql_type_fits(TYPE_INTERVAL, "interval"));
    /* every type CREATE TABLE uses fits its own column (format_type spells timestamptz out) */
    assert_true(sinksql_type_fits(TYPE_BIGINT, sinksql_pg_type(TYPE_BIGINT)));
    assert_true(sinksql_type_fits(TYPE_DOUBLE, sinksql_pg_type(TYPE_DOUBLE)));
    assert_true(sinksql_type_fits(TYPE_BOOL, sinksql_pg_type(TYPE_BOOL)));
}

static void
test_type_fits_rejected(void **state)
{
    (void)state;
    /* narrower or lossy columns */
    assert_false(sinksql_type_fits(TYPE_BIGINT, "integer"));
    assert_false(sinksql_type_fits(TYPE_BIGINT, "smallint"));
    assert_false(sinksql_type_fits(TYPE_DOUBLE, "real"));
    assert_false(sinksql_type_fits(TYPE_DOUBLE, "bigint"));
    assert_false(sinksql_type_fits(TYPE_TIMESTAMP, "date"));
    /* unrelated types */
    assert_false(sinksql_type_fits(TYPE_BIGINT, "text"));
    assert_false(sinksql_type_fits(TYPE_TEXT, "bigint"));
    assert_false(sinksql_type_fits(TYPE_TEXT, "character"));
    assert_false(sinksql_type_fits(TYPE_BOOL, "text"));
    assert_false(sinksql_type_fits(TYPE_INTERVAL, "text"));
    assert_false(sinksql_type_fits(TYPE_TIMESTAMP, "text"));
    /* exact spelling only (format_type's), no prefix matches */
    assert_false(sinksql_type_fits(TYPE_BIGINT, "big"));
    assert_false(sinksql_type_fits(TYPE_BIGINT, "bigint[]"));
    assert_false(sinksql_type_fits(TYPE_BIGINT, ""));
}

/* ---- error classes ----------------------------------------------------------------------- */

static void
test_is_permanent(void **state)
{
    (void)state;
    assert_true(sinksql_is_permanent("42804"));  /* datatype mismatch */
    assert_true(sinksql_is_permanent("42703"));  /* undefined column */
    assert_true(sinksql_is_permanent("42P01"));  /* undefined table */
    assert_true(sinksql_is_permanent("22P02"));  /* invalid text representation */
    assert_true(sinksql_is_permanent("22003"));  /* numeric value out of range */
    assert_true(sinksql_is_permanent("0A000"));  /* feature not supported */
    assert_false(sinksql_is_permanent("42501")); /* insufficient privilege: may be granted */
    assert_false(sinksql_is_permanent("08006")); /* connection failure */
    assert_false(sinksql_is_permanent("08001"));
    assert_false(sinksql_is_permanent("23505")); /* unique violation */
    assert_false(sinksql_is_permanent("23514")); /* check violation: may be dropped */
    assert_false(sinksql_is_permanent("40001")); /* serialization failure */
    assert_false(sinksql_is_permanent("40P01")); /* deadlock */
    assert_false(sinksql_is_permanent("53100")); /* disk full */
    assert_false(sinksql_is_permanent("57P01")); /* admin shutdown */
    assert_false(sinksql_is_permanent(NULL));
    assert_false(sinksql_is_permanent(""));
    assert_false(sinksql_is_permanent("42"));
    assert_false(sinksql_is_permanent("4280"));
    assert_false(sinksql_is_permanent("428041"));
}

/* ---- redaction --------------------------------------------------------------------------- */

/* Redacts `in`; asserts the return code and that no secret survived. */
static const char *
redact(const char *in, int want_rc)
{
    Buf b;
    buf_init(&b);
    int rc = sinksql_redact(in, &b);
    assert_int_equal(rc, want_rc);
    return text_of(&b);
}

/* Does the space-separated list `s` hold the item `kv` exactly? */
static int
has_item(const char *s, const char *kv)
{
    size_t n = strlen(kv);
    for (const char *p = strstr(s, kv); p; p = strstr(p + 1, kv))
        if ((p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

static void
test_redact_keyword_value(void **state)
{
    (void)state;
    const char *r = redact("host=db.example port=5433 dbname=market user=app "
                           "password=Sekr1tPa55 sslpassword=K3yPa55 sslmode=disable", 0);
    assert_null(strstr(r, "Sekr1tPa55"));
    assert_null(strstr(r, "K3yPa55"));
    assert_null(strstr(r, "password"));
    assert_true(has_item(r, "host=db.example"));
    assert_true(has_item(r, "port=5433"));
    assert_true(has_item(r, "dbname=market"));
    assert_true(has_item(r, "user=app"));
    assert_true(has_item(r, "sslmode=disable"));
}

static void
test_redact_quoted_password(void **state)
{
    (void)state;
    /* a quoted password with spaces and an escaped quote is removed whole */
    const char *r = redact("host=h password='Sekr1t Pa55 it\\'s' user=u", 0);
    assert_null(strstr(r, "Sekr1t"));
    assert_null(strstr(r, "Pa55"));
    assert_null(strstr(r, "it"));
    assert_true(has_item(r, "host=h"));
    assert_true(has_item(r, "user=u"));
}

static void
test_redact_uri(void **state)
{
    (void)state;
    const char *r =
        redact("postgresql://postgres:Sekr1tPa55@127.0.0.1:5499/market?sslpassword=K3yPa55", 0);
    assert_null(strstr(r, "Sekr1tPa55"));
    assert_null(strstr(r, "K3yPa55"));
    assert_null(strstr(r, "password"));
    assert_true(has_item(r, "user=postgres"));
    assert_true(has_item(r, "host=127.0.0.1"));
    assert_true(has_item(r, "port=5499"));
    assert_true(has_item(r, "dbname=market"));
    r = redact("postgres://app:Sekr1tPa55@db/x", 0);
    assert_null(strstr(r, "Sekr1tPa55"));
    assert_true(has_item(r, "user=app"));
    assert_true(has_item(r, "host=db"));
}

static void
test_redact_quotes_values(void **state)
{
    (void)state;
    /* values with spaces, quotes or backslashes come back quoted and escaped, so the result is
     * itself a conninfo that parses to the same settings */
    const char *r = redact("application_name='my app' options='-c x=it\\'s' host=h", 0);
    assert_true(strstr(r, "application_name='my app'") != NULL);
    assert_true(strstr(r, "options='-c x=it\\'s'") != NULL);
    assert_true(has_item(r, "host=h"));
    char again[4096];
    snprintf(again, sizeof again, "%s", r);
    const char *r2 = redact(again, 0);
    assert_string_equal(r2, again);
}

static void
test_redact_no_password(void **state)
{
    (void)state;
    const char *r = redact("host=127.0.0.1 port=5432", 0);
    assert_true(has_item(r, "host=127.0.0.1"));
    assert_true(has_item(r, "port=5432"));
    r = redact("", 0);
    assert_string_equal(r, "");
}

static void
test_redact_unparsable(void **state)
{
    (void)state;
    const char *r = redact("host", -1);
    assert_true(strlen(r) > 0);
    assert_true(r[strlen(r) - 1] != '\n');
    r = redact("host=h bogus_option=1 password=Sekr1tPa55", -1);
    assert_null(strstr(r, "Sekr1tPa55"));
    assert_true(strstr(r, "bogus_option") != NULL);
    r = redact("password='Sekr1tPa55", -1); /* unterminated quote */
    assert_null(strstr(r, "Sekr1tPa55"));
    redact("postgresql://[::1/x", -1);          /* no closing bracket */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_plain),
        cmocka_unit_test(test_insert_multi_row_numbering),
        cmocka_unit_test(test_insert_numbering_large),
        cmocka_unit_test(test_insert_upsert),
        cmocka_unit_test(test_insert_upsert_key_not_first),
        cmocka_unit_test(test_insert_upsert_all_key),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_delete_one_key),
        cmocka_unit_test(test_create_table_no_key),
        cmocka_unit_test(test_create_table_key),
        cmocka_unit_test(test_pg_type),
        cmocka_unit_test(test_type_fits_accepted),
        cmocka_unit_test(test_type_fits_rejected),
        cmocka_unit_test(test_is_permanent),
        cmocka_unit_test(test_redact_keyword_value),
        cmocka_unit_test(test_redact_quoted_password),
        cmocka_unit_test(test_redact_uri),
        cmocka_unit_test(test_redact_quotes_values),
        cmocka_unit_test(test_redact_no_password),
        cmocka_unit_test(test_redact_unparsable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
