/*
 * server/copy_in.c — COPY ... FROM STDIN decoding: PostgreSQL's text and CSV
 * formats into typed, row-major rows for one stream.
 *
 * Decoding runs in two passes per record. The first pass only finds where the
 * record ends: a small state machine (text: "the previous byte was an unescaped
 * backslash"; CSV: "inside quotes") is kept across copy_in_data calls, so every
 * input byte is scanned once however the client splits its CopyData messages.
 * Complete records are decoded straight from the caller's bytes; only the
 * incomplete tail is copied into `tail`. The second pass splits the record into
 * field slices, checks the field count, and parses each field in place; a field
 * with escapes (text) or quotes (CSV) is first de-escaped into `scratch`.
 *
 * INTERFACE
 *   copy_in_new          decoder for one COPY (borrows pc and its stream; caller keeps them)
 *   copy_in_free
 *   copy_in_data         consume bytes; complete records become rows; -1 + err on bad data
 *   copy_in_finish       end of data: the last record without a newline, "\." handling
 *   copy_in_rows         the buffered rows and their count
 *   copy_in_buffered_bytes  memory held by buffered rows (to bound a huge COPY)
 *   copy_in_clear_rows   drop the buffered rows after they were ingested
 *   copy_in_lines        records seen so far (including a header)
 */
#include "server/copy_in.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "planner/catalog.h"
#include "planner/planner.h"

#define COPY_ARENA_BLOCK (64 * 1024)
#define COPY_DISPLAY_MAX 60 /* bytes of a value shown in an error DETAIL */
#define COPY_QUOTE '"'
#define COPY_ESCAPE '"'

/* One field of the current record: a slice of the record bytes. */
typedef struct CopyField {
    size_t off;
    size_t len;
    bool special; /* text: contains a backslash; CSV: contains a quote */
} CopyField;

struct CopyIn {
    const PlanCopy *pc;
    const CatObject *st;
    int ncols;           /* fields per record (pc->ncols) */
    int scols;           /* values per row (stream columns) */
    bool csv;
    bool header;
    char delim;
    const char *null_str;
    size_t null_len;

    /* record boundary scanner, carried across calls */
    Buf tail;            /* bytes of the record not yet terminated */
    bool esc;            /* text: previous byte was an unescaped backslash */
    bool inq;            /* CSV: inside quotes */

    CopyField *fields;   /* ncols + 1 slots: one extra detects "extra data" */
    Buf scratch;         /* de-escaped field */

    Value *rows;         /* row-major, scols per row */
    size_t nrows;
    size_t cap;          /* rows allocated */
    Arena *arena;        /* TEXT payloads of buffered rows */

    int64_t lines;
    bool done;           /* saw "\." */
    bool failed;
};

/* ---- lifecycle ------------------------------------------------------------------------------ */

/*
 * A decoder for one COPY FROM STDIN. Borrows pc and pc->stream; caller keeps them and must
 * keep them alive until copy_in_free. Never fails (aborts on OOM).
 */
CopyIn *
copy_in_new(const PlanCopy *pc)
{
    CopyIn *ci = sl_calloc(1, sizeof(*ci));
    ci->pc = pc;
    ci->st = pc->stream;
    ci->ncols = pc->ncols;
    ci->scols = pc->stream->ncols;
    ci->csv = pc->csv;
    ci->header = pc->header;
    ci->delim = pc->delimiter ? pc->delimiter : (pc->csv ? ',' : '\t');
    ci->null_str = pc->null_str ? pc->null_str : (pc->csv ? "" : "\\N");
    ci->null_len = strlen(ci->null_str);
    buf_init(&ci->tail);
    buf_init(&ci->scratch);
    ci->fields = sl_malloc(sizeof(CopyField) * (size_t)(ci->ncols + 1));
    ci->arena = arena_new(COPY_ARENA_BLOCK);
    return ci;
}

void
copy_in_free(CopyIn *ci)
{
    if (!ci)
        return;
    buf_free(&ci->tail);
    buf_free(&ci->scratch);
    free(ci->fields);
    free(ci->rows);
    arena_free(ci->arena);
    free(ci);
}

/* ---- error helpers -------------------------------------------------------------------------- */

