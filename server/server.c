/*
 * server/server.c — listening sockets, accepting, and the before_sleep hook
 * (see server.h).
 *
 * before_sleep is where deferred work happens, in this order:
 *   1. cmd_tick(now): processing-time work of the engine (it may append rows
 *      to conns and finish streaming queries); it returns the next deadline;
 *   2. pending conns: run input queued behind a finished stream, then write
 *      output (one write syscall batch per conn per iteration, Redis-style);
 *   3. steps 1–2 repeat (bounded) while a cmd_* call may have moved the
 *      engine's next deadline, so the sleep below is never too long;
 *   4. free conns marked closing (cmd_conn_closed first);
 *   5. the epoll timeout is bounded by the deadline (0 if work is left).
 */
#include "server/server.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/util.h"
#include "server/conn.h"

#define ACCEPTS_PER_EVENT 64
#define ACCEPT_PAUSE_MS 100
#define PENDING_PER_ITERATION 4096 /* conn visits per before_sleep; the rest waits a turn */

void
server_config_defaults(ServerConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg); /* auth NULL (trust), no TLS */
    cfg->listen_addr = "127.0.0.1";
    cfg->port = 5460;
    cfg->data_dir = "./sluice-data";
    cfg->max_connections = SERVER_DEFAULT_MAX_CONNECTIONS;
    cfg->max_message = (size_t)1 << 30;
    cfg->max_output = (size_t)64 << 20;
    cfg->startup_timeout_ms = 60000;
}

static void
push_conn(Server *srv, Conn ***arr, int *n, int *cap, Conn *c)
{
    (void)srv;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *arr = sl_realloc(*arr, (size_t)*cap * sizeof **arr);
    }
    (*arr)[(*n)++] = c;
}

void
server_mark_pending(Server *srv, Conn *c)
{
    if (c->queued || c->closing)
        return;
    c->queued = true;
    push_conn(srv, &srv->pending, &srv->npending, &srv->cap_pending, c);
}

void
server_mark_closing(Server *srv, Conn *c)
{
    /* conn_close sets c->closing once, so each conn is pushed once. */
    push_conn(srv, &srv->closing, &srv->nclosing, &srv->cap_closing, c);
}

void
server_cancel(Server *srv, int32_t pid, uint32_t key)
{
    for (Conn *c = srv->conns; c; c = c->next) {
        if (c->pid == pid && c->secret == key && c->authenticated && !c->closing) {
            srv->tick_stale = true;
            cmd_cancel(srv->engine, c);
            return;
        }
    }
}

int
server_count_authenticated(const Server *srv)
{
    return srv->nadmitted;
}

/* ------------------------------------------------------------ before_sleep */

static void
drain_pending(Server *srv)
{
    int i = 0;
    for (; i < srv->npending && i < PENDING_PER_ITERATION; i++) {
        Conn *c = srv->pending[i];
        c->queued = false;
        if (c->closing)
            continue;
        if (c->input_pending)
            conn_process_input(c);
        conn_flush(c);
    }
    /* Keep what is left (conns queued again during this pass) for next time. */
    int k = 0;
    for (int j = i; j < srv->npending; j++)
        srv->pending[k++] = srv->pending[j];
    srv->npending = k;
}

static void
free_closing(Server *srv)
{
    if (srv->nclosing == 0)
        return;
    int k = 0; /* a closing conn must not stay in the pending list once freed */
    for (int j = 0; j < srv->npending; j++)
        if (!srv->pending[j]->closing)
            srv->pending[k++] = srv->pending[j];
    srv->npending = k;
    /* conn_free may close other conns (through cmd_conn_closed): index, not pointer. */
    for (int i = 0; i < srv->nclosing; i++)
        conn_free(srv->closing[i]);
    srv->nclosing = 0;
}

