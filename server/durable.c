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
#include "common/buf.h"
#include "storage/crc32c.h"
#include "storage/fsutil.h"
#include "storage/log.h"
#include "server/sinks.h"

/* The stream's column types, into t[o->ncols]. */
static const SlType *
column_types(const CatObject *o, SlType *t)
{
    for (int i = 0; i < o->ncols; i++)
        t[i] = o->cols[i].type;
    return t;
}

/* Appends a batch to the stream's log, not yet synced. */
static int
log_batch(CatObject *o, const Value *rows, int nrows, SqlError *err)
{
    SlType types[o->ncols > 0 ? o->ncols : 1];
    return store_stream_append_nosync(o->log, column_types(o, types), o->ncols, rows, nrows,
                                      err);
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
        objs[k].kind = o->kind == CAT_STREAM ? STORE_STREAM
                     : o->kind == CAT_VIEW   ? STORE_VIEW
                                             : STORE_SINK;
        objs[k].name = o->name;
        objs[k].sql = o->sql;
        objs[k].start_offset = o->kind != CAT_STREAM ? o->start_offset : 0;
        objs[k].incarnation = o->incarnation;
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
    engine_flush(e); /* batches ahead of this one in the log go through the views first */
    if (log_batch(o, rows, nrows, err) != 0 || store_stream_sync(o->log, err) != 0)
        return -1;
    e->dirty = true;
    /* Durable from here on: what follows cannot lose the batch. */
    return exec_ingest(e->x, o, rows, nrows, res, err);
}

PendingBatch *
engine_ingest_deferred(Engine *e, CatObject *o, const Value *rows, int nrows, IngestDoneFn done,
                       void *ctx, SqlError *err)
{
    if (log_batch(o, rows, nrows, err) != 0)
        return NULL;
    PendingBatch *p = sl_calloc(1, sizeof *p);
    p->stream = o;
    p->arena = arena_new(16384);
    p->nrows = nrows;
    size_t n = (size_t)nrows * (size_t)o->ncols;
    p->rows = arena_alloc(p->arena, sizeof(Value) * (n ? n : 1));
    memcpy(p->rows, rows, sizeof(Value) * n);
    for (size_t i = 0; i < n; i++)
        if (p->rows[i].type == TYPE_TEXT && !p->rows[i].isnull)
            val_copy_text(&p->rows[i], p->arena);
    p->done = done;
    p->ctx = ctx;
    if (e->pending_tail)
        e->pending_tail->next = p;
    else
        e->pending = p;
    e->pending_tail = p;
    e->dirty = true;
    return p;
}

void
engine_flush(Engine *e)
{
    if (!e->pending)
        return;
    PendingBatch *list = e->pending;
    e->pending = e->pending_tail = NULL;
    /* One sync per stream for every batch of this round. */
    typedef struct Synced {
        CatObject *stream;
        SqlError err;
    } Synced;
    int npending = 0;
    for (PendingBatch *p = list; p; p = p->next)
        npending++;
    Synced *synced = sl_calloc((size_t)npending, sizeof(Synced));
    int nsynced = 0;
    for (PendingBatch *p = list; p; p = p->next) {
        int k = 0;
        while (k < nsynced && synced[k].stream != p->stream)
            k++;
        if (k < nsynced)
            continue;
        synced[nsynced].stream = p->stream;
        err_init(&synced[nsynced].err, NULL);
        store_stream_sync(p->stream->log, &synced[nsynced].err);
        nsynced++;
    }
    while (list) {
        PendingBatch *p = list;
        list = p->next;
        const SqlError *failed = NULL;
        for (int k = 0; k < nsynced; k++)
            if (synced[k].stream == p->stream && err_is_set(&synced[k].err))
                failed = &synced[k].err;
        IngestResult res = {0, 0, 0};
        SqlError err;
        err_init(&err, NULL);
        if (!failed && exec_ingest(e->x, p->stream, p->rows, p->nrows, &res, &err) != 0)
            failed = &err;
        if (p->ctx)
            p->done(p->ctx, p->stream, &res, failed);
        err_clear(&err);
        arena_free(p->arena);
        free(p);
    }
    for (int k = 0; k < nsynced; k++)
        err_clear(&synced[k].err);
    free(synced);
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
        sinks_view_started(rc->e->sinks, p->view);
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
    Engine *e = ctx;
    e->dirty = true;
    engine_flush(e); /* the mark goes after the batches the views have seen */
    SqlError err;
    err_init(&err, NULL);
    int rc = store_stream_append_mark(stream->log, view ? view->name : "", wm, &err);
    if (rc != 0)
        fprintf(stderr, "sluiced: stream %s: could not log a trigger decision: %s\n",
                stream->name, err.message);
    err_clear(&err);
    return rc;
}

