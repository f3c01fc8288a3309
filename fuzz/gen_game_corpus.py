#!/usr/bin/python3
"""fuzz/gen_game_corpus.py — write the generated seeds of the .efg and .nfg fuzz
corpora (fuzz/corpus/efg/gen-*.efg, fuzz/corpus/nfg/gen-*.nfg).

The seeds are the project's own: trees and tables of every shape the readers
and solvers handle (perfect and imperfect information, chance with decimal and
rational probabilities, inner outcomes, several players, labels with escapes
and UTF-8, both .nfg bodies and both strategy styles, the pure-enumeration
reproducer of issue 16), and malformed variants that must fail with a
diagnostic.  Gambit's example games are not copied here (they are GPL; the
fuzz replay in tests/run.sh and fuzz/build.sh's campaign read them from
../shared/data/gambit-games when it is present).

Deterministic (fixed seed): rerunning rewrites the same files.
Usage: /usr/bin/python3 fuzz/gen_game_corpus.py   (from the repository root)
"""
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
rng = random.Random(20260906)


def q(s):
    """A Gambit quoted string."""
    return '"' + s.replace('"', '\\"') + '"'


def write(kind, name, text):
    path = os.path.join(ROOT, kind, "gen-" + name + "." + kind)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)


def write_bad(kind, good, cuts, bad, binary_bytes):
    """Malformed seeds: good truncated at each cut, the named texts, binary
    bytes and an empty file."""
    for i, cut in enumerate(cuts):
        write(kind, "bad-truncated-%d" % i, good[:cut])
    for name, text in bad.items():
        write(kind, name, text)
    write(kind, "bad-binary", binary_bytes)
    write(kind, "bad-empty", "")


# ---------------------------------------------------------------- .efg ----

class Tree:
    """Builds an .efg in preorder: node() returns the lines of a subtree."""

    def __init__(self, players, title="generated", comment=None, fmt="R"):
        self.players = players
        self.title, self.comment, self.fmt = title, comment, fmt
        self.iset = {}     # (player, key) -> (number, actions)
        self.count = {}    # player -> infosets so far
        self.outcomes = 0
        self.lines = []

    def infoset(self, player, key, actions):
        k = (player, key)
        if k not in self.iset:
            self.count[player] = self.count.get(player, 0) + 1
            self.iset[k] = (self.count[player], actions)
            return self.count[player], True
        return self.iset[k][0], False

    def outcome(self, pays, label=""):
        self.outcomes += 1
        return "%d %s { %s }" % (self.outcomes, q(label), ", ".join(str(p) for p in pays))

    def decision(self, player, key, actions, label="", outcome=None):
        num, new = self.infoset(player, key, actions)
        acts = " %s { %s }" % (q(""), " ".join(q(a) for a in actions)) if new else ""
        self.lines.append("p %s %d %d%s %s" % (q(label), player, num, acts, outcome or "0"))

    def chance(self, key, actions, probs, outcome=None):
        num, new = self.infoset(0, key, actions)
        acts = " %s { %s }" % (q(""), " ".join("%s %s" % (q(a), p) for a, p in zip(actions, probs))) \
            if new else ""
        self.lines.append("c %s %d%s %s" % (q(""), num, acts, outcome or "0"))

    def terminal(self, pays, label=""):
        self.lines.append("t %s %s" % (q(label), self.outcome(pays, label)))

    def text(self):
        head = "EFG 2 %s %s { %s }\n" % (self.fmt, q(self.title),
                                         " ".join(q(p) for p in self.players))
        if self.comment is not None:
            head += q(self.comment) + "\n"
        return head + "\n" + "\n".join(self.lines) + "\n"


def pays(n, lo=-5, hi=9):
    return [rng.randint(lo, hi) for _ in range(n)]


def binary(depth, nplayers):
    """The audit's generator: alternating players, every node its own infoset."""
    t = Tree([str(i + 1) for i in range(nplayers)], "binary %d" % depth)
    leaf = [0]

    def go(k, path):
        if k == depth:
            leaf[0] += 1
            t.terminal([leaf[0] % 7, leaf[0] % 5, leaf[0] % 3][:nplayers])
            return
        t.decision(1 + k % nplayers, path, ["a", "b"])
        go(k + 1, path + "a")
        go(k + 1, path + "b")
    go(0, "")
    return t.text()


