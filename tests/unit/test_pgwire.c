/*
 * tests/unit/test_pgwire.c — the pgwire codec on byte buffers: exact bytes of
 * every encoder, the incremental decoder fed one byte at a time, hostile
 * framing, startup packets, and the UTF-8 position conversion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "server/pgwire.h"

/* Compare a Buf with an expected byte string (which may contain NULs). */
#define assert_bytes(b, lit) assert_bytes_n((b), (lit), sizeof(lit) - 1)

static void
assert_bytes_n(const Buf *b, const char *want, size_t n)
{
    if (b->len != n || memcmp(b->data, want, n) != 0) {
        print_error("got %zu bytes:", b->len);
        for (size_t i = 0; i < b->len; i++)
            print_error(" %02x", (unsigned char)b->data[i]);
        print_error("\nwant %zu bytes:", n);
        for (size_t i = 0; i < n; i++)
            print_error(" %02x", (unsigned char)want[i]);
        print_error("\n");
        fail();
    }
}

static int
setup_buf(void **state)
{
    Buf *b = test_malloc(sizeof *b);
    buf_init(b);
    *state = b;
    return 0;
}

static int
teardown_buf(void **state)
{
    Buf *b = *state;
    buf_free(b);
    test_free(b);
    return 0;
}

/* ---------------------------------------------------------------- encoders */

static void
test_auth_ok(void **state)
{
    Buf *b = *state;
    pgw_put_auth_ok(b);
    assert_bytes(b, "R\0\0\0\x08\0\0\0\0");
}

static void
test_parameter_status(void **state)
{
    Buf *b = *state;
    pgw_put_parameter_status(b, "client_encoding", "UTF8");
    assert_bytes(b, "S\0\0\0\x19" "client_encoding\0" "UTF8\0");
}

static void
test_backend_key(void **state)
{
    Buf *b = *state;
    pgw_put_backend_key(b, 0x01020304, 0xA0B0C0D0u);
    assert_bytes(b, "K\0\0\0\x0c\x01\x02\x03\x04\xa0\xb0\xc0\xd0");
}

static void
test_ready(void **state)
{
    Buf *b = *state;
    pgw_put_ready(b, 'I');
    pgw_put_ready(b, 'E');
    assert_bytes(b, "Z\0\0\0\x05" "I" "Z\0\0\0\x05" "E");
}

static void
test_negotiate_protocol(void **state)
{
    Buf *b = *state;
    const char *opts[] = {"_pq_.x"};
    pgw_put_negotiate_protocol(b, 0, 1, opts);
    assert_bytes(b, "v\0\0\0\x13\0\0\0\0\0\0\0\x01_pq_.x\0");
}

static void
test_row_description(void **state)
{
    Buf *b = *state;
    const char *names[] = {"a", "bb"};
    SlType types[] = {TYPE_BIGINT, TYPE_TEXT};
    pgw_put_row_description(b, 2, names, types);
    /* per field: name, table oid 0, attnum 0, type oid, typlen, typmod -1, format 0 */
    assert_bytes(b, "T\0\0\0\x2f\0\x02"
                    "a\0" "\0\0\0\0" "\0\0" "\0\0\0\x14" "\0\x08" "\xff\xff\xff\xff" "\0\0"
                    "bb\0" "\0\0\0\0" "\0\0" "\0\0\0\x19" "\xff\xff" "\xff\xff\xff\xff" "\0\0");
    assert_int_equal(type_pg_oid(TYPE_BIGINT), 20);
    assert_int_equal(type_pg_oid(TYPE_TEXT), 25);
}

static void
test_data_row(void **state)
{
    Buf *b = *state;
    Value v[3] = {val_int(42), val_null(TYPE_TEXT), val_text("héllo", 6)};
    pgw_put_data_row(b, 3, v);
    assert_bytes(b, "D\0\0\0\x1a\0\x03"
                    "\0\0\0\x02" "42"
                    "\xff\xff\xff\xff"
                    "\0\0\0\x06" "h\xc3\xa9llo");
}

static void
test_data_row_empty_text_is_not_null(void **state)
{
    Buf *b = *state;
    Value v = val_text("", 0);
    pgw_put_data_row(b, 1, &v);
    assert_bytes(b, "D\0\0\0\x0a\0\x01\0\0\0\0");
}

