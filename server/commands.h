/*
 * server/commands.h — statement dispatch: the seam between a client
 * connection (pgwire, server/conn.c) and the engine (parser, planner,
 * executor).
 *
 * The connection owns the socket and the protocol state machine; commands
 * own what statements mean. Every function here writes complete protocol
 * messages (RowDescription, DataRow, CommandComplete, ErrorResponse,
 * CopyInResponse, NoticeResponse) into conn->out through server/pgwire.h and
 * never writes ReadyForQuery: that is the connection's job once a query is
 * finished (status CMD_DONE, or conn_query_finished() after streaming).
 *
 * INTERFACE
 *   cmd_engine_new / cmd_engine_free   the engine: catalog + running views (+ sinks)
 *   cmd_engine_attach_loop             give the sinks the event loop
 *   cmd_query         run a simple-Query string (one or more statements)
 *   cmd_copy_data     CopyData bytes during COPY FROM STDIN
 *   cmd_copy_done     CopyDone: ingest what is buffered, finish, run the rest of the query
 *   cmd_copy_fail     CopyFail: abort the COPY, nothing of it is ingested
 *   cmd_cancel        a CancelRequest for this connection: end a SUBSCRIBE with 57014
 *   cmd_conn_closed   the connection is gone: drop its subscriptions and state
 *   cmd_parse / cmd_bind / cmd_describe / cmd_close / cmd_execute / cmd_sync
 *                     the extended query protocol: prepared statements and portals
 *   cmd_txn_status    the ReadyForQuery status: 'T' inside BEGIN ... COMMIT, else 'I'
 *   cmd_tick          processing-time work (EVERY triggers, idle timeouts); returns the
 *                     next deadline in monotonic microseconds, or -1 if none
 */
#ifndef SL_COMMANDS_H
#define SL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Conn;
struct PgwBind;
struct SqlError;
typedef struct Engine Engine;

typedef enum CmdStatus {
    CMD_DONE,      /* query finished (successfully or with an error already written) */
    CMD_COPY_IN,   /* CopyInResponse written: feed cmd_copy_data / cmd_copy_done / cmd_copy_fail */
    CMD_STREAMING  /* a SUBSCRIBE is live: rows are written asynchronously into conn->out;
                      commands call conn_query_finished(conn) when it ends */
} CmdStatus;

typedef struct EngineConfig {
    const char *data_dir;
    bool fsync;           /* fsync stream logs before acknowledging (--fsync) */
    int64_t checkpoint_interval_us; /* --checkpoint-interval; 0 = only at DROP and shutdown */
} EngineConfig;

Engine *cmd_engine_new(const EngineConfig *cfg, struct SqlError *err);
void cmd_engine_free(Engine *e);
/* The loop the engine's sinks connect on; sinks restored at start-up begin now. */
struct Loop;
void cmd_engine_attach_loop(Engine *e, struct Loop *loop);
CmdStatus cmd_query(Engine *e, struct Conn *c, const char *sql, size_t n);
CmdStatus cmd_copy_data(Engine *e, struct Conn *c, const char *data, size_t n);
CmdStatus cmd_copy_done(Engine *e, struct Conn *c);
CmdStatus cmd_copy_fail(Engine *e, struct Conn *c, const char *msg);
/* Extended protocol. Each writes its reply (ParseComplete, BindComplete,
 * ParameterDescription/RowDescription/NoData, CloseComplete, or the rows and
 * CommandComplete/PortalSuspended of Execute) and returns 0, or writes an
 * ErrorResponse and returns -1: the connection then skips to Sync.
 * cmd_execute returns 1 when a SUBSCRIBE streams: conn_query_finished() is
 * called when it ends, with conn->ext_failed set if it ended in an error. */
int cmd_parse(Engine *e, struct Conn *c, const char *name, const char *query, int noids,
              const uint32_t *oids);
int cmd_bind(Engine *e, struct Conn *c, const struct PgwBind *b);
int cmd_describe(Engine *e, struct Conn *c, char kind, const char *name);
int cmd_close(Engine *e, struct Conn *c, char kind, const char *name);
int cmd_execute(Engine *e, struct Conn *c, const char *portal, int64_t max_rows);
/* Sync: the implicit transaction ends; portals are dropped. */
void cmd_sync(Engine *e, struct Conn *c);
void cmd_cancel(Engine *e, struct Conn *c);
void cmd_conn_closed(Engine *e, struct Conn *c);
int64_t cmd_tick(Engine *e, int64_t now_mono_us);
/* sluice has no transactions (every statement takes effect at once), but a block
 * opened by BEGIN is reported as 'T' until COMMIT / ROLLBACK, so drivers that track
 * the status (psycopg, JDBC, psql's prompt) follow their usual flow. */
char cmd_txn_status(const struct Conn *c);

#endif
