/*
 * shell/main.c — the sluice shell: arguments, connection, input loops, statement execution.
 *
 * Modes: interactive (stdin is a terminal and no -c/-f: readline with history and completion)
 * or script (-c, -f, or piped stdin). Every complete statement is sent on its own with
 * PQsendQuery and its results are printed as psql would print them. Exit status: 0, 1 when
 * something failed in script mode (execution continues after errors, like psql without
 * ON_ERROR_STOP), 2 when the connection cannot be made or is lost in script mode.
 *
 * Ctrl-C: while a statement runs, the SIGINT handler calls PQcancel (async-signal-safe); at the
 * prompt it clears the input; in script mode outside a statement it terminates the shell.
 * Process-wide state (signal flags, the readline callback target) lives here and nowhere else.
 *
 * INTERFACE
 *   main                  entry point
 *   sh_run_statement      send one statement, print its results, handle COPY
 *   sh_exec_quiet         run a helper query silently (only when the session is idle)
 *   sh_cancel_arm / sh_cancel_disarm / sh_interrupts   Ctrl-C plumbing
 *   sh_connection_check   report a lost connection; reset it once (interactive) or exit
 *   sh_process_file       run the statements of a file (-f, \i)
 */
#include "shell/shell_int.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "common/util.h"
#include "shell/input.h"

#define SH_DEFAULT_HOST "127.0.0.1"
#define SH_DEFAULT_PORT "5460"
#define SH_HISTORY_SIZE 1000

static volatile sig_atomic_t g_interrupts;  /* SIGINTs since the last arm / prompt reset */
static volatile sig_atomic_t g_armed;       /* a statement is running: SIGINT cancels it */
static volatile sig_atomic_t g_interactive;
static PGcancel *volatile g_cancel;
static PGconn *g_cancel_conn;               /* connection g_cancel belongs to */

static Shell *g_rl_shell;                   /* readline callbacks take no user pointer */
static ShSplitter *g_rl_splitter;
static Buf g_rl_history;                    /* lines of the statement being typed */

static void
on_sigint(int sig)
{
    (void)sig;
    int saved = errno;
    g_interrupts++;
    if (g_armed && g_cancel) {
        char err[256];
        PQcancel(g_cancel, err, sizeof err);
    } else if (!g_interactive) {
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    errno = saved;
}

void
sh_cancel_arm(Shell *sh)
{
    g_armed = 0;
    if (g_cancel_conn != sh->conn || !g_cancel) {
        PGcancel *old = g_cancel;
        g_cancel = NULL;
        if (old)
            PQfreeCancel(old);
        g_cancel = sh->conn ? PQgetCancel(sh->conn) : NULL;
        g_cancel_conn = sh->conn;
    }
    g_interrupts = 0;
    g_armed = 1;
}

void
sh_cancel_disarm(void)
{
    g_armed = 0;
}

int
sh_interrupts(void)
{
    return (int)g_interrupts;
}

static void
forget_cancel(void)
{
    g_armed = 0;
    PGcancel *old = g_cancel;
    g_cancel = NULL;
    g_cancel_conn = NULL;
    if (old)
        PQfreeCancel(old);
}

static void
on_notice(void *arg, const char *msg)
{
    Shell *sh = arg;
    if (!sh->muted)
        sh_print_error(sh, msg);
}

bool
sh_connection_check(Shell *sh)
{
    if (sh->conn && PQstatus(sh->conn) == CONNECTION_OK)
        return true;
    forget_cancel();
    if (!sh->interactive) {
        fflush(stdout);
        fprintf(stderr, "sluice: error: connection to server was lost\n");
        exit(2);
    }
    fprintf(stderr, "The connection to the server was lost. Attempting reset: ");
    PQreset(sh->conn);
    if (PQstatus(sh->conn) == CONNECTION_OK) {
        fprintf(stderr, "Succeeded.\n");
        return true;
    }
    fprintf(stderr, "Failed.\n");
    return false;
}

/* Before a statement: an interactive shell tries one silent reset of a dead connection. */
static bool
ensure_connected(Shell *sh)
{
    if (PQstatus(sh->conn) == CONNECTION_OK)
        return true;
    if (sh->interactive) {
        forget_cancel();
        PQreset(sh->conn);
        if (PQstatus(sh->conn) == CONNECTION_OK)
            return true;
    }
    sh_print_error(sh, "You are currently not connected to a database.");
    return false;
}

PGresult *
sh_exec_quiet(Shell *sh, const char *sql)
{
    /* never disturb a transaction: a failed helper query would abort it */
    if (!sh->conn || PQstatus(sh->conn) != CONNECTION_OK ||
        PQtransactionStatus(sh->conn) != PQTRANS_IDLE)
        return NULL;
    sh->muted = true;
    PGresult *res = PQexec(sh->conn, sql);
    sh->muted = false;
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        PQclear(res);
        return NULL;
    }
    return res;
}

