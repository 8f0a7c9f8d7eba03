/*
 * executor/view.c — a continuous view at run time: the operator pipeline
 * scan → filter → window assignment → hash aggregate | project, and the
 * trigger that turns accumulated changes into a numbered epoch.
 *
 * INTERFACE (runtime_int.h)
 *   view_new / view_free   start / stop a view
 *   view_push              push a batch of input events (state updated, nothing emitted)
 *   view_fire              a trigger: emit what changed, close windows the watermark passed,
 *                          expire closed windows past retention; one epoch if anything changed
 *   view_fail              stop a view with an error (state budget exceeded)
 *   view_snapshot          the current result table (pull queries, COMPLETE)
 *   view_set_tracking      start marking changed groups (an UPDATE/COMPLETE consumer arrived)
 *
 * Window closing happens only in view_fire, with the stream's watermark at
 * that moment. Events are accepted only at or above the watermark current
 * at their arrival, so an accepted event never belongs to a closed window:
 * results do not depend on how input was split into batches (DESIGN §1.5).
 */
#include "executor/runtime_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sltime.h"
#include "common/util.h"

ExView *
view_new(Executor *x, CatObject *cat, ExStream *src)
{
    const PlanView *p = cat->plan;
    ExView *v = sl_calloc(1, sizeof *v);
    v->cat = cat;
    v->p = p;
    v->src = src;
    v->x = x;
    v->wm = INT64_MIN;
    v->hold_floor = -1;
    v->scratch = arena_new(65536);
    v->wrow = sl_calloc((size_t)p->in_ncols + 2, sizeof(Value));
    v->arow = sl_calloc((size_t)(p->ngroups + p->naggs) + 1, sizeof(Value));
    v->orow = sl_calloc((size_t)p->ncols + 1, sizeof(Value));
    v->track = p->mode != PLAN_EMIT_APPEND;
    if (p->trigger == PLAN_TRIGGER_EVERY)
        v->next_fire = x->now_mono + p->every_us;
    if (p->aggregate) {
        /* window_start / window_end in GROUP BY are the window's own bounds:
         * not stored per group. */
        v->key_src = sl_calloc((size_t)p->ngroups + 1, sizeof(int8_t));
        for (int k = 0; k < p->ngroups; k++) {
            const PlanExpr *ge = p->groups[k];
            bool win = p->window != PLAN_WIN_NONE && ge->kind == PEXPR_COL &&
                       ge->col >= p->in_ncols;
            v->key_src[k] = win ? (int8_t)(ge->col == p->in_ncols ? -1 : -2)
                                : (int8_t)v->nstored++;
        }
        size_t off = sizeof(Group) + sizeof(Value) * (size_t)v->nstored;
        v->agg_off = sl_calloc((size_t)p->naggs + 1, sizeof(size_t));
        for (int i = 0; i < p->naggs; i++) {
            off = (off + 7) & ~(size_t)7;
            v->agg_off[i] = off;
            off += agg_state_size(&p->aggs[i]);
            if ((p->aggs[i].kind == AGG_MIN || p->aggs[i].kind == AGG_MAX) &&
                p->aggs[i].type == TYPE_TEXT)
                v->has_text_state = true;
        }
        v->group_size = (off + 15) & ~(size_t)15;
        if (p->window_group < 0)
            slot_find(v, INT64_MIN, INT64_MAX, true);
    }
    return v;
}

static void
closed_free(Closed *c)
{
    arena_free(c->arena);
    free(c);
}

void
view_free(ExView *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->nslots; i++)
        slot_free(v, v->slots[i]);
    free(v->slots);
    for (Closed *c = v->closed; c;) {
        Closed *n = c->next;
        closed_free(c);
        c = n;
    }
    for (Entry *e = v->log; e;) {
        Entry *n = e->next;
        entry_free(e);
        e = n;
    }
    if (v->building)
        entry_free(v->building);
    if (v->inbox)
        entry_free(v->inbox);
    free(v->dirty);
    free(v->key_src);
    free(v->agg_off);
    free(v->wrow);
    free(v->arow);
    free(v->orow);
    arena_free(v->scratch);
    free(v);
}

static void
note_error(ExView *v, const SqlError *err)
{
    v->errors++;
    snprintf(v->last_error, sizeof v->last_error, "%s: %s", err->sqlstate,
             err->message ? err->message : "");
}

