/*
 * planner/sink.c — planning of CREATE SINK: which view, which target, which
 * mode and key, and the sink's options (DESIGN §1.2, §4).
 *
 * INTERFACE (planner.h)
 *   plan_create_sink   CREATE SINK → a new CatObject (kind CAT_SINK) with its PlanSink
 *
 * Which modes a sink can ask of a view follows from what the view's
 * changelog holds, since a sink resumes from it after a restart:
 *   APPEND    final rows: the view emits APPEND, or does not aggregate;
 *   UPDATE    upserts and deletes (a view in UPDATE mode), or final rows (an
 *             APPEND view: each final row is upserted); needs a key;
 *   COMPLETE  the whole result table per epoch, taken from the view itself:
 *             any aggregating view.
 * The key defaults to the view's GROUP BY columns. Under UPDATE it must be
 * made of them, because the view's delete rows carry only those.
 */
#include "planner/planner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "planner/planner_int.h"

#define SINK_DEFAULT_BATCH_ROWS 10000
#define SINK_DEFAULT_BACKLOG ((int64_t)256 << 20)
#define SINK_DEFAULT_RETRY_MAX (10 * SL_US_PER_SEC)

/* "256MB", "64 kB", "1GB" or a plain number of bytes (PostgreSQL's units). */
static int
parse_bytes(const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    double mul = 1;
    if (*end == '\0' || strcasecmp(end, "b") == 0)
        mul = 1;
    else if (strcasecmp(end, "kb") == 0)
        mul = 1024.0;
    else if (strcasecmp(end, "mb") == 0)
        mul = 1024.0 * 1024;
    else if (strcasecmp(end, "gb") == 0)
        mul = 1024.0 * 1024 * 1024;
    else
        return -1;
    v *= mul;
    if (v > 1e15)
        return -1;
    *out = (int64_t)v;
    return 0;
}

static int
view_column(const PlanView *pv, const char *name)
{
    for (int i = 0; i < pv->ncols; i++)
        if (strcmp(pv->names[i], name) == 0)
            return i;
    return -1;
}

/* The GROUP BY columns of the output as the default key; false when some
 * GROUP BY expression is not an output column (the columns are then no key). */
static bool
default_key(Arena *a, const PlanView *pv, PlanSink *ps)
{
    int n = 0;
    for (int i = 0; i < pv->ncols; i++)
        n += pv->is_key[i];
    if (!pv->aggregate || n == 0 || n < pv->ngroups)
        return false;
    ps->key = ARENA_ARRAY(a, int, n);
    for (int i = 0; i < pv->ncols; i++)
        if (pv->is_key[i])
            ps->key[ps->nkey++] = i;
    return true;
}

static int
plan_key(Arena *a, const AstStmt *s, const PlanView *pv, PlanSink *ps, SqlError *err)
{
    int n = s->create_sink.nkey;
    if (n == 0) {
        bool ok = default_key(a, pv, ps);
        if (ps->mode == PLAN_EMIT_UPDATE && !ok) {
            err_setf(err, ERR_INVALID_COLUMN_REFERENCE, s->pos,
                     pv->aggregate ? "an UPDATE sink needs a key, and view \"%s\" does not output "
                                     "every GROUP BY column"
                                   : "an UPDATE sink of view \"%s\" needs KEY (...): the view "
                                     "does not aggregate, so it has no GROUP BY key",
                     pv->name);
            err_hint(err, pv->aggregate && pv->ngroups == 0
                              ? "A view without GROUP BY has one row: use EMIT COMPLETE."
                              : "Name the columns that identify a row: KEY (a, b).");
            return -1;
        }
        return 0;
    }
    ps->key = ARENA_ARRAY(a, int, n);
    for (int i = 0; i < n; i++) {
        Str k = s->create_sink.key[i];
        const char *name = bind_str(a, k);
        int c = view_column(pv, name);
        if (c < 0) {
            err_setf(err, ERR_UNDEFINED_COLUMN, k.pos, "column \"%s\" of KEY is not a column of "
                     "view \"%s\"", name, pv->name);
            return -1;
        }
        for (int j = 0; j < i; j++) {
            if (ps->key[j] == c) {
                err_setf(err, ERR_DUPLICATE_COLUMN, k.pos, "column \"%s\" appears twice in KEY",
                         name);
                return -1;
            }
        }
        if (ps->mode == PLAN_EMIT_UPDATE && pv->aggregate && pv->mode == PLAN_EMIT_UPDATE &&
            !pv->is_key[c]) {
            err_setf(err, ERR_INVALID_COLUMN_REFERENCE, k.pos,
                     "KEY column \"%s\" is not a GROUP BY column of view \"%s\"", name, pv->name);
            err_detail(err, "The view's deletes identify rows by their GROUP BY columns only.");
            return -1;
        }
        ps->key[i] = c;
    }
    ps->nkey = n;
    return 0;
}

