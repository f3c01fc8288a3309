/*
 * nfg.c — the Gambit .nfg reader and writer (see nfg.h).  Grammar, from
 * reference/gambit/FORMATS.md:
 *
 *   nfg        := "NFG" "1" ("R"|"D") TITLE "{" PLAYER* "}" strategies
 *                 [DESCRIPTION] body EOF
 *   strategies := "{" COUNT+ "}" | "{" ("{" STRATEGY* "}")+ "}"
 *   body       := PAYOFF{ncells * nplayers}                    -- no commas
 *               | "{" ("{" OUTLABEL PAYOFF ([","] PAYOFF)* "}")* "}"
 *                 OUTCOME{ncells}
 */
#include "game/nfg.h"
#include "base/buf.h"
#include "game/game_lex.h"

#include <stdio.h>

struct nfg_parser {
    struct casus_glex lx;
    struct casus_diags *d;
    struct casus_nfg *g;
    const struct casus_gtree_limits *lim;
    casus_status st;
};

static bool fail(struct nfg_parser *p, casus_status st, const char *code, const char *msg)
{
    if (p->st == CASUS_OK) {
        struct casus_span sp = casus_glex_span(&p->lx);
        casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, code, "%s", msg);
        p->st = st;
    }
    return false;
}

static bool expected(struct nfg_parser *p, const char *what)
{
    char buf[64], msg[160];
    snprintf(msg, sizeof msg, "expected %s, found %s", what,
             casus_glex_describe(&p->lx, buf, sizeof buf));
    return fail(p, CASUS_EINVAL, "nfg-syntax", msg);
}

static bool oom(struct nfg_parser *p)
{
    if (p->st == CASUS_OK)
        p->st = CASUS_ENOMEM;
    return false;
}

static const char *take_string(struct nfg_parser *p, const char *what)
{
    if (p->lx.tok != CASUS_GTOK_STRING) {
        expected(p, what);
        return NULL;
    }
    const char *s = casus_glex_string(&p->lx, &p->g->arena);
    if (!s) {
        oom(p);
        return NULL;
    }
    casus_glex_next(&p->lx);
    return s;
}

static bool take(struct nfg_parser *p, enum casus_gtok t, const char *what)
{
    if (p->lx.tok != t)
        return expected(p, what);
    casus_glex_next(&p->lx);
    return true;
}

static bool take_num(struct nfg_parser *p, struct casus_num *n)
{
    if (p->lx.tok != CASUS_GTOK_NUMBER)
        return expected(p, "a number");
    casus_status st =
        casus_num_parse(&p->g->arena, p->lx.s + p->lx.start, p->lx.end - p->lx.start, n);
    if (st == CASUS_ENOMEM)
        return oom(p);
    if (st != CASUS_OK)
        return fail(p, CASUS_EINVAL, "nfg-number", "invalid number");
    casus_glex_next(&p->lx);
    return true;
}

/* Growable arena arrays. */
static bool push(struct nfg_parser *p, void **arr, uint32_t *n, uint32_t *cap, size_t elem,
                 const void *v)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 8;
        void *a = casus_arena_grow(&p->g->arena, *arr, *n, c, elem);
        if (!a)
            return oom(p);
        *arr = a;
        *cap = c;
    }
    memcpy((char *)*arr + (size_t)*n * elem, v, elem);
    (*n)++;
    return true;
}

