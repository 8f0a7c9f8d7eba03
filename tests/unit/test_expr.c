/*
 * tests/unit/test_expr.c — unit tests for executor/expr.c and executor/functions.c.
 *
 * Expressions are built by hand as PlanExpr trees (the planner is not involved), evaluated,
 * and checked as strings: the PostgreSQL text form of the result, "NULL", or "ERR <sqlstate>"
 * for a runtime error. Every evaluation also checks that the result carries the node's type.
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
#include <time.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/sltime.h"
#include "common/value.h"
#include "executor/executor_int.h"

static Arena *A;          /* the test's arena: plan nodes and evaluation results */
static SqlError err;
static EvalCtx cx;
static const Value *ROW;  /* the row PEXPR_COL reads */

static int
setup(void **state)
{
    A = arena_new(4096);
    err_init(&err, A);
    cx.arena = A;
    cx.err = &err;
    cx.now_us = 0;
    ROW = NULL;
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

/* ---- plan-node builders ------------------------------------------------------------------ */

static PlanExpr *
node(PlanExprKind kind, SlType type, int nargs)
{
    PlanExpr *e = ARENA_NEW(A, PlanExpr);
    e->kind = kind;
    e->type = type;
    e->pos = 7;
    e->nargs = nargs;
    e->args = nargs ? ARENA_ARRAY(A, PlanExpr *, nargs) : NULL;
    return e;
}

static PlanExpr *
cval(Value v)
{
    PlanExpr *e = node(PEXPR_CONST, (SlType)v.type, 0);
    e->constant = v;
    return e;
}

static PlanExpr *ci(int64_t x) { return cval(val_int(x)); }
static PlanExpr *cd(double x) { return cval(val_double(x)); }
static PlanExpr *cb(bool x) { return cval(val_bool(x)); }
static PlanExpr *cnull(SlType t) { return cval(val_null(t)); }
static PlanExpr *cs(const char *s) { return cval(val_text(s, (uint32_t)strlen(s))); }

static PlanExpr *
cts(const char *s)
{
    int64_t us;
    SqlError e;
    err_init(&e, A);
    assert_int_equal(ts_parse(s, strlen(s), &us, &e), 0);
    return cval(val_ts(us));
}

static PlanExpr *
civ(const char *s)
{
    int64_t us;
    SqlError e;
    err_init(&e, A);
    assert_int_equal(interval_parse(s, strlen(s), NULL, 0, &us, &e), 0);
    return cval(val_interval(us));
}

static PlanExpr *
col(int i, SlType t)
{
    PlanExpr *e = node(PEXPR_COL, t, 0);
    e->col = i;
    return e;
}

/* Any node over a NULL-terminated argument list. */
static PlanExpr *
mk(PlanExprKind kind, SlType type, ...)
{
    PlanExpr *args[70];
    int n = 0;
    va_list ap;
    va_start(ap, type);
    for (PlanExpr *p; (p = va_arg(ap, PlanExpr *));)
        args[n++] = p;
    va_end(ap);
    PlanExpr *e = node(kind, type, n);
    if (n)
        memcpy(e->args, args, sizeof(PlanExpr *) * (size_t)n);
    return e;
}

#define FN(id, type, ...) fn_node((id), (type), __VA_ARGS__, (PlanExpr *)NULL)
#define FN0(id, type) fn_node((id), (type), (PlanExpr *)NULL)
#define AND(a, b) mk(PEXPR_AND, TYPE_BOOL, (a), (b), (PlanExpr *)NULL)
#define OR(a, b) mk(PEXPR_OR, TYPE_BOOL, (a), (b), (PlanExpr *)NULL)
#define NOT(a) mk(PEXPR_NOT, TYPE_BOOL, (a), (PlanExpr *)NULL)

static PlanExpr *
fn_node(FnId id, SlType type, ...)
{
    PlanExpr *args[70];
    int n = 0;
    va_list ap;
    va_start(ap, type);
    for (PlanExpr *p; (p = va_arg(ap, PlanExpr *));)
        args[n++] = p;
    va_end(ap);
    PlanExpr *e = node(PEXPR_FN, type, n);
    e->fn = id;
    if (n)
        memcpy(e->args, args, sizeof(PlanExpr *) * (size_t)n);
    return e;
}

static PlanExpr *
is_node(PlanExprKind k, bool negated, PlanExpr *x)
{
    PlanExpr *e = mk(k, TYPE_BOOL, x, (PlanExpr *)NULL);
    e->negated = negated;
    return e;
}

/* 1 / 0: an argument that fails if it is ever evaluated. */
static PlanExpr *
boom(void)
{
    return FN(FN_DIV_II, TYPE_BIGINT, ci(1), ci(0));
}

static PlanExpr *
boom_bool(void)
{
    return FN(FN_EQ, TYPE_BOOL, boom(), ci(1));
}

/* ---- evaluation helpers: strings out ------------------------------------------------------ */

static char out_buf[512];

/* Evaluate e; "NULL", the text form of the value, or "ERR <sqlstate>". */
static const char *
ev(const PlanExpr *e)
{
    Value v;
    err_clear(&err);
    err_init(&err, A);
    memset(&v, 0xA5, sizeof v);
    if (expr_eval(e, ROW, &cx, &v) < 0) {
        assert_true(err_is_set(&err));
        snprintf(out_buf, sizeof out_buf, "ERR %s", err.sqlstate);
        return out_buf;
    }
    assert_false(err_is_set(&err));
    assert_int_equal(v.type, e->type);
    if (v.isnull)
        return "NULL";
    Buf b;
    buf_init(&b);
    val_format(&v, &b);
    snprintf(out_buf, sizeof out_buf, "%s", b.data ? b.data : "");
    buf_free(&b);
    return out_buf;
}

#define EV(e, want) assert_string_equal(ev(e), (want))

static const char *
tvn(int x)
{
    return x == 0 ? "f" : x == 1 ? "t" : "NULL";
}

static PlanExpr *
tvc(int x)
{
    return x == 2 ? cnull(TYPE_BOOL) : cb(x == 1);
}

/* ---- structure: constants, columns, logic ------------------------------------------------- */

static void
test_const_and_col(void **state)
{
    (void)state;
    Value row[3] = {val_int(42), val_text("abc", 3), val_null(TYPE_DOUBLE)};
    ROW = row;
    EV(ci(5), "5");
    EV(cs("hi"), "hi");
    EV(cnull(TYPE_TEXT), "NULL");
    EV(col(0, TYPE_BIGINT), "42");
    EV(col(1, TYPE_TEXT), "abc");
    EV(col(2, TYPE_DOUBLE), "NULL");
    EV(FN(FN_ADD_II, TYPE_BIGINT, col(0, TYPE_BIGINT), ci(1)), "43");
    /* a NULL constant typed by its node: the result carries the node's type */
    PlanExpr *n = cval(val_null(TYPE_UNKNOWN));
    n->type = TYPE_TIMESTAMP;
    EV(n, "NULL");
}

static void
test_and_or_truth_tables(void **state)
{
    (void)state;
    /* values: 0 false, 1 true, 2 NULL */
    static const int and_t[3][3] = {{0, 0, 0}, {0, 1, 2}, {0, 2, 2}};
    static const int or_t[3][3] = {{0, 1, 2}, {1, 1, 1}, {2, 1, 2}};
    for (int l = 0; l < 3; l++) {
        for (int r = 0; r < 3; r++) {
            EV(AND(tvc(l), tvc(r)), tvn(and_t[l][r]));
            EV(OR(tvc(l), tvc(r)), tvn(or_t[l][r]));
        }
    }
    /* the left side decides: the right side is not evaluated */
    EV(AND(cb(false), boom_bool()), "f");
    EV(OR(cb(true), boom_bool()), "t");
    /* it does not decide: the right side runs and its error surfaces */
    EV(AND(cb(true), boom_bool()), "ERR 22012");
    EV(AND(cnull(TYPE_BOOL), boom_bool()), "ERR 22012");
    EV(OR(cb(false), boom_bool()), "ERR 22012");
    EV(AND(boom_bool(), cb(false)), "ERR 22012");
    /* a right side that decides wins over a NULL left */
    EV(AND(cnull(TYPE_BOOL), cb(false)), "f");
    EV(OR(cnull(TYPE_BOOL), cb(true)), "t");
}

static void
test_not_and_is(void **state)
{
    (void)state;
    EV(NOT(cb(true)), "f");
    EV(NOT(cb(false)), "t");
    EV(NOT(cnull(TYPE_BOOL)), "NULL");
    /* IS [NOT] NULL / TRUE / FALSE never yield NULL */
    static const char *const is_null[3] = {"f", "f", "t"};
    static const char *const is_true[3] = {"f", "t", "f"};
    static const char *const is_false[3] = {"t", "f", "f"};
    for (int x = 0; x < 3; x++) {
        EV(is_node(PEXPR_IS_NULL, false, tvc(x)), is_null[x]);
        EV(is_node(PEXPR_IS_NULL, true, tvc(x)), is_null[x][0] == 't' ? "f" : "t");
        EV(is_node(PEXPR_IS_TRUE, false, tvc(x)), is_true[x]);
        EV(is_node(PEXPR_IS_TRUE, true, tvc(x)), is_true[x][0] == 't' ? "f" : "t");
        EV(is_node(PEXPR_IS_FALSE, false, tvc(x)), is_false[x]);
        EV(is_node(PEXPR_IS_FALSE, true, tvc(x)), is_false[x][0] == 't' ? "f" : "t");
    }
    EV(is_node(PEXPR_IS_NULL, false, cnull(TYPE_TEXT)), "t");
    EV(is_node(PEXPR_IS_NULL, true, ci(3)), "t");
    EV(is_node(PEXPR_IS_NULL, false, boom()), "ERR 22012");
}

static void
test_case(void **state)
{
    (void)state;
    Value row[1];
    ROW = row;
    PlanExpr *x = col(0, TYPE_BIGINT);
    /* CASE WHEN x < 0 THEN 'neg' WHEN x = 0 THEN 'zero' ELSE 'pos' END */
    PlanExpr *c = mk(PEXPR_CASE, TYPE_TEXT, FN(FN_LT, TYPE_BOOL, x, ci(0)), cs("neg"),
                     FN(FN_EQ, TYPE_BOOL, x, ci(0)), cs("zero"), cs("pos"), (PlanExpr *)NULL);
    c->has_else = true;
    row[0] = val_int(-5);
    EV(c, "neg");
    row[0] = val_int(0);
    EV(c, "zero");
    row[0] = val_int(9);
    EV(c, "pos");
    /* a NULL condition counts as not true: falls to ELSE */
    row[0] = val_null(TYPE_BIGINT);
    EV(c, "pos");

    /* no ELSE and no match → NULL of the CASE's type */
    PlanExpr *d = mk(PEXPR_CASE, TYPE_BIGINT, FN(FN_GT, TYPE_BOOL, x, ci(100)), ci(1),
                     (PlanExpr *)NULL);
    row[0] = val_int(5);
    EV(d, "NULL");
    row[0] = val_int(500);
    EV(d, "1");

    /* only the chosen branch is evaluated */
    PlanExpr *e = mk(PEXPR_CASE, TYPE_BIGINT, cb(false), boom(), cb(true), ci(2), boom(),
                     (PlanExpr *)NULL);
    e->has_else = true;
    EV(e, "2");
    PlanExpr *f = mk(PEXPR_CASE, TYPE_BIGINT, cb(true), boom(), (PlanExpr *)NULL);
    EV(f, "ERR 22012");
    /* CASE over a NULL result carries the CASE type */
    PlanExpr *g = mk(PEXPR_CASE, TYPE_DOUBLE, cb(true), cnull(TYPE_DOUBLE), (PlanExpr *)NULL);
    EV(g, "NULL");
}

static PlanExpr *
in_node(bool negated, PlanExpr *x, ...)
{
    PlanExpr *args[16];
    int n = 0;
    args[n++] = x;
    va_list ap;
    va_start(ap, x);
    for (PlanExpr *p; (p = va_arg(ap, PlanExpr *));)
        args[n++] = p;
    va_end(ap);
    PlanExpr *e = node(PEXPR_IN, TYPE_BOOL, n);
    if (n)
        memcpy(e->args, args, sizeof(PlanExpr *) * (size_t)n);
    e->negated = negated;
    return e;
}

#define IN(neg, x, ...) in_node((neg), (x), __VA_ARGS__, (PlanExpr *)NULL)

static void
test_in(void **state)
{
    (void)state;
    EV(IN(false, ci(2), ci(1), ci(2), ci(3)), "t");
    EV(IN(false, ci(5), ci(1), ci(2), ci(3)), "f");
    EV(IN(true, ci(2), ci(1), ci(2), ci(3)), "f");
    EV(IN(true, ci(5), ci(1), ci(2), ci(3)), "t");
    /* a match wins over a NULL in the list */
    EV(IN(false, ci(2), cnull(TYPE_BIGINT), ci(2)), "t");
    EV(IN(true, ci(2), cnull(TYPE_BIGINT), ci(2)), "f");
    /* no match but a NULL in the list: unknown */
    EV(IN(false, ci(5), ci(1), cnull(TYPE_BIGINT)), "NULL");
    EV(IN(true, ci(5), ci(1), cnull(TYPE_BIGINT)), "NULL");
    /* NULL on the left: unknown */
    EV(IN(false, cnull(TYPE_BIGINT), ci(1), ci(2)), "NULL");
    EV(IN(true, cnull(TYPE_BIGINT), ci(1)), "NULL");
    EV(IN(false, cs("b"), cs("a"), cs("b")), "t");
    EV(IN(false, cd(NAN), cd(1.0), cd(NAN)), "t");
    EV(IN(false, ci(1), boom()), "ERR 22012");
    EV(IN(false, ci(1), ci(1), boom()), "t");  /* stops at the first match */
}

static void
test_strictness(void **state)
{
    (void)state;
    /* strict: a NULL argument gives NULL without calling the function (no 22012 here) */
    EV(FN(FN_DIV_II, TYPE_BIGINT, cnull(TYPE_BIGINT), ci(0)), "NULL");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(1), cnull(TYPE_BIGINT)), "NULL");
    EV(FN(FN_UPPER, TYPE_TEXT, cnull(TYPE_TEXT)), "NULL");
    EV(FN(FN_EQ, TYPE_BOOL, cnull(TYPE_BIGINT), ci(1)), "NULL");
    EV(FN(FN_EQ, TYPE_BOOL, cnull(TYPE_BIGINT), cnull(TYPE_BIGINT)), "NULL");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("abc"), ci(1), cnull(TYPE_BIGINT)), "NULL");
    EV(FN(FN_DATE_TRUNC, TYPE_TIMESTAMP, cnull(TYPE_TEXT), cts("2026-01-01")), "NULL");
    /* an argument error still comes first when it precedes the NULL */
    EV(FN(FN_ADD_II, TYPE_BIGINT, boom(), cnull(TYPE_BIGINT)), "ERR 22012");

    /* non-strict functions see the NULLs */
    EV(FN(FN_CONCAT, TYPE_TEXT, cs("a"), cnull(TYPE_TEXT), cs("b"), cs("")), "ab");
    EV(FN(FN_CONCAT, TYPE_TEXT, cnull(TYPE_TEXT), cnull(TYPE_TEXT)), "");
    EV(FN(FN_COALESCE, TYPE_BIGINT, cnull(TYPE_BIGINT), ci(2), ci(3)), "2");
    EV(FN(FN_COALESCE, TYPE_BIGINT, cnull(TYPE_BIGINT), cnull(TYPE_BIGINT)), "NULL");
    EV(FN(FN_NULLIF, TYPE_BIGINT, ci(1), ci(1)), "NULL");
    EV(FN(FN_NULLIF, TYPE_BIGINT, ci(1), ci(2)), "1");
    EV(FN(FN_NULLIF, TYPE_BIGINT, ci(1), cnull(TYPE_BIGINT)), "1");
    EV(FN(FN_NULLIF, TYPE_BIGINT, cnull(TYPE_BIGINT), ci(1)), "NULL");
    EV(FN(FN_NULLIF, TYPE_TEXT, cs("x"), cs("x")), "NULL");
    EV(FN(FN_GREATEST, TYPE_BIGINT, ci(3), cnull(TYPE_BIGINT), ci(7), ci(-1)), "7");
    EV(FN(FN_LEAST, TYPE_BIGINT, ci(3), cnull(TYPE_BIGINT), ci(7), ci(-1)), "-1");
    EV(FN(FN_GREATEST, TYPE_TEXT, cs("apple"), cs("pear"), cs("fig")), "pear");
    EV(FN(FN_LEAST, TYPE_DOUBLE, cd(NAN), cd(2.5)), "2.5");
    EV(FN(FN_GREATEST, TYPE_DOUBLE, cd(NAN), cd(2.5)), "NaN");
    EV(FN(FN_GREATEST, TYPE_BIGINT, cnull(TYPE_BIGINT), cnull(TYPE_BIGINT)), "NULL");
    EV(FN(FN_LEAST, TYPE_BIGINT, cnull(TYPE_BIGINT)), "NULL");
}