static void
test_command_complete_and_empty(void **state)
{
    Buf *b = *state;
    pgw_put_command_complete(b, "SELECT 1");
    pgw_put_empty_query(b);
    assert_bytes(b, "C\0\0\0\x0dSELECT 1\0" "I\0\0\0\x04");
}

static void
test_error_full(void **state)
{
    Buf *b = *state;
    SqlError e;
    err_init(&e, NULL);
    err_setf(&e, ERR_UNDEFINED_COLUMN, 7, "column \"%s\" does not exist", "x");
    err_detail(&e, "d");
    err_hint(&e, "h");
    pgw_put_error(b, &e, "SELECT x");
    assert_bytes(b, "E\0\0\0\x3e"
                    "SERROR\0" "VERROR\0" "C42703\0" "Mcolumn \"x\" does not exist\0"
                    "Dd\0" "Hh\0" "P8\0" "\0");
    err_clear(&e);
}

static void
test_error_no_position(void **state)
{
    Buf *b = *state;
    SqlError e;
    err_init(&e, NULL);
    err_setf(&e, ERR_PROTOCOL_VIOLATION, 3, "bad");
    strcpy(e.severity, "FATAL");
    pgw_put_error(b, &e, NULL); /* no query text: no P even with a position */
    assert_bytes(b, "E\0\0\0\x1f" "SFATAL\0" "VFATAL\0" "C08P01\0" "Mbad\0" "\0");
    buf_clear(b);
    e.position = -1;
    pgw_put_error(b, &e, "abc");
    assert_bytes(b, "E\0\0\0\x1f" "SFATAL\0" "VFATAL\0" "C08P01\0" "Mbad\0" "\0");
    err_clear(&e);
}

static void
test_error_position_utf8(void **state)
{
    Buf *b = *state;
    SqlError e;
    err_init(&e, NULL);
    /* "SELECT 'é', x": x is at byte 13 and at character 13 (1-based), not 14. */
    const char *q = "SELECT '\xc3\xa9', x";
    err_setf(&e, ERR_UNDEFINED_COLUMN, 13, "m");
    pgw_put_error(b, &e, q);
    assert_bytes(b, "E\0\0\0\x21" "SERROR\0" "VERROR\0" "C42703\0" "Mm\0" "P13\0" "\0");
    err_clear(&e);
}

static void
test_notice(void **state)
{
    Buf *b = *state;
    pgw_put_notice(b, "01000", "hi");
    assert_bytes(b, "N\0\0\0\x20" "SNOTICE\0" "VNOTICE\0" "C01000\0" "Mhi\0" "\0");
}

static void
test_copy_messages(void **state)
{
    Buf *b = *state;
    pgw_put_copy_in_response(b, 2);
    pgw_put_copy_out_response(b, 1);
    pgw_put_copy_data(b, "a\tb\n", 4);
    pgw_put_copy_done(b);
    assert_bytes(b, "G\0\0\0\x0b\0\0\x02\0\0\0\0"
                    "H\0\0\0\x09\0\0\x01\0\0"
                    "d\0\0\0\x08" "a\tb\n"
                    "c\0\0\0\x04");
}

static void
test_begin_end_nested_offsets(void **state)
{
    Buf *b = *state;
    buf_puts(b, "xyz"); /* a message appended after other bytes patches its own length */
    size_t m = pgw_begin_message(b, 'C');
    buf_append(b, "ab\0", 3);
    pgw_end_message(b, m);
    assert_bytes(b, "xyzC\0\0\0\x07" "ab\0");
}

/* --------------------------------------------------------- UTF-8 positions */

static void
test_char_position(void **state)
{
    (void)state;
    assert_int_equal(pgw_char_position("abc", 0), 1);
    assert_int_equal(pgw_char_position("abc", 2), 3);
    assert_int_equal(pgw_char_position("\xc3\xa9" "b", 2), 2);         /* é is 2 bytes */
    assert_int_equal(pgw_char_position("\xe2\x82\xac\xe2\x82\xac" "x", 6), 3); /* two € */
    assert_int_equal(pgw_char_position("\xf0\x9f\x98\x80" "x", 4), 2);  /* emoji, 4 bytes */
    assert_int_equal(pgw_char_position("ab", 99), 3);                     /* clamped to end */
    /* an offset inside a character counts that character as started */
    assert_int_equal(pgw_char_position("\xc3\xa9" "b", 1), 2);
}

