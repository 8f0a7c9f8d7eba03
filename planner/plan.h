/*
 * planner/plan.h — the physical plans the planner hands to the executor.
 *
 * Plans are immutable after planning and carry everything the executor
 * needs: resolved column indexes, result types, function ids. The executor
 * reads plan.h and never sees the AST (DESIGN §2).
 *
 * Row layouts the expressions index into:
 *   input row     the source stream's columns, in declaration order
 *   windowed row  the input row + window_start, window_end (when FROM is TUMBLE/HOP)
 *   agg row       the GROUP BY values followed by the aggregate results
 *   output row    the view's columns
 */
#ifndef SL_PLAN_H
#define SL_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/value.h"

/* Scalar functions. The planner chooses the overload (by argument types);
 * the executor implements each id (executor/functions.c). strict = a NULL
 * argument gives NULL without calling the function. */
#define PLAN_FUNCTIONS(X)                                                    \
    /* id              strict */                                             \
    X(FN_ADD_II, 1) X(FN_SUB_II, 1) X(FN_MUL_II, 1) X(FN_DIV_II, 1) X(FN_MOD_II, 1) \
    X(FN_ADD_DD, 1) X(FN_SUB_DD, 1) X(FN_MUL_DD, 1) X(FN_DIV_DD, 1) X(FN_MOD_DD, 1) \
    X(FN_NEG_I, 1) X(FN_NEG_D, 1) X(FN_NEG_V, 1)                              \
    X(FN_ADD_TV, 1) X(FN_SUB_TV, 1) X(FN_SUB_TT, 1)                           \
    X(FN_ADD_VV, 1) X(FN_SUB_VV, 1) X(FN_MUL_VD, 1) X(FN_DIV_VD, 1)           \
    X(FN_EQ, 1) X(FN_NE, 1) X(FN_LT, 1) X(FN_LE, 1) X(FN_GT, 1) X(FN_GE, 1)   \
    X(FN_CAST_BOOL, 1) X(FN_CAST_INT, 1) X(FN_CAST_DOUBLE, 1) X(FN_CAST_TEXT, 1) \
    X(FN_CAST_TS, 1) X(FN_CAST_INTERVAL, 1)                                   \
    X(FN_CONCAT_OP, 1) X(FN_CONCAT, 0) X(FN_LOWER, 1) X(FN_UPPER, 1)          \
    X(FN_LENGTH, 1) X(FN_SUBSTR, 1) X(FN_SPLIT_PART, 1) X(FN_REPLACE, 1)      \
    X(FN_TRIM, 1) X(FN_LIKE, 1) X(FN_ILIKE, 1) X(FN_STRPOS, 1)                \
    X(FN_ABS_I, 1) X(FN_ABS_D, 1) X(FN_ROUND, 1) X(FN_ROUND2, 1) X(FN_FLOOR, 1) \
    X(FN_CEIL, 1) X(FN_SQRT, 1) X(FN_POWER, 1) X(FN_LN, 1) X(FN_EXP, 1)        \
    X(FN_DATE_TRUNC, 1) X(FN_EXTRACT, 1) X(FN_NOW, 0) X(FN_TO_TIMESTAMP, 1)    \
    X(FN_COALESCE, 0) X(FN_NULLIF, 0) X(FN_GREATEST, 0) X(FN_LEAST, 0)

typedef enum FnId {
#define PLAN_FN_ENUM(id, strict) id,
    PLAN_FUNCTIONS(PLAN_FN_ENUM)
#undef PLAN_FN_ENUM
    FN__COUNT
} FnId;

extern const bool plan_fn_strict[FN__COUNT];
extern const char *const plan_fn_name[FN__COUNT];

typedef enum PlanExprKind {
    PEXPR_CONST,   /* constant */
    PEXPR_COL,     /* row[col] */
    PEXPR_FN,      /* fn(args) */
    PEXPR_AND,     /* three-valued AND over args (2) */
    PEXPR_OR,      /* three-valued OR over args (2) */
    PEXPR_NOT,
    PEXPR_IS_NULL,   /* negated → IS NOT NULL */
    PEXPR_IS_TRUE,   /* negated → IS NOT TRUE */
    PEXPR_IS_FALSE,  /* negated → IS NOT FALSE */
    PEXPR_CASE,    /* args: cond1, res1, cond2, res2, ..., [else]; has_else */
    PEXPR_IN,      /* args[0] IN (args[1..]); negated */
    PEXPR_PARAM    /* $n: EvalCtx params[col] (col = n - 1) */
} PlanExprKind;

typedef struct PlanExpr PlanExpr;
struct PlanExpr {
    PlanExprKind kind;
    SlType type;       /* result type */
    int32_t pos;       /* byte position in the defining SQL, for runtime errors */
    bool negated;      /* IS NOT ..., NOT IN */
    bool has_else;     /* PEXPR_CASE */
    int col;           /* PEXPR_COL; PEXPR_PARAM: the 0-based parameter index */
    Value constant;    /* PEXPR_CONST (TEXT payload owned by the plan's arena) */
    FnId fn;           /* PEXPR_FN */
    int nargs;
    PlanExpr **args;
};

