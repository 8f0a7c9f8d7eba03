/*
 * parser/parse.c — parse_sql: drives the lexer and the lemon parser.
 *
 * The loop keeps one token of lookahead. Before a token is fed, it
 *   1. resolves a non-reserved keyword: it stays a keyword if the parser can
 *      take it followed by the next token, else becomes an identifier if that
 *      works (SQLite resolves OVER/WINDOW by lookahead the same way); so
 *      `emit`, `status`, `timestamp` work as column names and aliases;
 *   2. asks the parser whether the token would be shifted (a dry run over the
 *      parse tables, see parser_engine_accepts). If not, the error is reported
 *      here, where the stack has not yet been reduced by the bad token, so the
 *      "expected one of" hint lists exactly the tokens the grammar takes there;
 *   3. counts parenthesis nesting (54001 past PARSE_MAX_DEPTH).
 * At the end of the text it sends TK_SEMI if the last token was not one, then 0.
 * Lemon's own %syntax_error is a backstop only.
 *
 * INTERFACE
 *   parse_sql           SQL text → AstStmtList (parser.h)
 *   pz_add_stmt         grammar action: a statement is complete
 *   pz_syntax_error     grammar %syntax_error
 *   pz_stack_overflow   grammar %stack_overflow
 */
#include "parser/parser.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/value.h"
#include "parser/grammar.h"
#include "parser/parser_int.h"

/* ---------------------------------------------------------------- depth check */

/* Recursion here is bounded by PARSE_MAX_TREE_DEPTH: the walk stops at the
 * first node that deep and records its position in *at. */
static bool expr_ok(const AstExpr *e, int depth, int32_t *at);

static bool
list_ok(const AstExprList *l, int depth, int32_t *at)
{
    for (int i = 0; i < l->n; i++)
        if (!expr_ok(l->items[i], depth, at))
            return false;
    return true;
}

static bool
expr_ok(const AstExpr *e, int depth, int32_t *at)
{
    if (!e)
        return true;
    if (depth >= PARSE_MAX_TREE_DEPTH) {
        *at = e->pos;
        return false;
    }
    depth++;
    switch (e->kind) {
    case AST_LITERAL:
    case AST_COLUMN:
    case AST_STAR:
    case AST_PARAM:
        return true;
    case AST_UNARY:
        return expr_ok(e->unary.arg, depth, at);
    case AST_BINARY:
        return expr_ok(e->binary.left, depth, at) && expr_ok(e->binary.right, depth, at);
    case AST_FUNC:
        return list_ok(&e->func.args, depth, at);
    case AST_CAST:
        return expr_ok(e->cast.arg, depth, at);
    case AST_IS:
        return expr_ok(e->is.arg, depth, at);
    case AST_BETWEEN:
        return expr_ok(e->between.arg, depth, at) && expr_ok(e->between.lo, depth, at) &&
               expr_ok(e->between.hi, depth, at);
    case AST_IN:
        return expr_ok(e->in.arg, depth, at) && list_ok(&e->in.list, depth, at);
    case AST_LIKE:
        return expr_ok(e->like.arg, depth, at) && expr_ok(e->like.pattern, depth, at);
    case AST_CASE:
        if (!expr_ok(e->case_.operand, depth, at) || !expr_ok(e->case_.else_expr, depth, at))
            return false;
        for (int i = 0; i < e->case_.nwhens; i++)
            if (!expr_ok(e->case_.whens[i].cond, depth, at) ||
                !expr_ok(e->case_.whens[i].result, depth, at))
                return false;
        return true;
    }
    return true;
}

