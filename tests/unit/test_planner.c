/*
 * tests/unit/test_planner.c — unit tests for planner/: the binder's rules and
 * the checks of CREATE STREAM / CREATE VIEW / INSERT / SELECT (DESIGN §1.4–1.6).
 *
 * SQL goes in through parse_sql; errors are asserted by SQLSTATE and byte
 * position (CONVENTIONS §9), successful plans by their PlanView fields and by
 * the EXPLAIN text.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh Arena
 *           and a Catalog holding the streams `bids` (with a WATERMARK),
 *           `clicks` (without) and `ev` (two timestamp columns)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "parser/parser.h"
#include "planner/catalog.h"
#include "planner/plan.h"
#include "planner/planner.h"

static Arena *A;
static Catalog *cat;
static SqlError err;

/* The statement kinds plan() knows; what it produced. */
typedef struct Planned {
    CatObject *obj;       /* CREATE STREAM / VIEW (added to the catalog) */
    PlanInsert ins;
    PlanPull *pull;
    PlanSubscribe *sub;
    int rc;               /* 0 ok, -1 error */
} Planned;

static Planned
plan(const char *sql)
{
    Planned r;
    memset(&r, 0, sizeof r);
    err_init(&err, A);
    AstStmtList l;
    if (parse_sql(A, sql, strlen(sql), &l, &err) != 0)
        fail_msg("parse error in \"%s\": %s", sql, err.message);
    assert_int_equal(l.n, 1);
    AstStmt *s = l.items[0];
    switch (s->kind) {
    case AST_CREATE_STREAM:
        r.obj = plan_create_stream(cat, s, sql, &err);
        break;
    case AST_CREATE_VIEW:
        r.obj = plan_create_view(cat, s, sql, &err);
        break;
    case AST_INSERT:
        if (plan_insert(cat, s, NULL, A, &r.ins, &err) != 0)
            r.rc = -1;
        break;
    case AST_SELECT:
        r.pull = plan_select(cat, s->select, NULL, A, &err);
        break;
    case AST_SUBSCRIBE:
        r.sub = plan_subscribe(cat, s, NULL, A, &err);
        break;
    default:
        fail_msg("plan(): unexpected statement kind %d", (int)s->kind);
    }
    if (r.obj)
        cat_add(cat, r.obj);
    if (err_is_set(&err))
        r.rc = -1;
    return r;
}

/* Plans `sql` and requires success. */
static Planned
plan_ok_at(int line, const char *sql)
{
    Planned r = plan(sql);
    if (r.rc != 0)
        fail_msg("line %d: \"%s\" failed: %s %s (hint: %s)", line, sql, err.sqlstate,
                 err.message ? err.message : "", err.hint ? err.hint : "");
    return r;
}
#define plan_ok(sql) plan_ok_at(__LINE__, (sql))

/* Byte offset of the first (or nth, 1-based) occurrence of `needle` in `sql`. */
static int
at_nth(const char *sql, const char *needle, int nth)
{
    const char *p = sql;
    for (int i = 0; i < nth; i++) {
        p = strstr(i ? p + 1 : p, needle);
        if (!p)
            fail_msg("\"%s\" does not occur %d times in \"%s\"", needle, nth, sql);
    }
    return (int)(p - sql);
}
#define AT(sql, needle) at_nth((sql), (needle), 1)

/* Plans `sql`, requires the error `state` at byte `pos` (-2: any position). */
static void
expect_err_at(int line, const char *sql, const char *state, int pos)
{
    Planned r = plan(sql);
    if (r.rc == 0)
        fail_msg("line %d: \"%s\" succeeded, expected %s", line, sql, state);
    if (strcmp(err.sqlstate, state) != 0 || (pos != -2 && err.position != pos))
        fail_msg("line %d: \"%s\": got %s at %d (%s), expected %s at %d", line, sql, err.sqlstate,
                 err.position, err.message ? err.message : "", state, pos);
}
#define EXPECT_ERR(sql, state, pos) expect_err_at(__LINE__, (sql), (state), (pos))

static int
setup(void **state)
{
    (void)state;
    A = arena_new(8192);
    cat = cat_new();
    plan_ok("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, item TEXT, "
            "ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)");
    plan_ok("CREATE STREAM clicks (url TEXT, ts TIMESTAMP, n BIGINT)");
    plan_ok("CREATE STREAM ev (t1 TIMESTAMP, t2 TIMESTAMP, v DOUBLE, WATERMARK FOR t1 AS t1)");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    cat_free(cat);
    cat = NULL;
    arena_free(A);
    A = NULL;
    return 0;
}

