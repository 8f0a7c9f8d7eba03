/*
 * parser/grammar.y — the sluice dialect as a lemon LALR(1) grammar.
 *
 * Built by the Makefile into build/parser/grammar.{c,h}; lemon fails the build
 * on any conflict. The generated API (ParserInit, Parser, ParserFinalize) is
 * wrapped by parser/parse.c and seen nowhere else.
 *
 * Rules of this file (CONVENTIONS §5):
 *   - actions build AST and nothing else: one ast_* / pz_* call or a plain fill;
 *   - every non-reserved keyword is in %fallback ID below and marked
 *     KW_UNRESERVED in keywords.c (test_parser checks both agree);
 *   - EMIT and EVERY are not in %fallback: they may follow an alias, and
 *     lemon's default reductions would hide them there (the alias ID would win).
 *     parse.c resolves them, like every non-reserved word, by lookahead.
 *   - the %token order below is the order of "expected one of" hints.
 *
 * INTERFACE (in %code at the end)
 *   parser_engine_size / _init / _feed / _finalize   the engine, allocated by the caller
 *   parser_engine_accepts    would a token be shifted here (no actions run)
 *   parser_token_fallback / parser_token_count       the %fallback table, for tests
 */

%include {
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "parser/parser_int.h"
#include "common/arena.h"

#define YYNOERRORRECOVERY 1
#define YYMALLOCARGTYPE size_t
}

%name Parser
%token_prefix TK_
%token_type {Token}
%extra_context {ParseCtx *ctx}
%stack_size 1000
%start_symbol input

%stack_overflow { pz_stack_overflow(ctx); }
%syntax_error { (void)yymajor; pz_syntax_error(ctx, &TOKEN); }

/* Terminals in hint order: clause keywords first, then the rest, punctuation,
 * then identifiers and literals (lemon numbers terminals in order of appearance). */
%token FROM WHERE GROUP HAVING ORDER LIMIT OFFSET EMIT EVERY ON WITH AS BY
       SELECT CREATE DROP INSERT INTO VALUES COPY SUBSCRIBE SHOW DESCRIBE EXPLAIN REFRESH SET
       BEGIN START COMMIT END ROLLBACK ABORT
       STREAM VIEW TABLE SINK STREAMS VIEWS TABLES SINKS QUERIES STATUS ALL KEY
       APPEND UPDATE COMPLETE ROW DEMAND EPOCH WATERMARK FOR TO
       IF NOT EXISTS OR REPLACE CASCADE RESTRICT ANALYZE
       DISTINCT ASC DESC NULLS FIRST LAST
       AND IS NULL TRUE FALSE BETWEEN IN LIKE ILIKE ISNULL NOTNULL
       CASE WHEN THEN ELSE CAST EXTRACT TIMESTAMP INTERVAL DATE
       SECOND SECONDS MINUTE MINUTES HOUR HOURS DAY DAYS WEEK WEEKS MONTH MONTHS YEAR YEARS
       MILLISECOND MILLISECONDS MICROSECOND MICROSECONDS
       PRECISION WITHOUT TIME ZONE
       STDIN STDOUT CSV HEADER DELIMITER FORMAT
       DECLARE CURSOR FETCH CLOSE FORWARD NO SCROLL HOLD
       SESSION LOCAL DEFAULT TRANSACTION WORK ISOLATION LEVEL
       LISTEN UNLISTEN NOTIFY RESET DISCARD DEALLOCATE PREPARE CHARACTERISTICS
       LP RP COMMA SEMI DOT STAR EQ NE LT LE GT GE PLUS MINUS SLASH PERCENT CONCAT DCOLON
       NOT_LA WITH_LA UMINUS
       ID INTEGER FLOAT STRING PARAM.

/* Every KW_UNRESERVED keyword of keywords.c, and nothing else (test_parser checks).
 * Such a word is an identifier wherever the grammar has no use for the keyword. */
%fallback ID
    ABORT ANALYZE APPEND BEGIN CASCADE CHARACTERISTICS CLOSE COMMIT COMPLETE COPY CSV CURSOR
    DATE DAY DAYS DEALLOCATE
    DECLARE DELIMITER DEMAND DESCRIBE DISCARD EPOCH EXISTS EXPLAIN EXTRACT FETCH FIRST FORMAT
    FORWARD HEADER HOLD HOUR HOURS IF INTERVAL ISOLATION KEY LAST LEVEL LISTEN LOCAL MICROSECOND
    MICROSECONDS MILLISECOND MILLISECONDS MINUTE MINUTES MONTH MONTHS NO NOTIFY NULLS PRECISION
    PREPARE QUERIES REFRESH REPLACE RESET RESTRICT ROLLBACK ROW SCROLL SECOND SECONDS SESSION
    SET SHOW SINK SINKS START
    STATUS STDIN STDOUT STREAM STREAMS SUBSCRIBE
    TABLE TABLES TIME TIMESTAMP TRANSACTION UNLISTEN UPDATE VIEW VIEWS WATERMARK WEEK WEEKS
    WITHOUT WORK YEAR YEARS ZONE.

/* PostgreSQL's precedence, lowest first; || binds like + and -. NOT_LA is a NOT
 * that the lexer saw followed by LIKE/ILIKE/BETWEEN/IN. */
%left OR.
%left AND.
%right NOT.
%nonassoc IS ISNULL NOTNULL.
%nonassoc EQ NE LT GT LE GE.
%nonassoc BETWEEN IN LIKE ILIKE NOT_LA.
%left PLUS MINUS CONCAT.
%left STAR SLASH PERCENT.
%right UMINUS.
%left DCOLON.

