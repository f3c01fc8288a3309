/*
 * budget.h — a memory budget: an allocator that draws on another one and
 * refuses any allocation that would take the bytes held at once past a
 * limit, remembering the first refusal so the caller can say what was
 * needed.  casus_game_solve runs every solver on one (casus_solve_opts
 * .max_memory, `casus solve --max-memory`), so a game too large for the
 * machine fails with a message instead of swapping or being killed; the
 * solvers also estimate their large tables before allocating them and
 * refuse early, with the exact amount, against the same limit.  Nothing in
 * it is specific to games: the scenario runner can draw on one too.
 *
 * Accounting is by the sizes the allocator contract passes (osize, nsize),
 * so it is exact for libcasus's own allocations; memory a library takes
 * behind our back (GMP's limbs) is not counted.  A budget is not thread
 * safe: one per solve.
 */
#ifndef CASUS_BUDGET_H
#define CASUS_BUDGET_H

#include "base/internal.h"

struct casus_budget {
    struct casus_alloc inner; /* where the memory really comes from */
    size_t limit;             /* bytes that may be held at once */
    size_t used, peak;        /* held now, and at most so far */
    size_t refused;           /* the first allocation refused (bytes asked), 0: none */
    size_t refused_used;      /* bytes held when it was refused */
};

/* Start a budget of limit bytes over inner (limit 0: the default, half the
 * machine's memory). */
CASUS_INTERNAL void casus_budget_init(struct casus_budget *b, const struct casus_alloc *inner,
                                      size_t limit);

/* An allocator drawing on b (b must outlive every block it hands out, and
 * they must be freed through it). */
CASUS_INTERNAL struct casus_alloc casus_budget_alloc(struct casus_budget *b);

/* Would bytes more fit in b now?  bytes is a double so that estimates of
 * astronomically large tables compare without overflow. */
CASUS_INTERNAL bool casus_budget_fits(const struct casus_budget *b, double bytes);

/* Half the physical memory (sysconf), or 1 GiB when it cannot be read. */
CASUS_INTERNAL size_t casus_budget_default(void);

/* "1.5 GiB" / "512 MiB" / "12 KiB" / "300 bytes" for messages (binary
 * units, like --max-memory's suffixes), into buf (at least 32 bytes). */
CASUS_INTERNAL const char *casus_budget_fmt(double bytes, char *buf, size_t n);

#endif
