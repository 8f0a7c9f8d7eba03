/*
 * planner/stmt.c — planning of the statements that are not queries:
 * CREATE STREAM, INSERT, COPY, SUBSCRIBE.
 *
 * INTERFACE (planner.h)
 *   plan_create_stream   columns, types, WATERMARK clause, WITH options
 *   plan_insert          VALUES rows → bound constant expressions per stream column
 *   plan_copy            COPY options and column mapping
 *   plan_subscribe       SUBSCRIBE options
 */
#include "planner/planner.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/util.h"
#include "planner/planner_int.h"

static void
binder_init(Binder *b, Arena *a, SqlError *err)
{
    memset(b, 0, sizeof *b);
    b->a = a;
    b->err = err;
    b->clause = "this context";
}

bool
plan_str_eq(Str s, const char *lit)
{
    return s.n == strlen(lit) && strncasecmp(s.p, lit, s.n) == 0;
}

/* The text of an option value: a string literal, a bare word, a number or a
 * boolean. Returns memory owned by `a`, or NULL with 22023. */
const char *
plan_option_text(Arena *a, const AstOption *o, SqlError *err)
{
    const AstExpr *v = o->value;
    if (v && v->kind == AST_LITERAL && v->lit.kind != AST_LIT_NULL && v->lit.kind != AST_LIT_TYPED)
        return bind_str(a, v->lit.text);
    if (v && v->kind == AST_COLUMN && v->column.qualifier.n == 0)
        return bind_str(a, v->column.name);
    err_setf(err, ERR_INVALID_PARAMETER_VALUE, o->pos, "invalid value for option \"%s\"",
             bind_str(a, o->key));
    return NULL;
}

int
plan_option_interval(Arena *a, const AstOption *o, int64_t *out, SqlError *err)
{
    Binder b;
    binder_init(&b, a, err);
    const char *key = bind_str(a, o->key);
    return bind_interval_value(&b, o->value, key, false, out);
}

int
plan_check_name(const Catalog *cat, Str name, bool if_not_exists, bool *exists, SqlError *err)
{
    *exists = false;
    char tmp[256];
    if (name.n == 0 || name.n >= sizeof tmp) {
        err_setf(err, ERR_INVALID_NAME, name.pos, "invalid object name");
        return -1;
    }
    memcpy(tmp, name.p, name.n);
    tmp[name.n] = '\0';
    CatObject *o = cat_lookup(cat, tmp);
    if (o) {
        if (if_not_exists) {
            *exists = true;
            return 0;
        }
        err_setf(err, ERR_DUPLICATE_TABLE, name.pos, "relation \"%s\" already exists", tmp);
        err_detail(err, "It is a %s.", cat_kind_name(o->kind));
        return -1;
    }
    return 0;
}

/* A new catalog object named `name` (checked by plan_check_name) defined by `sql`. */
CatObject *
plan_object_new(CatKind kind, Str name, const char *sql)
{
    char nbuf[256];
    memcpy(nbuf, name.p, name.n);
    nbuf[name.n] = '\0';
    CatObject *o = cat_object_new(kind, nbuf);
    o->sql = arena_strdup(o->arena, sql);
    return o;
}

