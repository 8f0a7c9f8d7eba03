/*
 * executor/checkpoint.c — the executor's state as bytes and back: every
 * stream's position and watermark, every view's windows, groups, aggregate
 * states, closed windows, changelog and pending input (DESIGN §4).
 *
 * INTERFACE (executor.h)
 *   exec_checkpoint_save   serialise everything, at a point between two batches
 *   exec_checkpoint_load   restore it into freshly created streams and views
 *   exec_stream_offset     events a stream has taken in (its log's next offset)
 *
 * The format is private to one build of sluiced (aggregate states are
 * copied as they lie in memory); a version mismatch is refused, and
 * recovery then replays the logs from their start instead.
 */
#include "executor/runtime_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/bytes.h"
#include "common/util.h"

#define CKPT_MAGIC "SLCKPT2\n"

static void
put(Buf *b, const void *p, size_t n)
{
    buf_append(b, p, n);
}

static void
put_i64(Buf *b, int64_t v)
{
    uint8_t x[8];
    le_put_u64(x, (uint64_t)v);
    put(b, x, 8);
}

static void
put_u32(Buf *b, uint32_t v)
{
    uint8_t x[4];
    le_put_u32(x, v);
    put(b, x, 4);
}

static void
put_str(Buf *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    put_u32(b, n);
    put(b, s, n);
}

static void
put_values(Buf *b, const Value *v, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t hdr[2] = {v[i].type, v[i].isnull};
        put(b, hdr, 2);
        if (v[i].isnull)
            continue;
        if (v[i].type == TYPE_TEXT) {
            put_u32(b, v[i].len);
            put(b, v[i].s, v[i].len);
        } else {
            put(b, &v[i].i, 8);
        }
    }
}

static void
put_entry(Buf *b, const Entry *e, int ncols)
{
    put_i64(b, e ? e->epoch : 0);
    put_i64(b, e ? e->wall_us : 0);
    put_u32(b, e ? (uint32_t)e->nrows : 0);
    if (!e)
        return;
    put(b, e->ops, (size_t)e->nrows);
    put_values(b, e->vals, e->nrows * ncols);
}

void
exec_checkpoint_save(Executor *x, Buf *out)
{
    put(out, CKPT_MAGIC, strlen(CKPT_MAGIC));
    put_u32(out, (uint32_t)x->nstreams);
    for (int i = 0; i < x->nstreams; i++) {
        ExStream *s = x->streams[i];
        put_str(out, s->cat->name);
        put_i64(out, (int64_t)s->offset);
        put_i64(out, s->max_ts);
        put_i64(out, s->wm);
        put_i64(out, s->has_ts);
        put_i64(out, s->events);
        put_i64(out, s->late);
        put_i64(out, s->null_time);
        put_i64(out, s->batches);
    }
    put_u32(out, (uint32_t)x->nviews);
    for (int i = 0; i < x->nviews; i++) {
        ExView *v = x->views[i];
        const PlanView *p = v->p;
        v->checkpoint_epoch = v->epoch;
        put_str(out, v->cat->name);
        size_t len_at = out->len;
        put_i64(out, 0); /* the section's length, so a reader can skip a dropped view */
        int64_t scalars[] = {v->epoch, v->wm, v->pending, v->changed, v->rows_in, v->rows_out,
                             v->errors, v->windows_closed, v->failed, v->log_dropped};
        for (size_t k = 0; k < SL_ARRAY_LEN(scalars); k++)
            put_i64(out, scalars[k]);
        put_str(out, v->last_error);
        put_entry(out, v->inbox, p->in_ncols);
        put_u32(out, (uint32_t)v->nslots);
        for (int si = 0; si < v->nslots; si++) {
            Slot *sl = v->slots[si];
            put_i64(out, sl->start);
            put_i64(out, sl->end);
            put_u32(out, (uint32_t)sl->n);
            Group **gs = slot_sorted_groups(v, sl);
            for (size_t gi = 0; gi < sl->n; gi++) {
                Group *g = gs[gi];
                uint8_t flags[2] = {g->dirty, g->emitted};
                put(out, flags, 2);
                put_values(out, g->keys, v->nstored);
                for (int a = 0; a < p->naggs; a++)
                    agg_save(&p->aggs[a], group_state(v, g, a), out);
            }
            free(gs);
        }
        uint32_t nclosed = 0;
        for (Closed *c = v->closed; c; c = c->next)
            nclosed++;
        put_u32(out, nclosed);
        for (Closed *c = v->closed; c; c = c->next) {
            put_i64(out, c->end);
            put_u32(out, (uint32_t)c->nrows);
            put_values(out, c->rows, c->nrows * p->ncols);
        }
        uint32_t nlog = 0;
        for (Entry *e = v->log; e; e = e->next)
            nlog++;
        put_u32(out, nlog);
        for (Entry *e = v->log; e; e = e->next)
            put_entry(out, e, p->ncols);
        int64_t len = (int64_t)(out->len - len_at - 8);
        memcpy(out->data + len_at, &len, 8);
    }
}

