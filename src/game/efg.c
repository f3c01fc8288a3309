/*
 * efg.c — the Gambit .efg reader and writer (see efg.h), plus DOT export.
 *
 * The reader is a single loop over the node list (no recursion: the tree
 * builder tracks the open parent), with the grammar from
 * reference/gambit/FORMATS.md:
 *
 *   efg      := "EFG" "2" ("R"|"D") TITLE "{" PLAYER* "}" [DESCRIPTION] node+
 *   node     := chance | personal | terminal
 *   chance   := "c" LABEL ISET [ISETLABEL "{" (ACTION PROB)+ "}"] outcome
 *   personal := "p" LABEL PLAYER ISET [ISETLABEL "{" ACTION+ "}"] outcome
 *   terminal := "t" LABEL outcome
 *   outcome  := OUTCOME [OUTLABEL "{" PAYOFF ([","] PAYOFF)* "}"]
 *
 * Tokens after the root's subtree is complete are ignored, as in Gambit.
 */
#include "game/efg.h"
#include "base/buf.h"
#include "game/game_lex.h"

#include <math.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* A small open-addressing map from 64-bit keys to indices.           */

struct idmap {
    uint64_t *key;
    uint32_t *val; /* CASUS_NONE = empty */
    uint32_t cap, n;
};

static uint32_t idmap_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (uint32_t)k;
}

static uint32_t idmap_get(const struct idmap *m, uint64_t k)
{
    if (!m->cap)
        return CASUS_NONE;
    for (uint32_t i = idmap_hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->val[i] == CASUS_NONE)
            return CASUS_NONE;
        if (m->key[i] == k)
            return m->val[i];
    }
}

static bool idmap_put(struct idmap *m, struct casus_arena *a, uint64_t k, uint32_t v)
{
    if ((uint64_t)(m->n + 1) * 2 > m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 64;
        if (cap < m->cap)
            return false;
        uint64_t *key = casus_arena_alloc(a, sizeof *key * cap);
        uint32_t *val = casus_arena_alloc(a, sizeof *val * cap);
        if (!key || !val)
            return false;
        memset(val, 0xff, sizeof *val * cap);
        struct idmap nm = {key, val, cap, 0};
        for (uint32_t i = 0; i < m->cap; i++)
            if (m->val[i] != CASUS_NONE)
                idmap_put(&nm, a, m->key[i], m->val[i]);
        *m = nm;
    }
    uint32_t i = idmap_hash(k) & (m->cap - 1);
    while (m->val[i] != CASUS_NONE)
        i = (i + 1) & (m->cap - 1);
    m->key[i] = k;
    m->val[i] = v;
    m->n++;
    return true;
}

/* ------------------------------------------------------------------ */
/* Parser state                                                       */

struct efg_parser {
    struct casus_glex lx;
    struct casus_diags *d;
    struct casus_arena tmp; /* scratch: decoded strings, maps, lists */
    struct casus_gtree_builder b;
    struct idmap isets;    /* (player << 32 | file id) -> builder iset */
    struct idmap outcomes; /* file id -> outcome */
    const struct casus_gtree_limits *lim;
    casus_status st; /* first error */
};

/* Record an error at the current token (once) and return the status. */
static casus_status perr(struct efg_parser *p, casus_status st, const char *code, const char *msg)
{
    if (p->st == CASUS_OK) {
        struct casus_span sp = casus_glex_span(&p->lx);
        casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, code, "%s", msg);
        p->st = st;
    }
    return p->st;
}

static casus_status expected(struct efg_parser *p, const char *what)
{
    char buf[64], msg[160];
    snprintf(msg, sizeof msg, "expected %s, found %s", what,
             casus_glex_describe(&p->lx, buf, sizeof buf));
    return perr(p, p->lx.tok == CASUS_GTOK_BAD ? CASUS_EINVAL : CASUS_EINVAL, "efg-syntax", msg);
}

static casus_status oom(struct efg_parser *p)
{
    if (p->st == CASUS_OK)
        p->st = CASUS_ENOMEM;
    return p->st;
}

/* Map a builder status to a diagnostic. */
static casus_status build_status(struct efg_parser *p, casus_status st)
{
    if (st == CASUS_OK)
        return CASUS_OK;
    if (st == CASUS_ENOMEM)
        return oom(p);
    if (st == CASUS_ELIMIT)
        return perr(p, CASUS_ELIMIT, "efg-limit", "game exceeds the size limits");
    return perr(p, st, "efg-syntax", "invalid game structure");
}