static double
now_ms(void)
{
    return (double)sl_mono_us() / 1000.0;
}

/* Where COPY FROM STDIN data comes from: the script being run, or the terminal. */
static FILE *g_copy_src;

static char *
read_copy_line(Shell *sh, bool *eof)
{
    *eof = false;
    if (!g_copy_src) {
        char *line = readline(">> ");
        if (!line)
            *eof = true;
        return line;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, g_copy_src);
    if (n < 0) {
        free(line);
        *eof = true;
        return NULL;
    }
    sh->src_line++;
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

static void
copy_in(Shell *sh)
{
    if (!g_copy_src) {
        printf("Enter data to be copied followed by a newline.\n"
               "End with a backslash and a period on a line by itself, or an EOF signal.\n");
        fflush(stdout);
    }
    const char *errmsg = NULL;
    for (;;) {
        bool eof;
        char *line = read_copy_line(sh, &eof);
        if (g_interrupts) {
            free(line);
            errmsg = "canceled by user";
            break;
        }
        if (eof)
            break;
        if (strcmp(line, "\\.") == 0) {
            free(line);
            break;
        }
        size_t n = strlen(line);
        line[n] = '\n';             /* getline/readline leave room: replace the terminator */
        int ok = PQputCopyData(sh->conn, line, (int)n + 1);
        free(line);
        if (ok != 1)
            break;
    }
    PQputCopyEnd(sh->conn, errmsg);
}

static void
copy_out(Shell *sh)
{
    char *data;
    int n;
    while ((n = PQgetCopyData(sh->conn, &data, 0)) > 0) {
        fwrite(data, 1, (size_t)n, stdout);
        fflush(stdout);             /* COPY (SUBSCRIBE v) TO STDOUT streams */
        PQfreemem(data);
    }
}

bool
sh_run_statement(Shell *sh, const char *sql)
{
    if (!ensure_connected(sh))
        return false;
    if (sh_is_subscribe(sql))
        return sh_subscribe(sh, sql);

    double start = now_ms();
    sh_cancel_arm(sh);
    if (!PQsendQuery(sh->conn, sql)) {
        sh_cancel_disarm();
        sh_print_error(sh, PQerrorMessage(sh->conn));
        sh_connection_check(sh);
        return false;
    }
    bool ok = true;
    PGresult *res;
    while ((res = PQgetResult(sh->conn)) != NULL) {
        switch (PQresultStatus(res)) {
        case PGRES_COPY_IN:
            copy_in(sh);
            break;
        case PGRES_COPY_OUT:
            copy_out(sh);
            break;
        case PGRES_FATAL_ERROR:
        case PGRES_BAD_RESPONSE:
            ok = false;
            sh_print_result(sh, res);
            break;
        default:
            sh_print_result(sh, res);
            break;
        }
        PQclear(res);
        if (PQstatus(sh->conn) != CONNECTION_OK)
            break;
    }
    sh_cancel_disarm();
    if (sh->timing)
        sh_print_timing(now_ms() - start);
    fflush(stdout);
    if (!sh_connection_check(sh))
        return false;
    if (ok && sh->interactive && sh_is_ddl(sql))
        sh_complete_refresh(sh);
    return ok;
}

/* Feed one input line (without its newline) and run whatever it completes. */
static void
process_line(Shell *sh, ShSplitter *sp, const char *line)
{
    Buf tmp;
    buf_init(&tmp);
    buf_puts(&tmp, line);
    buf_putc(&tmp, '\n');
    sh_splitter_feed(sp, tmp.data, tmp.len);
    buf_free(&tmp);

    char *piece;
    ShPiece kind;
    while (!sh->quit && (kind = sh_splitter_next(sp, &piece)) != SH_PIECE_NONE) {
        bool ok = kind == SH_PIECE_STMT ? sh_run_statement(sh, piece) : sh_meta(sh, piece);
        if (!ok)
            sh->any_failed = true;
        free(piece);
    }
}

static void
finish_input(Shell *sh, ShSplitter *sp)
{
    char *rest = sh_splitter_rest(sp);
    if (rest && !sh->quit) {
        if (!sh_run_statement(sh, rest))
            sh->any_failed = true;
    }
    free(rest);
}

static void
process_stream(Shell *sh, FILE *fp)
{
    ShSplitter sp;
    sh_splitter_init(&sp);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    FILE *saved_copy = g_copy_src;
    g_copy_src = fp;
    while (!sh->quit && (n = getline(&line, &cap, fp)) >= 0) {
        sh->src_line++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        process_line(sh, &sp, line);
    }
    free(line);
    finish_input(sh, &sp);
    sh_splitter_free(&sp);
    g_copy_src = saved_copy;
}

bool
sh_process_file(Shell *sh, const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        fflush(stdout);
        fprintf(stderr, "sluice: error: %s: %s\n", path, strerror(errno));
        return false;
    }
    const char *saved_name = sh->src_name;
    int saved_line = sh->src_line;
    sh->src_name = fp == stdin ? "<stdin>" : path;
    sh->src_line = 0;
    process_stream(sh, fp);
    sh->src_name = saved_name;
    sh->src_line = saved_line;
    if (fp != stdin)
        fclose(fp);
    return true;
}

