/*
 * server/conn.c — one client connection (see conn.h).
 *
 * Reading: bytes are appended to c->in and the state machine consumes whole
 * messages from its front (pgw_try_read_message never blocks). Writing:
 * everything is appended to c->out as complete messages; the Server flushes
 * pending conns in before_sleep, and WRITE interest is registered only while
 * the socket is full (Redis: clients_pending_write + writable handler).
 *
 * Backpressure: a conn stops reading while it has more than CONN_OUT_HIGH
 * unsent bytes (a client that pipelines queries without reading the results)
 * or, while streaming, more than CONN_IN_QUEUE_MAX bytes of queued input.
 * A streaming conn whose unsent output passes cfg.max_output is closed:
 * one slow subscriber must not grow the server without bound.
 *
 * Extended query protocol: Parse/Bind/Describe/Execute/Close/Flush are
 * decoded here and carried out by commands (prepared statements and
 * portals); a failed one puts the conn in CONN_SKIP_TO_SYNC, where everything
 * up to Sync is discarded. A SUBSCRIBE started by Execute streams like a
 * simple one, but its end returns to idle without ReadyForQuery (Sync, queued
 * behind it, sends that).
 *
 * Startup: SSLRequest is answered 'S' when TLS is configured (then the TLS
 * handshake runs on the loop and every later byte goes through tls.c), else
 * 'N'; bytes sent after an SSLRequest, before the handshake, are refused
 * (CVE-2021-23214). The StartupMessage admits the conn against
 * max_connections (53300 beyond it) and starts authentication (auth.c); the
 * startup timer (auth timeout) runs until AuthenticationOk.
 *
 * Destruction is deferred (conn_close marks, the Server frees), so no
 * callback ever runs on a freed Conn.
 */
#include "server/conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/util.h"
#include "server/auth.h"
#include "server/commands.h"
#include "server/loop.h"
#include "server/pgwire.h"
#include "server/server.h"
#include "server/tls.h"

#define CONN_READ_CHUNK (64 * 1024)
#define CONN_OUT_HIGH (4u * 1024 * 1024)     /* stop reading above this much unsent output */
#define CONN_IN_QUEUE_MAX (1u * 1024 * 1024) /* input queued behind a stream */
#define CONN_WRITE_MAX (1u * 1024 * 1024)    /* per flush, for fairness between conns */
#define CONN_KEEP_BUF (256u * 1024)          /* drained buffers above this are released */

static void on_event(Loop *loop, int fd, int fired, void *ctx);
static void send_fatalf(Conn *c, SqlErrCode code, const char *msg);
static bool read_input(Conn *c);

static size_t
out_pending(const Conn *c)
{
    return c->out.len - c->out_sent;
}

static void
update_interest(Conn *c)
{
    if (c->closing)
        return;
    if (c->tls_handshaking) {
        if (loop_mod_fd(c->srv->loop, c->fd, c->tls_want) < 0)
            conn_close(c, "cannot update event mask");
        return;
    }
    bool want_read = !c->close_after_reply;
    if (out_pending(c) > CONN_OUT_HIGH && c->state != CONN_STREAMING)
        want_read = false;
    if (c->state == CONN_STREAMING && c->in.len > CONN_IN_QUEUE_MAX)
        want_read = false;
    c->read_paused = !want_read;
    int mask = (want_read ? LOOP_READ : 0) | (out_pending(c) ? LOOP_WRITE : 0);
    if (c->tls_want == LOOP_WRITE) /* a TLS read waits for the socket to drain */
        mask |= LOOP_WRITE;
    if (loop_mod_fd(c->srv->loop, c->fd, mask) < 0)
        conn_close(c, "cannot update event mask");
}

static void
on_startup_timeout(Loop *loop, int64_t id, void *ctx)
{
    (void)loop;
    (void)id;
    Conn *c = ctx;
    c->startup_timer = 0;
    if (c->closing)
        return;
    if (c->state == CONN_AUTH) {
        /* As PostgreSQL (authentication_timeout): FATAL 57014, then close. */
        send_fatalf(c, ERR_QUERY_CANCELED, "canceling authentication due to timeout");
        conn_flush(c); /* one try: a client that does not read is not waited for */
        conn_close(c, "authentication timeout");
        return;
    }
    conn_close(c, "startup packet not received in time");
}

