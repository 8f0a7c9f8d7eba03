/*
 * server/pgwire.c — PostgreSQL v3 wire protocol codec (see pgwire.h).
 *
 * Every encoder frames its message with pgw_begin_message/pgw_end_message:
 * the length word is written as a placeholder and patched at the end, so a
 * message is complete before anyone can send it. Buf grows by aborting on
 * OOM, so nothing in between can fail halfway.
 *
 * The decoder is incremental in the Redis processMultibulkBuffer sense: it
 * looks at whatever bytes have arrived, judges the header as soon as it is
 * complete (so a hostile length is rejected before we wait for, or buffer,
 * its body), and reports "need more" otherwise.
 */
#include "server/pgwire.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/errors.h"

size_t
pgw_begin_message(Buf *b, char type)
{
    if (type)
        buf_putc(b, type);
    size_t off = b->len;
    buf_put_u32be(b, 0);
    return off;
}

void
pgw_end_message(Buf *b, size_t len_off)
{
    buf_set_u32be(b, len_off, (uint32_t)(b->len - len_off));
}

static void
put_str(Buf *b, const char *s)
{
    buf_append(b, s ? s : "", strlen(s ? s : "") + 1); /* with the terminator */
}

void
pgw_put_auth_ok(Buf *b)
{
    size_t m = pgw_begin_message(b, 'R');
    buf_put_u32be(b, 0);
    pgw_end_message(b, m);
}

void
pgw_put_auth_request(Buf *b, uint32_t code, const void *data, size_t n)
{
    size_t m = pgw_begin_message(b, 'R');
    buf_put_u32be(b, code);
    if (n)
        buf_append(b, data, n);
    pgw_end_message(b, m);
}

void
pgw_put_auth_sasl(Buf *b, int n, const char *const *mechanisms)
{
    size_t m = pgw_begin_message(b, 'R');
    buf_put_u32be(b, PGW_AUTH_SASL);
    for (int i = 0; i < n; i++)
        put_str(b, mechanisms[i]);
    buf_putc(b, '\0');
    pgw_end_message(b, m);
}

void
pgw_put_parameter_status(Buf *b, const char *name, const char *value)
{
    size_t m = pgw_begin_message(b, 'S');
    put_str(b, name);
    put_str(b, value);
    pgw_end_message(b, m);
}

void
pgw_put_backend_key(Buf *b, int32_t pid, uint32_t key)
{
    size_t m = pgw_begin_message(b, 'K');
    buf_put_u32be(b, (uint32_t)pid);
    buf_put_u32be(b, key);
    pgw_end_message(b, m);
}

void
pgw_put_negotiate_protocol(Buf *b, int minor, int n, const char *const *unknown_opts)
{
    size_t m = pgw_begin_message(b, 'v');
    buf_put_u32be(b, (uint32_t)minor);
    buf_put_u32be(b, (uint32_t)n);
    for (int i = 0; i < n; i++)
        put_str(b, unknown_opts[i]);
    pgw_end_message(b, m);
}

void
pgw_put_ready(Buf *b, char txstatus)
{
    size_t m = pgw_begin_message(b, 'Z');
    buf_putc(b, txstatus);
    pgw_end_message(b, m);
}

void
pgw_put_row_description(Buf *b, int n, const char *const *names, const SlType *types)
{
    pgw_put_row_description_fmt(b, n, names, types, NULL, 0);
}

void
pgw_put_row_description_fmt(Buf *b, int n, const char *const *names, const SlType *types,
                            const int16_t *formats, int nformats)
{
    size_t m = pgw_begin_message(b, 'T');
    buf_put_u16be(b, (uint16_t)n);
    for (int i = 0; i < n; i++) {
        put_str(b, names[i]);
        buf_put_u32be(b, 0);                               /* table OID */
        buf_put_u16be(b, 0);                               /* column attribute number */
        buf_put_u32be(b, type_pg_oid(types[i]));           /* type OID */
        buf_put_u16be(b, (uint16_t)type_pg_len(types[i])); /* typlen, -1 = varlena */
        buf_put_u32be(b, 0xFFFFFFFFu);                     /* typmod -1 */
        buf_put_u16be(b, (uint16_t)pgw_format_of(formats, nformats, i)); /* 0 text, 1 binary */
    }
    pgw_end_message(b, m);
}

