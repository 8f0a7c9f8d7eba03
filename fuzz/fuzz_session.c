/*
 * fuzz/fuzz_session.c — libFuzzer target for the protocol decoder and the
 * session state machine of sluiced (RELIABILITY.md S-01).
 *
 * One input is the whole client→server byte stream of one connection. It
 * goes through the real server code: a Server on a real Loop, a Conn made by
 * conn_new() over one end of a socketpair, and from there pgwire.c,
 * pgwire_ext.c, conn.c, commands.c, the planner, the executor and storage.
 * No seam in the server is needed: the fuzzer writes the input into the
 * other end and runs the loop (reading and checking the output) until the
 * server is quiet, then half-closes its end and runs the loop until the
 * server has closed and freed the connection.
 *
 * State is reset per input: each input gets a fresh Engine over an empty data
 * directory (under /dev/shm when it exists), freed and removed afterwards, so
 * an input's behaviour depends on nothing but its bytes (plus the clock and
 * the BackendKeyData secret) and LeakSanitizer sees every allocation of a
 * session released. The Loop and the Server (whose listening socket on an
 * ephemeral loopback port never accepts anything) live for the process.
 *
 * An input ending in a CancelRequest packet also cancels the session from a
 * second connection (cancel_trailer).
 *
 * Besides the sanitizers, two oracles abort: a connection that the loop cannot
 * finish within FUZZ_MAX_ITERATIONS turns (a hang), and server output that is
 * not a well-formed stream of backend messages (check_output).
 */
#include <errno.h>
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
static bool g_verbose; /* FUZZ_SESSION_VERBOSE=1: one line per input (without -close_fd_mask) */

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
    g_verbose = getenv("FUZZ_SESSION_VERBOSE") != NULL;
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

/*
 * The server's output must be a well-formed stream of backend messages: a
 * known type byte, a length word >= 4, the body, and the stream ends on a
 * message boundary. The only unframed bytes are the 'N' answers to
 * SSLRequest / GSSENCRequest, which come before any framed message.
 */
typedef struct OutCheck {
    bool framed_seen;  /* a framed message has started: no more bare 'N' */
    int hdr_have;      /* bytes of the current 5-byte header collected */
    unsigned char hdr[5];
    uint64_t body_left; /* body bytes of the current message still to come */
    uint64_t total;
    unsigned nerrors;   /* ErrorResponses seen (for FUZZ_SESSION_VERBOSE) */
} OutCheck;

static void
bad_output(const OutCheck *oc, const char *what)
{
    fprintf(stderr, "fuzz_session: malformed server output at byte %llu: %s "
                    "(type 0x%02x, length %02x%02x%02x%02x)\n", (unsigned long long)oc->total, what,
            oc->hdr[0], oc->hdr[1], oc->hdr[2], oc->hdr[3], oc->hdr[4]);
    abort();
}

static void
check_output(OutCheck *oc, const unsigned char *p, size_t n)
{
    static const char backend_types[] = "123ACDEGHIKNRSTVWZcdnstv";
    for (size_t i = 0; i < n;) {
        if (oc->body_left > 0) {
            size_t k = n - i < oc->body_left ? n - i : (size_t)oc->body_left;
            oc->body_left -= k;
            i += k;
            oc->total += k;
            continue;
        }
        oc->hdr[oc->hdr_have++] = p[i++];
        oc->total++;
        if (oc->hdr_have == 1) {
            if (!oc->framed_seen && oc->hdr[0] == 'N' && (i == n || p[i] != 0)) {
                oc->hdr_have = 0; /* a bare 'N' (SSL/GSS refused); a framed N starts with 0 */
                continue;
            }
            if (!oc->hdr[0] || !strchr(backend_types, oc->hdr[0]))
                bad_output(oc, "unknown backend message type");
            oc->framed_seen = true;
            oc->nerrors += oc->hdr[0] == 'E';
        }
        if (oc->hdr_have < 5)
            continue;
        uint32_t len = (uint32_t)oc->hdr[1] << 24 | (uint32_t)oc->hdr[2] << 16 |
                       (uint32_t)oc->hdr[3] << 8 | oc->hdr[4];
        if (len < 4 || len > 0x7FFFFFFF)
            bad_output(oc, "bad message length");
        oc->body_left = len - 4;
        oc->hdr_have = 0;
    }
}

/* Read and check whatever the server has written. Returns false at EOF;
 * *got counts the bytes read. */
