/*
 * server/pgcatalog_arrays.c — PostgreSQL arrays in the catalog emulation
 * (see pgcatalog.h): arrays are PostgreSQL text literals ('{a,"b c",NULL}')
 * throughout, parsed and built here; ARRAY[...], array_agg, string_agg,
 * array_to_string, x op ANY/ALL(array), x[i], array_upper, casts to array
 * types; unnest(array) and generate_series(a, b [, step]) as table-valued
 * functions (eponymous virtual tables); set-returning functions in a select
 * list are refused.
 *
 * INTERFACE (pgcatalog_int.h)
 *   pgcat_array_parse / pgcat_array_free, pgcat_register_array_functions
 */
#include "server/pgcatalog_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/util.h"

/* ------------------------------------------------------------------ arrays */

/* Splits a PostgreSQL array literal '{a,"b c",NULL}' (one dimension) into
 * elements. Returns the count, or -1 if s is not an array literal. elems
 * and isnull are malloc'ed arrays of malloc'ed strings. */
int
pgcat_array_parse(const char *s, char ***elems, bool **isnull)
{
    *elems = NULL;
    *isnull = NULL;
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '[') { /* dimension decoration [1:3]={...} */
        const char *eq = strchr(s, '=');
        if (!eq)
            return -1;
        s = eq + 1;
    }
    if (*s != '{')
        return -1;
    s++;
    int n = 0, cap = 0;
    char **el = NULL;
    bool *nul = NULL;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '}')
            break;
        if (!*s)
            goto bad;
        Buf b;
        buf_init(&b);
        bool quoted = false;
        if (*s == '"') {
            quoted = true;
            s++;
            while (*s && *s != '"') {
                if (*s == '\\' && s[1])
                    s++;
                buf_putc(&b, *s++);
            }
            if (*s != '"') {
                buf_free(&b);
                goto bad;
            }
            s++;
        } else {
            while (*s && *s != ',' && *s != '}') {
                if (*s == '\\' && s[1])
                    s++;
                buf_putc(&b, *s++);
            }
            while (b.len > 0 && isspace((unsigned char)b.data[b.len - 1]))
                b.len--;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            el = sl_realloc(el, sizeof(char *) * (size_t)cap);
            nul = sl_realloc(nul, sizeof(bool) * (size_t)cap);
        }
        el[n] = sl_strndup(b.data ? b.data : "", b.len);
        nul[n] = !quoted && b.len == 4 && strncasecmp(b.data, "null", 4) == 0;
        n++;
        buf_free(&b);
        while (isspace((unsigned char)*s))
            s++;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '}')
            break;
        goto bad;
    }
    *elems = el;
    *isnull = nul;
    return n;
bad:
    for (int i = 0; i < n; i++)
        free(el[i]);
    free(el);
    free(nul);
    return -1;
}

void
pgcat_array_free(char **elems, bool *isnull, int n)
{
    for (int i = 0; i < n; i++)
        free(elems[i]);
    free(elems);
    free(isnull);
}

/* Appends one element in array-literal form (quoted when needed). */
static void
array_put_elem(Buf *b, const char *s, bool null)
{
    if (null) {
        buf_puts(b, "NULL");
        return;
    }
    bool quote = *s == 0 || strcasecmp(s, "null") == 0;
    for (const char *p = s; *p && !quote; p++)
        if (strchr("{},\"\\", *p) || isspace((unsigned char)*p))
            quote = true;
    if (!quote) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

static void
fn_pg_array(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    Buf b;
    buf_init(&b);
    buf_putc(&b, '{');
    for (int i = 0; i < argc; i++) {
        if (i)
            buf_putc(&b, ',');
        bool null = sqlite3_value_type(argv[i]) == SQLITE_NULL;
        array_put_elem(&b, null ? "" : pgc_text(argv[i]), null);
    }
    buf_putc(&b, '}');
    pgc_result_buf(ctx, &b);
}

typedef struct AggBuf {
    Buf b;
    bool started;
} AggBuf;

static void
agg_array_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    AggBuf *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a)
        return;
    if (!a->started) {
        buf_init(&a->b);
        buf_putc(&a->b, '{');
        a->started = true;
    } else {
        buf_putc(&a->b, ',');
    }
    bool null = sqlite3_value_type(argv[0]) == SQLITE_NULL;
    array_put_elem(&a->b, null ? "" : pgc_text(argv[0]), null);
}