/* ------------------------------------------------------------------ checkpoints
 *
 * DATA/checkpoint.dat: "SLCKH1\n", u32 streams, per stream (u32 name length,
 * name, u64 offset), then the executor's blob (executor/checkpoint.c), then
 * CRC32C of everything before. Written atomically; after it, log segments
 * below each stream's offset are deleted. */

#define CKPT_HEADER "SLCKH1\n"

int
engine_checkpoint(Engine *e, SqlError *err)
{
    engine_flush(e);
    Buf b;
    buf_init(&b);
    buf_puts(&b, CKPT_HEADER);
    uint32_t ns = 0;
    for (CatObject *o = e->cat->head; o; o = o->next)
        ns += o->kind == CAT_STREAM;
    buf_append(&b, &ns, 4);
    for (CatObject *o = e->cat->head; o; o = o->next) {
        if (o->kind != CAT_STREAM)
            continue;
        uint32_t n = (uint32_t)strlen(o->name);
        uint64_t off = exec_stream_offset(o);
        buf_append(&b, &n, 4);
        buf_append(&b, o->name, n);
        buf_append(&b, &off, 8);
    }
    exec_checkpoint_save(e->x, &b);
    uint32_t crc = crc32c(b.data, b.len);
    buf_append(&b, &crc, 4);
    char path[4096];
    snprintf(path, sizeof path, "%s/checkpoint.dat", e->data_dir);
    int rc = fs_write_file_atomic(path, b.data, b.len, e->fsync, err);
    buf_free(&b);
    if (rc != 0)
        return -1;
    e->last_checkpoint_us = sl_mono_us();
    e->dirty = false;
    for (CatObject *o = e->cat->head; o; o = o->next) {
        if (o->kind != CAT_STREAM)
            continue;
        SqlError terr;
        err_init(&terr, NULL);
        o->start_offset = exec_stream_offset(o); /* SHOW ... STATUS: checkpoint_offset */
        if (store_stream_truncate_before(o->log, o->start_offset, &terr) != 0)
            fprintf(stderr, "sluiced: stream %s: old log segments not deleted: %s\n", o->name,
                    terr.message);
        err_clear(&terr);
    }
    return 0;
}

/* Reads and checks the checkpoint; sets each stream's start_offset to its
 * checkpoint offset (0 when absent). out->len = 0 when there is none. */
static int
load_checkpoint(Engine *e, Buf *out, size_t *blob_at, SqlError *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/checkpoint.dat", e->data_dir);
    int rc = fs_read_file(path, out, err);
    if (rc == 1) {
        buf_clear(out);
        return 0;
    }
    if (rc != 0)
        return -1;
    uint32_t crc;
    size_t hl = strlen(CKPT_HEADER);
    if (out->len < hl + 8 || memcmp(out->data, CKPT_HEADER, hl) != 0 ||
        (memcpy(&crc, out->data + out->len - 4, 4), crc != crc32c(out->data, out->len - 4))) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "checkpoint \"%s\" is corrupt (checksum mismatch)",
                 path);
        err_hint(err, "It is written atomically, so this is damage from outside sluiced; "
                      "restore the data directory from a backup.");
        return -1;
    }
    for (CatObject *o = e->cat->head; o; o = o->next)
        if (o->kind == CAT_STREAM)
            o->start_offset = 0;
    const char *p = out->data + hl, *end = out->data + out->len - 4;
    uint32_t ns;
    memcpy(&ns, p, 4);
    p += 4;
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t n;
        if (end - p < 4)
            goto bad;
        memcpy(&n, p, 4);
        p += 4;
        if ((size_t)(end - p) < (size_t)n + 8)
            goto bad;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        uint64_t off;
        memcpy(&off, p + n, 8);
        p += n + 8;
        CatObject *s = cat_lookup(e->cat, name);
        if (s && s->kind == CAT_STREAM) {
            s->start_offset = off;
            fprintf(stderr, "sluiced: stream %s: checkpoint at offset %llu\n", name,
                    (unsigned long long)off);
        }
    }
    *blob_at = (size_t)(p - out->data);
    return 0;
