/*
 * server/pgcatalog_types.c — the built-in PostgreSQL types the catalog
 * emulation knows (pg_type's rows), looked up by OID or by any name regtype
 * input accepts, and format_type().
 *
 * INTERFACE (pgcatalog.h)
 *   pgcat_type_by_oid, pgcat_type_by_name, pgcat_ntypes, pgcat_type_at,
 *   pgcat_format_type
 */
#include "server/pgcatalog.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

/* oid, typname, format_type name, typlen, typcategory, typelem, typarray, typtype */
static const PgcType types[] = {
    {16, "bool", "boolean", 1, 'B', 0, 1000, 'b'},
    {17, "bytea", "bytea", -1, 'U', 0, 1001, 'b'},
    {18, "char", "\"char\"", 1, 'Z', 0, 1002, 'b'},
    {19, "name", "name", 64, 'S', 0, 1003, 'b'},
    {20, "int8", "bigint", 8, 'N', 0, 1016, 'b'},
    {21, "int2", "smallint", 2, 'N', 0, 1005, 'b'},
    {22, "int2vector", "int2vector", -1, 'A', 21, 1006, 'b'},
    {23, "int4", "integer", 4, 'N', 0, 1007, 'b'},
    {24, "regproc", "regproc", 4, 'N', 0, 1008, 'b'},
    {25, "text", "text", -1, 'S', 0, 1009, 'b'},
    {26, "oid", "oid", 4, 'N', 0, 1028, 'b'},
    {27, "tid", "tid", 6, 'U', 0, 1010, 'b'},
    {28, "xid", "xid", 4, 'U', 0, 1011, 'b'},
    {29, "cid", "cid", 4, 'U', 0, 1012, 'b'},
    {30, "oidvector", "oidvector", -1, 'A', 26, 1013, 'b'},
    {114, "json", "json", -1, 'U', 0, 199, 'b'},
    {142, "xml", "xml", -1, 'U', 0, 143, 'b'},
    {194, "pg_node_tree", "pg_node_tree", -1, 'Z', 0, 0, 'b'},
    {700, "float4", "real", 4, 'N', 0, 1021, 'b'},
    {701, "float8", "double precision", 8, 'N', 0, 1022, 'b'},
    {705, "unknown", "unknown", -2, 'X', 0, 0, 'p'},
    {790, "money", "money", 8, 'N', 0, 791, 'b'},
    {869, "inet", "inet", -1, 'I', 0, 1041, 'b'},
    {1033, "aclitem", "aclitem", 12, 'U', 0, 1034, 'b'},
    {1042, "bpchar", "character", -1, 'S', 0, 1014, 'b'},
    {1043, "varchar", "character varying", -1, 'S', 0, 1015, 'b'},
    {1082, "date", "date", 4, 'D', 0, 1182, 'b'},
    {1083, "time", "time without time zone", 8, 'D', 0, 1183, 'b'},
    {1114, "timestamp", "timestamp without time zone", 8, 'D', 0, 1115, 'b'},
    {1184, "timestamptz", "timestamp with time zone", 8, 'D', 0, 1185, 'b'},
    {1186, "interval", "interval", 16, 'T', 0, 1187, 'b'},
    {1266, "timetz", "time with time zone", 12, 'D', 0, 1270, 'b'},
    {1560, "bit", "bit", -1, 'V', 0, 1561, 'b'},
    {1562, "varbit", "bit varying", -1, 'V', 0, 1563, 'b'},
    {1700, "numeric", "numeric", -1, 'N', 0, 1231, 'b'},
    {2205, "regclass", "regclass", 4, 'N', 0, 2210, 'b'},
    {2206, "regtype", "regtype", 4, 'N', 0, 2211, 'b'},
    {2249, "record", "record", -1, 'P', 0, 2287, 'p'},
    {2275, "cstring", "cstring", -2, 'P', 0, 1263, 'p'},
    {2276, "any", "\"any\"", 4, 'P', 0, 0, 'p'},
    {2277, "anyarray", "anyarray", -1, 'P', 0, 0, 'p'},
    {2278, "void", "void", 4, 'P', 0, 0, 'p'},
    {2279, "trigger", "trigger", 4, 'P', 0, 0, 'p'},
    {2283, "anyelement", "anyelement", 4, 'P', 0, 0, 'p'},
    {2950, "uuid", "uuid", 16, 'U', 0, 2951, 'b'},
    {3802, "jsonb", "jsonb", -1, 'U', 0, 3807, 'b'},
    {3904, "int4range", "int4range", -1, 'R', 0, 3905, 'r'},
    {3906, "numrange", "numrange", -1, 'R', 0, 3907, 'r'},
    {3908, "tsrange", "tsrange", -1, 'R', 0, 3909, 'r'},
    {3910, "tstzrange", "tstzrange", -1, 'R', 0, 3911, 'r'},
    {3912, "daterange", "daterange", -1, 'R', 0, 3913, 'r'},
    {3926, "int8range", "int8range", -1, 'R', 0, 3927, 'r'},
    {4089, "regnamespace", "regnamespace", 4, 'N', 0, 4090, 'b'},
    {4096, "regrole", "regrole", 4, 'N', 0, 4097, 'b'},
    /* arrays */
    {199, "_json", "json[]", -1, 'A', 114, 0, 'b'},
    {143, "_xml", "xml[]", -1, 'A', 142, 0, 'b'},
    {791, "_money", "money[]", -1, 'A', 790, 0, 'b'},
    {1000, "_bool", "boolean[]", -1, 'A', 16, 0, 'b'},
    {1001, "_bytea", "bytea[]", -1, 'A', 17, 0, 'b'},
    {1002, "_char", "\"char\"[]", -1, 'A', 18, 0, 'b'},
    {1003, "_name", "name[]", -1, 'A', 19, 0, 'b'},
    {1005, "_int2", "smallint[]", -1, 'A', 21, 0, 'b'},
    {1006, "_int2vector", "int2vector[]", -1, 'A', 22, 0, 'b'},
    {1007, "_int4", "integer[]", -1, 'A', 23, 0, 'b'},
    {1008, "_regproc", "regproc[]", -1, 'A', 24, 0, 'b'},
    {1009, "_text", "text[]", -1, 'A', 25, 0, 'b'},
    {1010, "_tid", "tid[]", -1, 'A', 27, 0, 'b'},
    {1011, "_xid", "xid[]", -1, 'A', 28, 0, 'b'},
    {1012, "_cid", "cid[]", -1, 'A', 29, 0, 'b'},
    {1013, "_oidvector", "oidvector[]", -1, 'A', 30, 0, 'b'},
    {1014, "_bpchar", "character[]", -1, 'A', 1042, 0, 'b'},
    {1015, "_varchar", "character varying[]", -1, 'A', 1043, 0, 'b'},
    {1016, "_int8", "bigint[]", -1, 'A', 20, 0, 'b'},
    {1021, "_float4", "real[]", -1, 'A', 700, 0, 'b'},
    {1022, "_float8", "double precision[]", -1, 'A', 701, 0, 'b'},
    {1028, "_oid", "oid[]", -1, 'A', 26, 0, 'b'},
    {1034, "_aclitem", "aclitem[]", -1, 'A', 1033, 0, 'b'},
    {1041, "_inet", "inet[]", -1, 'A', 869, 0, 'b'},
    {1115, "_timestamp", "timestamp without time zone[]", -1, 'A', 1114, 0, 'b'},
    {1182, "_date", "date[]", -1, 'A', 1082, 0, 'b'},
    {1183, "_time", "time without time zone[]", -1, 'A', 1083, 0, 'b'},
    {1185, "_timestamptz", "timestamp with time zone[]", -1, 'A', 1184, 0, 'b'},
    {1187, "_interval", "interval[]", -1, 'A', 1186, 0, 'b'},
    {1231, "_numeric", "numeric[]", -1, 'A', 1700, 0, 'b'},
    {1263, "_cstring", "cstring[]", -1, 'A', 2275, 0, 'b'},
    {1270, "_timetz", "time with time zone[]", -1, 'A', 1266, 0, 'b'},
    {1561, "_bit", "bit[]", -1, 'A', 1560, 0, 'b'},
    {1563, "_varbit", "bit varying[]", -1, 'A', 1562, 0, 'b'},
    {2210, "_regclass", "regclass[]", -1, 'A', 2205, 0, 'b'},
    {2211, "_regtype", "regtype[]", -1, 'A', 2206, 0, 'b'},
    {2287, "_record", "record[]", -1, 'A', 2249, 0, 'p'},
    {2951, "_uuid", "uuid[]", -1, 'A', 2950, 0, 'b'},
    {3807, "_jsonb", "jsonb[]", -1, 'A', 3802, 0, 'b'},
    {3905, "_int4range", "int4range[]", -1, 'A', 3904, 0, 'b'},
    {3907, "_numrange", "numrange[]", -1, 'A', 3906, 0, 'b'},
    {3909, "_tsrange", "tsrange[]", -1, 'A', 3908, 0, 'b'},
    {3911, "_tstzrange", "tstzrange[]", -1, 'A', 3910, 0, 'b'},
    {3913, "_daterange", "daterange[]", -1, 'A', 3912, 0, 'b'},
    {3927, "_int8range", "int8range[]", -1, 'A', 3926, 0, 'b'},
    {4090, "_regnamespace", "regnamespace[]", -1, 'A', 4089, 0, 'b'},
    {4097, "_regrole", "regrole[]", -1, 'A', 4096, 0, 'b'},
};

