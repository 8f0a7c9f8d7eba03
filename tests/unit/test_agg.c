/*
 * tests/unit/test_agg.c — unit tests for executor/agg.c.
 *
 * Each aggregate over NULLs and over empty input, its overflow errors, and the combine law
 * for every AggKind (and every input type min/max accept): stepping over a random multiset
 * equals combining the states of a random partition of it (PipelineDB's worker/combiner
 * contract). TEXT min/max states are released, so AddressSanitizer's leak check covers them.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh Arena
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/value.h"
#include "executor/executor_int.h"

static Arena *A;
static SqlError err;

static int
setup(void **state)
{
    A = arena_new(4096);
    err_init(&err, A);
    *state = A;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    arena_free(A);
    A = NULL;
    return 0;
}

/* A state buffer: 8-byte aligned and larger than any state. */
typedef struct State {
    uint64_t w[4];
} State;

static PlanAgg
mkagg(AggKind kind, SlType type)
{
    PlanAgg g = {.kind = kind, .type = type, .name = "agg"};
    if (kind != AGG_COUNT_STAR) {
        PlanExpr *arg = ARENA_NEW(A, PlanExpr);
        arg->kind = PEXPR_COL;
        arg->pos = 11;
        arg->type = type;
        g.arg = arg;
    }
    return g;
}

static char out_buf[256];

static const char *
fmt(const Value *v)
{
    if (v->isnull)
        return "NULL";
    Buf b;
    buf_init(&b);
    val_format(v, &b);
    snprintf(out_buf, sizeof out_buf, "%s", b.data ? b.data : "");
    buf_free(&b);
    return out_buf;
}

static const char *
final_str(const PlanAgg *g, const State *s)
{
    Value v;
    agg_final(g, s, &v);
    assert_int_equal(v.type, g->type);
    return fmt(&v);
}

/* Step n values through a fresh state and return the final text. */
static const char *
run(const PlanAgg *g, const Value *vals, int n)
{
    State s;
    assert_true(agg_state_size(g) <= 24);
    assert_int_equal(agg_state_size(g) % 8, 0);
    agg_init(g, &s);
    for (int i = 0; i < n; i++)
        assert_int_equal(agg_step(g, &s, g->kind == AGG_COUNT_STAR ? NULL : &vals[i], &err), 0);
    const char *r = final_str(g, &s);
    agg_release(g, &s);
    return r;
}

#define RUN(g, ...)                                                                 \
    run(&(g), (const Value[]){__VA_ARGS__},                                         \
        (int)(sizeof((const Value[]){__VA_ARGS__}) / sizeof(Value)))

/* Step one value (by value, so tests can pass constructors directly). */
static int
step1(const PlanAgg *g, State *s, Value v)
{
    return agg_step(g, s, &v, &err);
}

#define NI val_null(TYPE_BIGINT)
#define ND val_null(TYPE_DOUBLE)
#define NT val_null(TYPE_TEXT)

static Value
txt(const char *s)
{
    return val_text(s, (uint32_t)strlen(s));
}

static void
test_count(void **state)
{
    (void)state;
    PlanAgg star = mkagg(AGG_COUNT_STAR, TYPE_BIGINT);
    PlanAgg cnt = mkagg(AGG_COUNT, TYPE_BIGINT);
    assert_string_equal(run(&star, NULL, 0), "0");
    assert_string_equal(run(&cnt, NULL, 0), "0");
    assert_string_equal(RUN(star, val_int(1), NI, val_int(3)), "3");
    assert_string_equal(RUN(cnt, val_int(1), NI, val_int(3)), "2");
    assert_string_equal(RUN(cnt, NI, NI), "0");
    assert_string_equal(RUN(cnt, txt(""), NT, txt("x")), "2");
}

