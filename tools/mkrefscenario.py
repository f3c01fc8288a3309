#!/usr/bin/env python3
"""Write bench/ref-scenario.casus, the fixed reference scenario of bench/bench_run.c.

The issue's performance target ("at least 100,000 draws per second, a full
quantal-response solve per draw") is measured on this scenario, not on the
flagship, so that it cannot be met by shrinking the flagship.  It has, for
every policy:

  * 254 decide and chance nodes in the expanded tree (a complete binary
    tree of depth 8: 85 decisions on the even levels, 169 chance nodes on
    the odd levels, and one council in place of the 170th chance node),
    each graph node reached exactly once, so the graph and tree counts agree;
  * 256 leaves, copies of 12 shared outcome nodes (4 rungs x 3 variants),
    the way a hand-written scenario reuses its outcomes;
  * one council of the North Atlantic Council on 2024-05-20 (32 members,
    consensus, sincere voting) in three groups;
  * 20 uncertain parameters (uniform, triangular, truncated normal, normal,
    beta) and 3 policies that override some of them.

Every probability and payoff is provably in [0, 1] by interval arithmetic
over the parameters' supports (weighted averages of [0, 1] quantities with
weights summing to at most 1), except the payoffs that add the normal
`bias` term, which are checked per draw: those lie in [0.23, 0.74] before
the bias, so leaving the scale would take |bias| > 11 sigma, beyond the
reach of a 53-bit uniform through the normal quantile (about 8.3 sigma).

Usage: python3 tools/mkrefscenario.py > bench/ref-scenario.casus
The output is deterministic; the committed file is this script's output.
"""

DEPTH = 8  # levels of decide/chance nodes; leaves at level DEPTH
ACTORS = ["RUS", "USA", "GBR", "FRA", "POL"]
DECIDERS = ["RUS", "USA", "RUS", "GBR", "RUS", "FRA", "RUS", "POL"]
RUNGS = ["calm", "crisis", "clash", "nuclear"]

# name, distribution; every probability-like parameter lies in [0, 1]
PARAMS = [
    ("lam", "uniform(4, 16)", "decision precision on the 0-1 utility scale"),
    ("p-hawk", "beta(2, 5)", "chance the leadership reads a move as hostile"),
    ("p-leak", "beta(3, 3)", "chance a deployment becomes public"),
    ("p-error", "beta(1.5, 6)", "chance of an accident or misattribution"),
    ("p-escal", "uniform(0.1, 0.6)", "chance a local clash spreads"),
    ("p-intel", "triangular(0.2, 0.5, 0.9)", "chance of timely warning"),
    ("p-resolve", "truncnormal(0.5, 0.15, 0, 1)", "resolve of the sending states"),
    ("p-domestic", "uniform(0.2, 0.8)", "domestic pressure to respond"),
    ("p-weather", "triangular(0, 0.3, 1)", "operational friction"),
    ("p-signal", "truncnormal(0.4, 0.2, 0, 1)", "clarity of signalling"),
    ("p-cyber", "uniform(0.05, 0.35)", "chance of a parallel cyber incident"),
    ("p-mobil", "triangular(0.1, 0.3, 0.6)", "chance of visible mobilisation"),
    ("cost-war", "uniform(0.2, 0.5)", "cost of a direct clash, share of the utility range"),
    ("cost-crisis", "triangular(0.05, 0.15, 0.3)", "cost of a crisis, share of the range"),
    ("gain-rus", "beta(4, 4)", "value to Russia of coercive success"),
    ("gain-west", "uniform(0.3, 0.7)", "value to the West of holding firm"),
    ("reput", "triangular(0.1, 0.4, 0.8)", "reputation at stake"),
    ("front-fear", "truncnormal(0.6, 0.15, 0, 1)", "frontline allies' fear of abandonment"),
    ("others-fear", "uniform(0.1, 0.5)", "other allies' fear of entrapment"),
    ("bias", "normal(0, 0.02)", "symmetric error in perceived stakes"),
]
PROBS = [p for p, _, _ in PARAMS if p.startswith("p-")]

POLICIES = [
    ("status-quo", "present posture", ["baseline"]),
    ("deterrence", "forward deterrence", [
        "set p-hawk = beta(2, 8)",
        "set front-fear = truncnormal(0.4, 0.15, 0, 1)",
        "set p-signal = truncnormal(0.6, 0.2, 0, 1)",
    ]),
    ("forward", "forward deployment of trainers", [
        "set p-escal = uniform(0.2, 0.8)",
        "set gain-west = uniform(0.4, 0.9)",
        "set p-leak = beta(5, 2)",
    ]),
]

# payoff lets per (actor, rung): in [0.1, 0.9] by construction
def payoff_let(actor, r):
    west = actor != "RUS"
    gain = "gain-west" if west else "gain-rus"
    if r == 0:
        return f"0.35 + 0.3 * {gain} + 0.2 * reput"
    if r == 1:
        return f"0.3 + 0.3 * {gain} + 0.2 * reput - 0.5 * cost-crisis"
    if r == 2:
        return f"0.4 + 0.2 * {gain} - 0.6 * cost-war"
    return f"0.25 + 0.1 * {gain} - 0.4 * cost-war"


