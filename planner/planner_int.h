/*
 * planner/planner_int.h — shared inside planner/ only: the expression binder.
 *
 * A Binder resolves names against one row scope (the input, windowed, or a
 * view's output row) and, in aggregate context, maps GROUP BY expressions
 * and aggregate calls onto the agg row (groups..., aggregates...).
 */
#ifndef SL_PLANNER_INT_H
#define SL_PLANNER_INT_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/errors.h"
#include "parser/ast.h"
#include "planner/catalog.h"
#include "planner/plan.h"

typedef struct Binder {
    Arena *a;
    SqlError *err;
    /* the row scope */
    int ncols;
    const char *const *names;
    const SlType *types;
    const char *qual;        /* object name accepted as a qualifier */
    const char *alias;       /* FROM alias accepted as a qualifier, or NULL */
    /* aggregate context: set while binding targets / HAVING of a grouped query */
    bool agg;
    int ngroups;
    PlanExpr **groups;
    int naggs, cap_aggs;
    PlanAgg *aggs;
    const char *clause;      /* "WHERE", "GROUP BY", ... where aggregates are not allowed */
    struct PlanParams *params; /* $n of the statement (extended protocol), NULL = none */
    int depth;
} Binder;

PlanExpr *bind_expr(Binder *b, const AstExpr *e);
PlanExpr *bind_coerce(Binder *b, PlanExpr *p, SlType target, const char *what);
PlanExpr *bind_const(Arena *a, Value v, int32_t pos);
PlanExpr *bind_col(Arena *a, int col, SlType type, int32_t pos);
bool bind_expr_equal(const PlanExpr *x, const PlanExpr *y);
bool bind_is_aggregate_name(const char *name);
bool bind_contains_aggregate(const AstExpr *e);
int bind_literal_value(Binder *b, const AstExpr *e, Value *out);
int bind_const_int(Binder *b, const AstExpr *e, const char *what, int64_t *out);
int bind_interval_value(Binder *b, const AstExpr *e, const char *what, bool allow_zero,
                        int64_t *out);
const char *bind_str(Arena *a, Str s);

/* planner/stmt.c: shared by the CREATE planners */
bool plan_str_eq(Str s, const char *lit);
const char *plan_option_text(Arena *a, const AstOption *o, SqlError *err);
int plan_option_interval(Arena *a, const AstOption *o, int64_t *out, SqlError *err);
/* 42P07 when taken (IF NOT EXISTS: *exists set instead, no error); 42602 for a bad name */
CatObject *plan_object_new(CatKind kind, Str name, const char *sql);
int plan_check_name(const Catalog *cat, Str name, bool if_not_exists, bool *exists,
                    SqlError *err);

#endif
