/*
 * executor/subscribe.c — epochs out: the changelog of each view and the
 * delivery of each epoch's rows to its subscribers, in each one's mode.
 *
 * INTERFACE (runtime_int.h)
 *   entry_new / entry_add / entry_free   one epoch's rows (op + values)
 *   view_publish             deliver an epoch to a view's subscribers, then keep it in the changelog
 *   subs_end_all             end every subscription of a list (view or stream dropped, failed)
 *   stream_publish           deliver accepted events to a stream's subscribers
 *   subs_reap                unlink and free ended subscriptions
 *   subs_tick                end subscriptions whose timeout passed; next deadline
 *   changelog_trim           drop what retention and holds no longer keep
 * INTERFACE (executor.h)
 *   exec_subscribe / exec_unsubscribe
 *
 * What a subscriber sees per mode (DESIGN §1.6, §1.8):
 *   APPEND    the rows that became final (closed windows; every row of a
 *             non-aggregating view), op 'insert';
 *   UPDATE    the current table as upserts when it starts, then per epoch
 *             the changed rows as 'upsert' and vanished ones as 'delete';
 *   COMPLETE  the whole table (after ORDER BY / LIMIT) when it starts and at
 *             every epoch, op 'insert'.
 * The changelog keeps the view's own mode rows of recent epochs, for the
 * view's retention and within CHANGELOG_MAX_BYTES, for SUBSCRIBE ... FROM EPOCH n and for the result
 * table of non-aggregating views.
 */
#include "executor/runtime_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define CHANGELOG_MAX_BYTES ((size_t)8 << 20)

Entry *
entry_new(void)
{
    Entry *e = sl_calloc(1, sizeof *e);
    /* Small blocks: with EVERY ROW an epoch is one row, and thousands are kept. */
    e->arena = arena_new(2048);
    e->wall_us = sl_now_us();
    return e;
}

void
entry_add(Entry *e, int op, const Value *vals, int ncols)
{
    if (e->nrows == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->ops = sl_realloc(e->ops, (size_t)e->cap);
        e->vals = sl_realloc(e->vals, sizeof(Value) * (size_t)e->cap * (size_t)ncols);
    }
    e->ops[e->nrows] = (uint8_t)op;
    Value *dst = e->vals + (size_t)e->nrows * (size_t)ncols;
    memcpy(dst, vals, sizeof(Value) * (size_t)ncols);
    size_t before = arena_bytes(e->arena);
    for (int c = 0; c < ncols; c++)
        if (dst[c].type == TYPE_TEXT && !dst[c].isnull)
            val_copy_text(&dst[c], e->arena);
    e->bytes += sizeof(Value) * (size_t)ncols + 1 + (arena_bytes(e->arena) - before);
    e->nrows++;
}

void
entry_free(Entry *e)
{
    if (!e)
        return;
    free(e->ops);
    free(e->vals);
    arena_free(e->arena);
    free(e);
}

static const char *const op_names[] = {"insert", "upsert", "delete"};

static const char *
mode_name(PlanEmitMode m)
{
    return m == PLAN_EMIT_APPEND ? "APPEND" : m == PLAN_EMIT_UPDATE ? "UPDATE" : "COMPLETE";
}

static void
sub_end(Subscription *s, const SqlError *err)
{
    if (s->dead)
        return;
    s->dead = true;
    if (s->view) {
        if (s->mode == PLAN_EMIT_UPDATE)
            s->view->n_update_subs--;
        if (s->mode == PLAN_EMIT_COMPLETE)
            s->view->n_complete_subs--;
    }
    if (s->ops->flush)
        s->ops->flush(s->ctx);
    s->ops->end(s->ctx, err, s->sent);
}

/* One row to one subscriber, through its WHERE and LIMIT. */
static void
sub_send(Subscription *s, int64_t epoch, const char *op, const Value *vals, int ncols)
{
    if (s->dead)
        return;
    if (s->where) {
        SqlError err;
        err_init(&err, s->scratch);
        EvalCtx cx = {.arena = s->scratch, .err = &err, .now_us = sl_now_us()};
        int ok = expr_eval_pred(s->where, vals, &cx);
        if (arena_bytes(s->scratch) > 1 << 20)
            arena_reset(s->scratch);
        if (ok != 1)
            return;
    }
    s->ops->row(s->ctx, epoch, op, vals, ncols);
    s->sent++;
    s->last_activity = s->x->now_mono;
    if (s->limit >= 0 && s->sent >= s->limit)
        sub_end(s, NULL);
}