void
pgw_put_data_row(Buf *b, int n, const Value *vals)
{
    pgw_put_data_row_fmt(b, n, vals, NULL, 0);
}

void
pgw_put_data_row_fmt(Buf *b, int n, const Value *vals, const int16_t *formats, int nformats)
{
    size_t m = pgw_begin_message(b, 'D');
    buf_put_u16be(b, (uint16_t)n);
    for (int i = 0; i < n; i++) {
        if (vals[i].isnull) {
            buf_put_u32be(b, 0xFFFFFFFFu);
            continue;
        }
        size_t off = b->len;
        buf_put_u32be(b, 0);
        if (pgw_format_of(formats, nformats, i) == 1)
            pgw_encode_binary(&vals[i], b);
        else
            val_format(&vals[i], b);
        buf_set_u32be(b, off, (uint32_t)(b->len - off - 4));
    }
    pgw_end_message(b, m);
}

void
pgw_put_command_complete(Buf *b, const char *tag)
{
    size_t m = pgw_begin_message(b, 'C');
    put_str(b, tag);
    pgw_end_message(b, m);
}

void
pgw_put_empty_query(Buf *b)
{
    size_t m = pgw_begin_message(b, 'I');
    pgw_end_message(b, m);
}

int
pgw_char_position(const char *query, int byte_off)
{
    int chars = 0;
    for (int i = 0; i < byte_off && query[i]; i++) {
        if (((unsigned char)query[i] & 0xC0) != 0x80) /* a lead byte starts a character */
            chars++;
    }
    return chars + 1;
}

static void
put_field(Buf *b, char code, const char *s)
{
    buf_putc(b, code);
    put_str(b, s);
}

void
pgw_put_error(Buf *b, const SqlError *e, const char *query)
{
    const char *sev = e->severity[0] ? e->severity : "ERROR";
    const char *state = e->sqlstate[0] ? e->sqlstate : "XX000";
    size_t m = pgw_begin_message(b, 'E');
    put_field(b, 'S', sev);
    put_field(b, 'V', sev);
    put_field(b, 'C', state);
    put_field(b, 'M', e->message ? e->message : "");
    if (e->detail)
        put_field(b, 'D', e->detail);
    if (e->hint)
        put_field(b, 'H', e->hint);
    if (e->context)
        put_field(b, 'W', e->context);
    if (e->position >= 0 && query) {
        char pos[16];
        snprintf(pos, sizeof pos, "%d", pgw_char_position(query, e->position));
        put_field(b, 'P', pos);
    }
    buf_putc(b, '\0');
    pgw_end_message(b, m);
}

void
pgw_put_notice(Buf *b, const char *sqlstate, const char *msg)
{
    size_t m = pgw_begin_message(b, 'N');
    put_field(b, 'S', "NOTICE");
    put_field(b, 'V', "NOTICE");
    put_field(b, 'C', sqlstate);
    put_field(b, 'M', msg);
    buf_putc(b, '\0');
    pgw_end_message(b, m);
}

static void
put_copy_response(Buf *b, char type, int ncols)
{
    size_t m = pgw_begin_message(b, type);
    buf_put_u8(b, 0); /* overall format: text */
    buf_put_u16be(b, (uint16_t)ncols);
    for (int i = 0; i < ncols; i++)
        buf_put_u16be(b, 0);
    pgw_end_message(b, m);
}

void
pgw_put_copy_in_response(Buf *b, int ncols)
{
    put_copy_response(b, 'G', ncols);
}

