/*
 * planner/select.c — planning of queries: CREATE VIEW (continuous) and
 * SELECT (pull queries over a view's result table, or constant SELECTs).
 *
 * INTERFACE (planner.h)
 *   plan_create_view   check DESIGN §1.6's rules and build a PlanView
 *   plan_select        build a PlanPull
 *
 * The rules checked at CREATE VIEW time, each with its own error:
 *   - the source exists and is a stream; TUMBLE/HOP name its WATERMARK column;
 *   - a windowed aggregate groups by window_start or window_end (42803);
 *   - every selected column is grouped or aggregated (42803);
 *   - EMIT APPEND needs rows that become final: no unwindowed aggregate (0A000);
 *   - EMIT COMPLETE needs an aggregate (the table would grow without bound);
 *   - ORDER BY / LIMIT only with EMIT COMPLETE (0A000).
 */
#include "planner/planner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/util.h"
#include "planner/planner_int.h"

static bool
str_is(Str s, const char *lit)
{
    return s.n == strlen(lit) && strncasecmp(s.p, lit, s.n) == 0;
}

/* The name a select-list item gets when it has no alias (PostgreSQL's rules). */
static const char *
target_name(Arena *a, const AstTarget *t)
{
    if (t->alias.n)
        return bind_str(a, t->alias);
    const AstExpr *e = t->expr;
    while (e->kind == AST_CAST)
        e = e->cast.arg;
    if (e->kind == AST_COLUMN)
        return bind_str(a, e->column.name);
    if (e->kind == AST_FUNC)
        return bind_str(a, e->func.name);
    if (e->kind == AST_CASE)
        return "case";
    return "?column?";
}

static CatObject *
lookup_relation(const Catalog *cat, Str name, Arena *a, SqlError *err)
{
    const char *n = bind_str(a, name);
    CatObject *o = cat_lookup(cat, n);
    if (!o) {
        err_setf(err, ERR_UNDEFINED_TABLE, name.pos, "relation \"%s\" does not exist", n);
        if (cat->n == 0)
            err_hint(err, "No streams or views exist yet: CREATE STREAM first.");
    }
    return o;
}

/* Sets up `b` over an object's columns plus, for windows, window_start and
 * window_end. Returns memory owned by `a`. */
static void
scope_of(Binder *b, const CatObject *o, bool windowed, Arena *a)
{
    int n = o->ncols + (windowed ? 2 : 0);
    const char **names = ARENA_ARRAY(a, const char *, n);
    SlType *types = ARENA_ARRAY(a, SlType, n);
    for (int i = 0; i < o->ncols; i++) {
        names[i] = o->cols[i].name;
        types[i] = o->cols[i].type;
    }
    if (windowed) {
        names[o->ncols] = "window_start";
        names[o->ncols + 1] = "window_end";
        types[o->ncols] = types[o->ncols + 1] = TYPE_TIMESTAMP;
    }
    b->ncols = n;
    b->names = names;
    b->types = types;
    b->qual = o->name;
}

