/*
 * storage/store.h — the data directory: its lock, the catalog snapshot, and
 * one append-only event log per stream (DESIGN §4).
 *
 * Layout of DIR:
 *   LOCK                  flock'ed while a server runs on DIR (a second one refuses to start)
 *   catalog.dat           every stream, view and sink in creation order (atomic rewrite per
 *                         DDL; 0600: a sink's conninfo may hold a password)
 *   streams/<name>/       the stream's log segments, keyed by event offset: a batch record
 *                         per INSERT/COPY ('B' + rowcodec rows), and mark records ('M' +
 *                         watermark + view name) for decisions taken on processing time
 *
 * INTERFACE
 *   store_open / store_close        take / release the data directory
 *   store_load_catalog              the objects of the last catalog snapshot
 *   store_save_catalog              write a new snapshot (durable before it returns)
 *   store_stream_open               open (recover) a stream's log; its next event offset
 *   store_stream_append_nosync / store_stream_sync   a batch into the log; one sync makes
 *                                   every batch appended since durable: the ack point
 *   store_stream_append_mark        make a processing-time decision durable (a timed trigger,
 *                                   an idle watermark advance) so replay repeats it
 *   store_stream_replay             the logged records from an offset on, in order, decoded
 *   store_stream_truncate_before    delete segments a checkpoint has made unnecessary
 *   store_stream_drop               close a stream's log and delete it
 *   store_stream_stats              segments, bytes, offsets
 *   store_stream_close
 */
#ifndef SL_STORE_H
#define SL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/value.h"

struct SqlError;
struct LogRecovery;

typedef struct Store Store;
typedef struct StreamLog StreamLog;

typedef enum StoreKind { STORE_STREAM = 1, STORE_VIEW = 2, STORE_SINK = 3 } StoreKind;

/* One catalog entry: the defining statement, and for a view the offset of
 * its source stream at creation (replay starts feeding it there). */
typedef struct StoreObject {
    StoreKind kind;
    const char *name;
    const char *sql;
    uint64_t start_offset;     /* views: source offset; sinks: the view's epoch at creation */
    uint64_t incarnation;      /* sinks: creation time, wall µs */
} StoreObject;

/* Takes the data directory (creating it), or NULL with err set: another
 * server holds it, or it cannot be created. `fsync` off trades durability
 * for speed (documented in README). */
Store *store_open(const char *dir, bool fsync, struct SqlError *err);
void store_close(Store *s);

/* Returns the objects (memory owned by the store until the next load or
 * close) and their count, 0 for a new directory; -1 with err set on a
 * corrupt snapshot. */
int store_load_catalog(Store *s, StoreObject **objs, int *n, struct SqlError *err);
int store_save_catalog(Store *s, const StoreObject *objs, int n, struct SqlError *err);

StreamLog *store_stream_open(Store *s, const char *name, struct LogRecovery *rep,
                             struct SqlError *err);
void store_stream_close(StreamLog *sl);
uint64_t store_stream_next_offset(const StreamLog *sl);


int store_stream_append_mark(StreamLog *sl, const char *view, int64_t wm, struct SqlError *err);

/* Group commit: append batches (not durable yet), then one sync makes all of
 * them durable (when fsync is on); only then may they be acknowledged. On a
 * failed sync (53100 disk full, 58030 I/O error) none of them is kept. */
int store_stream_append_nosync(StreamLog *sl, const SlType *types, int ncols, const Value *rows,
                               int nrows, struct SqlError *err);
int store_stream_sync(StreamLog *sl, struct SqlError *err);

/* One logged record: a batch (rows != NULL; offset of its first event) or a
 * mark (view "" = the stream's watermark advanced to wm; else that view
 * fired with watermark wm). */
typedef struct StoreRecord {
    uint64_t offset;
    const Value *rows;         /* row-major, borrowed for the call */
    int nrows;
    const char *view;          /* marks */
    int64_t wm;                /* marks */
} StoreRecord;

/* Calls fn for each record in order. A non-zero return from fn stops. */
typedef int (*StoreReplayFn)(void *ctx, const StoreRecord *r);
int store_stream_replay(StreamLog *sl, uint64_t from_offset, const SlType *types, int ncols,
                        StoreReplayFn fn, void *ctx, struct SqlError *err);

/* Deletes the log segments holding only events below `offset` (a checkpoint
 * covers them). */
int store_stream_truncate_before(StreamLog *sl, uint64_t offset, struct SqlError *err);

int store_stream_drop(Store *s, StreamLog *sl, struct SqlError *err);

typedef struct StoreStreamStats {
    uint64_t segments, bytes, records;
    uint64_t first_offset, next_offset;
} StoreStreamStats;
void store_stream_stats(const StreamLog *sl, StoreStreamStats *out);

#endif