%include {
#define NOSTR ((Str){NULL, 0, -1})
#define NOLIST ((AstExprList){NULL, 0})
}

/* ================================================================ statements */

input ::= cmdlist.
cmdlist ::= cmdlist ecmd.
cmdlist ::= ecmd.
ecmd ::= SEMI.
ecmd ::= cmd(C) SEMI(S).                  { pz_add_stmt(ctx, C, S.stmt_pos, S.stmt_end); }

%type cmd {AstStmt *}
cmd(A) ::= select(S).                     { A = pz_select_stmt(ctx, S); }
cmd(A) ::= create(X).                     { A = X; }
cmd(A) ::= EXPLAIN(E) analyze(Z) explainable(X).
                                          { A = pz_explain(ctx, E.s.pos, Z, X); }

%type explainable {AstStmt *}
explainable(A) ::= select(S).             { A = pz_select_stmt(ctx, S); }
explainable(A) ::= create(X).             { A = X; }

%type analyze {bool}
analyze(A) ::= .                          { A = false; }
analyze(A) ::= ANALYZE.                   { A = true; }

/* ---------------------------------------------------------------- CREATE */

%type create {AstStmt *}
create(A) ::= CREATE(C) STREAM ifnotexists(E) nm(N) LP stream_body(B) RP with(W).
                                          { A = pz_create_stream(ctx, C.s.pos, N, E, B, W, NULL); }
create(A) ::= CREATE(C) STREAM ifnotexists(E) nm(N) with(W) AS select(S).
                                          { A = pz_create_stream(ctx, C.s.pos, N, E, (StreamBody){{NULL, 0}, {NULL, 0, -1}, NULL, -1}, W, S); }
create(A) ::= CREATE(C) orreplace(R) VIEW ifnotexists(E) nm(N) with(W) AS select(S).
                                          { A = pz_create_view(ctx, C.s.pos, N, R, E, W, S); }

/* CREATE SINK s FROM v INTO POSTGRES (conninfo '...', table 't') [EMIT mode] [KEY (a, b)]
 * [WITH (create_table = true)] */
create(A) ::= CREATE(C) SINK ifnotexists(E) nm(N) FROM nm(V) INTO nm(T) LP options(O) RP sub_emit(M) sink_key(K) with(W).
                                          { A = pz_create_sink(ctx, C.s.pos, N, E, V, T, O, M, K, W); }

%type sink_key {NameList}
sink_key(A) ::= .                         { A = (NameList){NULL, 0}; }
sink_key(A) ::= KEY LP names(X) RP.       { A = X; }

%type ifnotexists {bool}
ifnotexists(A) ::= .                      { A = false; }
ifnotexists(A) ::= IF NOT EXISTS.         { A = true; }

%type orreplace {bool}
orreplace(A) ::= .                        { A = false; }
orreplace(A) ::= OR REPLACE.              { A = true; }

%type stream_body {StreamBody}
stream_body(A) ::= coldefs(C).            { A = C; }
stream_body(A) ::= coldefs(C) COMMA WATERMARK(W) FOR nm(N) AS expr(X).
                                          { A = C; A.wm_column = N; A.wm_expr = X; A.wm_pos = W.s.pos; }

%type coldefs {StreamBody}
coldefs(A) ::= coldef(X).                 { A = (StreamBody){{NULL, 0}, NOSTR, NULL, -1}; PZ_APPEND(ctx, A.cols, X); }
coldefs(A) ::= coldefs(A) COMMA coldef(X). { PZ_APPEND(ctx, A.cols, X); }

%type coldef {AstColumnDef}
coldef(A) ::= nm(N) typename(T) nullable(X). { A = (AstColumnDef){N, T, N.pos, X}; }

%type nullable {bool}
nullable(A) ::= .                         { A = false; }
nullable(A) ::= NULL.                     { A = false; }
nullable(A) ::= NOT NULL.                 { A = true; }

/* Type names are words; the planner maps them (bigint, double precision, ...). */
%type typename {Str}
typename(A) ::= ID(X).                    { A = X.s; }
typename(A) ::= ID(X) LP INTEGER RP.      { A = X.s; }
typename(A) ::= ID(X) PRECISION.          { A = pz_type_name(ctx, X.s, "precision"); }
typename(A) ::= ID(X) WITH_LA TIME ZONE.  { A = pz_type_name(ctx, X.s, "with time zone"); }
typename(A) ::= ID(X) WITHOUT TIME ZONE.  { A = pz_type_name(ctx, X.s, "without time zone"); }

%type with {AstOptionList}
with(A) ::= .                             { A = (AstOptionList){NULL, 0}; }
with(A) ::= WITH LP options(X) RP.        { A = X; }

%type options {AstOptionList}
options(A) ::= option(X).                 { A = (AstOptionList){NULL, 0}; PZ_APPEND(ctx, A, X); }
options(A) ::= options(A) COMMA option(X). { PZ_APPEND(ctx, A, X); }

%type option {AstOption}
option(A) ::= optkey(K) EQ optval(V).     { A = pz_option(K, V); }
option(A) ::= optkey(K) optval(V).        { A = pz_option(K, V); }
option(A) ::= optkey(K).                  { A = pz_option(K, pz_bool(ctx, true, K.pos)); }

