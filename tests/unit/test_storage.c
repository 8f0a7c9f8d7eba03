/*
 * tests/unit/test_storage.c — unit tests for storage/: CRC32C, the segmented log (round trip,
 * segment rolls, torn and corrupt tails, mid-log corruption, ENOSPC and fsync failure
 * injection, truncation), fsutil and the row codec.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group; each test gets a fresh temp dir and Arena
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/value.h"
#include "storage/crc32c.h"
#include "storage/fsutil.h"
#include "storage/log.h"
#include "storage/rowcodec.h"

typedef struct Fixture {
    char dir[64];     /* temp root, removed at teardown */
    char logdir[128]; /* <dir>/log (log_open creates it) */
    Arena *arena;
} Fixture;

static int
setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sluice_storage_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->logdir, sizeof f->logdir, "%s/log", f->dir);
    f->arena = arena_new(4096);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *f = *state;
    SqlError err;
    err_init(&err, NULL);
    int rc = fs_remove_tree(f->dir, &err);
    err_clear(&err);
    arena_free(f->arena);
    free(f);
    return rc;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static Log *
open_log(const Fixture *f, uint64_t segment_bytes, LogRecovery *rep, SqlError *err)
{
    LogOptions o = { .dir = f->logdir, .segment_bytes = segment_bytes, .fsync = true };
    return log_open(&o, rep, err);
}

static Log *
open_ok(const Fixture *f, uint64_t segment_bytes, LogRecovery *rep)
{
    SqlError err;
    err_init(&err, NULL);
    Log *l = open_log(f, segment_bytes, rep, &err);
    if (!l)
        fail_msg("log_open: %s", err.message);
    err_clear(&err);
    return l;
}

/* Deterministic payload for record `key`: length and bytes derived from the key. */
static size_t
payload_for(uint64_t key, uint8_t *out, size_t cap)
{
    size_t n = (size_t)(key * 7 % 97) + 1;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(key * 31 + i);
    return n;
}

static void
append_ok(Log *l, uint64_t key)
{
    uint8_t p[128];
    size_t n = payload_for(key, p, sizeof p);
    SqlError err;
    err_init(&err, NULL);
    if (log_append(l, key, p, n, &err) != 0)
        fail_msg("log_append: %s", err.message);
}

static void
sync_ok(Log *l)
{
    SqlError err;
    err_init(&err, NULL);
    if (log_sync(l, &err) != 0)
        fail_msg("log_sync: %s", err.message);
}

/* Collects keys and checks payloads against payload_for. */
typedef struct Collect {
    uint64_t keys[4096];
    size_t n;
    size_t stop_after; /* 0 = never */
} Collect;

static int
collect_fn(void *ctx, uint64_t key, const void *payload, size_t n)
{
    Collect *c = ctx;
    uint8_t p[128];
    size_t want = payload_for(key, p, sizeof p);
    assert_int_equal(n, want);
    assert_memory_equal(payload, p, n);
    assert_true(c->n < SL_ARRAY_LEN(c->keys));
    c->keys[c->n++] = key;
    if (c->stop_after && c->n == c->stop_after)
        return 42;
    return 0;
}

static void
read_all_ok(Log *l, Collect *c)
{
    SqlError err;
    err_init(&err, NULL);
    c->n = 0;
    if (log_read_all(l, collect_fn, c, &err) != 0)
        fail_msg("log_read_all: %s", err.message);
}

static int
count_segments(const Fixture *f)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s/*.log 2>/dev/null | wc -l", f->logdir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void
seg_file(const Fixture *f, uint64_t name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%020" PRIu64 ".log", f->logdir, name);
}

static off_t
file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return st.st_size;
}

/* Read a whole file into a malloc'ed buffer. */
static uint8_t *
slurp(const char *path, size_t *n)
{
    Buf b;
    buf_init(&b);
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(fs_read_file(path, &b, &err), 0);
    *n = b.len;
    return (uint8_t *)b.data;
}

static void
spit(const char *path, const uint8_t *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
}

/* Offsets of the records of a segment file, parsed directly from the headers. */
static size_t
record_offsets(const char *path, uint64_t *offs, size_t max)
{
    size_t n;
    uint8_t *d = slurp(path, &n);
    size_t k = 0;
    for (uint64_t off = 0; off + LOG_RECORD_HEADER <= n && k < max;) {
        uint32_t len;
        memcpy(&len, d + off + 4, 4);
        offs[k++] = off;
        off += LOG_RECORD_HEADER + len;
    }
    free(d);
    return k;
}

/* ---- CRC32C ------------------------------------------------------------------------------- */

