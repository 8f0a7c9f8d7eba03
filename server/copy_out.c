/*
 * server/copy_out.c — the text and CSV COPY encodings of rows (see copy_out.h).
 *
 * INTERFACE (copy_out.h)
 *   copy_out_row, copy_out_header
 */
#include "server/copy_out.h"

#include <string.h>

#include "common/buf.h"

static void
put_text_field(Buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        case '\b': buf_puts(out, "\\b"); break;
        case '\f': buf_puts(out, "\\f"); break;
        case '\v': buf_puts(out, "\\v"); break;
        default: buf_putc(out, c); break;
        }
    }
}

static void
put_csv_field(Buf *out, const char *s, size_t n)
{
    bool quote = n == 0 || (n == 2 && s[0] == '\\' && s[1] == '.');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_append(out, s, n);
        return;
    }
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(out, '"');
        buf_putc(out, s[i]);
    }
    buf_putc(out, '"');
}

static void
put_field(Buf *out, CopyOutFormat f, const char *s, size_t n)
{
    if (f == COPY_OUT_CSV)
        put_csv_field(out, s, n);
    else
        put_text_field(out, s, n);
}

void
copy_out_row(Buf *out, CopyOutFormat f, int n, const Value *vals)
{
    Buf tmp;
    buf_init(&tmp);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(out, f == COPY_OUT_CSV ? ',' : '\t');
        if (vals[i].isnull) {
            if (f == COPY_OUT_TEXT)
                buf_puts(out, "\\N");
            continue;
        }
        const char *s;
        size_t len;
        if (vals[i].type == TYPE_TEXT) {
            s = vals[i].s;
            len = vals[i].len;
        } else {
            buf_clear(&tmp);
            val_format(&vals[i], &tmp);
            s = tmp.data;
            len = tmp.len;
        }
        put_field(out, f, s ? s : "", len);
    }
    buf_putc(out, '\n');
    buf_free(&tmp);
}

void
copy_out_header(Buf *out, CopyOutFormat f, int n, const char *const *names)
{
    for (int i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(out, f == COPY_OUT_CSV ? ',' : '\t');
        put_field(out, f, names[i], strlen(names[i]));
    }
    buf_putc(out, '\n');
}
