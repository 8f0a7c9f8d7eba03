/*
 * server/pgcatalog.c — the catalog emulation's engine: an in-memory SQLite
 * database holding the catalog snapshot, statements translated and
 * prepared against it, and their results written as pgwire messages with
 * PostgreSQL type OIDs and text forms (see pgcatalog.h for the design).
 *
 * INTERFACE (pgcatalog.h)
 *   pgcat_new, pgcat_free, pgcat_prepare, pgcat_stmt_free, pgcat_nparams,
 *   pgcat_param_oid, pgcat_describe, pgcat_exec
 * (pgcatalog_int.h) pgcat_session_user, pgcat_session_database, pgcat_session_pid
 *
 * The snapshot's sluice part (pg_class/pg_attribute rows of streams and
 * views, information_schema) is rebuilt when a fingerprint of the catalog
 * (names, kinds, column names and types) or of the session (user,
 * database) changes: DDL is rare, catalog queries are cheap. Relation OIDs
 * are handed out once per name for the life of the server, so a client
 * that reads an OID in one query finds the same relation with it in the
 * next (psql's \d name does exactly that).
 */
#include "server/pgcatalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/util.h"
#include "common/value.h"
#include "planner/catalog.h"
#include "server/pgcatalog_int.h"
#include "server/pgwire.h"

typedef struct OidName {
    char *name;
    uint32_t oid;
} OidName;

/* A catalog query runs inside the event loop: bound its time and its result
 * (a cross join of catalog tables could otherwise stall or bloat the server). */
#define PGCAT_MAX_RUN_US (2 * 1000 * 1000)
#define PGCAT_MAX_RESULT_BYTES ((size_t)64 << 20)

struct PgCatalog {
    sqlite3 *db;
    int64_t deadline; /* monotonic us: the running statement is interrupted after it */
    bool broken;      /* the schema could not be created: every query fails */
    char *broken_msg;
    uint64_t fingerprint; /* of the catalog + session the user rows describe */
    bool filled;
    OidName *oids;
    int noids, capoids;
    uint32_t next_oid;
    const PgcSession *sess; /* during pgcat_exec */
    const Catalog *cat;     /* during pgcat_exec */
};

struct PgcStmt {
    sqlite3_stmt *st;
    int ncols;
    char **names;
    uint32_t *types;
    int nparams;
    bool rows; /* returns rows (a SELECT) */
};

/* ------------------------------------------------------------------ session */

static const PgcSession default_session = {"sluice", "sluice", 0};

static const PgcSession *
sess_of(const PgCatalog *pc)
{
    return pc->sess ? pc->sess : &default_session;
}

const char *
pgcat_session_user(const PgCatalog *pc)
{
    const char *u = sess_of(pc)->user;
    return u && *u ? u : "sluice";
}

const char *
pgcat_session_database(const PgCatalog *pc)
{
    const char *d = sess_of(pc)->database;
    return d && *d ? d : pgcat_session_user(pc);
}

int
pgcat_session_pid(const PgCatalog *pc)
{
    return sess_of(pc)->pid;
}

const CatObject *
pgcat_object_of(const PgCatalog *pc, int64_t oid)
{
    if (!pc->cat)
        return NULL;
    for (int i = 0; i < pc->noids; i++)
        if (pc->oids[i].oid == oid)
            return cat_lookup(pc->cat, pc->oids[i].name);
    return NULL;
}

/* ------------------------------------------------------------------ state */

static int
on_progress(void *ctx)
{
    PgCatalog *pc = ctx;
    return pc->deadline > 0 && sl_mono_us() > pc->deadline;
}

/* The static part of the catalog (the schema and the rows of pg_type, pg_proc,
 * ...) is built once per process and kept serialized; each PgCatalog starts
 * from a copy of it (sqlite3_deserialize), which costs a memcpy instead of
 * some 50 CREATEs and their INSERTs. Immutable once built. */
static struct {
    bool tried;
    unsigned char *img[2];     /* "main", "information_schema" */
    sqlite3_int64 n[2];
} template_db;

static const char *const template_schemas[2] = {"main", "information_schema"};

