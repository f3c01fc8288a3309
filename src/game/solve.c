/*
 * solve.c — the public game API (include/casus/solve.h) over the internal
 * modules: efg.c / nfg.c read and write, eq_pure.c, eq_spe.c, eq_logit.c
 * and eq_qre.c solve, eq_common.c scores every profile (payoffs, regret).
 *
 * A casus_game keeps the tree (struct casus_gtree) of an .efg file, or the
 * table of an .nfg file plus its tree form, built here: player 1 moves at
 * the root and every later player moves in one information set spanning
 * all nodes of their level, so the agent QRE of the tree is the strategic
 * QRE of the table and its behaviour profiles are mixed strategy profiles
 * in Gambit's order.  Solutions own their profiles in one arena.
 */
#include "casus/solve.h"
#include "base/buf.h"
#include "base/budget.h"
#include "game/efg.h"
#include "model/engine.h"
#include "game/eq_common.h"
#include "game/eq_pure.h"
#include "game/eq_lcp.h"
#include "game/eq_qre.h"
#include "game/eq_spe.h"
#include "game/nfg.h"

#include <math.h>
#include <stdio.h>

struct casus_game {
    struct casus_alloc alloc;
    struct casus_gtree *tree; /* the .efg tree, or the .nfg's tree form (NULL if too large) */
    struct casus_nfg *nfg;    /* .nfg only */
    struct casus_gtree_limits lim;
    uint32_t max_unknowns;
};

struct sol_prof {
    casus_profile_kind kind;
    double *prob, *pay;
    const char **exact; /* exact rationals of prob ("3/7"), or NULL */
    double regret, rel_regret, lambda;
    double seq_regret, rel_seq_regret; /* logit points; NAN otherwise */
};

struct sol_bif {
    double lambda;
    double *prob;
    uint32_t branch, nbranches;
    double next_lambda[3];
    double *next_prob[3];
};

struct casus_solution {
    struct casus_alloc outer;   /* allocated the struct itself */
    struct casus_budget budget; /* the solve's memory budget, over outer */
    struct casus_alloc alloc;   /* draws on budget: the arena and the solvers' memory */
    struct casus_arena arena;
    casus_method method;
    bool exact; /* 0/1 profiles: printed as integers by default */
    bool converged;
    uint32_t len, nplayers;
    const char **player; /* borrowed copies in the arena */
    struct sol_prof *item;
    size_t n, cap;
    struct sol_bif *bif;
    size_t nbif, bifcap;
};

static const casus_game_limits default_limits = CASUS_GAME_LIMITS_DEFAULT;

static void to_internal(const casus_game_limits *l, struct casus_gtree_limits *out)
{
    out->max_bytes = l->max_bytes;
    out->max_nodes = l->max_nodes;
    out->max_players = l->max_players;
    out->max_actions = l->max_actions;
    out->max_profiles = l->max_profiles;
}

/* ---- the tree form of a strategic game ------------------------------ */

/* Build the tree form of n (see the file comment).  CASUS_ELIMIT past
 * lim->max_nodes, CASUS_ENOMEM.  O(cells · players). */
static casus_status nfg_tree(const struct casus_alloc *a, const struct casus_nfg *n,
                             const struct casus_gtree_limits *lim, struct casus_gtree **out)
{
    *out = NULL;
    const uint32_t np = n->nplayers;
    uint64_t total = 1, level = 1;
    for (uint32_t p = 0; p < np; p++) {
        level *= n->nstrat[p];
        total += level;
        if (total > lim->max_nodes)
            return CASUS_ELIMIT;
    }
    struct casus_gtree_builder b;
    casus_status st = casus_gtree_builder_init(&b, a, lim, n->title, n->comment, np,
                                               (const char *const *)n->player);
    if (st != CASUS_OK)
        return st;
    struct casus_arena tmp;
    casus_arena_init(&tmp, a);
    uint32_t *iset = casus_arena_alloc(&tmp, sizeof *iset * (np + 1));
    uint32_t *s = casus_arena_alloc(&tmp, sizeof *s * (np + 1));
    uint32_t *outc = casus_arena_alloc(&tmp, sizeof *outc * (n->noutcome + 1));
    if (!iset || !s || !outc) {
        st = CASUS_ENOMEM;
        goto done;
    }
    for (uint32_t p = 0; p < np && st == CASUS_OK; p++)
        st = casus_gtree_add_iset(&b, p + 1, 1, "", n->nstrat[p],
                                  (const char *const *)n->strat + n->strat0[p], NULL, &iset[p]);
    if (n->outcome_form)
        for (uint32_t k = 0; k < n->noutcome && st == CASUS_OK; k++)
            st = casus_gtree_add_outcome(&b, k + 1, n->out_label[k], n->out_pay + (size_t)k * np,
                                         &outc[k]);
    /* leaves in lexicographic order, player 1 slowest; digit j rolling over
     * opens new decision nodes for players j + 2 .. n */
    uint32_t first = 0, nout = 0;
    for (uint32_t leaf = 0; st == CASUS_OK && leaf < level; leaf++) {
        for (uint32_t p = first; p < np && st == CASUS_OK; p++)
            st = casus_gtree_add_node(&b, "", iset[p], CASUS_NONE);
        if (st != CASUS_OK)
            break;
        uint32_t cell = casus_nfg_cell(n, s), o = CASUS_NONE;
        if (n->outcome_form) {
            if (n->cell_out[cell] != 0)
                o = outc[n->cell_out[cell] - 1];
        } else {
            st = casus_gtree_add_outcome(&b, ++nout, "", n->cell_pay + (size_t)cell * np, &o);
        }
        if (st == CASUS_OK)
            st = casus_gtree_add_node(&b, "", CASUS_NONE, o);
        uint32_t j = np;
        while (j-- > 0) {
            if (++s[j] < n->nstrat[j])
                break;
            s[j] = 0;
        }
        first = j + 1;
    }
    if (st == CASUS_OK)
        st = casus_gtree_builder_finish(&b, out);
done:
    if (st != CASUS_OK)
        casus_gtree_builder_abandon(&b);
    casus_arena_release(&tmp);
    return st;
}

