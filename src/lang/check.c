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

/* ---- vocabularies ---- */

#define NAME_STR(n) #n,
static const char *const object_names[] = {CASUS_OBJECT_LIST(NAME_STR)};
static const char *const region_names[] = {CASUS_REGION_LIST(NAME_STR)};
static const char *const attrib_names[] = {CASUS_ATTRIB_LIST(NAME_STR)};
static const char *const obligation_names[] = {CASUS_OBLIGATION_LIST(NAME_STR)};
static const char *const decider_names[] = {CASUS_DECIDER_LIST(NAME_STR)};
static const char *const rule_names[] = {CASUS_RULE_LIST(NAME_STR)};
static const char *const mode_names[] = {"sincere", "silence", "pivotal"};
/* Ocean basins as data/geo/seas.csv assigns them. */
static const char *const basin_names[] = {
    "mediterranean", "turkish_straits", "black_sea", "north_atlantic", "south_atlantic",
    "arctic",        "pacific",         "indian",    "southern",       "caspian"};
#undef NAME_STR

#define VOCAB(what, arr)                                                                           \
    {                                                                                              \
        what, arr, (int)CASUS_ARRAY_LEN(arr)                                                       \
    }
const struct casus_vocab casus_vocab_object = VOCAB("object", object_names);
const struct casus_vocab casus_vocab_region = VOCAB("region", region_names);
const struct casus_vocab casus_vocab_attrib = VOCAB("attribution", attrib_names);
const struct casus_vocab casus_vocab_obligation = VOCAB("obligation", obligation_names);
const struct casus_vocab casus_vocab_decider = VOCAB("decided-by", decider_names);
const struct casus_vocab casus_vocab_rule = VOCAB("council rule", rule_names);
const struct casus_vocab casus_vocab_mode = VOCAB("voting mode", mode_names);
static const struct casus_vocab vocab_basin = VOCAB("basin", basin_names);

int casus_vocab_find(const struct casus_vocab *v, const char *name, size_t len)
{
    for (int i = 0; i < v->count; i++) {
        const char *c = v->names[i];
        size_t k = 0;
        while (k < len && c[k] && (c[k] == name[k] || (c[k] == '_' && name[k] == '-')))
            k++;
        if (k == len && !c[k])
            return i;
    }
    return -1;
}

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

static int32_t find_actor(const struct checker *c, const char *s)
{
    size_t len = strlen(s);
    int32_t i = casus_symtab_get(&c->e->actor_ix, s, len);
    return i >= 0 ? i : casus_symtab_get(&c->actor_ix, s, len);
}

static const struct casus_mactor *actor_at(const struct checker *c, int32_t i)
{
    if (i < (int32_t)c->e->nactors)
        return c->e->actors[i];
    return c->actors[i - (int32_t)c->e->nactors];
}

