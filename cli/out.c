/*
 * out.c — how the casus front end writes its results: all of stdout in one
 * go after the command succeeded, and files replaced whole (a temporary
 * file renamed into place) so that a failure never leaves a partial file.
 */
#include "cli.h"

#include <errno.h>
#include <sys/stat.h>
#include <string.h>

bool cli_write_stdout(const struct cli_cmd *cmd, const casus_buf *b)
{
    if (b->failed) {
        cli_error(cmd, "out of memory while rendering output");
        return false;
    }
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len) {
        cli_error(cmd, "cannot write output: %s", strerror(errno));
        return false;
    }
    if (fflush(stdout) != 0) {
        cli_error(cmd, "cannot write output: %s", strerror(errno));
        return false;
    }
    return true;
}

/* Write b to an already open stream; false with a message on failure. */
static bool write_direct(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok &= fclose(f) == 0;
    if (!ok)
        cli_error(cmd, "cannot write '%s'", path);
    return ok;
}

bool cli_write_file(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    /* Only a regular file (or a new one) is replaced by a rename; devices,
       pipes and symbolic links (/dev/stdout) are written in place. */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_direct(cmd, path, b);
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-casus", path) >= sizeof tmp) {
        cli_error(cmd, "file name too long: '%s'", path);
        return false;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        remove(tmp);
    }
    return ok;
}
