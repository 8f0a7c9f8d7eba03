/*
 * server/session.c — run-time parameters of a connection (see session.h).
 *
 * INTERFACE (session.h)
 *   sess_new, sess_free, sess_set, sess_reset, sess_get, sess_foreach,
 *   sess_check_txn_modes, sess_value_text
 *
 * One static table describes every parameter: display name, boot value,
 * flags (reported with ParameterStatus, read-only) and a check function that
 * validates a value and writes its canonical form. A session holds only the
 * values that differ from the boot value.
 */
#include "server/session.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "parser/ast.h"
#include "server/pgwire.h"

#define PARAM_REPORT 1u    /* ParameterStatus when it changes (PostgreSQL's GUC_REPORT) */
#define PARAM_READONLY 2u  /* SET fails with 55P02 */

/* Custom ("x.y") parameters a session may hold; beyond: 54000. */
#define SESS_MAX_CUSTOM 256
#define SESS_MAX_VALUE 4096

typedef struct ParamDef ParamDef;
/* Validates in; appends its canonical form to out. Returns 0, or -1 with err set. */
typedef int (*ParamCheck)(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err);

struct ParamDef {
    const char *name;
    const char *boot;
    unsigned flags;
    ParamCheck check;
    int lo, hi;            /* integer range (check_int) */
    const char *desc;
};

static int
bad_value(const ParamDef *d, const char *in, int32_t pos, SqlError *err)
{
    err_setf(err, ERR_INVALID_PARAMETER_VALUE, pos, "invalid value for parameter \"%s\": \"%s\"",
             d->name, in);
    return -1;
}

static int
check_any(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    (void)d; (void)pos; (void)err;
    buf_puts(out, in);
    return 0;
}

/* application_name: at most 63 bytes, printable ASCII (others become '?'), as PostgreSQL. */
static int
check_appname(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    (void)d; (void)pos; (void)err;
    for (size_t i = 0; in[i] && i < 63; i++)
        buf_putc(out, in[i] >= 32 && in[i] < 127 ? in[i] : '?');
    return 0;
}

static int
check_encoding(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    char norm[16];
    size_t n = 0;
    for (const char *p = in; *p && n < sizeof norm - 1; p++)
        if (*p != '-' && *p != '_')
            norm[n++] = (char)tolower((unsigned char)*p);
    norm[n] = '\0';
    if (strcmp(norm, "utf8") != 0 && strcmp(norm, "unicode") != 0) {
        bad_value(d, in, pos, err);
        err_detail(err, "sluice speaks only UTF8.");
        return -1;
    }
    buf_puts(out, "UTF8");
    return 0;
}

/* DateStyle: the output style must be ISO (the only one sluice writes); the
 * field order (MDY / DMY / YMD) is kept for SHOW. */
static int
check_datestyle(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    const char *order = "MDY";
    char word[32];
    const char *p = in;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        size_t n = 0;
        while (*p && *p != ',' && *p != ' ' && *p != '\t') {
            if (n < sizeof word - 1)
                word[n++] = *p;
            p++;
        }
        word[n] = '\0';
        if (n == 0)
            break;
        if (strcasecmp(word, "iso") == 0 || strcasecmp(word, "default") == 0)
            continue;
        if (strcasecmp(word, "mdy") == 0 || strcasecmp(word, "us") == 0 ||
            strcasecmp(word, "noneuropean") == 0)
            order = "MDY";
        else if (strcasecmp(word, "dmy") == 0 || strcasecmp(word, "european") == 0 ||
                 strcasecmp(word, "euro") == 0)
            order = "DMY";
        else if (strcasecmp(word, "ymd") == 0)
            order = "YMD";
        else {
            bad_value(d, in, pos, err);
            err_detail(err, "sluice writes dates only in the ISO style.");
            return -1;
        }
    }
    buf_printf(out, "ISO, %s", order);
    return 0;
}

static int
check_intervalstyle(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    if (strcasecmp(in, "postgres") != 0) {
        bad_value(d, in, pos, err);
        err_detail(err, "sluice writes intervals only in the postgres style.");
        return -1;
    }
    buf_puts(out, "postgres");
    return 0;
}

/* TimeZone: a zone name or offset. sluice's timestamps carry no time zone,
 * so the setting changes no value; it is kept and reported. */