static uint32_t
random_key(void)
{
    uint32_t k = 0;
    if (getrandom(&k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k)
        k = (uint32_t)sl_hash_u64((uint64_t)sl_mono_us() ^ (uint64_t)(uintptr_t)&k);
    return k;
}

Conn *
conn_new(Server *srv, int fd, const char *peer)
{
    Conn *c = sl_calloc(1, sizeof *c);
    buf_init(&c->out);
    buf_init(&c->in);
    c->srv = srv;
    c->fd = fd;
    c->state = CONN_STARTUP;
    c->secret = random_key();
    c->pid = srv->next_pid++;
    if (srv->next_pid <= 0)
        srv->next_pid = 1;
    snprintf(c->peer, sizeof c->peer, "%s", peer ? peer : "?");
    if (loop_add_fd(srv->loop, fd, LOOP_READ, on_event, c) < 0) {
        close(fd);
        free(c);
        return NULL;
    }
    if (srv->cfg.startup_timeout_ms > 0)
        c->startup_timer = loop_add_timer(srv->loop, srv->cfg.startup_timeout_ms, false,
                                          on_startup_timeout, c);
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    return c;
}

void
conn_free(Conn *c)
{
    Server *srv = c->srv;
    if (c->authenticated)
        cmd_conn_closed(srv->engine, c);
    if (c->startup_timer)
        loop_del_timer(srv->loop, c->startup_timer);
    if (c->admitted) {
        c->admitted = false;
        srv->nadmitted--;
    }
    auth_session_free(c->auth);
    loop_del_fd(srv->loop, c->fd);
    tls_conn_free(c->tls);
    close(c->fd);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    srv->nconns--;
    buf_free(&c->in);
    buf_free(&c->out);
    free(c->user);
    free(c->database);
    free(c->application_name);
    free(c);
}

void
conn_close(Conn *c, const char *why)
{
    if (c->closing)
        return;
    if (why)
        fprintf(stderr, "sluiced: connection %d (%s): closing: %s\n", (int)c->pid, c->peer, why);
    c->closing = true;
    if (c->admitted) { /* the slot is free at once, not only when before_sleep frees c */
        c->admitted = false;
        c->srv->nadmitted--;
    }
    loop_del_fd(c->srv->loop, c->fd);
    server_mark_closing(c->srv, c);
}

/* Append a FATAL error and close once it is written. */
static void
send_fatal(Conn *c, const SqlError *e)
{
    SqlError f = *e;
    strcpy(f.severity, "FATAL");
    pgw_put_error(&c->out, &f, NULL);
    fprintf(stderr, "sluiced: connection %d (%s): FATAL %s: %s\n", (int)c->pid, c->peer,
            e->sqlstate, e->message ? e->message : "");
    c->close_after_reply = true;
    conn_flush_soon(c);
}

static void
send_fatalf(Conn *c, SqlErrCode code, const char *msg)
{
    SqlError e;
    err_init(&e, NULL);
    err_setf(&e, code, -1, "%s", msg);
    send_fatal(c, &e);
    err_clear(&e);
}

static void
send_error(Conn *c, SqlErrCode code, const char *msg)
{
    SqlError e;
    err_init(&e, NULL);
    err_setf(&e, code, -1, "%s", msg);
    pgw_put_error(&c->out, &e, NULL);
    err_clear(&e);
}

static void
send_ready(Conn *c)
{
    pgw_put_ready(&c->out, cmd_txn_status(c));
    c->state = CONN_IDLE;
    conn_flush_soon(c);
}

/* Terminate: close once the replies to the messages before it are written
 * (a client may pipeline Query + Terminate in one write). */
static void
terminate(Conn *c)
{
    c->close_after_reply = true;
    conn_flush_soon(c);
}

/* ------------------------------------------------------------ commands seam */

static void
begin_cmd(Conn *c)
{
    c->in_cmd = true;
    c->finish_requested = false;
    c->srv->tick_stale = true;
}

static void
end_cmd(Conn *c, CmdStatus st)
{
    c->in_cmd = false;
    if (c->closing)
        return;
    switch (st) {
    case CMD_DONE:
        send_ready(c);
        break;
    case CMD_COPY_IN:
        c->state = CONN_COPY_IN;
        conn_flush_soon(c);
        break;
    case CMD_STREAMING:
        c->state = CONN_STREAMING;
        conn_flush_soon(c);
        if (c->finish_requested) /* the stream ended before cmd_* even returned */
            conn_query_finished(c);
        break;
    }
    c->finish_requested = false;
}

void
conn_query_finished(Conn *c)
{
    if (c->closing)
        return;
    if (c->in_cmd) {
        c->finish_requested = true;
        return;
    }
    if (c->state != CONN_STREAMING)
        return;
    if (c->ext_stream) {
        c->ext_stream = false;
        c->state = c->ext_failed ? CONN_SKIP_TO_SYNC : CONN_IDLE;
        conn_flush_soon(c);
    } else {
        send_ready(c);
    }
    c->ext_failed = false;
    /* Queued input runs from before_sleep, not from inside the caller (which
     * may be cmd_tick or cmd_cancel, still iterating its own state). */
    c->input_pending = true;
    server_mark_pending(c->srv, c);
}

void
conn_flush_soon(Conn *c)
{
    if (c->closing)
        return;
    if (c->state == CONN_STREAMING && out_pending(c) > c->srv->cfg.max_output) {
        conn_close(c, "subscriber too slow: output buffer limit exceeded");
        return;
    }
    server_mark_pending(c->srv, c);
}

/* ------------------------------------------------------------------ startup */

static const char *
param(const PgwMsg *m, const char *name)
{
    for (int i = 0; i < m->nparams; i++)
        if (strcmp(m->param_names[i], name) == 0)
            return m->param_values[i];
    return NULL;
}

/* Authenticated: AuthenticationOk, the session's ParameterStatus, BackendKeyData, ReadyForQuery. */
static void
finish_startup(Conn *c)
{
    auth_session_free(c->auth);
    c->auth = NULL;
    pgw_put_auth_ok(&c->out);
    static const char *const fixed[][2] = {
        {"server_version", "15.0 (sluice 0.1)"},
        {"server_encoding", "UTF8"},
        {"client_encoding", "UTF8"},
        {"DateStyle", "ISO, MDY"},
        {"IntervalStyle", "postgres"},
        {"integer_datetimes", "on"},
        {"standard_conforming_strings", "on"},
        {"TimeZone", "UTC"},
        {"is_superuser", "off"},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(fixed); i++)
        pgw_put_parameter_status(&c->out, fixed[i][0], fixed[i][1]);
    pgw_put_parameter_status(&c->out, "application_name", c->application_name);
    pgw_put_parameter_status(&c->out, "session_authorization", c->user);
    pgw_put_backend_key(&c->out, c->pid, c->secret);
    c->authenticated = true;
    if (c->startup_timer) {
        loop_del_timer(c->srv->loop, c->startup_timer);
        c->startup_timer = 0;
    }
    send_ready(c);
}

static void
tls_step(Conn *c);

/* SSLRequest with TLS configured: 'S' goes out in plain text now, then the
 * handshake starts on the loop. trailing = bytes received after the request. */
static void
start_tls(Conn *c, size_t trailing)
{
    if (c->tls) {
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, "SSL negotiation already completed");
        return;
    }
    if (trailing > 0) {
        /* Bytes that arrived before the handshake could be injected by a man in the
         * middle (CVE-2021-23214): never treat them as coming from inside TLS. */
        SqlError e;
        err_init(&e, NULL);
        err_setf(&e, ERR_PROTOCOL_VIOLATION, -1, "received unencrypted data after SSL request");
        err_detail(&e, "This could be either a client-software bug or evidence of an attempted "
                       "man-in-the-middle attack.");
        send_fatal(c, &e); /* in plain text, instead of 'S' (libpq shows it) */
        err_clear(&e);
        return;
    }
    buf_putc(&c->out, 'S');
    conn_flush(c);
    if (c->closing)
        return;
    if (out_pending(c) > 0) {
        conn_close(c, "could not send the SSLRequest reply");
        return;
    }
    c->tls = tls_conn_new(c->srv->cfg.tls, c->fd);
    if (!c->tls) {
        conn_close(c, "could not create a TLS connection");
        return;
    }
    c->tls_handshaking = true;
    c->tls_want = LOOP_READ;
    tls_step(c);
}