/* ---------------------------------------------------------------- decoding */

/* Append a startup packet with the given protocol and NUL-separated params. */
static void
put_startup(Buf *b, uint32_t proto, const char *params, size_t plen)
{
    buf_put_u32be(b, (uint32_t)(8 + plen));
    buf_put_u32be(b, proto);
    buf_append(b, params, plen);
}

/* Feed `all` one byte at a time; every prefix must be NEED_MORE, the whole a message. */
static void
feed_bytewise(const Buf *all, bool startup, PgwMsg *out)
{
    Buf in;
    buf_init(&in);
    SqlError err;
    err_init(&err, NULL);
    for (size_t i = 0; i < all->len; i++) {
        assert_int_equal(pgw_try_read_message(&in, startup, out, &err), PGW_NEED_MORE);
        buf_append(&in, all->data + i, 1);
    }
    assert_int_equal(pgw_try_read_message(&in, startup, out, &err), PGW_HAVE_MESSAGE);
    assert_false(err_is_set(&err));
    assert_int_equal(out->size, all->len);
    /* out points into `in`: check the body before freeing it */
    if (!startup) {
        assert_memory_equal(out->body, all->data + 5, out->len);
    }
    buf_free(&in);
}

static void
test_decode_query_bytewise(void **state)
{
    Buf *b = *state;
    size_t m = pgw_begin_message(b, 'Q');
    buf_append(b, "SELECT 1\0", 9);
    pgw_end_message(b, m);
    PgwMsg msg;
    feed_bytewise(b, false, &msg);
    assert_int_equal(msg.type, 'Q');
    assert_int_equal(msg.len, 9);
    assert_int_equal(msg.startup, PGW_STARTUP_NONE);
}

static void
test_decode_two_messages(void **state)
{
    Buf *b = *state;
    buf_append(b, "Q\0\0\0\x06x\0" "X\0\0\0\x04" "S", 13);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, false, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.type, 'Q');
    assert_int_equal(m.size, 7);
    assert_string_equal(m.body, "x");
    buf_consume(b, m.size);
    assert_int_equal(pgw_try_read_message(b, false, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.type, 'X');
    assert_int_equal(m.len, 0);
    buf_consume(b, m.size);
    assert_int_equal(pgw_try_read_message(b, false, &m, &err), PGW_NEED_MORE); /* "S" alone */
    assert_false(err_is_set(&err));
}

static void
test_decode_startup_bytewise(void **state)
{
    Buf *b = *state;
    static const char params[] = "user\0alice\0database\0db\0application_name\0psql\0";
    put_startup(b, PGW_PROTOCOL_3_0, params, sizeof params); /* sizeof includes final \0 */
    Buf in;
    buf_init(&in);
    SqlError err;
    err_init(&err, NULL);
    PgwMsg m;
    for (size_t i = 0; i < b->len; i++) {
        assert_int_equal(pgw_try_read_message(&in, true, &m, &err), PGW_NEED_MORE);
        buf_append(&in, b->data + i, 1);
    }
    assert_int_equal(pgw_try_read_message(&in, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.startup, PGW_STARTUP_MESSAGE);
    assert_int_equal(m.protocol, PGW_PROTOCOL_3_0);
    assert_int_equal(m.nparams, 3);
    assert_string_equal(m.param_names[0], "user");
    assert_string_equal(m.param_values[0], "alice");
    assert_string_equal(m.param_names[2], "application_name");
    assert_string_equal(m.param_values[2], "psql");
    assert_int_equal(m.size, b->len);
    buf_free(&in);
}

static void
test_decode_startup_no_params(void **state)
{
    Buf *b = *state;
    put_startup(b, PGW_PROTOCOL_3_0, "\0", 1);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.nparams, 0);
}

