/*
 * storage/log.h — an append-only log of records in segment files: the storage of stream logs
 * (one record = one ingested batch, keyed by the offset of its first event) and of the catalog.
 *
 * On disk: one directory per log holding segment files "<key>.log", <key> being the key of the
 * segment's first record as 20 zero-padded decimal digits. A record is
 *
 *     off  0  u32  magic     'S' 'L' 'G' 0x01 (the last byte is the format version)
 *     off  4  u32  length    payload bytes
 *     off  8  u64  key       caller-supplied, non-decreasing over the whole log
 *     off 16  u64  batch     file offset of the first record written by the same log_sync
 *     off 24  u32  crc       CRC32C of bytes 0..23 followed by the payload
 *     off 28  payload
 *
 * all little-endian. Records are buffered by log_append and written by log_sync with one write
 * per sync (group commit). A new segment is started by the first append after a sync when the
 * active segment holds segment_bytes or more, so a batch never spans two segments.
 *
 * Recovery (log_open) validates every record. A bad record (bad magic, impossible length, CRC
 * mismatch, or a record cut short by the end of file) is a torn tail when it lies in the last
 * segment and every valid record after it belongs to the same sync batch (its `batch` field is
 * at or before the bad offset): that batch was never fully acknowledged, because a batch is only
 * written after the previous batch's fsync returned. The tail is then cut off (ftruncate +
 * fsync) and reported in LogRecovery. A bad record anywhere else — in a non-last segment, or
 * followed by a valid record of a later batch — is corruption of durable data: log_open fails
 * with XX001 data_corrupted naming the file and byte offset. Nothing is ever silently skipped.
 *
 * A Log is not thread-safe: one owner (the event loop) appends, syncs, reads and truncates.
 *
 * INTERFACE
 *   log_open               open or create a log directory, validate, repair a torn tail
 *   log_append             buffer one record (not durable until log_sync)
 *   log_sync               write the buffered records and fdatasync: everything appended is durable
 *   log_read               replay durable records with key >= from_key, in order
 *   log_read_all           replay every durable record
 *   log_read_last          the last durable record (stream recovery: next offset)
 *   log_truncate_before    delete whole old segments whose records all precede a key
 *   log_stats              counters: segments, bytes, records, first/last key, pending, failed
 *   log_close              release the Log (buffered, unsynced records are dropped)
 *   log_set_io_for_tests   replace write/fdatasync/fsync/ftruncate for failure injection
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct SqlError;

#define LOG_DEFAULT_SEGMENT_BYTES (64ull << 20)
#define LOG_MAX_RECORD (256u << 20)  /* largest payload log_append accepts */
#define LOG_RECORD_HEADER 28

typedef struct Log Log;

typedef struct LogOptions {
    const char *dir;          /* the log's directory; created (with parents) if missing */
    uint64_t segment_bytes;   /* roll to a new segment past this size; 0 = 64 MiB */
    bool fsync;               /* fdatasync in log_sync, fsync the directory on create/delete */
} LogOptions;

/* What log_open found and repaired. */
typedef struct LogRecovery {
    uint64_t segments;          /* segments after recovery */
    uint64_t records;           /* valid records after recovery */
    uint64_t bytes;             /* bytes in all segments after recovery */
    uint64_t truncated_bytes;   /* bytes cut off the torn tail (0 = none) */
    char truncated_file[256];   /* segment file name (no directory) that was cut, "" = none */
    uint64_t truncated_at;      /* byte offset in that file where the cut was made */
} LogRecovery;

typedef struct LogStats {
    uint64_t segments;          /* segment files */
    uint64_t bytes;             /* durable bytes (written by a successful log_sync) */
    uint64_t records;           /* durable records */
    uint64_t first_key;         /* key of the first durable record (valid when records > 0) */
    uint64_t last_key;          /* key of the last durable record (valid when records > 0) */
    uint64_t pending_records;   /* appended, not yet synced */
    uint64_t pending_bytes;
    bool failed;                /* an fsync failed: every append/sync errors until reopened */
} LogStats;

/*
 * Called once per record by log_read*. `payload` is valid only during the call. Return 0 to
 * continue, non-zero to stop the replay (log_read then returns that value).
 */
