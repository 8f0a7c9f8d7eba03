/*
 * executor/exec.c — the Executor: streams receiving events (watermarks,
 * lateness, fan-out to views), processing-time triggers, status.
 *
 * INTERFACE (executor.h)
 *   exec_new / exec_free, exec_add_stream, exec_add_view, exec_drop,
 *   exec_ingest, exec_tick, exec_refresh, exec_status, exec_view_epoch
 *
 * Lateness (DESIGN §1.5) is decided here, per event, in arrival order: an
 * event is late iff its time is below (max event time of all earlier
 * events) − delay. Views of the same stream share one decoded batch.
 */
#include "executor/runtime_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sltime.h"
#include "common/util.h"

Executor *
exec_new(void)
{
    Executor *x = sl_calloc(1, sizeof *x);
    x->now_mono = sl_mono_us();
    return x;
}

static void
stream_free(ExStream *s)
{
    free(s->views);
    free(s->wm_after);
    free(s->packed);
    free(s);
}

void
exec_free(Executor *x)
{
    if (!x)
        return;
    for (int i = 0; i < x->nviews; i++) {
        subs_end_all(&x->views[i]->subs, NULL);
        view_free(x->views[i]);
    }
    for (int i = 0; i < x->nstreams; i++) {
        subs_end_all(&x->streams[i]->subs, NULL);
        stream_free(x->streams[i]);
    }
    free(x->views);
    free(x->streams);
    free(x);
}

int
exec_add_stream(Executor *x, CatObject *o, SqlError *err)
{
    (void)err;
    ExStream *s = sl_calloc(1, sizeof *s);
    s->cat = o;
    s->x = x;
    s->wm = INT64_MIN;
    s->max_ts = INT64_MIN;
    s->last_arrival = x->now_mono;
    if (x->nstreams == x->capstreams) {
        x->capstreams = x->capstreams ? x->capstreams * 2 : 8;
        x->streams = sl_realloc(x->streams, sizeof(ExStream *) * (size_t)x->capstreams);
    }
    x->streams[x->nstreams++] = s;
    o->rt = s;
    return 0;
}

int
exec_add_view(Executor *x, CatObject *o, CatObject *source, SqlError *err)
{
    (void)err;
    ExStream *s = source->rt;
    ExView *v = view_new(x, o, s);
    if (s->nviews == s->capviews) {
        s->capviews = s->capviews ? s->capviews * 2 : 4;
        s->views = sl_realloc(s->views, sizeof(ExView *) * (size_t)s->capviews);
    }
    s->views[s->nviews++] = v;
    if (x->nviews == x->capviews) {
        x->capviews = x->capviews ? x->capviews * 2 : 8;
        x->views = sl_realloc(x->views, sizeof(ExView *) * (size_t)x->capviews);
    }
    x->views[x->nviews++] = v;
    v->wm = s->wm;
    o->rt = v;
    return 0;
}

static void
remove_ptr(void **arr, int *n, void *p)
{
    for (int i = 0; i < *n; i++) {
        if (arr[i] == p) {
            memmove(arr + i, arr + i + 1, sizeof(void *) * (size_t)(*n - i - 1));
            (*n)--;
            return;
        }
    }
}

void
exec_drop(Executor *x, CatObject *o)
{
    SqlError err;
    err_init(&err, NULL);
    err_setf(&err, ERR_UNDEFINED_TABLE, -1, "%s \"%s\" was dropped", cat_kind_name(o->kind),
             o->name);
    if (o->kind == CAT_VIEW) {
        ExView *v = o->rt;
        subs_end_all(&v->subs, &err);
        remove_ptr((void **)v->src->views, &v->src->nviews, v);
        remove_ptr((void **)x->views, &x->nviews, v);
        view_free(v);
    } else {
        ExStream *s = o->rt;
        subs_end_all(&s->subs, &err);
        remove_ptr((void **)x->streams, &x->nstreams, s);
        stream_free(s);
    }
    o->rt = NULL;
    err_clear(&err);
}

