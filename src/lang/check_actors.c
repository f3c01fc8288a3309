/*
 * check_actors.c — checking the alias table (`aliases ACTOR { … }` blocks,
 * data/actors.casus): every alias names a declared actor, has a known
 * kind, a value of the right shape and a cited source; it is normalised the
 * way lookups normalise (casus_name_normalize).  A code (ISO 3166 alpha-2
 * or alpha-3, a Correlates of War number or letter code) may name one actor
 * only; a name may name several ("Congo") and is then refused, with its
 * candidates, when used.  Staged in the checker; committed by check_file.c
 * when the file has no error.
 */
#include "geo/gazetteer.h"
#include "lang/check.h"

#include <stdlib.h>

/* An alias already staged or loaded with the same kind and key. */
static const struct casus_malias *find_same(const struct checker *c, enum casus_alias_kind kind,
                                            const char *key)
{
    int32_t i = casus_symtab_get(&c->e->alias_ix, key, strlen(key));
    for (; i >= 0; i = c->e->aliases[i]->next)
        if (c->e->aliases[i]->kind == kind)
            return c->e->aliases[i];
    for (uint32_t k = 0; k < c->naliases; k++)
        if (c->aliases[k]->kind == kind && strcmp(c->aliases[k]->key, key) == 0)
            return c->aliases[k];
    return NULL;
}

/* A COW number: 1 to 999, digits only. */
static bool cow_number(const char *s, int32_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 999)
        return false;
    *out = (int32_t)v;
    return true;
}

/* One alias of actor `who`; NULL after an error. */
static struct casus_malias *check_alias(struct checker *c, int32_t who,
                                        const struct casus_ast_aliases *b,
                                        const struct casus_ast_alias *x)
{
    int kind = casus_checker_vocab(c, &casus_vocab_alias, &x->kind);
    struct casus_malias *m = casus_checker_alloc(c, sizeof *m);
    char key[128];
    size_t klen =
        x->value.s ? casus_name_normalize(x->value.s, strlen(x->value.s), key, sizeof key) : 0;
    if (kind < 0 || !m)
        return NULL;
    int32_t cow = -1;
    if (kind == CASUS_ALIAS_cow && !cow_number(x->value.s, &cow)) {
        casus_checker_error(c, &x->value.span, "bad-number",
                            "a Correlates of War number is a whole number from 1 to 999");
        return NULL;
    }
    if (!klen) {
        casus_checker_error(c, &x->value.span, "bad-alias", "an alias needs a letter or digit");
        return NULL;
    }
    const struct casus_name *cite = x->cite.s ? &x->cite : &b->cite;
    if (!cite->s)
        casus_checker_error(c, &x->kind.span, "missing-field", "alias '%s' of '%s' cites no source",
                            x->value.s, b->actor.s);
    m->text = x->value.s;
    m->key = casus_arena_strndup(c->a, key, klen);
    m->actor = who;
    m->kind = (enum casus_alias_kind)kind;
    m->cite = casus_checker_source(c, cite);
    m->next = -1;
    if (!m->key) {
        c->oom = true;
        return NULL;
    }
    const struct casus_malias *same = find_same(c, m->kind, m->key);
    if (same && (same->actor == who || kind != CASUS_ALIAS_name)) {
        casus_checker_error(c, &x->value.span, "duplicate", "alias '%s' is already given to '%s'",
                            x->value.s, casus_checker_actor_at(c, same->actor)->code);
        return NULL;
    }
    return m;
}

void casus_checker_aliases(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_aliases *b = f->aliases; b && !c->oom; b = b->next) {
        int32_t who = casus_checker_actor(c, &b->actor);
        if (who < 0)
            continue;
        for (const struct casus_ast_alias *x = b->items; x; x = x->next) {
            struct casus_malias *m = check_alias(c, who, b, x);
            if (m)
                casus_checker_push(c, (void ***)&c->aliases, &c->naliases, &c->capaliases, m);
        }
    }
}

bool casus_checker_commit_aliases(struct checker *c)
{
    struct casus_engine *e = c->e;
    for (uint32_t i = 0; i < c->naliases; i++) {
        struct casus_malias *m = c->aliases[i];
        size_t klen = strlen(m->key);
        m->next = casus_symtab_get(&e->alias_ix, m->key, klen);
        int32_t idx = (int32_t)e->naliases;
        if (!casus_checker_push(c, (void ***)&e->aliases, &e->naliases, &e->capaliases, m) ||
            casus_symtab_put(&e->alias_ix, c->a, m->key, klen, idx) != CASUS_OK)
            return false;
        struct casus_mactor *a = (struct casus_mactor *)casus_checker_actor_at(c, m->actor);
        if (m->kind == CASUS_ALIAS_iso2 && !a->iso2)
            a->iso2 = m->text;
        else if (m->kind == CASUS_ALIAS_cow_abb && !a->cow_abb)
            a->cow_abb = m->text;
        else if (m->kind == CASUS_ALIAS_cow && a->cow < 0)
            a->cow = (int32_t)strtol(m->text, NULL, 10);
    }
    return true;
}