/* ---- opening and writing --------------------------------------------- */

enum game_format { FORMAT_EFG, FORMAT_NFG, FORMAT_EMPTY, FORMAT_BINARY };

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool name_ends(const char *name, const char *ext)
{
    size_t n = strlen(name), k = strlen(ext);
    return n >= k && strcmp(name + n - k, ext) == 0;
}

/* Which reader gets the text: the first word decides (EFG / NFG); without
 * either, an empty text or one starting with control bytes is not a game
 * file at all (*at: the first such byte, or the length of a text of white
 * space), and other text goes to the
 * reader of the file's extension, whose message then names the header it
 * expected. */
static enum game_format sniff(const char *name, const char *text, size_t len, size_t *at)
{
    size_t i = 0;
    while (i < len && space(text[i]))
        i++;
    if (len - i >= 3 && memcmp(text + i, "NFG", 3) == 0)
        return FORMAT_NFG;
    if (len - i >= 3 && memcmp(text + i, "EFG", 3) == 0)
        return FORMAT_EFG;
    if (i == len) {
        *at = len;
        return FORMAT_EMPTY;
    }
    for (size_t k = i; k < len && k < i + 64; k++)
        if ((unsigned char)text[k] < 0x20 && !space(text[k])) {
            *at = k;
            return FORMAT_BINARY;
        }
    return name_ends(name, ".nfg") ? FORMAT_NFG : FORMAT_EFG;
}

/* The diagnostic for a text that is not a game file at all. */
static void not_a_game(struct casus_diags *d, const char *name, enum game_format f,
                       const char *text, size_t at)
{
    static const char *what = "a Gambit game file is text starting with 'EFG 2 R' (extensive "
                              "form) or 'NFG 1 R' (strategic form)";
    if (f == FORMAT_EMPTY)
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "game-format", "'%s' is empty%s: %s", name,
                       at ? " (only white space)" : "", what);
    else
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "game-format",
                       "'%s' is not a text file (byte 0x%02x at offset %zu): %s", name,
                       (unsigned char)text[at], at, what);
}

casus_status casus_game_open(casus_engine *e, const char *name, const char *text, size_t len,
                             const casus_game_limits *lim, casus_game **out)
{
    *out = NULL;
    if (!lim)
        lim = &default_limits;
    casus_game *h = casus_mem_alloc(&e->alloc, sizeof *h);
    if (!h)
        return CASUS_ENOMEM;
    memset(h, 0, sizeof *h);
    h->alloc = e->alloc;
    to_internal(lim, &h->lim);
    h->max_unknowns = lim->max_unknowns;
    casus_status st;
    size_t at = 0;
    enum game_format f = sniff(name, text, len, &at);
    if (f == FORMAT_EMPTY || f == FORMAT_BINARY) {
        not_a_game(&e->diags, name, f, text, at);
        st = CASUS_EINVAL;
    } else if (f == FORMAT_NFG) {
        st = casus_nfg_read(&h->alloc, &e->diags, name, text, len, &h->lim, &h->nfg);
        if (st == CASUS_OK) {
            casus_status ts = nfg_tree(&h->alloc, h->nfg, &h->lim, &h->tree);
            if (ts == CASUS_ENOMEM)
                st = ts;
        }
    } else {
        st = casus_efg_read(&h->alloc, &e->diags, name, text, len, &h->lim, &h->tree);
    }
    if (st != CASUS_OK) {
        casus_game_close(h);
        return st;
    }
    *out = h;
    return CASUS_OK;
}

casus_status casus_game_open_file(casus_engine *e, const char *path, const casus_game_limits *lim,
                                  casus_game **out)
{
    *out = NULL;
    if (!lim)
        lim = &default_limits;
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = casus_engine_read_file(e, path, lim->max_bytes, &b);
    if (st != CASUS_OK) {
        casus_buf_release(&b);
        return st;
    }
    st = casus_game_open(e, path, b.data ? b.data : "", b.len, lim, out);
    casus_buf_release(&b);
    return st;
}

void casus_game_close(casus_game *g)
{
    if (!g)
        return;
    casus_gtree_free(g->tree);
    casus_nfg_free(g->nfg);
    struct casus_alloc a = g->alloc;
    casus_mem_free(&a, g, sizeof *g);
}

const struct casus_gtree *casus_game_tree(const struct casus_game *g)
{
    return g->tree;
}

static uint32_t profile_len(const casus_game *g)
{
    if (g->tree)
        return g->tree->nact - g->tree->pact0;
    uint32_t k = 0;
    for (uint32_t p = 0; p < g->nfg->nplayers; p++)
        k += g->nfg->nstrat[p];
    return k;
}

void casus_game_get_info(const casus_game *g, casus_game_info *out)
{
    memset(out, 0, sizeof *out);
    const struct casus_gtree *t = g->tree;
    out->strategic = g->nfg != NULL;
    out->nplayers = g->nfg ? g->nfg->nplayers : t->nplayers;
    out->title = g->nfg ? g->nfg->title : t->title;
    out->profile_len = profile_len(g);
    if (t) {
        out->nnodes = t->nnodes;
        out->ninfosets = t->niset - t->pl_iset0[1];
        out->perfect_information = t->perfect_info;
        out->perfect_recall = t->perfect_recall;
        out->has_chance = t->has_chance;
    }
}

