/*
 * server/copy_out.h — COPY ... TO STDOUT data encoding: one row as one line
 * of PostgreSQL's text or CSV COPY format.
 *
 * Text: columns separated by a tab, NULL as \N, and a backslash escape for
 * backslash, newline, carriage return, tab, backspace, form feed and vertical
 * tab. CSV: columns separated by a comma, NULL as an empty unquoted field; a
 * value is quoted (with '"' doubled) when it contains the delimiter, a quote,
 * a newline or a carriage return, when it is empty, or when it is "\." (so an
 * empty string and a NULL differ, as in PostgreSQL). Each line ends with '\n'.
 *
 * INTERFACE
 *   copy_out_row      append one encoded row (values in their PostgreSQL text form)
 *   copy_out_header   append a CSV header line of column names
 */
#ifndef SL_COPY_OUT_H
#define SL_COPY_OUT_H

#include "common/value.h"

struct Buf;

typedef enum CopyOutFormat { COPY_OUT_TEXT, COPY_OUT_CSV } CopyOutFormat;

/* Appends vals[0..n) as one line to out. */
void copy_out_row(struct Buf *out, CopyOutFormat f, int n, const Value *vals);

/* Appends names[0..n) as one line, quoted by the same rules as a CSV value. */
void copy_out_header(struct Buf *out, CopyOutFormat f, int n, const char *const *names);

#endif
