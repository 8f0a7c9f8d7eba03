/*
 * executor/sinkfeed.c — what durable consumers (sinks) read from a view: its
 * changelog after a committed epoch, whole epochs at a time, and its current
 * result table; and the hold that keeps the changelog until they commit.
 *
 * INTERFACE (executor.h)
 *   exec_changelog_read   rows of the epochs after a given one, in order
 *   exec_view_table       the current result table (COMPLETE: after ORDER BY / LIMIT)
 *   exec_view_hold        keep changelog entries after an epoch, within a byte cap
 *
 * The changelog holds the rows of the view's own mode (subscribe.c): final
 * rows (APPEND, and any non-aggregating view), or upserts and deletes
 * (an aggregating view in UPDATE mode). Epochs that produced no such row
 * leave no entry, so "every entry after e was read" means "through the
 * view's current epoch".
 */
#include "executor/runtime_int.h"

int64_t
exec_changelog_read(CatObject *view, int64_t after, int64_t max_rows, ExecChangeFn fn,
                    void *ctx, int64_t *through)
{
    ExView *v = view->rt;
    if (after < v->log_dropped)
        return -1;
    int nc = v->p->ncols;
    int64_t rows = 0;
    *through = after;
    for (Entry *e = v->log; e; e = e->next) {
        if (e->epoch <= after)
            continue;
        if (rows > 0 && rows + e->nrows > max_rows)
            return rows; /* whole epochs only; *through is the last one taken */
        for (int r = 0; r < e->nrows; r++)
            fn(ctx, e->epoch, e->ops[r], e->vals + (size_t)r * (size_t)nc);
        rows += e->nrows;
        *through = e->epoch;
    }
    if (v->epoch > *through)
        *through = v->epoch;
    return rows;
}

typedef struct TableCtx {
    ExecRowFn fn;
    void *ctx;
} TableCtx;

static void
table_row(void *ctx, const Value *row)
{
    TableCtx *t = ctx;
    t->fn(t->ctx, row);
}

void
exec_view_table(CatObject *view, ExecRowFn fn, void *ctx)
{
    TableCtx t = {fn, ctx};
    view_snapshot(view->rt, table_row, &t);
}

void
exec_view_hold(CatObject *view, int64_t floor_epoch, int64_t cap_bytes)
{
    ExView *v = view->rt;
    v->hold_floor = floor_epoch;
    v->hold_cap = cap_bytes;
    changelog_trim(v);
}