static void
handle_startup(Conn *c, const PgwMsg *m, size_t trailing)
{
    switch (m->startup) {
    case PGW_STARTUP_SSL:
    case PGW_STARTUP_GSSENC:
        if (++c->negotiations > 2) {
            send_fatalf(c, ERR_PROTOCOL_VIOLATION, "too many encryption negotiation requests");
            return;
        }
        if (m->startup == PGW_STARTUP_SSL && c->srv->cfg.tls) {
            start_tls(c, trailing);
            return;
        }
        if (c->tls) {
            send_fatalf(c, ERR_PROTOCOL_VIOLATION, "encryption negotiation inside TLS");
            return;
        }
        buf_putc(&c->out, 'N'); /* no TLS / GSS: the client continues in plain text */
        conn_flush_soon(c);
        return;
    case PGW_STARTUP_CANCEL:
        server_cancel(c->srv, m->cancel_pid, m->cancel_key);
        conn_close(c, NULL); /* PostgreSQL sends nothing back */
        return;
    case PGW_STARTUP_MESSAGE:
        break;
    case PGW_STARTUP_NONE:
        return;
    }

    const char *user = param(m, "user");
    if (!user || !*user) {
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, "no user name specified in startup packet");
        return;
    }
    if (c->srv->cfg.tls_required && !c->tls) {
        send_fatalf(c, ERR_INVALID_AUTHORIZATION,
                    "TLS is required: connect with sslmode=require "
                    "(this server has --tls-required)");
        return;
    }
    if (server_count_authenticated(c->srv) >= c->srv->cfg.max_connections) {
        send_fatalf(c, ERR_TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        return;
    }
    c->admitted = true;
    c->srv->nadmitted++;
    const char *db = param(m, "database");
    const char *app = param(m, "application_name");
    c->user = sl_strdup(user);
    c->database = sl_strdup(db && *db ? db : user);
    c->application_name = sl_strdup(app ? app : "");

    /* 3.x with x > 0: say we speak 3.0 and which _pq_ options we ignored. */
    unsigned minor = m->protocol & 0xFFFF;
    if (minor > 0) {
        const char *unknown[PGW_MAX_STARTUP_PARAMS];
        int nu = 0;
        for (int i = 0; i < m->nparams; i++)
            if (strncmp(m->param_names[i], "_pq_.", 5) == 0)
                unknown[nu++] = m->param_names[i];
        pgw_put_negotiate_protocol(&c->out, 0, nu, unknown);
    }

    bool done = false;
    c->auth = auth_session_begin(c->srv->cfg.auth, c->user, &c->out, &done);
    if (done) {
        finish_startup(c);
        return;
    }
    c->state = CONN_AUTH;
    conn_flush_soon(c);
}