static int
check_timezone(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    size_t n = strlen(in);
    bool ok = n > 0 && n < 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)in[i]) || strchr("/_+-:.", in[i]);
    if (!ok)
        return bad_value(d, in, pos, err);
    if (strcasecmp(in, "utc") == 0 || strcasecmp(in, "z") == 0 || strcasecmp(in, "zulu") == 0)
        buf_puts(out, "UTC");
    else
        buf_puts(out, in);
    return 0;
}

static int
check_int(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    char *end;
    errno = 0;
    long v = strtol(in, &end, 10);
    if (errno || end == in || *end) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, pos,
                 "invalid value for parameter \"%s\": \"%s\"", d->name, in);
        return -1;
    }
    if (v < d->lo || v > d->hi) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, pos,
                 "%ld is outside the valid range for parameter \"%s\" (%d .. %d)", v, d->name,
                 d->lo, d->hi);
        return -1;
    }
    buf_printf(out, "%ld", v);
    return 0;
}

static int
parse_bool(const char *in, bool *v)
{
    static const char *const yes[] = {"on", "true", "yes", "1", "t", "y"};
    static const char *const no[] = {"off", "false", "no", "0", "f", "n"};
    for (size_t i = 0; i < SL_ARRAY_LEN(yes); i++) {
        if (strcasecmp(in, yes[i]) == 0) {
            *v = true;
            return 0;
        }
        if (strcasecmp(in, no[i]) == 0) {
            *v = false;
            return 0;
        }
    }
    return -1;
}

static int
check_bool(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    bool v;
    if (parse_bool(in, &v) != 0) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, pos,
                 "parameter \"%s\" requires a Boolean value", d->name);
        return -1;
    }
    buf_puts(out, v ? "on" : "off");
    return 0;
}

/* A Boolean whose only supported value is its boot value. */
static int
check_bool_fixed(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    Buf tmp;
    buf_init(&tmp);
    int rc = check_bool(d, in, &tmp, pos, err);
    if (rc == 0 && strcmp(tmp.data, d->boot) != 0) {
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, pos, "sluice supports only %s = %s", d->name,
                 d->boot);
        rc = -1;
    }
    if (rc == 0)
        buf_puts(out, d->boot);
    buf_free(&tmp);
    return rc;
}

/* A duration in milliseconds (default unit) or with a unit: us, ms, s, min,
 * h, d; -1 when it is none or out of 0..2^31-1 ms. */
static long long
parse_duration_ms(const char *in)
{
    char *end;
    errno = 0;
    double v = strtod(in, &end);
    while (*end == ' ')
        end++;
    static const struct { const char *u; double ms; } units[] = {
        {"", 1}, {"ms", 1}, {"us", 0.001}, {"s", 1000}, {"min", 60000}, {"h", 3600000},
        {"d", 86400000},
    };
    double mul = -1;
    for (size_t i = 0; i < SL_ARRAY_LEN(units); i++)
        if (strcmp(end, units[i].u) == 0)
            mul = units[i].ms;
    if (errno || end == in || mul < 0 || v < 0 || v * mul > 2147483647.0)
        return -1;
    return (long long)(v * mul + 0.5);
}

int64_t
sess_duration_ms(const Session *s, const char *name)
{
    const char *v = sess_get(s, name, NULL);
    long long ms = v ? parse_duration_ms(v) : -1;
    return ms > 0 ? ms : 0;
}

