/*
 * parser/lexer.c — the tokenizer: SQL text → Token.
 *
 * Identifiers fold to lower case into an arena copy; "quoted" identifiers keep
 * their case ("" escapes a quote). Keywords are looked up case-insensitively
 * and carry their lower-case name as text, so parse.c can turn a non-reserved
 * one back into an identifier. String literals are unescaped ('' → ').
 * Comments (-- and nested slash-star comments) and whitespace are skipped. Two words are
 * resolved here by one token of lookahead, as PostgreSQL does: NOT before
 * LIKE/ILIKE/BETWEEN/IN becomes NOT_LA (so it binds like LIKE, not like NOT),
 * and WITH before TIME becomes WITH_LA (TIMESTAMP WITH TIME ZONE vs a
 * following WITH (...) clause).
 *
 * INTERFACE
 *   lex_init   start scanning a string
 *   lex_next   the next token, 0 at the end, -1 on a lexical error (42601)
 */
#include "parser/parser_int.h"

#include <string.h>

#include "common/arena.h"
#include "common/errors.h"
#include "parser/grammar.h"

void
lex_init(Lexer *lx, struct Arena *a, const char *sql, size_t n)
{
    lx->sql = sql;
    lx->n = n;
    lx->i = 0;
    lx->a = a;
}

static bool
is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool
is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Skips whitespace and comments. Returns -1 (42601) on an unterminated comment. */
size_t
lex_block_comment_end(const char *s, size_t n, size_t i, bool *closed)
{
    int depth = 1;
    size_t j = i + 2;
    while (j < n && depth > 0) {
        if (j + 1 < n && s[j] == '/' && s[j + 1] == '*') {
            depth++;
            j += 2;
        } else if (j + 1 < n && s[j] == '*' && s[j + 1] == '/') {
            depth--;
            j += 2;
        } else {
            j++;
        }
    }
    *closed = depth == 0;
    return j;
}

static int
skip_blank(Lexer *lx, SqlError *err)
{
    const char *s = lx->sql;
    size_t n = lx->n;
    for (;;) {
        size_t i = lx->i;
        if (i < n && is_space((unsigned char)s[i])) {
            lx->i++;
        } else if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            while (lx->i < n && s[lx->i] != '\n')
                lx->i++;
        } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            bool closed;
            size_t j = lex_block_comment_end(s, n, i, &closed);
            if (!closed) {
                err_setf(err, ERR_SYNTAX_ERROR, (int)i, "unterminated /* comment at or near \"%.*s\"",
                         (int)(n - i), s + i);
                return -1;
            }
            lx->i = j;
        } else {
            return 0;
        }
    }
}

/* Scans a quoted run starting at the opening quote q; doubled quotes escape.
 * Returns the index just past the closing quote, or 0 if unterminated. The
 * unescaped contents are copied into the arena. */
static size_t
scan_quoted(Lexer *lx, char q, Str *out)
{
    const char *s = lx->sql;
    size_t i = lx->i + 1, n = lx->n;
    char *buf = NULL;
    size_t len = 0;
    /* first pass: find the end and the unescaped length */
    size_t j = i;
    for (;;) {
        if (j >= n)
            return 0;
        if (s[j] == q) {
            if (j + 1 < n && s[j + 1] == q) {
                len++;
                j += 2;
                continue;
            }
            break;
        }
        len++;
        j++;
    }
    buf = arena_alloc(lx->a, len + 1);
    size_t k = 0;
    for (size_t t = i; t < j; t++) {
        buf[k++] = s[t];
        if (s[t] == q)
            t++; /* skip the escaping twin */
    }
    buf[k] = 0;
    out->p = buf;
    out->n = (uint32_t)len;
    return j + 1;
}

