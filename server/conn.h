/*
 * server/conn.h — one client connection: socket I/O (plain or TLS) with
 * input and output buffers, and the protocol state machine (startup → TLS
 * handshake → authentication → idle ⇄ query, COPY IN, streaming). Statement meaning lives behind server/commands.h.
 *
 * INTERFACE
 *   conn_new              wrap an accepted, non-blocking socket and watch it
 *   conn_free             release a connection (only from Server's before_sleep)
 *   conn_close            mark for deferred destruction (safe anywhere)
 *   conn_process_input    run the state machine over buffered input
 *   conn_flush            write buffered output now, without blocking
 *   conn_query_finished   (for commands) a streaming query ended: ReadyForQuery, go idle
 *   conn_flush_soon       (for commands) conn->out has new bytes: get them written
 */
#ifndef SL_CONN_H
#define SL_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct AuthSession;
struct Server;
struct TlsConn;

typedef enum ConnState {
    CONN_STARTUP,      /* waiting for SSLRequest / StartupMessage / CancelRequest */
    CONN_AUTH,         /* Authentication request sent: PasswordMessage / SASL response expected */
    CONN_IDLE,         /* authenticated, ReadyForQuery sent */
    CONN_COPY_IN,      /* CopyInResponse sent: CopyData / CopyDone / CopyFail expected */
    CONN_STREAMING,    /* a SUBSCRIBE is writing rows; input is only peeked at */
    CONN_SKIP_TO_SYNC  /* an extended-protocol message failed: discard until Sync */
} ConnState;

typedef struct Conn {
    Buf out;               /* complete backend messages not yet written; commands append here */
    void *cmd;             /* owned by the commands layer; NULL at start */
    struct Server *srv;
    int32_t pid;           /* BackendKeyData process id (unique per server run) */
    uint32_t secret;       /* BackendKeyData secret key */
    int fd;
    ConnState state;
    bool authenticated;    /* StartupMessage accepted: cmd_conn_closed() is owed on close */
    bool closing;          /* marked for destruction in before_sleep */
    bool close_after_reply;/* FATAL sent: close once out is written */
    bool read_paused;      /* READ interest removed (backpressure) */
    bool queued;           /* in the server's pending list */
    bool input_pending;    /* buffered input waits to be processed (e.g. after a stream ended) */
    bool in_cmd;           /* inside a cmd_* call */
    bool finish_requested; /* conn_query_finished() was called during that cmd_* call */
    bool ext_stream;       /* the stream was started by an extended-protocol Execute */
    bool ext_failed;       /* (set by commands) that stream ended in an error */
    int negotiations;      /* SSLRequest / GSSENCRequest packets seen */
    size_t out_sent;       /* bytes of out already written */
    Buf in;                /* bytes read, not yet consumed */
    int64_t startup_timer; /* loop timer id until authenticated (auth timeout), 0 after */
    struct AuthSession *auth; /* while in CONN_AUTH */
    struct TlsConn *tls;   /* after an accepted SSLRequest: all I/O goes through it */
    bool tls_handshaking;  /* TLS handshake in progress (no protocol messages yet) */
    int tls_want;          /* LOOP_READ/LOOP_WRITE the pending TLS operation waits for */
    bool admitted;         /* counted in Server.nadmitted (against max_connections) */
    char *user;
    char *database;
    char *application_name;
    char peer[64];         /* "addr:port" for logs */
    struct Conn *prev, *next; /* Server's list of connections */
} Conn;

/* Takes ownership of fd (closed by conn_free). Registers it with the loop and
 * links the conn into srv's list. Returns NULL (fd closed) if the loop refuses it. */
Conn *conn_new(struct Server *srv, int fd, const char *peer);
/* Calls cmd_conn_closed() first if the conn was authenticated, then unlinks
 * and frees everything. Only the Server calls this, outside any callback of c. */
void conn_free(Conn *c);
/* Stops all I/O on c and schedules its destruction. why (may be NULL) is logged. */
void conn_close(Conn *c, const char *why);
/* Runs the state machine over c->in until it needs more bytes or must wait. */
void conn_process_input(Conn *c);
/* Writes as much of c->out as the socket takes; manages WRITE interest. */
void conn_flush(Conn *c);

/* For the commands layer: the streaming query of c has ended (any error or
 * CommandComplete already appended). Appends ReadyForQuery (not for an
 * extended-protocol Execute: Sync does that), returns c to idle (or to
 * skipping until Sync after an error) and processes queued input soon.
 * Ignored unless c is streaming. */
void conn_query_finished(struct Conn *c);
/* For the commands layer: c->out has new bytes; they are written before the
 * loop next sleeps (or when the socket is writable). Never blocks. Closes a
 * streaming conn whose unsent output exceeds the server's cap (slow subscriber). */
void conn_flush_soon(struct Conn *c);

#endif
