#!/usr/bin/env bash
# tests/exit-codes.sh — every casus command probed for every row of the
# exit-code table (docs/exit-codes.md): 0 ok, 1 model or run failure (memory
# running out under `ulimit -v`, and the failures particular to a command),
# 2 bad input (usage, a value out of range, a directory, a missing file, a
# file that does not compile), 4 output that cannot be written (> /dev/full,
# an output file on a full device or a directory).  Each probe checks the
# code, that stdout stays empty unless the code is 0, and that a failure
# says why on stderr.
#   bash tests/exit-codes.sh [CASUS] [--no-oom]   (CASUS: build/release/casus)
# --no-oom skips the ulimit probes (a sanitizer build needs more address
# space than any limit that would make casus run out).  Ends with
# "exit-codes: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
C=${1:-build/release/casus} # relative to the repository
case $C in /*) ;; *) C=$root/${C#./} ;; esac
cd "$root/tests/golden"
[ -x "$C" ] || { echo "exit-codes: no casus binary at $C"; echo "exit-codes: 0 passed, 1 failed"; exit 1; }
oom=1
[ "${2:-}" = "--no-oom" ] && oom=0
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# judge WANT RC WHAT: the code, empty stdout unless 0, a reason unless 0.
judge() {
    local want=$1 rc=$2 what=$3 why=""
    [ "$rc" = "$want" ] || why="exit $rc, expected $want"
    [ -z "$why" ] && [ "$want" != 0 ] && [ -s "$tmp/out" ] && why="stdout not empty"
    [ -z "$why" ] && [ "$want" != 0 ] && [ ! -s "$tmp/err" ] && why="no message on stderr"
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL exit-codes: casus $what: $why"
        head -3 "$tmp/err" | sed 's/^/    /'
    fi
}

# expect WANT ARGS...: run casus ARGS, stdout to a file.
expect() {
    local want=$1
    shift
    "$C" "$@" >"$tmp/out" 2>"$tmp/err"
    judge "$want" $? "$*"
}

# full ARGS...: stdout to a full device is exit 4.
full() {
    : >"$tmp/out"
    "$C" "$@" >/dev/full 2>"$tmp/err"
    judge 4 $? "$* > /dev/full"
}

# oom KB ARGS...: with KB kilobytes of address space casus runs out of
# memory: exit 1 and "out of memory".
oom() {
    [ $oom = 1 ] || return 0
    local kb=$1
    shift
    (ulimit -v "$kb" && exec "$C" "$@") >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" = 1 ] && ! grep -q "out of memory" "$tmp/err" && rc="1 without 'out of memory'"
    judge 1 "$rc" "$* (ulimit -v $kb)"
}

# least_kb ARGS...: the least address space, to 256 KB, in which casus ARGS
# succeeds (0 when not even in 2 GB).
least_kb() {
    local lo=1024 hi=2097152 mid
    (ulimit -v $hi && exec "$C" "$@") >/dev/null 2>&1 || { echo 0; return; }
    while [ $((hi - lo)) -gt 256 ]; do
        mid=$(((lo + hi) / 2))
        if (ulimit -v $mid && exec "$C" "$@") >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
    done
    echo $hi
}

# oom_more ARGS... -- MORE...: ARGS get the least address space they need;
# with MORE (a 15 MB source to load, which the engine keeps) they cannot
# fit and must run out of memory cleanly.  Measured, not guessed, so it
# holds however lean the engine becomes.
oom_more() {
    [ $oom = 1 ] || return 0
    local base=() kb
    while [ "$1" != "--" ]; do base+=("$1"); shift; done
    shift
    kb=$(least_kb "${base[@]}")
    oom "$kb" "${base[@]}" "$@"
}

# tree D: a binary-tree .efg of depth D, two alternating players (the
# reliability audit's generator).  Depth 10 has 9.9e27 pure profiles; depth 17
# is a 7 MB file that needs some 240 MB to read.
tree() {
    awk -v d="$1" 'BEGIN {
        printf "EFG 2 R \"t\" { \"1\" \"2\" }\n\"\"\n\n"
        n = 1; st[1] = 0; t = 0; c1 = 0; c2 = 0
        while (n > 0) {
            k = st[n--]
            if (k == d) { t++; printf "t \"\" %d \"\" { %d, %d }\n", t, t % 7, t % 5 }
            else {
                p = 1 + k % 2
                c = p == 1 ? ++c1 : ++c2
                printf "p \"\" %d %d \"\" { \"a\" \"b\" } 0\n", p, c
                st[++n] = k + 1; st[++n] = k + 1
            }
        }
    }'
}
tree 10 >"$tmp/t10.efg"
tree 17 >"$tmp/t17.efg"

INC="--victim EST --object territory --at Narva --date 2024-05-20"
# 15 MB of comment (the source limit is 16 MB): a valid file that needs memory
BIG=$tmp/big.casus
yes '# padding, a file that is all comment, to need fifteen megabytes of memory' |
    head -c 15000000 >"$BIG"

# check
expect 0 check $INC
oom_more check $INC -- --load "$BIG"
expect 2 check --bogus
expect 2 check --victim ITA --object vessel --lat 0x10 --lon 0
expect 2 check --victim USA --object territory --at Kyev --date 2024-05-20
expect 2 check --batch .
expect 2 check --batch nonexistent.csv
expect 2 check --batch bad-batch.csv
expect 2 check $INC --load .
expect 2 check $INC --load bad-treaty.casus
full check $INC
full check --batch batch-ok.csv

# where
expect 0 where Kyiv --date 2024-05-20
oom_more where Kyiv -- --load "$BIG"
expect 2 where --bogus
expect 2 where --lat 95 --lon 0
expect 2 where Kyev
expect 2 where Kyiv --load .
expect 2 where Kyiv --load nonexistent.casus
expect 2 where Kyiv --load bad-treaty.casus
full where Kyiv

# actors
expect 0 actors --date 2024-05-20
expect 0 actors UK
oom_more actors -- --load "$BIG"
expect 2 actors --bogus
expect 2 actors --date 2024-13-01
expect 2 actors Congo
expect 2 actors Atlantis
expect 2 actors UK GB
expect 2 actors --load .
expect 2 actors --load nonexistent.casus
expect 2 actors --load bad-treaty.casus
full actors
full actors UK

# treaties
expect 0 treaties
oom_more treaties -- --load "$BIG"
expect 2 treaties --bogus
expect 2 treaties --load .
expect 2 treaties --load nonexistent.casus
expect 2 treaties --load bad-treaty.casus
full treaties

# lint (reports on stderr; only --json writes stdout)
expect 0 lint example-pact.casus
oom_more lint example-pact.casus -- "$BIG"
expect 2 lint --bogus
expect 2 lint .
expect 2 lint nonexistent.casus
expect 2 lint bad-treaty.casus
full lint --json example-pact.casus

# describe
expect 0 describe example-scenario.casus
oom_more describe example-scenario.casus -- "$BIG"
expect 2 describe --bogus
expect 2 describe .
expect 2 describe nonexistent.casus
expect 2 describe bad-scenario.casus
expect 2 describe example-scenario.casus --scenario nope
full describe example-scenario.casus

# run
expect 0 run game-small.casus --draws 20
oom_more run game-small.casus --draws 20 --threads 1 -- --load "$BIG"
expect 1 run bad-draw.casus --draws 20 # a draw leaves [0, 1]
expect 2 run --bogus
expect 2 run --draws ' 10'
expect 2 run .
expect 2 run nonexistent.casus
expect 2 run bad-scenario.casus
expect 2 run game-small.casus --policy publc
full run game-small.casus --draws 20
expect 4 run game-small.casus --draws 20 --draws-out /dev/full
expect 4 run game-small.casus --draws 20 --draws-out .

# compile
expect 0 compile game-small.casus
oom_more compile game-small.casus -- --load "$BIG"
expect 1 compile bad-draw.casus --draw 3
expect 2 compile --bogus
expect 2 compile --draw -1
expect 2 compile .
expect 2 compile nonexistent.casus
expect 2 compile bad-scenario.casus
full compile game-small.casus
expect 4 compile game-small.casus --out /dev/full
expect 4 compile game-small.casus --out .
expect 4 compile game-small.casus --out "$tmp/no/such/dir/g.efg"

# solve
expect 0 solve ../games/entry.efg
expect 1 solve ../games/entry.efg --write-nfg
[ $oom = 1 ] && oom "$(least_kb solve ../games/entry.efg --write-efg)" solve "$tmp/t17.efg" --write-efg
expect 2 solve --bogus
expect 2 solve ../games/pennies.efg --method logit --lambda 1e20
expect 2 solve "$tmp/t10.efg" # more pure profiles than the limit (the audit's 11 GB case)
expect 2 solve .
expect 2 solve nonexistent.efg
expect 2 solve bad-game.efg
full solve ../games/entry.efg

# sensitivity
SENS="--function ishigami --base-samples 64 --replicates 2"
expect 0 sensitivity $SENS
expect 1 sensitivity bad-draw.casus --output war --base-samples 16 --replicates 2
oom 100000 sensitivity --function ishigami --base-samples 1073741824 --replicates 2 --threads 1
expect 2 sensitivity --bogus
expect 2 sensitivity $SENS --level 2
expect 2 sensitivity . --output war
expect 2 sensitivity nonexistent.casus --output war
expect 2 sensitivity bad-scenario.casus --output war
full sensitivity $SENS
expect 4 sensitivity $SENS --svg /dev/full
expect 4 sensitivity $SENS --svg .

# fit (the data and the formula of the golden case fit-egame12)
FIT=(fit egame12 --formula 'esc + fight ~ democ | 0 | cap + ally | cap + ally')
CRISES=../../data/fit/crises.csv
# the same rows 200 times over: a 6 MB data file
{ head -n 1 "$CRISES"; for _ in $(seq 1 200); do tail -n +2 "$CRISES"; done; } >"$tmp/crises200.csv"
expect 0 "${FIT[@]}" --data "$CRISES"
[ $oom = 1 ] && oom "$(least_kb "${FIT[@]}" --data "$CRISES")" "${FIT[@]}" --data "$tmp/crises200.csv"
expect 2 "${FIT[@]}" --data "$CRISES" --bogus
expect 2 "${FIT[@]}" --data .
expect 2 "${FIT[@]}" --data nonexistent.csv
expect 2 "${FIT[@]}" --data fit-bad-cell.csv
expect 2 fit egame99 --formula 'esc + fight ~ democ | 0 | cap + ally | cap + ally' --data "$CRISES"
expect 2 fit egame12 --data fit-separated.csv --formula 'esc + fight ~ democ | 0 | cap | ally'
full "${FIT[@]}" --data "$CRISES"

# evidence (a shipped dataset; a CSV of the tests' own for bad cells)
EVQ=(--where 'yrtrig >= 1945 and gravcr >= 4' --outcome 'viol >= 3')
printf 'a,b\n1,2\n3\n' >"$tmp/short-row.csv"
expect 0 evidence icb-crises "${EVQ[@]}"
expect 0 evidence icb-crises "${EVQ[@]}" --json
expect 0 evidence
expect 0 evidence mid-disputes --columns --na -9
expect 2 evidence icb-crises "${EVQ[@]}" --bogus
expect 2 evidence icb-crisis "${EVQ[@]}"
expect 2 evidence icb-crises --where 'yrtrg >= 1945' --outcome 'viol >= 3'
expect 2 evidence icb-crises --where 'crisname >= 1945' --outcome 'viol >= 3'
expect 2 evidence icb-crises --where 'yrtrig >= ' --outcome 'viol >= 3'
expect 2 evidence icb-crises --where 'yrtrig >= 1945'
expect 2 evidence ./ --outcome 'a == 1'
expect 2 evidence nonexistent.csv --outcome 'a == 1'
expect 2 evidence "$tmp/short-row.csv" --outcome 'a == 1'
expect 2 evidence icb-crises extra "${EVQ[@]}"
full evidence icb-crises "${EVQ[@]}"
full evidence

# help, --help, --version, and no command at all
expect 0 help
expect 0 help run
expect 0 run --help
expect 2 help nope
expect 2 help --bogus
full help
full help run
full run --help
expect 0 --help
full --help
expect 0 --version
expect 2 --version extra
full --version
expect 2
expect 2 chek

echo "exit-codes: $pass passed, $fail failed"
[ $fail = 0 ]