static void
test_crc32c_vectors(void **state)
{
    (void)state;
    assert_int_equal(crc32c("123456789", 9), 0xE3069283u);
    assert_int_equal(crc32c_portable(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(crc32c("", 0), 0);
    uint8_t z[32], ff[32], inc[32];
    memset(z, 0, sizeof z);
    memset(ff, 0xFF, sizeof ff);
    for (int i = 0; i < 32; i++)
        inc[i] = (uint8_t)i;
    /* RFC 3720 (iSCSI) test vectors */
    assert_int_equal(crc32c(z, 32), 0x8A9136AAu);
    assert_int_equal(crc32c(ff, 32), 0x62A8AB43u);
    assert_int_equal(crc32c(inc, 32), 0x46DD794Eu);
    assert_int_equal(crc32c_portable(0, inc, 32), 0x46DD794Eu);

    /* fast path == portable path at every alignment and length; chaining works */
    uint8_t buf[1024 + 16];
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
    for (size_t off = 0; off < 16; off++) {
        for (size_t n = 0; n <= 1024; n += (n < 64 ? 1 : 37)) {
            uint32_t a = crc32c(buf + off, n);
            assert_int_equal(a, crc32c_portable(0, buf + off, n));
            size_t k = n / 3;
            assert_int_equal(crc32c_extend(crc32c(buf + off, k), buf + off + k, n - k), a);
        }
    }
}

/* ---- log: round trip ---------------------------------------------------------------------- */

static void
test_log_roundtrip_rolls(void **state)
{
    Fixture *f = *state;
    LogRecovery rep;
    Log *l = open_ok(f, 1024, &rep);
    assert_int_equal(rep.segments, 0);
    assert_int_equal(rep.records, 0);

    /* 600 records, keys 0, 3, 6, ... (3 "events" each), synced in batches of 1..7 */
    uint64_t key = 0;
    size_t nrec = 0;
    for (int batch = 0; nrec < 600; batch++) {
        int k = batch % 7 + 1;
        for (int i = 0; i < k && nrec < 600; i++, nrec++, key += 3)
            append_ok(l, key);
        LogStats st;
        log_stats(l, &st);
        assert_true(st.pending_records > 0);
        sync_ok(l);
    }
    LogStats st;
    log_stats(l, &st);
    assert_int_equal(st.records, 600);
    assert_int_equal(st.first_key, 0);
    assert_int_equal(st.last_key, 599 * 3);
    assert_int_equal(st.pending_records, 0);
    assert_true(st.segments >= 10);
    assert_int_equal(count_segments(f), (int)st.segments);
    uint64_t bytes = st.bytes;

    Collect *c = calloc(1, sizeof *c);
    read_all_ok(l, c);
    assert_int_equal(c->n, 600);
    log_close(l);

    /* reopen: everything is there, nothing repaired */
    l = open_ok(f, 1024, &rep);
    assert_int_equal(rep.records, 600);
    assert_int_equal(rep.segments, st.segments);
    assert_int_equal(rep.bytes, bytes);
    assert_int_equal(rep.truncated_bytes, 0);
    assert_string_equal(rep.truncated_file, "");
    read_all_ok(l, c);
    assert_int_equal(c->n, 600);
    for (size_t i = 0; i < c->n; i++)
        assert_int_equal(c->keys[i], i * 3);

    /* from_key: every record with key >= from, across segment boundaries */
    SqlError err;
    err_init(&err, NULL);
    uint64_t froms[] = { 0, 1, 3, 299, 300, 1500, 1797, 1798, 5000 };
    for (size_t j = 0; j < SL_ARRAY_LEN(froms); j++) {
        c->n = 0;
        assert_int_equal(log_read(l, froms[j], collect_fn, c, &err), 0);
        size_t expect = froms[j] > 1797 ? 0 : 600 - (size_t)((froms[j] + 2) / 3);
        assert_int_equal(c->n, expect);
        if (expect)
            assert_int_equal(c->keys[0], (froms[j] + 2) / 3 * 3);
    }
    /* fn stopping the replay */
    c->n = 0;
    c->stop_after = 5;
    assert_int_equal(log_read(l, 30, collect_fn, c, &err), 42);
    assert_int_equal(c->n, 5);
    c->stop_after = 0;
    /* last record */
    c->n = 0;
    assert_int_equal(log_read_last(l, collect_fn, c, &err), 0);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->keys[0], 1797);

    /* keys must not decrease; equal keys are fine */
    assert_int_equal(log_append(l, 10, "x", 1, &err), -1);
    assert_string_equal(err.sqlstate, "XX000");
    err_clear(&err);
    append_ok(l, 1797);
    append_ok(l, 1800);
    sync_ok(l);
    log_close(l);
    l = open_ok(f, 1024, &rep);
    assert_int_equal(rep.records, 602);
    log_close(l);
    free(c);
}

typedef struct BigAcc {
    uint64_t first, n;
} BigAcc;

static int
big_fn(void *ctx, uint64_t key, const void *p, size_t n)
{
    BigAcc *acc = ctx;
    assert_int_equal(n, 4000);
    assert_int_equal(((const uint8_t *)p)[3999], 0xAB);
    if (acc->n++ == 0)
        acc->first = key;
    return 0;
}

/* A segment large enough for the sparse index: log_read must start in the middle correctly. */
static void
test_log_sparse_index(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 0, NULL);
    SqlError err;
    err_init(&err, NULL);
    static uint8_t big[4000];
    memset(big, 0xAB, sizeof big);
    for (uint64_t k = 0; k < 1500; k++) { /* ~6 MB, one segment */
        assert_int_equal(log_append(l, k / 2, big, sizeof big, &err), 0);
        if (k % 100 == 99)
            sync_ok(l);
    }
    sync_ok(l);
    LogStats st;
    log_stats(l, &st);
    assert_int_equal(st.segments, 1);
    for (int pass = 0; pass < 2; pass++) {
        uint64_t froms[] = { 0, 1, 261, 262, 263, 500, 749, 750 };
        for (size_t j = 0; j < SL_ARRAY_LEN(froms); j++) {
            BigAcc acc = { UINT64_MAX, 0 };
            assert_int_equal(log_read(l, froms[j], big_fn, &acc, &err), 0);
            uint64_t expect = froms[j] >= 750 ? 0 : 1500 - 2 * froms[j];
            assert_int_equal(acc.n, expect);
            if (expect)
                assert_int_equal(acc.first, froms[j]);
        }
        log_close(l);
        l = open_ok(f, 0, NULL); /* the index rebuilt by the scan must agree */
    }
    log_close(l);
}

