/*
 * server/pgcatalog_funcs.c — the PostgreSQL functions and operators of the
 * catalog emulation, as SQLite functions (see pgcatalog.h): regex and LIKE
 * with PostgreSQL semantics, reg* casts, format_type, pg_get_userbyid,
 * visibility and privilege tests, relation sizes, string functions, session
 * functions (version, current_user, current_setting). Arrays are in
 * pgcatalog_arrays.c.
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
        int rc = regcomp(&r->re, pgc_text(argv[0]), REG_EXTENDED | REG_NOSUB | flags);
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
            regcomp(&tmp.re, pgc_text(argv[0]), REG_EXTENDED | REG_NOSUB | flags);
            sqlite3_result_int(ctx, regexec(&tmp.re, pgc_text(argv[1]), 0, NULL, 0) == 0);
            regfree(&tmp.re);
            return;
        }
    }
    sqlite3_result_int(ctx, regexec(&r->re, pgc_text(argv[1]), 0, NULL, 0) == 0);
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
        const char *e = pgc_text(argv[2]);
        esc = e && *e ? (unsigned char)*e : 0;
    }
    sqlite3_result_int(ctx, like_match(pgc_text(argv[0]), pgc_text(argv[1]), esc, icase));
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
    split_qualified(pgc_text(v), schema, sizeof schema, name, sizeof name);
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
    snprintf(msg, sizeof msg, "%s \"%s\" does not exist", what, pgc_text(v));
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
    const PgcType *t = pgcat_type_by_name(pgc_text(argv[0]));
    if (t) {
        sqlite3_result_int64(ctx, t->oid);
        return;
    }
    if (sqlite3_user_data(ctx)) { /* to_regtype */
        sqlite3_result_null(ctx);
        return;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "type \"%s\" does not exist", pgc_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
}

static void
fn_regproc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    /* regproc columns hold function names, unqualified */
    const char *s = pgc_text(argv[0]);
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
    const char *mode = pgc_text(argv[0]), *chars = pgc_text(argv[1]), *s = pgc_text(argv[2]);
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
    pgc_result_buf(ctx, &b);
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
    if (sqlite3_prepare_v2(db,
                           "SELECT description FROM pg_description WHERE objoid = ?1 AND "
                           "objsubid = ?2",
                           -1, &st, NULL) != SQLITE_OK)
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
    const char *s = pgc_text(argv[0]);
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    static const char *const yes[] = {"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"};
    static const char *const no[] = {"f", "fa", "fal", "fals", "false",
                                     "n", "no", "of",  "off",  "0"};
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
    snprintf(msg, sizeof msg, "invalid input syntax for type boolean: \"%s\"", pgc_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
}

static void
fn_quote_ident(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = pgc_text(argv[0]);
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
    pgc_result_buf(ctx, &b);
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
    const char *s = pgc_text(argv[0]), *d = pgc_text(argv[1]);
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
    snprintf(msg, sizeof msg, "unrecognized configuration parameter \"%s\"", pgc_text(argv[0]));
    sqlite3_result_error(ctx, msg, -1);
}

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
        {"regexp", 2, fn_regexp},
        {"match", 2, fn_regexp_icase},
        {"like", 2, fn_like},
        {"like", 3, fn_like},
        {"glob", 2, fn_ilike},

        {"pg_regclass", 1, fn_regclass},
        {"pg_regtype", 1, fn_regtype},
        {"pg_regproc", 1, fn_regproc},
        {"pg_regprocedure", 1, fn_regproc},
        {"pg_regoper", 1, fn_regproc},
        {"pg_regnamespace", 1, fn_regnamespace},
        {"pg_regrole", 1, fn_regrole},
        {"pg_regclass_out", 1, fn_regclass_out},
        {"pg_regtype_out", 1, fn_regtype_out},
        {"pg_regproc_out", 1, fn_regproc_out},
        {"pg_regprocedure_out", 1, fn_regproc_out},
        {"pg_regoper_out", 1, fn_regproc_out},
        {"pg_regnamespace_out", 1, fn_regnamespace_out},
        {"pg_regrole_out", 1, fn_regrole_out},
        {"format_type", 2, fn_format_type},
        {"pg_get_userbyid", 1, fn_pg_get_userbyid},
        {"pg_table_is_visible", 1, fn_table_is_visible},
        {"pg_type_is_visible", 1, fn_type_is_visible},
        {"pg_function_is_visible", 1, fn_function_is_visible},
        {"has_table_privilege", -1, fn_true},
        {"has_schema_privilege", -1, fn_true},
        {"has_database_privilege", -1, fn_true},
        {"has_column_privilege", -1, fn_true},
        {"has_function_privilege", -1, fn_true},
        {"has_sequence_privilege", -1, fn_true},
        {"pg_is_in_recovery", 0, fn_false},
        {"pg_relation_is_publishable", 1, fn_false},
        {"pg_get_expr", 2, fn_pg_get_expr},
        {"pg_get_expr", 3, fn_pg_get_expr},
        {"obj_description", 1, fn_obj_description},
        {"obj_description", 2, fn_obj_description},
        {"col_description", 2, fn_col_description},
        {"shobj_description", 2, fn_null},
        {"pg_get_viewdef", 1, fn_viewdef},
        {"pg_get_viewdef", 2, fn_viewdef},
        /* the emulated catalog has no constraints, indexes, triggers or statistics
         * objects: these only ever see OIDs that do not exist, and PostgreSQL
         * answers NULL for those */
        {"pg_get_constraintdef", -1, fn_null},
        {"pg_get_indexdef", -1, fn_null},
        {"pg_get_triggerdef", -1, fn_null},
        {"pg_get_ruledef", -1, fn_null},
        {"pg_get_statisticsobjdef_columns", 1, fn_null},
        {"pg_get_function_arguments", 1, fn_null},
        {"pg_get_function_result", 1, fn_null},
        {"pg_get_function_identity_arguments", 1, fn_null},
        {"pg_encoding_to_char", 1, fn_encoding_to_char},
        {"pg_bool", 1, fn_pg_bool},
        {"quote_ident", 1, fn_quote_ident},
        {"pg_size_pretty", 1, fn_size_pretty},
        {"pg_trim", 3, fn_pg_trim},
        {"pg_field", 2, fn_pg_field},
        {"split_part", 3, fn_split_part},
        {"version", 0, fn_version},
        {"current_schema", 0, fn_current_schema},
        {"current_schemas", 1, fn_current_schemas},
        {"current_setting", 1, fn_current_setting},
        {"current_setting", 2, fn_current_setting},
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
    static const char *const session_user_fns[] = {"current_user", "session_user", "current_role",
                                                   "user"};
    for (size_t i = 0; i < SL_ARRAY_LEN(session_user_fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, session_user_fns[i], 0, SQLITE_UTF8, pc, fn_current_user,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "current_database", 0, SQLITE_UTF8, pc,
                                     fn_current_database, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "current_catalog", 0, SQLITE_UTF8, pc, fn_current_database,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "pg_backend_pid", 0, SQLITE_UTF8, pc, fn_backend_pid, NULL,
                                     NULL);
    static const char *const size_fns[] = {"pg_table_size", "pg_relation_size",
                                           "pg_total_relation_size", "pg_indexes_size"};
    for (size_t i = 0; i < SL_ARRAY_LEN(size_fns) && rc == SQLITE_OK; i++)
        rc = sqlite3_create_function(db, size_fns[i], 1, SQLITE_UTF8, pc, fn_relation_size, NULL,
                                     NULL);
    if (rc == SQLITE_OK)
        rc = pgcat_register_array_functions(db);
    return rc;
}
