/*
 * server/pgcatalog_sql.c — the PostgreSQL → SQLite translator of the catalog
 * emulation (see pgcatalog.h).
 *
 * INTERFACE (pgcatalog.h)
 *   pgcat_translate, pgcat_translation_free
 *
 * It works on tokens, not on a syntax tree: the input is tokenized the way
 * PostgreSQL's scanner would (identifiers folded to lower case, '' and E''
 * strings decoded, dollar quotes, $n parameters, multi-character operators),
 * then re-emitted as a list of output chunks. The rewrites that need the
 * operand to their left (x::type, x[i], x = ANY(arr)) find it by walking
 * back over the chunks already emitted: one primary (a literal, a dotted
 * name, a parenthesised group with its function name). Rewrites:
 *   pg_catalog.X              -> X (the emulated tables and functions are unqualified)
 *   x::t, CAST(x AS t)        -> CAST(x AS sqlite-type), pg_regclass(x), pg_bool(x), ...
 *   x::regtype::text          -> pg_regtype_out(pg_regtype(x)) (regclass, regproc, ...)
 *   OPERATOR(pg_catalog.op)   -> op
 *   ~ !~ ~* !~* ILIKE         -> REGEXP, NOT REGEXP, MATCH, NOT MATCH, GLOB (regexp, match,
 *                                glob and like are SQL functions with PostgreSQL semantics)
 *   COLLATE name              -> dropped
 *   x op ANY(arr) / ALL(arr)  -> pg_any(x, 'op', arr) / pg_all(x, 'op', arr)
 *   x = ANY(SELECT ...)       -> x IN (SELECT ...)
 *   ARRAY[a, b]               -> pg_array(a, b)
 *   ARRAY(SELECT e FROM ...)  -> (SELECT array_agg(e) FROM ...)
 *   x[i]                      -> pg_subscript(x, i)
 *   (x).field                 -> pg_field(x, 'field')
 *   f(... ORDER BY ...)       -> f(...) (SQLite 3.40 has no ordered aggregates)
 *   IS [NOT] DISTINCT FROM    -> IS NOT / IS
 *   trim(both c FROM s)       -> pg_trim('both', c, s)
 *   substring(s FROM a FOR b) -> substr(s, a, b)
 *   current_user (no parens)  -> current_user() (likewise current_schema, session_user ...)
 *   FROM unnest(a) x          -> bare x becomes x.unnest (generate_series likewise)
 *   FROM f(...) AS s(c)       -> FROM (SELECT f AS c FROM f(...)) AS s
 *   AS alias                  -> AS "alias" (PostgreSQL accepts keywords there, SQLite not)
 * Arrays are PostgreSQL text literals ('{a,b}') throughout.
 *
 * The outermost select list is also read for result column names and types
 * (alias or function name; cast target, literal, boolean operator, known
 * function's return type), since SQLite keeps no types for expressions.
 */
#include "server/pgcatalog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/util.h"
#include "parser/parser.h"

/* ------------------------------------------------------------------ tokens */

typedef enum TokKind {
    TK_IDENT,
    TK_QIDENT,
    TK_STRING,
    TK_NUMBER,
    TK_PARAM,
    TK_OP,
    TK_PUNCT
} TokKind;

typedef struct Tok {
    TokKind k;
    const char *p; /* source text */
    int n;
    int pos; /* byte offset in the statement */
    char *v; /* identifier folded / string decoded / quoted identifier unquoted */
} Tok;

typedef struct Toks {
    Tok *t;
    int n, cap;
    int *match; /* per token: the index of its matching bracket, or -1 */
} Toks;

/* Longest statement translated: client catalog queries are a few KB; the
 * translator's lookups are linear per construct, so bound the input. */
#define PGCAT_MAX_SQL (64 * 1024)
/* Deepest expression the result-type inference descends into. */
#define PGCAT_MAX_INFER_DEPTH 32

static bool
is_op_char(char c)
{
    return strchr("+-*/<>=~!@#%^&|`?", c) != NULL && c != 0;
}

static void
tok_push(Toks *ts, Tok t)
{
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->t = sl_realloc(ts->t, sizeof(Tok) * (size_t)ts->cap);
    }
    ts->t[ts->n++] = t;
}

/* Decodes a '...' string starting at s (after the opening quote); escapes:
 * E'' strings take backslash escapes. Returns the index after the closing
 * quote or -1. */