static int
open_attached(sqlite3 **db, char **msg)
{
    if (sqlite3_open_v2(":memory:", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return -1;
    return sqlite3_exec(*db, "ATTACH DATABASE ':memory:' AS information_schema", NULL, NULL,
                        msg) == SQLITE_OK ? 0 : -1;
}

static void
build_template(void)
{
    template_db.tried = true;
    sqlite3 *db = NULL;
    char *msg = NULL;
    /* the views of the schema name sluice's functions: they must exist to compile them */
    PgCatalog *scratch = sl_calloc(1, sizeof *scratch);
    if (open_attached(&db, &msg) == 0 && pgcat_register_functions(db, scratch) == SQLITE_OK &&
        pgcat_create_schema(db, &msg) == 0) {
        for (int i = 0; i < 2; i++)
            template_db.img[i] = sqlite3_serialize(db, template_schemas[i], &template_db.n[i], 0);
        if (!template_db.img[0] || !template_db.img[1]) {
            for (int i = 0; i < 2; i++) {
                sqlite3_free(template_db.img[i]);
                template_db.img[i] = NULL;
            }
        }
    }
    sqlite3_free(msg);
    sqlite3_close_v2(db);
    free(scratch);
}

/* A copy of the template into pc->db's two schemas; -1: build it the long way. */
static int
load_template(PgCatalog *pc)
{
    if (!template_db.tried)
        build_template();
    if (!template_db.img[0])
        return -1;
    for (int i = 0; i < 2; i++) {
        unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)template_db.n[i]);
        if (!copy)
            return -1;
        memcpy(copy, template_db.img[i], (size_t)template_db.n[i]);
        if (sqlite3_deserialize(pc->db, template_schemas[i], copy, template_db.n[i],
                                template_db.n[i],
                                SQLITE_DESERIALIZE_FREEONCLOSE |
                                    SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
            return -1;
    }
    return 0;
}

PgCatalog *
pgcat_new(void)
{
    PgCatalog *pc = sl_calloc(1, sizeof *pc);
    pc->next_oid = PGCAT_FIRST_USER_OID;
    char *msg = NULL;
    if (open_attached(&pc->db, &msg) != 0 ||
        pgcat_register_functions(pc->db, pc) != SQLITE_OK ||
        (load_template(pc) != 0 && pgcat_create_schema(pc->db, &msg) != 0)) {
        pc->broken = true;
        pc->broken_msg = sl_strdup(msg ? msg : sqlite3_errmsg(pc->db));
        sqlite3_free(msg);
    }
    /* LIMIT-less runaway queries over a tiny catalog are bounded anyway */
    sqlite3_limit(pc->db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
    sqlite3_limit(pc->db, SQLITE_LIMIT_EXPR_DEPTH, 200);
    sqlite3_progress_handler(pc->db, 10000, on_progress, pc);
    return pc;
}

void
pgcat_free(PgCatalog *pc)
{
    if (!pc)
        return;
    sqlite3_close_v2(pc->db);
    for (int i = 0; i < pc->noids; i++)
        free(pc->oids[i].name);
    free(pc->oids);
    free(pc->broken_msg);
    free(pc);
}

static uint32_t
oid_of(void *ctx, const char *name)
{
    PgCatalog *pc = ctx;
    for (int i = 0; i < pc->noids; i++)
        if (strcmp(pc->oids[i].name, name) == 0)
            return pc->oids[i].oid;
    if (pc->noids == pc->capoids) {
        pc->capoids = pc->capoids ? pc->capoids * 2 : 16;
        pc->oids = sl_realloc(pc->oids, sizeof(OidName) * (size_t)pc->capoids);
    }
    pc->oids[pc->noids].name = sl_strdup(name);
    pc->oids[pc->noids].oid = pc->next_oid++;
    return pc->oids[pc->noids++].oid;
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t
fingerprint(const Catalog *cat, const PgCatalog *pc)
{
    uint64_t h = 14695981039346656037ULL;
    const char *u = pgcat_session_user(pc), *d = pgcat_session_database(pc);
    h = fnv(h, u, strlen(u) + 1);
    h = fnv(h, d, strlen(d) + 1);
    for (const CatObject *o = cat ? cat->head : NULL; o; o = o->next) {
        h = fnv(h, o->name, strlen(o->name) + 1);
        h = fnv(h, &o->kind, sizeof o->kind);
        for (int i = 0; i < o->ncols; i++) {
            h = fnv(h, o->cols[i].name, strlen(o->cols[i].name) + 1);
            h = fnv(h, &o->cols[i].type, sizeof o->cols[i].type);
            h = fnv(h, &o->cols[i].not_null, sizeof o->cols[i].not_null);
        }
        h = fnv(h, "\n", 1);
    }
    return h;
}

static int
refresh(PgCatalog *pc, const Catalog *cat, SqlError *err)
{
    if (pc->broken) {
        err_setf(err, ERR_INTERNAL_ERROR, -1, "catalog emulation unavailable: %s", pc->broken_msg);
        return -1;
    }
    uint64_t fp = fingerprint(cat, pc);
    if (pc->filled && fp == pc->fingerprint)
        return 0;
    char *msg = NULL;
    sqlite3_exec(pc->db, "BEGIN", NULL, NULL, NULL);
    if (pgcat_fill_user(pc->db, cat, pgcat_session_user(pc), pgcat_session_database(pc), oid_of, pc,
                        &msg) != 0) {
        sqlite3_exec(pc->db, "ROLLBACK", NULL, NULL, NULL);
        err_setf(err, ERR_INTERNAL_ERROR, -1, "catalog snapshot: %s", msg ? msg : "?");
        sqlite3_free(msg);
        pc->filled = false;
        return -1;
    }
    sqlite3_exec(pc->db, "COMMIT", NULL, NULL, NULL);
    pc->fingerprint = fp;
    pc->filled = true;
    return 0;
}

/* ------------------------------------------------------------------ errors */

/* An SQLite error message → SQLSTATE, in PostgreSQL's words where they differ. */
static void
sqlite_error(SqlError *err, const char *msg)
{
    SqlErrCode code = ERR_SYNTAX_ERROR;
    if (strncmp(msg, "no such table: ", 15) == 0) {
        const char *name = msg + 15;
        const char *dot = strchr(name, '.');
        err_setf(err, ERR_UNDEFINED_TABLE, -1, "relation \"%s\" does not exist",
                 dot && strncmp(name, "main.", 5) == 0 ? dot + 1 : name);
        return;
    }
    if (strncmp(msg, "no such column: ", 16) == 0) {
        err_setf(err, ERR_UNDEFINED_COLUMN, -1, "column %s does not exist", msg + 16);
        return;
    }
    if (strncmp(msg, "no such function: ", 18) == 0) {
        err_setf(err, ERR_UNDEFINED_FUNCTION, -1, "function %s() does not exist", msg + 18);
        return;
    }
    if (strncmp(msg, "wrong number of arguments to function ", 38) == 0)
        code = ERR_UNDEFINED_FUNCTION;
    else if (strstr(msg, "does not exist") && strncmp(msg, "type ", 5) == 0)
        code = ERR_UNDEFINED_OBJECT;
    else if (strstr(msg, "does not exist") && strncmp(msg, "relation ", 9) == 0)
        code = ERR_UNDEFINED_TABLE;
    else if (strstr(msg, "does not exist") &&
             (strncmp(msg, "schema ", 7) == 0 || strncmp(msg, "role ", 5) == 0))
        code = ERR_UNDEFINED_OBJECT;
    else if (strncmp(msg, "unrecognized configuration parameter", 36) == 0)
        code = ERR_UNDEFINED_OBJECT;
    else if (strncmp(msg, "invalid input syntax", 20) == 0 || strncmp(msg, "malformed", 9) == 0)
        code = ERR_INVALID_TEXT_REPRESENTATION;
    else if (strstr(msg, "not supported"))
        code = ERR_FEATURE_NOT_SUPPORTED;
    else if (strncmp(msg, "invalid regular expression", 26) == 0)
        code = ERR_INVALID_PARAMETER_VALUE;
    else if (strstr(msg, "ambiguous column name"))
        code = ERR_AMBIGUOUS_COLUMN;
    else if (!strstr(msg, "syntax error") && !strstr(msg, "incomplete input"))
        code = ERR_INTERNAL_ERROR;
    err_setf(err, code, -1, "%s", msg);
}

/* ------------------------------------------------------------------ statements */

static uint32_t
decl_oid(const char *decl)
{
    if (!decl || !*decl)
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", decl);
    char *us = strrchr(buf, '_');
    if (us && us != buf)
        *us = 0;
    const PgcType *t = pgcat_type_by_name(buf);
    return t ? t->oid : 0;
}

PgcStmt *
pgcat_prepare(PgCatalog *pc, const Catalog *cat, const char *sql, size_t n, SqlError *err)
{
    (void)cat; /* the tables exist whatever their rows: the snapshot is refreshed at exec */
    if (pc->broken) {
        err_setf(err, ERR_INTERNAL_ERROR, -1, "catalog emulation unavailable: %s", pc->broken_msg);
        return NULL;
    }
    PgcTranslation tr;
    if (pgcat_translate(sql, n, &tr, err) != 0)
        return NULL;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(pc->db, tr.sql.data, (int)tr.sql.len, &st, &tail) != SQLITE_OK) {
        sqlite_error(err, sqlite3_errmsg(pc->db));
        pgcat_translation_free(&tr);
        return NULL;
    }
    if (!st) { /* only comments */
        pgcat_translation_free(&tr);
        err_setf(err, ERR_SYNTAX_ERROR, -1, "empty catalog query");
        return NULL;
    }
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        pgcat_translation_free(&tr);
        err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1, "the system catalog is read-only in sluice");
        return NULL;
    }
    PgcStmt *ps = sl_calloc(1, sizeof *ps);
    ps->st = st;
    ps->ncols = sqlite3_column_count(st);
    ps->rows = ps->ncols > 0;
    ps->nparams = tr.nparams;
    ps->names = sl_calloc((size_t)ps->ncols + 1, sizeof(char *));
    ps->types = sl_calloc((size_t)ps->ncols + 1, sizeof(uint32_t));
    bool hints = tr.nhints == ps->ncols;
    for (int i = 0; i < ps->ncols; i++) {
        uint32_t oid = hints ? tr.hints[i].oid : 0;
        if (!oid)
            oid = decl_oid(sqlite3_column_decltype(st, i));
        ps->types[i] = oid ? oid : 25;
        ps->names[i] = sl_strdup(hints ? tr.hints[i].name : sqlite3_column_name(st, i));
    }
    pgcat_translation_free(&tr);
    return ps;
}

void
pgcat_stmt_free(PgcStmt *ps)
{
    if (!ps)
        return;
    sqlite3_finalize(ps->st);
    for (int i = 0; i < ps->ncols; i++)
        free(ps->names[i]);
    free(ps->names);
    free(ps->types);
    free(ps);
}

int
pgcat_nparams(const PgcStmt *ps)
{
    return ps->nparams;
}

uint32_t
pgcat_param_oid(const PgcStmt *ps, int i, const uint32_t *declared, int ndeclared)
{
    (void)ps;
    if (i < ndeclared && declared[i] != 0)
        return declared[i];
    return 25;
}

static int16_t
type_len(uint32_t oid)
{
    const PgcType *t = pgcat_type_by_oid(oid);
    return t ? t->len : -1;
}

void
pgcat_describe(const PgcStmt *ps, Buf *out, const int16_t *rfmt, int nrfmt)
{
    if (!ps->rows) {
        pgw_put_empty_message(out, 'n');
        return;
    }
    size_t off = pgw_begin_message(out, 'T');
    buf_put_u16be(out, (uint16_t)ps->ncols);
    for (int i = 0; i < ps->ncols; i++) {
        buf_puts(out, ps->names[i]);
        buf_putc(out, 0);
        buf_put_u32be(out, 0);            /* table OID */
        buf_put_u16be(out, 0);            /* column number */
        buf_put_u32be(out, ps->types[i]); /* type OID */
        buf_put_u16be(out, (uint16_t)type_len(ps->types[i]));
        buf_put_u32be(out, (uint32_t)-1); /* typmod */
        buf_put_u16be(out, (uint16_t)pgw_format_of(rfmt, nrfmt, i));
    }
    pgw_end_message(out, off);
}

/* Appends the text form PostgreSQL would print for column i of the current row. */
static void
put_text(PgCatalog *pc, sqlite3_stmt *st, int i, uint32_t oid, Buf *b)
{
    int t = sqlite3_column_type(st, i);
    if (oid == 16 && (t == SQLITE_INTEGER || t == SQLITE_FLOAT)) {
        buf_putc(b, sqlite3_column_double(st, i) != 0 ? 't' : 'f');
        return;
    }
    if ((oid == 701 || oid == 700) && t == SQLITE_FLOAT) {
        fmt_double(sqlite3_column_double(st, i), b);
        return;
    }
    if ((oid == 2205 || oid == 2206 || oid == 4089 || oid == 4096) && t == SQLITE_INTEGER) {
        /* a reg* value: its name */
        const char *fn = oid == 2205   ? "SELECT pg_regclass_out(?1)"
                         : oid == 2206 ? "SELECT pg_regtype_out(?1)"
                         : oid == 4089 ? "SELECT pg_regnamespace_out(?1)"
                                       : "SELECT pg_regrole_out(?1)";
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(pc->db, fn, -1, &q, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(q, 1, sqlite3_column_int64(st, i));
            if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
                buf_append(b, sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0));
                sqlite3_finalize(q);
                return;
            }
            sqlite3_finalize(q);
        }
    }
    if (t == SQLITE_FLOAT) {
        fmt_double(sqlite3_column_double(st, i), b);
        return;
    }
    const unsigned char *s = sqlite3_column_text(st, i);
    buf_append(b, s ? (const char *)s : "", (size_t)sqlite3_column_bytes(st, i));
}

