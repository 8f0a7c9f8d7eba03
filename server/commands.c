/*
 * server/commands.c — what statements mean: parse a simple Query, dispatch
 * each statement through the planner and executor, and answer in pgwire
 * messages (see commands.h for the contract with the connection).
 *
 * INTERFACE (commands.h)
 *   cmd_engine_new / cmd_engine_free, cmd_query, cmd_copy_data, cmd_copy_done,
 *   cmd_copy_fail, cmd_cancel, cmd_conn_closed, cmd_tick,
 *   (COPY (SUBSCRIBE ...) TO STDOUT and DECLARE/FETCH/CLOSE cursors over a
 *   subscription are statements like the others, dispatched below)
 *   cmd_parse, cmd_bind, cmd_describe, cmd_close, cmd_execute, cmd_sync (extended protocol,
 *   at the end of this file)
 *
 * The command table below (one row per statement kind) documents each
 * statement's handler and CommandComplete tag, Redis style.
 *
 * A query string is parsed whole before anything runs (as PostgreSQL does);
 * statements then run in order and the first error ends the query. COPY
 * suspends the list until CopyDone; SUBSCRIBE must be the last statement.
 */
#include "server/commands.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/util.h"
#include "executor/executor.h"
#include "parser/parser.h"
#include "planner/planner.h"
#include "server/conn.h"
#include "server/copy_in.h"
#include "server/copy_out.h"
#include "server/engine_int.h"
#include "server/loop.h"
#include "server/notify.h"
#include "server/pgcatalog.h"
#include "server/pgwire.h"
#include "server/server.h"
#include "server/sinks.h"
#include "server/session.h"

/* A COPY buffers its rows and ingests them at CopyDone, so a failed COPY
 * ingests nothing (PostgreSQL semantics). Beyond this many bytes of parsed
 * rows the buffer is ingested early, and atomicity is lost for that COPY:
 * the error says so. Durable, atomic COPY of any size comes with the stream
 * log (DESIGN §4). */
#define COPY_ATOMIC_BYTES ((size_t)64 << 20)

/* A cursor over a subscription buffers its unfetched rows; beyond either
 * bound it fails (54000) rather than grow without limit. */
#define CURSOR_MAX_ROWS 100000
#define CURSOR_MAX_BYTES ((size_t)64 << 20)
/* A FETCH with no row buffered waits this long (or the SUBSCRIBE's timeout). */
#define CURSOR_DEFAULT_WAIT_US (1 * SL_US_PER_SEC)

struct Cursor;


/* Per-connection state, in conn->cmd. */
typedef struct CmdConn {
    Conn *conn;
    PlanParams *params;       /* $n of the statement being run (extended protocol), or NULL */
    Engine *eng;
    Arena *query;             /* the current query string and its AST */
    const char *sql;
    AstStmtList stmts;
    int next;                 /* next statement to run */
    /* COPY FROM STDIN */
    CopyIn *copy;
    PlanCopy copy_plan;
    SqlError copy_err;
    int64_t copy_rows;
    int64_t copy_ingested;    /* rows ingested early (COPY beyond COPY_ATOMIC_BYTES) */
    int64_t copy_late;
    int64_t copy_null_time;
    /* SUBSCRIBE */
    Subscription *sub;
    Arena *sub_arena;         /* the PlanSubscribe lives here while the subscription runs */
    Value *sub_row;           /* scratch: _epoch, _op, columns */
    bool sub_sync;            /* inside exec_subscribe */
    bool sub_copy;            /* COPY (SUBSCRIBE ...) TO STDOUT: rows as CopyData */
    CopyOutFormat copy_fmt;
    Buf copy_line;            /* scratch: one encoded row */
    /* DECLARE ... CURSOR FOR SUBSCRIBE */
    struct Cursor *cursors;
    struct Cursor *fetch_wait; /* a FETCH waiting for its first row */
    int64_t fetch_want;
    int64_t fetch_timer;      /* loop timer id, 0 if none */
    /* group commit: a last INSERT/COPY waiting for the round's fsync */
    PendingBatch *pending;
    char pending_verb[8];     /* "INSERT" or "COPY" */
    int64_t pending_rows, pending_late, pending_null_time;
    /* extended query protocol (see the section at the end) */
    struct PrepStmt *prepared;  /* named and unnamed ("") statements */
    struct Portal *portals;
    bool ext;                 /* running a portal: no RowDescription, no deferred ack */
    const int16_t *rfmt;      /* result format codes of the running portal (NULL: text) */
    int nrfmt;
    int64_t stmt_timer;       /* statement_timeout of a streaming statement (loop timer, 0 none) */
    Session *sess;            /* SET / SHOW parameters (server/session.c) */
    bool in_block;            /* between BEGIN and COMMIT / ROLLBACK (status 'T') */
    NotifyConn *notify;       /* LISTEN channels (server/notify.c), NULL until the first LISTEN */
    bool failed;              /* run_statements stopped at an error */
} CmdConn;

/* ------------------------------------------------------------------ engine */

Engine *
cmd_engine_new(const EngineConfig *cfg, SqlError *err)
{
    const char *dir = cfg && cfg->data_dir ? cfg->data_dir : "./sluice-data";
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0700) != 0) {
            err_setf(err, ERR_INTERNAL_ERROR, -1, "cannot create data directory \"%s\"", dir);
            return NULL;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        err_setf(err, ERR_INTERNAL_ERROR, -1, "data directory \"%s\" is not a directory", dir);
        return NULL;
    }
    Engine *e = sl_calloc(1, sizeof *e);
    e->cat = cat_new();
    e->x = exec_new();
    e->data_dir = sl_strdup(dir);
    e->fsync = cfg ? cfg->fsync : true;
    e->checkpoint_interval_us = cfg ? cfg->checkpoint_interval_us : 10 * SL_US_PER_SEC;
    e->last_checkpoint_us = sl_mono_us();
    e->sinks = sinks_new(e->cat);
    e->store = store_open(dir, e->fsync, err);
    if (!e->store || engine_recover(e, err) != 0) {
        cmd_engine_free(e);
        return NULL;
    }
    e->recovered = true;
    return e;
}

void
cmd_engine_attach_loop(Engine *e, Loop *loop)
{
    sinks_attach_loop(e->sinks, loop);
}

void
cmd_engine_free(Engine *e)
{
    if (!e)
        return;
    engine_flush(e);
    if (e->recovered && e->dirty) {
        /* A clean shutdown leaves a checkpoint: the next start replays nothing. */
        SqlError err;
        err_init(&err, NULL);
        if (engine_checkpoint(e, &err) != 0)
            fprintf(stderr, "sluiced: checkpoint at shutdown failed: %s\n", err.message);
        err_clear(&err);
    }
    sinks_free(e->sinks); /* they read the views */
    pgcat_free(e->pgcat);
    exec_free(e->x);
    for (CatObject *o = e->cat->head; o; o = o->next)
        store_stream_close(o->log);
    cat_free(e->cat);
    store_close(e->store);
    free(e->data_dir);
    free(e);
}

static CmdConn *
cmd_state(Engine *e, Conn *c)
{
    if (!c->cmd) {
        CmdConn *cc = sl_calloc(1, sizeof *cc);
        cc->conn = c;
        cc->eng = e;
        cc->query = arena_new(16384);
        cc->sess = sess_new(c->application_name);
        c->cmd = cc;
    }
    return c->cmd;
}

/* ------------------------------------------------------------------ output helpers */

static void
send_error(CmdConn *cc, const SqlError *err)
{
    pgw_put_error(&cc->conn->out, err, cc->sql);
}

static void
send_notice(CmdConn *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
send_notice(CmdConn *cc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pgw_put_notice(&cc->conn->out, "00000", msg);
}

static void
send_tag(CmdConn *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
send_tag(CmdConn *cc, const char *fmt, ...)
{
    char tag[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tag, sizeof tag, fmt, ap);
    va_end(ap);
    pgw_put_command_complete(&cc->conn->out, tag);
}

/* A result of text columns, built row by row. */
typedef struct TextResult {
    CmdConn *cc;
    int ncols;
    int64_t rows;
} TextResult;

static void
text_begin(TextResult *t, CmdConn *cc, int n, const char *const *names, const SlType *types)
{
    t->cc = cc;
    t->ncols = n;
    t->rows = 0;
    pgw_put_row_description_fmt(&cc->conn->out, n, names, types, cc->rfmt, cc->nrfmt);
}

static void
text_row(TextResult *t, const Value *vals)
{
    pgw_put_data_row_fmt(&t->cc->conn->out, t->ncols, vals, t->cc->rfmt, t->cc->nrfmt);
    t->rows++;
}

static Value
tv(const char *s)
{
    return s ? val_text(s, (uint32_t)strlen(s)) : val_null(TYPE_TEXT);
}

static void
text_end(TextResult *t, const char *verb)
{
    send_tag(t->cc, "%s %lld", verb, (long long)t->rows);
}

static const char *
str_of(Arena *a, Str s)
{
    return arena_strndup(a, s.p ? s.p : "", s.n);
}

/* ------------------------------------------------------------------ DDL */

static void drop_object(Engine *e, CatObject *o);
static void ext_free_all(CmdConn *cc);

/* The planner returned no object: an error, or IF NOT EXISTS found one. */
static int
create_skipped(CmdConn *cc, Str name, const char *tag, SqlError *err)
{
    if (err_is_set(err))
        return -1;
    send_notice(cc, "relation \"%s\" already exists, skipping", str_of(cc->query, name));
    send_tag(cc, "%s", tag);
    return 0;
}

/* A started object joins the catalog, which is made durable before the
 * CREATE is acknowledged (undone if that fails). */
static int
create_finish(CmdConn *cc, CatObject *o, const char *tag, SqlError *err)
{
    cat_add(cc->eng->cat, o);
    if (engine_save_catalog(cc->eng, NULL, 0, err) != 0) {
        drop_object(cc->eng, o);
        return -1;
    }
    if (o->notice)
        send_notice(cc, "%s", o->notice);
    send_tag(cc, "%s", tag);
    return 0;
}

static int
do_create_stream(CmdConn *cc, const AstStmt *s, const char *text, SqlError *err)
{
    Engine *e = cc->eng;
    CatObject *o = plan_create_stream(e->cat, s, text, err);
    if (!o)
        return create_skipped(cc, s->create_stream.name, "CREATE STREAM", err);
    if (engine_open_stream_log(e, o, err) != 0) {
        arena_free(o->arena);
        return -1;
    }
    if (exec_add_stream(e->x, o, err) != 0) {
        engine_drop_stream_log(e, o);
        arena_free(o->arena);
        return -1;
    }
    return create_finish(cc, o, "CREATE STREAM", err);
}

static int
do_create_view(CmdConn *cc, const AstStmt *s, const char *text, SqlError *err)
{
    Engine *e = cc->eng;
    CatObject *o = plan_create_view(e->cat, s, text, err);
    if (!o)
        return create_skipped(cc, s->create_view.name, "CREATE VIEW", err);
    CatObject *src = cat_lookup(e->cat, o->source);
    o->start_offset = store_stream_next_offset(src->log);
    if (exec_add_view(e->x, o, src, err) != 0) {
        arena_free(o->arena);
        return -1;
    }
    return create_finish(cc, o, "CREATE VIEW", err);
}

static int
do_create_sink(CmdConn *cc, const AstStmt *s, const char *text, SqlError *err)
{
    Engine *e = cc->eng;
    CatObject *o = plan_create_sink(e->cat, s, text, err);
    if (!o)
        return create_skipped(cc, s->create_sink.name, "CREATE SINK", err);
    CatObject *view = cat_lookup(e->cat, o->source);
    o->start_offset = (uint64_t)exec_view_epoch(view);
    o->incarnation = (uint64_t)sl_now_us();
    if (sinks_add(e->sinks, o, err) != 0) {
        arena_free(o->arena);
        return -1;
    }
    return create_finish(cc, o, "CREATE SINK", err);
}

static void
drop_object(Engine *e, CatObject *o)
{
    if (o->kind == CAT_SINK) {
        sinks_remove(e->sinks, o);
        cat_remove(e->cat, o);
        return;
    }
    exec_drop(e->x, o);
    if (o->kind == CAT_STREAM)
        engine_drop_stream_log(e, o);
    cat_remove(e->cat, o);
}

static int
do_drop(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    static const char *const kinds[] = {"STREAM", "VIEW", "TABLE", "SINK"};
    const char *kind = kinds[s->drop.what];
    const char *name = str_of(cc->query, s->drop.name);
    if (s->drop.what == AST_OBJ_TABLE) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos, "tables are not supported yet");
        return -1;
    }
    CatObject *o = cat_lookup(e->cat, name);
    CatKind want = s->drop.what == AST_OBJ_STREAM ? CAT_STREAM
                 : s->drop.what == AST_OBJ_VIEW   ? CAT_VIEW
                                                  : CAT_SINK;
    static const char *const drop_words[] = {"STREAM", "VIEW", "SINK"};
    if (!o) {
        if (s->drop.if_exists) {
            send_notice(cc, "%s \"%s\" does not exist, skipping", cat_kind_name(want), name);
            send_tag(cc, "DROP %s", kind);
            return 0;
        }
        err_setf(err, ERR_UNDEFINED_TABLE, s->drop.name.pos, "%s \"%s\" does not exist",
                 cat_kind_name(want), name);
        return -1;
    }
    if (o->kind != want) {
        err_setf(err, ERR_WRONG_OBJECT_TYPE, s->drop.name.pos, "\"%s\" is not a %s", name,
                 cat_kind_name(want));
        err_hint(err, "Use DROP %s to remove a %s.", drop_words[o->kind],
                 cat_kind_name(o->kind));
        return -1;
    }
    CatObject *deps[64];
    int nd = cat_dependents(e->cat, o, deps, 64);
    if (nd > 0 && !s->drop.cascade) {
        err_setf(err, ERR_DEPENDENT_OBJECTS_STILL_EXIST, s->drop.name.pos,
                 "cannot drop %s %s because other objects depend on it", cat_kind_name(o->kind),
                 name);
        err_detail(err, "%s %s depends on %s %s%s", cat_kind_name(deps[0]->kind), deps[0]->name,
                   cat_kind_name(o->kind), name, nd > 1 ? " (and more)" : "");
        err_hint(err, "Use DROP ... CASCADE to drop the dependent objects too.");
        return -1;
    }
    /* The catalog without them is made durable first: a crash after this
     * point finds them dropped, before it finds them intact. */
    int nall = cat_dependents(e->cat, o, NULL, 0);
    CatObject **all = arena_alloc(cc->query, sizeof(CatObject *) * (size_t)(nall + 1));
    cat_dependents(e->cat, o, all, nall);
    all[nall] = o;
    if (engine_save_catalog(e, all, nall + 1, err) != 0)
        return -1;
    for (int i = 0; i < nall; i++) {
        send_notice(cc, "drop cascades to %s %s", cat_kind_name(all[i]->kind), all[i]->name);
        drop_object(e, all[i]);
    }
    drop_object(e, o);
    /* The checkpoint must not keep state of what no longer exists. */
    SqlError cerr;
    err_init(&cerr, NULL);
    if (engine_checkpoint(e, &cerr) != 0)
        fprintf(stderr, "sluiced: checkpoint after DROP failed: %s\n", cerr.message);
    err_clear(&cerr);
    send_tag(cc, "DROP %s", kind);
    return 0;
}