CatObject *
plan_create_stream(const Catalog *cat, const AstStmt *s, const char *sql, SqlError *err)
{
    bool exists;
    if (plan_check_name(cat, s->create_stream.name, s->create_stream.if_not_exists, &exists, err) != 0)
        return NULL;
    if (exists)
        return NULL; /* IF NOT EXISTS: no error set; the caller says "skipping" */
    if (s->create_stream.as_select) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos,
                 "derived streams (CREATE STREAM ... AS SELECT) are not supported yet");
        err_hint(err, "Create a view with EMIT APPEND and SUBSCRIBE to it instead.");
        return NULL;
    }
    CatObject *o = plan_object_new(CAT_STREAM, s->create_stream.name, sql);
    Arena *a = o->arena;
    int n = s->create_stream.ncols;
    if (n == 0) {
        err_setf(err, ERR_SYNTAX_ERROR, s->pos, "a stream needs at least one column");
        goto fail;
    }
    o->ncols = n;
    o->cols = ARENA_ARRAY(a, CatColumn, n);
    for (int i = 0; i < n; i++) {
        const AstColumnDef *cd = &s->create_stream.cols[i];
        const char *cn = bind_str(a, cd->name);
        for (int j = 0; j < i; j++) {
            if (strcmp(o->cols[j].name, cn) == 0) {
                err_setf(err, ERR_DUPLICATE_COLUMN, cd->pos,
                         "column \"%s\" specified more than once", cn);
                goto fail;
            }
        }
        if (strcmp(cn, "window_start") == 0 || strcmp(cn, "window_end") == 0 ||
            strcmp(cn, "_epoch") == 0 || strcmp(cn, "_op") == 0) {
            err_setf(err, ERR_DUPLICATE_COLUMN, cd->pos,
                     "column name \"%s\" is reserved (window functions and SUBSCRIBE add it)", cn);
            goto fail;
        }
        const char *tn = bind_str(a, cd->type_name);
        SlType t = type_from_name(tn, strlen(tn));
        if (t == TYPE_UNKNOWN) {
            err_setf(err, ERR_UNDEFINED_OBJECT, cd->pos, "type \"%s\" does not exist", tn);
            err_hint(err, "sluice's types are BOOLEAN, BIGINT, DOUBLE, TEXT, TIMESTAMP and "
                          "INTERVAL.");
            goto fail;
        }
        o->cols[i].name = cn;
        o->cols[i].type = t;
        o->cols[i].not_null = cd->not_null;
    }
    if (s->create_stream.wm_column.n) {
        const char *wc = bind_str(a, s->create_stream.wm_column);
        int col = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(o->cols[i].name, wc) == 0)
                col = i;
        if (col < 0) {
            err_setf(err, ERR_UNDEFINED_COLUMN, s->create_stream.wm_column.pos,
                     "WATERMARK column \"%s\" does not exist", wc);
            goto fail;
        }
        if (o->cols[col].type != TYPE_TIMESTAMP) {
            err_setf(err, ERR_DATATYPE_MISMATCH, s->create_stream.wm_column.pos,
                     "WATERMARK column \"%s\" must be of type timestamp, not %s", wc,
                     type_name(o->cols[col].type));
            goto fail;
        }
        /* The watermark is `col` or `col - <interval constant>`: the delay is
         * what the rest of the system reasons about (lateness, closing). */
        const AstExpr *we = s->create_stream.wm_expr;
        int64_t delay = 0;
        const AstExpr *colref = we;
        if (we && we->kind == AST_BINARY && we->binary.op == AST_OP_SUB) {
            colref = we->binary.left;
            Binder b;
            binder_init(&b, a, err);
            if (bind_interval_value(&b, we->binary.right, "the watermark delay", true, &delay) != 0)
                goto fail;
        }
        if (!colref || colref->kind != AST_COLUMN ||
            strncmp(colref->column.name.p, wc, colref->column.name.n) != 0 ||
            strlen(wc) != colref->column.name.n) {
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, we ? we->pos : s->create_stream.wm_pos,
                     "WATERMARK FOR %s must be \"%s\" or \"%s - INTERVAL '...'\"", wc, wc, wc);
            goto fail;
        }
        o->wm_col = col;
        o->wm_delay_us = delay;
    }
    for (int i = 0; i < s->create_stream.with.n; i++) {
        const AstOption *opt = &s->create_stream.with.items[i];
        if (plan_str_eq(opt->key, "idle_timeout")) {
            if (plan_option_interval(a, opt, &o->idle_timeout_us, err) != 0)
                goto fail;
            if (o->wm_col < 0) {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos,
                         "idle_timeout needs a WATERMARK clause");
                goto fail;
            }
        } else if (plan_str_eq(opt->key, "retention")) {
            if (plan_option_interval(a, opt, &o->retention_us, err) != 0)
                goto fail;
        } else if (plan_str_eq(opt->key, "source")) {
            const char *v = plan_option_text(a, opt, err);
            if (!v)
                goto fail;
            if (strcasecmp(v, "none") != 0) {
                err_setf(err, ERR_FEATURE_NOT_SUPPORTED, opt->pos,
                         "stream source '%s' is not supported yet", v);
                err_hint(err, "Write events with INSERT or COPY ... FROM STDIN.");
                goto fail;
            }
        } else if (plan_str_eq(opt->key, "late")) {
            const char *v = plan_option_text(a, opt, err);
            if (!v)
                goto fail;
            if (strcasecmp(v, "drop") != 0) {
                err_setf(err, ERR_FEATURE_NOT_SUPPORTED, opt->pos,
                         "late = '%s' is not supported yet; late events are dropped and counted "
                         "(SHOW %s STATUS)", v, o->name);
                goto fail;
            }
        } else {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos, "unrecognized stream option \"%s\"",
                     bind_str(a, opt->key));
            err_hint(err, "Stream options are idle_timeout, retention, source and late.");
            goto fail;
        }
    }
    return o;