/* Keys are identifiers or any keyword. */
%type optkey {Str}
optkey(A) ::= nm(N).                      { A = N; }
optkey(A) ::= ALL|AND|AS|ASC|BETWEEN|BY|CASE|CAST|CREATE|DEFAULT|DESC|DISTINCT|DROP|ELSE|END|FALSE|FOR|FROM|GROUP|HAVING|ILIKE|IN|INSERT|INTO|IS|ISNULL|LIKE|LIMIT|NOT|NOTNULL|NULL|OFFSET|ON|OR|ORDER|SELECT|THEN|TO|TRUE|VALUES|WHEN|WHERE|WITH|EMIT|EVERY(K).
                                          { A = K.s; }

%type optval {AstExpr *}
optval(A) ::= sliteral(X).                { A = X; }
optval(A) ::= nm(N).                      { A = ast_column(ctx->a, NOSTR, N, N.pos); }
optval(A) ::= ON(O).                      { A = ast_column(ctx->a, NOSTR, O.s, O.s.pos); }

/* ---------------------------------------------------------------- INSERT, COPY */

cmd(A) ::= INSERT(I) INTO nm(N) collist(L) VALUES rows(R).
                                          { A = pz_insert(ctx, I.s.pos, N, L, R); }

%type collist {NameList}
collist(A) ::= .                          { A = (NameList){NULL, 0}; }
collist(A) ::= LP names(X) RP.            { A = X; }

%type names {NameList}
names(A) ::= nm(X).                       { A = (NameList){NULL, 0}; PZ_APPEND(ctx, A, X); }
names(A) ::= names(A) COMMA nm(X).        { PZ_APPEND(ctx, A, X); }

%type rows {RowList}
rows(A) ::= LP exprlist(X) RP.            { A = (RowList){NULL, 0}; PZ_APPEND(ctx, A, X); }
rows(A) ::= rows(A) COMMA LP exprlist(X) RP. { PZ_APPEND(ctx, A, X); }

cmd(A) ::= COPY(C) nm(N) collist(L) FROM STDIN copyopts(O).
                                          { A = pz_copy(ctx, C.s.pos, N, L, O); }

%type copyopts {AstOptionList}
copyopts(A) ::= .                         { A = (AstOptionList){NULL, 0}; }
copyopts(A) ::= WITH LP options(X) RP.    { A = X; }
copyopts(A) ::= LP options(X) RP.         { A = X; }
copyopts(A) ::= legacy(X).                { A = X; }
copyopts(A) ::= WITH legacy(X).           { A = X; }

/* COPY ... FROM STDIN [WITH] CSV [HEADER] [DELIMITER [AS] 'c'] [NULL [AS] 's'] */
%type legacy {AstOptionList}
legacy(A) ::= legacy_opt(X).              { A = (AstOptionList){NULL, 0}; PZ_APPEND(ctx, A, X); }
legacy(A) ::= legacy(A) legacy_opt(X).    { PZ_APPEND(ctx, A, X); }

%type legacy_opt {AstOption}
legacy_opt(A) ::= CSV(C).                 { A = pz_option(pz_str("format", C.s.pos), ast_literal(ctx->a, AST_LIT_STRING, pz_str("csv", C.s.pos), C.s.pos)); }
legacy_opt(A) ::= HEADER(H).              { A = pz_option(H.s, pz_bool(ctx, true, H.s.pos)); }
legacy_opt(A) ::= DELIMITER(D) as_opt STRING(S). { A = pz_option(D.s, ast_literal(ctx->a, AST_LIT_STRING, S.s, S.s.pos)); }
legacy_opt(A) ::= NULL(D) as_opt STRING(S). { A = pz_option(D.s, ast_literal(ctx->a, AST_LIT_STRING, S.s, S.s.pos)); }

as_opt ::= .
as_opt ::= AS.

/* ---------------------------------------------------------------- SUBSCRIBE */

cmd(A) ::= subscribe(X).                  { A = X; }

%type subscribe {AstStmt *}
subscribe(A) ::= SUBSCRIBE(S) to_opt nm(N) sub_emit(M) where(W) from_epoch(F) limit(L) with(O).
                                          { A = pz_subscribe(ctx, S.s.pos, N, M, W, F, L, O); }

/* COPY (SUBSCRIBE ...) TO STDOUT [WITH (FORMAT csv)]: the same rows as COPY data. */
cmd(A) ::= COPY(C) LP subscribe(S) RP TO STDOUT copyopts(O).
                                          { A = pz_copy_out(ctx, C.s.pos, S, O); }

/* DECLARE c [NO SCROLL] CURSOR [WITH HOLD | WITHOUT HOLD] FOR SUBSCRIBE ...: a
 * subscription whose rows wait on the server until FETCH. */
cmd(A) ::= DECLARE(D) nm(N) noscroll CURSOR hold FOR subscribe(S).
                                          { A = pz_declare(ctx, D.s.pos, N, S); }

noscroll ::= .
noscroll ::= NO SCROLL.

hold ::= .
hold ::= WITH HOLD.
hold ::= WITHOUT HOLD.

/* FETCH [FORWARD] n [FROM | IN] c, FETCH [FORWARD] ALL [FROM | IN] c */
cmd(A) ::= FETCH(F) fetch_count(K) from_in nm(N).
                                          { A = pz_fetch(ctx, F.s.pos, K, N); }

%type fetch_count {Str}
fetch_count(A) ::= INTEGER(X).            { A = X.s; }
fetch_count(A) ::= FORWARD INTEGER(X).    { A = X.s; }
fetch_count(A) ::= ALL.                   { A = NOSTR; }
fetch_count(A) ::= FORWARD ALL.           { A = NOSTR; }

from_in ::= .
from_in ::= FROM.
from_in ::= IN.