/* ------------------------------------------------------------------ INSERT / COPY */

static void
dropped_notice(CmdConn *cc, CatObject *o, int64_t late, int64_t null_time)
{
    if (late > 0)
        send_notice(cc, "%lld late event%s dropped: event time below the watermark of stream "
                        "\"%s\" (counted in SHOW %s STATUS)",
                    (long long)late, late == 1 ? "" : "s", o->name, o->name);
    if (null_time > 0)
        send_notice(cc, "%lld event%s dropped: NULL in event-time column \"%s\" of stream "
                        "\"%s\"",
                    (long long)null_time, null_time == 1 ? "" : "s", o->cols[o->wm_col].name,
                    o->name);
}

/* The acknowledgement of a deferred INSERT/COPY, once its round is synced
 * and applied (engine_flush). */
static void
deferred_done(void *ctx, CatObject *stream, const IngestResult *res, const SqlError *err)
{
    CmdConn *cc = ctx;
    cc->pending = NULL;
    if (err) {
        pgw_put_error(&cc->conn->out, err, NULL);
    } else {
        dropped_notice(cc, stream, cc->pending_late + res->late,
                       cc->pending_null_time + res->null_time);
        if (strcmp(cc->pending_verb, "INSERT") == 0)
            send_tag(cc, "INSERT 0 %lld", (long long)cc->pending_rows);
        else
            send_tag(cc, "COPY %lld", (long long)cc->pending_rows);
    }
    conn_query_finished(cc->conn);
}

/* With --fsync on, the last statement of a query string waits for the round's
 * group commit instead of an fsync of its own (concurrent writers share one). */
static bool
defer_ack(CmdConn *cc)
{
    return cc->eng->fsync && cc->next >= cc->stmts.n && !cc->ext;
}

static int
defer_batch(CmdConn *cc, const char *verb, CatObject *stream, const Value *rows, int nrows,
            int64_t total_rows, int64_t late, int64_t null_time, SqlError *err)
{
    snprintf(cc->pending_verb, sizeof cc->pending_verb, "%s", verb);
    cc->pending_rows = total_rows;
    cc->pending_late = late;
    cc->pending_null_time = null_time;
    cc->pending = engine_ingest_deferred(cc->eng, stream, rows, nrows, deferred_done, cc, err);
    return cc->pending ? 1 : -1;
}

/* 0: done and acknowledged; 1: waiting for the group commit; -1: err set. */
static int
do_insert(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    PlanInsert pi;
    if (plan_insert(e->cat, s, cc->params, cc->query, &pi, err) != 0)
        return -1;
    int nc = pi.stream->ncols;
    size_t n = (size_t)pi.nrows * (size_t)nc;
    Value *rows = arena_alloc(cc->query, sizeof(Value) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        if (exec_eval_const(pi.values[i], cc->query, &rows[i], err) != 0)
            return -1;
        rows[i].type = (uint8_t)pi.stream->cols[i % (size_t)nc].type;
    }
    if (defer_ack(cc) && pi.nrows > 0)
        return defer_batch(cc, "INSERT", pi.stream, rows, pi.nrows, pi.nrows, 0, 0, err);
    IngestResult res;
    if (engine_ingest(e, pi.stream, rows, pi.nrows, &res, err) != 0)
        return -1;
    dropped_notice(cc, pi.stream, res.late, res.null_time);
    send_tag(cc, "INSERT 0 %d", pi.nrows);
    return 0;
}

static int
do_copy(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    if (plan_copy(e->cat, s, cc->query, &cc->copy_plan, err) != 0)
        return -1;
    cc->copy = copy_in_new(&cc->copy_plan);
    err_init(&cc->copy_err, NULL);
    cc->copy_rows = 0;
    cc->copy_ingested = 0;
    cc->copy_late = 0;
    cc->copy_null_time = 0;
    pgw_put_copy_in_response(&cc->conn->out, cc->copy_plan.ncols);
    return 0;
}

/* Ingests the rows the COPY decoder holds. */
static int
copy_flush(CmdConn *cc, SqlError *err)
{
    int n;
    const Value *rows = copy_in_rows(cc->copy, &n);
    if (n == 0)
        return 0;
    IngestResult res;
    if (engine_ingest(cc->eng, cc->copy_plan.stream, rows, n, &res, err) != 0)
        return -1;
    cc->copy_rows += n;
    cc->copy_late += res.late;
    cc->copy_null_time += res.null_time;
    copy_in_clear_rows(cc->copy);
    return 0;
}

static void
copy_end(CmdConn *cc)
{
    copy_in_free(cc->copy);
    cc->copy = NULL;
    err_clear(&cc->copy_err);
}

/* ------------------------------------------------------------------ SELECT */

typedef struct PullOut {
    TextResult t;
} PullOut;

static void
pull_row_out(void *ctx, const Value *row)
{
    text_row(ctx, row);
}

static int
do_select(CmdConn *cc, const AstSelect *sel, SqlError *err)
{
    Engine *e = cc->eng;
    PlanPull *p = plan_select(e->cat, sel, cc->params, cc->query, err);
    if (!p)
        return -1;
    CatObject *view = p->view ? cat_lookup(e->cat, p->view) : NULL;
    /* Errors are found before any row is sent: rows go to a side buffer. */
    Buf saved = cc->conn->out;
    Buf tmp;
    buf_init(&tmp);
    cc->conn->out = tmp;
    TextResult t;
    text_begin(&t, cc, p->ncols, p->names, p->types);
    int64_t n = exec_pull(e->x, p, view, cc->query, pull_row_out, &t, err);
    tmp = cc->conn->out;
    cc->conn->out = saved;
    if (n >= 0)
        buf_append(&cc->conn->out, tmp.data, tmp.len);
    buf_free(&tmp);
    if (n < 0)
        return -1;
    text_end(&t, "SELECT");
    return 0;
}

/* ------------------------------------------------------------------ SUBSCRIBE */

static void
sub_row(void *ctx, int64_t epoch, const char *op, const Value *vals, int ncols)
{
    CmdConn *cc = ctx;
    cc->sub_row[0] = val_int(epoch);
    cc->sub_row[1] = tv(op);
    memcpy(cc->sub_row + 2, vals, sizeof(Value) * (size_t)ncols);
    if (cc->sub_copy) {
        buf_clear(&cc->copy_line);
        copy_out_row(&cc->copy_line, cc->copy_fmt, ncols + 2, cc->sub_row);
        pgw_put_copy_data(&cc->conn->out, cc->copy_line.data, cc->copy_line.len);
        return;
    }
    pgw_put_data_row_fmt(&cc->conn->out, ncols + 2, cc->sub_row, cc->rfmt, cc->nrfmt);
}

static void
sub_flush(void *ctx)
{
    CmdConn *cc = ctx;
    conn_flush_soon(cc->conn);
}

static void
sub_release(CmdConn *cc)
{
    cc->sub = NULL;
    arena_free(cc->sub_arena);
    cc->sub_arena = NULL;
    free(cc->sub_row);
    cc->sub_row = NULL;
    cc->sub_copy = false;
    buf_free(&cc->copy_line);
}

static void
sub_end(void *ctx, const SqlError *err, int64_t rows)
{
    CmdConn *cc = ctx;
    if (err) {
        pgw_put_error(&cc->conn->out, err, NULL);
        cc->conn->ext_failed = true;
    } else if (cc->sub_copy) {
        pgw_put_copy_done(&cc->conn->out);
        send_tag(cc, "COPY %lld", (long long)rows);
    } else {
        send_tag(cc, "SUBSCRIBE %lld", (long long)rows);
    }
    sub_release(cc);
    conn_query_finished(cc->conn);
}

static const SubscriberOps sub_ops = {sub_row, sub_end, sub_flush};

/* The text of an option's value: a literal or a bare word. */
static const char *
option_value(Arena *a, const AstOption *opt)
{
    const AstExpr *v = opt->value;
    if (!v)
        return "true";
    if (v->kind == AST_LITERAL)
        return str_of(a, v->lit.text);
    if (v->kind == AST_COLUMN)
        return str_of(a, v->column.name);
    return "";
}

static bool
str_is(Str s, const char *w)
{
    return s.n == strlen(w) && strncasecmp(s.p, w, s.n) == 0;
}

/* COPY (SUBSCRIBE ...) TO STDOUT [WITH (FORMAT text|csv, HEADER)]. */
static int
copy_out_options(CmdConn *cc, const AstStmt *s, bool *header, SqlError *err)
{
    cc->copy_fmt = COPY_OUT_TEXT;
    *header = false;
    for (int i = 0; i < s->copy_out.with.n; i++) {
        const AstOption *opt = &s->copy_out.with.items[i];
        const char *v = option_value(cc->query, opt);
        if (str_is(opt->key, "format")) {
            if (strcasecmp(v, "csv") == 0) {
                cc->copy_fmt = COPY_OUT_CSV;
            } else if (strcasecmp(v, "text") == 0) {
                cc->copy_fmt = COPY_OUT_TEXT;
            } else {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos,
                         "COPY format \"%s\" not recognized", v);
                err_hint(err, "Use FORMAT text or FORMAT csv.");
                return -1;
            }
        } else if (str_is(opt->key, "header")) {
            *header = strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
                      strcmp(v, "1") == 0 || strcasecmp(v, "header") == 0;
        } else {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, opt->pos,
                     "COPY TO option \"%s\" is not supported", str_of(cc->query, opt->key));
            err_hint(err, "COPY (SUBSCRIBE ...) TO STDOUT takes FORMAT text|csv and HEADER.");
            return -1;
        }
    }
    if (*header && cc->copy_fmt != COPY_OUT_CSV) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos, "COPY HEADER available only in CSV mode");
        return -1;
    }
    return 0;
}

