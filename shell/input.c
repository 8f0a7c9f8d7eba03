/*
 * shell/input.c — splitting shell input into SQL statements and meta commands.
 *
 * The rules follow psql's lexer, reduced to what decides where a statement ends: ';' ends a
 * statement only in code, not inside '...' strings, E'...' strings, "..." identifiers, "--"
 * comments or (nested) block comments. A backslash in code starts a meta command that runs to
 * the end of its line. Leading whitespace and "--" comments are dropped from a statement, as
 * psql does, so that server error positions refer to the text that was really sent.
 * Dollar quoting ($$...$$, $tag$...$tag$) is understood too, so that PostgreSQL scripts split
 * the same way under psql and sluice. Not handled: psql's parenthesis counting.
 *
 * INTERFACE
 *   sh_scan              pure scanner: find the next statement end or backslash in a text
 *   sh_skip_blank        length of leading whitespace and "--" comments
 *   sh_splitter_init / sh_splitter_free / sh_splitter_reset   own a pending-input buffer
 *   sh_splitter_feed     append input text (normally one line plus its newline)
 *   sh_splitter_next     take the next complete statement or meta command, if any
 *   sh_splitter_rest     at end of input: take what is left, if it is not blank
 *   sh_splitter_blank    true when nothing but whitespace and comments is pending
 *   sh_splitter_mode     lexical state at the end of the pending text (for prompts)
 *   sh_first_word        the first word of a statement, lower-cased, after blanks and comments
 */
#include "shell/input.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static bool
is_ident_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/*
 * Length of a dollar-quote delimiter ($$ or $tag$) starting at s[i], or 0. A '$' that continues
 * an identifier or starts a parameter ($1) is not a delimiter.
 */
static size_t
dollar_delim(const char *s, size_t i, size_t len)
{
    if (i > 0 && is_ident_byte((unsigned char)s[i - 1]))
        return 0;
    size_t j = i + 1;
    if (j < len && (isalpha((unsigned char)s[j]) || s[j] == '_' || (unsigned char)s[j] >= 0x80)) {
        while (j < len && is_ident_byte((unsigned char)s[j]) && s[j] != '$')
            j++;
    }
    if (j < len && s[j] == '$' && j + 1 - i <= SH_DOLLAR_TAG_MAX + 2)
        return j + 1 - i;
    return 0;
}

/* Is the quote at s[i] the opening quote of an E'...' string? */
static bool
opens_estring(const char *s, size_t i)
{
    if (i == 0 || (s[i - 1] != 'E' && s[i - 1] != 'e'))
        return false;
    return i == 1 || !is_ident_byte((unsigned char)s[i - 2]);
}

ShScanEvent
sh_scan(ShScan *st, const char *s, size_t len, size_t *pos)
{
    size_t i = *pos;

    while (i < len) {
        char c = s[i];
        char next = i + 1 < len ? s[i + 1] : '\0';

        switch (st->mode) {
        case SH_LEX_CODE:
            if (c == ';') {
                *pos = i + 1;
                return SH_SCAN_END;
            } else if (c == '\\') {
                *pos = i;
                return SH_SCAN_META;
            } else if (c == '\'') {
                st->mode = opens_estring(s, i) ? SH_LEX_ESTRING : SH_LEX_SQUOTE;
                st->escape = false;
            } else if (c == '"') {
                st->mode = SH_LEX_DQUOTE;
            } else if (c == '-' && next == '-') {
                st->mode = SH_LEX_LINE_COMMENT;
                i++;
            } else if (c == '/' && next == '*') {
                st->mode = SH_LEX_BLOCK_COMMENT;
                st->depth = 1;
                i++;
            } else if (c == '$') {
                size_t n = dollar_delim(s, i, len);
                if (n > 0) {
                    memcpy(st->tag, s + i, n);
                    st->tag[n] = '\0';
                    st->mode = SH_LEX_DOLLAR;
                    i += n - 1;
                }
            }
            break;
        case SH_LEX_DOLLAR:
            if (c == '$') {
                size_t n = strlen(st->tag);
                if (len - i >= n && memcmp(s + i, st->tag, n) == 0) {
                    st->mode = SH_LEX_CODE;
                    i += n - 1;
                }
            }
            break;
        case SH_LEX_SQUOTE:
            /* '' needs no lookahead: closing and reopening leaves us inside a string */
            if (c == '\'')
                st->mode = SH_LEX_CODE;
            break;
        case SH_LEX_ESTRING:
            if (st->escape)
                st->escape = false;
            else if (c == '\\')
                st->escape = true;
            else if (c == '\'')
                st->mode = SH_LEX_CODE;
            break;
        case SH_LEX_DQUOTE:
            if (c == '"')
                st->mode = SH_LEX_CODE;
            break;
        case SH_LEX_LINE_COMMENT:
            if (c == '\n')
                st->mode = SH_LEX_CODE;
            break;
        case SH_LEX_BLOCK_COMMENT:
            if (c == '*' && next == '/') {
                i++;
                if (--st->depth == 0)
                    st->mode = SH_LEX_CODE;
            } else if (c == '/' && next == '*') {
                i++;
                st->depth++;
            }
            break;
        }
        i++;
    }
    *pos = len;
    return SH_SCAN_MORE;
}

