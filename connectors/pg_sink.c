/*
 * connectors/pg_sink.c — one PostgreSQL sink on libpq: connect, check the
 * target, then one transaction at a time carrying whole epochs and the
 * progress compare-and-set, all in non-blocking pipeline mode so a slow or
 * dead target never holds up the event loop (see pg_sink.h for the
 * exactly-once argument and the batching rule).
 *
 * States:
 *   WAIT        no connection; retry at retry_at (capped exponential backoff)
 *   CONNECTING  PQconnectPoll until the connection is up
 *   SETUP       one pipeline: session settings, progress table, progress row,
 *               the target's columns
 *   CREATE      CREATE TABLE for a missing target (WITH (create_table = true))
 *   READY       connected and idle: pgsink_poll starts a transaction when
 *               the view has epochs the target lacks
 *   TXN         a transaction in flight
 *   FAILED      a permanent error (the target cannot take the rows as they
 *               are); the sink stays stopped until it is dropped or the
 *               server restarts
 * Any error on the connection (or in a statement) closes it: the target
 * rolls back whatever was in flight, and the next connection re-reads the
 * progress row, so no decision depends on a result that never arrived.
 */
#include "connectors/pg_sink.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/sltime.h"
#include "common/util.h"
#include "connectors/sink_sql.h"
#include "executor/executor.h"
#include "planner/plan.h"

#define CONNECT_TIMEOUT_US (10 * SL_US_PER_SEC)
#define STATEMENT_TIMEOUT_US (120 * SL_US_PER_SEC)
#define BACKOFF_MIN_US (100 * 1000)
#define MAX_ROWS_PER_STMT 1000
#define MAX_PARAMS 65535

typedef enum State { ST_WAIT, ST_CONNECTING, ST_SETUP, ST_CREATE, ST_READY, ST_TXN, ST_FAILED } State;

/* What each query of a pipeline is, to read its result. */
typedef enum Tag { Q_IGNORE, Q_PROGRESS_EXISTS, Q_PROGRESS_READ, Q_COLUMNS, Q_DATA, Q_PROGRESS } Tag;

typedef struct TargetColumn {
    const char *name, *type;
    bool not_null, has_default;
} TargetColumn;

struct PgSink {
    CatObject *obj, *view;
    const PlanSink *ps;
    PgSinkHost host;
    int ncols;

    PGconn *conn;
    int fd;
    State st;
    int64_t deadline;          /* CONNECTING / SETUP / CREATE / TXN: give up after it */
    PostgresPollingStatusType poll;

    /* the pipeline in flight */
    Tag *tags;
    int ntags, captags, cur;
    bool failed_q;             /* a query of it failed */
    Tag failed_tag;
    char failed_state[6];
    char failed_msg[300];

    /* per connection */
    Arena *conn_arena;
    char *qtable;              /* the target, quoted */
    char **qcols;              /* the view's columns, quoted */
    bool prepared_ins, prepared_del;
    bool table_found;
    bool progress_found;       /* sluice_sink_progress exists (no CREATE privilege needed then) */
    TargetColumn *tcols;
    int ntcols;

    /* progress */
    bool known;                /* the progress row has been read on some connection */
    bool have_row;             /* the row exists: the next commit is a compare-and-set */
    bool row_ours;             /* ... and is this incarnation's: `committed` is meaningful */
    int64_t row_inc, row_epoch;
    int64_t committed;
    int64_t through;           /* of the transaction in flight */
    int64_t txn_rows;

    /* the transaction being built */
    Arena *txn_arena;
    Buf sql;
    uint8_t *ops;
    const char **vals;         /* nrows * ncols, NULL = SQL NULL */
    int nrows, caprows;
    Buf fmt;

    /* failures */
    int64_t retry_at, backoff;
    char reason[400];
    char state_text[480];
    bool logged_failure;

    int64_t rows_written, transactions, rewrites;
};

/* ------------------------------------------------------------------ helpers */