static char *take_string(struct efg_parser *p, const char *what)
{
    if (p->lx.tok != CASUS_GTOK_STRING) {
        expected(p, what);
        return NULL;
    }
    char *s = casus_glex_string(&p->lx, &p->tmp);
    if (!s) {
        oom(p);
        return NULL;
    }
    casus_glex_next(&p->lx);
    return s;
}

static bool take(struct efg_parser *p, enum casus_gtok t, const char *what)
{
    if (p->lx.tok != t) {
        expected(p, what);
        return false;
    }
    casus_glex_next(&p->lx);
    return true;
}

static bool take_uint(struct efg_parser *p, uint64_t max, const char *what, uint64_t *v)
{
    if (!casus_glex_uint(&p->lx, max, v)) {
        expected(p, what);
        return false;
    }
    casus_glex_next(&p->lx);
    return true;
}

static bool take_num(struct efg_parser *p, struct casus_num *n)
{
    if (p->lx.tok != CASUS_GTOK_NUMBER) {
        expected(p, "a number");
        return false;
    }
    casus_status st = casus_num_parse(&p->tmp, p->lx.s + p->lx.start, p->lx.end - p->lx.start, n);
    if (st == CASUS_ENOMEM) {
        oom(p);
        return false;
    }
    if (st != CASUS_OK) {
        perr(p, CASUS_EINVAL, "efg-number", "invalid number");
        return false;
    }
    casus_glex_next(&p->lx);
    return true;
}

/* A growable list of strings and numbers in the scratch arena. */
struct list {
    const char **s;
    struct casus_num *num;
    uint32_t n, cap;
};

static bool list_push(struct efg_parser *p, struct list *l, const char *s,
                      const struct casus_num *num)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        const char **ns = casus_arena_grow(&p->tmp, (void *)l->s, l->n, cap, sizeof *ns);
        struct casus_num *nn = casus_arena_grow(&p->tmp, l->num, l->n, cap, sizeof *nn);
        if (!ns || !nn) {
            oom(p);
            return false;
        }
        l->s = ns;
        l->num = nn;
        l->cap = cap;
    }
    l->s[l->n] = s;
    if (num)
        l->num[l->n] = *num;
    else
        memset(&l->num[l->n], 0, sizeof l->num[l->n]);
    l->n++;
    return true;
}

/* ------------------------------------------------------------------ */
/* Chance probabilities                                               */

/* Exact sum of rationals when every term and partial sum fits int64. */
static int64_t gcd64(int64_t g, int64_t h)
{
    while (h) {
        int64_t t = g % h;
        g = h;
        h = t;
    }
    return g < 0 ? -g : g;
}

/* The exact sum of n numbers as num/den in lowest terms; false when a
 * number is not an exact int64 fraction or an intermediate overflows.
 * Denominators combine by their least common multiple, so decimals with
 * up to 18 places (denominators dividing 10^18) always fit. */
static bool exact_sum(const struct casus_num *v, uint32_t n, int64_t *num, int64_t *den)
{
    int64_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (v[i].den <= 0)
            return false;
        /* a/b + c/d = (a * (L/b) + c * (L/d)) / L, L = lcm(b, d) */
        int64_t g = gcd64(b, v[i].den), L, x, y, z;
        if (__builtin_mul_overflow(b / g, v[i].den, &L) || __builtin_mul_overflow(a, L / b, &x) ||
            __builtin_mul_overflow(v[i].num, L / v[i].den, &y) || __builtin_add_overflow(x, y, &z))
            return false;
        g = gcd64(z, L);
        a = g > 1 ? z / g : z;
        b = g > 1 ? L / g : L;
    }
    *num = a;
    *den = b;
    return true;
}

/* Check chance probabilities; renormalise within 1e-4 with a warning. */
static bool check_chance(struct efg_parser *p, struct casus_num *pr, uint32_t n,
                         struct casus_span sp)
{
    for (uint32_t i = 0; i < n; i++)
        if (pr[i].d < 0 || (pr[i].den > 0 && pr[i].num < 0)) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, "efg-probability",
                           "chance probability '%s' is negative", pr[i].text ? pr[i].text : "?");
            return false;
        }
    int64_t num, den;
    if (exact_sum(pr, n, &num, &den) && num == den)
        return true;
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += pr[i].d;
    if (!(fabs(s - 1.0) <= 1e-4) || s <= 0) {
        p->st = CASUS_EINVAL;
        struct casus_diag *g = casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, "efg-probability",
                                              "chance probabilities sum to %.10g, not 1", s);
        casus_diag_note(p->d, g,
                        "sums within 1e-4 of 1 are renormalised; write exact "
                        "fractions such as 1/3 to avoid this");
        return false;
    }
    casus_diag_add(p->d, CASUS_SEV_WARNING, &sp, "efg-probability",
                   "chance probabilities sum to %.10g, not exactly 1; renormalised", s);
    for (uint32_t i = 0; i < n; i++)
        pr[i].d /= s;
    return true;
}

