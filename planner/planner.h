/*
 * planner/planner.h — AST + catalog → checked definitions and plans.
 *
 * Every rule of DESIGN §1.6 is checked here, at CREATE time, with an error
 * that names the problem and, where it can, the fix.
 *
 * INTERFACE
 *   plan_create_stream   CREATE STREAM → a new CatObject (not yet in the catalog); NULL with no
 *                        error set when IF NOT EXISTS found it existing (same for views)
 *   plan_create_view     CREATE VIEW   → a new CatObject with its PlanView
 *   plan_create_sink     CREATE SINK   → a new CatObject with its PlanSink
 *   plan_insert          INSERT        → target stream + one bound expression per value
 *   plan_copy            COPY FROM STDIN → target stream, column mapping and format
 *   plan_select          SELECT        → a PlanPull
 *   plan_subscribe       SUBSCRIBE     → a PlanSubscribe
 *   plan_explain_view    the operator tree of a view, one line per Buf line
 *   plan_mode_name / plan_trigger_text   names for SHOW and EXPLAIN
 *   plan_parse_interval_option  an interval given as a WITH option value
 */
#ifndef SL_PLANNER_H
#define SL_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/ast.h"
#include "planner/catalog.h"
#include "planner/plan.h"

struct Arena;
struct Buf;
struct SqlError;

/* Parameters ($1..$n) of a statement, passed to plan_insert / plan_select /
 * plan_subscribe (NULL: none; then $n is 42P02).
 * Inferring (values == NULL): each $n binds as a parameter node; types[n-1] is
 * TYPE_UNKNOWN until the context settles it (like an untyped literal), and the
 * planner records what it settled. ntypes grows (in arena a) to the highest $n seen.
 * Executing (values != NULL): $n binds as the constant values[n-1] of type types[n-1];
 * every type must be known and n <= ntypes. */
typedef struct PlanParams {
    struct Arena *a;
    int ntypes;
    SlType *types;
    const Value *values;
} PlanParams;

CatObject *plan_create_stream(const Catalog *cat, const AstStmt *s, const char *sql,
                              struct SqlError *err);
CatObject *plan_create_view(const Catalog *cat, const AstStmt *s, const char *sql,
                            struct SqlError *err);
/* CREATE SINK → a new CAT_SINK object with its PlanSink (planner/sink.c); the
 * caller sets start_offset (the view's epoch) and incarnation. */
CatObject *plan_create_sink(const Catalog *cat, const AstStmt *s, const char *sql,
                            struct SqlError *err);

/* INSERT: `rows` receives nrows * stream->ncols bound constant expressions in
 * the stream's column order (omitted columns are NULL constants); the
 * executor evaluates them. Returns memory owned by `a`. */
typedef struct PlanInsert {
    CatObject *stream;
    int nrows;
    PlanExpr **values;
} PlanInsert;
int plan_insert(const Catalog *cat, const AstStmt *s, PlanParams *params, struct Arena *a,
                PlanInsert *out, struct SqlError *err);

typedef struct PlanCopy {
    CatObject *stream;
    int ncols;          /* columns present in the data */
    int *col_map;       /* data column i → stream column col_map[i] */
    bool csv;
    bool header;
    char delimiter;
    const char *null_str;
} PlanCopy;
int plan_copy(const Catalog *cat, const AstStmt *s, struct Arena *a, PlanCopy *out,
              struct SqlError *err);

PlanPull *plan_select(const Catalog *cat, const AstSelect *sel, PlanParams *params,
                      struct Arena *a, struct SqlError *err);
PlanSubscribe *plan_subscribe(const Catalog *cat, const AstStmt *s, PlanParams *params,
                              struct Arena *a, struct SqlError *err);


void plan_explain_view(const CatObject *view, const CatObject *source, struct Buf *out);
const char *plan_mode_name(PlanEmitMode m);
void plan_trigger_text(const PlanView *p, struct Buf *out);
void plan_expr_text(const PlanExpr *e, const char *const *colnames, struct Buf *out);

#endif
