/*
 * parser/parser_int.h — declarations shared inside parser/ only (the lexer,
 * the keyword table, the lemon grammar's semantic types and the small
 * builders its actions call). Nothing outside parser/ may include this.
 *
 * INTERFACE
 *   Token, Lexer, lex_init, lex_next        the tokenizer (lexer.c)
 *   Keyword, lex_keywords, lex_keyword_*    the keyword table (keywords.c)
 *   ParseCtx                                 %extra_context of the grammar
 *   *List, StreamBody                        semantic values of list non-terminals
 *   pz_*                                     builders used by grammar actions (ast.c)
 *   parser_engine_*                          wrappers around the generated parser (grammar.y %code)
 */
#ifndef SL_PARSER_INT_H
#define SL_PARSER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/ast.h"
#include "parser/parser.h"

struct Arena;
struct SqlError;

/* ---------------------------------------------------------------- tokens */

/* The semantic value of every terminal (%token_type). */
typedef struct Token {
    Str s;            /* ID / keyword: folded NUL-terminated name; STRING: unescaped
                         contents; anything else: the source text. s.pos = byte offset */
    int code;         /* TK_* */
    uint32_t raw_n;   /* length of the token in the source (text = sql + s.pos) */
    int32_t stmt_pos; /* TK_SEMI: offset of the statement's first token, -1 if empty */
    int32_t stmt_end; /* TK_SEMI: offset just past the statement's last token */
} Token;

typedef struct Lexer {
    const char *sql;
    size_t n;
    size_t i;
    struct Arena *a;
} Lexer;

void lex_init(Lexer *lx, struct Arena *a, const char *sql, size_t n);
/* Scans the next token into *t. Returns its TK_ code, 0 at the end of the
 * text, or -1 with 42601 in err (unterminated string/comment, stray char).
 * Whitespace and comments are skipped. Returns memory owned by lx->a. */
int lex_next(Lexer *lx, Token *t, struct SqlError *err);

/* ---------------------------------------------------------------- keywords */

typedef enum KwClass {
    KW_RESERVED,    /* never an identifier unless quoted */
    KW_UNRESERVED,  /* listed in grammar.y's %fallback ID: an identifier where the keyword fits not */
    KW_CONTEXT      /* not in %fallback (lemon's default reductions would hide the keyword behind
                       an alias); parse.c decides keyword-or-identifier by lookahead */
} KwClass;

typedef struct Keyword {
    const char *name; /* lower case */
    int code;         /* TK_* */
    KwClass cls;
} Keyword;

extern const Keyword lex_keywords[];
extern const int lex_nkeywords;

/* Case-insensitive lookup; NULL if not a keyword. Borrows word. */
const Keyword *lex_keyword_lookup(const char *word, size_t n);
const Keyword *lex_keyword_by_code(int code);

/* ---------------------------------------------------------------- grammar values */

typedef struct ParseCtx {
    struct Arena *a;
    struct SqlError *err;
    const char *sql;
    size_t n;
    AstStmtList stmts;  /* statements reduced so far */
    int32_t cur_pos;    /* offset of the token being fed (stack overflow position) */
} ParseCtx;

typedef struct TargetList { AstTarget *items; int n; } TargetList;
typedef struct OrderList { AstOrderItem *items; int n; } OrderList;
typedef struct NameList { Str *items; int n; } NameList;
typedef struct RowList { AstExprList *items; int n; } RowList;
typedef struct WhenList { AstWhen *items; int n; } WhenList;

typedef struct ColList { AstColumnDef *items; int n; } ColList;

typedef struct StreamBody {
    ColList cols;
    Str wm_column;
    AstExpr *wm_expr;
    int32_t wm_pos;
} StreamBody;

/* Returns items with room for one more element (a list of n elements grows by
 * doubling; capacity is implied by n). Returns memory owned by a. */
void *pz_grow(struct Arena *a, void *items, int n, size_t elem_size);

/* Appends item to any {items, n} list, in place. */
#define PZ_APPEND(ctx, list, item)                                                     \
    do {                                                                               \
        (list).items = pz_grow((ctx)->a, (list).items, (list).n, sizeof *(list).items); \
        (list).items[(list).n++] = (item);                                             \
    } while (0)

static inline Str
pz_str(const char *p, int32_t pos)
{
    Str s = {p, 0, pos};
    while (p[s.n])
        s.n++;
    return s;
}

/* Builders for what ast.h has no constructor for. All return memory owned by ctx->a. */
AstExpr *pz_case(ParseCtx *ctx, int32_t pos, AstExpr *operand, WhenList whens, AstExpr *else_expr);
AstExpr *pz_extract(ParseCtx *ctx, int32_t pos, Str field, AstExpr *arg);
AstExpr *pz_bool(ParseCtx *ctx, bool v, int32_t pos);
Str pz_type_name(ParseCtx *ctx, Str a, const char *suffix);
AstStmt *pz_stmt(ParseCtx *ctx, AstStmtKind kind, int32_t pos);
AstSelect *pz_select(ParseCtx *ctx, int32_t pos, bool distinct, TargetList targets, AstFrom *from,
                     AstExpr *where, AstExprList group_by, AstExpr *having, OrderList order,
                     AstExpr *limit, AstExpr *offset, AstEmit emit);
