/*
 * server/durable.c — the Engine's durability: recovery at start-up, catalog
 * snapshots on DDL, and the log-then-process ingest path (DESIGN §4).
 *
 * INTERFACE (engine_int.h)
 *   engine_recover, engine_save_catalog, engine_open_stream_log,
 *   engine_drop_stream_log, engine_ingest
 *
 * Why replay gives the same results: a batch is logged as one record before
 * any view sees it, and replay feeds the same records in the same order, so
 * lateness, windows and epochs (of views firing after each batch) come out
 * the same. Views join their stream at the offset they were created at.
 */
#include "server/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/util.h"
#include "parser/parser.h"
#include "planner/planner.h"
#include "storage/fsutil.h"
#include "storage/log.h"

static SlType *
column_types(const CatObject *o, Arena *a)
{
    SlType *t = arena_alloc(a, sizeof(SlType) * (size_t)(o->ncols + 1));
    for (int i = 0; i < o->ncols; i++)
        t[i] = o->cols[i].type;
    return t;
}

int
engine_save_catalog(Engine *e, CatObject *const *skip, int nskip, SqlError *err)
{
    int n = 0;
    for (CatObject *o = e->cat->head; o; o = o->next)
        n++;
    StoreObject *objs = sl_calloc((size_t)n + 1, sizeof(StoreObject));
    int k = 0;
    for (CatObject *o = e->cat->head; o; o = o->next) {
        bool skipped = false;
        for (int i = 0; i < nskip; i++)
            skipped |= skip[i] == o;
        if (skipped)
            continue;
        objs[k].kind = o->kind == CAT_STREAM ? STORE_STREAM : STORE_VIEW;
        objs[k].name = o->name;
        objs[k].sql = o->sql;
        objs[k].start_offset = o->start_offset;
        k++;
    }
    int rc = store_save_catalog(e->store, objs, k, err);
    free(objs);
    return rc;
}

int
engine_open_stream_log(Engine *e, CatObject *o, SqlError *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/streams/%s", e->data_dir, o->name);
    if (fs_remove_tree(path, err) != 0)
        return -1;
    LogRecovery rep;
    o->log = store_stream_open(e->store, o->name, &rep, err);
    return o->log ? 0 : -1;
}

void
engine_drop_stream_log(Engine *e, CatObject *o)
{
    if (!o->log)
        return;
    SqlError err;
    err_init(&err, NULL);
    if (store_stream_drop(e->store, o->log, &err) != 0)
        fprintf(stderr, "sluiced: could not delete the log of dropped stream %s: %s\n", o->name,
                err.message);
    err_clear(&err);
    o->log = NULL;
}

int
engine_ingest(Engine *e, CatObject *o, const Value *rows, int nrows, IngestResult *res,
              SqlError *err)
{
    *res = (IngestResult){0, 0, 0};
    if (nrows == 0)
        return 0;
    SlType types[o->ncols > 0 ? o->ncols : 1];
    for (int i = 0; i < o->ncols; i++)
        types[i] = o->cols[i].type;
    if (store_stream_append(o->log, types, o->ncols, rows, nrows, err) != 0)
        return -1;
    /* Durable from here on: what follows cannot lose the batch. */
    return exec_ingest(e->x, o, rows, nrows, res, err);
}

/* ------------------------------------------------------------------ recovery */

typedef struct Pending {
    CatObject *view;
    struct Pending *next;
} Pending;

typedef struct ReplayCtx {
    Engine *e;
    CatObject *stream;
    Pending *views;       /* views of this stream not yet started, by start offset */
    SqlError *err;
    int64_t events;
} ReplayCtx;

static int
start_views_until(ReplayCtx *rc, uint64_t offset)
{
    while (rc->views && rc->views->view->start_offset <= offset) {
        Pending *p = rc->views;
        rc->views = p->next;
        if (exec_add_view(rc->e->x, p->view, rc->stream, rc->err) != 0)
            return -1;
        free(p);
    }
    return 0;
}