const char *casus_game_player(const casus_game *g, uint32_t i)
{
    if (g->nfg)
        return i < g->nfg->nplayers ? g->nfg->player[i] : NULL;
    return i < g->tree->nplayers ? g->tree->player[i] : NULL;
}

casus_status casus_game_write_efg(const casus_game *g, casus_buf *out)
{
    if (!g->tree)
        return CASUS_ESTATE;
    casus_status st = casus_efg_write(g->tree, out);
    return st != CASUS_OK ? st : casus_buf_status(out);
}

casus_status casus_game_write_nfg(const casus_game *g, casus_buf *out)
{
    if (!g->nfg)
        return CASUS_ESTATE;
    casus_status st = casus_nfg_write(g->nfg, out);
    return st != CASUS_OK ? st : casus_buf_status(out);
}

casus_status casus_game_write_dot(const casus_game *g, casus_buf *out)
{
    if (!g->tree)
        return CASUS_ESTATE;
    casus_status st = casus_efg_write_dot(g->tree, out);
    return st != CASUS_OK ? st : casus_buf_status(out);
}

/* ---- solutions --------------------------------------------------------- */

/* A new, empty solution whose memory (and the solve's) draws on a budget
 * of max_memory bytes (0: the default); sol_players fills in the rest. */
static casus_status sol_new(const casus_game *g, casus_method method, size_t max_memory,
                            casus_solution **out)
{
    casus_solution *s = casus_mem_alloc(&g->alloc, sizeof *s);
    if (!s)
        return CASUS_ENOMEM;
    memset(s, 0, sizeof *s);
    s->outer = g->alloc;
    casus_budget_init(&s->budget, &g->alloc, max_memory);
    s->alloc = casus_budget_alloc(&s->budget);
    casus_arena_init(&s->arena, &s->alloc);
    s->method = method;
    s->converged = true;
    s->len = profile_len(g);
    s->nplayers = g->nfg ? g->nfg->nplayers : g->tree->nplayers;
    *out = s;
    return CASUS_OK;
}