/* Spellings the grammar accepts for some types. */
static const struct {
    const char *alias;
    const char *name;
} aliases[] = {
    {"int", "int4"},
    {"integer", "int4"},
    {"smallint", "int2"},
    {"bigint", "int8"},
    {"real", "float4"},
    {"float", "float8"},
    {"double precision", "float8"},
    {"boolean", "bool"},
    {"decimal", "numeric"},
    {"character varying", "varchar"},
    {"character", "bpchar"},
    {"timestamp without time zone", "timestamp"},
    {"timestamp with time zone", "timestamptz"},
    {"time without time zone", "time"},
    {"time with time zone", "timetz"},
    {"bit varying", "varbit"},
    {"regprocedure", "regproc"},
    {"\"char\"", "char"},
    {"\"any\"", "any"},
};

const PgcType *
pgcat_type_by_oid(uint32_t oid)
{
    for (size_t i = 0; i < SL_ARRAY_LEN(types); i++)
        if (types[i].oid == oid)
            return &types[i];
    return NULL;
}

static const PgcType *
by_name(const char *n)
{
    for (size_t i = 0; i < SL_ARRAY_LEN(aliases); i++)
        if (strcmp(aliases[i].alias, n) == 0) {
            n = aliases[i].name;
            break;
        }
    for (size_t i = 0; i < SL_ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, n) == 0)
            return &types[i];
    return NULL;
}