bad:
    err_setf(err, ERR_DATA_CORRUPTED, -1, "checkpoint \"%s\" is malformed", path);
    return -1;
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
    else if (so->kind == STORE_SINK && s->kind == AST_CREATE_SINK)
        o = plan_create_sink(e->cat, s, so->sql, err);
    if (!o) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "catalog entry for \"%s\" cannot be restored",
                 so->name);
        goto out;
    }
    o->start_offset = so->start_offset;
    o->incarnation = so->incarnation;
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
        if (o->kind == CAT_SINK && sinks_add(e->sinks, o, err) != 0)
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
    /* The last checkpoint, if any: views it covers start from its state. */
    Buf ck;
    buf_init(&ck);
    size_t blob_at = 0;
    if (load_checkpoint(e, &ck, &blob_at, err) != 0) {
        buf_free(&ck);
        return -1;
    }
    for (CatObject *v = e->cat->head; v; v = v->next) {
        if (v->kind != CAT_VIEW)
            continue;
        CatObject *src = cat_lookup(e->cat, v->source);
        if (src->start_offset /* its checkpoint offset, set by load_checkpoint */ >=
                v->start_offset &&
            ck.len && exec_add_view(e->x, v, src, err) != 0) {
            buf_free(&ck);
            return -1;
        }
        sinks_view_started(e->sinks, v);
    }
    if (ck.len && exec_checkpoint_load(e->x, ck.data + blob_at, ck.len - blob_at - 4, err) != 0) {
        err_hint(err, "The checkpoint in %s/checkpoint.dat cannot be used, and the logs before it "
                      "may be gone: restore the data directory from a backup.", e->data_dir);
        buf_free(&ck);
        return -1;
    }
    bool had_checkpoint = ck.len > 0;
    buf_free(&ck);

    /* Replay each stream from its checkpoint, starting later views where they began. */
    for (CatObject *s = e->cat->head; s; s = s->next) {
        if (s->kind != CAT_STREAM)
            continue;
        ReplayCtx rc = {.e = e, .stream = s, .err = err};
        Pending **tail = &rc.views;
        for (CatObject *v = e->cat->head; v; v = v->next) {
            if (v->kind == CAT_VIEW && strcmp(v->source, s->name) == 0 && !v->rt) {
                Pending *p = sl_calloc(1, sizeof *p);
                p->view = v;
                *tail = p;
                tail = &p->next;
            }
        }
        SlType types[s->ncols > 0 ? s->ncols : 1];
        uint64_t from = had_checkpoint ? s->start_offset : 0;
        int rc_ = store_stream_replay(s->log, from, column_types(s, types), s->ncols,
                                      replay_record, &rc, err);
        if (rc_ == 0)
            rc_ = start_views_until(&rc, UINT64_MAX);
        while (rc.views) {
            Pending *p = rc.views;
            rc.views = p->next;
            free(p);
        }
        if (rc_ != 0)
            return -1;
        if (rc.events) {
            fprintf(stderr, "sluiced: stream %s: replayed %lld events\n", s->name,
                    (long long)rc.events);
            e->dirty = true; /* the next checkpoint spares the next start this replay */
        }
    }
    /* From now on, timed decisions are logged (not during the replay above). */
    exec_set_mark_hook(e->x, log_mark, e);
    return 0;
}
