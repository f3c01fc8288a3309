/*
 * gtree.h — the extensive-form game representation that every game reader
 * (efg.c), writer and solver (eq_*.c) works on.
 *
 * A game is a set of flat arrays, not a web of pointers:
 *   - nodes in preorder (node 0 is the root; a node's subtree is the index
 *     range [n, n + size)), each with a kind, parent, children (a slice of
 *     `child`), information set and outcome;
 *   - information sets grouped by player (chance = player 0 first, then
 *     players 1..n), and within a player in order of their first member in
 *     preorder — exactly the order in which Gambit prints behaviour profiles;
 *   - actions grouped by information set, in file order, so a behaviour
 *     profile is one array of doubles indexed by action (chance actions hold
 *     the chance probabilities);
 *   - outcomes with one payoff per player; payoffs of every outcome on the
 *     path from the root to a terminal node add up, as in Gambit.
 *
 * Numbers keep three views (struct casus_num): the original text (so a
 * written file prints `0.5` as `0.5` and round-trips byte for byte), the
 * exact rational value as int64 num/den when it fits (used to check that
 * chance probabilities sum to exactly one and to compare numbers exactly),
 * and the nearest double, which is what solvers use.  Keeping the text
 * instead of arbitrary-precision rationals avoids a bignum dependency; values
 * that do not fit int64 (den == 0) fall back to doubles for the checks.
 *
 * Ownership: a struct casus_gtree owns everything it points to through one
 * arena; casus_gtree_free() releases it.  Games are immutable after a reader
 * returns them, so solvers take `const struct casus_gtree *` and several
 * threads may solve one game at once.
 */
#ifndef CASUS_GAME_H
#define CASUS_GAME_H

#include "base/arena.h"

#define CASUS_NONE UINT32_MAX

/* A number as written in a game file. */
struct casus_num {
    double d;         /* nearest double (renormalised for chance moves) */
    int64_t num;      /* exact value num/den in lowest terms, den > 0 ... */
    int64_t den;      /* ... or den == 0 when it does not fit int64 */
    const char *text; /* original spelling, NUL-terminated, arena-owned */
};

enum casus_node_kind { CASUS_NODE_TERMINAL = 0, CASUS_NODE_CHANCE = 1, CASUS_NODE_DECISION = 2 };

struct casus_game_node {
    uint32_t parent;  /* CASUS_NONE for the root */
    uint32_t child0;  /* first child in game->child[] */
    uint32_t nchild;  /* = actions of the information set; 0 for terminals */
    uint32_t iset;    /* information set index, CASUS_NONE for terminals */
    uint32_t outcome; /* outcome index, CASUS_NONE for the null outcome */
    uint32_t pos;     /* index among the parent's children (the action taken) */
    uint32_t size;    /* nodes in the subtree, this one included */
    uint8_t kind;     /* enum casus_node_kind */
    const char *label;
};

struct casus_game_iset {
    uint32_t player;  /* 0 = chance, 1..nplayers */
    uint32_t nact;    /* number of actions (>= 1) */
    uint32_t act0;    /* first action in game->act[] */
    uint32_t mem0;    /* first member in game->member[] */
    uint32_t nmem;    /* number of member nodes (>= 1) */
    uint32_t file_id; /* the infoset number used in the source file */
    const char *label;
};

struct casus_game_action {
    const char *label;
    uint32_t iset;         /* owning information set */
    struct casus_num prob; /* chance actions only (text NULL otherwise) */
};

struct casus_game_outcome {
    const char *label;
    uint32_t file_id;      /* outcome number in the source file */
    struct casus_num *pay; /* nplayers payoffs */
};

struct casus_gtree {
    struct casus_alloc alloc; /* copy of the allocator the game came from */
    struct casus_arena arena; /* owns every array and string below */
    const char *title;
    const char *comment; /* description string; "" when absent */
    uint32_t nplayers;
    const char **player; /* nplayers labels (player i + 1 is player[i]) */
    uint32_t nnodes, niset, nact, noutcome;
    struct casus_game_node *node;  /* nnodes, preorder */
    uint32_t *child;               /* children of all nodes, sliced by child0 */
    struct casus_game_iset *iset;  /* niset, grouped by player */
    uint32_t *member;              /* members of all isets, sliced by mem0, preorder */
    struct casus_game_action *act; /* nact, grouped by iset */
    struct casus_game_outcome *outcome;
    uint32_t *pl_iset0;   /* nplayers + 2: player p's isets are
                             [pl_iset0[p], pl_iset0[p + 1]) */
    double *pay;          /* noutcome * nplayers payoffs as doubles */
    double *chance;       /* nact: chance probability (renormalised),
                             0 for personal actions */
    bool perfect_recall;  /* see casus_game_check_recall */
    uint32_t recall_iset; /* first iset violating perfect recall */
    bool perfect_info;    /* every personal infoset is a single node */
    bool has_chance;
    uint32_t pact0;          /* first non-chance action: behaviour profiles
                                as Gambit prints them are act[pact0..nact) */
    double pay_min, pay_max; /* over all outcome payoffs (0 if none) */
};

/* Limits protecting readers and solvers from hostile input.  Zero fields in
 * a caller's struct are not allowed; start from CASUS_GTREE_LIMITS_INIT. */
