/*
 * planner/bind.c — expression binding: names → column indexes, operators
 * and functions → typed FnIds, literals → constants, implicit coercions.
 *
 * INTERFACE (planner_int.h)
 *   bind_expr              bind one expression in the binder's scope
 *   bind_coerce            implicit coercion to a target type, or 42804
 *   bind_const / bind_col  plan-node constructors
 *   bind_expr_equal        structural equality (GROUP BY matching)
 *   bind_is_aggregate_name / bind_contains_aggregate
 *   bind_literal_value     a literal's value (INSERT, options)
 *   bind_const_int / bind_interval_value   integer / interval constants (LIMIT, EVERY, ...)
 *
 * Coercion follows PostgreSQL where it matters to users: an untyped string
 * literal takes the type the context needs ('2026-01-01' compared with a
 * TIMESTAMP is a timestamp), NULL takes any type, BIGINT widens to DOUBLE.
 * Anything else needs an explicit CAST.
 */
#include "planner/planner_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/sltime.h"
#include "common/util.h"
#include "planner/planner.h"

const bool plan_fn_strict[FN__COUNT] = {
#define PLAN_FN_STRICT(id, strict) strict,
    PLAN_FUNCTIONS(PLAN_FN_STRICT)
#undef PLAN_FN_STRICT
};

const char *const plan_fn_name[FN__COUNT] = {
#define PLAN_FN_NAME(id, strict) #id,
    PLAN_FUNCTIONS(PLAN_FN_NAME)
#undef PLAN_FN_NAME
};

/* An untyped string literal is a TEXT constant whose `col` is -2: a private
 * mark that it may still be reinterpreted as another type. */
#define UNTYPED_MARK (-2)

const char *
bind_str(Arena *a, Str s)
{
    return arena_strndup(a, s.p ? s.p : "", s.n);
}

PlanExpr *
bind_const(Arena *a, Value v, int32_t pos)
{
    PlanExpr *p = ARENA_NEW(a, PlanExpr);
    p->kind = PEXPR_CONST;
    p->type = (SlType)v.type;
    p->constant = v;
    p->pos = pos;
    p->col = -1;
    return p;
}

PlanExpr *
bind_col(Arena *a, int col, SlType type, int32_t pos)
{
    PlanExpr *p = ARENA_NEW(a, PlanExpr);
    p->kind = PEXPR_COL;
    p->type = type;
    p->col = col;
    p->pos = pos;
    return p;
}

static PlanExpr *
mk_node(Arena *a, PlanExprKind kind, SlType type, int32_t pos, int nargs)
{
    PlanExpr *p = ARENA_NEW(a, PlanExpr);
    p->kind = kind;
    p->type = type;
    p->pos = pos;
    p->col = -1;
    p->nargs = nargs;
    p->args = nargs ? ARENA_ARRAY(a, PlanExpr *, nargs) : NULL;
    return p;
}

static PlanExpr *
mk_fn(Arena *a, FnId fn, SlType type, int32_t pos, int nargs, PlanExpr *x, PlanExpr *y)
{
    PlanExpr *p = mk_node(a, PEXPR_FN, type, pos, nargs);
    p->fn = fn;
    if (nargs > 0)
        p->args[0] = x;
    if (nargs > 1)
        p->args[1] = y;
    return p;
}

static bool
is_untyped(const PlanExpr *p)
{
    return (p->kind == PEXPR_CONST || p->kind == PEXPR_PARAM) && p->type == TYPE_TEXT &&
           p->col == UNTYPED_MARK;
}

/* ------------------------------------------------------------------ parameters */

static PlanExpr *
param_node(Arena *a, int idx, SlType t, int32_t pos)
{
    PlanExpr *p = ARENA_NEW(a, PlanExpr);
    p->kind = PEXPR_PARAM;
    p->type = t;
    p->pos = pos;
    p->col = idx;
    return p;
}

/* An untyped parameter (col holds the untyped mark, constant.i its index)
 * settles on type t, which is recorded for ParameterDescription. */
static PlanExpr *
settle_param(Binder *b, PlanExpr *p, SlType t)
{
    int idx = (int)p->constant.i;
    PlanParams *pp = b->params;
    if (pp && idx < pp->ntypes && pp->types[idx] == TYPE_UNKNOWN)
        pp->types[idx] = t;
    return param_node(b->a, idx, t, p->pos);
}

static PlanExpr *
bind_param(Binder *b, const AstExpr *e)
{
    PlanParams *pp = b->params;
    int idx = e->param.index - 1;
    if (!pp || (pp->values && idx >= pp->ntypes)) {
        err_setf(b->err, ERR_UNDEFINED_PARAMETER, e->pos, "there is no parameter $%d",
                 e->param.index);
        return NULL;
    }
    if (idx >= pp->ntypes) {
        int n = idx + 1;
        SlType *t = arena_alloc(pp->a, sizeof(SlType) * (size_t)n);
        for (int i = 0; i < n; i++)
            t[i] = i < pp->ntypes ? pp->types[i] : TYPE_UNKNOWN;
        pp->types = t;
        pp->ntypes = n;
    }
    SlType t = pp->types[idx];
    if (pp->values) {
        Value v = pp->values[idx];
        if (v.isnull)
            v = val_null(t);
        v.type = (uint8_t)t;
        return bind_const(b->a, v, e->pos);
    }
    if (t != TYPE_UNKNOWN)
        return param_node(b->a, idx, t, e->pos);
    /* Untyped: a TEXT-looking node with the untyped mark, settled by context. */
    PlanExpr *p = param_node(b->a, idx, TYPE_TEXT, e->pos);
    p->constant.i = idx;
    p->col = UNTYPED_MARK;
    return p;
}

static bool
is_null_const(const PlanExpr *p)
{
    return p->kind == PEXPR_CONST && p->type == TYPE_UNKNOWN;
}

static bool
is_numeric(SlType t)
{
    return t == TYPE_BIGINT || t == TYPE_DOUBLE;
}

static FnId
cast_fn(SlType t)
{
    switch (t) {
    case TYPE_BOOL: return FN_CAST_BOOL;
    case TYPE_BIGINT: return FN_CAST_INT;
    case TYPE_DOUBLE: return FN_CAST_DOUBLE;
    case TYPE_TEXT: return FN_CAST_TEXT;
    case TYPE_TIMESTAMP: return FN_CAST_TS;
    case TYPE_INTERVAL: return FN_CAST_INTERVAL;
    default: return FN_CAST_TEXT;
    }
}