void
pgw_put_copy_out_response(Buf *b, int ncols)
{
    put_copy_response(b, 'H', ncols);
}

void
pgw_put_copy_data(Buf *b, const void *data, size_t n)
{
    size_t m = pgw_begin_message(b, 'd');
    buf_append(b, data, n);
    pgw_end_message(b, m);
}

void
pgw_put_copy_done(Buf *b)
{
    size_t m = pgw_begin_message(b, 'c');
    pgw_end_message(b, m);
}

/* ---------------------------------------------------------------- decoding */

static uint32_t
get_u32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static PgwResult
set_fatal(SqlError *err)
{
    if (err)
        strcpy(err->severity, "FATAL");
    return PGW_ERROR;
}

/* Record a framing error (connection-fatal) and return PGW_ERROR. */
#define FATAL(err, code, ...) (err_setf((err), (code), -1, __VA_ARGS__), set_fatal(err))

/* Frontend message types of protocol 3.0 and the limit that applies to each. */
static bool
frontend_type_limit(char t, size_t max_len, size_t *limit)
{
    switch (t) {
    case 'Q': case 'P': case 'B': case 'F': case 'd': case 'f': case 'p':
        *limit = max_len;
        return true;
    case 'S': case 'H': case 'X': case 'c': case 'D': case 'E': case 'C':
        *limit = max_len < PGW_SMALL_MESSAGE_LIMIT ? max_len : PGW_SMALL_MESSAGE_LIMIT;
        return true;
    default:
        return false;
    }
}

static PgwResult
parse_startup_params(PgwMsg *m, SqlError *err)
{
    /* name\0value\0 ... \0: the last byte must be the list terminator. */
    if (m->len == 0 || m->body[m->len - 1] != '\0')
        return FATAL(err, ERR_PROTOCOL_VIOLATION,
                     "invalid startup packet layout: expected terminator as last byte");
    const char *p = m->body, *last = m->body + m->len - 1;
    while (p < last) {
        if (*p == '\0') /* an empty name ends the list, so it must be the last byte */
            return FATAL(err, ERR_PROTOCOL_VIOLATION,
                         "invalid startup packet layout: expected terminator as last byte");
        const char *name = p;
        p = (const char *)memchr(p, '\0', (size_t)(last - p) + 1) + 1;
        if (p > last)
            return FATAL(err, ERR_PROTOCOL_VIOLATION,
                         "invalid startup packet layout: parameter \"%s\" has no value", name);
        const char *value = p;
        p = (const char *)memchr(p, '\0', (size_t)(last - p) + 1) + 1;
        if (p > last)
            return FATAL(err, ERR_PROTOCOL_VIOLATION,
                         "invalid startup packet layout: expected terminator as last byte");
        if (m->nparams >= PGW_MAX_STARTUP_PARAMS)
            return FATAL(err, ERR_PROTOCOL_VIOLATION,
                         "too many parameters in startup packet (at most %d)",
                         PGW_MAX_STARTUP_PARAMS);
        m->param_names[m->nparams] = name;
        m->param_values[m->nparams] = value;
        m->nparams++;
    }
    return PGW_HAVE_MESSAGE;
}