cmd(A) ::= CLOSE(C) nm(N).                { A = pz_close(ctx, C.s.pos, N); }
cmd(A) ::= CLOSE(C) ALL.                  { A = pz_close(ctx, C.s.pos, NOSTR); }

to_opt ::= .
to_opt ::= TO.

%type sub_emit {AstEmit}
sub_emit(A) ::= .                         { A = pz_emit(AST_EMIT_DEFAULT, -1, AST_TRIGGER_DEFAULT, NULL, -1); }
sub_emit(A) ::= emit_mode(M).             { A = M; }

%type from_epoch {AstExpr *}
from_epoch(A) ::= .                       { A = NULL; }
from_epoch(A) ::= FROM EPOCH expr(X).     { A = X; }

/* ---------------------------------------------------------------- utility statements */

cmd(A) ::= SHOW(S) STREAMS.               { A = pz_show(ctx, S.s.pos, AST_SHOW_STREAMS, NOSTR); }
cmd(A) ::= SHOW(S) VIEWS.                 { A = pz_show(ctx, S.s.pos, AST_SHOW_VIEWS, NOSTR); }
cmd(A) ::= SHOW(S) TABLES.                { A = pz_show(ctx, S.s.pos, AST_SHOW_TABLES, NOSTR); }
cmd(A) ::= SHOW(S) SINKS.                 { A = pz_show(ctx, S.s.pos, AST_SHOW_SINKS, NOSTR); }
cmd(A) ::= SHOW(S) QUERIES.               { A = pz_show(ctx, S.s.pos, AST_SHOW_QUERIES, NOSTR); }
cmd(A) ::= SHOW(S) ALL.                   { A = pz_show(ctx, S.s.pos, AST_SHOW_ALL, NOSTR); }
cmd(A) ::= SHOW(S) nm(N) STATUS.          { A = pz_show(ctx, S.s.pos, AST_SHOW_STATUS, N); }
cmd(A) ::= SHOW(S) nm(N).                 { A = pz_show(ctx, S.s.pos, AST_SHOW_PARAM, N); }
cmd(A) ::= SHOW(S) nm(N) DOT nm(M).       { A = pz_show(ctx, S.s.pos, AST_SHOW_PARAM, pz_dotted(ctx, N, M)); }
cmd(A) ::= SHOW(S) TRANSACTION(T) ISOLATION LEVEL.
                                          { A = pz_show(ctx, S.s.pos, AST_SHOW_PARAM, pz_str("transaction_isolation", T.s.pos)); }
cmd(A) ::= SHOW(S) TIME(T) ZONE.          { A = pz_show(ctx, S.s.pos, AST_SHOW_PARAM, pz_str("timezone", T.s.pos)); }

cmd(A) ::= DESCRIBE(D) nm(N).             { A = pz_stmt(ctx, AST_DESCRIBE, D.s.pos); A->describe.name = N; }
cmd(A) ::= REFRESH(R) VIEW nm(N).         { A = pz_stmt(ctx, AST_REFRESH, R.s.pos); A->refresh.name = N; }

cmd(A) ::= DROP(D) objkind(K) ifexists(E) nm(N) cascade(C).
                                          { A = pz_drop(ctx, D.s.pos, K, E, N, C); }

%type objkind {AstObjKind}
objkind(A) ::= STREAM.                    { A = AST_OBJ_STREAM; }
objkind(A) ::= VIEW.                      { A = AST_OBJ_VIEW; }
objkind(A) ::= TABLE.                     { A = AST_OBJ_TABLE; }
objkind(A) ::= SINK.                      { A = AST_OBJ_SINK; }

%type ifexists {bool}
ifexists(A) ::= .                         { A = false; }
ifexists(A) ::= IF EXISTS.                { A = true; }

%type cascade {bool}
cascade(A) ::= .                          { A = false; }
cascade(A) ::= CASCADE.                   { A = true; }
cascade(A) ::= RESTRICT.                  { A = false; }

cmd(A) ::= SET(S) scope(L) nm(N) setto setvalue(V). { A = pz_set(ctx, S.s.pos, N, V, L); }
cmd(A) ::= SET(S) scope(L) nm(N) DOT nm(M) setto setvalue(V).
                                          { A = pz_set(ctx, S.s.pos, pz_dotted(ctx, N, M), V, L); }
cmd(A) ::= SET(S) scope(L) TIME(T) ZONE setvalue(V).
                                          { A = pz_set(ctx, S.s.pos, pz_str("timezone", T.s.pos), V, L); }

%type scope {bool}
scope(A) ::= .                            { A = false; }
scope(A) ::= SESSION.                     { A = false; }
scope(A) ::= LOCAL.                       { A = true; }

setto ::= EQ.
setto ::= TO.

%type setvalue {AstExpr *}
setvalue(A) ::= DEFAULT.                  { A = NULL; }
setvalue(A) ::= setlist(X).               { A = X; }

/* SET search_path = a, b keeps the first value. */
%type setlist {AstExpr *}
setlist(A) ::= setval(X).                 { A = X; }
setlist(A) ::= setlist(A) COMMA setval.

%type setval {AstExpr *}
setval(A) ::= sliteral(X).                { A = X; }
setval(A) ::= nm(N).                      { A = ast_column(ctx->a, NOSTR, N, N.pos); }
setval(A) ::= ON(O).                      { A = ast_column(ctx->a, NOSTR, O.s, O.s.pos); }

