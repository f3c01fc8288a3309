/*
 * eq_pure.c — enumeration of pure equilibria (see eq_pure.h).
 *
 * Reduced strategic form: for each player the reduced pure strategies of a
 * (truncated) subgame are enumerated with an odometer over the player's
 * infosets in preorder, where an infoset is "open" (-1) when the player's
 * own earlier choice leads away from it.  Every profile of reduced
 * strategies is then checked against each player's best response, computed
 * by the sequence decomposition (eq_common.c) and cached per opponents'
 * profile.  Subgame perfection reuses the same routine on truncated
 * subgames, bottom-up.
 */
#include "game/eq_pure.h"
#include "base/budget.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

struct pure_ctx {
    const struct casus_gtree *g;
    const struct casus_alloc *alloc;
    struct casus_gtree_limits lim;
    struct casus_diags *d;
    struct casus_eq_ws ws;
    double tol;
    uint64_t work; /* profiles examined so far, against lim.max_profiles */
};

/* Refuse an enumeration of count profiles (count > the limit). */
static casus_status too_big(struct pure_ctx *c, const char *what, double count)
{
    if (c->d) {
        char n[32];
        if (isinf(count))
            snprintf(n, sizeof n, "more than %.3g", DBL_MAX);
        else
            snprintf(n, sizeof n, "%.3g", count);
        struct casus_diag *g = casus_diag_add(c->d, CASUS_SEV_ERROR, NULL, "game-too-large",
                                              "pure: %s has %s pure profiles, more than the "
                                              "limit of %llu",
                                              what, n, (unsigned long long)c->lim.max_profiles);
        casus_diag_note(c->d, g,
                        "the strategic form explodes on large trees; use the sequence "
                        "form (--method lcp) or logit instead, or raise the limit "
                        "(--max-profiles)");
    }
    return CASUS_ELIMIT;
}

/* Refuse tables of bytes (more than the memory budget). */
static casus_status too_much_memory(struct pure_ctx *c, const char *what, double bytes)
{
    if (c->d) {
        char need[32], have[32];
        struct casus_diag *g =
            casus_diag_add(c->d, CASUS_SEV_ERROR, NULL, "game-too-large",
                           "pure: %s would need %s of memory, more than the memory budget of %s",
                           what, casus_budget_fmt(bytes, need, sizeof need),
                           casus_budget_fmt((double)c->lim.max_memory, have, sizeof have));
        casus_diag_note(c->d, g,
                        "use the sequence form (--method lcp) or logit instead, or raise the "
                        "budget (--max-memory)");
    }
    return CASUS_ELIMIT;
}

/* ------------------------------------------------------------------ */
/* Reduced strategies of one player in the current subgame            */

struct strat_list {
    uint32_t nis;   /* the player's infosets in the subgame */
    uint32_t *is;   /* their indices, preorder of first member */
    uint32_t *pseq; /* action leading to each (CASUS_NONE = none) */
    uint32_t n;     /* number of reduced strategies */
    int32_t *c;     /* n * nis choices, -1 = open */
};

/* Relevance sweep: fill c[from..nis) with 0 (relevant) or -1 (open). */
static void strat_reset_tail(const struct casus_gtree *g, const struct strat_list *L, int32_t *c,
                             uint32_t from)
{
    for (uint32_t k = from; k < L->nis; k++) {
        uint32_t ps = L->pseq[k];
        bool rel = true;
        if (ps != CASUS_NONE) {
            uint32_t s = g->act[ps].iset;
            /* find s among the player's earlier infosets */
            rel = false;
            for (uint32_t j = k; j-- > 0;)
                if (L->is[j] == s) {
                    rel = c[j] == (int32_t)(ps - g->iset[s].act0);
                    break;
                }
        }
        c[k] = rel ? 0 : -1;
    }
}

/* The player's infosets in the subgame into L->is / L->pseq (the action
 * leading to each), with the last own action above each node in ws->seq.
 * CASUS_ENOMEM.  O(subgame). */