static const PlanView *
view_plan(const char *name)
{
    CatObject *o = cat_lookup(cat, name);
    assert_non_null(o);
    assert_int_equal(o->kind, CAT_VIEW);
    return o->plan;
}

/* ------------------------------------------------------------ name resolution */

static void
test_unknown_stream(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT a FROM nosuch";
    EXPECT_ERR(s1, "42P01", AT(s1, "nosuch"));
    const char *s2 = "CREATE VIEW v AS SELECT count(*) FROM TUMBLE(nosuch, ts, INTERVAL '1' MINUTE) "
                     "GROUP BY window_start";
    EXPECT_ERR(s2, "42P01", AT(s2, "nosuch"));
    const char *s3 = "INSERT INTO nosuch VALUES (1)";
    EXPECT_ERR(s3, "42P01", AT(s3, "nosuch"));
    const char *s4 = "SELECT * FROM nosuch";
    EXPECT_ERR(s4, "42P01", AT(s4, "nosuch"));
    const char *s5 = "SUBSCRIBE nosuch";
    EXPECT_ERR(s5, "42P01", AT(s5, "nosuch"));
    assert_null(cat_lookup(cat, "v"));
}

static void
test_unknown_column(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT auction, bogus FROM bids";
    EXPECT_ERR(s1, "42703", AT(s1, "bogus"));
    const char *s2 = "CREATE VIEW v AS SELECT auction FROM bids WHERE price > 1 AND nope = 2";
    EXPECT_ERR(s2, "42703", AT(s2, "nope"));
    const char *s3 = "CREATE VIEW v AS SELECT auction, count(*) FROM bids GROUP BY zzz";
    EXPECT_ERR(s3, "42703", AT(s3, "zzz"));
    const char *s4 = "CREATE VIEW v AS SELECT sum(qqq) FROM bids";
    EXPECT_ERR(s4, "42703", AT(s4, "qqq"));
    const char *s5 = "CREATE VIEW v AS SELECT bids.auction, x.price FROM bids";
    EXPECT_ERR(s5, "42P01", AT(s5, "x.price"));
    /* window_start exists only over a window */
    const char *s6 = "CREATE VIEW v AS SELECT window_start FROM bids";
    EXPECT_ERR(s6, "42703", AT(s6, "window_start"));
    const char *s7 = "INSERT INTO bids (auction, nocol) VALUES (1, 2)";
    EXPECT_ERR(s7, "42703", AT(s7, "nocol"));
}

/* ------------------------------------------------------------ types */

static void
test_type_errors(void **state)
{
    (void)state;
    /* text + bigint: no such operator; the position is the expression's first token */
    const char *s1 = "CREATE VIEW v AS SELECT item + price AS x FROM bids";
    EXPECT_ERR(s1, "42883", AT(s1, "item +"));
    const char *s2 = "CREATE VIEW v AS SELECT auction FROM bids WHERE item = price";
    EXPECT_ERR(s2, "42883", AT(s2, "item ="));
    const char *s3 = "CREATE VIEW v AS SELECT auction FROM bids WHERE ts < 5";
    EXPECT_ERR(s3, "42883", AT(s3, "ts <"));
    /* WHERE of a non-boolean */
    const char *s4 = "CREATE VIEW v AS SELECT auction FROM bids WHERE price";
    EXPECT_ERR(s4, "42804", AT(s4, "price"));
    const char *s5 = "CREATE VIEW v AS SELECT auction FROM bids WHERE price > 1 AND item";
    EXPECT_ERR(s5, "42804", AT(s5, "item"));
    /* sum over text */
    const char *s6 = "CREATE VIEW v AS SELECT sum(item) FROM bids";
    EXPECT_ERR(s6, "42883", AT(s6, "sum"));
    /* INSERT of a boolean into a bigint column */
    const char *s7 = "INSERT INTO bids (auction) VALUES (true)";
    EXPECT_ERR(s7, "42804", AT(s7, "true"));
    /* a bad literal for the column's type */
    const char *s8 = "INSERT INTO bids (auction, ts) VALUES (1, 'not a time')";
    EXPECT_ERR(s8, "22007", AT(s8, "'not"));
    /* numeric promotion is fine */
    Planned r = plan_ok("CREATE VIEW ok1 AS SELECT price * 1.5 AS p FROM bids WHERE price > 2.5");
    assert_int_equal(r.obj->plan->types[0], TYPE_DOUBLE);
}

