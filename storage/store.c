/*
 * storage/store.c — the data directory: lock, catalog snapshot, stream logs
 * (see store.h).
 *
 * catalog.dat: "SLCAT1\n", u32 count, then per object u8 kind, u64 start
 * offset, (sinks only: u64 incarnation), u32 name length, name, u32 sql
 * length, sql; then CRC32C of all that. It is rewritten whole (write temp, fsync, rename, fsync dir) on
 * every DDL: DDL is rare and a snapshot never needs compaction.
 */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/bytes.h"
#include "common/errors.h"
#include "common/util.h"
#include "storage/crc32c.h"
#include "storage/fsutil.h"
#include "storage/log.h"
#include "storage/rowcodec.h"

#define CATALOG_MAGIC "SLCAT1\n"

struct Store {
    char *dir;
    bool fsync;
    int lock_fd;
    Arena *catalog;            /* the last loaded catalog */
};

struct StreamLog {
    Store *store;
    char *dir;
    Log *log;
    uint64_t next_offset;      /* offset the next event will get */
    uint64_t durable_offset;   /* next_offset as of the last successful sync */
    Buf enc;                   /* encoding scratch, reused */
};

Store *
store_open(const char *dir, bool fsync, SqlError *err)
{
    if (fs_mkdirs(dir, fsync, err) != 0)
        return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/LOCK", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "open", path);
        return NULL;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        err_setf(err, ERR_INTERNAL_ERROR, -1,
                 "data directory \"%s\" is in use by another sluiced", dir);
        err_hint(err, "Stop the other server, or start this one with another --data-dir.");
        close(fd);
        return NULL;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* The pid is informative only; the lock is what counts. */
    }
    Store *s = sl_calloc(1, sizeof *s);
    s->dir = sl_strdup(dir);
    s->fsync = fsync;
    s->lock_fd = fd;
    snprintf(path, sizeof path, "%s/streams", dir);
    if (fs_mkdirs(path, fsync, err) != 0) {
        store_close(s);
        return NULL;
    }
    return s;
}

void
store_close(Store *s)
{
    if (!s)
        return;
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the flock */
    arena_free(s->catalog);
    free(s->dir);
    free(s);
}

static void
put_u32(Buf *b, uint32_t v)
{
    uint8_t x[4];
    le_put_u32(x, v);
    buf_append(b, x, 4);
}

static void
put_u64(Buf *b, uint64_t v)
{
    uint8_t x[8];
    le_put_u64(x, v);
    buf_append(b, x, 8);
}

int
store_save_catalog(Store *s, const StoreObject *objs, int n, SqlError *err)
{
    Buf b;
    buf_init(&b);
    buf_puts(&b, CATALOG_MAGIC);
    put_u32(&b, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        buf_put_u8(&b, (uint8_t)objs[i].kind);
        put_u64(&b, objs[i].start_offset);
        if (objs[i].kind == STORE_SINK)
            put_u64(&b, objs[i].incarnation);
        uint32_t ln = (uint32_t)strlen(objs[i].name), ls = (uint32_t)strlen(objs[i].sql);
        put_u32(&b, ln);
        buf_append(&b, objs[i].name, ln);
        put_u32(&b, ls);
        buf_append(&b, objs[i].sql, ls);
    }
    put_u32(&b, crc32c(b.data, b.len));
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog.dat", s->dir);
    int rc = fs_write_file_atomic(path, b.data, b.len, s->fsync, err);
    buf_free(&b);
    return rc;
}