/* The players' labels, copied into the solution (within its budget). */
static casus_status sol_players(casus_solution *s, const casus_game *g)
{
    s->player = casus_arena_alloc(&s->arena, sizeof *s->player * (s->nplayers + 1));
    if (!s->player)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < s->nplayers; i++) {
        const char *lab = casus_game_player(g, i);
        s->player[i] = casus_arena_strndup(&s->arena, lab, strlen(lab));
        if (!s->player[i])
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

void casus_solution_free(casus_solution *s)
{
    if (!s)
        return;
    casus_arena_release(&s->arena);
    struct casus_alloc a = s->outer;
    casus_mem_free(&a, s, sizeof *s);
}

size_t casus_solution_count(const casus_solution *s)
{
    return s->n;
}

bool casus_solution_converged(const casus_solution *s)
{
    return s->converged;
}

/* Room for one more item in the arena array *items of n items (capacity
 * *cap, doubling from 8).  False when out of memory. */
static bool room(struct casus_arena *a, void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 8;
    void *it = casus_arena_grow(a, *items, n, c, size);
    if (!it)
        return false;
    *items = it;
    *cap = c;
    return true;
}

/* Append a profile (prob: s->len numbers, pay: nplayers), copied. */
static casus_status sol_add(casus_solution *s, casus_profile_kind kind, const double *prob,
                            const double *pay, double regret, double range, double lambda)
{
    if (!room(&s->arena, (void **)&s->item, s->n, &s->cap, sizeof *s->item))
        return CASUS_ENOMEM;
    struct sol_prof *p = &s->item[s->n];
    p->prob = casus_arena_alloc(&s->arena, sizeof(double) * (s->len + 1));
    p->pay = casus_arena_alloc(&s->arena, sizeof(double) * (s->nplayers + 1));
    if (!p->prob || !p->pay)
        return CASUS_ENOMEM;
    memcpy(p->prob, prob, sizeof(double) * s->len);
    memcpy(p->pay, pay, sizeof(double) * s->nplayers);
    p->kind = kind;
    p->regret = regret;
    p->rel_regret = regret / (range > 0 ? range : 1.0);
    p->lambda = lambda;
    p->exact = NULL;
    p->seq_regret = p->rel_seq_regret = NAN;
    s->n++;
    return CASUS_OK;
}

/* Record the bifurcation b of a logit trace of the tree t (profiles with
 * chance entries, nact long). */
static casus_status sol_add_bif(casus_solution *s, const struct casus_gtree *t,
                                const struct casus_qre_bif *b)
{
    if (!room(&s->arena, (void **)&s->bif, s->nbif, &s->bifcap, sizeof *s->bif))
        return CASUS_ENOMEM;
    struct sol_bif *f = &s->bif[s->nbif];
    memset(f, 0, sizeof *f);
    const double *src[4] = {b->prob, b->bprob[0], b->bprob[1], b->bprob[2]};
    double *dst[4];
    for (int k = 0; k < 4; k++) {
        dst[k] = NULL;
        if (!src[k] || (k > 1 && b->nbranch < 3))
            continue;
        dst[k] = casus_arena_alloc(&s->arena, sizeof(double) * (s->len + 1));
        if (!dst[k])
            return CASUS_ENOMEM;
        memcpy(dst[k], src[k] + t->pact0, sizeof(double) * s->len);
    }
    f->lambda = b->lambda;
    f->prob = dst[0];
    f->branch = b->taken;
    f->nbranches = b->nbranch;
    for (int k = 0; k < 3; k++) {
        f->next_prob[k] = dst[k + 1];
        f->next_lambda[k] = dst[k + 1] ? b->blambda[k] : NAN;
    }
    s->nbif++;
    return CASUS_OK;
}

casus_status casus_solution_profile(const casus_solution *s, size_t i, casus_profile_info *out)
{
    if (i >= s->n)
        return CASUS_EINVAL;
    const struct sol_prof *p = &s->item[i];
    out->kind = p->kind;
    out->prob = p->prob;
    out->len = s->len;
    out->payoff = p->pay;
    out->regret = p->regret;
    out->rel_regret = p->rel_regret;
    out->lambda = p->lambda;
    out->seq_regret = p->seq_regret;
    out->rel_seq_regret = p->rel_seq_regret;
    return CASUS_OK;
}

size_t casus_solution_bifurcation_count(const casus_solution *s)
{
    return s->nbif;
}

casus_status casus_solution_bifurcation(const casus_solution *s, size_t i,
                                        casus_bifurcation_info *out)
{
    if (i >= s->nbif)
        return CASUS_EINVAL;
    const struct sol_bif *f = &s->bif[i];
    out->lambda = f->lambda;
    out->prob = f->prob;
    out->len = s->len;
    out->branch = f->branch;
    out->nbranches = f->nbranches;
    for (int k = 0; k < 3; k++) {
        out->next_lambda[k] = f->next_lambda[k];
        out->next_prob[k] = f->next_prob[k];
    }
    return CASUS_OK;
}

size_t casus_memory_budget_default(void)
{
    return casus_budget_default();
}

casus_status casus_solution_write_gambit(const casus_solution *s, int decimals, casus_buf *out)
{
    bool logit = s->method == CASUS_METHOD_LOGIT;
    int d = decimals < 0 ? 6 : decimals > 17 ? 17 : decimals;
    int sig = d < 1 ? 1 : d;
    for (size_t k = 0; k < s->n; k++) {
        const struct sol_prof *p = &s->item[k];
        if (p->kind == CASUS_PROFILE_NE)
            casus_buf_puts(out, "NE");
        else
            casus_buf_printf(out, "%.*f", d, p->lambda);
        for (uint32_t i = 0; i < s->len; i++) {
            double x = p->prob[i];
            if (logit)
                casus_buf_printf(out, ",%.*g", sig, x);
            else if (decimals < 0 && p->exact)
                casus_buf_printf(out, ",%s", p->exact[i]);
            else if (decimals < 0 && s->exact)
                casus_buf_printf(out, ",%g", x);
            else if (decimals < 0)
                casus_buf_printf(out, ",%.6g", x);
            else
                casus_buf_printf(out, ",%.*f", d, x);
        }
        casus_buf_putc(out, '\n');
    }
    return casus_buf_status(out);
}

static const char *method_name(casus_method m)
{
    switch (m) {
    case CASUS_METHOD_PURE: return "pure";
    case CASUS_METHOD_SPE: return "spe";
    case CASUS_METHOD_LOGIT: return "logit";
    case CASUS_METHOD_LCP: return "lcp";
    }
    return "?";
}

static void json_probs(casus_buf *out, const double *p, uint32_t len)
{
    casus_buf_putc(out, '[');
    for (uint32_t i = 0; i < len; i++) {
        if (i)
            casus_buf_putc(out, ',');
        casus_buf_json_num(out, p[i]);
    }
    casus_buf_putc(out, ']');
}

/* ,"bifurcations":[{"lambda","prob","branch","branches":[{"branch","lambda","prob"}]}] */
static void write_bifs_json(const casus_solution *s, casus_buf *out)
{
    casus_buf_puts(out, ",\"bifurcations\":[");
    for (size_t k = 0; k < s->nbif; k++) {
        const struct sol_bif *f = &s->bif[k];
        casus_buf_printf(out, "%s{\"lambda\":", k ? "," : "");
        casus_buf_json_num(out, f->lambda);
        casus_buf_puts(out, ",\"prob\":");
        json_probs(out, f->prob, s->len);
        casus_buf_printf(out, ",\"branch\":%u,\"branches\":[", f->branch);
        bool first = true;
        for (uint32_t b = 0; b < 3; b++) {
            if (!f->next_prob[b])
                continue;
            casus_buf_printf(out, "%s{\"branch\":%u,\"lambda\":", first ? "" : ",", b);
            casus_buf_json_num(out, f->next_lambda[b]);
            casus_buf_puts(out, ",\"prob\":");
            json_probs(out, f->next_prob[b], s->len);
            casus_buf_putc(out, '}');
            first = false;
        }
        casus_buf_puts(out, "]}");
    }
    casus_buf_putc(out, ']');
}

casus_status casus_solution_write_json(const casus_solution *s, casus_buf *out)
{
    casus_buf_printf(out, "{\"method\":\"%s\",\"players\":[", method_name(s->method));
    for (uint32_t i = 0; i < s->nplayers; i++) {
        if (i)
            casus_buf_putc(out, ',');
        casus_buf_json_str(out, s->player[i]);
    }
    casus_buf_printf(out, "],\"converged\":%s,\"profiles\":[", s->converged ? "true" : "false");
    for (size_t k = 0; k < s->n; k++) {
        const struct sol_prof *p = &s->item[k];
        casus_buf_printf(out, "%s{\"kind\":\"%s\",\"lambda\":", k ? "," : "",
                         p->kind == CASUS_PROFILE_NE ? "NE" : "QRE");
        casus_buf_json_num(out, p->lambda);
        casus_buf_puts(out, ",\"prob\":");
        json_probs(out, p->prob, s->len);
        casus_buf_puts(out, ",\"payoff\":");
        json_probs(out, p->pay, s->nplayers);
        if (p->exact) {
            casus_buf_puts(out, ",\"exact\":[");
            for (uint32_t i = 0; i < s->len; i++) {
                if (i)
                    casus_buf_putc(out, ',');
                casus_buf_json_str(out, p->exact[i]);
            }
            casus_buf_puts(out, "]");
        }
        casus_buf_puts(out, ",\"regret\":");
        casus_buf_json_num(out, p->regret);
        casus_buf_puts(out, ",\"rel_regret\":");
        casus_buf_json_num(out, p->rel_regret);
        if (!isnan(p->seq_regret)) {
            casus_buf_puts(out, ",\"seq_regret\":");
            casus_buf_json_num(out, p->seq_regret);
            casus_buf_puts(out, ",\"rel_seq_regret\":");
            casus_buf_json_num(out, p->rel_seq_regret);
        }
        casus_buf_putc(out, '}');
    }
    casus_buf_putc(out, ']');
    if (s->method == CASUS_METHOD_LOGIT)
        write_bifs_json(s, out);
    casus_buf_putc(out, '}');
    return casus_buf_status(out);
}

/* ---- solving ----------------------------------------------------------- */

struct solver {
    casus_engine *e;
    const casus_game *g;
    const casus_solve_opts *o;
    const struct casus_gtree *t;   /* the tree */
    const struct casus_alloc *a;   /* the solution's: draws on its memory budget */
    struct casus_gtree_limits lim; /* the game's, with the budget as max_memory */
    struct casus_eq_ws ws;         /* scoring workspace (initialised when t) */
    struct casus_eq_sub whole;
    double *beh; /* nact scratch */
    double *pay; /* nplayers scratch */
    casus_solution *s;
    double range;
    casus_status st;  /* first error inside a callback */
    bool seq;         /* score sequential regret too (logit points) */
    const double *mu; /* beliefs for it (NULL: single-node information sets) */
};

/* Payoffs and Nash (or agent) regret of a behaviour profile of the tree. */
static void score(struct solver *x, const double *beh, bool agent, double *regret)
{
    double nash = 0, ag = 0;
    if (agent || !x->t->perfect_recall) {
        casus_eq_regret(&x->ws, &x->whole, beh, NULL, &ag);
        *regret = ag;
    } else {
        casus_eq_regret(&x->ws, &x->whole, beh, &nash, NULL);
        *regret = nash;
    }
    casus_eq_payoff(&x->ws, &x->whole, beh, x->pay);
}

static casus_status add_behav(struct solver *x, casus_profile_kind kind, const double *beh,
                              bool agent, double lambda)
{
    double regret;
    score(x, beh, agent, &regret);
    casus_status st = sol_add(x->s, kind, beh + x->t->pact0, x->pay, regret, x->range, lambda);
    if (st == CASUS_OK && x->seq) {
        struct sol_prof *p = &x->s->item[x->s->n - 1];
        p->seq_regret = casus_eq_seq_regret(&x->ws, beh, x->mu, NULL);
        p->rel_seq_regret = p->seq_regret / x->range;
    }
    return st;
}

static casus_status solve_pure_tree(struct solver *x, enum casus_pure_mode mode)
{
    const struct casus_gtree *t = x->t;
    struct casus_pure_set set;
    casus_pure_set_init(&set, x->a, t->niset, t->nplayers);
    casus_status st = casus_eq_pure(t, x->a, &x->lim, mode, &x->e->diags, &set);
    for (uint32_t k = 0; st == CASUS_OK && k < set.n; k++) {
        casus_pure_to_behav(t, set.choice + (size_t)k * t->niset, x->beh);
        st = add_behav(x, CASUS_PROFILE_NE, x->beh, mode == CASUS_PURE_AGENT, NAN);
    }
    casus_pure_set_release(&set);
    return st;
}

static casus_status solve_pure_nfg(struct solver *x)
{
    const struct casus_nfg *n = x->g->nfg;
    const uint32_t np = n->nplayers;
    struct casus_pure_set set;
    casus_pure_set_init(&set, x->a, np, np);
    casus_status st = casus_eq_nfg_pure(n, &x->lim, &set);
    if (st == CASUS_ELIMIT)
        casus_diag_add(&x->e->diags, CASUS_SEV_ERROR, NULL, "game-too-large",
                       "pure: the game has %u cells, more than the limit of %llu profiles "
                       "(--max-profiles)",
                       n->ncell, (unsigned long long)x->lim.max_profiles);
    double *prob = casus_mem_alloc(x->a, sizeof(double) * (x->s->len + 1));
    uint32_t *sv = casus_mem_alloc(x->a, sizeof *sv * (np + 1));
    if (st == CASUS_OK && (!prob || !sv))
        st = CASUS_ENOMEM;
    double lo = 0, hi = 0;
    for (size_t c = 0; c < (size_t)n->ncell * np; c++) {
        lo = c == 0 || n->pay[c] < lo ? n->pay[c] : lo;
        hi = c == 0 || n->pay[c] > hi ? n->pay[c] : hi;
    }
    for (uint32_t k = 0; st == CASUS_OK && k < set.n; k++) {
        const int32_t *ch = set.choice + (size_t)k * np;
        uint32_t off = 0;
        for (uint32_t p = 0; p < np; p++) {
            for (uint32_t j = 0; j < n->nstrat[p]; j++)
                prob[off + j] = (int32_t)j == ch[p] ? 1.0 : 0.0;
            off += n->nstrat[p];
            sv[p] = (uint32_t)ch[p];
        }
        double regret = 0;
        for (uint32_t p = 0; p < np; p++) {
            double u = n->pay[(size_t)casus_nfg_cell(n, sv) * np + p], best = u;
            for (uint32_t j = 0; j < n->nstrat[p]; j++) {
                sv[p] = j;
                double v = n->pay[(size_t)casus_nfg_cell(n, sv) * np + p];
                best = v > best ? v : best;
            }
            sv[p] = (uint32_t)ch[p];
            x->pay[p] = u;
            regret = best - u > regret ? best - u : regret;
        }
        st = sol_add(x->s, CASUS_PROFILE_NE, prob, x->pay, regret, hi - lo, NAN);
    }
    casus_mem_free(x->a, prob, sizeof(double) * (x->s->len + 1));
    casus_mem_free(x->a, sv, sizeof *sv * (np + 1));
    casus_pure_set_release(&set);
    return st;
}

static casus_status solve_lcp(struct solver *x, bool spe);

/* Subgame-perfect equilibrium: backward induction on perfect-information
 * games; for two-player games with information sets, subgame decomposition
 * with a certified Lemke equilibrium in each subgame; otherwise (more
 * players, or imperfect recall) the pure subgame-perfect equilibria, with a
 * warning when there is none. */
static casus_status solve_spe(struct solver *x)
{
    const struct casus_gtree *t = x->t;
    if (!t->perfect_info) {
        if (t->nplayers == 2 && t->perfect_recall)
            return solve_lcp(x, true);
        casus_status st = solve_pure_tree(x, CASUS_PURE_SPE);
        if (st == CASUS_OK && x->s->n == 0)
            casus_diag_add(&x->e->diags, CASUS_SEV_WARNING, NULL, "no-pure-spe",
                           "spe: the game has no pure subgame-perfect equilibrium, and mixed "
                           "ones are computed only for two players with perfect recall");
        return st;
    }
    const struct casus_alloc *a = x->a;
    double *val = casus_mem_alloc(a, sizeof(double) * ((size_t)t->nnodes * t->nplayers + 1));
    int32_t *choice = casus_mem_alloc(a, sizeof(int32_t) * (t->niset + 1));
    casus_status st = val && choice ? CASUS_OK : CASUS_ENOMEM;
    if (st == CASUS_OK)
        st = casus_eq_backward(t, &x->e->diags, val, choice, x->beh);
    if (st == CASUS_OK)
        st = add_behav(x, CASUS_PROFILE_NE, x->beh, false, NAN);
    casus_mem_free(a, val, sizeof(double) * ((size_t)t->nnodes * t->nplayers + 1));
    casus_mem_free(a, choice, sizeof(int32_t) * (t->niset + 1));
    return st;
}

static bool on_point(void *ud, double lambda, const double *prob, double regret)
{
    struct solver *x = ud;
    (void)regret;
    x->st = add_behav(x, CASUS_PROFILE_QRE, prob, false, lambda);
    return x->st == CASUS_OK;
}

/* Up to 12 numbers of a profile, "%.6g" comma-separated, into b. */
static void profile_text(casus_buf *b, const double *p, size_t len)
{
    for (size_t i = 0; i < len && i < 12; i++)
        casus_buf_printf(b, "%s%.6g", i ? "," : "", p[i]);
    if (len > 12)
        casus_buf_printf(b, ",... (%zu numbers; --json lists them all)", len);
}

/* A bifurcation met by the tracer: kept in the solution and reported as a
 * note (which branch was followed, where the others go). */
static bool on_bif(void *ud, const struct casus_qre_bif *b)
{
    struct solver *x = ud;
    x->st = sol_add_bif(x->s, x->t, b);
    if (x->st != CASUS_OK)
        return false;
    const struct sol_bif *f = &x->s->bif[x->s->nbif - 1];
    casus_buf pt = CASUS_BUF_INIT;
    profile_text(&pt, f->prob, x->s->len);
    struct casus_diags *d = &x->e->diags;
    struct casus_diag *g =
        casus_diag_add(d, CASUS_SEV_NOTE, NULL, "logit-bifurcation",
                       "logit: bifurcation %zu at λ = %.6f: another branch of logit equilibria "
                       "crosses the one traced, at %s",
                       x->s->nbif, f->lambda, pt.data ? pt.data : "");
    casus_buf_release(&pt);
    static const char *what[] = {"on along the branch traced", "the crossing branch, first half",
                                 "the crossing branch, second half"};
    if (f->nbranches < 3)
        casus_diag_note(d, g,
                        "followed branch 0 (%s, next at λ = %.6f); the crossing branch "
                        "could not be found",
                        what[0], f->next_lambda[0]);
    else
        casus_diag_note(d, g,
                        "followed branch %u (%s); branches: 0 next at λ = %.6f, 1 next at "
                        "λ = %.6f, 2 next at λ = %.6f; choose with --branch",
                        f->branch, what[f->branch], f->next_lambda[0], f->next_lambda[1],
                        f->next_lambda[2]);
    return true;
}

/* The end point of a logit trace (in x->beh): labelled NE when it met the
 * stopping rule and its Nash regret is within tolerance; warnings when it
 * is not an equilibrium, or not sequentially rational given the branch's
 * beliefs (x->mu, current), or --branch named more bifurcations than met. */
static casus_status logit_end(struct solver *x, const struct casus_qre_opts *qo,
                              const struct casus_qre_result *res)
{
    const struct casus_gtree *t = x->t;
    const casus_solve_opts *o = x->o;
    struct casus_diags *d = &x->e->diags;
    double regret;
    uint32_t where;
    score(x, x->beh, false, &regret);
    double seq = casus_eq_seq_regret(&x->ws, x->beh, x->mu, &where);
    bool ne = qo->lambda_stop < 0 && res->reached && regret / x->range <= o->regret_tol;
    if (qo->lambda_stop < 0 && !ne) {
        x->s->converged = false;
        casus_diag_add(d, CASUS_SEV_WARNING, NULL, "logit-not-converged",
                       "logit: the path ended at λ = %.6g without reaching an equilibrium "
                       "(Nash regret %.3g, %.3g of the payoff range; agent regret %.3g of the "
                       "range after %u steps)",
                       res->lambda, regret, regret / x->range, res->regret, res->steps);
    }
    if (ne && seq / x->range > o->regret_tol)
        casus_diag_add(d, CASUS_SEV_WARNING, NULL, "logit-not-sequential",
                       "logit: the end point is a Nash equilibrium but not sequentially "
                       "rational at information set '%s' of player %u: a better continuation "
                       "gains %.3g (%.3g of the payoff range) given the branch's beliefs",
                       t->iset[where].label, t->iset[where].player, seq, seq / x->range);
    if (o->nbranch > res->nbif)
        casus_diag_add(d, CASUS_SEV_WARNING, NULL, "logit-branch-unused",
                       "logit: --branch gives choices for %zu bifurcation%s, but the path met %u",
                       o->nbranch, o->nbranch == 1 ? "" : "s", res->nbif);
    if (o->trace && !ne)
        return CASUS_OK; /* the last path point is the answer */
    casus_status st = sol_add(x->s, ne ? CASUS_PROFILE_NE : CASUS_PROFILE_QRE, x->beh + t->pact0,
                              x->pay, regret, x->range, ne ? NAN : res->lambda);
    if (st == CASUS_OK) {
        x->s->item[x->s->n - 1].seq_regret = seq;
        x->s->item[x->s->n - 1].rel_seq_regret = seq / x->range;
    }
    return st;
}

/* The logit trace on the one-pass solver (perfect information: the branch
 * is unique, information sets are single nodes). */
static casus_status logit_pi(struct solver *x, struct casus_qre_opts *qo)
{
    const struct casus_gtree *t = x->t;
    struct casus_pitree_game pg;
    struct casus_qre_result res;
    casus_status st = casus_pitree_from_game(&pg, x->a, t, &x->e->diags);
    if (st != CASUS_OK)
        return st;
    size_t nv = (size_t)t->nnodes * t->nplayers + 1;
    double *val = casus_mem_alloc(x->a, sizeof(double) * nv);
    x->mu = NULL;
    st = val ? casus_qre_trace_pi(&pg, t, val, qo, x->beh, &res) : CASUS_ENOMEM;
    casus_mem_free(x->a, val, sizeof(double) * nv);
    casus_pitree_game_release(&pg);
    if (st == CASUS_OK)
        st = x->st;
    return st == CASUS_OK ? logit_end(x, qo, &res) : st;
}

/* The logit trace on the path follower (information sets). */
static casus_status logit_path(struct solver *x, struct casus_qre_opts *qo)
{
    struct casus_diags *d = &x->e->diags;
    struct casus_qre_ws q;
    struct casus_qre_result res;
    casus_status st = casus_qre_ws_init(&q, x->a, x->t, x->g->max_unknowns);
    if (st == CASUS_ELIMIT) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "game-too-large",
                       "logit: the game has more than %u free action probabilities; the "
                       "path follower would need too much memory",
                       x->g->max_unknowns);
        return st;
    }
    if (st != CASUS_OK)
        return st;
    x->mu = q.mu;
    qo->on_bif = on_bif;
    qo->branch = x->o->branch;
    qo->nbranch = (uint32_t)(x->o->nbranch < UINT32_MAX ? x->o->nbranch : UINT32_MAX);
    st = casus_qre_trace(&q, qo, d, x->beh, &res);
    if (st == CASUS_OK)
        st = x->st;
    if (st == CASUS_OK)
        st = logit_end(x, qo, &res);
    casus_qre_ws_release(&q);
    return st;
}

