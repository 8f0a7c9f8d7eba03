/*
 * common/errors.c — SqlError (see errors.h).
 */
#include "common/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/util.h"

static const char *const sqlstates[] = {
#define SL_ERR_STATE(name, code) code,
    SL_ERRCODES(SL_ERR_STATE)
#undef SL_ERR_STATE
};

const char *
err_sqlstate(SqlErrCode code)
{
    if ((int)code < 0 || code >= ERR__COUNT)
        return "XX000";
    return sqlstates[code];
}

void
err_init(SqlError *e, Arena *arena)
{
    memset(e, 0, sizeof *e);
    e->arena = arena;
    e->position = -1;
}

static char *
vformat(SqlError *e, const char *fmt, va_list ap)
{
    if (e->arena)
        return arena_vsprintf(e->arena, fmt, ap);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = sl_malloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    return p;
}

static char *
dup_str(SqlError *e, const char *s)
{
    if (!s)
        return NULL;
    return e->arena ? arena_strdup(e->arena, s) : sl_strdup(s);
}

void
err_setf(SqlError *e, SqlErrCode code, int pos, const char *fmt, ...)
{
    if (!e || e->set)
        return;
    e->set = true;
    e->code = code;
    memcpy(e->sqlstate, err_sqlstate(code), 6);
    strcpy(e->severity, "ERROR");
    e->position = pos;
    va_list ap;
    va_start(ap, fmt);
    e->message = vformat(e, fmt, ap);
    va_end(ap);
}

void
err_detail(SqlError *e, const char *fmt, ...)
{
    if (!e || !e->set || e->detail)
        return;
    va_list ap;
    va_start(ap, fmt);
    e->detail = vformat(e, fmt, ap);
    va_end(ap);
}

void
err_hint(SqlError *e, const char *fmt, ...)
{
    if (!e || !e->set || e->hint)
        return;
    va_list ap;
    va_start(ap, fmt);
    e->hint = vformat(e, fmt, ap);
    va_end(ap);
}

void
err_context(SqlError *e, const char *fmt, ...)
{
    if (!e || !e->set || e->context)
        return;
    va_list ap;
    va_start(ap, fmt);
    e->context = vformat(e, fmt, ap);
    va_end(ap);
}

void
err_copy(SqlError *dst, const SqlError *src)
{
    if (!src->set || dst->set)
        return;
    dst->set = true;
    dst->code = src->code;
    memcpy(dst->sqlstate, src->sqlstate, 6);
    memcpy(dst->severity, src->severity, sizeof dst->severity);
    dst->position = src->position;
    dst->message = dup_str(dst, src->message);
    dst->detail = dup_str(dst, src->detail);
    dst->hint = dup_str(dst, src->hint);
    dst->context = dup_str(dst, src->context);
}

void
err_clear(SqlError *e)
{
    if (!e->arena) {
        free(e->message);
        free(e->detail);
        free(e->hint);
        free(e->context);
    }
    Arena *a = e->arena;
    err_init(e, a);
}
