/*
 * executor/expr.c — evaluation of planned expressions (PlanExpr trees).
 *
 * A plain tree walk: the plan is immutable and already carries column
 * indexes, result types and function ids, so evaluation is a switch per
 * node. SQL three-valued logic lives here (AND, OR, NOT, IS, CASE, IN);
 * scalar functions live in functions.c behind the fn_impls table, and this
 * file applies their strictness (a NULL argument gives NULL without a call).
 *
 * Every result carries its node's type in Value.type, NULLs included. No
 * heap allocation happens per row: TEXT results are slices of the row,
 * plan constants, or memory in cx->arena.
 *
 * INTERFACE
 *   expr_eval       evaluate an expression over a row
 *   expr_eval_pred  evaluate a predicate (WHERE, HAVING): true only when non-NULL and true
 */
#include "executor/executor_int.h"

#include "common/util.h"

/* Function calls take at most this many arguments on the stack; the binder caps variadic
 * functions (concat, coalesce, greatest, least) at 64, larger lists fall back to the arena. */
#define EXPR_STACK_ARGS 64

/* Kept out of expr_eval so that the argument array is only on the stack of call frames. */
static int
eval_fn(const PlanExpr *e, const Value *row, EvalCtx *cx, Value *out)
{
    Value stack_args[EXPR_STACK_ARGS];
    Value *args = stack_args;
    int n = e->nargs;
    bool strict = plan_fn_strict[e->fn];

    if (n > EXPR_STACK_ARGS)
        args = arena_alloc(cx->arena, sizeof(Value) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (expr_eval(e->args[i], row, cx, &args[i]) < 0)
            return -1;
        if (strict && args[i].isnull) {
            *out = val_null(e->type);
            return 0;
        }
    }
    if (fn_impls[e->fn](cx, e, args, n, out) < 0)
        return -1;
    out->type = (uint8_t)e->type;
    return 0;
}

/* x IN (list): NULL when x is NULL, or when nothing matches but the list holds a NULL. */
static int
eval_in(const PlanExpr *e, const Value *row, EvalCtx *cx, Value *out)
{
    Value x, y;
    bool saw_null = false;

    if (expr_eval(e->args[0], row, cx, &x) < 0)
        return -1;
    if (x.isnull) {
        *out = val_null(TYPE_BOOL);
        return 0;
    }
    for (int i = 1; i < e->nargs; i++) {
        if (expr_eval(e->args[i], row, cx, &y) < 0)
            return -1;
        if (y.isnull) {
            saw_null = true;
        } else if (val_cmp(&x, &y) == 0) {
            *out = val_bool(!e->negated);
            return 0;
        }
    }
    *out = saw_null ? val_null(TYPE_BOOL) : val_bool(e->negated);
    return 0;
}

static int
eval_case(const PlanExpr *e, const Value *row, EvalCtx *cx, Value *out)
{
    int nwhen = e->has_else ? (e->nargs - 1) / 2 : e->nargs / 2;
    Value c;

    for (int i = 0; i < nwhen; i++) {
        if (expr_eval(e->args[2 * i], row, cx, &c) < 0)
            return -1;
        if (!c.isnull && c.i)
            return expr_eval(e->args[2 * i + 1], row, cx, out);
    }
    if (e->has_else)
        return expr_eval(e->args[e->nargs - 1], row, cx, out);
    *out = val_null(e->type);
    return 0;
}

/*
 * Evaluate `e` over `row` into *out. Returns 0, or -1 with cx->err set (first error wins).
 * TEXT results borrow the row's memory or the plan's constants, or are owned by cx->arena.
 * AND/OR evaluate their left side first and skip the right side once the left decides.
 */
int
expr_eval(const PlanExpr *e, const Value *row, EvalCtx *cx, Value *out)
{
    Value l, r;

    switch (e->kind) {
    case PEXPR_CONST:
        *out = e->constant;
        break;
    case PEXPR_COL:
        *out = row[e->col];
        break;
    case PEXPR_PARAM:
        if (!cx->params) {
            err_setf(cx->err, ERR_UNDEFINED_PARAMETER, e->pos, "no value for parameter $%d",
                     e->col + 1);
            return -1;
        }
        *out = cx->params[e->col];
        break;
    case PEXPR_FN:
        return eval_fn(e, row, cx, out);
    case PEXPR_AND:
    case PEXPR_OR: {
        /* AND: false dominates; OR: true dominates; otherwise NULL beats the neutral value. */
        bool dom = e->kind == PEXPR_OR;
        if (expr_eval(e->args[0], row, cx, &l) < 0)
            return -1;
        if (!l.isnull && (l.i != 0) == dom) {
            *out = val_bool(dom);
            break;
        }
        if (expr_eval(e->args[1], row, cx, &r) < 0)
            return -1;
        if (!r.isnull && (r.i != 0) == dom)
            *out = val_bool(dom);
        else if (l.isnull || r.isnull)
            *out = val_null(TYPE_BOOL);
        else
            *out = val_bool(!dom);
        break;
    }
    case PEXPR_NOT:
        if (expr_eval(e->args[0], row, cx, &l) < 0)
            return -1;
        *out = l.isnull ? l : val_bool(l.i == 0);
        break;
    case PEXPR_IS_NULL:
    case PEXPR_IS_TRUE:
    case PEXPR_IS_FALSE: {
        bool b;
        if (expr_eval(e->args[0], row, cx, &l) < 0)
            return -1;
        if (e->kind == PEXPR_IS_NULL)
            b = l.isnull;
        else if (e->kind == PEXPR_IS_TRUE)
            b = !l.isnull && l.i != 0;
        else
            b = !l.isnull && l.i == 0;
        *out = val_bool(b != e->negated);
        break;
    }
    case PEXPR_CASE:
        if (eval_case(e, row, cx, out) < 0)
            return -1;
        break;
    case PEXPR_IN:
        if (eval_in(e, row, cx, out) < 0)
            return -1;
        break;
    default:
        sl_panic("expr_eval: unknown expression kind %d", (int)e->kind);
    }
    out->type = (uint8_t)e->type;
    return 0;
}

/* 1 when `e` is non-NULL and true, 0 when false or NULL, -1 with cx->err set on error. */
int
expr_eval_pred(const PlanExpr *e, const Value *row, EvalCtx *cx)
{
    Value v;
    if (expr_eval(e, row, cx, &v) < 0)
        return -1;
    return !v.isnull && v.i != 0;
}
