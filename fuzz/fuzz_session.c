/*
 * fuzz/fuzz_session.c — libFuzzer target for the protocol decoder and the
 * session state machine of sluiced (RELIABILITY.md S-01).
 *
 * One input is the whole client→server byte stream of one connection. It
 * goes through the real server code: a Server on a real Loop, a Conn made by
 * conn_new() over one end of a socketpair, and from there pgwire.c,
 * pgwire_ext.c, conn.c, commands.c, the planner, the executor and storage.
 * No seam in the server is needed: the fuzzer writes the input into the
 * other end, half-closes it, and runs the loop (draining and discarding the
 * output) until the server has closed and freed the connection.
 *
 * State is reset per input: each input gets a fresh Engine over an empty data
 * directory (under /dev/shm when it exists), freed and removed afterwards, so
 * an input's behaviour depends on nothing but its bytes (plus the clock and
 * the BackendKeyData secret) and LeakSanitizer sees every allocation of a
 * session released. The Loop and the Server (whose listening socket on an
 * ephemeral loopback port never accepts anything) live for the process.
 *
 * A connection that the loop cannot finish within FUZZ_MAX_ITERATIONS loop
 * turns is reported as a hang (abort), as is a server that stops reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "server/commands.h"
#include "server/conn.h"
#include "server/loop.h"
#include "server/server.h"

#define FUZZ_MAX_ITERATIONS 20000
#define FUZZ_SOCKBUF (256 * 1024)

static Loop *g_loop;
static Server *g_srv;
static char g_dir[256];

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    if (ftw->level > 0)
        remove(path);
    return 0;
}

static void
empty_dir(void)
{
    nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
at_exit_cleanup(void)
{
    empty_dir();
    rmdir(g_dir);
}

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_session: %s: %s\n", what, strerror(errno));
    abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN);
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/sluice-fuzz-%d", base, (int)getpid());
    if (mkdir(g_dir, 0700) != 0 && errno != EEXIST)
        fail("mkdir");
    atexit(at_exit_cleanup);

    g_loop = loop_create();
    if (!g_loop)
        fail("loop_create");
    /* The Server needs an engine only while a conn runs: each input sets its own. */
    ServerConfig cfg;
    server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.data_dir = g_dir;
    SqlError err;
    err_init(&err, NULL);
    g_srv = server_new(&cfg, g_loop, NULL, &err);
    if (!g_srv) {
        fprintf(stderr, "fuzz_session: server_new: %s\n", err.message ? err.message : "?");
        abort();
    }
    return 0;
}

/* Read and discard whatever the server has written. Returns false at EOF. */
static bool
drain(int fd)
{
    static char sink[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, sink, sizeof sink);
        if (n > 0)
            continue;
        if (n == 0)
            return false;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SqlError err;
    err_init(&err, NULL);
    EngineConfig ecfg = {.data_dir = g_dir, .fsync = false, .checkpoint_interval_us = 0};
    Engine *engine = cmd_engine_new(&ecfg, &err);
    if (!engine) {
        fprintf(stderr, "fuzz_session: cmd_engine_new: %s\n", err.message ? err.message : "?");
        abort();
    }
    g_srv->engine = engine;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        fail("socketpair");
    int sz = FUZZ_SOCKBUF;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    int client = sv[0];
    if (!conn_new(g_srv, sv[1], "fuzz"))
        fail("conn_new");

    size_t off = 0;
    bool wr_open = true, rd_open = true;
    int iter = 0;
    while (g_srv->nconns > 0) {
        if (++iter > FUZZ_MAX_ITERATIONS) {
            fprintf(stderr, "fuzz_session: connection not finished after %d loop turns "
                            "(%zu of %zu input bytes written)\n", FUZZ_MAX_ITERATIONS, off, size);
            abort();
        }
        while (wr_open && off < size) {
            ssize_t n = write(client, data + off, size - off);
            if (n > 0) {
                off += (size_t)n;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            wr_open = false; /* the server closed its end */
        }
        if (wr_open && off == size) {
            shutdown(client, SHUT_WR); /* EOF: the server closes the conn when it reads it */
            wr_open = false;
        }
        loop_run_once(g_loop, 0);
        if (rd_open)
            rd_open = drain(client);
    }
    /* One more turn would free nothing: nconns counts conns not yet freed. */
    close(client);

    g_srv->engine = NULL;
    cmd_engine_free(engine);
    empty_dir();
    return 0;
}
