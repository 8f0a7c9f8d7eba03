/*
 * shell/print.c — result output in psql's formats: aligned tables, CSV, unaligned lines.
 *
 * The aligned format reproduces psql 15's default output (border 1, ascii line style, no
 * pager, no wrapping) byte for byte: headers centred, numbers right-aligned, values with
 * newlines continued with '+', control characters shown as \r, \xNN or \uNNNN, tabs expanded
 * to 8 columns, display widths from libpq's PQdsplen for the connection's encoding.
 *
 * INTERFACE
 *   sh_type_is_numeric    right-align columns of this type OID
 *   sh_print_result       print one PGresult (table, CSV, command tag or error)
 *   sh_print_titled       print a row-returning PGresult with a centred title (\d)
 *   sh_print_error        print an error/notice text to stderr with the script prefix
 *   sh_print_timing       "Time: ..." line of \timing
 *   sh_widths_update      grow column widths to fit a header and/or a range of rows
 *   sh_render_header      header line(s) and the "---+---" separator
 *   sh_render_rows        rows of an aligned table at given widths
 *   sh_render_table       a whole table: title, header, rows, "(N rows)" footer, blank line
 *   sh_render_csv_line    one RFC 4180 CSV record, quoted like psql --csv
 *   sh_render_plain_line  one unaligned record with a separator
 *   sh_display_width      display width of a string in the connection encoding
 */
#include "shell/shell_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* One value broken into display lines (psql's pg_wcsformat). */
typedef struct Lines {
    Buf text;               /* lines, each terminated by '\0' */
    int n;
    int cap;
    size_t *off;            /* start of each line in text */
    int *width;             /* display width of each line */
    int max;                /* widest line */
} Lines;

static void
lines_init(Lines *ln)
{
    memset(ln, 0, sizeof *ln);
    buf_init(&ln->text);
}

static void
lines_free(Lines *ln)
{
    buf_free(&ln->text);
    free(ln->off);
    free(ln->width);
}

static void
lines_start(Lines *ln)
{
    if (ln->n == ln->cap) {
        ln->cap = ln->cap ? ln->cap * 2 : 4;
        ln->off = sl_realloc(ln->off, (size_t)ln->cap * sizeof *ln->off);
        ln->width = sl_realloc(ln->width, (size_t)ln->cap * sizeof *ln->width);
    }
    ln->off[ln->n] = ln->text.len;
    ln->width[ln->n] = 0;
    ln->n++;
}

static unsigned
utf8_code(const unsigned char *p, int len)
{
    if (len == 2)
        return ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
    if (len == 3)
        return ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
    if (len == 4)
        return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) |
               (p[3] & 0x3fu);
    return p[0];
}

static void
format_value(Lines *ln, const char *s, int enc)
{
    buf_clear(&ln->text);
    ln->n = 0;
    ln->max = 0;
    lines_start(ln);
    size_t len = strlen(s);
    int w = 0;
    while (len > 0) {
        int chlen = PQmblen(s, enc);
        if (chlen < 1)
            chlen = 1;
        if (len < (size_t)chlen)
            break;                  /* truncated multibyte character, as psql */
        int dw = PQdsplen(s, enc);
        if (chlen == 1) {
            if (*s == '\n') {
                ln->width[ln->n - 1] = w;
                buf_putc(&ln->text, '\0');
                lines_start(ln);
                w = 0;
            } else if (*s == '\r') {
                buf_puts(&ln->text, "\\r");
                w += 2;
            } else if (*s == '\t') {
                do {
                    buf_putc(&ln->text, ' ');
                    w++;
                } while (w % 8 != 0);
            } else if (dw < 0) {
                buf_printf(&ln->text, "\\x%02X", (unsigned char)*s);
                w += 4;
            } else {
                buf_putc(&ln->text, *s);
                w += dw;
            }
        } else if (dw < 0) {
            /* only UTF-8 (libpq encoding id 6, PG_UTF8) marks multibyte control characters */
            if (enc == 6)
                buf_printf(&ln->text, "\\u%04X", utf8_code((const unsigned char *)s, chlen));
            else
                buf_puts(&ln->text, "\\u????");
            w += 6;
        } else {
            buf_append(&ln->text, s, (size_t)chlen);
            w += dw;
        }
        s += chlen;
        len -= (size_t)chlen;
    }
    ln->width[ln->n - 1] = w;
    buf_putc(&ln->text, '\0');
    for (int i = 0; i < ln->n; i++)
        ln->max = SL_MAX(ln->max, ln->width[i]);
}

static const char *
line_at(const Lines *ln, int i)
{
    return ln->text.data + ln->off[i];
}

static void
pad(Buf *out, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(out, ' ');
}

int
sh_display_width(const char *s, size_t len, int enc)
{
    int w = 0;
    while (len > 0) {
        int chlen = PQmblen(s, enc);
        if (chlen < 1)
            chlen = 1;
        if (len < (size_t)chlen)
            break;
        int dw = PQdsplen(s, enc);
        if (dw > 0)
            w += dw;
        s += chlen;
        len -= (size_t)chlen;
    }
    return w;
}