/* ---- log: torn and corrupt tails ---------------------------------------------------------- */

/* Keys in the logs built by build_log: with 300-byte segments the last segment (named 35)
 * then holds four records. */
#define NK 39

/* Build a log with keys 0..n-1 in segments of ~300 bytes, one sync per `per_sync` records. */
static void
build_log(const Fixture *f, uint64_t n, size_t per_sync)
{
    Log *l = open_ok(f, 300, NULL);
    for (uint64_t k = 0; k < n; k++) {
        append_ok(l, k);
        if ((k + 1) % per_sync == 0)
            sync_ok(l);
    }
    sync_ok(l);
    log_close(l);
}

/* Name of the last segment and offset/size of its last record, found by reading the log. */
typedef struct LastInfo {
    uint64_t seg;
    uint64_t off;
    uint64_t size;
    uint64_t records;
} LastInfo;

static LastInfo
last_info(const Fixture *f, uint64_t nkeys)
{
    /* Segment names are keys; the last segment is the greatest existing one. */
    LastInfo li = { 0, 0, 0, nkeys };
    char path[PATH_MAX];
    for (uint64_t k = 0; k < nkeys; k++) {
        seg_file(f, k, path, sizeof path);
        if (file_size(path) >= 0)
            li.seg = k;
    }
    seg_file(f, li.seg, path, sizeof path);
    uint64_t off = 0;
    uint64_t fsz = (uint64_t)file_size(path);
    for (uint64_t k = li.seg; k < nkeys; k++) {
        uint8_t p[128];
        uint64_t sz = LOG_RECORD_HEADER + payload_for(k, p, sizeof p);
        li.off = off;
        li.size = sz;
        off += sz;
    }
    assert_int_equal(off, fsz);
    return li;
}

static void
test_log_torn_tail(void **state)
{
    Fixture *f = *state;
    build_log(f, NK, 1);
    LastInfo li = last_info(f, NK);
    char path[PATH_MAX];
    seg_file(f, li.seg, path, sizeof path);
    size_t n;
    uint8_t *orig = slurp(path, &n);
    Collect *c = calloc(1, sizeof *c);

    for (uint64_t k = 0; k < li.size; k++) {
        spit(path, orig, (size_t)(li.off + k));
        LogRecovery rep;
        Log *l = open_ok(f, 300, &rep);
        if (k == 0) {
            assert_int_equal(rep.truncated_bytes, 0);
        } else {
            assert_int_equal(rep.truncated_bytes, k);
            assert_int_equal(rep.truncated_at, li.off);
            char name[64];
            snprintf(name, sizeof name, "%020" PRIu64 ".log", li.seg);
            assert_string_equal(rep.truncated_file, name);
        }
        assert_int_equal(rep.records, NK - 1);
        assert_int_equal(file_size(path), (off_t)li.off);
        read_all_ok(l, c);
        assert_int_equal(c->n, NK - 1);
        assert_int_equal(c->keys[NK - 2], NK - 2);
        log_close(l);
    }

    /* after a repair the log takes new records and reopens cleanly */
    Log *l = open_ok(f, 300, NULL);
    append_ok(l, NK - 1);
    append_ok(l, NK);
    sync_ok(l);
    log_close(l);
    LogRecovery rep;
    l = open_ok(f, 300, &rep);
    assert_int_equal(rep.truncated_bytes, 0);
    assert_int_equal(rep.records, NK + 1);
    log_close(l);
    free(orig);
    free(c);
}

/* The last segment holds a single record which is torn: the segment goes away entirely. */
static void
test_log_torn_only_record(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1, NULL); /* every batch a new segment */
    for (uint64_t k = 0; k < 3; k++) {
        append_ok(l, k * 10);
        sync_ok(l);
    }
    log_close(l);
    assert_int_equal(count_segments(f), 3);
    char path[PATH_MAX];
    seg_file(f, 20, path, sizeof path);
    assert_int_equal(truncate(path, 5), 0);
    LogRecovery rep;
    l = open_ok(f, 1, &rep);
    assert_int_equal(rep.truncated_bytes, 5);
    assert_int_equal(rep.truncated_at, 0);
    assert_int_equal(rep.segments, 2);
    assert_int_equal(count_segments(f), 2);
    /* the same key again names a fresh segment */
    append_ok(l, 20);
    sync_ok(l);
    log_close(l);
    l = open_ok(f, 1, &rep);
    assert_int_equal(rep.records, 3);
    assert_int_equal(rep.segments, 3);
    log_close(l);

    /* an empty last segment (crash between create and write) is removed silently */
    seg_file(f, 30, path, sizeof path);
    spit(path, (const uint8_t *)"", 0);
    l = open_ok(f, 1, &rep);
    assert_int_equal(rep.segments, 3);
    assert_int_equal(rep.truncated_bytes, 0);
    assert_int_equal(file_size(path), -1);
    log_close(l);
}

static void
test_log_flipped_last_record(void **state)
{
    Fixture *f = *state;
    build_log(f, NK, 1);
    LastInfo li = last_info(f, NK);
    char path[PATH_MAX];
    seg_file(f, li.seg, path, sizeof path);
    size_t n;
    uint8_t *orig = slurp(path, &n);
    uint8_t *copy = malloc(n);
    Collect *c = calloc(1, sizeof *c);
    for (uint64_t b = 0; b < li.size; b++) {
        memcpy(copy, orig, n);
        copy[li.off + b] ^= 0x20;
        spit(path, copy, n);
        LogRecovery rep;
        Log *l = open_ok(f, 300, &rep);
        assert_int_equal(rep.truncated_at, li.off);
        assert_int_equal(rep.truncated_bytes, li.size);
        read_all_ok(l, c);
        assert_int_equal(c->n, NK - 1);
        log_close(l);
        spit(path, orig, n);
    }
    free(copy);
    free(orig);
    free(c);
}