/* ------------------------------------------------------------------ loading */

static int64_t
get_i64(ByteReader *r)
{
    return (int64_t)br_u64(r);
}

/* A string borrowed from the buffer, NUL-terminated into `a`. */
static const char *
get_str(ByteReader *r, Arena *a)
{
    uint32_t n = br_u32(r);
    const char *s = br_take(r, n);
    return s ? arena_strndup(a, s, n) : "";
}

/* Values whose TEXT is copied into `a`. */
static void
get_values(ByteReader *r, Value *v, int n, Arena *a)
{
    for (int i = 0; i < n && !r->bad; i++) {
        const uint8_t *hdr = br_take(r, 2);
        if (!hdr)
            return;
        v[i] = val_null((SlType)hdr[0]);
        if (hdr[0] >= TYPE__COUNT) {
            r->bad = true;
            return;
        }
        if (hdr[1])
            continue;
        v[i].isnull = 0;
        if (hdr[0] == TYPE_TEXT) {
            uint32_t len = br_u32(r);
            const char *s = br_take(r, len);
            if (!s)
                return;
            v[i].s = a ? arena_strndup(a, s, len) : s;
            v[i].len = len;
        } else {
            const void *q = br_take(r, 8);
            if (q)
                memcpy(&v[i].i, q, 8);
        }
    }
}

static Entry *
get_entry(ByteReader *r, int ncols)
{
    int64_t epoch = get_i64(r), wall = get_i64(r);
    uint32_t n = br_u32(r);
    if (r->bad || n == 0 || n > (uint32_t)((r->end - r->p) / 2 + 1))
        return NULL;
    Entry *e = entry_new();
    e->epoch = epoch;
    e->wall_us = wall;
    const uint8_t *ops = br_take(r, n);
    Value *row = sl_calloc((size_t)ncols + 1, sizeof(Value));
    for (uint32_t i = 0; i < n && ops && !r->bad; i++) {
        get_values(r, row, ncols, e->arena);
        if (!r->bad)
            entry_add(e, ops[i], row, ncols);
    }
    free(row);
    return e;
}

static ExStream *
find_stream(Executor *x, const char *name)
{
    for (int i = 0; i < x->nstreams; i++)
        if (strcmp(x->streams[i]->cat->name, name) == 0)
            return x->streams[i];
    return NULL;
}

static ExView *
find_view(Executor *x, const char *name)
{
    for (int i = 0; i < x->nviews; i++)
        if (strcmp(x->views[i]->cat->name, name) == 0)
            return x->views[i];
    return NULL;
}

/* Restores into the streams and views that exist (created from the catalog,
 * untouched so far); entries for objects that no longer exist are skipped
 * over. Returns 0, or -1 with err set when the bytes are not a checkpoint of
 * this format. */