static casus_status strat_infosets(struct pure_ctx *x, struct casus_arena *A,
                                   const struct casus_eq_sub *sub, uint32_t player,
                                   struct strat_list *L)
{
    const struct casus_gtree *g = x->g;
    struct casus_eq_ws *ws = &x->ws;
    memset(L, 0, sizeof *L);
    uint32_t n0 = g->pl_iset0[player], n1 = g->pl_iset0[player + 1];
    for (uint32_t s = n0; s < n1; s++)
        L->nis += ws->iset_on[s];
    L->is = casus_arena_alloc(A, sizeof *L->is * (L->nis + 1));
    L->pseq = casus_arena_alloc(A, sizeof *L->pseq * (L->nis + 1));
    if (!L->is || !L->pseq)
        return CASUS_ENOMEM;
    for (uint32_t k = 0; k < sub->n; k++) {
        uint32_t n = sub->node[k];
        if (n == sub->root) {
            ws->seq[n] = CASUS_NONE;
            continue;
        }
        uint32_t par = g->node[n].parent;
        const struct casus_game_iset *ps = &g->iset[g->node[par].iset];
        ws->seq[n] = ps->player == player ? ps->act0 + g->node[n].pos : ws->seq[par];
    }
    uint32_t k = 0;
    for (uint32_t s = n0; s < n1; s++)
        if (ws->iset_on[s]) {
            L->is[k] = s;
            L->pseq[k] = ws->seq[g->member[g->iset[s].mem0]];
            k++;
        }
    return CASUS_OK;
}

/* The number of reduced strategies of L's player, before enumerating
 * them: N(I) = Σ_a Π N(J) over the infosets J that action a of I leads to
 * next, multiplied over the first infosets (perfect recall: an infoset's
 * predecessors come earlier in L).  A double, so astronomical counts
 * compare without overflow.  Uses ws->q.  O(infosets + actions). */
static double strat_count(struct pure_ctx *x, const struct strat_list *L)
{
    const struct casus_gtree *g = x->g;
    double *prod = x->ws.q, total = 1;
    for (uint32_t k = 0; k < L->nis; k++) {
        const struct casus_game_iset *s = &g->iset[L->is[k]];
        for (uint32_t a = 0; a < s->nact; a++)
            prod[s->act0 + a] = 1;
    }
    for (uint32_t k = L->nis; k-- > 0;) {
        const struct casus_game_iset *s = &g->iset[L->is[k]];
        double nk = 0;
        for (uint32_t a = 0; a < s->nact; a++)
            nk += prod[s->act0 + a];
        if (L->pseq[k] == CASUS_NONE)
            total *= nk;
        else
            prod[L->pseq[k]] *= nk;
    }
    return total;
}

/* Enumerate the n reduced strategies strat_count counted into L->c (one
 * block of n · nis choices).  CASUS_ENOMEM.  O(n · nis). */
static casus_status strat_enumerate(struct pure_ctx *x, struct casus_arena *A, struct strat_list *L,
                                    uint32_t n)
{
    const struct casus_gtree *g = x->g;
    int32_t *cur = casus_arena_alloc(A, sizeof *cur * (L->nis + 1));
    L->c = casus_arena_alloc(A, sizeof *L->c * ((size_t)n * L->nis + 1));
    if (!cur || !L->c)
        return CASUS_ENOMEM;
    strat_reset_tail(g, L, cur, 0);
    for (;;) {
        CASUS_ASSERT(L->n < n);
        if (L->nis)
            memcpy(L->c + (size_t)L->n * L->nis, cur, sizeof *cur * L->nis);
        L->n++;
        /* odometer: bump the last relevant infoset that can still move */
        uint32_t j = L->nis;
        while (j-- > 0)
            if (cur[j] >= 0 && (uint32_t)cur[j] + 1 < g->iset[L->is[j]].nact)
                break;
        if (j == UINT32_MAX || L->n == n)
            break;
        cur[j]++;
        strat_reset_tail(g, L, cur, j + 1);
    }
    return CASUS_OK;
}

