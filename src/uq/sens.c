/*
 * sens.c — Sobol' sensitivity indices from the Saltelli design with
 * replicate and bootstrap intervals, Morris screening, Spearman rank
 * correlation, tornado points and the analytic test functions (see sens.h).
 */
#include "uq/sens.h"

#include "base/par.h"
#include "base/rng.h"

#include <math.h>
#include <stdatomic.h>

/* Sums kept per block: 0 sum a, 1 sum b, 2 sum a^2, 3 sum b^2, 4 sum ab,
 * 5 + i sum b (ab_i - a), 5 + d + i sum (a - ab_i)^2, then for j < k
 * sum ba_j ab_k; a, b, ab, ba are centred outputs. */
enum { T_A, T_B, T_AA, T_BB, T_AB, T_FIRST };

static size_t npairs(size_t d, bool second)
{
    return second ? d * (d - 1) / 2 : 0;
}

static size_t nterms(size_t d, bool second)
{
    return T_FIRST + 2 * d + npairs(d, second);
}

static size_t nblocks(size_t n)
{
    return (n + CASUS_SENS_BLOCK - 1) / CASUS_SENS_BLOCK;
}

size_t casus_sens_ncol(size_t d, bool second)
{
    return 2 + (second ? 2 * d : d);
}

size_t casus_sens_nindices(size_t d, bool second)
{
    return 2 * d + npairs(d, second);
}

size_t casus_sens_s2_index(size_t d, size_t j, size_t k)
{
    /* pairs (0,1) .. (0,d-1), (1,2) .. : row j starts after sum_{i<j} (d-1-i) */
    return 2 * d + j * (2 * d - j - 1) / 2 + (k - j - 1);
}

casus_status casus_sens_design_check(const struct casus_sens_design *p)
{
    if (p->d < 1 || p->d > CASUS_SENS_MAX_D || p->n < 2 || p->n > CASUS_SENS_MAX_N ||
        p->qmc < CASUS_SENS_MC || p->qmc > CASUS_SENS_OWEN)
        return CASUS_EINVAL;
    return CASUS_OK;
}

/* ---- sampling ------------------------------------------------------------ */

casus_status casus_sens_sampler_init(struct casus_sens_sampler *s, const struct casus_alloc *a,
                                     const struct casus_sens_design *p, uint32_t rep)
{
    casus_status st = casus_sens_design_check(p);
    s->design = *p;
    s->rep = rep;
    s->sobol = (struct casus_sobol)CASUS_SOBOL_INIT;
    if (st != CASUS_OK)
        return st;
    if (p->qmc == CASUS_SENS_OWEN)
        return casus_sobol_init_owen(&s->sobol, a, (uint32_t)(2 * p->d), p->seed, rep, p->n);
    if (p->qmc)
        return casus_sobol_init(&s->sobol, a, (uint32_t)(2 * p->d), true, p->seed, rep);
    return CASUS_OK;
}

void casus_sens_sampler_release(struct casus_sens_sampler *s)
{
    casus_sobol_release(&s->sobol);
}

casus_status casus_sens_sampler_rows(const struct casus_sens_sampler *s, size_t row0, size_t nrows,
                                     double *u)
{
    const struct casus_sens_design *p = &s->design;
    size_t d = p->d, ncol = casus_sens_ncol(d, p->second), ld = ncol * d;
    if (row0 > p->n || nrows > p->n - row0)
        return CASUS_ELIMIT;
    if (p->qmc) {
        casus_status st = casus_sobol_points(&s->sobol, row0, nrows, u, ld);
        if (st != CASUS_OK)
            return st;
    } else {
        uint64_t stream = CASUS_RNG_TAG(CASUS_RNG_TAG_MC) | s->rep;
        for (size_t r = 0; r < nrows; r++)
            casus_rng_fill_uniform(p->seed, stream, (uint64_t)(row0 + r) * 2 * d, 2 * d,
                                   u + r * ld);
    }
    for (size_t r = 0; r < nrows; r++) {
        double *A = u + r * ld, *B = A + d;
        for (size_t i = 0; i < d; i++) {
            double *ab = A + (2 + i) * d;
            memcpy(ab, A, d * sizeof *ab);
            ab[i] = B[i];
            if (p->second) {
                double *ba = A + (2 + d + i) * d;
                memcpy(ba, B, d * sizeof *ba);
                ba[i] = A[i];
            }
        }
    }
    return CASUS_OK;
}

