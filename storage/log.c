/*
 * storage/log.c — append-only segmented record log (see log.h for the format and contracts).
 *
 * In memory a Log keeps, per segment, its durable size, record count, first/last key, the
 * offset of its last record and a sparse index (one (key, offset) pair per LOG_IDX_STEP bytes)
 * so that log_read can start near from_key without scanning the whole segment. Only the last
 * segment is open for writing. Pending records live, already encoded with their CRC, in one
 * growable buffer that log_sync hands to a single pwrite.
 */
#include "storage/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/errors.h"
#include "common/util.h"
#include "storage/crc32c.h"
#include "storage/fsutil.h"

#define LOG_MAGIC 0x01474C53u          /* "SLG" + version 1, little-endian */
#define LOG_IDX_STEP (1u << 20)         /* sparse index granularity, bytes */
#define LOG_READ_CHUNK (1u << 20)       /* read window */
#define LOG_BUF_KEEP (8u << 20)         /* write buffers above this are freed after a sync */
#define LOG_NAME_DIGITS 20

typedef struct LogIdx {
    uint64_t key;
    uint64_t off;
} LogIdx;

typedef struct LogSeg {
    uint64_t name;       /* key in the file name = key of its first record */
    uint64_t size;       /* durable bytes */
    uint64_t records;
    uint64_t first_key;
    uint64_t last_key;
    uint64_t last_off;   /* offset of the last record */
    LogIdx *idx;         /* sparse index, increasing offsets */
    size_t nidx, capidx;
    uint64_t idx_next;   /* next record at or past this offset is sampled */
} LogSeg;

struct Log {
    char *dir;
    uint64_t segment_bytes;
    bool fsync;
    bool failed;
    LogSeg *segs;
    size_t nsegs, capsegs;
    int fd;                  /* last segment, open for writing; -1 = none */
    bool have_last;          /* some durable record exists */
    uint64_t last_key;       /* key of the last durable record */
    /* the pending batch */
    uint8_t *buf;
    size_t len, cap;
    uint64_t pend_records;
    uint64_t pend_first_key;
    uint64_t pend_last_key;
    bool pend_new_seg;       /* the batch starts a new segment named pend_first_key */
    LogIo io;
};

/* ---- little-endian fields ----------------------------------------------------------------- */

/* ---- default I/O -------------------------------------------------------------------------- */

static ssize_t
sys_pwrite(void *ctx, int fd, const void *buf, size_t n, off_t off)
{
    (void)ctx;
    return pwrite(fd, buf, n, off);
}

static int
sys_fdatasync(void *ctx, int fd)
{
    (void)ctx;
    return fdatasync(fd);
}

static int
sys_fsync(void *ctx, int fd)
{
    (void)ctx;
    return fsync(fd);
}

static int
sys_ftruncate(void *ctx, int fd, off_t len)
{
    (void)ctx;
    return ftruncate(fd, len);
}

static const LogIo sys_io = { sys_pwrite, sys_fdatasync, sys_fsync, sys_ftruncate, NULL };

/* ---- helpers ------------------------------------------------------------------------------ */

static void
seg_path(const Log *l, uint64_t name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%020" PRIu64 ".log", l->dir, name);
}

static int
dir_sync(Log *l, SqlError *err)
{
    int fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "open directory", l->dir);
        return -1;
    }
    if (l->io.fsync_dir(l->io.ctx, fd) != 0) {
        int e = errno;
        close(fd);
        fs_set_errno_error(err, e, "fsync directory", l->dir);
        return -1;
    }
    close(fd);
    return 0;
}

/* Account one durable record at `off` of segment `s`. */
static void
seg_add_record(LogSeg *s, uint64_t off, uint64_t key)
{
    if (s->records == 0)
        s->first_key = key;
    s->records++;
    s->last_key = key;
    s->last_off = off;
    if (off >= s->idx_next) {
        if (s->nidx == s->capidx) {
            s->capidx = s->capidx ? s->capidx * 2 : 16;
            s->idx = sl_realloc(s->idx, s->capidx * sizeof *s->idx);
        }
        s->idx[s->nidx++] = (LogIdx){ key, off };
        s->idx_next = off + LOG_IDX_STEP;
    }
}