static PgwResult
read_startup(const Buf *in, PgwMsg *m, SqlError *err)
{
    if (in->len < 4)
        return PGW_NEED_MORE;
    uint32_t len = get_u32(in->data);
    if (len < 8 || len > PGW_MAX_STARTUP_PACKET)
        return FATAL(err, ERR_PROTOCOL_VIOLATION, "invalid length of startup packet: %u", len);
    if (in->len < len)
        return PGW_NEED_MORE;
    uint32_t code = get_u32(in->data + 4);
    m->size = len;
    m->body = in->data + 8;
    m->len = len - 8;
    m->protocol = code;
    switch (code) {
    case PGW_SSL_REQUEST_CODE:
    case PGW_GSSENC_REQUEST_CODE:
        if (len != 8)
            return FATAL(err, ERR_PROTOCOL_VIOLATION, "invalid length of %s request: %u",
                         code == PGW_SSL_REQUEST_CODE ? "SSL" : "GSSENC", len);
        m->startup = code == PGW_SSL_REQUEST_CODE ? PGW_STARTUP_SSL : PGW_STARTUP_GSSENC;
        return PGW_HAVE_MESSAGE;
    case PGW_CANCEL_REQUEST_CODE:
        if (len != 16)
            return FATAL(err, ERR_PROTOCOL_VIOLATION, "invalid length of cancel request: %u", len);
        m->startup = PGW_STARTUP_CANCEL;
        m->cancel_pid = (int32_t)get_u32(in->data + 8);
        m->cancel_key = get_u32(in->data + 12);
        return PGW_HAVE_MESSAGE;
    default:
        break;
    }
    unsigned major = code >> 16, minor = code & 0xFFFF;
    if (major != 3)
        return FATAL(err, ERR_FEATURE_NOT_SUPPORTED,
                     "unsupported frontend protocol %u.%u: server supports 3.0", major, minor);
    m->startup = PGW_STARTUP_MESSAGE;
    return parse_startup_params(m, err);
}

PgwResult
pgw_try_read_message_max(const Buf *in, bool startup, size_t max_len, PgwMsg *out, SqlError *err)
{
    memset(out, 0, sizeof *out);
    if (startup)
        return read_startup(in, out, err);
    if (in->len < 1)
        return PGW_NEED_MORE;
    char type = in->data[0];
    size_t limit;
    if (!frontend_type_limit(type, max_len, &limit))
        return FATAL(err, ERR_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                     (unsigned char)type);
    if (in->len < 5)
        return PGW_NEED_MORE;
    uint32_t len = get_u32(in->data + 1);
    if (len < 4)
        return FATAL(err, ERR_PROTOCOL_VIOLATION, "invalid message length %u", len);
    if (len > limit)
        return FATAL(err, ERR_PROTOCOL_VIOLATION, "message of type '%c' is too long (%u bytes)",
                     type, len);
    if (in->len - 1 < len)
        return PGW_NEED_MORE;
    out->type = type;
    out->body = in->data + 5;
    out->len = len - 4;
    out->size = (size_t)len + 1;
    return PGW_HAVE_MESSAGE;
}

PgwResult
pgw_try_read_message(const Buf *in, bool startup, PgwMsg *out, SqlError *err)
{
    return pgw_try_read_message_max(in, startup, PGW_DEFAULT_MAX_MESSAGE, out, err);
}

/* ------------------------------------------------------ authentication ('p') */

int
pgw_parse_password(const char *body, size_t len, const char **password, SqlError *err)
{
    if (len == 0 || body[len - 1] != '\0' || memchr(body, '\0', len) != body + len - 1) {
        err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "invalid password packet size");
        set_fatal(err);
        return -1;
    }
    *password = body;
    return 0;
}

int
pgw_parse_sasl_initial(const char *body, size_t len, const char **mechanism, const char **data,
                       int32_t *data_len, SqlError *err)
{
    const char *nul = memchr(body, '\0', len);
    if (!nul || (size_t)(nul - body) + 1 + 4 > len) {
        err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "malformed SASLInitialResponse message");
        set_fatal(err);
        return -1;
    }
    size_t off = (size_t)(nul - body) + 1;
    int32_t n = (int32_t)get_u32(body + off);
    off += 4;
    /* -1: no initial response; otherwise exactly the rest of the message */
    if (n < -1 || (n >= 0 && (size_t)n != len - off) || (n == -1 && off != len)) {
        err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "malformed SASLInitialResponse message");
        set_fatal(err);
        return -1;
    }
    *mechanism = body;
    *data = body + off;
    *data_len = n;
    return 0;
}