static int32_t resolve_actor(struct checker *c, const struct casus_name *n)
{
    int32_t i = find_actor(c, n->s);
    if (i >= 0)
        return i;
    struct casus_diag *g =
        casus_checker_error(c, &n->span, "unknown-actor", "unknown actor '%s'", n->s);
    struct casus_suggest sg;
    casus_suggest_begin(&sg, n->s, strlen(n->s));
    for (uint32_t k = 0; k < c->e->nactors + c->nactors; k++) {
        const char *code = actor_at(c, (int32_t)k)->code;
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

static int resolve_vocab(struct checker *c, const struct casus_vocab *v, const struct casus_name *n)
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

static const char *text(const struct casus_text *t)
{
    return t->s;
}

static void dates_of(const struct casus_dates *in, casus_date *from, casus_date *until)
{
    *from = in->has_from ? in->from : CASUS_DATE_MIN;
    *until = in->has_until ? in->until : CASUS_DATE_MAX;
}

static bool check_dates(struct checker *c, const struct casus_dates *dt)
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

static int find_attr(const char *s)
{
    for (int i = 0; i < CASUS_ATTR_COUNT; i++)
        if (strcmp(attrs[i].name, s) == 0)
            return i;
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
    case CASUS_T_OBJECT: v = resolve_vocab(c, &casus_vocab_object, &n); break;
    case CASUS_T_REGION: v = resolve_vocab(c, &casus_vocab_region, &n); break;
    case CASUS_T_ATTRIB: v = resolve_vocab(c, &casus_vocab_attrib, &n); break;
    case CASUS_T_BASIN:
        v = resolve_vocab(c, &vocab_basin, &n);
        if (v >= 0)
            r->s = basin_names[v];
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

static const struct casus_cx *compile_in(struct checker *c, const struct casus_expr *x)
{
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
    if (x->op == CASUS_OP_NOTIN) {
        struct casus_cx *n = mk(c, CASUS_CX_NOT, CASUS_T_BOOL, x);
        if (n)
            n->a = r;
        return n;
    }
    return r;
}

/* compile: expression → typed condition tree.  `hint` is the type a bare
 * word should be read in (from the other side of a comparison). */
static const struct casus_cx *compile(struct checker *c, const struct casus_expr *x,
                                      const enum casus_type *hint)
{
    if (!x || c->oom)
        return NULL;
    struct casus_cx *r;
    switch (x->kind) {
    case CASUS_AST_NUMBER:
        r = mk(c, CASUS_CX_CONST, CASUS_T_NUM, x);
        if (r)
            r->num = x->num;
        return r;
    case CASUS_AST_DATE:
        r = mk(c, CASUS_CX_CONST, CASUS_T_DATE, x);
        if (r)
            r->i = x->date;
        return r;
    case CASUS_AST_STRING:
        r = mk(c, CASUS_CX_CONST, CASUS_T_STR, x);
        if (r)
            r->s = x->str;
        return r;
    case CASUS_AST_NAME: {
        if (strcmp(x->str, "true") == 0 || strcmp(x->str, "false") == 0) {
            r = mk(c, CASUS_CX_CONST, CASUS_T_BOOL, x);
            if (r)
                r->i = x->str[0] == 't';
            return r;
        }
        int at = find_attr(x->str);
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
        if (l) {
            if (l->cx)
                return l->cx;
            if (l->failed)
                return NULL;
            if (l->busy) {
                struct casus_diag *g = casus_checker_error(
                    c, &x->span, "cycle", "'%s' is defined in terms of itself", x->str);
                casus_diag_note(c->d, g, "remove the cycle between 'let' definitions");
                return NULL;
            }
            l->busy = true;
            l->cx = compile(c, l->ast->value, NULL);
            l->busy = false;
            l->failed = l->cx == NULL;
            return l->cx;
        }
        if (hint)
            return compile_symbol(c, x, *hint);
        unknown_name(c, x, (enum casus_type) - 1);
        return NULL;
    }
    case CASUS_AST_CALL: {
        if (strcmp(x->str, "party") != 0) {
            struct casus_diag *g = casus_checker_error(c, &x->span, "unknown-function",
                                                       "unknown function '%s'", x->str);
            casus_diag_note(c->d, g, "available: party(ACTOR)");
            return NULL;
        }
        if (!c->in_treaty) {
            casus_checker_error(c, &x->span, "context",
                                "party() is only meaningful inside a treaty");
            return NULL;
        }
        if (x->nitems != 1) {
            casus_checker_error(c, &x->span, "arity", "party() takes one actor, got %u", x->nitems);
            return NULL;
        }
        enum casus_type at = CASUS_T_ACTOR;
        const struct casus_cx *a = compile(c, x->items[0], &at);
        if (!want(c, a, CASUS_T_ACTOR, "party()"))
            return NULL;
        r = mk(c, CASUS_CX_PARTY, CASUS_T_BOOL, x);
        if (r)
            r->a = a;
        return r;
    }
    case CASUS_AST_LIST:
        casus_checker_error(c, &x->span, "type", "a list can only follow 'in'");
        return NULL;
    case CASUS_AST_UNARY: {
        bool is_not = x->op == CASUS_OP_NOT;
        const struct casus_cx *a = compile(c, x->a, NULL);
        if (!want(c, a, is_not ? CASUS_T_BOOL : CASUS_T_NUM, is_not ? "'not'" : "'-'"))
            return NULL;
        r = mk(c, is_not ? CASUS_CX_NOT : CASUS_CX_NEG, a->type, x);
        if (r)
            r->a = a;
        return r;
    }
    case CASUS_AST_BINARY:
        switch (x->op) {
        case CASUS_OP_AND:
        case CASUS_OP_OR: {
            const char *w = x->op == CASUS_OP_AND ? "'and'" : "'or'";
            const struct casus_cx *a = compile(c, x->a, NULL);
            const struct casus_cx *b = compile(c, x->b, NULL);
            if (!want(c, a, CASUS_T_BOOL, w) || !want(c, b, CASUS_T_BOOL, w))
                return NULL;
            r = mk(c, x->op == CASUS_OP_AND ? CASUS_CX_AND : CASUS_CX_OR, CASUS_T_BOOL, x);
            if (r) {
                r->a = a;
                r->b = b;
            }
            return r;
        }
        case CASUS_OP_ADD:
        case CASUS_OP_SUB:
        case CASUS_OP_MUL:
        case CASUS_OP_DIV: {
            const struct casus_cx *a = compile(c, x->a, NULL);
            const struct casus_cx *b = compile(c, x->b, NULL);
            if (!want(c, a, CASUS_T_NUM, "arithmetic") || !want(c, b, CASUS_T_NUM, "arithmetic"))
                return NULL;
            static const enum casus_cx_op ops[] = {CASUS_CX_ADD, CASUS_CX_SUB, CASUS_CX_MUL,
                                                   CASUS_CX_DIV};
            r = mk(c, ops[x->op - CASUS_OP_ADD], CASUS_T_NUM, x);
            if (r) {
                r->a = a;
                r->b = b;
            }
            return r;
        }
        case CASUS_OP_IN:
        case CASUS_OP_NOTIN: return compile_in(c, x);
        default: return compile_compare(c, x);
        }
    }
    return NULL;
}

static const struct casus_cx *compile_condition(struct checker *c, const struct casus_expr *x)
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

/* ---- declarations ---- */

static void check_sources(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_source *s = f->sources; s; s = s->next) {
        size_t len = strlen(s->name.s);
        if (casus_symtab_get(&c->e->source_ix, s->name.s, len) >= 0 ||
            casus_symtab_get(&c->source_ix, s->name.s, len) >= 0) {
            casus_checker_error(c, &s->name.span, "duplicate", "source '%s' is declared twice",
                                s->name.s);
            continue;
        }
        if (!s->title.s)
            casus_checker_error(c, &s->name.span, "missing-field", "source '%s' has no title",
                                s->name.s);
        struct casus_msource *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->id = s->name.s;
        m->title = text(&s->title);
        m->url = text(&s->url);
        m->publisher = text(&s->publisher);
        m->note = text(&s->note);
        m->locator = text(&s->locator);
        m->date = s->date;
        m->has_date = s->has_date;
        if (casus_symtab_put(&c->source_ix, c->a, m->id, len, (int32_t)c->nsources) != CASUS_OK)
            c->oom = true;
        casus_checker_push(c, (void ***)&c->sources, &c->nsources, &c->capsources, m);
    }
}

static void check_actors(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_actor *a = f->actors; a; a = a->next) {
        if (find_actor(c, a->code.s) >= 0) {
            casus_checker_error(c, &a->code.span, "duplicate", "actor '%s' is declared twice",
                                a->code.s);
            continue;
        }
        struct casus_mactor *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->code = a->code.s;
        m->name = a->title.s;
        m->kind = !a->kind.s                               ? CASUS_ACTOR_STATE
                  : strcmp(a->kind.s, "organization") == 0 ? CASUS_ACTOR_ORG
                  : strcmp(a->kind.s, "historic") == 0     ? CASUS_ACTOR_HISTORIC
                                                           : CASUS_ACTOR_STATE;
        int32_t idx = (int32_t)(c->e->nactors + c->nactors);
        if (casus_symtab_put(&c->actor_ix, c->a, m->code, strlen(m->code), idx) != CASUS_OK)
            c->oom = true;
        casus_checker_push(c, (void ***)&c->actors, &c->nactors, &c->capactors, m);
    }
}

/* Build periods from a list; sorted by (actor, from) when `sort`. */
static int cmp_period(const void *x, const void *y)
{
    const struct casus_mperiod *a = x, *b = y;
    if (a->who != b->who)
        return a->who < b->who ? -1 : 1;
    return a->from < b->from ? -1 : a->from > b->from;
}

static struct casus_mperiod *build_periods(struct checker *c, const struct casus_ast_period *list,
                                           uint32_t *n, bool sort)
{
    uint32_t k = 0;
    for (const struct casus_ast_period *p = list; p; p = p->next)
        k++;
    struct casus_mperiod *out = casus_checker_alloc(c, (k ? k : 1) * sizeof *out);
    if (!out)
        return NULL;
    *n = 0;
    for (const struct casus_ast_period *p = list; p; p = p->next) {
        struct casus_mperiod *m = &out[(*n)++];
        m->who = resolve_actor(c, &p->who);
        m->de_facto = p->de_facto.s ? resolve_actor(c, &p->de_facto) : -1;
        dates_of(&p->dates, &m->from, &m->until);
        check_dates(c, &p->dates);
        m->note = p->note.s;
        m->cite = casus_checker_source(c, &p->cite);
    }
    if (sort)
        qsort(out, *n, sizeof *out, cmp_period);
    return out;
}

static void check_sovereignties(struct checker *c, const struct casus_ast_file *f,
                                struct casus_msov ***out, uint32_t *nout, uint32_t *capout)
{
    for (const struct casus_ast_sovereignty *s = f->sovereignties; s; s = s->next) {
        if (casus_symtab_get(&c->e->sov_ix, s->unit.s, strlen(s->unit.s)) >= 0) {
            casus_checker_error(c, &s->unit.span, "duplicate",
                                "sovereignty of '%s' is declared twice", s->unit.s);
            continue;
        }
        for (uint32_t i = 0; i < *nout; i++)
            if (strcmp((*out)[i]->unit, s->unit.s) == 0)
                casus_checker_error(c, &s->unit.span, "duplicate",
                                    "sovereignty of '%s' is declared twice", s->unit.s);
        struct casus_msov *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->unit = s->unit.s;
        m->title = s->title.s;
        uint32_t n = 0;
        m->periods = build_periods(c, s->periods, &n, false);
        m->nperiods = n;
        casus_checker_push(c, (void ***)out, nout, capout, m);
    }
}

static const struct casus_mscope *check_scope(struct checker *c, const struct casus_ast_scope *s)
{
    struct casus_mscope *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->name = s->name.s;
    m->article = s->article.s;
    m->title = s->title.s;
    m->note = s->note.s;
    m->cite = casus_checker_source(c, &s->cite);
    uint32_t n = 0;
    for (const struct casus_ast_rule *r = s->rules; r; r = r->next)
        n++;
    struct casus_mrule *rules = casus_checker_alloc(c, (n ? n : 1) * sizeof *rules);
    if (!rules)
        return NULL;
    uint32_t k = 0;
    for (const struct casus_ast_rule *r = s->rules; r; r = r->next, k++) {
        struct casus_mrule *mr = &rules[k];
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(rules[j].code, r->code.s) == 0 && !r->dates.has_from && !r->dates.has_until)
                casus_checker_error(c, &r->code.span, "duplicate",
                                    "reason '%s' is used twice in scope '%s'", r->code.s,
                                    s->name.s);
        mr->verdict = r->verdict;
        mr->code = r->code.s;
        mr->when = compile_condition(c, r->when);
        mr->quote = r->quote.s;
        mr->note = r->note.s;
        mr->article = r->article.s ? r->article.s : s->article.s;
        mr->cite = casus_checker_source(c, &r->cite);
        dates_of(&r->dates, &mr->from, &mr->until);
        check_dates(c, &r->dates);
        mr->span = r->span;
        if (r->verdict == CASUS_RULE_CONTESTED && !r->note.s)
            casus_checker_error(c, &r->code.span, "missing-field",
                                "contested rule '%s' must say why in a 'note'", r->code.s);
    }
    m->rules = rules;
    m->nrules = n;
    if (!s->otherwise) {
        struct casus_span sp = s->name.span;
        struct casus_diag *g = casus_checker_error(c, &sp, "missing-field",
                                                   "scope '%s' has no 'otherwise' rule", s->name.s);
        casus_diag_note(c->d, g,
                        "add e.g. 'otherwise outside_scope { note \"…\" }' so every "
                        "incident gets a reason");
    } else {
        struct casus_mrule *o = casus_checker_alloc(c, sizeof *o);
        if (!o)
            return NULL;
        o->verdict = CASUS_RULE_NOT_COVERED;
        o->code = s->otherwise->code.s;
        o->quote = s->otherwise->quote.s;
        o->note = s->otherwise->note.s;
        o->article = s->otherwise->article.s ? s->otherwise->article.s : s->article.s;
        o->cite = casus_checker_source(c, &s->otherwise->cite);
        o->from = CASUS_DATE_MIN;
        o->until = CASUS_DATE_MAX;
        o->span = s->otherwise->span;
        m->otherwise = o;
    }
    return m;
}