/* ------------------------------------------------------------------ */
/* Grammar                                                            */

/* outcome := OUTCOME [OUTLABEL "{" PAYOFF ([","] PAYOFF)* "}"]
 * Sets *out to the outcome index or CASUS_NONE. */
static bool parse_outcome(struct efg_parser *p, uint32_t *out)
{
    struct casus_span idsp = casus_glex_span(&p->lx);
    uint64_t id;
    if (!take_uint(p, UINT32_MAX - 1, "an outcome number", &id))
        return false;
    if (p->lx.tok != CASUS_GTOK_STRING) {
        if (id == 0) {
            *out = CASUS_NONE;
            return true;
        }
        *out = idmap_get(&p->outcomes, id);
        if (*out == CASUS_NONE) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &idsp, "efg-outcome",
                           "outcome %llu is used before it is defined", (unsigned long long)id);
            return false;
        }
        return true;
    }
    if (id == 0) {
        perr(p, CASUS_EINVAL, "efg-outcome", "the null outcome 0 cannot have a label or payoffs");
        return false;
    }
    const char *label = take_string(p, "an outcome label");
    struct casus_span bsp = casus_glex_span(&p->lx);
    if (!label || !take(p, CASUS_GTOK_LBRACE, "'{'"))
        return false;
    struct list pay = {0};
    while (p->lx.tok != CASUS_GTOK_RBRACE) {
        struct casus_num v;
        if (pay.n > 0 && p->lx.tok == CASUS_GTOK_COMMA)
            casus_glex_next(&p->lx);
        if (pay.n >= p->b.g->nplayers) {
            char msg[96];
            snprintf(msg, sizeof msg, "too many payoffs: the game has %u players",
                     p->b.g->nplayers);
            if (p->lx.tok == CASUS_GTOK_NUMBER) {
                perr(p, CASUS_EINVAL, "efg-payoffs", msg);
                return false;
            }
            expected(p, "'}'");
            return false;
        }
        if (!take_num(p, &v) || !list_push(p, &pay, NULL, &v))
            return false;
    }
    bsp.end = (uint32_t)p->lx.end;
    casus_glex_next(&p->lx);
    if (pay.n != p->b.g->nplayers) {
        p->st = CASUS_EINVAL;
        casus_diag_add(p->d, CASUS_SEV_ERROR, &bsp, "efg-payoffs", "expected %u payoffs, found %u",
                       p->b.g->nplayers, pay.n);
        return false;
    }
    uint32_t o = idmap_get(&p->outcomes, id);
    if (o != CASUS_NONE) {
        const struct casus_game_outcome *oc = &p->b.g->outcome[o];
        bool same = strcmp(oc->label, label) == 0;
        for (uint32_t i = 0; same && i < pay.n; i++)
            same = strcmp(oc->pay[i].text, pay.num[i].text) == 0;
        if (!same) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &idsp, "efg-outcome",
                           "outcome %llu is redefined differently", (unsigned long long)id);
            return false;
        }
        *out = o;
        return true;
    }
    if (build_status(p, casus_gtree_add_outcome(&p->b, (uint32_t)id, label, pay.num, &o)))
        return false;
    if (!idmap_put(&p->outcomes, &p->tmp, id, o)) {
        oom(p);
        return false;
    }
    *out = o;
    return true;
}

/* The infoset part of a chance or personal node:
 *   ISET [ISETLABEL "{" actions "}"]
 * chance actions are (ACTION PROB)+, personal ones ACTION+. */