int
exec_checkpoint_load(Executor *x, const void *data, size_t n, SqlError *err)
{
    ByteReader r = {data, (const unsigned char *)data + n, false};
    const char *magic = br_take(&r, strlen(CKPT_MAGIC));
    if (!magic || memcmp(magic, CKPT_MAGIC, strlen(CKPT_MAGIC)) != 0) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "not a checkpoint of this version of sluiced");
        return -1;
    }
    Arena *tmp = arena_new(4096);
    uint32_t ns = br_u32(&r);
    for (uint32_t i = 0; i < ns && !r.bad; i++) {
        const char *name = get_str(&r, tmp);
        int64_t f[8];
        for (int k = 0; k < 8; k++)
            f[k] = get_i64(&r);
        ExStream *s = find_stream(x, name);
        if (!s)
            continue;
        s->offset = (uint64_t)f[0];
        s->max_ts = f[1];
        s->wm = f[2];
        s->has_ts = f[3] != 0;
        s->events = f[4];
        s->late = f[5];
        s->null_time = f[6];
        s->batches = f[7];
    }
    uint32_t nv = br_u32(&r);
    Value *keys = NULL;
    for (uint32_t i = 0; i < nv && !r.bad; i++) {
        const char *name = get_str(&r, tmp);
        int64_t len = get_i64(&r);
        ExView *v = find_view(x, name);
        if (!v || v->epoch != 0 || v->rows_in != 0) {
            /* Dropped since (or already running): its bytes are skipped. */
            if (len < 0 || !br_take(&r, (size_t)len))
                r.bad = true;
            continue;
        }
        const PlanView *p = v->p;
        int64_t sc[10];
        for (int k = 0; k < 10; k++)
            sc[k] = get_i64(&r);
        v->epoch = sc[0];
        v->checkpoint_epoch = sc[0];
        v->wm = sc[1];
        v->pending = sc[2] != 0;
        v->changed = sc[3] != 0;
        v->rows_in = sc[4];
        v->rows_out = sc[5];
        v->errors = sc[6];
        v->windows_closed = sc[7];
        v->failed = sc[8] != 0;
        v->log_dropped = sc[9];
        const char *le = get_str(&r, tmp);
        snprintf(v->last_error, sizeof v->last_error, "%s", le);
        v->inbox = get_entry(&r, p->in_ncols);
        uint32_t nslots = br_u32(&r);
        keys = sl_realloc(keys, sizeof(Value) * (size_t)(v->nstored + 1));
        for (uint32_t si = 0; si < nslots && !r.bad; si++) {
            int64_t start = get_i64(&r), end = get_i64(&r);
            uint32_t ng = br_u32(&r);
            Slot *sl = p->window_group < 0 ? v->slots[0] : slot_find(v, start, end, true);
            for (uint32_t gi = 0; gi < ng && !r.bad; gi++) {
                const uint8_t *flags = br_take(&r, 2);
                get_values(&r, keys, v->nstored, NULL);
                if (r.bad || !flags)
                    break;
                bool created;
                Group *g = slot_group(v, sl, keys, group_hash(keys, v->nstored), &created);
                g->emitted = flags[1];
                for (int a = 0; a < p->naggs && !r.bad; a++)
                    if (agg_load(&p->aggs[a], group_state(v, g, a), &r.p, r.end) != 0)
                        r.bad = true;
                if (flags[0]) {
                    /* Between batches nothing is dirty; keep the mark all the same. */
                    v->changed = true;
                }
            }
        }
        uint32_t nclosed = br_u32(&r);
        for (uint32_t ci = 0; ci < nclosed && !r.bad; ci++) {
            Closed *c = sl_calloc(1, sizeof *c);
            c->end = get_i64(&r);
            c->nrows = (int)br_u32(&r);
            if (r.bad || c->nrows < 0 || (size_t)c->nrows > (size_t)(r.end - r.p)) {
                free(c);
                r.bad = true;
                break;
            }
            c->arena = arena_new(4096);
            c->rows = arena_alloc(c->arena, sizeof(Value) * (size_t)(c->nrows + 1) *
                                                (size_t)p->ncols);
            get_values(&r, c->rows, c->nrows * p->ncols, c->arena);
            v->closed_rows += c->nrows;
            if (v->closed_tail)
                v->closed_tail->next = c;
            else
                v->closed = c;
            v->closed_tail = c;
        }
        uint32_t nlog = br_u32(&r);
        for (uint32_t li = 0; li < nlog && !r.bad; li++) {
            Entry *e = get_entry(&r, p->ncols);
            if (!e)
                break;
            if (v->log_tail)
                v->log_tail->next = e;
            else
                v->log = e;
            v->log_tail = e;
            v->log_bytes += e->bytes;
        }
    }
    free(keys);
    arena_free(tmp);
    if (r.bad || r.p != r.end) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "checkpoint is truncated or malformed");
        return -1;
    }
    return 0;
}

uint64_t
exec_stream_offset(const CatObject *stream)
{
    const ExStream *s = stream->rt;
    return s ? s->offset : 0;
}