static struct casus_mtreaty *check_treaty(struct checker *c, const struct casus_ast_treaty *t)
{
    struct casus_mtreaty *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->id = t->name.s;
    m->title = t->title.s ? t->title.s : t->name.s;
    m->short_title = t->short_title.s;
    m->note = t->note.s;
    m->signed_on = t->has_signed ? t->signed_on : CASUS_DATE_MIN;
    m->in_force = t->has_in_force ? t->in_force : m->signed_on;
    m->terminated = t->has_terminated ? t->terminated : CASUS_DATE_MAX;
    m->cite = casus_checker_source(c, &t->cite);
    if (!t->cite.s)
        casus_checker_error(c, &t->name.span, "missing-field",
                            "treaty '%s' cites no source for its text", t->name.s);
    if (!t->parties)
        casus_checker_error(c, &t->name.span, "missing-field", "treaty '%s' has no parties",
                            t->name.s);

    c->in_treaty = true;
    if (!casus_checker_stage_lets(c, t->lets, &c->treaty_lets, &c->ntreaty_lets))
        return NULL;

    uint32_t n = 0;
    struct casus_mperiod *parties = build_periods(c, t->parties, &n, true);
    m->parties = parties;
    m->nparties = n;
    for (uint32_t i = 1; parties && i < n; i++)
        if (parties[i].who == parties[i - 1].who && parties[i].from < parties[i - 1].until &&
            parties[i].who >= 0)
            casus_checker_error(c, &t->name.span, "overlap",
                                "party '%s' has overlapping periods in '%s'",
                                actor_at(c, parties[i].who)->code, t->name.s);
    /* Dense index by actor: every actor known now, staged ones included. */
    uint32_t na = c->e->nactors + c->nactors;
    uint32_t *first = casus_checker_alloc(c, (na ? na : 1) * sizeof *first);
    uint32_t *count = casus_checker_alloc(c, (na ? na : 1) * sizeof *count);
    if (!first || !count)
        return NULL;
    for (uint32_t i = 0; parties && i < n; i++) {
        if (parties[i].who < 0)
            continue;
        if (!count[parties[i].who])
            first[parties[i].who] = i;
        count[parties[i].who]++;
    }
    m->party_first = first;
    m->party_count = count;
    m->nindexed = na;

