/*
 * tests/unit/test_executor.c — unit tests for executor/: window assignment,
 * watermarks and late events, aggregates over NULLs, output modes, epochs,
 * triggers, subscriptions, state accounting and the state budget
 * (DESIGN §1.4–1.6).
 *
 * Views are planned from SQL (parse_sql + planner), events are hand-built
 * Value rows with explicit event times (microseconds), results are read back
 * as strings: pull queries through exec_pull, pushed rows through a recording
 * SubscriberOps ("<epoch> <op> v1,v2,..." per row). Timestamps print as
 * "@<seconds>" (or "@<µs>us" when not whole seconds) to keep expectations short.

 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh World
 *           (arena, catalog, executor)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "executor/executor.h"
#include "parser/parser.h"
#include "planner/catalog.h"
#include "planner/plan.h"
#include "planner/planner.h"

#define SEC INT64_C(1000000)
#define XNULL INT64_MIN /* an Ev.x that is NULL */

typedef struct World {
    Arena *a;
    Catalog *cat;
    Executor *x;
} World;

static World W;

static void
world_init(World *w)
{
    w->a = arena_new(16384);
    w->cat = cat_new();
    w->x = exec_new();
}

static void
world_free(World *w)
{
    exec_free(w->x);
    cat_free(w->cat);
    arena_free(w->a);
    memset(w, 0, sizeof *w);
}

static AstStmt *
parse1(World *w, const char *sql)
{
    SqlError err;
    err_init(&err, w->a);
    AstStmtList l;
    if (parse_sql(w->a, sql, strlen(sql), &l, &err) != 0)
        fail_msg("parse error in \"%s\": %s", sql, err.message);
    assert_int_equal(l.n, 1);
    return l.items[0];
}

/* CREATE STREAM or CREATE VIEW, planned and started. */
static CatObject *
create(World *w, const char *sql)
{
    SqlError err;
    err_init(&err, w->a);
    AstStmt *s = parse1(w, sql);
    CatObject *o = NULL;
    if (s->kind == AST_CREATE_STREAM)
        o = plan_create_stream(w->cat, s, sql, &err);
    else if (s->kind == AST_CREATE_VIEW)
        o = plan_create_view(w->cat, s, sql, &err);
    if (!o)
        fail_msg("\"%s\" failed: %s %s", sql, err.sqlstate, err.message ? err.message : "");
    cat_add(w->cat, o);
    int rc = o->kind == CAT_STREAM ? exec_add_stream(w->x, o, &err)
                                   : exec_add_view(w->x, o, cat_lookup(w->cat, o->source), &err);
    assert_int_equal(rc, 0);
    return o;
}

static CatObject *
obj(World *w, const char *name)
{
    CatObject *o = cat_lookup(w->cat, name);
    if (!o)
        fail_msg("no object %s", name);
    return o;
}

/* ------------------------------------------------------------ values as text */

static void
fmt_value(Buf *b, const Value *v)
{
    if (v->isnull) {
        buf_puts(b, "NULL");
    } else if (v->type == TYPE_TIMESTAMP) {
        if (v->i % SEC == 0)
            buf_printf(b, "@%" PRId64, v->i / SEC);
        else
            buf_printf(b, "@%" PRId64 "us", v->i);
    } else {
        val_format(v, b);
    }
}

static void
fmt_row(Buf *b, const Value *vals, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        fmt_value(b, &vals[i]);
    }
}

static const char *
buf_str(World *w, Buf *b)
{
    return arena_strndup(w->a, b->data ? b->data : "", b->len);
}

/* ------------------------------------------------------------ events */

/* One event of the test streams (k TEXT, x BIGINT, ts TIMESTAMP). */
typedef struct Ev {
    const char *k;
    int64_t x;
    int64_t ts;  /* µs */
} Ev;

/* Ingests events into a stream whose columns are (k TEXT, x BIGINT, ts
 * TIMESTAMP); returns the number accepted. */
static int
ingest_w(World *w, const char *stream, const Ev *ev, int n)
{
    CatObject *s = obj(w, stream);
    assert_int_equal(s->ncols, 3);
    Value *rows = calloc((size_t)n * 3 + 1, sizeof(Value));
    for (int i = 0; i < n; i++) {
        rows[3 * i] = ev[i].k ? val_text(ev[i].k, (uint32_t)strlen(ev[i].k)) : val_null(TYPE_TEXT);
        rows[3 * i + 1] = ev[i].x == XNULL ? val_null(TYPE_BIGINT) : val_int(ev[i].x);
        rows[3 * i + 2] = val_ts(ev[i].ts);
    }
    SqlError err;
    err_init(&err, w->a);
    IngestResult res = {-1, 0, 0};
    if (exec_ingest(w->x, s, rows, n, &res, &err) != 0)
        fail_msg("ingest failed: %s %s", err.sqlstate, err.message);
    free(rows);
    return res.accepted;
}
#define INGEST(stream, ...)                                                              \
    ingest_w(&W, (stream), (const Ev[]){__VA_ARGS__},                                     \
             (int)(sizeof((const Ev[]){__VA_ARGS__}) / sizeof(Ev)))

/* ------------------------------------------------------------ pulls */

typedef struct PullOut {
    Buf b;
    int ncols;
} PullOut;

static void
pull_row(void *ctx, const Value *row)
{
    PullOut *po = ctx;
    fmt_row(&po->b, row, po->ncols);
    buf_putc(&po->b, '\n');
}

/* Runs a pull query; returns its rows, one per line, or "ERROR <state>". */
static const char *
pull_w(World *w, const char *sql)
{
    SqlError err;
    err_init(&err, w->a);
    AstStmt *s = parse1(w, sql);
    assert_int_equal(s->kind, AST_SELECT);
    PlanPull *p = plan_select(w->cat, s->select, NULL, w->a, &err);
    if (!p)
        fail_msg("plan of \"%s\" failed: %s %s", sql, err.sqlstate, err.message);
    PullOut po;
    buf_init(&po.b);
    po.ncols = p->ncols;
    CatObject *v = p->view ? obj(w, p->view) : NULL;
    int64_t n = exec_pull(w->x, p, v, w->a, pull_row, &po, &err);
    const char *out;
    if (n < 0)
        out = arena_sprintf(w->a, "ERROR %s", err.sqlstate);
    else
        out = buf_str(w, &po.b);
    buf_free(&po.b);
    return out;
}
#define PULL(sql) pull_w(&W, (sql))