static void
quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void
set_state_text(PgSink *s)
{
    switch (s->st) {
    case ST_WAIT: snprintf(s->state_text, sizeof s->state_text, "retrying: %s", s->reason); break;
    case ST_FAILED: snprintf(s->state_text, sizeof s->state_text, "failed: %s", s->reason); break;
    case ST_CONNECTING:
    case ST_SETUP:
    case ST_CREATE:
        if (s->reason[0]) /* reconnecting: the reason stays visible until it works */
            snprintf(s->state_text, sizeof s->state_text, "retrying: %s", s->reason);
        else
            snprintf(s->state_text, sizeof s->state_text, "connecting");
        break;
    default: snprintf(s->state_text, sizeof s->state_text, "running"); break;
    }
}

static void
close_conn(PgSink *s)
{
    if (!s->conn)
        return;
    if (s->fd >= 0 && s->host.unwatch)
        s->host.unwatch(s->host.ctx, s, s->fd);
    PQfinish(s->conn);
    s->conn = NULL;
    s->fd = -1;
    arena_free(s->conn_arena);
    s->conn_arena = NULL;
    s->qtable = NULL;
    s->qcols = NULL;
    s->tcols = NULL;
    s->ntcols = 0;
    s->prepared_ins = s->prepared_del = false;
    s->ntags = s->cur = 0;
}

/* The connection is given up: retry later, or stop for good. The message is
 * libpq's or the target's; it never contains the conninfo. */
static void
fail(PgSink *s, bool permanent, const char *sqlstate, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    char *w = msg;
    for (const char *p = msg; *p; p++) {
        bool space = *p == '\n' || *p == '\t' || *p == ' ';
        if (space && (w == msg || w[-1] == ' '))
            continue;
        *w++ = space ? ' ' : *p;
    }
    *w = '\0';
    if (sqlstate && *sqlstate)
        snprintf(s->reason, sizeof s->reason, "%s (SQLSTATE %s)", msg, sqlstate);
    else
        snprintf(s->reason, sizeof s->reason, "%s", msg);
    close_conn(s);
    if (permanent) {
        s->st = ST_FAILED;
        fprintf(stderr, "sluiced: sink %s stopped: %s\n", s->obj->name, s->reason);
    } else {
        s->st = ST_WAIT;
        s->retry_at = sl_mono_us() + s->backoff;
        if (!s->logged_failure)
            fprintf(stderr, "sluiced: sink %s: %s; retrying with backoff\n", s->obj->name,
                    s->reason);
        s->logged_failure = true;
        s->backoff = s->backoff * 2 > s->ps->retry_max_us ? s->ps->retry_max_us : s->backoff * 2;
        if (s->backoff < BACKOFF_MIN_US)
            s->backoff = BACKOFF_MIN_US;
    }
    set_state_text(s);
}

static void
want_io(PgSink *s, bool read, bool write)
{
    if (s->fd >= 0 && s->host.watch)
        s->host.watch(s->host.ctx, s, s->fd, read, write);
}

static void
push_tag(PgSink *s, Tag t)
{
    if (s->ntags == s->captags) {
        s->captags = s->captags ? s->captags * 2 : 32;
        s->tags = sl_realloc(s->tags, sizeof(Tag) * (size_t)s->captags);
    }
    s->tags[s->ntags++] = t;
}

static bool
send_q(PgSink *s, Tag t, const char *sql, int n, const char *const *vals)
{
    if (!PQsendQueryParams(s->conn, sql, n, NULL, vals, NULL, NULL, 0))
        return false;
    push_tag(s, t);
    return true;
}

static bool
send_prepared(PgSink *s, Tag t, const char *name, int n, const char *const *vals)
{
    if (!PQsendQueryPrepared(s->conn, name, n, vals, NULL, NULL, 0))
        return false;
    push_tag(s, t);
    return true;
}

static bool
send_prepare(PgSink *s, const char *name, const char *sql)
{
    if (!PQsendPrepare(s->conn, name, sql, 0, NULL))
        return false;
    push_tag(s, Q_IGNORE);
    return true;
}