cmd(A) ::= BEGIN(B) work otmodes(M).      { A = pz_txn(ctx, B.s.pos, AST_TXN_BEGIN); A->txn_modes = M; }
cmd(A) ::= START(B) TRANSACTION otmodes(M). { A = pz_txn(ctx, B.s.pos, AST_TXN_BEGIN); A->txn_modes = M; }
cmd(A) ::= COMMIT(B) work.                { A = pz_txn(ctx, B.s.pos, AST_TXN_COMMIT); }
cmd(A) ::= END(B) work.                   { A = pz_txn(ctx, B.s.pos, AST_TXN_COMMIT); }
cmd(A) ::= ROLLBACK(B) work.              { A = pz_txn(ctx, B.s.pos, AST_TXN_ROLLBACK); }
cmd(A) ::= ABORT(B) work.                 { A = pz_txn(ctx, B.s.pos, AST_TXN_ROLLBACK); }

work ::= .
work ::= WORK.
work ::= TRANSACTION.

/* Transaction modes (ISOLATION LEVEL ..., READ ONLY, [NOT] DEFERRABLE) are kept
 * as a span of the source text; the server checks the words. */
%type otmodes {Str}
otmodes(A) ::= .                          { A = NOSTR; }
otmodes(A) ::= tmodes(X).                 { A = X; }

%type tmodes {Str}
tmodes(A) ::= tword(X).                   { A = X; }
tmodes(A) ::= tmodes(A) tword(X).         { A = pz_span(A, X); }
tmodes(A) ::= tmodes(A) COMMA tword(X).   { A = pz_span(A, X); }

%type tword {Str}
tword(A) ::= ID(X).                       { A = pz_token_span(ctx, &X); }
tword(A) ::= NOT(X).                      { A = pz_token_span(ctx, &X); }

cmd(A) ::= SET(S) TRANSACTION tmodes(M).  { A = pz_session(ctx, S.s.pos, AST_SESS_SET_TXN, NOSTR, M); }
cmd(A) ::= SET(S) SESSION CHARACTERISTICS AS TRANSACTION tmodes(M).
                                          { A = pz_session(ctx, S.s.pos, AST_SESS_SET_SESSION_TXN, NOSTR, M); }
cmd(A) ::= RESET(R) nm(N).                { A = pz_session(ctx, R.s.pos, AST_SESS_RESET, N, NOSTR); }
cmd(A) ::= RESET(R) nm(N) DOT nm(M).      { A = pz_session(ctx, R.s.pos, AST_SESS_RESET, pz_dotted(ctx, N, M), NOSTR); }
cmd(A) ::= RESET(R) TIME(T) ZONE.         { A = pz_session(ctx, R.s.pos, AST_SESS_RESET, pz_str("timezone", T.s.pos), NOSTR); }
cmd(A) ::= RESET(R) ALL.                  { A = pz_session(ctx, R.s.pos, AST_SESS_RESET_ALL, NOSTR, NOSTR); }
cmd(A) ::= DISCARD(D) ALL.                { A = pz_session(ctx, D.s.pos, AST_SESS_DISCARD_ALL, NOSTR, NOSTR); }
cmd(A) ::= DISCARD(D) nm(N).              { A = pz_session(ctx, D.s.pos, AST_SESS_DISCARD, N, NOSTR); }
cmd(A) ::= DEALLOCATE(D) prepare_opt nm(N). { A = pz_session(ctx, D.s.pos, AST_SESS_DEALLOCATE, N, NOSTR); }
cmd(A) ::= DEALLOCATE(D) prepare_opt ALL. { A = pz_session(ctx, D.s.pos, AST_SESS_DEALLOCATE_ALL, NOSTR, NOSTR); }

prepare_opt ::= .
prepare_opt ::= PREPARE.

/* ---------------------------------------------------------------- LISTEN / NOTIFY */

cmd(A) ::= LISTEN(L) nm(N).               { A = pz_session(ctx, L.s.pos, AST_SESS_LISTEN, N, NOSTR); }
cmd(A) ::= UNLISTEN(L) nm(N).             { A = pz_session(ctx, L.s.pos, AST_SESS_UNLISTEN, N, NOSTR); }
cmd(A) ::= UNLISTEN(L) STAR.              { A = pz_session(ctx, L.s.pos, AST_SESS_UNLISTEN_ALL, NOSTR, NOSTR); }
cmd(A) ::= NOTIFY(L) nm(N).               { A = pz_session(ctx, L.s.pos, AST_SESS_NOTIFY, N, NOSTR); }
cmd(A) ::= NOTIFY(L) nm(N) COMMA STRING(P). { A = pz_session(ctx, L.s.pos, AST_SESS_NOTIFY, N, P.s); }

/* ================================================================ SELECT */

%type select {AstSelect *}
select(A) ::= SELECT(S) distinct(D) targets(T) from(F) where(W) group(G) having(H) order(O) limit(L) offset(OF) emit(E).
                                          { A = pz_select(ctx, S.s.pos, D, T, F, W, G, H, O, L, OF, E); }

%type distinct {bool}
distinct(A) ::= .                         { A = false; }
distinct(A) ::= ALL.                      { A = false; }
distinct(A) ::= DISTINCT.                 { A = true; }

%type targets {TargetList}
targets(A) ::= target(X).                 { A = (TargetList){NULL, 0}; PZ_APPEND(ctx, A, X); }
targets(A) ::= targets(A) COMMA target(X). { PZ_APPEND(ctx, A, X); }

%type target {AstTarget}
target(A) ::= STAR(S).                    { A = (AstTarget){ast_star(ctx->a, NOSTR, S.s.pos), NOSTR}; }
target(A) ::= nm(Q) DOT STAR.             { A = (AstTarget){ast_star(ctx->a, Q, Q.pos), NOSTR}; }
target(A) ::= expr(E) alias(N).           { A = (AstTarget){E, N}; }