static CmdStatus
do_subscribe(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    const AstStmt *outer = s;
    bool header = false;
    if (cc->next < cc->stmts.n) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, cc->stmts.items[cc->next]->pos,
                 "%s must be the last statement of a query string",
                 s->kind == AST_COPY_OUT ? "COPY (SUBSCRIBE ...) TO STDOUT" : "SUBSCRIBE");
        return CMD_DONE;
    }
    if (s->kind == AST_COPY_OUT) {
        if (copy_out_options(cc, s, &header, err) != 0)
            return CMD_DONE;
        s = s->copy_out.sub;
    }
    cc->sub_arena = arena_new(8192);
    PlanSubscribe *p = plan_subscribe(e->cat, s, cc->params, cc->sub_arena, err);
    if (!p) {
        arena_free(cc->sub_arena);
        cc->sub_arena = NULL;
        return CMD_DONE;
    }
    CatObject *o = cat_lookup(e->cat, p->view);
    int n = o->ncols + 2;
    const char **names = arena_alloc(cc->sub_arena, sizeof(char *) * (size_t)n);
    SlType *types = arena_alloc(cc->sub_arena, sizeof(SlType) * (size_t)n);
    names[0] = "_epoch";
    types[0] = TYPE_BIGINT;
    names[1] = "_op";
    types[1] = TYPE_TEXT;
    for (int i = 0; i < o->ncols; i++) {
        names[i + 2] = o->cols[i].name;
        types[i + 2] = o->cols[i].type;
    }
    cc->sub_row = sl_calloc((size_t)n, sizeof(Value));
    size_t mark = cc->conn->out.len;
    if (outer->kind == AST_COPY_OUT) {
        cc->sub_copy = true;
        buf_init(&cc->copy_line);
        pgw_put_copy_out_response(&cc->conn->out, n);
        if (header) {
            copy_out_header(&cc->copy_line, cc->copy_fmt, n, names);
            pgw_put_copy_data(&cc->conn->out, cc->copy_line.data, cc->copy_line.len);
        }
    } else if (!cc->ext) { /* the extended protocol describes a portal only on Describe */
        pgw_put_row_description_fmt(&cc->conn->out, n, names, types, cc->rfmt, cc->nrfmt);
    }
    cc->sub_sync = true;
    cc->sub = exec_subscribe(e->x, o, p, &sub_ops, cc, err);
    cc->sub_sync = false;
    if (!cc->sub && err_is_set(err)) {
        cc->conn->out.len = mark; /* no RowDescription before the error */
        sub_release(cc);
        return CMD_DONE;
    }
    /* Ended already (LIMIT reached during replay): sub_end asked the conn to
     * finish, which it does right after this returns. */
    return CMD_STREAMING;
}

/* ------------------------------------------------------------------ cursors: DECLARE / FETCH / CLOSE */

/*
 * DECLARE c CURSOR FOR SUBSCRIBE ... starts a subscription whose rows are
 * buffered on the connection (at most CURSOR_MAX_ROWS rows or
 * CURSOR_MAX_BYTES; beyond that the cursor fails with 54000 and further rows
 * are dropped). FETCH n returns up to n buffered rows in order. With none
 * buffered, a FETCH that ends its query string waits: it returns as soon as
 * at least one row arrives, or empty after the SUBSCRIBE's timeout (default
 * one second), or at once when the subscription has ended. FETCH ALL, and
 * every FETCH in the extended protocol, returns what is buffered without
 * waiting. Cursors live until CLOSE or disconnect (BEGIN/COMMIT are no-ops).
 */

typedef struct CurRow {
    struct CurRow *next;
    size_t bytes;
    Value vals[];           /* _epoch, _op, columns; TEXT payloads follow */
} CurRow;

typedef struct Cursor {
    struct Cursor *next;
    CmdConn *cc;
    char *name;
    Subscription *sub;      /* NULL once ended */
    Arena *arena;           /* the plan, names and types */
    int ncols;              /* including _epoch and _op */
    const char **names;
    SlType *types;
    CurRow *head, *tail;
    int64_t nrows;
    size_t bytes;
    int64_t wait_us;
    bool ended;
    SqlError fail;          /* set: the cursor failed (overflow, view dropped) */
} Cursor;

static Cursor *
cursor_find(CmdConn *cc, const char *name, Cursor ***link)
{
    for (Cursor **pp = &cc->cursors; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            if (link)
                *link = pp;
            return *pp;
        }
    return NULL;
}

static void
cursor_free(CmdConn *cc, Cursor *cur)
{
    if (cur->sub)
        exec_unsubscribe(cc->eng->x, cur->sub);
    while (cur->head) {
        CurRow *r = cur->head;
        cur->head = r->next;
        free(r);
    }
    err_clear(&cur->fail);
    arena_free(cur->arena);
    free(cur->name);
    free(cur);
}

static void fetch_complete(CmdConn *cc);

static void
cur_row(void *ctx, int64_t epoch, const char *op, const Value *vals, int ncols)
{
    Cursor *cur = ctx;
    if (err_is_set(&cur->fail))
        return;
    int n = ncols + 2;
    size_t oplen = strlen(op);
    size_t size = sizeof(CurRow) + sizeof(Value) * (size_t)n + oplen;
    for (int i = 0; i < ncols; i++)
        if (vals[i].type == TYPE_TEXT && !vals[i].isnull)
            size += vals[i].len;
    if (cur->nrows + 1 > CURSOR_MAX_ROWS || cur->bytes + size > CURSOR_MAX_BYTES) {
        err_setf(&cur->fail, ERR_PROGRAM_LIMIT_EXCEEDED, -1,
                 "cursor \"%s\" has too many unfetched rows", cur->name);
        err_detail(&cur->fail, "A cursor over a subscription buffers at most %d rows or %zu MiB;"
                   " later rows were dropped.", CURSOR_MAX_ROWS, CURSOR_MAX_BYTES >> 20);
        err_hint(&cur->fail, "FETCH more often or more rows at a time, then DECLARE it again.");
        return;
    }
    CurRow *r = sl_malloc(size);
    r->next = NULL;
    r->bytes = size;
    char *text = (char *)(r->vals + n);
    r->vals[0] = val_int(epoch);
    memcpy(text, op, oplen);
    r->vals[1] = val_text(text, (uint32_t)oplen);
    text += oplen;
    for (int i = 0; i < ncols; i++) {
        r->vals[i + 2] = vals[i];
        if (vals[i].type == TYPE_TEXT && !vals[i].isnull) {
            if (vals[i].len)
                memcpy(text, vals[i].s, vals[i].len);
            r->vals[i + 2].s = text;
            text += vals[i].len;
        }
    }
    if (cur->tail)
        cur->tail->next = r;
    else
        cur->head = r;
    cur->tail = r;
    cur->nrows++;
    cur->bytes += size;
}

static void
cur_flush(void *ctx)
{
    Cursor *cur = ctx;
    if (cur->cc->fetch_wait == cur && (cur->nrows > 0 || err_is_set(&cur->fail)))
        fetch_complete(cur->cc);
}

static void
cur_end(void *ctx, const SqlError *err, int64_t rows)
{
    Cursor *cur = ctx;
    (void)rows;
    cur->sub = NULL;
    cur->ended = true;
    if (err && !err_is_set(&cur->fail))
        err_copy(&cur->fail, err);
    if (cur->cc->fetch_wait == cur)
        fetch_complete(cur->cc);
}

static const SubscriberOps cursor_ops = {cur_row, cur_end, cur_flush};

static int
do_declare(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    const char *name = str_of(cc->query, s->declare.name);
    if (cursor_find(cc, name, NULL)) {
        err_setf(err, ERR_DUPLICATE_CURSOR, s->declare.name.pos, "cursor \"%s\" already exists",
                 name);
        return -1;
    }
    Cursor *cur = sl_calloc(1, sizeof *cur);
    cur->cc = cc;
    cur->name = sl_strdup(name);
    cur->arena = arena_new(8192);
    err_init(&cur->fail, NULL);
    PlanSubscribe *p = plan_subscribe(e->cat, s->declare.sub, cc->params, cur->arena, err);
    if (!p) {
        cursor_free(cc, cur);
        return -1;
    }
    CatObject *o = cat_lookup(e->cat, p->view);
    cur->ncols = o->ncols + 2;
    cur->names = arena_alloc(cur->arena, sizeof(char *) * (size_t)cur->ncols);
    cur->types = arena_alloc(cur->arena, sizeof(SlType) * (size_t)cur->ncols);
    cur->names[0] = "_epoch";
    cur->types[0] = TYPE_BIGINT;
    cur->names[1] = "_op";
    cur->types[1] = TYPE_TEXT;
    for (int i = 0; i < o->ncols; i++) {
        cur->names[i + 2] = arena_strdup(cur->arena, o->cols[i].name);
        cur->types[i + 2] = o->cols[i].type;
    }
    cur->wait_us = p->timeout_us > 0 ? p->timeout_us : CURSOR_DEFAULT_WAIT_US;
    cur->sub = exec_subscribe(e->x, o, p, &cursor_ops, cur, err);
    if (!cur->sub && err_is_set(err)) {
        cursor_free(cc, cur);
        return -1;
    }
    cur->next = cc->cursors;
    cc->cursors = cur;
    send_tag(cc, "DECLARE CURSOR");
    return 0;
}

/* Writes RowDescription, up to want rows and "FETCH k"; or fails if the cursor did. */
static int
fetch_send(CmdConn *cc, Cursor *cur, int64_t want, SqlError *err)
{
    if (err_is_set(&cur->fail)) {
        if (cur->sub) { /* stop the subscription now that nobody reads it */
            exec_unsubscribe(cc->eng->x, cur->sub);
            cur->sub = NULL;
            cur->ended = true;
        }
        err_copy(err, &cur->fail);
        return -1;
    }
    TextResult t;
    text_begin(&t, cc, cur->ncols, cur->names, cur->types);
    while (t.rows < want && cur->head) {
        CurRow *r = cur->head;
        text_row(&t, r->vals);
        cur->head = r->next;
        if (!cur->head)
            cur->tail = NULL;
        cur->nrows--;
        cur->bytes -= r->bytes;
        free(r);
    }
    text_end(&t, "FETCH");
    return 0;
}

/* Ends a waiting FETCH: rows arrived, the subscription ended, or time ran out. */
static void
fetch_complete(CmdConn *cc)
{
    Cursor *cur = cc->fetch_wait;
    cc->fetch_wait = NULL;
    if (cc->fetch_timer) {
        loop_del_timer(cc->conn->srv->loop, cc->fetch_timer);
        cc->fetch_timer = 0;
    }
    SqlError err;
    err_init(&err, NULL);
    if (fetch_send(cc, cur, cc->fetch_want, &err) != 0)
        pgw_put_error(&cc->conn->out, &err, NULL);
    err_clear(&err);
    conn_query_finished(cc->conn);
}

static void
fetch_timeout(Loop *loop, int64_t id, void *ctx)
{
    CmdConn *cc = ctx;
    (void)loop;
    (void)id;
    cc->fetch_timer = 0;
    if (cc->fetch_wait)
        fetch_complete(cc);
}

