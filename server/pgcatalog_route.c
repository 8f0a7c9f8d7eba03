/*
 * server/pgcatalog_route.c — which statements the catalog emulation answers,
 * and its parameters' text form (see pgcatalog.h).
 *
 * INTERFACE (pgcatalog.h)
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