static int
scan_string(const char *s, int n, int i, bool esc, Arena *a, char **out)
{
    Buf b;
    buf_init(&b);
    for (;;) {
        if (i >= n) {
            buf_free(&b);
            return -1;
        }
        char c = s[i];
        if (c == '\'') {
            if (i + 1 < n && s[i + 1] == '\'') {
                buf_putc(&b, '\'');
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (esc && c == '\\' && i + 1 < n) {
            char d = s[i + 1];
            i += 2;
            switch (d) {
            case 'n':
                buf_putc(&b, '\n');
                break;
            case 't':
                buf_putc(&b, '\t');
                break;
            case 'r':
                buf_putc(&b, '\r');
                break;
            case 'b':
                buf_putc(&b, '\b');
                break;
            case 'f':
                buf_putc(&b, '\f');
                break;
            default:
                buf_putc(&b, d);
                break;
            }
            continue;
        }
        buf_putc(&b, c);
        i++;
    }
    *out = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return i;
}

static int
tokenize(const char *s, int n, Arena *a, Toks *ts, SqlError *err)
{
    int i = 0;
    while (i < n) {
        char c = s[i];
        if (isspace((unsigned char)c)) {
            i++;
            continue;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            bool closed;
            i = lex_block_comment_end(s, n, i, &closed);
            if (!closed) {
                err_setf(err, ERR_SYNTAX_ERROR, i, "unterminated /* comment");
                return -1;
            }
            continue;
        }
        Tok t = {.p = s + i, .pos = i};
        if ((c == 'E' || c == 'e') && i + 1 < n && s[i + 1] == '\'') {
            int e = scan_string(s, n, i + 2, true, a, &t.v);
            if (e < 0)
                goto unterminated;
            t.k = TK_STRING;
            i = e;
        } else if (c == '\'') {
            int e = scan_string(s, n, i + 1, false, a, &t.v);
            if (e < 0)
                goto unterminated;
            t.k = TK_STRING;
            i = e;
        } else if (c == '"') {
            Buf b;
            buf_init(&b);
            int j = i + 1;
            for (;;) {
                if (j >= n) {
                    buf_free(&b);
                    err_setf(err, ERR_SYNTAX_ERROR, i, "unterminated quoted identifier");
                    return -1;
                }
                if (s[j] == '"') {
                    if (j + 1 < n && s[j + 1] == '"') {
                        buf_putc(&b, '"');
                        j += 2;
                        continue;
                    }
                    j++;
                    break;
                }
                buf_putc(&b, s[j++]);
            }
            t.k = TK_QIDENT;
            t.v = arena_strndup(a, b.data ? b.data : "", b.len);
            buf_free(&b);
            i = j;
        } else if (c == '$' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
            int j = i + 1;
            while (j < n && isdigit((unsigned char)s[j]))
                j++;
            t.k = TK_PARAM;
            t.v = arena_strndup(a, s + i, (size_t)(j - i));
            i = j;
        } else if (c == '$') { /* dollar quote $tag$...$tag$ */
            int j = i + 1;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
                j++;
            if (j >= n || s[j] != '$') {
                err_setf(err, ERR_SYNTAX_ERROR, i, "syntax error at or near \"$\"");
                return -1;
            }
            int taglen = j - i + 1;
            const char *body = s + j + 1;
            const char *end = NULL;
            for (const char *q = body; q + taglen <= s + n; q++)
                if (memcmp(q, s + i, (size_t)taglen) == 0) {
                    end = q;
                    break;
                }
            if (!end)
                goto unterminated;
            t.k = TK_STRING;
            t.v = arena_strndup(a, body, (size_t)(end - body));
            i = (int)(end - s) + taglen;
        } else if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
            int j = i;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '$' ||
                             (unsigned char)s[j] >= 0x80))
                j++;
            t.k = TK_IDENT;
            t.v = arena_strndup(a, s + i, (size_t)(j - i));
            for (char *q = t.v; *q; q++)
                *q = (char)tolower((unsigned char)*q);
            i = j;
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
            int j = i;
            while (j < n && (isdigit((unsigned char)s[j]) || s[j] == '.'))
                j++;
            if (j < n && (s[j] == 'e' || s[j] == 'E')) {
                j++;
                if (j < n && (s[j] == '+' || s[j] == '-'))
                    j++;
                while (j < n && isdigit((unsigned char)s[j]))
                    j++;
            }
            t.k = TK_NUMBER;
            t.v = arena_strndup(a, s + i, (size_t)(j - i));
            i = j;
        } else if (c == ':' && i + 1 < n && s[i + 1] == ':') {
            t.k = TK_OP;
            t.v = arena_strdup(a, "::");
            i += 2;
        } else if (is_op_char(c)) {
            int j = i;
            while (j < n && is_op_char(s[j])) {
                if (j + 1 < n &&
                    ((s[j] == '-' && s[j + 1] == '-') || (s[j] == '/' && s[j + 1] == '*')))
                    break;
                j++;
            }
            /* PostgreSQL: a multi-char operator ending in + or - must contain ~ ! @ # % ^ & | ` ?
             */
            while (j - i > 1 && (s[j - 1] == '+' || s[j - 1] == '-')) {
                bool special = false;
                for (int q = i; q < j; q++)
                    if (strchr("~!@#%^&|`?", s[q]))
                        special = true;
                if (special)
                    break;
                j--;
            }
            t.k = TK_OP;
            t.v = arena_strndup(a, s + i, (size_t)(j - i));
            i = j;
        } else if (strchr("(),;[].:", c)) {
            t.k = TK_PUNCT;
            t.v = arena_strndup(a, s + i, 1);
            i++;
        } else {
            err_setf(err, ERR_SYNTAX_ERROR, i, "syntax error at or near \"%c\"", c);
            return -1;
        }
        t.n = (int)(s + i - t.p);
        tok_push(ts, t);
    }
    return 0;
unterminated:
    err_setf(err, ERR_SYNTAX_ERROR, i, "unterminated quoted string");
    return -1;
}

static bool
is(const Toks *ts, int i, const char *w)
{
    if (i < 0 || i >= ts->n)
        return false;
    const Tok *t = &ts->t[i];
    if (t->k == TK_STRING || t->k == TK_QIDENT)
        return false;
    return strcmp(t->v, w) == 0;
}

static bool
is_ident(const Toks *ts, int i)
{
    return i >= 0 && i < ts->n && (ts->t[i].k == TK_IDENT || ts->t[i].k == TK_QIDENT);
}

/* Pairs every bracket with its partner (one pass, a stack); -1 when unbalanced. */
static void
match_brackets(Toks *ts)
{
    ts->match = sl_malloc(sizeof(int) * (size_t)(ts->n + 1));
    int *stack = sl_malloc(sizeof(int) * (size_t)(ts->n + 1));
    int sp = 0;
    for (int j = 0; j < ts->n; j++) {
        ts->match[j] = -1;
        if (ts->t[j].k != TK_PUNCT)
            continue;
        char c = ts->t[j].v[0];
        if (c == '(' || c == '[') {
            stack[sp++] = j;
        } else if ((c == ')' || c == ']') && sp > 0) {
            int o = stack[sp - 1];
            if ((c == ')') == (ts->t[o].v[0] == '(')) {
                sp--;
                ts->match[o] = j;
                ts->match[j] = o;
            }
        }
    }
    free(stack);
}

/* Index of the token closing the bracket opened at i ('(' or '['), or -1. */
static int
match_close(const Toks *ts, int i)
{
    return i >= 0 && i < ts->n ? ts->match[i] : -1;
}

/* First token in (from, to) at the same nesting depth equal to w, or -1. */
static int
find_top(const Toks *ts, int from, int to, const char *w)
{
    int depth = 0;
    for (int j = from; j < to; j++) {
        if (is(ts, j, "(") || is(ts, j, "["))
            depth++;
        else if (is(ts, j, ")") || is(ts, j, "]"))
            depth--;
        else if (depth == 0 && is(ts, j, w))
            return j;
    }
    return -1;
}

/* Words after which an identifier is not an implicit column alias. */
static const char *const reserved[] = {
    "select",  "from",    "where",   "group",     "order",  "by",       "having",    "limit",
    "offset",  "union",   "except",  "intersect", "join",   "left",     "right",     "full",
    "inner",   "outer",   "cross",   "on",        "using",  "and",      "or",        "not",
    "as",      "case",    "when",    "then",      "else",   "end",      "is",        "null",
    "in",      "like",    "ilike",   "between",   "exists", "distinct", "all",       "any",
    "some",    "true",    "false",   "with",      "values", "desc",     "asc",       "nulls",
    "first",   "last",    "lateral", "natural",   "window", "over",     "partition", "collate",
    "escape",  "similar", "array",   "cast",      "fetch",  "for",      "into",      "returning",
    "default", NULL};