static void strat_apply(const struct casus_gtree *g, const struct strat_list *L, uint32_t idx,
                        double *prob)
{
    const int32_t *c = L->c + (size_t)idx * L->nis;
    for (uint32_t k = 0; k < L->nis; k++) {
        const struct casus_game_iset *s = &g->iset[L->is[k]];
        for (uint32_t a = 0; a < s->nact; a++)
            prob[s->act0 + a] = c[k] == (int32_t)a ? 1.0 : 0.0;
    }
}

/* ------------------------------------------------------------------ */
/* Nash equilibria of the reduced strategic form of a truncated subgame */

#define CACHE_MAX ((double)(1u << 22)) /* best-response cache entries per player */

/* Refuse the strategic form of a subgame before enumerating it: more
 * profiles than the limit (total, with the work done so far), or tables
 * (each player's strategies, the best-response caches) larger than the
 * memory budget.  Players beyond 256 are refused like too many profiles
 * (each has at least one strategy, so only a limit this size can pass). */
static casus_status check_size(struct pure_ctx *x, const struct strat_list *L, const double *count,
                               double total)
{
    const uint32_t np = x->g->nplayers;
    if (total + (double)x->work > (double)x->lim.max_profiles)
        return too_big(x,
                       x->work ? "the reduced strategic forms of the subgames together"
                               : "the reduced strategic form",
                       total + (double)x->work);
    double bytes = 0;
    for (uint32_t i = 0; i < np; i++) {
        if (count[i] >= (double)UINT32_MAX)
            return too_big(x, "the reduced strategic form", total);
        double opp = total / count[i];
        bytes += count[i] * (double)L[i].nis * sizeof(int32_t) +
                 (opp <= CACHE_MAX ? opp * sizeof(double) : 0);
    }
    if (x->lim.max_memory && bytes > (double)x->lim.max_memory)
        return too_much_memory(x, "the reduced strategic form's tables", bytes);
    return CASUS_OK;
}

typedef casus_status (*emit_fn)(void *ud, const int32_t *choice, const double *value);

static casus_status solve_truncated(struct pure_ctx *x, uint32_t root, emit_fn emit, void *ud)
{
    const struct casus_gtree *g = x->g;
    struct casus_eq_ws *ws = &x->ws;
    uint32_t np = g->nplayers;
    struct casus_arena A;
    casus_arena_init(&A, x->alloc);
    casus_status st = CASUS_OK;
    struct casus_eq_sub sub;
    casus_eq_sub_build(ws, root, &sub);
    struct strat_list *L = casus_arena_alloc(&A, sizeof *L * (np + 1));
    uint32_t *idx = casus_arena_alloc(&A, sizeof *idx * (np + 1));
    double *prob = casus_arena_alloc(&A, sizeof *prob * (g->nact + 1));
    double *u = casus_arena_alloc(&A, sizeof *u * (np + 1));
    int32_t *choice = casus_arena_alloc(&A, sizeof *choice * (g->niset + 1));
    double **cache = casus_arena_alloc(&A, sizeof *cache * (np + 1));
    if (!L || !idx || !prob || !u || !choice || !cache) {
        st = CASUS_ENOMEM;
        goto done;
    }
    double total = 1, *count = casus_arena_alloc(&A, sizeof *count * (np + 1));
    if (!count) {
        st = CASUS_ENOMEM;
        goto done;
    }
    for (uint32_t i = 0; i < np; i++) {
        st = strat_infosets(x, &A, &sub, i + 1, &L[i]);
        if (st != CASUS_OK)
            goto done;
        count[i] = strat_count(x, &L[i]);
        total *= count[i];
    }
    st = check_size(x, L, count, total);
    if (st != CASUS_OK)
        goto done;
    x->work += (uint64_t)total;
    for (uint32_t i = 0; i < np; i++) {
        st = strat_enumerate(x, &A, &L[i], (uint32_t)count[i]);
        if (st != CASUS_OK)
            goto done;
    }
    /* best-response caches indexed by the opponents' profile */
    for (uint32_t i = 0; i < np; i++) {
        double size = total / L[i].n;
        cache[i] = NULL;
        if (size <= CACHE_MAX) {
            cache[i] = casus_arena_alloc(&A, sizeof(double) * (size_t)size);
            if (!cache[i]) {
                st = CASUS_ENOMEM;
                goto done;
            }
            for (size_t k = 0; k < (size_t)size; k++)
                cache[i][k] = NAN;
        }
    }
    for (uint32_t a = 0; a < g->nact; a++)
        prob[a] = g->chance[a];
    for (uint32_t i = 0; i < np; i++) {
        idx[i] = 0;
        strat_apply(g, &L[i], 0, prob);
    }
    for (;;) {
        casus_eq_payoff(ws, &sub, prob, u);
        bool ne = true;
        for (uint32_t i = 0; i < np && ne; i++) {
            /* opponents' mixed-radix index */
            size_t oi = 0;
            for (uint32_t j = np; j-- > 0;)
                if (j != i)
                    oi = oi * L[j].n + idx[j];
            double br;
            if (cache[i] && !isnan(cache[i][oi])) {
                br = cache[i][oi];
            } else {
                br = casus_eq_best_response(ws, &sub, prob, i + 1, NULL);
                if (cache[i])
                    cache[i][oi] = br;
            }
            ne = u[i] >= br - x->tol;
        }
        if (ne) {
            for (uint32_t s = 0; s < g->niset; s++)
                choice[s] = -1;
            for (uint32_t i = 0; i < np; i++)
                for (uint32_t k = 0; k < L[i].nis; k++)
                    choice[L[i].is[k]] = L[i].c[(size_t)idx[i] * L[i].nis + k];
            st = emit(ud, choice, u);
            if (st != CASUS_OK)
                goto done;
        }
        uint32_t i = 0;
        while (i < np && idx[i] + 1 == L[i].n) {
            idx[i] = 0;
            strat_apply(g, &L[i], 0, prob);
            i++;
        }
        if (i == np)
            break;
        idx[i]++;
        strat_apply(g, &L[i], idx[i], prob);
    }
done:
    casus_arena_release(&A);
    return st;
}