static void
agg_array_final(sqlite3_context *ctx)
{
    AggBuf *a = sqlite3_aggregate_context(ctx, 0);
    if (!a || !a->started) {
        sqlite3_result_null(ctx);
        return;
    }
    buf_putc(&a->b, '}');
    pgc_result_buf(ctx, &a->b);
}

static void
agg_string_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    AggBuf *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a)
        return;
    if (!a->started) {
        buf_init(&a->b);
        a->started = true;
    } else if (sqlite3_value_type(argv[1]) != SQLITE_NULL) {
        buf_puts(&a->b, pgc_text(argv[1]));
    }
    buf_puts(&a->b, pgc_text(argv[0]));
}

static void
agg_string_final(sqlite3_context *ctx)
{
    AggBuf *a = sqlite3_aggregate_context(ctx, 0);
    if (!a || !a->started) {
        sqlite3_result_null(ctx);
        return;
    }
    pgc_result_buf(ctx, &a->b);
}

static void
fn_array_to_string(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char **el;
    bool *nul;
    int n = pgcat_array_parse(pgc_text(argv[0]), &el, &nul);
    if (n < 0) {
        sqlite3_result_error(ctx, "malformed array literal", -1);
        return;
    }
    const char *delim = pgc_text(argv[1]);
    const char *nullstr =
        argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL ? pgc_text(argv[2]) : NULL;
    Buf b;
    buf_init(&b);
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (nul[i] && !nullstr)
            continue;
        if (!first)
            buf_puts(&b, delim);
        first = false;
        buf_puts(&b, nul[i] ? nullstr : el[i]);
    }
    pgcat_array_free(el, nul, n);
    pgc_result_buf(ctx, &b);
}

/* x op elem, with numeric comparison when x is a number. */
static int
cmp_elem(sqlite3_value *x, const char *e)
{
    int t = sqlite3_value_type(x);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        char *end;
        double d = strtod(e, &end);
        double v = sqlite3_value_double(x);
        if (end != e)
            return v < d ? -1 : v > d;
    }
    return strcmp(pgc_text(x), e);
}

static bool
op_holds(const char *op, int c)
{
    if (!strcmp(op, "="))
        return c == 0;
    if (!strcmp(op, "<>") || !strcmp(op, "!="))
        return c != 0;
    if (!strcmp(op, "<"))
        return c < 0;
    if (!strcmp(op, "<="))
        return c <= 0;
    if (!strcmp(op, ">"))
        return c > 0;
    if (!strcmp(op, ">="))
        return c >= 0;
    return false;
}

static void
any_all(sqlite3_context *ctx, sqlite3_value **argv, bool all)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *op = pgc_text(argv[1]);
    if (!op_holds(op, 0) && !op_holds(op, 1) && !op_holds(op, -1)) {
        sqlite3_result_error(ctx, "operator is not supported with ANY/ALL", -1);
        return;
    }
    char **el;
    bool *nul;
    int n = pgcat_array_parse(pgc_text(argv[2]), &el, &nul);
    if (n < 0) {
        sqlite3_result_error(ctx, "malformed array literal", -1);
        return;
    }
    bool saw_null = false, result = all;
    for (int i = 0; i < n; i++) {
        if (nul[i]) {
            saw_null = true;
            continue;
        }
        bool h = op_holds(op, cmp_elem(argv[0], el[i]));
        if (!all && h) {
            result = true;
            break;
        }
        if (all && !h) {
            result = false;
            break;
        }
    }
    pgcat_array_free(el, nul, n);
    if (result == all && saw_null)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int(ctx, result);
}

static void
fn_pg_any(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    any_all(ctx, argv, false);
}

static void
fn_pg_all(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    any_all(ctx, argv, true);
}

static void
fn_pg_subscript(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char **el;
    bool *nul;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    /* an int2vector / oidvector is space-separated */
    const char *s = pgc_text(argv[0]);
    int n;
    char *conv = NULL;
    if (*s != '{' && *s != '[') {
        Buf b;
        buf_init(&b);
        buf_putc(&b, '{');
        for (const char *p = s; *p; p++)
            buf_putc(&b, *p == ' ' ? ',' : *p);
        buf_puts(&b, "}");
        conv = sl_strndup(b.data, b.len);
        buf_free(&b);
        s = conv;
    }
    n = pgcat_array_parse(s, &el, &nul);
    free(conv);
    sqlite3_int64 i = sqlite3_value_int64(argv[1]);
    if (n < 0 || i < 1 || i > n || nul[i - 1])
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, el[i - 1], -1, SQLITE_TRANSIENT);
    if (n >= 0)
        pgcat_array_free(el, nul, n);
}