def main():
    out = []
    w = out.append
    w("# The reference scenario of bench/bench_run.c, written by tools/mkrefscenario.py")
    w("# (do not edit by hand).  A synthetic game, not a forecast: 254 decide and chance")
    w("# nodes, one 32-member North Atlantic Council, 20 uncertain parameters, 3 policies.")
    w("")
    w('ladder ref "Reference ladder for the run benchmark" {')
    w("  maps-to kahn")
    w('  rung 1 calm "no use of force" kahn 3')
    w('  rung 2 crisis "military crisis" kahn 8')
    w('  rung 3 clash "direct NATO-Russia clash" kahn 12')
    w('  rung 4 nuclear "nuclear use" kahn 21')
    w('  threshold violence "use of force" after 1')
    w('  threshold war "a direct clash" after 2')
    w("}")
    w("")
    w('scenario ref-bench "Reference scenario for the run benchmark" {')
    w("  date 2024-05-20")
    w("  ladder ref")
    w(f"  actors [{', '.join(ACTORS)}]")
    w("  scale 0 1")
    w("  lambda lam")
    w("  start n0")
    w("")
    for name, dist, why in PARAMS:
        w(f'  param {name} "{why}" = {dist} judgment "synthetic benchmark"')
    w("")
    for actor in ACTORS:
        for r, rung in enumerate(RUNGS):
            w(f"  let u-{actor.lower()}-{rung} = {payoff_let(actor, r)}")
    # council members' payoffs for collective action and for none: most
    # draws favour acting, so P(agree) of 32 sincere members is not ~0
    w("  let u-accept-front = 0.4 + 0.6 * front-fear")
    w("  let u-reject-front = 0.2 + 0.3 * p-hawk")
    w("  let u-accept-big = 0.4 + 0.4 * gain-west + 0.2 * p-resolve")
    w("  let u-reject-big = 0.2 + 0.4 * cost-war")
    w("  let u-accept-others = 0.45 + 0.5 * p-resolve")
    w("  let u-reject-others = 0.1 + 0.5 * others-fear")
    w("")
    for name, title, items in POLICIES:
        w(f'  policy {name} "{title}" {{ {"  ".join(items)} }}')
    w("")

    # nodes: level L index i is n<2^L - 1 + i>; children 2k+1, 2k+2
    council_level, council_index = 3, 0
    for level in range(DEPTH):
        for i in range(1 << level):
            k = (1 << level) - 1 + i
            if level + 1 < DEPTH:
                kids = [f"n{2 * k + 1}", f"n{2 * k + 2}"]
            else:  # a shared outcome, by the escalating steps on the path
                kids = [leaf_name(k, 0), leaf_name(k, 1)]
            if level == council_level and i == council_index:
                w(f'  council n{k} "alliance decision {k}" of north-atlantic.nac mode sincere {{')
                w("    group front [POL, EST, LVA, LTU, FIN] accept = u-accept-front "
                  "reject = u-reject-front")
                w("    group big [USA, GBR, FRA, DEU] accept = u-accept-big reject = u-reject-big")
                w("    group others accept = u-accept-others reject = u-reject-others")
                w(f"    agree -> {kids[0]}")
                w(f"    block -> {kids[1]}")
                w("  }")
            elif level % 2 == 0:
                actor = DECIDERS[(level + i) % len(DECIDERS)]
                w(f'  decide n{k} "move {k}" by {actor} {{ escalate -> {kids[0]}  '
                  f"hold -> {kids[1]} }}")
            else:
                a = PROBS[(k * 7) % len(PROBS)]
                b = PROBS[(k * 3 + 1) % len(PROBS)]
                if k % 3 == 0 or a == b:
                    pr = a
                else:
                    wt = 0.1 * (1 + k % 9)
                    pr = f"{wt:.1f} * {a} + {1 - wt:.1f} * {b}"
                w(f'  chance n{k} "event {k}" {{ hot = {pr} -> {kids[0]}  '
                  f"cool = 1 - ({pr}) -> {kids[1]} }}")
    w("")
    for r, rung in enumerate(RUNGS):
        for v in range(3):
            pays = []
            for actor in ACTORS:
                base = f"u-{actor.lower()}-{rung}"
                if v == 0:
                    e = base
                elif v == 1:
                    e = f"0.9 * {base} + 0.1 * p-signal"
                else:
                    e = f"0.6 * {base} + 0.2 + bias"
                pays.append(f"{actor} = {e}")
            w(f'  outcome {rung}-{v} "{rung}, variant {v}" rung {rung} {{ {"; ".join(pays)} }}')
    w("}")
    print("\n".join(out))


def leaf_name(k, branch):
    """The shared outcome reached from the last-level node k on branch 0
    (escalate/hot) or 1: rung by the escalating steps along the path."""
    steps = 1 if branch == 0 else 0
    node = k
    while node > 0:
        parent = (node - 1) // 2
        if node == 2 * parent + 1:
            steps += 1
        node = parent
    r = 0 if steps <= 2 else 1 if steps <= 4 else 2 if steps <= 6 else 3
    return f"{RUNGS[r]}-{k % 3}"


if __name__ == "__main__":
    main()
