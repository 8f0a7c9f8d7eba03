/*
 * storage/fsutil.c — file-system helpers (see fsutil.h).
 */
#include "storage/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"

void
fs_set_errno_error(SqlError *err, int e, const char *what, const char *path)
{
    SqlErrCode code = ERR_IO_ERROR;
    if (e == ENOSPC || e == EDQUOT)
        code = ERR_DISK_FULL;
    err_setf(err, code, -1, "could not %s \"%s\": %s", what, path, strerror(e));
}

/* Copy the directory part of `path` into `dir` ("." when there is none). */
static void
dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, cap, ".");
    } else if (slash == path) {
        snprintf(dir, cap, "/");
    } else {
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
    }
}

int
fs_fsync_dir(const char *path, SqlError *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "open directory", path);
        return -1;
    }
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        fs_set_errno_error(err, e, "fsync directory", path);
        return -1;
    }
    close(fd);
    return 0;
}

static int
write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int
fs_write_file_atomic(const char *path, const void *data, size_t n, bool do_fsync, SqlError *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "path too long: \"%s\"", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fs_set_errno_error(err, errno, "create file", tmp);
        return -1;
    }
    if (write_all(fd, data, n) != 0) {
        fs_set_errno_error(err, errno, "write file", tmp);
        goto fail;
    }
    if (do_fsync && fsync(fd) != 0) {
        fs_set_errno_error(err, errno, "fsync file", tmp);
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        fs_set_errno_error(err, errno, "close file", tmp);
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        fs_set_errno_error(err, errno, "rename file", tmp);
        goto fail;
    }
    if (do_fsync) {
        char dir[PATH_MAX];
        dir_of(path, dir, sizeof dir);
        if (fs_fsync_dir(dir, err) != 0)
            return -1; /* the rename happened; only its durability is in doubt */
    }
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}

int
fs_read_file(const char *path, Buf *out, SqlError *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        fs_set_errno_error(err, errno, "open file", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        buf_reserve(out, (size_t)st.st_size);
    size_t start = out->len;
    for (;;) {
        buf_reserve(out, 65536);
        ssize_t r = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            out->len = start;
            if (out->data)
                out->data[start] = '\0';
            fs_set_errno_error(err, e, "read file", path);
            return -1;
        }
        if (r == 0)
            break;
        out->len += (size_t)r;
    }
    out->data[out->len] = '\0';
    close(fd);
    return 0;
}

int
fs_mkdirs(const char *path, bool do_fsync, SqlError *err)
{
    char p[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof p) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1, "invalid directory path \"%s\"", path);
        return -1;
    }
    memcpy(p, path, n + 1);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    /* Walk every prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        char save = p[i];
        p[i] = '\0';
        struct stat st;
        if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                fs_set_errno_error(err, ENOTDIR, "create directory", p);
                return -1;
            }
        } else if (errno != ENOENT) {
            fs_set_errno_error(err, errno, "stat", p);
            return -1;
        } else {
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                fs_set_errno_error(err, errno, "create directory", p);
                return -1;
            }
            if (do_fsync) {
                char dir[PATH_MAX];
                dir_of(p, dir, sizeof dir);
                if (fs_fsync_dir(dir, err) != 0)
                    return -1;
            }
        }
        p[i] = save;
    }
    return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int
fs_remove_tree(const char *path, SqlError *err)
{
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT)
        return 0;
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        fs_set_errno_error(err, errno, "remove", path);
        return -1;
    }
    return 0;
}