int
exec_ingest(Executor *x, CatObject *o, const Value *rows, int nrows, IngestResult *res,
            SqlError *err)
{
    ExStream *s = o->rt;
    int nc = o->ncols;
    *res = (IngestResult){0, 0, 0};
    /* Check the whole batch first: a batch is taken whole or not at all. */
    for (int r = 0; r < nrows; r++) {
        const Value *row = rows + (size_t)r * (size_t)nc;
        for (int c = 0; c < nc; c++) {
            if (row[c].isnull && o->cols[c].not_null) {
                err_setf(err, ERR_NOT_NULL_VIOLATION, -1,
                         "null value in column \"%s\" of stream \"%s\" violates not-null "
                         "constraint", o->cols[c].name, o->name);
                err_detail(err, "Failing row is number %d of the batch.", r + 1);
                return -1;
            }
            if (!row[c].isnull && row[c].type != o->cols[c].type) {
                /* The planner coerces every value; reaching this is a bug,
                 * but one that must not take the server down. */
                err_setf(err, ERR_INTERNAL_ERROR, -1,
                         "value of type %s for column \"%s\" of type %s", type_name(row[c].type),
                         o->cols[c].name, type_name(o->cols[c].type));
                return -1;
            }
        }
    }
    x->now_mono = sl_mono_us();
    s->offset += (uint64_t)nrows;
    /* Accepted events are used where they lie (views copy what they keep);
     * only when some are dropped are the rest packed into s->packed. */
    if (nrows > s->cap) {
        s->cap = nrows;
        s->wm_after = sl_realloc(s->wm_after, sizeof(int64_t) * (size_t)s->cap);
        s->packed = sl_realloc(s->packed, sizeof(Value) * (size_t)s->cap * (size_t)nc);
    }
    int64_t *wm_after = s->wm_after;
    const Value *acc = rows;
    int n = 0;
    int wc = o->wm_col;
    for (int r = 0; r < nrows; r++) {
        const Value *row = rows + (size_t)r * (size_t)nc;
        if (wc >= 0) {
            if (row[wc].isnull) {
                s->null_time++;
                res->null_time++;
                continue;
            }
            int64_t t = row[wc].i;
            if (t < s->wm) {
                s->late++;
                res->late++;
                continue;
            }
            if (t > s->max_ts)
                s->max_ts = t;
            s->has_ts = true;
            int64_t w = s->max_ts - o->wm_delay_us;
            if (w > s->wm)
                s->wm = w;
        }
        if (n != r) {
            if (acc == rows) {
                memcpy(s->packed, rows, sizeof(Value) * (size_t)n * (size_t)nc);
                acc = s->packed;
            }
            memcpy(s->packed + (size_t)n * (size_t)nc, row, sizeof(Value) * (size_t)nc);
        }
        wm_after[n++] = s->wm;
    }
    res->accepted = n;
    s->events += n;
    if (n == 0)
        return 0;
    s->batches++;
    s->last_arrival = x->now_mono;
    stream_publish(s, acc, n);
    for (int i = 0; i < s->nviews; i++) {
        ExView *v = s->views[i];
        if (v->p->trigger == PLAN_TRIGGER_EVERY_ROW) {
            for (int r = 0; r < n; r++) {
                view_push(v, acc + (size_t)r * (size_t)nc, 1, nc);
                view_fire(v, wm_after[r]);
            }
            continue;
        }
        view_push(v, acc, n, nc);
        if (v->p->trigger == PLAN_TRIGGER_BATCH)
            view_fire(v, s->wm);
    }
    return 0;
}