/* More than 64 arguments: the evaluator falls back from its stack array. */
static void
test_many_args(void **state)
{
    (void)state;
    PlanExpr *e = node(PEXPR_FN, TYPE_TEXT, 100);
    e->fn = FN_CONCAT;
    for (int i = 0; i < 100; i++)
        e->args[i] = i % 10 == 0 ? cnull(TYPE_TEXT) : cs("x");
    const char *r = ev(e);
    assert_int_equal(strlen(r), 90);
}

/* ---- arithmetic ---------------------------------------------------------------------------- */

static void
test_int_arith(void **state)
{
    (void)state;
    EV(FN(FN_ADD_II, TYPE_BIGINT, ci(2), ci(3)), "5");
    EV(FN(FN_SUB_II, TYPE_BIGINT, ci(2), ci(3)), "-1");
    EV(FN(FN_MUL_II, TYPE_BIGINT, ci(-4), ci(3)), "-12");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(7), ci(2)), "3");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(-7), ci(2)), "-3");
    EV(FN(FN_MOD_II, TYPE_BIGINT, ci(-7), ci(2)), "-1");
    EV(FN(FN_MOD_II, TYPE_BIGINT, ci(7), ci(-3)), "1");
    EV(FN(FN_ADD_II, TYPE_BIGINT, ci(INT64_MAX), ci(1)), "ERR 22003");
    EV(FN(FN_SUB_II, TYPE_BIGINT, ci(INT64_MIN), ci(1)), "ERR 22003");
    EV(FN(FN_MUL_II, TYPE_BIGINT, ci(INT64_MAX / 2 + 1), ci(2)), "ERR 22003");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(1), ci(0)), "ERR 22012");
    EV(FN(FN_MOD_II, TYPE_BIGINT, ci(1), ci(0)), "ERR 22012");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(INT64_MIN), ci(-1)), "ERR 22003");
    EV(FN(FN_MOD_II, TYPE_BIGINT, ci(INT64_MIN), ci(-1)), "0");
    EV(FN(FN_DIV_II, TYPE_BIGINT, ci(INT64_MAX), ci(-1)), "-9223372036854775807");
    EV(FN(FN_NEG_I, TYPE_BIGINT, ci(5)), "-5");
    EV(FN(FN_NEG_I, TYPE_BIGINT, ci(INT64_MIN)), "ERR 22003");
    EV(FN(FN_ABS_I, TYPE_BIGINT, ci(-5)), "5");
    EV(FN(FN_ABS_I, TYPE_BIGINT, ci(INT64_MIN)), "ERR 22003");
    /* the error carries the call's position */
    PlanExpr *e = FN(FN_DIV_II, TYPE_BIGINT, ci(1), ci(0));
    e->pos = 42;
    EV(e, "ERR 22012");
    assert_int_equal(err.position, 42);
    assert_string_equal(err.message, "division by zero");
    EV(FN(FN_ADD_II, TYPE_BIGINT, ci(INT64_MAX), ci(1)), "ERR 22003");
    assert_string_equal(err.message, "bigint out of range");
}