static void
expect_corrupt(const Fixture *f, const char *file, uint64_t off)
{
    SqlError err;
    err_init(&err, NULL);
    Log *l = open_log(f, 300, NULL, &err);
    assert_null(l);
    assert_string_equal(err.sqlstate, "XX001");
    char want[64];
    snprintf(want, sizeof want, "byte offset %" PRIu64 ":", off);
    if (!strstr(err.message, file) || !strstr(err.message, want))
        fail_msg("message lacks file %s / %s: %s", file, want, err.message);
    err_clear(&err);
}


static void
test_log_middle_corruption(void **state)
{
    Fixture *f = *state;
    build_log(f, NK, 1);
    char path[PATH_MAX];
    char name[64];
    uint64_t offs[64];

    /* (a) a record in the middle of the first (non-last) segment */
    seg_file(f, 0, path, sizeof path);
    snprintf(name, sizeof name, "%020d.log", 0);
    size_t nrec = record_offsets(path, offs, SL_ARRAY_LEN(offs));
    assert_true(nrec >= 3);
    size_t n;
    uint8_t *orig = slurp(path, &n);
    uint64_t flips[] = { 0, 4, 9, 17, 25, LOG_RECORD_HEADER + 1 };
    for (size_t j = 0; j < SL_ARRAY_LEN(flips); j++) {
        orig[offs[1] + flips[j]] ^= 0x01;
        spit(path, orig, n);
        expect_corrupt(f, name, offs[1]);
        orig[offs[1] + flips[j]] ^= 0x01;
    }
    /* (b) the last record of a non-last segment */
    orig[n - 1] ^= 0x80;
    spit(path, orig, n);
    expect_corrupt(f, name, offs[nrec - 1]);
    orig[n - 1] ^= 0x80;
    /* (c) a non-last segment cut short */
    spit(path, orig, n - 3);
    expect_corrupt(f, name, offs[nrec - 1]);
    spit(path, orig, n);
    free(orig);

    /* (d) the first record of the last segment, followed by records of later batches */
    LastInfo li = last_info(f, NK);
    seg_file(f, li.seg, path, sizeof path);
    snprintf(name, sizeof name, "%020" PRIu64 ".log", li.seg);
    assert_true(record_offsets(path, offs, SL_ARRAY_LEN(offs)) >= 2);
    orig = slurp(path, &n);
    orig[LOG_RECORD_HEADER] ^= 0x04; /* payload byte of the first record */
    spit(path, orig, n);
    expect_corrupt(f, name, 0);
    orig[LOG_RECORD_HEADER] ^= 0x04;
    spit(path, orig, n);
    free(orig);

    /* the untouched log still opens */
    LogRecovery rep;
    Log *l = open_ok(f, 300, &rep);
    assert_int_equal(rep.records, NK);
    assert_int_equal(rep.truncated_bytes, 0);
    log_close(l);
}

/*
 * A corrupt record in the last batch followed only by records of that same batch is a torn
 * (never acknowledged) write: power loss may persist the batch's pages out of order.
 */
static void
test_log_corrupt_inside_last_batch(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1 << 20, NULL);
    for (uint64_t k = 0; k < 35; k++) {
        append_ok(l, k);
        sync_ok(l);
    }
    for (uint64_t k = 35; k < 40; k++)
        append_ok(l, k);
    sync_ok(l);
    log_close(l);

    char path[PATH_MAX];
    seg_file(f, 0, path, sizeof path);
    uint64_t offs[64];
    assert_int_equal(record_offsets(path, offs, SL_ARRAY_LEN(offs)), 40);
    size_t n;
    uint8_t *d = slurp(path, &n);
    d[offs[36] + 10] ^= 0x10; /* key of record 36 */
    spit(path, d, n);
    LogRecovery rep;
    l = open_ok(f, 1 << 20, &rep);
    assert_int_equal(rep.truncated_at, offs[36]);
    assert_int_equal(rep.truncated_bytes, n - offs[36]);
    assert_int_equal(rep.records, 36);
    log_close(l);
    free(d);
}

/*
 * Power-loss simulation (RELIABILITY C-03): damage only the bytes of the last, unacknowledged
 * batch — truncate it, zero a range of it, or flip a byte — and check that recovery always
 * succeeds with every earlier (acknowledged) record intact.
 */
static void
test_log_power_loss_random(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1 << 20, NULL);
    for (uint64_t k = 0; k < 30; k++) {
        append_ok(l, k);
        if (k % 4 == 3)
            sync_ok(l);
    }
    sync_ok(l);
    char path[PATH_MAX];
    seg_file(f, 0, path, sizeof path);
    size_t acked = (size_t)file_size(path);
    for (uint64_t k = 30; k < 40; k++)
        append_ok(l, k);
    sync_ok(l);
    log_close(l);
    size_t n;
    uint8_t *orig = slurp(path, &n);
    uint8_t *d = malloc(n);
    Collect *c = calloc(1, sizeof *c);
    uint32_t seed = 7;
    for (int i = 0; i < 300; i++) {
        memcpy(d, orig, n);
        size_t len = n;
        seed = seed * 1103515245u + 12345u;
        size_t at = acked + (seed >> 8) % (n - acked);
        seed = seed * 1103515245u + 12345u;
        switch (i % 3) {
        case 0:
            len = at;
            break;
        case 1: {
            size_t z = 1 + (seed >> 8) % 200;
            memset(d + at, 0, SL_MIN(z, n - at));
            break;
        }
        default:
            d[at] ^= (uint8_t)(1u << (seed >> 8) % 8);
            break;
        }
        spit(path, d, len);
        LogRecovery rep;
        l = open_ok(f, 1 << 20, &rep);
        assert_true(rep.records >= 30);
        read_all_ok(l, c);
        assert_int_equal(c->n, rep.records);
        for (size_t j = 0; j < c->n; j++)
            assert_int_equal(c->keys[j], j);
        log_close(l);
    }
    free(c);
    free(d);
    free(orig);
}

