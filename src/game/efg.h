/*
 * efg.h — reading and writing Gambit extensive-form files (.efg, version 2).
 *
 * The reader is tolerant where Gambit's format allows it and Gambit 17 is
 * not: duplicate node and information-set labels are kept as they are (no
 * renaming), `D` files are read exactly like `R` files, and chance
 * probabilities that sum to one within 1e-4 are accepted with a warning and
 * renormalised (larger gaps are errors).  Everything else Gambit rejects is
 * an error with a `file:line:col` diagnostic.  The writer is canonical, like
 * Gambit 17's: infosets renumbered 1..k per player, outcomes 1..m in order of
 * first use, every infoset and outcome restated in full at every node,
 * numbers printed with their original text; so write -> read -> write is a
 * fixed point and read(write(g)) equals g (casus_gtree_equal).
 *
 * Ownership: the reader copies the text into the diagnostics context (so
 * spans can be rendered) and returns a game the caller frees with
 * casus_gtree_free.  It never reads past len, never recurses, and bounds
 * memory by the limits.
 */
#ifndef CASUS_EFG_H
#define CASUS_EFG_H

#include "base/diag.h"
#include "game/gtree.h"

/* Parse an .efg file.  name is used in diagnostics; text need not be
 * NUL-terminated.  lim may be NULL (CASUS_GTREE_LIMITS_INIT).
 * Returns CASUS_OK and *out, or:
 *   CASUS_EINVAL  malformed file (an error diagnostic says where and why),
 *   CASUS_ELIMIT  a limit was exceeded (diagnostic too),
 *   CASUS_ENOMEM  out of memory.
 * Warnings (renormalised chance probabilities) may be added on success.
 * Time O(len + nodes log nodes). */
CASUS_INTERNAL casus_status casus_efg_read(const struct casus_alloc *alloc, struct casus_diags *d,
                                           const char *name, const char *text, size_t len,
                                           const struct casus_gtree_limits *lim,
                                           struct casus_gtree **out);

/* Append the game as an .efg file.  CASUS_ENOMEM if the buffer failed. */
CASUS_INTERNAL casus_status casus_efg_write(const struct casus_gtree *g, casus_buf *out);

/* Append the game as a Graphviz DOT digraph: nodes labelled by player or
 * chance, edges by action (and probability), leaves by the summed payoff
 * vector, information sets joined by dashed undirected edges. */
CASUS_INTERNAL casus_status casus_efg_write_dot(const struct casus_gtree *g, casus_buf *out);

#endif