/* Ends the pipeline with a Sync and starts sending it. */
static void
send_sync(PgSink *s, State next)
{
    if (!PQpipelineSync(s->conn)) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    s->st = next;
    s->deadline = sl_mono_us() + STATEMENT_TIMEOUT_US;
    s->failed_q = false;
    s->cur = 0;
    int r = PQflush(s->conn);
    if (r < 0) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    want_io(s, true, r == 1);
}

static void
begin_pipeline(PgSink *s)
{
    s->ntags = 0;
    s->cur = 0;
}

/* ------------------------------------------------------------------ connect and setup */

static void
start_connect(PgSink *s)
{
    static const char *const kw[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {s->ps->conninfo, "sluice sink", NULL};
    s->conn = PQconnectStartParams(kw, vals, 1);
    if (!s->conn) {
        fail(s, false, NULL, "out of memory starting a connection");
        return;
    }
    if (PQstatus(s->conn) == CONNECTION_BAD) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    PQsetNoticeProcessor(s->conn, quiet_notice, NULL);
    s->fd = PQsocket(s->conn);
    s->st = ST_CONNECTING;
    s->deadline = sl_mono_us() + CONNECT_TIMEOUT_US;
    s->poll = PGRES_POLLING_WRITING;
    set_state_text(s);
    want_io(s, false, true);
}

/* The target table's name, quoted part by part ("schema"."name"). */
static char *
quote_table(PgSink *s)
{
    const char *t = s->ps->table;
    const char *dot = strchr(t, '.');
    Buf b;
    buf_init(&b);
    size_t first = dot ? (size_t)(dot - t) : strlen(t);
    char *q = PQescapeIdentifier(s->conn, t, first);
    if (!q) {
        buf_free(&b);
        return NULL;
    }
    buf_puts(&b, q);
    PQfreemem(q);
    if (dot) {
        q = PQescapeIdentifier(s->conn, dot + 1, strlen(dot + 1));
        if (!q) {
            buf_free(&b);
            return NULL;
        }
        buf_putc(&b, '.');
        buf_puts(&b, q);
        PQfreemem(q);
    }
    char *out = arena_strdup(s->conn_arena, b.data);
    buf_free(&b);
    return out;
}

static void
start_setup(PgSink *s)
{
    s->conn_arena = arena_new(4096);
    s->qtable = quote_table(s);
    s->qcols = ARENA_ARRAY(s->conn_arena, char *, s->ncols);
    for (int i = 0; i < s->ncols && s->qtable; i++) {
        const char *name = s->obj->cols[i].name;
        char *q = PQescapeIdentifier(s->conn, name, strlen(name));
        if (!q) {
            s->qtable = NULL;
            break;
        }
        s->qcols[i] = arena_strdup(s->conn_arena, q);
        PQfreemem(q);
    }
    if (!s->qtable) {
        fail(s, true, "42602", "invalid identifier: %s", PQerrorMessage(s->conn));
        return;
    }
    if (PQsetnonblocking(s->conn, 1) != 0 || !PQenterPipelineMode(s->conn)) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    begin_pipeline(s);
    const char *table[] = {s->qtable};
    bool ok = send_q(s, Q_IGNORE, "SET TimeZone = 'UTC'", 0, NULL) &&
              send_q(s, Q_IGNORE, "SET synchronous_commit = on", 0, NULL) &&
              send_q(s, Q_IGNORE, "SET DateStyle = 'ISO, YMD'", 0, NULL) &&
              send_q(s, Q_PROGRESS_EXISTS, SINKSQL_PROGRESS_EXISTS, 0, NULL) &&
              send_q(s, Q_COLUMNS, SINKSQL_COLUMNS, 1, table);
    if (!ok) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    send_sync(s, ST_SETUP);
}

static void
read_progress(PgSink *s, PGresult *r)
{
    s->known = true;
    s->have_row = PQntuples(r) == 1;
    s->row_ours = false;
    if (!s->have_row)
        return;
    s->row_inc = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    s->row_epoch = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    if ((uint64_t)s->row_inc == s->obj->incarnation) {
        s->row_ours = true;
        s->committed = s->row_epoch;
    }
}

static void
read_columns(PgSink *s, PGresult *r)
{
    int n = PQntuples(r);
    s->table_found = n > 0;
    s->ntcols = n;
    s->tcols = ARENA_ARRAY(s->conn_arena, TargetColumn, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        s->tcols[i].name = arena_strdup(s->conn_arena, PQgetvalue(r, i, 0));
        /* "character varying(20)" → "character varying" */
        const char *t = PQgetvalue(r, i, 1);
        Buf b;
        buf_init(&b);
        int depth = 0;
        for (const char *p = t; *p; p++) {
            if (*p == '(')
                depth++;
            else if (*p == ')')
                depth--;
            else if (depth == 0)
                buf_putc(&b, *p);
        }
        s->tcols[i].type = arena_strdup(s->conn_arena, b.data);
        buf_free(&b);
        s->tcols[i].not_null = PQgetvalue(r, i, 2)[0] == 't';
        s->tcols[i].has_default = PQgetvalue(r, i, 3)[0] == 't';
    }
}

/* The target must take every column of the view; extra columns of its own
 * need a default or must allow NULL. */
static bool
check_target(PgSink *s)
{
    for (int i = 0; i < s->ncols; i++) {
        const CatColumn *c = &s->obj->cols[i];
        const TargetColumn *t = NULL;
        for (int j = 0; j < s->ntcols && !t; j++)
            if (strcmp(s->tcols[j].name, c->name) == 0)
                t = &s->tcols[j];
        if (!t) {
            fail(s, true, "42703", "table %s has no column \"%s\" for view %s's column of that "
                 "name", s->ps->table, c->name, s->view->name);
            return false;
        }
        if (!sinksql_type_fits(c->type, t->type)) {
            fail(s, true, "42804", "column \"%s\" of table %s is %s, which cannot take the "
                 "view's %s values (expected %s)", c->name, s->ps->table, t->type,
                 type_name(c->type), sinksql_pg_type(c->type));
            return false;
        }
    }
    for (int j = 0; j < s->ntcols; j++) {
        bool mine = false;
        for (int i = 0; i < s->ncols; i++)
            mine |= strcmp(s->tcols[j].name, s->obj->cols[i].name) == 0;
        if (!mine && s->tcols[j].not_null && !s->tcols[j].has_default) {
            fail(s, true, "23502", "column \"%s\" of table %s is NOT NULL without a default, "
                 "and view %s does not provide it", s->tcols[j].name, s->ps->table,
                 s->view->name);
            return false;
        }
    }
    return true;
}

static void try_txn(PgSink *s);

static void
ready(PgSink *s)
{
    s->st = ST_READY;
    s->reason[0] = '\0';
    set_state_text(s);
    if (s->host.progress)
        s->host.progress(s->host.ctx, s);
    try_txn(s);
}

/* After the first pipeline: the target is checked (or to be created); the
 * second one creates what is missing and reads the progress row. */
static void
setup_done(PgSink *s)
{
    if (!s->table_found && !s->ps->create_table) {
        fail(s, true, "42P01", "table %s does not exist (WITH (create_table = true) creates "
             "it)", s->ps->table);
        return;
    }
    if (s->table_found && !check_target(s))
        return;
    begin_pipeline(s);
    const char *name[] = {s->obj->name};
    bool ok = s->progress_found || send_q(s, Q_IGNORE, SINKSQL_PROGRESS_DDL, 0, NULL);
    ok = ok && send_q(s, Q_PROGRESS_READ, SINKSQL_PROGRESS_READ, 1, name);
    if (ok && !s->table_found) {
        Buf b;
        buf_init(&b);
        SlType types[s->ncols > 0 ? s->ncols : 1];
        for (int i = 0; i < s->ncols; i++)
            types[i] = s->obj->cols[i].type;
        sinksql_create_table(&b, s->qtable, s->ncols, (const char *const *)s->qcols, types,
                             s->ps->nkey, s->ps->key);
        ok = send_q(s, Q_IGNORE, b.data, 0, NULL);
        buf_free(&b);
    }
    if (!ok) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    send_sync(s, ST_CREATE);
}

/* After the second pipeline: the progress row decides where to resume. */
static void
progress_done(PgSink *s)
{
    if (s->row_ours && s->committed > exec_view_epoch(s->view)) {
        fail(s, true, NULL, "the target records epoch %lld for this sink, but view %s is at "
             "epoch %lld: the target was written from another data directory, or this one "
             "lost data", (long long)s->committed, s->view->name,
             (long long)exec_view_epoch(s->view));
        return;
    }
    if (s->have_row && !s->row_ours && (uint64_t)s->row_inc > s->obj->incarnation) {
        fail(s, true, NULL, "a sink named %s created later (elsewhere) owns this target's "
             "progress row", s->obj->name);
        return;
    }
    s->table_found = true;
    ready(s);
}

/* ------------------------------------------------------------------ transactions */

static void
add_row(PgSink *s, int op, const Value *vals)
{
    if (s->nrows == s->caprows) {
        s->caprows = s->caprows ? s->caprows * 2 : 1024;
        s->ops = sl_realloc(s->ops, (size_t)s->caprows);
        s->vals = sl_realloc(s->vals, sizeof(char *) * (size_t)s->caprows * (size_t)s->ncols);
    }
    const char **out = s->vals + (size_t)s->nrows * (size_t)s->ncols;
    for (int c = 0; c < s->ncols; c++) {
        if (vals[c].isnull) {
            out[c] = NULL;
            continue;
        }
        buf_clear(&s->fmt);
        val_format(&vals[c], &s->fmt);
        out[c] = arena_strndup(s->txn_arena, s->fmt.data, s->fmt.len);
    }
    s->ops[s->nrows++] = (uint8_t)op;
}

static void
change_row(void *ctx, int64_t epoch, int op, const Value *vals)
{
    (void)epoch;
    add_row(ctx, op, vals);
}

static void
table_row(void *ctx, const Value *row)
{
    add_row(ctx, EXEC_OP_FINAL, row);
}

static bool
same_key(const PgSink *s, int a, int b)
{
    for (int k = 0; k < s->ps->nkey; k++) {
        int c = s->ps->key[k];
        const char *x = s->vals[(size_t)a * (size_t)s->ncols + (size_t)c];
        const char *y = s->vals[(size_t)b * (size_t)s->ncols + (size_t)c];
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            return false;
    }
    return true;
}

static uint64_t
key_hash(const PgSink *s, int r)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int k = 0; k < s->ps->nkey; k++) {
        const char *x = s->vals[(size_t)r * (size_t)s->ncols + (size_t)s->ps->key[k]];
        h = sl_hash_bytes(x ? x : "", x ? strlen(x) + 1 : 0, h);
    }
    return h;
}

