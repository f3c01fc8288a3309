/*
 * sens_api.h — the inside of a public casus_sens (include/casus/sens.h):
 * what sens_api.c (building and running an analysis over sens.c) and
 * sens_report.c (text, JSON, CSV and SVG renderings) share.
 *
 * Ownership: a casus_sens owns every array below, allocated through its
 * allocator in one place each (sens_api.c) and freed by casus_sens_free.
 */
#ifndef CASUS_SENS_API_H
#define CASUS_SENS_API_H

#include "casus/sens.h"
#include "uq/dist.h"
#include "uq/sens.h"

struct casus_sens {
    struct casus_alloc alloc;     /* everything below comes from here */
    casus_sens_options opt;       /* copy, threads resolved */
    const char *builtin;          /* built-in function name, or NULL */
    size_t d;                     /* inputs */
    char **names;                 /* d names, NUL-terminated copies */
    casus_sens_input *inputs;     /* d copies (names point into names[]) */
    struct casus_dist *dists;     /* d distributions, or NULL (unit cube) */
    double *tables;               /* discrete values, weights, cum, packed */
    size_t ntables;               /* doubles in tables */
    casus_sens_model_fn fn;       /* the model */
    void *model_ud;               /* its first argument */
    char *model_title;            /* what the output is, for reports, or NULL */
    void (*model_free)(void *ud); /* frees model_ud with the analysis, or NULL */
    casus_sens_progress_cb progress;
    void *progress_ud;
    unsigned part, nparts; /* process partition (MPI) */
    casus_sens_gather_cb gather;
    void *gather_ud;
    /* results */
    bool done;                   /* a successful analysis is stored */
    casus_sens_interval ci;      /* interval kind of S1/ST/S2 */
    size_t nidx;                 /* S1, ST, S2 estimates */
    double *est, *lo, *hi;       /* nidx each (sobol) */
    double *exact;               /* nidx analytic values (built-ins), or NULL */
    double *mu, *mustar, *sigma; /* d each (morris) */
    double *at_lo, *at_hi;       /* d each (tornado) */
    double at_mid;               /* output at the medians */
    double var;                  /* output variance (sobol) */
    size_t evals;                /* model evaluations */
    casus_error err;             /* of the last failure */
};

/* Index of the S2 of inputs j < k in est/lo/hi. */
static inline size_t casus_sens_api_s2(const struct casus_sens *s, size_t j, size_t k)
{
    return casus_sens_s2_index(s->d, j, k);
}

/* Name the model's output for reports and hand model_ud's ownership to s
 * (model_free is called by casus_sens_free).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status casus_sens_set_model(struct casus_sens *s, const char *title,
                                                 void (*model_free)(void *ud));

#endif
