/*
 * parser/ast.c — AST constructors (ast.h) and the builders the grammar
 * actions call (pz_*, parser_int.h). Everything is allocated in the statement
 * arena; nothing here frees.
 *
 * INTERFACE
 *   ast_literal ... ast_like, ast_list_append   expression constructors (ast.h)
 *   pz_grow                                     growth of {items, n} lists
 *   pz_case, pz_extract, pz_bool, pz_number     expressions ast.h has no constructor for
 *   pz_select, pz_from, pz_option, pz_emit*     clauses
 *   pz_stmt, pz_create_*, pz_insert, ...        statements
 */
#include "parser/ast.h"

#include <string.h>

#include "common/arena.h"
#include "common/errors.h"
#include "parser/grammar.h"
#include "parser/parser_int.h"

/* ---------------------------------------------------------------- lists */

/* A list of n elements has capacity 0 (n = 0), 4 (n <= 4) or the next power
 * of two, so it needs to grow exactly when n is 0 or a power of two >= 4. */
void *
pz_grow(Arena *a, void *items, int n, size_t elem_size)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return items;
    size_t cap = n == 0 ? 4 : (size_t)n * 2;
    void *p = arena_alloc(a, cap * elem_size);
    if (n)
        memcpy(p, items, (size_t)n * elem_size);
    return p;
}

AstExprList
ast_list_append(Arena *a, AstExprList l, AstExpr *e)
{
    l.items = pz_grow(a, l.items, l.n, sizeof *l.items);
    l.items[l.n++] = e;
    return l;
}

/* ---------------------------------------------------------------- expressions */

static AstExpr *
new_expr(Arena *a, AstExprKind kind, int32_t pos)
{
    AstExpr *e = ARENA_NEW(a, AstExpr);
    e->kind = kind;
    e->pos = pos;
    return e;
}

static const Str nostr = {NULL, 0, -1};

AstExpr *
ast_literal(Arena *a, AstLitKind kind, Str text, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_LITERAL, pos);
    e->lit.kind = kind;
    e->lit.text = text;
    e->lit.type_name = nostr;
    e->lit.unit = nostr;
    return e;
}

AstExpr *
ast_typed_literal(Arena *a, Str type_name, Str text, Str unit, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_LITERAL, pos);
    e->lit.kind = AST_LIT_TYPED;
    e->lit.text = text;
    e->lit.type_name = type_name;
    e->lit.unit = unit;
    return e;
}

AstExpr *
ast_column(Arena *a, Str qualifier, Str name, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_COLUMN, pos);
    e->column.qualifier = qualifier;
    e->column.name = name;
    return e;
}

AstExpr *
ast_star(Arena *a, Str qualifier, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_STAR, pos);
    e->star.qualifier = qualifier;
    return e;
}

AstExpr *
ast_unary(Arena *a, AstOp op, AstExpr *arg, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_UNARY, pos);
    e->unary.op = op;
    e->unary.arg = arg;
    return e;
}

AstExpr *
ast_binary(Arena *a, AstOp op, AstExpr *l, AstExpr *r)
{
    AstExpr *e = new_expr(a, AST_BINARY, l->pos);
    e->binary.op = op;
    e->binary.left = l;
    e->binary.right = r;
    return e;
}

AstExpr *
ast_func(Arena *a, Str name, AstExprList args, bool star, bool distinct)
{
    AstExpr *e = new_expr(a, AST_FUNC, name.pos);
    e->func.name = name;
    e->func.args = args;
    e->func.star = star;
    e->func.distinct = distinct;
    return e;
}

AstExpr *
ast_cast(Arena *a, AstExpr *arg, Str type_name, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_CAST, pos);
    e->cast.arg = arg;
    e->cast.type_name = type_name;
    return e;
}

AstExpr *
ast_is(Arena *a, AstExpr *arg, AstIsKind what, bool negated)
{
    AstExpr *e = new_expr(a, AST_IS, arg->pos);
    e->is.arg = arg;
    e->is.what = what;
    e->is.negated = negated;
    return e;
}

AstExpr *
ast_between(Arena *a, AstExpr *arg, AstExpr *lo, AstExpr *hi, bool negated)
{
    AstExpr *e = new_expr(a, AST_BETWEEN, arg->pos);
    e->between.arg = arg;
    e->between.lo = lo;
    e->between.hi = hi;
    e->between.negated = negated;
    return e;
}