static CmdStatus
do_fetch(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    const char *name = str_of(cc->query, s->fetch.name);
    Cursor *cur = cursor_find(cc, name, NULL);
    if (!cur) {
        err_setf(err, ERR_INVALID_CURSOR_NAME, s->fetch.name.pos, "cursor \"%s\" does not exist",
                 name);
        return CMD_DONE;
    }
    bool all = s->fetch.count.n == 0;
    int64_t want = INT64_MAX;
    if (!all) {
        const char *digits = str_of(cc->query, s->fetch.count);
        char *end;
        errno = 0;
        long long v = strtoll(digits, &end, 10);
        if (errno || *end || v < 0) {
            err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, s->fetch.count.pos,
                     "FETCH count %s is out of range", digits);
            return CMD_DONE;
        }
        want = v;
    }
    bool now = all || want == 0 || cur->nrows > 0 || cur->ended || err_is_set(&cur->fail) ||
               cc->ext || cc->next < cc->stmts.n;
    if (now) {
        fetch_send(cc, cur, want, err);
        return CMD_DONE;
    }
    cc->fetch_wait = cur;
    cc->fetch_want = want;
    int64_t ms = (cur->wait_us + 999) / 1000;
    cc->fetch_timer = loop_add_timer(cc->conn->srv->loop, ms > 0 ? ms : 1, false,
                                     fetch_timeout, cc);
    return CMD_STREAMING;
}

static int
do_close(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    if (s->close.name.n == 0) {
        while (cc->cursors) {
            Cursor *cur = cc->cursors;
            cc->cursors = cur->next;
            cursor_free(cc, cur);
        }
        send_tag(cc, "CLOSE CURSOR ALL");
        return 0;
    }
    const char *name = str_of(cc->query, s->close.name);
    Cursor **link;
    Cursor *cur = cursor_find(cc, name, &link);
    if (!cur) {
        err_setf(err, ERR_INVALID_CURSOR_NAME, s->close.name.pos, "cursor \"%s\" does not exist",
                 name);
        return -1;
    }
    *link = cur->next;
    cursor_free(cc, cur);
    send_tag(cc, "CLOSE CURSOR");
    return 0;
}

/* ------------------------------------------------------------------ SHOW / DESCRIBE / EXPLAIN */

static void
columns_text(const CatObject *o, Buf *b)
{
    for (int i = 0; i < o->ncols; i++)
        buf_printf(b, "%s%s %s", i ? ", " : "", o->cols[i].name, type_name(o->cols[i].type));
}

static void
watermark_text(const CatObject *o, Buf *b)
{
    if (o->wm_col < 0)
        return;
    buf_printf(b, "%s - INTERVAL '", o->cols[o->wm_col].name);
    interval_format(o->wm_delay_us, b);
    buf_putc(b, '\'');
}

typedef struct StatPick {
    const char *key;
    int64_t val;
} StatPick;

/* exec_status reports key/value pairs: pick the two SHOW STREAMS shows. */
static void
pick_kv(void *ctx, const char *key, const char *value)
{
    StatPick *p = ctx;
    for (int i = 0; i < 2; i++)
        if (strcmp(p[i].key, key) == 0)
            p[i].val = strtoll(value, NULL, 10);
}

static void
kv_row(void *ctx, const char *key, const char *value)
{
    Value row[2] = {tv(key), tv(value)};
    text_row(ctx, row);
}

static int
show_objects(CmdConn *cc, CatKind kind)
{
    Engine *e = cc->eng;
    TextResult t;
    Buf b1, b2;
    buf_init(&b1);
    buf_init(&b2);
    if (kind == CAT_STREAM) {
        static const char *const names[] = {"name", "columns", "watermark", "events",
                                            "late_events"};
        static const SlType types[] = {TYPE_TEXT, TYPE_TEXT, TYPE_TEXT, TYPE_BIGINT, TYPE_BIGINT};
        text_begin(&t, cc, 5, names, types);
    } else {
        static const char *const names[] = {"name", "source", "mode", "trigger", "epoch",
                                            "state"};
        static const SlType types[] = {TYPE_TEXT, TYPE_TEXT, TYPE_TEXT, TYPE_TEXT, TYPE_BIGINT,
                                       TYPE_TEXT};
        text_begin(&t, cc, 6, names, types);
    }
    /* Sorted by name, so output is deterministic. */
    int n = 0;
    for (CatObject *o = e->cat->head; o; o = o->next)
        n++;
    CatObject **objs = sl_calloc((size_t)n + 1, sizeof(CatObject *));
    int k = 0;
    for (CatObject *o = e->cat->head; o; o = o->next)
        if (o->kind == kind)
            objs[k++] = o;
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && strcmp(objs[j - 1]->name, objs[j]->name) > 0; j--) {
            CatObject *tmp = objs[j];
            objs[j] = objs[j - 1];
            objs[j - 1] = tmp;
        }
    for (int i = 0; i < k; i++) {
        CatObject *o = objs[i];
        buf_clear(&b1);
        buf_clear(&b2);
        if (kind == CAT_STREAM) {
            columns_text(o, &b1);
            watermark_text(o, &b2);
            StatPick pk[2] = {{"events", 0}, {"late_events", 0}};
            exec_status(e->x, o, pick_kv, pk);
            Value row[5] = {tv(o->name), tv(b1.data ? b1.data : ""),
                            o->wm_col >= 0 ? tv(b2.data) : val_null(TYPE_TEXT), val_int(pk[0].val),
                            val_int(pk[1].val)};
            text_row(&t, row);
        } else {
            const PlanView *p = o->plan;
            plan_trigger_text(p, &b1);
            Value row[6] = {tv(o->name), tv(o->source), tv(plan_mode_name(p->mode)),
                            tv(b1.data), val_int(exec_view_epoch(o)), tv("running")};
            text_row(&t, row);
        }
    }
    free(objs);
    buf_free(&b1);
    buf_free(&b2);
    text_end(&t, "SHOW");
    return 0;
}

static void
sink_row(void *ctx, const CatObject *o, const char *target, const PgSinkStatus *st)
{
    TextResult *t = ctx;
    Value row[8] = {tv(o->name), tv(o->source), tv(target), tv(plan_mode_name(o->sink->mode)),
                    st->committed >= 0 ? val_int(st->committed) : val_null(TYPE_BIGINT),
                    val_int(st->view_epoch - (st->committed >= 0 ? st->committed
                                                                 : (int64_t)o->start_offset)),
                    val_int(st->rows), tv(st->state)};
    if (row[5].i < 0)
        row[5].i = 0;
    text_row(t, row);
}

/* SHOW SINKS: where each sink delivers, how far the target is, and its state. */
static int
show_sinks(CmdConn *cc)
{
    static const char *const names[] = {"name", "view", "target", "mode", "committed_epoch",
                                        "lag_epochs", "rows_written", "state"};
    static const SlType types[] = {TYPE_TEXT, TYPE_TEXT, TYPE_TEXT, TYPE_TEXT, TYPE_BIGINT,
                                   TYPE_BIGINT, TYPE_BIGINT, TYPE_TEXT};
    TextResult t;
    text_begin(&t, cc, 8, names, types);
    sinks_foreach(cc->eng->sinks, sink_row, &t);
    text_end(&t, "SHOW");
    return 0;
}

/* SHOW s STATUS of a sink. */
static void
sink_status(TextResult *t, CatObject *o)
{
    PgSinkStatus status;
    const PgSinkStatus *st = &status;
    const char *target = sinks_status(o, &status);
    char v[32];
    kv_row(t, "view", o->source);
    kv_row(t, "target", target);
    kv_row(t, "mode", plan_mode_name(o->sink->mode));
    snprintf(v, sizeof v, "%lld", (long long)st->committed);
    kv_row(t, "committed_epoch", st->committed >= 0 ? v : "");
    snprintf(v, sizeof v, "%lld", (long long)st->view_epoch);
    kv_row(t, "view_epoch", v);
    snprintf(v, sizeof v, "%lld", (long long)st->rows);
    kv_row(t, "rows_written", v);
    snprintf(v, sizeof v, "%lld", (long long)st->transactions);
    kv_row(t, "transactions", v);
    snprintf(v, sizeof v, "%lld", (long long)st->rewrites);
    kv_row(t, "rewrites", v);
    snprintf(v, sizeof v, "%llu", (unsigned long long)o->start_offset);
    kv_row(t, "start_epoch", v);
    kv_row(t, "state", st->state);
}

static void
show_all_row(void *ctx, const char *name, const char *value, const char *desc)
{
    Value row[3] = {tv(name), tv(value), tv(desc)};
    text_row(ctx, row);
}

static int
do_show(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    static const char *const kv_names[] = {"name", "value"};
    static const SlType kv_types[] = {TYPE_TEXT, TYPE_TEXT};
    TextResult t;
    switch (s->show.what) {
    case AST_SHOW_STREAMS:
        return show_objects(cc, CAT_STREAM);
    case AST_SHOW_VIEWS:
        return show_objects(cc, CAT_VIEW);
    case AST_SHOW_SINKS:
        return show_sinks(cc);
    case AST_SHOW_TABLES: {
        /* Tables do not exist yet: an empty, well-formed result. */
        static const char *const n1[] = {"name"};
        static const SlType t1[] = {TYPE_TEXT};
        text_begin(&t, cc, 1, n1, t1);
        text_end(&t, "SHOW");
        return 0;
    }
    case AST_SHOW_QUERIES: {
        static const char *const n2[] = {"name", "query"};
        text_begin(&t, cc, 2, n2, kv_types);
        for (CatObject *o = e->cat->head; o; o = o->next) {
            if (o->kind != CAT_VIEW)
                continue;
            Value row[2] = {tv(o->name), tv(o->sql)};
            text_row(&t, row);
        }
        text_end(&t, "SHOW");
        return 0;
    }
    case AST_SHOW_STATUS: {
        const char *name = str_of(cc->query, s->show.name);
        CatObject *o = cat_lookup(e->cat, name);
        if (!o) {
            err_setf(err, ERR_UNDEFINED_TABLE, s->show.name.pos, "relation \"%s\" does not exist",
                     name);
            return -1;
        }
        text_begin(&t, cc, 2, kv_names, kv_types);
        if (o->kind == CAT_SINK) {
            sink_status(&t, o);
            text_end(&t, "SHOW");
            return 0;
        }
        exec_status(e->x, o, kv_row, &t);
        if (o->kind == CAT_STREAM && o->log) {
            StoreStreamStats ss;
            store_stream_stats(o->log, &ss);
            char v[32];
            static const char *const keys[] = {"log_segments", "log_bytes", "oldest_offset",
                                                "next_offset", "checkpoint_offset"};
            uint64_t vals[] = {ss.segments, ss.bytes, ss.first_offset, ss.next_offset,
                               o->start_offset};
            for (int i = 0; i < 5; i++) {
                snprintf(v, sizeof v, "%llu", (unsigned long long)vals[i]);
                kv_row(&t, keys[i], v);
            }
        }
        text_end(&t, "SHOW");
        return 0;
    }
    case AST_SHOW_ALL: {
        static const char *const n3[] = {"name", "setting", "description"};
        static const SlType t3[] = {TYPE_TEXT, TYPE_TEXT, TYPE_TEXT};
        text_begin(&t, cc, 3, n3, t3);
        sess_foreach(cc->sess, show_all_row, &t);
        text_end(&t, "SHOW");
        return 0;
    }
    case AST_SHOW_PARAM: {
        const char *name = str_of(cc->query, s->show.name);
        const char *display;
        const char *value = sess_get(cc->sess, name, &display);
        if (value) {
            const char *n1[] = {display};
            static const SlType t1[] = {TYPE_TEXT};
            text_begin(&t, cc, 1, n1, t1);
            Value row[1] = {tv(value)};
            text_row(&t, row);
            send_tag(cc, "SHOW");
            return 0;
        }
        CatObject *o = cat_lookup(e->cat, name);
        err_setf(err, ERR_UNDEFINED_OBJECT, s->show.name.pos,
                 "unrecognized configuration parameter \"%s\"", name);
        if (o)
            err_hint(err, "To see the status of %s \"%s\", use SHOW %s STATUS.",
                     cat_kind_name(o->kind), name, name);
        return -1;
    }
    }
    return 0;
}

