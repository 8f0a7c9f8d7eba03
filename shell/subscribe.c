/*
 * shell/subscribe.c — SUBSCRIBE with rows shown as they arrive.
 *
 * The statement is sent with PQsendQuery + PQsetSingleRowMode, so every DataRow becomes its own
 * PGresult. The server's RowDescription starts with _epoch (bigint) and _op (text: insert,
 * upsert, delete), followed by the view's columns; the stream ends with CommandComplete
 * "SUBSCRIBE n", or with ErrorResponse 57014 after a cancel.
 *
 * Display
 *   - stdout not a terminal, or --csv: the header once, then one line per row as it arrives
 *     (" | " separated, or CSV), flushed after each row: deterministic and streamable.
 *   - terminal, append mode: a psql-style header, then each row as a line. Column widths come
 *     from the header and the rows of the first burst; a later, wider value widens its column
 *     from then on. The _op column is not shown (always "insert").
 *   - terminal, update mode: a table keyed by the view's key columns (upsert replaces or adds,
 *     delete removes), redrawn in place (cursor up + clear) whenever a burst of rows has been
 *     read, i.e. when no further complete message is waiting. Rows keep first-arrival order.
 *   - terminal, complete mode: a new _epoch starts a new table; redrawn the same way.
 *   The mode is taken from "EMIT mode" in the statement, else from SHOW VIEWS (column "mode"),
 *   else guessed: append until an upsert/delete row arrives, then update. Key columns come from
 *   DESCRIBE view (is_key); when that is unavailable, every non-numeric column is part of the
 *   key (an aggregate is almost always numeric and a group key almost never is), and when no
 *   column is non-numeric, all columns are. Redrawn tables are cut to the terminal height.
 *
 * Ctrl-C sends a cancel request; when the server has ended the subscription the shell prints
 * "subscription cancelled" and returns to the prompt. A second Ctrl-C, or 5 s without an
 * answer, resets the connection instead.
 *
 * INTERFACE
 *   sh_is_subscribe   is the statement a SUBSCRIBE?
 *   sh_subscribe      run it; false on error (a cancel is not an error)
 */
#include "shell/shell_int.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/util.h"
#include "shell/input.h"

#define SUB_CANCEL_GRACE_US (5 * 1000 * 1000)

typedef enum SubMode {
    SUB_UNKNOWN = 0,
    SUB_APPEND,
    SUB_UPDATE,
    SUB_COMPLETE
} SubMode;

typedef struct SubRow {
    char **vals;            /* data columns (after _epoch/_op); NULL is SQL NULL */
    char *key;
    unsigned hash;
    int next;               /* hash chain */
    bool live;
} SubRow;

typedef struct Sub {
    Shell *sh;
    int enc;
    SubMode mode;
    bool live;              /* terminal display (otherwise: lines) */
    char *view;
    char **desc_keys;       /* key column names from DESCRIBE */
    int ndesc_keys;

    bool started;           /* columns known */
    int ncols;              /* all columns of the result */
    char **names;
    char *aligns;
    int first;              /* 2 when the result starts with _epoch, _op; else 0 */
    int *keys;              /* key column indexes among the data columns */
    int nkeys;

    /* append-mode lines */
    int *widths;
    bool header_done;
    char ***pending;        /* rows waiting for the end of the burst (all columns) */
    int npending, cappending;

    /* update/complete table */
    SubRow *rows;
    int nrows, caprows, ndead;
    int *buckets;
    int nbuckets;
    long long epoch;
    bool dirty;
    int drawn_lines;
    long long received;
} Sub;

bool
sh_is_subscribe(const char *sql)
{
    char w[16];
    sh_first_word(sql, w, sizeof w, NULL);
    return strcmp(w, "subscribe") == 0;
}

/* ---------------------------------------------------------------- statement inspection */

