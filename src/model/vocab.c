/*
 * vocab.c — the closed vocabularies of the model (objects, regions,
 * attribution, obligations, deciders, council rules, voting modes, ocean
 * basins, kinds of actor alias): their spellings, for the checker that reads them from source and
 * for the verdicts and reports that print them.  Tables only; the enums are
 * X-macro lists in model.h.
 */
#include "model/model.h"

#define NAME_STR(n) #n,
static const char *const object_names[] = {CASUS_OBJECT_LIST(NAME_STR)};
static const char *const region_names[] = {CASUS_REGION_LIST(NAME_STR)};
static const char *const attrib_names[] = {CASUS_ATTRIB_LIST(NAME_STR)};
static const char *const obligation_names[] = {CASUS_OBLIGATION_LIST(NAME_STR)};
static const char *const decider_names[] = {CASUS_DECIDER_LIST(NAME_STR)};
static const char *const rule_names[] = {CASUS_RULE_LIST(NAME_STR)};
static const char *const alias_names[] = {CASUS_ALIAS_LIST(NAME_STR)};
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
const struct casus_vocab casus_vocab_basin = VOCAB("basin", basin_names);
const struct casus_vocab casus_vocab_alias = VOCAB("alias kind", alias_names);

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

static const char *const family_names[] = {
#define X(n, nargs) #n,
    CASUS_FAMILY_LIST(X)
#undef X
};
_Static_assert(CASUS_ARRAY_LEN(family_names) == CASUS_FAMILY_COUNT, "family table");
const struct casus_vocab casus_vocab_family = VOCAB("distribution", family_names);
