/*
 * out.c — how the casus front end writes its results: all of stdout in one
 * go after the command succeeded, and files replaced whole, so that a
 * failure never leaves a partial file and a reader never sees one.
 *
 * A file is written to a new temporary file in the same directory, made
 * by mkstemp (O_CREAT|O_EXCL: never an existing file, never through a
 * symbolic link planted at its name, a fresh name for every writer so two
 * writers of the same file do not meet), flushed to disk with fsync, then
 * renamed over the destination, and the directory is fsync'ed so that the
 * rename survives a crash.  A symbolic link at the destination is replaced
 * by the file, never written through.  Character devices, pipes and
 * sockets (/dev/null, a FIFO, >(...)) are written in place, and
 * /dev/stdout goes through the standard output stream so that it keeps
 * its order with what the command prints there.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int cli_write_stdout(const struct cli_cmd *cmd, const casus_buf *b)
{
    if (b->failed) {
        cli_error(cmd, "out of memory while rendering output");
        return CLI_EXIT_FAIL;
    }
    if ((b->len && fwrite(b->data, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
        cli_error(cmd, "cannot write output: %s", strerror(errno));
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

/* Write all n bytes at p to fd; false with errno set on failure. */
static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static int write_error(const struct cli_cmd *cmd, const char *path, int err)
{
    cli_error(cmd, "cannot write '%s': %s", path, strerror(err));
    return CLI_EXIT_IO;
}

/* A device, pipe or socket: written in place. */
static int write_direct(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return write_error(cmd, path, errno);
    bool ok = write_all(fd, b->data ? b->data : "", b->len);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    return ok ? CLI_EXIT_OK : write_error(cmd, path, err);
}

/* The permissions of a new file: those of the file it replaces, else
 * 0666 less the umask (what the shell's > gives). */
static mode_t new_mode(const struct stat *old, bool exists)
{
    if (exists)
        return old->st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* fsync the directory dir, so that a rename in it is durable; false with
 * errno set on failure.  File systems that cannot sync a directory
 * (EINVAL) are left as they are. */
static bool sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0 || errno == EINVAL;
    int err = errno;
    close(fd);
    errno = err;
    return ok;
}

/* Write b to a new temporary file next to path, then rename it over path. */
static int write_replace(const struct cli_cmd *cmd, const char *path, const casus_buf *b,
                         const struct stat *old, bool exists)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0; /* "dir/" */
    char tmp[PATH_MAX], dir[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%.*s.%s.XXXXXX", (int)dlen, path, path + dlen) >=
        sizeof tmp)
        return write_error(cmd, path, ENAMETOOLONG);
    /* "dir/x": "dir"; "/x": "/"; "x": "." */
    snprintf(dir, sizeof dir, "%.*s", dlen > 1 ? (int)dlen - 1 : 1, dlen ? path : ".");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return write_error(cmd, path, errno);
    bool ok = fchmod(fd, new_mode(old, exists)) == 0 &&
              write_all(fd, b->data ? b->data : "", b->len) && fsync(fd) == 0;
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        unlink(tmp);
        return write_error(cmd, path, err);
    }
    if (!sync_dir(dir))
        return write_error(cmd, path, errno);
    return CLI_EXIT_OK;
}

int cli_write_file(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    if (b->failed) {
        cli_error(cmd, "out of memory while rendering output");
        return CLI_EXIT_FAIL;
    }
    if (strcmp(path, "/dev/stdout") == 0)
        return cli_write_stdout(cmd, b);
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return write_direct(cmd, path, b);
    if (exists && !S_ISREG(st.st_mode))
        return write_error(cmd, path, S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
    return write_replace(cmd, path, b, &st, exists);
}
