/*
 * server/pgcatalog_funcs.c — the PostgreSQL functions and operators of the
 * catalog emulation, as SQLite functions (see pgcatalog.h): regex and LIKE
 * with PostgreSQL semantics, reg* casts, format_type, pg_get_userbyid,
 * visibility and privilege tests, arrays (PostgreSQL text literals
 * '{a,b}': pg_array, array_agg, array_to_string, pg_any/pg_all,
 * pg_subscript, array_upper, and unnest/generate_series as table-valued
 * functions), session functions (version, current_user, current_setting).
 *
 * INTERFACE (pgcatalog_int.h)
 *   pgcat_register_functions
 */
#include "server/pgcatalog_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/util.h"
#include "planner/catalog.h"
#include "storage/store.h"

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
result_buf(sqlite3_context *ctx, Buf *b)
{
    sqlite3_result_text(ctx, b->data ? b->data : "", (int)b->len, SQLITE_TRANSIENT);
    buf_free(b);
}

static const char *
arg_text(sqlite3_value *v)
{
    return (const char *)sqlite3_value_text(v);
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
        array_put_elem(&b, null ? "" : arg_text(argv[i]), null);
    }
    buf_putc(&b, '}');
    result_buf(ctx, &b);
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
    array_put_elem(&a->b, null ? "" : arg_text(argv[0]), null);
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
    result_buf(ctx, &a->b);
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
        buf_puts(&a->b, arg_text(argv[1]));
    }
    buf_puts(&a->b, arg_text(argv[0]));
}

static void
agg_string_final(sqlite3_context *ctx)
{
    AggBuf *a = sqlite3_aggregate_context(ctx, 0);
    if (!a || !a->started) {
        sqlite3_result_null(ctx);
        return;
    }
    result_buf(ctx, &a->b);
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
    int n = pgcat_array_parse(arg_text(argv[0]), &el, &nul);
    if (n < 0) {
        sqlite3_result_error(ctx, "malformed array literal", -1);
        return;
    }
    const char *delim = arg_text(argv[1]);
    const char *nullstr = argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL ? arg_text(argv[2])
                                                                                  : NULL;
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
    result_buf(ctx, &b);
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
    return strcmp(arg_text(x), e);
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
    const char *op = arg_text(argv[1]);
    if (!op_holds(op, 0) && !op_holds(op, 1) && !op_holds(op, -1)) {
        sqlite3_result_error(ctx, "operator is not supported with ANY/ALL", -1);
        return;
    }
    char **el;
    bool *nul;
    int n = pgcat_array_parse(arg_text(argv[2]), &el, &nul);
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
    const char *s = arg_text(argv[0]);
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
    int n = pgcat_array_parse(arg_text(argv[0]), &el, &nul);
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
    const char *s = arg_text(argv[0]);
    const char *elem = arg_text(argv[1]);
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
    result_buf(ctx, &b);
}

static void
fn_srf_in_select(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_error(ctx, "set-returning functions in the select list are not supported "
                              "in catalog queries", -1);
}

/* ------------------------------------------------------------------ regex and LIKE */

typedef struct Rx {
    regex_t re;
} Rx;

static void
rx_free(void *p)
{
    Rx *r = p;
    regfree(&r->re);
    free(r);
}

static void
regex_match(sqlite3_context *ctx, sqlite3_value **argv, int flags)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    Rx *r = sqlite3_get_auxdata(ctx, 0);
    if (!r) {
        r = sl_calloc(1, sizeof *r);
        int rc = regcomp(&r->re, arg_text(argv[0]), REG_EXTENDED | REG_NOSUB | flags);
        if (rc != 0) {
            char msg[200], full[256];
            regerror(rc, &r->re, msg, sizeof msg);
            free(r);
            snprintf(full, sizeof full, "invalid regular expression: %s", msg);
            sqlite3_result_error(ctx, full, -1);
            return;
        }
        sqlite3_set_auxdata(ctx, 0, r, rx_free);
        r = sqlite3_get_auxdata(ctx, 0);
        if (!r) { /* SQLite dropped it: compile again for this call */
            Rx tmp;
            regcomp(&tmp.re, arg_text(argv[0]), REG_EXTENDED | REG_NOSUB | flags);
            sqlite3_result_int(ctx, regexec(&tmp.re, arg_text(argv[1]), 0, NULL, 0) == 0);
            regfree(&tmp.re);
            return;
        }
    }
    sqlite3_result_int(ctx, regexec(&r->re, arg_text(argv[1]), 0, NULL, 0) == 0);
}