static bool parse_iset(struct efg_parser *p, uint32_t player, uint32_t *out)
{
    struct casus_span idsp = casus_glex_span(&p->lx);
    uint64_t id;
    if (!take_uint(p, UINT32_MAX - 1, "an information set number", &id))
        return false;
    uint64_t key = (uint64_t)player << 32 | id;
    uint32_t s = idmap_get(&p->isets, key);
    if (p->lx.tok != CASUS_GTOK_STRING) {
        if (s == CASUS_NONE) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &idsp, "efg-infoset",
                           "information set %llu is used before its actions are given",
                           (unsigned long long)id);
            return false;
        }
        *out = s;
        return true;
    }
    const char *label = take_string(p, "an information set label");
    struct casus_span bsp = casus_glex_span(&p->lx);
    if (!label || !take(p, CASUS_GTOK_LBRACE, "'{'"))
        return false;
    struct list acts = {0};
    while (p->lx.tok != CASUS_GTOK_RBRACE) {
        if (acts.n >= p->lim->max_actions) {
            perr(p, CASUS_ELIMIT, "efg-limit", "too many actions in one information set");
            return false;
        }
        const char *a = take_string(p, acts.n ? "an action label or '}'" : "an action label");
        struct casus_num pr;
        if (!a)
            return false;
        if (player == 0 && !take_num(p, &pr))
            return false;
        if (!list_push(p, &acts, a, player == 0 ? &pr : NULL))
            return false;
    }
    bsp.end = (uint32_t)p->lx.end;
    if (acts.n == 0) {
        perr(p, CASUS_EINVAL, "efg-infoset", "an information set needs at least one action");
        return false;
    }
    casus_glex_next(&p->lx);
    if (s != CASUS_NONE) {
        const struct casus_gtree *g = p->b.g;
        const struct casus_game_iset *is = &g->iset[s];
        bool same = is->nact == acts.n;
        for (uint32_t i = 0; same && i < acts.n; i++) {
            const struct casus_game_action *a = &g->act[is->act0 + i];
            same = strcmp(a->label, acts.s[i]) == 0 &&
                   (player != 0 || strcmp(a->prob.text, acts.num[i].text) == 0);
        }
        if (!same) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &bsp, "efg-infoset",
                           "information set %llu is redefined with different actions",
                           (unsigned long long)id);
            return false;
        }
        *out = s;
        return true;
    }
    if (player == 0 && !check_chance(p, acts.num, acts.n, bsp))
        return false;
    if (build_status(p, casus_gtree_add_iset(&p->b, player, (uint32_t)id, label, acts.n, acts.s,
                                             player == 0 ? acts.num : NULL, &s)))
        return false;
    if (!idmap_put(&p->isets, &p->tmp, key, s)) {
        oom(p);
        return false;
    }
    *out = s;
    return true;
}

/* node := chance | personal | terminal */
static bool parse_node(struct efg_parser *p)
{
    uint32_t iset = CASUS_NONE, outcome = CASUS_NONE;
    char kind = 0;
    if (casus_glex_is(&p->lx, "c") || casus_glex_is(&p->lx, "p") || casus_glex_is(&p->lx, "t"))
        kind = p->lx.s[p->lx.start];
    else {
        expected(p, "a node ('c', 'p' or 't')");
        return false;
    }
    struct casus_span nsp = casus_glex_span(&p->lx);
    casus_glex_next(&p->lx);
    const char *label = take_string(p, "a node label");
    if (!label)
        return false;
    if (kind == 'c') {
        if (!parse_iset(p, 0, &iset))
            return false;
    } else if (kind == 'p') {
        struct casus_span psp = casus_glex_span(&p->lx);
        uint64_t pl;
        if (!take_uint(p, UINT32_MAX, "a player number", &pl))
            return false;
        if (pl == 0 || pl > p->b.g->nplayers) {
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &psp, "efg-player",
                           "player %llu does not exist: the game has %u players",
                           (unsigned long long)pl, p->b.g->nplayers);
            return false;
        }
        if (!parse_iset(p, (uint32_t)pl, &iset))
            return false;
    }
    if (!parse_outcome(p, &outcome))
        return false;
    casus_status st = casus_gtree_add_node(&p->b, label, iset, outcome);
    if (st == CASUS_ELIMIT) {
        p->st = CASUS_ELIMIT;
        casus_diag_add(p->d, CASUS_SEV_ERROR, &nsp, "efg-limit", "game has more than %u nodes",
                       p->lim->max_nodes);
        return false;
    }
    return build_status(p, st) == CASUS_OK;
}