static casus_status emit_to_set(void *ud, const int32_t *choice, const double *value)
{
    return casus_pure_set_add(ud, choice, value);
}

/* ------------------------------------------------------------------ */
/* Agent form                                                         */

static casus_status solve_agent(struct pure_ctx *x, struct casus_pure_set *out)
{
    const struct casus_gtree *g = x->g;
    struct casus_eq_ws *ws = &x->ws;
    uint32_t s0 = g->pl_iset0[1], ns = g->niset;
    double total = 1;
    for (uint32_t s = s0; s < ns; s++)
        total *= g->iset[s].nact;
    if (total > (double)x->lim.max_profiles)
        return too_big(x, "the agent form", total);
    struct casus_arena A;
    casus_arena_init(&A, x->alloc);
    int32_t *choice = casus_arena_alloc(&A, sizeof *choice * (ns + 1));
    double *prob = casus_arena_alloc(&A, sizeof *prob * (g->nact + 1));
    casus_status st = CASUS_OK;
    if (!choice || !prob) {
        casus_arena_release(&A);
        return CASUS_ENOMEM;
    }
    for (uint32_t s = 0; s < ns; s++)
        choice[s] = s < s0 ? -1 : 0;
    struct casus_eq_sub sub;
    memset(ws->cut, 0, g->nnodes);
    casus_eq_sub_build(ws, 0, &sub);
    for (;;) {
        casus_pure_to_behav(g, choice, prob);
        double agent;
        casus_eq_regret(ws, &sub, prob, NULL, &agent);
        if (agent <= x->tol) {
            casus_eq_payoff(ws, &sub, prob, ws->u);
            st = casus_pure_set_add(out, choice, ws->u);
            if (st != CASUS_OK)
                break;
        }
        uint32_t s = s0;
        while (s < ns && (uint32_t)choice[s] + 1 == g->iset[s].nact)
            choice[s++] = 0;
        if (s == ns)
            break;
        choice[s]++;
    }
    casus_arena_release(&A);
    return st;
}

/* ------------------------------------------------------------------ */
/* Subgame perfection by decomposition                                */

struct spe_ctx {
    struct pure_ctx *x;
    struct casus_pure_set *dst;
    const int32_t *base; /* choices fixed by the child subgames */
    int32_t *merged;
};