static void
test_literal_coercion_timestamp(void **state)
{
    (void)state;
    Planned r = plan_ok("CREATE VIEW v AS SELECT auction FROM bids WHERE ts >= '2026-01-01 00:00:01'");
    const PlanExpr *w = r.obj->plan->where;
    assert_non_null(w);
    assert_int_equal(w->kind, PEXPR_FN);
    assert_int_equal(w->fn, FN_GE);
    assert_int_equal(w->type, TYPE_BOOL);
    assert_int_equal(w->args[0]->kind, PEXPR_COL);
    assert_int_equal(w->args[1]->kind, PEXPR_CONST);
    assert_int_equal(w->args[1]->type, TYPE_TIMESTAMP);
    /* 2026-01-01 00:00:01 UTC */
    assert_int_equal(w->args[1]->constant.i, INT64_C(1767225601000000));
    /* the literal on the left works the same way */
    r = plan_ok("CREATE VIEW v2 AS SELECT auction FROM bids WHERE '2026-01-01' < ts");
    w = r.obj->plan->where;
    assert_int_equal(w->args[0]->type, TYPE_TIMESTAMP);
    assert_int_equal(w->args[0]->constant.i, INT64_C(1767225600000000));
    /* a literal that is no timestamp: 22007 at the literal */
    const char *bad = "CREATE VIEW v3 AS SELECT auction FROM bids WHERE ts > 'yesterday-ish'";
    EXPECT_ERR(bad, "22007", AT(bad, "'yesterday"));
    /* ts + '1 minute' is an interval */
    r = plan_ok("CREATE VIEW v4 AS SELECT ts + '1 minute' AS later FROM bids");
    assert_int_equal(r.obj->plan->types[0], TYPE_TIMESTAMP);
    assert_int_equal(r.obj->plan->cols[0]->fn, FN_ADD_TV);
    assert_int_equal(r.obj->plan->cols[0]->args[1]->constant.i, 60 * INT64_C(1000000));
}

/* ------------------------------------------------------------ grouping */

static void
test_grouping_errors(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT auction, bidder, count(*) FROM bids GROUP BY auction";
    EXPECT_ERR(s1, "42803", AT(s1, "bidder"));
    /* a bare column beside an aggregate with no GROUP BY at all */
    const char *s2 = "CREATE VIEW v AS SELECT price, max(price) FROM bids";
    EXPECT_ERR(s2, "42803", AT(s2, "price"));
    /* HAVING over an ungrouped column */
    const char *s3 = "CREATE VIEW v AS SELECT auction, count(*) FROM bids GROUP BY auction "
                     "HAVING bidder > 3";
    EXPECT_ERR(s3, "42803", AT(s3, "bidder >"));
    /* aggregates in WHERE */
    const char *s4 = "CREATE VIEW v AS SELECT auction FROM bids WHERE count(*) > 1";
    EXPECT_ERR(s4, "42803", AT(s4, "count"));
    const char *s5 = "CREATE VIEW v AS SELECT auction, count(*) FROM bids WHERE 1 < sum(price) "
                     "GROUP BY auction";
    EXPECT_ERR(s5, "42803", AT(s5, "sum"));
    /* aggregates in GROUP BY */
    const char *s6 = "CREATE VIEW v AS SELECT count(*) FROM bids GROUP BY max(price)";
    EXPECT_ERR(s6, "42803", AT(s6, "max"));
    /* an expression over grouped columns is fine, and so is a grouped expression */
    plan_ok("CREATE VIEW ok1 AS SELECT auction + 1 AS a1, count(*) AS n FROM bids GROUP BY auction");
    plan_ok("CREATE VIEW ok2 AS SELECT upper(item) AS it, count(*) AS n FROM bids GROUP BY upper(item)");
}

static void
test_windowed_needs_window_group(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT auction, count(*) FROM "
                     "TUMBLE(bids, ts, INTERVAL '1' MINUTE) GROUP BY auction";
    EXPECT_ERR(s1, "42803", at_nth(s1, "auction", 2));
    /* with no GROUP BY at all */
    const char *s2 = "CREATE VIEW v AS SELECT count(*) FROM HOP(bids, ts, INTERVAL '10' SECOND, "
                     "INTERVAL '1' MINUTE)";
    EXPECT_ERR(s2, "42803", -2);
    /* window_end works as the window key too */
    Planned r = plan_ok("CREATE VIEW ok AS SELECT window_end, count(*) AS n FROM "
                        "TUMBLE(bids, ts, INTERVAL '1' MINUTE) GROUP BY window_end");
    assert_int_equal(r.obj->plan->window_group, 0);
}

/* ------------------------------------------------------------ EMIT rules */

static void
test_emit_append_unwindowed(void **state)
{
    (void)state;
    const char *s = "CREATE VIEW v AS SELECT auction, count(*) FROM bids GROUP BY auction EMIT APPEND";
    EXPECT_ERR(s, "0A000", AT(s, "EMIT"));
    assert_non_null(err.hint);
    assert_non_null(strstr(err.hint, "UPDATE"));
    /* the same rule on SUBSCRIBE ... EMIT APPEND of an UPDATE view */
    plan_ok("CREATE VIEW counts AS SELECT auction, count(*) AS n FROM bids GROUP BY auction");
    const char *s2 = "SUBSCRIBE counts EMIT APPEND";
    EXPECT_ERR(s2, "0A000", AT(s2, "EMIT"));
    assert_non_null(strstr(err.hint, "UPDATE"));
}

