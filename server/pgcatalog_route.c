/*
 * server/pgcatalog_route.c — which statements the catalog emulation answers,
 * and its parameters' text form (see pgcatalog.h).
 *
 * INTERFACE (pgcatalog.h)
 *   pgcat_wants              cheap pre-scan: does a statement name the catalog?
 *   pgcat_split              the next top-level statement of a query string
 *   pgcat_is_catalog_query   route a statement: the emulation or sluice
 *   pgcat_looks_like_select  a SELECT / WITH / VALUES statement
 *   pgcat_param_text         a binary Bind parameter in its text form
 */
#include "server/pgcatalog.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/value.h"
#include "parser/parser.h"
#include "planner/catalog.h"

/* Whether a statement goes to the catalog emulation: it names a catalog
 * relation or function (pgcat_wants), unless it is sluice SQL about one of
 * sluice's own objects that happens to use such a name (a column called
 * regtype, a stream called pg_tables). */
bool
pgcat_is_catalog_query(const Catalog *cat, const char *sql, size_t n)
{
    if (!pgcat_looks_like_select(sql, n) || !pgcat_wants(sql, n))
        return false; /* DDL and DML are sluice's: the emulated catalog is read-only */
    /* names outside string literals and quoted identifiers */
    bool mentions = false, explicit_catalog = false;
    char q = 0;
    for (size_t i = 0; i < n && !mentions; i++) {
        char ch = sql[i];
        if (q) {
            if (ch == q)
                q = 0;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            q = ch;
            continue;
        }
        if (i > 0 && (isalnum((unsigned char)sql[i - 1]) || sql[i - 1] == '_'))
            continue;
        if (n - i > 11 && (strncasecmp(sql + i, "pg_catalog.", 11) == 0 ||
                           (n - i > 19 && strncasecmp(sql + i, "information_schema.", 19) == 0))) {
            explicit_catalog = true;
            break;
        }
        for (const CatObject *o = cat->head; o && !mentions; o = o->next) {
            size_t len = strlen(o->name);
            mentions =
                len <= n - i && strncasecmp(sql + i, o->name, len) == 0 &&
                (i + len == n || !(isalnum((unsigned char)sql[i + len]) || sql[i + len] == '_'));
        }
    }
    if (!mentions || explicit_catalog)
        return true;
    Arena *a = arena_new(4096);
    SqlError err;
    err_init(&err, a);
    AstStmtList stmts = {0};
    bool sluice = parse_sql(a, arena_strndup(a, sql, n), n, &stmts, &err) == 0;
    arena_free(a);
    return !sluice;
}

/* A query that sluice's parser rejects may still be a plain SELECT the
 * catalog emulation answers (SELECT 1, SELECT current_user). */
bool
pgcat_looks_like_select(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) { /* blanks, '(' and comments */
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == '('))
            i++;
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e && (size_t)(e - s) < n ? (size_t)(e - s) + 2 : n;
        } else {
            break;
        }
    }
    return (n - i >= 6 && strncasecmp(s + i, "select", 6) == 0) ||
           (n - i >= 4 && strncasecmp(s + i, "with", 4) == 0) ||
           (n - i >= 6 && strncasecmp(s + i, "values", 6) == 0);
}

/* A binary parameter of a catalog query, in its text form (the emulation
 * binds text): scalars and one-dimensional arrays of them. */
static int
binary_scalar(uint32_t oid, const unsigned char *d, size_t n, Buf *out, SqlError *err)
{
    uint64_t u = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        u = u << 8 | d[i];
    switch (oid) {
    case 16:
        if (n != 1)
            goto bad;
        buf_puts(out, d[0] ? "t" : "f");
        return 0;
    case 21:
        if (n != 2)
            goto bad;
        buf_printf(out, "%d", (int)(int16_t)u);
        return 0;
    case 23:
        if (n != 4)
            goto bad;
        buf_printf(out, "%d", (int)(int32_t)u);
        return 0;
    case 26:
    case 24:
    case 2205:
    case 2206:
    case 4089:
        if (n != 4)
            goto bad;
        buf_printf(out, "%u", (unsigned)u);
        return 0;
    case 20:
        if (n != 8)
            goto bad;
        buf_printf(out, "%lld", (long long)(int64_t)u);
        return 0;
    case 700: {
        if (n != 4)
            goto bad;
        uint32_t w = (uint32_t)u;
        float f;
        memcpy(&f, &w, 4);
        fmt_double(f, out);
        return 0;
    }
    case 701: {
        if (n != 8)
            goto bad;
        double x;
        memcpy(&x, &u, 8);
        fmt_double(x, out);
        return 0;
    }
    case 0:
    case 18:
    case 19:
    case 25:
    case 705:
    case 1042:
    case 1043:
        buf_append(out, d, n);
        return 0;
    default:
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                 "binary parameters of type OID %u are not supported in catalog queries", oid);
        return -1;
    }