static void
test_double_arith(void **state)
{
    (void)state;
    EV(FN(FN_ADD_DD, TYPE_DOUBLE, cd(1.5), cd(2.25)), "3.75");
    EV(FN(FN_SUB_DD, TYPE_DOUBLE, cd(1.5), cd(2.25)), "-0.75");
    EV(FN(FN_MUL_DD, TYPE_DOUBLE, cd(1.5), cd(-2)), "-3");
    EV(FN(FN_DIV_DD, TYPE_DOUBLE, cd(1), cd(4)), "0.25");
    EV(FN(FN_MOD_DD, TYPE_DOUBLE, cd(7.5), cd(2)), "1.5");
    EV(FN(FN_DIV_DD, TYPE_DOUBLE, cd(1), cd(0)), "ERR 22012");
    EV(FN(FN_DIV_DD, TYPE_DOUBLE, cd(0), cd(0)), "ERR 22012");
    EV(FN(FN_DIV_DD, TYPE_DOUBLE, cd(NAN), cd(0)), "NaN");
    EV(FN(FN_MOD_DD, TYPE_DOUBLE, cd(1), cd(0)), "ERR 22012");
    EV(FN(FN_MUL_DD, TYPE_DOUBLE, cd(1e308), cd(10)), "ERR 22003");
    assert_string_equal(err.message, "value out of range: overflow");
    EV(FN(FN_ADD_DD, TYPE_DOUBLE, cd(1.7e308), cd(1.7e308)), "ERR 22003");
    EV(FN(FN_MUL_DD, TYPE_DOUBLE, cd(1e-300), cd(1e-300)), "ERR 22003");
    assert_string_equal(err.message, "value out of range: underflow");
    /* infinities in, infinities out */
    EV(FN(FN_ADD_DD, TYPE_DOUBLE, cd(INFINITY), cd(1)), "Infinity");
    EV(FN(FN_NEG_D, TYPE_DOUBLE, cd(2.5)), "-2.5");
    EV(FN(FN_ABS_D, TYPE_DOUBLE, cd(-2.5)), "2.5");
}

