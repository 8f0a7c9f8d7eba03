/*
 * server/copy_in.h — COPY ... FROM STDIN data decoding: text and CSV
 * formats (PostgreSQL's rules) into typed rows for a stream.
 *
 * Records may be split anywhere across CopyData messages. Parsed rows are
 * buffered (row-major, stream column order, columns not in the COPY list
 * NULL) until the caller takes them; TEXT values live in the CopyIn's arena
 * until copy_in_clear_rows.
 *
 * INTERFACE
 *   copy_in_new          decoder for one COPY (borrows pc and its stream; caller keeps them)
 *   copy_in_free
 *   copy_in_data         consume bytes; complete records become rows; -1 + err on bad data
 *                        (22P02/22P04/22007/22003 with a DETAIL naming line and column)
 *   copy_in_finish       end of data: the last record without a newline, "\." handling
 *   copy_in_rows         the buffered rows and their count
 *   copy_in_buffered_bytes  memory held by buffered rows (to bound a huge COPY)
 *   copy_in_clear_rows   drop the buffered rows after they were ingested
 *   copy_in_lines        records seen so far (including a header)
 */
#ifndef SL_COPY_IN_H
#define SL_COPY_IN_H

#include <stddef.h>
#include <stdint.h>

#include "common/value.h"

struct PlanCopy;
struct SqlError;

typedef struct CopyIn CopyIn;

CopyIn *copy_in_new(const struct PlanCopy *pc);
void copy_in_free(CopyIn *ci);
int copy_in_data(CopyIn *ci, const char *data, size_t n, struct SqlError *err);
int copy_in_finish(CopyIn *ci, struct SqlError *err);
const Value *copy_in_rows(const CopyIn *ci, int *nrows);
size_t copy_in_buffered_bytes(const CopyIn *ci);
void copy_in_clear_rows(CopyIn *ci);
int64_t copy_in_lines(const CopyIn *ci);

#endif
