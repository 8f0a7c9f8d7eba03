/*
 * parser/parser.h — SQL text → AST. The only public entry of parser/.
 *
 * INTERFACE
 *   parse_sql       parse one or more ';'-separated statements
 *   lex_is_keyword  whether a word is a keyword of the dialect (shell completion, quoting)
 *   lex_block_comment_end   the end of a nested block comment (also for the catalog translator)
 */
#ifndef SL_PARSER_H
#define SL_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/ast.h"

struct Arena;
struct SqlError;

/* Maximum nesting depth of expressions before 54001 statement_too_complex. */
#define PARSE_MAX_DEPTH 200

typedef struct AstStmtList {
    AstStmt **items;
    int n;
} AstStmtList;

/* Parses the whole string first (PostgreSQL does the same for a simple
 * Query): on any syntax error nothing is returned and `err` holds 42601 with
 * the byte position of the offending token (or the end of input), the token
 * text, and a hint of what was expected there. Empty statements (";;") are
 * skipped; an all-whitespace string gives n = 0. Returns 0 or -1.
 * Returns memory owned by `a`. */
int parse_sql(struct Arena *a, const char *sql, size_t n, AstStmtList *out, struct SqlError *err);

int lex_is_keyword(const char *word, size_t n);
/* Where the block comment that opens at s[i] (slash, star) ends: the index just past
 * its closing, nested comments included; n with *closed false when the text
 * ends inside it. */
size_t lex_block_comment_end(const char *s, size_t n, size_t i, bool *closed);

#endif