static int
replay_record(void *ctx, const StoreRecord *r)
{
    ReplayCtx *rc = ctx;
    if (start_views_until(rc, r->offset) != 0)
        return 1;
    if (!r->rows) {
        CatObject *v = r->view[0] ? cat_lookup(rc->e->cat, r->view) : NULL;
        if (r->view[0] && (!v || v->kind != CAT_VIEW))
            return 0; /* the mark of a view dropped since */
        return exec_replay_mark(rc->e->x, rc->stream, v, r->wm) != 0;
    }
    IngestResult res;
    if (exec_ingest(rc->e->x, rc->stream, r->rows, r->nrows, &res, rc->err) != 0)
        return 1;
    rc->events += r->nrows;
    return 0;
}

/* The executor's processing-time decisions, made durable before they act. */
static int
log_mark(void *ctx, CatObject *stream, CatObject *view, int64_t wm)
{
    (void)ctx;
    SqlError err;
    err_init(&err, NULL);
    int rc = store_stream_append_mark(stream->log, view ? view->name : "", wm, &err);
    if (rc != 0)
        fprintf(stderr, "sluiced: stream %s: could not log a trigger decision: %s\n",
                stream->name, err.message);
    err_clear(&err);
    return rc;
}

/* Parses and plans one catalog statement, and adds it to the catalog. */
static CatObject *
restore_object(Engine *e, const StoreObject *so, SqlError *err)
{
    Arena *a = arena_new(8192);
    AstStmtList stmts;
    CatObject *o = NULL;
    if (parse_sql(a, so->sql, strlen(so->sql), &stmts, err) != 0 || stmts.n != 1) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "catalog entry for \"%s\" does not parse",
                 so->name);
        goto out;
    }
    const AstStmt *s = stmts.items[0];
    if (so->kind == STORE_STREAM && s->kind == AST_CREATE_STREAM)
        o = plan_create_stream(e->cat, s, so->sql, err);
    else if (so->kind == STORE_VIEW && s->kind == AST_CREATE_VIEW)
        o = plan_create_view(e->cat, s, so->sql, err);
    if (!o) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "catalog entry for \"%s\" cannot be restored",
                 so->name);
        goto out;
    }
    o->start_offset = so->start_offset;
    cat_add(e->cat, o);
out:
    arena_free(a);
    return o;
}

int
engine_recover(Engine *e, SqlError *err)
{
    StoreObject *objs;
    int n;
    if (store_load_catalog(e->store, &objs, &n, err) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        CatObject *o = restore_object(e, &objs[i], err);
        if (!o)
            return -1;
        if (o->kind == CAT_STREAM) {
            LogRecovery rep;
            memset(&rep, 0, sizeof rep);
            if (exec_add_stream(e->x, o, err) != 0)
                return -1;
            o->log = store_stream_open(e->store, o->name, &rep, err);
            if (!o->log)
                return -1;
            if (rep.truncated_bytes)
                fprintf(stderr,
                        "sluiced: stream %s: cut a torn tail of %llu bytes from %s at byte %llu "
                        "(a batch that was never acknowledged)\n",
                        o->name, (unsigned long long)rep.truncated_bytes, rep.truncated_file,
                        (unsigned long long)rep.truncated_at);
        }
    }
    /* Replay each stream, starting its views where they began. */
    for (CatObject *s = e->cat->head; s; s = s->next) {
        if (s->kind != CAT_STREAM)
            continue;
        ReplayCtx rc = {.e = e, .stream = s, .err = err};
        Pending **tail = &rc.views;
        for (CatObject *v = e->cat->head; v; v = v->next) {
            if (v->kind == CAT_VIEW && strcmp(v->source, s->name) == 0) {
                Pending *p = sl_calloc(1, sizeof *p);
                p->view = v;
                *tail = p;
                tail = &p->next;
            }
        }
        Arena *a = arena_new(1024);
        int rc_ = store_stream_replay(s->log, column_types(s, a), s->ncols, replay_record, &rc,
                                      err);
        arena_free(a);
        if (rc_ == 0)
            rc_ = start_views_until(&rc, UINT64_MAX);
        while (rc.views) {
            Pending *p = rc.views;
            rc.views = p->next;
            free(p);
        }
        if (rc_ != 0)
            return -1;
        if (rc.events)
            fprintf(stderr, "sluiced: stream %s: replayed %lld events\n", s->name,
                    (long long)rc.events);
    }
    /* From now on, timed decisions are logged (not during the replay above). */
    exec_set_mark_hook(e->x, log_mark, e);
    return 0;
}