static void
test_time_arith(void **state)
{
    (void)state;
    EV(FN(FN_ADD_TV, TYPE_TIMESTAMP, cts("2026-03-15 23:30:00"), civ("1 hour")),
       "2026-03-16 00:30:00");
    EV(FN(FN_SUB_TV, TYPE_TIMESTAMP, cts("1970-01-01 00:00:00"), civ("0.5 seconds")),
       "1969-12-31 23:59:59.5");
    EV(FN(FN_SUB_TT, TYPE_INTERVAL, cts("2026-03-16"), cts("2026-03-15 12:00")), "12:00:00");
    EV(FN(FN_SUB_TT, TYPE_INTERVAL, cts("2026-03-15"), cts("2026-03-16 12:00")), "-36:00:00");
    EV(FN(FN_ADD_VV, TYPE_INTERVAL, civ("1 minute"), civ("30 seconds")), "00:01:30");
    EV(FN(FN_SUB_VV, TYPE_INTERVAL, civ("1 minute"), civ("90 seconds")), "-00:00:30");
    EV(FN(FN_MUL_VD, TYPE_INTERVAL, civ("1 hour"), cd(1.5)), "01:30:00");
    EV(FN(FN_DIV_VD, TYPE_INTERVAL, civ("1 hour"), cd(4)), "00:15:00");
    EV(FN(FN_DIV_VD, TYPE_INTERVAL, civ("1 hour"), cd(0)), "ERR 22012");
    EV(FN(FN_MUL_VD, TYPE_INTERVAL, civ("1 hour"), cd(1e300)), "ERR 22003");
    EV(FN(FN_MUL_VD, TYPE_INTERVAL, civ("1 hour"), cd(NAN)), "ERR 22003");
    EV(FN(FN_NEG_V, TYPE_INTERVAL, civ("1 hour")), "-01:00:00");
    EV(FN(FN_NEG_V, TYPE_INTERVAL, cval(val_interval(INT64_MIN))), "ERR 22003");
    EV(FN(FN_ADD_TV, TYPE_TIMESTAMP, cval(val_ts(INT64_MAX)), civ("1 second")), "ERR 22003");
    EV(FN(FN_SUB_TV, TYPE_TIMESTAMP, cval(val_ts(INT64_MIN)), civ("1 second")), "ERR 22003");
    EV(FN(FN_SUB_TT, TYPE_INTERVAL, cval(val_ts(INT64_MAX)), cval(val_ts(-1))), "ERR 22003");
    EV(FN(FN_ADD_VV, TYPE_INTERVAL, cval(val_interval(INT64_MAX)), civ("1 second")),
       "ERR 22003");
    EV(FN(FN_SUB_VV, TYPE_INTERVAL, cval(val_interval(INT64_MIN)), civ("1 second")),
       "ERR 22003");
}