/* Length of s[0..n) cut to at most COPY_DISPLAY_MAX bytes, not inside a UTF-8 sequence. */
static int
display_len(const char *s, size_t n, bool *cut)
{
    *cut = n > COPY_DISPLAY_MAX;
    if (!*cut)
        return (int)n;
    size_t m = COPY_DISPLAY_MAX;
    while (m > 0 && ((unsigned char)s[m] & 0xC0) == 0x80)
        m--;
    return (int)m;
}

/* DETAIL for an error about a whole record: COPY s, line n: "<record>". */
static void
detail_line(CopyIn *ci, const char *rec, size_t n, SqlError *err)
{
    bool cut;
    int m = display_len(rec, n, &cut);
    err_context(err, "COPY %s, line %lld: \"%.*s%s\"", ci->st->name, (long long)ci->lines, m, rec,
               cut ? "..." : "");
}

/* DETAIL for an error about one field: COPY s, line n, column c: "<value>". */
static void
detail_column(CopyIn *ci, int col, const char *val, size_t n, SqlError *err)
{
    bool cut;
    int m = display_len(val, n, &cut);
    err_context(err, "COPY %s, line %lld, column %s: \"%.*s%s\"", ci->st->name,
               (long long)ci->lines, ci->st->cols[col].name, m, val, cut ? "..." : "");
}

static int
fail(CopyIn *ci)
{
    ci->failed = true;
    return -1;
}

/* ---- record boundaries ---------------------------------------------------------------------- */

/*
 * Index of the '\n' that ends the current record within p[0..n), or -1 when the record goes
 * on past n. ci->esc / ci->inq hold the scanner state at p and are updated on -1.
 */
static ptrdiff_t
find_record_end(CopyIn *ci, const char *p, size_t n)
{
    size_t i = 0;

    if (!ci->csv) {
        if (!ci->esc) {
            /* Fast path: no backslash before the next newline. */
            const char *nl = memchr(p, '\n', n);
            size_t lim = nl ? (size_t)(nl - p) : n;
            const char *bs = memchr(p, '\\', lim);
            if (!bs)
                return nl ? (ptrdiff_t)lim : -1;
            i = (size_t)(bs - p);
        }
        bool esc = ci->esc;
        for (; i < n; i++) {
            char c = p[i];
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '\n')
                return (ptrdiff_t)i;
        }
        ci->esc = esc;
        return -1;
    }

    if (!ci->inq) {
        const char *nl = memchr(p, '\n', n);
        size_t lim = nl ? (size_t)(nl - p) : n;
        const char *q = memchr(p, COPY_QUOTE, lim);
        if (!q)
            return nl ? (ptrdiff_t)lim : -1;
        i = (size_t)(q - p);
    }
    bool inq = ci->inq;
    for (; i < n; i++) {
        char c = p[i];
        if (c == COPY_QUOTE)
            inq = !inq;
        else if (c == '\n' && !inq)
            return (ptrdiff_t)i;
    }
    ci->inq = inq;
    return -1;
}

/* ---- fields --------------------------------------------------------------------------------- */

/*
 * Split rec[0..n) into ci->fields. Returns the number of fields, or ncols + 1 as soon as there
 * are more than ncols (the caller reports "extra data").
 */
static int
split_text(CopyIn *ci, const char *rec, size_t n)
{
    const char delim = ci->delim;
    const int max = ci->ncols + 1;
    int nf = 0;
    size_t i = 0;

    for (;;) {
        size_t start = i;
        bool special = false;
        while (i < n) {
            char c = rec[i];
            if (c == delim)
                break;
            if (c == '\\') {
                special = true;
                i++; /* the escaped byte is never a delimiter */
            }
            i++;
        }
        if (i > n)
            i = n; /* lone backslash at the very end */
        CopyField *f = &ci->fields[nf++];
        f->off = start;
        f->len = i - start;
        f->special = special;
        if (i >= n || nf == max)
            return nf;
        i++; /* skip the delimiter */
    }
}

static int
split_csv(CopyIn *ci, const char *rec, size_t n)
{
    const char delim = ci->delim;
    const int max = ci->ncols + 1;
    int nf = 0;
    size_t i = 0;

    for (;;) {
        size_t start = i;
        bool special = false;
        bool inq = false;
        while (i < n) {
            char c = rec[i];
            if (c == COPY_QUOTE) {
                special = true;
                inq = !inq; /* a doubled quote toggles twice: still consistent */
            } else if (c == delim && !inq) {
                break;
            }
            i++;
        }
        CopyField *f = &ci->fields[nf++];
        f->off = start;
        f->len = i - start;
        f->special = special;
        if (i >= n || nf == max)
            return nf;
        i++;
    }
}