/* ------------------------------------------------------------ status */

typedef struct KvFind {
    const char *key;
    char val[128];
    bool found;
} KvFind;

static void
kv_find(void *ctx, const char *key, const char *value)
{
    KvFind *f = ctx;
    if (strcmp(key, f->key) == 0) {
        snprintf(f->val, sizeof f->val, "%s", value);
        f->found = true;
    }
}

static const char *
status_w(World *w, const char *name, const char *key)
{
    KvFind f = {.key = key};
    exec_status(w->x, obj(w, name), kv_find, &f);
    if (!f.found)
        fail_msg("no status key %s for %s", key, name);
    return arena_strdup(w->a, f.val);
}
#define STATUS(name, key) status_w(&W, (name), (key))

static int64_t
status_int(World *w, const char *name, const char *key)
{
    return strtoll(status_w(w, name, key), NULL, 10);
}
#define STATUS_INT(name, key) status_int(&W, (name), (key))

/* ------------------------------------------------------------ subscriptions */

typedef struct Rec {
    Buf log;
    bool with_epoch;
    int rows;
    int ends;
    int flushes;
    int64_t end_rows;
    char end_state[6];  /* "" = ended without error */
    bool ended_ok;
} Rec;

static void
rec_row(void *ctx, int64_t epoch, const char *op, const Value *vals, int ncols)
{
    Rec *r = ctx;
    if (r->with_epoch)
        buf_printf(&r->log, "%" PRId64 " ", epoch);
    buf_printf(&r->log, "%s ", op);
    fmt_row(&r->log, vals, ncols);
    buf_putc(&r->log, '\n');
    r->rows++;
}

static void
rec_end(void *ctx, const SqlError *err, int64_t rows)
{
    Rec *r = ctx;
    r->ends++;
    r->end_rows = rows;
    if (err && err->set)
        snprintf(r->end_state, sizeof r->end_state, "%s", err->sqlstate);
    else
        r->ended_ok = true;
}

static void
rec_flush(void *ctx)
{
    ((Rec *)ctx)->flushes++;
}

static const SubscriberOps rec_ops = {rec_row, rec_end, rec_flush};

static void
rec_init(Rec *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->log);
    r->with_epoch = true;
}

/* Recorders of the test's world: they outlive it (exec_free ends the
 * subscriptions still open, calling `end`), freed by the teardown. */
static Rec recs[8];
static int nrecs;

static Rec *
new_rec(void)
{
    assert_true(nrecs < 8);
    Rec *r = &recs[nrecs++];
    rec_init(r);
    return r;
}

/* Takes the rows recorded so far (and forgets them). */
static const char *
rec_take(World *w, Rec *r)
{
    const char *s = buf_str(w, &r->log);
    buf_clear(&r->log);
    return s;
}

/* SUBSCRIBE; returns the Subscription (NULL when it failed or ended at
 * once; *err_state receives the SQLSTATE or ""). */
static Subscription *
subscribe_w(World *w, const char *sql, Rec *r, char *err_state)
{
    SqlError err;
    err_init(&err, w->a);
    AstStmt *s = parse1(w, sql);
    assert_int_equal(s->kind, AST_SUBSCRIBE);
    PlanSubscribe *p = plan_subscribe(w->cat, s, NULL, w->a, &err);
    if (!p)
        fail_msg("plan of \"%s\" failed: %s %s", sql, err.sqlstate, err.message);
    Subscription *sub = exec_subscribe(w->x, obj(w, p->view), p, &rec_ops, r, &err);
    if (err_state)
        snprintf(err_state, 6, "%s", err.set ? err.sqlstate : "");
    else if (err.set)
        fail_msg("\"%s\": %s %s", sql, err.sqlstate, err.message);
    return sub;
}
#define SUBSCRIBE(sql, rec) subscribe_w(&W, (sql), (rec), NULL)

static const char *TUMBLE10_COUNT =
    "CREATE VIEW w AS SELECT window_start, window_end, count(*) AS n, sum(x) AS sx "
    "FROM TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY window_start, window_end";

/* ================================================================ windows */

static void
test_tumble_boundaries(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '1' HOUR)");
    create(&W, TUMBLE10_COUNT);
    assert_int_equal(INGEST("s", {"a", 1, 10 * SEC}, {"a", 2, 20 * SEC - 1}, {"a", 4, 20 * SEC},
                            {"a", 8, 30 * SEC - 1}, {"a", 16, 0}),
                     5);
    assert_string_equal(PULL("SELECT * FROM w ORDER BY window_start"),
                        "@0,@10,1,16\n"
                        "@10,@20,2,3\n"
                        "@20,@30,2,12\n");
}

static void
test_tumble_negative_timestamps(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '1' HOUR)");
    create(&W, TUMBLE10_COUNT);
    INGEST("s", {"a", 1, -10 * SEC - 1}, {"a", 2, -10 * SEC}, {"a", 4, -1}, {"a", 8, -25 * SEC},
           {"a", 16, -20 * SEC}, {"a", 32, 0});
    assert_string_equal(PULL("SELECT * FROM w ORDER BY window_start"),
                        "@-30,@-20,1,8\n"
                        "@-20,@-10,2,17\n"
                        "@-10,@0,2,6\n"
                        "@0,@10,1,32\n");
}

static void
test_hop_overlaps(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '1' HOUR)");
    create(&W, "CREATE VIEW h AS SELECT window_start, window_end, count(*) AS n, sum(x) AS sx "
               "FROM HOP(s, ts, INTERVAL '5' SECOND, INTERVAL '15' SECOND) "
               "GROUP BY window_start, window_end");
    /* 12s is in [0,15) [5,20) [10,25); 15s in [5,20) [10,25) [15,30);
     * -1µs in [-15,0) [-10,5) [-5,10) */
    INGEST("s", {"a", 1, 12 * SEC}, {"a", 2, 15 * SEC}, {"a", 4, -1});
    assert_string_equal(PULL("SELECT * FROM h ORDER BY window_start"),
                        "@-15,@0,1,4\n"
                        "@-10,@5,1,4\n"
                        "@-5,@10,1,4\n"
                        "@0,@15,1,1\n"
                        "@5,@20,2,3\n"
                        "@10,@25,2,3\n"
                        "@15,@30,1,2\n");
}