bool
sh_type_is_numeric(Oid type)
{
    /* psql's list: int8 int2 int4 float4 float8 numeric oid xid cid money */
    switch (type) {
    case 20: case 21: case 23: case 700: case 701: case 1700:
    case 26: case 28: case 29: case 790:
        return true;
    default:
        return false;
    }
}

static const char *
cell(const ShTable *t, int row, int col)
{
    const char *v = t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
    return v ? v : "";
}

void
sh_widths_update(const ShTable *t, int enc, int *widths, int first_row, int nrows,
                 bool with_header)
{
    Lines ln;
    lines_init(&ln);
    for (int c = 0; c < t->ncols; c++) {
        if (with_header) {
            format_value(&ln, t->headers[c], enc);
            widths[c] = SL_MAX(widths[c], ln.max);
        }
        for (int r = first_row; r < first_row + nrows; r++) {
            format_value(&ln, cell(t, r, c), enc);
            widths[c] = SL_MAX(widths[c], ln.max);
        }
    }
    lines_free(&ln);
}

void
sh_render_header(Buf *out, const ShTable *t, int enc, const int *widths)
{
    int n = t->ncols;
    Lines *hl = sl_calloc((size_t)(n ? n : 1), sizeof *hl);
    int height = 0;
    for (int c = 0; c < n; c++) {
        lines_init(&hl[c]);
        format_value(&hl[c], t->headers[c], enc);
        height = SL_MAX(height, hl[c].n);
    }
    for (int l = 0; l < height; l++) {
        for (int c = 0; c < n; c++) {
            buf_putc(out, ' ');
            bool more = false;
            if (l < hl[c].n) {
                int space = widths[c] - hl[c].width[l];
                pad(out, space / 2);
                buf_puts(out, line_at(&hl[c], l));
                pad(out, (space + 1) / 2);
                more = l + 1 < hl[c].n;
            } else {
                pad(out, widths[c]);
            }
            buf_putc(out, more ? '+' : ' ');
            if (c < n - 1)
                buf_putc(out, '|');
        }
        buf_putc(out, '\n');
    }
    buf_putc(out, '-');
    for (int c = 0; c < n; c++) {
        for (int i = 0; i < widths[c]; i++)
            buf_putc(out, '-');
        if (c < n - 1)
            buf_puts(out, "-+-");
    }
    buf_puts(out, "-\n");
    for (int c = 0; c < n; c++)
        lines_free(&hl[c]);
    free(hl);
}

void
sh_render_rows(Buf *out, const ShTable *t, int enc, const int *widths, int first_row, int nrows)
{
    int n = t->ncols;
    if (n == 0)
        return;                     /* psql prints no row lines for zero columns */
    Lines *cl = sl_calloc((size_t)n, sizeof *cl);
    for (int c = 0; c < n; c++)
        lines_init(&cl[c]);

    for (int r = first_row; r < first_row + nrows; r++) {
        int height = 0;
        for (int c = 0; c < n; c++) {
            format_value(&cl[c], cell(t, r, c), enc);
            height = SL_MAX(height, cl[c].n);
        }
        for (int l = 0; l < height; l++) {
            for (int c = 0; c < n; c++) {
                bool last = c == n - 1;
                bool right = t->aligns[c] == 'r';
                /* a continued value is marked '+' at the end of its previous line */
                buf_putc(out, ' ');
                if (l >= cl[c].n) {
                    if (!last)
                        pad(out, widths[c]);
                } else {
                    const char *text = line_at(&cl[c], l);
                    int w = SL_MIN(cl[c].width[l], widths[c]);
                    bool more = l + 1 < cl[c].n;
                    if (right) {
                        pad(out, widths[c] - w);
                        buf_puts(out, text);
                    } else {
                        buf_puts(out, text);
                        if (!last || more)
                            pad(out, widths[c] - w);
                    }
                    if (more) {
                        buf_putc(out, '+');
                        if (!last)
                            buf_putc(out, '|');
                        continue;
                    }
                }
                if (!last)
                    buf_puts(out, " |");
            }
            buf_putc(out, '\n');
        }
    }
    for (int c = 0; c < n; c++)
        lines_free(&cl[c]);
    free(cl);
}

void
sh_render_table(Buf *out, const ShTable *t, int enc)
{
    int *widths = sl_calloc((size_t)(t->ncols ? t->ncols : 1), sizeof *widths);
    sh_widths_update(t, enc, widths, 0, t->nrows, true);
    if (t->title) {
        int total = t->ncols > 0 ? t->ncols * 3 - 1 : 0;
        for (int c = 0; c < t->ncols; c++)
            total += widths[c];
        int tw = sh_display_width(t->title, strlen(t->title), enc);
        if (tw < total)
            pad(out, (total - tw) / 2);
        buf_printf(out, "%s\n", t->title);
    }
    sh_render_header(out, t, enc, widths);
    sh_render_rows(out, t, enc, widths, 0, t->nrows);
    buf_printf(out, t->nrows == 1 ? "(%d row)\n\n" : "(%d rows)\n\n", t->nrows);
    free(widths);
}

