/*
 * planner/explain.c — EXPLAIN: a view's operator tree as text, with every
 * stateful operator labelled by what bounds its state (DESIGN §3b).
 *
 * INTERFACE (planner.h)
 *   plan_explain_view   the tree, one operator per line, indented
 *   plan_expr_text      an expression as SQL-like text
 *   plan_mode_name      "APPEND" / "UPDATE" / "COMPLETE"
 *   plan_trigger_text   "after each ingest batch", "EVERY 00:00:02", ...
 */
#include "planner/planner.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/sltime.h"

const char *
plan_mode_name(PlanEmitMode m)
{
    switch (m) {
    case PLAN_EMIT_APPEND: return "APPEND";
    case PLAN_EMIT_UPDATE: return "UPDATE";
    case PLAN_EMIT_COMPLETE: return "COMPLETE";
    }
    return "?";
}

void
plan_trigger_text(const PlanView *p, Buf *out)
{
    switch (p->trigger) {
    case PLAN_TRIGGER_BATCH: buf_puts(out, "after each ingest batch"); break;
    case PLAN_TRIGGER_EVERY_ROW: buf_puts(out, "EVERY ROW"); break;
    case PLAN_TRIGGER_ON_DEMAND: buf_puts(out, "ON DEMAND"); break;
    case PLAN_TRIGGER_EVERY:
        buf_puts(out, "EVERY ");
        interval_format(p->every_us, out);
        break;
    }
}

static const char *
fn_op(FnId f)
{
    switch (f) {
    case FN_ADD_II: case FN_ADD_DD: case FN_ADD_TV: case FN_ADD_VV: return "+";
    case FN_SUB_II: case FN_SUB_DD: case FN_SUB_TV: case FN_SUB_TT: case FN_SUB_VV: return "-";
    case FN_MUL_II: case FN_MUL_DD: case FN_MUL_VD: return "*";
    case FN_DIV_II: case FN_DIV_DD: case FN_DIV_VD: return "/";
    case FN_MOD_II: case FN_MOD_DD: return "%";
    case FN_EQ: return "=";
    case FN_NE: return "<>";
    case FN_LT: return "<";
    case FN_LE: return "<=";
    case FN_GT: return ">";
    case FN_GE: return ">=";
    case FN_CONCAT_OP: return "||";
    case FN_LIKE: return "LIKE";
    case FN_ILIKE: return "ILIKE";
    default: return NULL;
    }
}

static const char *
fn_call_name(FnId f)
{
    /* "FN_LOWER" → "lower" */
    static char buf[FN__COUNT][24];
    if (!buf[f][0]) {
        const char *n = plan_fn_name[f] + 3;
        size_t i = 0;
        for (; n[i] && i < sizeof buf[f] - 1; i++)
            buf[f][i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] + 32 : n[i]);
        buf[f][i] = '\0';
    }
    return buf[f];
}