static bool
is_reserved(const char *w)
{
    for (int i = 0; reserved[i]; i++)
        if (strcmp(reserved[i], w) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ types */

/* A type name at tokens[i...]: returns the index after it and the canonical
 * typname ("int8", "_text", "regclass") in *name, or -1 if unknown. */
static int
parse_type(const Toks *ts, int i, Arena *a, char **name, SqlError *err)
{
    if (is(ts, i, "pg_catalog") && is(ts, i + 1, "."))
        i += 2;
    if (!is_ident(ts, i)) {
        err_setf(err, ERR_SYNTAX_ERROR, i < ts->n ? ts->t[i].pos : -1,
                 "syntax error: type name expected");
        return -1;
    }
    Buf b;
    buf_init(&b);
    buf_puts(&b, ts->t[i].v);
    bool quoted = ts->t[i].k == TK_QIDENT;
    i++;
    if (!quoted) {
        static const char *const two[][2] = {
            {"double", "precision"}, {"character", "varying"}, {"bit", "varying"}};
        for (size_t k = 0; k < SL_ARRAY_LEN(two); k++)
            if (strcmp(b.data, two[k][0]) == 0 && is(ts, i, two[k][1])) {
                buf_printf(&b, " %s", two[k][1]);
                i++;
            }
        if (strcmp(b.data, "timestamp") == 0 || strcmp(b.data, "time") == 0) {
            if (is(ts, i, "(")) {
                int c = match_close(ts, i);
                i = c < 0 ? i : c + 1;
            }
            if ((is(ts, i, "with") || is(ts, i, "without")) && is(ts, i + 1, "time") &&
                is(ts, i + 2, "zone")) {
                buf_printf(&b, " %s time zone", ts->t[i].v);
                i += 3;
            }
        }
    }
    if (is(ts, i, "(")) { /* typmod */
        int c = match_close(ts, i);
        i = c < 0 ? i : c + 1;
    }
    int dims = 0;
    while (is(ts, i, "[")) {
        int c = match_close(ts, i);
        if (c < 0)
            break;
        i = c + 1;
        dims++;
    }
    const PgcType *t = pgcat_type_by_name(b.data);
    if (!t) {
        err_setf(err, ERR_UNDEFINED_OBJECT, ts->t[i - 1].pos, "type \"%s\" does not exist", b.data);
        buf_free(&b);
        return -1;
    }
    buf_free(&b);
    if (dims > 0 && t->array)
        t = pgcat_type_by_oid(t->array);
    *name = arena_strdup(a, t->name);
    return i;
}

/* ------------------------------------------------------------------ output chunks */

typedef enum ChunkKind { CK_PRIM, CK_DOT, CK_OPEN, CK_CLOSE, CK_OTHER } ChunkKind;

typedef struct Chunk {
    ChunkKind k;
    const char *s;
} Chunk;

typedef struct Out {
    Chunk *c;
    int n, cap;
    Arena *a;
    /* the last reg* cast emitted: chunks [reg_start, reg_end) and its type */
    int reg_start, reg_end;
    const char *reg_type;
} Out;

static void
out_insert(Out *o, int at, ChunkKind k, const char *s)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 128;
        o->c = sl_realloc(o->c, sizeof(Chunk) * (size_t)o->cap);
    }
    memmove(o->c + at + 1, o->c + at, sizeof(Chunk) * (size_t)(o->n - at));
    o->c[at] = (Chunk){k, s};
    o->n++;
}

static void
emit(Out *o, ChunkKind k, const char *s)
{
    out_insert(o, o->n, k, s);
}

/* Start (chunk index) of the primary expression ending at the last chunk. */
static int
operand_start(const Out *o)
{
    int j = o->n - 1;
    if (j < 0)
        return -1;
    if (o->c[j].k == CK_CLOSE) {
        int depth = 0;
        for (; j >= 0; j--) {
            if (o->c[j].k == CK_CLOSE)
                depth++;
            else if (o->c[j].k == CK_OPEN && --depth == 0)
                break;
        }
        if (j < 0)
            return -1;
        if (j > 0 && o->c[j - 1].k == CK_PRIM && !is_reserved(o->c[j - 1].s))
            j--;
    } else if (o->c[j].k != CK_PRIM ||
               (is_reserved(o->c[j].s) && strcmp(o->c[j].s, "null") != 0 &&
                strcmp(o->c[j].s, "true") != 0 && strcmp(o->c[j].s, "false") != 0 &&
                strcmp(o->c[j].s, "end") != 0)) {
        return -1;
    }
    while (j >= 2 && o->c[j - 1].k == CK_DOT && o->c[j - 2].k == CK_PRIM)
        j -= 2;
    return j;
}

static const char *quote_string(Arena *a, const char *v);

/* Wraps the operand ending at the last chunk in a cast to typname. */
static int
wrap_cast(Out *o, const char *typname, int pos, SqlError *err)
{
    int j = operand_start(o);
    if (j < 0) {
        err_setf(err, ERR_SYNTAX_ERROR, pos, "syntax error at or near \"::\"");
        return -1;
    }
    static const char *const regs[] = {"regclass",     "regtype", "regproc", "regprocedure",
                                       "regnamespace", "regrole", "regoper", NULL};
    for (int k = 0; regs[k]; k++)
        if (strcmp(typname, regs[k]) == 0) {
            out_insert(o, j, CK_PRIM, arena_sprintf(o->a, "pg_%s", typname));
            out_insert(o, j + 1, CK_OPEN, "(");
            emit(o, CK_CLOSE, ")");
            o->reg_start = j;
            o->reg_end = o->n;
            o->reg_type = regs[k];
            return 0;
        }
    bool textual = !strcmp(typname, "text") || !strcmp(typname, "varchar") ||
                   !strcmp(typname, "name") || !strcmp(typname, "bpchar") ||
                   !strcmp(typname, "char");
    if (textual && o->reg_type && o->reg_start == j && o->reg_end == o->n) {
        out_insert(o, j, CK_PRIM, arena_sprintf(o->a, "pg_%s_out", o->reg_type));
        out_insert(o, j + 1, CK_OPEN, "(");
        emit(o, CK_CLOSE, ")");
        o->reg_type = NULL;
        return 0;
    }
    if (typname[0] == '_') { /* arrays are text literals: normalize the elements */
        out_insert(o, j, CK_PRIM, "pg_array_cast");
        out_insert(o, j + 1, CK_OPEN, "(");
        emit(o, CK_OTHER, ",");
        emit(o, CK_PRIM, quote_string(o->a, typname + 1));
        emit(o, CK_CLOSE, ")");
        return 0;
    }
    if (strcmp(typname, "bool") == 0) {
        out_insert(o, j, CK_PRIM, "pg_bool");
        out_insert(o, j + 1, CK_OPEN, "(");
        emit(o, CK_CLOSE, ")");
        return 0;
    }
    const char *aff = "TEXT";
    if (!strcmp(typname, "int2") || !strcmp(typname, "int4") || !strcmp(typname, "int8") ||
        !strcmp(typname, "oid") || !strcmp(typname, "xid") || !strcmp(typname, "cid"))
        aff = "INTEGER";
    else if (!strcmp(typname, "float4") || !strcmp(typname, "float8"))
        aff = "REAL";
    else if (!strcmp(typname, "numeric"))
        aff = "NUMERIC";
    out_insert(o, j, CK_PRIM, "CAST");
    out_insert(o, j + 1, CK_OPEN, "(");
    emit(o, CK_OTHER, "AS");
    emit(o, CK_OTHER, aff);
    emit(o, CK_CLOSE, ")");
    return 0;
}

