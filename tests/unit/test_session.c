/*
 * tests/unit/test_session.c — unit tests for server/session.c: SET / RESET / SHOW of
 * run-time parameters (canonical values, SQLSTATEs, ParameterStatus only when a
 * reported parameter changes, RESET to the startup value, custom "a.b" names) and the
 * transaction-mode checker.
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
#include <string.h>

#include "common/buf.h"
#include "common/errors.h"
#include "server/session.h"

/* SET name = value; returns the SQLSTATE ("" on success) and the ParameterStatus
 * messages written, as "name=value;" pairs, in *status. */
static const char *
set(Session *s, const char *name, const char *value, char *status, size_t n)
{
    static char code[6];
    Buf out;
    buf_init(&out);
    SqlError err;
    err_init(&err, NULL);
    int rc = sess_set(s, name, value, 0, 0, &out, &err);
    strcpy(code, rc == 0 ? "" : err.sqlstate);
    assert_true((rc == 0) == !err_is_set(&err));
    err_clear(&err);
    /* decode 'S' messages: type, int32 length, name\0, value\0 */
    size_t k = 0;
    if (status)
        status[0] = '\0';
    for (size_t off = 0; off < out.len;) {
        assert_int_equal(out.data[off], 'S');
        uint32_t len = (uint32_t)(unsigned char)out.data[off + 1] << 24 |
                       (uint32_t)(unsigned char)out.data[off + 2] << 16 |
                       (uint32_t)(unsigned char)out.data[off + 3] << 8 |
                       (uint32_t)(unsigned char)out.data[off + 4];
        const char *nm = out.data + off + 5;
        const char *val = nm + strlen(nm) + 1;
        if (status)
            k += (size_t)snprintf(status + k, n - k, "%s=%s;", nm, val);
        off += 1 + len;
    }
    buf_free(&out);
    return code;
}

static void
want_value(Session *s, const char *name, const char *want)
{
    const char *v = sess_get(s, name, NULL);
    assert_non_null(v);
    assert_string_equal(v, want);
}

static void
test_canonical_values(void **state)
{
    (void)state;
    Session *s = sess_new(NULL);
    char st[256];
    assert_string_equal(set(s, "statement_timeout", "5000", st, sizeof st), "");
    want_value(s, "statement_timeout", "5s");
    set(s, "statement_timeout", "90 min", st, sizeof st);
    want_value(s, "statement_timeout", "90min");
    set(s, "statement_timeout", "1500", st, sizeof st);
    want_value(s, "statement_timeout", "1500ms");
    set(s, "statement_timeout", "2h", st, sizeof st);
    want_value(s, "statement_timeout", "2h");
    set(s, "statement_timeout", "0", st, sizeof st);
    want_value(s, "statement_timeout", "0");
    assert_string_equal(set(s, "statement_timeout", "-1", st, sizeof st), "22023");
    assert_string_equal(set(s, "statement_timeout", "3 fortnights", st, sizeof st), "22023");
    set(s, "DATESTYLE", "iso,ymd", st, sizeof st);
    want_value(s, "datestyle", "ISO, YMD");
    assert_string_equal(set(s, "datestyle", "German", st, sizeof st), "22023");
    set(s, "client_encoding", "unicode", st, sizeof st);
    want_value(s, "client_encoding", "UTF8");
    assert_string_equal(set(s, "client_encoding", "LATIN1", st, sizeof st), "22023");
    set(s, "default_transaction_read_only", "yes", st, sizeof st);
    want_value(s, "default_transaction_read_only", "on");
    assert_string_equal(set(s, "transaction_read_only", "maybe", st, sizeof st), "22023");
    assert_string_equal(set(s, "extra_float_digits", "-16", st, sizeof st), "22023");
    assert_string_equal(set(s, "extra_float_digits", "-15", st, sizeof st), "");
    assert_string_equal(set(s, "standard_conforming_strings", "off", st, sizeof st), "0A000");
    assert_string_equal(set(s, "standard_conforming_strings", "true", st, sizeof st), "");
    set(s, "transaction_isolation", "REPEATABLE READ", st, sizeof st);
    want_value(s, "transaction_isolation", "repeatable read");
    sess_free(s);
}

static void
test_errors(void **state)
{
    (void)state;
    Session *s = sess_new(NULL);
    assert_string_equal(set(s, "no_such", "1", NULL, 0), "42704");
    assert_null(sess_get(s, "no_such", NULL));
    assert_string_equal(set(s, "server_version", "16", NULL, 0), "55P02");
    assert_string_equal(set(s, "integer_datetimes", "on", NULL, 0), "55P02");
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_string_equal(set(s, "application_name", big, NULL, 0), "54000");
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(sess_reset(s, "nope", 0, NULL, &err), -1);
    assert_string_equal(err.sqlstate, "42704");
    err_clear(&err);
    sess_free(s);
}