static void
mark_dirty(ExView *v, Slot *s, Group *g)
{
    g->dirty = 1;
    if (v->ndirty == v->capdirty) {
        v->capdirty = v->capdirty ? v->capdirty * 2 : 256;
        v->dirty = sl_realloc(v->dirty, sizeof(*v->dirty) * (size_t)v->capdirty);
    }
    v->dirty[v->ndirty].g = g;
    v->dirty[v->ndirty++].s = s;
}

/* One windowed row (v->wrow) into the aggregate or the output. */
static void
absorb(ExView *v, Slot *slot, EvalCtx *cx)
{
    const PlanView *p = v->p;
    if (!p->aggregate) {
        for (int c = 0; c < p->ncols; c++) {
            if (expr_eval(p->cols[c], v->wrow, cx, &v->orow[c]) != 0) {
                note_error(v, cx->err);
                err_clear(cx->err);
                return;
            }
        }
        if (!v->building)
            v->building = entry_new();
        entry_add(v->building, OP_FINAL, v->orow, p->ncols);
        return;
    }
    Value *keys = v->arow;
    for (int k = 0; k < p->ngroups; k++) {
        int dst = v->key_src[k];
        if (dst < 0)
            continue; /* the window's bound */
        const PlanExpr *ge = p->groups[k];
        if (ge->kind == PEXPR_COL) {
            keys[dst] = v->wrow[ge->col];
            continue;
        }
        if (expr_eval(ge, v->wrow, cx, &keys[dst]) != 0) {
            note_error(v, cx->err);
            err_clear(cx->err);
            return;
        }
    }
    bool created;
    Group *g = slot_group(v, slot, keys, group_hash(keys, v->nstored), &created);
    for (int i = 0; i < p->naggs; i++) {
        const PlanAgg *agg = &p->aggs[i];
        int rc;
        if (agg->arg) {
            Value val;
            if (agg->arg->kind == PEXPR_COL) {
                val = v->wrow[agg->arg->col];
            } else if (expr_eval(agg->arg, v->wrow, cx, &val) != 0) {
                note_error(v, cx->err);
                err_clear(cx->err);
                continue;
            }
            rc = agg_step(agg, group_state(v, g, i), &val, cx->err);
        } else {
            rc = agg_step(agg, group_state(v, g, i), NULL, cx->err);
        }
        if (rc != 0) {
            note_error(v, cx->err);
            err_clear(cx->err);
        }
    }
    v->changed = true;
    if (v->track && !g->dirty)
        mark_dirty(v, slot, g);
}

static void
apply_rows(ExView *v, const Value *rows, int nrows, int ncols)
{
    const PlanView *p = v->p;
    arena_reset(v->scratch);
    SqlError err;
    err_init(&err, v->scratch);
    EvalCtx cx = {.arena = v->scratch, .err = &err, .now_us = sl_now_us()};
    Slot *unwindowed = p->aggregate && p->window_group < 0 ? v->slots[0] : NULL;
    int64_t size = p->size_us, slide = p->slide_us;
    for (int r = 0; r < nrows; r++) {
        const Value *row = rows + (size_t)r * (size_t)ncols;
        v->rows_in++;
        if (p->where && !p->where_windowed) {
            int ok = expr_eval_pred(p->where, row, &cx);
            if (ok < 0) {
                note_error(v, &err);
                err_clear(&err);
            }
            if (ok != 1)
                continue;
        }
        memcpy(v->wrow, row, sizeof(Value) * (size_t)ncols);
        if (p->window == PLAN_WIN_NONE) {
            absorb(v, unwindowed, &cx);
            continue;
        }
        int64_t ts = row[p->time_col].i;
        int64_t last = sl_floor_div(ts, slide) * slide;
        for (int64_t st = last - size + slide; st <= last; st += slide) {
            v->wrow[ncols] = val_ts(st);
            v->wrow[ncols + 1] = val_ts(st + size);
            if (p->where_windowed) {
                int ok = expr_eval_pred(p->where, v->wrow, &cx);
                if (ok < 0) {
                    note_error(v, &err);
                    err_clear(&err);
                }
                if (ok != 1)
                    continue;
            }
            Slot *s = NULL;
            if (p->aggregate) {
                /* p->window_group >= 0 here: a windowed aggregate */
                s = slot_find(v, st, st + size, true);
            }
            absorb(v, s, &cx);
        }
        if ((r & 1023) == 1023)
            arena_reset(v->scratch);
    }
}

