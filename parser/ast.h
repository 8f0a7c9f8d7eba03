/*
 * parser/ast.h — the abstract syntax tree of the sluice dialect.
 *
 * Every node lives in the statement arena and records `pos`, the 0-based
 * byte offset of its first token in the query string, so later stages can
 * point errors at it. The AST is syntax only: names are unresolved slices of
 * the query text (folded to lower case unless quoted), literals are kept as
 * text, and nothing here knows the catalog (DESIGN §2).
 *
 * INTERFACE (parser/ast.c)
 *   ast_* constructors used by the grammar actions (see the bottom of this file)
 *   ast_dump_stmt   a deterministic one-line S-expression of a statement (tests, EXPLAIN debugging)
 */
#ifndef SL_AST_H
#define SL_AST_H

#include <stdbool.h>
#include <stdint.h>

struct Arena;
struct Buf;

/* A slice of text. For identifiers p points to a NUL-terminated, case-folded
 * copy in the arena; for string literals to the unescaped contents. */
typedef struct Str {
    const char *p;
    uint32_t n;
    int32_t pos; /* byte offset in the query, -1 when synthetic */
} Str;

/* ---------------------------------------------------------------- expressions */

/* The highest $n a statement may use (the protocol's 16-bit count). */
#define AST_MAX_PARAMS 65535

typedef enum AstExprKind {
    AST_LITERAL,  /* lit_kind + text (+ type_name and unit for typed literals) */
    AST_COLUMN,   /* [qualifier.]name */
    AST_STAR,     /* * or qualifier.*  (select lists; count(*) sets func.star instead) */
    AST_UNARY,    /* op: AST_OP_NEG, AST_OP_NOT, AST_OP_PLUS */
    AST_BINARY,   /* op: arithmetic, comparison, AND/OR, concatenation */
    AST_FUNC,     /* name(args), count(*), f(DISTINCT x) */
    AST_CAST,     /* CAST(x AS type), x::type */
    AST_IS,       /* x IS [NOT] NULL / TRUE / FALSE */
    AST_BETWEEN,  /* x [NOT] BETWEEN lo AND hi */
    AST_IN,       /* x [NOT] IN (list) */
    AST_LIKE,     /* x [NOT] LIKE / ILIKE pattern */
    AST_CASE,     /* CASE [operand] WHEN .. THEN .. [ELSE ..] END */
    AST_PARAM     /* $n (extended protocol): param.index, 1-based */
} AstExprKind;

typedef enum AstLitKind {
    AST_LIT_NULL,
    AST_LIT_BOOL,    /* text "true" / "false" */
    AST_LIT_INT,     /* decimal digits, no sign */
    AST_LIT_FLOAT,   /* digits with '.' or exponent, no sign */
    AST_LIT_STRING,  /* 'text', unescaped */
    AST_LIT_TYPED    /* TIMESTAMP '...', INTERVAL '...' [unit]: type_name + text (+ unit) */
} AstLitKind;

typedef enum AstOp {
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
    AST_OP_CONCAT,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_AND, AST_OP_OR,
    AST_OP_NEG, AST_OP_NOT, AST_OP_PLUS
} AstOp;

typedef enum AstIsKind { AST_IS_NULL, AST_IS_TRUE, AST_IS_FALSE } AstIsKind;

typedef struct AstExpr AstExpr;

typedef struct AstExprList {
    AstExpr **items;
    int n;
} AstExprList;

typedef struct AstWhen {
    AstExpr *cond;
    AstExpr *result;
} AstWhen;