def random_tree(nplayers, depth, imperfect, chance_p, inner, seed_label=False):
    """A random tree; with imperfect, a player's nodes at one depth whose own
    history agrees share an information set (perfect recall kept)."""
    t = Tree(["P%d" % (i + 1) for i in range(nplayers)], "random %d/%d" % (nplayers, depth),
             comment="generated" if rng.random() < 0.5 else None)

    def go(k, own):
        if k == depth or (k > 1 and rng.random() < 0.2):
            t.terminal(pays(nplayers), "z" if seed_label else "")
            return
        inner_out = t.outcome(pays(nplayers)) if inner and rng.random() < 0.3 else None
        if rng.random() < chance_p:
            n = rng.randint(2, 3)
            probs = {2: ["1/2", "1/2"], 3: ["1/3", "1/3", "1/3"]}[n] if rng.random() < 0.5 \
                else {2: ["0.25", "0.75"], 3: ["0.2", "0.3", "0.5"]}[n]
            t.chance("c%d:%s" % (k, rng.random()), ["x", "y", "z"][:n], probs, inner_out)
            for _ in range(n):
                go(k + 1, own)
            return
        pl = rng.randint(1, nplayers)
        key = (k, tuple(own.get(pl, ()))) if imperfect else (k, rng.random())
        acts = t.iset[(pl, key)][1] if (pl, key) in t.iset else ["L", "M", "R"][:rng.randint(1, 3)]
        t.decision(pl, key, acts, "", inner_out)
        for a in acts:
            o = dict(own)
            o[pl] = tuple(own.get(pl, ())) + ((k, a),)
            go(k + 1, o)
    go(0, {})
    return t.text()