static void
check_budget(ExView *v)
{
    const PlanView *p = v->p;
    if (p->max_state_bytes && v->state_bytes > p->max_state_bytes) {
        SqlError e2;
        err_init(&e2, NULL);
        err_setf(&e2, ERR_OUT_OF_MEMORY, -1,
                 "view \"%s\" exceeded its state budget (max_state = %lld bytes)", v->cat->name,
                 (long long)p->max_state_bytes);
        err_hint(&e2, "Raise WITH (max_state = ...), shorten the windows, or reduce the keys.");
        view_fail(v, &e2);
        err_clear(&e2);
    }
}

void
view_push(ExView *v, const Value *rows, int nrows, int ncols)
{
    if (v->failed || nrows == 0)
        return;
    v->pending = true;
    PlanTrigger t = v->p->trigger;
    if (t == PLAN_TRIGGER_EVERY || t == PLAN_TRIGGER_ON_DEMAND) {
        if (!v->inbox)
            v->inbox = entry_new();
        size_t before = v->inbox->bytes;
        for (int r = 0; r < nrows; r++)
            entry_add(v->inbox, OP_FINAL, rows + (size_t)r * (size_t)ncols, ncols);
        v->state_bytes += (int64_t)(v->inbox->bytes - before);
    } else {
        apply_rows(v, rows, nrows, ncols);
    }
    check_budget(v);
}

void
view_fail(ExView *v, SqlError *err)
{
    if (v->failed)
        return;
    v->failed = true;
    note_error(v, err);
    for (int i = 0; i < v->nslots; i++)
        slot_free(v, v->slots[i]);
    v->nslots = 0;
    v->ndirty = 0;
    subs_end_all(&v->subs, err);
}

/* Moves a window that the watermark passed into the closed store, adding
 * its final rows to the epoch being built. */
static void
close_slot(ExView *v, Slot *s, Entry **e)
{
    const PlanView *p = v->p;
    Closed *c = sl_calloc(1, sizeof *c);
    c->end = s->end;
    size_t est = s->n * (size_t)p->ncols * sizeof(Value) + 256;
    c->arena = arena_new(est < 1024 ? 1024 : est > 1048576 ? 1048576 : est);
    c->rows = arena_alloc(c->arena, (s->n + 1) * (size_t)p->ncols * sizeof(Value));
    arena_reset(v->scratch);
    Group **sorted = slot_sorted_groups(v, s);
    for (size_t i = 0; i < s->n; i++) {
        Group *g = sorted[i];
        bool visible;
        Value *row = c->rows + (size_t)c->nrows * (size_t)p->ncols;
        if (group_output(v, s, g, v->scratch, row, &visible) != 0 || !visible)
            continue;
        for (int k = 0; k < p->ncols; k++)
            if (row[k].type == TYPE_TEXT && !row[k].isnull)
                val_copy_text(&row[k], c->arena);
        c->nrows++;
        if (!*e)
            *e = entry_new();
        entry_add(*e, OP_FINAL, row, p->ncols);
    }
    free(sorted);
    v->closed_rows += c->nrows;
    v->windows_closed++;
    if (v->closed_tail)
        v->closed_tail->next = c;
    else
        v->closed = c;
    v->closed_tail = c;
    slot_free(v, s);
}

void
view_fire(ExView *v, int64_t wm)
{
    const PlanView *p = v->p;
    if (v->failed)
        return;
    if (v->inbox) {
        Entry *in = v->inbox;
        v->inbox = NULL;
        v->state_bytes -= (int64_t)in->bytes;
        apply_rows(v, in->vals, in->nrows, p->in_ncols);
        entry_free(in);
        check_budget(v);
        if (v->failed)
            return;
    }
    if (wm > v->wm)
        v->wm = wm;
    Entry *e = v->building;
    v->building = NULL;
    if (p->aggregate) {
        if (v->ndirty) {
            arena_reset(v->scratch);
            if (!e)
                e = entry_new();
            for (int i = 0; i < v->ndirty; i++) {
                Group *g = v->dirty[i].g;
                bool visible;
                group_output(v, v->dirty[i].s, g, v->scratch, v->orow, &visible);
                if (visible) {
                    entry_add(e, OP_UPSERT, v->orow, p->ncols);
                } else if (g->emitted) {
                    /* A delete names the row by its key; the rest is NULL. */
                    for (int c = 0; c < p->ncols; c++)
                        if (!p->is_key[c])
                            v->orow[c] = val_null(p->types[c]);
                    entry_add(e, OP_DELETE, v->orow, p->ncols);
                }
                g->emitted = visible;
                g->dirty = 0;
            }
            v->ndirty = 0;
        }
        if (p->window_group >= 0) {
            int n = 0;
            while (n < v->nslots && v->slots[n]->end <= v->wm)
                close_slot(v, v->slots[n++], &e);
            if (n) {
                memmove(v->slots, v->slots + n, sizeof(Slot *) * (size_t)(v->nslots - n));
                v->nslots -= n;
            }
            /* Expire closed windows that fell out of retention. */
            if (v->wm > INT64_MIN + p->retention_us) {
                int64_t horizon = v->wm - p->retention_us;
                while (v->closed && v->closed->end < horizon) {
                    Closed *c = v->closed;
                    v->closed = c->next;
                    if (!v->closed)
                        v->closed_tail = NULL;
                    v->closed_rows -= c->nrows;
                    closed_free(c);
                }
            }
        }
    }
    v->pending = false;
    /* Every trigger that changed the result table is an epoch, whoever is
     * listening: epoch numbers must not depend on the subscribers. */
    bool changed = v->changed || (e && e->nrows > 0);
    v->changed = false;
    if (changed) {
        if (!e)
            e = entry_new();
        v->epoch++;
        e->epoch = v->epoch;
        v->rows_out += e->nrows;
        view_publish(v, e);
    } else if (e) {
        entry_free(e);
    }
}