/* Reinterpret an untyped literal (or NULL) as type t at plan time. */
static PlanExpr *
retype_literal(Binder *b, PlanExpr *p, SlType t)
{
    if (is_null_const(p)) {
        PlanExpr *q = bind_const(b->a, val_null(t), p->pos);
        return q;
    }
    if (p->kind == PEXPR_PARAM)
        return settle_param(b, p, t);
    Value v;
    SqlError e2;
    err_init(&e2, b->a);
    if (val_parse(t, p->constant.s, p->constant.len, b->a, &v, &e2) != 0) {
        err_setf(b->err, e2.code, p->pos, "%s", e2.message);
        if (e2.hint)
            err_hint(b->err, "%s", e2.hint);
        return NULL;
    }
    return bind_const(b->a, v, p->pos);
}

static bool
is_cast_allowed(SlType from, SlType to)
{
    if (from == to || from == TYPE_UNKNOWN || to == TYPE_TEXT || from == TYPE_TEXT)
        return true;
    if (is_numeric(from) && is_numeric(to))
        return true;
    if ((from == TYPE_BOOL && to == TYPE_BIGINT) || (from == TYPE_BIGINT && to == TYPE_BOOL))
        return true;
    /* timestamps and intervals convert to and from epoch microseconds? No:
     * PostgreSQL refuses, and so do we; use extract(epoch from ts). */
    return false;
}

static PlanExpr *
explicit_cast(Binder *b, PlanExpr *p, SlType t, int32_t pos)
{
    if (p->type == t && !is_untyped(p))
        return p;
    if (is_untyped(p) || is_null_const(p)) {
        if (t == TYPE_TEXT && is_untyped(p) && p->kind == PEXPR_PARAM)
            return settle_param(b, p, TYPE_TEXT);
        if (t == TYPE_TEXT && is_untyped(p)) {
            PlanExpr *q = bind_const(b->a, p->constant, p->pos);
            return q;
        }
        return retype_literal(b, p, t);
    }
    if (!is_cast_allowed((SlType)p->type, t)) {
        err_setf(b->err, ERR_DATATYPE_MISMATCH, pos, "cannot cast type %s to %s",
                 type_name(p->type), type_name(t));
        return NULL;
    }
    return mk_fn(b->a, cast_fn(t), t, pos, 1, p, NULL);
}

PlanExpr *
bind_coerce(Binder *b, PlanExpr *p, SlType target, const char *what)
{
    if (!p)
        return NULL;
    if (p->type == target && !is_untyped(p))
        return p;
    if (is_untyped(p) || is_null_const(p)) {
        if (target == TYPE_TEXT && p->kind == PEXPR_PARAM)
            return settle_param(b, p, TYPE_TEXT);
        if (target == TYPE_TEXT)
            return bind_const(b->a, is_null_const(p) ? val_null(TYPE_TEXT) : p->constant, p->pos);
        return retype_literal(b, p, target);
    }
    if (p->type == TYPE_BIGINT && target == TYPE_DOUBLE)
        return mk_fn(b->a, FN_CAST_DOUBLE, TYPE_DOUBLE, p->pos, 1, p, NULL);
    err_setf(b->err, ERR_DATATYPE_MISMATCH, p->pos, "%s is of type %s but expression is of type %s",
             what, type_name(target), type_name(p->type));
    err_hint(b->err, "You will need to rewrite or cast the expression.");
    return NULL;
}

/* Settle the types of an untyped/NULL operand against the other side. */
static bool
unify_literals(Binder *b, PlanExpr **x, PlanExpr **y)
{
    PlanExpr *l = *x, *r = *y;
    bool lu = is_untyped(l) || is_null_const(l);
    bool ru = is_untyped(r) || is_null_const(r);
    if (lu && !ru) {
        *x = retype_literal(b, l, (SlType)r->type);
        return *x != NULL;
    }
    if (ru && !lu) {
        *y = retype_literal(b, r, (SlType)l->type);
        return *y != NULL;
    }
    if (lu && ru) {
        *x = bind_coerce(b, l, TYPE_TEXT, "operand");
        *y = bind_coerce(b, r, TYPE_TEXT, "operand");
        return *x && *y;
    }
    return true;
}


static PlanExpr *
no_operator(Binder *b, AstOp op, const PlanExpr *l, const PlanExpr *r, int32_t pos)
{
    if (l)
        err_setf(b->err, ERR_UNDEFINED_FUNCTION, pos, "operator does not exist: %s %s %s",
                 type_name(l->type), ast_op_sql(op), type_name(r->type));
    else
        err_setf(b->err, ERR_UNDEFINED_FUNCTION, pos, "operator does not exist: %s %s",
                 ast_op_sql(op), type_name(r->type));
    err_hint(b->err, "No operator matches the given name and argument types. "
                     "You might need to add explicit type casts.");
    return NULL;
}

static PlanExpr *
to_double(Binder *b, PlanExpr *p)
{
    if (p->type == TYPE_DOUBLE)
        return p;
    return mk_fn(b->a, FN_CAST_DOUBLE, TYPE_DOUBLE, p->pos, 1, p, NULL);
}

