/*
 * executor/runtime_int.h — shared inside executor/ only: the runtime
 * objects behind streams, views and subscriptions.
 *
 * Memory (CONVENTIONS §4): each open window ("slot") owns an arena holding
 * all of its groups; closing the window frees it at once. Closed windows'
 * final rows live in one small arena each until retention expires them.
 * Each changelog entry owns an arena for its rows' text.
 */
#ifndef SL_RUNTIME_INT_H
#define SL_RUNTIME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/errors.h"
#include "executor/executor.h"
#include "executor/executor_int.h"

typedef struct ExStream ExStream;
typedef struct ExView ExView;

/* Changelog row operations. */
enum { OP_FINAL = 0, OP_UPSERT = 1, OP_DELETE = 2 };

struct Subscription {
    Subscription *next;
    Executor *x;
    ExStream *stream;          /* owner when subscribed to a stream */
    ExView *view;              /* owner when subscribed to a view */
    PlanEmitMode mode;
    const PlanExpr *where;     /* borrowed from the PlanSubscribe */
    int64_t limit;             /* -1 = unbounded */
    int64_t sent;
    int64_t timeout_us;        /* -1 = none */
    int64_t last_activity;     /* monotonic µs */
    const SubscriberOps *ops;
    void *ctx;
    bool dead;                 /* ended; unlinked after the delivery loop */
    Arena *scratch;
};

struct ExStream {
    CatObject *cat;
    Executor *x;
    int64_t max_ts;            /* max event time seen; valid when has_ts */
    int64_t wm;                /* watermark, never decreasing (INT64_MIN before any event) */
    bool has_ts;
    int64_t events, late, null_time, batches;
    uint64_t offset;           /* events passed to exec_ingest so far = the log's next offset */
    int64_t last_arrival;      /* monotonic µs */
    ExView **views;
    int nviews, capviews;
    Subscription *subs;
    int64_t *wm_after;         /* per accepted event: the watermark after it (EVERY ROW) */
    Value *packed;             /* accepted events when some of a batch were dropped */
    int cap;                   /* capacity of both, in events */
};

/* One group of a windowed or unwindowed aggregate: the stored keys (GROUP
 * BY values other than window_start / window_end, which the window itself
 * holds) then the aggregate states (at ExView.agg_off[i] bytes from the
 * start). */
typedef struct Group {
    uint32_t hash;             /* group_hash folded to 32 bits: table index and quick check */
    uint8_t dirty;             /* changed since the last trigger (when tracking) */
    uint8_t emitted;           /* present in the result as the subscribers know it */
    uint16_t unused;
    Value keys[];              /* 8 bytes of header before: a COUNT/SUM group is 48 bytes */
} Group;

/* An open window: its groups in an open-addressing table. */
typedef struct Slot {
    int64_t start, end;        /* unwindowed: INT64_MIN, INT64_MAX */
    Arena *arena;              /* every Group of this window */
    Group **table;
    size_t cap, n;
} Slot;

/* A closed window's final rows, kept for pull queries until retention. */
typedef struct Closed {
    struct Closed *next;
    int64_t end;
    Arena *arena;
    Value *rows;               /* nrows * ncols */
    int nrows;
} Closed;

/* One epoch's emitted rows. */
typedef struct Entry {
    struct Entry *next;
    int64_t epoch;
    int64_t wall_us;
    Arena *arena;              /* text of the rows, and the arrays */
    uint8_t *ops;
    Value *vals;               /* nrows * ncols */
    int nrows, cap;
    size_t bytes;
} Entry;

struct ExView {
    CatObject *cat;
    const PlanView *p;
    ExStream *src;
    Executor *x;
    int64_t wm;                /* the watermark as of the last trigger */
    int64_t epoch;
    int64_t checkpoint_epoch;  /* the epoch the last checkpoint holds */
    bool pending;              /* input since the last trigger */
    int64_t next_fire;         /* EVERY: monotonic deadline */

    /* aggregation */
    Slot **slots;              /* open windows, sorted by start */
    int nslots, capslots;
    Closed *closed, *closed_tail;
    int64_t closed_rows;
    size_t group_size;
    size_t *agg_off;
    bool has_text_state;       /* a min/max over TEXT: release states one by one */
    bool track;                /* mark changed groups (UPDATE / COMPLETE consumers) */
    struct DirtyRef { Group *g; Slot *s; } *dirty;
    int ndirty, capdirty;
    int nstored;               /* GROUP BY values kept in each Group */
    int8_t *key_src;           /* per GROUP BY item: -1 window_start, -2 window_end, else
                                  the index among the stored keys */
    int n_update_subs, n_complete_subs;
    int64_t state_bytes;

    /* rows produced since the last trigger (non-aggregating views) */
    Entry *building;
    bool changed;              /* a group was updated since the last trigger */
    /* EVERY / ON DEMAND views: events received since the last trigger, applied
     * when it fires, so the result table is the one as of the last trigger */
    Entry *inbox;

    /* changelog, oldest first */
    Entry *log, *log_tail;
    size_t log_bytes;
    int64_t log_dropped;       /* the newest epoch trimmed from the changelog (0: none) */
    int64_t hold_floor;        /* a durable consumer needs the entries after this epoch (-1: none) */
    int64_t hold_cap;          /* ... as long as the changelog stays within this many bytes */

    Subscription *subs;

    /* statistics */
    int64_t rows_in, rows_out, errors, windows_closed;
    char last_error[256];
    bool failed;

    /* scratch, reused per batch */
    Arena *scratch;
    Value *wrow;               /* the windowed row */
    Value *arow;               /* the agg row */
    Value *orow;               /* an output row */
};

struct Executor {
    ExStream **streams;
    int nstreams, capstreams;
    ExView **views;
    int nviews, capviews;
    int64_t now_mono;
    ExecMarkFn mark;
    void *mark_ctx;
};

/* executor/view.c */
ExView *view_new(Executor *x, CatObject *cat, ExStream *src);
void view_free(ExView *v);
void view_push(ExView *v, const Value *rows, int nrows, int ncols);
void view_fire(ExView *v, int64_t wm);
void view_fail(ExView *v, SqlError *err);
typedef void (*ViewRowFn)(void *ctx, const Value *row);
void view_snapshot(ExView *v, ViewRowFn fn, void *ctx);
void view_set_tracking(ExView *v);

/* executor/groups.c */
Slot *slot_find(ExView *v, int64_t start, int64_t end, bool create);
Group *slot_group(ExView *v, Slot *s, const Value *keys, uint32_t hash, bool *created);
void slot_free(ExView *v, Slot *s);
Group **slot_sorted_groups(const ExView *v, const Slot *s);
uint32_t group_hash(const Value *keys, int n);
void *group_state(const ExView *v, Group *g, int i);
int group_output(ExView *v, Slot *s, Group *g, Arena *a, Value *out, bool *visible);

/* executor/subscribe.c */
Entry *entry_new(void);
void entry_add(Entry *e, int op, const Value *vals, int ncols);
void entry_free(Entry *e);
void view_publish(ExView *v, Entry *e);
void stream_publish(ExStream *s, const Value *rows, int nrows);
void subs_end_all(Subscription **list, const SqlError *err);
void subs_reap(Subscription **list);
int64_t subs_tick(Subscription *list, int64_t now, int64_t next);
void changelog_trim(ExView *v);

/* executor/pull.c */
int rows_sort(Value **rows, int64_t nrows, int ncols, const PlanOrder *order, int norder);

#endif