/* strategies := "{" COUNT+ "}" | "{" ("{" STRATEGY* "}")+ "}" */
static bool parse_strategies(struct nfg_parser *p)
{
    struct casus_nfg *g = p->g;
    uint32_t n = g->nplayers;
    g->nstrat = casus_arena_alloc(&g->arena, sizeof *g->nstrat * (n ? n : 1));
    g->strat0 = casus_arena_alloc(&g->arena, sizeof *g->strat0 * (n + 1));
    if (!g->nstrat || !g->strat0)
        return oom(p);
    if (!take(p, CASUS_GTOK_LBRACE, "'{' before the strategies"))
        return false;
    uint32_t nl = 0, capl = 0;
    const char **labels = NULL;
    g->strat_labels = p->lx.tok == CASUS_GTOK_LBRACE;
    for (uint32_t i = 0; i < n; i++) {
        g->strat0[i] = nl;
        if (g->strat_labels) {
            if (!take(p, CASUS_GTOK_LBRACE, "'{' before a player's strategy labels"))
                return false;
            while (p->lx.tok != CASUS_GTOK_RBRACE) {
                if (nl - g->strat0[i] >= p->lim->max_actions)
                    return fail(p, CASUS_ELIMIT, "nfg-limit", "too many strategies");
                const char *s = take_string(p, "a strategy label or '}'");
                if (!s || !push(p, (void **)&labels, &nl, &capl, sizeof *labels, &s))
                    return false;
            }
            casus_glex_next(&p->lx);
            g->nstrat[i] = nl - g->strat0[i];
            if (g->nstrat[i] == 0)
                return fail(p, CASUS_EINVAL, "nfg-strategies",
                            "a player needs at least one strategy");
        } else {
            uint64_t k;
            if (!casus_glex_uint(&p->lx, UINT32_MAX, &k))
                return expected(p, "a strategy count");
            if (k == 0)
                return fail(p, CASUS_EINVAL, "nfg-strategies",
                            "a player needs at least one strategy");
            if (k > p->lim->max_actions)
                return fail(p, CASUS_ELIMIT, "nfg-limit", "too many strategies");
            casus_glex_next(&p->lx);
            for (uint64_t j = 0; j < k; j++) {
                const char *s = casus_arena_printf(&g->arena, "%llu", (unsigned long long)j + 1);
                if (!s || !push(p, (void **)&labels, &nl, &capl, sizeof *labels, &s))
                    return false;
            }
            g->nstrat[i] = (uint32_t)k;
        }
    }
    g->strat0[n] = nl;
    g->strat = labels;
    if (p->lx.tok != CASUS_GTOK_RBRACE) {
        char msg[96];
        snprintf(msg, sizeof msg, "'}' after the strategies of all %u players", n);
        return expected(p, msg);
    }
    casus_glex_next(&p->lx);
    uint64_t cells = 1;
    for (uint32_t i = 0; i < n; i++) {
        cells *= g->nstrat[i];
        if (cells > p->lim->max_nodes)
            return fail(p, CASUS_ELIMIT, "nfg-limit", "the game has too many cells");
    }
    g->ncell = (uint32_t)cells;
    return true;
}

static bool parse_payoff_body(struct nfg_parser *p)
{
    struct casus_nfg *g = p->g;
    size_t n = (size_t)g->ncell * g->nplayers;
    g->cell_pay = casus_arena_alloc(&g->arena, sizeof *g->cell_pay * (n ? n : 1));
    if (!g->cell_pay)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        if (p->lx.tok != CASUS_GTOK_NUMBER)
            return expected(p, "a payoff");
        if (!take_num(p, &g->cell_pay[i]))
            return false;
    }
    for (size_t i = 0; i < n; i++)
        g->pay[i] = g->cell_pay[i].d;
    return true;
}

static bool parse_outcome_body(struct nfg_parser *p)
{
    struct casus_nfg *g = p->g;
    uint32_t cap = 0, capp = 0, npay = 0;
    casus_glex_next(&p->lx); /* '{' */
    while (p->lx.tok == CASUS_GTOK_LBRACE) {
        casus_glex_next(&p->lx);
        if (g->noutcome >= p->lim->max_nodes)
            return fail(p, CASUS_ELIMIT, "nfg-limit", "too many outcomes");
        struct casus_span osp = casus_glex_span(&p->lx);
        const char *label = take_string(p, "an outcome label");
        if (!label || !push(p, (void **)&g->out_label, &g->noutcome, &cap, sizeof label, &label))
            return false;
        uint32_t k = 0;
        while (p->lx.tok != CASUS_GTOK_RBRACE) {
            struct casus_num v;
            if (k > 0 && p->lx.tok == CASUS_GTOK_COMMA)
                casus_glex_next(&p->lx);
            if (k >= g->nplayers) {
                if (p->lx.tok == CASUS_GTOK_NUMBER)
                    return fail(p, CASUS_EINVAL, "nfg-payoffs", "too many payoffs in outcome");
                return expected(p, "'}'");
            }
            if (!take_num(p, &v) || !push(p, (void **)&g->out_pay, &npay, &capp, sizeof v, &v))
                return false;
            k++;
        }
        if (k != g->nplayers) {
            osp.end = (uint32_t)p->lx.end;
            p->st = CASUS_EINVAL;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &osp, "nfg-payoffs",
                           "expected %u payoffs, found %u", g->nplayers, k);
            return false;
        }
        casus_glex_next(&p->lx);
    }
    if (!take(p, CASUS_GTOK_RBRACE, "'{' or '}' in the outcome list"))
        return false;
    g->cell_out = casus_arena_alloc(&g->arena, sizeof *g->cell_out * (g->ncell ? g->ncell : 1));
    if (!g->cell_out)
        return oom(p);
    for (uint32_t c = 0; c < g->ncell; c++) {
        uint64_t o;
        if (!casus_glex_uint(&p->lx, UINT32_MAX, &o))
            return expected(p, "an outcome number");
        if (o > g->noutcome) {
            char msg[96];
            snprintf(msg, sizeof msg, "outcome %llu does not exist: there are %u",
                     (unsigned long long)o, g->noutcome);
            return fail(p, CASUS_EINVAL, "nfg-outcome", msg);
        }
        g->cell_out[c] = (uint32_t)o;
        casus_glex_next(&p->lx);
    }
    for (uint32_t c = 0; c < g->ncell; c++)
        for (uint32_t i = 0; i < g->nplayers; i++)
            g->pay[(size_t)c * g->nplayers + i] =
                g->cell_out[c] ? g->out_pay[(size_t)(g->cell_out[c] - 1) * g->nplayers + i].d : 0.0;
    return true;
}