static PlanExpr *
bind_arith(Binder *b, AstOp op, PlanExpr *l, PlanExpr *r, int32_t pos)
{
    /* An untyped literal beside a timestamp in + or - is an interval. */
    if ((op == AST_OP_ADD || op == AST_OP_SUB) && l->type == TYPE_TIMESTAMP && is_untyped(r)) {
        r = retype_literal(b, r, TYPE_INTERVAL);
        if (!r)
            return NULL;
    }
    if (!unify_literals(b, &l, &r))
        return NULL;
    SlType lt = (SlType)l->type, rt = (SlType)r->type;
    if (is_numeric(lt) && is_numeric(rt)) {
        bool ints = lt == TYPE_BIGINT && rt == TYPE_BIGINT;
        static const FnId int_fns[] = {FN_ADD_II, FN_SUB_II, FN_MUL_II, FN_DIV_II, FN_MOD_II};
        static const FnId dbl_fns[] = {FN_ADD_DD, FN_SUB_DD, FN_MUL_DD, FN_DIV_DD, FN_MOD_DD};
        int k = (int)op - (int)AST_OP_ADD;
        if (ints)
            return mk_fn(b->a, int_fns[k], TYPE_BIGINT, pos, 2, l, r);
        return mk_fn(b->a, dbl_fns[k], TYPE_DOUBLE, pos, 2, to_double(b, l), to_double(b, r));
    }
    if (op == AST_OP_ADD && lt == TYPE_TIMESTAMP && rt == TYPE_INTERVAL)
        return mk_fn(b->a, FN_ADD_TV, TYPE_TIMESTAMP, pos, 2, l, r);
    if (op == AST_OP_ADD && lt == TYPE_INTERVAL && rt == TYPE_TIMESTAMP)
        return mk_fn(b->a, FN_ADD_TV, TYPE_TIMESTAMP, pos, 2, r, l);
    if (op == AST_OP_SUB && lt == TYPE_TIMESTAMP && rt == TYPE_INTERVAL)
        return mk_fn(b->a, FN_SUB_TV, TYPE_TIMESTAMP, pos, 2, l, r);
    if (op == AST_OP_SUB && lt == TYPE_TIMESTAMP && rt == TYPE_TIMESTAMP)
        return mk_fn(b->a, FN_SUB_TT, TYPE_INTERVAL, pos, 2, l, r);
    if (op == AST_OP_ADD && lt == TYPE_INTERVAL && rt == TYPE_INTERVAL)
        return mk_fn(b->a, FN_ADD_VV, TYPE_INTERVAL, pos, 2, l, r);
    if (op == AST_OP_SUB && lt == TYPE_INTERVAL && rt == TYPE_INTERVAL)
        return mk_fn(b->a, FN_SUB_VV, TYPE_INTERVAL, pos, 2, l, r);
    if (op == AST_OP_MUL && lt == TYPE_INTERVAL && is_numeric(rt))
        return mk_fn(b->a, FN_MUL_VD, TYPE_INTERVAL, pos, 2, l, to_double(b, r));
    if (op == AST_OP_MUL && is_numeric(lt) && rt == TYPE_INTERVAL)
        return mk_fn(b->a, FN_MUL_VD, TYPE_INTERVAL, pos, 2, r, to_double(b, l));
    if (op == AST_OP_DIV && lt == TYPE_INTERVAL && is_numeric(rt))
        return mk_fn(b->a, FN_DIV_VD, TYPE_INTERVAL, pos, 2, l, to_double(b, r));
    return no_operator(b, op, l, r, pos);
}

static PlanExpr *
bind_compare(Binder *b, AstOp op, PlanExpr *l, PlanExpr *r, int32_t pos)
{
    if (!unify_literals(b, &l, &r))
        return NULL;
    if (l->type != r->type) {
        if (is_numeric((SlType)l->type) && is_numeric((SlType)r->type)) {
            l = to_double(b, l);
            r = to_double(b, r);
        } else {
            return no_operator(b, op, l, r, pos);
        }
    }
    static const FnId fns[] = {FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE};
    return mk_fn(b->a, fns[op - AST_OP_EQ], TYPE_BOOL, pos, 2, l, r);
}

static PlanExpr *
need_bool(Binder *b, PlanExpr *p, const char *ctx)
{
    if (!p)
        return NULL;
    if (p->type == TYPE_BOOL && !is_untyped(p))
        return p;
    if (is_null_const(p) || is_untyped(p))
        return retype_literal(b, p, TYPE_BOOL);
    err_setf(b->err, ERR_DATATYPE_MISMATCH, p->pos, "argument of %s must be type boolean, not type %s",
             ctx, type_name(p->type));
    return NULL;
}

/* ------------------------------------------------------------------ literals */

int
bind_literal_value(Binder *b, const AstExpr *e, Value *out)
{
    const Str *t = &e->lit.text;
    SqlError e2;
    switch (e->lit.kind) {
    case AST_LIT_NULL:
        *out = val_null(TYPE_UNKNOWN);
        return 0;
    case AST_LIT_BOOL:
        *out = val_bool(t->n > 0 && (t->p[0] == 't' || t->p[0] == 'T'));
        return 0;
    case AST_LIT_INT: {
        errno = 0;
        char *end;
        const char *s = arena_strndup(b->a, t->p, t->n);
        long long v = strtoll(s, &end, 10);
        if (errno == ERANGE) {
            /* Too large for BIGINT: PostgreSQL would make it numeric. */
            *out = val_double(strtod(s, NULL));
            return 0;
        }
        *out = val_int(v);
        return 0;
    }
    case AST_LIT_FLOAT:
        *out = val_double(strtod(arena_strndup(b->a, t->p, t->n), NULL));
        return 0;
    case AST_LIT_STRING:
        *out = val_text(arena_strndup(b->a, t->p, t->n), t->n);
        return 0;
    case AST_LIT_TYPED: {
        const char *tn = bind_str(b->a, e->lit.type_name);
        SlType ty = type_from_name(tn, strlen(tn));
        if (ty == TYPE_UNKNOWN) {
            err_setf(b->err, ERR_UNDEFINED_OBJECT, e->pos, "type \"%s\" does not exist", tn);
            return -1;
        }
        err_init(&e2, b->a);
        if (ty == TYPE_INTERVAL) {
            int64_t us;
            if (interval_parse(t->p, t->n, e->lit.unit.p, e->lit.unit.n, &us, &e2) != 0) {
                err_setf(b->err, e2.code, e->pos, "%s", e2.message);
                return -1;
            }
            *out = val_interval(us);
            return 0;
        }
        if (val_parse(ty, t->p, t->n, b->a, out, &e2) != 0) {
            err_setf(b->err, e2.code, e->pos, "%s", e2.message);
            return -1;
        }
        return 0;
    }
    }
    return -1;
}

/* ------------------------------------------------------------------ names */

static PlanExpr *
bind_column(Binder *b, const AstExpr *e)
{
    const char *name = bind_str(b->a, e->column.name);
    if (e->column.qualifier.n) {
        const char *q = bind_str(b->a, e->column.qualifier);
        bool ok = (b->qual && strcmp(q, b->qual) == 0) || (b->alias && strcmp(q, b->alias) == 0);
        if (!ok) {
            err_setf(b->err, ERR_UNDEFINED_TABLE, e->pos,
                     "missing FROM-clause entry for table \"%s\"", q);
            return NULL;
        }
    }
    for (int i = 0; i < b->ncols; i++)
        if (strcmp(b->names[i], name) == 0)
            return bind_col(b->a, i, b->types[i], e->pos);
    if (e->column.qualifier.n)
        err_setf(b->err, ERR_UNDEFINED_COLUMN, e->pos, "column %s.%s does not exist",
                 bind_str(b->a, e->column.qualifier), name);
    else
        err_setf(b->err, ERR_UNDEFINED_COLUMN, e->pos, "column \"%s\" does not exist", name);
    if (b->ncols > 0) {
        /* Name the columns that do exist: cheap and saves a round trip. */
        size_t len = 0;
        for (int i = 0; i < b->ncols; i++)
            len += strlen(b->names[i]) + 2;
        char *list = arena_alloc(b->a, len + 1);
        list[0] = '\0';
        for (int i = 0; i < b->ncols; i++) {
            if (i)
                strcat(list, ", ");
            strcat(list, b->names[i]);
        }
        err_hint(b->err, "Available columns: %s.", list);
    }
    return NULL;
}