/* ---- log: failure injection --------------------------------------------------------------- */

typedef struct FailIo {
    int64_t budget;       /* bytes pwrite may still write; -1 = unlimited */
    int write_errno;      /* errno once the budget is spent */
    int fdatasync_errno;  /* 0 = succeed */
    int dirsync_errno;
    int pwrites, fdatasyncs, dirsyncs, ftruncates;
} FailIo;

static ssize_t
fail_pwrite(void *ctx, int fd, const void *buf, size_t n, off_t off)
{
    FailIo *x = ctx;
    x->pwrites++;
    if (x->budget >= 0) {
        if (x->budget == 0) {
            errno = x->write_errno;
            return -1;
        }
        if ((int64_t)n > x->budget)
            n = (size_t)x->budget;
        x->budget -= (int64_t)n;
    }
    return pwrite(fd, buf, n, off);
}

static int
fail_fdatasync(void *ctx, int fd)
{
    FailIo *x = ctx;
    x->fdatasyncs++;
    if (x->fdatasync_errno) {
        errno = x->fdatasync_errno;
        return -1;
    }
    return fdatasync(fd);
}

static int
fail_dirsync(void *ctx, int fd)
{
    FailIo *x = ctx;
    x->dirsyncs++;
    if (x->dirsync_errno) {
        errno = x->dirsync_errno;
        return -1;
    }
    return fsync(fd);
}

static int
fail_ftruncate(void *ctx, int fd, off_t len)
{
    FailIo *x = ctx;
    x->ftruncates++;
    return ftruncate(fd, len);
}

static void
set_fail_io(Log *l, FailIo *x)
{
    LogIo io = { fail_pwrite, fail_fdatasync, fail_dirsync, fail_ftruncate, x };
    log_set_io_for_tests(l, &io);
}

static void
test_log_group_commit(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 0, NULL);
    FailIo x = { .budget = -1 };
    set_fail_io(l, &x);
    for (uint64_t k = 0; k < 100; k++)
        append_ok(l, k);
    sync_ok(l);
    assert_int_equal(x.pwrites, 1);
    assert_int_equal(x.fdatasyncs, 1);
    assert_int_equal(x.dirsyncs, 1); /* the first segment was created */
    sync_ok(l);                      /* nothing pending: no I/O */
    assert_int_equal(x.pwrites, 1);
    assert_int_equal(x.fdatasyncs, 1);
    log_close(l);

    LogOptions o = { .dir = f->logdir, .fsync = false };
    SqlError err;
    err_init(&err, NULL);
    l = log_open(&o, NULL, &err);
    assert_non_null(l);
    set_fail_io(l, &x);
    append_ok(l, 100);
    sync_ok(l);
    assert_int_equal(x.pwrites, 2);
    assert_int_equal(x.fdatasyncs, 1);
    log_close(l);
}

static void
test_log_enospc(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1 << 20, NULL);
    for (uint64_t k = 0; k < 10; k++)
        append_ok(l, k);
    sync_ok(l);
    char path[PATH_MAX];
    seg_file(f, 0, path, sizeof path);
    off_t durable = file_size(path);

    FailIo x = { .budget = 100, .write_errno = ENOSPC };
    set_fail_io(l, &x);
    SqlError err;
    err_init(&err, NULL);
    for (uint64_t k = 10; k < 15; k++)
        append_ok(l, k);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "53100");
    err_clear(&err);
    assert_int_equal(x.ftruncates, 1);
    assert_int_equal(file_size(path), durable); /* partial write cut back */
    LogStats st;
    log_stats(l, &st);
    assert_int_equal(st.records, 10);
    assert_int_equal(st.pending_records, 0);
    assert_false(st.failed);

    /* EDQUOT is disk_full too; EIO from write is io_error, and still not a failed log */
    x.budget = 0;
    x.write_errno = EDQUOT;
    append_ok(l, 10);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "53100");
    err_clear(&err);
    x.write_errno = EIO;
    append_ok(l, 10);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    err_clear(&err);
    assert_int_equal(file_size(path), durable);

    /* space returns: the same keys are appended again and succeed */
    x.budget = -1;
    for (uint64_t k = 10; k < 15; k++)
        append_ok(l, k);
    sync_ok(l);
    log_close(l);
    LogRecovery rep;
    l = open_ok(f, 1 << 20, &rep);
    assert_int_equal(rep.truncated_bytes, 0);
    Collect *c = calloc(1, sizeof *c);
    read_all_ok(l, c);
    assert_int_equal(c->n, 15);
    for (size_t i = 0; i < 15; i++)
        assert_int_equal(c->keys[i], i);
    log_close(l);
    free(c);
}