/* Read one token: a word, a "quoted" identifier, a '...' string or one other byte. */
static size_t
next_token(const char *s, size_t i, char *out, size_t outsz)
{
    size_t len = strlen(s);
    char dummy[2];
    size_t end;
    /* reuse sh_first_word's comment skipping by giving it the suffix */
    sh_first_word(s + i, dummy, sizeof dummy, &end);
    size_t wlen = 0;
    for (size_t k = 0; k < end; k++) {
        if (isalnum((unsigned char)s[i + k]) || s[i + k] == '_')
            wlen++;
    }
    if (wlen > 0) {
        size_t start = i + end - wlen;
        size_t n = SL_MIN(wlen, outsz - 1);
        for (size_t k = 0; k < n; k++)
            out[k] = (char)tolower((unsigned char)s[start + k]);
        out[n] = '\0';
        return i + end;
    }
    i += end;
    out[0] = '\0';
    if (i >= len)
        return i;
    char q = s[i];
    if (q == '"' || q == '\'') {
        size_t n = 0;
        out[n++] = q;
        i++;
        while (i < len) {
            if (s[i] == q) {
                if (i + 1 < len && s[i + 1] == q) {
                    if (n + 1 < outsz)
                        out[n++] = q;
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (n + 1 < outsz)
                out[n++] = s[i];
            i++;
        }
        out[n] = '\0';
        return i;
    }
    out[0] = q;
    out[1] = '\0';
    return i + 1;
}

static void
inspect_statement(Sub *sub, const char *sql)
{
    char tok[256];
    size_t i = next_token(sql, 0, tok, sizeof tok);    /* SUBSCRIBE */
    i = next_token(sql, i, tok, sizeof tok);
    if (tok[0] == '"')
        sub->view = sl_strdup(tok);             /* keep the quote as a marker */
    else if (isalpha((unsigned char)tok[0]) || tok[0] == '_')
        sub->view = sl_strdup(tok);
    while (sql[i]) {
        i = next_token(sql, i, tok, sizeof tok);
        if (strcmp(tok, "emit") == 0) {
            i = next_token(sql, i, tok, sizeof tok);
            if (strcmp(tok, "append") == 0)
                sub->mode = SUB_APPEND;
            else if (strcmp(tok, "update") == 0)
                sub->mode = SUB_UPDATE;
            else if (strcmp(tok, "complete") == 0)
                sub->mode = SUB_COMPLETE;
        }
    }
}

static const char *
view_plain_name(const Sub *sub)
{
    return sub->view[0] == '"' ? sub->view + 1 : sub->view;
}

static void
learn_mode(Sub *sub)
{
    if (sub->mode != SUB_UNKNOWN || !sub->view)
        return;
    PGresult *res = sh_exec_quiet(sub->sh, "SHOW VIEWS");
    if (!res)
        return;
    int cname = PQfnumber(res, "name");
    int cmode = PQfnumber(res, "mode");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && cname >= 0 && cmode >= 0) {
        for (int r = 0; r < PQntuples(res); r++) {
            if (strcasecmp(PQgetvalue(res, r, cname), view_plain_name(sub)) != 0)
                continue;
            const char *m = PQgetvalue(res, r, cmode);
            if (strcasestr(m, "complete"))
                sub->mode = SUB_COMPLETE;
            else if (strcasestr(m, "update"))
                sub->mode = SUB_UPDATE;
            else if (strcasestr(m, "append"))
                sub->mode = SUB_APPEND;
            break;
        }
    }
    PQclear(res);
}

static bool
truthy(const char *v)
{
    return strcasecmp(v, "t") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
           strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0;
}

static void
learn_keys(Sub *sub)
{
    if (!sub->view)
        return;
    Buf sql;
    buf_init(&sql);
    if (sub->view[0] == '"') {
        buf_putc(&sql, '"');
        for (const char *p = sub->view + 1; *p; p++) {
            if (*p == '"')
                buf_putc(&sql, '"');
            buf_putc(&sql, *p);
        }
        buf_putc(&sql, '"');
    } else {
        buf_puts(&sql, sub->view);
    }
    Buf q;
    buf_init(&q);
    buf_printf(&q, "DESCRIBE %s", sql.data);
    PGresult *res = sh_exec_quiet(sub->sh, q.data);
    buf_free(&q);
    buf_free(&sql);
    if (!res)
        return;
    int cname = PQfnumber(res, "column_name");
    int ckey = PQfnumber(res, "is_key");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && cname >= 0 && ckey >= 0) {
        for (int r = 0; r < PQntuples(res); r++) {
            if (PQgetisnull(res, r, ckey) || !truthy(PQgetvalue(res, r, ckey)))
                continue;
            sub->desc_keys = sl_realloc(sub->desc_keys,
                                        (size_t)(sub->ndesc_keys + 1) * sizeof *sub->desc_keys);
            sub->desc_keys[sub->ndesc_keys++] = sl_strdup(PQgetvalue(res, r, cname));
        }
    }
    PQclear(res);
}

/* ---------------------------------------------------------------- columns and rows */