/* UPDATE: several epochs may change one key; only its last change is sent
 * (one INSERT ... ON CONFLICT cannot touch a row twice). Marks superseded
 * rows with op 0xFF. */
static void
dedupe(PgSink *s)
{
    size_t cap = 16;
    while (cap < (size_t)s->nrows * 2)
        cap *= 2;
    int *table = sl_malloc(sizeof(int) * cap);
    for (size_t i = 0; i < cap; i++)
        table[i] = -1;
    for (int r = 0; r < s->nrows; r++) {
        size_t i = (size_t)key_hash(s, r) & (cap - 1);
        while (table[i] >= 0 && !same_key(s, table[i], r))
            i = (i + 1) & (cap - 1);
        if (table[i] >= 0)
            s->ops[table[i]] = 0xFF;
        table[i] = r;
    }
    free(table);
}

/* Sends the rows with op in `want` in statements of up to `per` rows. */
static bool
send_rows(PgSink *s, bool deletes, bool upsert)
{
    int width = deletes ? s->ps->nkey : s->ncols;
    int per = MAX_PARAMS / (width > 0 ? width : 1);
    if (per > MAX_ROWS_PER_STMT)
        per = MAX_ROWS_PER_STMT;
    const char **params = ARENA_ARRAY(s->txn_arena, const char *, (size_t)per * (size_t)width);
    const char *const *cols = (const char *const *)s->qcols;
    int n = 0;
    for (int r = 0; r <= s->nrows; r++) {
        if (r < s->nrows) {
            int op = s->ops[r];
            bool del = op == EXEC_OP_DELETE;
            if (op == 0xFF || del != deletes)
                continue;
            const char **row = s->vals + (size_t)r * (size_t)s->ncols;
            for (int c = 0; c < width; c++)
                params[(size_t)n * (size_t)width + (size_t)c] = row[deletes ? s->ps->key[c] : c];
            n++;
            if (n < per)
                continue;
        }
        if (n == 0)
            break;
        bool full = n == per;
        const char *name = deletes ? "sl_del" : "sl_ins";
        bool *prepared = deletes ? &s->prepared_del : &s->prepared_ins;
        buf_clear(&s->sql);
        if (deletes)
            sinksql_delete(&s->sql, s->qtable, cols, s->ps->nkey, s->ps->key, n);
        else
            sinksql_insert(&s->sql, s->qtable, s->ncols, cols, n, upsert, s->ps->nkey,
                           s->ps->key);
        bool ok;
        if (full) {
            /* the full-size statement is prepared once per connection */
            if (!*prepared && !send_prepare(s, name, s->sql.data))
                return false;
            *prepared = true;
            ok = send_prepared(s, Q_DATA, name, n * width, params);
        } else {
            ok = send_q(s, Q_DATA, s->sql.data, n * width, params);
        }
        if (!ok)
            return false;
        n = 0;
    }
    return true;
}