static casus_status solve_logit(struct solver *x)
{
    const struct casus_gtree *t = x->t;
    const casus_solve_opts *o = x->o;
    struct casus_diags *d = &x->e->diags;
    if (!t->perfect_recall) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "imperfect-recall",
                       "the game has imperfect recall (information set '%s' of player %u); "
                       "logit needs perfect recall",
                       t->iset[t->recall_iset].label, t->iset[t->recall_iset].player);
        return CASUS_EINVAL;
    }
    if (!(o->lambda < 0) && !isfinite(o->lambda)) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "logit-lambda", "λ must be a finite number >= 0");
        return CASUS_EINVAL;
    }
    struct casus_qre_opts qo = CASUS_QRE_OPTS_INIT;
    qo.tol = o->logit_tol > 0 ? o->logit_tol : 1e-8;
    qo.lambda_stop = o->lambda >= 0 ? o->lambda : -1.0;
    qo.ud = x;
    if (o->trace)
        qo.fn = on_point;
    x->seq = true;
    if (t->perfect_info && t->nplayers <= 255)
        return logit_pi(x, &qo);
    return logit_path(x, &qo);
}

/* Two-player Nash by Lemke on the sequence form (.efg) or Lemke-Howson from
 * every label (.nfg), each profile certified exactly (eq_lcp.c): its
 * regret is exactly 0, so it is recorded as 0. */