static bool parse_file(struct nfg_parser *p)
{
    struct casus_glex *lx = &p->lx;
    struct casus_nfg *g = p->g;
    if (!casus_glex_is(lx, "NFG"))
        return expected(p, "'NFG' at the start of a strategic-form game file (an extensive-form "
                           "one starts with 'EFG')");
    casus_glex_next(lx);
    if (lx->tok != CASUS_GTOK_NUMBER || !casus_streq_n(lx->s + lx->start, lx->end - lx->start, "1"))
        return expected(p, "file format version '1'");
    casus_glex_next(lx);
    if (!casus_glex_is(lx, "R") && !casus_glex_is(lx, "D"))
        return expected(p, "'R' or 'D'");
    casus_glex_next(lx);
    if (!(g->title = take_string(p, "the game title")) ||
        !take(p, CASUS_GTOK_LBRACE, "'{' before the player list"))
        return false;
    uint32_t cap = 0;
    while (lx->tok != CASUS_GTOK_RBRACE) {
        if (g->nplayers >= p->lim->max_players)
            return fail(p, CASUS_ELIMIT, "nfg-limit", "too many players");
        const char *s = take_string(p, "a player name or '}'");
        if (!s || !push(p, (void **)&g->player, &g->nplayers, &cap, sizeof s, &s))
            return false;
    }
    casus_glex_next(lx);
    if (!parse_strategies(p))
        return false;
    g->comment = "";
    if (lx->tok == CASUS_GTOK_STRING) {
        if (!(g->comment = take_string(p, "a description")))
            return false;
        g->has_comment = true;
    }
    size_t n = (size_t)g->ncell * g->nplayers;
    g->pay = casus_arena_alloc(&g->arena, sizeof *g->pay * (n ? n : 1));
    if (!g->pay)
        return oom(p);
    if (lx->tok == CASUS_GTOK_LBRACE) {
        g->outcome_form = true;
        if (!parse_outcome_body(p))
            return false;
    } else if (lx->tok == CASUS_GTOK_NUMBER || n == 0) {
        if (!parse_payoff_body(p))
            return false;
    } else {
        return expected(p, "payoffs or an outcome list");
    }
    if (lx->tok != CASUS_GTOK_EOF)
        return expected(p, "end of file");
    return true;
}

casus_status casus_nfg_read(const struct casus_alloc *alloc, struct casus_diags *d,
                            const char *name, const char *text, size_t len,
                            const struct casus_gtree_limits *lim, struct casus_nfg **out)
{
    static const struct casus_gtree_limits deflim = CASUS_GTREE_LIMITS_INIT;
    struct nfg_parser p;
    uint32_t src;
    *out = NULL;
    memset(&p, 0, sizeof p);
    p.lim = lim ? lim : &deflim;
    p.d = d;
    if (len > p.lim->max_bytes || len >= UINT32_MAX) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "nfg-limit",
                       "'%s' is larger than the limit of %zu bytes", name, p.lim->max_bytes);
        return CASUS_ELIMIT;
    }
    casus_status st = casus_diags_add_source(d, name, text, len, &src);
    if (st != CASUS_OK)
        return st;
    const struct casus_source *s = casus_diags_source(d, src);
    struct casus_nfg *g = casus_mem_alloc(alloc, sizeof *g);
    if (!g)
        return CASUS_ENOMEM;
    memset(g, 0, sizeof *g);
    g->alloc = *alloc;
    casus_arena_init(&g->arena, &g->alloc);
    p.g = g;
    casus_glex_init(&p.lx, s->text, s->len, src);
    if (!parse_file(&p)) {
        casus_nfg_free(g);
        return p.st;
    }
    *out = g;
    return CASUS_OK;
}