    /* councils */
    uint32_t nc = 0;
    for (const struct casus_ast_council *x = t->councils; x; x = x->next)
        nc++;
    struct casus_mcouncil *councils = casus_checker_alloc(c, (nc ? nc : 1) * sizeof *councils);
    if (!councils)
        return NULL;
    uint32_t k = 0;
    for (const struct casus_ast_council *x = t->councils; x; x = x->next, k++) {
        struct casus_mcouncil *mc = &councils[k];
        mc->name = x->name.s;
        mc->title = x->title.s ? x->title.s : x->name.s;
        mc->article = x->article.s;
        mc->note = x->note.s;
        mc->quote = x->quote.s;
        if (!x->rule.s) {
            casus_checker_error(c, &x->name.span, "missing-field",
                                "council '%s' has no decision 'rule'", x->name.s);
        } else {
            int r = resolve_vocab(c, &casus_vocab_rule, &x->rule);
            mc->rule = r < 0 ? CASUS_VOTE_consensus : (enum casus_vote_rule)r;
        }
        mc->members_are_parties = x->members_are_parties || x->nmembers == 0;
        int32_t *mem = casus_checker_alloc(c, (x->nmembers ? x->nmembers : 1) * sizeof *mem);
        if (!mem)
            return NULL;
        for (uint32_t i = 0; i < x->nmembers; i++)
            mem[i] = resolve_actor(c, &x->members[i]);
        mc->members = mem;
        mc->nmembers = x->nmembers;
        mc->cite = casus_checker_source(c, &x->cite);
    }
    m->councils = councils;
    m->ncouncils = nc;