static casus_status solve_lcp(struct solver *x, bool spe)
{
    struct casus_lcp_opts lo = CASUS_LCP_OPTS_INIT;
    lo.spe = spe;
    struct casus_lcp_ws ws;
    struct casus_lcp_result r;
    casus_lcp_ws_init(&ws, x->a);
    casus_lcp_result_init(&r, x->a);
    struct casus_diags *d = &x->e->diags;
    casus_status st = x->g->nfg ? casus_eq_lcp_nfg(x->g->nfg, &lo, &ws, d, &r)
                                : casus_eq_lcp(x->g->tree, &lo, &ws, d, &r);
    if (st == CASUS_OK && r.len != x->s->len)
        st = CASUS_ESTATE; /* a profile layout the writer cannot print */
    for (uint32_t k = 0; st == CASUS_OK && k < r.n; k++) {
        st = sol_add(x->s, CASUS_PROFILE_NE, r.prob + (size_t)k * r.len, r.payoff + (size_t)k * 2,
                     0, x->range, NAN);
        if (st != CASUS_OK)
            break;
        struct sol_prof *p = &x->s->item[x->s->n - 1];
        const char **ex = casus_arena_alloc(&x->s->arena, sizeof *ex * (r.len + 1));
        if (!ex) {
            st = CASUS_ENOMEM;
            break;
        }
        for (uint32_t i = 0; i < r.len && ex; i++) {
            const char *v = r.exact[(size_t)k * r.len + i];
            ex[i] = casus_arena_strndup(&x->s->arena, v, strlen(v));
            if (!ex[i])
                st = CASUS_ENOMEM;
        }
        p->exact = ex;
    }
    casus_lcp_result_release(&r);
    casus_lcp_ws_release(&ws);
    return st;
}