/* Shown as PostgreSQL shows a duration: in the largest unit that divides it. */
static int
check_duration(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    long long ms = parse_duration_ms(in);
    if (ms < 0) {
        bad_value(d, in, pos, err);
        err_hint(err, "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\","
                 " and \"d\"; the value must be between 0 and 2147483647 ms.");
        return -1;
    }
    static const struct { const char *u; long long ms; } show[] = {
        {"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000},
    };
    if (ms == 0) {
        buf_puts(out, "0");
        return 0;
    }
    for (size_t i = 0; i < SL_ARRAY_LEN(show); i++)
        if (ms % show[i].ms == 0) {
            buf_printf(out, "%lld%s", ms / show[i].ms, show[i].u);
            return 0;
        }
    buf_printf(out, "%lldms", ms);
    return 0;
}

static const char *const isolation_levels[] = {"serializable", "repeatable read", "read committed",
                                               "read uncommitted"};

static int
check_isolation(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    for (size_t i = 0; i < SL_ARRAY_LEN(isolation_levels); i++)
        if (strcasecmp(in, isolation_levels[i]) == 0 ||
            (strcasecmp(in, "default") == 0 && i == 2)) {
            buf_puts(out, isolation_levels[i]);
            return 0;
        }
    return bad_value(d, in, pos, err);
}

static int
check_min_messages(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    static const char *const levels[] = {"debug5", "debug4", "debug3", "debug2", "debug1", "debug",
                                         "log", "info", "notice", "warning", "error"};
    for (size_t i = 0; i < SL_ARRAY_LEN(levels); i++)
        if (strcasecmp(in, levels[i]) == 0) {
            buf_puts(out, strcmp(levels[i], "debug") == 0 ? "debug2" : levels[i]);
            return 0;
        }
    return bad_value(d, in, pos, err);
}

static int
check_bytea_output(const ParamDef *d, const char *in, Buf *out, int32_t pos, SqlError *err)
{
    if (strcasecmp(in, "hex") != 0 && strcasecmp(in, "escape") != 0)
        return bad_value(d, in, pos, err);
    buf_puts(out, strcasecmp(in, "hex") == 0 ? "hex" : "escape");
    return 0;
}

/* Sorted by name, case-insensitively (SHOW ALL's order, as PostgreSQL). */
static const ParamDef params[] = {
    {"application_name", "", PARAM_REPORT, check_appname, 0, 0,
     "Sets the application name to be reported in statistics and logs."},
    {"block_size", "8192", PARAM_READONLY, check_any, 0, 0,
     "Shows the size of a disk block (for compatibility; sluice has no pages)."},
    {"bytea_output", "hex", 0, check_bytea_output, 0, 0,
     "Sets the output format for bytea (accepted; sluice has no bytea type)."},
    {"client_encoding", "UTF8", PARAM_REPORT, check_encoding, 0, 0,
     "Sets the client's character set encoding (UTF8 only)."},
    {"client_min_messages", "notice", 0, check_min_messages, 0, 0,
     "Sets the message levels that are sent to the client (accepted; sluice sends every notice)."},
    {"DateStyle", "ISO, MDY", PARAM_REPORT, check_datestyle, 0, 0,
     "Sets the display format for date and time values (ISO only)."},
    {"default_transaction_isolation", "read committed", 0, check_isolation, 0, 0,
     "Sets the default isolation level (accepted; sluice statements apply at once)."},
    {"default_transaction_read_only", "off", PARAM_REPORT, check_bool, 0, 0,
     "Sets the default read-only status of new transactions (accepted, not enforced)."},
    {"extra_float_digits", "1", 0, check_int, -15, 3,
     "Sets the number of digits displayed for floating-point values (accepted; sluice always "
     "writes the shortest exact form)."},
    {"idle_in_transaction_session_timeout", "0", 0, check_duration, 0, 0,
     "Accepted; sluice transaction blocks hold nothing."},
    {"integer_datetimes", "on", PARAM_REPORT | PARAM_READONLY, check_any, 0, 0,
     "Shows whether datetimes are integer based."},
    {"IntervalStyle", "postgres", PARAM_REPORT, check_intervalstyle, 0, 0,
     "Sets the display format for interval values (postgres only)."},
    {"is_superuser", "off", PARAM_REPORT | PARAM_READONLY, check_any, 0, 0,
     "Shows whether the current user is a superuser."},
    {"lc_collate", "C", PARAM_READONLY, check_any, 0, 0, "Shows the collation order locale."},
    {"lc_ctype", "C", PARAM_READONLY, check_any, 0, 0,
     "Shows the character classification and case conversion locale."},
    {"lc_messages", "C", 0, check_any, 0, 0, "Sets the language of messages (accepted; English)."},
    {"lock_timeout", "0", 0, check_duration, 0, 0,
     "Accepted; sluice takes no locks a statement could wait for."},
    {"max_identifier_length", "63", PARAM_READONLY, check_any, 0, 0,
     "Shows the maximum identifier length."},
    {"search_path", "\"$user\", public", 0, check_any, 0, 0,
     "Sets the schema search order (kept for SHOW; sluice has one namespace)."},
    {"server_encoding", "UTF8", PARAM_REPORT | PARAM_READONLY, check_any, 0, 0,
     "Shows the server (database) character set encoding."},
    {"server_version", "15.0 (sluice 0.1)", PARAM_REPORT | PARAM_READONLY, check_any, 0, 0,
     "Shows the server version."},
    {"server_version_num", "150000", PARAM_READONLY, check_any, 0, 0,
     "Shows the server version as an integer."},
    {"standard_conforming_strings", "on", PARAM_REPORT, check_bool_fixed, 0, 0,
     "Causes '...' strings to treat backslashes literally (on only)."},
    {"statement_timeout", "0", 0, check_duration, 0, 0,
     "Ends a streaming statement (SUBSCRIBE, COPY (SUBSCRIBE) TO STDOUT, a waiting FETCH) "
     "after this long; other statements finish within their call."},
    {"synchronous_commit", "on", 0, check_any, 0, 0,
     "Accepted; durability follows the server's --fsync setting."},
    {"TimeZone", "UTC", PARAM_REPORT, check_timezone, 0, 0,
     "Sets the time zone for displaying time stamps (sluice timestamps carry no zone, so it "
     "changes no value)."},
    {"transaction_isolation", "read committed", 0, check_isolation, 0, 0,
     "Sets the current transaction's isolation level (accepted; sluice statements apply at "
     "once)."},
    {"transaction_read_only", "off", 0, check_bool, 0, 0,
     "Sets the current transaction's read-only status (accepted, not enforced)."},
};

#define NPARAMS ((int)SL_ARRAY_LEN(params))

typedef struct Custom {
    struct Custom *next;
    char *name;
    char *value;
} Custom;

struct Session {
    char *values[NPARAMS];    /* NULL: the reset value */
    char *reset[NPARAMS];     /* what RESET returns to: from the startup packet, else NULL = boot */
    Custom *custom;
    int ncustom;
};

static int
param_index(const char *name)
{
    for (int i = 0; i < NPARAMS; i++)
        if (strcasecmp(params[i].name, name) == 0)
            return i;
    return -1;
}

static const char *
reset_of(const Session *s, int i)
{
    return s->reset[i] ? s->reset[i] : params[i].boot;
}

static const char *
value_of(const Session *s, int i)
{
    return s->values[i] ? s->values[i] : reset_of(s, i);
}

Session *
sess_new(const char *application_name)
{
    Session *s = sl_calloc(1, sizeof *s);
    if (application_name && *application_name) {
        Buf b;
        buf_init(&b);
        buf_puts(&b, "");
        check_appname(NULL, application_name, &b, -1, NULL);
        s->reset[param_index("application_name")] = sl_strdup(b.data);
        buf_free(&b);
    }
    return s;
}

void
sess_free(Session *s)
{
    if (!s)
        return;
    for (int i = 0; i < NPARAMS; i++) {
        free(s->values[i]);
        free(s->reset[i]);
    }
    while (s->custom) {
        Custom *c = s->custom;
        s->custom = c->next;
        free(c->name);
        free(c->value);
        free(c);
    }
    free(s);
}

/* Sets parameter i to v (NULL: its reset value), reporting a change of a reported one. */
static void
assign(Session *s, int i, const char *v, Buf *out)
{
    const char *old = value_of(s, i);
    bool changed = strcmp(old, v ? v : reset_of(s, i)) != 0;
    char *nv = v && strcmp(v, reset_of(s, i)) != 0 ? sl_strdup(v) : NULL;
    free(s->values[i]);
    s->values[i] = nv;
    if (changed && (params[i].flags & PARAM_REPORT) && out)
        pgw_put_parameter_status(out, params[i].name, value_of(s, i));
}

static Custom *
custom_find(const Session *s, const char *name)
{
    for (Custom *c = s->custom; c; c = c->next)
        if (strcasecmp(c->name, name) == 0)
            return c;
    return NULL;
}

static bool
is_custom_name(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot && dot != name && dot[1] != '\0';
}

static void
unknown(const char *name, int32_t pos, SqlError *err)
{
    err_setf(err, ERR_UNDEFINED_OBJECT, pos, "unrecognized configuration parameter \"%s\"", name);
}

int
sess_set(Session *s, const char *name, const char *value, int32_t name_pos, int32_t value_pos,
         Buf *out, SqlError *err)
{
    if (value && strlen(value) > SESS_MAX_VALUE) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, value_pos,
                 "value for parameter \"%s\" is too long (at most %d bytes)", name,
                 SESS_MAX_VALUE);
        return -1;
    }
    int i = param_index(name);
    if (i < 0) {
        if (!is_custom_name(name)) {
            unknown(name, name_pos, err);
            return -1;
        }
        Custom *c = custom_find(s, name);
        if (!c) {
            if (s->ncustom >= SESS_MAX_CUSTOM) {
                err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, name_pos,
                         "too many custom parameters (at most %d per session)", SESS_MAX_CUSTOM);
                return -1;
            }
            c = sl_calloc(1, sizeof *c);
            c->name = sl_strdup(name);
            for (char *p = c->name; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            c->next = s->custom;
            s->custom = c;
            s->ncustom++;
        }
        free(c->value);
        c->value = sl_strdup(value ? value : "");
        return 0;
    }
    const ParamDef *d = &params[i];
    if (d->flags & PARAM_READONLY) {
        err_setf(err, ERR_CANT_CHANGE_RUNTIME_PARAM, name_pos, "parameter \"%s\" cannot be changed",
                 d->name);
        return -1;
    }
    if (!value) {
        assign(s, i, NULL, out);
        return 0;
    }
    Buf canon;
    buf_init(&canon);
    buf_puts(&canon, ""); /* data is a valid empty string even if check appends nothing */
    int rc = d->check(d, value, &canon, value_pos, err);
    if (rc == 0)
        assign(s, i, canon.data, out);
    buf_free(&canon);
    return rc;
}