static void
send_entry(Subscription *s, const Entry *e, int ncols, bool aggregate)
{
    for (int r = 0; r < e->nrows && !s->dead; r++) {
        int op = e->ops[r];
        const char *name = NULL;
        if (s->mode == PLAN_EMIT_APPEND) {
            if (op == OP_FINAL)
                name = "insert";
        } else if (s->mode == PLAN_EMIT_UPDATE) {
            if (op != OP_FINAL)
                name = op_names[op];
            else if (!aggregate)
                name = "insert";
        }
        if (name)
            sub_send(s, e->epoch, name, e->vals + (size_t)r * (size_t)ncols, ncols);
    }
}

typedef struct SnapCtx {
    Subscription *only;   /* one subscriber, or NULL = every COMPLETE subscriber */
    ExView *v;
    int64_t epoch;
    const char *op;
} SnapCtx;

static void
snap_row(void *ctx, const Value *row)
{
    SnapCtx *sc = ctx;
    if (sc->only) {
        sub_send(sc->only, sc->epoch, sc->op, row, sc->v->p->ncols);
        return;
    }
    for (Subscription *s = sc->v->subs; s; s = s->next)
        if (s->mode == PLAN_EMIT_COMPLETE)
            sub_send(s, sc->epoch, sc->op, row, sc->v->p->ncols);
}

void
subs_reap(Subscription **list)
{
    Subscription **p = list;
    while (*p) {
        Subscription *s = *p;
        if (s->dead) {
            *p = s->next;
            arena_free(s->scratch);
            free(s);
        } else {
            p = &s->next;
        }
    }
}

static void
flush_all(Subscription *list)
{
    for (Subscription *s = list; s; s = s->next)
        if (!s->dead && s->ops->flush)
            s->ops->flush(s->ctx);
}

void
view_publish(ExView *v, Entry *e)
{
    int nc = v->p->ncols;
    for (Subscription *s = v->subs; s; s = s->next)
        if (s->mode != PLAN_EMIT_COMPLETE)
            send_entry(s, e, nc, v->p->aggregate);
    if (v->n_complete_subs > 0) {
        SnapCtx sc = {.v = v, .epoch = e->epoch, .op = "insert"};
        view_snapshot(v, snap_row, &sc);
    }
    flush_all(v->subs);
    subs_reap(&v->subs);

    /* Keep only the rows of the view's own mode (FROM EPOCH replays that). */
    int keep = 0;
    if (v->p->mode != PLAN_EMIT_COMPLETE) {
        for (int r = 0; r < e->nrows; r++) {
            bool final = e->ops[r] == OP_FINAL;
            bool mine = v->p->mode == PLAN_EMIT_APPEND ? final : (!final || !v->p->aggregate);
            if (!mine)
                continue;
            if (keep != r) {
                e->ops[keep] = e->ops[r];
                memcpy(e->vals + (size_t)keep * (size_t)nc, e->vals + (size_t)r * (size_t)nc,
                       sizeof(Value) * (size_t)nc);
            }
            keep++;
        }
    }
    if (keep == 0) {
        entry_free(e);
        return;
    }
    e->nrows = keep;
    /* Kept for a while: trim the arrays to the rows, and count what it really holds. */
    if (e->cap > keep) {
        e->cap = keep;
        e->ops = sl_realloc(e->ops, (size_t)keep);
        e->vals = sl_realloc(e->vals, sizeof(Value) * (size_t)keep * (size_t)nc);
    }
    e->bytes = (size_t)e->cap * (sizeof(Value) * (size_t)nc + 1) + arena_bytes(e->arena) +
               sizeof *e;
    if (v->log_tail)
        v->log_tail->next = e;
    else
        v->log = e;
    v->log_tail = e;
    v->log_bytes += e->bytes;
    changelog_trim(v);
}

/* Entries are kept for the view's retention (wall-clock age) within
 * CHANGELOG_MAX_BYTES; those after a consumer's hold (a sink's committed
 * epoch) are kept whatever their age, within the hold's own byte cap. */
void
changelog_trim(ExView *v)
{
    if (!v->log_tail)
        return;
    int64_t horizon = v->log_tail->wall_us - v->p->retention_us;
    while (v->log != v->log_tail) {
        Entry *old = v->log;
        bool expired = v->log_bytes > CHANGELOG_MAX_BYTES || old->wall_us < horizon;
        bool held = v->hold_floor >= 0 && old->epoch > v->hold_floor &&
                    v->log_bytes <= (size_t)v->hold_cap;
        if (!expired || held)
            break;
        v->log = old->next;
        v->log_bytes -= old->bytes;
        v->log_dropped = old->epoch;
        entry_free(old);
    }
}

void
subs_end_all(Subscription **list, const SqlError *err)
{
    for (Subscription *s = *list; s; s = s->next)
        sub_end(s, err);
    subs_reap(list);
}