/* ------------------------------------------------------------------ aggregates */

static const char *const agg_names[] = {"count", "sum", "avg", "min", "max"};

bool
bind_is_aggregate_name(const char *name)
{
    for (size_t i = 0; i < SL_ARRAY_LEN(agg_names); i++)
        if (strcmp(name, agg_names[i]) == 0)
            return true;
    return false;
}

static bool
is_agg_call(const AstExpr *e)
{
    if (e->kind != AST_FUNC)
        return false;
    char tmp[16];
    if (e->func.name.n >= sizeof tmp)
        return false;
    memcpy(tmp, e->func.name.p, e->func.name.n);
    tmp[e->func.name.n] = '\0';
    return bind_is_aggregate_name(tmp);
}

bool
bind_contains_aggregate(const AstExpr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case AST_FUNC:
        if (is_agg_call(e))
            return true;
        for (int i = 0; i < e->func.args.n; i++)
            if (bind_contains_aggregate(e->func.args.items[i]))
                return true;
        return false;
    case AST_UNARY: return bind_contains_aggregate(e->unary.arg);
    case AST_BINARY:
        return bind_contains_aggregate(e->binary.left) || bind_contains_aggregate(e->binary.right);
    case AST_CAST: return bind_contains_aggregate(e->cast.arg);
    case AST_IS: return bind_contains_aggregate(e->is.arg);
    case AST_BETWEEN:
        return bind_contains_aggregate(e->between.arg) || bind_contains_aggregate(e->between.lo) ||
               bind_contains_aggregate(e->between.hi);
    case AST_IN:
        if (bind_contains_aggregate(e->in.arg))
            return true;
        for (int i = 0; i < e->in.list.n; i++)
            if (bind_contains_aggregate(e->in.list.items[i]))
                return true;
        return false;
    case AST_LIKE:
        return bind_contains_aggregate(e->like.arg) || bind_contains_aggregate(e->like.pattern);
    case AST_CASE:
        if (bind_contains_aggregate(e->case_.operand) || bind_contains_aggregate(e->case_.else_expr))
            return true;
        for (int i = 0; i < e->case_.nwhens; i++)
            if (bind_contains_aggregate(e->case_.whens[i].cond) ||
                bind_contains_aggregate(e->case_.whens[i].result))
                return true;
        return false;
    default:
        return false;
    }
}

bool
bind_expr_equal(const PlanExpr *x, const PlanExpr *y)
{
    if (x == y)
        return true;
    if (!x || !y || x->kind != y->kind || x->type != y->type || x->nargs != y->nargs ||
        x->negated != y->negated || x->has_else != y->has_else)
        return false;
    switch (x->kind) {
    case PEXPR_CONST:
        if (x->constant.isnull != y->constant.isnull)
            return false;
        return x->constant.isnull || val_equal(&x->constant, &y->constant);
    case PEXPR_COL:
    case PEXPR_PARAM:
        return x->col == y->col;
    case PEXPR_FN:
        if (x->fn != y->fn)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < x->nargs; i++)
        if (!bind_expr_equal(x->args[i], y->args[i]))
            return false;
    return true;
}

static PlanExpr *
bind_aggregate(Binder *b, const AstExpr *e)
{
    const char *name = bind_str(b->a, e->func.name);
    if (e->func.distinct) {
        err_setf(b->err, ERR_FEATURE_NOT_SUPPORTED, e->pos, "%s(DISTINCT ...) is not supported yet",
                 name);
        return NULL;
    }
    PlanAgg agg = {.name = name};
    if (e->func.star) {
        if (strcmp(name, "count") != 0) {
            err_setf(b->err, ERR_SYNTAX_ERROR, e->pos, "%s(*) is not allowed; only count(*)", name);
            return NULL;
        }
        agg.kind = AGG_COUNT_STAR;
        agg.type = TYPE_BIGINT;
    } else {
        if (e->func.args.n != 1) {
            err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos,
                     "function %s takes exactly one argument, %d given", name, e->func.args.n);
            return NULL;
        }
        /* The argument is over the input (windowed) row, not the agg row. */
        bool saved = b->agg;
        b->agg = false;
        const char *saved_clause = b->clause;
        b->clause = "the argument of an aggregate function";
        PlanExpr *arg = bind_expr(b, e->func.args.items[0]);
        b->agg = saved;
        b->clause = saved_clause;
        if (!arg)
            return NULL;
        if (is_null_const(arg) || is_untyped(arg)) {
            arg = bind_coerce(b, arg, strcmp(name, "count") == 0 ? TYPE_TEXT : TYPE_DOUBLE,
                              "aggregate argument");
            if (!arg)
                return NULL;
        }
        SlType t = (SlType)arg->type;
        agg.arg = arg;
        if (strcmp(name, "count") == 0) {
            agg.kind = AGG_COUNT;
            agg.type = TYPE_BIGINT;
        } else if (strcmp(name, "sum") == 0 || strcmp(name, "avg") == 0) {
            if (!is_numeric(t) && !(t == TYPE_INTERVAL && strcmp(name, "sum") == 0)) {
                err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos, "function %s(%s) does not exist",
                         name, type_name(t));
                err_hint(b->err, "%s takes a bigint or double precision argument.", name);
                return NULL;
            }
            if (name[0] == 'a') {
                agg.kind = AGG_AVG;
                agg.type = TYPE_DOUBLE;
            } else if (t == TYPE_DOUBLE) {
                agg.kind = AGG_SUM_DOUBLE;
                agg.type = TYPE_DOUBLE;
            } else {
                agg.kind = AGG_SUM_INT; /* bigint and interval: int64 sums */
                agg.type = t;
            }
        } else {
            if (t == TYPE_BOOL) {
                err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos, "function %s(boolean) does not exist",
                         name);
                return NULL;
            }
            agg.kind = name[1] == 'i' ? AGG_MIN : AGG_MAX;
            agg.type = t;
        }
    }
    /* The same aggregate written twice is computed once. */
    for (int i = 0; i < b->naggs; i++) {
        if (b->aggs[i].kind == agg.kind && bind_expr_equal(b->aggs[i].arg, agg.arg))
            return bind_col(b->a, b->ngroups + i, agg.type, e->pos);
    }
    if (b->naggs == b->cap_aggs) {
        int cap = b->cap_aggs ? b->cap_aggs * 2 : 8;
        PlanAgg *n = ARENA_ARRAY(b->a, PlanAgg, cap);
        if (b->naggs)
            memcpy(n, b->aggs, sizeof(PlanAgg) * (size_t)b->naggs);
        b->aggs = n;
        b->cap_aggs = cap;
    }
    b->aggs[b->naggs] = agg;
    return bind_col(b->a, b->ngroups + b->naggs++, agg.type, e->pos);
}