static void
test_sum(void **state)
{
    (void)state;
    PlanAgg si = mkagg(AGG_SUM_INT, TYPE_BIGINT);
    assert_string_equal(run(&si, NULL, 0), "NULL");
    assert_string_equal(RUN(si, NI, NI), "NULL");
    assert_string_equal(RUN(si, val_int(5), NI, val_int(-7)), "-2");
    assert_string_equal(RUN(si, val_int(0)), "0");
    assert_string_equal(RUN(si, val_int(INT64_MAX), val_int(-1), val_int(1)),
                        "9223372036854775807");

    /* overflow: 22003 at the argument's position, state unchanged */
    State s;
    agg_init(&si, &s);
    assert_int_equal(step1(&si, &s, val_int(INT64_MAX)), 0);
    assert_int_equal(step1(&si, &s, val_int(1)), -1);
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "bigint out of range");
    assert_int_equal(err.position, 11);
    assert_string_equal(final_str(&si, &s), "9223372036854775807");
    /* ... and through combine */
    State t;
    agg_init(&si, &t);
    assert_int_equal(step1(&si, &t, val_int(INT64_MIN)), 0);
    assert_int_equal(step1(&si, &t, val_int(-1)), -1);
    err_init(&err, A);
    State u;
    agg_init(&si, &u);
    assert_int_equal(step1(&si, &u, val_int(1)), 0);
    assert_int_equal(agg_combine(&si, &s, &u, &err), -1);
    assert_string_equal(err.sqlstate, "22003");

    /* sum(interval) keeps the interval type */
    err_init(&err, A);
    PlanAgg sv = mkagg(AGG_SUM_INT, TYPE_INTERVAL);
    assert_string_equal(RUN(sv, val_interval(INT64_C(3600000000)), val_null(TYPE_INTERVAL),
                            val_interval(INT64_C(1800000000))),
                        "01:30:00");
    agg_init(&sv, &s);
    assert_int_equal(step1(&sv, &s, val_interval(INT64_MAX)), 0);
    assert_int_equal(step1(&sv, &s, val_interval(1)), -1);
    assert_string_equal(err.message, "interval out of range");

    PlanAgg sd = mkagg(AGG_SUM_DOUBLE, TYPE_DOUBLE);
    assert_string_equal(run(&sd, NULL, 0), "NULL");
    assert_string_equal(RUN(sd, ND), "NULL");
    assert_string_equal(RUN(sd, val_double(1.5), ND, val_double(2.25)), "3.75");
    assert_string_equal(RUN(sd, val_double(1.5), val_double(NAN)), "NaN");
    assert_string_equal(RUN(sd, val_double(INFINITY), val_double(1)), "Infinity");
    err_init(&err, A);
    agg_init(&sd, &s);
    assert_int_equal(step1(&sd, &s, val_double(1.7e308)), 0);
    assert_int_equal(step1(&sd, &s, val_double(1.7e308)), -1);
    assert_string_equal(err.sqlstate, "22003");
}

static void
test_avg(void **state)
{
    (void)state;
    PlanAgg ai = mkagg(AGG_AVG, TYPE_DOUBLE);
    assert_string_equal(run(&ai, NULL, 0), "NULL");
    assert_string_equal(RUN(ai, NI), "NULL");
    assert_string_equal(RUN(ai, val_int(1), NI, val_int(2)), "1.5");
    assert_string_equal(RUN(ai, val_int(-3)), "-3");
    /* bigint sums beyond int64 do not overflow and stay accurate */
    assert_string_equal(RUN(ai, val_int(INT64_MAX), val_int(INT64_MAX), val_int(INT64_MAX)),
                        "9.223372036854776e+18");
    assert_string_equal(RUN(ai, val_int(INT64_MIN), val_int(INT64_MIN)), "-9.223372036854776e+18");
    /* exact where a double sum would lose the 1s: (2^62 + 1 + 2^62 + 1) / 2 */
    int64_t big = INT64_C(1) << 62;
    assert_string_equal(RUN(ai, val_int(big + 1), val_int(-big + 1)), "1");
    assert_string_equal(RUN(ai, val_double(0.5), ND, val_double(1.0)), "0.75");
    assert_string_equal(RUN(ai, val_double(NAN), val_double(1.0)), "NaN");
}