static void
test_out_of_order_within_delay(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '5' SECOND)");
    create(&W, TUMBLE10_COUNT);
    /* wm after each: 7, 7, 10, late(9<10), 10, 14 */
    int acc = INGEST("s", {"a", 1, 12 * SEC}, {"a", 2, 8 * SEC}, {"a", 4, 15 * SEC},
                     {"a", 8, 9 * SEC}, {"a", 16, 11 * SEC}, {"a", 32, 19 * SEC});
    assert_int_equal(acc, 5);
    assert_int_equal(STATUS_INT("s", "late_events"), 1);
    assert_int_equal(STATUS_INT("s", "events"), 5);
    assert_string_equal(PULL("SELECT * FROM w ORDER BY window_start"),
                        "@0,@10,1,2\n"
                        "@10,@20,4,53\n");
}

/* ================================================================ watermarks */

static void
test_lateness_per_event(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '5' SECOND)");
    create(&W, "CREATE VIEW raw AS SELECT x, ts FROM s");
    /* 20 → wm 15; 15 == wm: on time; 15s-1µs: late; 30 → wm 25; 24: late; 25: on time.
     * A late event must not have raised the watermark. */
    int acc = INGEST("s", {"a", 1, 20 * SEC}, {"a", 2, 15 * SEC}, {"a", 3, 15 * SEC - 1},
                     {"a", 4, 30 * SEC}, {"a", 5, 24 * SEC}, {"a", 6, 25 * SEC});
    assert_int_equal(acc, 4);
    assert_int_equal(STATUS_INT("s", "late_events"), 2);
    assert_string_equal(STATUS("s", "watermark"), "1970-01-01 00:00:25");
    assert_string_equal(PULL("SELECT x FROM raw ORDER BY x"), "1\n2\n4\n6\n");
    /* the same per event across calls: 25 is still on time, 24.999999 is late */
    assert_int_equal(INGEST("s", {"a", 7, 25 * SEC}), 1);
    assert_int_equal(INGEST("s", {"a", 8, 25 * SEC - 1}), 0);
    assert_int_equal(STATUS_INT("s", "late_events"), 3);
    assert_string_equal(PULL("SELECT x FROM raw ORDER BY x"), "1\n2\n4\n6\n7\n");
}

static void
test_window_closes_at_watermark(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '5' SECOND)");
    create(&W, TUMBLE10_COUNT);
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE w", r));
    /* every batch updates an open window: an epoch each (empty in APPEND mode) */
    INGEST("s", {"a", 1, 3 * SEC});
    INGEST("s", {"a", 2, 14 * SEC}); /* wm 9: [0,10) stays open */
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 2);
    assert_int_equal(STATUS_INT("w", "open_windows"), 2);
    INGEST("s", {"a", 4, 15 * SEC - 1}); /* wm 10s-1µs: still open */
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 3);
    INGEST("s", {"a", 8, 15 * SEC}); /* wm 10 = window_end: closes */
    assert_string_equal(rec_take(&W, r), "4 insert @0,@10,1,1\n");
    assert_int_equal(STATUS_INT("w", "open_windows"), 1);
    assert_int_equal(STATUS_INT("w", "windows_closed"), 1);
    /* [10,20) is emitted once, when the watermark reaches 20 */
    INGEST("s", {"a", 16, 24 * SEC});
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 5);
    INGEST("s", {"a", 32, 40 * SEC});
    assert_string_equal(rec_take(&W, r), "6 insert @10,@20,3,14\n6 insert @20,@30,1,16\n");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 6);
}

/* An event the view's WHERE drops still advances the stream's watermark. */
static void
test_filtered_event_closes_windows(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts)");
    create(&W, "CREATE VIEW w AS SELECT window_start, count(*) AS n FROM "
               "TUMBLE(s, ts, INTERVAL '10' SECOND) WHERE k = 'a' GROUP BY window_start");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE w", r));
    INGEST("s", {"a", 0, 1 * SEC}, {"a", 0, 2 * SEC}); /* epoch 1: [0,10) updated */
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 1);
    INGEST("s", {"b", 0, 50 * SEC}); /* no group updated, but [0,10) closes: epoch 2 */
    assert_string_equal(rec_take(&W, r), "2 insert @0,2\n");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 2);
    assert_int_equal(STATUS_INT("w", "open_windows"), 0);
}

/* ================================================================ batch-split invariance */

#define NEV 240

static void
gen_events(Ev *ev, int n, uint64_t *seed)
{
    static const char *keys[] = {"a", "b", "c", "d"};
    int64_t t = 1000 * SEC;
    for (int i = 0; i < n; i++) {
        *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = *seed >> 33;
        t += (int64_t)(r % 1500) * 1000; /* up to 1.5 s forward */
        int64_t jitter = (int64_t)((r >> 11) % 6000) * 1000; /* up to 6 s back: some late */
        ev[i].k = keys[(r >> 5) % 4];
        ev[i].x = (r >> 7) % 10 == 0 ? XNULL : (int64_t)((r >> 13) % 100);
        ev[i].ts = t - jitter;
    }
}

typedef struct Outcome {
    const char *tumble, *hop, *counts, *raw, *append_rows, *late;
} Outcome;

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The lines of `s`, sorted (epoch numbers are not compared: only rows). */
static const char *
sorted_lines(World *w, const char *s)
{
    char *copy = arena_strdup(w->a, s);
    const char *lines[4096];
    int n = 0;
    for (char *p = strtok(copy, "\n"); p && n < 4096; p = strtok(NULL, "\n"))
        lines[n++] = p;
    qsort(lines, (size_t)n, sizeof lines[0], cmp_str);
    Buf b;
    buf_init(&b);
    for (int i = 0; i < n; i++) {
        buf_puts(&b, lines[i]);
        buf_putc(&b, '\n');
    }
    const char *out = buf_str(w, &b);
    buf_free(&b);
    return out;
}

/* Runs the events through a fresh world, split into batches at `cuts`
 * (cut[i] = 1: a batch ends after event i). */