static void
try_txn(PgSink *s)
{
    if (s->st != ST_READY)
        return;
    const PlanSink *ps = s->ps;
    int64_t vepoch = exec_view_epoch(s->view);
    int64_t after = s->row_ours ? s->committed : -1;
    bool replace = false;
    arena_reset(s->txn_arena);
    s->nrows = 0;
    int64_t through = vepoch;
    if (ps->mode == PLAN_EMIT_COMPLETE) {
        if (vepoch == 0 || after >= vepoch)
            return;
        replace = true;
        exec_view_table(s->view, table_row, s);
    } else if (ps->mode == PLAN_EMIT_UPDATE && s->view->plan->mode != PLAN_EMIT_APPEND) {
        if (vepoch == 0 || after >= vepoch)
            return;
        if (!s->row_ours) {
            /* a new sink: the current table as upserts */
            exec_view_table(s->view, table_row, s);
        } else if (exec_changelog_read(s->view, after, ps->batch_rows, change_row, s,
                                       &through) < 0) {
            /* fell behind the retained changelog: the target is rewritten to the table */
            replace = true;
            s->nrows = 0;
            arena_reset(s->txn_arena);
            through = vepoch;
            exec_view_table(s->view, table_row, s);
            s->rewrites++;
            fprintf(stderr, "sluiced: sink %s fell behind view %s's changelog; rewriting the "
                    "target from the view's table at epoch %lld\n", s->obj->name,
                    s->view->name, (long long)vepoch);
        }
        dedupe(s);
    } else {
        /* APPEND, or UPDATE of an APPEND view (its final rows upserted): the rows are final
         * and only the changelog has them (the view's table also shows open windows) */
        int64_t from = s->row_ours ? s->committed : (int64_t)s->obj->start_offset;
        if (from >= vepoch)
            return;
        if (exec_changelog_read(s->view, from, ps->batch_rows, change_row, s, &through) < 0) {
            fail(s, true, NULL, "view %s no longer holds the epochs after %lld: the sink fell "
                 "behind by more than its backlog_limit, and final rows cannot be recomputed",
                 s->view->name, (long long)from);
            return;
        }
        if (ps->mode == PLAN_EMIT_UPDATE)
            dedupe(s);
    }
    /* BEGIN; [DELETE]; rows; progress; COMMIT — one pipeline, one Sync */
    begin_pipeline(s);
    bool ok = send_q(s, Q_IGNORE, "BEGIN", 0, NULL);
    if (ok && replace) {
        buf_clear(&s->sql);
        buf_printf(&s->sql, "DELETE FROM %s", s->qtable);
        ok = send_q(s, Q_DATA, s->sql.data, 0, NULL);
    }
    bool upsert = ps->mode == PLAN_EMIT_UPDATE && !replace;
    ok = ok && send_rows(s, false, upsert);
    if (ok && ps->mode == PLAN_EMIT_UPDATE && !replace)
        ok = send_rows(s, true, false);
    char inc[24], ep[24], old_inc[24], old_ep[24];
    snprintf(inc, sizeof inc, "%lld", (long long)s->obj->incarnation);
    snprintf(ep, sizeof ep, "%lld", (long long)through);
    snprintf(old_inc, sizeof old_inc, "%lld", (long long)s->row_inc);
    snprintf(old_ep, sizeof old_ep, "%lld", (long long)s->row_epoch);
    const char *pv[] = {s->obj->name, inc, ep, old_inc, old_ep};
    if (ok)
        ok = s->have_row ? send_q(s, Q_PROGRESS, SINKSQL_PROGRESS_CAS, 5, pv)
                         : send_q(s, Q_PROGRESS, SINKSQL_PROGRESS_INSERT, 3, pv);
    ok = ok && send_q(s, Q_IGNORE, "COMMIT", 0, NULL);
    if (!ok) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    s->through = through;
    s->txn_rows = 0;
    for (int r = 0; r < s->nrows; r++)
        s->txn_rows += s->ops[r] != 0xFF;
    send_sync(s, ST_TXN);
}