def efg_seeds():
    for d in range(1, 7):
        write("efg", "binary-d%d" % d, binary(d, 2))
    write("efg", "binary-d10-issue16", binary(10, 2))  # 1,023 nodes: pure must refuse
    write("efg", "binary-3players-d5", binary(5, 3))
    write("efg", "one-player-d4", binary(4, 1))
    for i in range(14):
        write("efg", "random-pi-%02d" % i,
              random_tree(rng.randint(1, 3), rng.randint(2, 6), False, 0.2, i % 2 == 0))
    for i in range(14):
        write("efg", "random-is-%02d" % i,
              random_tree(rng.randint(2, 4), rng.randint(2, 5), True, 0.25, i % 3 == 0))
    # a symmetric 3-player coordination tree: a bifurcation of the logit branch
    t = Tree(["1", "2", "3"], "coordination plus a bystander")
    t.decision(1, "1", ["A", "B"])
    for a in "AB":
        t.decision(2, "2", ["A", "B"])
        for b in "AB":
            t.decision(3, "3", ["X", "Y"])
            m = 1 if a == b else 0
            t.terminal([m, m, 0])
            t.terminal([m, m, 1])
    write("efg", "coord3-bifurcation", t.text())
    # labels: escapes, UTF-8, long; D format; a description
    t = Tree(['say "hi"', "Ωmega", "x" * 200], 'title with "quotes" \\ and ✓', "desc", "D")
    t.decision(1, "r", ['"', "é", ""], "root ✓")
    t.terminal([1, 2, 3], "a\\b")
    t.terminal([0.5, "1/3", -2], "")
    t.decision(2, "s", ["only"])
    t.terminal(["1e3", "-0.25", ".5"], "t")
    write("efg", "labels-and-numbers", t.text())
    # chance with probabilities that sum to 1 only approximately (renormalised)
    t = Tree(["1"], "approximate chance")
    t.chance("c", ["a", "b", "c"], ["0.333333", "0.333333", "0.333333"])
    for _ in range(3):
        t.terminal([rng.randint(0, 5)])
    write("efg", "chance-approx", t.text())
    # a zero-probability chance branch with a decision behind it
    t = Tree(["1", "2"], "zero chance")
    t.chance("c", ["on", "off"], ["1", "0"])
    t.decision(1, "d", ["l", "r"])
    t.terminal([1, 0])
    t.terminal([0, 1])
    t.decision(2, "e", ["l", "r"])
    t.terminal([2, 2])
    t.terminal([0, 3])
    write("efg", "chance-zero-branch", t.text())
    # imperfect recall (player 1 forgets her first move)
    t = Tree(["1"], "forgetful")
    t.decision(1, "a", ["L", "R"])
    t.decision(1, "b", ["l", "r"])
    t.terminal([1])
    t.terminal([0])
    t.decision(1, "b", ["l", "r"])
    t.terminal([0])
    t.terminal([2])
    write("efg", "imperfect-recall", t.text())
    # malformed variants, each must fail with a diagnostic
    good = binary(3, 2)
    bad = {
        "bad-extra-payoff": 'EFG 2 R "x" { "a" }\nt "" 1 "o" { 1 2 }\n',
        "bad-prob-sum": 'EFG 2 R "x" { "a" }\nc "" 1 "" { "h" 1/3 "t" 1/3 } 0\n'
                        't "" 1 "" { 1 }\nt "" 2 "" { 2 }\n',
        "bad-negative-prob": 'EFG 2 R "x" { "a" }\nc "" 1 "" { "h" -1/2 "t" 3/2 } 0\n'
                             't "" 0\nt "" 0\n',
        "bad-zero-den": 'EFG 2 R "x" { "a" }\nc "" 1 "" { "h" 1/0 "t" 1/2 } 0\nt "" 0\nt "" 0\n',
        "bad-plus-number": 'EFG 2 R "x" { "a" }\nt "" 1 "" { +2 }\n',
        "bad-exp-plus": 'EFG 2 R "x" { "a" }\nt "" 1 "" { 2e+2 }\n',
        "bad-undefined-outcome": 'EFG 2 R "x" { "a" }\np "" 1 1 "" { "l" "r" } 0\n'
                                 't "" 7\nt "" 0\n',
        "bad-undefined-infoset": 'EFG 2 R "x" { "a" }\np "" 1 1 "" { "l" "r" } 0\n'
                                 'p "" 1 2 0\nt "" 0\nt "" 0\nt "" 0\n',
        "bad-player": 'EFG 2 R "x" { "a" }\np "" 3 1 "" { "l" } 0\nt "" 0\n',
        "bad-action-count": 'EFG 2 R "x" { "a" "b" }\np "" 1 1 "" { "l" "r" } 0\n'
                            'p "" 2 1 "" { "x" } 0\nt "" 0\np "" 2 1 "" { "x" "y" } 0\n'
                            't "" 0\nt "" 0\nt "" 0\n',
        "bad-unterminated-string": 'EFG 2 R "x { "a" }\n',
        "bad-version": 'EFG 3 R "x" { "a" }\nt "" 0\n',
        "bad-nfg-header": 'NFG 2 R "x" { "a" }\nt "" 0\n',
        "bad-no-nodes": 'EFG 2 R "x" { "a" "b" } "comment"\n',
        "bad-trailing-open": 'EFG 2 R "x" { "a" }\np "" 1 1 "" { "l" "r" } 0\nt "" 0\n',
    }
    write_bad("efg", good, (5, 20, 41, len(good) // 2, len(good) - 3), bad,
              bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]))
    write("efg", "bad-whitespace", " \n\t\n")


# ---------------------------------------------------------------- .nfg ----

def cells(nstrat):
    n = 1
    for k in nstrat:
        n *= k
    return n


def nfg_head(nstrat, labels, title):
    """The header and the strategy block (labels or counts)."""
    head = "NFG 1 R %s { %s }\n" % (q(title), " ".join(q("P%d" % (i + 1))
                                                      for i in range(len(nstrat))))
    if labels:
        return head + "{ " + " ".join("{ " + " ".join(q("s%d" % j) for j in range(k)) + " }"
                                      for k in nstrat) + " }\n"
    return head + "{ " + " ".join(str(k) for k in nstrat) + " }\n"


def nfg_payoff(nstrat, labels=False, title="generated", gen=None, comment=None):
    np_ = len(nstrat)
    head = nfg_head(nstrat, labels, title)
    if comment is not None:
        head += q(comment) + "\n"
    body = []
    for c in range(cells(nstrat)):
        body.append(" ".join(str(x) for x in (gen(c) if gen else pays(np_))))
    return head + "\n" + "\n".join(body) + "\n"