/* ENOSPC when the batch starts a new segment: the new file is removed again. */
static void
test_log_enospc_on_roll(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1, NULL);
    append_ok(l, 0);
    sync_ok(l);
    FailIo x = { .budget = 0, .write_errno = ENOSPC };
    set_fail_io(l, &x);
    SqlError err;
    err_init(&err, NULL);
    append_ok(l, 5);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "53100");
    err_clear(&err);
    assert_int_equal(count_segments(f), 1);
    /* the next batch may even start at a smaller key than the dropped one */
    x.budget = -1;
    append_ok(l, 3);
    sync_ok(l);
    assert_int_equal(count_segments(f), 2);
    log_close(l);
    LogRecovery rep;
    l = open_ok(f, 1, &rep);
    assert_int_equal(rep.records, 2);
    log_close(l);
}

static void
test_log_fsync_eio(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1 << 20, NULL);
    for (uint64_t k = 0; k < 10; k++)
        append_ok(l, k);
    sync_ok(l);
    FailIo x = { .budget = -1, .fdatasync_errno = EIO };
    set_fail_io(l, &x);
    SqlError err;
    err_init(&err, NULL);
    append_ok(l, 10);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    err_clear(&err);
    LogStats st;
    log_stats(l, &st);
    assert_true(st.failed);
    assert_int_equal(st.records, 10);

    /* every later write errors, without touching the disk; no fsync retry */
    x.fdatasync_errno = 0;
    assert_int_equal(log_append(l, 11, "x", 1, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    err_clear(&err);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    err_clear(&err);
    assert_int_equal(x.fdatasyncs, 1);
    assert_int_equal(x.pwrites, 1);

    /* reads keep working and see only data confirmed before the failure */
    Collect *c = calloc(1, sizeof *c);
    read_all_ok(l, c);
    assert_int_equal(c->n, 10);
    log_close(l);

    /* reopening recovers from what reached the file, and the log is writable again */
    LogRecovery rep;
    l = open_ok(f, 1 << 20, &rep);
    assert_true(rep.records == 10 || rep.records == 11);
    append_ok(l, 11);
    sync_ok(l);
    log_stats(l, &st);
    assert_false(st.failed);
    log_close(l);
    free(c);
}

static void
test_log_dirsync_failure(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1, NULL);
    append_ok(l, 0);
    sync_ok(l);
    FailIo x = { .budget = -1, .dirsync_errno = EIO };
    set_fail_io(l, &x);
    SqlError err;
    err_init(&err, NULL);
    append_ok(l, 1);
    assert_int_equal(log_sync(l, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    err_clear(&err);
    LogStats st;
    log_stats(l, &st);
    assert_true(st.failed);
    assert_int_equal(st.segments, 1);
    assert_int_equal(count_segments(f), 1);
    log_close(l);
}

/* ---- log: truncation ---------------------------------------------------------------------- */

static void
test_log_truncate_before(void **state)
{
    Fixture *f = *state;
    Log *l = open_ok(f, 1, NULL); /* one segment per batch: segments 0, 10, 20, 30 */
    for (uint64_t k = 0; k < 40; k += 10) {
        append_ok(l, k);
        append_ok(l, k + 5);
        sync_ok(l);
    }
    assert_int_equal(count_segments(f), 4);
    SqlError err;
    err_init(&err, NULL);
    char path[PATH_MAX];

    assert_int_equal(log_truncate_before(l, 5, &err), 0); /* segment 0 holds key 5 */
    assert_int_equal(count_segments(f), 4);
    assert_int_equal(log_truncate_before(l, 9, &err), 0); /* 9 lies in [5, 10): keep */
    assert_int_equal(count_segments(f), 4);
    assert_int_equal(log_truncate_before(l, 25, &err), 0); /* deletes 0 and 10 */
    assert_int_equal(count_segments(f), 2);
    seg_file(f, 10, path, sizeof path);
    assert_int_equal(file_size(path), -1);
    seg_file(f, 20, path, sizeof path);
    assert_true(file_size(path) > 0);
    LogStats st;
    log_stats(l, &st);
    assert_int_equal(st.first_key, 20);
    assert_int_equal(st.segments, 2);

    assert_int_equal(log_truncate_before(l, 1000, &err), 0); /* never the active segment */
    assert_int_equal(count_segments(f), 1);
    Collect *c = calloc(1, sizeof *c);
    read_all_ok(l, c);
    assert_int_equal(c->n, 2);
    assert_int_equal(c->keys[0], 30);
    log_close(l);
    LogRecovery rep;
    l = open_ok(f, 1, &rep);
    assert_int_equal(rep.records, 2);
    append_ok(l, 40);
    sync_ok(l);
    log_close(l);
    free(c);
}

/* ---- fsutil ------------------------------------------------------------------------------- */

static void
test_fsutil(void **state)
{
    Fixture *f = *state;
    SqlError err;
    err_init(&err, NULL);
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/a/b/c", f->dir);
    assert_int_equal(fs_mkdirs(path, true, &err), 0);
    assert_int_equal(fs_mkdirs(path, true, &err), 0); /* exists: fine */
    snprintf(path, sizeof path, "%s/a/b/c/catalog.snap", f->dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);

    Buf b;
    buf_init(&b);
    assert_int_equal(fs_read_file(path, &b, &err), 1); /* missing */
    assert_false(err_is_set(&err));
    assert_int_equal(fs_write_file_atomic(path, "hello", 5, true, &err), 0);
    assert_int_equal(fs_read_file(path, &b, &err), 0);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "hello", 5);
    assert_int_equal(file_size(tmp), -1);

    static char big[300000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7);
    assert_int_equal(fs_write_file_atomic(path, big, sizeof big, false, &err), 0);
    buf_clear(&b);
    assert_int_equal(fs_read_file(path, &b, &err), 0);
    assert_int_equal(b.len, sizeof big);
    assert_memory_equal(b.data, big, sizeof big);
    assert_int_equal(fs_write_file_atomic(path, "", 0, true, &err), 0);
    buf_clear(&b);
    assert_int_equal(fs_read_file(path, &b, &err), 0);
    assert_int_equal(b.len, 0);
    buf_free(&b);

    /* a missing directory is an io_error naming the path */
    snprintf(path, sizeof path, "%s/nope/x.snap", f->dir);
    assert_int_equal(fs_write_file_atomic(path, "x", 1, true, &err), -1);
    assert_string_equal(err.sqlstate, "58030");
    assert_non_null(strstr(err.message, "nope/x.snap"));
    err_clear(&err);
    /* a file in the way of mkdir -p */
    snprintf(path, sizeof path, "%s/a/b/c/catalog.snap/d", f->dir);
    assert_int_equal(fs_mkdirs(path, false, &err), -1);
    err_clear(&err);
}

/* ---- rowcodec ----------------------------------------------------------------------------- */

static const SlType rc_types[] = { TYPE_BOOL,      TYPE_BIGINT,   TYPE_DOUBLE, TYPE_TEXT,
                                   TYPE_TIMESTAMP, TYPE_INTERVAL, TYPE_UNKNOWN, TYPE_TEXT,
                                   TYPE_BIGINT };
#define RC_NCOLS ((uint32_t)SL_ARRAY_LEN(rc_types))

static void
make_rows(Value *rows, uint32_t nrows, char *bigtext, uint32_t biglen)
{
    for (uint32_t r = 0; r < nrows; r++) {
        Value *v = rows + (size_t)r * RC_NCOLS;
        v[0] = val_bool(r % 2);
        v[1] = val_int(r == 1 ? INT64_MIN : r == 2 ? INT64_MAX : (int64_t)r * -7);
        v[2] = val_double(r == 1 ? -0.0 : r == 2 ? 1e308 : r / 3.0);
        v[3] = r == 3 ? val_text(bigtext, biglen) : val_text(r % 3 ? "abc" : "", r % 3 ? 3 : 0);
        v[4] = val_ts((int64_t)r * 1000000);
        v[5] = val_interval(-(int64_t)r);
        v[6] = val_null(TYPE_UNKNOWN);
        v[7] = val_text("é✓", (uint32_t)strlen("é✓"));
        v[8] = val_int(r);
        /* a NULL pattern that varies per row, including all-NULL row 4 */
        for (uint32_t c = 0; c < RC_NCOLS; c++)
            if (r == 4 || (r + c) % 5 == 0)
                v[c] = val_null(rc_types[c]);
    }
}

static void
assert_rows_equal(const Value *a, const Value *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a[i].isnull, b[i].isnull);
        assert_int_equal(a[i].type, b[i].type);
        if (a[i].isnull)
            continue;
        if (a[i].type == TYPE_TEXT) {
            assert_int_equal(a[i].len, b[i].len);
            assert_memory_equal(a[i].s, b[i].s, a[i].len);
        } else {
            assert_int_equal(a[i].i, b[i].i); /* doubles: same bits */
        }
    }
}