static void
start_columns(Sub *sub, const PGresult *res)
{
    sub->started = true;
    sub->ncols = PQnfields(res);
    sub->names = sl_calloc((size_t)sub->ncols + 1, sizeof *sub->names);
    sub->aligns = sl_calloc((size_t)sub->ncols + 1, 1);
    for (int c = 0; c < sub->ncols; c++) {
        sub->names[c] = sl_strdup(PQfname(res, c));
        sub->aligns[c] = sh_type_is_numeric(PQftype(res, c)) ? 'r' : 'l';
    }
    sub->first = sub->ncols >= 2 && strcmp(sub->names[0], "_epoch") == 0 &&
                         strcmp(sub->names[1], "_op") == 0
                     ? 2
                     : 0;
    int ndata = sub->ncols - sub->first;
    sub->keys = sl_calloc((size_t)ndata + 1, sizeof *sub->keys);
    for (int k = 0; k < sub->ndesc_keys; k++) {
        for (int c = 0; c < ndata; c++) {
            if (strcmp(sub->names[sub->first + c], sub->desc_keys[k]) == 0) {
                sub->keys[sub->nkeys++] = c;
                break;
            }
        }
    }
    if (sub->nkeys == 0) {
        for (int c = 0; c < ndata; c++) {
            if (sub->aligns[sub->first + c] != 'r')
                sub->keys[sub->nkeys++] = c;
        }
    }
    if (sub->nkeys == 0) {
        for (int c = 0; c < ndata; c++)
            sub->keys[sub->nkeys++] = c;
    }
    sub->widths = sl_calloc((size_t)sub->ncols + 1, sizeof *sub->widths);
}

static char **
copy_values(const PGresult *res, int from, int to)
{
    char **v = sl_calloc((size_t)(to - from) + 1, sizeof *v);
    for (int c = from; c < to; c++)
        v[c - from] = PQgetisnull(res, 0, c) ? NULL : sl_strdup(PQgetvalue(res, 0, c));
    return v;
}

static void
free_values(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static unsigned
hash_str(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void
rebuild_index(Sub *sub)
{
    int ndata = sub->ncols - sub->first;
    int w = 0;
    for (int r = 0; r < sub->nrows; r++) {
        if (sub->rows[r].live) {
            sub->rows[w++] = sub->rows[r];
        } else {
            free_values(sub->rows[r].vals, ndata);
            free(sub->rows[r].key);
        }
    }
    sub->nrows = w;
    sub->ndead = 0;
    int nb = 64;
    while (nb < sub->nrows * 2)
        nb *= 2;
    free(sub->buckets);
    sub->buckets = sl_malloc((size_t)nb * sizeof *sub->buckets);
    sub->nbuckets = nb;
    for (int b = 0; b < nb; b++)
        sub->buckets[b] = -1;
    for (int r = 0; r < sub->nrows; r++) {
        int b = (int)(sub->rows[r].hash & (unsigned)(nb - 1));
        sub->rows[r].next = sub->buckets[b];
        sub->buckets[b] = r;
    }
}

static void
clear_table(Sub *sub)
{
    for (int r = 0; r < sub->nrows; r++)
        sub->rows[r].live = false;
    rebuild_index(sub);
}

static char *
row_key(const Sub *sub, const PGresult *res)
{
    Buf b;
    buf_init(&b);
    for (int k = 0; k < sub->nkeys; k++) {
        int c = sub->first + sub->keys[k];
        if (PQgetisnull(res, 0, c))
            buf_putc(&b, '\x01');
        else
            buf_puts(&b, PQgetvalue(res, 0, c));
        buf_putc(&b, '\x1f');
    }
    if (!b.data)
        buf_puts(&b, "");
    return b.data;
}

static int
find_row(const Sub *sub, const char *key, unsigned h)
{
    if (!sub->buckets)
        return -1;
    for (int r = sub->buckets[h & (unsigned)(sub->nbuckets - 1)]; r >= 0; r = sub->rows[r].next) {
        if (sub->rows[r].live && sub->rows[r].hash == h && strcmp(sub->rows[r].key, key) == 0)
            return r;
    }
    return -1;
}

static void
add_row(Sub *sub, const PGresult *res, char *key, unsigned h)
{
    if (!sub->buckets || sub->nrows * 2 >= sub->nbuckets)
        rebuild_index(sub);
    if (sub->nrows == sub->caprows) {
        sub->caprows = sub->caprows ? sub->caprows * 2 : 64;
        sub->rows = sl_realloc(sub->rows, (size_t)sub->caprows * sizeof *sub->rows);
    }
    SubRow *row = &sub->rows[sub->nrows];
    row->vals = copy_values(res, sub->first, sub->ncols);
    row->key = key;
    row->hash = h;
    row->live = true;
    int b = (int)(h & (unsigned)(sub->nbuckets - 1));
    row->next = sub->buckets[b];
    sub->buckets[b] = sub->nrows;
    sub->nrows++;
}

static void
apply_change(Sub *sub, const PGresult *res, const char *op)
{
    int ndata = sub->ncols - sub->first;
    if (sub->mode == SUB_COMPLETE) {
        add_row(sub, res, sl_strdup(""), 0);
    } else {
        char *key = row_key(sub, res);
        unsigned h = hash_str(key);
        int r = find_row(sub, key, h);
        if (strcmp(op, "delete") == 0) {
            if (r >= 0) {
                sub->rows[r].live = false;
                sub->ndead++;
            }
            free(key);
        } else if (r >= 0) {
            free_values(sub->rows[r].vals, ndata);
            sub->rows[r].vals = copy_values(res, sub->first, sub->ncols);
            free(key);
        } else {
            add_row(sub, res, key, h);
        }
        if (sub->ndead > 64 && sub->ndead > sub->nrows / 2)
            rebuild_index(sub);
    }
    sub->dirty = true;
}

/* ---------------------------------------------------------------- output */

static void
term_size(int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
        if (ws.ws_row > 0)
            *rows = ws.ws_row;
        if (ws.ws_col > 0)
            *cols = ws.ws_col;
    }
}

/* Screen lines taken by text, counting lines wider than the terminal. */
static int
screen_lines(const Buf *b, int enc, int cols)
{
    int lines = 0;
    size_t start = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] != '\n')
            continue;
        int w = sh_display_width(b->data + start, i - start, enc);
        lines += w > cols ? (w + cols - 1) / cols : 1;
        start = i + 1;
    }
    return lines;
}

