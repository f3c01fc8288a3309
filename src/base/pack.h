/*
 * pack.h — the pack of files compiled into libcasus (src/base/embed.S,
 * built by tools/mkpack.sh): world facts, treaties, the gazetteer, the
 * shipped scenarios, the evidence datasets and the shipped fits.
 *
 * Format: for each file a line with its path, a line with its size in
 * bytes, then the bytes; a final empty line ends the pack.  The pack is
 * read-only data: every function here is pure and thread-safe.
 */
#ifndef CASUS_PACK_H
#define CASUS_PACK_H

#include "base/internal.h"

struct casus_pack_file {
    const char *name; /* its path in the repository, not NUL-terminated */
    size_t nlen;
    const char *body; /* its bytes, not NUL-terminated */
    size_t size;
};

/* The pack's bounds. */
CASUS_INTERNAL void casus_pack_bounds(const char **begin, const char **end);

/* The file at *p (advanced past it): 1 when one was read, 0 at the final
 * empty line, -1 when the pack is corrupt.  O(1). */
CASUS_INTERNAL int casus_pack_next(const char **p, const char *end, struct casus_pack_file *f);

/* The file whose path is `path` (e.g. "data/evidence/icb-crises.csv"):
 * true and *f filled, or false.  O(files). */
CASUS_INTERNAL bool casus_pack_find(const char *path, struct casus_pack_file *f);

#endif