/* TUMBLE(s, ts, size) / HOP(s, ts, slide, size) in FROM. */
static CatObject *
plan_window_from(const Catalog *cat, const AstFrom *f, Arena *a, PlanView *pv, SqlError *err)
{
    bool tumble = str_is(f->name, "tumble");
    bool hop = str_is(f->name, "hop");
    if (str_is(f->name, "session") || str_is(f->name, "tumble_rows") ||
        str_is(f->name, "hop_rows")) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, f->pos, "%s windows are not supported yet",
                 bind_str(a, f->name));
        err_hint(err, "TUMBLE and HOP windows are available.");
        return NULL;
    }
    if (!tumble && !hop) {
        err_setf(err, ERR_UNDEFINED_FUNCTION, f->pos, "table function %s does not exist",
                 bind_str(a, f->name));
        err_hint(err, "Use TUMBLE(stream, time_column, size) or HOP(stream, time_column, slide, "
                      "size).");
        return NULL;
    }
    int want = tumble ? 3 : 4;
    const char *fn = tumble ? "TUMBLE" : "HOP";
    if (f->args.n != want) {
        err_setf(err, ERR_UNDEFINED_FUNCTION, f->pos, "%s takes %d arguments: %s, %d given", fn,
                 want, tumble ? "(stream, time_column, size)" : "(stream, time_column, slide, size)",
                 f->args.n);
        return NULL;
    }
    const AstExpr *src = f->args.items[0];
    if (src->kind != AST_COLUMN || src->column.qualifier.n) {
        err_setf(err, ERR_SYNTAX_ERROR, src->pos, "the first argument of %s must be a stream name",
                 fn);
        return NULL;
    }
    CatObject *o = lookup_relation(cat, src->column.name, a, err);
    if (!o)
        return NULL;
    if (o->kind != CAT_STREAM) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, src->pos,
                 "windows over %s \"%s\" are not supported yet; window a stream",
                 cat_kind_name(o->kind), o->name);
        return NULL;
    }
    const AstExpr *tc = f->args.items[1];
    if (tc->kind != AST_COLUMN) {
        err_setf(err, ERR_SYNTAX_ERROR, tc->pos, "the second argument of %s must be a column", fn);
        return NULL;
    }
    const char *tcn = bind_str(a, tc->column.name);
    int col = -1;
    for (int i = 0; i < o->ncols; i++)
        if (strcmp(o->cols[i].name, tcn) == 0)
            col = i;
    if (col < 0) {
        err_setf(err, ERR_UNDEFINED_COLUMN, tc->pos, "column \"%s\" does not exist in stream \"%s\"",
                 tcn, o->name);
        return NULL;
    }
    if (o->wm_col < 0) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, tc->pos,
                 "stream \"%s\" has no event time: declare WATERMARK FOR %s in CREATE STREAM to "
                 "window it", o->name, tcn);
        err_hint(err, "For example: WATERMARK FOR %s AS %s - INTERVAL '5' SECOND.", tcn, tcn);
        return NULL;
    }
    if (col != o->wm_col) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, tc->pos,
                 "%s must use the stream's event-time column \"%s\" (its WATERMARK column), not "
                 "\"%s\"", fn, o->cols[o->wm_col].name, tcn);
        return NULL;
    }
    Binder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.err = err;
    int64_t size, slide;
    if (bind_interval_value(&b, f->args.items[tumble ? 2 : 3], "the window size", false, &size) != 0)
        return NULL;
    slide = size;
    if (hop) {
        if (bind_interval_value(&b, f->args.items[2], "the window slide", false, &slide) != 0)
            return NULL;
        if (slide > size) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, f->args.items[2]->pos,
                     "HOP slide must not be larger than the window size");
            err_hint(err, "HOP(stream, ts, slide, size): the slide comes before the size.");
            return NULL;
        }
        if (size % slide != 0) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, f->args.items[3]->pos,
                     "HOP window size must be a whole multiple of the slide");
            return NULL;
        }
        if (size / slide > 1000) {
            err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, f->args.items[3]->pos,
                     "HOP windows overlap %lld times; at most 1000 are supported",
                     (long long)(size / slide));
            return NULL;
        }
    }
    pv->window = tumble ? PLAN_WIN_TUMBLE : PLAN_WIN_HOP;
    pv->time_col = col;
    pv->size_us = size;
    pv->slide_us = slide;
    return o;
}

/* Whether `e` reads a column at index `from` or above. */
static bool
expr_reads_from(const PlanExpr *e, int from)
{
    if (e->kind == PEXPR_COL && e->col >= from)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (expr_reads_from(e->args[i], from))
            return true;
    return false;
}

static int64_t
parse_bytes(const char *s, bool *ok)
{
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    double mul = 1;
    if (!strcasecmp(end, "") || !strcasecmp(end, "b") || !strcasecmp(end, "bytes"))
        mul = 1;
    else if (!strcasecmp(end, "kb") || !strcasecmp(end, "k"))
        mul = 1024;
    else if (!strcasecmp(end, "mb") || !strcasecmp(end, "m"))
        mul = 1024.0 * 1024;
    else if (!strcasecmp(end, "gb") || !strcasecmp(end, "g"))
        mul = 1024.0 * 1024 * 1024;
    else {
        *ok = false;
        return 0;
    }
    *ok = v > 0;
    return (int64_t)(v * mul);
}