int
store_load_catalog(Store *s, StoreObject **objs, int *n, SqlError *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog.dat", s->dir);
    Buf b;
    buf_init(&b);
    int rc = fs_read_file(path, &b, err);
    *objs = NULL;
    *n = 0;
    if (rc == 1) { /* a new data directory */
        buf_free(&b);
        return 0;
    }
    if (rc != 0) {
        buf_free(&b);
        return -1;
    }
    uint32_t crc;
    if (b.len < strlen(CATALOG_MAGIC) + 8 ||
        memcmp(b.data, CATALOG_MAGIC, strlen(CATALOG_MAGIC)) != 0 ||
        (memcpy(&crc, b.data + b.len - 4, 4), crc != crc32c(b.data, b.len - 4))) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "catalog snapshot \"%s\" is corrupt", path);
        err_hint(err, "It is written atomically, so this is damage from outside sluiced.");
        buf_free(&b);
        return -1;
    }
    arena_free(s->catalog);
    s->catalog = arena_new(8192);
    ByteReader r = {(const unsigned char *)b.data + strlen(CATALOG_MAGIC),
                (const unsigned char *)b.data + b.len - 4, false};
    uint32_t count = br_u32(&r);
    if (count > 1000000)
        r.bad = true;
    StoreObject *out = r.bad ? NULL : ARENA_ARRAY(s->catalog, StoreObject, count + 1);
    for (uint32_t i = 0; !r.bad && i < count; i++) {
        const uint8_t *kind = br_take(&r, 1);
        out[i].kind = kind ? (StoreKind)*kind : 0;
        out[i].start_offset = br_u64(&r);
        if (out[i].kind == STORE_SINK)
            out[i].incarnation = br_u64(&r);
        uint32_t ln = br_u32(&r);
        const char *name = br_take(&r, ln);
        uint32_t ls = br_u32(&r);
        const char *sql = br_take(&r, ls);
        if (r.bad || (out[i].kind != STORE_STREAM && out[i].kind != STORE_VIEW &&
                       out[i].kind != STORE_SINK))
            break;
        out[i].name = arena_strndup(s->catalog, name, ln);
        out[i].sql = arena_strndup(s->catalog, sql, ls);
    }
    if (r.bad || r.p != r.end) {
        err_setf(err, ERR_DATA_CORRUPTED, -1, "catalog snapshot \"%s\" is malformed", path);
        buf_free(&b);
        return -1;
    }
    buf_free(&b);
    *objs = out;
    *n = (int)count;
    return 0;
}

enum { REC_BATCH = 'B', REC_MARK = 'M' };

static int
last_record(void *ctx, uint64_t key, const void *payload, size_t n)
{
    StreamLog *sl = ctx;
    uint32_t nrows = 0, ncols = 0;
    const unsigned char *p = payload;
    sl->next_offset = key;
    SqlError e;
    err_init(&e, NULL);
    if (n > 1 && p[0] == REC_BATCH && rowcodec_peek(p + 1, n - 1, &nrows, &ncols, &e) == 0)
        sl->next_offset = key + nrows;
    err_clear(&e);
    return 0;
}

StreamLog *
store_stream_open(Store *s, const char *name, struct LogRecovery *rep, SqlError *err)
{
    StreamLog *sl = sl_calloc(1, sizeof *sl);
    sl->store = s;
    size_t n = strlen(s->dir) + strlen(name) + 16;
    sl->dir = sl_malloc(n);
    snprintf(sl->dir, n, "%s/streams/%s", s->dir, name);
    LogOptions o = {.dir = sl->dir, .segment_bytes = 0, .fsync = s->fsync};
    sl->log = log_open(&o, rep, err);
    if (!sl->log) {
        free(sl->dir);
        free(sl);
        return NULL;
    }
    buf_init(&sl->enc);
    if (log_read_last(sl->log, last_record, sl, err) != 0) {
        store_stream_close(sl);
        return NULL;
    }
    sl->durable_offset = sl->next_offset;
    return sl;
}

void
store_stream_close(StreamLog *sl)
{
    if (!sl)
        return;
    log_close(sl->log);
    buf_free(&sl->enc);
    free(sl->dir);
    free(sl);
}

uint64_t
store_stream_next_offset(const StreamLog *sl)
{
    return sl->next_offset;
}