int
sess_reset(Session *s, const char *name, int32_t pos, Buf *out, SqlError *err)
{
    if (!name) {
        for (int i = 0; i < NPARAMS; i++)
            if (!(params[i].flags & PARAM_READONLY))
                assign(s, i, NULL, out);
        for (Custom *c = s->custom; c; c = c->next) {
            free(c->value);
            c->value = sl_strdup("");
        }
        return 0;
    }
    int i = param_index(name);
    if (i < 0) {
        Custom *c = custom_find(s, name);
        if (!c) {
            if (is_custom_name(name))
                return 0; /* PostgreSQL creates the placeholder; it reads as empty */
            unknown(name, pos, err);
            return -1;
        }
        free(c->value);
        c->value = sl_strdup("");
        return 0;
    }
    if (params[i].flags & PARAM_READONLY) {
        err_setf(err, ERR_CANT_CHANGE_RUNTIME_PARAM, pos, "parameter \"%s\" cannot be changed",
                 params[i].name);
        return -1;
    }
    assign(s, i, NULL, out);
    return 0;
}

const char *
sess_get(const Session *s, const char *name, const char **display)
{
    int i = param_index(name);
    if (i >= 0) {
        if (display)
            *display = params[i].name;
        return value_of(s, i);
    }
    Custom *c = custom_find(s, name);
    if (!c)
        return NULL;
    if (display)
        *display = c->name;
    return c->value;
}