static int
view_options(const AstOptionList *with, Arena *a, PlanView *pv, SqlError *err)
{
    pv->retention_us = 3600 * SL_US_PER_SEC;
    for (int i = 0; i < with->n; i++) {
        const AstOption *o = &with->items[i];
        Binder b;
        memset(&b, 0, sizeof b);
        b.a = a;
        b.err = err;
        if (str_is(o->key, "retention")) {
            if (bind_interval_value(&b, o->value, "retention", false, &pv->retention_us) != 0)
                return -1;
        } else if (str_is(o->key, "max_state")) {
            bool ok = false;
            if (o->value && o->value->kind == AST_LITERAL &&
                (o->value->lit.kind == AST_LIT_STRING || o->value->lit.kind == AST_LIT_INT))
                pv->max_state_bytes = parse_bytes(bind_str(a, o->value->lit.text), &ok);
            if (!ok) {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos,
                         "max_state must be a size such as '256MB'");
                return -1;
            }
        } else {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos, "unrecognized view option \"%s\"",
                     bind_str(a, o->key));
            err_hint(err, "View options are retention and max_state.");
            return -1;
        }
    }
    return 0;
}

/* ORDER BY items → output column indexes: an output name, an ordinal, or an
 * expression equal to an output column's. When `extra` is given, any other
 * expression becomes a hidden output column appended to *ncols (pulls). */
static int
bind_order(Binder *b, const AstSelect *sel, int nvisible, PlanExpr ***cols, const char ***names,
           SlType **types, int *ncols, bool allow_hidden, PlanOrder **out)
{
    SqlError *err = b->err;
    PlanOrder *order = ARENA_ARRAY(b->a, PlanOrder, sel->norder);
    int cap = *ncols + sel->norder;
    PlanExpr **c = ARENA_ARRAY(b->a, PlanExpr *, cap);
    const char **nm = ARENA_ARRAY(b->a, const char *, cap);
    SlType *ty = ARENA_ARRAY(b->a, SlType, cap);
    memcpy(c, *cols, sizeof(PlanExpr *) * (size_t)*ncols);
    memcpy(nm, *names, sizeof(char *) * (size_t)*ncols);
    memcpy(ty, *types, sizeof(SlType) * (size_t)*ncols);
    for (int i = 0; i < sel->norder; i++) {
        const AstOrderItem *it = &sel->order[i];
        const AstExpr *e = it->expr;
        int idx = -1;
        if (e->kind == AST_LITERAL && e->lit.kind == AST_LIT_INT) {
            long k = strtol(bind_str(b->a, e->lit.text), NULL, 10);
            if (k < 1 || k > nvisible) {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, e->pos,
                         "ORDER BY position %ld is not in select list", k);
                return -1;
            }
            idx = (int)k - 1;
        } else if (e->kind == AST_COLUMN && e->column.qualifier.n == 0) {
            const char *n = bind_str(b->a, e->column.name);
            for (int j = 0; j < nvisible && idx < 0; j++)
                if (strcmp(nm[j], n) == 0)
                    idx = j;
        }
        if (idx < 0) {
            PlanExpr *p = bind_expr(b, e);
            if (!p)
                return -1;
            for (int j = 0; j < *ncols && idx < 0; j++)
                if (bind_expr_equal(p, c[j]))
                    idx = j;
            if (idx < 0) {
                if (!allow_hidden) {
                    err_setf(err, ERR_FEATURE_NOT_SUPPORTED, e->pos,
                             "ORDER BY in a view must name one of its output columns");
                    err_hint(err, "Add the expression to the select list, or order by its alias.");
                    return -1;
                }
                idx = *ncols;
                c[idx] = p;
                nm[idx] = "?sort?";
                ty[idx] = (SlType)p->type;
                (*ncols)++;
            }
        }
        order[i].col = idx;
        order[i].desc = it->desc;
        /* PostgreSQL: NULLs sort as larger than any value. */
        order[i].nulls_first = it->nulls == 1 || (it->nulls == 0 && it->desc);
    }
    *cols = c;
    *names = nm;
    *types = ty;
    *out = order;
    return 0;
}

static int
bind_limit(Binder *b, const AstSelect *sel, int64_t *limit, int64_t *offset)
{
    *limit = -1;
    *offset = 0;
    if (sel->limit && bind_const_int(b, sel->limit, "LIMIT", limit) != 0)
        return -1;
    if (sel->offset && bind_const_int(b, sel->offset, "OFFSET", offset) != 0)
        return -1;
    if ((sel->limit && *limit < 0) || *offset < 0) {
        err_setf(b->err, ERR_INVALID_PARAMETER_VALUE, sel->limit ? sel->limit->pos : sel->pos,
                 "LIMIT and OFFSET must not be negative");
        return -1;
    }
    return 0;
}

