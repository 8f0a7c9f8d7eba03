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

#endif