static Outcome
run_split(const Ev *ev, int n, const unsigned char *cut)
{
    World w;
    world_init(&w);
    create(&w, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '3' SECOND)");
    create(&w, "CREATE VIEW tw AS SELECT k, window_start, count(*) AS n, count(x) AS cx, "
               "sum(x) AS sx, min(x) AS mn, max(x) AS mx FROM TUMBLE(s, ts, INTERVAL '5' SECOND) "
               "GROUP BY k, window_start");
    create(&w, "CREATE VIEW hw AS SELECT window_start, k, count(*) AS n, avg(x) AS ax "
               "FROM HOP(s, ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND) "
               "GROUP BY window_start, k");
    create(&w, "CREATE VIEW cnt AS SELECT k, count(*) AS n, sum(x) AS sx FROM s GROUP BY k");
    create(&w, "CREATE VIEW rawv AS SELECT k, x, ts FROM s WHERE x IS NULL OR x > 50");
    Rec r;
    rec_init(&r);
    r.with_epoch = false;
    assert_non_null(subscribe_w(&w, "SUBSCRIBE tw", &r, NULL));
    int start = 0;
    for (int i = 0; i < n; i++) {
        if (cut[i] || i == n - 1) {
            ingest_w(&w, "s", ev + start, i + 1 - start);
            start = i + 1;
        }
    }
    Outcome o;
    o.tumble = pull_w(&w, "SELECT * FROM tw ORDER BY k, window_start");
    o.hop = pull_w(&w, "SELECT * FROM hw ORDER BY window_start, k");
    o.counts = pull_w(&w, "SELECT * FROM cnt ORDER BY k");
    o.raw = pull_w(&w, "SELECT * FROM rawv ORDER BY ts, k, x");
    o.append_rows = sorted_lines(&w, rec_take(&w, &r));
    o.late = status_w(&w, "s", "late_events");
    /* keep the strings: copy them out of the world's arena */
    Outcome c;
    c.tumble = strdup(o.tumble);
    c.hop = strdup(o.hop);
    c.counts = strdup(o.counts);
    c.raw = strdup(o.raw);
    c.append_rows = strdup(o.append_rows);
    c.late = strdup(o.late);
    world_free(&w);
    buf_free(&r.log);
    return c;
}

static void
outcome_free(Outcome *o)
{
    free((char *)o->tumble);
    free((char *)o->hop);
    free((char *)o->counts);
    free((char *)o->raw);
    free((char *)o->append_rows);
    free((char *)o->late);
}

static void
assert_same(const Outcome *a, const Outcome *b, int split)
{
    const char *what = NULL;
    if (strcmp(a->tumble, b->tumble))
        what = "tumble";
    else if (strcmp(a->hop, b->hop))
        what = "hop";
    else if (strcmp(a->counts, b->counts))
        what = "counts";
    else if (strcmp(a->raw, b->raw))
        what = "raw";
    else if (strcmp(a->append_rows, b->append_rows))
        what = "append subscription";
    else if (strcmp(a->late, b->late))
        what = "late_events";
    if (what)
        fail_msg("split %d: %s differs from the one-batch run", split, what);
}

static void
test_batch_split_invariance(void **state)
{
    (void)state;
    Ev ev[NEV];
    uint64_t seed = 42;
    gen_events(ev, NEV, &seed);
    unsigned char cut[NEV];
    memset(cut, 0, sizeof cut);
    Outcome one = run_split(ev, NEV, cut);
    /* sanity: the data exercises late events and closed windows */
    assert_true(atoi(one.late) > 0);
    assert_true(strlen(one.append_rows) > 0);
    memset(cut, 1, sizeof cut);
    Outcome each = run_split(ev, NEV, cut);
    assert_same(&one, &each, -1);
    outcome_free(&each);
    uint64_t rs = 7;
    for (int split = 0; split < 60; split++) {
        rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
        int density = 2 + (int)((rs >> 40) % 40);
        for (int i = 0; i < NEV; i++) {
            rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
            cut[i] = (rs >> 33) % (uint64_t)density == 0;
        }
        Outcome o = run_split(ev, NEV, cut);
        assert_same(&one, &o, split);
        outcome_free(&o);
    }
    outcome_free(&one);
}

/* ================================================================ aggregates and NULLs */

static void
test_aggregates_with_nulls(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '1' HOUR)");
    create(&W, "CREATE VIEW g AS SELECT k, count(*) AS c, count(x) AS cx, sum(x) AS sx, "
               "avg(x) AS ax, min(x) AS mn, max(x) AS mx, sum(x * 0.5) AS sd, min(k || 'z') AS mk "
               "FROM s GROUP BY k");
    create(&W, "CREATE VIEW wg AS SELECT k, window_start, count(*) AS c, count(x) AS cx, "
               "sum(x) AS sx, avg(x) AS ax, min(x) AS mn, max(x) AS mx "
               "FROM TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY k, window_start");
    INGEST("s", {"a", XNULL, 1 * SEC}, {"a", XNULL, 2 * SEC}, {"b", 1, 3 * SEC},
           {"b", XNULL, 4 * SEC}, {"b", 4, 5 * SEC}, {NULL, 7, 6 * SEC}, {NULL, XNULL, 7 * SEC});
    assert_string_equal(PULL("SELECT * FROM g ORDER BY k"),
                        "a,2,0,NULL,NULL,NULL,NULL,NULL,az\n"
                        "b,3,2,5,2.5,1,4,2.5,bz\n"
                        "NULL,2,1,7,7,7,7,3.5,NULL\n");
    assert_string_equal(PULL("SELECT * FROM wg ORDER BY k"),
                        "a,@0,2,0,NULL,NULL,NULL,NULL\n"
                        "b,@0,3,2,5,2.5,1,4\n"
                        "NULL,@0,2,1,7,7,7,7\n");
}

/* ================================================================ output modes */

