/*
 * parser/ast_dump.c — ast_dump_stmt / ast_dump_expr: a deterministic one-line
 * S-expression of the AST with every field, for tests and debugging.
 *
 * Shape: (head@pos field ...). Optional parts are left out when absent, flags
 * appear as bare words (distinct, not-null, ...). Names print bare when they
 * are plain lower-case words, else in double quotes; string texts print in
 * single quotes with '' escapes. Statements print as (kind@pos:end ...).
 *
 * INTERFACE
 *   ast_dump_stmt   one statement
 *   ast_dump_expr   one expression
 */
#include "parser/ast.h"

#include <stdio.h>

#include "common/buf.h"

static void
put_name(Buf *b, Str s)
{
    bool plain = s.n > 0 && !(s.p[0] >= '0' && s.p[0] <= '9');
    for (uint32_t i = 0; i < s.n && plain; i++) {
        char c = s.p[i];
        plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (plain) {
        buf_append(b, s.p, s.n);
        return;
    }
    buf_putc(b, '"');
    for (uint32_t i = 0; i < s.n; i++) {
        if (s.p[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, s.p[i]);
    }
    buf_putc(b, '"');
}

static void
put_quoted(Buf *b, Str s)
{
    buf_putc(b, '\'');
    for (uint32_t i = 0; i < s.n; i++) {
        if (s.p[i] == '\'')
            buf_putc(b, '\'');
        buf_putc(b, s.p[i]);
    }
    buf_putc(b, '\'');
}

static void
open_node(Buf *b, const char *head, int32_t pos)
{
    buf_printf(b, "(%s@%d", head, (int)pos);
}

static const char *
op_name(AstOp op)
{
    switch (op) {
    case AST_OP_AND: return "and";
    case AST_OP_OR: return "or";
    case AST_OP_NEG: return "neg";
    case AST_OP_NOT: return "not";
    case AST_OP_PLUS: return "plus";
    default: return ast_op_sql(op);
    }
}

static void
dump_list(const AstExprList *l, Buf *b)
{
    for (int i = 0; i < l->n; i++) {
        buf_putc(b, ' ');
        ast_dump_expr(l->items[i], b);
    }
}

void
ast_dump_expr(const AstExpr *e, Buf *b)
{
    if (!e) {
        buf_puts(b, "nil");
        return;
    }
    switch (e->kind) {
    case AST_LITERAL:
        switch (e->lit.kind) {
        case AST_LIT_NULL:
            open_node(b, "null", e->pos);
            break;
        case AST_LIT_BOOL:
            open_node(b, "bool", e->pos);
            buf_putc(b, ' ');
            buf_append(b, e->lit.text.p, e->lit.text.n);
            break;
        case AST_LIT_INT:
        case AST_LIT_FLOAT:
            open_node(b, e->lit.kind == AST_LIT_INT ? "int" : "float", e->pos);
            buf_putc(b, ' ');
            buf_append(b, e->lit.text.p, e->lit.text.n);
            break;
        case AST_LIT_STRING:
            open_node(b, "str", e->pos);
            buf_putc(b, ' ');
            put_quoted(b, e->lit.text);
            break;
        case AST_LIT_TYPED:
            open_node(b, "typed", e->pos);
            buf_putc(b, ' ');
            put_name(b, e->lit.type_name);
            buf_putc(b, ' ');
            put_quoted(b, e->lit.text);
            if (e->lit.unit.n) {
                buf_putc(b, ' ');
                put_name(b, e->lit.unit);
            }
            break;
        }
        break;
    case AST_COLUMN:
        open_node(b, "col", e->pos);
        buf_putc(b, ' ');
        if (e->column.qualifier.n) {
            put_name(b, e->column.qualifier);
            buf_putc(b, '.');
        }
        put_name(b, e->column.name);
        break;
    case AST_STAR:
        open_node(b, "star", e->pos);
        if (e->star.qualifier.n) {
            buf_putc(b, ' ');
            put_name(b, e->star.qualifier);
        }
        break;
    case AST_UNARY:
        open_node(b, op_name(e->unary.op), e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->unary.arg, b);
        break;
    case AST_BINARY:
        open_node(b, op_name(e->binary.op), e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->binary.left, b);
        buf_putc(b, ' ');
        ast_dump_expr(e->binary.right, b);
        break;
    case AST_FUNC:
        open_node(b, "func", e->pos);
        buf_putc(b, ' ');
        put_name(b, e->func.name);
        if (e->func.distinct)
            buf_puts(b, " distinct");
        if (e->func.star)
            buf_puts(b, " *");
        dump_list(&e->func.args, b);
        break;
    case AST_CAST:
        open_node(b, "cast", e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->cast.arg, b);
        buf_putc(b, ' ');
        put_name(b, e->cast.type_name);
        break;
    case AST_IS:
        open_node(b, "is", e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->is.arg, b);
        if (e->is.negated)
            buf_puts(b, " not");
        buf_puts(b, e->is.what == AST_IS_NULL ? " null" : e->is.what == AST_IS_TRUE ? " true" : " false");
        break;
    case AST_BETWEEN:
        open_node(b, e->between.negated ? "not-between" : "between", e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->between.arg, b);
        buf_putc(b, ' ');
        ast_dump_expr(e->between.lo, b);
        buf_putc(b, ' ');
        ast_dump_expr(e->between.hi, b);
        break;
    case AST_IN:
        open_node(b, e->in.negated ? "not-in" : "in", e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->in.arg, b);
        dump_list(&e->in.list, b);
        break;
    case AST_LIKE:
        open_node(b,
                  e->like.ilike ? (e->like.negated ? "not-ilike" : "ilike")
                                : (e->like.negated ? "not-like" : "like"),
                  e->pos);
        buf_putc(b, ' ');
        ast_dump_expr(e->like.arg, b);
        buf_putc(b, ' ');
        ast_dump_expr(e->like.pattern, b);
        break;
    case AST_PARAM:
        open_node(b, "param", e->pos);
        buf_printf(b, " %d", e->param.index);
        break;
    case AST_CASE:
        open_node(b, "case", e->pos);
        if (e->case_.operand) {
            buf_puts(b, " (operand ");
            ast_dump_expr(e->case_.operand, b);
            buf_putc(b, ')');
        }
        for (int i = 0; i < e->case_.nwhens; i++) {
            buf_puts(b, " (when ");
            ast_dump_expr(e->case_.whens[i].cond, b);
            buf_putc(b, ' ');
            ast_dump_expr(e->case_.whens[i].result, b);
            buf_putc(b, ')');
        }
        if (e->case_.else_expr) {
            buf_puts(b, " (else ");
            ast_dump_expr(e->case_.else_expr, b);
            buf_putc(b, ')');
        }
        break;
    }
    buf_putc(b, ')');
}

static void
dump_options(const AstOptionList *o, Buf *b)
{
    if (!o->n)
        return;
    buf_puts(b, " (with");
    for (int i = 0; i < o->n; i++) {
        buf_printf(b, " (@%d ", (int)o->items[i].pos);
        put_name(b, o->items[i].key);
        buf_putc(b, ' ');
        ast_dump_expr(o->items[i].value, b);
        buf_putc(b, ')');
    }
    buf_putc(b, ')');
}

static void
dump_clause(Buf *b, const char *name, const AstExpr *e)
{
    if (!e)
        return;
    buf_printf(b, " (%s ", name);
    ast_dump_expr(e, b);
    buf_putc(b, ')');
}

static const char *
emit_mode_name(AstEmitMode m)
{
    switch (m) {
    case AST_EMIT_APPEND: return "append";
    case AST_EMIT_UPDATE: return "update";
    case AST_EMIT_COMPLETE: return "complete";
    default: return "default";
    }
}

static void
dump_select(const AstSelect *s, Buf *b)
{
    open_node(b, "select", s->pos);
    if (s->distinct)
        buf_puts(b, " distinct");
    buf_puts(b, " (targets");
    for (int i = 0; i < s->ntargets; i++) {
        buf_putc(b, ' ');
        if (s->targets[i].alias.n) {
            buf_puts(b, "(as ");
            ast_dump_expr(s->targets[i].expr, b);
            buf_putc(b, ' ');
            put_name(b, s->targets[i].alias);
            buf_putc(b, ')');
        } else {
            ast_dump_expr(s->targets[i].expr, b);
        }
    }
    buf_putc(b, ')');
    if (s->from) {
        const AstFrom *f = s->from;
        buf_puts(b, " ");
        open_node(b, f->kind == AST_FROM_NAME ? "from" : "from-func", f->pos);
        buf_putc(b, ' ');
        put_name(b, f->name);
        dump_list(&f->args, b);
        if (f->alias.n) {
            buf_puts(b, " (alias ");
            put_name(b, f->alias);
            buf_putc(b, ')');
        }
        buf_putc(b, ')');
    }
    dump_clause(b, "where", s->where);
    if (s->group_by.n) {
        buf_puts(b, " (group");
        dump_list(&s->group_by, b);
        buf_putc(b, ')');
    }
    dump_clause(b, "having", s->having);
    if (s->norder) {
        buf_puts(b, " (order");
        for (int i = 0; i < s->norder; i++) {
            buf_puts(b, s->order[i].desc ? " (desc " : " (asc ");
            ast_dump_expr(s->order[i].expr, b);
            if (s->order[i].nulls)
                buf_puts(b, s->order[i].nulls == 1 ? " nulls-first" : " nulls-last");
            buf_putc(b, ')');
        }
        buf_putc(b, ')');
    }
    dump_clause(b, "limit", s->limit);
    dump_clause(b, "offset", s->offset);
    if (s->emit.mode != AST_EMIT_DEFAULT)
        buf_printf(b, " (emit@%d %s)", (int)s->emit.mode_pos, emit_mode_name(s->emit.mode));
    switch (s->emit.trigger) {
    case AST_TRIGGER_DEFAULT:
        break;
    case AST_TRIGGER_EVERY:
        buf_printf(b, " (every@%d ", (int)s->emit.trigger_pos);
        ast_dump_expr(s->emit.every, b);
        buf_putc(b, ')');
        break;
    case AST_TRIGGER_EVERY_ROW:
        buf_printf(b, " (every-row@%d)", (int)s->emit.trigger_pos);
        break;
    case AST_TRIGGER_ON_DEMAND:
        buf_printf(b, " (on-demand@%d)", (int)s->emit.trigger_pos);
        break;
    }
    buf_putc(b, ')');
}

static void
dump_names(Buf *b, const Str *names, int n)
{
    if (!n)
        return;
    buf_puts(b, " (columns");
    for (int i = 0; i < n; i++) {
        buf_putc(b, ' ');
        put_name(b, names[i]);
    }
    buf_putc(b, ')');
}

static const char *
stmt_head(AstStmtKind k)
{
    switch (k) {
    case AST_CREATE_STREAM: return "create_stream";
    case AST_CREATE_VIEW: return "create_view";
    case AST_DROP: return "drop";
    case AST_INSERT: return "insert";
    case AST_COPY: return "copy";
    case AST_SELECT: return "query";
    case AST_SUBSCRIBE: return "subscribe";
    case AST_SHOW: return "show";
    case AST_DESCRIBE: return "describe";
    case AST_EXPLAIN: return "explain";
    case AST_REFRESH: return "refresh";
    case AST_SET: return "set";
    case AST_TRANSACTION: return "txn";
    case AST_COPY_OUT: return "copy_out";
    case AST_DECLARE: return "declare";
    case AST_FETCH: return "fetch";
    case AST_CLOSE: return "close";
    case AST_CREATE_SINK: return "create_sink";
    case AST_SESSION: return "session";
    }
    return "?";
}

void
ast_dump_stmt(const AstStmt *s, Buf *b)
{
    buf_printf(b, "(%s@%d:%d", stmt_head(s->kind), (int)s->pos, (int)s->end);
    switch (s->kind) {
    case AST_CREATE_STREAM: {
        buf_putc(b, ' ');
        put_name(b, s->create_stream.name);
        if (s->create_stream.if_not_exists)
            buf_puts(b, " if-not-exists");
        if (s->create_stream.ncols) {
            buf_puts(b, " (columns");
            for (int i = 0; i < s->create_stream.ncols; i++) {
                const AstColumnDef *c = &s->create_stream.cols[i];
                buf_printf(b, " (@%d ", (int)c->pos);
                put_name(b, c->name);
                buf_putc(b, ' ');
                put_name(b, c->type_name);
                if (c->not_null)
                    buf_puts(b, " not-null");
                buf_putc(b, ')');
            }
            buf_putc(b, ')');
        }
        if (s->create_stream.wm_column.n) {
            buf_printf(b, " (watermark@%d ", (int)s->create_stream.wm_pos);
            put_name(b, s->create_stream.wm_column);
            buf_putc(b, ' ');
            ast_dump_expr(s->create_stream.wm_expr, b);
            buf_putc(b, ')');
        }
        dump_options(&s->create_stream.with, b);
        if (s->create_stream.as_select) {
            buf_putc(b, ' ');
            dump_select(s->create_stream.as_select, b);
        }
        break;
    }
    case AST_CREATE_VIEW:
        buf_putc(b, ' ');
        put_name(b, s->create_view.name);
        if (s->create_view.or_replace)
            buf_puts(b, " or-replace");
        if (s->create_view.if_not_exists)
            buf_puts(b, " if-not-exists");
        dump_options(&s->create_view.with, b);
        buf_putc(b, ' ');
        dump_select(s->create_view.select, b);
        break;
    case AST_CREATE_SINK:
        buf_putc(b, ' ');
        put_name(b, s->create_sink.name);
        if (s->create_sink.if_not_exists)
            buf_puts(b, " if-not-exists");
        buf_puts(b, " (from ");
        put_name(b, s->create_sink.view);
        buf_puts(b, ") (into ");
        put_name(b, s->create_sink.connector);
        buf_putc(b, ')');
        dump_options(&s->create_sink.target, b);
        if (s->create_sink.mode != AST_EMIT_DEFAULT)
            buf_printf(b, " (emit@%d %s)", (int)s->create_sink.mode_pos,
                       emit_mode_name(s->create_sink.mode));
        if (s->create_sink.nkey) {
            buf_puts(b, " (key");
            for (int i = 0; i < s->create_sink.nkey; i++) {
                buf_putc(b, ' ');
                put_name(b, s->create_sink.key[i]);
            }
            buf_putc(b, ')');
        }
        dump_options(&s->create_sink.with, b);
        break;
    case AST_DROP: {
        static const char *const what[] = {"stream", "view", "table", "sink"};
        buf_printf(b, " %s ", what[s->drop.what]);
        put_name(b, s->drop.name);
        if (s->drop.if_exists)
            buf_puts(b, " if-exists");
        if (s->drop.cascade)
            buf_puts(b, " cascade");
        break;
    }
    case AST_INSERT:
        buf_putc(b, ' ');
        put_name(b, s->insert.name);
        dump_names(b, s->insert.columns, s->insert.ncolumns);
        buf_puts(b, " (values");
        for (int i = 0; i < s->insert.nrows; i++) {
            buf_puts(b, " (row");
            dump_list(&s->insert.rows[i], b);
            buf_putc(b, ')');
        }
        buf_putc(b, ')');
        break;
    case AST_COPY:
        buf_putc(b, ' ');
        put_name(b, s->copy.name);
        dump_names(b, s->copy.columns, s->copy.ncolumns);
        dump_options(&s->copy.with, b);
        break;
    case AST_SELECT:
        buf_putc(b, ' ');
        dump_select(s->select, b);
        break;
    case AST_SUBSCRIBE:
        buf_putc(b, ' ');
        put_name(b, s->subscribe.name);
        if (s->subscribe.mode != AST_EMIT_DEFAULT)
            buf_printf(b, " (emit@%d %s)", (int)s->subscribe.mode_pos,
                       emit_mode_name(s->subscribe.mode));
        dump_clause(b, "where", s->subscribe.where);
        dump_clause(b, "from-epoch", s->subscribe.from_epoch);
        dump_clause(b, "limit", s->subscribe.limit);
        dump_options(&s->subscribe.with, b);
        break;
    case AST_SHOW: {
        static const char *const what[] = {"streams", "views", "tables", "sinks",
                                           "queries", "status", "param", "all"};
        buf_printf(b, " %s", what[s->show.what]);
        if (s->show.name.n) {
            buf_putc(b, ' ');
            put_name(b, s->show.name);
        }
        break;
    }
    case AST_DESCRIBE:
        buf_putc(b, ' ');
        put_name(b, s->describe.name);
        break;
    case AST_EXPLAIN:
        if (s->explain.analyze)
            buf_puts(b, " analyze");
        buf_putc(b, ' ');
        ast_dump_stmt(s->explain.stmt, b);
        break;
    case AST_REFRESH:
        buf_putc(b, ' ');
        put_name(b, s->refresh.name);
        break;
    case AST_SET:
        if (s->set.local)
            buf_puts(b, " local");
        buf_putc(b, ' ');
        put_name(b, s->set.name);
        buf_putc(b, ' ');
        if (s->set.value)
            ast_dump_expr(s->set.value, b);
        else
            buf_puts(b, "default");
        break;
    case AST_TRANSACTION:
        buf_puts(b, s->txn == AST_TXN_BEGIN ? " begin" : s->txn == AST_TXN_COMMIT ? " commit" : " rollback");
        if (s->txn_modes.n)
            buf_printf(b, " [%.*s]", (int)s->txn_modes.n, s->txn_modes.p);
        break;
    case AST_SESSION: {
        static const char *const what[] = {"listen", "unlisten", "unlisten-all", "notify", "reset",
                                           "reset-all", "discard", "discard-all", "deallocate",
                                           "deallocate-all", "set-transaction",
                                           "set-session-transaction"};
        buf_printf(b, " %s", what[s->sess.what]);
        if (s->sess.name.n) {
            buf_putc(b, ' ');
            put_name(b, s->sess.name);
        }
        if (s->sess.arg.n)
            buf_printf(b, " [%.*s]", (int)s->sess.arg.n, s->sess.arg.p);
        break;
    }
    case AST_COPY_OUT:
        buf_putc(b, ' ');
        ast_dump_stmt(s->copy_out.sub, b);
        dump_options(&s->copy_out.with, b);
        break;
    case AST_DECLARE:
        buf_putc(b, ' ');
        put_name(b, s->declare.name);
        buf_putc(b, ' ');
        ast_dump_stmt(s->declare.sub, b);
        break;
    case AST_FETCH:
        if (s->fetch.count.n)
            buf_printf(b, " %.*s ", (int)s->fetch.count.n, s->fetch.count.p);
        else
            buf_puts(b, " all ");
        put_name(b, s->fetch.name);
        break;
    case AST_CLOSE:
        buf_putc(b, ' ');
        if (s->close.name.n)
            put_name(b, s->close.name);
        else
            buf_puts(b, "all");
        break;
    }
    buf_putc(b, ')');
}