static casus_status emit_merged(void *ud, const int32_t *choice, const double *value)
{
    struct spe_ctx *c = ud;
    uint32_t ns = c->x->g->niset;
    for (uint32_t s = 0; s < ns; s++)
        c->merged[s] = choice[s] >= 0 ? choice[s] : c->base[s];
    return casus_pure_set_add(c->dst, c->merged, value);
}

static casus_status solve_spe(struct pure_ctx *x, struct casus_pure_set *out)
{
    const struct casus_gtree *g = x->g;
    struct casus_eq_ws *ws = &x->ws;
    uint32_t N = g->nnodes, ns = g->niset, np = g->nplayers;
    struct casus_arena A;
    casus_arena_init(&A, x->alloc);
    casus_status st = CASUS_OK;
    bool *root = casus_arena_alloc(&A, sizeof *root * N);
    uint32_t *up = casus_arena_alloc(&A, sizeof *up * N);   /* nearest root above */
    uint32_t *sol = casus_arena_alloc(&A, sizeof *sol * N); /* root -> set index */
    uint32_t *kids = casus_arena_alloc(&A, sizeof *kids * N);
    uint32_t *pick = casus_arena_alloc(&A, sizeof *pick * N);
    int32_t *base = casus_arena_alloc(&A, sizeof *base * (ns + 1));
    int32_t *merged = casus_arena_alloc(&A, sizeof *merged * (ns + 1));
    struct casus_pure_set *sets = NULL;
    uint32_t nroots = 0;
    if (!root || !up || !sol || !kids || !pick || !base || !merged) {
        st = CASUS_ENOMEM;
        goto done;
    }
    casus_gtree_subgame_roots(g, root);
    root[0] = true; /* the game itself, even when it is a single leaf */
    for (uint32_t n = 0; n < N; n++) {
        up[n] = n == 0                    ? CASUS_NONE
                : root[g->node[n].parent] ? g->node[n].parent
                                          : up[g->node[n].parent];
        sol[n] = root[n] ? nroots++ : CASUS_NONE;
    }
    sets = casus_arena_alloc(&A, sizeof *sets * nroots);
    if (!sets) {
        st = CASUS_ENOMEM;
        goto done;
    }
    for (uint32_t k = 0; k < nroots; k++)
        casus_pure_set_init(&sets[k], x->alloc, ns, np);
    memset(ws->cut, 0, N);
    for (uint32_t r = N; r-- > 0;) {
        if (!root[r])
            continue;
        /* immediate child subgames of r */
        uint32_t nk = 0;
        for (uint32_t n = r + 1; n < r + g->node[r].size; n++)
            if (root[n] && up[n] == r)
                kids[nk++] = n;
        double combos = 1;
        for (uint32_t k = 0; k < nk; k++)
            combos *= sets[sol[kids[k]]].n;
        if (combos > (double)x->lim.max_profiles) {
            st = too_big(x, "the product of subgame solutions", combos);
            goto done;
        }
        struct casus_pure_set *dst = &sets[sol[r]];
        for (uint32_t k = 0; k < nk; k++)
            pick[k] = 0;
        if (combos > 0)
            for (;;) {
                for (uint32_t s = 0; s < ns; s++)
                    base[s] = -1;
                for (uint32_t k = 0; k < nk; k++) {
                    const struct casus_pure_set *ks = &sets[sol[kids[k]]];
                    const int32_t *kc = ks->choice + (size_t)pick[k] * ns;
                    for (uint32_t s = 0; s < ns; s++)
                        if (kc[s] >= 0)
                            base[s] = kc[s];
                    ws->cut[kids[k]] = 1;
                    memcpy(ws->cutval + (size_t)kids[k] * np, ks->value + (size_t)pick[k] * np,
                           sizeof(double) * np);
                }
                struct spe_ctx c = {x, dst, base, merged};
                st = solve_truncated(x, r, emit_merged, &c);
                if (st != CASUS_OK)
                    goto done;
                uint32_t k = 0;
                while (k < nk && pick[k] + 1 == sets[sol[kids[k]]].n)
                    pick[k++] = 0;
                if (k == nk)
                    break;
                pick[k]++;
            }
        for (uint32_t k = 0; k < nk; k++) {
            ws->cut[kids[k]] = 0;
            casus_pure_set_release(&sets[sol[kids[k]]]);
        }
    }
    for (uint32_t k = 0; k < sets[0].n && st == CASUS_OK; k++)
        st = casus_pure_set_add(out, sets[0].choice + (size_t)k * ns,
                                sets[0].value + (size_t)k * np);
done:
    if (sets)
        for (uint32_t k = 0; k < nroots; k++)
            casus_pure_set_release(&sets[k]);
    if (ws->cut)
        memset(ws->cut, 0, N);
    casus_arena_release(&A);
    return st;
}