bad:
    err_setf(err, ERR_INVALID_BINARY_REPRESENTATION, -1,
             "incorrect binary data format in bind parameter");
    return -1;
}

int
pgcat_param_text(uint32_t oid, const char *data, size_t n, Buf *out, SqlError *err)
{
    static const uint32_t arrays[][2] = {{1000, 16}, {1002, 18},  {1003, 19},   {1005, 21},
                                         {1007, 23}, {1009, 25},  {1014, 1042}, {1015, 1043},
                                         {1016, 20}, {1021, 700}, {1022, 701},  {1028, 26}};
    uint32_t elem = 0;
    for (size_t i = 0; i < SL_ARRAY_LEN(arrays); i++)
        if (arrays[i][0] == oid)
            elem = arrays[i][1];
    if (!elem)
        return binary_scalar(oid, (const unsigned char *)data, n, out, err);
    const unsigned char *d = (const unsigned char *)data;
#define RD32(p) ((uint32_t)(p)[0] << 24 | (uint32_t)(p)[1] << 16 | (uint32_t)(p)[2] << 8 | (p)[3])
    if (n < 12)
        goto bad;
    uint32_t ndim = RD32(d);
    if (ndim > 1 || n < 12 + 8 * (size_t)ndim)
        goto bad;
    size_t off = 12;
    uint32_t count = 0;
    if (ndim == 1) {
        count = RD32(d + 12);
        off = 20;
    }
    buf_putc(out, '{');
    for (uint32_t i = 0; i < count; i++) {
        if (off + 4 > n)
            goto bad;
        int32_t len = (int32_t)RD32(d + off);
        off += 4;
        if (i)
            buf_putc(out, ',');
        if (len < 0) {
            buf_puts(out, "NULL");
            continue;
        }
        if ((size_t)len > n - off)
            goto bad;
        Buf el;
        buf_init(&el);
        int rc = binary_scalar(elem, d + off, (size_t)len, &el, err);
        if (rc == 0) {
            buf_putc(out, '"');
            for (size_t k = 0; k < el.len; k++) {
                if (el.data[k] == '"' || el.data[k] == '\\')
                    buf_putc(out, '\\');
                buf_putc(out, el.data[k]);
            }
            buf_putc(out, '"');
        }
        buf_free(&el);
        if (rc != 0)
            return -1;
        off += (size_t)len;
    }
    buf_putc(out, '}');
    return 0;
#undef RD32
bad:
    err_setf(err, ERR_INVALID_BINARY_REPRESENTATION, -1,
             "incorrect binary data format in bind parameter");
    return -1;
}

/* ------------------------------------------------------------------ pre-scan, split */

/* Names that make a statement a catalog query: relations and schemas of the
 * emulated catalog, the reg* types and the parameterless SQL-standard
 * functions, as words; the other catalog functions only when called. */