static void
test_emit_complete_needs_aggregate(void **state)
{
    (void)state;
    const char *s = "CREATE VIEW v AS SELECT auction, price FROM bids EMIT COMPLETE";
    EXPECT_ERR(s, "0A000", AT(s, "EMIT"));
    plan_ok("CREATE VIEW raw AS SELECT auction, price FROM bids");
    const char *s2 = "SUBSCRIBE raw EMIT COMPLETE";
    EXPECT_ERR(s2, "0A000", AT(s2, "EMIT"));
    /* COMPLETE over an aggregate is fine, windowed or not */
    plan_ok("CREATE VIEW c1 AS SELECT auction, count(*) AS n FROM bids GROUP BY auction EMIT COMPLETE");
    plan_ok("CREATE VIEW c2 AS SELECT window_start, count(*) AS n FROM "
            "TUMBLE(bids, ts, INTERVAL '1' MINUTE) GROUP BY window_start EMIT COMPLETE");
}

static void
test_order_limit_need_complete(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT auction, count(*) AS n FROM bids GROUP BY auction "
                     "ORDER BY n DESC EMIT UPDATE";
    EXPECT_ERR(s1, "0A000", AT(s1, "n DESC"));
    const char *s2 = "CREATE VIEW v AS SELECT auction, count(*) AS n FROM bids GROUP BY auction "
                     "LIMIT 3";
    EXPECT_ERR(s2, "0A000", AT(s2, "3"));
    const char *s3 = "CREATE VIEW v AS SELECT auction, price FROM bids LIMIT 10";
    EXPECT_ERR(s3, "0A000", AT(s3, "10"));
    Planned r = plan_ok("CREATE VIEW top AS SELECT auction, count(*) AS n FROM bids GROUP BY auction "
                        "ORDER BY n DESC, auction LIMIT 3 EMIT COMPLETE");
    const PlanView *p = r.obj->plan;
    assert_int_equal(p->mode, PLAN_EMIT_COMPLETE);
    assert_int_equal(p->norder, 2);
    assert_int_equal(p->order[0].col, 1);
    assert_true(p->order[0].desc);
    assert_int_equal(p->order[1].col, 0);
    assert_false(p->order[1].desc);
    assert_int_equal(p->limit, 3);
    assert_int_equal(p->ncols, 2);
}

/* ------------------------------------------------------------ windows */

static void
test_tumble_needs_watermark(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "TUMBLE(clicks, ts, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s1, "0A000", AT(s1, "ts,"));
    assert_non_null(err.hint);
    assert_non_null(strstr(err.hint, "WATERMARK"));
    /* a timestamp column that is not the WATERMARK column */
    const char *s2 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "TUMBLE(ev, t2, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s2, "0A000", AT(s2, "t2"));
    /* an unknown time column */
    const char *s3 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "TUMBLE(ev, tx, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s3, "42703", AT(s3, "tx"));
    /* unsupported window kinds */
    const char *s4 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "SESSION(ev, t1, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s4, "0A000", AT(s4, "SESSION"));
    Planned r = plan_ok("CREATE VIEW ok AS SELECT window_start, count(*) AS n FROM "
                        "TUMBLE(ev, t1, INTERVAL '90' SECOND) GROUP BY window_start");
    assert_int_equal(r.obj->plan->window, PLAN_WIN_TUMBLE);
    assert_int_equal(r.obj->plan->size_us, 90 * INT64_C(1000000));
    assert_int_equal(r.obj->plan->slide_us, 90 * INT64_C(1000000));
    assert_int_equal(r.obj->plan->time_col, 0);
}

static void
test_hop_rules(void **state)
{
    (void)state;
    const char *s1 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "HOP(bids, ts, INTERVAL '2' MINUTE, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s1, "22023", AT(s1, "INTERVAL '2'"));
    const char *s2 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "HOP(bids, ts, INTERVAL '40' SECOND, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s2, "22023", AT(s2, "INTERVAL '1'"));
    const char *s3 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "HOP(bids, ts, INTERVAL '1' MINUTE) GROUP BY window_start";
    EXPECT_ERR(s3, "42883", AT(s3, "HOP"));
    const char *s4 = "CREATE VIEW v AS SELECT window_start, count(*) FROM "
                     "TUMBLE(bids, ts, INTERVAL '0' SECOND) GROUP BY window_start";
    EXPECT_ERR(s4, "22023", AT(s4, "INTERVAL '0'"));
    Planned r = plan_ok("CREATE VIEW ok AS SELECT window_start, window_end, count(*) AS n FROM "
                        "HOP(bids, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) "
                        "GROUP BY window_start, window_end");
    const PlanView *p = r.obj->plan;
    assert_int_equal(p->window, PLAN_WIN_HOP);
    assert_int_equal(p->slide_us, 10 * INT64_C(1000000));
    assert_int_equal(p->size_us, 60 * INT64_C(1000000));
    assert_int_equal(p->mode, PLAN_EMIT_APPEND);
}

