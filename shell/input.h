/*
 * shell/input.h — splitting shell input into SQL statements and meta commands.
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
#ifndef SL_SHELL_INPUT_H
#define SL_SHELL_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Lexical state carried across calls; the scanner never looks ahead past the text it is given. */
typedef enum ShLexMode {
    SH_LEX_CODE = 0,        /* ordinary SQL text */
    SH_LEX_SQUOTE,          /* inside '...' ('' is two adjacent strings: same state) */
    SH_LEX_ESTRING,         /* inside E'...' (backslash escapes the next byte) */
    SH_LEX_DQUOTE,          /* inside "..." */
    SH_LEX_LINE_COMMENT,    /* after --, up to the newline */
    SH_LEX_BLOCK_COMMENT,   /* inside / * ... * /, nested like PostgreSQL */
    SH_LEX_DOLLAR           /* inside $tag$ ... $tag$ (PostgreSQL dollar quoting) */
} ShLexMode;

#define SH_DOLLAR_TAG_MAX 64

typedef struct ShScan {
    ShLexMode mode;
    int depth;              /* block comment nesting depth */
    bool escape;            /* ESTRING: previous byte was a backslash */
    char tag[SH_DOLLAR_TAG_MAX + 3];    /* DOLLAR: the opening delimiter, "$tag$" */
} ShScan;

typedef enum ShScanEvent {
    SH_SCAN_MORE = 0,       /* reached the end of the text without a terminator */
    SH_SCAN_END,            /* *pos is just past a ';' that ends a statement */
    SH_SCAN_META            /* *pos is at a '\' that starts a meta command */
} ShScanEvent;

/*
 * Scan s[*pos..len) in state *st. Stops after a statement-ending ';', at a backslash in code,
 * or at len; updates *pos and *st. Bytes before *pos are only used to look one byte back (to
 * recognise E'...'), so s must be the whole pending text. Pure: no allocation, no globals.
 */
ShScanEvent sh_scan(ShScan *st, const char *s, size_t len, size_t *pos);

/* Number of leading bytes of s[0..len) that are whitespace or complete "--" comments. */
size_t sh_skip_blank(const char *s, size_t len);

typedef struct ShSplitter {
    Buf buf;                /* pending text not yet returned */
    size_t scanned;         /* buf[0..scanned) has been scanned in state `scan` */
    ShScan scan;
} ShSplitter;

typedef enum ShPiece {
    SH_PIECE_NONE = 0,      /* need more input */
    SH_PIECE_STMT,          /* a statement, including its ';', leading blanks removed */
    SH_PIECE_META           /* a meta command: from the backslash to the end of its line */
} ShPiece;

void sh_splitter_init(ShSplitter *sp);
void sh_splitter_free(ShSplitter *sp);
void sh_splitter_reset(ShSplitter *sp);
void sh_splitter_feed(ShSplitter *sp, const char *text, size_t len);

/*
 * Take the next piece. On SH_PIECE_STMT / SH_PIECE_META, *out is a malloc'd string the caller
 * frees. Statements that are empty (only ';' and blanks) are skipped silently.
 */
ShPiece sh_splitter_next(ShSplitter *sp, char **out);

/* End of input: the unterminated rest as a malloc'd string (trailing blanks trimmed), or NULL. */
char *sh_splitter_rest(ShSplitter *sp);

bool sh_splitter_blank(const ShSplitter *sp);
ShLexMode sh_splitter_mode(const ShSplitter *sp);

/*
 * Copy the first word of sql (letters, digits, '_'), lower-cased, into out (at most outsz - 1
 * bytes), skipping leading whitespace and comments of both kinds. Returns its length (0: none).
 * *end, when not NULL, receives the offset just past the word.
 */
size_t sh_first_word(const char *sql, char *out, size_t outsz, size_t *end);

#endif