fail:
    arena_free(o->arena);
    return NULL;
}

static CatObject *
lookup_stream(const Catalog *cat, Str name, Arena *a, const char *verb, SqlError *err)
{
    const char *n = bind_str(a, name);
    CatObject *o = cat_lookup(cat, n);
    if (!o) {
        err_setf(err, ERR_UNDEFINED_TABLE, name.pos, "relation \"%s\" does not exist", n);
        return NULL;
    }
    if (o->kind != CAT_STREAM) {
        err_setf(err, ERR_WRONG_OBJECT_TYPE, name.pos, "cannot %s %s \"%s\"", verb,
                 cat_kind_name(o->kind), n);
        err_detail(err, o->kind == CAT_VIEW
                            ? "Views are maintained from their streams; write to the stream instead."
                            : "A sink delivers its view; write to the view's stream instead.");
        return NULL;
    }
    return o;
}

/* Column list of INSERT/COPY → map from position in the list to stream column. */
static int *
column_map(const CatObject *o, const Str *cols, int ncols, Arena *a, int *nout, SqlError *err)
{
    if (ncols == 0) {
        int *map = ARENA_ARRAY(a, int, o->ncols);
        for (int i = 0; i < o->ncols; i++)
            map[i] = i;
        *nout = o->ncols;
        return map;
    }
    int *map = ARENA_ARRAY(a, int, ncols);
    for (int i = 0; i < ncols; i++) {
        const char *cn = bind_str(a, cols[i]);
        map[i] = -1;
        for (int j = 0; j < o->ncols; j++)
            if (strcmp(o->cols[j].name, cn) == 0)
                map[i] = j;
        if (map[i] < 0) {
            err_setf(err, ERR_UNDEFINED_COLUMN, cols[i].pos,
                     "column \"%s\" of relation \"%s\" does not exist", cn, o->name);
            return NULL;
        }
        for (int k = 0; k < i; k++) {
            if (map[k] == map[i]) {
                err_setf(err, ERR_DUPLICATE_COLUMN, cols[i].pos,
                         "column \"%s\" specified more than once", cn);
                return NULL;
            }
        }
    }
    *nout = ncols;
    return map;
}