void
sh_render_csv_line(Buf *out, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        const char *f = fields[i] ? fields[i] : "";
        if (i > 0)
            buf_putc(out, ',');
        /* psql also quotes "\." so that the output can never end a COPY */
        if (strpbrk(f, ",\"\r\n") || strcmp(f, "\\.") == 0) {
            buf_putc(out, '"');
            for (const char *p = f; *p; p++) {
                if (*p == '"')
                    buf_putc(out, '"');
                buf_putc(out, *p);
            }
            buf_putc(out, '"');
        } else {
            buf_puts(out, f);
        }
    }
    buf_putc(out, '\n');
}

void
sh_render_plain_line(Buf *out, const char *const *fields, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i > 0)
            buf_puts(out, sep);
        buf_puts(out, fields[i] ? fields[i] : "");
    }
    buf_putc(out, '\n');
}

static void
print_tuples(Shell *sh, PGresult *res, const char *title)
{
    int ncols = PQnfields(res);
    int nrows = PQntuples(res);
    const char **headers = sl_calloc((size_t)ncols + 1, sizeof *headers);
    char *aligns = sl_calloc((size_t)ncols + 1, 1);
    const char **cells = sl_calloc((size_t)ncols * (size_t)nrows + 1, sizeof *cells);
    for (int c = 0; c < ncols; c++) {
        headers[c] = PQfname(res, c);
        aligns[c] = sh_type_is_numeric(PQftype(res, c)) ? 'r' : 'l';
    }
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            cells[(size_t)r * (size_t)ncols + (size_t)c] =
                PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
        }
    }
    ShTable t = {ncols, nrows, headers, aligns, cells, title};
    Buf out;
    buf_init(&out);
    if (sh->csv) {
        sh_render_csv_line(&out, headers, ncols);
        for (int r = 0; ncols > 0 && r < nrows; r++)
            sh_render_csv_line(&out, cells + (size_t)r * (size_t)ncols, ncols);
    } else {
        sh_render_table(&out, &t, PQclientEncoding(sh->conn));
    }
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    free(headers);
    free(aligns);
    free(cells);
}

void
sh_print_error(Shell *sh, const char *msg)
{
    fflush(stdout);
    if (sh->src_name)
        fprintf(stderr, "sluice:%s:%d: ", sh->src_name, sh->src_line);
    size_t n = strlen(msg);
    fputs(msg, stderr);
    if (n == 0 || msg[n - 1] != '\n')
        fputc('\n', stderr);
    fflush(stderr);
}

void
sh_print_result(Shell *sh, PGresult *res)
{
    const char *tag;
    switch (PQresultStatus(res)) {
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
        print_tuples(sh, res, NULL);
        /* like psql, DML with RETURNING also shows its tag */
        tag = PQcmdStatus(res);
        if (!sh->quiet && (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
                           strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0))
            printf("%s\n", tag);
        break;
    case PGRES_COMMAND_OK:
        if (!sh->quiet)
            printf("%s\n", PQcmdStatus(res));
        break;
    case PGRES_EMPTY_QUERY:
        break;
    case PGRES_BAD_RESPONSE:
    case PGRES_NONFATAL_ERROR:
    case PGRES_FATAL_ERROR: {
        const char *msg = PQresultErrorMessage(res);
        if (!msg || !*msg)
            msg = PQerrorMessage(sh->conn);
        sh_print_error(sh, msg && *msg ? msg : "ERROR:  unknown error\n");
        break;
    }
    default:
        break;
    }
    fflush(stdout);
}

void
sh_print_timing(double ms)
{
    if (ms < 1000.0) {
        printf("Time: %.3f ms\n", ms);
        return;
    }
    double secs = ms / 1000.0;
    long mins = (long)(secs / 60.0);
    secs -= 60.0 * (double)mins;
    if (mins < 60) {
        printf("Time: %.3f ms (%02ld:%06.3f)\n", ms, mins, secs);
        return;
    }
    long hours = mins / 60;
    mins %= 60;
    if (hours < 24) {
        printf("Time: %.3f ms (%02ld:%02ld:%06.3f)\n", ms, hours, mins, secs);
        return;
    }
    printf("Time: %.3f ms (%ld d %02ld:%02ld:%06.3f)\n", ms, hours / 24, hours % 24, mins,
           secs);
}

void
sh_print_titled(Shell *sh, PGresult *res, const char *title)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        sh_print_result(sh, res);
        return;
    }
    print_tuples(sh, res, sh->csv ? NULL : title);
    fflush(stdout);
}