static LogSeg *
push_seg(Log *l, uint64_t name)
{
    if (l->nsegs == l->capsegs) {
        l->capsegs = l->capsegs ? l->capsegs * 2 : 8;
        l->segs = sl_realloc(l->segs, l->capsegs * sizeof *l->segs);
    }
    LogSeg *s = &l->segs[l->nsegs++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->first_key = name;
    s->last_key = name;
    return s;
}

static void
drop_pending(Log *l)
{
    l->len = 0;
    l->pend_records = 0;
    l->pend_new_seg = false;
    if (l->cap > LOG_BUF_KEEP) {
        free(l->buf);
        l->buf = NULL;
        l->cap = 0;
    }
}

/* ---- reading segments --------------------------------------------------------------------- */

/* A window over a segment file: buf holds the bytes [base, base + have). */
typedef struct SegReader {
    int fd;
    uint64_t fsize;
    uint8_t *buf;
    size_t cap;
    uint64_t base;
    size_t have;
} SegReader;

/*
 * Pointer to the `n` bytes at `off` (the caller guarantees off + n <= fsize), valid until the
 * next call; NULL with errno set on a read error or when the file is shorter than expected.
 */
static const uint8_t *
rd_at(SegReader *r, uint64_t off, size_t n)
{
    if (off >= r->base && off + n <= r->base + r->have)
        return r->buf + (off - r->base);
    size_t want = n > LOG_READ_CHUNK ? n : LOG_READ_CHUNK;
    if (want > r->fsize - off)
        want = (size_t)(r->fsize - off);
    if (want < n)
        want = n;
    if (want > r->cap) {
        free(r->buf);
        r->buf = sl_malloc(want);
        r->cap = want;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t k = pread(r->fd, r->buf + got, want - got, (off_t)(off + got));
        if (k < 0) {
            if (errno == EINTR)
                continue;
            r->have = 0;
            return NULL;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    r->base = off;
    r->have = got;
    if (got < n) {
        errno = EIO; /* the file shrank under us */
        return NULL;
    }
    return r->buf;
}

typedef struct RecHdr {
    uint32_t len;
    uint64_t key;
    uint64_t batch;
} RecHdr;

typedef enum RecCheck { REC_OK, REC_BAD, REC_IOERR } RecCheck;

/*
 * Validate the record at `off`. REC_OK fills *h and *payload (valid until the next rd_at);
 * REC_BAD sets *why; REC_IOERR leaves errno set.
 */
static RecCheck
check_record(SegReader *r, uint64_t off, RecHdr *h, const uint8_t **payload, const char **why)
{
    if (r->fsize - off < LOG_RECORD_HEADER) {
        *why = "record header cut short by the end of the file";
        return REC_BAD;
    }
    const uint8_t *p = rd_at(r, off, LOG_RECORD_HEADER);
    if (!p)
        return REC_IOERR;
    if (le_get_u32(p) != LOG_MAGIC) {
        *why = "bad record magic";
        return REC_BAD;
    }
    h->len = le_get_u32(p + 4);
    h->key = le_get_u64(p + 8);
    h->batch = le_get_u64(p + 16);
    if (h->len > LOG_MAX_RECORD) {
        *why = "impossible record length";
        return REC_BAD;
    }
    if (r->fsize - off - LOG_RECORD_HEADER < h->len) {
        *why = "record cut short by the end of the file";
        return REC_BAD;
    }
    if (h->batch > off) {
        *why = "bad batch offset";
        return REC_BAD;
    }
    p = rd_at(r, off, LOG_RECORD_HEADER + (size_t)h->len);
    if (!p)
        return REC_IOERR;
    uint32_t crc = crc32c(p, 24);
    crc = crc32c_extend(crc, p + LOG_RECORD_HEADER, h->len);
    if (crc != le_get_u32(p + 24)) {
        *why = "CRC mismatch";
        return REC_BAD;
    }
    *payload = p + LOG_RECORD_HEADER;
    return REC_OK;
}

static void
corrupt_error(SqlError *err, const char *path, uint64_t off, const char *why)
{
    err_setf(err, ERR_DATA_CORRUPTED, -1,
             "corrupt record in log segment \"%s\" at byte offset %" PRIu64 ": %s", path, off, why);
}

/*
 * Is there, after the bad record at `bad`, a valid record written by a later batch? Scans every
 * byte offset for the magic and checks candidates fully. Returns 1 (with *found), 0, or -1 on
 * an I/O error (errno set).
 */
static int
later_batch_follows(SegReader *r, uint64_t bad, uint64_t *found)
{
    uint8_t magic[4];
    le_put_u32(magic, LOG_MAGIC);
    uint64_t y = bad + 1;
    while (y + LOG_RECORD_HEADER <= r->fsize) {
        size_t n = (size_t)SL_MIN((uint64_t)LOG_READ_CHUNK, r->fsize - y);
        const uint8_t *p = rd_at(r, y, n);
        if (!p)
            return -1;
        const uint8_t *hit = memmem(p, n, magic, sizeof magic);
        if (!hit) {
            if (n < sizeof magic)
                break;
            y += n - (sizeof magic - 1);
            continue;
        }
        uint64_t cand = y + (uint64_t)(hit - p);
        RecHdr h;
        const uint8_t *payload;
        const char *why;
        RecCheck c = check_record(r, cand, &h, &payload, &why);
        if (c == REC_IOERR)
            return -1;
        if (c == REC_OK && h.batch > bad) {
            *found = cand;
            return 1;
        }
        y = cand + 1;
    }
    return 0;
}

/* ---- open / recovery ---------------------------------------------------------------------- */

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Parse "<20 digits>.log"; returns true and the key. */
static bool
parse_seg_name(const char *s, uint64_t *key)
{
    uint64_t v = 0;
    for (int i = 0; i < LOG_NAME_DIGITS; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (strcmp(s + LOG_NAME_DIGITS, ".log") != 0)
        return false;
    *key = v;
    return true;
}

static int
list_segments(Log *l, uint64_t **names, size_t *n, SqlError *err)
{
    DIR *d = opendir(l->dir);
    if (!d) {
        fs_set_errno_error(err, errno, "open directory", l->dir);
        return -1;
    }
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        uint64_t k;
        if (!parse_seg_name(de->d_name, &k))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *names = sl_realloc(*names, cap * sizeof **names);
        }
        (*names)[(*n)++] = k;
    }
    int e = errno;
    closedir(d);
    if (e != 0) {
        free(*names);
        *names = NULL;
        fs_set_errno_error(err, e, "read directory", l->dir);
        return -1;
    }
    if (*n > 1)
        qsort(*names, *n, sizeof **names, cmp_u64);
    return 0;
}

/*
 * Validate one segment and append it to l->segs. For the last segment a torn tail is cut.
 * Returns 0 or -1 with err set.
 */
static int
scan_segment(Log *l, uint64_t name, bool last, LogRecovery *rep, SqlError *err)
{
    char path[PATH_MAX];
    seg_path(l, name, path, sizeof path);
    int fd = open(path, (last ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "open log segment", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fs_set_errno_error(err, errno, "stat log segment", path);
        close(fd);
        return -1;
    }
    SegReader r = { .fd = fd, .fsize = (uint64_t)st.st_size };
    LogSeg *s = push_seg(l, name);
    uint64_t off = 0;
    int rc = 0;
    if (r.fsize == 0) {
        corrupt_error(err, path, 0, "empty segment before the last one");
        rc = -1;
        goto done;
    }
    while (off < r.fsize) {
        RecHdr h;
        const uint8_t *payload;
        const char *why = NULL;
        RecCheck c = check_record(&r, off, &h, &payload, &why);
        if (c == REC_IOERR) {
            fs_set_errno_error(err, errno, "read log segment", path);
            rc = -1;
            goto done;
        }
        if (c == REC_BAD) {
            if (!last) {
                corrupt_error(err, path, off, why);
                rc = -1;
                goto done;
            }
            uint64_t later = 0;
            int f = later_batch_follows(&r, off, &later);
            if (f < 0) {
                fs_set_errno_error(err, errno, "read log segment", path);
                rc = -1;
                goto done;
            }
            if (f > 0) {
                corrupt_error(err, path, off, why);
                err_detail(err, "A valid record written by a later batch follows at byte offset "
                           "%" PRIu64 ", so this is not a torn tail.", later);
                rc = -1;
                goto done;
            }
            /* Torn tail: cut it off and make the cut durable. */
            if (ftruncate(fd, (off_t)off) != 0) {
                fs_set_errno_error(err, errno, "truncate log segment", path);
                rc = -1;
                goto done;
            }
            if (l->fsync && fsync(fd) != 0) {
                fs_set_errno_error(err, errno, "fsync log segment", path);
                rc = -1;
                goto done;
            }
            if (rep) {
                rep->truncated_bytes = r.fsize - off;
                rep->truncated_at = off;
                snprintf(rep->truncated_file, sizeof rep->truncated_file, "%020" PRIu64 ".log",
                         name);
            }
            r.fsize = off;
            break;
        }
        if (s->records == 0 && h.key != name) {
            corrupt_error(err, path, off, "first record's key does not match the file name");
            rc = -1;
            goto done;
        }
        if (l->have_last && h.key < l->last_key) {
            corrupt_error(err, path, off, "record key is smaller than the previous record's");
            rc = -1;
            goto done;
        }
        seg_add_record(s, off, h.key);
        l->have_last = true;
        l->last_key = h.key;
        off += LOG_RECORD_HEADER + (uint64_t)h.len;
    }
    s->size = off;
    if (last && s->size == 0) {
        /* The whole last segment was torn: remove it so the next batch names a fresh one. */
        l->nsegs--;
        free(s->idx);
        if (unlink(path) != 0) {
            fs_set_errno_error(err, errno, "remove log segment", path);
            rc = -1;
        } else if (l->fsync && fs_fsync_dir(l->dir, err) != 0) {
            rc = -1;
        }
    } else if (last) {
        l->fd = fd;
        fd = -1;
    }
done:
    free(r.buf);
    if (fd >= 0)
        close(fd);
    return rc;
}

Log *
log_open(const LogOptions *o, LogRecovery *rep, SqlError *err)
{
    if (rep)
        memset(rep, 0, sizeof *rep);
    if (!o || !o->dir || !*o->dir) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1, "log directory not given");
        return NULL;
    }
    if (fs_mkdirs(o->dir, o->fsync, err) != 0)
        return NULL;
    Log *l = sl_calloc(1, sizeof *l);
    l->dir = sl_strdup(o->dir);
    l->segment_bytes = o->segment_bytes ? o->segment_bytes : LOG_DEFAULT_SEGMENT_BYTES;
    l->fsync = o->fsync;
    l->fd = -1;
    l->io = sys_io;

    uint64_t *names = NULL;
    size_t n = 0;
    if (list_segments(l, &names, &n, err) != 0)
        goto fail;
    /* A crash between creating a segment and writing to it leaves it empty: remove it. */
    while (n > 0) {
        char path[PATH_MAX];
        struct stat st;
        seg_path(l, names[n - 1], path, sizeof path);
        if (stat(path, &st) != 0) {
            fs_set_errno_error(err, errno, "stat log segment", path);
            goto fail;
        }
        if (st.st_size != 0)
            break;
        if (unlink(path) != 0) {
            fs_set_errno_error(err, errno, "remove log segment", path);
            goto fail;
        }
        if (l->fsync && fs_fsync_dir(l->dir, err) != 0)
            goto fail;
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if (scan_segment(l, names[i], i + 1 == n, rep, err) != 0)
            goto fail;
    free(names);
    if (rep) {
        LogStats st;
        log_stats(l, &st);
        rep->segments = st.segments;
        rep->records = st.records;
        rep->bytes = st.bytes;
    }
    return l;
fail:
    free(names);
    log_close(l);
    return NULL;
}

/* ---- appending ---------------------------------------------------------------------------- */

static void
buf_grow(Log *l, size_t need)
{
    if (l->cap - l->len >= need)
        return;
    size_t cap = l->cap ? l->cap : 64 * 1024;
    while (cap - l->len < need)
        cap *= 2;
    l->buf = sl_realloc(l->buf, cap);
    l->cap = cap;
}

static int
failed_error(const Log *l, SqlError *err)
{
    err_setf(err, ERR_IO_ERROR, -1,
             "log \"%s\" is unusable after an fsync failure; it must be reopened", l->dir);
    return -1;
}

int
log_append(Log *l, uint64_t key, const void *payload, size_t n, SqlError *err)
{
    if (l->failed)
        return failed_error(l, err);
    if (n > LOG_MAX_RECORD) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1,
                 "log record of %zu bytes exceeds the limit of %u bytes", n, LOG_MAX_RECORD);
        return -1;
    }
    bool have_prev = l->pend_records > 0 || l->have_last;
    uint64_t prev = l->pend_records > 0 ? l->pend_last_key : l->last_key;
    if (have_prev && key < prev) {
        err_setf(err, ERR_INTERNAL_ERROR, -1,
                 "log key %" PRIu64 " is smaller than the previous key %" PRIu64, key, prev);
        return -1;
    }
    uint64_t batch;
    if (l->pend_records == 0) {
        /* First record of a batch: decide where the batch goes. A new segment needs a name
         * greater than the active one's, so equal keys keep filling the active segment. */
        LogSeg *a = l->nsegs ? &l->segs[l->nsegs - 1] : NULL;
        l->pend_new_seg = !a || (a->size >= l->segment_bytes && key > a->name);
        l->pend_first_key = key;
    }
    batch = l->pend_new_seg ? 0 : l->segs[l->nsegs - 1].size;
    buf_grow(l, LOG_RECORD_HEADER + n);
    uint8_t *h = l->buf + l->len;
    le_put_u32(h, LOG_MAGIC);
    le_put_u32(h + 4, (uint32_t)n);
    le_put_u64(h + 8, key);
    le_put_u64(h + 16, batch);
    if (n)
        memcpy(h + LOG_RECORD_HEADER, payload, n);
    uint32_t crc = crc32c(h, 24);
    crc = crc32c_extend(crc, h + LOG_RECORD_HEADER, n);
    le_put_u32(h + 24, crc);
    l->len += LOG_RECORD_HEADER + n;
    l->pend_records++;
    l->pend_last_key = key;
    return 0;
}

