/*
 * server/notify.c — LISTEN on views and streams as NotificationResponses
 * (see notify.h for what a client sees).
 *
 * INTERFACE (notify.h)
 *   notify_new, notify_free, notify_listen, notify_unlisten, notify_count
 *
 * Each LISTEN is an executor subscription (exec_subscribe) whose row
 * callback encodes the row as JSON into one 'A' message. The message goes
 * straight into conn->out unless the connection is inside a command (its
 * output may then be a portal's capture, and its own messages must not be
 * split): such messages wait in a queue that a zero-delay loop timer moves
 * to conn->out once the command has returned. Nothing is allocated per row:
 * the JSON is built in a scratch Buf kept for the connection.
 */
#include "server/notify.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "executor/executor.h"
#include "parser/ast.h"
#include "planner/planner.h"
#include "server/conn.h"
#include "server/engine_int.h"
#include "server/loop.h"
#include "server/pgwire.h"
#include "server/server.h"

/* A listener over budget gets this long to read its FATAL error before it is closed. */
#define NOTIFY_GRACE_MS 5000

typedef struct Listen {
    struct Listen *next;
    NotifyConn *nc;
    char *channel;
    Subscription *sub;
    Arena *arena;           /* the PlanSubscribe */
    int ncols;
    const char **names;     /* the view's column names (copied into arena) */
    bool replay;            /* inside exec_subscribe: rows already in the view are skipped */
} Listen;

struct NotifyConn {
    Engine *eng;
    Conn *conn;
    Listen *list;
    int count;
    Buf queue;              /* complete messages waiting for the current command to end */
    Buf json;               /* scratch: one payload */
    Buf text;               /* scratch: one value's text form */
    int64_t drain_timer;    /* loop timer id, 0 if none */
    int64_t grace_timer;
    bool failed;            /* over budget: nothing more is delivered */
};

NotifyConn *
notify_new(Engine *e, Conn *c)
{
    NotifyConn *n = sl_calloc(1, sizeof *n);
    n->eng = e;
    n->conn = c;
    buf_init(&n->queue);
    buf_init(&n->json);
    buf_init(&n->text);
    return n;
}

static void
listen_free(Listen *l)
{
    arena_free(l->arena);
    free(l->channel);
    free(l);
}

void
notify_free(NotifyConn *n)
{
    if (!n)
        return;
    notify_unlisten(n, NULL);
    Loop *loop = n->conn->srv->loop;
    if (n->drain_timer)
        loop_del_timer(loop, n->drain_timer);
    if (n->grace_timer)
        loop_del_timer(loop, n->grace_timer);
    buf_free(&n->queue);
    buf_free(&n->json);
    buf_free(&n->text);
    free(n);
}

int
notify_count(const NotifyConn *n)
{
    return n ? n->count : 0;
}

/* ------------------------------------------------------------------ output */

static size_t
unsent(const NotifyConn *n)
{
    const Conn *c = n->conn;
    return c->out.len - c->out_sent + n->queue.len;
}

static void
drain(Loop *loop, int64_t id, void *ctx)
{
    NotifyConn *n = ctx;
    (void)loop;
    (void)id;
    n->drain_timer = 0;
    if (n->queue.len == 0 || n->conn->closing)
        return;
    buf_append(&n->conn->out, n->queue.data, n->queue.len);
    buf_clear(&n->queue);
    conn_flush_soon(n->conn);
}

static void
grace_over(Loop *loop, int64_t id, void *ctx)
{
    NotifyConn *n = ctx;
    (void)loop;
    (void)id;
    n->grace_timer = 0;
    conn_close(n->conn, "listener too slow: output buffer limit exceeded");
}

/* The listener is over budget: stop delivering, queue a FATAL error and
 * close once it is written (or after the grace period). */
static void
overflow(NotifyConn *n)
{
    Conn *c = n->conn;
    n->failed = true;
    buf_free(&n->queue);
    buf_init(&n->queue);
    SqlError err;
    err_init(&err, NULL);
    err_setf(&err, ERR_PROGRAM_LIMIT_EXCEEDED, -1,
             "LISTEN: too many notifications not read by the client");
    err_detail(&err, "More than %zu bytes of output were waiting; the connection is closed.",
               c->srv->cfg.max_output);
    err_hint(&err, "Read notifications as they arrive (e.g. poll the connection while idle).");
    strcpy(err.severity, "FATAL");
    fprintf(stderr, "sluiced: connection %d (%s): FATAL %s: %s\n", (int)c->pid, c->peer,
            err.sqlstate, err.message);
    if (c->in_cmd) {
        /* its output may be a capture: close without a message */
        conn_close(c, "listener too slow: output buffer limit exceeded");
    } else {
        pgw_put_error(&c->out, &err, NULL);
        c->close_after_reply = true;
        conn_flush_soon(c);
        n->grace_timer = loop_add_timer(c->srv->loop, NOTIFY_GRACE_MS, false, grace_over, n);
    }
    err_clear(&err);
}

/* Appends one complete message built in b (from off) to where it belongs. */
static Buf *
target(NotifyConn *n)
{
    if (!n->conn->in_cmd)
        return &n->conn->out;
    if (!n->drain_timer)
        n->drain_timer = loop_add_timer(n->conn->srv->loop, 0, false, drain, n);
    return &n->queue;
}

/* ------------------------------------------------------------------ JSON */

static void
json_string(Buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        buf_append(b, s + run, i - run);
        run = i + 1;
        switch (ch) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default:
            buf_puts(b, "\\u00");
            buf_putc(b, hex[ch >> 4]);
            buf_putc(b, hex[ch & 15]);
        }
    }
    buf_append(b, s + run, len - run);
    buf_putc(b, '"');
}

