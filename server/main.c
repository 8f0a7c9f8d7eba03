/*
 * server/main.c — sluiced: parse arguments, create the data directory, run
 * the event loop until SIGINT/SIGTERM, then free everything.
 *
 * Signals arrive through a signalfd registered in the loop, so shutdown is
 * an ordinary event (no async-signal-safety puzzles, no globals).
 *
 * Also: `sluiced --make-user NAME` prints a users-file line (a SCRAM verifier)
 * for the password read from stdin, and the soft RLIMIT_NOFILE is raised to
 * the hard limit so that max_connections sockets fit.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errors.h"
#include "server/auth.h"
#include "server/commands.h"
#include "server/loop.h"
#include "server/scram.h"
#include "server/server.h"
#include "server/tls.h"

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
            "\n"
            "Connections and security:\n"
            "  --max-connections N   clients admitted at once (default %d); beyond it a new\n"
            "                    client gets FATAL 53300 \"sorry, too many clients already\"\n"
            "  --auth-timeout SECONDS\n"
            "                    a client must finish startup and authentication within this\n"
            "                    (default 60, like PostgreSQL's authentication_timeout)\n"
            "  --auth trust|password|scram-sha-256\n"
            "                    client authentication (default trust): password = cleartext\n"
            "                    password (use with TLS), scram-sha-256 = SASL SCRAM-SHA-256\n"
            "  --users FILE      users and their SCRAM-SHA-256 verifiers, one \"name:verifier\"\n"
            "                    a line (PostgreSQL's format, never a password); the file must\n"
            "                    not be group/world accessible (chmod 600), else sluiced\n"
            "                    refuses to start\n"
            "  --make-user NAME  read a password from stdin, print NAME's users-file line, exit\n"
            "  --tls-cert FILE --tls-key FILE\n"
            "                    enable TLS (SSLRequest answered 'S'); the key file must be 0600\n"
            "  --tls-required    refuse clients that do not use TLS (28000)\n"
            "  --help            show this help and exit\n"
            "  --version         show the version and exit\n",
            SERVER_DEFAULT_MAX_CONNECTIONS);
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

/* Raise the soft open-file limit to the hard one (1,000 clients need > 1,024 fds). */
static void
raise_nofile(int max_connections)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t old = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            rl.rlim_cur = old;
    }
    rlim_t need = (rlim_t)max_connections + SERVER_SPARE_CONNECTIONS + 64;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
        fprintf(stderr,
                "sluiced: warning: open file limit %llu is below what --max-connections %d needs "
                "(about %llu); raise it with ulimit -n\n",
                (unsigned long long)rl.rlim_cur, max_connections, (unsigned long long)need);
}

/* sluiced --make-user NAME: password from stdin (no echo on a terminal). */
static int
make_user(const char *name)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        fprintf(stderr, "Password for %s: ", name);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    char pw[1024];
    bool ok = fgets(pw, sizeof pw, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok) {
        fprintf(stderr, "sluiced: --make-user: no password on stdin\n");
        return 1;
    }
    size_t n = strlen(pw);
    if (n == sizeof pw - 1 && pw[n - 1] != '\n') {
        fprintf(stderr, "sluiced: --make-user: password too long\n");
        return 1;
    }
    while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
        pw[--n] = '\0';
    if (n == 0) {
        fprintf(stderr, "sluiced: --make-user: empty password\n");
        return 1;
    }
    Buf out;
    buf_init(&out);
    int rc = auth_make_user_line(name, pw, SCRAM_DEFAULT_ITERATIONS, &out);
    memset(pw, 0, sizeof pw);
    if (rc < 0) {
        fprintf(stderr, "sluiced: --make-user: invalid user name \"%s\" (1..63 characters, "
                        "no ':', spaces or control characters)\n", name);
        buf_free(&out);
        return 1;
    }
    fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int
