/*
 * server/pgcatalog_int.h — shared between the files of the catalog
 * emulation (pgcatalog*.c); see pgcatalog.h.
 *
 * INTERFACE
 *   pgcat_register_functions   the PostgreSQL functions as SQLite functions (pgcatalog_funcs.c)
 *   pgcat_register_array_functions, pgcat_array_parse / pgcat_array_free   arrays
 *                              (pgcatalog_arrays.c)
 *   pgc_text / pgc_result_buf  helpers of the SQL functions
 *   pgcat_session_user / _database / _pid  who runs the current statement (pgcatalog.c)
 *   pgcat_create_schema / pgcat_fill_user  the snapshot's tables and rows (pgcatalog_data.c)
 */
#ifndef SL_PGCATALOG_INT_H
#define SL_PGCATALOG_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "server/pgcatalog.h"

#define PGCAT_VERSION_STRING                                                                       \
    "PostgreSQL 15.0 (sluice 0.1) on x86_64-pc-linux-gnu, compiled by gcc, 64-bit"

/* OIDs of the fixed objects. */
#define PGCAT_NS_CATALOG 11
#define PGCAT_NS_PUBLIC 2200
#define PGCAT_NS_INFO 13000
#define PGCAT_ROLE_OWNER 10
#define PGCAT_FIRST_USER_OID 16384

struct Catalog;

int pgcat_register_functions(sqlite3 *db, PgCatalog *pc);
int pgcat_register_array_functions(sqlite3 *db);

/* Small helpers of the SQL functions. */
static inline const char *
pgc_text(sqlite3_value *v)
{
    return (const char *)sqlite3_value_text(v);
}

/* Sets the function result to b's bytes (copied) and frees b. */
static inline void
pgc_result_buf(sqlite3_context *ctx, Buf *b)
{
    sqlite3_result_text(ctx, b->data ? b->data : "", (int)b->len, SQLITE_TRANSIENT);
    buf_free(b);
}
int pgcat_array_parse(const char *s, char ***elems, bool **isnull);
void pgcat_array_free(char **elems, bool *isnull, int n);
const char *pgcat_session_user(const PgCatalog *pc);
const char *pgcat_session_database(const PgCatalog *pc);
int pgcat_session_pid(const PgCatalog *pc);
/* The sluice object a relation OID stands for, during a statement (else NULL). */
struct CatObject;
const struct CatObject *pgcat_object_of(const PgCatalog *pc, int64_t oid);
/* Creates every table and its fixed rows. 0 or -1 (message in *errmsg, sqlite3_free). */
int pgcat_create_schema(sqlite3 *db, char **errmsg);
/* Replaces the rows describing sluice's objects and the session's database. */
typedef uint32_t (*PgcOidOf)(void *ctx, const char *name);
int pgcat_fill_user(sqlite3 *db, const struct Catalog *cat, const char *user, const char *dbname,
                    PgcOidOf oid_of, void *ctx, char **errmsg);

#endif