static int
do_describe(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    const char *name = str_of(cc->query, s->describe.name);
    CatObject *o = cat_lookup(e->cat, name);
    if (!o) {
        err_setf(err, ERR_UNDEFINED_TABLE, s->describe.name.pos, "relation \"%s\" does not exist",
                 name);
        return -1;
    }
    static const char *const names[] = {"column_name", "data_type", "is_key", "extra"};
    static const SlType types[] = {TYPE_TEXT, TYPE_TEXT, TYPE_BOOL, TYPE_TEXT};
    TextResult t;
    text_begin(&t, cc, 4, names, types);
    Buf b;
    buf_init(&b);
    for (int i = 0; i < o->ncols; i++) {
        buf_clear(&b);
        bool key = false;
        if (o->kind == CAT_STREAM) {
            if (i == o->wm_col) {
                buf_puts(&b, "WATERMARK ");
                watermark_text(o, &b);
            }
            if (o->cols[i].not_null)
                buf_printf(&b, "%sNOT NULL", b.len ? ", " : "");
        } else if (o->kind == CAT_SINK) {
            for (int k = 0; k < o->sink->nkey; k++)
                key |= o->sink->key[k] == i;
        } else {
            key = o->plan->is_key[i];
        }
        Value row[4] = {tv(o->cols[i].name), tv(type_name(o->cols[i].type)), val_bool(key),
                        tv(b.data ? b.data : "")};
        text_row(&t, row);
    }
    buf_free(&b);
    text_end(&t, "DESCRIBE");
    return 0;
}

static void
lines_out(TextResult *t, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        Value row[1] = {val_text(p, (uint32_t)n)};
        text_row(t, row);
        p += n + (nl ? 1 : 0);
    }
}

static void
kv_line(void *ctx, const char *key, const char *value)
{
    buf_printf(ctx, "  %s: %s\n", key, value);
}

static int
do_explain(CmdConn *cc, const AstStmt *s, const char *text, SqlError *err)
{
    Engine *e = cc->eng;
    const AstStmt *inner = s->explain.stmt;
    static const char *const names[] = {"QUERY PLAN"};
    static const SlType types[] = {TYPE_TEXT};
    Buf b;
    buf_init(&b);
    if (inner->kind == AST_CREATE_VIEW) {
        CatObject *o = plan_create_view(e->cat, inner, text, err);
        if (!o) {
            if (!err_is_set(err))
                err_setf(err, ERR_DUPLICATE_TABLE, inner->pos, "relation already exists");
            return -1;
        }
        plan_explain_view(o, cat_lookup(e->cat, o->source), &b);
        arena_free(o->arena);
    } else if (inner->kind == AST_SELECT) {
        PlanPull *p = plan_select(e->cat, inner->select, cc->params, cc->query, err);
        if (!p)
            return -1;
        buf_printf(&b, "Pull query over %s%s\n", p->view ? "the result table of view " : "",
                   p->view ? p->view : "no relation (constant)");
        if (p->where) {
            CatObject *v = p->view ? cat_lookup(e->cat, p->view) : NULL;
            const char **cn = NULL;
            if (v) {
                cn = arena_alloc(cc->query, sizeof(char *) * (size_t)(v->ncols + 1));
                for (int i = 0; i < v->ncols; i++)
                    cn[i] = v->cols[i].name;
            }
            buf_puts(&b, "  Filter: ");
            plan_expr_text(p->where, cn, &b);
            buf_putc(&b, '\n');
        }
        if (p->norder)
            buf_puts(&b, "  Sort\n");
        if (p->limit >= 0)
            buf_printf(&b, "  Limit: %lld\n", (long long)p->limit);
        if (p->view) {
            CatObject *v = cat_lookup(e->cat, p->view);
            plan_explain_view(v, cat_lookup(e->cat, v->source), &b);
        }
    } else {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, inner->pos,
                 "EXPLAIN works on SELECT and CREATE VIEW");
        return -1;
    }
    if (s->explain.analyze) {
        PlanPull *p = inner->kind == AST_SELECT
                          ? plan_select(e->cat, inner->select, cc->params, cc->query, err)
                          : NULL;
        if (!p || !p->view) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, inner->pos,
                     "EXPLAIN ANALYZE needs a SELECT from a view: it reports the view's "
                     "run-time counters");
            buf_free(&b);
            return -1;
        }
        buf_puts(&b, "Runtime:\n");
        exec_status(e->x, cat_lookup(e->cat, p->view), kv_line, &b);
        buf_printf(&b, "  checkpoint_age_s: %.1f\n",
                   e->dirty ? (double)(sl_mono_us() - e->last_checkpoint_us) / 1e6 : 0.0);
    }
    TextResult t;
    text_begin(&t, cc, 1, names, types);
    lines_out(&t, b.data ? b.data : "");
    buf_free(&b);
    send_tag(cc, "EXPLAIN");
    return 0;
}

static int
do_refresh(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    Engine *e = cc->eng;
    const char *name = str_of(cc->query, s->refresh.name);
    CatObject *o = cat_lookup(e->cat, name);
    if (!o || o->kind != CAT_VIEW) {
        err_setf(err, o ? ERR_WRONG_OBJECT_TYPE : ERR_UNDEFINED_TABLE, s->refresh.name.pos,
                 o ? "\"%s\" is not a view" : "view \"%s\" does not exist", name);
        return -1;
    }
    if (exec_refresh(e->x, o, err) != 0)
        return -1;
    send_tag(cc, "REFRESH VIEW");
    return 0;
}

/* ------------------------------------------------------------------ dispatch */

/* ------------------------------------------------------------------ session statements */

/* SET name = value: parameters live in server/session.c. */
static int
do_set(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    const char *name = str_of(cc->query, s->set.name);
    const char *value = sess_value_text(s, cc->sql, cc->query);
    int32_t vpos = s->set.value ? s->set.value->pos : s->set.name.pos;
    if (sess_set(cc->sess, name, value, s->set.name.pos, vpos, &cc->conn->out, err) != 0)
        return -1;
    send_tag(cc, "SET");
    return 0;
}

static void ps_close(CmdConn *cc, const char *name);
static void ps_close_all(CmdConn *cc);
static struct PrepStmt *ps_find(CmdConn *cc, const char *name, struct PrepStmt ***link);

/* LISTEN / UNLISTEN (server/notify.c), NOTIFY, RESET, DISCARD, DEALLOCATE,
 * SET TRANSACTION. */
static int
do_session(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    const char *name = s->sess.name.n ? str_of(cc->query, s->sess.name) : NULL;
    switch (s->sess.what) {
    case AST_SESS_LISTEN:
        if (!cc->notify)
            cc->notify = notify_new(cc->eng, cc->conn);
        if (notify_listen(cc->notify, name, s->sess.name.pos, err) != 0)
            return -1;
        send_tag(cc, "LISTEN");
        return 0;
    case AST_SESS_UNLISTEN:
    case AST_SESS_UNLISTEN_ALL:
        if (cc->notify)
            notify_unlisten(cc->notify, name);
        send_tag(cc, "UNLISTEN");
        return 0;
    case AST_SESS_NOTIFY:
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos, "NOTIFY is not supported");
        err_detail(err, "In sluice a channel is a view or a stream: LISTEN v receives each row "
                   "that v emits.");
        err_hint(err, "INSERT into a stream to notify its listeners and those of its views.");
        return -1;
    case AST_SESS_RESET:
    case AST_SESS_RESET_ALL:
        if (sess_reset(cc->sess, name, s->sess.name.pos, &cc->conn->out, err) != 0)
            return -1;
        send_tag(cc, "RESET");
        return 0;
    case AST_SESS_DISCARD:
        if (strcmp(name, "plans") != 0 && strcmp(name, "sequences") != 0 &&
            strcmp(name, "temp") != 0 && strcmp(name, "temporary") != 0) {
            err_setf(err, ERR_SYNTAX_ERROR, s->sess.name.pos, "syntax error at or near \"%s\"",
                     name);
            err_hint(err, "DISCARD takes ALL, PLANS, SEQUENCES or TEMP.");
            return -1;
        }
        send_tag(cc, "DISCARD %s", strcmp(name, "plans") == 0 ? "PLANS"
                                   : strcmp(name, "sequences") == 0 ? "SEQUENCES" : "TEMP");
        return 0;
    case AST_SESS_DISCARD_ALL:
        if (cc->in_block) {
            err_setf(err, ERR_ACTIVE_SQL_TRANSACTION, s->pos,
                     "DISCARD ALL cannot run inside a transaction block");
            return -1;
        }
        sess_reset(cc->sess, NULL, -1, &cc->conn->out, err);
        if (cc->notify)
            notify_unlisten(cc->notify, NULL);
        while (cc->cursors) {
            Cursor *cur = cc->cursors;
            cc->cursors = cur->next;
            cursor_free(cc, cur);
        }
        ps_close_all(cc); /* a running portal keeps its statement alive */
        send_tag(cc, "DISCARD ALL");
        return 0;
    case AST_SESS_DEALLOCATE:
        if (!ps_find(cc, name, NULL)) {
            err_setf(err, ERR_INVALID_SQL_STATEMENT_NAME, s->sess.name.pos,
                     "prepared statement \"%s\" does not exist", name);
            return -1;
        }
        ps_close(cc, name);
        send_tag(cc, "DEALLOCATE");
        return 0;
    case AST_SESS_DEALLOCATE_ALL:
        ps_close_all(cc);
        send_tag(cc, "DEALLOCATE ALL");
        return 0;
    case AST_SESS_SET_TXN:
    case AST_SESS_SET_SESSION_TXN:
        if (sess_check_txn_modes(cc->sess, s->sess.arg.p, s->sess.arg.n, s->sess.arg.pos,
                                 s->sess.what == AST_SESS_SET_SESSION_TXN, &cc->conn->out,
                                 err) != 0)
            return -1;
        send_tag(cc, "SET");
        return 0;
    }
    return 0;
}

/*
 * The command table: each statement kind, its handler, and what it needs.
 *   kind     AST statement kind
 *   name     for logs and errors
 * Handlers return 0 (CommandComplete written) or -1 (err set); COPY and
 * SUBSCRIBE change the connection's mode and are dispatched specially.
 */
static CmdStatus
run_statement(CmdConn *cc, const AstStmt *s, SqlError *err)
{
    const char *text = arena_strndup(cc->query, cc->sql + s->pos, (size_t)(s->end - s->pos));
    int rc = 0;
    if (s->kind != AST_INSERT && s->kind != AST_COPY)
        engine_flush(cc->eng); /* it sees (and logs after) every batch acknowledged before it */
    switch (s->kind) {
    case AST_CREATE_STREAM: rc = do_create_stream(cc, s, text, err); break;
    case AST_CREATE_VIEW: rc = do_create_view(cc, s, text, err); break;
    case AST_CREATE_SINK: rc = do_create_sink(cc, s, text, err); break;
    case AST_DROP: rc = do_drop(cc, s, err); break;
    case AST_INSERT:
        if (do_insert(cc, s, err) == 1)
            return CMD_STREAMING; /* acknowledged by deferred_done */
        break;
    case AST_COPY:
        if (do_copy(cc, s, err) != 0)
            return CMD_DONE;
        return CMD_COPY_IN;
    case AST_SELECT: rc = do_select(cc, s->select, err); break;
    case AST_SUBSCRIBE: return do_subscribe(cc, s, err);
    case AST_COPY_OUT: return do_subscribe(cc, s, err);
    case AST_DECLARE: rc = do_declare(cc, s, err); break;
    case AST_FETCH: return do_fetch(cc, s, err);
    case AST_CLOSE: rc = do_close(cc, s, err); break;
    case AST_SHOW: rc = do_show(cc, s, err); break;
    case AST_DESCRIBE: rc = do_describe(cc, s, err); break;
    case AST_EXPLAIN: rc = do_explain(cc, s, text, err); break;
    case AST_REFRESH: rc = do_refresh(cc, s, err); break;
    case AST_SET: rc = do_set(cc, s, err); break;
    case AST_TRANSACTION:
        if (s->txn_modes.n && sess_check_txn_modes(cc->sess, s->txn_modes.p, s->txn_modes.n,
                                                   s->txn_modes.pos, false, &cc->conn->out,
                                                   err) != 0)
            break;
        send_tag(cc, "%s", s->txn == AST_TXN_BEGIN ? "BEGIN" : s->txn == AST_TXN_COMMIT
                                                                   ? "COMMIT" : "ROLLBACK");
        cc->in_block = s->txn == AST_TXN_BEGIN;
        break;
    case AST_SESSION: rc = do_session(cc, s, err); break;
    }
    (void)rc;
    return CMD_DONE;
}

static void arm_statement_timeout(CmdConn *cc);

/* Runs statements from cc->next until the list ends, one fails, or one
 * switches the connection into COPY or streaming. */