static void
test_min_max(void **state)
{
    (void)state;
    PlanAgg mn = mkagg(AGG_MIN, TYPE_BIGINT), mx = mkagg(AGG_MAX, TYPE_BIGINT);
    assert_string_equal(run(&mn, NULL, 0), "NULL");
    assert_string_equal(RUN(mx, NI, NI), "NULL");
    assert_string_equal(RUN(mn, val_int(3), NI, val_int(-2), val_int(7)), "-2");
    assert_string_equal(RUN(mx, val_int(3), NI, val_int(-2), val_int(7)), "7");

    PlanAgg dn = mkagg(AGG_MIN, TYPE_DOUBLE), dx = mkagg(AGG_MAX, TYPE_DOUBLE);
    /* NaN is greater than everything, infinity included */
    assert_string_equal(RUN(dx, val_double(1), val_double(NAN), val_double(INFINITY)), "NaN");
    assert_string_equal(RUN(dn, val_double(NAN), val_double(INFINITY), val_double(-1)), "-1");
    assert_string_equal(RUN(dn, val_double(NAN), ND), "NaN");

    PlanAgg tn = mkagg(AGG_MIN, TYPE_TEXT), tx = mkagg(AGG_MAX, TYPE_TEXT);
    assert_string_equal(RUN(tn, txt("pear"), NT, txt("apple"), txt("fig")), "apple");
    assert_string_equal(RUN(tx, txt("pear"), NT, txt("apple"), txt("fig")), "pear");
    assert_string_equal(RUN(tn, txt("b"), txt(""), txt("a")), "");
    assert_string_equal(RUN(tx, NT), "NULL");
    /* growing and shrinking values reuse one buffer; the result borrows the state */
    assert_string_equal(RUN(tx, txt("a"), txt("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), txt("c"),
                            txt("dd")),
                        "dd");
    /* the state keeps its own copy: the input may change afterwards */
    char buf[8] = "zebra";
    State s;
    agg_init(&tx, &s);
    Value v = val_text(buf, 5);
    assert_int_equal(agg_step(&tx, &s, &v, &err), 0);
    memcpy(buf, "aaaaa", 5);
    assert_string_equal(final_str(&tx, &s), "zebra");
    agg_release(&tx, &s);
    assert_string_equal(final_str(&tx, &s), "NULL");
    agg_release(&tx, &s);  /* releasing twice is harmless */

    PlanAgg sn = mkagg(AGG_MIN, TYPE_TIMESTAMP), vx = mkagg(AGG_MAX, TYPE_INTERVAL);
    assert_string_equal(RUN(sn, val_ts(INT64_C(86400000000)), val_null(TYPE_TIMESTAMP),
                            val_ts(-1000000)),
                        "1969-12-31 23:59:59");
    assert_string_equal(RUN(vx, val_interval(-5), val_interval(INT64_C(60000000))), "00:01:00");
    PlanAgg bx = mkagg(AGG_MAX, TYPE_BOOL);
    assert_string_equal(RUN(bx, val_bool(false), val_bool(true)), "t");
}

/* ---- the combine law ---------------------------------------------------------------------- */

static Value
random_value(SlType t)
{
    if (rand() % 5 == 0)
        return val_null(t);
    switch (t) {
    case TYPE_BIGINT:
        return val_int((int64_t)(rand() % 2001) - 1000);
    case TYPE_DOUBLE: {
        int r = rand() % 40;
        if (r == 0)
            return val_double(NAN);
        if (r == 1)
            return val_double(-INFINITY);
        return val_double(((double)(rand() % 4001) - 2000) / 4.0);  /* exact sums */
    }
    case TYPE_TEXT: {
        int n = rand() % 40;
        char *s = arena_alloc(A, (size_t)n + 1);
        for (int i = 0; i < n; i++)
            s[i] = (char)('a' + rand() % 3);
        return val_text(s, (uint32_t)n);
    }
    case TYPE_TIMESTAMP:
        return val_ts(((int64_t)rand() - RAND_MAX / 2) * 1000);
    case TYPE_INTERVAL:
        return val_interval((int64_t)(rand() % 100001) - 50000);
    case TYPE_BOOL:
        return val_bool(rand() % 2);
    default:
        fail_msg("no random values of type %d", (int)t);
    }
    return val_null(t);
}

static void
check_law(AggKind kind, SlType in_type, SlType out_type)
{
    PlanAgg g = mkagg(kind, out_type);
    if (g.arg)
        g.arg->type = in_type;
    for (int trial = 0; trial < 300; trial++) {
        int n = rand() % 60;
        Value *vals = arena_alloc(A, sizeof(Value) * (size_t)(n ? n : 1));
        for (int i = 0; i < n; i++)
            vals[i] = random_value(in_type);

        /* the reference: one state over everything */
        State all, part[3];
        agg_init(&g, &all);
        for (int i = 0; i < n; i++)
            assert_int_equal(agg_step(&g, &all, &vals[i], &err), 0);

        /* three partials over a random partition (any of them may be empty) */
        for (int p = 0; p < 3; p++)
            agg_init(&g, &part[p]);
        for (int i = 0; i < n; i++)
            assert_int_equal(agg_step(&g, &part[rand() % 3], &vals[i], &err), 0);
        /* combine in a random shape: (p0 + p1) + p2 or p0 + (p1 + p2) */
        if (rand() % 2) {
            assert_int_equal(agg_combine(&g, &part[0], &part[1], &err), 0);
            assert_int_equal(agg_combine(&g, &part[0], &part[2], &err), 0);
        } else {
            assert_int_equal(agg_combine(&g, &part[1], &part[2], &err), 0);
            assert_int_equal(agg_combine(&g, &part[0], &part[1], &err), 0);
        }

        Value want, got;
        agg_final(&g, &all, &want);
        agg_final(&g, &part[0], &got);
        assert_int_equal(got.type, out_type);
        if (!val_equal(&want, &got)) {
            char w[256];
            snprintf(w, sizeof w, "%s", fmt(&want));
            fail_msg("%s over %d values: combine gives %s, stepping gives %s", g.name, n,
                     fmt(&got), w);
        }
        agg_release(&g, &all);
        for (int p = 0; p < 3; p++)
            agg_release(&g, &part[p]);
    }
}

static void
test_combine_law(void **state)
{
    (void)state;
    srand(20260315);
    check_law(AGG_COUNT_STAR, TYPE_BIGINT, TYPE_BIGINT);
    check_law(AGG_COUNT, TYPE_BIGINT, TYPE_BIGINT);
    check_law(AGG_COUNT, TYPE_TEXT, TYPE_BIGINT);
    check_law(AGG_SUM_INT, TYPE_BIGINT, TYPE_BIGINT);
    check_law(AGG_SUM_INT, TYPE_INTERVAL, TYPE_INTERVAL);
    check_law(AGG_SUM_DOUBLE, TYPE_DOUBLE, TYPE_DOUBLE);
    check_law(AGG_AVG, TYPE_BIGINT, TYPE_DOUBLE);
    check_law(AGG_AVG, TYPE_DOUBLE, TYPE_DOUBLE);
    static const SlType ordered[] = {TYPE_BIGINT, TYPE_DOUBLE, TYPE_TEXT, TYPE_TIMESTAMP,
                                     TYPE_INTERVAL, TYPE_BOOL};
    for (size_t i = 0; i < sizeof ordered / sizeof ordered[0]; i++) {
        check_law(AGG_MIN, ordered[i], ordered[i]);
        check_law(AGG_MAX, ordered[i], ordered[i]);
    }
}

/* avg over huge bigints: the spill into the double part also combines. */
static void
test_avg_combine_spill(void **state)
{
    (void)state;
    PlanAgg g = mkagg(AGG_AVG, TYPE_DOUBLE);
    State a, b;
    agg_init(&g, &a);
    agg_init(&g, &b);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(step1(&g, &a, val_int(INT64_MAX)), 0);
        assert_int_equal(step1(&g, &b, val_int(INT64_MAX)), 0);
    }
    assert_int_equal(agg_combine(&g, &a, &b, &err), 0);
    assert_string_equal(final_str(&g, &a), "9.223372036854776e+18");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_min_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_combine_law, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avg_combine_spill, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