static void
fn_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    regex_match(ctx, argv, 0);
}

static void
fn_regexp_icase(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    regex_match(ctx, argv, REG_ICASE);
}

/* PostgreSQL LIKE: % and _, escape character (default backslash). */
static bool
like_match(const char *p, const char *s, int esc, bool icase)
{
    while (*p) {
        if (*p == '%') {
            while (*p == '%')
                p++;
            if (!*p)
                return true;
            for (; *s; s++)
                if (like_match(p, s, esc, icase))
                    return true;
            return false;
        }
        if (!*s)
            return false;
        if (*p == '_') {
            p++;
            s++;
            continue;
        }
        if (esc && *p == esc && p[1])
            p++;
        char a = *p, b = *s;
        if (icase) {
            a = (char)tolower((unsigned char)a);
            b = (char)tolower((unsigned char)b);
        }
        if (a != b)
            return false;
        p++;
        s++;
    }
    return *s == 0;
}

static void
like_common(sqlite3_context *ctx, int argc, sqlite3_value **argv, bool icase)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    int esc = '\\';
    if (argc > 2) {
        const char *e = arg_text(argv[2]);
        esc = e && *e ? (unsigned char)*e : 0;
    }
    sqlite3_result_int(ctx, like_match(arg_text(argv[0]), arg_text(argv[1]), esc, icase));
}

static void
fn_like(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    like_common(ctx, argc, argv, false);
}

static void
fn_ilike(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    like_common(ctx, argc, argv, true);
}

/* ------------------------------------------------------------------ lookups */

/* Runs a one-value query with one text or integer argument. */
static bool
lookup(sqlite3 *db, const char *sql, sqlite3_value *arg, sqlite3_context *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_value(st, 1, arg);
    bool found = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_result_value(ctx, sqlite3_column_value(st, 0));
        found = true;
    }
    sqlite3_finalize(st);
    return found;
}

static bool
is_number(sqlite3_value *v, sqlite3_int64 *out)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_INTEGER) {
        *out = sqlite3_value_int64(v);
        return true;
    }
    return false;
}

/* name or "schema".name, unquoted: returns schema (or NULL) and name in buffers */
static void
split_qualified(const char *s, char *schema, size_t ns, char *name, size_t nn)
{
    schema[0] = 0;
    char buf[256];
    size_t k = 0;
    bool inq = false;
    char *parts[2] = {schema, name};
    size_t caps[2] = {ns, nn};
    int part = 0;
    for (const char *p = s;; p++) {
        if (*p == '"') {
            if (inq && p[1] == '"') {
                if (k + 1 < sizeof buf)
                    buf[k++] = '"';
                p++;
                continue;
            }
            inq = !inq;
            continue;
        }
        if ((!*p || (*p == '.' && !inq)) && part < 2) {
            buf[k] = 0;
            snprintf(parts[part], caps[part], "%s", buf);
            part++;
            k = 0;
            if (!*p)
                break;
            continue;
        }
        if (!*p)
            break;
        if (k + 1 < sizeof buf)
            buf[k++] = inq ? *p : (char)tolower((unsigned char)*p);
    }
    if (part == 1) { /* unqualified */
        snprintf(name, nn, "%s", schema);
        schema[0] = 0;
    }
}