static void
test_comparisons(void **state)
{
    (void)state;
    static const FnId ops[6] = {FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE};
    /* results for (1,2), (2,2), (3,2) in the order EQ NE LT LE GT GE */
    static const char *const want[3] = {"ftttff", "tfftft", "ftfftt"};
    for (int k = 0; k < 3; k++) {
        for (int o = 0; o < 6; o++) {
            char w[2] = {want[k][o], 0};
            EV(FN(ops[o], TYPE_BOOL, ci(k + 1), ci(2)), w);
            EV(FN(ops[o], TYPE_BOOL, cd(k + 1.0), cd(2.0)), w);
            EV(FN(ops[o], TYPE_BOOL, cval(val_ts(k + 1)), cval(val_ts(2))), w);
            EV(FN(ops[o], TYPE_BOOL, cval(val_interval(k + 1)), cval(val_interval(2))), w);
            char s1[2] = {(char)('a' + k), 0};
            EV(FN(ops[o], TYPE_BOOL, cs(s1), cs("b")), w);
        }
    }
    EV(FN(FN_LT, TYPE_BOOL, cs("ab"), cs("abc")), "t");
    EV(FN(FN_LT, TYPE_BOOL, cs(""), cs("a")), "t");
    EV(FN(FN_LT, TYPE_BOOL, cb(false), cb(true)), "t");
    /* NaN equals NaN and sorts above everything (PostgreSQL float8 order) */
    EV(FN(FN_EQ, TYPE_BOOL, cd(NAN), cd(NAN)), "t");
    EV(FN(FN_GT, TYPE_BOOL, cd(NAN), cd(INFINITY)), "t");
    EV(FN(FN_EQ, TYPE_BOOL, cd(-0.0), cd(0.0)), "t");
}

/* ---- casts --------------------------------------------------------------------------------- */

static void
test_casts(void **state)
{
    (void)state;
    /* to text */
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, ci(-42)), "-42");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cd(0.1)), "0.1");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cd(1e20)), "1e+20");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cb(true)), "true");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cb(false)), "false");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cts("2026-03-15 13:45:30.5")), "2026-03-15 13:45:30.5");
    /* the longest timestamp text: formatted without a heap Buf, same as val_format's */
    Value lo = val_ts(INT64_MIN);
    Buf b;
    buf_init(&b);
    val_format(&lo, &b);
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cval(lo)), b.data);
    buf_free(&b);
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, civ("90 minutes")), "01:30:00");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cval(val_interval(INT64_MIN))), "-2562047788:00:54.775808");
    EV(FN(FN_CAST_TEXT, TYPE_TEXT, cs("same")), "same");
    EV(FN(FN_CONCAT_OP, TYPE_TEXT, cs("n="), FN(FN_CAST_TEXT, TYPE_TEXT, ci(7))), "n=7");

    /* from text */
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cs(" 123 ")), "123");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cs("12x")), "ERR 22P02");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cs("99999999999999999999")), "ERR 22003");
    EV(FN(FN_CAST_DOUBLE, TYPE_DOUBLE, cs("2.5e3")), "2500");
    EV(FN(FN_CAST_DOUBLE, TYPE_DOUBLE, cs("abc")), "ERR 22P02");
    EV(FN(FN_CAST_BOOL, TYPE_BOOL, cs("yes")), "t");
    EV(FN(FN_CAST_BOOL, TYPE_BOOL, cs("off")), "f");
    EV(FN(FN_CAST_BOOL, TYPE_BOOL, cs("maybe")), "ERR 22P02");
    EV(FN(FN_CAST_TS, TYPE_TIMESTAMP, cs("2026-03-15T13:45:30Z")), "2026-03-15 13:45:30");
    EV(FN(FN_CAST_TS, TYPE_TIMESTAMP, cs("yesterday")), "ERR 22007");
    EV(FN(FN_CAST_INTERVAL, TYPE_INTERVAL, cs("1 day 02:00:00")), "26:00:00");
    EV(FN(FN_CAST_INTERVAL, TYPE_INTERVAL, cs("soon")), "ERR 22007");
    /* parse errors point at the cast */
    PlanExpr *bad = FN(FN_CAST_INT, TYPE_BIGINT, cs("x"));
    bad->pos = 13;
    EV(bad, "ERR 22P02");
    assert_int_equal(err.position, 13);

    /* numeric and boolean */
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(2.5)), "3");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(-2.5)), "-3");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(2.4999)), "2");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(-9223372036854775808.0)), "-9223372036854775808");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(9223372036854775808.0)), "ERR 22003");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(NAN)), "ERR 22003");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cd(INFINITY)), "ERR 22003");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cb(true)), "1");
    EV(FN(FN_CAST_INT, TYPE_BIGINT, cb(false)), "0");
    EV(FN(FN_CAST_BOOL, TYPE_BOOL, ci(0)), "f");
    EV(FN(FN_CAST_BOOL, TYPE_BOOL, ci(-3)), "t");
    EV(FN(FN_CAST_DOUBLE, TYPE_DOUBLE, ci(-7)), "-7");
    EV(FN(FN_CAST_DOUBLE, TYPE_DOUBLE, ci(INT64_MAX)), "9.223372036854776e+18");
    /* identity and refused casts */
    EV(FN(FN_CAST_INT, TYPE_BIGINT, ci(5)), "5");
    EV(FN(FN_CAST_TS, TYPE_TIMESTAMP, ci(5)), "ERR 42804");
    /* round trips through text */
    EV(FN(FN_CAST_DOUBLE, TYPE_DOUBLE, FN(FN_CAST_TEXT, TYPE_TEXT, cd(0.1 + 0.2))),
       "0.30000000000000004");
    EV(FN(FN_CAST_TS, TYPE_TIMESTAMP,
          FN(FN_CAST_TEXT, TYPE_TEXT, cts("1901-06-30 01:02:03.000004"))),
       "1901-06-30 01:02:03.000004");
}

/* ---- strings ------------------------------------------------------------------------------- */