static int
hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* De-escape a text-format field into ci->scratch. Returns -1 on a NUL byte. */
static int
unescape_text(CopyIn *ci, const char *s, size_t n)
{
    Buf *b = &ci->scratch;
    buf_clear(b);
    buf_reserve(b, n);
    char *out = b->data;
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        char c = s[i++];
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        if (i >= n)
            break; /* trailing lone backslash is dropped, as PostgreSQL does */
        c = s[i++];
        switch (c) {
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            int v = c - '0';
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (s[i++] - '0');
            c = (char)(v & 0xFF);
            if (c == '\0')
                return -1;
            break;
        }
        case 'x': {
            int h = i < n ? hex_val(s[i]) : -1;
            if (h < 0)
                break; /* "\x" without hex digits is a plain 'x' */
            int v = h;
            i++;
            if (i < n && (h = hex_val(s[i])) >= 0) {
                v = v * 16 + h;
                i++;
            }
            c = (char)v;
            if (c == '\0')
                return -1;
            break;
        }
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'v': c = '\v'; break;
        default: break; /* \\, \<delim> and any other byte stand for themselves */
        }
        out[o++] = c;
    }
    b->len = o;
    return 0;
}

/* De-quote a CSV field into ci->scratch. Returns -1 if a quote is left open. */
static int
unquote_csv(CopyIn *ci, const char *s, size_t n)
{
    Buf *b = &ci->scratch;
    buf_clear(b);
    buf_reserve(b, n);
    char *out = b->data;
    size_t o = 0;
    bool inq = false;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!inq) {
            if (c == COPY_QUOTE)
                inq = true;
            else
                out[o++] = c;
        } else if (c == COPY_ESCAPE && i + 1 < n && s[i + 1] == COPY_QUOTE) {
            out[o++] = COPY_QUOTE;
            i++;
        } else if (c == COPY_QUOTE) {
            inq = false;
        } else {
            out[o++] = c;
        }
    }
    b->len = o;
    return inq ? -1 : 0;
}

/* ---- records -------------------------------------------------------------------------------- */

static Value *
new_row(CopyIn *ci)
{
    if (ci->nrows == ci->cap) {
        size_t ncap = ci->cap ? ci->cap * 2 : 256;
        ci->rows = sl_realloc(ci->rows, ncap * (size_t)ci->scols * sizeof(Value));
        ci->cap = ncap;
    }
    return ci->rows + ci->nrows * (size_t)ci->scols;
}

/* Decode one complete record rec[0..n) (its '\n' removed). */
static int
process_record(CopyIn *ci, const char *rec, size_t n, SqlError *err)
{
    /* Accept \r\n: strip a trailing \r unless a text-format backslash escapes it. */
    if (n > 0 && rec[n - 1] == '\r') {
        size_t k = 0;
        if (!ci->csv)
            while (k < n - 1 && rec[n - 2 - k] == '\\')
                k++;
        if (k % 2 == 0)
            n--;
    }
    if (n == 2 && rec[0] == '\\' && rec[1] == '.') {
        ci->done = true;
        return 0;
    }
    ci->lines++;
    if (ci->header && ci->lines == 1)
        return 0;

    int nf = ci->csv ? split_csv(ci, rec, n) : split_text(ci, rec, n);
    if (nf > ci->ncols) {
        err_setf(err, ERR_BAD_COPY_FILE_FORMAT, -1, "extra data after last expected column");
        detail_line(ci, rec, n, err);
        return fail(ci);
    }

    Value *row = new_row(ci);
    const CatColumn *cols = ci->st->cols;
    if (ci->ncols < ci->scols || ci->ncols == 0)
        for (int c = 0; c < ci->scols; c++)
            row[c] = val_null(cols[c].type);

    for (int i = 0; i < ci->ncols; i++) {
        int col = ci->pc->col_map[i];
        if (i >= nf) {
            err_setf(err, ERR_BAD_COPY_FILE_FORMAT, -1, "missing data for column \"%s\"",
                     cols[col].name);
            detail_line(ci, rec, n, err);
            return fail(ci);
        }
        const CopyField *f = &ci->fields[i];
        const char *s = rec + f->off;
        size_t len = f->len;
        SlType t = cols[col].type;

        /* The null string matches the raw field; in CSV only when it had no quotes. */
        if (len == ci->null_len && !(ci->csv && f->special) &&
            memcmp(s, ci->null_str, len) == 0) {
            row[col] = val_null(t);
            continue;
        }
        if (f->special) {
            if (ci->csv) {
                if (unquote_csv(ci, s, len) < 0) {
                    err_setf(err, ERR_BAD_COPY_FILE_FORMAT, -1, "unterminated CSV quoted field");
                    detail_line(ci, rec, n, err);
                    return fail(ci);
                }
            } else if (unescape_text(ci, s, len) < 0) {
                err_setf(err, ERR_BAD_COPY_FILE_FORMAT, -1,
                         "invalid byte sequence for encoding \"UTF8\": 0x00");
                detail_column(ci, col, s, len, err);
                return fail(ci);
            }
            s = ci->scratch.data;
            len = ci->scratch.len;
        }
        if (val_parse(t, s, len, ci->arena, &row[col], err) < 0) {
            detail_column(ci, col, s, len, err);
            return fail(ci);
        }
    }
    ci->nrows++;
    return 0;
}