void casus_nfg_free(struct casus_nfg *g)
{
    if (!g)
        return;
    struct casus_alloc a = g->alloc;
    casus_arena_release(&g->arena);
    casus_mem_free(&a, g, sizeof *g);
}

casus_status casus_nfg_write(const struct casus_nfg *g, casus_buf *out)
{
    casus_buf_puts(out, "NFG 1 R ");
    casus_gwrite_str(out, g->title);
    casus_buf_puts(out, " {");
    for (uint32_t i = 0; i < g->nplayers; i++) {
        casus_buf_putc(out, ' ');
        casus_gwrite_str(out, g->player[i]);
    }
    casus_buf_puts(out, " }");
    if (g->strat_labels) {
        casus_buf_puts(out, "\n\n{");
        for (uint32_t i = 0; i < g->nplayers; i++) {
            casus_buf_puts(out, " {");
            for (uint32_t s = 0; s < g->nstrat[i]; s++) {
                casus_buf_putc(out, ' ');
                casus_gwrite_str(out, g->strat[g->strat0[i] + s]);
            }
            casus_buf_puts(out, " }\n");
        }
        casus_buf_puts(out, "}\n");
    } else {
        casus_buf_puts(out, " {");
        for (uint32_t i = 0; i < g->nplayers; i++)
            casus_buf_printf(out, " %u", g->nstrat[i]);
        casus_buf_puts(out, " }\n");
    }
    if (g->has_comment) {
        casus_gwrite_str(out, g->comment);
        casus_buf_putc(out, '\n');
    }
    casus_buf_putc(out, '\n');
    if (g->outcome_form) {
        casus_buf_puts(out, "{\n");
        for (uint32_t o = 0; o < g->noutcome; o++) {
            casus_buf_puts(out, "{ ");
            casus_gwrite_str(out, g->out_label[o]);
            for (uint32_t i = 0; i < g->nplayers; i++) {
                casus_buf_puts(out, i ? ", " : " ");
                casus_gwrite_num(out, &g->out_pay[(size_t)o * g->nplayers + i]);
            }
            casus_buf_puts(out, " }\n");
        }
        casus_buf_puts(out, "}\n");
        for (uint32_t c = 0; c < g->ncell; c++)
            casus_buf_printf(out, "%s%u", c ? " " : "", g->cell_out[c]);
    } else {
        size_t n = (size_t)g->ncell * g->nplayers;
        for (size_t i = 0; i < n; i++) {
            if (i)
                casus_buf_putc(out, ' ');
            casus_gwrite_num(out, &g->cell_pay[i]);
        }
    }
    casus_buf_putc(out, '\n');
    return casus_buf_status(out);
}

static bool seq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

bool casus_nfg_equal(const struct casus_nfg *a, const struct casus_nfg *b)
{
    if (a->nplayers != b->nplayers || a->ncell != b->ncell || a->outcome_form != b->outcome_form ||
        a->strat_labels != b->strat_labels || a->noutcome != b->noutcome ||
        a->has_comment != b->has_comment || !seq(a->title, b->title) ||
        !seq(a->comment, b->comment))
        return false;
    for (uint32_t i = 0; i < a->nplayers; i++) {
        if (!seq(a->player[i], b->player[i]) || a->nstrat[i] != b->nstrat[i])
            return false;
        for (uint32_t s = 0; s < a->nstrat[i]; s++)
            if (!seq(a->strat[a->strat0[i] + s], b->strat[b->strat0[i] + s]))
                return false;
    }
    size_t np = a->nplayers;
    if (a->outcome_form) {
        for (uint32_t o = 0; o < a->noutcome; o++) {
            if (!seq(a->out_label[o], b->out_label[o]))
                return false;
            for (size_t i = 0; i < np; i++)
                if (!seq(a->out_pay[o * np + i].text, b->out_pay[o * np + i].text))
                    return false;
        }
        for (uint32_t c = 0; c < a->ncell; c++)
            if (a->cell_out[c] != b->cell_out[c])
                return false;
    } else {
        for (size_t i = 0; i < (size_t)a->ncell * np; i++)
            if (!seq(a->cell_pay[i].text, b->cell_pay[i].text))
                return false;
    }
    return true;
}

uint32_t casus_nfg_cell(const struct casus_nfg *g, const uint32_t *s)
{
    uint32_t c = 0;
    for (uint32_t i = g->nplayers; i-- > 0;)
        c = c * g->nstrat[i] + s[i];
    return c;
}