/* ------------------------------------------------------------ names */

static void
test_duplicate_names(void **state)
{
    (void)state;
    /* duplicate output columns: reported at the SELECT */
    const char *s1 = "CREATE VIEW v AS SELECT auction, bidder AS auction FROM bids";
    EXPECT_ERR(s1, "42701", AT(s1, "SELECT"));
    const char *s2 = "CREATE VIEW v AS SELECT auction, count(*), count(price) FROM bids GROUP BY auction";
    EXPECT_ERR(s2, "42701", -2);
    /* CREATE STREAM over an existing name */
    const char *s3 = "CREATE STREAM bids (a BIGINT)";
    EXPECT_ERR(s3, "42P07", AT(s3, "bids"));
    /* ... over a view's name; CREATE VIEW over a stream's name */
    plan_ok("CREATE VIEW vv AS SELECT auction FROM bids");
    const char *s4 = "CREATE STREAM vv (a BIGINT)";
    EXPECT_ERR(s4, "42P07", AT(s4, "vv"));
    const char *s5 = "CREATE VIEW clicks AS SELECT auction FROM bids";
    EXPECT_ERR(s5, "42P07", AT(s5, "clicks"));
    /* IF NOT EXISTS: nothing, and no error */
    Planned r = plan("CREATE STREAM IF NOT EXISTS bids (a BIGINT)");
    assert_int_equal(r.rc, 0);
    assert_null(r.obj);
    /* a duplicate column in CREATE STREAM */
    const char *s6 = "CREATE STREAM s2 (a BIGINT, b TEXT, a TEXT)";
    EXPECT_ERR(s6, "42701", AT(s6, "a TEXT"));
    /* reserved column names */
    const char *s7 = "CREATE STREAM s3 (a BIGINT, window_start TIMESTAMP)";
    EXPECT_ERR(s7, "42701", AT(s7, "window_start"));
    /* an unknown type */
    const char *s8 = "CREATE STREAM s4 (a BIGINT, b blob)";
    EXPECT_ERR(s8, "42704", AT(s8, "b blob"));
    assert_int_equal(cat->n, 4);
}

static void
test_bad_watermark(void **state)
{
    (void)state;
    const char *s1 = "CREATE STREAM s (a BIGINT, ts TIMESTAMP, WATERMARK FOR tz AS tz)";
    EXPECT_ERR(s1, "42703", AT(s1, "tz"));
    const char *s2 = "CREATE STREAM s (a BIGINT, ts TIMESTAMP, WATERMARK FOR a AS a)";
    EXPECT_ERR(s2, "42804", AT(s2, "a AS"));
    const char *s3 = "CREATE STREAM s (a BIGINT, ts TIMESTAMP, "
                     "WATERMARK FOR ts AS ts + INTERVAL '5' SECOND)";
    EXPECT_ERR(s3, "0A000", AT(s3, "ts +"));
    const char *s4 = "CREATE STREAM s (a BIGINT, ts TIMESTAMP, t2 TIMESTAMP, "
                     "WATERMARK FOR ts AS t2 - INTERVAL '5' SECOND)";
    EXPECT_ERR(s4, "0A000", AT(s4, "t2 -"));
    const char *s5 = "CREATE STREAM s (a BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - 5)";
    EXPECT_ERR(s5, "42804", AT(s5, "5)"));
    /* idle_timeout needs a WATERMARK */
    const char *s6 = "CREATE STREAM s (a BIGINT) WITH (idle_timeout = '5 seconds')";
    EXPECT_ERR(s6, "22023", AT(s6, "idle_timeout"));
    Planned r = plan_ok("CREATE STREAM good (a BIGINT, ts TIMESTAMP, "
                        "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) "
                        "WITH (idle_timeout = '10 seconds')");
    assert_int_equal(r.obj->wm_col, 1);
    assert_int_equal(r.obj->wm_delay_us, 2 * INT64_C(1000000));
    assert_int_equal(r.obj->idle_timeout_us, 10 * INT64_C(1000000));
    r = plan_ok("CREATE STREAM good0 (ts TIMESTAMP, WATERMARK FOR ts AS ts)");
    assert_int_equal(r.obj->wm_delay_us, 0);
}