void
plan_expr_text(const PlanExpr *e, const char *const *colnames, Buf *out)
{
    switch (e->kind) {
    case PEXPR_CONST:
        if (e->constant.isnull) {
            buf_puts(out, "NULL");
        } else if (e->type == TYPE_TEXT || e->type == TYPE_TIMESTAMP || e->type == TYPE_INTERVAL) {
            if (e->type != TYPE_TEXT)
                buf_printf(out, "%s ", e->type == TYPE_TIMESTAMP ? "TIMESTAMP" : "INTERVAL");
            buf_putc(out, '\'');
            val_format(&e->constant, out);
            buf_putc(out, '\'');
        } else {
            val_format(&e->constant, out);
        }
        return;
    case PEXPR_PARAM:
        buf_printf(out, "$%d", e->col + 1);
        return;
    case PEXPR_COL:
        if (colnames)
            buf_puts(out, colnames[e->col]);
        else
            buf_printf(out, "$%d", e->col);
        return;
    case PEXPR_AND:
    case PEXPR_OR:
        buf_putc(out, '(');
        plan_expr_text(e->args[0], colnames, out);
        buf_puts(out, e->kind == PEXPR_AND ? " AND " : " OR ");
        plan_expr_text(e->args[1], colnames, out);
        buf_putc(out, ')');
        return;
    case PEXPR_NOT:
        buf_puts(out, "NOT ");
        plan_expr_text(e->args[0], colnames, out);
        return;
    case PEXPR_IS_NULL:
    case PEXPR_IS_TRUE:
    case PEXPR_IS_FALSE:
        buf_putc(out, '(');
        plan_expr_text(e->args[0], colnames, out);
        buf_printf(out, " IS %s%s)", e->negated ? "NOT " : "",
                   e->kind == PEXPR_IS_NULL ? "NULL" : e->kind == PEXPR_IS_TRUE ? "TRUE" : "FALSE");
        return;
    case PEXPR_CASE: {
        buf_puts(out, "CASE");
        int nw = (e->nargs - (e->has_else ? 1 : 0)) / 2;
        for (int i = 0; i < nw; i++) {
            buf_puts(out, " WHEN ");
            plan_expr_text(e->args[2 * i], colnames, out);
            buf_puts(out, " THEN ");
            plan_expr_text(e->args[2 * i + 1], colnames, out);
        }
        if (e->has_else) {
            buf_puts(out, " ELSE ");
            plan_expr_text(e->args[e->nargs - 1], colnames, out);
        }
        buf_puts(out, " END");
        return;
    }
    case PEXPR_IN:
        buf_putc(out, '(');
        plan_expr_text(e->args[0], colnames, out);
        buf_puts(out, e->negated ? " NOT IN (" : " IN (");
        for (int i = 1; i < e->nargs; i++) {
            if (i > 1)
                buf_puts(out, ", ");
            plan_expr_text(e->args[i], colnames, out);
        }
        buf_puts(out, "))");
        return;
    case PEXPR_FN: {
        const char *op = fn_op(e->fn);
        if (op && e->nargs == 2) {
            buf_putc(out, '(');
            plan_expr_text(e->args[0], colnames, out);
            buf_printf(out, " %s ", op);
            plan_expr_text(e->args[1], colnames, out);
            buf_putc(out, ')');
            return;
        }
        if (e->fn == FN_NEG_I || e->fn == FN_NEG_D || e->fn == FN_NEG_V) {
            buf_puts(out, "-");
            plan_expr_text(e->args[0], colnames, out);
            return;
        }
        if (e->fn >= FN_CAST_BOOL && e->fn <= FN_CAST_INTERVAL) {
            plan_expr_text(e->args[0], colnames, out);
            buf_printf(out, "::%s", type_name(e->type));
            return;
        }
        buf_printf(out, "%s(", fn_call_name(e->fn));
        for (int i = 0; i < e->nargs; i++) {
            if (i)
                buf_puts(out, ", ");
            plan_expr_text(e->args[i], colnames, out);
        }
        buf_putc(out, ')');
        return;
    }
    }
}

static void
indent(Buf *out, int level)
{
    for (int i = 0; i < level; i++)
        buf_puts(out, "  ");
    if (level)
        buf_puts(out, "-> ");
}

static void
explain_filter(const PlanView *p, const char *const *names, Buf *out, int lvl)
{
    indent(out, lvl);
    buf_puts(out, "Filter: ");
    plan_expr_text(p->where, names, out);
    buf_puts(out, "\n");
}