/* A PasswordMessage / SASLInitialResponse / SASLResponse ('p'). */
static void
handle_auth(Conn *c, const PgwMsg *m)
{
    if (m->type == 'X') {
        conn_close(c, NULL);
        return;
    }
    if (m->type != 'p') {
        char msg[80];
        snprintf(msg, sizeof msg, "expected password response, got message type %d",
                 (unsigned char)m->type);
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, msg);
        return;
    }
    SqlError err;
    err_init(&err, NULL);
    AuthStep st = auth_session_message(c->auth, m->body, m->len, &c->out, &err);
    switch (st) {
    case AUTH_STEP_CONTINUE:
        conn_flush_soon(c);
        break;
    case AUTH_STEP_OK:
        fprintf(stderr, "sluiced: connection %d (%s): user \"%s\" authenticated (%s%s)\n",
                (int)c->pid, c->peer, c->user, auth_method_name(auth_method(c->srv->cfg.auth)),
                c->tls ? ", TLS" : "");
        finish_startup(c);
        break;
    case AUTH_STEP_FAIL:
        send_fatal(c, &err);
        break;
    }
    err_clear(&err);
}

/* ----------------------------------------------------------------- messages */

static bool
only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            return false;
    return true;
}

/* A message body that must be one NUL-terminated string: returns its length or -1. */
static long
body_string(const PgwMsg *m)
{
    if (m->len == 0 || m->body[m->len - 1] != '\0')
        return -1;
    return (long)strlen(m->body);
}

static void
handle_query(Conn *c, const PgwMsg *m)
{
    long n = body_string(m);
    if (n < 0) {
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, "invalid string in Query message");
        return;
    }
    if (only_space(m->body, (size_t)n)) {
        pgw_put_empty_query(&c->out);
        send_ready(c);
        return;
    }
    begin_cmd(c);
    CmdStatus st = cmd_query(c->srv->engine, c, m->body, (size_t)n);
    end_cmd(c, st);
}

