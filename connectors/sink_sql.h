/*
 * connectors/sink_sql.h — the SQL a PostgreSQL sink sends, built from
 * already-quoted identifiers (PQescapeIdentifier) and $n placeholders only:
 * no value is ever spliced into a statement. Also the mapping of sluice
 * types to PostgreSQL types, the check of an existing target column, the
 * conninfo shown to users (password removed), and the classification of
 * PostgreSQL errors into "retry" and "stop".
 *
 * INTERFACE
 *   sinksql_pg_type        the column type CREATE TABLE uses for a sluice type
 *   sinksql_type_fits      may a target column of this PostgreSQL type take the sluice type?
 *   sinksql_create_table   CREATE TABLE IF NOT EXISTS t (...) [PRIMARY KEY (...)]
 *   sinksql_insert         INSERT INTO t (cols) VALUES (...) x rows [ON CONFLICT ... DO UPDATE]
 *   sinksql_delete         DELETE FROM t WHERE (keys) IN ((...), ...)
 *   sinksql_is_permanent   a SQLSTATE that retrying cannot cure
 *   sinksql_redact         a conninfo without its password, for SHOW and messages
 */
#ifndef SL_SINK_SQL_H
#define SL_SINK_SQL_H

#include <stdbool.h>

#include "common/value.h"

struct Buf;

/* The progress table in the target database (DESIGN §4). */
#define SINKSQL_PROGRESS_DDL                                                          \
    "CREATE TABLE IF NOT EXISTS sluice_sink_progress (sink text PRIMARY KEY, "       \
    "incarnation bigint NOT NULL, epoch bigint NOT NULL, "                           \
    "updated_at timestamptz NOT NULL DEFAULT now())"
#define SINKSQL_PROGRESS_EXISTS "SELECT to_regclass('sluice_sink_progress') IS NOT NULL"
#define SINKSQL_PROGRESS_READ \
    "SELECT incarnation, epoch FROM sluice_sink_progress WHERE sink = $1"
#define SINKSQL_PROGRESS_INSERT \
    "INSERT INTO sluice_sink_progress (sink, incarnation, epoch) VALUES ($1, $2, $3)"
/* Compare-and-set: fails with 22012 (division by zero) when the row is not
 * what this sink last saw, so the whole transaction rolls back (fencing). */
#define SINKSQL_PROGRESS_CAS                                                          \
    "WITH u AS (UPDATE sluice_sink_progress SET incarnation = $2, epoch = $3, "      \
    "updated_at = now() WHERE sink = $1 AND incarnation = $4 AND epoch = $5 "         \
    "RETURNING 1) SELECT 1 / count(*) FROM u"
/* The target's columns: name, type, NOT NULL, has a default. $1 = quoted name. */
#define SINKSQL_COLUMNS                                                                \
    "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, "    \
    "a.atthasdef FROM pg_attribute a WHERE a.attrelid = to_regclass($1) "              \
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"

const char *sinksql_pg_type(SlType t);
bool sinksql_type_fits(SlType t, const char *pg_type);

/* Identifiers are quoted already. nkey = 0: no PRIMARY KEY. */
void sinksql_create_table(struct Buf *out, const char *table, int ncols, const char *const *cols,
                          const SlType *types, int nkey, const int *key);
/* nrows rows of ncols parameters, numbered from $1. upsert: ON CONFLICT (key)
 * DO UPDATE SET the other columns (DO NOTHING when every column is key). */
void sinksql_insert(struct Buf *out, const char *table, int ncols, const char *const *cols,
                    int nrows, bool upsert, int nkey, const int *key);
/* nrows keys of nkey parameters each. */
void sinksql_delete(struct Buf *out, const char *table, const char *const *cols, int nkey,
                    const int *key, int nrows);

bool sinksql_is_permanent(const char *sqlstate);

/* The conninfo's settings but the password ("host=h port=5432 dbname=d
 * user=u"); into out. Returns -1 with a libpq message in out when it does not
 * parse. */
int sinksql_redact(const char *conninfo, struct Buf *out);

#endif
