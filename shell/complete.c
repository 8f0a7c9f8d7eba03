/*
 * shell/complete.c — readline tab completion: dialect keywords and object names.
 *
 * Keywords are offered in the case the user is typing (psql's "preserve" rule: a word begun in
 * lower case completes in lower case, otherwise in upper case); function names are lower case
 * unless the word begins in upper case. Object names come from SHOW STREAMS / TABLES / VIEWS /
 * SINKS (column "name", else the first column), fetched at start and after each successful DDL
 * statement; any of those queries that fails (e.g. against PostgreSQL) is silently skipped.
 * readline's completion hooks take no user pointer, so the Shell is kept in a file static.
 *
 * INTERFACE
 *   sh_complete_init      install the completion hook
 *   sh_complete_refresh   re-read object names from the server
 *   sh_is_ddl             does a statement change the catalog (CREATE/DROP/ALTER)?
 */
#include "shell/shell_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "common/util.h"
#include "shell/input.h"

static const char *const sh_keywords[] = {
    "SELECT", "DISTINCT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "ASC",
    "DESC", "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN",
    "ELSE", "END", "CAST", "JOIN", "LEFT", "INNER", "CROSS", "LATERAL", "ON", "CREATE", "STREAM",
    "VIEW", "TABLE", "SINK", "DROP", "CASCADE", "SHOW", "STREAMS", "VIEWS", "TABLES", "SINKS",
    "QUERIES", "STATUS", "DESCRIBE", "EXPLAIN", "ANALYZE", "SUBSCRIBE", "EMIT", "APPEND",
    "UPDATE", "COMPLETE", "EVERY", "ROW", "DEMAND", "WATERMARK", "FOR", "AS", "INTERVAL",
    "TUMBLE", "HOP", "SESSION", "TUMBLE_ROWS", "HOP_ROWS", "INSERT", "INTO", "VALUES", "DELETE",
    "CONFLICT", "DO", "SET", "COPY", "STDIN", "STDOUT", "TO", "WITH", "FORMAT", "CSV", "REFRESH",
    "EPOCH", "POSTGRES", "KEY", "PRIMARY", "BOOLEAN", "BIGINT", "INT", "INTEGER", "DOUBLE",
    "PRECISION", "FLOAT", "TEXT", "VARCHAR", "TIMESTAMP", "SECOND", "MINUTE", "HOUR", "DAY",
    "TRUE", "FALSE", "DECLARE", "CURSOR", "FETCH",
};

static const char *const sh_functions[] = {
    "count", "sum", "avg", "min", "max", "stddev", "variance", "first_value", "last_value",
    "approx_count_distinct", "approx_percentile", "window_start", "window_end", "coalesce",
    "nullif", "lower", "upper", "length", "substr", "concat", "split_part", "string_to_array",
    "unnest", "date_trunc", "extract", "now",
};

static Shell *g_complete_shell;

bool
sh_is_ddl(const char *sql)
{
    char w[16];
    sh_first_word(sql, w, sizeof w, NULL);
    return strcmp(w, "create") == 0 || strcmp(w, "drop") == 0 || strcmp(w, "alter") == 0;
}

static void
add_name(Shell *sh, const char *name)
{
    for (size_t i = 0; i < sh->nnames; i++) {
        if (strcmp(sh->names[i], name) == 0)
            return;
    }
    sh->names = sl_realloc(sh->names, (sh->nnames + 1) * sizeof *sh->names);
    sh->names[sh->nnames++] = sl_strdup(name);
}

void
sh_complete_refresh(Shell *sh)
{
    static const char *const queries[] = {"SHOW STREAMS", "SHOW TABLES", "SHOW VIEWS",
                                          "SHOW SINKS"};
    for (size_t i = 0; i < sh->nnames; i++)
        free(sh->names[i]);
    free(sh->names);
    sh->names = NULL;
    sh->nnames = 0;
    for (size_t q = 0; q < SL_ARRAY_LEN(queries); q++) {
        PGresult *res = sh_exec_quiet(sh, queries[q]);
        if (!res)
            continue;
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQnfields(res) > 0) {
            int col = PQfnumber(res, "name");
            if (col < 0)
                col = 0;
            for (int r = 0; r < PQntuples(res); r++) {
                if (!PQgetisnull(res, r, col))
                    add_name(sh, PQgetvalue(res, r, col));
            }
        }
        PQclear(res);
    }
}

/* Copy of word in the case the user is typing in text. */
static char *
in_users_case(const char *word, const char *text, bool keyword)
{
    char *s = sl_strdup(word);
    bool lower = keyword ? (text[0] && islower((unsigned char)text[0]))
                         : !(text[0] && isupper((unsigned char)text[0]));
    for (char *p = s; *p; p++)
        *p = (char)(lower ? tolower((unsigned char)*p) : toupper((unsigned char)*p));
    return s;
}

static char *
generate(const char *text, int state)
{
    static size_t idx;
    static size_t len;
    if (state == 0) {
        idx = 0;
        len = strlen(text);
    }
    size_t nk = SL_ARRAY_LEN(sh_keywords);
    size_t nf = SL_ARRAY_LEN(sh_functions);
    Shell *sh = g_complete_shell;
    size_t nn = sh ? sh->nnames : 0;
    while (idx < nk + nf + nn) {
        size_t i = idx++;
        if (i < nk) {
            if (strncasecmp(sh_keywords[i], text, len) == 0)
                return in_users_case(sh_keywords[i], text, true);
        } else if (i < nk + nf) {
            if (strncasecmp(sh_functions[i - nk], text, len) == 0)
                return in_users_case(sh_functions[i - nk], text, false);
        } else {
            const char *name = sh->names[i - nk - nf];
            if (strncasecmp(name, text, len) == 0)
                return sl_strdup(name);
        }
    }
    return NULL;
}

static char **
attempt(const char *text, int start, int end)
{
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1;   /* never fall back to file names */
    return rl_completion_matches(text, generate);
}

void
sh_complete_init(Shell *sh)
{
    g_complete_shell = sh;
    rl_readline_name = "sluice";
    rl_attempted_completion_function = attempt;
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,.";
}