/* ------------------------------------------------------------------ functions */

typedef struct FuncSig {
    const char *name;
    int min_args, max_args;
} FuncSig;

static PlanExpr *
bind_args(Binder *b, const AstExpr *e, PlanExpr **out)
{
    for (int i = 0; i < e->func.args.n; i++) {
        out[i] = bind_expr(b, e->func.args.items[i]);
        if (!out[i])
            return NULL;
    }
    return (PlanExpr *)1;
}

static PlanExpr *
fn_node(Binder *b, FnId fn, SlType t, const AstExpr *e, int nargs, PlanExpr **args)
{
    PlanExpr *p = mk_node(b->a, PEXPR_FN, t, e->pos, nargs);
    p->fn = fn;
    for (int i = 0; i < nargs; i++)
        p->args[i] = args[i];
    return p;
}

static PlanExpr *
want(Binder *b, PlanExpr *p, SlType t, const char *fname)
{
    if (!p)
        return NULL;
    if (p->type == t && !is_untyped(p))
        return p;
    if (is_untyped(p) || is_null_const(p) || (p->type == TYPE_BIGINT && t == TYPE_DOUBLE))
        return bind_coerce(b, p, t, "argument");
    err_setf(b->err, ERR_UNDEFINED_FUNCTION, p->pos,
             "function %s does not accept an argument of type %s", fname, type_name(p->type));
    err_hint(b->err, "It expects %s here. You might need to add an explicit cast.", type_name(t));
    return NULL;
}

/* Bring a list of arguments to one common type (COALESCE, GREATEST, ...). */
static bool
common_type(Binder *b, const char *fname, int n, PlanExpr **args)
{
    SlType t = TYPE_UNKNOWN;
    for (int i = 0; i < n; i++) {
        if (is_untyped(args[i]) || is_null_const(args[i]))
            continue;
        if (t == TYPE_UNKNOWN)
            t = (SlType)args[i]->type;
        else if (t != args[i]->type) {
            if (is_numeric(t) && is_numeric((SlType)args[i]->type))
                t = TYPE_DOUBLE;
            else {
                err_setf(b->err, ERR_DATATYPE_MISMATCH, args[i]->pos,
                         "%s types %s and %s cannot be matched", fname, type_name(t),
                         type_name(args[i]->type));
                return false;
            }
        }
    }
    if (t == TYPE_UNKNOWN)
        t = TYPE_TEXT;
    for (int i = 0; i < n; i++) {
        args[i] = bind_coerce(b, args[i], t, "argument");
        if (!args[i])
            return false;
    }
    return true;
}

static PlanExpr *
bind_function(Binder *b, const AstExpr *e)
{
    const char *name = bind_str(b->a, e->func.name);
    int n = e->func.args.n;
    if (bind_is_aggregate_name(name)) {
        if (!b->clause || b->agg)
            sl_panic("aggregate reached bind_function in aggregate context");
        err_setf(b->err, ERR_GROUPING_ERROR, e->pos, "aggregate functions are not allowed in %s",
                 b->clause);
        return NULL;
    }
    if (e->func.star || e->func.distinct) {
        err_setf(b->err, ERR_SYNTAX_ERROR, e->pos, "%s(%s) is only valid for aggregate functions",
                 name, e->func.star ? "*" : "DISTINCT ...");
        return NULL;
    }
    static const FuncSig sigs[] = {
        {"lower", 1, 1},      {"upper", 1, 1},     {"length", 1, 1},   {"char_length", 1, 1},
        {"substr", 2, 3},     {"substring", 2, 3}, {"split_part", 3, 3}, {"replace", 3, 3},
        {"trim", 1, 1},       {"btrim", 1, 1},     {"strpos", 2, 2},   {"concat", 1, 64},
        {"abs", 1, 1},        {"round", 1, 2},     {"floor", 1, 1},    {"ceil", 1, 1},
        {"ceiling", 1, 1},    {"sqrt", 1, 1},      {"power", 2, 2},    {"pow", 2, 2},
        {"ln", 1, 1},         {"exp", 1, 1},       {"date_trunc", 2, 2}, {"extract", 2, 2},
        {"date_part", 2, 2},  {"now", 0, 0},       {"current_timestamp", 0, 0},
        {"to_timestamp", 1, 1}, {"coalesce", 1, 64}, {"nullif", 2, 2}, {"greatest", 1, 64},
        {"least", 1, 64},
    };
    const FuncSig *sig = NULL;
    for (size_t i = 0; i < SL_ARRAY_LEN(sigs); i++)
        if (strcmp(sigs[i].name, name) == 0)
            sig = &sigs[i];
    if (!sig) {
        err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos, "function %s does not exist", name);
        err_hint(b->err, "See the function list in README.md (string, math, time functions and "
                         "count, sum, avg, min, max).");
        return NULL;
    }
    if (n < sig->min_args || n > sig->max_args) {
        err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos,
                 "function %s takes %d%s argument%s, %d given", name, sig->min_args,
                 sig->max_args > sig->min_args ? " or more" : "", sig->max_args == 1 ? "" : "s", n);
        return NULL;
    }
    PlanExpr *args[64];
    if (!bind_args(b, e, args))
        return NULL;
    const char *nm = name;