/* An extended-protocol message failed (its ErrorResponse is written):
 * discard messages until Sync, as PostgreSQL does. */
static void
ext_failed(Conn *c)
{
    c->state = CONN_SKIP_TO_SYNC;
    conn_flush_soon(c);
}

static void
ext_malformed(Conn *c, SqlError *err)
{
    send_fatal(c, err);
    err_clear(err);
}

static void
handle_extended(Conn *c, const PgwMsg *m)
{
    Engine *e = c->srv->engine;
    SqlError err;
    err_init(&err, NULL);
    Arena *a = NULL;
    int rc = 0;
    char kind;
    const char *name;
    begin_cmd(c);
    switch (m->type) {
    case 'P': {
        PgwParse p;
        a = arena_new(1024);
        if (pgw_parse_parse(m->body, m->len, a, &p, &err) != 0) {
            c->in_cmd = false;
            ext_malformed(c, &err);
            arena_free(a);
            return;
        }
        rc = cmd_parse(e, c, p.name, p.query, p.noids, p.oids);
        break;
    }
    case 'B': {
        PgwBind b;
        a = arena_new(4096);
        int r = pgw_parse_bind(m->body, m->len, a, &b, &err);
        if (r < 0) {
            c->in_cmd = false;
            ext_malformed(c, &err);
            arena_free(a);
            return;
        }
        if (r > 0) {
            pgw_put_error(&c->out, &err, NULL);
            err_clear(&err);
            rc = -1;
            break;
        }
        rc = cmd_bind(e, c, &b);
        break;
    }
    case 'D': case 'C':
        if (pgw_parse_target(m->body, m->len, &kind, &name, &err) != 0) {
            c->in_cmd = false;
            ext_malformed(c, &err);
            return;
        }
        rc = m->type == 'D' ? cmd_describe(e, c, kind, name) : cmd_close(e, c, kind, name);
        break;
    case 'E': {
        int64_t max_rows;
        if (pgw_parse_execute(m->body, m->len, &name, &max_rows, &err) != 0) {
            c->in_cmd = false;
            ext_malformed(c, &err);
            return;
        }
        rc = cmd_execute(e, c, name, max_rows);
        break;
    }
    case 'H':
        break;
    case 'S':
        cmd_sync(e, c);
        c->in_cmd = false;
        send_ready(c);
        return;
    }
    if (a)
        arena_free(a);
    if (rc == 1) {
        c->ext_stream = true;
        end_cmd(c, CMD_STREAMING);
        return;
    }
    c->in_cmd = false;
    c->finish_requested = false;
    if (rc < 0)
        ext_failed(c);
    else
        conn_flush_soon(c);
}

static void
handle_idle(Conn *c, const PgwMsg *m)
{
    switch (m->type) {
    case 'Q':
        handle_query(c, m);
        return;
    case 'X':
        terminate(c);
        return;
    case 'd': case 'c': case 'f':
        /* Leftovers of a COPY that failed on our side: ignored, as PostgreSQL does. */
        return;
    case 'P': case 'B': case 'D': case 'E': case 'C': case 'H': case 'S':
        handle_extended(c, m);
        return;
    case 'F':
        /* Fastpath calls wait for ReadyForQuery, not for a Sync. */
        send_error(c, ERR_FEATURE_NOT_SUPPORTED, "fastpath function calls are not supported");
        send_ready(c);
        return;
    default: {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid frontend message type %d", (unsigned char)m->type);
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, msg);
        return;
    }
    }
}

static void
handle_copy_in(Conn *c, const PgwMsg *m)
{
    Engine *e = c->srv->engine;
    CmdStatus st;
    switch (m->type) {
    case 'd':
        begin_cmd(c);
        st = cmd_copy_data(e, c, m->body, m->len);
        c->in_cmd = false;
        if (st != CMD_COPY_IN) /* the COPY failed: error written, later CopyData is ignored */
            end_cmd(c, st);
        return;
    case 'c':
        begin_cmd(c);
        st = cmd_copy_done(e, c);
        end_cmd(c, st);
        return;
    case 'f': {
        long n = body_string(m);
        begin_cmd(c);
        st = cmd_copy_fail(e, c, n < 0 ? "COPY failed" : m->body);
        end_cmd(c, st);
        return;
    }
    case 'H': case 'S':
        return;
    case 'X':
        terminate(c);
        return;
    default: {
        char msg[80];
        snprintf(msg, sizeof msg, "unexpected message type 0x%02X during COPY from stdin",
                 (unsigned char)m->type);
        send_fatalf(c, ERR_PROTOCOL_VIOLATION, msg);
        return;
    }
    }
}