static int
lex_raw(Lexer *lx, Token *t, SqlError *err)
{
    if (skip_blank(lx, err) < 0)
        return -1;
    const char *s = lx->sql;
    size_t n = lx->n, i = lx->i;
    memset(t, 0, sizeof *t);
    t->s.pos = (int32_t)i;
    t->stmt_pos = -1;
    if (i >= n) {
        t->s.p = s + n;
        return 0;
    }
    unsigned char c = (unsigned char)s[i];
    int code = 0;
    size_t end = i + 1;

    if (is_ident_start(c)) {
        while (end < n && is_ident_char((unsigned char)s[end]))
            end++;
        size_t len = end - i;
        const Keyword *kw = lex_keyword_lookup(s + i, len);
        if (kw) {
            t->s.p = kw->name;
            t->s.n = (uint32_t)len;
            code = kw->code;
        } else {
            char *p = arena_alloc(lx->a, len + 1);
            for (size_t k = 0; k < len; k++) {
                char ch = s[i + k];
                p[k] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
            }
            p[len] = 0;
            t->s.p = p;
            t->s.n = (uint32_t)len;
            code = TK_ID;
        }
    } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
        bool is_float = false;
        end = i;
        while (end < n && is_digit((unsigned char)s[end]))
            end++;
        if (end < n && s[end] == '.') {
            is_float = true;
            end++;
            while (end < n && is_digit((unsigned char)s[end]))
                end++;
        }
        if (end < n && (s[end] == 'e' || s[end] == 'E')) {
            size_t e = end + 1;
            if (e < n && (s[e] == '+' || s[e] == '-'))
                e++;
            if (e < n && is_digit((unsigned char)s[e])) {
                while (e < n && is_digit((unsigned char)s[e]))
                    e++;
                end = e;
                is_float = true;
            }
        }
        if (end < n && is_ident_char((unsigned char)s[end])) {
            size_t j = end;
            while (j < n && is_ident_char((unsigned char)s[j]))
                j++;
            err_setf(err, ERR_SYNTAX_ERROR, (int)i, "trailing junk after numeric literal at or near \"%.*s\"",
                     (int)(j - i), s + i);
            return -1;
        }
        t->s.p = s + i;
        t->s.n = (uint32_t)(end - i);
        code = is_float ? TK_FLOAT : TK_INTEGER;
    } else if (c == '$' && i + 1 < n && is_digit((unsigned char)s[i + 1])) {
        end = i + 1;
        while (end < n && is_digit((unsigned char)s[end]))
            end++;
        t->s.p = s + i;
        t->s.n = (uint32_t)(end - i);
        code = TK_PARAM;
    } else if (c == '\'') {
        end = scan_quoted(lx, '\'', &t->s);
        if (!end) {
            err_setf(err, ERR_SYNTAX_ERROR, (int)i, "unterminated quoted string at or near \"%.*s\"",
                     (int)(n - i), s + i);
            return -1;
        }
        code = TK_STRING;
    } else if (c == '"') {
        end = scan_quoted(lx, '"', &t->s);
        if (!end) {
            err_setf(err, ERR_SYNTAX_ERROR, (int)i, "unterminated quoted identifier at or near \"%.*s\"",
                     (int)(n - i), s + i);
            return -1;
        }
        if (t->s.n == 0) {
            err_setf(err, ERR_SYNTAX_ERROR, (int)i, "zero-length delimited identifier at or near \"\"\"\"");
            return -1;
        }
        code = TK_ID;
    } else {
        unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        switch (c) {
        case '(': code = TK_LP; break;
        case ')': code = TK_RP; break;
        case ',': code = TK_COMMA; break;
        case ';': code = TK_SEMI; break;
        case '.': code = TK_DOT; break;
        case '*': code = TK_STAR; break;
        case '+': code = TK_PLUS; break;
        case '-': code = TK_MINUS; break;
        case '/': code = TK_SLASH; break;
        case '%': code = TK_PERCENT; break;
        case '=': code = TK_EQ; break;
        case '<':
            if (d == '=') {
                code = TK_LE;
                end++;
            } else if (d == '>') {
                code = TK_NE;
                end++;
            } else {
                code = TK_LT;
            }
            break;
        case '>':
            if (d == '=') {
                code = TK_GE;
                end++;
            } else {
                code = TK_GT;
            }
            break;
        case '!':
            if (d == '=') {
                code = TK_NE;
                end++;
            }
            break;
        case '|':
            if (d == '|') {
                code = TK_CONCAT;
                end++;
            }
            break;
        case ':':
            if (d == ':') {
                code = TK_DCOLON;
                end++;
            }
            break;
        default:
            break;
        }
        if (!code) {
            /* a whole UTF-8 sequence would be an identifier; this is one ASCII byte */
            err_setf(err, ERR_SYNTAX_ERROR, (int)i, "syntax error at or near \"%c\"", c);
            return -1;
        }
        t->s.p = s + i;
        t->s.n = (uint32_t)(end - i);
    }
    t->raw_n = (uint32_t)(end - i);
    t->code = code;
    lx->i = end;
    return code;
}

/* The code of the token after the current position, without consuming it
 * (errors there are left for the real scan). */
static int
peek_code(Lexer *lx)
{
    Lexer save = *lx;
    SqlError scratch;
    err_init(&scratch, lx->a);
    Token t;
    int c = lex_raw(lx, &t, &scratch);
    *lx = save;
    return c;
}

int
lex_next(Lexer *lx, Token *t, SqlError *err)
{
    int code = lex_raw(lx, t, err);
    if (code == TK_NOT) {
        int nx = peek_code(lx);
        if (nx == TK_LIKE || nx == TK_ILIKE || nx == TK_BETWEEN || nx == TK_IN)
            code = TK_NOT_LA;
    } else if (code == TK_WITH) {
        if (peek_code(lx) == TK_TIME)
            code = TK_WITH_LA;
    }
    t->code = code > 0 ? code : 0;
    return code;
}