/* ---- workspace ------------------------------------------------------------ */

casus_status casus_sens_ws_init(struct casus_sens_ws *w, const struct casus_alloc *a, size_t n,
                                size_t d, bool second, size_t nboot)
{
    size_t nt = nterms(d, second);
    memset(w, 0, sizeof *w);
    if (n < 2 || n > CASUS_SENS_MAX_N || d < 1 || d > CASUS_SENS_MAX_D || nboot > 100000)
        return CASUS_EINVAL;
    w->alloc = a;
    w->n = n, w->d = d, w->second = second, w->nboot = nboot;
    w->nthr = 1;
    w->blk = casus_mem_alloc(a, nblocks(n) * nt * sizeof *w->blk);
    w->tot = casus_mem_alloc(a, nt * sizeof *w->tot);
    if (nboot) {
        w->cnt = casus_mem_alloc(a, n * sizeof *w->cnt);
        w->boot = casus_mem_alloc(a, nboot * casus_sens_nindices(d, second) * sizeof *w->boot);
    }
    if (!w->blk || !w->tot || (nboot && (!w->cnt || !w->boot))) {
        casus_sens_ws_release(w);
        return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

static void ws_free_threads(struct casus_sens_ws *w)
{
    size_t x = w->nthr - 1, nt = nterms(w->d, w->second);
    casus_mem_free(w->alloc, w->xblk, x * nblocks(w->n) * nt * sizeof *w->xblk);
    casus_mem_free(w->alloc, w->xtot, x * nt * sizeof *w->xtot);
    casus_mem_free(w->alloc, w->xcnt, x * w->n * sizeof *w->xcnt);
    w->xblk = w->xtot = NULL;
    w->xcnt = NULL;
    w->nthr = 1;
}

casus_status casus_sens_ws_threads(struct casus_sens_ws *w, unsigned threads)
{
    size_t x, nt = nterms(w->d, w->second);
    if (threads < 1 || threads > CASUS_PAR_MAX_THREADS || !w->alloc)
        return CASUS_EINVAL;
    ws_free_threads(w);
    if (threads == 1)
        return CASUS_OK;
    x = threads - 1;
    w->nthr = threads;
    w->xblk = casus_mem_alloc(w->alloc, x * nblocks(w->n) * nt * sizeof *w->xblk);
    w->xtot = casus_mem_alloc(w->alloc, x * nt * sizeof *w->xtot);
    if (w->nboot)
        w->xcnt = casus_mem_alloc(w->alloc, x * w->n * sizeof *w->xcnt);
    if (!w->xblk || !w->xtot || (w->nboot && !w->xcnt)) {
        ws_free_threads(w);
        return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

void casus_sens_ws_release(struct casus_sens_ws *w)
{
    if (w->alloc) {
        size_t nt = nterms(w->d, w->second);
        ws_free_threads(w);
        casus_mem_free(w->alloc, w->blk, nblocks(w->n) * nt * sizeof *w->blk);
        casus_mem_free(w->alloc, w->tot, nt * sizeof *w->tot);
        casus_mem_free(w->alloc, w->cnt, w->n * sizeof *w->cnt);
        casus_mem_free(w->alloc, w->boot,
                       w->nboot * casus_sens_nindices(w->d, w->second) * sizeof *w->boot);
    }
    memset(w, 0, sizeof *w);
}

/* ---- estimation ------------------------------------------------------------ */

/* Block partial sums over rows [r0, r1), each row weighted by cnt[r] (1 when
 * cnt is NULL; weight 1.0 multiplies exactly, so both paths agree). */
static void block_sums(const double *y, size_t d, bool second, size_t r0, size_t r1,
                       const uint32_t *cnt, double c, double *acc)
{
    size_t ncol = casus_sens_ncol(d, second), nt = nterms(d, second);
    double abc[CASUS_SENS_MAX_D];
    memset(acc, 0, nt * sizeof *acc);
    for (size_t r = r0; r < r1; r++) {
        const double *row = y + r * ncol;
        double w = cnt ? (double)cnt[r] : 1.0, a, b;
        if (w == 0.0)
            continue;
        a = row[0] - c;
        b = row[1] - c;
        acc[T_A] += w * a;
        acc[T_B] += w * b;
        acc[T_AA] += w * (a * a);
        acc[T_BB] += w * (b * b);
        acc[T_AB] += w * (a * b);
        for (size_t i = 0; i < d; i++) {
            double ab = row[2 + i] - c, e = a - ab;
            abc[i] = ab;
            acc[T_FIRST + i] += w * (b * (ab - a));
            acc[T_FIRST + d + i] += w * (e * e);
        }
        if (second) {
            double *pa = acc + T_FIRST + 2 * d;
            for (size_t j = 0; j + 1 < d; j++) {
                double wba = w * (row[2 + d + j] - c);
                for (size_t k = j + 1; k < d; k++)
                    *pa++ += wba * abc[k];
            }
        }
    }
}

/* Scratch of one worker: worker 0 uses the workspace's own arrays. */
struct sums_scratch {
    double *blk, *tot;
    uint32_t *cnt;
};

static struct sums_scratch ws_scratch(const struct casus_sens_ws *w, unsigned t)
{
    size_t nt = nterms(w->d, w->second);
    struct sums_scratch sc = {w->blk, w->tot, w->cnt};
    if (t > 0) {
        sc.blk = w->xblk + (size_t)(t - 1) * nblocks(w->n) * nt;
        sc.tot = w->xtot + (size_t)(t - 1) * nt;
        sc.cnt = w->xcnt ? w->xcnt + (size_t)(t - 1) * w->n : NULL;
    }
    return sc;
}

/* Partial sums of blocks t, t + T, t + 2T, ... into blk. */
static void blocks_sums(const double *y, const struct casus_sens_ws *w, const uint32_t *cnt,
                        double c, double *blk, unsigned t, unsigned T)
{
    size_t nt = nterms(w->d, w->second), nb = nblocks(w->n);
    for (size_t b = t; b < nb; b += T) {
        size_t r0 = b * CASUS_SENS_BLOCK;
        size_t r1 = r0 + CASUS_SENS_BLOCK < w->n ? r0 + CASUS_SENS_BLOCK : w->n;
        block_sums(y, w->d, w->second, r0, r1, cnt, c, blk + b * nt);
    }
}

/* Add the block partials in block order. */
static void add_blocks(const struct casus_sens_ws *w, const double *blk, double *tot)
{
    size_t nt = nterms(w->d, w->second), nb = nblocks(w->n);
    memset(tot, 0, nt * sizeof *tot);
    for (size_t b = 0; b < nb; b++)
        for (size_t t = 0; t < nt; t++)
            tot[t] += blk[b * nt + t];
}

struct sums_job {
    const double *y;
    const struct casus_sens_ws *w;
    double c;
};

static void sums_worker(void *ctx, unsigned t, unsigned T)
{
    const struct sums_job *j = ctx;
    blocks_sums(j->y, j->w, NULL, j->c, j->w->blk, t, T);
}

/* Unweighted totals of all blocks into w->tot, blocks spread over the
 * workspace's workers, added in block order. */
static void all_sums(const double *y, struct casus_sens_ws *w, double c)
{
    struct sums_job j = {y, w, c};
    if (w->nthr > 1 && nblocks(w->n) > 1)
        casus_par_run(w->nthr, sums_worker, &j);
    else
        blocks_sums(y, w, NULL, c, w->blk, 0, 1);
    add_blocks(w, w->blk, w->tot);
}

/* Mean of f(A) and f(B), by blocks in order. */
static double centre(const double *y, const struct casus_sens_ws *w)
{
    size_t ncol = casus_sens_ncol(w->d, w->second);
    double s = 0.0;
    for (size_t r0 = 0; r0 < w->n; r0 += CASUS_SENS_BLOCK) {
        size_t r1 = r0 + CASUS_SENS_BLOCK < w->n ? r0 + CASUS_SENS_BLOCK : w->n;
        double bs = 0.0;
        for (size_t r = r0; r < r1; r++)
            bs += y[r * ncol] + y[r * ncol + 1];
        s += bs;
    }
    return s / (2.0 * (double)w->n);
}

static casus_status theta_from_sums(const double *t, double W, size_t d, bool second, double *theta,
                                    double *var)
{
    size_t ni = casus_sens_nindices(d, second);
    double m = (t[T_A] + t[T_B]) / (2.0 * W);
    double V = (t[T_AA] + t[T_BB]) / (2.0 * W) - m * m;
    if (var)
        *var = V;
    if (!(V > 0.0) || !isfinite(V)) {
        for (size_t i = 0; i < ni; i++)
            theta[i] = NAN;
        return CASUS_EINVAL;
    }
    for (size_t i = 0; i < d; i++) {
        theta[i] = t[T_FIRST + i] / W / V;
        theta[d + i] = t[T_FIRST + d + i] / (2.0 * W) / V;
    }
    if (second) {
        const double *tp = t + T_FIRST + 2 * d;
        double *out = theta + 2 * d;
        for (size_t j = 0; j + 1 < d; j++)
            for (size_t k = j + 1; k < d; k++)
                *out++ = (*tp++ - t[T_AB]) / W / V - theta[j] - theta[k];
    }
    return CASUS_OK;
}

casus_status casus_sens_estimate(const double *y, struct casus_sens_ws *w, double *theta,
                                 double *var)
{
    double c = centre(y, w);
    all_sums(y, w, c);
    return theta_from_sums(w->tot, (double)w->n, w->d, w->second, theta, var);
}

casus_status casus_sens_replicate_ci(const double *theta_r, size_t R, size_t nidx, double level,
                                     double *est, double *lo, double *hi)
{
    double t;
    if (R < 2 || !(level > 0.0 && level < 1.0))
        return CASUS_EINVAL;
    t = casus_dist_t_quantile(0.5 * (1.0 + level), (double)(R - 1));
    for (size_t i = 0; i < nidx; i++) {
        double m = 0.0, ss = 0.0, h;
        for (size_t r = 0; r < R; r++)
            m += theta_r[r * nidx + i];
        m /= (double)R;
        for (size_t r = 0; r < R; r++) {
            double e = theta_r[r * nidx + i] - m;
            ss += e * e;
        }
        h = t * sqrt(ss / (double)(R - 1) / (double)R);
        est[i] = m;
        lo[i] = m - h;
        hi[i] = m + h;
    }
    return CASUS_OK;
}

/* Resample counts for bootstrap replicate b: n draws of a row index, four
 * per Philox block, from blocks b * ceil(n/4) onwards. */
static void boot_counts(uint64_t seed, size_t b, size_t n, uint32_t *cnt)
{
    uint64_t stream = CASUS_RNG_TAG(CASUS_RNG_TAG_BOOT), nq = (n + 3) / 4;
    size_t drawn = 0;
    memset(cnt, 0, n * sizeof *cnt);
    for (uint64_t q = 0; q < nq; q++) {
        uint32_t wd[4];
        casus_rng_block(seed, stream, (uint64_t)b * nq + q, wd);
        for (int k = 0; k < 4 && drawn < n; k++, drawn++)
            cnt[casus_rng_below(wd[k], n)]++;
    }
}

struct boot_job {
    const double *y;
    struct casus_sens_ws *w;
    uint64_t seed;
    double c;
    casus_status st[CASUS_PAR_MAX_THREADS]; /* per worker */
};

/* Resamples t, t + T, ...: each with the worker's own counts and sums,
 * estimates into their fixed rows of w->boot. */
static void boot_worker(void *ctx, unsigned t, unsigned T)
{
    struct boot_job *j = ctx;
    struct casus_sens_ws *w = j->w;
    struct sums_scratch sc = ws_scratch(w, t);
    size_t ni = casus_sens_nindices(w->d, w->second);
    j->st[t] = CASUS_OK;
    for (size_t b = t; b < w->nboot; b += T) {
        casus_status st;
        boot_counts(j->seed, b, w->n, sc.cnt);
        blocks_sums(j->y, w, sc.cnt, j->c, sc.blk, 0, 1);
        add_blocks(w, sc.blk, sc.tot);
        st = theta_from_sums(sc.tot, (double)w->n, w->d, w->second, w->boot + b * ni, NULL);
        if (st != CASUS_OK) {
            j->st[t] = st;
            return;
        }
    }
}

casus_status casus_sens_bootstrap_ci(const double *y, struct casus_sens_ws *w, uint64_t seed,
                                     double level, double *est, double *lo, double *hi)
{
    size_t ni = casus_sens_nindices(w->d, w->second), B = w->nboot;
    unsigned T = w->nthr;
    struct boot_job j;
    double z;
    casus_status st;
    if (B < 2 || !(level > 0.0 && level < 1.0) || !w->cnt)
        return CASUS_EINVAL;
    j.y = y, j.w = w, j.seed = seed;
    j.c = centre(y, w);
    all_sums(y, w, j.c);
    st = theta_from_sums(w->tot, (double)w->n, w->d, w->second, est, NULL);
    if (st != CASUS_OK)
        return st;
    if (T > B)
        T = (unsigned)B;
    casus_par_run(T, boot_worker, &j);
    for (unsigned t = 0; t < T; t++)
        if (j.st[t] != CASUS_OK)
            return j.st[t];
    z = casus_dist_norm_quantile(0.5 * (1.0 + level));
    for (size_t i = 0; i < ni; i++) {
        double m = 0.0, ss = 0.0, h;
        for (size_t b = 0; b < B; b++)
            m += w->boot[b * ni + i];
        m /= (double)B;
        for (size_t b = 0; b < B; b++) {
            double e = w->boot[b * ni + i] - m;
            ss += e * e;
        }
        h = z * sqrt(ss / (double)(B - 1));
        lo[i] = est[i] - h;
        hi[i] = est[i] + h;
    }
    return CASUS_OK;
}

/* ---- whole analysis ---------------------------------------------------------- */

/* One replicate's evaluation, shared by its workers. */
struct eval_job {
    const struct casus_sens_sampler *s;
    const struct casus_dist *dists;
    casus_sens_fn fn;
    void *ud;
    double *u;                              /* nthr buffers of nu doubles */
    size_t nu;                              /* doubles per buffer */
    double *y;                              /* the replicate's outputs */
    size_t b0, b1;                          /* this part's blocks */
    atomic_size_t done;                     /* blocks evaluated */
    atomic_bool stop;                       /* a worker failed */
    const struct casus_sens_exec *x;        /* progress callback */
    size_t done0, total;                    /* progress offset and total */
    casus_status st[CASUS_PAR_MAX_THREADS]; /* per worker */
};

/* Sample, map and evaluate blocks b0 + t, b0 + t + T, ... of the part. */
static void eval_worker(void *ctx, unsigned t, unsigned T)
{
    struct eval_job *j = ctx;
    const struct casus_sens_design *p = &j->s->design;
    size_t d = p->d, ncol = casus_sens_ncol(d, p->second);
    double *u = j->u + (size_t)t * j->nu;
    j->st[t] = CASUS_OK;
    for (size_t b = j->b0 + t; b < j->b1; b += T) {
        size_t r0 = b * CASUS_SENS_BLOCK;
        size_t nr = p->n - r0 < CASUS_SENS_BLOCK ? p->n - r0 : CASUS_SENS_BLOCK;
        size_t npts = nr * ncol, done;
        casus_status st;
        if (atomic_load(&j->stop))
            return;
        st = casus_sens_sampler_rows(j->s, r0, nr, u);
        if (st == CASUS_OK && j->dists)
            for (size_t i = 0; i < npts; i++)
                for (size_t k = 0; k < d; k++)
                    u[i * d + k] = casus_dist_quantile(&j->dists[k], u[i * d + k]);
        if (st == CASUS_OK)
            st = j->fn(j->ud, u, npts, d, j->y + r0 * ncol);
        if (st != CASUS_OK) {
            j->st[t] = st;
            atomic_store(&j->stop, true);
            return;
        }
        done = atomic_fetch_add(&j->done, 1) + 1;
        if (t == 0 && j->x->progress)
            j->x->progress(j->x->progress_ud, j->done0 + done, j->total);
    }
}

struct run_bufs {
    double *y, *u, *theta;
    size_t *off;
    size_t ny, nu, nt, noff;
};

static void run_free(const struct casus_alloc *a, struct run_bufs *b)
{
    casus_mem_free(a, b->y, b->ny * sizeof *b->y);
    casus_mem_free(a, b->u, b->nu * sizeof *b->u);
    casus_mem_free(a, b->theta, b->nt * sizeof *b->theta);
    casus_mem_free(a, b->off, b->noff * sizeof *b->off);
}

/* First block of part q of nparts, of nb blocks. */
static size_t part_block(size_t nb, size_t q, size_t nparts)
{
    return (size_t)((uint64_t)nb * q / nparts);
}

/* Sample, map and evaluate this part's rows of replicate rep into y, then
 * gather the other parts' rows. */
static casus_status run_replicate(const struct casus_alloc *a, const struct casus_sens_design *p,
                                  uint32_t rep, const struct casus_dist *dists, casus_sens_fn fn,
                                  void *ud, const struct casus_sens_exec *x, struct run_bufs *b,
                                  size_t done0, size_t total)
{
    size_t ncol = casus_sens_ncol(p->d, p->second), nb = nblocks(p->n);
    struct casus_sens_sampler s;
    struct eval_job *j;
    unsigned T = x->threads;
    casus_status st;
    j = casus_mem_alloc(a, sizeof *j);
    if (!j)
        return CASUS_ENOMEM;
    st = casus_sens_sampler_init(&s, a, p, rep);
    if (st != CASUS_OK) {
        casus_sens_sampler_release(&s);
        casus_mem_free(a, j, sizeof *j);
        return st;
    }
    j->s = &s, j->dists = dists, j->fn = fn, j->ud = ud;
    j->u = b->u, j->nu = (size_t)CASUS_SENS_BLOCK * ncol * p->d, j->y = b->y;
    j->b0 = part_block(nb, x->part, x->nparts);
    j->b1 = part_block(nb, x->part + 1, x->nparts);
    atomic_init(&j->done, 0);
    atomic_init(&j->stop, false);
    j->x = x, j->done0 = done0, j->total = total;
    if (T > j->b1 - j->b0)
        T = j->b1 - j->b0 > 0 ? (unsigned)(j->b1 - j->b0) : 1;
    casus_par_run(T, eval_worker, j);
    for (unsigned t = 0; t < T && st == CASUS_OK; t++)
        st = j->st[t];
    casus_sens_sampler_release(&s);
    casus_mem_free(a, j, sizeof *j);
    if (st == CASUS_OK && x->nparts > 1) {
        size_t *off = b->off, *cnt = b->off + x->nparts;
        for (size_t q = 0; q < x->nparts; q++) {
            size_t r0 = part_block(nb, q, x->nparts) * CASUS_SENS_BLOCK;
            size_t r1 = part_block(nb, q + 1, x->nparts) * CASUS_SENS_BLOCK;
            if (r1 > p->n)
                r1 = p->n;
            off[q] = r0 * ncol;
            cnt[q] = (r1 - r0) * ncol;
        }
        st = x->gather(x->gather_ud, b->y, off, cnt, x->nparts);
    }
    return st;
}

static casus_status exec_check(const struct casus_sens_exec *x)
{
    if (x->threads < 1 || x->threads > CASUS_PAR_MAX_THREADS || x->nparts < 1 ||
        x->part >= x->nparts || x->nparts > 65536 || (x->nparts > 1 && !x->gather))
        return CASUS_EINVAL;
    return CASUS_OK;
}

casus_status casus_sens_run_ex(const struct casus_alloc *a, const struct casus_sens_design *p,
                               size_t R, size_t nboot, double level, const struct casus_dist *dists,
                               casus_sens_fn fn, void *ud, const struct casus_sens_exec *x,
                               struct casus_sens_result *res)
{
    size_t d = p->d, ncol, ni, nb, mine;
    struct run_bufs b = {NULL, NULL, NULL, NULL, 0, 0, 0, 0};
    struct casus_sens_ws w;
    casus_status st = casus_sens_design_check(p);
    if (st == CASUS_OK)
        st = exec_check(x);
    if (st != CASUS_OK)
        return st;
    if (!(level > 0.0 && level < 1.0) || (p->qmc ? R < 2 || R > 4096 : nboot < 2))
        return CASUS_EINVAL;
    if (!p->qmc)
        R = 1;
    ncol = casus_sens_ncol(d, p->second);
    ni = casus_sens_nindices(d, p->second);
    nb = nblocks(p->n);
    b.ny = p->n * ncol;
    b.nu = (size_t)x->threads * CASUS_SENS_BLOCK * ncol * d;
    b.nt = R * ni;
    b.noff = x->nparts > 1 ? 2 * (size_t)x->nparts : 0;
    b.y = casus_mem_alloc(a, b.ny * sizeof *b.y);
    b.u = casus_mem_alloc(a, b.nu * sizeof *b.u);
    b.theta = casus_mem_alloc(a, b.nt * sizeof *b.theta);
    if (b.noff)
        b.off = casus_mem_alloc(a, b.noff * sizeof *b.off);
    st = casus_sens_ws_init(&w, a, p->n, d, p->second, p->qmc ? 0 : nboot);
    if (st == CASUS_OK)
        st = casus_sens_ws_threads(&w, x->threads);
    if (!b.y || !b.u || !b.theta || (b.noff && !b.off) || st != CASUS_OK) {
        casus_sens_ws_release(&w);
        run_free(a, &b);
        return st != CASUS_OK ? st : CASUS_ENOMEM;
    }
    res->nidx = ni;
    res->level = level;
    res->var = 0.0;
    res->evals = 0;
    res->ci = p->qmc ? CASUS_SENS_CI_REPLICATE : CASUS_SENS_CI_BOOTSTRAP;
    mine = part_block(nb, x->part + 1, x->nparts) - part_block(nb, x->part, x->nparts);
    for (size_t r = 0; r < R && st == CASUS_OK; r++) {
        double v = 0.0;
        st = run_replicate(a, p, (uint32_t)r, dists, fn, ud, x, &b, r * mine, R * mine);
        if (st != CASUS_OK)
            break;
        res->evals += b.ny;
        st = casus_sens_estimate(b.y, &w, b.theta + r * ni, &v);
        if (st == CASUS_OK && !p->qmc)
            st = casus_sens_bootstrap_ci(b.y, &w, p->seed, level, res->est, res->lo, res->hi);
        res->var += v / (double)R;
    }
    if (st == CASUS_OK && p->qmc)
        st = casus_sens_replicate_ci(b.theta, R, ni, level, res->est, res->lo, res->hi);
    casus_sens_ws_release(&w);
    run_free(a, &b);
    return st;
}

casus_status casus_sens_run(const struct casus_alloc *a, const struct casus_sens_design *p,
                            size_t R, size_t nboot, double level, const struct casus_dist *dists,
                            casus_sens_fn fn, void *ud, struct casus_sens_result *res)
{
    const struct casus_sens_exec x = CASUS_SENS_EXEC_INIT;
    return casus_sens_run_ex(a, p, R, nboot, level, dists, fn, ud, &x, res);
}

/* ---- Morris, Spearman, tornado ---------------------------------------------- */

casus_status casus_morris_design(size_t d, size_t r, unsigned levels, uint64_t seed, double *u)
{
    uint64_t stream = CASUS_RNG_TAG(CASUS_RNG_TAG_MORRIS);
    size_t perm[CASUS_SENS_MAX_D];
    unsigned lev[CASUS_SENS_MAX_D], half = levels / 2;
    if (d < 1 || d > CASUS_SENS_MAX_D || r < 1 || levels < 2 || levels % 2 || levels > 1024)
        return CASUS_EINVAL;
    for (size_t t = 0; t < r; t++) {
        double *row = u + t * (d + 1) * d;
        uint64_t base = (uint64_t)t * 2 * d;
        for (size_t k = 0; k < d; k++) {
            lev[k] = casus_rng_below((uint32_t)casus_rng_u64(seed, stream, base + k), levels);
            perm[k] = k;
            row[k] = (lev[k] + 0.5) / levels;
        }
        for (size_t k = d - 1; k > 0; k--) {
            uint32_t bits = (uint32_t)casus_rng_u64(seed, stream, base + d + k);
            size_t j = casus_rng_below(bits, k + 1), tmp = perm[k];
            perm[k] = perm[j];
            perm[j] = tmp;
        }
        for (size_t s = 1; s <= d; s++) {
            size_t k = perm[s - 1];
            double *next = row + d;
            memcpy(next, row, d * sizeof *row);
            lev[k] = lev[k] < half ? lev[k] + half : lev[k] - half;
            next[k] = (lev[k] + 0.5) / levels;
            row = next;
        }
    }
    return CASUS_OK;
}

casus_status casus_morris_analyze(const double *u, const double *y, size_t d, size_t r, double *mu,
                                  double *mustar, double *sigma)
{
    if (d < 1 || r < 1)
        return CASUS_EINVAL;
    for (size_t k = 0; k < d; k++)
        mu[k] = mustar[k] = sigma[k] = 0.0;
    /* Welford over trajectories in order: sigma holds M2 until the end. */
    for (size_t t = 0; t < r; t++) {
        for (size_t s = 0; s < d; s++) {
            const double *x0 = u + (t * (d + 1) + s) * d, *x1 = x0 + d;
            size_t k = d, nd = 0;
            double ee, delta;
            for (size_t j = 0; j < d; j++)
                if (x0[j] != x1[j])
                    k = j, nd++;
            if (nd != 1)
                return CASUS_EINVAL;
            ee = (y[t * (d + 1) + s + 1] - y[t * (d + 1) + s]) / (x1[k] - x0[k]);
            delta = ee - mu[k];
            mu[k] += delta / (double)(t + 1);
            sigma[k] += delta * (ee - mu[k]);
            mustar[k] += (fabs(ee) - mustar[k]) / (double)(t + 1);
        }
    }
    for (size_t k = 0; k < d; k++)
        sigma[k] = r > 1 ? sqrt(sigma[k] / (double)(r - 1)) : 0.0;
    return CASUS_OK;
}

/* Stable bottom-up merge sort of idx[0..n) by x, using tmp[0..n). */
static void sort_idx(const double *x, size_t n, size_t *idx, size_t *tmp)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = x[idx[j]] < x[idx[i]] ? idx[j++] : idx[i++];
            while (i < mid)
                tmp[o++] = idx[i++];
            while (j < hi)
                tmp[o++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* Average ranks (1-based) of x into rank. */
static void ranks(const double *x, size_t n, size_t *idx, size_t *tmp, double *rank)
{
    sort_idx(x, n, idx, tmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && x[idx[j]] == x[idx[i]])
            j++;
        for (size_t k = i; k < j; k++)
            rank[idx[k]] = 0.5 * (double)(i + 1 + j); /* mean of i+1 .. j */
        i = j;
    }
}

double casus_spearman(const double *x, const double *y, size_t n, size_t *idx, double *rank)
{
    double *rx = rank, *ry = rank + n, m = 0.5 * ((double)n + 1.0);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    if (n < 2)
        return NAN;
    ranks(x, n, idx, idx + n, rx);
    ranks(y, n, idx, idx + n, ry);
    for (size_t i = 0; i < n; i++) {
        double a = rx[i] - m, b = ry[i] - m;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if (!(sxx > 0.0) || !(syy > 0.0))
        return NAN;
    return sxy / sqrt(sxx * syy);
}

void casus_tornado_design(size_t d, double q_lo, double q_hi, double *u)
{
    for (size_t r = 0; r < 2 * d + 1; r++)
        for (size_t k = 0; k < d; k++)
            u[r * d + k] = 0.5;
    for (size_t i = 0; i < d; i++) {
        u[(1 + 2 * i) * d + i] = q_lo;
        u[(2 + 2 * i) * d + i] = q_hi;
    }
}

/* ---- test functions ------------------------------------------------------------ */

#define PI 3.14159265358979323846

double casus_sens_ishigami(const double *u, double a, double b)
{
    double x1 = -PI + 2.0 * PI * u[0], x2 = -PI + 2.0 * PI * u[1], x3 = -PI + 2.0 * PI * u[2];
    double s2 = sin(x2), x3sq = x3 * x3;
    return sin(x1) + a * s2 * s2 + b * (x3sq * x3sq) * sin(x1);
}

double casus_sens_sobol_g(const double *u, const double *a, size_t d)
{
    double f = 1.0;
    for (size_t i = 0; i < d; i++)
        f *= (fabs(4.0 * u[i] - 2.0) + a[i]) / (1.0 + a[i]);
    return f;
}

void casus_sens_ishigami_exact(double a, double b, double *theta, double *var)
{
    double pi4 = PI * PI * PI * PI, pi8 = pi4 * pi4;
    double v1 = 0.5 * (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0);
    double v2 = a * a / 8.0, v13 = 8.0 * b * b * pi8 / 225.0, v = v1 + v2 + v13;
    double t[9] = {v1 / v, v2 / v, 0.0, (v1 + v13) / v, v2 / v, v13 / v, 0.0, v13 / v, 0.0};
    memcpy(theta, t, sizeof t); /* S1 x3, ST x3, S12 S13 S23 */
    *var = v;
}

void casus_sens_sobol_g_exact(const double *a, size_t d, double *theta, double *var)
{
    double prod = 1.0, v;
    for (size_t i = 0; i < d; i++)
        prod *= 1.0 + 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
    v = prod - 1.0;
    for (size_t i = 0; i < d; i++) {
        double vi = 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
        theta[i] = vi / v;
        theta[d + i] = vi * (prod / (1.0 + vi)) / v;
    }
    for (size_t j = 0; j + 1 < d; j++)
        for (size_t k = j + 1; k < d; k++)
            theta[casus_sens_s2_index(d, j, k)] = theta[j] * theta[k] * v; /* V_j V_k / V */
    *var = v;
}