const PgcType *
pgcat_type_by_name(const char *name)
{
    char buf[128];
    size_t n = 0;
    const char *p = name;
    while (isspace((unsigned char)*p))
        p++;
    if (strncasecmp(p, "pg_catalog.", 11) == 0)
        p += 11;
    bool space = false;
    for (; *p && n + 2 < sizeof buf; p++) { /* fold case, squeeze blanks */
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && n > 0 && buf[n - 1] != '[' && *p != '[')
            buf[n++] = ' ';
        space = false;
        buf[n++] = (char)tolower((unsigned char)*p);
    }
    buf[n] = 0;
    int dims = 0;
    while (n >= 2 && buf[n - 2] == '[' && buf[n - 1] == ']') {
        n -= 2;
        buf[n] = 0;
        dims++;
    }
    /* a typmod: varchar(10), numeric(10,2), timestamp(3) without time zone */
    char *paren = strchr(buf, '(');
    if (paren) {
        char *close = strchr(paren, ')');
        if (close)
            memmove(paren, close + 1, strlen(close + 1) + 1);
        n = strlen(buf);
        while (n > 0 && buf[n - 1] == ' ')
            buf[--n] = 0;
    }
    const PgcType *t = by_name(buf);
    if (!t && buf[0] == '"' && n >= 2 && buf[n - 1] == '"') {
        buf[n - 1] = 0;
        t = by_name(buf + 1);
    }
    if (t && dims > 0)
        t = t->array ? pgcat_type_by_oid(t->array) : (t->category == 'A' ? t : NULL);
    return t;
}

int
pgcat_ntypes(void)
{
    return (int)SL_ARRAY_LEN(types);
}

const PgcType *
pgcat_type_at(int i)
{
    return i >= 0 && i < (int)SL_ARRAY_LEN(types) ? &types[i] : NULL;
}

bool
pgcat_format_type(uint32_t oid, Buf *out)
{
    const PgcType *t = pgcat_type_by_oid(oid);
    if (!t)
        return false;
    buf_puts(out, t->sqlname);
    return true;
}
