/*
 * shell/meta.c — backslash commands of the sluice shell.
 *
 * A meta command runs from its backslash to the end of the line. Commands: \q, \?, \d,
 * \d NAME, \timing [on|off], \i FILE, \conninfo. Anything else is reported like psql reports
 * it ("invalid command \x") and counts as a failure in script mode.
 *
 * INTERFACE
 *   sh_meta    run one backslash command; false when it failed
 */
#include "shell/shell_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static const char sh_help_text[] =
    "General\n"
    "  \\q                     quit sluice\n"
    "  \\?                     show this help\n"
    "  \\conninfo              show the current connection\n"
    "  \\timing [on|off]       toggle (or set) timing of statements\n"
    "\n"
    "Objects\n"
    "  \\d                     list streams and views (SHOW STREAMS; SHOW VIEWS)\n"
    "  \\d NAME                describe a stream, table, view or sink (DESCRIBE NAME)\n"
    "\n"
    "Input\n"
    "  \\i FILE                run the statements in FILE\n"
    "\n"
    "Statements end with ';'. SUBSCRIBE view shows its rows live; Ctrl-C stops it.\n";

/* Next argument of a meta command: whitespace-separated, '...' quotes removed. */
static char *
next_arg(const char **p)
{
    const char *s = *p;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s) {
        *p = s;
        return NULL;
    }
    Buf b;
    buf_init(&b);
    if (*s == '\'') {
        s++;
        while (*s) {
            if (*s == '\'' && s[1] == '\'') {
                buf_putc(&b, '\'');
                s += 2;
            } else if (*s == '\'') {
                s++;
                break;
            } else {
                buf_putc(&b, *s++);
            }
        }
    } else {
        while (*s && !isspace((unsigned char)*s))
            buf_putc(&b, *s++);
    }
    *p = s;
    if (!b.data)
        buf_puts(&b, "");
    return b.data;
}

static bool
list_objects(Shell *sh)
{
    static const struct {
        const char *sql;
        const char *title;
    } lists[] = {
        {"SHOW STREAMS", "List of streams"},
        {"SHOW VIEWS", "List of views"},
    };
    bool ok = true;
    for (size_t i = 0; i < SL_ARRAY_LEN(lists); i++) {
        PGresult *res = PQexec(sh->conn, lists[i].sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            ok = false;
        sh_print_titled(sh, res, lists[i].title);
        PQclear(res);
        if (!sh_connection_check(sh))
            return false;
    }
    return ok;
}

static void
conninfo(Shell *sh)
{
    const char *host = PQhost(sh->conn);
    if (host && host[0] == '/') {
        printf("You are connected to database \"%s\" as user \"%s\" via socket in \"%s\" at "
               "port \"%s\".\n",
               PQdb(sh->conn), PQuser(sh->conn), host, PQport(sh->conn));
    } else {
        printf("You are connected to database \"%s\" as user \"%s\" on host \"%s\" at port "
               "\"%s\".\n",
               PQdb(sh->conn), PQuser(sh->conn), host ? host : "", PQport(sh->conn));
    }
}

static bool
set_timing(Shell *sh, const char *arg)
{
    if (!arg) {
        sh->timing = !sh->timing;
    } else if (strcasecmp(arg, "on") == 0 || strcasecmp(arg, "true") == 0) {
        sh->timing = true;
    } else if (strcasecmp(arg, "off") == 0 || strcasecmp(arg, "false") == 0) {
        sh->timing = false;
    } else {
        Buf b;
        buf_init(&b);
        buf_printf(&b, "\\timing: unrecognized value \"%s\": Boolean expected", arg);
        sh_print_error(sh, b.data);
        buf_free(&b);
        return false;
    }
    printf(sh->timing ? "Timing is on.\n" : "Timing is off.\n");
    return true;
}

bool
sh_meta(Shell *sh, const char *cmd)
{
    const char *p = cmd + 1;            /* skip the backslash */
    size_t n = 0;
    while (p[n] && !isspace((unsigned char)p[n]))
        n++;
    char *name = sl_strndup(p, n);
    p += n;
    char *arg = next_arg(&p);
    bool ok = true;

    if (strcmp(name, "q") == 0 || strcmp(name, "quit") == 0) {
        sh->quit = true;
    } else if (strcmp(name, "?") == 0) {
        fputs(sh_help_text, stdout);
    } else if (strcmp(name, "d") == 0) {
        if (!arg) {
            ok = list_objects(sh);
        } else {
            Buf sql;
            buf_init(&sql);
            buf_printf(&sql, "DESCRIBE %s", arg);
            ok = sh_run_statement(sh, sql.data);
            buf_free(&sql);
        }
    } else if (strcmp(name, "timing") == 0) {
        ok = set_timing(sh, arg);
    } else if (strcmp(name, "i") == 0 || strcmp(name, "include") == 0) {
        if (!arg) {
            sh_print_error(sh, "\\i: missing required argument");
            ok = false;
        } else {
            ok = sh_process_file(sh, arg);
        }
    } else if (strcmp(name, "conninfo") == 0) {
        conninfo(sh);
    } else {
        Buf b;
        buf_init(&b);
        /* psql's wording: "error: " after a script prefix, a hint only at the prompt */
        buf_printf(&b, "%sinvalid command \\%s%s", sh->src_name ? "error: " : "", name,
                   sh->interactive ? "\nTry \\? for help." : "");
        sh_print_error(sh, b.data);
        buf_free(&b);
        ok = false;
    }
    fflush(stdout);
    free(name);
    free(arg);
    return ok;
}