%type alias {Str}
alias(A) ::= .                            { A = NOSTR; }
alias(A) ::= AS nm(N).                    { A = N; }
alias(A) ::= ID(N).                       { A = N.s; }

/* Joins and subqueries will be further from_item rules. */
%type from {AstFrom *}
from(A) ::= .                             { A = NULL; }
from(A) ::= FROM from_item(X).            { A = X; }

%type from_item {AstFrom *}
from_item(A) ::= nm(N) alias(L).          { A = pz_from(ctx, AST_FROM_NAME, N, NOLIST, L); }
from_item(A) ::= nm(N) LP RP alias(L).    { A = pz_from(ctx, AST_FROM_FUNC, N, NOLIST, L); }
from_item(A) ::= nm(N) LP exprlist(X) RP alias(L). { A = pz_from(ctx, AST_FROM_FUNC, N, X, L); }

%type where {AstExpr *}
where(A) ::= .                            { A = NULL; }
where(A) ::= WHERE expr(X).               { A = X; }

%type group {AstExprList}
group(A) ::= .                            { A = NOLIST; }
group(A) ::= GROUP BY exprlist(X).        { A = X; }

%type having {AstExpr *}
having(A) ::= .                           { A = NULL; }
having(A) ::= HAVING expr(X).             { A = X; }

%type order {OrderList}
order(A) ::= .                            { A = (OrderList){NULL, 0}; }
order(A) ::= ORDER BY orderlist(X).       { A = X; }

%type orderlist {OrderList}
orderlist(A) ::= orderitem(X).            { A = (OrderList){NULL, 0}; PZ_APPEND(ctx, A, X); }
orderlist(A) ::= orderlist(A) COMMA orderitem(X). { PZ_APPEND(ctx, A, X); }

%type orderitem {AstOrderItem}
orderitem(A) ::= expr(E) desc(D) nulls(N). { A = (AstOrderItem){E, D, N}; }

%type desc {bool}
desc(A) ::= .                             { A = false; }
desc(A) ::= ASC.                          { A = false; }
desc(A) ::= DESC.                         { A = true; }

%type nulls {int}
nulls(A) ::= .                            { A = 0; }
nulls(A) ::= NULLS FIRST.                 { A = 1; }
nulls(A) ::= NULLS LAST.                  { A = 2; }

%type limit {AstExpr *}
limit(A) ::= .                            { A = NULL; }
limit(A) ::= LIMIT expr(X).               { A = X; }

%type offset {AstExpr *}
offset(A) ::= .                           { A = NULL; }
offset(A) ::= OFFSET expr(X).             { A = X; }

/* [EMIT mode] [EVERY interval | EVERY ROW | ON DEMAND] */
%type emit {AstEmit}
emit(A) ::= .                             { A = pz_emit(AST_EMIT_DEFAULT, -1, AST_TRIGGER_DEFAULT, NULL, -1); }
emit(A) ::= emit_mode(M).                 { A = M; }
emit(A) ::= emit_mode(M) trigger(T).      { A = pz_emit_merge(M, T); }
emit(A) ::= trigger(T).                   { A = T; }

%type emit_mode {AstEmit}
emit_mode(A) ::= EMIT(E) APPEND.          { A = pz_emit(AST_EMIT_APPEND, E.s.pos, AST_TRIGGER_DEFAULT, NULL, -1); }
emit_mode(A) ::= EMIT(E) UPDATE.          { A = pz_emit(AST_EMIT_UPDATE, E.s.pos, AST_TRIGGER_DEFAULT, NULL, -1); }
emit_mode(A) ::= EMIT(E) COMPLETE.        { A = pz_emit(AST_EMIT_COMPLETE, E.s.pos, AST_TRIGGER_DEFAULT, NULL, -1); }

%type trigger {AstEmit}
trigger(A) ::= EVERY(E) ROW.              { A = pz_emit(AST_EMIT_DEFAULT, -1, AST_TRIGGER_EVERY_ROW, NULL, E.s.pos); }
trigger(A) ::= EVERY(E) expr(X).          { A = pz_emit(AST_EMIT_DEFAULT, -1, AST_TRIGGER_EVERY, X, E.s.pos); }
trigger(A) ::= ON(O) DEMAND.              { A = pz_emit(AST_EMIT_DEFAULT, -1, AST_TRIGGER_ON_DEMAND, NULL, O.s.pos); }

/* ================================================================ expressions */

%type nm {Str}
nm(A) ::= ID(X).                          { A = X.s; }

%type exprlist {AstExprList}
exprlist(A) ::= expr(X).                  { A = ast_list_append(ctx->a, NOLIST, X); }
exprlist(A) ::= exprlist(A) COMMA expr(X). { A = ast_list_append(ctx->a, A, X); }