def nfg_outcome(nstrat, labels=True, title="generated", noutcomes=None):
    np_ = len(nstrat)
    n = cells(nstrat)
    nout = noutcomes or max(1, n // 2)
    head = nfg_head(nstrat, labels, title) + '""\n\n{\n'
    for o in range(nout):
        sep = ", " if rng.random() < 0.5 else " "
        head += "{ %s %s }\n" % (q("o%d" % o), sep.join(str(x) for x in pays(np_)))
    head += "}\n"
    return head + " ".join(str(rng.randint(0, nout)) for _ in range(n)) + "\n"


def nfg_seeds():
    shapes = [[1, 1], [2, 2], [2, 3], [3, 2], [3, 3], [4, 4], [5, 3], [1, 6], [6, 1],
              [2, 2, 2], [3, 2, 2], [2, 2, 2, 2], [3, 3, 3], [10, 10, 10], [2] * 6]
    for s in shapes:
        name = "x".join(str(k) for k in s)
        write("nfg", "payoff-" + name, nfg_payoff(s, labels=rng.random() < 0.4))
        write("nfg", "outcome-" + name, nfg_outcome(s, labels=rng.random() < 0.6))
    # games with known structure: coordination (a bifurcation), pennies,
    # all zero (every profile is an equilibrium), numbers in every spelling
    write("nfg", "coord3-bifurcation",
          'NFG 1 R "coordination plus a bystander" { "1" "2" "3" } { 2 2 2 }\n\n'
          "1 1 0  0 0 0  0 0 0  1 1 0  1 1 1  0 0 1  0 0 1  1 1 1\n")
    write("nfg", "pennies-labels", nfg_payoff([2, 2], True, "pennies",
                                              lambda c: [(1, -1), (-1, 1), (-1, 1), (1, -1)][c]))
    write("nfg", "all-zero-4x4", nfg_payoff([4, 4], False, "zero", lambda c: [0, 0]))
    write("nfg", "numbers", nfg_payoff([2, 2], False, "numbers",
                                       lambda c: [["1/3", "-2.5"], [".5", "1e3"], ["5.", "-0"],
                                                  ["7/14", "3E-2"]][c], comment="spellings"))
    write("nfg", "labels-utf8",
          'NFG 1 R "Ωmega \\"q\\"" { "jöe" "x\\\\y" } { { "✓" "" } { "a\\"b" "c" } }\n\n'
          "1 2 3 4 5 6 7 8\n")
    write("nfg", "dup-labels", 'NFG 1 R "dup" { "a" "a" } { { "s" "s" } { "t" "t" } }\n\n'
          "1 1 0 0 0 0 1 1\n")
    write("nfg", "d-format", 'NFG 1 D "d" { "1" "2" } { 2 2 }\n\n1 0 0 1 0 1 1 0\n')
    good = nfg_payoff([2, 3])
    bad = {
        "bad-too-few": 'NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 3\n',
        "bad-too-many": 'NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 3 4 5 6 7 8 9\n',
        "bad-commas-payoff": 'NFG 1 R "x" { "a" "b" } { 1 1 }\n1, 2\n',
        "bad-outcome-range": 'NFG 1 R "x" { "a" "b" } { 1 2 }\n{ { "" 1 2 } }\n1 2\n',
        "bad-zero-strategies": 'NFG 1 R "x" { "a" } { 0 }\n',
        "bad-version": 'NFG 2 R "x" { "a" } { 1 }\n1\n',
        "bad-efg-header": 'EFG 1 R "x" { "a" } { 1 }\n1\n',
        "bad-unterminated": 'NFG 1 R "x { "a" } { 1 }\n1\n',
        "bad-missing-brace": 'NFG 1 R "x" { "a" "b" } { 2 2 \n1 2 3 4 5 6 7 8\n',
        "bad-strategy-list": 'NFG 1 R "x" { "a" "b" } { { "s" } 2 }\n1 2\n',
        "bad-text": "hello, world\n",
    }
    write_bad("nfg", good, (4, 15, len(good) // 2, len(good) - 2), bad, bytes(range(0, 64)))


if __name__ == "__main__":
    for kind in ("efg", "nfg"):
        os.makedirs(os.path.join(ROOT, kind), exist_ok=True)
        for f in os.listdir(os.path.join(ROOT, kind)):
            if f.startswith("gen-"):
                os.remove(os.path.join(ROOT, kind, f))
    efg_seeds()
    nfg_seeds()