void
sess_foreach(const Session *s, SessParamFn fn, void *ctx)
{
    for (int i = 0; i < NPARAMS; i++)
        fn(ctx, params[i].name, value_of(s, i), params[i].desc);
    for (Custom *c = s->custom; c; c = c->next)
        fn(ctx, c->name, c->value, "Custom parameter.");
}

/* ------------------------------------------------------------------ transaction modes */

/* The next word of text[*i..n): letters, digits, '_' (lower-cased into w), or
 * a comma as its own word. Returns its length (0 at the end). */
static size_t
next_word(const char *text, size_t n, size_t *i, char *w, size_t wsz, size_t *start)
{
    while (*i < n && isspace((unsigned char)text[*i]))
        (*i)++;
    *start = *i;
    size_t k = 0;
    if (*i < n && text[*i] == ',') {
        (*i)++;
        w[k++] = ',';
    } else {
        while (*i < n && (isalnum((unsigned char)text[*i]) || text[*i] == '_')) {
            if (k < wsz - 1)
                w[k++] = (char)tolower((unsigned char)text[*i]);
            (*i)++;
        }
    }
    w[k] = '\0';
    return k;
}

int
sess_check_txn_modes(Session *s, const char *text, size_t n, int32_t pos, bool session_default,
                     Buf *out, SqlError *err)
{
    char w[32], w2[32];
    size_t i = 0, at, at2;
    const char *level = NULL;
    int read_only = -1;
    bool need_mode = true; /* at the start or after a comma */
    while (next_word(text, n, &i, w, sizeof w, &at) > 0) {
        if (strcmp(w, ",") == 0) {
            if (need_mode)
                goto syntax;
            need_mode = true;
            continue;
        }
        need_mode = false;
        if (strcmp(w, "isolation") == 0) {
            next_word(text, n, &i, w, sizeof w, &at);
            if (strcmp(w, "level") != 0)
                goto syntax;
            next_word(text, n, &i, w, sizeof w, &at);
            if (strcmp(w, "serializable") == 0) {
                level = "serializable";
            } else if (strcmp(w, "repeatable") == 0 || strcmp(w, "read") == 0) {
                next_word(text, n, &i, w2, sizeof w2, &at2);
                if (strcmp(w, "repeatable") == 0 && strcmp(w2, "read") == 0)
                    level = "repeatable read";
                else if (strcmp(w, "read") == 0 && strcmp(w2, "committed") == 0)
                    level = "read committed";
                else if (strcmp(w, "read") == 0 && strcmp(w2, "uncommitted") == 0)
                    level = "read uncommitted";
                else {
                    at = at2;
                    goto syntax;
                }
            } else {
                goto syntax;
            }
        } else if (strcmp(w, "read") == 0) {
            next_word(text, n, &i, w, sizeof w, &at);
            if (strcmp(w, "only") == 0)
                read_only = 1;
            else if (strcmp(w, "write") == 0)
                read_only = 0;
            else
                goto syntax;
        } else if (strcmp(w, "not") == 0) {
            next_word(text, n, &i, w, sizeof w, &at);
            if (strcmp(w, "deferrable") != 0)
                goto syntax;
        } else if (strcmp(w, "deferrable") != 0) {
            goto syntax;
        }
    }
    if (need_mode && n > 0)
        goto syntax;
    if (session_default) {
        if (level)
            assign(s, param_index("default_transaction_isolation"), level, out);
        if (read_only >= 0)
            assign(s, param_index("default_transaction_read_only"), read_only ? "on" : "off",
                   out);
    }
    return 0;
syntax:
    if (at < n) {
        int len = 0;
        while (at + (size_t)len < n && (isalnum((unsigned char)text[at + (size_t)len]) ||
                                        text[at + (size_t)len] == '_'))
            len++;
        err_setf(err, ERR_SYNTAX_ERROR, pos + (int32_t)at, "syntax error at or near \"%.*s\"",
                 len ? len : 1, text + at);
    }
    else
        err_setf(err, ERR_SYNTAX_ERROR, pos + (int32_t)n, "syntax error at end of input");
    err_hint(err, "Transaction modes are ISOLATION LEVEL { SERIALIZABLE | REPEATABLE READ | "
             "READ COMMITTED | READ UNCOMMITTED }, READ WRITE, READ ONLY and [NOT] DEFERRABLE.");
    return -1;
}

