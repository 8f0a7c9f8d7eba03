/*
 * connectors/sink_sql.c — statement texts, type mapping, error classes and
 * conninfo redaction for the PostgreSQL sink (see sink_sql.h).
 */
#include "connectors/sink_sql.h"

#include <libpq-fe.h>
#include <string.h>

#include "common/buf.h"

const char *
sinksql_pg_type(SlType t)
{
    switch (t) {
    case TYPE_BIGINT: return "bigint";
    case TYPE_DOUBLE: return "double precision";
    case TYPE_TEXT: return "text";
    case TYPE_TIMESTAMP: return "timestamptz";
    case TYPE_BOOL: return "boolean";
    case TYPE_INTERVAL: return "interval";
    default: return "text";
    }
}

/* Types that take every value of the sluice type without loss (format_type's
 * spelling). */
bool
sinksql_type_fits(SlType t, const char *pg)
{
    static const char *const bigint[] = {"bigint", "numeric", NULL};
    static const char *const dbl[] = {"double precision", NULL};
    static const char *const text[] = {"text", "character varying", NULL};
    static const char *const ts[] = {"timestamp with time zone", "timestamp without time zone",
                                     NULL};
    static const char *const boolean[] = {"boolean", NULL};
    static const char *const interval[] = {"interval", NULL};
    const char *const *ok = t == TYPE_BIGINT     ? bigint
                          : t == TYPE_DOUBLE     ? dbl
                          : t == TYPE_TEXT       ? text
                          : t == TYPE_TIMESTAMP  ? ts
                          : t == TYPE_BOOL       ? boolean
                          : t == TYPE_INTERVAL   ? interval
                                                 : text;
    for (int i = 0; ok[i]; i++)
        if (strcmp(pg, ok[i]) == 0)
            return true;
    return false;
}

static void
put_list(Buf *out, const char *const *cols, int n, const int *idx)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(out, ", ");
        buf_puts(out, cols[idx ? idx[i] : i]);
    }
}

void
sinksql_create_table(Buf *out, const char *table, int ncols, const char *const *cols,
                     const SlType *types, int nkey, const int *key)
{
    buf_printf(out, "CREATE TABLE IF NOT EXISTS %s (", table);
    for (int i = 0; i < ncols; i++)
        buf_printf(out, "%s%s %s", i ? ", " : "", cols[i], sinksql_pg_type(types[i]));
    if (nkey > 0) {
        buf_puts(out, ", PRIMARY KEY (");
        put_list(out, cols, nkey, key);
        buf_putc(out, ')');
    }
    buf_putc(out, ')');
}

static bool
is_key(int c, int nkey, const int *key)
{
    for (int k = 0; k < nkey; k++)
        if (key[k] == c)
            return true;
    return false;
}

/* nrows tuples of `width` placeholders: ($1, $2), ($3, $4), ... */
static void
put_param_rows(Buf *out, int nrows, int width)
{
    int p = 1;
    for (int r = 0; r < nrows; r++) {
        buf_puts(out, r ? ", (" : "(");
        for (int c = 0; c < width; c++)
            buf_printf(out, c ? ", $%d" : "$%d", p++);
        buf_putc(out, ')');
    }
}

void
sinksql_insert(Buf *out, const char *table, int ncols, const char *const *cols, int nrows,
               bool upsert, int nkey, const int *key)
{
    buf_printf(out, "INSERT INTO %s (", table);
    put_list(out, cols, ncols, NULL);
    buf_puts(out, ") VALUES ");
    put_param_rows(out, nrows, ncols);
    if (!upsert)
        return;
    buf_puts(out, " ON CONFLICT (");
    put_list(out, cols, nkey, key);
    buf_puts(out, ")");
    bool any = false;
    for (int c = 0; c < ncols; c++) {
        if (is_key(c, nkey, key))
            continue;
        buf_printf(out, "%s%s = EXCLUDED.%s", any ? ", " : " DO UPDATE SET ", cols[c], cols[c]);
        any = true;
    }
    if (!any)
        buf_puts(out, " DO NOTHING");
}

void
sinksql_delete(Buf *out, const char *table, const char *const *cols, int nkey, const int *key,
               int nrows)
{
    buf_printf(out, "DELETE FROM %s WHERE (", table);
    put_list(out, cols, nkey, key);
    buf_puts(out, ") IN (");
    put_param_rows(out, nrows, nkey);
    buf_putc(out, ')');
}

/* Errors in the statement itself or the data's fit with the table (syntax
 * and access rule violations, data exceptions) recur on every retry; the
 * rest (connection loss, shutdown, lock conflicts, constraint violations,
 * missing privileges, full disks) may pass, so the sink retries them. */
bool
sinksql_is_permanent(const char *st)
{
    if (!st || strlen(st) != 5)
        return false;
    if (strcmp(st, "42501") == 0) /* insufficient privilege: may be granted */
        return false;
    return strncmp(st, "42", 2) == 0 || strncmp(st, "22", 2) == 0 ||
           strncmp(st, "0A", 2) == 0;
}

int
sinksql_redact(const char *conninfo, Buf *out)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
    if (!opts) {
        buf_puts(out, msg ? msg : "out of memory");
        size_t n = out->len;
        while (n > 0 && (out->data[n - 1] == '\n' || out->data[n - 1] == ' '))
            n--;
        out->len = n;
        out->data[n] = '\0';
        PQfreemem(msg);
        return -1;
    }
    bool first = true;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || strcmp(o->keyword, "password") == 0 ||
            strcmp(o->keyword, "sslpassword") == 0)
            continue;
        buf_printf(out, "%s%s=", first ? "" : " ", o->keyword);
        bool quote = !*o->val || strpbrk(o->val, " '\\") != NULL;
        if (quote)
            buf_putc(out, '\'');
        for (const char *p = o->val; *p; p++) {
            if (*p == '\'' || *p == '\\')
                buf_putc(out, '\\');
            buf_putc(out, *p);
        }
        if (quote)
            buf_putc(out, '\'');
        first = false;
    }
    PQconninfoFree(opts);
    return 0;
}