void
view_set_tracking(ExView *v)
{
    if (v->track || !v->p->aggregate)
        return;
    v->track = true;
    /* The subscribers know of every group visible now. */
    arena_reset(v->scratch);
    for (int s = 0; s < v->nslots; s++) {
        Slot *sl = v->slots[s];
        for (size_t i = 0; i < sl->cap; i++) {
            Group *g = sl->table[i];
            if (!g)
                continue;
            bool visible;
            group_output(v, sl, g, v->scratch, v->orow, &visible);
            g->emitted = visible;
        }
    }
}

/* The current result table, after the view's ORDER BY / LIMIT. Rows are
 * handed to `fn` one at a time (borrowed for the call). */
void
view_snapshot(ExView *v, ViewRowFn fn, void *ctx)
{
    const PlanView *p = v->p;
    int nc = p->ncols;
    Arena *a = arena_new(65536);
    size_t cap = 1024, n = 0;
    Value **rows = sl_malloc(cap * sizeof(Value *));
#define ADD_ROW(src)                                                          \
    do {                                                                      \
        if (n == cap) {                                                       \
            cap *= 2;                                                         \
            rows = sl_realloc(rows, cap * sizeof(Value *));                   \
        }                                                                     \
        rows[n] = arena_alloc(a, sizeof(Value) * (size_t)nc);                 \
        memcpy(rows[n], (src), sizeof(Value) * (size_t)nc);                   \
        n++;                                                                  \
    } while (0)
    if (p->aggregate) {
        for (Closed *c = v->closed; c; c = c->next)
            for (int r = 0; r < c->nrows; r++)
                ADD_ROW(c->rows + (size_t)r * (size_t)nc);
        for (int s = 0; s < v->nslots; s++) {
            Slot *sl = v->slots[s];
            Group **sorted = slot_sorted_groups(v, sl);
            for (size_t i = 0; i < sl->n; i++) {
                bool visible;
                Value *tmp = arena_alloc(a, sizeof(Value) * (size_t)nc);
                if (group_output(v, sl, sorted[i], a, tmp, &visible) != 0 || !visible)
                    continue;
                /* TEXT of min/max points into the state: stable for this call. */
                ADD_ROW(tmp);
            }
            free(sorted);
        }
    } else {
        /* a sink's hold may keep entries beyond retention: they are not in the table */
        int64_t horizon = v->log_tail ? v->log_tail->wall_us - p->retention_us : 0;
        for (Entry *e = v->log; e; e = e->next)
            for (int r = 0; r < e->nrows && e->wall_us >= horizon; r++)
                if (e->ops[r] == OP_FINAL)
                    ADD_ROW(e->vals + (size_t)r * (size_t)nc);
    }
#undef ADD_ROW
    if (p->norder)
        rows_sort(rows, (int64_t)n, nc, p->order, p->norder);
    size_t from = (size_t)(p->offset < 0 ? 0 : p->offset);
    size_t to = n;
    if (p->limit >= 0 && from + (size_t)p->limit < to)
        to = from + (size_t)p->limit;
    for (size_t i = from; i < to; i++)
        fn(ctx, rows[i]);
    free(rows);
    arena_free(a);
}