static bool
select_has_aggregate(const AstSelect *sel)
{
    if (sel->group_by.n || sel->having)
        return true;
    for (int i = 0; i < sel->ntargets; i++)
        if (bind_contains_aggregate(sel->targets[i].expr))
            return true;
    return false;
}

CatObject *
plan_create_view(const Catalog *cat, const AstStmt *s, const char *sql, SqlError *err)
{
    const AstSelect *sel = s->create_view.select;
    char nbuf[256];
    Str vn = s->create_view.name;
    if (vn.n == 0 || vn.n >= sizeof nbuf) {
        err_setf(err, ERR_INVALID_NAME, vn.pos, "invalid view name");
        return NULL;
    }
    memcpy(nbuf, vn.p, vn.n);
    nbuf[vn.n] = '\0';
    CatObject *existing = cat_lookup(cat, nbuf);
    if (existing) {
        if (s->create_view.if_not_exists)
            return NULL; /* no error set: the caller says "skipping" */
        if (s->create_view.or_replace)
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos,
                     "CREATE OR REPLACE VIEW is not supported: a running view's state cannot be "
                     "carried over to a new query");
        else
            err_setf(err, ERR_DUPLICATE_TABLE, vn.pos, "relation \"%s\" already exists", nbuf);
        err_hint(err, "DROP VIEW %s first.", nbuf);
        return NULL;
    }
    if (!sel->from) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->pos, "a view must read FROM a stream");
        return NULL;
    }
    CatObject *view = cat_object_new(CAT_VIEW, nbuf);
    Arena *a = view->arena;
    view->sql = arena_strdup(a, sql);
    PlanView *pv = ARENA_NEW(a, PlanView);
    pv->name = view->name;
    pv->sql = view->sql;
    pv->window_group = -1;
    pv->limit = -1;
    view->plan = pv;

    CatObject *src;
    if (sel->from->kind == AST_FROM_FUNC) {
        src = plan_window_from(cat, sel->from, a, pv, err);
    } else {
        src = lookup_relation(cat, sel->from->name, a, err);
        if (src && src->kind == CAT_SINK) {
            err_setf(err, ERR_WRONG_OBJECT_TYPE, sel->from->pos,
                     "\"%s\" is a sink, which a view cannot read", src->name);
            src = NULL;
        } else if (src && src->kind != CAT_STREAM) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->from->pos,
                     "views over views are not supported yet; read from the stream");
            src = NULL;
        }
    }
    if (!src)
        goto fail;
    pv->source = arena_strdup(a, src->name);
    view->source = pv->source;
    pv->in_ncols = src->ncols;
    SlType *in_types = ARENA_ARRAY(a, SlType, src->ncols);
    for (int i = 0; i < src->ncols; i++)
        in_types[i] = src->cols[i].type;
    pv->in_types = in_types;
    pv->wm_col = src->wm_col;

    Binder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.err = err;
    bool windowed = pv->window != PLAN_WIN_NONE;
    if (sel->from->alias.n)
        b.alias = bind_str(a, sel->from->alias);

    /* WHERE: over the windowed row; it runs before window assignment unless
     * it reads window_start / window_end. */
    scope_of(&b, src, windowed, a);
    b.clause = "WHERE";
    if (sel->where) {
        pv->where = bind_expr(&b, sel->where);
        if (!pv->where)
            goto fail;
        if (pv->where->type != TYPE_BOOL) {
            err_setf(err, ERR_DATATYPE_MISMATCH, sel->where->pos,
                     "argument of WHERE must be type boolean, not type %s",
                     type_name(pv->where->type));
            goto fail;
        }
        pv->where_windowed = windowed && expr_reads_from(pv->where, src->ncols);
    }

    scope_of(&b, src, windowed, a);
    pv->aggregate = select_has_aggregate(sel);
    if (sel->distinct) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->pos,
                 "SELECT DISTINCT in a view is not supported yet");
        err_hint(err, "GROUP BY the columns instead.");
        goto fail;
    }

    /* GROUP BY: over the windowed row; an output alias is accepted too. */
    if (pv->aggregate) {
        b.clause = "GROUP BY";
        pv->ngroups = sel->group_by.n;
        pv->groups = ARENA_ARRAY(a, PlanExpr *, pv->ngroups + 1);
        for (int i = 0; i < sel->group_by.n; i++) {
            const AstExpr *g = sel->group_by.items[i];
            const AstExpr *use = g;
            if (g->kind == AST_COLUMN && g->column.qualifier.n == 0) {
                const char *gn = bind_str(a, g->column.name);
                bool in_scope = false;
                for (int j = 0; j < b.ncols; j++)
                    if (strcmp(b.names[j], gn) == 0)
                        in_scope = true;
                for (int t = 0; !in_scope && t < sel->ntargets; t++)
                    if (sel->targets[t].alias.n && strcmp(bind_str(a, sel->targets[t].alias), gn) == 0)
                        use = sel->targets[t].expr;
            }
            if (bind_contains_aggregate(use)) {
                err_setf(err, ERR_GROUPING_ERROR, g->pos,
                         "aggregate functions are not allowed in GROUP BY");
                goto fail;
            }
            PlanExpr *p = bind_expr(&b, use);
            if (!p)
                goto fail;
            pv->groups[i] = p;
            if (windowed && p->kind == PEXPR_COL && p->col >= src->ncols && pv->window_group < 0)
                pv->window_group = i;
        }
        if (windowed && pv->window_group < 0) {
            err_setf(err, ERR_GROUPING_ERROR, sel->group_by.n ? sel->group_by.items[0]->pos : sel->pos,
                     "a windowed aggregate must GROUP BY window_start or window_end");
            err_hint(err, "Add window_start, window_end to the GROUP BY clause.");
            goto fail;
        }
        b.agg = true;
        b.ngroups = pv->ngroups;
        b.groups = pv->groups;
        b.clause = "the select list";
    } else {
        b.clause = "a query without GROUP BY";
    }

    /* The select list. */
    int cap = 0;
    for (int i = 0; i < sel->ntargets; i++)
        cap += sel->targets[i].expr->kind == AST_STAR ? b.ncols : 1;
    pv->cols = ARENA_ARRAY(a, PlanExpr *, cap);
    pv->names = ARENA_ARRAY(a, const char *, cap);
    pv->types = ARENA_ARRAY(a, SlType, cap);
    pv->is_key = ARENA_ARRAY(a, bool, cap);
    int nc = 0;
    for (int i = 0; i < sel->ntargets; i++) {
        const AstTarget *t = &sel->targets[i];
        if (t->expr->kind == AST_STAR) {
            if (pv->aggregate) {
                err_setf(err, ERR_GROUPING_ERROR, t->expr->pos,
                         "SELECT * is not allowed in an aggregate query; list the columns");
                goto fail;
            }
            for (int j = 0; j < b.ncols; j++) {
                pv->cols[nc] = bind_col(a, j, b.types[j], t->expr->pos);
                pv->names[nc] = b.names[j];
                pv->types[nc] = b.types[j];
                nc++;
            }
            continue;
        }
        PlanExpr *p = bind_expr(&b, t->expr);
        if (!p)
            goto fail;
        if (p->type == TYPE_UNKNOWN || (p->kind == PEXPR_CONST && p->col == -2))
            p = bind_coerce(&b, p, TYPE_TEXT, "column");
        if (!p)
            goto fail;
        pv->cols[nc] = p;
        pv->names[nc] = target_name(a, t);
        pv->types[nc] = (SlType)p->type;
        pv->is_key[nc] = pv->aggregate && p->kind == PEXPR_COL && p->col < pv->ngroups;
        nc++;
    }
    pv->ncols = nc;
    for (int i = 0; i < nc; i++) {
        for (int j = 0; j < i; j++) {
            if (strcmp(pv->names[i], pv->names[j]) == 0) {
                err_setf(err, ERR_DUPLICATE_COLUMN, sel->pos,
                         "column \"%s\" specified more than once in view \"%s\"", pv->names[i],
                         view->name);
                err_hint(err, "Give the columns distinct names with AS.");
                goto fail;
            }
        }
    }

    if (sel->having) {
        b.clause = "HAVING";
        pv->having = bind_expr(&b, sel->having);
        if (!pv->having)
            goto fail;
        if (pv->having->type != TYPE_BOOL) {
            err_setf(err, ERR_DATATYPE_MISMATCH, sel->having->pos,
                     "argument of HAVING must be type boolean, not type %s",
                     type_name(pv->having->type));
            goto fail;
        }
    }
    pv->naggs = b.naggs;
    pv->aggs = b.aggs;

    /* EMIT mode and trigger. */
    const AstEmit *em = &sel->emit;
    bool unwindowed_agg = pv->aggregate && pv->window_group < 0;
    if (em->mode == AST_EMIT_DEFAULT)
        pv->mode = unwindowed_agg ? PLAN_EMIT_UPDATE : PLAN_EMIT_APPEND;
    else
        pv->mode = (PlanEmitMode)em->mode;
    if (pv->mode == PLAN_EMIT_APPEND && unwindowed_agg) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, em->mode_pos,
                 "EMIT APPEND is not possible for an aggregate without a window: no result row "
                 "is ever final");
        err_hint(err, "Use EMIT UPDATE (or COMPLETE), or aggregate over TUMBLE/HOP windows and "
                      "GROUP BY window_start, window_end.");
        goto fail;
    }
    if (pv->mode == PLAN_EMIT_COMPLETE && !pv->aggregate) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, em->mode_pos,
                 "EMIT COMPLETE needs an aggregating query: the whole result of a query without "
                 "aggregation grows with every event");
        err_hint(err, "Use EMIT APPEND.");
        goto fail;
    }
    switch (em->trigger) {
    case AST_TRIGGER_DEFAULT: pv->trigger = PLAN_TRIGGER_BATCH; break;
    case AST_TRIGGER_EVERY_ROW: pv->trigger = PLAN_TRIGGER_EVERY_ROW; break;
    case AST_TRIGGER_ON_DEMAND: pv->trigger = PLAN_TRIGGER_ON_DEMAND; break;
    case AST_TRIGGER_EVERY:
        pv->trigger = PLAN_TRIGGER_EVERY;
        if (bind_interval_value(&b, em->every, "EVERY", false, &pv->every_us) != 0)
            goto fail;
        if (pv->every_us < 1000) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, em->every->pos,
                     "EVERY must be at least 1 millisecond");
            goto fail;
        }
        break;
    }

    /* ORDER BY / LIMIT: only where the whole table is emitted. */
    if (sel->norder || sel->limit || sel->offset) {
        if (pv->mode != PLAN_EMIT_COMPLETE) {
            int32_t pos = sel->norder ? sel->order[0].expr->pos
                          : sel->limit ? sel->limit->pos : sel->offset->pos;
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, pos,
                     "ORDER BY and LIMIT in a view need EMIT COMPLETE");
            err_hint(err, "An APPEND or UPDATE view emits changes, which have no order; sort in "
                          "the pull query (SELECT ... FROM view ORDER BY ...) or use EMIT "
                          "COMPLETE.");
            goto fail;
        }
        /* Order over the output row: rebind in the output scope. */
        Binder ob = b;
        ob.agg = pv->aggregate;
        int n = pv->ncols;
        if (sel->norder && bind_order(&ob, sel, pv->ncols, &pv->cols, &pv->names, &pv->types, &n,
                                      false, &pv->order) != 0)
            goto fail;
        pv->norder = sel->norder;
        if (bind_limit(&b, sel, &pv->limit, &pv->offset) != 0)
            goto fail;
    }

    if (view_options(&s->create_view.with, a, pv, err) != 0)
        goto fail;

    view->ncols = pv->ncols;
    view->cols = ARENA_ARRAY(a, CatColumn, pv->ncols);
    for (int i = 0; i < pv->ncols; i++) {
        view->cols[i].name = pv->names[i];
        view->cols[i].type = pv->types[i];
    }
    if (unwindowed_agg)
        view->notice = arena_sprintf(a,
                                     "view \"%s\" keeps one state per distinct group for ever "
                                     "(UNBOUNDED: grows with distinct keys)", view->name);
    return view;