int
plan_insert(const Catalog *cat, const AstStmt *s, PlanParams *params, Arena *a, PlanInsert *out,
            SqlError *err)
{
    CatObject *o = lookup_stream(cat, s->insert.name, a, "insert into", err);
    if (!o)
        return -1;
    int nmap;
    int *map = column_map(o, s->insert.columns, s->insert.ncolumns, a, &nmap, err);
    if (!map)
        return -1;
    Binder b;
    binder_init(&b, a, err);
    b.params = params;
    b.clause = "VALUES";
    out->stream = o;
    out->nrows = s->insert.nrows;
    out->values = ARENA_ARRAY(a, PlanExpr *, (size_t)s->insert.nrows * (size_t)o->ncols);
    for (int r = 0; r < s->insert.nrows; r++) {
        const AstExprList *row = &s->insert.rows[r];
        PlanExpr **dst = out->values + (size_t)r * (size_t)o->ncols;
        if (row->n != nmap) {
            int32_t pos = row->n ? row->items[0]->pos : s->pos;
            if (row->n > nmap)
                err_setf(err, ERR_SYNTAX_ERROR, row->items[nmap]->pos,
                         "INSERT has more expressions than target columns");
            else
                err_setf(err, ERR_SYNTAX_ERROR, pos,
                         "INSERT has more target columns than expressions");
            err_detail(err, "Stream \"%s\" has %d column%s; row %d has %d value%s.", o->name,
                       o->ncols, o->ncols == 1 ? "" : "s", r + 1, row->n, row->n == 1 ? "" : "s");
            return -1;
        }
        for (int c = 0; c < o->ncols; c++)
            dst[c] = bind_const(a, val_null(o->cols[c].type), -1);
        for (int i = 0; i < nmap; i++) {
            int c = map[i];
            PlanExpr *p = bind_expr(&b, row->items[i]);
            if (!p)
                return -1;
            char what[300];
            snprintf(what, sizeof what, "column \"%s\"", o->cols[c].name);
            p = bind_coerce(&b, p, o->cols[c].type, what);
            if (!p)
                return -1;
            dst[c] = p;
        }
    }
    return 0;
}

int
plan_copy(const Catalog *cat, const AstStmt *s, Arena *a, PlanCopy *out, SqlError *err)
{
    CatObject *o = lookup_stream(cat, s->copy.name, a, "copy into", err);
    if (!o)
        return -1;
    memset(out, 0, sizeof *out);
    out->stream = o;
    out->col_map = column_map(o, s->copy.columns, s->copy.ncolumns, a, &out->ncols, err);
    if (!out->col_map)
        return -1;
    out->delimiter = '\t';
    out->null_str = "\\N";
    bool delim_set = false, null_set = false;
    for (int i = 0; i < s->copy.with.n; i++) {
        const AstOption *opt = &s->copy.with.items[i];
        const char *v = plan_option_text(a, opt, err);
        if (!v)
            return -1;
        if (plan_str_eq(opt->key, "format")) {
            if (strcasecmp(v, "csv") == 0)
                out->csv = true;
            else if (strcasecmp(v, "text") == 0)
                out->csv = false;
            else {
                err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos, "COPY format \"%s\" not recognized",
                         v);
                err_hint(err, "Use FORMAT text or FORMAT csv.");
                return -1;
            }
        } else if (plan_str_eq(opt->key, "header")) {
            out->header = strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
                          strcmp(v, "1") == 0 || strcasecmp(v, "header") == 0;
        } else if (plan_str_eq(opt->key, "delimiter")) {
            if (strlen(v) != 1) {
                err_setf(err, ERR_FEATURE_NOT_SUPPORTED, opt->pos,
                         "COPY delimiter must be a single one-byte character");
                return -1;
            }
            out->delimiter = v[0];
            delim_set = true;
        } else if (plan_str_eq(opt->key, "null")) {
            out->null_str = v;
            null_set = true;
        } else {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos, "option \"%s\" not recognized",
                     bind_str(a, opt->key));
            return -1;
        }
    }
    if (out->csv) {
        if (!delim_set)
            out->delimiter = ',';
        if (!null_set)
            out->null_str = "";
    }
    if (out->header && !out->csv) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->pos, "COPY HEADER available only in CSV mode");
        return -1;
    }
    return 0;
}