static int
plan_mode(const AstStmt *s, const PlanView *pv, PlanSink *ps, SqlError *err)
{
    switch (s->create_sink.mode) {
    case AST_EMIT_APPEND: ps->mode = PLAN_EMIT_APPEND; break;
    case AST_EMIT_UPDATE: ps->mode = PLAN_EMIT_UPDATE; break;
    case AST_EMIT_COMPLETE: ps->mode = PLAN_EMIT_COMPLETE; break;
    default: ps->mode = pv->mode; break;
    }
    int pos = s->create_sink.mode_pos >= 0 ? s->create_sink.mode_pos : s->pos;
    const char *vm = plan_mode_name(pv->mode);
    if (ps->mode == PLAN_EMIT_APPEND && pv->aggregate && pv->mode != PLAN_EMIT_APPEND) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, pos,
                 "an APPEND sink needs final rows, and view \"%s\" emits %s", pv->name, vm);
        err_hint(err, "Use EMIT %s for the sink, or define the view with EMIT APPEND.", vm);
        return -1;
    }
    if (ps->mode == PLAN_EMIT_UPDATE && pv->mode == PLAN_EMIT_COMPLETE) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, pos,
                 "an UPDATE sink needs the changes of view \"%s\", which emits COMPLETE", pv->name);
        err_hint(err, "Use EMIT COMPLETE for the sink.");
        return -1;
    }
    if (ps->mode == PLAN_EMIT_COMPLETE && !pv->aggregate) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, pos,
                 "EMIT COMPLETE needs an aggregating view; view \"%s\" does not aggregate",
                 pv->name);
        err_hint(err, "Use EMIT APPEND.");
        return -1;
    }
    return 0;
}

static int
plan_target(Arena *a, const AstStmt *s, PlanSink *ps, SqlError *err)
{
    Str c = s->create_sink.connector;
    if (!plan_str_eq(c, "postgres") && !plan_str_eq(c, "postgresql")) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, c.pos, "sink connector \"%s\" is not supported",
                 bind_str(a, c));
        err_hint(err, "INTO POSTGRES (conninfo '...', table '...') is the one there is.");
        return -1;
    }
    for (int i = 0; i < s->create_sink.target.n; i++) {
        const AstOption *o = &s->create_sink.target.items[i];
        const char **dst = plan_str_eq(o->key, "conninfo") ? &ps->conninfo
                         : plan_str_eq(o->key, "table")    ? &ps->table
                                                            : NULL;
        if (!dst) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos,
                     "unknown POSTGRES option \"%s\"", bind_str(a, o->key));
            err_hint(err, "The options are conninfo and table.");
            return -1;
        }
        if (*dst) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos, "option \"%s\" given twice",
                     bind_str(a, o->key));
            return -1;
        }
        if (!(*dst = plan_option_text(a, o, err)))
            return -1;
    }
    if (!ps->conninfo || !ps->table) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, c.pos, "INTO POSTGRES needs %s",
                 !ps->conninfo ? "conninfo '...'" : "table '...'");
        return -1;
    }
    if (!*ps->table || strlen(ps->table) > 200) {
        err_setf(err, ERR_INVALID_NAME, c.pos, "invalid target table name");
        return -1;
    }
    return 0;
}