static void
test_strings(void **state)
{
    (void)state;
    EV(FN(FN_CONCAT_OP, TYPE_TEXT, cs("foo"), cs("bar")), "foobar");
    EV(FN(FN_CONCAT_OP, TYPE_TEXT, cs(""), cs("bar")), "bar");
    EV(FN(FN_CONCAT_OP, TYPE_TEXT, cs(""), cs("")), "");
    EV(FN(FN_CONCAT_OP, TYPE_TEXT, cs("a"), cnull(TYPE_TEXT)), "NULL");
    EV(FN(FN_LOWER, TYPE_TEXT, cs("HeLLo, WÖRLD 42")), "hello, wÖrld 42");
    EV(FN(FN_UPPER, TYPE_TEXT, cs("héllo z@[`{")), "HéLLO Z@[`{");
    EV(FN(FN_LENGTH, TYPE_BIGINT, cs("héllo")), "5");
    EV(FN(FN_LENGTH, TYPE_BIGINT, cs("日本語")), "3");
    EV(FN(FN_LENGTH, TYPE_BIGINT, cs("")), "0");

    /* substr, PostgreSQL's examples and edges */
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(3), ci(2)), "ph");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(3)), "phabet");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(0), ci(3)), "al");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(-1), ci(3)), "a");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(-5), ci(3)), "");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(-5)), "alphabet");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(20)), "");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(5), ci(100)), "abet");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(2), ci(INT64_MAX)), "lphabet");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(2), ci(0)), "");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("héllo"), ci(2), ci(3)), "éll");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("日本語"), ci(3)), "語");
    EV(FN(FN_SUBSTR, TYPE_TEXT, cs("alphabet"), ci(1), ci(-1)), "ERR 22023");
    assert_string_equal(err.message, "negative substring length not allowed");

    /* split_part */
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(1)), "a");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(2)), "b");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(3)), "");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(4)), "c");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(5)), "");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(-1)), "c");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(-3)), "b");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(-4)), "a");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b,,c"), cs(","), ci(-5)), "");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a~@~b~@~c"), cs("~@~"), ci(2)), "b");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("abc"), cs(""), ci(1)), "abc");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("abc"), cs(""), ci(2)), "");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs(""), cs(","), ci(1)), "");
    EV(FN(FN_SPLIT_PART, TYPE_TEXT, cs("a,b"), cs(","), ci(0)), "ERR 22023");
    assert_string_equal(err.message, "field position must not be zero");

    /* replace, trim, strpos */
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("abcdefabcdef"), cs("cd"), cs("XX")), "abXXefabXXef");
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("aaa"), cs("aa"), cs("b")), "ba");
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("abc"), cs("b"), cs("")), "ac");
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("abc"), cs(""), cs("x")), "abc");
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("abc"), cs("z"), cs("x")), "abc");
    EV(FN(FN_REPLACE, TYPE_TEXT, cs("b"), cs("b"), cs("long")), "long");
    EV(FN(FN_TRIM, TYPE_TEXT, cs("  a b  ")), "a b");
    EV(FN(FN_TRIM, TYPE_TEXT, cs("    ")), "");
    EV(FN(FN_TRIM, TYPE_TEXT, cs("\tx ")), "\tx");
    EV(FN(FN_STRPOS, TYPE_BIGINT, cs("high"), cs("ig")), "2");
    EV(FN(FN_STRPOS, TYPE_BIGINT, cs("héllo"), cs("l")), "3");
    EV(FN(FN_STRPOS, TYPE_BIGINT, cs("high"), cs("x")), "0");
    EV(FN(FN_STRPOS, TYPE_BIGINT, cs("high"), cs("")), "1");
    EV(FN(FN_STRPOS, TYPE_BIGINT, cs(""), cs("a")), "0");
}

static const char *
like(const char *s, const char *p, bool ilike)
{
    return ev(FN(ilike ? FN_ILIKE : FN_LIKE, TYPE_BOOL, cs(s), cs(p)));
}

static void
test_like(void **state)
{
    (void)state;
    static const struct {
        const char *s, *p;
        const char *like, *ilike;
    } cases[] = {
        {"abc", "abc", "t", "t"},       {"abc", "a%", "t", "t"},
        {"abc", "%c", "t", "t"},        {"abc", "%b%", "t", "t"},
        {"abc", "_b_", "t", "t"},       {"abc", "__", "f", "f"},
        {"abc", "___", "t", "t"},       {"abc", "____", "f", "f"},
        {"abc", "%", "t", "t"},         {"", "%", "t", "t"},
        {"", "", "t", "t"},             {"", "_", "f", "f"},
        {"abc", "", "f", "f"},          {"abc", "ABC", "f", "t"},
        {"ABC", "a%", "f", "t"},        {"aXbXc", "a%b%c", "t", "t"},
        {"abcbc", "a%bc", "t", "t"},    {"abcbd", "a%bc", "f", "f"},
        {"mississippi", "%iss%pi", "t", "t"}, {"mississippi", "m%ss%ss%", "t", "t"},
        {"mississippi", "m%ss%ss%ss%", "f", "f"},
        {"50%", "50\\%", "t", "t"},     {"50x", "50\\%", "f", "f"},
        {"a_b", "a\\_b", "t", "t"},     {"axb", "a\\_b", "f", "f"},
        {"a\\b", "a\\\\b", "t", "t"},   {"%%", "\\%%", "t", "t"},
        {"héllo", "h_llo", "t", "t"},   {"héllo", "h__llo", "f", "f"},
        {"日本語", "_本_", "t", "t"},   {"日本語", "%語", "t", "t"},
        {"ÉCOLE", "école", "f", "f"},   /* ILIKE folds ASCII only */
        {"ÉCOLE", "École", "f", "t"},
        {"abc", "%%%c", "t", "t"},      {"abc", "a%%%", "t", "t"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *l = like(cases[i].s, cases[i].p, false);
        if (strcmp(l, cases[i].like) != 0)
            fail_msg("'%s' LIKE '%s' = %s, want %s", cases[i].s, cases[i].p, l, cases[i].like);
        const char *il = like(cases[i].s, cases[i].p, true);
        if (strcmp(il, cases[i].ilike) != 0)
            fail_msg("'%s' ILIKE '%s' = %s, want %s", cases[i].s, cases[i].p, il,
                     cases[i].ilike);
    }
    /* a pattern ending in the escape character is an error */
    assert_string_equal(like("abc", "abc\\", false), "ERR 22023");
    assert_string_equal(like("abc", "%\\", false), "ERR 22023");

    /* pathological: backtracking only to the last % keeps this linear-ish */
    size_t n = 200000;
    char *s = arena_alloc(A, n + 1);
    memset(s, 'a', n);
    s[n] = '\0';
    clock_t t0 = clock();
    assert_string_equal(like(s, "%a%a%a%a%b", false), "f");
    assert_string_equal(like(s, "%a%a%a%a%a", false), "t");
    assert_string_equal(like(s, "%aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab%", true), "f");
    s[n - 1] = 'b';
    assert_string_equal(like(s, "%a%a%a%a%b", false), "t");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 2.0);
}

/* ---- math ---------------------------------------------------------------------------------- */