typedef enum AggKind {
    AGG_COUNT_STAR,
    AGG_COUNT,      /* count(x): non-NULL x */
    AGG_SUM_INT,    /* bigint → bigint (22003 on overflow) */
    AGG_SUM_DOUBLE, /* double → double */
    AGG_AVG,        /* bigint or double → double */
    AGG_MIN,
    AGG_MAX
} AggKind;

typedef struct PlanAgg {
    AggKind kind;
    PlanExpr *arg;     /* over the windowed row; NULL for count(*) */
    SlType type;       /* result type */
    const char *name;  /* "count", "sum", ... for EXPLAIN */
} PlanAgg;

typedef enum PlanWindowKind { PLAN_WIN_NONE, PLAN_WIN_TUMBLE, PLAN_WIN_HOP } PlanWindowKind;

typedef enum PlanEmitMode { PLAN_EMIT_APPEND = 1, PLAN_EMIT_UPDATE, PLAN_EMIT_COMPLETE } PlanEmitMode;

typedef enum PlanTrigger {
    PLAN_TRIGGER_BATCH,      /* after each ingest batch (the default) */
    PLAN_TRIGGER_EVERY,      /* every every_us of processing time */
    PLAN_TRIGGER_EVERY_ROW,  /* each event is its own batch */
    PLAN_TRIGGER_ON_DEMAND   /* REFRESH VIEW */
} PlanTrigger;

typedef struct PlanOrder {
    int col;           /* output column index */
    bool desc;
    bool nulls_first;
} PlanOrder;

/* A continuous view: source → WHERE → window → [aggregate → HAVING] → project. */
typedef struct PlanView {
    const char *name;
    const char *source;        /* the input stream */
    int in_ncols;
    const SlType *in_types;
    PlanExpr *where;           /* over the windowed row, NULL if none */
    bool where_windowed;       /* reads window_start/window_end: runs after window assignment */

    PlanWindowKind window;
    int wm_col;                /* the stream's WATERMARK column, -1 if none */
    int time_col;              /* input column holding event time */
    int64_t size_us, slide_us; /* TUMBLE: slide == size */

    bool aggregate;
    int ngroups;
    PlanExpr **groups;         /* over the windowed row */
    int window_group;          /* index in groups of window_start or window_end, -1 = unwindowed */
    int naggs;
    PlanAgg *aggs;
    PlanExpr *having;          /* over the agg row, NULL if none */

    int ncols;                 /* output columns */
    PlanExpr **cols;           /* over the agg row (aggregate) or the windowed row */
    const char **names;
    SlType *types;
    bool *is_key;              /* GROUP BY column (UPDATE mode keys) */

    int norder;
    PlanOrder *order;          /* COMPLETE mode only */
    int64_t limit;             /* -1 = none */
    int64_t offset;

    PlanEmitMode mode;
    PlanTrigger trigger;
    int64_t every_us;
    int64_t retention_us;      /* closed windows / rows kept for pull queries */
    int64_t max_state_bytes;   /* 0 = unlimited */
    const char *sql;           /* the CREATE VIEW text */
} PlanView;

/* A pull query: SELECT over a view's result table, or a constant SELECT. */
typedef struct PlanPull {
    const char *view;          /* NULL for SELECT without FROM */
    PlanExpr *where;           /* over the view's output row */
    int ncols;                 /* visible output columns */
    int nhidden;               /* extra sort-key columns after them (ORDER BY a non-output expr) */
    PlanExpr **cols;           /* ncols + nhidden, over the view's output row */
    const char **names;
    SlType *types;
    bool distinct;
    int norder;
    PlanOrder *order;          /* over this query's output row */
    int64_t limit, offset;     /* limit -1 = none */
} PlanPull;

/* SUBSCRIBE v [EMIT mode] [WHERE p] [FROM EPOCH n] [LIMIT n] [WITH (timeout = ...)] */
typedef struct PlanSubscribe {
    const char *view;
    bool is_stream;            /* subscribing to a stream: its events as they arrive */
    PlanEmitMode mode;
    PlanExpr *where;           /* over the view's output row, NULL if none */
    int64_t from_epoch;        /* -1 = live only */
    int64_t limit;             /* -1 = unbounded */
    int64_t timeout_us;        /* end after this long without a row; -1 = never */
} PlanSubscribe;

/* CREATE SINK s FROM v INTO POSTGRES (conninfo '...', table 't') [EMIT mode] [KEY (...)]
 * [WITH (...)]: what the sink delivers and where (connectors/pg_sink.c). */
typedef struct PlanSink {
    const char *view;
    const char *conninfo;      /* as written, password included: never shown */
    const char *table;         /* the target table, as written ("name" or "schema.name") */
    PlanEmitMode mode;
    int nkey;                  /* the key: upsert/delete target, primary key when creating */
    int *key;                  /* indices into the view's output columns */
    bool create_table;         /* create the target table when it is missing */
    int64_t batch_rows;        /* a transaction takes whole epochs up to about this many rows */
    int64_t backlog_bytes;     /* changelog kept for the sink before it falls behind for good */
    int64_t retry_max_us;      /* cap of the exponential retry backoff */
} PlanSink;

#endif