int_arg(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*v == '\0' || *end || errno || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

/* Everything after the arguments: data directory, signals, loop, engine, server. */
static int
run(const ServerConfig *cfg, bool fsync_on, int64_t ckpt_us)
{
    if (make_dirs(cfg->data_dir) < 0) {
        fprintf(stderr, "sluiced: cannot create data directory \"%s\": %s\n", cfg->data_dir,
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
    EngineConfig ecfg = {.data_dir = cfg->data_dir, .fsync = fsync_on,
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
    Server *srv = server_new(cfg, loop, engine, &err);
    if (!srv) {
        fprintf(stderr, "sluiced: %s\n", err.message ? err.message : "cannot listen");
        err_clear(&err);
        cmd_engine_free(engine);
        loop_free(loop);
        close(sigfd);
        return 1;
    }
    fprintf(stderr, "sluiced: listening on %s:%d (data dir %s)\n", cfg->listen_addr, srv->port,
            cfg->data_dir);

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

int
main(int argc, char **argv)
{
    ServerConfig cfg;
    server_config_defaults(&cfg);
    bool fsync_on = true;
    int64_t ckpt_us = 10000000;
    AuthMethod auth_m = AUTH_TRUST;
    const char *users_file = NULL, *tls_cert = NULL, *tls_key = NULL;

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
        } else if ((v = opt_value(argc, argv, &i, "--make-user", &missing))) {
            return make_user(v);
        } else if ((v = opt_value(argc, argv, &i, "--max-connections", &missing))) {
            long x;
            if (int_arg(v, 1, 1000000, &x) < 0)
                return bad_args("invalid --max-connections \"%s\" (expected 1..1000000)", v);
            cfg.max_connections = (int)x;
        } else if ((v = opt_value(argc, argv, &i, "--auth-timeout", &missing))) {
            char *end;
            double sec = strtod(v, &end);
            if (*v == '\0' || *end || !(sec > 0) || sec > 600)
                return bad_args("invalid --auth-timeout \"%s\" (seconds, > 0 and <= 600)", v);
            cfg.startup_timeout_ms = (int)(sec * 1000 + 0.5);
            if (cfg.startup_timeout_ms < 1)
                cfg.startup_timeout_ms = 1;
        } else if ((v = opt_value(argc, argv, &i, "--auth", &missing))) {
            if (auth_method_parse(v, &auth_m) < 0)
                return bad_args("invalid --auth \"%s\" (expected trust, password or scram-sha-256)",
                                v);
        } else if ((v = opt_value(argc, argv, &i, "--users", &missing))) {
            users_file = v;
        } else if ((v = opt_value(argc, argv, &i, "--tls-cert", &missing))) {
            tls_cert = v;
        } else if ((v = opt_value(argc, argv, &i, "--tls-key", &missing))) {
            tls_key = v;
        } else if (strcmp(a, "--tls-required") == 0) {
            cfg.tls_required = true;
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

    if ((tls_cert == NULL) != (tls_key == NULL))
        return bad_args("--tls-cert and --tls-key go together%s", "");
    if (cfg.tls_required && !tls_cert)
        return bad_args("--tls-required needs --tls-cert and --tls-key%s", "");
    if (auth_m != AUTH_TRUST && !users_file)
        return bad_args("--auth password/scram-sha-256 needs --users FILE (see --make-user)%s", "");

    SqlError err;
    err_init(&err, NULL);
    Auth *auth = auth_new(auth_m, users_file, &err);
    if (!auth) {
        fprintf(stderr, "sluiced: %s\n", err.message ? err.message : "cannot load users");
        if (err.hint)
            fprintf(stderr, "sluiced: HINT: %s\n", err.hint);
        err_clear(&err);
        return 1;
    }
    TlsContext *tls = NULL;
    if (tls_cert) {
        tls = tls_context_new(tls_cert, tls_key, &err);
        if (!tls) {
            fprintf(stderr, "sluiced: %s\n", err.message ? err.message : "cannot set up TLS");
            if (err.hint)
                fprintf(stderr, "sluiced: HINT: %s\n", err.hint);
            err_clear(&err);
            auth_free(auth);
            return 1;
        }
    }
    cfg.auth = auth;
    cfg.tls = tls;
    raise_nofile(cfg.max_connections);
    if (auth_m == AUTH_TRUST && cfg.listen_addr && strcmp(cfg.listen_addr, "127.0.0.1") != 0 &&
        strcmp(cfg.listen_addr, "::1") != 0 && strcmp(cfg.listen_addr, "localhost") != 0)
        fprintf(stderr, "sluiced: warning: --auth trust on %s: anyone who can reach the port "
                        "is let in (use --auth scram-sha-256 --users FILE)\n", cfg.listen_addr);
    if (auth_m != AUTH_TRUST || tls)
        fprintf(stderr, "sluiced: authentication %s (%d users)%s\n", auth_method_name(auth_m),
                auth_user_count(auth),
                tls ? (cfg.tls_required ? ", TLS required" : ", TLS available") : "");

    int rc = run(&cfg, fsync_on, ckpt_us);
    tls_context_free(tls);
    auth_free(auth);
    return rc;
}