static CmdStatus
run_statements(CmdConn *cc)
{
    cc->failed = false;
    while (cc->next < cc->stmts.n) {
        const AstStmt *s = cc->stmts.items[cc->next++];
        SqlError err;
        err_init(&err, cc->query);
        CmdStatus st = run_statement(cc, s, &err);
        if (err_is_set(&err)) {
            send_error(cc, &err);
            cc->failed = true;
            return CMD_DONE;
        }
        if (st == CMD_STREAMING)
            arm_statement_timeout(cc);
        if (st != CMD_DONE)
            return st;
    }
    return CMD_DONE;
}

/* ------------------------------------------------------------------ catalog queries */

/* Statements that read pg_catalog / information_schema or call catalog
 * functions run in the catalog emulation (server/pgcatalog.h). */
static PgCatalog *
eng_pgcat(Engine *e)
{
    if (!e->pgcat)
        e->pgcat = pgcat_new();
    return e->pgcat;
}

static PgcSession
conn_session(const Conn *c)
{
    return (PgcSession){c->user, c->database, c->pid};
}

static int
run_catalog(CmdConn *cc, const char *sql, size_t n, SqlError *err)
{
    PgcStmt *st = pgcat_prepare(eng_pgcat(cc->eng), cc->eng->cat, sql, n, err);
    if (!st)
        return -1;
    PgcSession sess = conn_session(cc->conn);
    engine_flush(cc->eng);
    int rc = pgcat_exec(cc->eng->pgcat, cc->eng->cat, st, &sess, 0, NULL, true, NULL, 0,
                        &cc->conn->out, err);
    pgcat_stmt_free(st);
    return rc;
}

/* A query string with catalog statements: each statement runs where it
 * belongs, in order, until one fails. (A COPY or SUBSCRIBE among them ends
 * the string: what follows it is not run.) */
static CmdStatus
run_mixed(CmdConn *cc, const char *text, size_t n)
{
    size_t pos = 0, start, len;
    bool any = false;
    while (pgcat_split(text, n, &pos, &start, &len)) {
        any = true;
        const char *piece = text + start;
        SqlError err;
        err_init(&err, cc->query);
        if (pgcat_is_catalog_query(cc->eng->cat, piece, len)) {
            if (run_catalog(cc, piece, len, &err) != 0) {
                send_error(cc, &err);
                return CMD_DONE;
            }
            continue;
        }
        cc->sql = arena_strndup(cc->query, piece, len);
        cc->next = 0;
        cc->stmts.n = 0;
        if (parse_sql(cc->query, cc->sql, len, &cc->stmts, &err) != 0) {
            SqlError cerr;
            err_init(&cerr, cc->query);
            if (pgcat_looks_like_select(piece, len) && run_catalog(cc, piece, len, &cerr) == 0)
                continue;
            send_error(cc, &err);
            return CMD_DONE;
        }
        CmdStatus st = run_statements(cc);
        if (st != CMD_DONE || cc->failed)
            return st;
    }
    if (!any)
        pgw_put_empty_query(&cc->conn->out);
    return CMD_DONE;
}

CmdStatus
cmd_query(Engine *e, Conn *c, const char *sql, size_t n)
{
    CmdConn *cc = cmd_state(e, c);
    arena_reset(cc->query);
    cc->sql = arena_strndup(cc->query, sql, n);
    cc->next = 0;
    cc->stmts.n = 0;
    SqlError err;
    err_init(&err, cc->query);
    if (pgcat_wants(cc->sql, n)) /* each statement is routed in run_mixed */
        return run_mixed(cc, cc->sql, n);
    if (parse_sql(cc->query, cc->sql, n, &cc->stmts, &err) != 0) {
        size_t pos = 0, start, len;
        if (pgcat_looks_like_select(cc->sql, n) && pgcat_split(cc->sql, n, &pos, &start, &len) &&
            !pgcat_split(cc->sql, n, &pos, &start, &len)) {
            /* one statement: perhaps a SELECT the catalog emulation answers */
            SqlError cerr;
            err_init(&cerr, cc->query);
            if (run_catalog(cc, cc->sql, n, &cerr) == 0)
                return CMD_DONE;
        }
        send_error(cc, &err);
        return CMD_DONE;
    }
    if (cc->stmts.n == 0) {
        pgw_put_empty_query(&c->out);
        return CMD_DONE;
    }
    return run_statements(cc);
}

CmdStatus
cmd_copy_data(Engine *e, Conn *c, const char *data, size_t n)
{
    CmdConn *cc = cmd_state(e, c);
    if (!cc->copy || err_is_set(&cc->copy_err))
        return CMD_COPY_IN; /* after an error: ignore data until CopyDone / CopyFail */
    if (copy_in_data(cc->copy, data, n, &cc->copy_err) != 0)
        return CMD_COPY_IN;
    if (copy_in_buffered_bytes(cc->copy) > COPY_ATOMIC_BYTES) {
        int nrows;
        copy_in_rows(cc->copy, &nrows);
        if (copy_flush(cc, &cc->copy_err) == 0)
            cc->copy_ingested += nrows;
    }
    return CMD_COPY_IN;
}

CmdStatus
cmd_copy_done(Engine *e, Conn *c)
{
    CmdConn *cc = cmd_state(e, c);
    if (!cc->copy)
        return CMD_DONE;
    if (!err_is_set(&cc->copy_err) && copy_in_finish(cc->copy, &cc->copy_err) == 0) {
        int nrows;
        const Value *rows = copy_in_rows(cc->copy, &nrows);
        if (defer_ack(cc) && nrows > 0) {
            int rc = defer_batch(cc, "COPY", cc->copy_plan.stream, rows, nrows,
                                 cc->copy_rows + nrows, cc->copy_late, cc->copy_null_time,
                                 &cc->copy_err);
            if (rc == 1) {
                copy_end(cc);
                return CMD_STREAMING; /* acknowledged by deferred_done */
            }
        } else {
            copy_flush(cc, &cc->copy_err);
        }
    }
    if (err_is_set(&cc->copy_err)) {
        if (cc->copy_ingested)
            err_hint(&cc->copy_err,
                     "%lld rows of this COPY were already ingested: a COPY larger than %zu MiB "
                     "is applied in parts.", (long long)cc->copy_ingested,
                     COPY_ATOMIC_BYTES >> 20);
        send_error(cc, &cc->copy_err);
        copy_end(cc);
        return CMD_DONE;
    }
    dropped_notice(cc, cc->copy_plan.stream, cc->copy_late, cc->copy_null_time);
    send_tag(cc, "COPY %lld", (long long)cc->copy_rows);
    copy_end(cc);
    return run_statements(cc);
}

CmdStatus
cmd_copy_fail(Engine *e, Conn *c, const char *msg)
{
    CmdConn *cc = cmd_state(e, c);
    SqlError err;
    err_init(&err, cc->query);
    err_setf(&err, ERR_QUERY_CANCELED, -1, "COPY from stdin failed: %s", msg);
    if (cc->copy_ingested)
        err_hint(&err, "%lld rows of this COPY were already ingested.",
                 (long long)cc->copy_ingested);
    send_error(cc, &err);
    if (cc->copy)
        copy_end(cc);
    return CMD_DONE;
}

/* Ends the running SUBSCRIBE / COPY TO STDOUT / waiting FETCH with 57014. */
static void
cancel_streaming(Engine *e, Conn *c, const char *why)
{
    CmdConn *cc = c->cmd;
    if (cc && cc->stmt_timer) {
        loop_del_timer(c->srv->loop, cc->stmt_timer);
        cc->stmt_timer = 0;
    }
    if (cc && cc->fetch_wait) { /* a waiting FETCH: the cursor stays, with its rows */
        cc->fetch_wait = NULL;
        if (cc->fetch_timer)
            loop_del_timer(c->srv->loop, cc->fetch_timer);
        cc->fetch_timer = 0;
    } else if (!cc || !cc->sub) {
        return;
    } else {
        exec_unsubscribe(e->x, cc->sub);
    }
    SqlError err;
    err_init(&err, NULL);
    err_setf(&err, ERR_QUERY_CANCELED, -1, "canceling statement due to %s", why);
    pgw_put_error(&c->out, &err, NULL);
    err_clear(&err);
    c->ext_failed = true;
    if (cc->sub)
        sub_release(cc);
    conn_query_finished(c);
}

void
cmd_cancel(Engine *e, Conn *c)
{
    cancel_streaming(e, c, "user request");
}

static void
stmt_timeout_fired(Loop *loop, int64_t id, void *ctx)
{
    (void)loop;
    (void)id;
    CmdConn *cc = ctx;
    cc->stmt_timer = 0;
    if (cc->sub || cc->fetch_wait)
        cancel_streaming(cc->eng, cc->conn, "statement timeout");
}

/* statement_timeout (SET statement_timeout = '5s') for a statement that
 * streams: SUBSCRIBE, COPY (SUBSCRIBE ...) TO STDOUT, a waiting FETCH. The
 * others finish within the call that runs them. */
static void
arm_statement_timeout(CmdConn *cc)
{
    if (cc->stmt_timer) {
        loop_del_timer(cc->conn->srv->loop, cc->stmt_timer);
        cc->stmt_timer = 0;
    }
    if (!cc->sub && !cc->fetch_wait)
        return;
    int64_t ms = cc->sess ? sess_duration_ms(cc->sess, "statement_timeout") : 0;
    if (ms > 0)
        cc->stmt_timer = loop_add_timer(cc->conn->srv->loop, ms, false, stmt_timeout_fired, cc);
}

void
cmd_conn_closed(Engine *e, Conn *c)
{
    CmdConn *cc = c->cmd;
    if (!cc)
        return;
    if (cc->sub) {
        exec_unsubscribe(e->x, cc->sub);
        sub_release(cc);
    }
    if (cc->copy)
        copy_end(cc);
    cc->fetch_wait = NULL;
    if (cc->fetch_timer)
        loop_del_timer(c->srv->loop, cc->fetch_timer);
    if (cc->stmt_timer)
        loop_del_timer(c->srv->loop, cc->stmt_timer);
    cc->stmt_timer = 0;
    while (cc->cursors) {
        Cursor *cur = cc->cursors;
        cc->cursors = cur->next;
        cursor_free(cc, cur);
    }
    if (cc->pending)
        cc->pending->ctx = NULL; /* still durable and applied; nobody to tell */
    notify_free(cc->notify);
    sess_free(cc->sess);
    ext_free_all(cc);
    arena_free(cc->query);
    free(cc);
    c->cmd = NULL;
}

char
cmd_txn_status(const Conn *c)
{
    const CmdConn *cc = c->cmd;
    return cc && cc->in_block ? 'T' : 'I';
}

int64_t
cmd_tick(Engine *e, int64_t now_mono_us)
{
    engine_flush(e); /* the group commit of this round of the loop */
    int64_t next = exec_tick(e->x, now_mono_us);
    sinks_poll(e->sinks); /* after the views fired: new epochs to deliver */
    if (e->checkpoint_interval_us > 0) {
        int64_t due = e->last_checkpoint_us + e->checkpoint_interval_us;
        if (e->dirty && now_mono_us >= due) {
            SqlError err;
            err_init(&err, NULL);
            if (engine_checkpoint(e, &err) != 0)
                fprintf(stderr, "sluiced: checkpoint failed: %s\n", err.message);
            err_clear(&err);
            due = now_mono_us + e->checkpoint_interval_us;
        }
        if (e->dirty && (next < 0 || due < next))
            next = due;
    }
    return next;
}

/* ------------------------------------------------------------------ extended query protocol */

/*
 * Prepared statements and portals (PostgreSQL's model). Parse parses one
 * statement and plans it once to learn the parameter types (a $n takes its
 * type from the Parse message's OID or, like an untyped literal, from its
 * context) and the result columns. Bind decodes the values into a portal.
 * A portal runs when it is first described or executed: the statement is
 * planned again with the values bound as typed constants (CmdConn.params),
 * never spliced into SQL text, and its messages are captured into the
 * portal's buffer, which Execute hands out max_rows DataRows at a time.
 * SUBSCRIBE does not capture: it streams until it ends or is cancelled.
 * Named statements live until Close or disconnect; portals until Close or Sync.
 */