void
stream_publish(ExStream *st, const Value *rows, int nrows)
{
    if (!st->subs)
        return;
    int nc = st->cat->ncols;
    for (Subscription *s = st->subs; s; s = s->next)
        for (int r = 0; r < nrows && !s->dead; r++)
            sub_send(s, st->batches, "insert", rows + (size_t)r * (size_t)nc, nc);
    flush_all(st->subs);
    subs_reap(&st->subs);
}


int64_t
subs_tick(Subscription *list, int64_t now, int64_t next)
{
    for (Subscription *s = list; s; s = s->next) {
        if (s->dead || s->timeout_us < 0)
            continue;
        int64_t deadline = s->last_activity + s->timeout_us;
        if (now >= deadline)
            sub_end(s, NULL);
        else if (next < 0 || deadline < next)
            next = deadline;
    }
    return next;
}

Subscription *
exec_subscribe(Executor *x, CatObject *o, const PlanSubscribe *p, const SubscriberOps *ops,
               void *ctx, SqlError *err)
{
    Subscription *s = sl_calloc(1, sizeof *s);
    s->x = x;
    s->mode = p->mode;
    s->where = p->where;
    s->limit = p->limit;
    s->timeout_us = p->timeout_us;
    s->last_activity = x->now_mono;
    s->ops = ops;
    s->ctx = ctx;
    s->scratch = arena_new(8192);
    if (o->kind == CAT_STREAM) {
        if (p->from_epoch >= 0) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                     "FROM EPOCH is only available for views: a stream's events are not kept "
                     "for replay yet");
            arena_free(s->scratch);
            free(s);
            return NULL;
        }
        ExStream *st = o->rt;
        s->stream = st;
        s->next = st->subs;
        st->subs = s;
    } else {
        ExView *v = o->rt;
        if (v->failed) {
            err_setf(err, ERR_OUT_OF_MEMORY, -1, "view \"%s\" has failed: %s", o->name,
                     v->last_error);
            arena_free(s->scratch);
            free(s);
            return NULL;
        }
        if (p->from_epoch >= 0) {
            if (p->mode != v->p->mode) {
                err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                         "FROM EPOCH replays view \"%s\" in its own mode (EMIT %s)", o->name,
                         mode_name(v->p->mode));
                arena_free(s->scratch);
                free(s);
                return NULL;
            }
            /* Epochs without rows in the view's mode are not kept, so only a
             * trimmed epoch is out of reach. */
            int64_t oldest = v->log_dropped + 1;
            if (p->from_epoch < oldest) {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1,
                         "epoch %lld of view \"%s\" is no longer retained; the oldest retained "
                         "epoch is %lld", (long long)p->from_epoch, o->name, (long long)oldest);
                arena_free(s->scratch);
                free(s);
                return NULL;
            }
        }
        s->view = v;
        s->next = v->subs;
        v->subs = s;
        if (s->mode == PLAN_EMIT_UPDATE) {
            v->n_update_subs++;
            view_set_tracking(v);
        } else if (s->mode == PLAN_EMIT_COMPLETE) {
            v->n_complete_subs++;
            view_set_tracking(v);
        }
        if (p->from_epoch >= 0) {
            if (s->mode == PLAN_EMIT_COMPLETE) {
                SnapCtx sc = {.only = s, .v = v, .epoch = v->epoch, .op = "insert"};
                view_snapshot(v, snap_row, &sc);
            } else {
                for (Entry *e = v->log; e && !s->dead; e = e->next)
                    if (e->epoch >= p->from_epoch)
                        send_entry(s, e, v->p->ncols, v->p->aggregate);
            }
        } else if (s->mode != PLAN_EMIT_APPEND && v->epoch > 0) {
            SnapCtx sc = {.only = s, .v = v, .epoch = v->epoch,
                          .op = s->mode == PLAN_EMIT_UPDATE ? "upsert" : "insert"};
            view_snapshot(v, snap_row, &sc);
        }
    }
    if (s->limit == 0)
        sub_end(s, NULL);
    if (!s->dead && s->ops->flush)
        s->ops->flush(s->ctx);
    if (s->dead) {
        if (s->view)
            subs_reap(&s->view->subs);
        else
            subs_reap(&s->stream->subs);
        return NULL;
    }
    return s;
}

void
exec_unsubscribe(Executor *x, Subscription *s)
{
    (void)x;
    if (!s || s->dead)
        return;
    s->dead = true;
    if (s->view) {
        if (s->mode == PLAN_EMIT_UPDATE)
            s->view->n_update_subs--;
        if (s->mode == PLAN_EMIT_COMPLETE)
            s->view->n_complete_subs--;
        subs_reap(&s->view->subs);
    } else {
        subs_reap(&s->stream->subs);
    }
}
