/*
 * server/sinks.c — the sinks of an Engine: each CAT_SINK object's PgSink
 * (connectors/pg_sink.c) wired to the event loop (its socket and its retry
 * timer), the changelog holds they place on their views, and what SHOW SINKS
 * reports.
 *
 * INTERFACE (sinks.h)
 *   sinks_new / sinks_free    the set (free stops every sink)
 *   sinks_attach_loop         start the sinks restored at recovery
 *   sinks_add / sinks_remove  CREATE SINK / DROP SINK (and DROP ... CASCADE)
 *   sinks_view_started        a view got its runtime: place its sinks' hold
 *   sinks_poll                views may have new epochs: idle sinks start a transaction
 *   sinks_foreach / sinks_status   each sink's status (SHOW SINKS), one sink's (SHOW s STATUS)
 */
#include "server/sinks.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "connectors/sink_sql.h"
#include "executor/executor.h"
#include "planner/plan.h"

typedef struct SinkEntry {
    SinkSet *set;
    CatObject *obj;
    CatObject *view;
    PgSink *ps;               /* NULL until the loop is attached */
    int fd;                   /* watched socket, -1 none */
    int64_t timer;            /* loop timer id, 0 none */
    int64_t timer_at;
    char *target;             /* conninfo without password, and the table */
} SinkEntry;

struct SinkSet {
    Catalog *cat;
    Loop *loop;
    SinkEntry **v;
    int n, cap;
};

SinkSet *
sinks_new(Catalog *cat)
{
    SinkSet *ss = sl_calloc(1, sizeof *ss);
    ss->cat = cat;
    return ss;
}

static void
hold_view(SinkSet *ss, CatObject *view)
{
    if (!view->rt)
        return;
    int64_t floor = -1, cap = 0;
    for (int i = 0; i < ss->n; i++) {
        SinkEntry *e = ss->v[i];
        if (e->view != view)
            continue;
        int64_t h = e->ps ? pgsink_hold(e->ps)
                          : e->obj->sink->mode == PLAN_EMIT_COMPLETE ? -1
                                                                      : (int64_t)e->obj->start_offset;
        if (h < 0)
            continue;
        if (floor < 0 || h < floor)
            floor = h;
        if (e->obj->sink->backlog_bytes > cap)
            cap = e->obj->sink->backlog_bytes;
    }
    exec_view_hold(view, floor, cap);
}

static void entry_arm(SinkEntry *e);

static void
on_timer(Loop *loop, int64_t id, void *ctx)
{
    (void)loop;
    (void)id;
    SinkEntry *e = ctx;
    e->timer = 0;
    if (e->ps)
        pgsink_tick(e->ps, sl_mono_us());
    entry_arm(e);
}

/* One loop timer per sink, at its next deadline. */
static void
entry_arm(SinkEntry *e)
{
    Loop *loop = e->set->loop;
    int64_t at = e->ps ? pgsink_deadline(e->ps) : -1;
    if (e->timer && at == e->timer_at)
        return;
    if (e->timer) {
        loop_del_timer(loop, e->timer);
        e->timer = 0;
    }
    if (at < 0)
        return;
    int64_t ms = (at - sl_mono_us() + 999) / 1000;
    e->timer = loop_add_timer(loop, ms < 0 ? 0 : ms, false, on_timer, e);
    e->timer_at = at;
}

static void
on_fd(Loop *loop, int fd, int fired, void *ctx)
{
    (void)loop;
    (void)fd;
    SinkEntry *e = ctx;
    if (e->ps)
        pgsink_on_io(e->ps, (fired & (LOOP_READ | LOOP_HUP)) != 0,
                     (fired & (LOOP_WRITE | LOOP_HUP)) != 0);
    entry_arm(e);
}

static void
host_watch(void *ctx, PgSink *s, int fd, bool read, bool write)
{
    (void)s;
    SinkEntry *e = ctx;
    Loop *loop = e->set->loop;
    int mask = (read ? LOOP_READ : 0) | (write ? LOOP_WRITE : 0);
    if (e->fd == fd && loop_mod_fd(loop, fd, mask) == 0)
        return;
    if (e->fd >= 0)
        loop_del_fd(loop, e->fd);
    e->fd = -1;
    if (loop_add_fd(loop, fd, mask, on_fd, e) == 0)
        e->fd = fd;
}