static const char *const catalog_words[] = {"pg_catalog",
                                            "information_schema",
                                            "pg_class",
                                            "pg_namespace",
                                            "pg_attribute",
                                            "pg_type",
                                            "pg_database",
                                            "pg_settings",
                                            "pg_range",
                                            "pg_proc",
                                            "pg_index",
                                            "pg_constraint",
                                            "pg_description",
                                            "pg_am",
                                            "pg_roles",
                                            "pg_user",
                                            "pg_authid",
                                            "pg_inherits",
                                            "pg_attrdef",
                                            "pg_collation",
                                            "pg_extension",
                                            "pg_tablespace",
                                            "pg_depend",
                                            "pg_policy",
                                            "pg_statistic_ext",
                                            "pg_publication",
                                            "pg_trigger",
                                            "pg_rewrite",
                                            "pg_views",
                                            "pg_tables",
                                            "pg_matviews",
                                            "pg_sequence",
                                            "pg_enum",
                                            "pg_operator",
                                            "pg_publication_rel",
                                            "pg_publication_namespace",
                                            "pg_shdescription",
                                            "pg_foreign_table",
                                            "pg_auth_members",
                                            "pg_language",
                                            "pg_event_trigger",
                                            "pg_partitioned_table",
                                            "pg_cast",
                                            "current_user",
                                            "session_user",
                                            "current_catalog",
                                            "current_role",
                                            "current_schema",
                                            "regclass",
                                            "regtype",
                                            "regproc",
                                            "regnamespace",
                                            "regrole",
                                            NULL};

static const char *const catalog_functions[] = {"version",
                                                "current_schemas",
                                                "current_database",
                                                "current_setting",
                                                "pg_backend_pid",
                                                "format_type",
                                                "pg_get_userbyid",
                                                "pg_table_is_visible",
                                                "has_table_privilege",
                                                "has_schema_privilege",
                                                "has_database_privilege",
                                                "obj_description",
                                                "col_description",
                                                "pg_get_expr",
                                                "pg_encoding_to_char",
                                                "pg_is_in_recovery",
                                                "pg_get_viewdef",
                                                "pg_table_size",
                                                "pg_relation_size",
                                                "pg_total_relation_size",
                                                "pg_size_pretty",
                                                "to_regclass",
                                                "to_regtype",
                                                NULL};

static bool
in_list(const char *const *list, const char *w, size_t n)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(list[i], w, n) == 0)
            return true;
    return false;
}

/* Skips a quoted string / identifier / comment / dollar quote at s[i];
 * returns the index after it, or i if none starts there. */
static size_t
skip_quoted(const char *s, size_t n, size_t i)
{
    char c = s[i];
    if (c == '\'' || c == '"') {
        bool esc = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e');
        size_t j = i + 1;
        while (j < n) {
            if (esc && s[j] == '\\') {
                j += 2;
                continue;
            }
            if (s[j] == c) {
                if (j + 1 < n && s[j + 1] == c) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
        size_t j = i;
        while (j < n && s[j] != '\n')
            j++;
        return j;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        bool closed;
        return lex_block_comment_end(s, n, i, &closed);
    }
    if (c == '$' && !(i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))) {
        size_t j = i + 1;
        while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
            j++;
        if (j < n && s[j] == '$' && !(j > i + 1 && isdigit((unsigned char)s[i + 1]))) {
            size_t tl = j - i + 1;
            for (size_t q = j + 1; q + tl <= n; q++)
                if (memcmp(s + q, s + i, tl) == 0)
                    return q + tl;
            return n;
        }
    }
    return i;
}

bool
pgcat_wants(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = skip_quoted(s, n, i);
        if (j != i) {
            i = j;
            continue;
        }
        if (isalpha((unsigned char)s[i]) || s[i] == '_') {
            size_t k = i;
            while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '$'))
                k++;
            if (in_list(catalog_words, s + i, k - i))
                return true;
            if (in_list(catalog_functions, s + i, k - i)) {
                size_t j = k;
                while (j < n && isspace((unsigned char)s[j]))
                    j++;
                if (j < n && s[j] == '(')
                    return true;
            }
            i = k;
            continue;
        }
        i++;
    }
    return false;
}

bool
pgcat_split(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;
    for (;;) {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == ';'))
            i++;
        size_t j = skip_quoted(s, n, i);
        if (j != i && s[i] == '-') { /* a leading comment */
            i = j;
            continue;
        }
        break;
    }
    if (i >= n) {
        *pos = n;
        return false;
    }
    *start = i;
    int depth = 0;
    while (i < n) {
        size_t j = skip_quoted(s, n, i);
        if (j != i) {
            i = j;
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')')
            depth--;
        else if (s[i] == ';' && depth <= 0)
            break;
        i++;
    }
    *len = i - *start;
    *pos = i < n ? i + 1 : n;
    return true;
}
