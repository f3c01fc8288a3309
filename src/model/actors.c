/*
 * actors.c — the names actors go by: reading a name typed by a user or
 * written in a file as an actor (an exact code, else an alias of the table
 * in data/actors.casus: ISO 3166 alpha-2 and alpha-3, Correlates of War
 * numeric and letter codes, English short and common names), refusing an
 * alias that names several actors with its candidates, and proposing the
 * nearest name for an unknown one.  Also the public listing of actors and
 * their aliases (`casus actors`).
 *
 * Lookups are one hash probe on the normalised name (casus_name_normalize:
 * "U.S." and "us" alike); the aliases that normalise alike are chained.
 * Nothing here allocates; every function is read-only on the engine.
 */
#include "model/engine.h"
#include "base/suggest.h"
#include "geo/gazetteer.h"

#include <stdio.h>

/* Which aliases outrank which: ISO codes, then COW codes, then names. */
static int alias_tier(enum casus_alias_kind k)
{
    return k == CASUS_ALIAS_iso3 ? 0 : k == CASUS_ALIAS_iso2 ? 1 : k == CASUS_ALIAS_name ? 3 : 2;
}

/* The candidates of the best tier among the aliases keyed like head
 * (m->cands); an alias of another actor in a lower tier goes to m->also. */
static void match_tiers(const struct casus_engine *e, int32_t head, struct casus_actor_match *m)
{
    int best = 4;
    for (int32_t i = head; i >= 0; i = e->aliases[i]->next)
        if (alias_tier(e->aliases[i]->kind) < best)
            best = alias_tier(e->aliases[i]->kind);
    for (int32_t i = head; i >= 0; i = e->aliases[i]->next) {
        const struct casus_malias *a = e->aliases[i];
        if (alias_tier(a->kind) != best)
            continue;
        bool seen = false;
        for (uint32_t k = 0; k < m->ncands; k++)
            seen |= m->cands[k] == a->actor;
        if (!seen && m->ncands < CASUS_MAX_CANDIDATES)
            m->cands[m->ncands++] = a->actor;
        if (!m->alias)
            m->alias = a;
    }
    for (int32_t i = head; m->ncands == 1 && i >= 0; i = e->aliases[i]->next)
        if (e->aliases[i]->actor != m->cands[0] && !m->also)
            m->also = e->aliases[i];
}

int casus_actor_match(const struct casus_engine *e, const char *name, size_t len,
                      struct casus_actor_match *m)
{
    memset(m, 0, sizeof *m);
    m->actor = -1;
    char key[128];
    size_t klen = casus_name_normalize(name, len, key, sizeof key);
    int32_t head = klen ? casus_symtab_get(&e->alias_ix, key, klen) : -1;
    int32_t exact = casus_engine_actor(e, name, len);
    char upper[16];
    if (exact < 0 && len < sizeof upper) { /* "gbr", "kos": a code in lower case */
        for (size_t i = 0; i < len; i++)
            upper[i] = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 32) : name[i];
        exact = casus_engine_actor(e, upper, len);
    }
    if (exact >= 0) {
        m->actor = exact;
        for (int32_t i = head; i >= 0; i = e->aliases[i]->next)
            if (e->aliases[i]->actor != exact && !m->also)
                m->also = e->aliases[i];
        return 1;
    }
    match_tiers(e, head, m);
    if (m->ncands == 1) {
        m->actor = m->cands[0];
        return 1;
    }
    return m->ncands > 1 ? -1 : 0;
}

const char *casus_actor_suggest(const struct casus_engine *e, const char *name, size_t len,
                                const char **code)
{
    struct casus_suggest sg;
    casus_suggest_begin(&sg, name, len);
    for (uint32_t k = 0; k < e->nactors; k++)
        casus_suggest_offer(&sg, e->actors[k]->code, e->actors[k]->code);
    for (uint32_t k = 0; k < e->naliases; k++)
        casus_suggest_offer(&sg, e->aliases[k]->text, e->aliases[k]->text);
    const char *best = casus_suggest_best(&sg);
    *code = best;
    for (uint32_t k = 0; best && k < e->naliases; k++)
        if (e->aliases[k]->text == best)
            *code = e->actors[e->aliases[k]->actor]->code;
    return best;
}

void casus_actor_suggestion(const struct casus_engine *e, const char *name, size_t len, char *out,
                            size_t cap)
{
    const char *code, *best = casus_actor_suggest(e, name, len, &code);
    if (!best)
        out[0] = '\0';
    else if (best == code)
        snprintf(out, cap, " (did you mean '%s'?)", code);
    else
        snprintf(out, cap, " (did you mean '%s', %s?)", best, code);
}

void casus_actor_candidates(const struct casus_engine *e, const struct casus_actor_match *m,
                            char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < m->ncands && k + 1 < cap; i++) {
        const struct casus_mactor *a = e->actors[m->cands[i]];
        int n = snprintf(out + k, cap - k, "%s%s (%s)", i ? ", " : "", a->code,
                         a->name ? a->name : a->code);
        if (n < 0)
            break;
        k += (size_t)n;
    }
}

/* ---- the public listing ---- */

size_t casus_engine_actor_count(const casus_engine *e)
{
    return e->nactors;
}

static const char *const actor_kind_words[] = {"state", "organization", "historic"};

casus_status casus_engine_actor_info(const casus_engine *e, size_t i, casus_actor_info *out)
{
    memset(out, 0, sizeof *out);
    if (i >= e->nactors)
        return CASUS_EINVAL;
    const struct casus_mactor *a = e->actors[i];
    out->code = a->code;
    out->name = a->name;
    out->kind = actor_kind_words[a->kind];
    out->iso2 = a->iso2;
    out->cow_abb = a->cow_abb;
    out->cow = a->cow;
    for (uint32_t k = 0; k < e->naliases; k++)
        out->naliases += e->aliases[k]->actor == (int32_t)i;
    return CASUS_OK;
}

const char *casus_engine_actor_alias(const casus_engine *e, size_t i, size_t k, const char **kind,
                                     const char **source)
{
    for (uint32_t j = 0; j < e->naliases; j++) {
        const struct casus_malias *a = e->aliases[j];
        if (a->actor != (int32_t)i || k-- > 0)
            continue;
        if (kind)
            *kind = casus_vocab_alias.names[a->kind];
        if (source)
            *source = a->cite ? a->cite->id : NULL;
        return a->text;
    }
    return NULL;
}

casus_status casus_engine_find_actor(const casus_engine *e, const char *name, size_t *index,
                                     casus_error *err)
{
    struct casus_actor_match m;
    size_t len = name ? strlen(name) : 0;
    int r = name ? casus_actor_match(e, name, len, &m) : 0;
    if (r == 1) {
        *index = (size_t)m.actor;
        return CASUS_OK;
    }
    char buf[512];
    if (r < 0) {
        casus_actor_candidates(e, &m, buf, sizeof buf);
        return casus_error_set(err, CASUS_ENOTFOUND, "ambiguous-actor", CASUS_INPUT_NONE,
                               "'%s' names several actors: %s", name, buf);
    }
    casus_actor_suggestion(e, name ? name : "", len, buf, sizeof buf);
    return casus_error_set(err, CASUS_ENOTFOUND, "unknown-actor", CASUS_INPUT_NONE,
                           "unknown actor '%s'%s", name ? name : "",
                           buf[0] ? buf : " (see 'casus actors')");
}