PlanSubscribe *
plan_subscribe(const Catalog *cat, const AstStmt *s, PlanParams *params, Arena *a,
               SqlError *err)
{
    const char *name = bind_str(a, s->subscribe.name);
    CatObject *o = cat_lookup(cat, name);
    if (!o) {
        err_setf(err, ERR_UNDEFINED_TABLE, s->subscribe.name.pos, "relation \"%s\" does not exist",
                 name);
        return NULL;
    }
    if (o->kind == CAT_SINK) {
        err_setf(err, ERR_WRONG_OBJECT_TYPE, s->subscribe.name.pos,
                 "\"%s\" is a sink; SUBSCRIBE to its view %s", name, o->source);
        return NULL;
    }
    PlanSubscribe *p = ARENA_NEW(a, PlanSubscribe);
    p->view = o->name;
    p->is_stream = o->kind == CAT_STREAM;
    p->from_epoch = -1;
    p->limit = -1;
    p->timeout_us = -1;
    const PlanView *pv = o->plan;
    if (s->subscribe.mode != AST_EMIT_DEFAULT)
        p->mode = (PlanEmitMode)s->subscribe.mode;
    else
        p->mode = pv ? pv->mode : PLAN_EMIT_APPEND;
    if (p->is_stream && p->mode != PLAN_EMIT_APPEND) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->subscribe.mode_pos,
                 "a stream can only be subscribed to in APPEND mode");
        return NULL;
    }
    if (pv && p->mode == PLAN_EMIT_APPEND && pv->aggregate && pv->window_group < 0) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->subscribe.mode_pos,
                 "EMIT APPEND is not possible for view \"%s\": its aggregate is not windowed, so "
                 "no row is ever final", o->name);
        err_hint(err, "Subscribe with EMIT UPDATE or EMIT COMPLETE.");
        return NULL;
    }
    if (pv && p->mode == PLAN_EMIT_COMPLETE && !pv->aggregate) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, s->subscribe.mode_pos,
                 "EMIT COMPLETE needs an aggregating view; \"%s\" does not aggregate", o->name);
        err_hint(err, "Subscribe with EMIT APPEND.");
        return NULL;
    }
    Binder b;
    binder_init(&b, a, err);
    b.params = params;
    b.clause = "SUBSCRIBE ... WHERE";
    b.ncols = o->ncols;
    const char **names = ARENA_ARRAY(a, const char *, o->ncols);
    SlType *types = ARENA_ARRAY(a, SlType, o->ncols);
    for (int i = 0; i < o->ncols; i++) {
        names[i] = o->cols[i].name;
        types[i] = o->cols[i].type;
    }
    b.names = names;
    b.types = types;
    b.qual = o->name;
    if (s->subscribe.where) {
        p->where = bind_expr(&b, s->subscribe.where);
        if (!p->where)
            return NULL;
        if (p->where->type != TYPE_BOOL) {
            err_setf(err, ERR_DATATYPE_MISMATCH, s->subscribe.where->pos,
                     "argument of WHERE must be type boolean, not type %s",
                     type_name(p->where->type));
            return NULL;
        }
    }
    if (s->subscribe.from_epoch) {
        if (bind_const_int(&b, s->subscribe.from_epoch, "FROM EPOCH", &p->from_epoch) != 0)
            return NULL;
        if (p->from_epoch < 1) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, s->subscribe.from_epoch->pos,
                     "FROM EPOCH must be at least 1");
            return NULL;
        }
    }
    if (s->subscribe.limit) {
        if (bind_const_int(&b, s->subscribe.limit, "LIMIT", &p->limit) != 0)
            return NULL;
        if (p->limit < 0) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, s->subscribe.limit->pos,
                     "LIMIT must not be negative");
            return NULL;
        }
    }
    for (int i = 0; i < s->subscribe.with.n; i++) {
        const AstOption *opt = &s->subscribe.with.items[i];
        if (plan_str_eq(opt->key, "timeout")) {
            if (plan_option_interval(a, opt, &p->timeout_us, err) != 0)
                return NULL;
        } else {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, opt->pos,
                     "unrecognized SUBSCRIBE option \"%s\"", bind_str(a, opt->key));
            err_hint(err, "SUBSCRIBE takes WITH (timeout = '<interval>'): end after that long "
                          "without a row.");
            return NULL;
        }
    }
    return p;
}