static void
process_command_string(Shell *sh, const char *text)
{
    ShSplitter sp;
    sh_splitter_init(&sp);
    FILE *saved_copy = g_copy_src;
    g_copy_src = stdin;             /* psql -c "COPY ... FROM STDIN" reads stdin */
    const char *p = text;
    while (*p && !sh->quit) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = sl_strndup(p, n);
        process_line(sh, &sp, line);
        free(line);
        p += n + (nl ? 1 : 0);
    }
    finish_input(sh, &sp);
    sh_splitter_free(&sp);
    g_copy_src = saved_copy;
}

/* ---------------------------------------------------------------- interactive loop */

static const char *
prompt_for(const ShSplitter *sp)
{
    if (sh_splitter_blank(sp))
        return "sluice=> ";
    switch (sh_splitter_mode(sp)) {
    case SH_LEX_SQUOTE:
    case SH_LEX_ESTRING:
        return "sluice'> ";
    case SH_LEX_DQUOTE:
        return "sluice\"> ";
    case SH_LEX_BLOCK_COMMENT:
        return "sluice*> ";
    case SH_LEX_DOLLAR:
        return "sluice$> ";
    default:
        return "sluice-> ";
    }
}

static void
on_readline(char *line)
{
    Shell *sh = g_rl_shell;
    if (!line) {
        printf("\n");
        sh->quit = true;
        rl_callback_handler_remove();
        return;
    }
    if (*line) {
        if (g_rl_history.len)
            buf_putc(&g_rl_history, '\n');
        buf_puts(&g_rl_history, line);
    }
    /* readline's terminal settings are off while the handler runs; SIGINT cancels */
    process_line(sh, g_rl_splitter, line);
    free(line);
    g_interrupts = 0;               /* a Ctrl-C that cancelled a statement is used up */
    if (sh_splitter_blank(g_rl_splitter) && g_rl_history.len) {
        add_history(g_rl_history.data);
        buf_clear(&g_rl_history);
    }
    if (sh->quit)
        rl_callback_handler_remove();   /* no prompt after \q */
    else
        rl_set_prompt(prompt_for(g_rl_splitter));
}

static char *
history_path(void)
{
    const char *env = getenv("SLUICE_HISTORY");
    if (env && *env)
        return sl_strdup(env);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    Buf b;
    buf_init(&b);
    buf_printf(&b, "%s/.sluice_history", home);
    return b.data;
}