size_t
sh_skip_blank(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        if (isspace((unsigned char)s[i])) {
            i++;
        } else if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
        } else {
            break;
        }
    }
    return i;
}

void
sh_splitter_init(ShSplitter *sp)
{
    buf_init(&sp->buf);
    sp->scanned = 0;
    memset(&sp->scan, 0, sizeof sp->scan);
}

void
sh_splitter_free(ShSplitter *sp)
{
    buf_free(&sp->buf);
    sh_splitter_init(sp);
}

void
sh_splitter_reset(ShSplitter *sp)
{
    buf_clear(&sp->buf);
    sp->scanned = 0;
    memset(&sp->scan, 0, sizeof sp->scan);
}

void
sh_splitter_feed(ShSplitter *sp, const char *text, size_t len)
{
    /* Like psql, drop blank input that comes before any statement text. */
    if (sp->buf.len == 0) {
        size_t skip = sh_skip_blank(text, len);
        if (skip == len)
            return;
        text += skip;
        len -= skip;
    }
    buf_append(&sp->buf, text, len);
}

/* Remove buf[0..n) and restart scanning from the front in code state. */
static void
drop_front(ShSplitter *sp, size_t n)
{
    buf_consume(&sp->buf, n);
    sp->scanned = 0;
    memset(&sp->scan, 0, sizeof sp->scan);
    size_t skip = sh_skip_blank(sp->buf.data ? sp->buf.data : "", sp->buf.len);
    if (skip)
        buf_consume(&sp->buf, skip);
}

static bool
only_semicolons_and_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ';' && !isspace((unsigned char)s[i]))
            return false;
    }
    return true;
}

ShPiece
sh_splitter_next(ShSplitter *sp, char **out)
{
    *out = NULL;
    for (;;) {
        if (sp->buf.len == 0)
            return SH_PIECE_NONE;
        size_t pos = sp->scanned;
        ShScanEvent ev = sh_scan(&sp->scan, sp->buf.data, sp->buf.len, &pos);
        if (ev == SH_SCAN_MORE) {
            sp->scanned = pos;
            return SH_PIECE_NONE;
        }
        if (ev == SH_SCAN_END) {
            size_t skip = sh_skip_blank(sp->buf.data, pos);
            if (only_semicolons_and_space(sp->buf.data + skip, pos - skip)) {
                drop_front(sp, pos);
                continue;
            }
            *out = sl_strndup(sp->buf.data + skip, pos - skip);
            drop_front(sp, pos);
            return SH_PIECE_STMT;
        }
        /* SH_SCAN_META: the command runs to the end of its line; text before it stays pending */
        const char *nl = memchr(sp->buf.data + pos, '\n', sp->buf.len - pos);
        size_t end = nl ? (size_t)(nl - sp->buf.data) : sp->buf.len;
        size_t cut = nl ? end + 1 : end;
        *out = sl_strndup(sp->buf.data + pos, end - pos);
        memmove(sp->buf.data + pos, sp->buf.data + cut, sp->buf.len - cut);
        sp->buf.len -= cut - pos;
        sp->buf.data[sp->buf.len] = '\0';
        sp->scanned = pos;
        if (sh_skip_blank(sp->buf.data, sp->buf.len) == sp->buf.len)
            sh_splitter_reset(sp);
        return SH_PIECE_META;
    }
}

char *
sh_splitter_rest(ShSplitter *sp)
{
    size_t skip = sh_skip_blank(sp->buf.data ? sp->buf.data : "", sp->buf.len);
    size_t end = sp->buf.len;
    while (end > skip && isspace((unsigned char)sp->buf.data[end - 1]))
        end--;
    char *rest = NULL;
    if (end > skip && !only_semicolons_and_space(sp->buf.data + skip, end - skip))
        rest = sl_strndup(sp->buf.data + skip, end - skip);
    sh_splitter_reset(sp);
    return rest;
}

bool
sh_splitter_blank(const ShSplitter *sp)
{
    if (sp->buf.len == 0)
        return true;
    return sh_skip_blank(sp->buf.data, sp->buf.len) == sp->buf.len &&
           sp->scan.mode != SH_LEX_BLOCK_COMMENT;
}

ShLexMode
sh_splitter_mode(const ShSplitter *sp)
{
    ShScan st = sp->scan;
    size_t pos = sp->scanned;
    /* finish scanning what is pending without consuming anything */
    while (pos < sp->buf.len) {
        if (sh_scan(&st, sp->buf.data, sp->buf.len, &pos) == SH_SCAN_META)
            pos++;
    }
    return st.mode;
}

size_t
sh_first_word(const char *sql, char *out, size_t outsz, size_t *end)
{
    size_t len = strlen(sql);
    size_t i = 0;
    for (;;) {
        i += sh_skip_blank(sql + i, len - i);
        if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*') {
            int depth = 1;
            i += 2;
            while (i < len && depth > 0) {
                if (i + 1 < len && sql[i] == '*' && sql[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else {
                    i++;
                }
            }
            continue;
        }
        break;
    }
    size_t n = 0;
    while (i < len && (isalnum((unsigned char)sql[i]) || sql[i] == '_')) {
        if (n + 1 < outsz)
            out[n++] = (char)tolower((unsigned char)sql[i]);
        i++;
    }
    if (outsz > 0)
        out[n] = '\0';
    if (end)
        *end = i;
    return n;
}