static void
test_append_mode(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts)");
    create(&W, "CREATE VIEW w AS SELECT k, window_start, count(*) AS n FROM "
               "TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY k, window_start");
    create(&W, "CREATE VIEW raw AS SELECT k, x FROM s WHERE x > 1");
    Rec *rw = new_rec();
    Rec *rr = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE w", rw));
    assert_non_null(SUBSCRIBE("SUBSCRIBE raw", rr));
    /* w: a batch that only updates open windows is an epoch with no APPEND rows */
    INGEST("s", {"a", 1, 1 * SEC}, {"a", 2, 2 * SEC}, {"b", 3, 3 * SEC});
    assert_string_equal(rec_take(&W, rw), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 1);
    assert_string_equal(rec_take(&W, rr), "1 insert a,2\n1 insert b,3\n");
    INGEST("s", {"a", 0, 9 * SEC});
    assert_string_equal(rec_take(&W, rw), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 2);
    assert_string_equal(rec_take(&W, rr), ""); /* filtered out: no epoch */
    assert_int_equal(exec_view_epoch(obj(&W, "raw")), 1);
    INGEST("s", {"b", 5, 12 * SEC});
    assert_string_equal(sorted_lines(&W, rec_take(&W, rw)), "3 insert a,@0,3\n3 insert b,@0,1\n");
    assert_string_equal(rec_take(&W, rr), "2 insert b,5\n");
    /* the closed window is not emitted again */
    INGEST("s", {"b", 6, 15 * SEC}, {"a", 7, 25 * SEC});
    assert_string_equal(rec_take(&W, rw), "4 insert b,@10,2\n");
    assert_string_equal(rec_take(&W, rr), "3 insert b,6\n3 insert a,7\n");
    INGEST("s", {"a", 7, 26 * SEC});
    assert_string_equal(rec_take(&W, rw), "");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 5);
    assert_int_equal(rw->ends, 0);
}

static void
test_update_mode_and_having(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    create(&W, "CREATE VIEW u AS SELECT k, count(*) AS n, sum(x) AS sx FROM s GROUP BY k "
               "HAVING sum(x) < 10");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u", r));
    INGEST("s", {"a", 1, 0}, {"b", 2, 0});
    assert_string_equal(sorted_lines(&W, rec_take(&W, r)), "1 upsert a,1,1\n1 upsert b,1,2\n");
    INGEST("s", {"a", 2, 0});
    assert_string_equal(rec_take(&W, r), "2 upsert a,2,3\n");
    /* b's HAVING turns false: a delete keyed by k, NULL in every other column
     * (regression: the delete once carried the previously computed row,
     * "delete a,2,3"). */
    INGEST("s", {"b", 20, 0});
    assert_string_equal(rec_take(&W, r), "3 delete b,NULL,NULL\n");
    /* b stays invisible: no row, but its state changed, so an (empty) epoch */
    INGEST("s", {"b", 1, 0});
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(obj(&W, "u")), 4);
    assert_string_equal(PULL("SELECT * FROM u ORDER BY k"), "a,2,3\n");
    /* a late subscriber in UPDATE mode first gets the current table as upserts */
    Rec *r2 = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u", r2));
    assert_string_equal(rec_take(&W, r2), "4 upsert a,2,3\n");
    INGEST("s", {"c", 1, 0});
    assert_string_equal(rec_take(&W, r), "5 upsert c,1,1\n");
    assert_string_equal(rec_take(&W, r2), "5 upsert c,1,1\n");
}

static void
test_complete_mode(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    create(&W, "CREATE VIEW top AS SELECT k, count(*) AS n FROM s GROUP BY k "
               "ORDER BY n DESC, k LIMIT 2 EMIT COMPLETE");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE top", r));
    INGEST("s", {"c", 0, 0}, {"a", 0, 0}, {"b", 0, 0}, {"a", 0, 0});
    assert_string_equal(rec_take(&W, r), "1 insert a,2\n1 insert b,1\n");
    INGEST("s", {"c", 0, 0}, {"c", 0, 0});
    assert_string_equal(rec_take(&W, r), "2 insert c,3\n2 insert a,2\n");
    /* a change outside the top 2 still makes an epoch with the whole table */
    INGEST("s", {"b", 0, 0});
    assert_string_equal(rec_take(&W, r), "3 insert c,3\n3 insert a,2\n");
    assert_string_equal(PULL("SELECT * FROM top"), "c,3\na,2\n");
    /* a new COMPLETE subscriber gets the current table at once */
    Rec *r2 = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE top", r2));
    assert_string_equal(rec_take(&W, r2), "3 insert c,3\n3 insert a,2\n");
    /* UPDATE subscribers of the same view see changes, not the table */
    Rec *r3 = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE top EMIT UPDATE", r3));
    rec_take(&W, r3);
    INGEST("s", {"d", 0, 0});
    assert_string_equal(rec_take(&W, r3), "4 upsert d,1\n");
    assert_string_equal(rec_take(&W, r), "4 insert c,3\n4 insert a,2\n");
}

/* ================================================================ epochs and triggers */

static void
test_epochs_count_only_changes(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
               "INTERVAL '5' SECOND)");
    create(&W, TUMBLE10_COUNT);
    create(&W, "CREATE VIEW raw AS SELECT x FROM s WHERE x > 100");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE w", r));
    /* w: each batch updates an open window, an epoch each; raw: filtered, none */
    INGEST("s", {"a", 1, 1 * SEC});
    INGEST("s", {"a", 1, 2 * SEC});
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 2);
    assert_int_equal(exec_view_epoch(obj(&W, "raw")), 0);
    INGEST("s", {"a", 1, 16 * SEC}); /* updates [10,20), closes [0,10) */
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 3);
    INGEST("s", {"a", 1, 3 * SEC}); /* late only: nothing happens */
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 3);
    INGEST("s", {"a", 101, 26 * SEC}); /* closes [10,20) */
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 4);
    assert_int_equal(exec_view_epoch(obj(&W, "raw")), 1);
    INGEST("s", {"a", 1, 36 * SEC}, {"a", 102, 46 * SEC}); /* closes [20,30) and [30,40) */
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 5);
    assert_int_equal(exec_view_epoch(obj(&W, "raw")), 2);
    assert_string_equal(rec_take(&W, r), "3 insert @0,@10,2,2\n"
                                          "4 insert @10,@20,1,1\n"
                                          "5 insert @20,@30,1,101\n"
                                          "5 insert @30,@40,1,1\n");
    assert_string_equal(STATUS("w", "epoch"), "5");
}