/* Columns shown for append lines: everything but _op. */
static int
append_columns(const Sub *sub, int *idx)
{
    int n = 0;
    for (int c = 0; c < sub->ncols; c++) {
        if (sub->first == 2 && c == 1)
            continue;
        idx[n++] = c;
    }
    return n;
}

static void
print_line_row(Sub *sub, const PGresult *res)
{
    Buf out;
    buf_init(&out);
    const char **f = sl_calloc((size_t)sub->ncols + 1, sizeof *f);
    if (!sub->header_done) {
        for (int c = 0; c < sub->ncols; c++)
            f[c] = sub->names[c];
        if (sub->sh->csv)
            sh_render_csv_line(&out, f, sub->ncols);
        else
            sh_render_plain_line(&out, f, sub->ncols, " | ");
        sub->header_done = true;
    }
    if (res) {
        for (int c = 0; c < sub->ncols; c++)
            f[c] = PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c);
        if (sub->sh->csv)
            sh_render_csv_line(&out, f, sub->ncols);
        else
            sh_render_plain_line(&out, f, sub->ncols, " | ");
    }
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    buf_free(&out);
    free(f);
}

static void
flush_append(Sub *sub)
{
    if (sub->npending == 0 && sub->header_done)
        return;
    int *idx = sl_calloc((size_t)sub->ncols + 1, sizeof *idx);
    int n = append_columns(sub, idx);
    const char **headers = sl_calloc((size_t)n + 1, sizeof *headers);
    char *aligns = sl_calloc((size_t)n + 1, 1);
    const char **cells = sl_calloc((size_t)n * (size_t)sub->npending + 1, sizeof *cells);
    for (int i = 0; i < n; i++) {
        headers[i] = sub->names[idx[i]];
        aligns[i] = sub->aligns[idx[i]];
    }
    for (int r = 0; r < sub->npending; r++) {
        for (int i = 0; i < n; i++)
            cells[(size_t)r * (size_t)n + (size_t)i] = sub->pending[r][idx[i]];
    }
    ShTable t = {n, sub->npending, headers, aligns, cells, NULL};
    Buf out;
    buf_init(&out);
    sh_widths_update(&t, sub->enc, sub->widths, 0, sub->npending, !sub->header_done);
    if (!sub->header_done) {
        sh_render_header(&out, &t, sub->enc, sub->widths);
        sub->header_done = true;
    }
    sh_render_rows(&out, &t, sub->enc, sub->widths, 0, sub->npending);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    buf_free(&out);
    for (int r = 0; r < sub->npending; r++)
        free_values(sub->pending[r], sub->ncols);
    sub->npending = 0;
    free(idx);
    free(headers);
    free(aligns);
    free(cells);
}