void
plan_explain_view(const CatObject *view, const CatObject *source, Buf *out)
{
    const PlanView *p = view->plan;
    int lvl = 1;
    buf_printf(out, "View %s (EMIT %s, trigger: ", view->name, plan_mode_name(p->mode));
    plan_trigger_text(p, out);
    buf_puts(out, ")\n");

    /* Column names of the windowed row and of the agg row, for printing. */
    int nin = source->ncols + 2;
    const char **in_names = arena_alloc(view->arena, sizeof(char *) * (size_t)nin);
    for (int i = 0; i < source->ncols; i++)
        in_names[i] = source->cols[i].name;
    in_names[source->ncols] = "window_start";
    in_names[source->ncols + 1] = "window_end";
    int nagg = p->ngroups + p->naggs;
    const char **agg_names = arena_alloc(view->arena, sizeof(char *) * (size_t)(nagg + 1));
    Buf tmp;
    buf_init(&tmp);
    for (int i = 0; i < p->ngroups; i++) {
        buf_clear(&tmp);
        plan_expr_text(p->groups[i], in_names, &tmp);
        agg_names[i] = arena_strdup(view->arena, tmp.data);
    }
    for (int i = 0; i < p->naggs; i++) {
        buf_clear(&tmp);
        buf_printf(&tmp, "%s(", p->aggs[i].name);
        if (p->aggs[i].arg)
            plan_expr_text(p->aggs[i].arg, in_names, &tmp);
        else
            buf_putc(&tmp, '*');
        buf_putc(&tmp, ')');
        agg_names[p->ngroups + i] = arena_strdup(view->arena, tmp.data);
    }
    const char *const *out_scope = p->aggregate ? agg_names : in_names;

    if (p->norder || p->limit >= 0) {
        indent(out, lvl++);
        buf_puts(out, "TopN:");
        for (int i = 0; i < p->norder; i++)
            buf_printf(out, "%s %s%s", i ? "," : "", p->names[p->order[i].col],
                       p->order[i].desc ? " DESC" : "");
        if (p->limit >= 0)
            buf_printf(out, " LIMIT %lld", (long long)p->limit);
        if (p->offset)
            buf_printf(out, " OFFSET %lld", (long long)p->offset);
        buf_puts(out, "\n");
    }
    indent(out, lvl++);
    buf_puts(out, "Project: ");
    for (int i = 0; i < p->ncols; i++) {
        buf_printf(out, "%s", i ? ", " : "");
        plan_expr_text(p->cols[i], out_scope, out);
        if (!(p->cols[i]->kind == PEXPR_COL && strcmp(out_scope[p->cols[i]->col], p->names[i]) == 0))
            buf_printf(out, " AS %s", p->names[i]);
    }
    buf_puts(out, "\n");
    if (p->having) {
        indent(out, lvl++);
        buf_puts(out, "Filter (HAVING): ");
        plan_expr_text(p->having, agg_names, out);
        buf_puts(out, "\n");
    }
    if (p->aggregate) {
        indent(out, lvl++);
        buf_puts(out, "HashAggregate: group by ");
        for (int i = 0; i < p->ngroups; i++)
            buf_printf(out, "%s%s", i ? ", " : "", agg_names[i]);
        if (!p->ngroups)
            buf_puts(out, "()");
        buf_puts(out, "; ");
        for (int i = 0; i < p->naggs; i++)
            buf_printf(out, "%s%s", i ? ", " : "", agg_names[p->ngroups + i]);
        if (p->window_group >= 0) {
            buf_puts(out, " [state: bounded by watermark; closed windows kept for ");
            interval_format(p->retention_us, out);
            buf_puts(out, "]\n");
        } else {
            buf_puts(out, " [state: UNBOUNDED (grows with distinct keys)]\n");
        }
    }
    if (p->where && p->where_windowed)
        explain_filter(p, in_names, out, lvl++);
    if (p->window != PLAN_WIN_NONE) {
        indent(out, lvl++);
        if (p->window == PLAN_WIN_TUMBLE) {
            buf_printf(out, "Window: TUMBLE(%s, ", in_names[p->time_col]);
            interval_format(p->size_us, out);
        } else {
            buf_printf(out, "Window: HOP(%s, slide ", in_names[p->time_col]);
            interval_format(p->slide_us, out);
            buf_puts(out, ", size ");
            interval_format(p->size_us, out);
        }
        buf_puts(out, ")\n");
    }
    if (p->where && !p->where_windowed)
        explain_filter(p, in_names, out, lvl++);
    indent(out, lvl);
    buf_printf(out, "Scan: stream %s", source->name);
    if (source->wm_col >= 0) {
        buf_printf(out, " (watermark %s - ", source->cols[source->wm_col].name);
        interval_format(source->wm_delay_us, out);
        buf_puts(out, ")");
    }
    buf_puts(out, "\n");
    buf_free(&tmp);
}