    /* scopes, compiled in order */
    uint32_t ns = 0;
    for (const struct casus_ast_scope *s = t->scopes; s; s = s->next)
        ns++;
    const struct casus_mscope **scopes = casus_checker_alloc(c, (ns ? ns : 1) * sizeof *scopes);
    if (!scopes)
        return NULL;
    k = 0;
    for (const struct casus_ast_scope *s = t->scopes; s; s = s->next, k++) {
        for (const struct casus_ast_scope *o = t->scopes; o != s; o = o->next)
            if (strcmp(o->name.s, s->name.s) == 0)
                casus_checker_error(c, &s->name.span, "duplicate", "scope '%s' is defined twice",
                                    s->name.s);
        scopes[k] = check_scope(c, s);
    }

    /* clauses */
    uint32_t ncl = 0;
    for (const struct casus_ast_clause *x = t->clauses; x; x = x->next)
        ncl++;
    struct casus_mclause *clauses = casus_checker_alloc(c, (ncl ? ncl : 1) * sizeof *clauses);
    if (!clauses)
        return NULL;
    k = 0;
    for (const struct casus_ast_clause *x = t->clauses; x; x = x->next, k++) {
        struct casus_mclause *mc = &clauses[k];
        mc->name = x->name.s;
        mc->article = x->article.s;
        mc->title = x->title.s;
        mc->quote = x->quote.s;
        mc->note = x->note.s;
        mc->trigger = x->trigger.s;
        mc->cite = casus_checker_source(c, &x->cite);
        dates_of(&x->dates, &mc->from, &mc->until);
        check_dates(c, &x->dates);
        if (!x->article.s)
            casus_checker_error(c, &x->name.span, "missing-field", "clause '%s' has no 'article'",
                                x->name.s);
        if (!x->quote.s)
            casus_checker_error(c, &x->name.span, "missing-field",
                                "clause '%s' does not quote its text ('quote \"…\"')", x->name.s);
        if (!x->trigger.s)
            casus_checker_error(c, &x->name.span, "missing-field", "clause '%s' has no 'trigger'",
                                x->name.s);
        if (x->obligation.s) {
            int o = resolve_vocab(c, &casus_vocab_obligation, &x->obligation);
            mc->obligation = o < 0 ? CASUS_OBLIGATION_consultation : (enum casus_obligation)o;
        } else {
            casus_checker_error(c, &x->name.span, "missing-field",
                                "clause '%s' has no 'obligation'", x->name.s);
        }
        mc->obligation_text = x->obligation_text.s;
        if (x->decided_by.s) {
            int dcd = resolve_vocab(c, &casus_vocab_decider, &x->decided_by);
            mc->decided_by = dcd < 0 ? CASUS_DECIDER_each_party : (enum casus_decider)dcd;
        }
        mc->decided_by_text = x->decided_by_text.s;
        if (x->scope.s) {
            uint32_t i = 0;
            const struct casus_ast_scope *s = t->scopes;
            for (; s && strcmp(s->name.s, x->scope.s) != 0; s = s->next, i++)
                ;
            if (!s) {
                struct casus_diag *g =
                    casus_checker_error(c, &x->scope.span, "unknown-scope",
                                        "no scope '%s' in treaty '%s'", x->scope.s, t->name.s);
                const char *names[64];
                size_t nn = 0;
                for (s = t->scopes; s && nn < 64; s = s->next)
                    names[nn++] = s->name.s;
                const char *best = casus_suggest(x->scope.s, names, nn, sizeof(const char *));
                if (best)
                    casus_diag_note(c->d, g, "did you mean '%s'?", best);
            } else {
                mc->scope = scopes[i];
            }
        }
        if (x->council.s) {
            uint32_t i = 0;
            for (; i < nc && strcmp(councils[i].name, x->council.s) != 0; i++)
                ;
            if (i == nc)
                casus_checker_error(c, &x->council.span, "unknown-council",
                                    "no council '%s' in treaty '%s'", x->council.s, t->name.s);
            else
                mc->council = &councils[i];
        }
        if (mc->decided_by == CASUS_DECIDER_council && !x->council.s)
            casus_checker_error(
                c, &x->decided_by.span, "missing-field",
                "clause '%s' is decided by a council but names none ('council NAME')", x->name.s);
    }
    m->clauses = clauses;
    m->nclauses = ncl;
    casus_checker_compile_lets(c, c->treaty_lets, c->ntreaty_lets);
    c->in_treaty = false;
    c->treaty_lets = NULL;
    c->ntreaty_lets = 0;
    return m;
}