int
store_stream_append_nosync(StreamLog *sl, const SlType *types, int ncols, const Value *rows,
                           int nrows, SqlError *err)
{
    if (nrows == 0)
        return 0;
    buf_clear(&sl->enc);
    buf_put_u8(&sl->enc, REC_BATCH);
    if (rowcodec_encode(&sl->enc, types, (uint32_t)ncols, rows, (uint32_t)nrows, err) != 0 ||
        log_append(sl->log, sl->next_offset, sl->enc.data, sl->enc.len, err) != 0)
        return -1;
    sl->next_offset += (uint64_t)nrows;
    /* A huge COPY leaves a huge encoding buffer: do not keep it. */
    if (sl->enc.cap > ((size_t)16 << 20))
        buf_free(&sl->enc);
    return 0;
}

int
store_stream_sync(StreamLog *sl, SqlError *err)
{
    if (log_sync(sl->log, err) != 0) {
        sl->next_offset = sl->durable_offset; /* the log dropped what it could not write */
        return -1;
    }
    sl->durable_offset = sl->next_offset;
    return 0;
}

int
store_stream_append_mark(StreamLog *sl, const char *view, int64_t wm, SqlError *err)
{
    buf_clear(&sl->enc);
    buf_put_u8(&sl->enc, REC_MARK);
    put_u64(&sl->enc, (uint64_t)wm);
    buf_puts(&sl->enc, view);
    if (log_append(sl->log, sl->next_offset, sl->enc.data, sl->enc.len, err) != 0)
        return -1;
    return store_stream_sync(sl, err);
}

typedef struct ReplayCtx {
    const SlType *types;
    int ncols;
    StoreReplayFn fn;
    void *ctx;
    Arena *a;
    SqlError *err;
    bool failed;
} ReplayCtx;

static int
replay_record(void *ctx, uint64_t key, const void *payload, size_t n)
{
    ReplayCtx *rc = ctx;
    const unsigned char *p = payload;
    StoreRecord r = {.offset = key, .view = ""};
    arena_reset(rc->a);
    if (n >= 9 && p[0] == REC_MARK) {
        uint64_t wm;
        memcpy(&wm, p + 1, 8);
        r.wm = (int64_t)wm;
        r.view = arena_strndup(rc->a, (const char *)p + 9, n - 9);
        return rc->fn(rc->ctx, &r);
    }
    RowBatch rb;
    if (n < 1 || p[0] != REC_BATCH ||
        rowcodec_decode(p + 1, n - 1, rc->types, (uint32_t)rc->ncols, rc->a, false, &rb,
                        rc->err) != 0) {
        err_setf(rc->err, ERR_DATA_CORRUPTED, -1, "stream log record at offset %llu is not a "
                 "batch or a mark", (unsigned long long)key);
        rc->failed = true;
        return 1;
    }
    r.rows = rb.rows;
    r.nrows = (int)rb.nrows;
    return rc->fn(rc->ctx, &r);
}

int
store_stream_replay(StreamLog *sl, uint64_t from_offset, const SlType *types, int ncols,
                    StoreReplayFn fn, void *ctx, SqlError *err)
{
    ReplayCtx rc = {types, ncols, fn, ctx, arena_new(1 << 20), err, false};
    int r = log_read(sl->log, from_offset, replay_record, &rc, err);
    arena_free(rc.a);
    return r != 0 || rc.failed ? -1 : 0;
}

int
store_stream_truncate_before(StreamLog *sl, uint64_t offset, SqlError *err)
{
    return log_truncate_before(sl->log, offset, err);
}

int
store_stream_drop(Store *s, StreamLog *sl, SqlError *err)
{
    (void)s;
    char *dir = sl_strdup(sl->dir);
    store_stream_close(sl);
    int rc = fs_remove_tree(dir, err);
    free(dir);
    return rc;
}

void
store_stream_stats(const StreamLog *sl, StoreStreamStats *out)
{
    LogStats ls;
    log_stats(sl->log, &ls);
    out->segments = ls.segments;
    out->bytes = ls.bytes;
    out->records = ls.records;
    out->first_offset = ls.records ? ls.first_key : sl->next_offset;
    out->next_offset = sl->next_offset;
}