AstExpr *
ast_in(Arena *a, AstExpr *arg, AstExprList list, bool negated)
{
    AstExpr *e = new_expr(a, AST_IN, arg->pos);
    e->in.arg = arg;
    e->in.list = list;
    e->in.negated = negated;
    return e;
}

AstExpr *
ast_like(Arena *a, AstExpr *arg, AstExpr *pattern, bool negated, bool ilike)
{
    AstExpr *e = new_expr(a, AST_LIKE, arg->pos);
    e->like.arg = arg;
    e->like.pattern = pattern;
    e->like.negated = negated;
    e->like.ilike = ilike;
    return e;
}

AstExpr *
pz_case(ParseCtx *ctx, int32_t pos, AstExpr *operand, WhenList whens, AstExpr *else_expr)
{
    AstExpr *e = new_expr(ctx->a, AST_CASE, pos);
    e->case_.operand = operand;
    e->case_.whens = whens.items;
    e->case_.nwhens = whens.n;
    e->case_.else_expr = else_expr;
    return e;
}

/* EXTRACT(field FROM x) → extract('field', x), the field folded. */
AstExpr *
pz_extract(ParseCtx *ctx, int32_t pos, Str field, AstExpr *arg)
{
    char *low = arena_strndup(ctx->a, field.p, field.n);
    for (char *c = low; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    Str f = {low, field.n, field.pos};
    AstExprList args = ast_list_append(ctx->a, (AstExprList){NULL, 0},
                                       ast_literal(ctx->a, AST_LIT_STRING, f, field.pos));
    args = ast_list_append(ctx->a, args, arg);
    Str name = {"extract", 7, pos};
    return ast_func(ctx->a, name, args, false, false);
}

AstExpr *
pz_bool(ParseCtx *ctx, bool v, int32_t pos)
{
    return ast_literal(ctx->a, AST_LIT_BOOL, pz_str(v ? "true" : "false", pos), pos);
}

AstExpr *
ast_param(Arena *a, int index, int32_t pos)
{
    AstExpr *e = new_expr(a, AST_PARAM, pos);
    e->param.index = index;
    return e;
}

AstExpr *
pz_param(ParseCtx *ctx, const Token *t)
{
    long v = 0;
    for (uint32_t i = 1; i < t->s.n; i++) {
        v = v * 10 + (t->s.p[i] - '0');
        if (v > AST_MAX_PARAMS)
            break;
    }
    if (v < 1 || v > AST_MAX_PARAMS) {
        err_setf(ctx->err, ERR_UNDEFINED_PARAMETER, t->s.pos, "there is no parameter %.*s",
                 (int)t->s.n, t->s.p);
        return ast_param(ctx->a, 1, t->s.pos);
    }
    return ast_param(ctx->a, (int)v, t->s.pos);
}

AstExpr *
pz_number(ParseCtx *ctx, const Token *t)
{
    return ast_literal(ctx->a, t->code == TK_FLOAT ? AST_LIT_FLOAT : AST_LIT_INT, t->s, t->s.pos);
}

/* "double" + "precision" → "double precision" (a, folded, keeps its position). */
Str
pz_type_name(ParseCtx *ctx, Str a, const char *suffix)
{
    char *p = arena_sprintf(ctx->a, "%.*s %s", (int)a.n, a.p, suffix);
    return pz_str(p, a.pos);
}

/* ---------------------------------------------------------------- clauses */

AstSelect *
pz_select(ParseCtx *ctx, int32_t pos, bool distinct, TargetList targets, AstFrom *from,
          AstExpr *where, AstExprList group_by, AstExpr *having, OrderList order,
          AstExpr *limit, AstExpr *offset, AstEmit emit)
{
    AstSelect *s = ARENA_NEW(ctx->a, AstSelect);
    s->pos = pos;
    s->distinct = distinct;
    s->targets = targets.items;
    s->ntargets = targets.n;
    s->from = from;
    s->where = where;
    s->group_by = group_by;
    s->having = having;
    s->order = order.items;
    s->norder = order.n;
    s->limit = limit;
    s->offset = offset;
    s->emit = emit;
    return s;
}

AstFrom *
pz_from(ParseCtx *ctx, AstFromKind kind, Str name, AstExprList args, Str alias)
{
    AstFrom *f = ARENA_NEW(ctx->a, AstFrom);
    f->kind = kind;
    f->pos = name.pos;
    f->name = name;
    f->args = args;
    f->alias = alias;
    return f;
}

AstOption
pz_option(Str key, AstExpr *value)
{
    AstOption o = {key, value, key.pos};
    return o;
}

AstEmit
pz_emit(AstEmitMode mode, int32_t mode_pos, AstTrigger trig, AstExpr *every, int32_t trig_pos)
{
    AstEmit e = {mode, mode_pos, trig, every, trig_pos};
    return e;
}

AstEmit
pz_emit_merge(AstEmit mode, AstEmit trigger)
{
    mode.trigger = trigger.trigger;
    mode.every = trigger.every;
    mode.trigger_pos = trigger.trigger_pos;
    return mode;
}

/* ---------------------------------------------------------------- statements */

AstStmt *
pz_stmt(ParseCtx *ctx, AstStmtKind kind, int32_t pos)
{
    AstStmt *s = ARENA_NEW(ctx->a, AstStmt);
    s->kind = kind;
    s->pos = pos;
    s->end = pos;
    return s;
}

AstStmt *
pz_select_stmt(ParseCtx *ctx, AstSelect *sel)
{
    AstStmt *s = pz_stmt(ctx, AST_SELECT, sel->pos);
    s->select = sel;
    return s;
}

AstStmt *
pz_create_stream(ParseCtx *ctx, int32_t pos, Str name, bool if_not_exists, StreamBody body,
                 AstOptionList with, AstSelect *as_select)
{
    AstStmt *s = pz_stmt(ctx, AST_CREATE_STREAM, pos);
    s->create_stream.name = name;
    s->create_stream.if_not_exists = if_not_exists;
    s->create_stream.cols = body.cols.items;
    s->create_stream.ncols = body.cols.n;
    s->create_stream.wm_column = body.wm_column;
    s->create_stream.wm_expr = body.wm_expr;
    s->create_stream.wm_pos = body.wm_pos;
    s->create_stream.with = with;
    s->create_stream.as_select = as_select;
    return s;
}

AstStmt *
pz_create_view(ParseCtx *ctx, int32_t pos, Str name, bool or_replace, bool if_not_exists,
               AstOptionList with, AstSelect *sel)
{
    AstStmt *s = pz_stmt(ctx, AST_CREATE_VIEW, pos);
    s->create_view.name = name;
    s->create_view.or_replace = or_replace;
    s->create_view.if_not_exists = if_not_exists;
    s->create_view.with = with;
    s->create_view.select = sel;
    return s;
}

AstStmt *
pz_create_sink(ParseCtx *ctx, int32_t pos, Str name, bool if_not_exists, Str view, Str connector,
               AstOptionList target, AstEmit mode, NameList key, AstOptionList with)
{
    AstStmt *s = pz_stmt(ctx, AST_CREATE_SINK, pos);
    s->create_sink.name = name;
    s->create_sink.if_not_exists = if_not_exists;
    s->create_sink.view = view;
    s->create_sink.connector = connector;
    s->create_sink.target = target;
    s->create_sink.mode = mode.mode;
    s->create_sink.mode_pos = mode.mode_pos;
    s->create_sink.key = key.items;
    s->create_sink.nkey = key.n;
    s->create_sink.with = with;
    return s;
}

AstStmt *
pz_insert(ParseCtx *ctx, int32_t pos, Str name, NameList cols, RowList rows)
{
    AstStmt *s = pz_stmt(ctx, AST_INSERT, pos);
    s->insert.name = name;
    s->insert.columns = cols.items;
    s->insert.ncolumns = cols.n;
    s->insert.rows = rows.items;
    s->insert.nrows = rows.n;
    return s;
}

AstStmt *
pz_copy(ParseCtx *ctx, int32_t pos, Str name, NameList cols, AstOptionList with)
{
    AstStmt *s = pz_stmt(ctx, AST_COPY, pos);
    s->copy.name = name;
    s->copy.columns = cols.items;
    s->copy.ncolumns = cols.n;
    s->copy.with = with;
    return s;
}

AstStmt *
pz_subscribe(ParseCtx *ctx, int32_t pos, Str name, AstEmit mode, AstExpr *where,
             AstExpr *from_epoch, AstExpr *limit, AstOptionList with)
{
    AstStmt *s = pz_stmt(ctx, AST_SUBSCRIBE, pos);
    s->subscribe.name = name;
    s->subscribe.mode = mode.mode;
    s->subscribe.mode_pos = mode.mode_pos;
    s->subscribe.where = where;
    s->subscribe.from_epoch = from_epoch;
    s->subscribe.limit = limit;
    s->subscribe.with = with;
    return s;
}

AstStmt *
pz_show(ParseCtx *ctx, int32_t pos, AstShowKind what, Str name)
{
    AstStmt *s = pz_stmt(ctx, AST_SHOW, pos);
    s->show.what = what;
    s->show.name = name;
    return s;
}

AstStmt *
pz_drop(ParseCtx *ctx, int32_t pos, AstObjKind what, bool if_exists, Str name, bool cascade)
{
    AstStmt *s = pz_stmt(ctx, AST_DROP, pos);
    s->drop.what = what;
    s->drop.if_exists = if_exists;
    s->drop.name = name;
    s->drop.cascade = cascade;
    return s;
}

AstStmt *
pz_explain(ParseCtx *ctx, int32_t pos, bool analyze, AstStmt *stmt)
{
    AstStmt *s = pz_stmt(ctx, AST_EXPLAIN, pos);
    s->explain.analyze = analyze;
    s->explain.stmt = stmt;
    return s;
}

AstStmt *
pz_set(ParseCtx *ctx, int32_t pos, Str name, AstExpr *value, bool local)
{
    AstStmt *s = pz_stmt(ctx, AST_SET, pos);
    s->set.name = name;
    s->set.value = value;
    s->set.local = local;
    return s;
}

AstStmt *
pz_txn(ParseCtx *ctx, int32_t pos, AstTxnKind kind)
{
    AstStmt *s = pz_stmt(ctx, AST_TRANSACTION, pos);
    s->txn = kind;
    return s;
}

AstStmt *
pz_session(ParseCtx *ctx, int32_t pos, AstSessKind what, Str name, Str arg)
{
    AstStmt *s = pz_stmt(ctx, AST_SESSION, pos);
    s->sess.what = what;
    s->sess.name = name;
    s->sess.arg = arg;
    return s;
}

Str
pz_token_span(ParseCtx *ctx, const Token *t)
{
    Str s = {ctx->sql + t->s.pos, t->raw_n, t->s.pos};
    return s;
}

Str
pz_dotted(ParseCtx *ctx, Str a, Str b)
{
    char *p = arena_alloc(ctx->a, (size_t)a.n + b.n + 2);
    memcpy(p, a.p, a.n);
    p[a.n] = '.';
    memcpy(p + a.n + 1, b.p, b.n);
    p[a.n + 1 + b.n] = '\0';
    Str s = {p, a.n + 1 + b.n, a.pos};
    return s;
}

Str
pz_span(Str a, Str b)
{
    Str s = {a.p, (uint32_t)(b.pos + (int32_t)b.n - a.pos), a.pos};
    return s;
}

AstStmt *
pz_copy_out(ParseCtx *ctx, int32_t pos, AstStmt *sub, AstOptionList with)
{
    AstStmt *s = pz_stmt(ctx, AST_COPY_OUT, pos);
    s->copy_out.sub = sub;
    s->copy_out.with = with;
    return s;
}

AstStmt *
pz_declare(ParseCtx *ctx, int32_t pos, Str name, AstStmt *sub)
{
    AstStmt *s = pz_stmt(ctx, AST_DECLARE, pos);
    s->declare.name = name;
    s->declare.sub = sub;
    return s;
}

AstStmt *
pz_fetch(ParseCtx *ctx, int32_t pos, Str count, Str name)
{
    AstStmt *s = pz_stmt(ctx, AST_FETCH, pos);
    s->fetch.count = count;
    s->fetch.name = name;
    return s;
}

AstStmt *
pz_close(ParseCtx *ctx, int32_t pos, Str name)
{
    AstStmt *s = pz_stmt(ctx, AST_CLOSE, pos);
    s->close.name = name;
    return s;
}

const char *
ast_op_sql(AstOp op)
{
    switch (op) {
    case AST_OP_ADD: return "+";
    case AST_OP_SUB: return "-";
    case AST_OP_MUL: return "*";
    case AST_OP_DIV: return "/";
    case AST_OP_MOD: return "%";
    case AST_OP_CONCAT: return "||";
    case AST_OP_EQ: return "=";
    case AST_OP_NE: return "<>";
    case AST_OP_LT: return "<";
    case AST_OP_LE: return "<=";
    case AST_OP_GT: return ">";
    case AST_OP_GE: return ">=";
    case AST_OP_AND: return "AND";
    case AST_OP_OR: return "OR";
    case AST_OP_NEG: return "-";
    case AST_OP_NOT: return "NOT";
    case AST_OP_PLUS: return "+";
    }
    return "?";
}
