/*
 * executor/executor.h — the runtime: streams receiving events, continuous
 * views maintaining their result tables, epochs, subscriptions, pull queries.
 *
 * One Executor per server; single-threaded (the server's event loop calls
 * it). It reads plans (planner/plan.h) and catalog objects and never touches
 * sockets or files.
 *
 * INTERFACE
 *   exec_new / exec_free        create / destroy (frees every runtime object)
 *   exec_add_stream             give a new stream its runtime (sets obj->rt)
 *   exec_add_view               start a view over its source stream
 *   exec_drop                   stop a stream or view, ending its subscriptions with an error
 *   exec_ingest                 append events to a stream, in order; fires batch-triggered views
 *   exec_tick                   processing-time work; returns the next deadline
 *   exec_refresh                REFRESH VIEW (the ON DEMAND trigger)
 *   exec_pull                   run a pull query (or a constant SELECT)
 *   exec_eval_const             evaluate a constant expression (INSERT values)
 *   exec_subscribe / exec_unsubscribe   push subscriptions
 *   exec_status                 SHOW <name> STATUS key/value pairs
 *   exec_view_epoch             a view's last epoch
 *   exec_set_mark_hook          be asked to make processing-time decisions durable first
 *   exec_replay_mark            repeat such a decision during recovery
 *   exec_changelog_read / exec_view_table / exec_view_hold   what sinks read (sinkfeed.c)
 */
#ifndef SL_EXECUTOR_H
#define SL_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/value.h"
#include "planner/catalog.h"
#include "planner/plan.h"

struct Arena;
struct SqlError;

typedef struct Executor Executor;
typedef struct Subscription Subscription;

Executor *exec_new(void);
void exec_free(Executor *x);

int exec_add_stream(Executor *x, CatObject *stream, struct SqlError *err);
int exec_add_view(Executor *x, CatObject *view, CatObject *source, struct SqlError *err);
void exec_drop(Executor *x, CatObject *o);

/* What became of the events of one exec_ingest call. */
typedef struct IngestResult {
    int accepted;    /* taken into the stream */
    int late;        /* dropped: event time below the watermark at arrival */
    int null_time;   /* dropped: NULL event time */
} IngestResult;

/* Appends `nrows` events (row-major, stream->ncols values each, types as
 * declared) in order. Lateness is decided per event in this order (DESIGN
 * §1.5). TEXT values are copied; the caller keeps `rows`. Views with the
 * default trigger fire before this returns. Returns 0, or -1 with `err` set
 * (nothing was ingested then). */
int exec_ingest(Executor *x, CatObject *stream, const Value *rows, int nrows, IngestResult *res,
                struct SqlError *err);

/* Processing-time work at monotonic time `now_us`: EVERY triggers, idle
 * timeouts, subscription timeouts. Returns the next monotonic deadline, or
 * -1 when nothing is scheduled. */
int64_t exec_tick(Executor *x, int64_t now_us);

int exec_refresh(Executor *x, CatObject *view, struct SqlError *err);

/* Runs a pull query over `view`'s result table (view NULL: a SELECT without
 * FROM), calling `fn` for each result row (ncols values, borrowed for the
 * call). Returns the number of rows, or -1 with `err` set. */
typedef void (*ExecRowFn)(void *ctx, const Value *row);
int64_t exec_pull(Executor *x, const PlanPull *p, CatObject *view, struct Arena *a, ExecRowFn fn,
                  void *ctx, struct SqlError *err);

int exec_eval_const(const PlanExpr *e, struct Arena *a, Value *out, struct SqlError *err);

/* A subscriber receives each row of each epoch in its mode, as
 * (epoch, op, values). `end` is called exactly once when the subscription
 * ends on the executor's side (LIMIT reached or timeout: err NULL; view
 * dropped or failed: err set); the Subscription is freed right after it.
 * `flush` is called after each delivery burst. */
typedef struct SubscriberOps {
    void (*row)(void *ctx, int64_t epoch, const char *op, const Value *vals, int ncols);
    void (*end)(void *ctx, const struct SqlError *err, int64_t rows);
    void (*flush)(void *ctx);
} SubscriberOps;

/* Starts a subscription. Rows that exist already are sent before this
 * returns when the mode asks for them (UPDATE: the current table as upserts;
 * COMPLETE: the current table; FROM EPOCH n: the retained changelog from
 * epoch n). Returns NULL with `err` set on failure. If the subscription
 * already ended during the call (e.g. LIMIT reached by the replay), `end`
 * has been called and NULL is returned with no error set. */
Subscription *exec_subscribe(Executor *x, CatObject *o, const PlanSubscribe *p,
                             const SubscriberOps *ops, void *ctx, struct SqlError *err);

/* The consumer is gone or cancelled: stop without calling `end`. */
void exec_unsubscribe(Executor *x, Subscription *s);

typedef void (*ExecKvFn)(void *ctx, const char *key, const char *value);
void exec_status(Executor *x, CatObject *o, ExecKvFn fn, void *ctx);

int64_t exec_view_epoch(const CatObject *view);

/* Decisions taken on processing time (an EVERY or ON DEMAND view firing, an
 * idle stream's watermark advancing) are announced to the hook before they
 * take effect: view NULL = stream's watermark advances to wm; else the view
 * fires with watermark wm. A non-zero return cancels the decision (it is
 * tried again at the next tick). Replaying the announced decisions in the
 * same place among the stream's batches (exec_replay_mark) reproduces the
 * same epochs. */
typedef int (*ExecMarkFn)(void *ctx, CatObject *stream, CatObject *view, int64_t wm);
void exec_set_mark_hook(Executor *x, ExecMarkFn fn, void *ctx);
int exec_replay_mark(Executor *x, CatObject *stream, CatObject *view, int64_t wm);

/* Durable consumers (sinks; executor/sinkfeed.c). Changelog rows carry
 * EXEC_OP_FINAL (a final or non-aggregated row), EXEC_OP_UPSERT or
 * EXEC_OP_DELETE (key columns set, NULL elsewhere). */
enum { EXEC_OP_FINAL = 0, EXEC_OP_UPSERT = 1, EXEC_OP_DELETE = 2 };
typedef void (*ExecChangeFn)(void *ctx, int64_t epoch, int op, const Value *vals);
/* Passes the rows of the epochs after `after`, whole epochs, oldest first,
 * stopping before an epoch that would take the count past max_rows (the
 * first one is always taken). *through = the last epoch covered: the view's
 * current epoch when nothing is left. Returns the row count, or -1 when
 * epochs after `after` are no longer retained. */
int64_t exec_changelog_read(CatObject *view, int64_t after, int64_t max_rows, ExecChangeFn fn,
                            void *ctx, int64_t *through);
/* The view's current result table (after its ORDER BY / LIMIT). */
void exec_view_table(CatObject *view, ExecRowFn fn, void *ctx);
/* Keep the changelog entries after epoch `floor_epoch` (-1: no hold) while the
 * changelog is within cap_bytes, whatever the view's retention says. */
void exec_view_hold(CatObject *view, int64_t floor_epoch, int64_t cap_bytes);

/* Checkpoints (executor/checkpoint.c): the whole runtime state, taken
 * between two batches; loaded into freshly created streams and views before
 * the logs are replayed from each stream's offset. */
struct Buf;
void exec_checkpoint_save(Executor *x, struct Buf *out);
int exec_checkpoint_load(Executor *x, const void *data, size_t n, struct SqlError *err);
uint64_t exec_stream_offset(const CatObject *stream);

#endif