static void
reg_in(sqlite3_context *ctx, sqlite3_value *v, const char *by_name, const char *by_schema_name,
       const char *what, bool missing_null)
{
    sqlite3_int64 n;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (is_number(v, &n)) {
        sqlite3_result_int64(ctx, n);
        return;
    }
    char schema[128], name[128];
    split_qualified(arg_text(v), schema, sizeof schema, name, sizeof name);
    sqlite3 *db = sqlite3_context_db_handle(ctx);
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(db, schema[0] ? by_schema_name : by_name, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        if (schema[0])
            sqlite3_bind_text(st, 2, schema, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_result_int64(ctx, sqlite3_column_int64(st, 0));
            found = true;
        }
        sqlite3_finalize(st);
    }
    if (found)
        return;
    if (missing_null) {
        sqlite3_result_null(ctx);
        return;
    }
    char msg[400];
    snprintf(msg, sizeof msg, "%s \"%s\" does not exist", what, arg_text(v));
    sqlite3_result_error(ctx, msg, -1);
}

static void
fn_regclass(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_in(ctx, argv[0],
           "SELECT c.oid FROM pg_class c WHERE c.relname = ?1 AND pg_table_is_visible(c.oid)",
           "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relname = ?1 AND n.nspname = ?2",
           "relation", sqlite3_user_data(ctx) != NULL);
}

static void
fn_regnamespace(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_in(ctx, argv[0], "SELECT oid FROM pg_namespace WHERE nspname = ?1",
           "SELECT oid FROM pg_namespace WHERE nspname = ?1 AND ?2 IS NULL", "schema", false);
}

static void
fn_regrole(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_in(ctx, argv[0], "SELECT oid FROM pg_authid WHERE rolname = ?1",
           "SELECT oid FROM pg_authid WHERE rolname = ?1 AND ?2 IS NULL", "role", false);
}

static void
fn_regtype(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_int64 n;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (is_number(argv[0], &n)) {
        sqlite3_result_int64(ctx, n);
        return;
    }
    const PgcType *t = pgcat_type_by_name(arg_text(argv[0]));
    if (t) {
        sqlite3_result_int64(ctx, t->oid);
        return;
    }
    if (sqlite3_user_data(ctx)) { /* to_regtype */
        sqlite3_result_null(ctx);
        return;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "type \"%s\" does not exist", arg_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
}

static void
fn_regproc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    /* regproc columns hold function names, unqualified */
    const char *s = arg_text(argv[0]);
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT && s && strncmp(s, "pg_catalog.", 11) == 0)
        sqlite3_result_text(ctx, s + 11, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_value(ctx, argv[0]);
}

/* trim(both|leading|trailing chars from s) */
static void
fn_pg_trim(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *mode = arg_text(argv[0]), *chars = arg_text(argv[1]), *s = arg_text(argv[2]);
    size_t b = 0, e = strlen(s);
    if (strcmp(mode, "trailing") != 0)
        while (b < e && strchr(chars, s[b]))
            b++;
    if (strcmp(mode, "leading") != 0)
        while (e > b && strchr(chars, s[e - 1]))
            e--;
    sqlite3_result_text(ctx, s + b, (int)(e - b), SQLITE_TRANSIENT);
}

/* Composite values (a record's .field) do not exist in the emulation: the only
 * functions returning records (_pg_expandarray) read tables that are empty here
 * (pg_index), so this is reached only by a query that could not work anyway. */
static void
fn_pg_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_error(ctx, "composite values are not supported in catalog queries", -1);
}

/* oid → name, or the number when unknown (as PostgreSQL prints a dangling reg*). */
static void
reg_out(sqlite3_context *ctx, sqlite3_value *v, const char *sql)
{
    sqlite3_int64 n;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!is_number(v, &n)) {
        sqlite3_result_value(ctx, v);
        return;
    }
    if (n == 0) {
        sqlite3_result_text(ctx, "-", -1, SQLITE_STATIC);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx), sql, v, ctx)) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)n);
        sqlite3_result_text(ctx, num, -1, SQLITE_TRANSIENT);
    }
}