static void
test_unknown_option(void **state)
{
    (void)state;
    const char *s1 = "CREATE STREAM s (a BIGINT) WITH (colour = 'red')";
    EXPECT_ERR(s1, "22023", AT(s1, "colour"));
    const char *s2 = "CREATE VIEW v WITH (retention = '1 hour', bogus = 3) AS SELECT auction FROM bids";
    EXPECT_ERR(s2, "22023", AT(s2, "bogus"));
    const char *s3 = "CREATE VIEW v WITH (max_state = 'lots') AS SELECT auction FROM bids";
    EXPECT_ERR(s3, "22023", AT(s3, "max_state"));
    plan_ok("CREATE VIEW counts AS SELECT auction, count(*) AS n FROM bids GROUP BY auction");
    const char *s4 = "SUBSCRIBE counts WITH (speed = 'fast')";
    EXPECT_ERR(s4, "22023", AT(s4, "speed"));
    Planned r = plan_ok("CREATE VIEW v2 WITH (retention = '10 minutes', max_state = '2MB') AS "
                        "SELECT auction FROM bids");
    assert_int_equal(r.obj->plan->retention_us, 600 * INT64_C(1000000));
    assert_int_equal(r.obj->plan->max_state_bytes, 2 * 1024 * 1024);
}

/* ------------------------------------------------------------ modes and keys */

static void
test_default_modes(void **state)
{
    (void)state;
    plan_ok("CREATE VIEW w AS SELECT auction, window_start, count(*) AS n FROM "
            "TUMBLE(bids, ts, INTERVAL '1' MINUTE) GROUP BY auction, window_start");
    plan_ok("CREATE VIEW u AS SELECT auction, count(*) AS n FROM bids GROUP BY auction");
    plan_ok("CREATE VIEW r AS SELECT auction, price FROM bids WHERE price > 10");
    plan_ok("CREATE VIEW g AS SELECT count(*) AS n FROM bids");
    assert_int_equal(view_plan("w")->mode, PLAN_EMIT_APPEND);
    assert_int_equal(view_plan("u")->mode, PLAN_EMIT_UPDATE);
    assert_int_equal(view_plan("r")->mode, PLAN_EMIT_APPEND);
    assert_int_equal(view_plan("g")->mode, PLAN_EMIT_UPDATE);
    assert_true(view_plan("w")->aggregate);
    assert_false(view_plan("r")->aggregate);
    assert_int_equal(view_plan("w")->window_group, 1);
    assert_int_equal(view_plan("u")->window_group, -1);
    assert_int_equal(view_plan("w")->trigger, PLAN_TRIGGER_BATCH);
    /* an unwindowed aggregate carries the "unbounded" notice, the others not */
    assert_non_null(cat_lookup(cat, "u")->notice);
    assert_null(cat_lookup(cat, "w")->notice);
    assert_null(cat_lookup(cat, "r")->notice);
    /* explicit modes and triggers */
    plan_ok("CREATE VIEW wu AS SELECT window_start, count(*) AS n FROM "
            "TUMBLE(bids, ts, INTERVAL '1' MINUTE) GROUP BY window_start EMIT UPDATE EVERY ROW");
    assert_int_equal(view_plan("wu")->mode, PLAN_EMIT_UPDATE);
    assert_int_equal(view_plan("wu")->trigger, PLAN_TRIGGER_EVERY_ROW);
    plan_ok("CREATE VIEW od AS SELECT auction, count(*) AS n FROM bids GROUP BY auction ON DEMAND");
    assert_int_equal(view_plan("od")->trigger, PLAN_TRIGGER_ON_DEMAND);
    plan_ok("CREATE VIEW ev2 AS SELECT auction, count(*) AS n FROM bids GROUP BY auction "
            "EMIT UPDATE EVERY INTERVAL '2' SECOND");
    assert_int_equal(view_plan("ev2")->trigger, PLAN_TRIGGER_EVERY);
    assert_int_equal(view_plan("ev2")->every_us, 2 * INT64_C(1000000));
    /* SUBSCRIBE defaults to the view's mode */
    Planned r = plan_ok("SUBSCRIBE u");
    assert_int_equal(r.sub->mode, PLAN_EMIT_UPDATE);
    r = plan_ok("SUBSCRIBE w FROM EPOCH 2 LIMIT 5");
    assert_int_equal(r.sub->mode, PLAN_EMIT_APPEND);
    assert_int_equal(r.sub->from_epoch, 2);
    assert_int_equal(r.sub->limit, 5);
    r = plan_ok("SUBSCRIBE bids");
    assert_true(r.sub->is_stream);
}

