/*
 * server/notify.h — LISTEN / UNLISTEN on views and streams: each row a view
 * emits (each event of a stream) reaches the listening connection as a
 * NotificationResponse, so any driver's asynchronous notification API sees
 * a view's changes.
 *
 * A notification carries the pid of the connection's BackendKeyData, the
 * channel (the name as given to LISTEN, folded like any identifier) and a
 * JSON object payload: {"_epoch": n, "_op": "insert", "col": value, ...}
 * with BIGINT/DOUBLE as JSON numbers (NaN and infinities as the strings
 * "NaN", "Infinity", "-Infinity"), BOOLEAN as true/false, NULL as null and
 * TEXT, TIMESTAMP and INTERVAL as JSON strings (their PostgreSQL text form),
 * escaped per RFC 8259. Payloads are not cut at PostgreSQL's 8000-byte
 * NOTIFY limit: libpq, psycopg, node-postgres and JDBC read notifications of
 * any length.
 *
 * LISTEN subscribes in the view's default emit mode and delivers rows
 * emitted from then on (the current table of an EMIT UPDATE view is not
 * replayed, unlike SUBSCRIBE). Listening again to the same channel is a
 * no-op, as in PostgreSQL. Notifications are written as soon as the
 * connection is not inside a command (idle, streaming, or between the
 * messages of a pipeline); rows emitted while the listener runs a command
 * itself (its own INSERT) are queued and written right after that command.
 *
 * Bounds: a listener whose unsent output (queued plus unwritten) passes the
 * server's max_output (the SUBSCRIBE budget, 64 MiB by default) stops
 * receiving, gets a FATAL 54000 error and is disconnected once the error is
 * written (or after a short grace if it never reads). A dropped view or
 * stream ends its LISTEN with a NoticeResponse.
 *
 * INTERFACE
 *   notify_new / notify_free   a connection's listens (free unsubscribes them all)
 *   notify_listen              LISTEN name
 *   notify_unlisten            UNLISTEN name | UNLISTEN *
 *   notify_count               how many channels the connection listens to
 */
#ifndef SL_NOTIFY_H
#define SL_NOTIFY_H

#include <stdint.h>

struct Conn;
struct Engine;
struct SqlError;

typedef struct NotifyConn NotifyConn;

NotifyConn *notify_new(struct Engine *e, struct Conn *c);
void notify_free(NotifyConn *n);

/* LISTEN name: 42P01 if no stream or view has that name. pos: of the name.
 * Returns 0, or -1 with err set. */
int notify_listen(NotifyConn *n, const char *name, int32_t pos, struct SqlError *err);

/* UNLISTEN name (NULL: all). Not listening to it is not an error. */
void notify_unlisten(NotifyConn *n, const char *name);

int notify_count(const NotifyConn *n);

#endif
