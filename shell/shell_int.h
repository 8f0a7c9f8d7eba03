/*
 * shell/shell_int.h — state and routines shared by the files of the sluice shell.
 *
 * INTERFACE
 *   Shell                     one shell session: connection, options, input position
 *   sh_run_statement          (main.c) send one statement and print its results
 *   sh_exec_quiet             (main.c) run a helper query with no output; NULL on any failure
 *   sh_cancel_arm / sh_cancel_disarm / sh_interrupts   (main.c) Ctrl-C state
 *   sh_connection_check       (main.c) notice a lost connection and try one reset
 *   sh_process_file           (main.c) run a script file (\i and -f)
 *   sh_print_result / sh_print_error / sh_print_timing / sh_render_*   (print.c)
 *   sh_subscribe              (subscribe.c) run SUBSCRIBE with a live view
 *   sh_meta                   (meta.c) run one backslash command
 *   sh_complete_init / sh_complete_refresh   (complete.c) readline completion
 */
#ifndef SL_SHELL_INT_H
#define SL_SHELL_INT_H

#include <stdbool.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "common/buf.h"

typedef struct Shell {
    PGconn *conn;
    const char *host, *port, *dbname, *user;
    bool csv;               /* --csv */
    bool quiet;             /* -q: no command tags */
    bool timing;            /* \timing */
    bool interactive;       /* readline REPL */
    bool tty_out;           /* stdout is a terminal: live views may redraw */
    bool quit;              /* \q seen */
    bool any_failed;        /* some statement or meta command failed */
    bool muted;             /* helper queries: notices are not shown */
    const char *src_name;   /* script name for "sluice:<file>:<line>: " prefixes, or NULL */
    int src_line;           /* current line in src_name */
    char **names;           /* object names for completion (malloc'd) */
    size_t nnames;
} Shell;

/* main.c */
bool sh_run_statement(Shell *sh, const char *sql);
PGresult *sh_exec_quiet(Shell *sh, const char *sql);
void sh_cancel_arm(Shell *sh);
void sh_cancel_disarm(void);
int sh_interrupts(void);
bool sh_connection_check(Shell *sh);
bool sh_process_file(Shell *sh, const char *path);

/* print.c */
typedef struct ShTable {
    int ncols;
    int nrows;
    const char *const *headers;     /* ncols names */
    const char *aligns;             /* ncols of 'l' or 'r' */
    const char *const *cells;       /* nrows * ncols, row-major; NULL means SQL NULL */
    const char *title;              /* centred above the table, or NULL */
} ShTable;

bool sh_type_is_numeric(Oid type);
void sh_print_result(Shell *sh, PGresult *res);
void sh_print_titled(Shell *sh, PGresult *res, const char *title);
void sh_print_error(Shell *sh, const char *msg);
void sh_print_timing(double ms);
void sh_widths_update(const ShTable *t, int enc, int *widths, int first_row, int nrows,
                      bool with_header);
void sh_render_header(Buf *out, const ShTable *t, int enc, const int *widths);
void sh_render_rows(Buf *out, const ShTable *t, int enc, const int *widths, int first_row,
                    int nrows);
void sh_render_table(Buf *out, const ShTable *t, int enc);
void sh_render_csv_line(Buf *out, const char *const *fields, int n);
void sh_render_plain_line(Buf *out, const char *const *fields, int n, const char *sep);
int sh_display_width(const char *s, size_t len, int enc);

/* subscribe.c */
bool sh_is_subscribe(const char *sql);
bool sh_subscribe(Shell *sh, const char *sql);

/* meta.c */
bool sh_meta(Shell *sh, const char *cmd);

/* complete.c */
void sh_complete_init(Shell *sh);
void sh_complete_refresh(Shell *sh);
bool sh_is_ddl(const char *sql);

#endif