/* The binary send format of a value whose text form is txt. */
static void
put_binary(uint32_t oid, const char *txt, size_t n, Buf *b)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n < 63 ? n : 63), txt);
    switch (oid) {
    case 16:
        buf_put_u8(b, tmp[0] == 't');
        return;
    case 21:
        buf_put_u16be(b, (uint16_t)strtol(tmp, NULL, 10));
        return;
    case 23:
    case 26:
    case 24:
    case 28:
    case 29:
        buf_put_u32be(b, (uint32_t)strtoll(tmp, NULL, 10));
        return;
    case 20: {
        uint64_t v = (uint64_t)strtoll(tmp, NULL, 10);
        buf_put_u32be(b, (uint32_t)(v >> 32));
        buf_put_u32be(b, (uint32_t)v);
        return;
    }
    case 700: {
        float f = strtof(tmp, NULL);
        uint32_t u;
        memcpy(&u, &f, 4);
        buf_put_u32be(b, u);
        return;
    }
    case 701: {
        double d = strtod(tmp, NULL);
        uint64_t u;
        memcpy(&u, &d, 8);
        buf_put_u32be(b, (uint32_t)(u >> 32));
        buf_put_u32be(b, (uint32_t)u);
        return;
    }
    default:
        buf_append(b, txt, n);
        return; /* text-like types: the same bytes */
    }
}