static void
test_parameter_status(void **state)
{
    (void)state;
    Session *s = sess_new("app0");
    char st[256];
    set(s, "TimeZone", "Europe/Paris", st, sizeof st);
    assert_string_equal(st, "TimeZone=Europe/Paris;");
    set(s, "timezone", "Europe/Paris", st, sizeof st);
    assert_string_equal(st, ""); /* unchanged: no message */
    set(s, "statement_timeout", "1s", st, sizeof st);
    assert_string_equal(st, ""); /* not a reported parameter */
    set(s, "application_name", "app1", st, sizeof st);
    assert_string_equal(st, "application_name=app1;");
    set(s, "timezone", NULL, st, sizeof st); /* SET ... TO DEFAULT */
    assert_string_equal(st, "TimeZone=UTC;");

    Buf out;
    buf_init(&out);
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(sess_reset(s, NULL, 0, &out, &err), 0);
    want_value(s, "application_name", "app0"); /* the startup value */
    want_value(s, "statement_timeout", "0");
    assert_true(out.len > 0 && out.data[0] == 'S');
    buf_free(&out);
    sess_free(s);
}

static void
test_custom_parameters(void **state)
{
    (void)state;
    Session *s = sess_new(NULL);
    assert_string_equal(set(s, "MyApp.Mode", "fast", NULL, 0), "");
    want_value(s, "myapp.mode", "fast");
    const char *display;
    sess_get(s, "MYAPP.MODE", &display);
    assert_string_equal(display, "myapp.mode");
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(sess_reset(s, "myapp.mode", 0, NULL, &err), 0);
    want_value(s, "myapp.mode", "");
    assert_int_equal(sess_reset(s, "other.unset", 0, NULL, &err), 0);
    assert_string_equal(set(s, ".x", "1", NULL, 0), "42704");
    assert_string_equal(set(s, "x.", "1", NULL, 0), "42704");
    sess_free(s);
}

static void
count_param(void *ctx, const char *name, const char *value, const char *desc)
{
    assert_non_null(name);
    assert_non_null(value);
    assert_non_null(desc);
    (*(int *)ctx)++;
}

static void
test_foreach(void **state)
{
    (void)state;
    Session *s = sess_new(NULL);
    int n = 0;
    sess_foreach(s, count_param, &n);
    assert_true(n >= 20);
    set(s, "a.b", "1", NULL, 0);
    int m = 0;
    sess_foreach(s, count_param, &m);
    assert_int_equal(m, n + 1);
    sess_free(s);
}

/* Checks modes text; returns the SQLSTATE ("" if accepted) and the error position. */
static const char *
modes(Session *s, const char *text, bool session_default, int *pos)
{
    static char code[6];
    SqlError err;
    err_init(&err, NULL);
    int rc = sess_check_txn_modes(s, text, strlen(text), 100, session_default, NULL, &err);
    strcpy(code, rc == 0 ? "" : err.sqlstate);
    *pos = err.position;
    err_clear(&err);
    return code;
}

static void
test_transaction_modes(void **state)
{
    (void)state;
    Session *s = sess_new(NULL);
    int pos;
    assert_string_equal(modes(s, "ISOLATION LEVEL SERIALIZABLE", false, &pos), "");
    assert_string_equal(modes(s, "isolation level read committed, read only", false, &pos), "");
    assert_string_equal(modes(s, "READ WRITE NOT DEFERRABLE", false, &pos), "");
    assert_string_equal(modes(s, "DEFERRABLE, ISOLATION LEVEL REPEATABLE READ", false, &pos), "");
    assert_string_equal(modes(s, "ISOLATION LEVEL SNAPSHOT", false, &pos), "42601");
    assert_int_equal(pos, 100 + 16);
    assert_string_equal(modes(s, "READ", false, &pos), "42601");
    assert_string_equal(modes(s, "READ ONLY,", false, &pos), "42601");
    assert_string_equal(modes(s, ", READ ONLY", false, &pos), "42601");
    assert_string_equal(modes(s, "NOT READ", false, &pos), "42601");
    want_value(s, "default_transaction_isolation", "read committed");
    assert_string_equal(modes(s, "ISOLATION LEVEL SERIALIZABLE, READ ONLY", true, &pos), "");
    want_value(s, "default_transaction_isolation", "serializable");
    want_value(s, "default_transaction_read_only", "on");
    sess_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_parameter_status),
        cmocka_unit_test(test_custom_parameters),
        cmocka_unit_test(test_foreach),
        cmocka_unit_test(test_transaction_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