static void
fn_regclass_out(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_out(ctx, argv[0],
            "SELECT CASE WHEN pg_table_is_visible(c.oid) THEN c.relname "
            "ELSE n.nspname || '.' || c.relname END "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?1");
}

static void
fn_regnamespace_out(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_out(ctx, argv[0], "SELECT nspname FROM pg_namespace WHERE oid = ?1");
}

static void
fn_regrole_out(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_out(ctx, argv[0], "SELECT rolname FROM pg_authid WHERE oid = ?1");
}

static void
fn_regproc_out(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    reg_out(ctx, argv[0], "SELECT proname FROM pg_proc WHERE oid = ?1");
}

static void
fn_format_type(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_int64 oid = sqlite3_value_int64(argv[0]);
    Buf b;
    buf_init(&b);
    if (!pgcat_format_type((uint32_t)oid, &b)) {
        if (oid == 0)
            buf_puts(&b, "-");
        else
            buf_puts(&b, "???");
    }
    result_buf(ctx, &b);
}

static void
fn_regtype_out(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sqlite3_int64 n;
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL && is_number(argv[0], &n) && n == 0) {
        sqlite3_result_text(ctx, "-", -1, SQLITE_STATIC);
        return;
    }
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL && is_number(argv[0], &n) &&
        !pgcat_type_by_oid((uint32_t)n)) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)n);
        sqlite3_result_text(ctx, num, -1, SQLITE_TRANSIENT);
        return;
    }
    fn_format_type(ctx, argc, argv);
}

static void
fn_pg_get_userbyid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx), "SELECT rolname FROM pg_authid WHERE oid = ?1",
                argv[0], ctx)) {
        char s[64];
        snprintf(s, sizeof s, "unknown (OID=%lld)", (long long)sqlite3_value_int64(argv[0]));
        sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
    }
}

/* search_path is "$user", public: pg_catalog and public are visible. */
static void
fn_table_is_visible(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx),
                "SELECT relnamespace IN (11, 2200) FROM pg_class WHERE oid = ?1", argv[0], ctx))
        sqlite3_result_null(ctx);
}

static void
fn_type_is_visible(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx),
                "SELECT typnamespace IN (11, 2200) FROM pg_type WHERE oid = ?1", argv[0], ctx))
        sqlite3_result_null(ctx);
}

static void
fn_function_is_visible(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx),
                "SELECT pronamespace IN (11, 2200) FROM pg_proc WHERE oid = ?1", argv[0], ctx))
        sqlite3_result_null(ctx);
}

/* Every role may read everything: sluice has no grants (trust or one user). */
static void
fn_true(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_int(ctx, 1);
}

static void
fn_false(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_int(ctx, 0);
}

/* pg_get_expr(node, relid [, pretty]): expressions are stored as text. */
static void
fn_pg_get_expr(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_value(ctx, argv[0]);
}

static void
fn_obj_description(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    (void)argc;
    if (!lookup(sqlite3_context_db_handle(ctx),
                "SELECT description FROM pg_description WHERE objoid = ?1 AND objsubid = 0",
                argv[0], ctx))
        sqlite3_result_null(ctx);
}