/* ---- syncing ------------------------------------------------------------------------------ */

int
log_sync(Log *l, SqlError *err)
{
    if (l->failed)
        return failed_error(l, err);
    if (l->pend_records == 0)
        return 0;

    char path[PATH_MAX];
    int old_fd = l->fd;
    bool created = false;
    if (l->pend_new_seg) {
        seg_path(l, l->pend_first_key, path, sizeof path);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            fs_set_errno_error(err, errno, "create log segment", path);
            drop_pending(l);
            return -1;
        }
        push_seg(l, l->pend_first_key);
        l->fd = fd;
        created = true;
        if (l->fsync && dir_sync(l, err) != 0)
            goto fsync_failed;
    } else {
        seg_path(l, l->segs[l->nsegs - 1].name, path, sizeof path);
    }

    LogSeg *s = &l->segs[l->nsegs - 1];
    size_t done = 0;
    while (done < l->len) {
        ssize_t w = l->io.pwrite(l->io.ctx, l->fd, l->buf + done, l->len - done,
                                 (off_t)(s->size + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            fs_set_errno_error(err, e, "write log segment", path);
            /* Cut back to the durable size so the file holds only whole, durable batches. */
            if (l->io.ftruncate(l->io.ctx, l->fd, (off_t)s->size) != 0) {
                err_detail(err, "Could not cut the segment back to %" PRIu64 " bytes: %s.",
                           s->size, strerror(errno));
                l->failed = true;
                if (created && old_fd >= 0)
                    close(old_fd);
            } else if (created) {
                close(l->fd);
                unlink(path);
                l->nsegs--;
                free(s->idx);
                l->fd = old_fd;
            }
            drop_pending(l);
            return -1;
        }
        done += (size_t)w;
    }
    if (l->fsync && l->io.fdatasync(l->io.ctx, l->fd) != 0) {
        fs_set_errno_error(err, errno, "fdatasync log segment", path);
        err_hint(err, "The log accepts no more writes until it is reopened.");
        l->failed = true;
        if (created && old_fd >= 0)
            close(old_fd);
        drop_pending(l);
        return -1;
    }

    /* Durable: account the records (walk the headers just written). */
    uint64_t base = s->size;
    for (size_t off = 0; off < l->len;) {
        const uint8_t *h = l->buf + off;
        seg_add_record(s, base + off, le_get_u64(h + 8));
        off += LOG_RECORD_HEADER + le_get_u32(h + 4);
    }
    s->size += l->len;
    l->have_last = true;
    l->last_key = l->pend_last_key;
    if (created && old_fd >= 0)
        close(old_fd);
    drop_pending(l);
    return 0;

fsync_failed:
    /* Directory fsync failed for a new segment: undo the creation, stop accepting writes. */
    close(l->fd);
    unlink(path);
    l->nsegs--;
    free(l->segs[l->nsegs].idx);
    l->fd = old_fd;
    l->failed = true;
    drop_pending(l);
    return -1;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Offset to start scanning segment `s` for keys >= from: the last sample with key < from. */
static uint64_t
seg_start_offset(const LogSeg *s, uint64_t from)
{
    size_t lo = 0, hi = s->nidx; /* first sample with key >= from */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->idx[mid].key < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? 0 : s->idx[lo - 1].off;
}

/* Replay the records of segment `s` in [start, end) whose key >= from. */
static int
read_segment(Log *l, const LogSeg *s, uint64_t start, uint64_t from, LogReadFn fn, void *ctx,
             SqlError *err)
{
    char path[PATH_MAX];
    seg_path(l, s->name, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "open log segment", path);
        return -1;
    }
    SegReader r = { .fd = fd, .fsize = s->size };
    int rc = 0;
    for (uint64_t off = start; off < s->size;) {
        RecHdr h;
        const uint8_t *payload;
        const char *why = NULL;
        RecCheck c = check_record(&r, off, &h, &payload, &why);
        if (c == REC_IOERR) {
            fs_set_errno_error(err, errno, "read log segment", path);
            rc = -1;
            break;
        }
        if (c == REC_BAD) {
            corrupt_error(err, path, off, why);
            rc = -1;
            break;
        }
        if (h.key >= from) {
            rc = fn(ctx, h.key, payload, h.len);
            if (rc != 0)
                break;
        }
        off += LOG_RECORD_HEADER + (uint64_t)h.len;
    }
    free(r.buf);
    close(fd);
    return rc;
}

