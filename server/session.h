/*
 * server/session.h — a connection's run-time parameters: SET / RESET / SHOW
 * of the parameters drivers and tools use (client_encoding, DateStyle,
 * TimeZone, extra_float_digits, application_name, search_path,
 * statement_timeout, ...), ParameterStatus when a reported one changes, and
 * the transaction modes of BEGIN / SET TRANSACTION.
 *
 * Values are validated and kept in canonical form (SHOW prints them as
 * PostgreSQL would). sluice has no transactions and renders values one way,
 * so most settings only need to be accepted and reported faithfully; which
 * ones change behaviour and which are accepted without effect is written in
 * the parameter table (session.c) and shown by SHOW ALL's description.
 * Names containing a dot are custom placeholders (PostgreSQL's "myapp.x"):
 * stored as given.
 *
 * INTERFACE
 *   sess_new / sess_free     a connection's parameters (application_name from startup)
 *   sess_set                 SET name = value | DEFAULT
 *   sess_reset               RESET name | RESET ALL
 *   sess_get                 the current value and display name of a parameter
 *   sess_duration_ms         a duration parameter's value in milliseconds
 *   sess_foreach             every parameter, for SHOW ALL (name, setting, description)
 *   sess_check_txn_modes     BEGIN / SET TRANSACTION modes; SET SESSION CHARACTERISTICS
 *   sess_value_text          the text of a SET statement's value (from the AST)
 */
#ifndef SL_SESSION_H
#define SL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Arena;
struct AstStmt;
struct Buf;
struct SqlError;

typedef struct Session Session;

/* application_name may be NULL. Never fails. */
Session *sess_new(const char *application_name);
void sess_free(Session *s);

/* SET name = value (value NULL: DEFAULT). Unknown name: 42704; read-only:
 * 55P02; bad value: 22023. On success, when the parameter is a reported one
 * and its value changed, appends a ParameterStatus to out. pos is the error
 * position of the value (or -1). Returns 0, or -1 with err set. */
int sess_set(Session *s, const char *name, const char *value, int32_t name_pos, int32_t value_pos,
             struct Buf *out, struct SqlError *err);

/* RESET name (name NULL: RESET ALL), with ParameterStatus as for sess_set. */
int sess_reset(Session *s, const char *name, int32_t pos, struct Buf *out, struct SqlError *err);

/* The current value of name (case-insensitive), or NULL if there is no such
 * parameter. *display (may be NULL) receives the canonical spelling
 * ("DateStyle"). Borrowed: valid until the next sess_set/sess_reset. */
const char *sess_get(const Session *s, const char *name, const char **display);
/* A duration parameter (statement_timeout, ...) in milliseconds; 0 when off. */
int64_t sess_duration_ms(const Session *s, const char *name);

typedef void (*SessParamFn)(void *ctx, const char *name, const char *value, const char *desc);
void sess_foreach(const Session *s, SessParamFn fn, void *ctx);

/* Checks transaction modes written as source text (ISOLATION LEVEL ...,
 * READ WRITE | READ ONLY, [NOT] DEFERRABLE, comma separated or not). With
 * session_default (SET SESSION CHARACTERISTICS AS TRANSACTION) the isolation
 * level and read-only flag become the session's defaults. pos: offset of the
 * text in the statement. Returns 0, or -1 with 42601 / 22023 in err. */
int sess_check_txn_modes(Session *s, const char *text, size_t n, int32_t pos, bool session_default,
                         struct Buf *out, struct SqlError *err);

/* The value of an AST_SET statement as text: a string's contents, a word, a
 * number; a list (SET search_path = a, b) as written. NULL for DEFAULT.
 * sql is the statement's source. Returns memory owned by a. */
const char *sess_value_text(const struct AstStmt *st, const char *sql, struct Arena *a);

#endif