fail:
    arena_free(view->arena);
    return NULL;
}

PlanPull *
plan_select(const Catalog *cat, const AstSelect *sel, PlanParams *params, Arena *a,
            SqlError *err)
{
    PlanPull *pp = ARENA_NEW(a, PlanPull);
    Binder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.err = err;
    b.params = params;
    b.clause = "a pull query";
    const CatObject *o = NULL;
    if (sel->from) {
        if (sel->from->kind == AST_FROM_FUNC) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->from->pos,
                     "window functions are only allowed in CREATE VIEW");
            err_hint(err, "Create a view over the window and SELECT from the view.");
            return NULL;
        }
        o = lookup_relation(cat, sel->from->name, a, err);
        if (!o)
            return NULL;
        if (o->kind == CAT_SINK) {
            err_setf(err, ERR_WRONG_OBJECT_TYPE, sel->from->pos,
                     "\"%s\" is a sink, which cannot be queried", o->name);
            err_hint(err, "SELECT from its view %s, or from its target table in PostgreSQL.",
                     o->source);
            return NULL;
        }
        if (o->kind == CAT_STREAM) {
            err_setf(err, ERR_WRONG_OBJECT_TYPE, sel->from->pos,
                     "stream \"%s\" cannot be queried with SELECT: a stream is unbounded", o->name);
            err_hint(err, "SUBSCRIBE %s to watch its events, or create a view over it and "
                          "SELECT from the view.", o->name);
            return NULL;
        }
        pp->view = o->name;
        scope_of(&b, o, false, a);
        if (sel->from->alias.n)
            b.alias = bind_str(a, sel->from->alias);
    }
    if (select_has_aggregate(sel)) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->pos,
                 "aggregates and GROUP BY in pull queries are not supported yet");
        err_hint(err, "Define the aggregate in a view (CREATE VIEW ... GROUP BY ...) and SELECT "
                      "from it.");
        return NULL;
    }
    if (sel->emit.mode_pos >= 0 && sel->emit.mode != AST_EMIT_DEFAULT) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, sel->emit.mode_pos,
                 "EMIT belongs to CREATE VIEW or SUBSCRIBE, not to a pull query");
        return NULL;
    }
    if (sel->where) {
        b.clause = "WHERE";
        pp->where = bind_expr(&b, sel->where);
        if (!pp->where)
            return NULL;
        if (pp->where->type != TYPE_BOOL && !(pp->where->type == TYPE_UNKNOWN)) {
            err_setf(err, ERR_DATATYPE_MISMATCH, sel->where->pos,
                     "argument of WHERE must be type boolean, not type %s",
                     type_name(pp->where->type));
            return NULL;
        }
    }
    b.clause = "the select list";
    int cap = 0;
    for (int i = 0; i < sel->ntargets; i++)
        cap += sel->targets[i].expr->kind == AST_STAR ? b.ncols : 1;
    PlanExpr **cols = ARENA_ARRAY(a, PlanExpr *, cap + 1);
    const char **names = ARENA_ARRAY(a, const char *, cap + 1);
    SlType *types = ARENA_ARRAY(a, SlType, cap + 1);
    int nc = 0;
    for (int i = 0; i < sel->ntargets; i++) {
        const AstTarget *t = &sel->targets[i];
        if (t->expr->kind == AST_STAR) {
            if (!o) {
                err_setf(err, ERR_SYNTAX_ERROR, t->expr->pos, "SELECT * with no tables specified");
                return NULL;
            }
            for (int j = 0; j < b.ncols; j++) {
                cols[nc] = bind_col(a, j, b.types[j], t->expr->pos);
                names[nc] = b.names[j];
                types[nc++] = b.types[j];
            }
            continue;
        }
        PlanExpr *p = bind_expr(&b, t->expr);
        if (!p)
            return NULL;
        if (p->type == TYPE_UNKNOWN || (p->kind == PEXPR_CONST && p->col == -2))
            p = bind_coerce(&b, p, TYPE_TEXT, "column");
        if (!p)
            return NULL;
        cols[nc] = p;
        names[nc] = target_name(a, t);
        types[nc++] = (SlType)p->type;
    }
    pp->ncols = nc;
    pp->distinct = sel->distinct;
    int total = nc;
    if (sel->norder) {
        b.clause = "ORDER BY";
        if (bind_order(&b, sel, nc, &cols, &names, &types, &total, !sel->distinct, &pp->order) != 0)
            return NULL;
        pp->norder = sel->norder;
    }
    pp->nhidden = total - nc;
    pp->cols = cols;
    pp->names = names;
    pp->types = types;
    if (bind_limit(&b, sel, &pp->limit, &pp->offset) != 0)
        return NULL;
    return pp;
}