static void
test_is_key(void **state)
{
    (void)state;
    Planned r = plan_ok("CREATE VIEW k AS SELECT auction, window_start, count(*) AS n, "
                        "max(price) AS hi, item FROM TUMBLE(bids, ts, INTERVAL '1' MINUTE) "
                        "GROUP BY item, auction, window_start");
    const PlanView *p = r.obj->plan;
    assert_int_equal(p->ncols, 5);
    assert_true(p->is_key[0]);
    assert_true(p->is_key[1]);
    assert_false(p->is_key[2]);
    assert_false(p->is_key[3]);
    assert_true(p->is_key[4]);
    assert_int_equal(p->ngroups, 3);
    assert_int_equal(p->naggs, 2);
    assert_int_equal(p->window_group, 2);
    /* output columns over the agg row: groups first, then aggregates */
    assert_int_equal(p->cols[0]->col, 1);
    assert_int_equal(p->cols[1]->col, 2);
    assert_int_equal(p->cols[2]->col, 3);
    assert_int_equal(p->cols[3]->col, 4);
    assert_int_equal(p->cols[4]->col, 0);
    assert_int_equal(p->aggs[0].kind, AGG_COUNT_STAR);
    assert_int_equal(p->aggs[1].kind, AGG_MAX);
    assert_int_equal(p->types[2], TYPE_BIGINT);
    assert_int_equal(p->types[1], TYPE_TIMESTAMP);
    /* a non-aggregating view has no keys */
    r = plan_ok("CREATE VIEW nk AS SELECT auction, price FROM bids");
    assert_false(r.obj->plan->is_key[0]);
    assert_false(r.obj->plan->is_key[1]);
    /* an expression over a group column is not a key */
    r = plan_ok("CREATE VIEW ek AS SELECT auction * 2 AS a2, auction, count(*) AS n FROM bids "
                "GROUP BY auction");
    assert_false(r.obj->plan->is_key[0]);
    assert_true(r.obj->plan->is_key[1]);
    assert_false(r.obj->plan->is_key[2]);
}

/* ------------------------------------------------------------ EXPLAIN */