/* efg := "EFG" "2" ("R"|"D") TITLE "{" PLAYER* "}" [DESCRIPTION] node+ */
static void parse_file(struct efg_parser *p, const struct casus_alloc *alloc)
{
    struct casus_glex *lx = &p->lx;
    if (!casus_glex_is(lx, "EFG")) {
        expected(p, "'EFG' at the start of an extensive-form game file (a strategic-form one "
                    "starts with 'NFG')");
        return;
    }
    casus_glex_next(lx);
    if (lx->tok != CASUS_GTOK_NUMBER ||
        !casus_streq_n(lx->s + lx->start, lx->end - lx->start, "2")) {
        expected(p, "file format version '2'");
        return;
    }
    casus_glex_next(lx);
    if (!casus_glex_is(lx, "R") && !casus_glex_is(lx, "D")) {
        expected(p, "'R' or 'D'");
        return;
    }
    casus_glex_next(lx);
    const char *title = take_string(p, "the game title");
    if (!title || !take(p, CASUS_GTOK_LBRACE, "'{' before the player list"))
        return;
    struct list pl = {0};
    while (lx->tok != CASUS_GTOK_RBRACE) {
        if (pl.n >= p->lim->max_players) {
            perr(p, CASUS_ELIMIT, "efg-limit", "too many players");
            return;
        }
        const char *s = take_string(p, "a player name or '}'");
        if (!s || !list_push(p, &pl, s, NULL))
            return;
    }
    casus_glex_next(lx);
    const char *comment = "";
    if (lx->tok == CASUS_GTOK_STRING && !(comment = take_string(p, "a description")))
        return;
    casus_status st = casus_gtree_builder_init(&p->b, alloc, p->lim, title, comment, pl.n, pl.s);
    if (st != CASUS_OK) {
        build_status(p, st);
        return;
    }
    do {
        if (!parse_node(p))
            return;
    } while (!casus_gtree_builder_complete(&p->b));
}

casus_status casus_efg_read(const struct casus_alloc *alloc, struct casus_diags *d,
                            const char *name, const char *text, size_t len,
                            const struct casus_gtree_limits *lim, struct casus_gtree **out)
{
    static const struct casus_gtree_limits deflim = CASUS_GTREE_LIMITS_INIT;
    struct efg_parser p;
    uint32_t src;
    *out = NULL;
    memset(&p, 0, sizeof p);
    p.lim = lim ? lim : &deflim;
    p.d = d;
    if (len > p.lim->max_bytes || len >= UINT32_MAX) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "efg-limit",
                       "'%s' is larger than the limit of %zu bytes", name, p.lim->max_bytes);
        return CASUS_ELIMIT;
    }
    casus_status st = casus_diags_add_source(d, name, text, len, &src);
    if (st != CASUS_OK)
        return st;
    /* Scan the diagnostics' copy, so spans and text agree. */
    const struct casus_source *s = casus_diags_source(d, src);
    casus_arena_init(&p.tmp, alloc);
    casus_glex_init(&p.lx, s->text, s->len, src);
    parse_file(&p, alloc);
    if (p.st == CASUS_OK) {
        st = casus_gtree_builder_finish(&p.b, out);
        if (st != CASUS_OK)
            p.st = st == CASUS_ENOMEM ? CASUS_ENOMEM : CASUS_EINVAL;
    }
    if (p.st != CASUS_OK)
        casus_gtree_builder_abandon(&p.b);
    casus_arena_release(&p.tmp);
    return p.st;
}

/* ------------------------------------------------------------------ */
/* Writer                                                             */

static void write_outcome(casus_buf *out, const struct casus_gtree *g, uint32_t o)
{
    if (o == CASUS_NONE) {
        casus_buf_puts(out, " 0");
        return;
    }
    const struct casus_game_outcome *oc = &g->outcome[o];
    casus_buf_printf(out, " %u ", o + 1);
    casus_gwrite_str(out, oc->label);
    casus_buf_puts(out, " {");
    for (uint32_t i = 0; i < g->nplayers; i++) {
        casus_buf_puts(out, i ? ", " : " ");
        casus_gwrite_num(out, &oc->pay[i]);
    }
    casus_buf_puts(out, " }");
}

