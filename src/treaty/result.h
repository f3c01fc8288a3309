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
#include "geo/gazetteer.h"
#include "geo/geo.h"

#define CASUS_MAX_VERDICTS 32
#define CASUS_MAX_REASONS  12

#define CASUS_MAX_CLAIMS 8

/* The incident, with names resolved. */
struct casus_ctx {
    int32_t object;           /* enum casus_object */
    int32_t victim, attacker; /* actor indices */
    casus_date date;
    double lat, lon;
    int32_t sovereign;                /* actor index or -1 */
    int32_t de_facto;                 /* administered_by when it differs from sovereign, else -1 */
    int32_t administered_by;          /* actor index or -1 (the sovereign unless a record says) */
    int32_t claims[CASUS_MAX_CLAIMS]; /* claimed-by on the date */
    uint32_t nclaims;
    /* the record of data/world.casus that applied, and its lines (or NULL) */
    const struct casus_msov *record;
    const struct casus_mperiod *sov_line, *adm_line;
    const struct casus_mclaims *claim_seg;
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
    const struct casus_mreading *readings[CASUS_MAX_REASONS]; /* readings that held */
    uint32_t nreadings;
    uint32_t trace_first, ntrace; /* into casus_result.trace */
};

struct casus_result {
    const struct casus_engine *e;
    struct casus_ctx ctx;
    casus_location loc;
    char attacker[16], victim[16], object[16];
    bool has_place;
    /* how the incident's words were read: an alias ("UK" for GBR), or an
     * ambiguous place name settled by the victim ("Hamilton") */
    struct casus_actor_match victim_read, attacker_read;
    char victim_asked[64], attacker_asked[64], place_asked[96];
    const struct casus_place *place_cands[CASUS_MAX_CANDIDATES];
    uint32_t nplace_cands; /* > 1: the place name was ambiguous */
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

/* ---- holdings and places (holding.c) ---- */

/* Apply the dated record of the gazetteer place (NULL for a point), else
 * of unit, else of the state sov, to c on c->date:
 * sovereign (c->sovereign keeps the map's when no sovereign line applies),
 * administered_by, de_facto, claims and the lines used.  O(lines). */
CASUS_INTERNAL void casus_apply_holdings(const casus_engine *e, struct casus_ctx *c,
                                         const char *place, const char *unit, const char *sov);

/* Fill loc's sovereign and de_facto from c; when a record applies, also
 * administered_by (when a line says who administers), claimed_by,
 * area_source (the source of the administration or claim line) and note
 * (from the record's line), replacing what the geography's table said. */
CASUS_INTERNAL void casus_holding_location(const casus_engine *e, const struct casus_ctx *c,
                                           casus_location *loc);

/* The place a name the gazetteer does not know stands for: the one entry
 * whose bare name it is, or among several the one on the victim's
 * territory on date d (victim -1: none can be settled).  CASUS_ENOTFOUND
 * without a message when no entry has that bare name; with an
 * "ambiguous-place" message listing the candidates when several remain.
 * r (optional) records the candidates for the trace. */
CASUS_INTERNAL casus_status casus_place_pick(const casus_engine *e, const char *name, casus_date d,
                                             int32_t victim, casus_result *r, casus_error *err,
                                             const struct casus_place **out);

/* ---- what a verdict hinges on (hinge.c) ---- */

/* "file:line" of a span of a loaded source. */
CASUS_INTERNAL void casus_span_where(const casus_engine *e, const struct casus_span *s,
                                     casus_buf *b);
/* Does a condition read who holds the place (sovereign, de-facto,
 * administered-by, claimed-by)? */
CASUS_INTERNAL bool casus_cx_reads_holding(const struct casus_cx *x);
/* The trace line of the record of data/world.casus that applied, with the
 * file and line of each of its lines; false (nothing written) if none. */
CASUS_INTERNAL bool casus_holding_line(const casus_result *r, casus_buf *b);
/* The trace line of a reading that held. */
CASUS_INTERNAL void casus_reading_line(const casus_result *r, const struct casus_mreading *x,
                                       casus_buf *b);
/* " — hinges on: …" for the Answer line: v's readings, the holding record
 * when v's scope read it, an unnamed attacker; nothing when none. */
CASUS_INTERNAL void casus_answer_hinges(const casus_result *r, const struct casus_rverdict *v,
                                        casus_buf *b);
/* "Warning: …\n" when the incident calls a place the victim's territory
 * and the records say otherwise; false (nothing written) otherwise. */
CASUS_INTERNAL bool casus_answer_warning(const casus_result *r, casus_buf *b);
/* "  read: victim 'UK' as GBR …\n" when an alias or an ambiguous place
 * name was read; false (nothing written) otherwise. */
CASUS_INTERNAL bool casus_read_line(const casus_result *r, casus_buf *b);

/* What scope s concludes for c (covered, else contested, else not), without
 * reasons: for asking what another reading of the incident would give. */
CASUS_INTERNAL casus_coverage casus_scope_coverage(const struct casus_mscope *s,
                                                   const struct casus_ctx *c);

/* Name of an actor index, or "none". */
CASUS_INTERNAL const char *casus_actor_code(const struct casus_engine *e, int32_t i);

#endif