static bool
select_ok(const AstSelect *s, int32_t *at)
{
    if (!s)
        return true;
    for (int i = 0; i < s->ntargets; i++)
        if (!expr_ok(s->targets[i].expr, 0, at))
            return false;
    if (s->from && !list_ok(&s->from->args, 0, at))
        return false;
    for (int i = 0; i < s->norder; i++)
        if (!expr_ok(s->order[i].expr, 0, at))
            return false;
    return expr_ok(s->where, 0, at) && list_ok(&s->group_by, 0, at) &&
           expr_ok(s->having, 0, at) && expr_ok(s->limit, 0, at) && expr_ok(s->offset, 0, at) &&
           expr_ok(s->emit.every, 0, at);
}

static bool
stmt_ok(const AstStmt *s, int32_t *at)
{
    switch (s->kind) {
    case AST_CREATE_STREAM:
        return expr_ok(s->create_stream.wm_expr, 0, at) && select_ok(s->create_stream.as_select, at);
    case AST_CREATE_VIEW:
        return select_ok(s->create_view.select, at);
    case AST_SELECT:
        return select_ok(s->select, at);
    case AST_INSERT:
        for (int i = 0; i < s->insert.nrows; i++)
            if (!list_ok(&s->insert.rows[i], 0, at))
                return false;
        return true;
    case AST_SUBSCRIBE:
        return expr_ok(s->subscribe.where, 0, at) && expr_ok(s->subscribe.from_epoch, 0, at) &&
               expr_ok(s->subscribe.limit, 0, at);
    case AST_EXPLAIN:
        return stmt_ok(s->explain.stmt, at);
    default:
        return true;
    }
}

/* ---------------------------------------------------------------- grammar callbacks */

void
pz_add_stmt(ParseCtx *ctx, AstStmt *s, int32_t pos, int32_t end)
{
    if (pos >= 0)
        s->pos = pos;
    s->end = end;
    if (s->kind == AST_EXPLAIN)
        s->explain.stmt->end = end;
    int32_t at = s->pos;
    if (!stmt_ok(s, &at)) {
        err_setf(ctx->err, ERR_STATEMENT_TOO_COMPLEX, at, "statement is too complex");
        err_detail(ctx->err, "An expression is nested more than %d levels deep.",
                   PARSE_MAX_TREE_DEPTH);
        return;
    }
    PZ_APPEND(ctx, ctx->stmts, s);
}

void
pz_stack_overflow(ParseCtx *ctx)
{
    err_setf(ctx->err, ERR_STATEMENT_TOO_COMPLEX, ctx->cur_pos, "statement is too complex");
}

static void
set_syntax_error(ParseCtx *ctx, const Token *t)
{
    if (t->raw_n == 0)
        err_setf(ctx->err, ERR_SYNTAX_ERROR, (int)ctx->n, "syntax error at end of input");
    else
        err_setf(ctx->err, ERR_SYNTAX_ERROR, t->s.pos, "syntax error at or near \"%.*s\"",
                 (int)t->raw_n, ctx->sql + t->s.pos);
}

/* Backstop: the loop detects errors before lemon does. */
void
pz_syntax_error(ParseCtx *ctx, const Token *t)
{
    set_syntax_error(ctx, t);
}

/* ---------------------------------------------------------------- hints */

#define HINT_MAX 12

static const char *
token_display(int code)
{
    switch (code) {
    case TK_LP: return "\"(\"";
    case TK_RP: return "\")\"";
    case TK_COMMA: return "\",\"";
    case TK_SEMI: return "\";\"";
    case TK_DOT: return "\".\"";
    case TK_STAR: return "\"*\"";
    case TK_EQ: return "\"=\"";
    case TK_NE: return "\"<>\"";
    case TK_LT: return "\"<\"";
    case TK_LE: return "\"<=\"";
    case TK_GT: return "\">\"";
    case TK_GE: return "\">=\"";
    case TK_PLUS: return "\"+\"";
    case TK_MINUS: return "\"-\"";
    case TK_SLASH: return "\"/\"";
    case TK_PERCENT: return "\"%\"";
    case TK_CONCAT: return "\"||\"";
    case TK_DCOLON: return "\"::\"";
    case TK_NOT_LA: return "NOT LIKE";
    case TK_WITH_LA: return "WITH TIME ZONE";
    case TK_ID: return "identifier";
    case TK_INTEGER: return "number";
    case TK_FLOAT: return "number";
    case TK_STRING: return "string";
    case TK_UMINUS: return NULL;
    default: break;
    }
    const Keyword *kw = lex_keyword_by_code(code);
    return kw ? kw->name : NULL;
}