typedef int (*LogReadFn)(void *ctx, uint64_t key, const void *payload, size_t n);

/*
 * I/O hooks, for failure injection in tests (ENOSPC after N bytes, EIO from fdatasync, ...).
 * Each behaves like the system call it replaces: -1 with errno set on failure.
 */
typedef struct LogIo {
    ssize_t (*pwrite)(void *ctx, int fd, const void *buf, size_t n, off_t off);
    int (*fdatasync)(void *ctx, int fd);        /* a segment's data */
    int (*fsync_dir)(void *ctx, int fd);        /* the log directory */
    int (*ftruncate)(void *ctx, int fd, off_t len);
    void *ctx;
} LogIo;

/*
 * Open the log in o->dir (creating the directory if missing), scan and validate every segment,
 * and cut a torn tail as described above, reporting what was done in *rep (may be NULL).
 * Returns a new Log owned by the caller (free with log_close), or NULL with err set: 58030
 * io_error / 53100 disk_full for file-system failures, XX001 data_corrupted naming the segment
 * file and byte offset of the corruption. Borrows `o`; the directory string is copied.
 */
Log *log_open(const LogOptions *o, LogRecovery *rep, struct SqlError *err);

/*
 * Buffer one record with key `key` and `n` bytes of payload (copied). It is not written nor
 * durable until log_sync returns 0. Keys must be non-decreasing (compared with the last
 * appended record, or the last durable one after a failed sync). Allocates only to grow the
 * shared write buffer (amortised). Returns 0, or -1 with err set: XX000 for a decreasing key,
 * 54000 for a payload over LOG_MAX_RECORD, 58030 when the log has failed.
 */
int log_append(Log *l, uint64_t key, const void *payload, size_t n, struct SqlError *err);

/*
 * Write every buffered record with one write and, when fsync is on, fdatasync the segment (the
 * directory is fsynced when a segment was created): on return 0 everything appended so far is
 * durable and may be acknowledged. With nothing buffered it returns 0 at once.
 *
 * On a write failure returns -1 with 53100 disk_full (ENOSPC, EDQUOT) or 58030 io_error; the
 * segment is cut back to its last durable size, the buffered records are dropped (the caller
 * must not acknowledge them) and the log stays usable: later appends succeed once space returns.
 *
 * On an fsync failure returns -1 with 58030 and marks the log failed. Like PostgreSQL, the fsync
 * is not retried — after a failed fsync the kernel may have dropped the dirty pages and a retry
 * could falsely succeed — so every later log_append/log_sync fails with 58030 until the log is
 * closed and reopened (recovery then decides from what actually reached the disk). Reads keep
 * working and see only data confirmed by earlier successful syncs.
 */
int log_sync(Log *l, struct SqlError *err);

/*
 * Call fn for every durable record with key >= from_key, in log order (buffered, unsynced
 * records are not visible). Records are re-checked against their CRC; a mismatch is XX001.
 * Returns 0 after the last record, fn's non-zero return value if it stopped the replay, or -1
 * with err set.
 */
int log_read(Log *l, uint64_t from_key, LogReadFn fn, void *ctx, struct SqlError *err);

/* log_read from the first record. */
int log_read_all(Log *l, LogReadFn fn, void *ctx, struct SqlError *err);

/* Call fn once for the last durable record. Returns 0 (also when the log is empty: fn is not
 * called), fn's non-zero value, or -1 with err set. */
int log_read_last(Log *l, LogReadFn fn, void *ctx, struct SqlError *err);

/*
 * Delete, oldest first, each segment whose records all have keys < key and whose successor
 * starts at or before `key` (so a record holding events that straddle `key` — stream records
 * cover [key, next record's key) — is kept). The active (last) segment is never deleted.
 * The directory is fsynced when fsync is on. Returns 0, or -1 with err set (the segments
 * deleted so far stay deleted; the log remains consistent).
 */
int log_truncate_before(Log *l, uint64_t key, struct SqlError *err);

void log_stats(const Log *l, LogStats *out);

/* Close the files and free the Log. Buffered, unsynced records are dropped. NULL is a no-op. */
void log_close(Log *l);

/* Use `io` (copied) instead of the system calls; NULL restores them. For tests. */
void log_set_io_for_tests(Log *l, const LogIo *io);

#endif