static void
test_math(void **state)
{
    (void)state;
    EV(FN(FN_ROUND, TYPE_DOUBLE, cd(2.5)), "3");
    EV(FN(FN_ROUND, TYPE_DOUBLE, cd(-2.5)), "-3");
    EV(FN(FN_ROUND, TYPE_DOUBLE, cd(2.4)), "2");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(2.675), ci(2)), "2.68");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(-2.675), ci(2)), "-2.68");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(3.14159), ci(3)), "3.142");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(1234.5), ci(-2)), "1200");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(1250), ci(-2)), "1300");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(1.5), ci(0)), "2");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(1e300), ci(20)), "1e+300");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(123.0), ci(-400)), "0");
    EV(FN(FN_ROUND2, TYPE_DOUBLE, cd(NAN), ci(1)), "NaN");
    EV(FN(FN_FLOOR, TYPE_DOUBLE, cd(-1.5)), "-2");
    EV(FN(FN_CEIL, TYPE_DOUBLE, cd(-1.5)), "-1");
    EV(FN(FN_CEIL, TYPE_DOUBLE, cd(1.2)), "2");
    EV(FN(FN_SQRT, TYPE_DOUBLE, cd(2.25)), "1.5");
    EV(FN(FN_SQRT, TYPE_DOUBLE, cd(-1)), "ERR 22023");
    assert_string_equal(err.message, "cannot take square root of a negative number");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(2), cd(10)), "1024");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(-8), cd(3)), "-512");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(4), cd(0.5)), "2");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(0), cd(-1)), "ERR 22023");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(-8), cd(1.0 / 3)), "ERR 22023");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(10), cd(400)), "ERR 22003");
    EV(FN(FN_POWER, TYPE_DOUBLE, cd(10), cd(-400)), "ERR 22003");
    EV(FN(FN_LN, TYPE_DOUBLE, cd(1)), "0");
    EV(FN(FN_LN, TYPE_DOUBLE, cd(0)), "ERR 22023");
    EV(FN(FN_LN, TYPE_DOUBLE, cd(-1)), "ERR 22023");
    EV(FN(FN_EXP, TYPE_DOUBLE, cd(0)), "1");
    EV(FN(FN_EXP, TYPE_DOUBLE, cd(1000)), "ERR 22003");
    EV(FN(FN_EXP, TYPE_DOUBLE, cd(-1000)), "ERR 22003");
    EV(FN(FN_EXP, TYPE_DOUBLE, cd(-INFINITY)), "0");
}

/* ---- time functions ------------------------------------------------------------------------ */

static const char *
trunc_ts(const char *unit, const char *ts)
{
    return ev(FN(FN_DATE_TRUNC, TYPE_TIMESTAMP, cs(unit), cts(ts)));
}

static void
test_date_trunc(void **state)
{
    (void)state;
    static const struct {
        const char *unit, *ts, *want;
    } cases[] = {
        /* 2026-03-15 is a Sunday */
        {"microseconds", "2026-03-15 13:45:30.123456", "2026-03-15 13:45:30.123456"},
        {"milliseconds", "2026-03-15 13:45:30.123456", "2026-03-15 13:45:30.123"},
        {"second", "2026-03-15 13:45:30.5", "2026-03-15 13:45:30"},
        {"minute", "2026-03-15 13:45:30.5", "2026-03-15 13:45:00"},
        {"hour", "2026-03-15 13:45:30.5", "2026-03-15 13:00:00"},
        {"day", "2026-03-15 13:45:30.5", "2026-03-15 00:00:00"},
        {"week", "2026-03-15 13:45:30.5", "2026-03-09 00:00:00"},
        {"week", "2026-03-09 00:00:00", "2026-03-09 00:00:00"},
        {"month", "2026-03-15 13:45:30.5", "2026-03-01 00:00:00"},
        {"quarter", "2026-03-15 13:45:30.5", "2026-01-01 00:00:00"},
        {"quarter", "2026-11-15 13:45:30.5", "2026-10-01 00:00:00"},
        {"year", "2026-03-15 13:45:30.5", "2026-01-01 00:00:00"},
        {"decade", "2026-03-15 13:45:30.5", "2020-01-01 00:00:00"},
        {"century", "2026-03-15 13:45:30.5", "2001-01-01 00:00:00"},
        {"century", "2000-12-31 23:59:59", "1901-01-01 00:00:00"},
        {"millennium", "2026-03-15 13:45:30.5", "2001-01-01 00:00:00"},
        /* case-insensitive, plurals */
        {"HOUR", "2026-03-15 13:45:30.5", "2026-03-15 13:00:00"},
        {"Days", "2026-03-15 13:45:30.5", "2026-03-15 00:00:00"},
        /* before 1970: truncation goes down, not toward the epoch */
        {"second", "1969-12-31 23:59:59.75", "1969-12-31 23:59:59"},
        {"minute", "1969-12-31 23:59:59.75", "1969-12-31 23:59:00"},
        {"day", "1969-12-31 23:59:59.75", "1969-12-31 00:00:00"},
        {"week", "1969-12-31 23:59:59.75", "1969-12-29 00:00:00"},
        {"month", "1900-02-28 12:00:00", "1900-02-01 00:00:00"},
        {"week", "1900-02-28 12:00:00", "1900-02-26 00:00:00"},
        {"decade", "1900-02-28 12:00:00", "1900-01-01 00:00:00"},
        {"century", "1900-02-28 12:00:00", "1801-01-01 00:00:00"},
        {"millennium", "1900-02-28 12:00:00", "1001-01-01 00:00:00"},
        {"week", "1066-10-14 09:30:00", "1066-10-08 00:00:00"},
        {"quarter", "1066-10-14 09:30:00", "1066-10-01 00:00:00"},
        {"year", "0001-06-01 00:00:00", "0001-01-01 00:00:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = trunc_ts(cases[i].unit, cases[i].ts);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("date_trunc('%s', '%s') = %s, want %s", cases[i].unit, cases[i].ts, got,
                     cases[i].want);
    }
    assert_string_equal(trunc_ts("fortnight", "2026-03-15"), "ERR 22023");
    assert_string_equal(trunc_ts("dow", "2026-03-15"), "ERR 0A000");
    EV(FN(FN_DATE_TRUNC, TYPE_TIMESTAMP, cs("day"), cval(val_ts(INT64_MIN))), "ERR 22003");
    EV(FN(FN_DATE_TRUNC, TYPE_TIMESTAMP, cs("year"), cval(val_ts(INT64_MIN))), "ERR 22003");
}

static const char *
extract_ts(const char *field, const char *ts)
{
    return ev(FN(FN_EXTRACT, TYPE_DOUBLE, cs(field), cts(ts)));
}

