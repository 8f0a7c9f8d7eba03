/*
 * executor/executor_int.h — shared inside executor/ only: expression
 * evaluation, scalar function and aggregate function interfaces.
 */
#ifndef SL_EXECUTOR_INT_H
#define SL_EXECUTOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/value.h"
#include "planner/plan.h"

/* Evaluation context: where results that need memory (TEXT) are allocated,
 * where a runtime error (division by zero, overflow, bad cast) is reported,
 * and the processing time now() returns (fixed per batch, so one batch sees
 * one now()). */
typedef struct EvalCtx {
    Arena *arena;
    SqlError *err;
    int64_t now_us;
    const Value *params;   /* PEXPR_PARAM values ($1 = params[0]); NULL when there are none */
} EvalCtx;

/* Evaluates `e` over `row`. Returns 0, or -1 with cx->err set (the caller
 * skips or fails the row). TEXT results point into the row's memory, the
 * plan's constants or cx->arena. */
int expr_eval(const PlanExpr *e, const Value *row, EvalCtx *cx, Value *out);

/* A predicate: true only when the result is non-NULL and true. -1 on error. */
int expr_eval_pred(const PlanExpr *e, const Value *row, EvalCtx *cx);

/* Scalar function implementations, indexed by FnId. args are already
 * evaluated; for strict functions none is NULL. */
typedef int (*FnImpl)(EvalCtx *cx, const PlanExpr *e, const Value *args, int nargs, Value *out);
extern const FnImpl fn_impls[FN__COUNT];

/* Aggregate functions. A state is a fixed-size blob (agg_state_size bytes,
 * 8-byte aligned) placed inside a group's memory. min/max over TEXT keep
 * their current value in malloc'ed memory: agg_release frees it.
 *   agg_init     set the empty state
 *   agg_step     fold one value in (arg is NULL for count(*)); -1 + err on overflow
 *   agg_combine  fold a partial state into another (for panes / parallel partials)
 *   agg_final    the current result (TEXT points into the state; copy to keep)
 *   agg_release  free what the state owns (no-op for all but TEXT min/max) */
size_t agg_state_size(const PlanAgg *agg);
void agg_init(const PlanAgg *agg, void *state);
int agg_step(const PlanAgg *agg, void *state, const Value *arg, SqlError *err);
int agg_combine(const PlanAgg *agg, void *into, const void *from, SqlError *err);
void agg_final(const PlanAgg *agg, const void *state, Value *out);
void agg_release(const PlanAgg *agg, void *state);
struct Buf;
void agg_save(const PlanAgg *agg, const void *state, struct Buf *out);
int agg_load(const PlanAgg *agg, void *state, const unsigned char **p, const unsigned char *end);

#endif