AstFrom *pz_from(ParseCtx *ctx, AstFromKind kind, Str name, AstExprList args, Str alias);
AstOption pz_option(Str key, AstExpr *value);
AstEmit pz_emit(AstEmitMode mode, int32_t mode_pos, AstTrigger trig, AstExpr *every, int32_t trig_pos);
AstEmit pz_emit_merge(AstEmit mode, AstEmit trigger);
AstExpr *pz_number(ParseCtx *ctx, const Token *t);
AstExpr *pz_param(ParseCtx *ctx, const Token *t);  /* $n; 42P02 when out of range */
AstStmt *pz_select_stmt(ParseCtx *ctx, AstSelect *sel);
AstStmt *pz_create_stream(ParseCtx *ctx, int32_t pos, Str name, bool if_not_exists, StreamBody body,
                          AstOptionList with, AstSelect *as_select);
AstStmt *pz_create_view(ParseCtx *ctx, int32_t pos, Str name, bool or_replace, bool if_not_exists,
                        AstOptionList with, AstSelect *sel);
AstStmt *pz_create_sink(ParseCtx *ctx, int32_t pos, Str name, bool if_not_exists, Str view,
                        Str connector, AstOptionList target, AstEmit mode, NameList key,
                        AstOptionList with);
AstStmt *pz_insert(ParseCtx *ctx, int32_t pos, Str name, NameList cols, RowList rows);
AstStmt *pz_copy(ParseCtx *ctx, int32_t pos, Str name, NameList cols, AstOptionList with);
AstStmt *pz_subscribe(ParseCtx *ctx, int32_t pos, Str name, AstEmit mode, AstExpr *where,
                      AstExpr *from_epoch, AstExpr *limit, AstOptionList with);
AstStmt *pz_show(ParseCtx *ctx, int32_t pos, AstShowKind what, Str name);
AstStmt *pz_drop(ParseCtx *ctx, int32_t pos, AstObjKind what, bool if_exists, Str name, bool cascade);
AstStmt *pz_explain(ParseCtx *ctx, int32_t pos, bool analyze, AstStmt *stmt);
AstStmt *pz_set(ParseCtx *ctx, int32_t pos, Str name, AstExpr *value, bool local);
AstStmt *pz_txn(ParseCtx *ctx, int32_t pos, AstTxnKind kind);
/* LISTEN / UNLISTEN / NOTIFY / RESET / DISCARD / DEALLOCATE / SET TRANSACTION. */
AstStmt *pz_session(ParseCtx *ctx, int32_t pos, AstSessKind what, Str name, Str arg);
/* The source text of one token, and of the tokens from a to b (a Str slice of ctx->sql). */
Str pz_token_span(ParseCtx *ctx, const Token *t);
Str pz_span(Str a, Str b);
/* "a.b" (a custom parameter name such as myapp.mode), at a's position. */
Str pz_dotted(ParseCtx *ctx, Str a, Str b);
AstStmt *pz_copy_out(ParseCtx *ctx, int32_t pos, AstStmt *sub, AstOptionList with);
AstStmt *pz_declare(ParseCtx *ctx, int32_t pos, Str name, AstStmt *sub);
AstStmt *pz_fetch(ParseCtx *ctx, int32_t pos, Str count, Str name);
AstStmt *pz_close(ParseCtx *ctx, int32_t pos, Str name);
/* Adds a finished statement (end = offset past its last token). */
void pz_add_stmt(ParseCtx *ctx, AstStmt *s, int32_t pos, int32_t end);
/* Error reporting (parse.c). */
void pz_stack_overflow(ParseCtx *ctx);
void pz_syntax_error(ParseCtx *ctx, const Token *t);

/* Deepest expression tree the parser hands out: deeper trees (a chain of
 * 1000 additions) get 54001 too, so recursive walkers downstream are safe. */
#define PARSE_MAX_TREE_DEPTH (PARSE_MAX_DEPTH * 5)

/* ---------------------------------------------------------------- generated parser */

size_t parser_engine_size(void);
void parser_engine_init(void *engine, ParseCtx *ctx);
void parser_engine_feed(void *engine, int code, Token t);
void parser_engine_finalize(void *engine);
/* Whether the parser, in its current state, would shift `code` (then `code2`
 * if code2 >= 0) without a syntax error. Runs no actions. `fallback` = false
 * ignores %fallback (a keyword then counts only where it is a keyword). */
bool parser_engine_accepts(void *engine, int code, int code2, bool fallback);
/* The terminal a token falls back to (TK_ID) or 0; the number of terminals. */
int parser_token_fallback(int code);
int parser_token_count(void);

#endif