static void
fn_array_upper(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char **el;
    bool *nul;
    int n = pgcat_array_parse(pgc_text(argv[0]), &el, &nul);
    if (n <= 0 || (argc > 1 && sqlite3_value_int(argv[1]) != 1))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int(ctx, n);
    if (n >= 0)
        pgcat_array_free(el, nul, n);
}

/* x::elem[]: an array literal, or a vector ('26 23', as oidvector and
 * int2vector print), as an array literal of elem (reg* elements by name). */
static void
fn_array_cast(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *s = pgc_text(argv[0]);
    const char *elem = pgc_text(argv[1]);
    char **el = NULL;
    bool *nul = NULL;
    int n;
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '{' || *p == '[') {
        n = pgcat_array_parse(s, &el, &nul);
        if (n < 0) {
            sqlite3_result_error(ctx, "malformed array literal", -1);
            return;
        }
    } else {
        n = 0;
        int cap = 0;
        while (*p) {
            const char *q = p;
            while (*q && !isspace((unsigned char)*q))
                q++;
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                el = sl_realloc(el, sizeof(char *) * (size_t)cap);
                nul = sl_realloc(nul, sizeof(bool) * (size_t)cap);
            }
            el[n] = sl_strndup(p, (size_t)(q - p));
            nul[n++] = false;
            p = q;
            while (isspace((unsigned char)*p))
                p++;
        }
    }
    bool regtype = !strcmp(elem, "regtype");
    Buf b;
    buf_init(&b);
    buf_putc(&b, '{');
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ',');
        Buf name;
        buf_init(&name);
        char *end;
        unsigned long oid = strtoul(el[i], &end, 10);
        if (regtype && !nul[i] && *el[i] && !*end && pgcat_format_type((uint32_t)oid, &name))
            array_put_elem(&b, name.data, false);
        else
            array_put_elem(&b, el[i], nul[i]);
        buf_free(&name);
    }
    buf_putc(&b, '}');
    if (el)
        pgcat_array_free(el, nul, n);
    pgc_result_buf(ctx, &b);
}

static void
fn_srf_in_select(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_error(ctx,
                         "set-returning functions in the select list are not supported "
                         "in catalog queries",
                         -1);
}

/* ------------------------------------------------------------------ table-valued functions */

/* unnest(array) → column unnest; generate_series(start, stop [, step]) →
 * column generate_series. One cursor type serves both: a materialized list. */
typedef struct SrfTab {
    sqlite3_vtab base;
    bool series;
} SrfTab;

typedef struct SrfCur {
    sqlite3_vtab_cursor base;
    bool series;
    /* unnest */
    char **el;
    bool *nul;
    int n;
    /* generate_series */
    sqlite3_int64 cur, stop, step;
    sqlite3_int64 rowid;
    int i;
} SrfCur;

static int
srf_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
            char **err)
{
    (void)argc;
    (void)argv;
    (void)err;
    bool series = aux != NULL;
    int rc = sqlite3_declare_vtab(db, series ? "CREATE TABLE x(generate_series INTEGER, "
                                               "start HIDDEN, stop HIDDEN, step HIDDEN)"
                                             : "CREATE TABLE x(unnest TEXT, arr HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    SrfTab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->series = series;
    *out = &t->base;
    return SQLITE_OK;
}

static int
srf_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int
srf_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    SrfTab *t = (SrfTab *)v;
    int nargs = t->series ? 3 : 1;
    int seen = 0;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn < 1 || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if (!c->usable)
            return SQLITE_CONSTRAINT;
        int arg = c->iColumn - 1;
        info->aConstraintUsage[i].argvIndex = arg + 1;
        info->aConstraintUsage[i].omit = 1;
        seen |= 1 << arg;
    }
    int need = t->series ? 3 : 1; /* start and stop required */
    if ((seen & need) != need)
        return SQLITE_CONSTRAINT;
    info->idxNum = seen;
    info->estimatedCost = 10;
    (void)nargs;
    return SQLITE_OK;
}

static int
srf_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    SrfCur *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->series = ((SrfTab *)v)->series;
    *out = &c->base;
    return SQLITE_OK;
}