static const char *
quote_ident(Arena *a, const char *v)
{
    Buf b;
    buf_init(&b);
    buf_putc(&b, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            buf_putc(&b, '"');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '"');
    char *s = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return s;
}

static const char *
quote_string(Arena *a, const char *v)
{
    Buf b;
    buf_init(&b);
    buf_putc(&b, '\'');
    for (const char *p = v; *p; p++) {
        if (*p == '\'')
            buf_putc(&b, '\'');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '\'');
    char *s = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return s;
}

/* ------------------------------------------------------------------ result hints */

static const struct {
    const char *fn;
    uint32_t oid;
} fn_types[] = {
    {"format_type", 25},
    {"pg_get_userbyid", 19},
    {"pg_table_is_visible", 16},
    {"pg_type_is_visible", 16},
    {"pg_function_is_visible", 16},
    {"pg_get_expr", 25},
    {"array_to_string", 25},
    {"obj_description", 25},
    {"col_description", 25},
    {"shobj_description", 25},
    {"version", 25},
    {"current_schema", 19},
    {"current_database", 19},
    {"current_user", 19},
    {"session_user", 19},
    {"current_role", 19},
    {"current_catalog", 19},
    {"pg_backend_pid", 23},
    {"count", 20},
    {"row_number", 20},
    {"rank", 20},
    {"pg_encoding_to_char", 19},
    {"current_setting", 25},
    {"string_agg", 25},
    {"array_agg", 1009},
    {"pg_get_viewdef", 25},
    {"pg_get_constraintdef", 25},
    {"pg_get_indexdef", 25},
    {"pg_get_function_arguments", 25},
    {"pg_get_function_result", 25},
    {"has_table_privilege", 16},
    {"has_schema_privilege", 16},
    {"has_database_privilege", 16},
    {"has_column_privilege", 16},
    {"has_function_privilege", 16},
    {"pg_is_in_recovery", 16},
    {"current_schemas", 1003},
    {"length", 23},
    {"upper", 25},
    {"lower", 25},
    {"concat", 25},
    {"quote_ident", 25},
    {"pg_relation_size", 20},
    {"pg_total_relation_size", 20},
    {"pg_size_pretty", 25},
    {"set_config", 25},
    {"pg_postmaster_start_time", 1184},
    {"now", 1184},
    {"inet_server_port", 23},
    {"txid_current", 20},
    {"pg_typeof", 2206},
    {"to_regclass", 2205},
    {"to_regtype", 2206},
};

static uint32_t infer(const Toks *ts, int s, int e, Arena *a, int depth);

static uint32_t
infer_fn(const char *fn)
{
    for (size_t i = 0; i < SL_ARRAY_LEN(fn_types); i++)
        if (strcmp(fn_types[i].fn, fn) == 0)
            return fn_types[i].oid;
    return 0;
}

/* The type of the expression in tokens [s, e), 0 if unknown. */
static uint32_t
infer(const Toks *ts, int s, int e, Arena *a, int level)
{
    if (s >= e || level > PGCAT_MAX_INFER_DEPTH)
        return 0;
    /* a trailing ::type at depth 0 */
    int depth = 0, last_cast = -1;
    bool boolean_op = false;
    for (int j = s; j < e; j++) {
        if (is(ts, j, "(") || is(ts, j, "["))
            depth++;
        else if (is(ts, j, ")") || is(ts, j, "]"))
            depth--;
        else if (depth == 0) {
            const Tok *t = &ts->t[j];
            if (t->k == TK_OP && strcmp(t->v, "::") == 0)
                last_cast = j;
            else if (t->k == TK_OP &&
                     (strchr("=<>~", t->v[0]) || !strcmp(t->v, "!=") || !strncmp(t->v, "!~", 2)))
                boolean_op = true;
            else if (t->k == TK_IDENT &&
                     (!strcmp(t->v, "and") || !strcmp(t->v, "or") || !strcmp(t->v, "not") ||
                      !strcmp(t->v, "is") || !strcmp(t->v, "in") || !strcmp(t->v, "like") ||
                      !strcmp(t->v, "ilike") || !strcmp(t->v, "exists") ||
                      !strcmp(t->v, "between") || !strcmp(t->v, "operator")) &&
                     !is(ts, s, "case"))
                boolean_op = true;
        }
    }
    if (last_cast >= 0) {
        SqlError err;
        err_init(&err, a);
        char *name;
        int end = parse_type(ts, last_cast + 1, a, &name, &err);
        if (end == e) {
            const PgcType *t = pgcat_type_by_name(name);
            return t ? t->oid : 0;
        }
    }
    if (boolean_op)
        return 16;
    if (e - s == 1) {
        const Tok *t = &ts->t[s];
        if (t->k == TK_NUMBER)
            return strpbrk(t->v, ".eE") ? 1700 : 23;
        if (t->k == TK_STRING)
            return 25;
        if (is(ts, s, "true") || is(ts, s, "false"))
            return 16;
        if (is(ts, s, "null"))
            return 25;
        if (t->k == TK_IDENT) {
            uint32_t f = infer_fn(t->v); /* current_user and friends */
            if (f && (!strcmp(t->v, "current_user") || !strcmp(t->v, "session_user") ||
                      !strcmp(t->v, "current_schema") || !strcmp(t->v, "current_catalog") ||
                      !strcmp(t->v, "current_role")))
                return f;
        }
        return 0;
    }
    if (is(ts, s, "cast") && is(ts, s + 1, "(")) {
        int c = match_close(ts, s + 1);
        int as = find_top(ts, s + 2, c, "as");
        if (c == e - 1 && as > 0) {
            SqlError err;
            err_init(&err, a);
            char *name;
            if (parse_type(ts, as + 1, a, &name, &err) == c) {
                const PgcType *t = pgcat_type_by_name(name);
                return t ? t->oid : 0;
            }
        }
        return 0;
    }
    if (is(ts, s, "case")) {
        int then = find_top(ts, s + 1, e, "then");
        if (then < 0)
            return 0;
        int end = then + 1;
        for (int d = 0; end < e; end++) {
            if (is(ts, end, "(") || is(ts, end, "case"))
                d++;
            else if (is(ts, end, ")") || (is(ts, end, "end") && d > 0))
                d--;
            else if (d == 0 && (is(ts, end, "when") || is(ts, end, "else") || is(ts, end, "end")))
                break;
        }
        return infer(ts, then + 1, end, a, level + 1);
    }
    if (is(ts, s, "pg_catalog") && is(ts, s + 1, "."))
        s += 2;
    if (s >= e || s >= ts->n) /* "pg_catalog." ends the expression (found by make fuzz) */
        return 0;
    if (ts->t[s].k == TK_IDENT && is(ts, s + 1, "(") && match_close(ts, s + 1) == e - 1) {
        const char *fn = ts->t[s].v;
        if (!strcmp(fn, "coalesce") || !strcmp(fn, "nullif") || !strcmp(fn, "max") ||
            !strcmp(fn, "min") || !strcmp(fn, "greatest") || !strcmp(fn, "least")) {
            int comma = find_top(ts, s + 2, e - 1, ",");
            return infer(ts, s + 2, comma < 0 ? e - 1 : comma, a, level + 1);
        }
        if (!strcmp(fn, "sum"))
            return 0;
        return infer_fn(fn);
    }
    return 0;
}

