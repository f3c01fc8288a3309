/*
 * nfg.h — strategic-form games and the Gambit .nfg (version 1) reader and
 * writer, in both documented variants: the payoff version (a flat list of
 * payoffs, player 1's strategy varying fastest) and the outcome version (a
 * list of labelled outcomes, then one outcome number per cell).  Strategies
 * may be given as counts or as label lists; the writer reproduces whichever
 * style and variant the file used, so write -> read -> write is a fixed point
 * and read(write(g)) equals g (casus_nfg_equal).
 *
 * Ownership: a struct casus_nfg owns everything through its arena and is
 * freed by casus_nfg_free.  Immutable once read.
 */
#ifndef CASUS_NFG_H
#define CASUS_NFG_H

#include "base/diag.h"
#include "game/gtree.h"

struct casus_nfg {
    struct casus_alloc alloc;
    struct casus_arena arena;
    const char *title;
    const char *comment; /* "" when absent */
    bool has_comment;    /* the file had a description string */
    uint32_t nplayers;
    const char **player;
    uint32_t *nstrat;   /* strategies per player */
    uint32_t *strat0;   /* player p's labels are strat[strat0[p] ..] */
    const char **strat; /* labels ("1".."k" when given as counts) */
    bool strat_labels;  /* strategies were given as label lists */
    bool outcome_form;  /* outcome version (else payoff version) */
    uint32_t noutcome;
    const char **out_label;     /* noutcome labels */
    struct casus_num *out_pay;  /* noutcome * nplayers */
    uint32_t ncell;             /* product of nstrat */
    uint32_t *cell_out;         /* outcome version: 0 = null, else 1..noutcome */
    struct casus_num *cell_pay; /* payoff version: ncell * nplayers */
    double *pay;                /* ncell * nplayers, for solvers (both versions) */
};

/* Parse an .nfg file; same conventions and errors as casus_efg_read
 * (CASUS_EINVAL with a diagnostic for malformed files, CASUS_ELIMIT,
 * CASUS_ENOMEM).  O(len). */
CASUS_INTERNAL casus_status casus_nfg_read(const struct casus_alloc *alloc, struct casus_diags *d,
                                           const char *name, const char *text, size_t len,
                                           const struct casus_gtree_limits *lim,
                                           struct casus_nfg **out);

CASUS_INTERNAL void casus_nfg_free(struct casus_nfg *g);

/* Append the game as an .nfg file in the variant it was read in. */
CASUS_INTERNAL casus_status casus_nfg_write(const struct casus_nfg *g, casus_buf *out);

/* Structural and textual equality (labels, numbers by text). */
CASUS_INTERNAL bool casus_nfg_equal(const struct casus_nfg *a, const struct casus_nfg *b);

/* Index of the cell where player p plays strategy s[p] (player 1 fastest). */
CASUS_INTERNAL uint32_t casus_nfg_cell(const struct casus_nfg *g, const uint32_t *s);

#endif