casus_status casus_efg_write(const struct casus_gtree *g, casus_buf *out)
{
    casus_buf_puts(out, "EFG 2 R ");
    casus_gwrite_str(out, g->title);
    casus_buf_puts(out, " {");
    for (uint32_t i = 0; i < g->nplayers; i++) {
        casus_buf_putc(out, ' ');
        casus_gwrite_str(out, g->player[i]);
    }
    casus_buf_puts(out, " }\n");
    casus_gwrite_str(out, g->comment);
    casus_buf_puts(out, "\n\n");
    for (uint32_t n = 0; n < g->nnodes && !out->failed; n++) {
        const struct casus_game_node *nd = &g->node[n];
        if (nd->kind == CASUS_NODE_TERMINAL) {
            casus_buf_puts(out, "t ");
            casus_gwrite_str(out, nd->label);
        } else {
            const struct casus_game_iset *s = &g->iset[nd->iset];
            uint32_t num = nd->iset - g->pl_iset0[s->player] + 1;
            if (s->player == 0) {
                casus_buf_puts(out, "c ");
                casus_gwrite_str(out, nd->label);
                casus_buf_printf(out, " %u ", num);
            } else {
                casus_buf_puts(out, "p ");
                casus_gwrite_str(out, nd->label);
                casus_buf_printf(out, " %u %u ", s->player, num);
            }
            casus_gwrite_str(out, s->label);
            casus_buf_puts(out, " {");
            for (uint32_t a = 0; a < s->nact; a++) {
                const struct casus_game_action *ac = &g->act[s->act0 + a];
                casus_buf_putc(out, ' ');
                casus_gwrite_str(out, ac->label);
                if (s->player == 0) {
                    casus_buf_putc(out, ' ');
                    casus_gwrite_num(out, &ac->prob);
                }
            }
            casus_buf_puts(out, " }");
        }
        write_outcome(out, g, nd->outcome);
        casus_buf_putc(out, '\n');
    }
    return casus_buf_status(out);
}

/* DOT strings: escape quotes and backslashes. */
static void dot_str(casus_buf *out, const char *s)
{
    casus_buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            casus_buf_putc(out, '\\');
        if (*s == '\n')
            casus_buf_puts(out, "\\n");
        else
            casus_buf_putc(out, *s);
    }
    casus_buf_putc(out, '"');
}

casus_status casus_efg_write_dot(const struct casus_gtree *g, casus_buf *out)
{
    casus_buf_puts(out, "digraph game {\n  node [fontname=\"Helvetica\"];\n  label=");
    dot_str(out, g->title);
    casus_buf_puts(out, ";\n");
    for (uint32_t n = 0; n < g->nnodes && !out->failed; n++) {
        const struct casus_game_node *nd = &g->node[n];
        casus_buf_printf(out, "  n%u [", n);
        if (nd->kind == CASUS_NODE_TERMINAL) {
            /* leaves show the payoffs summed along the path */
            casus_buf_puts(out, "shape=box,label=\"(");
            for (uint32_t p = 0; p < g->nplayers; p++) {
                double v = 0;
                for (uint32_t x = n; x != CASUS_NONE; x = g->node[x].parent)
                    if (g->node[x].outcome != CASUS_NONE)
                        v += g->pay[(size_t)g->node[x].outcome * g->nplayers + p];
                casus_buf_printf(out, "%s%.6g", p ? ", " : "", v);
            }
            casus_buf_puts(out, ")\"");
        } else if (nd->kind == CASUS_NODE_CHANCE) {
            casus_buf_puts(out, "shape=circle,label=\"chance\"");
        } else {
            const char *who = g->player[g->iset[nd->iset].player - 1];
            casus_buf_puts(out, "shape=ellipse,label=");
            dot_str(out, *who ? who : "?");
        }
        casus_buf_puts(out, "];\n");
        for (uint32_t c = 0; c < nd->nchild; c++) {
            const struct casus_game_action *a = &g->act[g->iset[nd->iset].act0 + c];
            casus_buf_printf(out, "  n%u -> n%u [label=", n, g->child[nd->child0 + c]);
            if (nd->kind == CASUS_NODE_CHANCE) {
                char tmp[400];
                snprintf(tmp, sizeof tmp, "%s (%s)", a->label, a->prob.text ? a->prob.text : "?");
                dot_str(out, tmp);
            } else {
                dot_str(out, a->label);
            }
            casus_buf_puts(out, "];\n");
        }
    }
    for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
        const struct casus_game_iset *is = &g->iset[s];
        for (uint32_t k = 1; k < is->nmem; k++)
            casus_buf_printf(out, "  n%u -> n%u [style=dashed,dir=none,constraint=false];\n",
                             g->member[is->mem0 + k - 1], g->member[is->mem0 + k]);
    }
    casus_buf_puts(out, "}\n");
    return casus_buf_status(out);
}