static int
plan_options(Arena *a, const AstStmt *s, PlanSink *ps, SqlError *err)
{
    ps->batch_rows = SINK_DEFAULT_BATCH_ROWS;
    ps->backlog_bytes = SINK_DEFAULT_BACKLOG;
    ps->retry_max_us = SINK_DEFAULT_RETRY_MAX;
    for (int i = 0; i < s->create_sink.with.n; i++) {
        const AstOption *o = &s->create_sink.with.items[i];
        if (plan_str_eq(o->key, "retry_max")) {
            if (plan_option_interval(a, o, &ps->retry_max_us, err) != 0)
                return -1;
            continue;
        }
        const char *v = plan_option_text(a, o, err);
        if (!v)
            return -1;
        if (plan_str_eq(o->key, "create_table")) {
            if (strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0)
                ps->create_table = true;
            else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0)
                ps->create_table = false;
            else
                goto bad;
        } else if (plan_str_eq(o->key, "batch_rows")) {
            char *end;
            long long n = strtoll(v, &end, 10);
            if (*end || n < 1 || n > 1000000)
                goto bad;
            ps->batch_rows = n;
        } else if (plan_str_eq(o->key, "backlog_limit")) {
            if (parse_bytes(v, &ps->backlog_bytes) != 0 || ps->backlog_bytes < (1 << 20))
                goto bad;
        } else {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos, "unknown sink option \"%s\"",
                     bind_str(a, o->key));
            err_hint(err, "The options are create_table, batch_rows, backlog_limit and "
                          "retry_max.");
            return -1;
        }
        continue;
    bad:
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos, "invalid value for option \"%s\": "
                 "\"%s\"", bind_str(a, o->key), v);
        err_hint(err, "create_table is a boolean, batch_rows 1..1000000, backlog_limit a size "
                      "of at least 1MB ('256MB'), retry_max an interval.");
        return -1;
    }
    return 0;
}

CatObject *
plan_create_sink(const Catalog *cat, const AstStmt *s, const char *sql, SqlError *err)
{
    bool exists;
    if (plan_check_name(cat, s->create_sink.name, s->create_sink.if_not_exists, &exists, err) !=
        0)
        return NULL;
    if (exists)
        return NULL;
    CatObject *o = plan_object_new(CAT_SINK, s->create_sink.name, sql);
    Arena *a = o->arena;
    const char *vname = bind_str(a, s->create_sink.view);
    CatObject *v = cat_lookup(cat, vname);
    if (!v) {
        err_setf(err, ERR_UNDEFINED_TABLE, s->create_sink.view.pos, "view \"%s\" does not exist",
                 vname);
        goto fail;
    }
    if (v->kind != CAT_VIEW) {
        err_setf(err, ERR_WRONG_OBJECT_TYPE, s->create_sink.view.pos,
                 "\"%s\" is a %s: a sink delivers a view", vname, cat_kind_name(v->kind));
        if (v->kind == CAT_STREAM)
            err_hint(err, "CREATE VIEW v AS SELECT * FROM %s, then a sink from v.", vname);
        goto fail;
    }
    const PlanView *pv = v->plan;
    PlanSink *ps = ARENA_NEW(a, PlanSink);
    o->sink = ps;
    o->source = arena_strdup(a, v->name);
    ps->view = o->source;
    if (plan_target(a, s, ps, err) != 0 || plan_mode(s, pv, ps, err) != 0 ||
        plan_key(a, s, pv, ps, err) != 0 || plan_options(a, s, ps, err) != 0)
        goto fail;
    o->ncols = pv->ncols;
    o->cols = ARENA_ARRAY(a, CatColumn, pv->ncols);
    for (int i = 0; i < pv->ncols; i++) {
        o->cols[i].name = arena_strdup(a, pv->names[i]);
        o->cols[i].type = pv->types[i];
    }
    return o;
fail:
    arena_free(o->arena);
    return NULL;
}
