/*
 * export.c — the game of one draw of a scenario, written for Gambit (.efg)
 * or Graphviz (`casus compile`): the policy's tree with that draw's
 * chance and council probabilities and its payoffs rescaled to [0, 1].
 */
#include "casus/run.h"

#include "game/efg.h"
#include "model/engine.h"
#include "game/gtree.h"
#include "model/sample.h"
#include "scenario/scen.h"

#include <math.h>

/* The scenario and policy index named, or NULL with *err set. */
static const struct casus_mscenario *find(const casus_engine *e, const char *scenario,
                                          const char *policy, uint32_t *p, casus_error *err)
{
    int32_t i = casus_symtab_get(&e->scenario_ix, scenario, strlen(scenario));
    const struct casus_mscenario *s = i >= 0 ? e->scenarios[i] : NULL;
    *p = 0;
    if (!s) {
        casus_error_set(err, CASUS_ENOTFOUND, "unknown-scenario", CASUS_INPUT_SCENARIO,
                        "unknown scenario '%s'", scenario);
        return NULL;
    }
    if (s->nnodes == 0) {
        casus_error_set(err, CASUS_EINVAL, "no-game", CASUS_INPUT_SCENARIO,
                        "scenario '%s' declares no game", s->name);
        return NULL;
    }
    if (!policy)
        return s;
    while (*p < s->npolicies && strcmp(s->policies[*p].name, policy) != 0)
        ++*p;
    if (*p < s->npolicies)
        return s;
    casus_error_set(err, CASUS_ENOTFOUND, "unknown-policy", CASUS_INPUT_POLICY,
                    "scenario '%s' has no policy '%s'", s->name, policy);
    return NULL;
}

casus_status casus_scenario_game(casus_engine *e, const char *scenario, const char *policy,
                                 uint64_t seed, uint64_t draw, bool dot, casus_buf *out,
                                 casus_error *err)
{
    casus_error local;
    if (!err)
        err = &local;
    casus_error_clear(err);
    uint32_t p;
    const struct casus_mscenario *s = find(e, scenario, policy, &p, err);
    if (!s)
        return err->status;
    struct casus_scen sc;
    casus_status st = casus_scen_compile(&sc, &e->alloc, s, p, 2000000u, NULL);
    if (st != CASUS_OK)
        return casus_error_set(err, st, "game-too-large", CASUS_INPUT_POLICY,
                               "the game of '%s' cannot be built (%s)", s->name,
                               casus_status_str(st));
    struct casus_arena a;
    casus_arena_init(&a, &e->alloc);
    struct casus_scen_ws w;
    double *values = casus_arena_alloc(&a, (s->nparams + 1) * sizeof *values);
    st = values ? casus_scen_ws_init(&w, &a, &sc) : CASUS_ENOMEM;
    struct casus_scen_fail fl;
    if (st == CASUS_OK) {
        casus_sample_draw(s, p, seed, draw, values);
        st = casus_scen_eval(&sc, values, NAN, &w, &fl);
        if (st != CASUS_OK)
            casus_error_set(err, st, "bad-draw", CASUS_INPUT_MODEL,
                            "draw %llu: node '%s' has the value %.17g", (unsigned long long)draw,
                            fl.gnode == CASUS_GNODE_NONE ? "lambda" : s->nodes[fl.gnode].name,
                            fl.value);
    }
    struct casus_gtree *g = NULL;
    if (st == CASUS_OK)
        st = casus_scen_to_game(&sc, &w, &e->alloc, &g, NULL);
    if (st == CASUS_OK)
        st = dot ? casus_efg_write_dot(g, out) : casus_efg_write(g, out);
    casus_gtree_free(g);
    casus_arena_release(&a);
    casus_scen_release(&sc);
    return st;
}