/* Handle one decoded message. Returns false if it must stay queued. */
static bool
dispatch(Conn *c, const PgwMsg *m, size_t trailing)
{
    switch (c->state) {
    case CONN_STARTUP:
        handle_startup(c, m, trailing);
        return true;
    case CONN_AUTH:
        handle_auth(c, m);
        return true;
    case CONN_IDLE:
        handle_idle(c, m);
        return true;
    case CONN_COPY_IN:
        handle_copy_in(c, m);
        return true;
    case CONN_SKIP_TO_SYNC:
        if (m->type == 'S') {
            cmd_sync(c->srv->engine, c);
            send_ready(c);
        }
        else if (m->type == 'X')
            terminate(c);
        return true;
    case CONN_STREAMING:
        if (m->type == 'X') {
            terminate(c);
            return true;
        }
        return false; /* runs after the stream ends */
    }
    return true;
}

void
conn_process_input(Conn *c)
{
    size_t used = 0;
    bool deferred = c->input_pending; /* run from before_sleep, not from a read */
    c->input_pending = false;
    if (deferred && c->tls && !c->tls_handshaking && !c->closing && !c->read_paused &&
        c->in.len == 0) {
        /* e.g. right after the handshake: data may wait inside OpenSSL, unseen by epoll */
        read_input(c);
        return;
    }
    while (!c->closing && !c->close_after_reply && !c->tls_handshaking && used < c->in.len) {
        if (c->state != CONN_STREAMING && out_pending(c) > CONN_OUT_HIGH)
            break; /* resumed by conn_flush once the client reads */
        /* A read-only view of the unconsumed bytes; bodies point into c->in. */
        Buf view = {.data = c->in.data + used, .len = c->in.len - used, .cap = 0};
        PgwMsg m;
        SqlError err;
        err_init(&err, NULL);
        size_t max = c->srv->cfg.max_message;
        if (c->state == CONN_AUTH && max > PGW_MAX_AUTH_MESSAGE)
            max = PGW_MAX_AUTH_MESSAGE;
        PgwResult r = pgw_try_read_message_max(&view, c->state == CONN_STARTUP, max, &m, &err);
        if (r == PGW_NEED_MORE)
            break;
        if (r == PGW_ERROR) {
            send_fatal(c, &err);
            err_clear(&err);
            break;
        }
        bool tls_before = c->tls != NULL;
        if (!dispatch(c, &m, view.len - m.size))
            break;
        used += m.size;
        if (c->tls && !tls_before) /* the handshake took over the socket */
            break;
    }
    if (used == c->in.len) {
        if (c->in.cap > CONN_KEEP_BUF)
            buf_free(&c->in);
        else
            buf_clear(&c->in);
    } else if (used > 0) {
        buf_consume(&c->in, used);
    }
    update_interest(c);
}

/* ---------------------------------------------------------------------- I/O */

#define IO_BLOCKED (-2) /* would block: wait for c->tls_want (or the usual interest) */