static void
txn_done(PgSink *s)
{
    s->have_row = s->row_ours = true;
    s->row_inc = (int64_t)s->obj->incarnation;
    s->row_epoch = s->committed = s->through;
    s->rows_written += s->txn_rows;
    s->transactions++;
    s->backoff = BACKOFF_MIN_US;
    if (s->logged_failure)
        fprintf(stderr, "sluiced: sink %s: delivering again\n", s->obj->name);
    s->logged_failure = false;
    ready(s);
}

/* ------------------------------------------------------------------ results */

static void
pipeline_done(PgSink *s)
{
    if (s->failed_q) {
        const char *st = s->failed_state;
        /* the compare-and-set found the row moved: another writer (fencing) */
        if (s->failed_tag == Q_PROGRESS && strcmp(st, "22012") == 0) {
            fail(s, false, NULL, "the progress row of sink %s changed under it (another "
                 "writer?); re-reading it", s->obj->name);
            return;
        }
        bool permanent = s->failed_tag == Q_DATA && sinksql_is_permanent(st);
        fail(s, permanent, st, "%s", s->failed_msg);
        return;
    }
    switch (s->st) {
    case ST_SETUP: setup_done(s); break;
    case ST_CREATE: progress_done(s); break;
    case ST_TXN: txn_done(s); break;
    default: break;
    }
}

