/*
 * server/main.c — sluiced: parse arguments, create the data directory, run
 * the event loop until SIGINT/SIGTERM, then free everything.
 *
 * Signals arrive through a signalfd registered in the loop, so shutdown is
 * an ordinary event (no async-signal-safety puzzles, no globals).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "server/commands.h"
#include "server/loop.h"
#include "server/server.h"

#define SLUICED_VERSION "0.1"

static void
usage(FILE *f)
{
    fprintf(f,
            "Usage: sluiced [OPTION]...\n"
            "Continuous SQL query server (PostgreSQL wire protocol).\n"
            "\n"
            "  --port N          TCP port to listen on (default 5460; 0 = any free port)\n"
            "  --listen ADDR     address to listen on (default 127.0.0.1; * = all)\n"
            "  --data-dir DIR    data directory, created if missing (default ./sluice-data)\n"
            "  --checkpoint-interval SECONDS\n"
            "                    how often views' state is checkpointed, so a restart replays\n"
            "                    only the log written since (default 10; 0 = only at shutdown)\n"
            "  --fsync on|off    on (default): an INSERT/COPY is acknowledged only after its events\n"
            "                    are fsynced to the stream log; off: faster, but events acknowledged\n"
            "                    shortly before a machine crash (not a process crash) can be lost\n"
            "  --help            show this help and exit\n"
            "  --version         show the version and exit\n");
}

static int
bad_args(const char *fmt, const char *arg)
{
    fprintf(stderr, "sluiced: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    return 2;
}

/* mkdir -p */
static int
make_dirs(const char *path)
{
    char tmp[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(tmp, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static void
on_signal(Loop *loop, int fd, int fired, void *ctx)
{
    (void)fired;
    (void)ctx;
    struct signalfd_siginfo si;
    if (read(fd, &si, sizeof si) == (ssize_t)sizeof si)
        fprintf(stderr, "sluiced: received %s, shutting down\n", strsignal((int)si.ssi_signo));
    loop_stop(loop);
}

/* Value of option `name` at argv[*i], as "--name V" or "--name=V"; NULL if not this option. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int
main(int argc, char **argv)
{
    ServerConfig cfg;
    server_config_defaults(&cfg);
    bool fsync_on = true;
    int64_t ckpt_us = 10000000;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("sluiced %s\n", SLUICED_VERSION);
            return 0;
        }
        if ((v = opt_value(argc, argv, &i, "--port", &missing))) {
            char *end;
            errno = 0;
            long p = strtol(v, &end, 10);
            if (*v == '\0' || *end || errno || p < 0 || p > 65535)
                return bad_args("invalid port \"%s\" (expected 0..65535)", v);
            cfg.port = (int)p;
        } else if ((v = opt_value(argc, argv, &i, "--listen", &missing))) {
            if (!*v)
                return bad_args("empty listen address%s", "");
            cfg.listen_addr = v;
        } else if ((v = opt_value(argc, argv, &i, "--checkpoint-interval", &missing))) {
            char *end;
            double sec = strtod(v, &end);
            if (*v == '\0' || *end || sec < 0 || sec > 86400)
                return bad_args("invalid --checkpoint-interval \"%s\" (seconds, 0..86400)", v);
            ckpt_us = (int64_t)(sec * 1e6);
        } else if ((v = opt_value(argc, argv, &i, "--fsync", &missing))) {
            if (strcmp(v, "on") == 0 || strcmp(v, "true") == 0)
                fsync_on = true;
            else if (strcmp(v, "off") == 0 || strcmp(v, "false") == 0)
                fsync_on = false;
            else
                return bad_args("invalid --fsync value \"%s\" (expected on or off)", v);
        } else if ((v = opt_value(argc, argv, &i, "--data-dir", &missing))) {
            if (!*v)
                return bad_args("empty data directory%s", "");
            cfg.data_dir = v;
        } else if (missing) {
            return bad_args("option %s needs a value", a);
        } else {
            return bad_args("unknown argument \"%s\"", a);
        }
        if (missing)
            return bad_args("option %s needs a value", a);
    }

    if (make_dirs(cfg.data_dir) < 0) {
        fprintf(stderr, "sluiced: cannot create data directory \"%s\": %s\n", cfg.data_dir,
                strerror(errno));
        return 1;
    }

    signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    Loop *loop = loop_create();
    if (sigfd < 0 || !loop) {
        fprintf(stderr, "sluiced: cannot set up the event loop: %s\n", strerror(errno));
        return 1;
    }
    loop_add_fd(loop, sigfd, LOOP_READ, on_signal, NULL);

    SqlError err;
    err_init(&err, NULL);
    EngineConfig ecfg = {.data_dir = cfg.data_dir, .fsync = fsync_on,
                         .checkpoint_interval_us = ckpt_us};
    Engine *engine = cmd_engine_new(&ecfg, &err);
    if (!engine) {
        fprintf(stderr, "sluiced: cannot start the engine: %s (SQLSTATE %s)\n",
                err.message ? err.message : "unknown error", err.sqlstate[0] ? err.sqlstate : "XX000");
        if (err.detail)
            fprintf(stderr, "sluiced: DETAIL: %s\n", err.detail);
        if (err.hint)
            fprintf(stderr, "sluiced: HINT: %s\n", err.hint);
        err_clear(&err);
        loop_free(loop);
        close(sigfd);
        return 1;
    }
    cmd_engine_attach_loop(engine, loop);
    Server *srv = server_new(&cfg, loop, engine, &err);
    if (!srv) {
        fprintf(stderr, "sluiced: %s\n", err.message ? err.message : "cannot listen");
        err_clear(&err);
        cmd_engine_free(engine);
        loop_free(loop);
        close(sigfd);
        return 1;
    }
    fprintf(stderr, "sluiced: listening on %s:%d (data dir %s)\n", cfg.listen_addr, srv->port,
            cfg.data_dir);

    int rc = loop_run(loop);
    if (rc < 0)
        fprintf(stderr, "sluiced: event loop failed: %s\n", strerror(errno));

    server_free(srv);
    cmd_engine_free(engine);
    loop_del_fd(loop, sigfd);
    close(sigfd);
    loop_free(loop);
    return rc < 0 ? 1 : 0;
}