struct AstExpr {
    AstExprKind kind;
    int32_t pos;
    union {
        struct {
            AstLitKind kind;
            Str text;       /* literal text (unescaped for strings) */
            Str type_name;  /* AST_LIT_TYPED: "timestamp", "interval", ... */
            Str unit;       /* AST_LIT_TYPED interval: SECOND, MINUTE, ... (n = 0 if none) */
        } lit;
        struct {
            Str qualifier;  /* n = 0 if unqualified */
            Str name;
        } column;
        struct {
            Str qualifier;  /* n = 0 for a bare * */
        } star;
        struct {
            AstOp op;
            AstExpr *arg;
        } unary;
        struct {
            AstOp op;
            AstExpr *left, *right;
        } binary;
        struct {
            Str name;
            AstExprList args;
            bool star;      /* count(*) */
            bool distinct;  /* count(DISTINCT x) */
        } func;
        struct {
            AstExpr *arg;
            Str type_name;  /* folded: "bigint", "double precision", ... */
        } cast;
        struct {
            AstExpr *arg;
            AstIsKind what;
            bool negated;
        } is;
        struct {
            AstExpr *arg, *lo, *hi;
            bool negated;
        } between;
        struct {
            AstExpr *arg;
            AstExprList list;
            bool negated;
        } in;
        struct {
            AstExpr *arg, *pattern;
            bool negated;
            bool ilike;
        } like;
        struct {
            int index;         /* 1-based, 1..AST_MAX_PARAMS */
        } param;
        struct {
            AstExpr *operand;  /* NULL for searched CASE */
            AstWhen *whens;
            int nwhens;
            AstExpr *else_expr; /* NULL if absent */
        } case_;
    };
};

/* ---------------------------------------------------------------- clauses */

typedef struct AstOption {  /* WITH (key = value, ...) */
    Str key;
    AstExpr *value;         /* a literal or a bare word (AST_COLUMN) */
    int32_t pos;
} AstOption;

typedef struct AstOptionList {
    AstOption *items;
    int n;
} AstOptionList;

typedef struct AstTarget {  /* one select-list item */
    AstExpr *expr;          /* AST_STAR for * */
    Str alias;              /* n = 0 if none */
} AstTarget;

typedef enum AstFromKind {
    AST_FROM_NAME,  /* a stream or view: name [AS alias] */
    AST_FROM_FUNC   /* a table function: TUMBLE(s, ts, size), HOP(s, ts, slide, size), SESSION(...) */
} AstFromKind;

typedef struct AstFrom {
    AstFromKind kind;
    int32_t pos;
    Str name;           /* object name, or the function name (folded) */
    AstExprList args;   /* AST_FROM_FUNC: arguments as written (the first is usually a name) */
    Str alias;          /* n = 0 if none */
} AstFrom;

typedef struct AstOrderItem {
    AstExpr *expr;
    bool desc;
    int nulls;          /* 0 default, 1 NULLS FIRST, 2 NULLS LAST */
} AstOrderItem;

typedef enum AstEmitMode {
    AST_EMIT_DEFAULT = 0, AST_EMIT_APPEND, AST_EMIT_UPDATE, AST_EMIT_COMPLETE
} AstEmitMode;

typedef enum AstTrigger {
    AST_TRIGGER_DEFAULT = 0,  /* after each ingest batch */
    AST_TRIGGER_EVERY,        /* EVERY <interval> */
    AST_TRIGGER_EVERY_ROW,    /* EVERY ROW */
    AST_TRIGGER_ON_DEMAND     /* ON DEMAND (REFRESH VIEW) */
} AstTrigger;

typedef struct AstEmit {
    AstEmitMode mode;
    int32_t mode_pos;       /* -1 if absent */
    AstTrigger trigger;
    AstExpr *every;         /* AST_TRIGGER_EVERY: the interval expression */
    int32_t trigger_pos;    /* -1 if absent */
} AstEmit;

typedef struct AstSelect {
    int32_t pos;
    bool distinct;
    AstTarget *targets;
    int ntargets;
    AstFrom *from;          /* NULL for SELECT without FROM */
    AstExpr *where;
    AstExprList group_by;
    AstExpr *having;
    AstOrderItem *order;
    int norder;
    AstExpr *limit;         /* NULL if none */
    AstExpr *offset;        /* NULL if none */
    AstEmit emit;           /* EMIT ... / trigger written after the query */
} AstSelect;

typedef struct AstColumnDef {
    Str name;
    Str type_name;          /* folded, multi-word types joined by one space */
    int32_t pos;
    bool not_null;
} AstColumnDef;

/* ---------------------------------------------------------------- statements */

