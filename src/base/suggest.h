/*
 * suggest.h — "did you mean 'x'?": the one rule casus uses everywhere to
 * propose a known name for a misspelt one (actors, places, treaties,
 * scenarios, policies, vocabulary words, sources, rungs...).
 *
 * The suggestion is the candidate nearest in case-insensitive Levenshtein
 * distance, provided it is within the cut-off: 1 edit for names of up to two
 * characters, 2 edits otherwise.  Ties go to the candidate offered first, so
 * a suggestion depends only on the order of the candidates.  Names longer
 * than 63 bytes are never matched (distance counts as infinite).
 *
 * Use: casus_suggest() over an array, or begin / offer... / best when the
 * candidates live in another shape (a table of structs, normalised keys
 * reported under another name).  Nothing is allocated; all functions are
 * reentrant.  Cost: O(len(name) · len(candidate)) per candidate.
 */
#ifndef CASUS_SUGGEST_H
#define CASUS_SUGGEST_H

#include "base/internal.h"

/* Levenshtein distance, case-insensitive for ASCII letters, capped at `cap`
 * (returns cap when the distance is cap or more, or when a string is longer
 * than 63 bytes). */
CASUS_INTERNAL int casus_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
                                       int cap);

/* A search in progress: the name looked for and the best candidate so far. */
struct casus_suggest {
    const char *name; /* borrowed */
    size_t len;       /* its length in bytes */
    int bound;        /* distance a candidate must beat */
    const char *best; /* what to report for the best candidate, or NULL */
};

/* Start a search for name[0..len). */
CASUS_INTERNAL void casus_suggest_begin(struct casus_suggest *s, const char *name, size_t len);

/* Offer a candidate compared as `key` (NUL-terminated) and reported as
 * `report` (often the same string; the gazetteer compares normalised keys
 * and reports place names).  NULL keys are ignored. */
CASUS_INTERNAL void casus_suggest_offer(struct casus_suggest *s, const char *key,
                                        const char *report);

/* The suggestion (borrowed from the candidates), or NULL when none is close. */
static inline const char *casus_suggest_best(const struct casus_suggest *s)
{
    return s->best;
}

/* One call over an array: n candidate strings spaced `stride` bytes apart
 * (so a table of structs whose first field is the name works too); NULL
 * entries are skipped.  Returns the suggestion or NULL. */
CASUS_INTERNAL const char *casus_suggest(const char *name, const char *const *cands, size_t n,
                                         size_t stride);

#endif