int
log_read(Log *l, uint64_t from_key, LogReadFn fn, void *ctx, SqlError *err)
{
    for (size_t i = 0; i < l->nsegs; i++) {
        const LogSeg *s = &l->segs[i];
        if (s->records == 0 || s->last_key < from_key)
            continue;
        int rc = read_segment(l, s, seg_start_offset(s, from_key), from_key, fn, ctx, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int
log_read_all(Log *l, LogReadFn fn, void *ctx, SqlError *err)
{
    return log_read(l, 0, fn, ctx, err);
}

int
log_read_last(Log *l, LogReadFn fn, void *ctx, SqlError *err)
{
    for (size_t i = l->nsegs; i-- > 0;) {
        const LogSeg *s = &l->segs[i];
        if (s->records == 0)
            continue;
        return read_segment(l, s, s->last_off, 0, fn, ctx, err);
    }
    return 0;
}

/* ---- truncation, stats, close ------------------------------------------------------------- */

int
log_truncate_before(Log *l, uint64_t key, SqlError *err)
{
    size_t ndel = 0;
    int rc = 0;
    while (ndel + 1 < l->nsegs) {
        const LogSeg *s = &l->segs[ndel];
        const LogSeg *next = &l->segs[ndel + 1];
        if (!(s->last_key < key && next->first_key <= key))
            break;
        char path[PATH_MAX];
        seg_path(l, s->name, path, sizeof path);
        if (unlink(path) != 0 && errno != ENOENT) {
            fs_set_errno_error(err, errno, "remove log segment", path);
            rc = -1;
            break;
        }
        free(l->segs[ndel].idx);
        ndel++;
        /* Make each removal durable before the next, so a crash can only leave a shorter
         * prefix deleted, never a hole in the middle of the log. */
        if (l->fsync && dir_sync(l, err) != 0) {
            rc = -1;
            break;
        }
    }
    if (ndel > 0) {
        memmove(l->segs, l->segs + ndel, (l->nsegs - ndel) * sizeof *l->segs);
        l->nsegs -= ndel;
    }
    return rc;
}

void
log_stats(const Log *l, LogStats *out)
{
    memset(out, 0, sizeof *out);
    out->segments = l->nsegs;
    for (size_t i = 0; i < l->nsegs; i++) {
        const LogSeg *s = &l->segs[i];
        out->bytes += s->size;
        if (s->records > 0) {
            if (out->records == 0)
                out->first_key = s->first_key;
            out->last_key = s->last_key;
        }
        out->records += s->records;
    }
    out->pending_records = l->pend_records;
    out->pending_bytes = l->len;
    out->failed = l->failed;
}

void
log_close(Log *l)
{
    if (!l)
        return;
    if (l->fd >= 0)
        close(l->fd);
    for (size_t i = 0; i < l->nsegs; i++)
        free(l->segs[i].idx);
    free(l->segs);
    free(l->buf);
    free(l->dir);
    free(l);
}

void
log_set_io_for_tests(Log *l, const LogIo *io)
{
    l->io = io ? *io : sys_io;
}
