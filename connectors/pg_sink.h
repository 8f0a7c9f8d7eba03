/*
 * connectors/pg_sink.h — one PostgreSQL sink: a view's epochs delivered into
 * a table exactly once, on libpq in non-blocking pipeline mode, driven by the
 * server's event loop (DESIGN §1.2, §4).
 *
 * INTERFACE
 *   pgsink_new / pgsink_free   start (connects at once) / stop a sink
 *   pgsink_on_io               the watched socket is readable / writable
 *   pgsink_poll                the view may have new epochs: start a transaction if idle
 *   pgsink_tick                timed work: retry after the backoff, give up on a silent target
 *   pgsink_deadline            when pgsink_tick has work next (monotonic µs), -1: none
 *   pgsink_status              what SHOW SINKS shows
 *   pgsink_hold                the changelog epoch this sink still needs (-1: none)
 *
 * Exactly once: each transaction carries whole epochs (committed, through]
 * and moves the sink's row in sluice_sink_progress from `committed` to
 * `through` by compare-and-set in the same transaction. On every (re)connect
 * the sink reads that row and resumes after it from the view's changelog, so
 * a transaction whose COMMIT was lost in a crash or a dropped connection is
 * neither repeated nor skipped. A row of a later incarnation of the same
 * sink name (created later) stops this one; an earlier one is taken over.
 *
 * Batching: a transaction takes the epochs after the committed one, oldest
 * first, whole, while their rows stay within batch_rows (at least one epoch);
 * under load several epochs go in one transaction, at idle each epoch goes
 * as soon as it is emitted.
 */
#ifndef SL_PG_SINK_H
#define SL_PG_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "planner/catalog.h"

typedef struct PgSink PgSink;

/* The event loop, as the sink sees it. watch() replaces the sink's interest
 * in its socket (read/write); unwatch() is called before the socket closes. */
typedef struct PgSinkHost {
    void *ctx;
    void (*watch)(void *ctx, PgSink *s, int fd, bool read, bool write);
    void (*unwatch)(void *ctx, PgSink *s, int fd);
    /* the committed epoch moved: the changelog may be released up to it */
    void (*progress)(void *ctx, PgSink *s);
} PgSinkHost;

typedef struct PgSinkStatus {
    int64_t committed;        /* epoch committed in the target; -1: not known yet */
    int64_t view_epoch;
    int64_t rows;             /* rows written by this process */
    int64_t transactions;
    int64_t rewrites;         /* UPDATE: fell behind the changelog, table rewritten from the view */
    const char *state;        /* "connecting", "running", "retrying: ...", "failed: ..." */
} PgSinkStatus;

/* `sink` (CAT_SINK) and `view` are borrowed and must outlive the PgSink. */
PgSink *pgsink_new(CatObject *sink, CatObject *view, const PgSinkHost *host);
void pgsink_free(PgSink *s);
void pgsink_on_io(PgSink *s, bool readable, bool writable);
void pgsink_poll(PgSink *s);
void pgsink_tick(PgSink *s, int64_t now_mono_us);
int64_t pgsink_deadline(const PgSink *s);
void pgsink_status(PgSink *s, PgSinkStatus *out);
int64_t pgsink_hold(const PgSink *s);

#endif
