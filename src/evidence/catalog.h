/*
 * catalog.h — the datasets and fits shipped inside libcasus, found by
 * name: `icb-crises` is data/evidence/icb-crises.csv in the pack
 * (base/pack.h), described by a row of data/evidence/catalog.csv (title,
 * unit of observation, citation, address, terms); a fit NAME is
 * data/fits/NAME.json.  Provenance lives in those files, not in C.
 *
 * Ownership: strings live in the arena given (or in the pack, which is
 * read-only and lives as long as the program).  O(catalogue size).
 */
#ifndef CASUS_EVIDENCE_CATALOG_H
#define CASUS_EVIDENCE_CATALOG_H

#include "base/diag.h"

struct ev_dataset {
    const char *name, *file, *title, *unit, *citation, *url, *terms;
};

/* Every shipped dataset, in the catalogue's order.  CASUS_ENOMEM, or
 * CASUS_EINVAL for a broken build (a diagnostic says so). */
CASUS_INTERNAL casus_status ev_catalog_read(struct casus_arena *a, struct casus_diags *d,
                                            const struct ev_dataset **out, uint32_t *n);

/* The shipped dataset `name`: its entry and a diagnostics source holding
 * its CSV (named data/evidence/FILE).  CASUS_ENOTFOUND (no diagnostic:
 * the caller knows where the name was written), CASUS_ENOMEM,
 * CASUS_EINVAL. */
CASUS_INTERNAL casus_status ev_catalog_open(struct casus_arena *a, struct casus_diags *d,
                                            const char *name, const struct ev_dataset **entry,
                                            uint32_t *src);

/* The shipped fit `name` (data/fits/NAME.json) as a diagnostics source.
 * CASUS_ENOTFOUND, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status ev_catalog_fit(struct casus_diags *d, const char *name, uint32_t *src);

#endif