static bool
drain(int fd, OutCheck *oc, size_t *got)
{
    static unsigned char sink[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, sink, sizeof sink);
        if (n > 0) {
            check_output(oc, sink, (size_t)n);
            *got += (size_t)n;
            continue;
        }
        if (n == 0) {
            if (oc->hdr_have != 0 || oc->body_left != 0)
                bad_output(oc, "stream ends inside a message");
            return false;
        }
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

/*
 * Cancel: an input that ends with a CancelRequest packet (16 bytes: length 16,
 * code 80877102, pid, key) does not send it on its own connection. Once the
 * server is quiet, the packet goes on a second connection, as a client's
 * cancel does, with the real pid and secret of the first one and the key XORed
 * with the packet's key field (0: the right key; anything else: a wrong one).
 */
static bool
cancel_trailer(const uint8_t *data, size_t *size, uint32_t *key_xor)
{
    static const uint8_t head[8] = {0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e};
    if (*size < 32 || memcmp(data + *size - 16, head, 8) != 0)
        return false;
    const uint8_t *k = data + *size - 4;
    *key_xor = (uint32_t)k[0] << 24 | (uint32_t)k[1] << 16 | (uint32_t)k[2] << 8 | k[3];
    *size -= 16;
    return true;
}

static bool
conn_alive(const Conn *c)
{
    for (const Conn *x = g_srv->conns; x; x = x->next)
        if (x == c)
            return !x->closing;
    return false;
}

/* Opens the cancel connection; returns the fuzzer's end of it. */
static int
send_cancel(const Conn *target, uint32_t key_xor)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        fail("socketpair");
    if (!conn_new(g_srv, sv[1], "fuzz-cancel"))
        fail("conn_new");
    uint32_t w[4] = {16, 80877102, (uint32_t)target->pid, target->secret ^ key_xor};
    uint8_t pkt[16];
    for (int i = 0; i < 4; i++) {
        pkt[i * 4] = (uint8_t)(w[i] >> 24);
        pkt[i * 4 + 1] = (uint8_t)(w[i] >> 16);
        pkt[i * 4 + 2] = (uint8_t)(w[i] >> 8);
        pkt[i * 4 + 3] = (uint8_t)w[i];
    }
    if (write(sv[0], pkt, sizeof pkt) != (ssize_t)sizeof pkt)
        fail("write cancel");
    shutdown(sv[0], SHUT_WR);
    return sv[0];
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
    Conn *conn = conn_new(g_srv, sv[1], "fuzz");
    if (!conn)
        fail("conn_new");
    uint32_t key_xor = 0;
    bool want_cancel = cancel_trailer(data, &size, &key_xor);
    int cancel_fd = -1;

    /*
     * Write the input, run the loop until the server is quiet (it has read and
     * answered everything it will answer: two turns in a row with no event, no
     * output and no pending work), then half-close: the server closes the conn
     * when it reads the EOF (dropping any output not yet written, which is why
     * the quiet phase comes first), and the loop runs until the conn is freed.
     */
    OutCheck oc = {0};
    size_t off = 0;
    bool wr_open = true, rd_open = true;
    int iter = 0, quiet = 0;
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
        if (wr_open && off == size && quiet >= 2 && want_cancel) {
            want_cancel = false;
            quiet = 0;
            if (conn_alive(conn))
                cancel_fd = send_cancel(conn, key_xor);
        }
        if (wr_open && off == size && quiet >= 2) {
            shutdown(client, SHUT_WR);
            wr_open = false;
        }
        int events = loop_run_once(g_loop, 0);
        size_t got = 0;
        if (rd_open)
            rd_open = drain(client, &oc, &got);
        if (events == 0 && got == 0 && g_srv->npending == 0)
            quiet++;
        else
            quiet = 0;
    }
    /* The server's end is closed: read the rest of its output. */
    size_t got = 0;
    if (rd_open)
        drain(client, &oc, &got);
    close(client);
    if (cancel_fd >= 0)
        close(cancel_fd);
    if (g_verbose)
        fprintf(stderr, "fuzz_session: %zu input bytes, %llu output bytes (%u ErrorResponse), "
                        "well-formed%s\n", size, (unsigned long long)oc.total, oc.nerrors,
                cancel_fd >= 0 ? ", cancel sent" : "");

    g_srv->engine = NULL;
    cmd_engine_free(engine);
    empty_dir();
    return 0;
}