static char *
explain(const char *view)
{
    CatObject *v = cat_lookup(cat, view);
    assert_non_null(v);
    CatObject *src = cat_lookup(cat, v->source);
    assert_non_null(src);
    Buf b;
    buf_init(&b);
    plan_explain_view(v, src, &b);
    char *s = arena_strndup(A, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

#define ASSERT_CONTAINS(hay, needle)                                                      \
    do {                                                                                  \
        if (!strstr((hay), (needle)))                                                     \
            fail_msg("expected \"%s\" in:\n%s", (needle), (hay));                         \
    } while (0)
#define ASSERT_LACKS(hay, needle)                                                         \
    do {                                                                                  \
        if (strstr((hay), (needle)))                                                      \
            fail_msg("did not expect \"%s\" in:\n%s", (needle), (hay));                   \
    } while (0)

static void
test_explain(void **state)
{
    (void)state;
    plan_ok("CREATE VIEW w AS SELECT auction, window_start, count(*) AS n, sum(price) AS total "
            "FROM TUMBLE(bids, ts, INTERVAL '1' MINUTE) WHERE price > 10 "
            "GROUP BY auction, window_start");
    char *e = explain("w");
    ASSERT_CONTAINS(e, "View w (EMIT APPEND, trigger: after each ingest batch)");
    ASSERT_CONTAINS(e, "HashAggregate: group by auction, window_start; count(*), sum(price)");
    ASSERT_CONTAINS(e, "bounded by watermark");
    ASSERT_LACKS(e, "UNBOUNDED");
    ASSERT_CONTAINS(e, "Window: TUMBLE(ts, 00:01:00)");
    ASSERT_CONTAINS(e, "Filter: (price > 10)");
    ASSERT_CONTAINS(e, "Scan: stream bids (watermark ts - 00:00:05)");
    /* operators in order, top to bottom */
    const char *pr = strstr(e, "Project:"), *ha = strstr(e, "HashAggregate"),
               *wi = strstr(e, "Window:"), *fi = strstr(e, "Filter:"), *sc = strstr(e, "Scan:");
    assert_non_null(pr);
    assert_true(pr < ha && ha < wi && wi < fi && fi < sc);

    plan_ok("CREATE VIEW u AS SELECT item, count(*) AS n FROM bids GROUP BY item "
            "HAVING count(*) > 2 EMIT UPDATE");
    e = explain("u");
    ASSERT_CONTAINS(e, "View u (EMIT UPDATE");
    ASSERT_CONTAINS(e, "HashAggregate: group by item; count(*)");
    ASSERT_CONTAINS(e, "UNBOUNDED");
    ASSERT_LACKS(e, "bounded by watermark");
    ASSERT_CONTAINS(e, "Filter (HAVING)");
    ASSERT_LACKS(e, "Window:");

    plan_ok("CREATE VIEW t AS SELECT auction, count(*) AS n FROM bids GROUP BY auction "
            "ORDER BY n DESC LIMIT 3 EMIT COMPLETE ON DEMAND");
    e = explain("t");
    ASSERT_CONTAINS(e, "View t (EMIT COMPLETE, trigger: ON DEMAND)");
    ASSERT_CONTAINS(e, "TopN: n DESC LIMIT 3");

    plan_ok("CREATE VIEW h AS SELECT window_end, avg(price) AS ap FROM "
            "HOP(bids, ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) GROUP BY window_end");
    e = explain("h");
    ASSERT_CONTAINS(e, "Window: HOP(ts, slide 00:00:10, size 00:01:00)");

    plan_ok("CREATE VIEW r AS SELECT url, n FROM clicks");
    e = explain("r");
    ASSERT_CONTAINS(e, "Scan: stream clicks");
    ASSERT_LACKS(e, "watermark");
    ASSERT_LACKS(e, "HashAggregate");
}

/* ------------------------------------------------------------ pulls and inserts */

static void
test_select_rules(void **state)
{
    (void)state;
    const char *s1 = "SELECT * FROM bids";
    EXPECT_ERR(s1, "42809", AT(s1, "bids"));
    plan_ok("CREATE VIEW u AS SELECT auction, count(*) AS n FROM bids GROUP BY auction");
    Planned r = plan_ok("SELECT n, auction FROM u WHERE n > 1 ORDER BY auction DESC LIMIT 2");
    assert_string_equal(r.pull->view, "u");
    assert_int_equal(r.pull->ncols, 2);
    assert_int_equal(r.pull->limit, 2);
    assert_int_equal(r.pull->order[0].col, 1);
    /* ordering by a column that is not selected adds a hidden column */
    r = plan_ok("SELECT auction FROM u ORDER BY n");
    assert_int_equal(r.pull->ncols, 1);
    assert_int_equal(r.pull->nhidden, 1);
    const char *s2 = "SELECT nope FROM u";
    EXPECT_ERR(s2, "42703", AT(s2, "nope"));
    const char *s3 = "SELECT count(*) FROM u";
    EXPECT_ERR(s3, "0A000", -2);
    r = plan_ok("SELECT 1 + 2 AS three");
    assert_null(r.pull->view);
    assert_int_equal(r.pull->types[0], TYPE_BIGINT);
}

static void
test_insert_rules(void **state)
{
    (void)state;
    const char *s1 = "INSERT INTO bids (auction, bidder) VALUES (1, 2, 3)";
    EXPECT_ERR(s1, "42601", AT(s1, "3)"));
    const char *s2 = "INSERT INTO bids (auction, bidder) VALUES (1)";
    EXPECT_ERR(s2, "42601", -2);
    const char *s3 = "INSERT INTO bids VALUES (1, 2, 3)";
    EXPECT_ERR(s3, "42601", -2);
    const char *s4 = "INSERT INTO bids (auction, auction) VALUES (1, 2)";
    EXPECT_ERR(s4, "42701", at_nth(s4, "auction", 2));
    plan_ok("CREATE VIEW vv AS SELECT auction FROM bids");
    const char *s5 = "INSERT INTO vv VALUES (1)";
    EXPECT_ERR(s5, "42809", AT(s5, "vv"));
    Planned r = plan_ok("INSERT INTO bids (price, ts) VALUES (7, '2026-01-01 00:00:00'), (8, NULL)");
    assert_int_equal(r.ins.nrows, 2);
    assert_ptr_equal(r.ins.stream, cat_lookup(cat, "bids"));
    /* omitted columns are NULL constants of the column's type */
    const PlanExpr *const *row0 = (const PlanExpr *const *)r.ins.values;
    assert_int_equal(row0[0]->kind, PEXPR_CONST);
    assert_true(row0[0]->constant.isnull);
    assert_int_equal(row0[2]->constant.i, 7);
    assert_int_equal(row0[4]->type, TYPE_TIMESTAMP);
    assert_int_equal(row0[4]->constant.i, INT64_C(1767225600000000));
    const PlanExpr *const *row1 = row0 + 5;
    assert_true(row1[4]->constant.isnull);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unknown_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_coercion_timestamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grouping_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windowed_needs_window_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit_append_unwindowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit_complete_needs_aggregate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_limit_need_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tumble_needs_watermark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hop_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_watermark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_is_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