#define IS(s) (strcmp(nm, (s)) == 0)
    if (IS("lower") || IS("upper")) {
        if (!(args[0] = want(b, args[0], TYPE_TEXT, nm)))
            return NULL;
        return fn_node(b, IS("lower") ? FN_LOWER : FN_UPPER, TYPE_TEXT, e, 1, args);
    }
    if (IS("length") || IS("char_length")) {
        if (!(args[0] = want(b, args[0], TYPE_TEXT, nm)))
            return NULL;
        return fn_node(b, FN_LENGTH, TYPE_BIGINT, e, 1, args);
    }
    if (IS("substr") || IS("substring")) {
        if (!(args[0] = want(b, args[0], TYPE_TEXT, nm)))
            return NULL;
        for (int i = 1; i < n; i++)
            if (!(args[i] = want(b, args[i], TYPE_BIGINT, nm)))
                return NULL;
        return fn_node(b, FN_SUBSTR, TYPE_TEXT, e, n, args);
    }
    if (IS("split_part") || IS("replace") || IS("strpos") || IS("trim") || IS("btrim")) {
        for (int i = 0; i < n; i++) {
            SlType t = (IS("split_part") && i == 2) ? TYPE_BIGINT : TYPE_TEXT;
            if (!(args[i] = want(b, args[i], t, nm)))
                return NULL;
        }
        FnId f = IS("split_part") ? FN_SPLIT_PART : IS("replace") ? FN_REPLACE
                 : IS("strpos") ? FN_STRPOS : FN_TRIM;
        return fn_node(b, f, f == FN_STRPOS ? TYPE_BIGINT : TYPE_TEXT, e, n, args);
    }
    if (IS("concat")) {
        for (int i = 0; i < n; i++) {
            if (args[i]->type != TYPE_TEXT || is_untyped(args[i]))
                args[i] = explicit_cast(b, args[i], TYPE_TEXT, args[i]->pos);
            if (!args[i])
                return NULL;
        }
        return fn_node(b, FN_CONCAT, TYPE_TEXT, e, n, args);
    }
    if (IS("abs")) {
        if (is_untyped(args[0]) || is_null_const(args[0]))
            args[0] = bind_coerce(b, args[0], TYPE_DOUBLE, "argument");
        if (!args[0])
            return NULL;
        if (args[0]->type == TYPE_BIGINT)
            return fn_node(b, FN_ABS_I, TYPE_BIGINT, e, 1, args);
        if (!(args[0] = want(b, args[0], TYPE_DOUBLE, nm)))
            return NULL;
        return fn_node(b, FN_ABS_D, TYPE_DOUBLE, e, 1, args);
    }
    if (IS("round") || IS("floor") || IS("ceil") || IS("ceiling") || IS("sqrt") || IS("ln") ||
        IS("exp") || IS("power") || IS("pow")) {
        if (!(args[0] = want(b, args[0], TYPE_DOUBLE, nm)))
            return NULL;
        if (n == 2 && !(args[1] = want(b, args[1], IS("round") ? TYPE_BIGINT : TYPE_DOUBLE, nm)))
            return NULL;
        FnId f = IS("round") ? (n == 2 ? FN_ROUND2 : FN_ROUND) : IS("floor") ? FN_FLOOR
                 : (IS("ceil") || IS("ceiling")) ? FN_CEIL : IS("sqrt") ? FN_SQRT
                 : IS("ln") ? FN_LN : IS("exp") ? FN_EXP : FN_POWER;
        return fn_node(b, f, TYPE_DOUBLE, e, n, args);
    }
    if (IS("date_trunc") || IS("extract") || IS("date_part")) {
        if (!(args[0] = want(b, args[0], TYPE_TEXT, nm)))
            return NULL;
        if (is_untyped(args[1]) || is_null_const(args[1]))
            args[1] = bind_coerce(b, args[1], TYPE_TIMESTAMP, "argument");
        if (!args[1])
            return NULL;
        bool trunc = IS("date_trunc");
        if (args[1]->type != TYPE_TIMESTAMP && !(!trunc && args[1]->type == TYPE_INTERVAL)) {
            err_setf(b->err, ERR_UNDEFINED_FUNCTION, args[1]->pos,
                     "function %s(text, %s) does not exist", nm, type_name(args[1]->type));
            return NULL;
        }
        if (args[0]->kind == PEXPR_CONST && !args[0]->constant.isnull) {
            static const char *const fields[] = {"microseconds", "milliseconds", "second",
                                                 "minute", "hour", "day", "week", "month",
                                                 "quarter", "year", "epoch", "dow", "doy",
                                                 "seconds", "minutes", "hours", "days",
                                                 "decade", "century", "millennium", "isodow"};
            bool ok = false;
            for (size_t i = 0; i < SL_ARRAY_LEN(fields); i++)
                if (strlen(fields[i]) == args[0]->constant.len &&
                    strncasecmp(fields[i], args[0]->constant.s, args[0]->constant.len) == 0)
                    ok = true;
            if (!ok) {
                err_setf(b->err, ERR_INVALID_PARAMETER_VALUE, args[0]->pos,
                         "unit \"%.*s\" not recognized for %s", (int)args[0]->constant.len,
                         args[0]->constant.s, nm);
                return NULL;
            }
        }
        return fn_node(b, trunc ? FN_DATE_TRUNC : FN_EXTRACT,
                       trunc ? TYPE_TIMESTAMP : TYPE_DOUBLE, e, 2, args);
    }
    if (IS("now") || IS("current_timestamp"))
        return fn_node(b, FN_NOW, TYPE_TIMESTAMP, e, 0, args);
    if (IS("to_timestamp")) {
        if (!(args[0] = want(b, args[0], TYPE_DOUBLE, nm)))
            return NULL;
        return fn_node(b, FN_TO_TIMESTAMP, TYPE_TIMESTAMP, e, 1, args);
    }
    if (IS("coalesce") || IS("greatest") || IS("least") || IS("nullif")) {
        if (!common_type(b, nm, n, args))
            return NULL;
        FnId f = IS("coalesce") ? FN_COALESCE : IS("greatest") ? FN_GREATEST
                 : IS("least") ? FN_LEAST : FN_NULLIF;
        if ((f == FN_GREATEST || f == FN_LEAST) && args[0]->type == TYPE_BOOL) {
            err_setf(b->err, ERR_UNDEFINED_FUNCTION, e->pos, "%s does not accept booleans", nm);
            return NULL;
        }
        return fn_node(b, f, (SlType)args[0]->type, e, n, args);
    }
#undef IS
    sl_panic("function %s in the signature table but not bound", name);
}

/* ------------------------------------------------------------------ the walk */