/* ------------------------------------------------------------------ */

casus_status casus_eq_pure(const struct casus_gtree *g, const struct casus_alloc *a,
                           const struct casus_gtree_limits *lim, enum casus_pure_mode mode,
                           struct casus_diags *d, struct casus_pure_set *out)
{
    static const struct casus_gtree_limits deflim = CASUS_GTREE_LIMITS_INIT;
    struct pure_ctx x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.alloc = a;
    x.lim = lim ? *lim : deflim;
    x.d = d;
    double range = g->pay_max - g->pay_min;
    x.tol = 1e-9 * (range > 1 ? range : 1);
    if (mode != CASUS_PURE_AGENT && !g->perfect_recall) {
        if (d)
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, "imperfect-recall",
                           "the game has imperfect recall (information set '%s' of player %u); "
                           "strategic-form and subgame methods need perfect recall",
                           g->iset[g->recall_iset].label, g->iset[g->recall_iset].player);
        return CASUS_EINVAL;
    }
    casus_status st = casus_eq_ws_init(&x.ws, a, g);
    if (st != CASUS_OK)
        return st;
    if (mode == CASUS_PURE_AGENT)
        st = solve_agent(&x, out);
    else if (mode == CASUS_PURE_SPE)
        st = solve_spe(&x, out);
    else
        st = solve_truncated(&x, 0, emit_to_set, out);
    casus_eq_ws_release(&x.ws);
    return st;
}

casus_status casus_eq_nfg_pure(const struct casus_nfg *g, const struct casus_gtree_limits *lim,
                               struct casus_pure_set *out)
{
    static const struct casus_gtree_limits deflim = CASUS_GTREE_LIMITS_INIT;
    if (!lim)
        lim = &deflim;
    if (g->ncell > lim->max_profiles)
        return CASUS_ELIMIT;
    uint32_t np = g->nplayers;
    int32_t choice[256];
    uint32_t s[256];
    double lo = 0, hi = 0;
    for (size_t i = 0; i < (size_t)g->ncell * np; i++) {
        lo = i == 0 || g->pay[i] < lo ? g->pay[i] : lo;
        hi = i == 0 || g->pay[i] > hi ? g->pay[i] : hi;
    }
    double tol = 1e-9 * (hi - lo > 1 ? hi - lo : 1);
    if (np > 256)
        return CASUS_ELIMIT;
    for (uint32_t c = 0; c < g->ncell; c++) {
        /* decode the cell: player 1 fastest */
        uint32_t r = c;
        for (uint32_t i = 0; i < np; i++) {
            s[i] = r % g->nstrat[i];
            r /= g->nstrat[i];
        }
        bool ne = true;
        for (uint32_t i = 0; i < np && ne; i++) {
            double u = g->pay[(size_t)c * np + i];
            uint32_t keep = s[i];
            for (uint32_t t = 0; t < g->nstrat[i] && ne; t++) {
                s[i] = t;
                ne = g->pay[(size_t)casus_nfg_cell(g, s) * np + i] <= u + tol;
            }
            s[i] = keep;
        }
        if (ne) {
            for (uint32_t i = 0; i < np; i++)
                choice[i] = (int32_t)s[i];
            casus_status st = casus_pure_set_add(out, choice, g->pay + (size_t)c * np);
            if (st != CASUS_OK)
                return st;
        }
    }
    return CASUS_OK;
}