static void
run_interactive(Shell *sh)
{
    ShSplitter sp;
    sh_splitter_init(&sp);
    buf_init(&g_rl_history);
    g_rl_shell = sh;
    g_rl_splitter = &sp;
    g_copy_src = NULL;

    char *hist = history_path();
    using_history();
    stifle_history(SH_HISTORY_SIZE);
    if (hist)
        read_history(hist);
    sh_complete_init(sh);
    sh_complete_refresh(sh);

    if (!sh->quiet) {
        const char *ver = PQparameterStatus(sh->conn, "server_version");
        printf("sluice (server %s)\nType \"\\?\" for help.\n\n", ver ? ver : "unknown");
        fflush(stdout);
    }

    rl_catch_signals = 0;           /* our SIGINT handler stays in charge */
    rl_callback_handler_install(prompt_for(&sp), on_readline);
    while (!sh->quit) {
        struct pollfd pfd = {.fd = fileno(rl_instream ? rl_instream : stdin), .events = POLLIN};
        int rc = poll(&pfd, 1, -1);
        if (g_interrupts) {
            /* Ctrl-C at the prompt: drop the line and any unfinished statement (psql) */
            g_interrupts = 0;
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_replace_line("", 0);
            rl_crlf();
            sh_splitter_reset(&sp);
            buf_clear(&g_rl_history);
            rl_set_prompt(prompt_for(&sp));
            rl_on_new_line();
            rl_redisplay();
            continue;
        }
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        rl_callback_read_char();
    }
    if (!sh->quit)
        rl_callback_handler_remove();
    if (hist) {
        write_history(hist);
        free(hist);
    }
    sh_splitter_free(&sp);
    buf_free(&g_rl_history);
}

/* ---------------------------------------------------------------- startup */

static void
usage(FILE *out)
{
    fprintf(out,
            "sluice is the interactive shell of the sluice continuous query server.\n"
            "\n"
            "Usage:\n"
            "  sluice [OPTION]... [DBNAME [USERNAME]]\n"
            "\n"
            "Options:\n"
            "  -h HOST      server host (default: $SLUICE_HOST or " SH_DEFAULT_HOST ")\n"
            "  -p PORT      server port (default: $SLUICE_PORT or " SH_DEFAULT_PORT ")\n"
            "  -d DBNAME    database name (default: libpq's default)\n"
            "  -U USER      user name (default: libpq's default)\n"
            "  -c SQL       run the statements and backslash commands in SQL, then exit\n"
            "  -f FILE      run the statements in FILE (\"-\" for stdin), then exit\n"
            "               (-c and -f may be repeated; they run in order)\n"
            "  --csv        print query results as CSV instead of aligned tables\n"
            "  -q           quiet: no banner and no command tags (CREATE STREAM, INSERT 0 1)\n"
            "  --help       show this help, then exit\n"
            "\n"
            "Without -c or -f, statements are read from the terminal (with line editing,\n"
            "history in $SLUICE_HISTORY or ~/.sluice_history, and tab completion) or from\n"
            "standard input when it is not a terminal. Statements end with ';'. Type \\? in\n"
            "the shell for its backslash commands.\n"
            "\n"
            "SUBSCRIBE statements show rows as they arrive; Ctrl-C cancels the subscription.\n"
            "\n"
            "Exit status: 0 on success, 1 if a statement or command failed (execution\n"
            "continues after errors), 2 if the connection failed or was lost.\n");
}

typedef struct Action {
    char kind;                      /* 'c' or 'f' */
    const char *arg;
} Action;

static char *
prompt_password(const char *user)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return NULL;
    fprintf(tty, "Password for user %s: ", user ? user : "");
    fflush(tty);
    struct termios old, quiet;
    bool have_term = tcgetattr(fileno(tty), &old) == 0;
    if (have_term) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, tty);
    if (have_term)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