static PlanExpr *
bind_expr_inner(Binder *b, const AstExpr *e)
{
    switch (e->kind) {
    case AST_LITERAL: {
        Value v;
        if (bind_literal_value(b, e, &v) != 0)
            return NULL;
        PlanExpr *p = bind_const(b->a, v, e->pos);
        if (e->lit.kind == AST_LIT_STRING)
            p->col = UNTYPED_MARK;
        return p;
    }
    case AST_COLUMN:
        return bind_column(b, e);
    case AST_PARAM:
        return bind_param(b, e);
    case AST_STAR:
        err_setf(b->err, ERR_SYNTAX_ERROR, e->pos, "* is only allowed in a select list or count(*)");
        return NULL;
    case AST_UNARY: {
        PlanExpr *x = bind_expr(b, e->unary.arg);
        if (!x)
            return NULL;
        if (e->unary.op == AST_OP_NOT) {
            x = need_bool(b, x, "NOT");
            if (!x)
                return NULL;
            PlanExpr *p = mk_node(b->a, PEXPR_NOT, TYPE_BOOL, e->pos, 1);
            p->args[0] = x;
            return p;
        }
        if (is_untyped(x) || is_null_const(x))
            x = bind_coerce(b, x, TYPE_DOUBLE, "operand");
        if (!x)
            return NULL;
        if (e->unary.op == AST_OP_PLUS) {
            if (!is_numeric((SlType)x->type) && x->type != TYPE_INTERVAL)
                return no_operator(b, AST_OP_PLUS, NULL, x, e->pos);
            return x;
        }
        /* Fold -literal so that -9223372036854775808 and INSERT values stay constants. */
        if (x->kind == PEXPR_CONST && !x->constant.isnull) {
            if (x->type == TYPE_BIGINT && x->constant.i != INT64_MIN)
                return bind_const(b->a, val_int(-x->constant.i), e->pos);
            if (x->type == TYPE_DOUBLE)
                return bind_const(b->a, val_double(-x->constant.d), e->pos);
            if (x->type == TYPE_INTERVAL)
                return bind_const(b->a, val_interval(-x->constant.i), e->pos);
        }
        if (x->type == TYPE_BIGINT)
            return mk_fn(b->a, FN_NEG_I, TYPE_BIGINT, e->pos, 1, x, NULL);
        if (x->type == TYPE_DOUBLE)
            return mk_fn(b->a, FN_NEG_D, TYPE_DOUBLE, e->pos, 1, x, NULL);
        if (x->type == TYPE_INTERVAL)
            return mk_fn(b->a, FN_NEG_V, TYPE_INTERVAL, e->pos, 1, x, NULL);
        return no_operator(b, AST_OP_NEG, NULL, x, e->pos);
    }
    case AST_BINARY: {
        PlanExpr *l = bind_expr(b, e->binary.left);
        if (!l)
            return NULL;
        PlanExpr *r = bind_expr(b, e->binary.right);
        if (!r)
            return NULL;
        int32_t pos = e->pos;
        switch (e->binary.op) {
        case AST_OP_AND:
        case AST_OP_OR: {
            const char *w = e->binary.op == AST_OP_AND ? "AND" : "OR";
            l = need_bool(b, l, w);
            r = l ? need_bool(b, r, w) : NULL;
            if (!r)
                return NULL;
            PlanExpr *p = mk_node(b->a, e->binary.op == AST_OP_AND ? PEXPR_AND : PEXPR_OR,
                                  TYPE_BOOL, pos, 2);
            p->args[0] = l;
            p->args[1] = r;
            return p;
        }
        case AST_OP_CONCAT:
            if (l->type != TYPE_TEXT && r->type != TYPE_TEXT && !is_untyped(l) && !is_untyped(r) &&
                !is_null_const(l) && !is_null_const(r))
                return no_operator(b, AST_OP_CONCAT, l, r, pos);
            l = explicit_cast(b, l, TYPE_TEXT, l->pos);
            r = l ? explicit_cast(b, r, TYPE_TEXT, r->pos) : NULL;
            if (!r)
                return NULL;
            return mk_fn(b->a, FN_CONCAT_OP, TYPE_TEXT, pos, 2, l, r);
        case AST_OP_EQ: case AST_OP_NE: case AST_OP_LT:
        case AST_OP_LE: case AST_OP_GT: case AST_OP_GE:
            return bind_compare(b, e->binary.op, l, r, pos);
        default:
            return bind_arith(b, e->binary.op, l, r, pos);
        }
    }
    case AST_FUNC:
        return bind_function(b, e);
    case AST_CAST: {
        PlanExpr *x = bind_expr(b, e->cast.arg);
        if (!x)
            return NULL;
        const char *tn = bind_str(b->a, e->cast.type_name);
        SlType t = type_from_name(tn, strlen(tn));
        if (t == TYPE_UNKNOWN) {
            err_setf(b->err, ERR_UNDEFINED_OBJECT, e->pos, "type \"%s\" does not exist", tn);
            err_hint(b->err, "sluice's types are boolean, bigint, double precision, text, "
                             "timestamp and interval.");
            return NULL;
        }
        return explicit_cast(b, x, t, e->pos);
    }
    case AST_IS: {
        PlanExpr *x = bind_expr(b, e->is.arg);
        if (!x)
            return NULL;
        if (e->is.what != AST_IS_NULL && !(x = need_bool(b, x, "IS TRUE")))
            return NULL;
        PlanExprKind k = e->is.what == AST_IS_NULL ? PEXPR_IS_NULL
                         : e->is.what == AST_IS_TRUE ? PEXPR_IS_TRUE : PEXPR_IS_FALSE;
        PlanExpr *p = mk_node(b->a, k, TYPE_BOOL, e->pos, 1);
        p->args[0] = x;
        p->negated = e->is.negated;
        return p;
    }
    case AST_BETWEEN: {
        PlanExpr *x = bind_expr(b, e->between.arg);
        PlanExpr *lo = x ? bind_expr(b, e->between.lo) : NULL;
        PlanExpr *hi = lo ? bind_expr(b, e->between.hi) : NULL;
        if (!hi)
            return NULL;
        PlanExpr *c1 = bind_compare(b, AST_OP_GE, x, lo, e->pos);
        PlanExpr *c2 = c1 ? bind_compare(b, AST_OP_LE, x, hi, e->pos) : NULL;
        if (!c2)
            return NULL;
        PlanExpr *p = mk_node(b->a, PEXPR_AND, TYPE_BOOL, e->pos, 2);
        p->args[0] = c1;
        p->args[1] = c2;
        if (!e->between.negated)
            return p;
        PlanExpr *n = mk_node(b->a, PEXPR_NOT, TYPE_BOOL, e->pos, 1);
        n->args[0] = p;
        return n;
    }
    case AST_IN: {
        int n = e->in.list.n;
        PlanExpr *p = mk_node(b->a, PEXPR_IN, TYPE_BOOL, e->pos, n + 1);
        p->negated = e->in.negated;
        if (!(p->args[0] = bind_expr(b, e->in.arg)))
            return NULL;
        for (int i = 0; i < n; i++)
            if (!(p->args[i + 1] = bind_expr(b, e->in.list.items[i])))
                return NULL;
        if (!common_type(b, "IN", n + 1, p->args))
            return NULL;
        return p;
    }
    case AST_LIKE: {
        PlanExpr *args[2];
        args[0] = bind_expr(b, e->like.arg);
        args[1] = args[0] ? bind_expr(b, e->like.pattern) : NULL;
        if (!args[1])
            return NULL;
        const char *w = e->like.ilike ? "ILIKE" : "LIKE";
        if (!(args[0] = want(b, args[0], TYPE_TEXT, w)) || !(args[1] = want(b, args[1], TYPE_TEXT, w)))
            return NULL;
        PlanExpr *p = mk_fn(b->a, e->like.ilike ? FN_ILIKE : FN_LIKE, TYPE_BOOL, e->pos, 2, args[0],
                            args[1]);
        if (!e->like.negated)
            return p;
        PlanExpr *n = mk_node(b->a, PEXPR_NOT, TYPE_BOOL, e->pos, 1);
        n->args[0] = p;
        return n;
    }
    case AST_CASE: {
        int nw = e->case_.nwhens;
        bool has_else = e->case_.else_expr != NULL;
        PlanExpr *p = mk_node(b->a, PEXPR_CASE, TYPE_UNKNOWN, e->pos, nw * 2 + (has_else ? 1 : 0));
        p->has_else = has_else;
        PlanExpr *operand = NULL;
        if (e->case_.operand && !(operand = bind_expr(b, e->case_.operand)))
            return NULL;
        PlanExpr **results = ARENA_ARRAY(b->a, PlanExpr *, nw + 1);
        for (int i = 0; i < nw; i++) {
            PlanExpr *c = bind_expr(b, e->case_.whens[i].cond);
            if (!c)
                return NULL;
            if (operand)
                c = bind_compare(b, AST_OP_EQ, operand, c, c->pos);
            else
                c = need_bool(b, c, "CASE/WHEN");
            if (!c)
                return NULL;
            p->args[2 * i] = c;
            if (!(results[i] = bind_expr(b, e->case_.whens[i].result)))
                return NULL;
        }
        int nr = nw;
        if (has_else && !(results[nr++] = bind_expr(b, e->case_.else_expr)))
            return NULL;
        if (!common_type(b, "CASE", nr, results))
            return NULL;
        for (int i = 0; i < nw; i++)
            p->args[2 * i + 1] = results[i];
        if (has_else)
            p->args[2 * nw] = results[nw];
        p->type = results[0]->type;
        return p;
    }
    }
    sl_panic("unknown AST expression kind %d", (int)e->kind);
}