static void
redraw_table(Sub *sub, const char *state)
{
    if (sub->ndead)
        rebuild_index(sub);
    int trows, tcols;
    term_size(&trows, &tcols);
    int ndata = sub->ncols - sub->first;
    int limit = SL_MAX(1, trows - 5);
    int shown = SL_MIN(sub->nrows, limit);

    const char **cells = sl_calloc((size_t)ndata * (size_t)shown + 1, sizeof *cells);
    for (int r = 0; r < shown; r++) {
        for (int c = 0; c < ndata; c++)
            cells[(size_t)r * (size_t)ndata + (size_t)c] = sub->rows[r].vals[c];
    }
    ShTable t = {ndata, shown, (const char *const *)sub->names + sub->first,
                 sub->aligns + sub->first, cells, NULL};
    int *widths = sl_calloc((size_t)ndata + 1, sizeof *widths);
    sh_widths_update(&t, sub->enc, widths, 0, shown, true);

    Buf body;
    buf_init(&body);
    sh_render_header(&body, &t, sub->enc, widths);
    sh_render_rows(&body, &t, sub->enc, widths, 0, shown);
    if (shown < sub->nrows)
        buf_printf(&body, "(%d rows, %d not shown)\n", sub->nrows, sub->nrows - shown);
    else
        buf_printf(&body, sub->nrows == 1 ? "(%d row)\n" : "(%d rows)\n", sub->nrows);
    buf_printf(&body, "-- %s mode, epoch %lld, %lld changes received%s\n",
               sub->mode == SUB_COMPLETE ? "complete" : "update", sub->epoch, sub->received,
               state);

    Buf out;
    buf_init(&out);
    if (sub->drawn_lines > 0)
        buf_printf(&out, "\033[%dA", sub->drawn_lines);
    buf_puts(&out, "\r\033[J");
    buf_append(&out, body.data, body.len);
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sub->drawn_lines = screen_lines(&body, sub->enc, tcols);
    sub->dirty = false;
    buf_free(&out);
    buf_free(&body);
    free(widths);
    free(cells);
}

static void
flush_display(Sub *sub)
{
    if (!sub->live || !sub->started)
        return;
    if (sub->mode == SUB_UPDATE || sub->mode == SUB_COMPLETE) {
        if (sub->dirty)
            redraw_table(sub, " (Ctrl-C to stop)");
    } else {
        flush_append(sub);
    }
}

static void
handle_row(Sub *sub, const PGresult *res)
{
    sub->received++;
    if (!sub->live) {
        print_line_row(sub, res);
        return;
    }
    if (sub->first != 2) {
        /* not a sluice subscription shape: show rows as they come */
        sub->mode = SUB_APPEND;
    } else {
        const char *op = PQgetisnull(res, 0, 1) ? "" : PQgetvalue(res, 0, 1);
        long long epoch = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        bool change = strcmp(op, "upsert") == 0 || strcmp(op, "delete") == 0;
        if (change && sub->mode != SUB_UPDATE) {
            flush_append(sub);
            if (sub->mode == SUB_COMPLETE)
                clear_table(sub);
            sub->mode = SUB_UPDATE;
        }
        if (sub->mode == SUB_COMPLETE && epoch != sub->epoch)
            clear_table(sub);
        sub->epoch = epoch;
        if (sub->mode == SUB_UPDATE || sub->mode == SUB_COMPLETE) {
            apply_change(sub, res, op);
            return;
        }
    }
    if (sub->npending == sub->cappending) {
        sub->cappending = sub->cappending ? sub->cappending * 2 : 64;
        sub->pending = sl_realloc(sub->pending, (size_t)sub->cappending * sizeof *sub->pending);
    }
    sub->pending[sub->npending++] = copy_values(res, 0, sub->ncols);
    if (sub->npending >= 1000)
        flush_append(sub);
}

static void
sub_free(Sub *sub)
{
    int ndata = sub->ncols - sub->first;
    for (int r = 0; r < sub->nrows; r++) {
        free_values(sub->rows[r].vals, ndata);
        free(sub->rows[r].key);
    }
    free(sub->rows);
    free(sub->buckets);
    for (int r = 0; r < sub->npending; r++)
        free_values(sub->pending[r], sub->ncols);
    free(sub->pending);
    free_values(sub->names, sub->ncols);
    free(sub->aligns);
    free(sub->keys);
    free(sub->widths);
    free_values(sub->desc_keys, sub->ndesc_keys);
    free(sub->view);
}