static PGconn *
connect_db(Shell *sh)
{
    char *password = NULL;
    for (;;) {
        const char *keys[8];
        const char *vals[8];
        int k = 0;
        keys[k] = "host";
        vals[k++] = sh->host;
        keys[k] = "port";
        vals[k++] = sh->port;
        if (sh->dbname) {
            keys[k] = "dbname";
            vals[k++] = sh->dbname;
        }
        if (sh->user) {
            keys[k] = "user";
            vals[k++] = sh->user;
        }
        if (password) {
            keys[k] = "password";
            vals[k++] = password;
        }
        keys[k] = "fallback_application_name";
        vals[k++] = "sluice";
        if (!getenv("PGCLIENTENCODING")) {
            keys[k] = "client_encoding";
            vals[k++] = "auto";
        }
        keys[k] = NULL;
        vals[k] = NULL;
        PGconn *conn = PQconnectdbParams(keys, vals, 0);
        if (PQstatus(conn) == CONNECTION_BAD && PQconnectionNeedsPassword(conn) && !password &&
            isatty(fileno(stdin))) {
            password = prompt_password(sh->user ? sh->user : PQuser(conn));
            PQfinish(conn);
            if (password)
                continue;
            conn = PQconnectdbParams(keys, vals, 0);
        }
        free(password);
        return conn;
    }
}

int
main(int argc, char **argv)
{
    Shell shell;
    memset(&shell, 0, sizeof shell);
    Shell *sh = &shell;
    const char *env_host = getenv("SLUICE_HOST");
    const char *env_port = getenv("SLUICE_PORT");
    sh->host = env_host && *env_host ? env_host : SH_DEFAULT_HOST;
    sh->port = env_port && *env_port ? env_port : SH_DEFAULT_PORT;

    Action *actions = sl_calloc((size_t)argc + 1, sizeof *actions);
    int nactions = 0;
    enum { OPT_CSV = 1000, OPT_HELP };
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"dbname", required_argument, NULL, 'd'},
        {"username", required_argument, NULL, 'U'},
        {"file", required_argument, NULL, 'f'},
        {"command", required_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {"csv", no_argument, NULL, OPT_CSV},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "h:p:d:U:f:c:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': sh->host = optarg; break;
        case 'p': sh->port = optarg; break;
        case 'd': sh->dbname = optarg; break;
        case 'U': sh->user = optarg; break;
        case 'q': sh->quiet = true; break;
        case OPT_CSV: sh->csv = true; break;
        case 'f':
        case 'c':
            actions[nactions].kind = (char)opt;
            actions[nactions++].arg = optarg;
            break;
        case OPT_HELP:
            usage(stdout);
            free(actions);
            return 0;
        default:
            fprintf(stderr, "Try \"sluice --help\" for more information.\n");
            free(actions);
            return 1;
        }
    }
    if (optind < argc && !sh->dbname)
        sh->dbname = argv[optind++];
    if (optind < argc && !sh->user)
        sh->user = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "sluice: warning: extra command-line argument \"%s\" ignored\n",
                argv[optind]);
    }

    setlocale(LC_ALL, "");
    sh->interactive = nactions == 0 && isatty(fileno(stdin));
    sh->tty_out = isatty(fileno(stdout));
    g_interactive = sh->interactive;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                /* no SA_RESTART: poll() at the prompt must wake up */
    sigaction(SIGINT, &sa, NULL);

    sh->conn = connect_db(sh);
    if (PQstatus(sh->conn) != CONNECTION_OK) {
        fprintf(stderr, "sluice: error: %s", PQerrorMessage(sh->conn));
        PQfinish(sh->conn);
        free(actions);
        return 2;
    }
    PQsetNoticeProcessor(sh->conn, on_notice, sh);

    if (sh->interactive) {
        run_interactive(sh);
    } else if (nactions == 0) {
        process_stream(sh, stdin);     /* psql adds no "file:line:" prefix for piped stdin */
    } else {
        for (int i = 0; i < nactions && !sh->quit; i++) {
            if (actions[i].kind == 'c') {
                process_command_string(sh, actions[i].arg);
            } else if (!sh_process_file(sh, actions[i].arg)) {
                sh->any_failed = true;
            }
        }
    }

    forget_cancel();
    PQfinish(sh->conn);
    for (size_t i = 0; i < sh->nnames; i++)
        free(sh->names[i]);
    free(sh->names);
    free(actions);
    return sh->any_failed && !sh->interactive ? 1 : 0;
}