PlanExpr *
bind_expr(Binder *b, const AstExpr *e)
{
    if (err_is_set(b->err))
        return NULL;
    if (b->agg) {
        if (e->kind == AST_FUNC && is_agg_call(e))
            return bind_aggregate(b, e);
        if (!bind_contains_aggregate(e)) {
            /* Bind over the input row, then look for it among the GROUP BY
             * expressions: `upper(sym)` matches GROUP BY upper(sym). */
            b->agg = false;
            PlanExpr *p = bind_expr_inner(b, e);
            b->agg = true;
            if (!p)
                return NULL;
            for (int i = 0; i < b->ngroups; i++)
                if (bind_expr_equal(p, b->groups[i]))
                    return bind_col(b->a, i, (SlType)p->type, e->pos);
            if (p->kind == PEXPR_CONST)
                return p;
            if (e->kind == AST_COLUMN) {
                err_setf(b->err, ERR_GROUPING_ERROR, e->pos,
                         "column \"%s\" must appear in the GROUP BY clause or be used in an "
                         "aggregate function",
                         bind_str(b->a, e->column.name));
                return NULL;
            }
            /* Not a group expression as a whole: its parts may be. */
        }
    }
    if (++b->depth > 500) {
        err_setf(b->err, ERR_STATEMENT_TOO_COMPLEX, e->pos, "expression is too deeply nested");
        return NULL;
    }
    PlanExpr *p = bind_expr_inner(b, e);
    b->depth--;
    return p;
}

/* ------------------------------------------------------------------ constants */

int
bind_const_int(Binder *b, const AstExpr *e, const char *what, int64_t *out)
{
    Binder c = *b;
    c.ncols = 0;
    c.agg = false;
    PlanExpr *p = bind_expr(&c, e);
    if (!p)
        return -1;
    if (p->kind == PEXPR_PARAM) { /* inferring parameter types: any value will do */
        if (!bind_coerce(&c, p, TYPE_BIGINT, what))
            return -1;
        *out = 0;
        return 0;
    }
    if (p->kind != PEXPR_CONST || p->type != TYPE_BIGINT || p->constant.isnull) {
        err_setf(b->err, ERR_DATATYPE_MISMATCH, e->pos, "argument of %s must be an integer constant",
                 what);
        return -1;
    }
    *out = p->constant.i;
    return 0;
}

int
bind_interval_value(Binder *b, const AstExpr *e, const char *what, bool allow_zero, int64_t *out)
{
    Value v;
    if (e->kind == AST_LITERAL && e->lit.kind == AST_LIT_STRING) {
        SqlError e2;
        err_init(&e2, b->a);
        if (interval_parse(e->lit.text.p, e->lit.text.n, NULL, 0, out, &e2) != 0) {
            err_setf(b->err, e2.code, e->pos, "%s", e2.message);
            return -1;
        }
    } else if (e->kind == AST_LITERAL && e->lit.kind == AST_LIT_TYPED) {
        if (bind_literal_value(b, e, &v) != 0)
            return -1;
        if (v.type != TYPE_INTERVAL) {
            err_setf(b->err, ERR_DATATYPE_MISMATCH, e->pos, "%s must be an interval, not %s", what,
                     type_name(v.type));
            return -1;
        }
        *out = v.i;
    } else {
        err_setf(b->err, ERR_DATATYPE_MISMATCH, e->pos,
                 "%s must be an interval literal such as INTERVAL '10' SECOND or '10 seconds'",
                 what);
        return -1;
    }
    if (*out < 0 || (*out == 0 && !allow_zero)) {
        err_setf(b->err, ERR_INVALID_PARAMETER_VALUE, e->pos, "%s must be %s", what,
                 allow_zero ? "zero or positive" : "positive");
        return -1;
    }
    return 0;
}