static void
test_decode_ssl_then_startup(void **state)
{
    Buf *b = *state;
    buf_put_u32be(b, 8);
    buf_put_u32be(b, PGW_SSL_REQUEST_CODE);
    put_startup(b, PGW_PROTOCOL_3_0, "user\0u\0\0", 8);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.startup, PGW_STARTUP_SSL);
    assert_int_equal(m.size, 8);
    buf_consume(b, m.size);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.startup, PGW_STARTUP_MESSAGE);
    assert_string_equal(m.param_values[0], "u");

    buf_clear(b);
    buf_put_u32be(b, 8);
    buf_put_u32be(b, PGW_GSSENC_REQUEST_CODE);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.startup, PGW_STARTUP_GSSENC);
}

static void
test_decode_cancel_request(void **state)
{
    Buf *b = *state;
    buf_put_u32be(b, 16);
    buf_put_u32be(b, PGW_CANCEL_REQUEST_CODE);
    buf_put_u32be(b, 1234);
    buf_put_u32be(b, 0xDEADBEEFu);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.startup, PGW_STARTUP_CANCEL);
    assert_int_equal(m.cancel_pid, 1234);
    assert_int_equal(m.cancel_key, 0xDEADBEEFu);
}

static void
test_decode_protocol_3_2_accepted(void **state)
{
    Buf *b = *state;
    put_startup(b, 0x00030002u, "user\0u\0_pq_.x\0y\0\0", 17);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_HAVE_MESSAGE);
    assert_int_equal(m.protocol, 0x00030002u);
    assert_int_equal(m.nparams, 2);
}

/* ---------------------------------------------------------- hostile input */

/* Expect a framing error with this SQLSTATE on the bytes in b. */
static void
expect_error(const Buf *b, bool startup, const char *sqlstate)
{
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message(b, startup, &m, &err), PGW_ERROR);
    assert_true(err_is_set(&err));
    assert_string_equal(err.sqlstate, sqlstate);
    assert_string_equal(err.severity, "FATAL");
    err_clear(&err);
}

static void
test_truncated_header_needs_more(void **state)
{
    Buf *b = *state;
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    buf_append(b, "Q\0\0", 3);
    assert_int_equal(pgw_try_read_message(b, false, &m, &err), PGW_NEED_MORE);
    buf_clear(b);
    buf_append(b, "Q\0\0\0\x10" "abc", 8); /* body shorter than announced */
    assert_int_equal(pgw_try_read_message(b, false, &m, &err), PGW_NEED_MORE);
    buf_clear(b);
    buf_append(b, "\0\0", 2);
    assert_int_equal(pgw_try_read_message(b, true, &m, &err), PGW_NEED_MORE);
    assert_false(err_is_set(&err));
}

static void
test_length_below_four(void **state)
{
    Buf *b = *state;
    for (int n = 0; n < 4; n++) {
        buf_clear(b);
        buf_putc(b, 'Q');
        buf_put_u32be(b, (uint32_t)n);
        expect_error(b, false, "08P01");
    }
}

static void
test_negative_and_huge_length(void **state)
{
    Buf *b = *state;
    /* judged from the header alone: no body has arrived and none is awaited */
    buf_putc(b, 'Q');
    buf_put_u32be(b, 0xFFFFFFFFu); /* -1 as int32 */
    expect_error(b, false, "08P01");
    buf_clear(b);
    buf_putc(b, 'd');
    buf_put_u32be(b, 0x80000000u);
    expect_error(b, false, "08P01");
    buf_clear(b);
    buf_putc(b, 'd');
    buf_put_u32be(b, (1u << 30) + 1); /* just over 1 GiB */
    expect_error(b, false, "08P01");
}

static void
test_configurable_max(void **state)
{
    Buf *b = *state;
    buf_putc(b, 'Q');
    buf_put_u32be(b, 101);
    PgwMsg m;
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(pgw_try_read_message_max(b, false, 100, &m, &err), PGW_ERROR);
    err_clear(&err);
    assert_int_equal(pgw_try_read_message_max(b, false, 101, &m, &err), PGW_NEED_MORE);
}

static void
test_small_types_have_small_limit(void **state)
{
    Buf *b = *state;
    buf_putc(b, 'S');
    buf_put_u32be(b, 100000); /* a Sync never needs 100 kB */
    expect_error(b, false, "08P01");
}