static const char *method_word(const casus_solve_opts *o)
{
    return o->method == CASUS_METHOD_PURE ? (o->agent ? "pure (agent form)" : "pure")
                                          : method_name(o->method);
}

/* Run the method: everything but the memory-budget and error handling of
 * casus_game_solve. */
static casus_status dispatch(struct solver *x)
{
    const casus_game *g = x->g;
    const casus_solve_opts *o = x->o;
    bool strategic_pure =
        g->nfg && o->method != CASUS_METHOD_LOGIT && o->method != CASUS_METHOD_LCP;
    casus_status st = sol_players(x->s, g);
    if (st != CASUS_OK)
        return st;
    if (o->method == CASUS_METHOD_LCP && g->nfg)
        return solve_lcp(x, o->spe); /* Lemke-Howson on the table: no tree form needed */
    if (!strategic_pure && !x->t) {
        casus_diag_add(&x->e->diags, CASUS_SEV_ERROR, NULL, "game-too-large",
                       "the strategic game has too many cells for its tree form");
        return CASUS_ELIMIT;
    }
    if (x->t) {
        st = casus_eq_ws_init(&x->ws, x->a, x->t);
        if (st != CASUS_OK)
            return st;
        memset(x->ws.cut, 0, x->t->nnodes);
        casus_eq_sub_build(&x->ws, 0, &x->whole);
        x->range = x->t->pay_max - x->t->pay_min > 0 ? x->t->pay_max - x->t->pay_min : 1.0;
    }
    size_t nbeh = (x->t ? x->t->nact : 0) + 1, npay = x->s->nplayers + 1;
    x->beh = casus_mem_alloc(x->a, sizeof(double) * nbeh);
    x->pay = casus_mem_alloc(x->a, sizeof(double) * npay);
    if (!x->beh || !x->pay)
        st = CASUS_ENOMEM;
    else if (strategic_pure)
        st = solve_pure_nfg(x);
    else if (o->method == CASUS_METHOD_LOGIT)
        st = solve_logit(x);
    else if (o->method == CASUS_METHOD_SPE)
        st = solve_spe(x);
    else if (o->method == CASUS_METHOD_LCP)
        st = solve_lcp(x, o->spe);
    else
        st = solve_pure_tree(x, o->agent ? CASUS_PURE_AGENT
                                : o->spe ? CASUS_PURE_SPE
                                         : CASUS_PURE_REDUCED);
    casus_mem_free(x->a, x->beh, sizeof(double) * nbeh);
    casus_mem_free(x->a, x->pay, sizeof(double) * npay);
    if (x->t)
        casus_eq_ws_release(&x->ws);
    return st;
}