/* ------------------------------------------------------------------ SET values */

static const char *
single_value(const AstExpr *v, Arena *a)
{
    if (v->kind == AST_LITERAL)
        return arena_strndup(a, v->lit.text.p ? v->lit.text.p : "", v->lit.text.n);
    if (v->kind == AST_COLUMN)
        return arena_strndup(a, v->column.name.p, v->column.name.n);
    if (v->kind == AST_UNARY && v->unary.arg->kind == AST_LITERAL) {
        const Str *t = &v->unary.arg->lit.text;
        Buf b;
        buf_init(&b);
        buf_printf(&b, "%s%.*s", v->unary.op == AST_OP_NEG ? "-" : "", (int)t->n, t->p);
        const char *r = arena_strndup(a, b.data, b.len);
        buf_free(&b);
        return r;
    }
    return "";
}

const char *
sess_value_text(const AstStmt *st, const char *sql, Arena *a)
{
    const AstExpr *v = st->set.value;
    if (!v)
        return NULL;
    /* A list: the rest of the statement has a comma outside quotes. */
    const char *p = sql + v->pos, *end = sql + st->end;
    bool list = false;
    char q = 0;
    for (const char *c = p; c < end && !list; c++) {
        if (q) {
            if (*c == q)
                q = 0;
        } else if (*c == '\'' || *c == '"') {
            q = *c;
        } else if (*c == ',') {
            list = true;
        }
    }
    if (list)
        return arena_strndup(a, p, (size_t)(end - p));
    return single_value(v, a);
}