/* ---------------------------------------------------------------- the loop */

bool
sh_subscribe(Shell *sh, const char *sql)
{
    Sub sub;
    memset(&sub, 0, sizeof sub);
    sub.sh = sh;
    sub.enc = PQclientEncoding(sh->conn);
    sub.live = sh->tty_out && !sh->csv;
    if (sub.live) {
        inspect_statement(&sub, sql);
        learn_mode(&sub);
        learn_keys(&sub);
    }

    int64_t start = sl_mono_us();
    sh_cancel_arm(sh);
    if (!PQsendQuery(sh->conn, sql)) {
        sh_cancel_disarm();
        sh_print_error(sh, PQerrorMessage(sh->conn));
        sh_connection_check(sh);
        sub_free(&sub);
        return false;
    }
    PQsetSingleRowMode(sh->conn);

    bool ok = true, cancelled = false, forced = false;
    char *tag = NULL;
    int64_t cancel_seen = 0;
    PGconn *conn = sh->conn;
    for (;;) {
        if (!PQconsumeInput(conn))
            break;                      /* PQgetResult below reports the failure */
        bool done = false;
        while (!PQisBusy(conn)) {
            PGresult *res = PQgetResult(conn);
            if (!res) {
                done = true;
                break;
            }
            switch (PQresultStatus(res)) {
            case PGRES_SINGLE_TUPLE:
                if (!sub.started)
                    start_columns(&sub, res);
                handle_row(&sub, res);
                break;
            case PGRES_TUPLES_OK:
            case PGRES_COMMAND_OK:
                if (!sub.started && PQresultStatus(res) == PGRES_TUPLES_OK) {
                    start_columns(&sub, res);
                    if (!sub.live)
                        print_line_row(&sub, NULL);
                }
                free(tag);
                tag = sl_strdup(PQcmdStatus(res));
                break;
            case PGRES_FATAL_ERROR:
            case PGRES_BAD_RESPONSE:
            case PGRES_NONFATAL_ERROR: {
                const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
                flush_display(&sub);
                if (state && strcmp(state, "57014") == 0 && sh_interrupts() > 0) {
                    cancelled = true;
                } else {
                    ok = false;
                    sh_print_result(sh, res);
                }
                break;
            }
            default:
                sh_print_result(sh, res);
                break;
            }
            PQclear(res);
        }
        if (done)
            break;
        flush_display(&sub);
        if (sh_interrupts() > 0 && cancel_seen == 0)
            cancel_seen = sl_mono_us();
        if (sh_interrupts() > 1 ||
            (cancel_seen && sl_mono_us() - cancel_seen > SUB_CANCEL_GRACE_US)) {
            forced = true;
            break;
        }
        struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
        if (pfd.fd < 0)
            break;
        int rc = poll(&pfd, 1, cancel_seen ? 200 : -1);
        if (rc < 0 && errno != EINTR)
            break;
    }
    sh_cancel_disarm();

    if (forced) {
        flush_display(&sub);
        PQreset(conn);                  /* the only way to stop a server that ignores cancel */
        cancelled = true;
    } else if (PQstatus(conn) != CONNECTION_OK) {
        /* drain what libpq can still tell us about the failure */
        PGresult *res;
        while ((res = PQgetResult(conn)) != NULL) {
            if (PQresultStatus(res) == PGRES_FATAL_ERROR) {
                ok = false;
                sh_print_result(sh, res);
            }
            PQclear(res);
        }
    }
    if (sub.live && sub.started) {
        if (sub.mode == SUB_UPDATE || sub.mode == SUB_COMPLETE) {
            sub.dirty = true;
            redraw_table(&sub, cancelled ? " (stopped)" : " (ended)");
        } else {
            flush_append(&sub);
        }
    }
    if (cancelled) {
        fflush(stdout);
        fprintf(stderr, forced ? "subscription cancelled (connection reset)\n"
                               : "subscription cancelled\n");
        fflush(stderr);
    } else if (tag && ok && !sh->quiet) {
        printf("%s\n", tag);
    }
    if (sh->timing)
        sh_print_timing((double)(sl_mono_us() - start) / 1000.0);
    fflush(stdout);
    free(tag);
    sub_free(&sub);
    if (!sh_connection_check(sh))
        return false;
    return ok;
}