casus_status casus_game_solve(casus_engine *e, const casus_game *g, const casus_solve_opts *o,
                              casus_solution **out)
{
    static const casus_solve_opts defopts = CASUS_SOLVE_OPTS_INIT;
    *out = NULL;
    if (!o)
        o = &defopts;
    struct solver x;
    memset(&x, 0, sizeof x);
    x.e = e;
    x.g = g;
    x.o = o;
    x.t = g->tree;
    casus_status st = sol_new(g, o->method, o->max_memory, &x.s);
    if (st != CASUS_OK)
        return st;
    x.s->exact = o->method != CASUS_METHOD_LOGIT;
    x.a = &x.s->alloc;
    x.lim = g->lim;
    x.lim.max_memory = x.s->budget.limit;
    st = dispatch(&x);
    const struct casus_budget *b = &x.s->budget;
    if (st == CASUS_ENOMEM && b->refused) {
        char lim[32], held[32], ask[32];
        struct casus_diag *dg = casus_diag_add(
            &e->diags, CASUS_SEV_ERROR, NULL, "memory-budget",
            "%s: the solver needs more memory than the budget of %s (it held %s and asked "
            "for %s more)",
            method_word(o), casus_budget_fmt((double)b->limit, lim, sizeof lim),
            casus_budget_fmt((double)b->refused_used, held, sizeof held),
            casus_budget_fmt((double)b->refused, ask, sizeof ask));
        casus_diag_note(&e->diags, dg,
                        "raise the budget (--max-memory; the default is half the machine's "
                        "memory) or use a method that needs less");
        st = CASUS_ELIMIT;
    }
    if (st != CASUS_OK) {
        casus_solution_free(x.s);
        return st;
    }
    *out = x.s;
    return CASUS_OK;
}
