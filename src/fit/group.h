/*
 * group.h — identical observations grouped into one weighted row.
 *
 * The log-likelihood is a sum over observations, so observations with the
 * same regressors in every equation and the same outcome contribute the
 * same term; fitting one row per distinct observation, weighted by its
 * count, gives the same log-likelihood, gradient and Hessian (up to the
 * order of a sum) at a fraction of the cost when regressors are discrete:
 * fixed utilities (every row alike but for the outcome), factor-only
 * models.  With continuous regressors nothing groups and nothing changes.
 *
 * Ownership: arrays in the arena given.  O(n k) expected (hashing).
 */
#ifndef CASUS_FIT_GROUP_H
#define CASUS_FIT_GROUP_H

#include "fit/design.h"

struct fit_groups {
    size_t n;        /* distinct rows */
    uint32_t *of;    /* per observation: its group */
    uint32_t *first; /* per group: its first observation (groups in order of it) */
    double *count;   /* per group: observations in it */
};

/* Group the observations of ds (all equations' regressors, the outcome, the
 * offer and acceptance).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_group_rows(const struct fit_design *ds, struct casus_arena *a,
                                           struct fit_groups *g);

/* The design restricted to the groups' first rows, into out (arrays in
 * the arena; names and fixed values shared with ds).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_group_design(const struct fit_design *ds,
                                             const struct fit_groups *g, struct casus_arena *a,
                                             struct fit_design *out);

#endif