static int64_t
earliest(int64_t a, int64_t b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

void
exec_set_mark_hook(Executor *x, ExecMarkFn fn, void *ctx)
{
    x->mark = fn;
    x->mark_ctx = ctx;
}

static bool
announce(Executor *x, CatObject *stream, CatObject *view, int64_t wm)
{
    return !x->mark || x->mark(x->mark_ctx, stream, view, wm) == 0;
}

static void
advance_watermark(ExStream *s, int64_t w)
{
    if (w <= s->wm)
        return;
    s->wm = w;
    for (int j = 0; j < s->nviews; j++)
        if (s->views[j]->p->trigger == PLAN_TRIGGER_BATCH ||
            s->views[j]->p->trigger == PLAN_TRIGGER_EVERY_ROW)
            view_fire(s->views[j], s->wm);
}

/* An EVERY view's tick: announced (and so logged) only when it can change
 * something, so idle views cost nothing. */
static void
timed_fire(Executor *x, ExView *v)
{
    int64_t wm = v->src->wm;
    if (!(v->pending || v->inbox || v->changed || wm > v->wm))
        return;
    if (announce(x, v->src->cat, v->cat, wm))
        view_fire(v, wm);
}

int
exec_replay_mark(Executor *x, CatObject *stream, CatObject *view, int64_t wm)
{
    (void)x;
    ExStream *s = stream->rt;
    if (!view) {
        advance_watermark(s, wm);
        return 0;
    }
    ExView *v = view->rt;
    if (!v)
        return 0; /* a view not started yet at this point of the log */
    view_fire(v, wm);
    return 0;
}

int64_t
exec_tick(Executor *x, int64_t now)
{
    x->now_mono = now;
    int64_t next = -1;
    /* Idle streams: the watermark advances with processing time. */
    for (int i = 0; i < x->nstreams; i++) {
        ExStream *s = x->streams[i];
        int64_t idle = s->cat->idle_timeout_us;
        if (idle <= 0 || !s->has_ts)
            continue;
        int64_t quiet = now - s->last_arrival;
        if (quiet >= idle) {
            int64_t w = s->max_ts - s->cat->wm_delay_us + (quiet - idle);
            /* Coarse steps (1 ms): each advance is a durable decision. */
            if (w >= s->wm + 1000 && announce(x, s->cat, NULL, w))
                advance_watermark(s, w);
            next = earliest(next, now + 100000);
        } else {
            next = earliest(next, s->last_arrival + idle);
        }
        next = subs_tick(s->subs, now, next);
        subs_reap(&s->subs);
    }
    for (int i = 0; i < x->nstreams; i++) {
        ExStream *s = x->streams[i];
        if (s->cat->idle_timeout_us <= 0) {
            next = subs_tick(s->subs, now, next);
            subs_reap(&s->subs);
        }
    }
    for (int i = 0; i < x->nviews; i++) {
        ExView *v = x->views[i];
        if (v->p->trigger == PLAN_TRIGGER_EVERY) {
            if (now >= v->next_fire) {
                timed_fire(x, v);
                v->next_fire += v->p->every_us;
                if (v->next_fire <= now)
                    v->next_fire = now + v->p->every_us;
            }
            next = earliest(next, v->next_fire);
        }
        next = subs_tick(v->subs, now, next);
        subs_reap(&v->subs);
    }
    return next;
}

int
exec_refresh(Executor *x, CatObject *o, SqlError *err)
{
    ExView *v = o->rt;
    if (!announce(x, v->src->cat, o, v->src->wm)) {
        err_setf(err, ERR_IO_ERROR, -1, "REFRESH VIEW %s could not be logged", o->name);
        return -1;
    }
    view_fire(v, v->src->wm);
    return 0;
}

int64_t
exec_view_epoch(const CatObject *o)
{
    const ExView *v = o->rt;
    return v ? v->epoch : 0;
}

static void
kv_int(ExecKvFn fn, void *ctx, const char *key, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    fn(ctx, key, b);
}

static void
kv_ts(ExecKvFn fn, void *ctx, const char *key, int64_t ts, bool valid)
{
    Buf b;
    buf_init(&b);
    if (valid)
        ts_format(ts, &b);
    fn(ctx, key, valid ? b.data : "");
    buf_free(&b);
}

void
exec_status(Executor *x, CatObject *o, ExecKvFn fn, void *ctx)
{
    (void)x;
    if (o->kind == CAT_STREAM) {
        ExStream *s = o->rt;
        kv_int(fn, ctx, "events", s->events);
        kv_int(fn, ctx, "late_events", s->late);
        kv_int(fn, ctx, "null_time_events", s->null_time);
        kv_int(fn, ctx, "batches", s->batches);
        kv_ts(fn, ctx, "max_event_time", s->max_ts, s->has_ts);
        kv_ts(fn, ctx, "watermark", s->wm, s->has_ts && o->wm_col >= 0);
        kv_int(fn, ctx, "views", s->nviews);
        int nsubs = 0;
        for (Subscription *u = s->subs; u; u = u->next)
            nsubs++;
        kv_int(fn, ctx, "subscribers", nsubs);
        return;
    }
    ExView *v = o->rt;
    fn(ctx, "state", v->failed ? "failed" : "running");
    kv_int(fn, ctx, "epoch", v->epoch);
    kv_int(fn, ctx, "checkpoint_epoch", v->checkpoint_epoch);
    kv_ts(fn, ctx, "watermark", v->wm, v->wm != INT64_MIN);
    kv_int(fn, ctx, "rows_in", v->rows_in);
    kv_int(fn, ctx, "rows_out", v->rows_out);
    kv_int(fn, ctx, "errors", v->errors);
    fn(ctx, "last_error", v->last_error);
    int64_t groups = 0;
    for (int i = 0; i < v->nslots; i++)
        groups += (int64_t)v->slots[i]->n;
    kv_int(fn, ctx, "open_windows", v->p->window_group >= 0 ? v->nslots : 0);
    kv_int(fn, ctx, "groups", groups);
    kv_int(fn, ctx, "windows_closed", v->windows_closed);
    kv_int(fn, ctx, "retained_rows", v->closed_rows);
    kv_int(fn, ctx, "state_bytes", v->state_bytes);
    kv_int(fn, ctx, "changelog_epochs", v->log ? v->log_tail->epoch - v->log->epoch + 1 : 0);
    kv_int(fn, ctx, "changelog_bytes", (int64_t)v->log_bytes);
    int nsubs = 0;
    for (Subscription *u = v->subs; u; u = u->next)
        nsubs++;
    /* Input lag: events received but not yet applied (EVERY / ON DEMAND). */
    kv_int(fn, ctx, "pending_events", v->inbox ? v->inbox->nrows : 0);
    kv_int(fn, ctx, "subscribers", nsubs);
}