static void
one_result(PgSink *s, PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    Tag tag = s->cur < s->ntags ? s->tags[s->cur] : Q_IGNORE;
    s->cur++;
    if (st == PGRES_FATAL_ERROR) {
        if (!s->failed_q) {
            s->failed_q = true;
            s->failed_tag = tag;
            const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            snprintf(s->failed_state, sizeof s->failed_state, "%s", code ? code : "");
            /* the primary message only: detail may quote row values */
            const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
            snprintf(s->failed_msg, sizeof s->failed_msg, "%s",
                     msg ? msg : PQresultErrorMessage(r));
        }
        return;
    }
    if (st != PGRES_TUPLES_OK)
        return;
    if (tag == Q_PROGRESS_EXISTS)
        s->progress_found = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    else if (tag == Q_PROGRESS_READ)
        read_progress(s, r);
    else if (tag == Q_COLUMNS)
        read_columns(s, r);
}

static void
drain(PgSink *s)
{
    if (!PQconsumeInput(s->conn)) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    int nulls = 0;
    bool synced = false;
    while (!PQisBusy(s->conn)) {
        PGresult *r = PQgetResult(s->conn);
        if (!r) {
            if (++nulls >= 2)
                break;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            synced = true;
            break;
        }
        one_result(s, r);
        PQclear(r);
    }
    if (PQstatus(s->conn) == CONNECTION_BAD) {
        fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
        return;
    }
    if (synced)
        pipeline_done(s);
}

