/*
 * par.c — fork/join over POSIX threads (see par.h).
 */
#include "base/par.h"

#include <pthread.h>
#include <unistd.h>

struct par_job {
    casus_par_fn fn; /* the shared work function */
    void *ctx;       /* its argument */
    unsigned w, n;   /* this worker and the total */
};

static void *par_main(void *arg)
{
    const struct par_job *j = arg;
    j->fn(j->ctx, j->w, j->n);
    return NULL;
}

void casus_par_run(unsigned nworkers, casus_par_fn fn, void *ctx)
{
    pthread_t tid[CASUS_PAR_MAX_THREADS];
    struct par_job job[CASUS_PAR_MAX_THREADS];
    bool started[CASUS_PAR_MAX_THREADS];
    if (nworkers < 1)
        nworkers = 1;
    if (nworkers > CASUS_PAR_MAX_THREADS)
        nworkers = CASUS_PAR_MAX_THREADS;
    for (unsigned w = 1; w < nworkers; w++) {
        job[w] = (struct par_job){fn, ctx, w, nworkers};
        started[w] = pthread_create(&tid[w], NULL, par_main, &job[w]) == 0;
    }
    fn(ctx, 0, nworkers);
    for (unsigned w = 1; w < nworkers; w++) {
        if (started[w])
            pthread_join(tid[w], NULL);
        else
            fn(ctx, w, nworkers); /* could not start: run the share here */
    }
}

unsigned casus_par_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > CASUS_PAR_MAX_THREADS ? CASUS_PAR_MAX_THREADS : (unsigned)n;
}