/* Tokens that can only start an expression: when CASE is expected, an
 * expression is, and these collapse into the word "expression". */
static bool
starts_expression(int code)
{
    switch (code) {
    case TK_NOT: case TK_NULL: case TK_TRUE: case TK_FALSE: case TK_CASE: case TK_CAST:
    case TK_EXTRACT: case TK_TIMESTAMP: case TK_INTERVAL: case TK_DATE: case TK_LP:
    case TK_PLUS: case TK_MINUS: case TK_ID: case TK_INTEGER: case TK_FLOAT: case TK_STRING:
        return true;
    default:
        return false;
    }
}

/* "expected one of: FROM, WHERE, ..." for the parser's current state. Keywords
 * count only where they are keywords (without %fallback); order is the %token
 * order of grammar.y; identifiers and literals come last. */
static void
add_hint(ParseCtx *ctx, void *engine)
{
    int ntok = parser_token_count();
    const char *names[HINT_MAX + 1];
    int nnames = 0;
    bool truncated = false;
    bool expr = parser_engine_accepts(engine, TK_CASE, -1, false);
    const char *tail[4];
    int ntail = 0;

    for (int code = 1; code < ntok; code++) {
        if (!parser_engine_accepts(engine, code, -1, false))
            continue;
        if (expr && starts_expression(code) && code != TK_LP && code != TK_NOT)
            continue;
        const char *name = token_display(code);
        if (!name)
            continue;
        bool is_class = code == TK_ID || code == TK_INTEGER || code == TK_FLOAT || code == TK_STRING;
        const char **arr = is_class ? tail : names;
        int *cnt = is_class ? &ntail : &nnames;
        bool dup = false;
        for (int i = 0; i < *cnt; i++)
            if (strcmp(arr[i], name) == 0)
                dup = true;
        if (dup)
            continue;
        if (is_class) {
            if (ntail < 4)
                tail[ntail++] = name;
        } else if (nnames < HINT_MAX) {
            names[nnames++] = name;
        } else {
            truncated = true;
        }
    }
    if (expr && ntail < 4)
        tail[ntail++] = "expression";
    if (nnames + ntail == 0)
        return;
    while (nnames + ntail > HINT_MAX && nnames > 0) {
        nnames--;
        truncated = true;
    }
    Buf b;
    buf_init(&b);
    buf_puts(&b, nnames + ntail > 1 || truncated ? "expected one of: " : "expected ");
    int k = 0;
    for (int i = 0; i < nnames; i++, k++) {
        if (k)
            buf_puts(&b, ", ");
        const char *n = names[i];
        if (lex_keyword_lookup(n, strlen(n)))
            for (const char *c = n; *c; c++)
                buf_putc(&b, (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c));
        else
            buf_puts(&b, n);
    }
    for (int i = 0; i < ntail; i++, k++) {
        if (k)
            buf_puts(&b, ", ");
        buf_puts(&b, tail[i]);
    }
    if (truncated)
        buf_puts(&b, ", ...");
    buf_putc(&b, 0);
    err_hint(ctx->err, "%s", b.data);
    buf_free(&b);
}

/* ---------------------------------------------------------------- token source */

typedef struct Source {
    Lexer lx;
    SqlError lexerr;  /* a lexical error, reported when its token is reached */
    int last_code;
    bool at_end;
    bool semi_sent;
} Source;

/* The next token: lexer tokens, then a synthetic TK_SEMI (raw_n = 0) unless
 * the text ended with ';', then 0. Returns -1 on a lexical error. */
