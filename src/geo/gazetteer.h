/*
 * gazetteer.h — named places: "Kyiv" -> 50.4501 N 30.5234 E, Ukraine.
 *
 * The gazetteer is a CSV source (data/gazetteer.csv, shipped in the builtin
 * pack) with the header
 *
 *     name,aliases,lat,lon,sovereign,unit,note,source
 *
 * aliases are '|'-separated; sovereign is the ISO 3166 alpha-3 code the
 * gazetteer vouches for today (NE codes such as KOS where ISO has none);
 * unit optionally overrides the polygon's land unit; note explains why
 * (Narva: NE draws the border too far west).  Fields may be double-quoted
 * ("" escapes a quote); blank lines are skipped.
 *
 * Names are matched after normalisation (casus_name_normalize): ASCII case
 * folded, Latin accents stripped (ó -> o, ș -> s), everything that is not a
 * letter or digit dropped, so "Rzeszow" == "Rzeszów" and
 * "saint denis" == "Saint-Denis".  Lookup is one hash probe.
 *
 * Ownership: the gazetteer owns copies of all its strings (in its own
 * arena); returned places stay valid until casus_gazetteer_free().  Lookups
 * are read-only and thread-safe.
 */
#ifndef CASUS_GAZETTEER_H
#define CASUS_GAZETTEER_H

#include "base/diag.h"
#include "geo/geo.h"

struct casus_place {
    const char *name; /* canonical name, UTF-8 */
    double lat, lon;
    const char *sovereign; /* ISO alpha-3 the gazetteer vouches for, or NULL */
    const char *unit;      /* land unit override, or NULL */
    const char *note;      /* sourced remark, or NULL */
    const char *source;    /* where the coordinates come from, or NULL */
};

struct casus_gazetteer;

/* Normalise s[0..len) for matching into out (capacity cap, always
 * NUL-terminated; output is truncated to cap - 1 bytes).  Returns the
 * normalised length.  O(len), allocates nothing. */
CASUS_INTERNAL size_t casus_name_normalize(const char *s, size_t len, char *out, size_t cap);

/* Parse the CSV text of registered source `src` in d and build a
 * gazetteer in *out; geo (may be NULL) is kept for casus_gazetteer_locate.
 * Malformed rows and duplicate names are reported as "gazetteer-row"
 * errors with a span on the field.  Returns CASUS_OK, CASUS_ECOMPILE if any
 * row was bad (*out stays NULL), CASUS_ENOMEM, or CASUS_EINVAL for an
 * unknown source id.  Never crashes on arbitrary bytes. */
CASUS_INTERNAL casus_status casus_gazetteer_load(struct casus_gazetteer **out,
                                                 const struct casus_alloc *a, struct casus_diags *d,
                                                 uint32_t src, const struct casus_geo *geo);

/* Free a gazetteer and everything in it.  NULL is a no-op. */
CASUS_INTERNAL void casus_gazetteer_free(struct casus_gazetteer *g);

/* The place whose name or an alias normalises like name[0..len), or NULL.
 * O(len), allocates nothing. */
CASUS_INTERNAL const struct casus_place *casus_gazetteer_find(const struct casus_gazetteer *g,
                                                              const char *name, size_t len);

/* For an unknown name: the canonical name of the place whose normalised
 * name or alias is nearest in edit distance (at most 2 for short names, 3
 * otherwise); failing that, the first whose name begins with the normalised
 * query ("Hamilton" finds "Hamilton (Bermuda)"); or NULL.  O(names * len^2). */
CASUS_INTERNAL const char *casus_gazetteer_suggest(const struct casus_gazetteer *g,
                                                   const char *name, size_t len);

/* Places a bare name may mean: those whose name, with a parenthesised
 * qualifier dropped, normalises like name[0..len) ("Hamilton" for
 * "Hamilton (Bermuda)" and "Hamilton (Ontario)").  Up to max of them go to
 * out, in file order; returns how many there are.  O(places · name). */
CASUS_INTERNAL size_t casus_gazetteer_candidates(const struct casus_gazetteer *g, const char *name,
                                                 size_t len, const struct casus_place **out,
                                                 size_t max);

/* Locate place p on a date with the geography given at load time (one
 * casus_geo_locate; places are not located at load, which keeps start-up
 * free of coordinate lookups).  CASUS_ESTATE if loaded without geography. */
CASUS_INTERNAL casus_status casus_gazetteer_locate(const struct casus_gazetteer *g,
                                                   const struct casus_place *p, int32_t date,
                                                   struct casus_geo_hit *out);

/* Number of places, and the i-th in file order (NULL past the end). */
CASUS_INTERNAL size_t casus_gazetteer_count(const struct casus_gazetteer *g);
CASUS_INTERNAL const struct casus_place *casus_gazetteer_at(const struct casus_gazetteer *g,
                                                            size_t i);

#endif
