/*
 * par.h — a minimal fork/join over POSIX threads for the numerical modules
 * (sens.c): run one function on W workers, each told its number w < W, and
 * wait for all of them.  Work is split by the caller as a fixed function of
 * (w, W) — never by who finishes first — and every worker writes only its own
 * slots, so results do not depend on scheduling.  If a thread cannot be
 * started its share runs on the calling thread after the others, which
 * changes the timing but not a bit of the result.
 *
 * Ownership: nothing is allocated on the heap; threads live only inside
 * casus_par_run.
 */
#ifndef CASUS_PAR_H
#define CASUS_PAR_H

#include "base/internal.h"

#define CASUS_PAR_MAX_THREADS 256 /* hard limit on workers per region */

/* A worker's share: fn(ctx, w, nworkers). */
typedef void (*casus_par_fn)(void *ctx, unsigned w, unsigned nworkers);

/* Run fn on nworkers workers (1 <= nworkers <= CASUS_PAR_MAX_THREADS; 0 is
 * taken as 1): worker 0 on the calling thread, the others on new threads;
 * returns when all have finished.  Never fails. */
CASUS_INTERNAL void casus_par_run(unsigned nworkers, casus_par_fn fn, void *ctx);

/* Number of online processors (at least 1, at most CASUS_PAR_MAX_THREADS). */
CASUS_INTERNAL unsigned casus_par_ncpu(void);

#endif