static int
source_next(Source *src, Token *t)
{
    if (!src->at_end) {
        int c = lex_next(&src->lx, t, &src->lexerr);
        if (c < 0)
            return -1;
        if (c > 0) {
            src->last_code = c;
            return c;
        }
        src->at_end = true;
    }
    memset(t, 0, sizeof *t);
    t->s.p = src->lx.sql + src->lx.n;
    t->s.pos = (int32_t)src->lx.n;
    t->stmt_pos = -1;
    if (src->last_code != TK_SEMI && !src->semi_sent) {
        src->semi_sent = true;
        t->code = TK_SEMI;
        return TK_SEMI;
    }
    return 0;
}

static bool
is_word(int code)
{
    const Keyword *kw = lex_keyword_by_code(code);
    return kw && kw->cls != KW_RESERVED;
}

static bool
accepts_pair(void *engine, int code, int next)
{
    if (next < 0)
        return parser_engine_accepts(engine, code, -1, true);
    if (parser_engine_accepts(engine, code, next, true))
        return true;
    return is_word(next) && parser_engine_accepts(engine, code, TK_ID, true);
}

/* A non-reserved keyword stays a keyword if the parser takes it with the next
 * token, else becomes an identifier if that works; else it stays (and the
 * error, if any, is reported at the keyword or the next token). */
static int
resolve_word(void *engine, int code, int next)
{
    if (accepts_pair(engine, code, next))
        return code;
    if (accepts_pair(engine, TK_ID, next))
        return TK_ID;
    return code;
}

/* ---------------------------------------------------------------- parse_sql */

int
parse_sql(struct Arena *a, const char *sql, size_t n, AstStmtList *out, struct SqlError *err)
{
    out->items = NULL;
    out->n = 0;
    if (val_check_utf8(sql, n, err) != 0) {
        ptrdiff_t bad = sl_utf8_invalid(sql, n);
        err->position = (int32_t)bad;
        return -1;
    }
    ParseCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.a = a;
    ctx.err = err;
    ctx.sql = sql;
    ctx.n = n;

    void *engine = arena_alloc(a, parser_engine_size());
    parser_engine_init(engine, &ctx);

    Source src;
    memset(&src, 0, sizeof src);
    lex_init(&src.lx, a, sql, n);
    err_init(&src.lexerr, a);

    Token cur, next;
    int nextc = source_next(&src, &next);
    int32_t stmt_pos = -1, last_end = 0;
    int depth = 0;

    while (!err_is_set(err)) {
        cur = next;
        int curc = nextc;
        if (curc < 0) {
            err_copy(err, &src.lexerr);
            break;
        }
        if (curc != 0)
            nextc = source_next(&src, &next);
        if (is_word(curc))
            curc = resolve_word(engine, curc, nextc);
        cur.code = curc;

        if (curc == TK_SEMI) {
            cur.stmt_pos = stmt_pos;
            cur.stmt_end = last_end;
            stmt_pos = -1;
        } else if (curc != 0) {
            if (stmt_pos < 0)
                stmt_pos = cur.s.pos;
            last_end = cur.s.pos + (int32_t)cur.raw_n;
        }

        if (!parser_engine_accepts(engine, curc, -1, true)) {
            set_syntax_error(&ctx, &cur);
            add_hint(&ctx, engine);
            break;
        }
        if (curc == TK_LP && ++depth > PARSE_MAX_DEPTH) {
            err_setf(err, ERR_STATEMENT_TOO_COMPLEX, cur.s.pos, "statement is too complex");
            err_detail(err, "Parentheses are nested more than %d levels deep.", PARSE_MAX_DEPTH);
            break;
        }
        if (curc == TK_RP)
            depth--;
        ctx.cur_pos = cur.s.pos;
        parser_engine_feed(engine, curc, cur);
        if (curc == 0)
            break;
    }
    parser_engine_finalize(engine);
    if (err_is_set(err))
        return -1;
    *out = ctx.stmts;
    return 0;
}