static void
test_extract(void **state)
{
    (void)state;
    static const struct {
        const char *field, *ts, *want;
    } cases[] = {
        {"epoch", "2026-03-15 13:45:30.5", "1773582330.5"},
        {"year", "2026-03-15 13:45:30.5", "2026"},
        {"quarter", "2026-03-15 13:45:30.5", "1"},
        {"month", "2026-03-15 13:45:30.5", "3"},
        {"day", "2026-03-15 13:45:30.5", "15"},
        {"hour", "2026-03-15 13:45:30.5", "13"},
        {"minute", "2026-03-15 13:45:30.5", "45"},
        {"second", "2026-03-15 13:45:30.5", "30.5"},
        {"milliseconds", "2026-03-15 13:45:30.5", "30500"},
        {"microseconds", "2026-03-15 13:45:30.5", "30500000"},
        {"dow", "2026-03-15 13:45:30.5", "0"},
        {"isodow", "2026-03-15 13:45:30.5", "7"},
        {"doy", "2026-03-15 13:45:30.5", "74"},
        {"week", "2026-03-15 13:45:30.5", "11"},
        {"decade", "2026-03-15 13:45:30.5", "202"},
        {"century", "2026-03-15 13:45:30.5", "21"},
        {"millennium", "2026-03-15 13:45:30.5", "3"},
        {"EPOCH", "1970-01-01 00:00:00", "0"},
        {"Second", "2026-03-15 13:45:30.000001", "30.000001"},
        /* before 1970 */
        {"epoch", "1969-12-31 23:59:59.75", "-0.25"},
        {"second", "1969-12-31 23:59:59.75", "59.75"},
        {"day", "1969-12-31 23:59:59.75", "31"},
        {"dow", "1969-12-31 23:59:59.75", "3"},
        {"week", "1969-12-31 23:59:59.75", "1"},
        {"doy", "1969-12-31 23:59:59.75", "365"},
        {"epoch", "1900-02-28 12:00:00", "-2203934400"},
        {"century", "1900-02-28 12:00:00", "19"},
        {"millennium", "1900-02-28 12:00:00", "2"},
        {"decade", "1900-02-28 12:00:00", "190"},
        {"week", "1900-02-28 12:00:00", "9"},
        {"doy", "1066-10-14 09:30:00", "287"},
        {"dow", "1066-10-14 09:30:00", "0"},
        {"quarter", "1066-10-14 09:30:00", "4"},
        {"century", "1066-10-14 09:30:00", "11"},
        /* ISO weeks around new year */
        {"week", "2021-01-03 00:00:00", "53"},
        {"week", "2020-12-31 00:00:00", "53"},
        {"week", "2024-12-30 00:00:00", "1"},
        {"isodow", "2024-12-30 00:00:00", "1"},
        {"doy", "2020-12-31 00:00:00", "366"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = extract_ts(cases[i].field, cases[i].ts);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("extract(%s from '%s') = %s, want %s", cases[i].field, cases[i].ts, got,
                     cases[i].want);
    }
    assert_string_equal(extract_ts("fortnight", "2026-03-15"), "ERR 22023");
    /* BC years count down from -1 (there is no year 0) */
    EV(FN(FN_EXTRACT, TYPE_DOUBLE, cs("year"),
          FN(FN_SUB_TV, TYPE_TIMESTAMP, cts("0001-01-01"), civ("1 day"))),
       "-1");

    /* intervals: days are whole 24-hour spans, fields take the sign */
    static const struct {
        const char *field, *iv, *want;
    } ivs[] = {
        {"epoch", "1 day 02:03:04.5", "93784.5"},
        {"day", "1 day 02:03:04.5", "1"},
        {"days", "50 hours", "2"},
        {"hour", "1 day 02:03:04.5", "2"},
        {"minute", "1 day 02:03:04.5", "3"},
        {"second", "1 day 02:03:04.5", "4.5"},
        {"milliseconds", "1 day 02:03:04.5", "4500"},
        {"microseconds", "1 day 02:03:04.5", "4500000"},
        {"hour", "-26 hours", "-2"},
        {"day", "-26 hours", "-1"},
        {"epoch", "-1.5 seconds", "-1.5"},
        {"month", "40 days", "0"},
    };
    for (size_t i = 0; i < sizeof ivs / sizeof ivs[0]; i++) {
        const char *got = ev(FN(FN_EXTRACT, TYPE_DOUBLE, cs(ivs[i].field), civ(ivs[i].iv)));
        if (strcmp(got, ivs[i].want) != 0)
            fail_msg("extract(%s from interval '%s') = %s, want %s", ivs[i].field, ivs[i].iv, got,
                     ivs[i].want);
    }
    EV(FN(FN_EXTRACT, TYPE_DOUBLE, cs("bogus"), civ("1 hour")), "ERR 22023");
    EV(FN(FN_EXTRACT, TYPE_DOUBLE, cs("dow"), civ("1 hour")), "ERR 0A000");
}

static void
test_now_and_to_timestamp(void **state)
{
    (void)state;
    cx.now_us = INT64_C(1773582330500000);
    EV(FN0(FN_NOW, TYPE_TIMESTAMP), "2026-03-15 13:45:30.5");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(1.5)), "1970-01-01 00:00:01.5");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(-0.25)), "1969-12-31 23:59:59.75");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(1773582330.5)), "2026-03-15 13:45:30.5");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(NAN)), "ERR 22003");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(INFINITY)), "ERR 22003");
    EV(FN(FN_TO_TIMESTAMP, TYPE_TIMESTAMP, cd(1e300)), "ERR 22003");
}

/* A WHERE-style predicate: NULL and false both reject; errors are -1. */
static void
test_pred(void **state)
{
    (void)state;
    err_init(&err, A);
    assert_int_equal(expr_eval_pred(cb(true), NULL, &cx), 1);
    assert_int_equal(expr_eval_pred(cb(false), NULL, &cx), 0);
    assert_int_equal(expr_eval_pred(cnull(TYPE_BOOL), NULL, &cx), 0);
    assert_int_equal(expr_eval_pred(boom_bool(), NULL, &cx), -1);
    assert_string_equal(err.sqlstate, "22012");
    /* first error wins: a second failure keeps the first message */
    assert_int_equal(expr_eval_pred(FN(FN_SQRT, TYPE_DOUBLE, cd(-1)), NULL, &cx), -1);
    assert_string_equal(err.sqlstate, "22012");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_const_and_col, setup, teardown),
        cmocka_unit_test_setup_teardown(test_and_or_truth_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_and_is, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strictness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comparisons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_casts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_math, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_trunc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_now_and_to_timestamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pred, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