/* The default column name of an expression, as PostgreSQL names it. */
static void
default_name(const Toks *ts, int s, int e, char *out, size_t n)
{
    const char *name = "?column?";
    int cast = -1;
    for (int j = s, d = 0; j < e; j++) {
        if (is(ts, j, "("))
            d++;
        else if (is(ts, j, ")"))
            d--;
        else if (d == 0 && is(ts, j, "::")) {
            cast = j;
            break;
        }
    }
    if (cast > s)
        e = cast;
    if (is(ts, s, "pg_catalog") && is(ts, s + 1, "."))
        s += 2;
    if (e - s >= 1 && is(ts, s, "case"))
        name = "case";
    else if (e - s >= 3 && ts->t[s].k == TK_IDENT && is(ts, s + 1, "(") &&
             match_close(ts, s + 1) == e - 1)
        name = strcmp(ts->t[s].v, "cast") == 0 ? "?column?" : ts->t[s].v;
    else if (e - s == 1 && (is(ts, s, "true") || is(ts, s, "false")))
        name = "bool";
    else if (e - s >= 1 && is_ident(ts, e - 1) && (e - s == 1 || is(ts, e - 2, ".")) &&
             !(e - s == 1 && is(ts, s, "null")))
        name = ts->t[e - 1].v;
    else if (cast > 0 && cast + 1 < ts->n) { /* a literal cast: the type name */
        const Tok *t = &ts->t[cast + 1];
        if (is(ts, cast + 1, "pg_catalog"))
            t = &ts->t[cast + 3 < ts->n ? cast + 3 : cast + 1];
        name = t->v;
    }
    snprintf(out, n, "%s", name);
}

/* Reads the outermost select list into out->hints. */
static void
read_hints(const Toks *ts, PgcTranslation *out, Arena *a)
{
    out->nhints = -1;
    int s = 0;
    if (is(ts, 0, "with"))
        return;
    if (!is(ts, 0, "select"))
        return;
    s = 1;
    if (is(ts, s, "distinct") || is(ts, s, "all"))
        s++;
    int cap = 8, nh = 0;
    PgcHint *h = sl_calloc((size_t)cap, sizeof *h);
    int depth = 0, item = s;
    for (int j = s;; j++) {
        bool end_list =
            j >= ts->n ||
            (depth == 0 && (is(ts, j, "from") || is(ts, j, "where") || is(ts, j, "group") ||
                            is(ts, j, "order") || is(ts, j, "limit") || is(ts, j, "union") ||
                            is(ts, j, "except") || is(ts, j, "intersect") || is(ts, j, "having") ||
                            is(ts, j, ";") || is(ts, j, "offset") || is(ts, j, "into")));
        if (j < ts->n && !end_list) {
            if (is(ts, j, "(") || is(ts, j, "["))
                depth++;
            else if (is(ts, j, ")") || is(ts, j, "]"))
                depth--;
            if (!(depth == 0 && is(ts, j, ",")))
                continue;
        }
        /* item [item, j) */
        int e = j;
        if (e <= item)
            goto fail;
        if ((ts->t[e - 1].k == TK_OP && !strcmp(ts->t[e - 1].v, "*")) ||
            (e - item == 1 && is(ts, item, "*")))
            goto fail;
        if (nh == cap) {
            cap *= 2;
            h = sl_realloc(h, sizeof *h * (size_t)cap);
        }
        PgcHint *hp = &h[nh++];
        memset(hp, 0, sizeof *hp);
        if (e - item >= 2 && is(ts, e - 2, "as") && is_ident(ts, e - 1)) {
            snprintf(hp->name, sizeof hp->name, "%s", ts->t[e - 1].v);
            e -= 2;
        } else if (e - item >= 2 && ts->t[e - 1].k == TK_IDENT && !is_reserved(ts->t[e - 1].v) &&
                   (is_ident(ts, e - 2) || is(ts, e - 2, ")") || ts->t[e - 2].k == TK_STRING ||
                    ts->t[e - 2].k == TK_NUMBER) &&
                   !is(ts, e - 2, "as") && !(is_ident(ts, e - 2) && is_reserved(ts->t[e - 2].v))) {
            snprintf(hp->name, sizeof hp->name, "%s", ts->t[e - 1].v);
            e -= 1;
        } else if (e - item >= 2 && ts->t[e - 1].k == TK_QIDENT && !is(ts, e - 2, ".")) {
            snprintf(hp->name, sizeof hp->name, "%s", ts->t[e - 1].v);
            e -= 1;
        } else {
            default_name(ts, item, e, hp->name, sizeof hp->name);
        }
        hp->oid = infer(ts, item, e, a, 0);
        item = j + 1;
        if (end_list)
            break;
    }
    out->hints = h;
    out->nhints = nh;
    return;
fail:
    free(h);
}