static void
test_unknown_type(void **state)
{
    Buf *b = *state;
    buf_append(b, "A\0\0\0\x04", 5);
    expect_error(b, false, "08P01");
    buf_clear(b);
    buf_putc(b, '\xff'); /* judged from the type byte alone */
    expect_error(b, false, "08P01");
}

static void
test_startup_too_long(void **state)
{
    Buf *b = *state;
    buf_put_u32be(b, PGW_MAX_STARTUP_PACKET + 1);
    buf_put_u32be(b, PGW_PROTOCOL_3_0);
    expect_error(b, true, "08P01");
    buf_clear(b);
    buf_put_u32be(b, 0xFFFFFFFFu);
    expect_error(b, true, "08P01");
    buf_clear(b);
    buf_put_u32be(b, 7);
    expect_error(b, true, "08P01");
}

static void
test_startup_bad_layout(void **state)
{
    Buf *b = *state;
    put_startup(b, PGW_PROTOCOL_3_0, "user\0u\0", 7); /* no final terminator */
    expect_error(b, true, "08P01");
    buf_clear(b);
    put_startup(b, PGW_PROTOCOL_3_0, "user\0", 5); /* name without value */
    expect_error(b, true, "08P01");
    buf_clear(b);
    put_startup(b, PGW_PROTOCOL_3_0, "", 0); /* empty: not even the terminator */
    expect_error(b, true, "08P01");
    buf_clear(b);
    put_startup(b, PGW_PROTOCOL_3_0, "\0user\0u\0\0", 9); /* terminator not last */
    expect_error(b, true, "08P01");
}

static void
test_startup_bad_special_lengths(void **state)
{
    Buf *b = *state;
    buf_put_u32be(b, 12);
    buf_put_u32be(b, PGW_SSL_REQUEST_CODE);
    buf_put_u32be(b, 0);
    expect_error(b, true, "08P01");
    buf_clear(b);
    buf_put_u32be(b, 12);
    buf_put_u32be(b, PGW_CANCEL_REQUEST_CODE);
    buf_put_u32be(b, 1);
    expect_error(b, true, "08P01");
}

static void
test_unsupported_protocol(void **state)
{
    Buf *b = *state;
    put_startup(b, 0x00020000u, "\0", 1);
    expect_error(b, true, "0A000");
    buf_clear(b);
    put_startup(b, 0x00040000u, "\0", 1);
    expect_error(b, true, "0A000");
}

static void
test_too_many_startup_params(void **state)
{
    Buf *b = *state;
    Buf p;
    buf_init(&p);
    for (int i = 0; i < PGW_MAX_STARTUP_PARAMS + 1; i++)
        buf_append(&p, "k\0v\0", 4);
    buf_putc(&p, '\0');
    put_startup(b, PGW_PROTOCOL_3_0, p.data, p.len);
    expect_error(b, true, "08P01");
    buf_free(&p);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_buf, teardown_buf)
    const struct CMUnitTest tests[] = {
        T(test_auth_ok),
        T(test_parameter_status),
        T(test_backend_key),
        T(test_ready),
        T(test_negotiate_protocol),
        T(test_row_description),
        T(test_data_row),
        T(test_data_row_empty_text_is_not_null),
        T(test_command_complete_and_empty),
        T(test_error_full),
        T(test_error_no_position),
        T(test_error_position_utf8),
        T(test_notice),
        T(test_copy_messages),
        T(test_begin_end_nested_offsets),
        T(test_char_position),
        T(test_decode_query_bytewise),
        T(test_decode_two_messages),
        T(test_decode_startup_bytewise),
        T(test_decode_startup_no_params),
        T(test_decode_ssl_then_startup),
        T(test_decode_cancel_request),
        T(test_decode_protocol_3_2_accepted),
        T(test_truncated_header_needs_more),
        T(test_length_below_four),
        T(test_negative_and_huge_length),
        T(test_configurable_max),
        T(test_small_types_have_small_limit),
        T(test_unknown_type),
        T(test_startup_too_long),
        T(test_startup_bad_layout),
        T(test_startup_bad_special_lengths),
        T(test_unsupported_protocol),
        T(test_too_many_startup_params),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
