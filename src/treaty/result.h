/*
 * result.h — the inside of a casus_result, shared by verdict.c (which fills
 * it) and report.c (which renders it).
 *
 * A result is reused across incidents: casus_check() resets it without
 * freeing, so a batch run allocates only while results grow.  The trace
 * strings are built lazily, on the first call that needs them (accessor or
 * renderer), because a batch that writes only verdicts and reasons should
 * not pay for formatting prose.
 */
#ifndef CASUS_RESULT_H
#define CASUS_RESULT_H

#include "model/engine.h"
#include "geo/geo.h"

#define CASUS_MAX_VERDICTS 32
#define CASUS_MAX_REASONS  12

/* The incident, with names resolved. */
struct casus_ctx {
    int32_t object;           /* enum casus_object */
    int32_t victim, attacker; /* actor indices */
    casus_date date;
    double lat, lon;
    int32_t sovereign; /* actor index or -1 */
    int32_t de_facto;  /* actor index or -1 */
    const char *unit;
    int32_t region; /* enum casus_region or -1 */
    bool island, at_sea;
    const char *island_basin, *sea, *basin;
    int32_t attribution;                /* enum casus_attrib */
    const struct casus_mtreaty *treaty; /* for party() */
};

struct casus_rverdict {
    const struct casus_mtreaty *treaty;
    const struct casus_mclause *clause;
    casus_coverage covered;
    bool in_force, party;
    const struct casus_mperiod *period; /* membership that applies */
    const char *reasons[CASUS_MAX_REASONS];
    uint32_t nreasons;
    const struct casus_mrule *decisive[CASUS_MAX_REASONS]; /* rules that decided */
    uint32_t ndecisive;
    uint32_t trace_first, ntrace; /* into casus_result.trace */
};

struct casus_result {
    const struct casus_engine *e;
    struct casus_ctx ctx;
    casus_location loc;
    char attacker[16], victim[16], object[16], place[96];
    const char *place_note;
    bool has_place;
    struct casus_rverdict v[CASUS_MAX_VERDICTS];
    uint32_t nv;
    casus_error err; /* of the last casus_check */
    /* lazily built trace */
    bool trace_built;
    struct casus_arena trace_arena;
    const char **trace;
    uint32_t ntrace, captrace;
};

/* Build the trace strings if not yet built; CASUS_ENOMEM on failure. */
CASUS_INTERNAL casus_status casus_result_build_trace(casus_result *r);

/* The source text of a span (for quoting conditions in traces). */
CASUS_INTERNAL const char *casus_span_text(const struct casus_engine *e, const struct casus_span *s,
                                           uint32_t *len);

/* Evaluate a condition; result of a boolean condition in *ok. */
CASUS_INTERNAL bool casus_eval_bool(const struct casus_cx *x, const struct casus_ctx *c);

/* Name of an actor index, or "none". */
CASUS_INTERNAL const char *casus_actor_code(const struct casus_engine *e, int32_t i);

#endif