/* ------------------------------------------------------------------ translation */

/* Table functions whose alias PostgreSQL also makes the column name. */
static const char *
table_fn_column(const char *fn)
{
    if (!strcmp(fn, "unnest"))
        return "unnest";
    if (!strcmp(fn, "generate_series"))
        return "generate_series";
    return NULL;
}

typedef struct Alias {
    const char *name;
    const char *column;
} Alias;

int
pgcat_translate(const char *sql, size_t n, PgcTranslation *res, SqlError *err)
{
    memset(res, 0, sizeof *res);
    buf_init(&res->sql);
    res->nhints = -1;
    Arena *a = arena_new(8192);
    Toks ts = {0};
    Out o = {.a = a, .reg_start = -1};
    int rc = -1;
    const char **before = NULL; /* per input token: chunk emitted before it */
    bool *skip = NULL;
    int *cast_at = NULL; /* CAST(x AS t): at the AS, the index of the ')' */
    Alias aliases[16];
    int naliases = 0;
    int nparams = 0;
    if (n > PGCAT_MAX_SQL) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1,
                 "catalog query too long (%zu bytes; at most %d)", n, PGCAT_MAX_SQL);
        goto done;
    }
    if (tokenize(sql, (int)n, a, &ts, err) != 0)
        goto done;
    while (ts.n > 0 && is(&ts, ts.n - 1, ";"))
        ts.n--;
    match_brackets(&ts);
    before = sl_calloc((size_t)ts.n + 1, sizeof *before);
    skip = sl_calloc((size_t)ts.n + 1, sizeof *skip);
    cast_at = sl_calloc((size_t)ts.n + 1, sizeof *cast_at);
    read_hints(&ts, res, a);

    /* pre-pass: FROM f(...) alias for table functions */
    for (int i = 0; i < ts.n; i++) {
        int f = i;
        if (is(&ts, f, "pg_catalog") && is(&ts, f + 1, "."))
            f += 2;
        if (!(ts.t[f < ts.n ? f : i].k == TK_IDENT) || f >= ts.n)
            continue;
        const char *col = table_fn_column(ts.t[f].v);
        if (!col || !is(&ts, f + 1, "(") ||
            !(is(&ts, i - 1, "from") || is(&ts, i - 1, ",") || is(&ts, i - 1, "join")))
            continue;
        int c = match_close(&ts, f + 1);
        if (c < 0)
            continue;
        int al = c + 1;
        if (is(&ts, al, "as"))
            al++;
        if (ts.t[al < ts.n ? al : c].k == TK_IDENT && al < ts.n && !is_reserved(ts.t[al].v) &&
            !is(&ts, al + 1, "(") && naliases < (int)SL_ARRAY_LEN(aliases))
            aliases[naliases++] = (Alias){ts.t[al].v, col};
    }

    /* parentheses of the input: is each one a function call's? */
    int pstack[256];
    bool pfunc[256];
    int pdepth = 0;

    for (int i = 0; i < ts.n; i++) {
        const Tok *t = &ts.t[i];
        if (before[i])
            emit(&o, CK_CLOSE, before[i]);
        if (skip[i])
            continue;
        if (cast_at[i]) { /* the AS of CAST(x AS t) */
            int close = cast_at[i];
            emit(&o, CK_CLOSE, ")");
            char *tn;
            int e = parse_type(&ts, i + 1, a, &tn, err);
            if (e < 0)
                goto done;
            if (e != close) {
                err_setf(err, ERR_SYNTAX_ERROR, ts.t[e < ts.n ? e : i].pos, "syntax error in CAST");
                goto done;
            }
            if (wrap_cast(&o, tn, t->pos, err) != 0)
                goto done;
            /* the CAST's own parentheses: drop the '(' pushed for it */
            if (pdepth > 0)
                pdepth--;
            i = close;
            continue;
        }
        switch (t->k) {
        case TK_STRING:
            emit(&o, CK_PRIM, quote_string(a, t->v));
            continue;
        case TK_QIDENT:
            emit(&o, CK_PRIM, quote_ident(a, t->v));
            continue;
        case TK_NUMBER:
            emit(&o, CK_PRIM, t->v);
            continue;
        case TK_PARAM: {
            int k = atoi(t->v + 1);
            if (k < 1 || k > 65535) {
                err_setf(err, ERR_UNDEFINED_PARAMETER, t->pos, "there is no parameter %s", t->v);
                goto done;
            }
            if (k > nparams)
                nparams = k;
            emit(&o, CK_PRIM, t->v);
            continue;
        }
        case TK_PUNCT:
            if (!strcmp(t->v, ".") && o.n > 0 && o.c[o.n - 1].k == CK_CLOSE &&
                is_ident(&ts, i + 1)) {
                /* (composite).field */
                int j = operand_start(&o);
                if (j < 0) {
                    err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \".\"");
                    goto done;
                }
                out_insert(&o, j, CK_PRIM, "pg_field");
                out_insert(&o, j + 1, CK_OPEN, "(");
                emit(&o, CK_OTHER, ",");
                emit(&o, CK_PRIM, quote_string(a, ts.t[i + 1].v));
                emit(&o, CK_CLOSE, ")");
                i++;
            } else if (!strcmp(t->v, ".")) {
                emit(&o, CK_DOT, ".");
            } else if (!strcmp(t->v, "(")) {
                bool fn = i > 0 && ts.t[i - 1].k == TK_IDENT && !is_reserved(ts.t[i - 1].v);
                if (pdepth < (int)SL_ARRAY_LEN(pstack)) {
                    pstack[pdepth] = i;
                    pfunc[pdepth] = fn;
                }
                pdepth++;
                emit(&o, CK_OPEN, "(");
            } else if (!strcmp(t->v, ")")) {
                if (pdepth > 0)
                    pdepth--;
                emit(&o, CK_CLOSE, ")");
            } else if (!strcmp(t->v, "[")) {
                int c = match_close(&ts, i);
                int j = operand_start(&o);
                if (c < 0 || j < 0) {
                    err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \"[\"");
                    goto done;
                }
                out_insert(&o, j, CK_PRIM, "pg_subscript");
                out_insert(&o, j + 1, CK_OPEN, "(");
                emit(&o, CK_OTHER, ",");
                before[c] = ")";
                skip[c] = true;
            } else if (!strcmp(t->v, ";")) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos,
                         "cannot insert multiple commands into a prepared statement");
                goto done;
            } else {
                emit(&o, CK_OTHER, t->v);
            }
            continue;
        case TK_OP: {
            const char *op = t->v;
            if (!strcmp(op, "::")) {
                char *tn;
                int e = parse_type(&ts, i + 1, a, &tn, err);
                if (e < 0 || wrap_cast(&o, tn, t->pos, err) != 0)
                    goto done;
                i = e - 1;
                continue;
            }
            if ((is(&ts, i + 1, "any") || is(&ts, i + 1, "some") || is(&ts, i + 1, "all")) &&
                is(&ts, i + 2, "(")) {
                bool all = is(&ts, i + 1, "all");
                int j = operand_start(&o);
                if (j < 0) {
                    err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \"%s\"", op);
                    goto done;
                }
                if (is(&ts, i + 3, "select")) {
                    if (!all && !strcmp(op, "="))
                        emit(&o, CK_OTHER, "IN");
                    else if (all && (!strcmp(op, "<>") || !strcmp(op, "!=")))
                        emit(&o, CK_OTHER, "NOT IN");
                    else {
                        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, t->pos,
                                 "%s %s (SELECT ...) is not supported in catalog queries", op,
                                 all ? "ALL" : "ANY");
                        goto done;
                    }
                    i += 1; /* the '(' is emitted next */
                    continue;
                }
                out_insert(&o, j, CK_PRIM, all ? "pg_all" : "pg_any");
                out_insert(&o, j + 1, CK_OPEN, "(");
                emit(&o, CK_OTHER, ",");
                emit(&o, CK_PRIM, quote_string(a, op));
                emit(&o, CK_OTHER, ",");
                if (pdepth < (int)SL_ARRAY_LEN(pstack)) {
                    pstack[pdepth] = i + 2;
                    pfunc[pdepth] = true;
                }
                pdepth++;
                i += 2; /* any ( : the ')' closes pg_any( */
                continue;
            }
            if (!strcmp(op, "~"))
                op = "REGEXP";
            else if (!strcmp(op, "!~"))
                op = "NOT REGEXP";
            else if (!strcmp(op, "~*"))
                op = "MATCH";
            else if (!strcmp(op, "!~*"))
                op = "NOT MATCH";
            else if (!strcmp(op, "~~"))
                op = "LIKE";
            else if (!strcmp(op, "!~~"))
                op = "NOT LIKE";
            else if (!strcmp(op, "~~*"))
                op = "GLOB";
            else if (!strcmp(op, "!~~*"))
                op = "NOT GLOB";
            emit(&o, CK_OTHER, op);
            continue;
        }
        case TK_IDENT:
            break;
        }
        /* identifiers and keywords */
        const char *w = t->v;
        if (!strcmp(w, "pg_catalog") && is(&ts, i + 1, ".")) {
            i++;
            continue;
        }
        if (!strcmp(w, "operator") && is(&ts, i + 1, "(")) {
            int c = match_close(&ts, i + 1);
            if (c < 0 || ts.t[c - 1].k != TK_OP) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \"OPERATOR\"");
                goto done;
            }
            const char *op = ts.t[c - 1].v;
            i = c;
            if (!strcmp(op, "~"))
                emit(&o, CK_OTHER, "REGEXP");
            else if (!strcmp(op, "!~"))
                emit(&o, CK_OTHER, "NOT REGEXP");
            else if (!strcmp(op, "~*"))
                emit(&o, CK_OTHER, "MATCH");
            else if (!strcmp(op, "!~*"))
                emit(&o, CK_OTHER, "NOT MATCH");
            else if (!strcmp(op, "~~"))
                emit(&o, CK_OTHER, "LIKE");
            else if (!strcmp(op, "!~~"))
                emit(&o, CK_OTHER, "NOT LIKE");
            else if (!strcmp(op, "~~*"))
                emit(&o, CK_OTHER, "GLOB");
            else if (!strcmp(op, "!~~*"))
                emit(&o, CK_OTHER, "NOT GLOB");
            else
                emit(&o, CK_OTHER, op);
            continue;
        }
        if (t->k == TK_IDENT && is(&ts, i + 1, ".") && is_ident(&ts, i + 2) &&
            is(&ts, i + 3, "(") && !is(&ts, i - 1, ".")) {
            i++; /* schema.function(: SQLite functions are unqualified */
            continue;
        }
        if (!strcmp(w, "trim") && is(&ts, i + 1, "(") &&
            (is(&ts, i + 2, "both") || is(&ts, i + 2, "leading") || is(&ts, i + 2, "trailing"))) {
            int c = match_close(&ts, i + 1);
            int from = c < 0 ? -1 : find_top(&ts, i + 3, c, "from");
            if (from < 0) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error in TRIM");
                goto done;
            }
            emit(&o, CK_PRIM, "pg_trim");
            emit(&o, CK_OPEN, "(");
            emit(&o, CK_PRIM, quote_string(a, ts.t[i + 2].v));
            emit(&o, CK_OTHER, ",");
            if (from == i + 3)
                emit(&o, CK_PRIM, "' '");
            before[from] = ",";
            skip[from] = true;
            if (pdepth < (int)SL_ARRAY_LEN(pstack)) {
                pstack[pdepth] = i + 1;
                pfunc[pdepth] = true;
            }
            pdepth++;
            i += 2;
            continue;
        }
        if (!strcmp(w, "substring") && is(&ts, i + 1, "(")) {
            /* substring(s FROM a FOR b) → substr(s, a, b) */
            int c = match_close(&ts, i + 1);
            int from = c < 0 ? -1 : find_top(&ts, i + 2, c, "from");
            int forw = c < 0 ? -1 : find_top(&ts, i + 2, c, "for");
            if (from > 0) {
                before[from] = ",";
                skip[from] = true;
            }
            if (forw > 0) {
                before[forw] = from > 0 ? "," : ", 1 ,";
                skip[forw] = true;
            }
            emit(&o, CK_PRIM, "substr");
            continue;
        }
        if (table_fn_column(w) && is(&ts, i + 1, "(") &&
            (is(&ts, i - 1, "from") || is(&ts, i - 1, ",") || is(&ts, i - 1, "join") ||
             (is(&ts, i - 1, ".") &&
              (is(&ts, i - 3, "from") || is(&ts, i - 3, ",") || is(&ts, i - 3, "join"))))) {
            int c = match_close(&ts, i + 1);
            int al = c < 0 ? -1 : (is(&ts, c + 1, "as") ? c + 2 : c + 1);
            if (al > 0 && ts.t[al < ts.n ? al : c].k == TK_IDENT && al < ts.n &&
                !is_reserved(ts.t[al].v) && is(&ts, al + 1, "(") && is_ident(&ts, al + 2) &&
                is(&ts, al + 3, ")")) {
                /* f(args) AS alias(col) → (SELECT f AS col FROM f(args)) AS alias */
                emit(&o, CK_OPEN, "(");
                emit(&o, CK_OTHER, "SELECT");
                emit(&o, CK_PRIM, table_fn_column(w));
                emit(&o, CK_OTHER, "AS");
                emit(&o, CK_PRIM, quote_ident(a, ts.t[al + 2].v));
                emit(&o, CK_OTHER, "FROM");
                before[c + 1] = arena_sprintf(a, ") AS %s", quote_ident(a, ts.t[al].v));
                for (int k = c + 1; k <= al + 3; k++)
                    skip[k] = true;
            }
        }
        if (!strcmp(w, "collate")) {
            int j = i + 1;
            if (is(&ts, j, "pg_catalog") && is(&ts, j + 1, "."))
                j += 2;
            i = j; /* skip the collation name */
            continue;
        }
        if (!strcmp(w, "ilike")) {
            emit(&o, CK_OTHER, "GLOB");
            continue;
        }
        if (!strcmp(w, "is") && is(&ts, i + 1, "distinct") && is(&ts, i + 2, "from")) {
            emit(&o, CK_OTHER, "IS NOT");
            i += 2;
            continue;
        }
        if (!strcmp(w, "is") && is(&ts, i + 1, "not") && is(&ts, i + 2, "distinct") &&
            is(&ts, i + 3, "from")) {
            emit(&o, CK_OTHER, "IS");
            i += 3;
            continue;
        }
        if (!strcmp(w, "cast") && is(&ts, i + 1, "(")) {
            int c = match_close(&ts, i + 1);
            int as = c < 0 ? -1 : find_top(&ts, i + 2, c, "as");
            if (as < 0) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error in CAST");
                goto done;
            }
            cast_at[as] = c;
            emit(&o, CK_OPEN, "(");
            if (pdepth < (int)SL_ARRAY_LEN(pstack)) {
                pstack[pdepth] = i + 1;
                pfunc[pdepth] = false;
            }
            pdepth++;
            i++;
            continue;
        }
        if (!strcmp(w, "array") && is(&ts, i + 1, "[")) {
            int c = match_close(&ts, i + 1);
            if (c < 0) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \"ARRAY\"");
                goto done;
            }
            emit(&o, CK_PRIM, "pg_array");
            emit(&o, CK_OPEN, "(");
            before[c] = ")";
            skip[c] = true;
            i++;
            continue;
        }
        if (!strcmp(w, "array") && is(&ts, i + 1, "(") && is(&ts, i + 2, "select")) {
            int c = match_close(&ts, i + 1);
            int from = c < 0 ? -1 : find_top(&ts, i + 3, c, "from");
            if (c < 0) {
                err_setf(err, ERR_SYNTAX_ERROR, t->pos, "syntax error at or near \"ARRAY\"");
                goto done;
            }
            emit(&o, CK_OPEN, "(");
            emit(&o, CK_OTHER, "SELECT");
            emit(&o, CK_PRIM, "array_agg");
            emit(&o, CK_OPEN, "(");
            before[from > 0 ? from : c] = ")";
            if (pdepth < (int)SL_ARRAY_LEN(pstack)) {
                pstack[pdepth] = i + 1;
                pfunc[pdepth] = false;
            }
            pdepth++;
            i += 2;
            continue;
        }
        if (!strcmp(w, "order") && is(&ts, i + 1, "by") && pdepth > 0 &&
            pdepth <= (int)SL_ARRAY_LEN(pstack) && pfunc[pdepth - 1] &&
            !is(&ts, pstack[pdepth - 1] - 1, "over")) {
            /* ORDER BY inside an aggregate call: dropped */
            int c = match_close(&ts, pstack[pdepth - 1]);
            if (c > i) {
                i = c - 1;
                continue;
            }
        }
        if ((!strcmp(w, "current_user") || !strcmp(w, "session_user") ||
             !strcmp(w, "current_role") || !strcmp(w, "current_catalog") ||
             !strcmp(w, "current_schema")) &&
            !is(&ts, i + 1, "(") && !is(&ts, i - 1, ".")) {
            emit(&o, CK_PRIM, w);
            emit(&o, CK_OPEN, "(");
            emit(&o, CK_CLOSE, ")");
            continue;
        }
        if (!strcmp(w, "as") && ts.t[i + 1 < ts.n ? i + 1 : i].k == TK_IDENT && i + 1 < ts.n) {
            emit(&o, CK_OTHER, "AS");
            emit(&o, CK_PRIM, quote_ident(a, ts.t[i + 1].v));
            i++;
            continue;
        }
        bool replaced = false;
        if (!is(&ts, i - 1, ".") && !is(&ts, i + 1, ".") && !is(&ts, i + 1, "(") &&
            !is(&ts, i - 1, "as"))
            for (int k = 0; k < naliases; k++)
                if (!strcmp(aliases[k].name, w)) {
                    /* the alias declaration itself follows the function's ')' */
                    if (is(&ts, i - 1, ")"))
                        break;
                    emit(&o, CK_PRIM, w);
                    emit(&o, CK_DOT, ".");
                    emit(&o, CK_PRIM, aliases[k].column);
                    replaced = true;
                    break;
                }
        if (replaced)
            continue;
        emit(&o, CK_PRIM, w);
    }
    for (int k = 0; k < o.n; k++) {
        if (k > 0)
            buf_putc(&res->sql, ' ');
        buf_puts(&res->sql, o.c[k].s);
    }
    buf_putc(&res->sql, 0);
    res->sql.len--;
    res->nparams = nparams;
    rc = 0;
done:
    if (rc != 0) {
        free(res->hints);
        res->hints = NULL;
        res->nhints = -1;
    }
    free(before);
    free(skip);
    free(cast_at);
    free(o.c);
    free(ts.t);
    free(ts.match);
    arena_free(a);
    return rc;
}

void
pgcat_translation_free(PgcTranslation *t)
{
    buf_free(&t->sql);
    free(t->hints);
    t->hints = NULL;
}