static int
before_sleep(Loop *loop, void *ctx)
{
    (void)loop;
    Server *srv = ctx;
    int64_t deadline = -1;
    for (int round = 0; round < 4; round++) {
        srv->tick_stale = false;
        deadline = cmd_tick(srv->engine, sl_mono_us());
        drain_pending(srv);
        if (!srv->tick_stale)
            break;
    }
    free_closing(srv);
    if (srv->npending > 0 || srv->tick_stale)
        return 0;
    if (deadline < 0)
        return -1;
    int64_t d = deadline - sl_mono_us();
    if (d <= 0)
        return 0;
    int64_t ms = (d + 999) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* ------------------------------------------------------------------ accept */

static void on_accept(Loop *loop, int fd, int fired, void *ctx);

static void
set_accepting(Server *srv, bool on)
{
    for (int i = 0; i < srv->nlisten; i++)
        loop_mod_fd(srv->loop, srv->listen_fds[i], on ? LOOP_READ : LOOP_NONE);
}

static void
on_accept_resume(Loop *loop, int64_t id, void *ctx)
{
    (void)loop;
    (void)id;
    Server *srv = ctx;
    srv->accept_pause_timer = 0;
    set_accepting(srv, true);
}

static void
format_peer(const struct sockaddr_storage *ss, socklen_t len, char *out, size_t outlen)
{
    char host[48], port[8]; /* numeric: INET6_ADDRSTRLEN and "65535" fit */
    if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(out, outlen, "?");
    else
        snprintf(out, outlen, "%s:%s", host, port);
}

static void
on_accept(Loop *loop, int fd, int fired, void *ctx)
{
    (void)loop;
    (void)fired;
    Server *srv = ctx;
    for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int cfd = accept4(fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            /* Out of fds or memory: level-triggered epoll would spin, so back off. */
            fprintf(stderr, "sluiced: accept: %s (pausing %d ms)\n", strerror(errno),
                    ACCEPT_PAUSE_MS);
            if (!srv->accept_pause_timer) {
                set_accepting(srv, false);
                srv->accept_pause_timer =
                    loop_add_timer(srv->loop, ACCEPT_PAUSE_MS, false, on_accept_resume, srv);
            }
            return;
        }
        if (srv->nconns >= srv->cfg.max_connections + SERVER_SPARE_CONNECTIONS) {
            close(cfd);
            continue;
        }
        int one = 1;
        (void)setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char peer[64];
        format_peer(&ss, sl, peer, sizeof peer);
        conn_new(srv, cfd, peer);
    }
}

/* -------------------------------------------------------------- listening */

static int
listen_one(Server *srv, const struct addrinfo *ai, int port, SqlError *err)
{
    char host[NI_MAXHOST];
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST))
        snprintf(host, sizeof host, "?");
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
    if (fd < 0) {
        err_setf(err, ERR_CONNECTION_FAILURE, -1, "could not create socket for %s: %s", host,
                 strerror(errno));
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    /* With port 0, the second address of a name reuses the first one's port. */
    if (port == 0 && srv->port != 0) {
        if (ai->ai_family == AF_INET)
            ((struct sockaddr_in *)ai->ai_addr)->sin_port = htons((uint16_t)srv->port);
        else if (ai->ai_family == AF_INET6)
            ((struct sockaddr_in6 *)ai->ai_addr)->sin6_port = htons((uint16_t)srv->port);
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 511) < 0) {
        int e = errno;
        err_setf(err, ERR_CONNECTION_FAILURE, -1, "could not listen on %s port %d: %s%s", host,
                 port, strerror(e),
                 e == EADDRINUSE ? " (is another sluiced running? try --port)" : "");
        close(fd);
        return -1;
    }
    if (srv->port == 0) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
            srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                       : ((struct sockaddr_in *)&ss)->sin_port);
    }
    if (loop_add_fd(srv->loop, fd, LOOP_READ, on_accept, srv) < 0) {
        err_setf(err, ERR_CONNECTION_FAILURE, -1, "event loop: %s", strerror(errno));
        close(fd);
        return -1;
    }
    srv->listen_fds[srv->nlisten++] = fd;
    return 0;
}

Server *
server_new(const ServerConfig *cfg, Loop *loop, Engine *engine, SqlError *err)
{
    Server *srv = sl_calloc(1, sizeof *srv);
    srv->loop = loop;
    srv->engine = engine;
    srv->cfg = *cfg;
    srv->next_pid = 1;
    if (srv->cfg.max_message < 5)
        srv->cfg.max_message = (size_t)1 << 30;

    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", cfg->port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    const char *host = cfg->listen_addr;
    if (host && (strcmp(host, "*") == 0 || *host == '\0'))
        host = NULL;
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        err_setf(err, ERR_CONNECTION_FAILURE, -1, "could not resolve listen address \"%s\": %s",
                 cfg->listen_addr ? cfg->listen_addr : "*", gai_strerror(rc));
        free(srv);
        return NULL;
    }
    for (struct addrinfo *ai = res; ai && srv->nlisten < SERVER_MAX_LISTEN; ai = ai->ai_next) {
        if (listen_one(srv, ai, cfg->port, err) < 0) {
            freeaddrinfo(res);
            server_free(srv);
            return NULL;
        }
    }
    freeaddrinfo(res);
    loop_set_before_sleep(loop, before_sleep, srv);
    return srv;
}

void
server_free(Server *srv)
{
    if (!srv)
        return;
    loop_set_before_sleep(srv->loop, NULL, NULL);
    if (srv->accept_pause_timer)
        loop_del_timer(srv->loop, srv->accept_pause_timer);
    for (int i = 0; i < srv->nlisten; i++) {
        loop_del_fd(srv->loop, srv->listen_fds[i]);
        close(srv->listen_fds[i]);
    }
    srv->npending = 0;
    free_closing(srv);
    while (srv->conns) {
        Conn *c = srv->conns;
        if (!c->closing) {
            c->closing = true;
            loop_del_fd(srv->loop, c->fd);
        }
        conn_free(c);
        /* conn_free may have marked others closing: they are still in srv->conns. */
        srv->nclosing = 0;
    }
    free(srv->pending);
    free(srv->closing);
    free(srv);
}