%type expr {AstExpr *}
expr(A) ::= literal(X).                   { A = X; }
expr(A) ::= LP expr(X) RP.                { A = X; }
expr(A) ::= nm(N).                        { A = ast_column(ctx->a, NOSTR, N, N.pos); }
expr(A) ::= nm(Q) DOT nm(N).              { A = ast_column(ctx->a, Q, N, Q.pos); }
expr(A) ::= nm(N) LP RP.                  { A = ast_func(ctx->a, N, NOLIST, false, false); }
expr(A) ::= nm(N) LP STAR RP.             { A = ast_func(ctx->a, N, NOLIST, true, false); }
expr(A) ::= nm(N) LP exprlist(X) RP.      { A = ast_func(ctx->a, N, X, false, false); }
expr(A) ::= nm(N) LP DISTINCT exprlist(X) RP. { A = ast_func(ctx->a, N, X, false, true); }
expr(A) ::= PARAM(P).                    { A = pz_param(ctx, &P); }
expr(A) ::= CAST(C) LP expr(X) AS typename(T) RP. { A = ast_cast(ctx->a, X, T, C.s.pos); }
expr(A) ::= expr(X) DCOLON typename(T).   { A = ast_cast(ctx->a, X, T, X->pos); }
expr(A) ::= EXTRACT(E) LP nm(F) FROM expr(X) RP. { A = pz_extract(ctx, E.s.pos, F, X); }
expr(A) ::= EXTRACT(E) LP STRING(F) FROM expr(X) RP. { A = pz_extract(ctx, E.s.pos, F.s, X); }
expr(A) ::= CASE(C) case_operand(O) whens(W) case_else(E) END. { A = pz_case(ctx, C.s.pos, O, W, E); }

expr(A) ::= expr(L) OR expr(R).           { A = ast_binary(ctx->a, AST_OP_OR, L, R); }
expr(A) ::= expr(L) AND expr(R).          { A = ast_binary(ctx->a, AST_OP_AND, L, R); }
expr(A) ::= NOT(N) expr(X).               { A = ast_unary(ctx->a, AST_OP_NOT, X, N.s.pos); }
expr(A) ::= expr(L) EQ expr(R).           { A = ast_binary(ctx->a, AST_OP_EQ, L, R); }
expr(A) ::= expr(L) NE expr(R).           { A = ast_binary(ctx->a, AST_OP_NE, L, R); }
expr(A) ::= expr(L) LT expr(R).           { A = ast_binary(ctx->a, AST_OP_LT, L, R); }
expr(A) ::= expr(L) LE expr(R).           { A = ast_binary(ctx->a, AST_OP_LE, L, R); }
expr(A) ::= expr(L) GT expr(R).           { A = ast_binary(ctx->a, AST_OP_GT, L, R); }
expr(A) ::= expr(L) GE expr(R).           { A = ast_binary(ctx->a, AST_OP_GE, L, R); }
expr(A) ::= expr(L) PLUS expr(R).         { A = ast_binary(ctx->a, AST_OP_ADD, L, R); }
expr(A) ::= expr(L) MINUS expr(R).        { A = ast_binary(ctx->a, AST_OP_SUB, L, R); }
expr(A) ::= expr(L) CONCAT expr(R).       { A = ast_binary(ctx->a, AST_OP_CONCAT, L, R); }
expr(A) ::= expr(L) STAR expr(R).         { A = ast_binary(ctx->a, AST_OP_MUL, L, R); }
expr(A) ::= expr(L) SLASH expr(R).        { A = ast_binary(ctx->a, AST_OP_DIV, L, R); }
expr(A) ::= expr(L) PERCENT expr(R).      { A = ast_binary(ctx->a, AST_OP_MOD, L, R); }
expr(A) ::= MINUS(M) expr(X). [UMINUS]    { A = ast_unary(ctx->a, AST_OP_NEG, X, M.s.pos); }
expr(A) ::= PLUS(M) expr(X). [UMINUS]     { A = ast_unary(ctx->a, AST_OP_PLUS, X, M.s.pos); }

expr(A) ::= expr(X) IS NULL.              { A = ast_is(ctx->a, X, AST_IS_NULL, false); }
expr(A) ::= expr(X) IS NOT NULL.          { A = ast_is(ctx->a, X, AST_IS_NULL, true); }
expr(A) ::= expr(X) IS TRUE.              { A = ast_is(ctx->a, X, AST_IS_TRUE, false); }
expr(A) ::= expr(X) IS NOT TRUE.          { A = ast_is(ctx->a, X, AST_IS_TRUE, true); }
expr(A) ::= expr(X) IS FALSE.             { A = ast_is(ctx->a, X, AST_IS_FALSE, false); }
expr(A) ::= expr(X) IS NOT FALSE.         { A = ast_is(ctx->a, X, AST_IS_FALSE, true); }
expr(A) ::= expr(X) ISNULL.               { A = ast_is(ctx->a, X, AST_IS_NULL, false); }
expr(A) ::= expr(X) NOTNULL.              { A = ast_is(ctx->a, X, AST_IS_NULL, true); }

expr(A) ::= expr(X) BETWEEN expr(L) AND expr(H). [BETWEEN]
                                          { A = ast_between(ctx->a, X, L, H, false); }
expr(A) ::= expr(X) NOT_LA BETWEEN expr(L) AND expr(H). [BETWEEN]
                                          { A = ast_between(ctx->a, X, L, H, true); }
expr(A) ::= expr(X) IN LP exprlist(L) RP. { A = ast_in(ctx->a, X, L, false); }
expr(A) ::= expr(X) NOT_LA IN LP exprlist(L) RP. { A = ast_in(ctx->a, X, L, true); }
expr(A) ::= expr(X) LIKE expr(P).         { A = ast_like(ctx->a, X, P, false, false); }
expr(A) ::= expr(X) NOT_LA LIKE expr(P).  { A = ast_like(ctx->a, X, P, true, false); }
expr(A) ::= expr(X) ILIKE expr(P).        { A = ast_like(ctx->a, X, P, false, true); }
expr(A) ::= expr(X) NOT_LA ILIKE expr(P). { A = ast_like(ctx->a, X, P, true, true); }

%type case_operand {AstExpr *}
case_operand(A) ::= .                     { A = NULL; }
case_operand(A) ::= expr(X).              { A = X; }