static void
srf_reset(SrfCur *c)
{
    if (c->el)
        pgcat_array_free(c->el, c->nul, c->n);
    c->el = NULL;
    c->nul = NULL;
    c->n = 0;
    c->i = 0;
    c->rowid = 0;
}

static int
srf_close(sqlite3_vtab_cursor *cur)
{
    srf_reset((SrfCur *)cur);
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int
srf_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    (void)idxs;
    SrfCur *c = (SrfCur *)cur;
    srf_reset(c);
    if (!c->series) {
        if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL)
            return SQLITE_OK;
        int n = pgcat_array_parse(pgc_text(argv[0]), &c->el, &c->nul);
        if (n < 0) {
            cur->pVtab->zErrMsg = sqlite3_mprintf("malformed array literal");
            return SQLITE_ERROR;
        }
        c->n = n;
        return SQLITE_OK;
    }
    int k = 0;
    sqlite3_value *a[3] = {NULL, NULL, NULL};
    for (int bit = 0; bit < 3; bit++)
        if (idx & (1 << bit))
            a[bit] = argv[k++];
    if (!a[0] || !a[1] || sqlite3_value_type(a[0]) == SQLITE_NULL ||
        sqlite3_value_type(a[1]) == SQLITE_NULL) {
        c->cur = 1;
        c->stop = 0;
        c->step = 1;
        return SQLITE_OK;
    }
    c->cur = sqlite3_value_int64(a[0]);
    c->stop = sqlite3_value_int64(a[1]);
    c->step = a[2] ? sqlite3_value_int64(a[2]) : 1;
    if (c->step == 0) {
        cur->pVtab->zErrMsg = sqlite3_mprintf("step size cannot equal zero");
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

static int
srf_next(sqlite3_vtab_cursor *cur)
{
    SrfCur *c = (SrfCur *)cur;
    if (c->series)
        c->cur += c->step;
    else
        c->i++;
    c->rowid++;
    return SQLITE_OK;
}

static int
srf_eof(sqlite3_vtab_cursor *cur)
{
    SrfCur *c = (SrfCur *)cur;
    if (c->series)
        return c->step > 0 ? c->cur > c->stop : c->cur < c->stop;
    return c->i >= c->n;
}

static int
srf_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    SrfCur *c = (SrfCur *)cur;
    if (col != 0) {
        sqlite3_result_null(ctx);
        return SQLITE_OK;
    }
    if (c->series)
        sqlite3_result_int64(ctx, c->cur);
    else if (c->nul[c->i])
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, c->el[c->i], -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
}

static int
srf_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = ((SrfCur *)cur)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module srf_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = srf_connect,
    .xBestIndex = srf_best_index,
    .xDisconnect = srf_disconnect,
    .xDestroy = srf_disconnect,
    .xOpen = srf_open,
    .xClose = srf_close,
    .xFilter = srf_filter,
    .xNext = srf_next,
    .xEof = srf_eof,
    .xColumn = srf_column,
    .xRowid = srf_rowid,
};

/* ------------------------------------------------------------------ registration */

int
pgcat_register_array_functions(sqlite3 *db)
{
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"pg_array", -1, fn_pg_array},
        {"pg_array_cast", 2, fn_array_cast},
        {"array_to_string", 2, fn_array_to_string},
        {"array_to_string", 3, fn_array_to_string},
        {"pg_any", 3, fn_pg_any},
        {"pg_all", 3, fn_pg_all},
        {"pg_subscript", 2, fn_pg_subscript},
        {"array_upper", 2, fn_array_upper},
        {"array_length", 2, fn_array_upper},
        {"cardinality", 1, fn_array_upper},
        {"unnest", 1, fn_srf_in_select},
        {"generate_subscripts", 2, fn_srf_in_select},
        {"generate_series", 2, fn_srf_in_select},
        {"generate_series", 3, fn_srf_in_select},
        {"_pg_expandarray", 1, fn_srf_in_select},
    };
    int rc = SQLITE_OK;
    for (size_t i = 0; i < SL_ARRAY_LEN(fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, fns[i].name, fns[i].nargs, SQLITE_UTF8, NULL, fns[i].fn,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "array_agg", 1, SQLITE_UTF8, NULL, NULL, agg_array_step,
                                     agg_array_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "string_agg", 2, SQLITE_UTF8, NULL, NULL, agg_string_step,
                                     agg_string_final);
    static int series = 1;
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module(db, "unnest", &srf_module, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module(db, "generate_series", &srf_module, &series);
    return rc;
}
