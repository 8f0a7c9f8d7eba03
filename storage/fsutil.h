/*
 * storage/fsutil.h — small file-system helpers with SqlError reporting: atomic whole-file
 * replacement (catalog snapshots, checkpoints), whole-file reads, directory creation and fsync.
 *
 * Errors: ENOSPC/EDQUOT give 53100 disk_full, every other failure 58030 io_error; the message
 * names the path and the failed call.
 *
 * INTERFACE
 *   fs_write_file_atomic   replace a file by write temp + fsync + rename + fsync directory
 *   fs_read_file           read a whole file into a Buf (1 when it does not exist)
 *   fs_mkdirs              create a directory and its missing parents (mkdir -p)
 *   fs_fsync_dir           fsync a directory so created/renamed/removed entries are durable
 *   fs_remove_tree         delete a directory tree (DROP STREAM, tests)
 *   fs_set_errno_error     set err from errno: disk_full or io_error, "could not <what> "<path>""
 */
#ifndef SL_FSUTIL_H
#define SL_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

struct Buf;
struct SqlError;

/*
 * Write `n` bytes of `data` to "<path>.tmp", fsync it (when `fsync`), rename it over `path`
 * and fsync the containing directory (when `fsync`). After a crash the file holds either the
 * old or the new contents, never a mix. Returns 0, or -1 with err set (the temp file is
 * removed; `path` is untouched). Borrows `data`; caller keeps it.
 */
int fs_write_file_atomic(const char *path, const void *data, size_t n, bool fsync,
                         struct SqlError *err);

/*
 * Append the contents of `path` to `out`. Returns 0 on success, 1 when the file does not
 * exist (err untouched, `out` unchanged), -1 on any other error with err set.
 */
int fs_read_file(const char *path, struct Buf *out, struct SqlError *err);

/* mkdir -p `path` (mode 0755). When a directory is created its parent is fsynced if `fsync`.
 * Returns 0 or -1 with err set (also when `path` exists and is not a directory). */
int fs_mkdirs(const char *path, bool fsync, struct SqlError *err);

/* fsync the directory `path`. Returns 0 or -1 with err set. */
int fs_fsync_dir(const char *path, struct SqlError *err);

/* Remove `path` and everything below it; a missing path is success. Returns 0 or -1. */
int fs_remove_tree(const char *path, struct SqlError *err);

/* Record errno `e` for "could not <what> "<path>"" in err (53100 for ENOSPC/EDQUOT, else 58030). */
void fs_set_errno_error(struct SqlError *err, int e, const char *what, const char *path);

#endif