static void
test_subscribe_from_epoch(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    create(&W, "CREATE VIEW raw AS SELECT k, x FROM s");
    create(&W, "CREATE VIEW u AS SELECT k, sum(x) AS sx FROM s GROUP BY k");
    INGEST("s", {"a", 1, 0});
    INGEST("s", {"b", 2, 0}, {"a", 3, 0});
    INGEST("s", {"c", 4, 0});
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE raw FROM EPOCH 2", r));
    assert_string_equal(rec_take(&W, r), "2 insert b,2\n2 insert a,3\n3 insert c,4\n");
    INGEST("s", {"d", 5, 0});
    assert_string_equal(rec_take(&W, r), "4 insert d,5\n");
    /* UPDATE views replay their changelog of upserts */
    Rec *ru = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u FROM EPOCH 3", ru));
    assert_string_equal(rec_take(&W, ru), "3 upsert c,4\n4 upsert d,5\n");
    /* an epoch in the future: nothing yet, then live rows */
    Rec *rf = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE raw FROM EPOCH 5", rf));
    assert_string_equal(rec_take(&W, rf), "");
    INGEST("s", {"e", 6, 0});
    assert_string_equal(rec_take(&W, rf), "5 insert e,6\n");
}

static void
test_subscribe_limit_ends_once(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    create(&W, "CREATE VIEW raw AS SELECT k, x FROM s");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE raw LIMIT 3", r));
    INGEST("s", {"a", 1, 0}, {"b", 2, 0});
    assert_int_equal(r->ends, 0);
    INGEST("s", {"c", 3, 0}, {"d", 4, 0}, {"e", 5, 0});
    assert_int_equal(r->rows, 3);
    assert_int_equal(r->ends, 1);
    assert_true(r->ended_ok);
    assert_int_equal(r->end_rows, 3);
    INGEST("s", {"f", 6, 0});
    assert_int_equal(r->rows, 3);
    assert_int_equal(r->ends, 1);
    assert_string_equal(rec_take(&W, r), "1 insert a,1\n1 insert b,2\n2 insert c,3\n");
    assert_string_equal(STATUS("raw", "subscribers"), "0");
    /* a LIMIT reached by the replay: NULL without error, end called once */
    Rec *r2 = new_rec();
    char st[6];
    assert_null(subscribe_w(&W, "SUBSCRIBE raw FROM EPOCH 1 LIMIT 2", r2, st));
    assert_string_equal(st, "");
    assert_int_equal(r2->ends, 1);
    assert_int_equal(r2->rows, 2);
    INGEST("s", {"g", 7, 0});
    assert_int_equal(r2->ends, 1);
    assert_int_equal(r2->rows, 2);
    /* LIMIT 0 ends at once */
    Rec *r3 = new_rec();
    assert_null(subscribe_w(&W, "SUBSCRIBE raw LIMIT 0", r3, st));
    assert_int_equal(r3->ends, 1);
    assert_int_equal(r3->rows, 0);
}

static void
test_every_row_trigger(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts)");
    create(&W, "CREATE VIEW u AS SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE EVERY ROW");
    create(&W, "CREATE VIEW w AS SELECT window_start, count(*) AS n FROM "
               "TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY window_start EVERY ROW");
    Rec *r = new_rec();
    Rec *rw = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u", r));
    assert_non_null(SUBSCRIBE("SUBSCRIBE w", rw));
    INGEST("s", {"a", 0, 1 * SEC}, {"a", 0, 2 * SEC}, {"b", 0, 10 * SEC}, {"a", 0, 20 * SEC});
    assert_string_equal(rec_take(&W, r), "1 upsert a,1\n2 upsert a,2\n3 upsert b,1\n4 upsert a,3\n");
    assert_int_equal(exec_view_epoch(obj(&W, "u")), 4);
    /* each event updates a window (epochs 1-4); each window closes at the event
     * whose watermark passes it */
    assert_string_equal(rec_take(&W, rw), "3 insert @0,2\n4 insert @10,1\n");
    assert_int_equal(exec_view_epoch(obj(&W, "w")), 4);
}

static void
test_on_demand_trigger(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    CatObject *v = create(&W, "CREATE VIEW u AS SELECT k, count(*) AS n FROM s GROUP BY k ON DEMAND");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u", r));
    INGEST("s", {"a", 0, 0}, {"b", 0, 0});
    INGEST("s", {"a", 0, 0});
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_view_epoch(v), 0);
    SqlError err;
    err_init(&err, W.a);
    assert_int_equal(exec_refresh(W.x, v, &err), 0);
    assert_string_equal(sorted_lines(&W, rec_take(&W, r)), "1 upsert a,2\n1 upsert b,1\n");
    assert_int_equal(exec_view_epoch(v), 1);
    /* nothing new: no epoch */
    assert_int_equal(exec_refresh(W.x, v, &err), 0);
    assert_int_equal(exec_view_epoch(v), 1);
    assert_string_equal(rec_take(&W, r), "");
    INGEST("s", {"b", 0, 0});
    assert_string_equal(rec_take(&W, r), "");
    assert_int_equal(exec_refresh(W.x, v, &err), 0);
    assert_string_equal(rec_take(&W, r), "2 upsert b,2\n");
}

/* ================================================================ state */