typedef enum DescKind {
    DESC_NODATA,   /* no rows: INSERT, DDL, SET, BEGIN ... */
    DESC_COLUMNS,  /* columns known from planning: SELECT, SUBSCRIBE */
    DESC_RUN       /* known by running it (side-effect free): SHOW, DESCRIBE, EXPLAIN */
} DescKind;

typedef struct PrepStmt {
    struct PrepStmt *next;
    char *name;
    Arena *arena;           /* query text, AST, types */
    const char *sql;
    AstStmt *stmt;          /* NULL for an empty query */
    int nparams;
    SlType *ptypes;
    uint32_t *poids;        /* as declared by Parse (0 if not): binary widths */
    int npoids;
    DescKind desc;
    int ncols;
    const char **names;
    SlType *types;
    int refs;               /* portals using it; freed when closed and unused */
    bool closed;
    PgcStmt *pgc;           /* a catalog query (server/pgcatalog.h) instead of stmt */
} PrepStmt;

typedef struct Portal {
    struct Portal *next;
    char *name;
    PrepStmt *ps;
    Arena *arena;           /* values, formats */
    Value *values;
    int16_t *rfmt;
    int nrfmt;
    bool ran;               /* result captured */
    bool failed;            /* the capture ends with an ErrorResponse */
    bool finished;          /* CommandComplete handed out */
    bool suspended;         /* an Execute stopped at its row limit */
    Buf result;             /* captured messages */
    size_t cursor;          /* next message of result to hand out */
} Portal;

static bool
uses_params(const AstStmt *s)
{
    return s->kind == AST_SELECT || s->kind == AST_INSERT || s->kind == AST_SUBSCRIBE ||
           s->kind == AST_EXPLAIN;
}

static void
ps_unref(PrepStmt *ps)
{
    if (--ps->refs > 0 || !ps->closed)
        return;
    pgcat_stmt_free(ps->pgc);
    arena_free(ps->arena);
    free(ps->name);
    free(ps);
}

static PrepStmt *
ps_find(CmdConn *cc, const char *name, PrepStmt ***link)
{
    for (PrepStmt **pp = &cc->prepared; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            if (link)
                *link = pp;
            return *pp;
        }
    return NULL;
}

static void
ps_close(CmdConn *cc, const char *name)
{
    PrepStmt **link;
    PrepStmt *ps = ps_find(cc, name, &link);
    if (!ps)
        return;
    *link = ps->next;
    ps->closed = true;
    ps->refs++;
    ps_unref(ps);
}

static Portal *
portal_find(CmdConn *cc, const char *name, Portal ***link)
{
    for (Portal **pp = &cc->portals; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            if (link)
                *link = pp;
            return *pp;
        }
    return NULL;
}

static void
portal_close(CmdConn *cc, const char *name)
{
    Portal **link;
    Portal *p = portal_find(cc, name, &link);
    if (!p)
        return;
    *link = p->next;
    ps_unref(p->ps);
    buf_free(&p->result);
    arena_free(p->arena);
    free(p->name);
    free(p);
}

static void
ps_close_all(CmdConn *cc)
{
    while (cc->prepared)
        ps_close(cc, cc->prepared->name);
}

static void
ext_free_all(CmdConn *cc)
{
    while (cc->portals)
        portal_close(cc, cc->portals->name);
    ps_close_all(cc);
}

static int
ext_error(CmdConn *cc, SqlError *err, const char *sql)
{
    pgw_put_error(&cc->conn->out, err, sql);
    err_clear(err);
    return -1;
}

/* The columns of a SUBSCRIBE: _epoch, _op, then the view's. */
static int
subscribe_columns(CmdConn *cc, const AstStmt *s, Arena *a, PrepStmt *ps, SqlError *err)
{
    PlanSubscribe *p = plan_subscribe(cc->eng->cat, s, cc->params, a, err);
    if (!p)
        return -1;
    CatObject *o = cat_lookup(cc->eng->cat, p->view);
    ps->ncols = o->ncols + 2;
    ps->names = arena_alloc(ps->arena, sizeof(char *) * (size_t)ps->ncols);
    ps->types = arena_alloc(ps->arena, sizeof(SlType) * (size_t)ps->ncols);
    ps->names[0] = "_epoch";
    ps->types[0] = TYPE_BIGINT;
    ps->names[1] = "_op";
    ps->types[1] = TYPE_TEXT;
    for (int i = 0; i < o->ncols; i++) {
        ps->names[i + 2] = arena_strdup(ps->arena, o->cols[i].name);
        ps->types[i + 2] = o->cols[i].type;
    }
    return 0;
}

/* Plans ps once with its parameters untyped or declared: settles their types
 * and learns the result columns. */
static int
ps_analyze(CmdConn *cc, PrepStmt *ps, SqlError *err)
{
    const AstStmt *s = ps->stmt;
    Arena *tmp = arena_new(8192);
    PlanParams pp = {.a = ps->arena, .ntypes = ps->nparams, .types = ps->ptypes};
    cc->params = uses_params(s) ? &pp : NULL;
    int rc = 0;
    engine_flush(cc->eng);
    switch (s->kind) {
    case AST_SELECT: {
        PlanPull *p = plan_select(cc->eng->cat, s->select, cc->params, tmp, err);
        if (!p) {
            rc = -1;
            break;
        }
        ps->desc = DESC_COLUMNS;
        ps->ncols = p->ncols;
        ps->names = arena_alloc(ps->arena, sizeof(char *) * (size_t)(p->ncols + 1));
        ps->types = arena_alloc(ps->arena, sizeof(SlType) * (size_t)(p->ncols + 1));
        for (int i = 0; i < p->ncols; i++) {
            ps->names[i] = arena_strdup(ps->arena, p->names[i]);
            ps->types[i] = p->types[i];
        }
        break;
    }
    case AST_INSERT: {
        PlanInsert pi;
        rc = plan_insert(cc->eng->cat, s, cc->params, tmp, &pi, err);
        break;
    }
    case AST_SUBSCRIBE:
        ps->desc = DESC_COLUMNS;
        rc = subscribe_columns(cc, s, tmp, ps, err);
        break;
    case AST_SHOW: case AST_DESCRIBE: case AST_EXPLAIN:
        ps->desc = DESC_RUN;
        break;
    case AST_FETCH: {
        const char *name = str_of(tmp, s->fetch.name);
        Cursor *cur = cursor_find(cc, name, NULL);
        if (!cur) {
            err_setf(err, ERR_INVALID_CURSOR_NAME, s->fetch.name.pos,
                     "cursor \"%s\" does not exist", name);
            rc = -1;
            break;
        }
        ps->desc = DESC_COLUMNS;
        ps->ncols = cur->ncols;
        ps->names = arena_alloc(ps->arena, sizeof(char *) * (size_t)cur->ncols);
        ps->types = arena_alloc(ps->arena, sizeof(SlType) * (size_t)cur->ncols);
        for (int i = 0; i < cur->ncols; i++) {
            ps->names[i] = arena_strdup(ps->arena, cur->names[i]);
            ps->types[i] = cur->types[i];
        }
        break;
    }
    case AST_COPY: case AST_COPY_OUT:
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos,
                 "COPY is not supported in the extended query protocol");
        rc = -1;
        break;
    default:
        break;
    }
    cc->params = NULL;
    arena_free(tmp);
    if (rc != 0)
        return -1;
    ps->nparams = pp.ntypes;
    ps->ptypes = pp.types;
    if (ps->nparams > 0) {
        uint32_t *o = ARENA_ARRAY(ps->arena, uint32_t, ps->nparams);
        memcpy(o, ps->poids, sizeof(uint32_t) * (size_t)SL_MIN(ps->nparams, ps->npoids));
        ps->poids = o;
    }
    for (int i = 0; i < ps->nparams; i++)
        if (ps->ptypes[i] == TYPE_UNKNOWN) {
            err_setf(err, ERR_INDETERMINATE_DATATYPE, -1,
                     "could not determine data type of parameter $%d", i + 1);
            return -1;
        }
    return 0;
}

/* Parse of a catalog query: prepared in the catalog emulation, its
 * parameters text unless declared. If that fails, the error reported is
 * sluice's own (perr) when there is one. */
static int
parse_catalog(CmdConn *cc, PrepStmt *ps, const char *name, const uint32_t *oids, SqlError *perr)
{
    SqlError err;
    err_init(&err, ps->arena);
    ps->pgc = pgcat_prepare(eng_pgcat(cc->eng), cc->eng->cat, ps->sql, strlen(ps->sql), &err);
    if (!ps->pgc) {
        int rc = ext_error(cc, perr ? perr : &err, ps->sql);
        ps->closed = true;
        ps->refs = 1;
        ps_unref(ps);
        return rc;
    }
    int np = SL_MAX(pgcat_nparams(ps->pgc), ps->npoids);
    uint32_t *o = ARENA_ARRAY(ps->arena, uint32_t, np + 1);
    SlType *t = ARENA_ARRAY(ps->arena, SlType, np + 1);
    for (int i = 0; i < np; i++) {
        o[i] = pgcat_param_oid(ps->pgc, i, oids, ps->npoids);
        t[i] = TYPE_TEXT;
    }
    ps->nparams = ps->npoids = np;
    ps->poids = o;
    ps->ptypes = t;
    if (!*name)
        ps_close(cc, "");
    ps->next = cc->prepared;
    cc->prepared = ps;
    pgw_put_empty_message(&cc->conn->out, '1');
    return 0;
}

int
cmd_parse(Engine *e, Conn *c, const char *name, const char *query, int noids,
          const uint32_t *oids)
{
    CmdConn *cc = cmd_state(e, c);
    SqlError err;
    err_init(&err, NULL);
    if (*name && ps_find(cc, name, NULL)) {
        err_setf(&err, ERR_DUPLICATE_PSTATEMENT, -1, "prepared statement \"%s\" already exists",
                 name);
        return ext_error(cc, &err, NULL);
    }
    PrepStmt *ps = sl_calloc(1, sizeof *ps);
    ps->name = sl_strdup(name);
    ps->arena = arena_new(8192);
    ps->sql = arena_strdup(ps->arena, query);
    ps->nparams = noids;
    ps->npoids = noids;
    ps->ptypes = ARENA_ARRAY(ps->arena, SlType, noids + 1);
    ps->poids = ARENA_ARRAY(ps->arena, uint32_t, noids + 1);
    err_init(&err, ps->arena);
    if (pgcat_is_catalog_query(cc->eng->cat, query, strlen(query)))
        return parse_catalog(cc, ps, name, oids, NULL);
    for (int i = 0; i < noids; i++) {
        ps->poids[i] = oids[i];
        if (pgw_type_from_oid(oids[i], &ps->ptypes[i]) != 0 && !err_is_set(&err))
            err_setf(&err, ERR_FEATURE_NOT_SUPPORTED, -1,
                     "parameter $%d has type OID %u, which sluice does not support", i + 1,
                     oids[i]);
    }
    AstStmtList stmts = {0};
    if (!err_is_set(&err) && parse_sql(ps->arena, ps->sql, strlen(ps->sql), &stmts, &err) != 0 &&
        pgcat_looks_like_select(ps->sql, strlen(ps->sql)))
        return parse_catalog(cc, ps, name, oids, &err);
    if (!err_is_set(&err)) {
        if (stmts.n > 1)
            err_setf(&err, ERR_SYNTAX_ERROR, stmts.items[1]->pos,
                     "cannot insert multiple commands into a prepared statement");
        else if (stmts.n == 1) {
            ps->stmt = stmts.items[0];
            ps_analyze(cc, ps, &err);
        }
    }
    if (err_is_set(&err)) {
        int rc = ext_error(cc, &err, ps->sql);
        ps->closed = true;
        ps->refs = 1;
        ps_unref(ps);
        return rc;
    }
    if (!*name)
        ps_close(cc, "");
    ps->next = cc->prepared;
    cc->prepared = ps;
    pgw_put_empty_message(&c->out, '1');
    return 0;
}