typedef enum AstStmtKind {
    AST_CREATE_STREAM,   /* create_stream */
    AST_CREATE_VIEW,     /* create_view */
    AST_DROP,            /* drop */
    AST_INSERT,          /* insert */
    AST_COPY,            /* copy */
    AST_SELECT,          /* select (a pull query or a constant SELECT) */
    AST_SUBSCRIBE,       /* subscribe */
    AST_SHOW,            /* show */
    AST_DESCRIBE,        /* describe */
    AST_EXPLAIN,         /* explain */
    AST_REFRESH,         /* refresh */
    AST_SET,             /* set */
    AST_TRANSACTION,     /* txn: BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK (no-ops) */
    AST_COPY_OUT,        /* copy_out: COPY (SUBSCRIBE ...) TO STDOUT */
    AST_DECLARE,         /* declare: DECLARE c CURSOR FOR SUBSCRIBE ... */
    AST_FETCH,           /* fetch */
    AST_CLOSE,           /* close */
    AST_CREATE_SINK,     /* create_sink */
    AST_SESSION          /* sess: LISTEN, UNLISTEN, NOTIFY, RESET, DISCARD, DEALLOCATE,
                            SET [SESSION CHARACTERISTICS AS] TRANSACTION */
} AstStmtKind;

typedef enum AstSessKind {
    AST_SESS_LISTEN,          /* LISTEN name */
    AST_SESS_UNLISTEN,        /* UNLISTEN name */
    AST_SESS_UNLISTEN_ALL,    /* UNLISTEN * */
    AST_SESS_NOTIFY,          /* NOTIFY name [, 'payload'] (arg: the payload, n = 0 if none) */
    AST_SESS_RESET,           /* RESET name */
    AST_SESS_RESET_ALL,       /* RESET ALL */
    AST_SESS_DISCARD,         /* DISCARD PLANS | SEQUENCES | TEMP | TEMPORARY (name) */
    AST_SESS_DISCARD_ALL,     /* DISCARD ALL */
    AST_SESS_DEALLOCATE,      /* DEALLOCATE [PREPARE] name */
    AST_SESS_DEALLOCATE_ALL,  /* DEALLOCATE [PREPARE] ALL */
    AST_SESS_SET_TXN,         /* SET TRANSACTION modes (arg: the modes' source text) */
    AST_SESS_SET_SESSION_TXN  /* SET SESSION CHARACTERISTICS AS TRANSACTION modes */
} AstSessKind;

typedef enum AstObjKind {
    AST_OBJ_STREAM, AST_OBJ_VIEW, AST_OBJ_TABLE, AST_OBJ_SINK
} AstObjKind;

typedef enum AstShowKind {
    AST_SHOW_STREAMS, AST_SHOW_VIEWS, AST_SHOW_TABLES, AST_SHOW_SINKS, AST_SHOW_QUERIES,
    AST_SHOW_STATUS,     /* SHOW name STATUS */
    AST_SHOW_PARAM,      /* SHOW name (a run-time parameter, e.g. server_version) */
    AST_SHOW_ALL         /* SHOW ALL */
} AstShowKind;

typedef enum AstTxnKind { AST_TXN_BEGIN, AST_TXN_COMMIT, AST_TXN_ROLLBACK } AstTxnKind;

typedef struct AstStmt AstStmt;

