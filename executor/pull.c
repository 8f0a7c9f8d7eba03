/*
 * executor/pull.c — pull queries: a SELECT over a view's current result
 * table (WHERE, projection, DISTINCT, ORDER BY, LIMIT/OFFSET), constant
 * SELECTs, and constant expressions.
 *
 * INTERFACE
 *   exec_pull        (executor.h)
 *   exec_eval_const  (executor.h)
 *   rows_sort        (runtime_int.h) stable sort of rows by PlanOrder keys
 */
#include "executor/runtime_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

typedef struct SortItem {
    Value *row;
    int64_t idx;
} SortItem;

typedef struct SortCtx {
    const PlanOrder *order;
    int norder;
} SortCtx;

static int
cmp_items(const void *pa, const void *pb, void *arg)
{
    const SortCtx *sc = arg;
    const SortItem *ia = pa, *ib = pb;
    for (int i = 0; i < sc->norder; i++) {
        const PlanOrder *o = &sc->order[i];
        const Value *x = &ia->row[o->col], *y = &ib->row[o->col];
        if (x->isnull || y->isnull) {
            if (x->isnull && y->isnull)
                continue;
            return x->isnull ? (o->nulls_first ? -1 : 1) : (o->nulls_first ? 1 : -1);
        }
        int c = val_cmp(x, y);
        if (c)
            return o->desc ? -c : c;
    }
    return (ia->idx > ib->idx) - (ia->idx < ib->idx);
}

int
rows_sort(Value **rows, int64_t nrows, int ncols, const PlanOrder *order, int norder)
{
    (void)ncols;
    SortCtx sc = {order, norder};
    SortItem *items = sl_malloc(sizeof(SortItem) * (size_t)(nrows + 1));
    for (int64_t i = 0; i < nrows; i++) {
        items[i].row = rows[i];
        items[i].idx = i;
    }
    qsort_r(items, (size_t)nrows, sizeof(SortItem), cmp_items, &sc);
    for (int64_t i = 0; i < nrows; i++)
        rows[i] = items[i].row;
    free(items);
    return 0;
}

int
exec_eval_const(const PlanExpr *e, Arena *a, Value *out, SqlError *err)
{
    EvalCtx cx = {.arena = a, .err = err, .now_us = sl_now_us()};
    return expr_eval(e, NULL, &cx, out);
}

typedef struct PullCtx {
    const PlanPull *p;
    Arena *a;
    EvalCtx cx;
    int width;
    Value **rows;
    int64_t n, cap;
    bool failed;
} PullCtx;

static void
pull_row(void *ctx, const Value *vrow)
{
    PullCtx *pc = ctx;
    if (pc->failed)
        return;
    const PlanPull *p = pc->p;
    if (p->where) {
        int ok = expr_eval_pred(p->where, vrow, &pc->cx);
        if (ok < 0) {
            pc->failed = true;
            return;
        }
        if (ok == 0)
            return;
    }
    Value *out = arena_alloc(pc->a, sizeof(Value) * (size_t)pc->width);
    for (int c = 0; c < pc->width; c++) {
        if (expr_eval(p->cols[c], vrow, &pc->cx, &out[c]) != 0) {
            pc->failed = true;
            return;
        }
        /* The view's row is only borrowed: keep our own copy of its text. */
        if (out[c].type == TYPE_TEXT && !out[c].isnull)
            val_copy_text(&out[c], pc->a);
    }
    if (pc->n == pc->cap) {
        pc->cap = pc->cap ? pc->cap * 2 : 256;
        pc->rows = sl_realloc(pc->rows, sizeof(Value *) * (size_t)pc->cap);
    }
    pc->rows[pc->n++] = out;
}

static bool
rows_equal(const Value *a, const Value *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i].isnull != b[i].isnull)
            return false;
        if (!a[i].isnull && val_cmp(&a[i], &b[i]) != 0)
            return false;
    }
    return true;
}

int64_t
exec_pull(Executor *x, const PlanPull *p, CatObject *view, Arena *a, ExecRowFn fn, void *ctx,
          SqlError *err)
{
    (void)x;
    PullCtx pc = {.p = p, .a = a, .width = p->ncols + p->nhidden};
    pc.cx.arena = a;
    pc.cx.err = err;
    pc.cx.now_us = sl_now_us();
    if (!view) {
        pull_row(&pc, NULL);
    } else {
        ExView *v = view->rt;
        if (v->failed) {
            err_setf(err, ERR_OUT_OF_MEMORY, -1, "view \"%s\" has failed: %s", view->name,
                     v->last_error);
            return -1;
        }
        view_snapshot(v, pull_row, &pc);
    }
    if (pc.failed) {
        free(pc.rows);
        return -1;
    }
    int64_t n = pc.n;
    if (p->distinct && n > 1) {
        /* Sort by every visible column, then drop neighbours that are equal. */
        PlanOrder *all = arena_alloc(a, sizeof(PlanOrder) * (size_t)p->ncols);
        for (int c = 0; c < p->ncols; c++)
            all[c] = (PlanOrder){.col = c};
        rows_sort(pc.rows, n, pc.width, all, p->ncols);
        int64_t w = 1;
        for (int64_t r = 1; r < n; r++)
            if (!rows_equal(pc.rows[r], pc.rows[w - 1], p->ncols))
                pc.rows[w++] = pc.rows[r];
        n = w;
    }
    if (p->norder)
        rows_sort(pc.rows, n, pc.width, p->order, p->norder);
    int64_t from = p->offset, to = n;
    if (p->limit >= 0 && from + p->limit < to)
        to = from + p->limit;
    int64_t sent = 0;
    for (int64_t r = from; r < to; r++, sent++)
        fn(ctx, pc.rows[r]);
    free(pc.rows);
    return sent;
}