int
cmd_bind(Engine *e, Conn *c, const PgwBind *b)
{
    CmdConn *cc = cmd_state(e, c);
    SqlError err;
    err_init(&err, NULL);
    PrepStmt *ps = ps_find(cc, b->stmt, NULL);
    if (!ps) {
        err_setf(&err, ERR_INVALID_SQL_STATEMENT_NAME, -1,
                 "prepared statement \"%s\" does not exist", b->stmt);
        return ext_error(cc, &err, NULL);
    }
    if (b->nparams != ps->nparams) {
        err_setf(&err, ERR_PROTOCOL_VIOLATION, -1,
                 "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
                 b->nparams, b->stmt, ps->nparams);
        return ext_error(cc, &err, NULL);
    }
    if (*b->portal && portal_find(cc, b->portal, NULL)) {
        err_setf(&err, ERR_DUPLICATE_CURSOR, -1, "portal \"%s\" already exists", b->portal);
        return ext_error(cc, &err, NULL);
    }
    Portal *p = sl_calloc(1, sizeof *p);
    p->name = sl_strdup(b->portal);
    p->arena = arena_new(4096);
    p->ps = ps;
    ps->refs++;
    buf_init(&p->result);
    err_init(&err, p->arena);
    p->values = ARENA_ARRAY(p->arena, Value, ps->nparams + 1);
    for (int i = 0; i < ps->nparams && !err_is_set(&err); i++) {
        SlType t = ps->ptypes[i];
        if (b->lens[i] < 0) {
            p->values[i] = val_null(t);
        } else if (ps->pgc) { /* catalog query: every parameter as text */
            Buf tb;
            buf_init(&tb);
            if (pgw_format_of(b->param_formats, b->nparam_formats, i) == 1)
                pgcat_param_text(ps->poids[i], b->values[i], (size_t)b->lens[i], &tb, &err);
            else
                buf_append(&tb, b->values[i], (size_t)b->lens[i]);
            char *txt = arena_strndup(p->arena, tb.data ? tb.data : "", tb.len);
            p->values[i] = val_text(txt, (uint32_t)tb.len);
            buf_free(&tb);
        } else if (pgw_format_of(b->param_formats, b->nparam_formats, i) == 1) {
            pgw_decode_binary(t, ps->poids[i], b->values[i], (size_t)b->lens[i], p->arena,
                              &p->values[i], &err);
        } else {
            char *txt = arena_alloc(p->arena, (size_t)b->lens[i] + 1);
            memcpy(txt, b->values[i], (size_t)b->lens[i]);
            txt[b->lens[i]] = 0;
            if (t == TYPE_TEXT)
                p->values[i] = val_text(txt, (uint32_t)b->lens[i]);
            else
                val_parse(t, txt, (size_t)b->lens[i], p->arena, &p->values[i], &err);
        }
        if (err_is_set(&err) && err.position < 0)
            err_detail(&err, "while decoding parameter $%d", i + 1);
    }
    p->nrfmt = b->nresult_formats;
    p->rfmt = ARENA_ARRAY(p->arena, int16_t, b->nresult_formats + 1);
    memcpy(p->rfmt, b->result_formats, sizeof(int16_t) * (size_t)b->nresult_formats);
    if (err_is_set(&err)) {
        pgw_put_error(&c->out, &err, NULL);
        ps_unref(ps);
        buf_free(&p->result);
        arena_free(p->arena);
        free(p->name);
        free(p);
        return -1;
    }
    if (!*b->portal)
        portal_close(cc, "");
    p->next = cc->portals;
    cc->portals = p;
    pgw_put_empty_message(&c->out, '2');
    return 0;
}

/* Runs the portal's statement with its values bound, capturing every message
 * it writes into p->result (or, for SUBSCRIBE, streaming into conn->out). */
static CmdStatus
portal_run(CmdConn *cc, Portal *p)
{
    PrepStmt *ps = p->ps;
    arena_reset(cc->query);
    if (ps->pgc) {
        const char **vals = arena_alloc(cc->query, sizeof(char *) * (size_t)(ps->nparams + 1));
        for (int i = 0; i < ps->nparams; i++)
            vals[i] = p->values[i].isnull ? NULL : p->values[i].s;
        SqlError err;
        err_init(&err, cc->query);
        PgcSession sess = conn_session(cc->conn);
        engine_flush(cc->eng);
        if (pgcat_exec(cc->eng->pgcat, cc->eng->cat, ps->pgc, &sess, ps->nparams, vals, true,
                       p->rfmt, p->nrfmt, &p->result, &err) != 0) {
            pgw_put_error(&p->result, &err, NULL);
            p->failed = true;
            cc->conn->ext_failed = true;
        }
        p->ran = true;
        return CMD_DONE;
    }
    cc->sql = ps->sql;
    cc->stmts.items = &ps->stmt;
    cc->stmts.n = 1;
    cc->next = 1;
    cc->ext = true;
    cc->rfmt = p->rfmt;
    cc->nrfmt = p->nrfmt;
    PlanParams pp = {.a = cc->query, .ntypes = ps->nparams, .types = ps->ptypes,
                     .values = p->values};
    cc->params = uses_params(ps->stmt) ? &pp : NULL;
    SqlError err;
    err_init(&err, cc->query);
    CmdStatus st;
    if (ps->stmt->kind == AST_SUBSCRIBE) {
        st = run_statement(cc, ps->stmt, &err);
        if (err_is_set(&err))
            send_error(cc, &err);
        else if (st == CMD_STREAMING)
            arm_statement_timeout(cc);
    } else {
        Buf saved = cc->conn->out;
        cc->conn->out = p->result;
        st = run_statement(cc, ps->stmt, &err);
        if (err_is_set(&err)) {
            send_error(cc, &err);
            p->failed = true;
        }
        p->result = cc->conn->out;
        cc->conn->out = saved;
        p->ran = true;
    }
    cc->params = NULL;
    cc->ext = false;
    cc->rfmt = NULL;
    cc->nrfmt = 0;
    if (err_is_set(&err) && st == CMD_STREAMING)
        st = CMD_DONE;
    if (err_is_set(&err))
        cc->conn->ext_failed = true;
    return st;
}

/* The message at off of a captured buffer: type and total size. */
static char
msg_at(const Buf *b, size_t off, size_t *size)
{
    const unsigned char *p = (const unsigned char *)b->data + off;
    uint32_t len = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
    *size = 1 + (size_t)len;
    return (char)p[0];
}

/* Appends the captured RowDescription of p, or NoData. */
static void
put_captured_desc(Conn *c, const Portal *p)
{
    for (size_t off = 0; off < p->result.len;) {
        size_t sz;
        char t = msg_at(&p->result, off, &sz);
        if (t == 'T') {
            buf_append(&c->out, p->result.data + off, sz);
            return;
        }
        if (t == 'D' || t == 'C')
            break;
        off += sz;
    }
    pgw_put_empty_message(&c->out, 'n');
}

int
cmd_describe(Engine *e, Conn *c, char kind, const char *name)
{
    CmdConn *cc = cmd_state(e, c);
    SqlError err;
    err_init(&err, NULL);
    PrepStmt *ps;
    Portal *p = NULL;
    size_t desc_off = c->out.len;
    if (kind == 'S') {
        ps = ps_find(cc, name, NULL);
        if (!ps) {
            err_setf(&err, ERR_INVALID_SQL_STATEMENT_NAME, -1,
                     "prepared statement \"%s\" does not exist", name);
            return ext_error(cc, &err, NULL);
        }
        pgw_put_parameter_description(&c->out, ps->nparams, ps->ptypes);
        bool declared = ps->pgc != NULL;
        for (int i = 0; i < ps->nparams && i < ps->npoids; i++)
            declared |= ps->poids[i] != 0;
        if (declared) { /* as PostgreSQL: a type the client declared is echoed as declared */
            c->out.len = desc_off;
            size_t off = pgw_begin_message(&c->out, 't');
            buf_put_u16be(&c->out, (uint16_t)ps->nparams);
            for (int i = 0; i < ps->nparams; i++)
                buf_put_u32be(&c->out, i < ps->npoids && ps->poids[i] ? ps->poids[i]
                                                                      : type_pg_oid(ps->ptypes[i]));
            pgw_end_message(&c->out, off);
        }
    } else {
        p = portal_find(cc, name, NULL);
        if (!p) {
            err_setf(&err, ERR_INVALID_CURSOR_NAME, -1, "portal \"%s\" does not exist", name);
            return ext_error(cc, &err, NULL);
        }
        ps = p->ps;
    }
    if (ps->pgc) {
        pgcat_describe(ps->pgc, &c->out, p ? p->rfmt : NULL, p ? p->nrfmt : 0);
        return 0;
    }
    if (!ps->stmt || ps->desc == DESC_NODATA) {
        pgw_put_empty_message(&c->out, 'n');
        return 0;
    }
    if (ps->desc == DESC_COLUMNS && (!p || ps->stmt->kind == AST_SUBSCRIBE)) {
        pgw_put_row_description_fmt(&c->out, ps->ncols, ps->names, ps->types,
                                    p ? p->rfmt : NULL, p ? p->nrfmt : 0);
        return 0;
    }
    /* Run it (a pull query or SHOW/DESCRIBE/EXPLAIN: no side effects) and
     * describe what it wrote. A statement is run through a scratch portal. */
    Portal scratch = {.ps = ps};
    if (!p) {
        p = &scratch;
        buf_init(&p->result);
        p->values = NULL;
    }
    if (!p->ran)
        portal_run(cc, p);
    c->ext_failed = false;
    int rc = 0;
    if (p->failed) {
        /* the error is the last message of the capture */
        size_t off = 0, sz = 0;
        char t = 0;
        while (off < p->result.len) {
            t = msg_at(&p->result, off, &sz);
            if (t == 'E')
                break;
            off += sz;
        }
        buf_append(&c->out, p->result.data + off, p->result.len - off);
        p->cursor = p->result.len;
        p->finished = true;
        rc = -1;
    } else {
        put_captured_desc(c, p);
    }
    if (p == &scratch)
        buf_free(&scratch.result);
    return rc;
}

int
cmd_close(Engine *e, Conn *c, char kind, const char *name)
{
    CmdConn *cc = cmd_state(e, c);
    if (kind == 'S')
        ps_close(cc, name);
    else
        portal_close(cc, name);
    pgw_put_empty_message(&c->out, '3');
    return 0;
}

int
cmd_execute(Engine *e, Conn *c, const char *name, int64_t max_rows)
{
    CmdConn *cc = cmd_state(e, c);
    Portal *p = portal_find(cc, name, NULL);
    if (!p) {
        SqlError err;
        err_init(&err, NULL);
        err_setf(&err, ERR_INVALID_CURSOR_NAME, -1, "portal \"%s\" does not exist", name);
        return ext_error(cc, &err, NULL);
    }
    if (!p->ps->stmt && !p->ps->pgc) {
        pgw_put_empty_query(&c->out);
        return 0;
    }
    c->ext_failed = false;
    if (!p->ran) {
        if (p->ps->stmt && p->ps->stmt->kind == AST_SUBSCRIBE) {
            if (p->finished) {
                send_tag(cc, "SUBSCRIBE 0");
                return 0;
            }
            p->finished = true;
            CmdStatus st = portal_run(cc, p);
            if (st == CMD_STREAMING)
                return 1;
            return c->ext_failed ? -1 : 0;
        }
        portal_run(cc, p);
    }
    if (p->finished && p->cursor >= p->result.len) {
        send_tag(cc, "SELECT 0");
        return 0;
    }
    int64_t rows = 0;
    while (p->cursor < p->result.len) {
        size_t sz;
        char t = msg_at(&p->result, p->cursor, &sz);
        if (t == 'D') {
            if (max_rows > 0 && rows == max_rows) {
                pgw_put_empty_message(&c->out, 's');
                p->suspended = true;
                return 0;
            }
            rows++;
        }
        if (t == 'C' && p->suspended && strncmp(p->result.data + p->cursor + 5, "SELECT ", 7) == 0)
            send_tag(cc, "SELECT %lld", (long long)rows); /* the rows of this Execute */
        else if (t != 'T')
            buf_append(&c->out, p->result.data + p->cursor, sz);
        p->cursor += sz;
    }
    p->finished = true;
    return p->failed ? -1 : 0;
}

void
cmd_sync(Engine *e, Conn *c)
{
    CmdConn *cc = c->cmd;
    (void)e;
    if (!cc)
        return;
    while (cc->portals) /* the implicit transaction ends: its portals go */
        portal_close(cc, cc->portals->name);
}