/* Reads up to n bytes: > 0, 0 at EOF, -1 on error, IO_BLOCKED. */
static ssize_t
sock_read(Conn *c, void *buf, size_t n)
{
    if (c->tls) {
        ssize_t r = tls_read(c->tls, buf, n);
        c->tls_want = r == TLS_WANT_WRITE ? LOOP_WRITE : 0;
        if (r == TLS_WANT_READ || r == TLS_WANT_WRITE)
            return IO_BLOCKED;
        if (r == TLS_ERROR)
            fprintf(stderr, "sluiced: connection %d (%s): %s\n", (int)c->pid, c->peer,
                    tls_conn_error(c->tls));
        return r;
    }
    ssize_t r = read(c->fd, buf, n);
    if (r < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? IO_BLOCKED : -1;
    return r;
}

/* Writes up to n bytes: > 0, -1 on error (errno set for plain sockets), IO_BLOCKED. */
static ssize_t
sock_write(Conn *c, const void *buf, size_t n)
{
    if (c->tls) {
        ssize_t r = tls_write(c->tls, buf, n);
        if (r == TLS_WANT_READ || r == TLS_WANT_WRITE)
            return IO_BLOCKED;
        if (r <= 0) {
            errno = EPIPE;
            return -1;
        }
        return r;
    }
    for (;;) {
        ssize_t w = send(c->fd, buf, n, MSG_NOSIGNAL);
        if (w >= 0)
            return w;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? IO_BLOCKED : -1;
    }
}

/* Drive the TLS handshake; once done, read what the client sent after it. */
static void
tls_step(Conn *c)
{
    int r = tls_handshake(c->tls);
    if (r == TLS_WANT_READ || r == TLS_WANT_WRITE) {
        c->tls_want = r == TLS_WANT_READ ? LOOP_READ : LOOP_WRITE;
        update_interest(c);
        return;
    }
    if (r != TLS_OK) {
        conn_close(c, tls_conn_error(c->tls));
        return;
    }
    c->tls_handshaking = false;
    c->tls_want = 0;
    update_interest(c);
    /* Application data may already sit in OpenSSL's buffer (no epoll event for it). */
    c->input_pending = true;
    server_mark_pending(c->srv, c);
}

/* One read event: for TLS, also drain what OpenSSL has decrypted, so nothing
 * waits in its buffers where epoll cannot see it. Returns false if c closed. */
static bool
read_input(Conn *c)
{
    bool got = false;
    do {
        buf_reserve(&c->in, CONN_READ_CHUNK);
        ssize_t n = sock_read(c, c->in.data + c->in.len, c->in.cap - c->in.len - 1);
        if (n == 0 || n == -1) {
            conn_close(c, NULL);
            return false;
        }
        if (n == IO_BLOCKED)
            break;
        c->in.len += (size_t)n;
        c->in.data[c->in.len] = '\0';
        got = true;
    } while (c->tls && tls_pending(c->tls) > 0);
    if (got)
        conn_process_input(c);
    else
        update_interest(c);
    return !c->closing;
}

void
conn_flush(Conn *c)
{
    if (c->closing)
        return;
    size_t budget = CONN_WRITE_MAX;
    while (out_pending(c) > 0 && budget > 0) {
        size_t n = SL_MIN(out_pending(c), budget);
        ssize_t w = sock_write(c, c->out.data + c->out_sent, n);
        if (w == IO_BLOCKED)
            break;
        if (w < 0) {
            conn_close(c, c->close_after_reply ? NULL : strerror(errno));
            return;
        }
        c->out_sent += (size_t)w;
        budget -= (size_t)w;
    }
    bool was_high = out_pending(c) > CONN_OUT_HIGH || c->read_paused;
    if (out_pending(c) == 0) {
        if (c->out.cap > CONN_KEEP_BUF)
            buf_free(&c->out);
        else
            buf_clear(&c->out);
        c->out_sent = 0;
        if (c->close_after_reply) {
            conn_close(c, NULL);
            return;
        }
    } else if (c->out_sent > CONN_KEEP_BUF && c->out_sent > c->out.len / 2) {
        buf_consume(&c->out, c->out_sent);
        c->out_sent = 0;
    }
    if (c->state == CONN_STREAMING && out_pending(c) > c->srv->cfg.max_output) {
        conn_close(c, "subscriber too slow: output buffer limit exceeded");
        return;
    }
    if (was_high && out_pending(c) <= CONN_OUT_HIGH && c->in.len > 0 && !c->input_pending) {
        c->input_pending = true; /* input stopped by backpressure can run again */
        server_mark_pending(c->srv, c);
    }
    update_interest(c);
}

static void
on_event(Loop *loop, int fd, int fired, void *ctx)
{
    (void)loop;
    (void)fd;
    Conn *c = ctx;
    if (c->closing)
        return;
    if (c->tls_handshaking) {
        tls_step(c);
        return;
    }
    if (((fired & LOOP_READ) && !c->read_paused) ||
        ((fired & LOOP_WRITE) && c->tls_want == LOOP_WRITE)) {
        if (!read_input(c))
            return;
    }
    if (c->closing)
        return;
    if (fired & LOOP_WRITE)
        conn_flush(c);
    if (!c->closing && (fired & LOOP_HUP) && !(fired & LOOP_READ))
        conn_close(c, NULL);
}
