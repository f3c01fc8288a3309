/*
 * check.c — the checker: resolves the names in a parsed file, type-checks
 * its conditions and builds the engine model (model.h).
 *
 * Pipeline: parse ─ check ─ verdict.  Work happens in two phases so that a
 * file with errors changes nothing: first every declaration is checked and
 * built into the arena ("staged"), with new actors and sources visible to
 * the rest of the same file; then, only if no error was reported, the
 * staged objects are appended to the engine's tables.
 *
 * Conditions are typed by context: in `region == europe` the bare word
 * `europe` is looked up in the vocabulary of `region`, in `victim == ESP`
 * among the actors.  So a misspelt region or actor is an error with a
 * suggestion, not a silently false test.
 */
#include "lang/check.h"
#include "base/suggest.h"
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct attr_info {
    const char *name;
    enum casus_type type;
};
static const struct attr_info attrs[] = {
#define X(id, name, type) {name, type},
    CASUS_ATTR_LIST(X)
#undef X
};
_Static_assert(CASUS_ARRAY_LEN(attrs) == CASUS_ATTR_COUNT, "attribute table");

/* ---- the checking context ---- */

void *casus_checker_alloc(struct checker *c, size_t n)
{
    void *p = casus_arena_alloc(c->a, n);
    if (!p)
        c->oom = true;
    return p;
}

struct casus_diag *casus_checker_error(struct checker *c, const struct casus_span *sp,
                                       const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return casus_diag_add(c->d, CASUS_SEV_ERROR, sp, code, "%s", msg);
}

/* Push p onto a growable pointer array in the arena. */
bool casus_checker_push(struct checker *c, void ***arr, uint32_t *n, uint32_t *cap, void *p)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        void **g = casus_arena_grow(c->a, *arr, *n, nc, sizeof *g);
        if (!g) {
            c->oom = true;
            return false;
        }
        *arr = g;
        *cap = nc;
    }
    (*arr)[(*n)++] = p;
    return true;
}

int32_t casus_checker_find_actor(const struct checker *c, const char *s)
{
    size_t len = strlen(s);
    int32_t i = casus_symtab_get(&c->e->actor_ix, s, len);
    return i >= 0 ? i : casus_symtab_get(&c->actor_ix, s, len);
}

const struct casus_mactor *casus_checker_actor_at(const struct checker *c, int32_t i)
{
    if (i < (int32_t)c->e->nactors)
        return c->e->actors[i];
    return c->actors[i - (int32_t)c->e->nactors];
}

static int32_t resolve_actor(struct checker *c, const struct casus_name *n)
{
    int32_t i = casus_checker_find_actor(c, n->s);
    if (i >= 0)
        return i;
    struct casus_diag *g =
        casus_checker_error(c, &n->span, "unknown-actor", "unknown actor '%s'", n->s);
    struct casus_actor_match m;
    if (casus_actor_match(c->e, n->s, strlen(n->s), &m) == 1) {
        casus_diag_note(c->d, g, "'%s' is an alias of %s; files name actors by code: write '%s'",
                        n->s, c->e->actors[m.actor]->code, c->e->actors[m.actor]->code);
        return -1;
    }
    struct casus_suggest sg;
    casus_suggest_begin(&sg, n->s, strlen(n->s));
    for (uint32_t k = 0; k < c->e->nactors + c->nactors; k++) {
        const char *code = casus_checker_actor_at(c, (int32_t)k)->code;
        casus_suggest_offer(&sg, code, code);
    }
    const char *best = casus_suggest_best(&sg);
    if (best)
        casus_diag_note(c->d, g, "did you mean '%s'?", best);
    else
        casus_diag_note(c->d, g, "actors are ISO 3166 alpha-3 codes declared with 'actor'");
    return -1;
}

int32_t casus_checker_actor(struct checker *c, const struct casus_name *n)
{
    return resolve_actor(c, n);
}

bool casus_checker_failed(const struct checker *c)
{
    return c->oom || c->d->nerrors > c->errors_before;
}

