/*
 * server/server.h — the sluiced server: listening sockets, the list of
 * connections, and the loop's before_sleep work (flush writes, run queued
 * input, free closed connections, drive cmd_tick deadlines).
 *
 * INTERFACE
 *   server_config_defaults   fill a ServerConfig with the defaults
 *   server_new / server_free listen on cfg's address / close everything
 *   server_mark_pending      a conn has output to flush or input to run before the next sleep
 *   server_mark_closing      a conn is to be freed before the next sleep
 *   server_cancel            route a CancelRequest to the conn with that pid and key
 *   server_count_authenticated   connections admitted (startup packet accepted, not closing)
 */
#ifndef SL_SERVER_H
#define SL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/commands.h"
#include "server/loop.h"

struct Auth;
struct Conn;
struct SqlError;
struct TlsContext;

#define SERVER_MAX_LISTEN 8
/* Connections accepted beyond max_connections, so that CancelRequests and
 * the "too many clients" reply still get through. Over that, accept+close. */
#define SERVER_SPARE_CONNECTIONS 16
#define SERVER_DEFAULT_MAX_CONNECTIONS 1024

typedef struct ServerConfig {
    const char *listen_addr;  /* numeric address or host name; "*" = all */
    int port;                 /* 0 = any free port (see Server.port) */
    const char *data_dir;
    int max_connections;      /* admitted clients (startup packet accepted); over it: 53300 */
    size_t max_message;       /* largest frontend message, length word included */
    size_t max_output;        /* unsent bytes a streaming conn may hold (slow subscriber) */
    int startup_timeout_ms;   /* a conn must finish startup and authentication within this */
    const struct Auth *auth;  /* borrowed; NULL = trust */
    struct TlsContext *tls;   /* borrowed; NULL = no TLS (SSLRequest answered 'N') */
    bool tls_required;        /* refuse StartupMessages sent without TLS (28000) */
} ServerConfig;

typedef struct Server {
    Loop *loop;               /* borrowed */
    Engine *engine;           /* borrowed */
    ServerConfig cfg;         /* strings borrowed */
    int listen_fds[SERVER_MAX_LISTEN];
    int nlisten;
    int port;                 /* the port actually bound */
    struct Conn *conns;       /* every live connection, newest first */
    int nconns;
    int nadmitted;            /* conns counted against max_connections (Conn.admitted) */
    int32_t next_pid;
    struct Conn **pending;    /* conns with work for before_sleep (flag Conn.queued) */
    int npending, cap_pending;
    struct Conn **closing;    /* conns to free in before_sleep (flag Conn.closing) */
    int nclosing, cap_closing;
    bool tick_stale;          /* a cmd_* call ran since the last cmd_tick: ask again */
    int64_t accept_pause_timer;
} Server;

void server_config_defaults(ServerConfig *cfg);
/* Binds and listens on cfg's address and registers with loop. Borrows loop,
 * engine and cfg's strings. Returns NULL with err set (08006) on failure. */
Server *server_new(const ServerConfig *cfg, Loop *loop, Engine *engine, struct SqlError *err);
/* Frees every connection (cmd_conn_closed for authenticated ones) and closes
 * the listening sockets. The loop and engine stay the caller's. */
void server_free(Server *srv);

void server_mark_pending(Server *srv, struct Conn *c);
void server_mark_closing(Server *srv, struct Conn *c);
/* Calls cmd_cancel() on the authenticated conn with this pid and key, if any. */
void server_cancel(Server *srv, int32_t pid, uint32_t key);
int server_count_authenticated(const Server *srv);

#endif