static void
test_state_freed_and_retention(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts)");
    create(&W, "CREATE VIEW w WITH (retention = '30 seconds') AS SELECT k, window_start, "
               "count(*) AS n FROM TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY k, window_start");
    assert_int_equal(STATUS_INT("w", "state_bytes"), 0);
    /* three open windows, several keys each; delay 0 so send them in time order */
    INGEST("s", {"a", 0, 0}, {"b", 0, 1 * SEC}, {"c", 0, 2 * SEC}, {"a", 0, 10 * SEC},
           {"b", 0, 11 * SEC}, {"a", 0, 20 * SEC});
    /* wm = 20: [0,10) and [10,20) closed already */
    assert_int_equal(STATUS_INT("w", "open_windows"), 1);
    assert_int_equal(STATUS_INT("w", "windows_closed"), 2);
    assert_int_equal(STATUS_INT("w", "retained_rows"), 5);
    int64_t one = STATUS_INT("w", "state_bytes");
    assert_true(one > 0);
    INGEST("s", {"a", 0, 25 * SEC}, {"b", 0, 26 * SEC}, {"c", 0, 27 * SEC}, {"d", 0, 28 * SEC});
    /* 2000 more keys in [20,30): its state grows past one arena block */
    static char keys[2000][16];
    Ev ev[2000];
    for (int i = 0; i < 2000; i++) {
        snprintf(keys[i], sizeof keys[i], "z%d", i);
        ev[i] = (Ev){keys[i], i, 29 * SEC};
    }
    ingest_w(&W, "s", ev, 2000);
    int64_t grown = STATUS_INT("w", "state_bytes");
    assert_true(grown > one);
    assert_int_equal(STATUS_INT("w", "groups"), 2004);
    INGEST("s", {"a", 0, 30 * SEC}, {"a", 0, 40 * SEC});
    assert_int_equal(STATUS_INT("w", "open_windows"), 1);
    assert_int_equal(STATUS_INT("w", "windows_closed"), 4);
    assert_true(STATUS_INT("w", "state_bytes") < grown);
    /* pull sees closed and open windows */
    assert_string_equal(PULL("SELECT k, window_start, n FROM w WHERE k = 'a' ORDER BY window_start"),
                        "a,@0,1\na,@10,1\na,@20,2\na,@30,1\na,@40,1\n");
    /* wm 40: horizon 10, nothing with end < 10 ... [0,10) ends at 10: kept */
    assert_int_equal(STATUS_INT("w", "retained_rows"), 5 + 2004 + 1);
    INGEST("s", {"a", 0, 41 * SEC}); /* horizon 11: [0,10) expires */
    assert_int_equal(STATUS_INT("w", "retained_rows"), 2 + 2004 + 1);
    assert_string_equal(PULL("SELECT k, window_start FROM w WHERE k = 'b' ORDER BY window_start"),
                        "b,@10\nb,@20\n");
    INGEST("s", {"a", 0, 1000 * SEC}); /* everything closes and expires */
    assert_int_equal(STATUS_INT("w", "retained_rows"), 0);
    assert_int_equal(STATUS_INT("w", "open_windows"), 1);
    assert_string_equal(PULL("SELECT k, window_start FROM w ORDER BY window_start"), "a,@1000\n");
    INGEST("s", {"a", 0, 2000 * SEC});
    /* one small window left: its state is what a fresh window costs */
    assert_true(STATUS_INT("w", "state_bytes") <= one);
    assert_true(STATUS_INT("w", "state_bytes") > 0);
}

static void
test_max_state_exceeded(void **state)
{
    (void)state;
    create(&W, "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP)");
    CatObject *v = create(&W, "CREATE VIEW u WITH (max_state = '64kb') AS SELECT k, count(*) AS n "
                              "FROM s GROUP BY k");
    create(&W, "CREATE VIEW ok AS SELECT k, count(*) AS n FROM s GROUP BY k");
    Rec *r = new_rec();
    assert_non_null(SUBSCRIBE("SUBSCRIBE u", r));
    char keys[4000][16];
    Ev ev[4000];
    for (int i = 0; i < 4000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        ev[i] = (Ev){keys[i], i, 0};
    }
    ingest_w(&W, "s", ev, 10);
    assert_int_equal(r->ends, 0);
    assert_string_equal(STATUS("u", "state"), "running");
    ingest_w(&W, "s", ev + 10, 3990);
    assert_int_equal(r->ends, 1);
    assert_string_equal(r->end_state, "53200");
    assert_string_equal(STATUS("u", "state"), "failed");
    assert_string_equal(PULL("SELECT * FROM u"), "ERROR 53200");
    /* the other view of the stream is unaffected */
    assert_string_equal(STATUS("ok", "state"), "running");
    assert_string_equal(STATUS("ok", "groups"), "4000");
    /* new subscribers get the error; more input is ignored */
    Rec *r2 = new_rec();
    char st[6];
    assert_null(subscribe_w(&W, "SUBSCRIBE u", r2, st));
    assert_string_equal(st, "53200");
    ingest_w(&W, "s", ev, 5);
    assert_int_equal(r->ends, 1);
    assert_int_equal(exec_view_epoch(v), 1);
    /* its state is gone */
    assert_int_equal(STATUS_INT("u", "state_bytes"), 0);
}

/* ================================================================ fixtures */

static int
setup(void **state)
{
    (void)state;
    world_init(&W);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    world_free(&W);
    for (int i = 0; i < nrecs; i++)
        buf_free(&recs[i].log);
    nrecs = 0;
    return 0;
}

/* ================================================================ checkpoints */

static const char *const ckpt_ddl[] = {
    "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '3' "
    "SECOND)",
    "CREATE VIEW tw AS SELECT k, window_start, count(*) AS n, sum(x) AS sx, min(k) AS mk "
    "FROM TUMBLE(s, ts, INTERVAL '10' SECOND) GROUP BY k, window_start, window_end",
    "CREATE VIEW hw AS SELECT window_end, max(x) AS mx FROM HOP(s, ts, INTERVAL '5' SECOND, "
    "INTERVAL '15' SECOND) GROUP BY window_start, window_end",
    "CREATE VIEW up AS SELECT k, count(x) AS n, max(k) AS mk FROM s GROUP BY k "
    "HAVING count(x) < 40",
    "CREATE VIEW raw AS SELECT k, x FROM s WHERE x > 50",
    "CREATE VIEW ev AS SELECT k, sum(x) AS sx FROM s GROUP BY k EMIT UPDATE ON DEMAND",
};

