/*
 * gtree.c — building, canonicalising and querying extensive-form games (see
 * gtree.h).  The readers feed a builder node by node in preorder; finishing
 * the builder sorts information sets into Gambit's profile order, computes
 * subtree sizes, member lists, the perfect-recall and perfect-information
 * flags, and the double views of payoffs and chance probabilities.
 */
#include "game/gtree.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* Numbers                                                            */

static int64_t gcd64(int64_t a, int64_t b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static void num_reduce(struct casus_num *n)
{
    if (n->den <= 0)
        return;
    int64_t g = gcd64(n->num, n->den);
    if (g > 1) {
        n->num /= g;
        n->den /= g;
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Accumulate a run of digits into *v (exactness lost -> *ok = false). */
static size_t scan_digits(const char *s, size_t i, size_t len, int64_t *v, bool *ok, int *ndig)
{
    while (i < len && is_digit(s[i])) {
        int d = s[i] - '0';
        if (*ok && (*v > (INT64_MAX - d) / 10))
            *ok = false;
        if (*ok)
            *v = *v * 10 + d;
        (*ndig)++;
        i++;
    }
    return i;
}

casus_status casus_num_parse(struct casus_arena *arena, const char *s, size_t len,
                             struct casus_num *n)
{
    size_t i = 0;
    bool neg = false, ok = true;
    int64_t mant = 0;
    int nint = 0, nfrac = 0;
    memset(n, 0, sizeof *n);
    if (len == 0 || len > 400)
        return CASUS_EINVAL;
    if (s[0] == '-') {
        neg = true;
        i++;
    }
    i = scan_digits(s, i, len, &mant, &ok, &nint);
    if (i < len && s[i] == '/') {
        /* rational: digits '/' digits */
        int64_t den = 0;
        int nden = 0;
        if (nint == 0)
            return CASUS_EINVAL;
        i = scan_digits(s, i + 1, len, &den, &ok, &nden);
        if (nden == 0 || i != len)
            return CASUS_EINVAL;
        if (ok && den == 0)
            return CASUS_EINVAL;
        /* A zero denominator written with huge digit runs ("0000...") still
         * counts as zero: check the digits themselves. */
        bool allzero = true;
        for (size_t k = len - (size_t)nden; k < len; k++)
            allzero &= s[k] == '0';
        if (allzero)
            return CASUS_EINVAL;
        if (ok) {
            n->num = neg ? -mant : mant;
            n->den = den;
            num_reduce(n);
            n->d = (double)n->num / (double)n->den;
        } else {
            n->den = 0;
        }
    } else {
        if (i < len && s[i] == '.') {
            i = scan_digits(s, i + 1, len, &mant, &ok, &nfrac);
        }
        if (nint + nfrac == 0)
            return CASUS_EINVAL;
        long exp10 = -(long)nfrac;
        if (i < len && (s[i] == 'e' || s[i] == 'E')) {
            bool eneg = false;
            long e = 0;
            int ne = 0;
            i++;
            if (i < len && s[i] == '-') {
                eneg = true;
                i++;
            }
            while (i < len && is_digit(s[i])) {
                if (e < 100000)
                    e = e * 10 + (s[i] - '0');
                ne++;
                i++;
            }
            if (ne == 0)
                return CASUS_EINVAL;
            exp10 += eneg ? -e : e;
        }
        if (i != len)
            return CASUS_EINVAL;
        /* exact value mant * 10^exp10 */
        if (ok) {
            int64_t num = mant, den = 1;
            long e = exp10;
            while (ok && e > 0) {
                if (num > INT64_MAX / 10)
                    ok = false;
                else
                    num *= 10;
                e--;
            }
            while (ok && e < 0) {
                if (den > INT64_MAX / 10)
                    ok = false;
                else
                    den *= 10;
                e++;
            }
            if (ok) {
                n->num = neg ? -num : num;
                n->den = den;
                num_reduce(n);
            }
        }
        if (!ok)
            n->den = 0;
    }
    bool exact_double = n->den > 0 && n->num > -((int64_t)1 << 53) && n->num < ((int64_t)1 << 53) &&
                        n->den < ((int64_t)1 << 53);
    if (exact_double) {
        n->d = (double)n->num / (double)n->den;
    } else {
        /* strtod needs a NUL-terminated copy; rationals divide two strtods. */
        char tmp[410];
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        char *slash = memchr(tmp, '/', len);
        if (slash) {
            *slash = '\0';
            n->d = strtod(tmp, NULL) / strtod(slash + 1, NULL);
        } else {
            n->d = strtod(tmp, NULL);
        }
        if (!isfinite(n->d))
            return CASUS_EINVAL;
    }
    if (arena) {
        n->text = casus_arena_strndup(arena, s, len);
        if (!n->text)
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

casus_status casus_num_from_int(struct casus_arena *arena, int64_t v, struct casus_num *n)
{
    memset(n, 0, sizeof *n);
    n->num = v;
    n->den = 1;
    n->d = (double)v;
    n->text = casus_arena_printf(arena, "%lld", (long long)v);
    return n->text ? CASUS_OK : CASUS_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                          */

void casus_gtree_free(struct casus_gtree *g)
{
    if (!g)
        return;
    struct casus_alloc a = g->alloc;
    casus_arena_release(&g->arena);
    casus_mem_free(&a, g, sizeof *g);
}

static const char *dup_str(struct casus_arena *a, const char *s)
{
    return casus_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

/* Grow an arena array to hold at least need elements. */
static bool grow(struct casus_arena *a, void **arr, uint32_t *cap, uint32_t used, uint32_t need,
                 size_t elem)
{
    if (need <= *cap)
        return true;
    uint64_t c = *cap ? (uint64_t)*cap * 2 : 16;
    while (c < need)
        c *= 2;
    if (c > UINT32_MAX - 1)
        c = UINT32_MAX - 1;
    if (c < need)
        return false;
    void *p = casus_arena_grow(a, *arr, used, (size_t)c, elem);
    if (!p)
        return false;
    *arr = p;
    *cap = (uint32_t)c;
    return true;
}

casus_status casus_gtree_builder_init(struct casus_gtree_builder *b,
                                      const struct casus_alloc *alloc,
                                      const struct casus_gtree_limits *lim, const char *title,
                                      const char *comment, uint32_t nplayers,
                                      const char *const *players)
{
    static const struct casus_gtree_limits deflim = CASUS_GTREE_LIMITS_INIT;
    memset(b, 0, sizeof *b);
    b->lim = lim ? *lim : deflim;
    if (nplayers > b->lim.max_players)
        return CASUS_ELIMIT;
    struct casus_gtree *g = casus_mem_alloc(alloc, sizeof *g);
    if (!g)
        return CASUS_ENOMEM;
    memset(g, 0, sizeof *g);
    g->alloc = *alloc;
    casus_arena_init(&g->arena, &g->alloc);
    b->g = g;
    g->title = dup_str(&g->arena, title);
    g->comment = dup_str(&g->arena, comment);
    g->nplayers = nplayers;
    g->player = casus_arena_alloc(&g->arena, sizeof(char *) * (nplayers ? nplayers : 1));
    if (!g->title || !g->comment || !g->player)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < nplayers; i++) {
        g->player[i] = dup_str(&g->arena, players ? players[i] : "");
        if (!g->player[i])
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

void casus_gtree_builder_abandon(struct casus_gtree_builder *b)
{
    casus_gtree_free(b->g);
    b->g = NULL;
}

casus_status casus_gtree_add_iset(struct casus_gtree_builder *b, uint32_t player, uint32_t file_id,
                                  const char *label, uint32_t nact, const char *const *labels,
                                  const struct casus_num *probs, uint32_t *out)
{
    struct casus_gtree *g = b->g;
    if (player > g->nplayers || nact == 0 || (player == 0) != (probs != NULL))
        return CASUS_EINVAL;
    if (nact > b->lim.max_actions || g->nact > UINT32_MAX - nact - 1 ||
        g->nact + nact > b->lim.max_nodes)
        return CASUS_ELIMIT;
    if (!grow(&g->arena, (void **)&g->iset, &b->cap_iset, g->niset, g->niset + 1,
              sizeof *g->iset) ||
        !grow(&g->arena, (void **)&g->act, &b->cap_act, g->nact, g->nact + nact, sizeof *g->act))
        return CASUS_ENOMEM;
    struct casus_game_iset *s = &g->iset[g->niset];
    s->player = player;
    s->nact = nact;
    s->act0 = g->nact;
    s->file_id = file_id;
    s->label = dup_str(&g->arena, label);
    if (!s->label)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < nact; i++) {
        struct casus_game_action *a = &g->act[g->nact + i];
        a->label = dup_str(&g->arena, labels ? labels[i] : "");
        a->iset = g->niset;
        if (!a->label)
            return CASUS_ENOMEM;
        if (probs) {
            a->prob = probs[i];
            if (probs[i].text) {
                a->prob.text = dup_str(&g->arena, probs[i].text);
                if (!a->prob.text)
                    return CASUS_ENOMEM;
            }
        }
    }
    g->nact += nact;
    *out = g->niset++;
    return CASUS_OK;
}

casus_status casus_gtree_add_outcome(struct casus_gtree_builder *b, uint32_t file_id,
                                     const char *label, const struct casus_num *pay, uint32_t *out)
{
    struct casus_gtree *g = b->g;
    if (g->noutcome >= b->lim.max_nodes)
        return CASUS_ELIMIT;
    if (!grow(&g->arena, (void **)&g->outcome, &b->cap_out, g->noutcome, g->noutcome + 1,
              sizeof *g->outcome))
        return CASUS_ENOMEM;
    struct casus_game_outcome *o = &g->outcome[g->noutcome];
    o->label = dup_str(&g->arena, label);
    o->file_id = file_id;
    o->pay = casus_arena_alloc(&g->arena, sizeof *o->pay * (g->nplayers ? g->nplayers : 1));
    if (!o->label || !o->pay)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < g->nplayers; i++) {
        o->pay[i] = pay[i];
        if (pay[i].text) {
            o->pay[i].text = dup_str(&g->arena, pay[i].text);
            if (!o->pay[i].text)
                return CASUS_ENOMEM;
        }
    }
    *out = g->noutcome++;
    return CASUS_OK;
}

/* The innermost node still waiting for children, or CASUS_NONE.  During
 * building node.size counts the children filled so far. */
static uint32_t open_parent(const struct casus_gtree *g)
{
    if (g->nnodes == 0)
        return CASUS_NONE;
    uint32_t cur = g->nnodes - 1;
    while (cur != CASUS_NONE && g->node[cur].size == g->node[cur].nchild)
        cur = g->node[cur].parent;
    return cur;
}

bool casus_gtree_builder_complete(const struct casus_gtree_builder *b)
{
    return b->g->nnodes > 0 && open_parent(b->g) == CASUS_NONE;
}

casus_status casus_gtree_add_node(struct casus_gtree_builder *b, const char *label, uint32_t iset,
                                  uint32_t outcome)
{
    struct casus_gtree *g = b->g;
    uint32_t par = open_parent(g);
    if (g->nnodes > 0 && par == CASUS_NONE)
        return CASUS_ESTATE;
    if ((iset != CASUS_NONE && iset >= g->niset) ||
        (outcome != CASUS_NONE && outcome >= g->noutcome))
        return CASUS_EINVAL;
    if (g->nnodes >= b->lim.max_nodes)
        return CASUS_ELIMIT;
    uint32_t nch = iset == CASUS_NONE ? 0 : g->iset[iset].nact;
    if (b->nchild_used > UINT32_MAX - nch - 1)
        return CASUS_ELIMIT;
    if (!grow(&g->arena, (void **)&g->node, &b->cap_node, g->nnodes, g->nnodes + 1,
              sizeof *g->node) ||
        !grow(&g->arena, (void **)&g->child, &b->cap_child, b->nchild_used, b->nchild_used + nch,
              sizeof *g->child))
        return CASUS_ENOMEM;
    uint32_t id = g->nnodes++;
    struct casus_game_node *n = &g->node[id];
    n->parent = par;
    n->child0 = b->nchild_used;
    n->nchild = nch;
    n->iset = iset;
    n->outcome = outcome;
    n->size = 0;
    n->kind = iset == CASUS_NONE          ? CASUS_NODE_TERMINAL
              : g->iset[iset].player == 0 ? CASUS_NODE_CHANCE
                                          : CASUS_NODE_DECISION;
    n->label = dup_str(&g->arena, label);
    if (!n->label)
        return CASUS_ENOMEM;
    b->nchild_used += nch;
    if (par != CASUS_NONE) {
        struct casus_game_node *p = &g->node[par];
        n->pos = p->size;
        g->child[p->child0 + p->size] = id;
        p->size++;
    } else {
        n->pos = 0;
    }
    return CASUS_OK;
}

/* ------------------------------------------------------------------ */
/* Finishing                                                          */

struct iset_key {
    uint32_t player, first, idx;
};

static int cmp_iset_key(const void *pa, const void *pb)
{
    const struct iset_key *a = pa, *b = pb;
    if (a->player != b->player)
        return a->player < b->player ? -1 : 1;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return 0;
}

/* Perfect recall: every member of an information set must have the same
 * last own move (infoset, action) on its path from the root — which by
 * induction makes the whole own history equal, and rules out
 * absent-mindedness.  One preorder sweep with a per-player "last own action"
 * array saved and restored along the DFS stack: O(nodes + players). */
static casus_status check_recall(struct casus_gtree *g)
{
    struct casus_arena tmp;
    casus_arena_init(&tmp, &g->alloc);
    uint32_t *cur = casus_arena_alloc(&tmp, sizeof *cur * (g->nplayers + 1));
    uint32_t *stack = casus_arena_alloc(&tmp, sizeof *stack * g->nnodes);
    uint32_t *saved = casus_arena_alloc(&tmp, sizeof *saved * g->nnodes);
    uint32_t *seen = casus_arena_alloc(&tmp, sizeof *seen * (g->niset ? g->niset : 1));
    if (!cur || !stack || !saved || !seen) {
        casus_arena_release(&tmp);
        return CASUS_ENOMEM;
    }
    for (uint32_t p = 0; p <= g->nplayers; p++)
        cur[p] = CASUS_NONE;
    for (uint32_t i = 0; i < g->niset; i++)
        seen[i] = CASUS_NONE - 1; /* "not seen yet" */
    g->perfect_recall = true;
    g->recall_iset = CASUS_NONE;
    uint32_t sp = 0;
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const struct casus_game_node *nd = &g->node[n];
        while (sp > 0 && stack[sp - 1] != nd->parent) {
            uint32_t t = stack[--sp];
            const struct casus_game_node *tp = &g->node[g->node[t].parent];
            if (tp->kind == CASUS_NODE_DECISION)
                cur[g->iset[tp->iset].player] = saved[t];
        }
        if (n > 0) {
            const struct casus_game_node *pp = &g->node[nd->parent];
            if (pp->kind == CASUS_NODE_DECISION) {
                uint32_t q = g->iset[pp->iset].player;
                saved[n] = cur[q];
                cur[q] = g->iset[pp->iset].act0 + nd->pos;
            }
        }
        stack[sp++] = n;
        if (nd->kind == CASUS_NODE_DECISION) {
            uint32_t p = g->iset[nd->iset].player;
            if (seen[nd->iset] == CASUS_NONE - 1)
                seen[nd->iset] = cur[p];
            else if (seen[nd->iset] != cur[p] && g->perfect_recall) {
                g->perfect_recall = false;
                g->recall_iset = nd->iset;
            }
        }
    }
    casus_arena_release(&tmp);
    return CASUS_OK;
}

casus_status casus_gtree_builder_finish(struct casus_gtree_builder *b, struct casus_gtree **out)
{
    struct casus_gtree *g = b->g;
    if (!casus_gtree_builder_complete(b))
        return CASUS_ESTATE;
    struct casus_arena *A = &g->arena;
    uint32_t ni = g->niset;
    struct iset_key *key = casus_arena_alloc(A, sizeof *key * (ni ? ni : 1));
    uint32_t *remap = casus_arena_alloc(A, sizeof *remap * (ni ? ni : 1));
    if (!key || !remap)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < ni; i++) {
        key[i].player = g->iset[i].player;
        key[i].first = CASUS_NONE;
        key[i].idx = i;
        g->iset[i].nmem = 0;
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        uint32_t s = g->node[n].iset;
        if (s == CASUS_NONE)
            continue;
        if (key[s].first == CASUS_NONE)
            key[s].first = n;
        g->iset[s].nmem++;
    }
    for (uint32_t i = 0; i < ni; i++)
        if (key[i].first == CASUS_NONE)
            return CASUS_EINVAL;
    qsort(key, ni, sizeof *key, cmp_iset_key);
    struct casus_game_iset *iset = casus_arena_alloc(A, sizeof *iset * (ni ? ni : 1));
    struct casus_game_action *act = casus_arena_alloc(A, sizeof *act * (g->nact ? g->nact : 1));
    uint32_t *member = casus_arena_alloc(A, sizeof *member * g->nnodes);
    g->pl_iset0 = casus_arena_alloc(A, sizeof *g->pl_iset0 * (g->nplayers + 2));
    g->chance = casus_arena_alloc(A, sizeof *g->chance * (g->nact ? g->nact : 1));
    size_t npay = (size_t)g->noutcome * g->nplayers;
    g->pay = casus_arena_alloc(A, sizeof *g->pay * (npay ? npay : 1));
    if (!iset || !act || !member || !g->pl_iset0 || !g->chance || !g->pay)
        return CASUS_ENOMEM;
    uint32_t na = 0, nm = 0;
    for (uint32_t k = 0; k < ni; k++) {
        const struct casus_game_iset *old = &g->iset[key[k].idx];
        remap[key[k].idx] = k;
        iset[k] = *old;
        iset[k].act0 = na;
        iset[k].mem0 = nm;
        nm += old->nmem;
        iset[k].nmem = 0;
        for (uint32_t j = 0; j < old->nact; j++) {
            act[na + j] = g->act[old->act0 + j];
            act[na + j].iset = k;
        }
        na += old->nact;
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        struct casus_game_node *nd = &g->node[n];
        if (nd->iset == CASUS_NONE)
            continue;
        nd->iset = remap[nd->iset];
        struct casus_game_iset *s = &iset[nd->iset];
        member[s->mem0 + s->nmem++] = n;
    }
    g->iset = iset;
    g->act = act;
    g->member = member;
    /* players' infoset ranges */
    uint32_t k = 0;
    for (uint32_t p = 0; p <= g->nplayers + 1; p++) {
        while (k < ni && iset[k].player < p)
            k++;
        g->pl_iset0[p] = k;
    }
    g->pact0 = g->pl_iset0[1] < ni ? iset[g->pl_iset0[1]].act0 : g->nact;
    /* subtree sizes */
    for (uint32_t n = 0; n < g->nnodes; n++)
        g->node[n].size = 1;
    for (uint32_t n = g->nnodes; n-- > 1;)
        g->node[g->node[n].parent].size += g->node[n].size;
    /* doubles */
    g->has_chance = false;
    for (uint32_t a = 0; a < g->nact; a++) {
        bool ch = iset[act[a].iset].player == 0;
        g->chance[a] = ch ? act[a].prob.d : 0.0;
        g->has_chance |= ch;
    }
    g->pay_min = g->pay_max = 0.0;
    for (uint32_t o = 0; o < g->noutcome; o++)
        for (uint32_t p = 0; p < g->nplayers; p++) {
            double v = g->outcome[o].pay[p].d;
            g->pay[(size_t)o * g->nplayers + p] = v;
            if ((o == 0 && p == 0) || v < g->pay_min)
                g->pay_min = v;
            if ((o == 0 && p == 0) || v > g->pay_max)
                g->pay_max = v;
        }
    g->perfect_info = true;
    for (uint32_t s = g->pl_iset0[1]; s < ni; s++)
        if (iset[s].nmem != 1)
            g->perfect_info = false;
    casus_status st = check_recall(g);
    if (st != CASUS_OK)
        return st;
    *out = g;
    b->g = NULL;
    return CASUS_OK;
}

/* ------------------------------------------------------------------ */
/* Queries                                                            */

void casus_gtree_uniform_profile(const struct casus_gtree *g, double *prob)
{
    for (uint32_t a = 0; a < g->nact; a++) {
        const struct casus_game_iset *s = &g->iset[g->act[a].iset];
        prob[a] = s->player == 0 ? g->chance[a] : 1.0 / s->nact;
    }
}

static bool str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

bool casus_gtree_equal(const struct casus_gtree *a, const struct casus_gtree *b)
{
    if (a->nplayers != b->nplayers || a->nnodes != b->nnodes || a->niset != b->niset ||
        a->nact != b->nact || a->noutcome != b->noutcome || !str_eq(a->title, b->title) ||
        !str_eq(a->comment, b->comment))
        return false;
    for (uint32_t p = 0; p < a->nplayers; p++)
        if (!str_eq(a->player[p], b->player[p]))
            return false;
    for (uint32_t n = 0; n < a->nnodes; n++) {
        const struct casus_game_node *x = &a->node[n], *y = &b->node[n];
        if (x->kind != y->kind || x->parent != y->parent || x->nchild != y->nchild ||
            x->iset != y->iset || x->outcome != y->outcome || !str_eq(x->label, y->label))
            return false;
    }
    for (uint32_t s = 0; s < a->niset; s++) {
        const struct casus_game_iset *x = &a->iset[s], *y = &b->iset[s];
        if (x->player != y->player || x->nact != y->nact || !str_eq(x->label, y->label))
            return false;
    }
    for (uint32_t i = 0; i < a->nact; i++)
        if (!str_eq(a->act[i].label, b->act[i].label) ||
            !str_eq(a->act[i].prob.text, b->act[i].prob.text))
            return false;
    for (uint32_t o = 0; o < a->noutcome; o++) {
        if (!str_eq(a->outcome[o].label, b->outcome[o].label))
            return false;
        for (uint32_t p = 0; p < a->nplayers; p++)
            if (!str_eq(a->outcome[o].pay[p].text, b->outcome[o].pay[p].text))
                return false;
    }
    return true;
}

void casus_gtree_subgame_roots(const struct casus_gtree *g, bool *root)
{
    /* lo/hi of a subtree = the smallest first member and largest last member
     * over the personal infosets it meets; a subgame root's interval must
     * contain both.  Chance infosets carry no information and are ignored.
     * root[] doubles as scratch via two passes over a small struct array
     * would cost memory; instead recompute bounds into root-sized passes. */
    uint32_t N = g->nnodes;
    for (uint32_t n = 0; n < N; n++)
        root[n] = false;
    if (N == 0)
        return;
    /* We need per-node lo/hi; store them in a temporary arena. */
    struct casus_arena tmp;
    casus_arena_init(&tmp, &g->alloc);
    uint32_t *lo = casus_arena_alloc(&tmp, sizeof *lo * N);
    uint32_t *hi = casus_arena_alloc(&tmp, sizeof *hi * N);
    if (!lo || !hi) {
        casus_arena_release(&tmp);
        root[0] = true; /* out of memory: only the game itself is known */
        return;
    }
    for (uint32_t n = 0; n < N; n++) {
        const struct casus_game_node *nd = &g->node[n];
        if (nd->kind == CASUS_NODE_DECISION) {
            const struct casus_game_iset *s = &g->iset[nd->iset];
            lo[n] = g->member[s->mem0];
            hi[n] = g->member[s->mem0 + s->nmem - 1];
        } else {
            lo[n] = n;
            hi[n] = n;
        }
    }
    for (uint32_t n = N; n-- > 1;) {
        uint32_t p = g->node[n].parent;
        if (lo[n] < lo[p])
            lo[p] = lo[n];
        if (hi[n] > hi[p])
            hi[p] = hi[n];
    }
    for (uint32_t n = 0; n < N; n++)
        root[n] =
            g->node[n].kind != CASUS_NODE_TERMINAL && lo[n] >= n && hi[n] < n + g->node[n].size;
    casus_arena_release(&tmp);
}