static void
test_rowcodec_roundtrip(void **state)
{
    Fixture *f = *state;
    SqlError err;
    err_init(&err, NULL);
    uint32_t biglen = 1u << 20;
    char *bigtext = malloc(biglen);
    for (uint32_t i = 0; i < biglen; i++)
        bigtext[i] = (char)('a' + i % 26);
    enum { NROWS = 12 };
    Value rows[NROWS * 9];
    make_rows(rows, NROWS, bigtext, biglen);

    Buf b;
    buf_init(&b);
    buf_append(&b, "xy", 2); /* encode appends */
    assert_int_equal(rowcodec_encode(&b, rc_types, RC_NCOLS, rows, NROWS, &err), 0);
    const char *payload = b.data + 2;
    size_t n = b.len - 2;
    uint32_t nr, nc;
    assert_int_equal(rowcodec_peek(payload, n, &nr, &nc, &err), 0);
    assert_int_equal(nr, NROWS);
    assert_int_equal(nc, RC_NCOLS);

    RowBatch rb;
    assert_int_equal(rowcodec_decode(payload, n, rc_types, RC_NCOLS, f->arena, false, &rb, &err),
                     0);
    assert_int_equal(rb.nrows, NROWS);
    assert_rows_equal(rows, rb.rows, NROWS * RC_NCOLS);
    /* zero-copy: the big text points into the payload */
    const Value *big = &rb.rows[3 * RC_NCOLS + 3];
    assert_int_equal(big->len, biglen);
    assert_true(big->s > payload && big->s < payload + n);
    /* copy_text, and no expected types */
    assert_int_equal(rowcodec_decode(payload, n, NULL, 0, f->arena, true, &rb, &err), 0);
    assert_rows_equal(rows, rb.rows, NROWS * RC_NCOLS);
    assert_int_equal(rb.types[6], TYPE_UNKNOWN);
    big = &rb.rows[3 * RC_NCOLS + 3];
    assert_true(big->s < payload || big->s >= payload + n);

    /* wrong expected schema */
    SlType other[] = { TYPE_BIGINT };
    assert_int_equal(rowcodec_decode(payload, n, other, 1, f->arena, false, &rb, &err), -1);
    assert_string_equal(err.sqlstate, "XX001");
    err_clear(&err);

    /* zero rows; zero columns */
    buf_clear(&b);
    assert_int_equal(rowcodec_encode(&b, rc_types, RC_NCOLS, NULL, 0, &err), 0);
    assert_int_equal(rowcodec_decode(b.data, b.len, rc_types, RC_NCOLS, f->arena, false, &rb,
                                     &err), 0);
    assert_int_equal(rb.nrows, 0);
    buf_clear(&b);
    assert_int_equal(rowcodec_encode(&b, NULL, 0, NULL, 5, &err), 0);
    assert_int_equal(rowcodec_decode(b.data, b.len, NULL, 0, f->arena, false, &rb, &err), 0);
    assert_int_equal(rb.nrows, 5);
    assert_int_equal(rb.ncols, 0);

    /* a value of the wrong type is refused and the buffer left as it was */
    buf_clear(&b);
    Value bad[RC_NCOLS];
    memcpy(bad, rows + RC_NCOLS, sizeof bad);
    bad[1] = val_text("1", 1);
    assert_int_equal(rowcodec_encode(&b, rc_types, RC_NCOLS, bad, 1, &err), -1);
    assert_string_equal(err.sqlstate, "XX000");
    assert_int_equal(b.len, 0);
    err_clear(&err);
    buf_free(&b);
    free(bigtext);
}

