/*
 * server/engine_int.h — shared inside server/ only: the Engine (catalog,
 * executor, data directory) and its durability operations (server/durable.c).
 */
#ifndef SL_ENGINE_INT_H
#define SL_ENGINE_INT_H

#include <stdbool.h>

#include "executor/executor.h"
#include "planner/catalog.h"
#include "server/commands.h"
#include "storage/store.h"

struct SqlError;

/* A batch in the stream log's write buffer, waiting for the group's fsync;
 * `done` acknowledges it (or reports the failure) once that is decided. */
typedef void (*IngestDoneFn)(void *ctx, CatObject *stream, const IngestResult *res,
                             const struct SqlError *err);
typedef struct PendingBatch {
    struct PendingBatch *next;
    CatObject *stream;
    struct Arena *arena;      /* the rows' copy */
    Value *rows;
    int nrows;
    IngestDoneFn done;
    void *ctx;                /* NULL once the client is gone: still ingested, not answered */
} PendingBatch;

struct Engine {
    Catalog *cat;
    Executor *x;
    Store *store;
    char *data_dir;
    bool fsync;
    int64_t checkpoint_interval_us;  /* 0 = only at DROP and shutdown */
    int64_t last_checkpoint_us;      /* monotonic */
    bool dirty;                      /* ingested (or fired) since the last checkpoint */
    bool recovered;                  /* start-up finished: shutdown may checkpoint */
    PendingBatch *pending, *pending_tail; /* group commit: appended, not yet synced */
    struct SinkSet *sinks;           /* server/sinks.c */
    struct PgCatalog *pgcat;         /* catalog emulation (server/pgcatalog.h), made on first use */
};

/* Start-up: the catalog snapshot, then every stream log replayed through the
 * views (each view joining its stream at the offset it was created at), so
 * the views, their epochs and changelogs are what they were. */
int engine_recover(Engine *e, struct SqlError *err);

/* Writes a checkpoint of every stream and view, then deletes the log
 * segments it makes unnecessary. */
int engine_checkpoint(Engine *e, struct SqlError *err);

/* The catalog as it is, minus `skip` (objects being dropped), made durable. */
int engine_save_catalog(Engine *e, CatObject *const *skip, int nskip, struct SqlError *err);

/* A new stream's log (a leftover directory of a dropped namesake is removed). */
int engine_open_stream_log(Engine *e, CatObject *stream, struct SqlError *err);
void engine_drop_stream_log(Engine *e, CatObject *stream);

/* Makes a batch durable in the stream's log, then runs it through the views:
 * the acknowledgement point of INSERT and COPY. Nothing is ingested when the
 * log cannot take the batch (53100 disk full, 58030 I/O error). */
int engine_ingest(Engine *e, CatObject *stream, const Value *rows, int nrows, IngestResult *res,
                  struct SqlError *err);

/* Group commit: the batch goes into the log's write buffer now; at the next
 * engine_flush one fsync per stream makes every batch appended since durable,
 * then they run through the views in order and `done` acknowledges each.
 * Returns the pending batch (its ctx may be cleared if the client leaves), or
 * NULL with err set when it cannot even be appended. */
PendingBatch *engine_ingest_deferred(Engine *e, CatObject *stream, const Value *rows, int nrows,
                                     IngestDoneFn done, void *ctx, struct SqlError *err);

/* Syncs and applies every pending batch. Called before anything that must
 * see the log and the views in step: other statements, timed decisions,
 * checkpoints, and before the loop sleeps. */
void engine_flush(Engine *e);

#endif