struct casus_gtree_limits {
    size_t max_bytes;   /* source text size */
    uint32_t max_nodes; /* tree nodes (efg) or table cells (nfg) */
    uint32_t max_players;
    uint32_t max_actions;  /* actions in one infoset, strategies of one player */
    uint64_t max_profiles; /* pure-profile enumeration budget of eq_pure */
    size_t max_memory;     /* bytes a solver's large tables may take (0: no estimate check;
                              casus_game_solve sets its memory budget here) */
};
#define CASUS_GTREE_LIMITS_INIT                                                                    \
    {                                                                                              \
        (size_t)256 << 20, 20000000u, 1000u, 100000u, 50000000u, 0                                 \
    }

/* Free a game and everything it owns.  NULL is a no-op. */
CASUS_INTERNAL void casus_gtree_free(struct casus_gtree *g);

/* ---- building (used by the readers; also handy for tests) ------------ */

/* A builder accumulates a game node by node in preorder, then
 * casus_gtree_builder_finish() validates it, sorts infosets into the
 * canonical order and computes derived data.  All memory lives in the
 * game's arena, so abandoning a half-built game is one casus_gtree_free(). */
struct casus_gtree_builder {
    struct casus_gtree *g;
    uint32_t cap_node, cap_child, cap_iset, cap_act, cap_out;
    uint32_t nchild_used;
    struct casus_gtree_limits lim;
};

/* Start a game with the given players.  Labels are copied.  Errors:
 * CASUS_ENOMEM; CASUS_ELIMIT if nplayers exceeds lim->max_players. */
CASUS_INTERNAL casus_status casus_gtree_builder_init(struct casus_gtree_builder *b,
                                                     const struct casus_alloc *alloc,
                                                     const struct casus_gtree_limits *lim,
                                                     const char *title, const char *comment,
                                                     uint32_t nplayers, const char *const *players);

/* Add an information set for player p (0 = chance) with nact actions whose
 * labels are copied; probs (chance only, else NULL) are copied.  *out gets
 * its index.  Errors: CASUS_ENOMEM, CASUS_ELIMIT, CASUS_EINVAL (bad player,
 * nact == 0). */
CASUS_INTERNAL casus_status casus_gtree_add_iset(struct casus_gtree_builder *b, uint32_t player,
                                                 uint32_t file_id, const char *label, uint32_t nact,
                                                 const char *const *labels,
                                                 const struct casus_num *probs, uint32_t *out);

/* Add an outcome with nplayers payoffs (copied). */
CASUS_INTERNAL casus_status casus_gtree_add_outcome(struct casus_gtree_builder *b, uint32_t file_id,
                                                    const char *label, const struct casus_num *pay,
                                                    uint32_t *out);

/* Add the next node in preorder.  It becomes the next unfilled child of the
 * innermost unfinished node (the first call adds the root).  iset is
 * CASUS_NONE for a terminal node; outcome CASUS_NONE for none.
 * Errors: CASUS_ENOMEM, CASUS_ELIMIT (max_nodes), CASUS_ESTATE (the tree is
 * already complete), CASUS_EINVAL (bad index). */
CASUS_INTERNAL casus_status casus_gtree_add_node(struct casus_gtree_builder *b, const char *label,
                                                 uint32_t iset, uint32_t outcome);

/* True once the root's subtree is complete. */
CASUS_INTERNAL bool casus_gtree_builder_complete(const struct casus_gtree_builder *b);

/* Validate and canonicalise; on success *out owns the game and the builder
 * is empty.  Errors: CASUS_ESTATE if the tree is incomplete, CASUS_EINVAL if
 * an infoset has no member node, CASUS_ENOMEM.  On error the builder still
 * owns its game (call casus_gtree_builder_abandon). O(n log n). */
CASUS_INTERNAL casus_status casus_gtree_builder_finish(struct casus_gtree_builder *b,
                                                       struct casus_gtree **out);
CASUS_INTERNAL void casus_gtree_builder_abandon(struct casus_gtree_builder *b);

/* Numbers: parse a Gambit number token (decimal `-1.5e3`, `.5`, `5.`, or
 * rational `3/6`; no leading `+`, no `+` in exponents).  text is copied into
 * the arena when arena != NULL (else n->text stays NULL).  Errors:
 * CASUS_EINVAL for malformed text or a zero denominator, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status casus_num_parse(struct casus_arena *arena, const char *s, size_t len,
                                            struct casus_num *n);

/* A number with an exact integer value (text made by the arena). */
CASUS_INTERNAL casus_status casus_num_from_int(struct casus_arena *arena, int64_t v,
                                               struct casus_num *n);

/* ---- queries ------------------------------------------------------- */

/* Fill prob[0..nact) with the uniform behaviour profile (chance actions get
 * their chance probabilities). */
CASUS_INTERNAL void casus_gtree_uniform_profile(const struct casus_gtree *g, double *prob);

/* Do the structures, labels and numbers (by text) of two games agree?
 * Infoset and outcome file ids are not compared (writers renumber). */
CASUS_INTERNAL bool casus_gtree_equal(const struct casus_gtree *a, const struct casus_gtree *b);

/* Subgame roots: root[n] = true when node n is a non-terminal node whose
 * subtree contains every member of every information set it meets (the
 * root of the game is always one).  root must hold nnodes bools.  O(n). */
CASUS_INTERNAL void casus_gtree_subgame_roots(const struct casus_gtree *g, bool *root);

#endif