static void
test_rowcodec_garbled(void **state)
{
    Fixture *f = *state;
    SqlError err;
    err_init(&err, NULL);
    enum { NROWS = 6 };
    Value rows[NROWS * 9];
    char text[] = "some longer text value";
    make_rows(rows, NROWS, text, (uint32_t)strlen(text));
    Buf b;
    buf_init(&b);
    assert_int_equal(rowcodec_encode(&b, rc_types, RC_NCOLS, rows, NROWS, &err), 0);
    size_t n = b.len;
    RowBatch rb;

    /* every truncation is rejected; exact-size heap copies let ASan see any overread */
    for (size_t k = 0; k < n; k++) {
        char *p = malloc(k ? k : 1);
        memcpy(p, b.data, k);
        assert_int_equal(rowcodec_decode(p, k, rc_types, RC_NCOLS, f->arena, false, &rb, &err),
                         -1);
        assert_string_equal(err.sqlstate, "XX001");
        err_clear(&err);
        free(p);
        arena_reset(f->arena);
    }
    /* trailing garbage */
    char *p = malloc(n + 1);
    memcpy(p, b.data, n);
    p[n] = 0;
    assert_int_equal(rowcodec_decode(p, n + 1, NULL, 0, f->arena, false, &rb, &err), -1);
    err_clear(&err);
    free(p);

    /* every single-byte corruption either decodes or is rejected, never overreads */
    int rejected = 0;
    for (size_t k = 0; k < n; k++) {
        for (int bit = 0; bit < 8; bit += 3) {
            p = malloc(n);
            memcpy(p, b.data, n);
            p[k] ^= (char)(1 << bit);
            if (rowcodec_decode(p, n, NULL, 0, f->arena, false, &rb, &err) != 0) {
                rejected++;
                assert_string_equal(err.sqlstate, "XX001");
            }
            err_clear(&err);
            free(p);
            arena_reset(f->arena);
        }
    }
    assert_true(rejected > 0);
    /* a huge row count in a small payload is refused before allocating */
    p = malloc(n);
    memcpy(p, b.data, n);
    memset(p + 4, 0xFF, 4);
    assert_int_equal(rowcodec_decode(p, n, NULL, 0, f->arena, false, &rb, &err), -1);
    err_clear(&err);
    free(p);
    buf_free(&b);
}

/* Row batches stored in the log and replayed. */
typedef struct DecodeCtx {
    Arena *arena;
    const Value *expect;
    uint64_t n;
} DecodeCtx;

static int
decode_fn(void *ctx, uint64_t key, const void *payload, size_t n)
{
    DecodeCtx *d = ctx;
    SqlError err;
    err_init(&err, NULL);
    RowBatch rb;
    assert_int_equal(rowcodec_decode(payload, n, rc_types, RC_NCOLS, d->arena, true, &rb, &err),
                     0);
    assert_int_equal(key, d->n * 6);
    assert_int_equal(rb.nrows, 6);
    assert_rows_equal(d->expect, rb.rows, 6 * RC_NCOLS);
    d->n++;
    return 0;
}

static void
test_log_rowcodec(void **state)
{
    Fixture *f = *state;
    SqlError err;
    err_init(&err, NULL);
    Value rows[6 * 9];
    char text[] = "t";
    make_rows(rows, 6, text, 1);
    Buf b;
    buf_init(&b);
    Log *l = open_ok(f, 4096, NULL);
    for (uint64_t i = 0; i < 50; i++) {
        buf_clear(&b);
        assert_int_equal(rowcodec_encode(&b, rc_types, RC_NCOLS, rows, 6, &err), 0);
        assert_int_equal(log_append(l, i * 6, b.data, b.len, &err), 0);
    }
    sync_ok(l);
    log_close(l);
    l = open_ok(f, 4096, NULL);
    DecodeCtx d = { f->arena, rows, 0 };
    assert_int_equal(log_read_all(l, decode_fn, &d, &err), 0);
    assert_int_equal(d.n, 50);
    log_close(l);
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c_vectors),
        cmocka_unit_test_setup_teardown(test_log_roundtrip_rolls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_sparse_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_torn_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_torn_only_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_flipped_last_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_middle_corruption, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_corrupt_inside_last_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_power_loss_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_enospc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_enospc_on_roll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_fsync_eio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_dirsync_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_truncate_before, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fsutil, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rowcodec_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rowcodec_garbled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_rowcodec, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