/* ---- public entry points -------------------------------------------------------------------- */

/*
 * Consume n bytes of COPY data. Complete records become buffered rows; an incomplete last
 * record is kept for the next call. Returns 0, or -1 with err set (22P02/22P04/22007/22003,
 * DETAIL naming line and column); after an error every call returns -1 at once. Bytes after
 * an end-of-data marker "\." are ignored. Borrows data.
 */
int
copy_in_data(CopyIn *ci, const char *data, size_t n, SqlError *err)
{
    if (ci->failed)
        return -1;
    if (ci->done || n == 0)
        return 0;

    if (ci->tail.len > 0 || ci->esc || ci->inq) {
        ptrdiff_t e = find_record_end(ci, data, n);
        if (e < 0) {
            buf_append(&ci->tail, data, n);
            return 0;
        }
        buf_append(&ci->tail, data, (size_t)e);
        ci->esc = ci->inq = false;
        int rc = process_record(ci, ci->tail.data, ci->tail.len, err);
        buf_clear(&ci->tail);
        if (rc < 0)
            return -1;
        data += e + 1;
        n -= (size_t)e + 1;
    }

    while (n > 0 && !ci->done) {
        ptrdiff_t e = find_record_end(ci, data, n);
        if (e < 0) {
            buf_append(&ci->tail, data, n);
            break;
        }
        if (process_record(ci, data, (size_t)e, err) < 0)
            return -1;
        data += e + 1;
        n -= (size_t)e + 1;
    }
    return 0;
}

/*
 * End of data (CopyDone): decode a last record that had no newline. Returns 0, or -1 with err
 * set (also when an earlier copy_in_data call failed; err then keeps that first error).
 */
int
copy_in_finish(CopyIn *ci, SqlError *err)
{
    if (ci->failed)
        return -1;
    if (ci->done)
        return 0;
    if (ci->tail.len > 0 || ci->inq) {
        int rc = process_record(ci, ci->tail.data, ci->tail.len, err);
        buf_clear(&ci->tail);
        ci->esc = ci->inq = false;
        if (rc < 0)
            return -1;
    }
    ci->done = true;
    return 0;
}

/*
 * The buffered rows, row-major with stream->ncols values each; *nrows gets the count. Returns
 * memory owned by ci, valid until the next copy_in_data/copy_in_clear_rows/copy_in_free.
 */
const Value *
copy_in_rows(const CopyIn *ci, int *nrows)
{
    *nrows = (int)ci->nrows;
    return ci->rows;
}

size_t
copy_in_buffered_bytes(const CopyIn *ci)
{
    return ci->nrows * (size_t)ci->scols * sizeof(Value) + arena_bytes(ci->arena);
}

/* Forget the buffered rows and their TEXT payloads; capacity is kept for the next batch. */
void
copy_in_clear_rows(CopyIn *ci)
{
    ci->nrows = 0;
    arena_reset(ci->arena);
}

int64_t
copy_in_lines(const CopyIn *ci)
{
    return ci->lines;
}
