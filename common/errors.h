/*
 * common/errors.h — SqlError: a user-facing error with SQLSTATE, message,
 * optional detail/hint and statement position. The first error wins.
 *
 * INTERFACE
 *   err_init        clear an error (owner of the strings: the given arena, or malloc when NULL)
 *   err_setf        set code, byte position (-1 = none) and message, unless already set
 *   err_detail / err_hint / err_context   add detail / hint / context to the error already set
 *   err_is_set      whether an error was recorded
 *   err_sqlstate    the five-character code of an SqlErrCode
 *   err_clear       forget the error (frees malloc'ed strings)
 */
#ifndef SL_ERRORS_H
#define SL_ERRORS_H

#include <stdbool.h>

#include "common/errcodes.h"

struct Arena;

typedef struct SqlError {
    bool set;
    SqlErrCode code;
    char sqlstate[6];
    char severity[8];  /* "ERROR", "FATAL" */
    char *message;
    char *detail;
    char *hint;
    char *context;     /* where it happened: "COPY s, line 3, column x: ..." */
    int position;      /* 0-based byte offset into the statement text, -1 = none */
    struct Arena *arena; /* where the strings live; NULL = malloc */
} SqlError;

void err_init(SqlError *e, struct Arena *arena);
void err_setf(SqlError *e, SqlErrCode code, int pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void err_detail(SqlError *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_hint(SqlError *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_context(SqlError *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_copy(SqlError *dst, const SqlError *src);
static inline bool err_is_set(const SqlError *e) { return e->set; }
const char *err_sqlstate(SqlErrCode code);
void err_clear(SqlError *e);

#endif