static const char *
ckpt_state(World *w)
{
    Buf b;
    buf_init(&b);
    static const char *const q[] = {"SELECT * FROM tw ORDER BY k, window_start",
                                    "SELECT * FROM hw ORDER BY window_end",
                                    "SELECT * FROM up ORDER BY k", "SELECT * FROM raw ORDER BY k, x",
                                    "SELECT * FROM ev ORDER BY k"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        buf_printf(&b, "%s\n", pull_w(w, q[i]));
    static const char *const views[] = {"tw", "hw", "up", "raw", "ev"};
    for (size_t i = 0; i < 5; i++)
        buf_printf(&b, "%s epoch %lld\n", views[i], (long long)exec_view_epoch(obj(w, views[i])));
    buf_printf(&b, "offset %llu\n", (unsigned long long)exec_stream_offset(obj(w, "s")));
    const char *out = buf_str(w, &b);
    buf_free(&b);
    return out;
}

/* A checkpoint taken between batches, loaded into a fresh executor, gives
 * the same result tables and epochs, and both go on identically. */
static void
test_checkpoint_roundtrip(void **state)
{
    (void)state;
    World w2;
    world_init(&w2);
    for (size_t i = 0; i < sizeof ckpt_ddl / sizeof ckpt_ddl[0]; i++) {
        create(&W, ckpt_ddl[i]);
        create(&w2, ckpt_ddl[i]);
    }
    Ev ev[400];
    uint64_t seed = 7;
    gen_events(ev, 400, &seed);
    for (int i = 0; i < 200; i += 20)
        ingest_w(&W, "s", ev + i, 20);
    SqlError err;
    err_init(&err, W.a);
    assert_int_equal(exec_refresh(W.x, obj(&W, "ev"), &err), 0);
    ingest_w(&W, "s", ev + 200, 20); /* left in the ON DEMAND view's inbox */
    Buf ck;
    buf_init(&ck);
    exec_checkpoint_save(W.x, &ck);
    assert_int_equal(exec_checkpoint_load(w2.x, ck.data, ck.len, &err), 0);
    assert_string_equal(ckpt_state(&w2), ckpt_state(&W));
    for (int i = 220; i < 400; i += 30) {
        ingest_w(&W, "s", ev + i, 30 < 400 - i ? 30 : 400 - i);
        ingest_w(&w2, "s", ev + i, 30 < 400 - i ? 30 : 400 - i);
    }
    assert_int_equal(exec_refresh(W.x, obj(&W, "ev"), &err), 0);
    assert_int_equal(exec_refresh(w2.x, obj(&w2, "ev"), &err), 0);
    assert_string_equal(ckpt_state(&w2), ckpt_state(&W));
    /* a damaged checkpoint is refused (the server then does not start) */
    World w3;
    world_init(&w3);
    for (size_t i = 0; i < sizeof ckpt_ddl / sizeof ckpt_ddl[0]; i++)
        create(&w3, ckpt_ddl[i]);
    assert_int_equal(exec_checkpoint_load(w3.x, ck.data, ck.len / 2, &err), -1);
    assert_string_equal(err.sqlstate, "XX001");
    buf_free(&ck);
    world_free(&w3);
    world_free(&w2);
}

/* Processing-time decisions announced through the mark hook, replayed at the
 * same offsets into a fresh executor, give the same epochs and rows. */
typedef struct MarkRec {
    uint64_t offset;
    char view[32];
    int64_t wm;
} MarkRec;

static MarkRec marks[256];
static int nmarks;

static int
record_mark(void *ctx, CatObject *stream, CatObject *view, int64_t wm)
{
    (void)ctx;
    if (nmarks < 256) {
        marks[nmarks].offset = exec_stream_offset(stream);
        snprintf(marks[nmarks].view, sizeof marks[nmarks].view, "%s", view ? view->name : "");
        marks[nmarks++].wm = wm;
    }
    return 0;
}

static void
test_marks_replay(void **state)
{
    (void)state;
    static const char *const ddl[] = {
        "CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL "
        "'1' SECOND) WITH (idle_timeout = '1 second')",
        "CREATE VIEW e AS SELECT k, sum(x) AS sx FROM s GROUP BY k EMIT UPDATE EVERY INTERVAL "
        "'1' SECOND",
        "CREATE VIEW d AS SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE ON DEMAND",
        "CREATE VIEW w AS SELECT window_start, count(*) AS n FROM TUMBLE(s, ts, INTERVAL '5' "
        "SECOND) GROUP BY window_start, window_end",
    };
    World w2;
    world_init(&w2);
    for (size_t i = 0; i < sizeof ddl / sizeof ddl[0]; i++) {
        create(&W, ddl[i]);
        create(&w2, ddl[i]);
    }
    nmarks = 0;
    exec_set_mark_hook(W.x, record_mark, NULL);
    Ev ev[60];
    uint64_t seed = 3;
    gen_events(ev, 60, &seed);
    SqlError err;
    err_init(&err, W.a);
    int64_t now = INT64_C(1) << 40; /* a monotonic clock far ahead of the views' creation */
    int batches[7] = {0, 10, 20, 30, 40, 50, 60};
    for (int b = 0; b < 6; b++) {
        ingest_w(&W, "s", ev + batches[b], batches[b + 1] - batches[b]);
        now += 3 * SEC; /* EVERY fires; the idle stream's watermark moves on */
        exec_tick(W.x, now);
        if (b % 2)
            assert_int_equal(exec_refresh(W.x, obj(&W, "d"), &err), 0);
    }
    assert_true(nmarks >= 6);
    /* Replay: the same batches, each mark where it was taken. */
    int m = 0;
    for (int b = 0; b < 6; b++) {
        while (m < nmarks && marks[m].offset <= (uint64_t)batches[b]) {
            CatObject *v = marks[m].view[0] ? obj(&w2, marks[m].view) : NULL;
            exec_replay_mark(w2.x, obj(&w2, "s"), v, marks[m].wm);
            m++;
        }
        ingest_w(&w2, "s", ev + batches[b], batches[b + 1] - batches[b]);
    }
    for (; m < nmarks; m++) {
        CatObject *v = marks[m].view[0] ? obj(&w2, marks[m].view) : NULL;
        exec_replay_mark(w2.x, obj(&w2, "s"), v, marks[m].wm);
    }
    static const char *const views[] = {"e", "d", "w"};
    for (int i = 0; i < 3; i++) {
        char q[64];
        snprintf(q, sizeof q, "SELECT * FROM %s ORDER BY 1", views[i]);
        assert_string_equal(pull_w(&w2, q), pull_w(&W, q));
        assert_int_equal(exec_view_epoch(obj(&w2, views[i])), exec_view_epoch(obj(&W, views[i])));
    }
    assert_true(exec_view_epoch(obj(&W, "e")) > 0 && exec_view_epoch(obj(&W, "d")) > 0);
    world_free(&w2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tumble_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tumble_negative_timestamps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hop_overlaps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order_within_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lateness_per_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_closes_at_watermark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filtered_event_closes_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_split_invariance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aggregates_with_nulls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_mode_and_having, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_epochs_count_only_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_from_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_limit_ends_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_row_trigger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_on_demand_trigger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_freed_and_retention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_state_exceeded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks_replay, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