casus_status casus_check_file(struct casus_engine *e, const struct casus_ast_file *f)
{
    struct checker c;
    memset(&c, 0, sizeof c);
    c.e = e;
    c.d = &e->diags;
    c.a = &e->arena;
    size_t errors_before = e->diags.nerrors;
    c.errors_before = errors_before;

    check_sources(&c, f);
    check_actors(&c, f);
    casus_checker_stage_lets(&c, f->lets, &c.file_lets, &c.nfile_lets);
    casus_checker_compile_lets(&c, c.file_lets, c.nfile_lets);

    struct casus_msov **sovs = NULL;
    uint32_t nsovs = 0, capsovs = 0;
    check_sovereignties(&c, f, &sovs, &nsovs, &capsovs);

    struct casus_mtreaty **treaties = NULL;
    uint32_t ntreaties = 0, captreaties = 0;
    for (const struct casus_ast_treaty *t = f->treaties; t && !c.oom; t = t->next) {
        bool dup = casus_symtab_get(&e->treaty_ix, t->name.s, strlen(t->name.s)) >= 0;
        for (uint32_t i = 0; i < ntreaties; i++)
            dup |= strcmp(treaties[i]->id, t->name.s) == 0;
        if (dup) {
            casus_checker_error(&c, &t->name.span, "duplicate", "treaty '%s' is declared twice",
                                t->name.s);
            continue;
        }
        struct casus_mtreaty *m = check_treaty(&c, t);
        if (m)
            casus_checker_push(&c, (void ***)&treaties, &ntreaties, &captreaties, m);
    }
    casus_check_ladders(&c, f);
    c.treaties = treaties; /* councils of this file's treaties are usable */
    c.ntreaties = ntreaties;
    casus_check_scenarios(&c, f);
    if (c.oom)
        return CASUS_ENOMEM;
    if (e->diags.nerrors > errors_before)
        return CASUS_ECOMPILE;

    /* Commit. */
    for (uint32_t i = 0; i < c.nsources; i++) {
        struct casus_msource *s = c.sources[i];
        if (casus_symtab_put(&e->source_ix, &e->arena, s->id, strlen(s->id),
                             (int32_t)e->nsources) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->sources, &e->nsources, &e->capsources, s))
            return CASUS_ENOMEM;
    }
    for (uint32_t i = 0; i < c.nactors; i++) {
        struct casus_mactor *a = c.actors[i];
        if (casus_symtab_put(&e->actor_ix, &e->arena, a->code, strlen(a->code),
                             (int32_t)e->nactors) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->actors, &e->nactors, &e->capactors, a))
            return CASUS_ENOMEM;
    }
    for (uint32_t i = 0; i < nsovs; i++)
        if (casus_symtab_put(&e->sov_ix, &e->arena, sovs[i]->unit, strlen(sovs[i]->unit),
                             (int32_t)e->nsovs) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->sovs, &e->nsovs, &e->capsovs, sovs[i]))
            return CASUS_ENOMEM;
    for (uint32_t i = 0; i < ntreaties; i++)
        if (casus_symtab_put(&e->treaty_ix, &e->arena, treaties[i]->id, strlen(treaties[i]->id),
                             (int32_t)e->ntreaties) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->treaties, &e->ntreaties, &e->captreaties,
                                treaties[i]))
            return CASUS_ENOMEM;
    for (uint32_t i = 0; i < c.nladders; i++)
        if (casus_symtab_put(&e->ladder_ix, &e->arena, c.ladders[i]->name,
                             strlen(c.ladders[i]->name), (int32_t)e->nladders) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->ladders, &e->nladders, &e->capladders,
                                c.ladders[i]))
            return CASUS_ENOMEM;
    for (uint32_t i = 0; i < c.nscenarios; i++) {
        if (casus_symtab_put(&e->scenario_ix, &e->arena, c.scenarios[i]->name,
                             strlen(c.scenarios[i]->name), (int32_t)e->nscenarios) != CASUS_OK ||
            !casus_checker_push(&c, (void ***)&e->scenarios, &e->nscenarios, &e->capscenarios,
                                c.scenarios[i]))
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}