static bool
binary_scalar_ok(uint32_t oid)
{
    switch (oid) {
    case 16:
    case 18:
    case 19:
    case 20:
    case 21:
    case 23:
    case 24:
    case 25:
    case 26:
    case 28:
    case 29:
    case 700:
    case 701:
    case 1042:
    case 1043:
        return true;
    default:
        return false;
    }
}

/* Arrays of those go out in array_send form too. */
static bool
binary_ok(uint32_t oid)
{
    const PgcType *t = pgcat_type_by_oid(oid);
    if (t && t->category == 'A' && t->elem && oid != 22 && oid != 30)
        return binary_scalar_ok(t->elem);
    return binary_scalar_ok(oid);
}

/* array_send of a one-dimensional array literal (NUL-terminated txt). */
static void
put_binary_array(uint32_t elem, const char *txt, Buf *b)
{
    char **el;
    bool *nul;
    int n = pgcat_array_parse(txt, &el, &nul);
    if (n < 0)
        n = 0;
    bool hasnull = false;
    for (int i = 0; i < n; i++)
        hasnull |= nul[i];
    buf_put_u32be(b, n > 0 ? 1 : 0); /* dimensions */
    buf_put_u32be(b, hasnull);
    buf_put_u32be(b, elem);
    if (n > 0) {
        buf_put_u32be(b, (uint32_t)n); /* length */
        buf_put_u32be(b, 1);           /* lower bound */
    }
    Buf e;
    buf_init(&e);
    for (int i = 0; i < n; i++) {
        if (nul[i]) {
            buf_put_u32be(b, (uint32_t)-1);
            continue;
        }
        buf_clear(&e);
        put_binary(elem, el[i], strlen(el[i]), &e);
        buf_put_u32be(b, (uint32_t)e.len);
        buf_append(b, e.data, e.len);
    }
    buf_free(&e);
    if (n > 0 || el)
        pgcat_array_free(el, nul, n);
}