static void
json_value(NotifyConn *n, const Value *v)
{
    Buf *b = &n->json;
    if (v->isnull) {
        buf_puts(b, "null");
        return;
    }
    switch ((SlType)v->type) {
    case TYPE_BOOL:
        buf_puts(b, v->i ? "true" : "false");
        return;
    case TYPE_BIGINT:
        buf_printf(b, "%lld", (long long)v->i);
        return;
    case TYPE_TEXT:
        json_string(b, v->s ? v->s : "", v->len);
        return;
    case TYPE_DOUBLE:
        if (!isfinite(v->d)) {
            buf_puts(b, isnan(v->d) ? "\"NaN\"" : v->d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            return;
        }
        buf_clear(&n->text);
        val_format(v, &n->text);
        buf_append(b, n->text.data, n->text.len); /* digits, '.', '-', 'e': a JSON number */
        return;
    default:
        buf_clear(&n->text);
        val_format(v, &n->text);
        json_string(b, n->text.data ? n->text.data : "", n->text.len);
        return;
    }
}

/* ------------------------------------------------------------------ subscriber */

static void
listen_row(void *ctx, int64_t epoch, const char *op, const Value *vals, int ncols)
{
    Listen *l = ctx;
    NotifyConn *n = l->nc;
    if (l->replay || n->failed || n->conn->closing)
        return;
    Buf *j = &n->json;
    buf_clear(j);
    buf_printf(j, "{\"_epoch\":%lld,\"_op\":", (long long)epoch);
    json_string(j, op, strlen(op));
    for (int i = 0; i < ncols && i < l->ncols; i++) {
        buf_putc(j, ',');
        json_string(j, l->names[i], strlen(l->names[i]));
        buf_putc(j, ':');
        json_value(n, &vals[i]);
    }
    buf_putc(j, '}');
    if (unsent(n) + j->len + strlen(l->channel) + 16 > n->conn->srv->cfg.max_output) {
        overflow(n);
        return;
    }
    Buf *b = target(n);
    size_t m = pgw_begin_message(b, 'A');
    buf_put_u32be(b, (uint32_t)n->conn->pid);
    buf_append(b, l->channel, strlen(l->channel) + 1);
    buf_append(b, j->data, j->len);
    buf_putc(b, '\0');
    pgw_end_message(b, m);
}

static void
listen_flush(void *ctx)
{
    Listen *l = ctx;
    if (!l->nc->conn->in_cmd && !l->nc->failed)
        conn_flush_soon(l->nc->conn);
}

static void
unlink_listen(NotifyConn *n, Listen *l)
{
    for (Listen **pp = &n->list; *pp; pp = &(*pp)->next)
        if (*pp == l) {
            *pp = l->next;
            n->count--;
            return;
        }
}

/* The view was dropped or failed: the LISTEN ends, with a notice. */
static void
listen_end(void *ctx, const SqlError *err, int64_t rows)
{
    Listen *l = ctx;
    NotifyConn *n = l->nc;
    (void)rows;
    l->sub = NULL;
    if (l->replay) /* ended inside exec_subscribe: notify_listen cleans up */
        return;
    if (!n->failed && !n->conn->closing) {
        char msg[512];
        snprintf(msg, sizeof msg, "LISTEN %s ended: %s", l->channel,
                 err && err->message ? err->message : "the subscription ended");
        Buf *b = target(n);
        pgw_put_notice(b, err ? err->sqlstate : "00000", msg);
        if (!n->conn->in_cmd)
            conn_flush_soon(n->conn);
    }
    unlink_listen(n, l);
    listen_free(l);
}

static const SubscriberOps listen_ops = {listen_row, listen_end, listen_flush};

int
notify_listen(NotifyConn *n, const char *name, int32_t pos, SqlError *err)
{
    for (Listen *l = n->list; l; l = l->next)
        if (strcmp(l->channel, name) == 0)
            return 0;
    Listen *l = sl_calloc(1, sizeof *l);
    l->nc = n;
    l->channel = sl_strdup(name);
    l->arena = arena_new(4096);
    AstStmt st;
    memset(&st, 0, sizeof st);
    st.kind = AST_SUBSCRIBE;
    st.pos = pos;
    st.subscribe.name = (Str){l->channel, (uint32_t)strlen(l->channel), pos};
    st.subscribe.mode = AST_EMIT_DEFAULT;
    st.subscribe.mode_pos = pos;
    PlanSubscribe *p = plan_subscribe(n->eng->cat, &st, NULL, l->arena, err);
    if (!p) {
        listen_free(l);
        return -1;
    }
    CatObject *o = cat_lookup(n->eng->cat, p->view);
    l->ncols = o->ncols;
    l->names = arena_alloc(l->arena, sizeof(char *) * (size_t)(o->ncols ? o->ncols : 1));
    for (int i = 0; i < o->ncols; i++)
        l->names[i] = arena_strdup(l->arena, o->cols[i].name);
    l->replay = true;
    l->sub = exec_subscribe(n->eng->x, o, p, &listen_ops, l, err);
    l->replay = false;
    if (!l->sub) {
        if (!err_is_set(err))
            err_setf(err, ERR_INTERNAL_ERROR, pos, "LISTEN %s ended at once", name);
        listen_free(l);
        return -1;
    }
    l->next = n->list;
    n->list = l;
    n->count++;
    return 0;
}

void
notify_unlisten(NotifyConn *n, const char *name)
{
    Listen **pp = &n->list;
    while (*pp) {
        Listen *l = *pp;
        if (name && strcmp(l->channel, name) != 0) {
            pp = &l->next;
            continue;
        }
        *pp = l->next;
        n->count--;
        if (l->sub)
            exec_unsubscribe(n->eng->x, l->sub);
        listen_free(l);
    }
}