static void
host_unwatch(void *ctx, PgSink *s, int fd)
{
    (void)s;
    SinkEntry *e = ctx;
    if (e->fd == fd) {
        loop_del_fd(e->set->loop, fd);
        e->fd = -1;
    }
}

static void
host_progress(void *ctx, PgSink *s)
{
    (void)s;
    SinkEntry *e = ctx;
    hold_view(e->set, e->view);
}

static const PgSinkHost *
host_ops(void)
{
    static const PgSinkHost ops = {NULL, host_watch, host_unwatch, host_progress};
    return &ops;
}

static void
entry_start(SinkEntry *e)
{
    PgSinkHost h = *host_ops();
    h.ctx = e;
    e->ps = pgsink_new(e->obj, e->view, &h);
    entry_arm(e);
}

void
sinks_attach_loop(SinkSet *ss, Loop *loop)
{
    ss->loop = loop;
    for (int i = 0; i < ss->n; i++)
        if (!ss->v[i]->ps)
            entry_start(ss->v[i]);
}

int
sinks_add(SinkSet *ss, CatObject *sink, SqlError *err)
{
    CatObject *view = cat_lookup(ss->cat, sink->source);
    if (!view || view->kind != CAT_VIEW) {
        err_setf(err, ERR_UNDEFINED_TABLE, -1, "view \"%s\" does not exist", sink->source);
        return -1;
    }
    Buf b;
    buf_init(&b);
    if (sinksql_redact(sink->sink->conninfo, &b) != 0) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1, "invalid conninfo: %s", b.data);
        buf_free(&b);
        return -1;
    }
    buf_printf(&b, " table=%s", sink->sink->table);
    SinkEntry *e = sl_calloc(1, sizeof *e);
    e->set = ss;
    e->obj = sink;
    e->view = view;
    e->fd = -1;
    e->target = sl_strdup(b.data);
    buf_free(&b);
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 8;
        ss->v = sl_realloc(ss->v, sizeof(SinkEntry *) * (size_t)ss->cap);
    }
    ss->v[ss->n++] = e;
    sink->rt = e;
    hold_view(ss, view);
    if (ss->loop)
        entry_start(e);
    return 0;
}

static void
entry_free(SinkEntry *e)
{
    pgsink_free(e->ps); /* unwatches its socket first */
    if (e->timer)
        loop_del_timer(e->set->loop, e->timer);
    free(e->target);
    free(e);
}

void
sinks_remove(SinkSet *ss, CatObject *sink)
{
    for (int i = 0; i < ss->n; i++) {
        SinkEntry *e = ss->v[i];
        if (e->obj != sink)
            continue;
        CatObject *view = e->view;
        memmove(&ss->v[i], &ss->v[i + 1], sizeof(SinkEntry *) * (size_t)(ss->n - i - 1));
        ss->n--;
        entry_free(e);
        sink->rt = NULL;
        hold_view(ss, view);
        return;
    }
}

void
sinks_free(SinkSet *ss)
{
    if (!ss)
        return;
    for (int i = 0; i < ss->n; i++) {
        ss->v[i]->obj->rt = NULL;
        entry_free(ss->v[i]);
    }
    free(ss->v);
    free(ss);
}

void
sinks_view_started(SinkSet *ss, CatObject *view)
{
    hold_view(ss, view);
}

void
sinks_poll(SinkSet *ss)
{
    for (int i = 0; i < ss->n; i++) {
        SinkEntry *e = ss->v[i];
        if (e->ps) {
            pgsink_poll(e->ps);
            entry_arm(e);
        }
    }
}

static void
entry_status(SinkEntry *e, PgSinkStatus *st)
{
    *st = (PgSinkStatus){.committed = -1, .state = "starting"};
    if (e->ps)
        pgsink_status(e->ps, st);
    else
        st->view_epoch = e->view->rt ? exec_view_epoch(e->view) : 0;
}

void
sinks_foreach(SinkSet *ss, SinkRowFn fn, void *ctx)
{
    for (int i = 0; i < ss->n; i++) {
        PgSinkStatus st;
        entry_status(ss->v[i], &st);
        fn(ctx, ss->v[i]->obj, ss->v[i]->target, &st);
    }
}

const char *
sinks_status(CatObject *sink, PgSinkStatus *st)
{
    SinkEntry *e = sink->rt;
    entry_status(e, st);
    return e->target;
}