int
pgcat_exec(PgCatalog *pc, const Catalog *cat, PgcStmt *ps, const PgcSession *sess, int nvals,
           const char *const *vals, bool with_desc, const int16_t *rfmt, int nrfmt, Buf *out,
           SqlError *err)
{
    pc->sess = sess;
    pc->cat = cat;
    int rc = -1;
    for (int i = 0; i < ps->ncols; i++)
        if (pgw_format_of(rfmt, nrfmt, i) == 1 && !binary_ok(ps->types[i])) {
            const PgcType *t = pgcat_type_by_oid(ps->types[i]);
            err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
                     "binary output of type %s is not supported by the catalog emulation",
                     t ? t->name : "?");
            goto done;
        }
    if (refresh(pc, cat, err) != 0)
        goto done;
    sqlite3_reset(ps->st);
    sqlite3_clear_bindings(ps->st);
    for (int i = 0; i < nvals && i < ps->nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(ps->st, name);
        if (idx == 0)
            continue;
        if (vals[i])
            sqlite3_bind_text(ps->st, idx, vals[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ps->st, idx);
    }
    size_t start = out->len;
    if (with_desc)
        pgcat_describe(ps, out, rfmt, nrfmt);
    int64_t nrows = 0;
    Buf cell;
    buf_init(&cell);
    int step;
    pc->deadline = sl_mono_us() + PGCAT_MAX_RUN_US;
    bool too_big = false;
    while ((step = sqlite3_step(ps->st)) == SQLITE_ROW) {
        if (out->len - start > PGCAT_MAX_RESULT_BYTES) {
            too_big = true;
            break;
        }
        size_t off = pgw_begin_message(out, 'D');
        buf_put_u16be(out, (uint16_t)ps->ncols);
        for (int i = 0; i < ps->ncols; i++) {
            if (sqlite3_column_type(ps->st, i) == SQLITE_NULL) {
                buf_put_u32be(out, (uint32_t)-1);
                continue;
            }
            buf_clear(&cell);
            put_text(pc, ps->st, i, ps->types[i], &cell);
            if (pgw_format_of(rfmt, nrfmt, i) == 1) {
                Buf bin;
                buf_init(&bin);
                const PgcType *t = pgcat_type_by_oid(ps->types[i]);
                if (t && t->category == 'A' && t->elem && binary_ok(ps->types[i])) {
                    buf_putc(&cell, 0);
                    put_binary_array(t->elem, cell.data, &bin);
                } else {
                    put_binary(ps->types[i], cell.data ? cell.data : "", cell.len, &bin);
                }
                buf_put_u32be(out, (uint32_t)bin.len);
                buf_append(out, bin.data, bin.len);
                buf_free(&bin);
            } else {
                buf_put_u32be(out, (uint32_t)cell.len);
                buf_append(out, cell.data, cell.len);
            }
        }
        pgw_end_message(out, off);
        nrows++;
    }
    buf_free(&cell);
    pc->deadline = 0;
    if (step != SQLITE_DONE) {
        out->len = start; /* nothing of a failed statement goes out */
        if (too_big)
            err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "catalog query result exceeds %zu MB",
                     PGCAT_MAX_RESULT_BYTES >> 20);
        else if (step == SQLITE_INTERRUPT)
            err_setf(err, ERR_QUERY_CANCELED, -1,
                     "catalog query canceled after %d s (statement timeout of the catalog "
                     "emulation)",
                     PGCAT_MAX_RUN_US / 1000000);
        else
            sqlite_error(err, sqlite3_errmsg(pc->db));
        sqlite3_reset(ps->st);
        goto done;
    }
    sqlite3_reset(ps->st);
    char tag[48];
    snprintf(tag, sizeof tag, "SELECT %lld", (long long)nrows);
    pgw_put_command_complete(out, tag);
    rc = 0;
done:
    pc->sess = NULL;
    pc->cat = NULL;
    return rc;
}