%type whens {WhenList}
whens(A) ::= WHEN expr(C) THEN expr(R).   { A = (WhenList){NULL, 0}; PZ_APPEND(ctx, A, ((AstWhen){C, R})); }
whens(A) ::= whens(A) WHEN expr(C) THEN expr(R). { PZ_APPEND(ctx, A, ((AstWhen){C, R})); }

%type case_else {AstExpr *}
case_else(A) ::= .                        { A = NULL; }
case_else(A) ::= ELSE expr(X).            { A = X; }

%type literal {AstExpr *}
literal(A) ::= INTEGER|FLOAT(X).          { A = pz_number(ctx, &X); }
literal(A) ::= STRING(X).                 { A = ast_literal(ctx->a, AST_LIT_STRING, X.s, X.s.pos); }
literal(A) ::= TRUE(X).                   { A = pz_bool(ctx, true, X.s.pos); }
literal(A) ::= FALSE(X).                  { A = pz_bool(ctx, false, X.s.pos); }
literal(A) ::= NULL(X).                   { A = ast_literal(ctx->a, AST_LIT_NULL, X.s, X.s.pos); }
literal(A) ::= TIMESTAMP(T) STRING(X).    { A = ast_typed_literal(ctx->a, T.s, X.s, NOSTR, T.s.pos); }
literal(A) ::= DATE(T) STRING(X).         { A = ast_typed_literal(ctx->a, T.s, X.s, NOSTR, T.s.pos); }
literal(A) ::= INTERVAL(T) STRING(X) unit(U). { A = ast_typed_literal(ctx->a, T.s, X.s, U, T.s.pos); }

%type unit {Str}
unit(A) ::= .                             { A = NOSTR; }
unit(A) ::= SECOND|SECONDS|MINUTE|MINUTES|HOUR|HOURS|DAY|DAYS|WEEK|WEEKS|MONTH|MONTHS|YEAR|YEARS|MILLISECOND|MILLISECONDS|MICROSECOND|MICROSECONDS(U).
                                          { A = U.s; }

/* A literal with an optional sign (option and SET values). */
%type sliteral {AstExpr *}
sliteral(A) ::= literal(X).               { A = X; }
sliteral(A) ::= MINUS(M) INTEGER|FLOAT(X). { A = ast_unary(ctx->a, AST_OP_NEG, pz_number(ctx, &X), M.s.pos); }
sliteral(A) ::= PLUS(M) INTEGER|FLOAT(X). { A = ast_unary(ctx->a, AST_OP_PLUS, pz_number(ctx, &X), M.s.pos); }

/* ================================================================ engine access */

%code {
size_t
parser_engine_size(void)
{
    return sizeof(yyParser);
}

void
parser_engine_init(void *engine, ParseCtx *ctx)
{
    ParserInit(engine, ctx);
}

void
parser_engine_feed(void *engine, int code, Token t)
{
    Parser(engine, code, t);
}

void
parser_engine_finalize(void *engine)
{
    ParserFinalize(engine);
}

/* yy_find_shift_action without %fallback. */
static YYACTIONTYPE
find_action_exact(YYCODETYPE la, YYACTIONTYPE st)
{
    if (st > YY_MAX_SHIFT)
        return st;
    int i = yy_shift_ofst[st] + la;
    if (yy_lookahead[i] == la)
        return yy_action[i];
    return yy_default[st];
}

/* Replays lemon's driver (Parser() in lempar.c) on a copy-on-write view of the
 * stack: the real stack is only read, states pushed by the simulation go to
 * `ov`. Default reductions are taken exactly as the real parser would. */
bool
parser_engine_accepts(void *engine, int code, int code2, bool fallback)
{
    enum { OVERLAY = 128 };
    yyParser *p = engine;
    YYACTIONTYPE ov[OVERLAY];
    int nov = 0;
    yyStackEntry *base = p->yytos;
    int toks[2] = {code, code2};
    int ntok = code2 >= 0 ? 2 : 1;

    for (int k = 0; k < ntok; k++) {
        if (toks[k] < 0 || toks[k] >= YYNTOKEN)
            return false;
        YYCODETYPE la = (YYCODETYPE)toks[k];
        for (;;) {
            YYACTIONTYPE st = nov ? ov[nov - 1] : base->stateno;
            YYACTIONTYPE act = fallback ? yy_find_shift_action(la, st) : find_action_exact(la, st);
            if (act >= YY_MIN_REDUCE) {
                unsigned rule = act - YY_MIN_REDUCE;
                int pop = -yyRuleInfoNRhs[rule];
                while (pop-- > 0) {
                    if (nov)
                        nov--;
                    else
                        base--;
                }
                st = nov ? ov[nov - 1] : base->stateno;
                if (nov == OVERLAY)
                    return true; /* deeper than any real rule chain; cannot happen */
                ov[nov++] = yy_find_reduce_action(st, (YYCODETYPE)yyRuleInfoLhs[rule]);
            } else if (act <= YY_MAX_SHIFTREDUCE) {
                if (act > YY_MAX_SHIFT)
                    act += YY_MIN_REDUCE - YY_MIN_SHIFTREDUCE;
                if (nov == OVERLAY)
                    return true;
                ov[nov++] = act;
                break;
            } else if (act == YY_ACCEPT_ACTION) {
                return true;
            } else {
                return false;
            }
        }
    }
    return true;
}

int
parser_token_fallback(int code)
{
    if (code <= 0 || code >= (int)(sizeof yyFallback / sizeof yyFallback[0]))
        return 0;
    return yyFallback[code];
}

int
parser_token_count(void)
{
    return YYNTOKEN;
}
}