struct AstStmt {
    AstStmtKind kind;
    int32_t pos;            /* offset of the first token */
    int32_t end;            /* offset just past the last token (before ';') */
    union {
        struct {
            Str name;
            bool if_not_exists;
            AstColumnDef *cols;
            int ncols;
            Str wm_column;      /* n = 0 if no WATERMARK clause */
            AstExpr *wm_expr;   /* WATERMARK FOR col AS <expr> */
            int32_t wm_pos;
            AstOptionList with;
            AstSelect *as_select; /* CREATE STREAM s AS SELECT ... (derived stream); NULL otherwise */
        } create_stream;
        struct {
            Str name;
            bool if_not_exists;
            bool or_replace;
            AstOptionList with;  /* CREATE VIEW v WITH (retention = '1 hour') AS ... */
            AstSelect *select;   /* the query; its emit holds EMIT / trigger */
        } create_view;
        struct {
            Str name;
            bool if_not_exists;
            Str view;            /* FROM view */
            Str connector;       /* INTO connector (postgres) */
            AstOptionList target; /* (conninfo '...', table '...') */
            AstEmitMode mode;    /* EMIT mode or AST_EMIT_DEFAULT */
            int32_t mode_pos;
            Str *key;            /* KEY (a, b); nkey = 0 if absent */
            int nkey;
            AstOptionList with;  /* WITH (create_table = true, ...) */
        } create_sink;
        struct {
            AstObjKind what;
            Str name;
            bool if_exists;
            bool cascade;
        } drop;
        struct {
            Str name;
            Str *columns;       /* optional column list */
            int ncolumns;
            AstExprList *rows;  /* VALUES (...), (...) */
            int nrows;
        } insert;
        struct {
            Str name;
            Str *columns;
            int ncolumns;
            AstOptionList with; /* FORMAT csv|text, HEADER, DELIMITER, NULL; legacy "CSV" word too */
        } copy;
        AstSelect *select;
        struct {
            Str name;
            AstEmitMode mode;       /* EMIT mode or AST_EMIT_DEFAULT */
            int32_t mode_pos;
            AstExpr *where;
            AstExpr *from_epoch;    /* FROM EPOCH n, NULL if absent */
            AstExpr *limit;         /* LIMIT n: end after n rows, NULL if absent */
            AstOptionList with;     /* WITH (timeout = '2 seconds') */
        } subscribe;
        struct {
            AstShowKind what;
            Str name;           /* SHOW_STATUS / SHOW_PARAM */
        } show;
        struct {
            Str name;
        } describe;
        struct {
            bool analyze;
            AstStmt *stmt;      /* a SELECT or a CREATE VIEW / CREATE STREAM AS */
        } explain;
        struct {
            Str name;           /* REFRESH VIEW name */
        } refresh;
        struct {
            Str name;
            AstExpr *value;     /* SET name = value | TO value; NULL for DEFAULT */
            bool local;
        } set;
        struct {
            AstTxnKind txn;
            Str txn_modes;      /* BEGIN / START TRANSACTION modes: source text, n = 0 if none */
        };
        struct {
            AstSessKind what;
            Str name;
            Str arg;
        } sess;
        struct {
            AstStmt *sub;       /* an AST_SUBSCRIBE */
            AstOptionList with; /* FORMAT csv|text, HEADER */
        } copy_out;
        struct {
            Str name;
            AstStmt *sub;       /* an AST_SUBSCRIBE */
        } declare;
        struct {
            Str name;
            Str count;          /* digits as written; n = 0 for ALL */
        } fetch;
        struct {
            Str name;           /* n = 0 for CLOSE ALL */
        } close;
    };
};

/* ---------------------------------------------------------------- constructors
 * All return memory owned by `a`. Used by grammar actions, one call each. */

AstExpr *ast_literal(struct Arena *a, AstLitKind kind, Str text, int32_t pos);
AstExpr *ast_typed_literal(struct Arena *a, Str type_name, Str text, Str unit, int32_t pos);
AstExpr *ast_column(struct Arena *a, Str qualifier, Str name, int32_t pos);
AstExpr *ast_star(struct Arena *a, Str qualifier, int32_t pos);
AstExpr *ast_unary(struct Arena *a, AstOp op, AstExpr *arg, int32_t pos);
AstExpr *ast_binary(struct Arena *a, AstOp op, AstExpr *l, AstExpr *r);
AstExpr *ast_func(struct Arena *a, Str name, AstExprList args, bool star, bool distinct);
AstExpr *ast_cast(struct Arena *a, AstExpr *arg, Str type_name, int32_t pos);
AstExpr *ast_is(struct Arena *a, AstExpr *arg, AstIsKind what, bool negated);
AstExpr *ast_between(struct Arena *a, AstExpr *arg, AstExpr *lo, AstExpr *hi, bool negated);
AstExpr *ast_in(struct Arena *a, AstExpr *arg, AstExprList list, bool negated);
AstExpr *ast_param(struct Arena *a, int index, int32_t pos);
AstExpr *ast_like(struct Arena *a, AstExpr *arg, AstExpr *pattern, bool negated, bool ilike);
AstExprList ast_list_append(struct Arena *a, AstExprList l, AstExpr *e);

/* The SQL spelling of an operator: "+", "<>", "AND", "NOT", ... */
const char *ast_op_sql(AstOp op);

/* A deterministic S-expression, e.g.
 * (create_view vwap (select (targets ...) (from (func tumble ...)) ...)). */
void ast_dump_stmt(const AstStmt *s, struct Buf *out);
void ast_dump_expr(const AstExpr *e, struct Buf *out);

#endif