static void
fn_col_description(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3 *db = sqlite3_context_db_handle(ctx);
    sqlite3_stmt *st;
    sqlite3_result_null(ctx);
    if (sqlite3_prepare_v2(db, "SELECT description FROM pg_description WHERE objoid = ?1 AND "
                               "objsubid = ?2", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_value(st, 1, argv[0]);
    sqlite3_bind_value(st, 2, argv[1]);
    if (sqlite3_step(st) == SQLITE_ROW)
        sqlite3_result_value(ctx, sqlite3_column_value(st, 0));
    sqlite3_finalize(st);
}

static void
fn_viewdef(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (!lookup(sqlite3_context_db_handle(ctx),
                "SELECT definition FROM sluice_viewdef WHERE oid = ?1", argv[0], ctx))
        sqlite3_result_null(ctx);
}

static void
fn_null(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_null(ctx);
}

static void
fn_encoding_to_char(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int e = sqlite3_value_int(argv[0]);
    sqlite3_result_text(ctx, e == 6 ? "UTF8" : e == 0 ? "SQL_ASCII" : "", -1, SQLITE_STATIC);
}

static void
fn_pg_bool(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int t = sqlite3_value_type(argv[0]);
    if (t == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        sqlite3_result_int(ctx, sqlite3_value_double(argv[0]) != 0);
        return;
    }
    const char *s = arg_text(argv[0]);
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    static const char *const yes[] = {"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"};
    static const char *const no[] = {"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"};
    for (size_t i = 0; i < SL_ARRAY_LEN(yes); i++)
        if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0) {
            sqlite3_result_int(ctx, 1);
            return;
        }
    for (size_t i = 0; i < SL_ARRAY_LEN(no); i++)
        if (strlen(no[i]) == n && n > 0 && strncasecmp(s, no[i], n) == 0 && strcmp(no[i], "of")) {
            sqlite3_result_int(ctx, 0);
            return;
        }
    char msg[300];
    snprintf(msg, sizeof msg, "invalid input syntax for type boolean: \"%s\"", arg_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
}

static void
fn_quote_ident(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = arg_text(argv[0]);
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    bool plain = *s && (islower((unsigned char)*s) || *s == '_');
    for (const char *p = s; *p && plain; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            plain = false;
    Buf b;
    buf_init(&b);
    if (plain) {
        buf_puts(&b, s);
    } else {
        buf_putc(&b, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                buf_putc(&b, '"');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '"');
    }
    result_buf(ctx, &b);
}

/* split_part(s, delimiter, n): the n-th field (1-based; negative from the end). */
static void
fn_split_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    for (int i = 0; i < 3; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
    const char *s = arg_text(argv[0]), *d = arg_text(argv[1]);
    sqlite3_int64 n = sqlite3_value_int64(argv[2]);
    size_t dl = strlen(d);
    if (n == 0) {
        sqlite3_result_error(ctx, "field position must not be zero", -1);
        return;
    }
    /* fields: start offsets */
    int nf = 1;
    for (const char *p = s; dl && (p = strstr(p, d)); p += dl)
        nf++;
    if (n < 0)
        n = nf + n + 1;
    if (n < 1 || n > nf) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    const char *start = s;
    for (sqlite3_int64 k = 1; k < n; k++)
        start = strstr(start, d) + dl;
    const char *end = dl ? strstr(start, d) : NULL;
    sqlite3_result_text(ctx, start, end ? (int)(end - start) : -1, SQLITE_TRANSIENT);
}

/* pg_table_size / pg_relation_size / pg_total_relation_size(oid): a stream's log on
 * disk; a view has no storage (0, as in PostgreSQL); NULL for an unknown OID. */
static void
fn_relation_size(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    PgCatalog *pc = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const CatObject *o = pgcat_object_of(pc, sqlite3_value_int64(argv[0]));
    if (!o) {
        if (sqlite3_value_int64(argv[0]) < 16384) /* catalog tables: in memory, no files */
            sqlite3_result_int64(ctx, 0);
        else
            sqlite3_result_null(ctx);
        return;
    }
    StoreStreamStats st = {0};
    if (o->kind == CAT_STREAM && o->log)
        store_stream_stats(o->log, &st);
    sqlite3_result_int64(ctx, (sqlite3_int64)st.bytes);
}

/* pg_size_pretty(bigint), PostgreSQL's units and rounding. */
static void
fn_size_pretty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    long long size = sqlite3_value_int64(argv[0]);
    const long long limit = 10 * 1024, limit2 = limit * 2 - 1;
    char out[64];
    if (llabs(size) < limit) {
        snprintf(out, sizeof out, "%lld bytes", size);
    } else {
        static const char *const units[] = {"kB", "MB", "GB", "TB", "PB"};
        size >>= 9; /* half kB */
        int u = 0;
        while (llabs(size) >= limit2 && u < 4) {
            size >>= 10;
            u++;
        }
        long long half = (size + (size < 0 ? -1 : 1)) / 2;
        snprintf(out, sizeof out, "%lld %s", half, units[u]);
    }
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* ------------------------------------------------------------------ session */

static void
fn_version(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_text(ctx, PGCAT_VERSION_STRING, -1, SQLITE_STATIC);
}

static void
fn_current_schema(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_text(ctx, "public", -1, SQLITE_STATIC);
}

static void
fn_current_schemas(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool implicit = sqlite3_value_int(argv[0]) != 0;
    sqlite3_result_text(ctx, implicit ? "{pg_catalog,public}" : "{public}", -1, SQLITE_STATIC);
}

static void
fn_current_user(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    PgCatalog *pc = sqlite3_user_data(ctx);
    sqlite3_result_text(ctx, pgcat_session_user(pc), -1, SQLITE_TRANSIENT);
}

static void
fn_current_database(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    PgCatalog *pc = sqlite3_user_data(ctx);
    sqlite3_result_text(ctx, pgcat_session_database(pc), -1, SQLITE_TRANSIENT);
}

static void
fn_backend_pid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    PgCatalog *pc = sqlite3_user_data(ctx);
    sqlite3_result_int(ctx, pgcat_session_pid(pc));
}

static void
fn_current_setting(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (lookup(sqlite3_context_db_handle(ctx),
               "SELECT setting FROM pg_settings WHERE lower(name) = lower(?1)", argv[0], ctx))
        return;
    if (argc > 1 && sqlite3_value_int(argv[1])) {
        sqlite3_result_null(ctx);
        return;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "unrecognized configuration parameter \"%s\"", arg_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
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
        int n = pgcat_array_parse(arg_text(argv[0]), &c->el, &c->nul);
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

typedef void (*SqlFn)(sqlite3_context *, int, sqlite3_value **);

int
pgcat_register_functions(sqlite3 *db, PgCatalog *pc)
{
    static const struct {
        const char *name;
        int nargs;
        SqlFn fn;
    } fns[] = {
        {"regexp", 2, fn_regexp}, {"match", 2, fn_regexp_icase}, {"like", 2, fn_like},
        {"like", 3, fn_like}, {"glob", 2, fn_ilike},
        {"pg_array", -1, fn_pg_array}, {"pg_array_cast", 2, fn_array_cast}, {"array_to_string", 2, fn_array_to_string},
        {"array_to_string", 3, fn_array_to_string}, {"pg_any", 3, fn_pg_any},
        {"pg_all", 3, fn_pg_all}, {"pg_subscript", 2, fn_pg_subscript},
        {"array_upper", 2, fn_array_upper}, {"array_length", 2, fn_array_upper},
        {"cardinality", 1, fn_array_upper},
        {"unnest", 1, fn_srf_in_select}, {"generate_subscripts", 2, fn_srf_in_select},
        {"generate_series", 2, fn_srf_in_select}, {"generate_series", 3, fn_srf_in_select},
        {"pg_regclass", 1, fn_regclass}, {"pg_regtype", 1, fn_regtype},
        {"pg_regproc", 1, fn_regproc}, {"pg_regprocedure", 1, fn_regproc},
        {"pg_regoper", 1, fn_regproc},
        {"pg_regnamespace", 1, fn_regnamespace}, {"pg_regrole", 1, fn_regrole},
        {"pg_regclass_out", 1, fn_regclass_out}, {"pg_regtype_out", 1, fn_regtype_out},
        {"pg_regproc_out", 1, fn_regproc_out}, {"pg_regprocedure_out", 1, fn_regproc_out},
        {"pg_regoper_out", 1, fn_regproc_out},
        {"pg_regnamespace_out", 1, fn_regnamespace_out}, {"pg_regrole_out", 1, fn_regrole_out},
        {"format_type", 2, fn_format_type}, {"pg_get_userbyid", 1, fn_pg_get_userbyid},
        {"pg_table_is_visible", 1, fn_table_is_visible},
        {"pg_type_is_visible", 1, fn_type_is_visible},
        {"pg_function_is_visible", 1, fn_function_is_visible},
        {"has_table_privilege", -1, fn_true}, {"has_schema_privilege", -1, fn_true},
        {"has_database_privilege", -1, fn_true}, {"has_column_privilege", -1, fn_true},
        {"has_function_privilege", -1, fn_true}, {"has_sequence_privilege", -1, fn_true},
        {"pg_is_in_recovery", 0, fn_false}, {"pg_relation_is_publishable", 1, fn_false},
        {"pg_get_expr", 2, fn_pg_get_expr}, {"pg_get_expr", 3, fn_pg_get_expr},
        {"obj_description", 1, fn_obj_description}, {"obj_description", 2, fn_obj_description},
        {"col_description", 2, fn_col_description},
        {"shobj_description", 2, fn_null},
        {"pg_get_viewdef", 1, fn_viewdef}, {"pg_get_viewdef", 2, fn_viewdef},
        /* the emulated catalog has no constraints, indexes, triggers or statistics
         * objects: these only ever see OIDs that do not exist, and PostgreSQL
         * answers NULL for those */
        {"pg_get_constraintdef", -1, fn_null}, {"pg_get_indexdef", -1, fn_null},
        {"pg_get_triggerdef", -1, fn_null}, {"pg_get_ruledef", -1, fn_null}, {"pg_get_statisticsobjdef_columns", 1, fn_null},
        {"pg_get_function_arguments", 1, fn_null}, {"pg_get_function_result", 1, fn_null},
        {"pg_get_function_identity_arguments", 1, fn_null},
        {"pg_encoding_to_char", 1, fn_encoding_to_char}, {"pg_bool", 1, fn_pg_bool},
        {"quote_ident", 1, fn_quote_ident}, {"pg_size_pretty", 1, fn_size_pretty}, {"pg_trim", 3, fn_pg_trim},
        {"pg_field", 2, fn_pg_field}, {"_pg_expandarray", 1, fn_srf_in_select}, {"split_part", 3, fn_split_part},
        {"version", 0, fn_version}, {"current_schema", 0, fn_current_schema},
        {"current_schemas", 1, fn_current_schemas},
        {"current_setting", 1, fn_current_setting}, {"current_setting", 2, fn_current_setting},
    };
    int rc = SQLITE_OK;
    for (size_t i = 0; i < SL_ARRAY_LEN(fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, fns[i].name, fns[i].nargs, SQLITE_UTF8, NULL, fns[i].fn,
                                     NULL, NULL);
    static int missing_ok = 1;
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "to_regclass", 1, SQLITE_UTF8, &missing_ok, fn_regclass,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "to_regtype", 1, SQLITE_UTF8, &missing_ok, fn_regtype,
                                     NULL, NULL);
    static const char *const session_user_fns[] = {"current_user", "session_user",
                                                   "current_role", "user"};
    for (size_t i = 0; i < SL_ARRAY_LEN(session_user_fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, session_user_fns[i], 0, SQLITE_UTF8, pc, fn_current_user,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "current_database", 0, SQLITE_UTF8, pc,
                                     fn_current_database, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "current_catalog", 0, SQLITE_UTF8, pc,
                                     fn_current_database, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "pg_backend_pid", 0, SQLITE_UTF8, pc, fn_backend_pid,
                                     NULL, NULL);
    static const char *const size_fns[] = {"pg_table_size", "pg_relation_size",
                                           "pg_total_relation_size", "pg_indexes_size"};
    for (size_t i = 0; i < SL_ARRAY_LEN(size_fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, size_fns[i], 1, SQLITE_UTF8, pc, fn_relation_size, NULL,
                                     NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "array_agg", 1, SQLITE_UTF8, NULL, NULL, agg_array_step,
                                     agg_array_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "string_agg", 2, SQLITE_UTF8, NULL, NULL,
                                     agg_string_step, agg_string_final);
    static int series = 1;
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module(db, "unnest", &srf_module, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module(db, "generate_series", &srf_module, &series);
    return rc;
}