/* ------------------------------------------------------------------ interface */

PgSink *
pgsink_new(CatObject *sink, CatObject *view, const PgSinkHost *host)
{
    PgSink *s = sl_calloc(1, sizeof *s);
    s->obj = sink;
    s->view = view;
    s->ps = sink->sink;
    s->host = *host;
    s->ncols = sink->ncols;
    s->fd = -1;
    s->committed = -1;
    s->backoff = BACKOFF_MIN_US;
    s->txn_arena = arena_new(1 << 16);
    buf_init(&s->sql);
    buf_init(&s->fmt);
    start_connect(s);
    return s;
}

void
pgsink_free(PgSink *s)
{
    if (!s)
        return;
    close_conn(s);
    arena_free(s->txn_arena);
    buf_free(&s->sql);
    buf_free(&s->fmt);
    free(s->tags);
    free(s->ops);
    free(s->vals);
    free(s);
}

void
pgsink_on_io(PgSink *s, bool readable, bool writable)
{
    if (!s->conn)
        return;
    if (s->st == ST_CONNECTING) {
        s->poll = PQconnectPoll(s->conn);
        int fd = PQsocket(s->conn);
        if (fd != s->fd) {
            /* libpq moved to another socket (next host or address) */
            if (s->fd >= 0 && s->host.unwatch)
                s->host.unwatch(s->host.ctx, s, s->fd);
            s->fd = fd;
        }
        switch (s->poll) {
        case PGRES_POLLING_FAILED: fail(s, false, NULL, "%s", PQerrorMessage(s->conn)); break;
        case PGRES_POLLING_READING: want_io(s, true, false); break;
        case PGRES_POLLING_WRITING: want_io(s, false, true); break;
        case PGRES_POLLING_OK: start_setup(s); break;
        default: break;
        }
        return;
    }
    if (writable) {
        int r = PQflush(s->conn);
        if (r < 0) {
            fail(s, false, NULL, "%s", PQerrorMessage(s->conn));
            return;
        }
        want_io(s, true, r == 1);
    }
    if (readable && s->conn)
        drain(s);
}

void
pgsink_poll(PgSink *s)
{
    try_txn(s);
}

void
pgsink_tick(PgSink *s, int64_t now)
{
    if (s->st == ST_WAIT && now >= s->retry_at)
        start_connect(s);
    else if ((s->st == ST_CONNECTING || s->st == ST_SETUP || s->st == ST_CREATE ||
              s->st == ST_TXN) && now >= s->deadline)
        fail(s, false, NULL, s->st == ST_CONNECTING ? "connection timed out"
                                                    : "the target did not answer in time");
}

int64_t
pgsink_deadline(const PgSink *s)
{
    switch (s->st) {
    case ST_WAIT: return s->retry_at;
    case ST_CONNECTING:
    case ST_SETUP:
    case ST_CREATE:
    case ST_TXN: return s->deadline;
    default: return -1;
    }
}

void
pgsink_status(PgSink *s, PgSinkStatus *out)
{
    out->committed = s->row_ours ? s->committed : -1;
    out->view_epoch = exec_view_epoch(s->view);
    out->rows = s->rows_written;
    out->transactions = s->transactions;
    out->rewrites = s->rewrites;
    set_state_text(s);
    out->state = s->state_text;
}

int64_t
pgsink_hold(const PgSink *s)
{
    if (s->ps->mode == PLAN_EMIT_COMPLETE || s->st == ST_FAILED)
        return -1;
    return s->row_ours ? s->committed : (int64_t)s->obj->start_offset;
}
