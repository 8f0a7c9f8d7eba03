/*
 * server/pgcatalog.h — PostgreSQL catalog emulation, so that unmodified
 * clients (psql's \d family, pgcli's completion queries, JDBC's
 * DatabaseMetaData, psycopg's TypeInfo) work against sluice.
 *
 * sluice's own SQL engine runs single-view continuous queries; the catalog
 * queries clients send are general SQL (joins, subqueries, CASE, casts to
 * reg* types, regex operators, arrays). They are run by an embedded SQLite
 * over an in-memory snapshot of the catalog (pg_class, pg_attribute,
 * pg_type, pg_namespace, ..., information_schema.tables/columns) that is
 * rebuilt when sluice's catalog changes. A token-level translator turns the
 * PostgreSQL dialect into SQLite's (pgcatalog_sql.c), SQL functions emulate
 * the PostgreSQL ones clients call (pgcatalog_funcs.c), and results go out
 * with PostgreSQL type OIDs and text forms (pgcatalog.c).
 *
 * INTERFACE
 *   pgcat_wants            cheap pre-scan: does a statement read the catalog?
 *   pgcat_split            the next top-level statement of a query string
 *   pgcat_new / pgcat_free          the emulation state (one per engine)
 *   pgcat_prepare / pgcat_stmt_free a translated, prepared catalog statement
 *   pgcat_nparams / pgcat_param_oid its parameters ($n)
 *   pgcat_describe         RowDescription of its result
 *   pgcat_exec             run it: RowDescription (optional), DataRows, CommandComplete
 *   pgcat_translate / pgcat_translation_free   the PG → SQLite translator (for tests)
 *   pgcat_is_catalog_query, pgcat_looks_like_select, pgcat_param_text
 *                          routing and parameters (pgcatalog_route.c)
 */
#ifndef SL_PGCATALOG_H
#define SL_PGCATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct Catalog;
struct SqlError;
typedef struct PgCatalog PgCatalog;
typedef struct PgcStmt PgcStmt;

/* Who is asking: the connection's user and database (borrowed). */
typedef struct PgcSession {
    const char *user;
    const char *database;
    int32_t pid;
} PgcSession;

/* True when the statement text names an emulated catalog relation, schema
 * or catalog function (outside string literals and comments). */
bool pgcat_wants(const char *sql, size_t n);

/* The statement starting at *pos (leading blanks skipped) up to its
 * terminating top-level ';' (excluded); *pos moves past it. Returns false at
 * the end of the string. */
bool pgcat_split(const char *sql, size_t n, size_t *pos, size_t *start, size_t *len);

/* Routing: a SELECT-like statement that names the catalog goes to the
 * emulation, unless it is sluice SQL about a sluice object whose name looks
 * like the catalog's. DDL and DML always stay sluice's. */
bool pgcat_is_catalog_query(const struct Catalog *cat, const char *sql, size_t n);
/* SELECT, WITH or VALUES first (after blanks, '(' and comments). */
bool pgcat_looks_like_select(const char *s, size_t n);
/* A binary Bind parameter of declared type oid, appended in its text form
 * (scalars and one-dimensional arrays). -1 with err set (22P03, 0A000). */
int pgcat_param_text(uint32_t oid, const char *data, size_t n, Buf *out, struct SqlError *err);

PgCatalog *pgcat_new(void);
void pgcat_free(PgCatalog *pc);

/* Translates and prepares `sql` (n bytes) against a snapshot of `cat`
 * (refreshed first if the catalog changed). Returns NULL with err set
 * (42601 syntax, 42P01 unknown relation, 42883 unknown function, ...). */
PgcStmt *pgcat_prepare(PgCatalog *pc, const struct Catalog *cat, const char *sql, size_t n,
                       struct SqlError *err);
void pgcat_stmt_free(PgcStmt *st);
int pgcat_nparams(const PgcStmt *st);
/* The type OID reported for parameter i (0-based): as declared, or text. */
uint32_t pgcat_param_oid(const PgcStmt *st, int i, const uint32_t *declared, int ndeclared);
/* Appends RowDescription, or NoData when the statement returns no rows. */
void pgcat_describe(const PgcStmt *st, Buf *out, const int16_t *rfmt, int nrfmt);
/* Runs st with parameter values (text form, NULL = SQL NULL; borrowed) and
 * appends RowDescription (if with_desc), DataRows and CommandComplete.
 * Returns -1 with err set (nothing appended) on failure. */
int pgcat_exec(PgCatalog *pc, const struct Catalog *cat, PgcStmt *st, const PgcSession *sess,
               int nvals, const char *const *vals, bool with_desc, const int16_t *rfmt, int nrfmt,
               Buf *out, struct SqlError *err);

/* The translator. hints: per outermost select item, a column name and a type
 * OID (0 = unknown), only when the list has no '*' (nhints = -1 otherwise). */
typedef struct PgcHint {
    char name[64];
    uint32_t oid;
} PgcHint;

typedef struct PgcTranslation {
    Buf sql;     /* NUL-terminated SQLite text */
    int nparams; /* highest $n */
    int nhints;
    PgcHint *hints; /* malloc'ed */
} PgcTranslation;

int pgcat_translate(const char *sql, size_t n, PgcTranslation *out, struct SqlError *err);
void pgcat_translation_free(PgcTranslation *t);

/* Built-in types (pgcatalog_types.c). */
typedef struct PgcType {
    uint32_t oid;
    const char *name;    /* typname */
    const char *sqlname; /* format_type() form */
    int16_t len;
    char category;
    uint32_t elem;  /* arrays: element type */
    uint32_t array; /* the array type of this type, 0 if none */
    char type;      /* typtype: b base, p pseudo, r range */
} PgcType;

const PgcType *pgcat_type_by_oid(uint32_t oid);
/* A type name as regtype input accepts it ("double precision", "int8",
 * "pg_catalog.int4", "text[]", "_text"); NULL if unknown. */
const PgcType *pgcat_type_by_name(const char *name);
int pgcat_ntypes(void);
const PgcType *pgcat_type_at(int i);
/* format_type(oid, typmod) into out; false for an unknown oid. */
bool pgcat_format_type(uint32_t oid, Buf *out);

#endif