const struct casus_msource *casus_checker_source(struct checker *c, const struct casus_name *n)
{
    if (!n->s)
        return NULL;
    size_t len = strlen(n->s);
    int32_t i = casus_symtab_get(&c->e->source_ix, n->s, len);
    if (i >= 0)
        return c->e->sources[i];
    i = casus_symtab_get(&c->source_ix, n->s, len);
    if (i >= 0)
        return c->sources[i];
    struct casus_diag *g =
        casus_checker_error(c, &n->span, "unknown-source", "unknown source '%s'", n->s);
    struct casus_suggest sg;
    casus_suggest_begin(&sg, n->s, len);
    for (uint32_t k = 0; k < c->e->nsources + c->nsources; k++) {
        const char *id =
            k < c->e->nsources ? c->e->sources[k]->id : c->sources[k - c->e->nsources]->id;
        casus_suggest_offer(&sg, id, id);
    }
    const char *best = casus_suggest_best(&sg);
    if (best)
        casus_diag_note(c->d, g, "did you mean '%s'?", best);
    else
        casus_diag_note(c->d, g, "declare it with 'source %s { title \"…\" url \"…\" }'", n->s);
    return NULL;
}

int casus_checker_vocab(struct checker *c, const struct casus_vocab *v, const struct casus_name *n)
{
    int i = casus_vocab_find(v, n->s, strlen(n->s));
    if (i >= 0)
        return i;
    struct casus_diag *g =
        casus_checker_error(c, &n->span, "unknown-value", "unknown %s '%s'", v->what, n->s);
    const char *best = casus_suggest(n->s, v->names, (size_t)v->count, sizeof(const char *));
    if (best)
        casus_diag_note(c->d, g, "did you mean '%s'?", best);
    else {
        char list[300];
        size_t k = 0;
        for (int j = 0; j < v->count && k < sizeof list - 40; j++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", j ? ", " : "", v->names[j]);
        casus_diag_note(c->d, g, "expected one of: %s", list);
    }
    return -1;
}

void casus_checker_dates(const struct casus_dates *in, casus_date *from, casus_date *until)
{
    *from = in->has_from ? in->from : CASUS_DATE_MIN;
    *until = in->has_until ? in->until : CASUS_DATE_MAX;
}

bool casus_checker_check_dates(struct checker *c, const struct casus_dates *dt)
{
    if (dt->has_from && dt->has_until && dt->until <= dt->from) {
        casus_checker_error(c, &dt->until_span, "bad-dates",
                            "'until' date is not after the 'from' date");
        return false;
    }
    return true;
}

/* ---- conditions ---- */

static const char *type_name(enum casus_type t)
{
    switch (t) {
    case CASUS_T_BOOL: return "condition";
    case CASUS_T_NUM: return "number";
    case CASUS_T_DATE: return "date";
    case CASUS_T_STR: return "string";
    case CASUS_T_ACTOR: return "actor";
    case CASUS_T_OBJECT: return "object";
    case CASUS_T_REGION: return "region";
    case CASUS_T_ATTRIB: return "attribution";
    case CASUS_T_BASIN: return "basin";
    case CASUS_T_UNIT: return "unit";
    case CASUS_T_ACTORS: return "set of actors";
    case CASUS_T_LIST: return "list";
    }
    return "value";
}

static bool stringish(enum casus_type t)
{
    return t == CASUS_T_STR || t == CASUS_T_BASIN || t == CASUS_T_UNIT;
}

static struct casus_cx *mk(struct checker *c, enum casus_cx_op op, enum casus_type t,
                           const struct casus_expr *src)
{
    struct casus_cx *x = casus_checker_alloc(c, sizeof *x);
    if (x) {
        x->op = op;
        x->type = t;
        x->span = src->span;
    }
    return x;
}

/* The attribute named s; '-' and '_' are interchangeable (administered_by). */
static int find_attr(const char *s)
{
    for (int i = 0; i < CASUS_ATTR_COUNT; i++) {
        const char *a = attrs[i].name, *b = s;
        while (*a && (*a == *b || (*a == '-' && *b == '_'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return i;
    }
    return -1;
}

static struct staged_let *find_let(struct checker *c, const char *s)
{
    for (uint32_t i = 0; i < c->ntreaty_lets; i++)
        if (strcmp(c->treaty_lets[i].ast->name.s, s) == 0)
            return &c->treaty_lets[i];
    for (uint32_t i = 0; i < c->nfile_lets; i++)
        if (strcmp(c->file_lets[i].ast->name.s, s) == 0)
            return &c->file_lets[i];
    return NULL;
}

/* A bare word that names nothing by itself: its meaning comes from the
 * other side of a comparison. */
static bool is_free_name(struct checker *c, const struct casus_expr *x)
{
    if (x->kind != CASUS_AST_NAME)
        return false;
    for (uint32_t k = 0; k < c->nparams; k++)
        if (strcmp(c->params[k].name, x->str) == 0)
            return false;
    return find_attr(x->str) < 0 && !find_let(c, x->str) && strcmp(x->str, "true") != 0 &&
           strcmp(x->str, "false") != 0;
}

static const struct casus_cx *compile(struct checker *c, const struct casus_expr *x,
                                      const enum casus_type *hint);

static void unknown_name(struct checker *c, const struct casus_expr *x, enum casus_type want);
static const char *type_name(enum casus_type t);

/* A bare word read in the domain `t` (actor code, region, object, …). */
static const struct casus_cx *compile_symbol(struct checker *c, const struct casus_expr *x,
                                             enum casus_type t)
{
    struct casus_name n = {x->str, x->span};
    struct casus_cx *r = mk(c, CASUS_CX_CONST, t, x);
    if (!r)
        return NULL;
    int v = -1;
    switch (t) {
    case CASUS_T_ACTOR: v = resolve_actor(c, &n); break;
    case CASUS_T_OBJECT: v = casus_checker_vocab(c, &casus_vocab_object, &n); break;
    case CASUS_T_REGION: v = casus_checker_vocab(c, &casus_vocab_region, &n); break;
    case CASUS_T_ATTRIB: v = casus_checker_vocab(c, &casus_vocab_attrib, &n); break;
    case CASUS_T_BASIN:
        v = casus_checker_vocab(c, &casus_vocab_basin, &n);
        if (v >= 0)
            r->s = casus_vocab_basin.names[v];
        break;
    case CASUS_T_UNIT:
        r->s = x->str;
        v = 0;
        break;
    default: unknown_name(c, x, t); return NULL;
    }
    if (v < 0)
        return NULL;
    r->i = v;
    return r;
}

static void unknown_name(struct checker *c, const struct casus_expr *x, enum casus_type want)
{
    struct casus_diag *g;
    if ((int)want >= 0)
        g = casus_checker_error(c, &x->span, "unknown-name",
                                "unknown name '%s' (a %s is expected here)", x->str,
                                type_name(want));
    else
        g = casus_checker_error(c, &x->span, "unknown-name", "unknown name '%s'", x->str);
    const char *cands[CASUS_ATTR_COUNT + 64];
    size_t n = 0;
    for (int i = 0; i < CASUS_ATTR_COUNT; i++)
        cands[n++] = attrs[i].name;
    for (uint32_t i = 0; i < c->ntreaty_lets && n < CASUS_ARRAY_LEN(cands); i++)
        cands[n++] = c->treaty_lets[i].ast->name.s;
    for (uint32_t i = 0; i < c->nfile_lets && n < CASUS_ARRAY_LEN(cands); i++)
        cands[n++] = c->file_lets[i].ast->name.s;
    const char *best = casus_suggest(x->str, cands, n, sizeof(const char *));
    const char *dash = strchr(x->str, '-');
    bool split = false;
    if (dash) {
        char head[64];
        size_t hl =
            (size_t)(dash - x->str) < sizeof head - 1 ? (size_t)(dash - x->str) : sizeof head - 1;
        memcpy(head, x->str, hl);
        head[hl] = '\0';
        split = find_attr(head) >= 0 || find_let(c, head) != NULL;
    }
    if (split)
        casus_diag_note(c->d, g, "names may contain '-'; write '%.*s - %s' to subtract",
                        (int)(dash - x->str), x->str, dash + 1);
    else if (best)
        casus_diag_note(c->d, g, "did you mean '%s'?", best);
    else
        casus_diag_note(c->d, g,
                        "conditions read incident attributes (object, victim, "
                        "sovereign, region, basin, lat, date, …) and 'let' names");
}

static bool want(struct checker *c, const struct casus_cx *x, enum casus_type t, const char *ctx)
{
    if (!x)
        return false;
    if (x->type == t || (stringish(t) && stringish(x->type)))
        return true;
    casus_checker_error(c, &x->span, "type", "%s needs a %s, but this is a %s", ctx, type_name(t),
                        type_name(x->type));
    return false;
}

static const struct casus_cx *compile_compare(struct checker *c, const struct casus_expr *x)
{
    enum casus_cx_op op;
    switch (x->op) {
    case CASUS_OP_EQ: op = CASUS_CX_EQ; break;
    case CASUS_OP_NE: op = CASUS_CX_NE; break;
    case CASUS_OP_LT: op = CASUS_CX_LT; break;
    case CASUS_OP_LE: op = CASUS_CX_LE; break;
    case CASUS_OP_GT: op = CASUS_CX_GT; break;
    default: op = CASUS_CX_GE; break;
    }
    const struct casus_cx *a, *b;
    if (is_free_name(c, x->a) && !is_free_name(c, x->b)) {
        b = compile(c, x->b, NULL);
        if (!b)
            return NULL;
        a = compile(c, x->a, &b->type);
    } else {
        a = compile(c, x->a, NULL);
        if (!a)
            return NULL;
        b = compile(c, x->b, &a->type);
    }
    if (!a || !b)
        return NULL;
    bool same = a->type == b->type || (stringish(a->type) && stringish(b->type));
    if (!same) {
        casus_checker_error(c, &x->span, "type", "cannot compare a %s with a %s",
                            type_name(a->type), type_name(b->type));
        return NULL;
    }
    if (op != CASUS_CX_EQ && op != CASUS_CX_NE && a->type != CASUS_T_NUM &&
        a->type != CASUS_T_DATE) {
        casus_checker_error(c, &x->span, "type",
                            "'<', '<=', '>' and '>=' compare numbers or dates, not %ss",
                            type_name(a->type));
        return NULL;
    }
    if (a->type == CASUS_T_LIST || a->type == CASUS_T_BOOL) {
        if (op == CASUS_CX_EQ || op == CASUS_CX_NE) {
            if (a->type == CASUS_T_LIST) {
                casus_checker_error(c, &x->span, "type", "lists can only be used after 'in'");
                return NULL;
            }
        }
    }
    struct casus_cx *r = mk(c, op, CASUS_T_BOOL, x);
    if (r) {
        r->a = a;
        r->b = b;
    }
    return r;
}

/* `a not in b` is `not (a in b)`: wrap r when x is a not-in. */
static const struct casus_cx *negate_notin(struct checker *c, const struct casus_expr *x,
                                           struct casus_cx *r)
{
    if (x->op != CASUS_OP_NOTIN)
        return r;
    struct casus_cx *n = mk(c, CASUS_CX_NOT, CASUS_T_BOOL, x);
    if (n)
        n->a = r;
    return n;
}

/* ACTOR in claimed-by: does the actor claim the place on the date? */
static const struct casus_cx *compile_claims(struct checker *c, const struct casus_expr *x)
{
    enum casus_type at = CASUS_T_ACTOR;
    const struct casus_cx *a = compile(c, x->a, &at);
    if (!want(c, a, CASUS_T_ACTOR, "'in claimed-by'"))
        return NULL;
    struct casus_cx *r = mk(c, CASUS_CX_CLAIMS, CASUS_T_BOOL, x);
    if (!r)
        return NULL;
    r->a = a;
    return negate_notin(c, x, r);
}

static const struct casus_cx *compile_in(struct checker *c, const struct casus_expr *x)
{
    if (x->b->kind == CASUS_AST_NAME && find_attr(x->b->str) == CASUS_ATTR_claimed_by)
        return compile_claims(c, x);
    const struct casus_cx *a = compile(c, x->a, NULL);
    if (!a)
        return NULL;
    if (x->b->kind != CASUS_AST_LIST) {
        casus_checker_error(c, &x->b->span, "type",
                            "'in' needs a list such as [europe, north_america]");
        return NULL;
    }
    struct casus_cx *r = mk(c, CASUS_CX_IN, CASUS_T_BOOL, x);
    if (!r)
        return NULL;
    r->a = a;
    r->nitems = x->b->nitems;
    r->items = casus_checker_alloc(c, (r->nitems ? r->nitems : 1) * sizeof *r->items);
    if (!r->items)
        return NULL;
    bool ok = true;
    for (uint32_t i = 0; i < r->nitems; i++) {
        const struct casus_cx *it = compile(c, x->b->items[i], &a->type);
        if (!it) {
            ok = false;
            continue;
        }
        if (it->op != CASUS_CX_CONST) {
            casus_checker_error(c, &it->span, "type", "list items after 'in' must be constants");
            ok = false;
            continue;
        }
        if (!(it->type == a->type || (stringish(it->type) && stringish(a->type)))) {
            casus_checker_error(c, &it->span, "type", "this list holds %ss, but this item is a %s",
                                type_name(a->type), type_name(it->type));
            ok = false;
            continue;
        }
        r->items[i] = it;
    }
    if (!ok)
        return NULL;
    return negate_notin(c, x, r);
}

/* compile: expression → typed condition tree.  `hint` is the type a bare
 * word should be read in (from the other side of a comparison). */
/* A literal: number, date, string. */
static const struct casus_cx *compile_literal(struct checker *c, const struct casus_expr *x)
{
    static const enum casus_type types[] = {[CASUS_AST_NUMBER] = CASUS_T_NUM,
                                            [CASUS_AST_DATE] = CASUS_T_DATE,
                                            [CASUS_AST_STRING] = CASUS_T_STR};
    struct casus_cx *r = mk(c, CASUS_CX_CONST, types[x->kind], x);
    if (!r)
        return NULL;
    if (x->kind == CASUS_AST_NUMBER)
        r->num = x->num;
    else if (x->kind == CASUS_AST_DATE)
        r->i = x->date;
    else
        r->s = x->str;
    return r;
}

/* A let's value, compiled on first use; a let reached while it compiles
 * is defined in terms of itself. */
static const struct casus_cx *compile_let(struct checker *c, struct staged_let *l,
                                          const struct casus_expr *x)
{
    if (l->cx)
        return l->cx;
    if (l->failed)
        return NULL;
    if (l->busy) {
        struct casus_diag *g =
            casus_checker_error(c, &x->span, "cycle", "'%s' is defined in terms of itself", x->str);
        casus_diag_note(c->d, g, "remove the cycle between 'let' definitions");
        return NULL;
    }
    l->busy = true;
    l->cx = compile(c, l->ast->value, NULL);
    l->busy = false;
    l->failed = l->cx == NULL;
    return l->cx;
}

/* A bare name: true/false, an incident attribute, a parameter, a let, or
 * a word of the vocabulary the context expects (hint). */
static const struct casus_cx *compile_name(struct checker *c, const struct casus_expr *x,
                                           const enum casus_type *hint)
{
    struct casus_cx *r;
    if (strcmp(x->str, "true") == 0 || strcmp(x->str, "false") == 0) {
        r = mk(c, CASUS_CX_CONST, CASUS_T_BOOL, x);
        if (r)
            r->i = x->str[0] == 't';
        return r;
    }
    int at = find_attr(x->str);
    if (at == CASUS_ATTR_claimed_by) {
        struct casus_diag *g = casus_checker_error(
            c, &x->span, "type", "'claimed-by' is the set of states that claim the place");
        casus_diag_note(c->d, g,
                        "test it with 'ACTOR in claimed-by' (e.g. 'attacker in claimed-by')");
        return NULL;
    }
    if (at >= 0) {
        r = mk(c, CASUS_CX_ATTR, attrs[at].type, x);
        if (r)
            r->i = at;
        return r;
    }
    for (uint32_t k = 0; k < c->nparams; k++)
        if (strcmp(c->params[k].name, x->str) == 0) {
            r = mk(c, CASUS_CX_PARAM, CASUS_T_NUM, x);
            if (r)
                r->i = (int32_t)k;
            return r;
        }
    struct staged_let *l = find_let(c, x->str);
    if (l)
        return compile_let(c, l, x);
    if (hint)
        return compile_symbol(c, x, *hint);
    unknown_name(c, x, (enum casus_type) - 1);
    return NULL;
}

/* within(ZONE): the point lies in a zone the treaty draws by coordinates. */
static const struct casus_cx *compile_within(struct checker *c, const struct casus_expr *x)
{
    if (x->nitems != 1 || x->items[0]->kind != CASUS_AST_NAME) {
        casus_checker_error(c, &x->span, "arity", "within() takes the name of one zone");
        return NULL;
    }
    const char *name = x->items[0]->str;
    for (uint32_t i = 0; i < c->nzones; i++)
        if (c->zones[i].name && strcmp(c->zones[i].name, name) == 0) {
            struct casus_cx *r = mk(c, CASUS_CX_WITHIN, CASUS_T_BOOL, x);
            if (r)
                r->zone = &c->zones[i];
            return r;
        }
    struct casus_diag *g = casus_checker_error(c, &x->items[0]->span, "unknown-zone",
                                               "no zone '%s' in this treaty", name);
    struct casus_suggest sg;
    casus_suggest_begin(&sg, name, strlen(name));
    for (uint32_t i = 0; i < c->nzones; i++)
        casus_suggest_offer(&sg, c->zones[i].name, c->zones[i].name);
    if (casus_suggest_best(&sg))
        casus_diag_note(c->d, g, "did you mean '%s'?", casus_suggest_best(&sg));
    else
        casus_diag_note(c->d, g, "declare it in the treaty with 'zone %s { polygon [...] }'", name);
    return NULL;
}

/* A call: party(ACTOR) or within(ZONE), inside a treaty. */
static const struct casus_cx *compile_call(struct checker *c, const struct casus_expr *x)
{
    bool within = strcmp(x->str, "within") == 0;
    if (strcmp(x->str, "party") != 0 && !within) {
        struct casus_diag *g =
            casus_checker_error(c, &x->span, "unknown-function", "unknown function '%s'", x->str);
        casus_diag_note(c->d, g, "available: party(ACTOR), within(ZONE)");
        return NULL;
    }
    if (!c->in_treaty) {
        casus_checker_error(c, &x->span, "context", "%s() is only meaningful inside a treaty",
                            x->str);
        return NULL;
    }
    if (within)
        return compile_within(c, x);
    if (x->nitems != 1) {
        casus_checker_error(c, &x->span, "arity", "party() takes one actor, got %u", x->nitems);
        return NULL;
    }
    enum casus_type at = CASUS_T_ACTOR;
    const struct casus_cx *a = compile(c, x->items[0], &at);
    if (!want(c, a, CASUS_T_ACTOR, "party()"))
        return NULL;
    struct casus_cx *r = mk(c, CASUS_CX_PARTY, CASUS_T_BOOL, x);
    if (r)
        r->a = a;
    return r;
}

/* not x, -x */
static const struct casus_cx *compile_unary(struct checker *c, const struct casus_expr *x)
{
    bool is_not = x->op == CASUS_OP_NOT;
    const struct casus_cx *a = compile(c, x->a, NULL);
    if (!want(c, a, is_not ? CASUS_T_BOOL : CASUS_T_NUM, is_not ? "'not'" : "'-'"))
        return NULL;
    struct casus_cx *r = mk(c, is_not ? CASUS_CX_NOT : CASUS_CX_NEG, a->type, x);
    if (r)
        r->a = a;
    return r;
}

/* x and y, x or y (booleans); x + y, x - y, x * y, x / y (numbers). */
static const struct casus_cx *compile_operator(struct checker *c, const struct casus_expr *x)
{
    static const enum casus_cx_op arith[] = {CASUS_CX_ADD, CASUS_CX_SUB, CASUS_CX_MUL,
                                             CASUS_CX_DIV};
    bool logic = x->op == CASUS_OP_AND || x->op == CASUS_OP_OR;
    const char *w = !logic ? "arithmetic" : x->op == CASUS_OP_AND ? "'and'" : "'or'";
    enum casus_type t = logic ? CASUS_T_BOOL : CASUS_T_NUM;
    const struct casus_cx *a = compile(c, x->a, NULL);
    const struct casus_cx *b = compile(c, x->b, NULL);
    if (!want(c, a, t, w) || !want(c, b, t, w))
        return NULL;
    enum casus_cx_op op = !logic                  ? arith[x->op - CASUS_OP_ADD]
                          : x->op == CASUS_OP_AND ? CASUS_CX_AND
                                                  : CASUS_CX_OR;
    struct casus_cx *r = mk(c, op, t, x);
    if (r) {
        r->a = a;
        r->b = b;
    }
    return r;
}

static const struct casus_cx *compile(struct checker *c, const struct casus_expr *x,
                                      const enum casus_type *hint)
{
    if (!x || c->oom)
        return NULL;
    switch (x->kind) {
    case CASUS_AST_NUMBER:
    case CASUS_AST_DATE:
    case CASUS_AST_STRING: return compile_literal(c, x);
    case CASUS_AST_NAME: return compile_name(c, x, hint);
    case CASUS_AST_CALL: return compile_call(c, x);
    case CASUS_AST_LIST:
        casus_checker_error(c, &x->span, "type", "a list can only follow 'in'");
        return NULL;
    case CASUS_AST_UNARY: return compile_unary(c, x);
    case CASUS_AST_NAMED:
        casus_checker_error(c, &x->span, "syntax",
                            "a named argument '%s:' belongs in evidence(...)", x->str);
        return NULL;
    case CASUS_AST_BINARY:
        switch (x->op) {
        case CASUS_OP_AND:
        case CASUS_OP_OR:
        case CASUS_OP_ADD:
        case CASUS_OP_SUB:
        case CASUS_OP_MUL:
        case CASUS_OP_DIV: return compile_operator(c, x);
        case CASUS_OP_IN:
        case CASUS_OP_NOTIN: return compile_in(c, x);
        default: return compile_compare(c, x);
        }
    }
    return NULL;
}

const struct casus_cx *casus_checker_condition(struct checker *c, const struct casus_expr *x)
{
    const struct casus_cx *r = compile(c, x, NULL);
    if (r && r->type != CASUS_T_BOOL) {
        casus_checker_error(c, &x->span, "type",
                            "a condition must be true or false, but this is a %s",
                            type_name(r->type));
        return NULL;
    }
    return r;
}

const struct casus_cx *casus_checker_number(struct checker *c, const struct casus_expr *x,
                                            const char *ctx)
{
    const struct casus_cx *r = compile(c, x, NULL);
    if (r && r->type != CASUS_T_NUM) {
        casus_checker_error(c, &x->span, "type", "%s must be a number, but this is a %s", ctx,
                            type_name(r->type));
        return NULL;
    }
    return r;
}

bool casus_checker_stage_lets(struct checker *c, const struct casus_ast_let *list,
                              struct staged_let **out, uint32_t *n)
{
    uint32_t k = 0;
    for (const struct casus_ast_let *l = list; l; l = l->next)
        k++;
    *out = casus_checker_alloc(c, (k ? k : 1) * sizeof **out);
    if (!*out)
        return false;
    *n = 0;
    for (const struct casus_ast_let *l = list; l; l = l->next) {
        for (uint32_t i = 0; i < *n; i++)
            if (strcmp((*out)[i].ast->name.s, l->name.s) == 0) {
                casus_checker_error(c, &l->name.span, "duplicate", "'%s' is defined twice",
                                    l->name.s);
                break;
            }
        if (find_attr(l->name.s) >= 0)
            casus_checker_error(c, &l->name.span, "duplicate",
                                "'%s' is an incident attribute; pick another name", l->name.s);
        (*out)[(*n)++].ast = l;
    }
    return true;
}

/* Compile every let not compiled yet: lets nobody uses are still checked. */
void casus_checker_compile_lets(struct checker *c, struct staged_let *lets, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct staged_let *l = &lets[i];
        if (!l->cx && !l->busy && !l->failed) {
            l->busy = true;
            l->cx = compile(c, l->ast->value, NULL);
            l->busy = false;
            l->failed = l->cx == NULL;
        }
    }
}
