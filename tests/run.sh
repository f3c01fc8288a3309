#!/usr/bin/env bash
# tests/run.sh — build and run every casus test; prints "N passed, N failed".
#   unit tests (tests/unit), golden CLI tests (tests/golden), the exit-code
#   table (tests/exit-codes.sh), output files (tests/write-file.sh),
#   conformance against ../shared when present, and the unit, golden and
#   exit-code tests again under ASan+UBSan.  Each stage prints a line with
#   its count and time as it finishes.  `tests/run.sh --update` rewrites
#   golden expectations.
set -u
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && update=1
pass=0; fail=0; skip=0
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)

# stage LABEL COMMAND...: run one stage, then say what it found and how long
# it took ("   unit tests       128 passed, 0 failed   (12 s)").
stage() {
    local label=$1 p0=$pass f0=$fail s0=$skip t0
    t0=$(date +%s)
    shift
    "$@"
    local note=""
    [ $skip -gt $s0 ] && note=", skipped"
    printf '   %-32s %4d passed, %d failed%s  (%d s)\n' "$label" $((pass - p0)) $((fail - f0)) "$note" \
        $(($(date +%s) - t0))
}

# build LABEL MAKE-ARGS...: build, saying how long it took; false if it failed.
build() {
    local label=$1 t0
    t0=$(date +%s)
    shift
    make -s -j"$jobs" "$@" >/dev/null || return 1
    printf '   %-32s built  (%d s)\n' "$label" $(($(date +%s) - t0))
}

# tally OUTPUT STATUS: add the counts of OUTPUT's last line ("...: N passed,
# N failed") to the totals (a non-zero STATUS with no failure counts one);
# false when something failed.
tally() {
    local line p f
    line=$(printf '%s\n' "$1" | tail -n 1)
    p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    p=${p:-0}; f=${f:-0}
    if [ "$2" -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" = 0 ]
}

run_script() { # $1 = a test script ending "NAME: N passed, N failed", then its arguments
    local out
    out=$(bash "$@" 2>&1)
    tally "$out" $? || printf '%s\n' "$out" | grep -v ' passed, '
}

run_units() { # $1 = build dir
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1)
        tally "$out" $? || { printf '%s\n' "$out" | grep -v '^ok '; echo "FAIL unit $(basename "$t") ($1)"; }
    done
}

run_golden() { # $1 = casus binary
    for cmd in tests/golden/*.cmd; do
        name=${cmd%.cmd}
        args=$(cat "$cmd")
        out=$(cd tests/golden && eval "../../$1 $args" 2>/tmp/casus-golden-err.$$); rc=$?
        err=$(cat /tmp/casus-golden-err.$$); rm -f /tmp/casus-golden-err.$$
        if [ $update = 1 ]; then
            # rewrite only what changed, so that an update touches only the changed bytes
            [ -f "$name.out" ] && [ "$out" = "$(cat "$name.out")" ] || printf '%s\n' "$out" > "$name.out"
            [ -f "$name.err" ] && [ "$err" = "$(cat "$name.err")" ] || printf '%s\n' "$err" > "$name.err"
            [ -f "$name.rc" ] && [ "$rc" = "$(cat "$name.rc")" ] || echo $rc > "$name.rc"
            continue
        fi
        if [ "$out" = "$(cat "$name.out")" ] && [ "$err" = "$(cat "$name.err")" ] && [ "$rc" = "$(cat "$name.rc")" ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "FAIL golden $(basename "$name") with $1 (rc $rc, expected $(cat "$name.rc"))"
            diff <(printf '%s\n' "$out") "$name.out" | head -20
            diff <(printf '%s\n' "$err") "$name.err" | head -20
        fi
    done
}

run_replays() { # $1 = build dir: replay every committed fuzz corpus, and Gambit's games
    for t in "$1"/fuzz/replay_*; do
        [ -x "$t" ] || continue
        name=${t##*/replay_}
        dir=fuzz/corpus/$name
        [ -d "$dir" ] || continue
        if "$t" "$dir"/* >/dev/null 2>/tmp/casus-replay.$$; then pass=$((pass + 1));
        else fail=$((fail + 1)); echo "FAIL fuzz corpus replay $name ($1)"; tail -20 /tmp/casus-replay.$$; fi
        rm -f /tmp/casus-replay.$$
    done
    # Gambit's example games (GPL, so not copied into the corpora) as extra seeds
    local g=${CASUS_SHARED:-../shared}/data/gambit-games
    if [ ! -d "$g" ]; then echo "skip Gambit-game replays: $g not found"; skip=$((skip + 1)); return; fi
    for k in efg nfg; do
        [ -x "$1/fuzz/replay_$k" ] || continue
        if find "$g" -name "*.$k" -print0 | xargs -0 "$1/fuzz/replay_$k" >/dev/null 2>/tmp/casus-replay.$$; then pass=$((pass + 1));
        else fail=$((fail + 1)); echo "FAIL fuzz replay of Gambit's .$k games ($1)"; tail -20 /tmp/casus-replay.$$; fi
        rm -f /tmp/casus-replay.$$
    done
}

run_cases() { # $1 = casus binary, $2 = CSV of cases (columns of coverage-cases.csv; case id first, covered 11th)
    got=$("$1" check --batch "$2") || { fail=$((fail + 1)); echo "FAIL conformance: batch run of $2 failed"; return; }
    # expected: case -> covered from the oracle; got: case -> covered from casus
    while IFS=, read -r case covered; do
        want=$(awk -F, -v c="$case" 'NR > 1 && $1 == c { print $11 }' "$2")
        if [ "$covered" = "$want" ]; then pass=$((pass + 1));
        else fail=$((fail + 1)); echo "FAIL conformance $case: casus says '$covered', the sourced answer is '$want' ($2)"; fi
    done < <(printf '%s\n' "$got" | awk -F, 'NR > 1 { print $1 "," $4 }')
}


run_conformance() { # $1 = casus binary
    run_cases "$1" tests/conformance/geo-cases.csv # ours, each with a cited source
    run_cases "$1" tests/conformance/treaty-cases.csv # ours, each with a cited source
    shared=${CASUS_SHARED:-../shared}
    csv="$shared/data/treaties/coverage-cases.csv"
    if [ ! -f "$csv" ]; then
        echo "skip conformance: $csv not found (../shared is absent)"; skip=$((skip + 1)); return
    fi
    run_cases "$1" "$csv"
}

run_evidence_agreement() { # $1 = casus binary: n, k, dropped equal an independent count (tests/evidence_count.py)
    if [ ! -x /usr/bin/python3 ]; then
        echo "skip evidence agreement: /usr/bin/python3 not found"; skip=$((skip + 1)); return
    fi
    local shared=${CASUS_SHARED:-../shared}/data extra=""
    if [ -f "$shared/icb/icb1v14.csv" ]; then extra=$shared;
    else echo "skip evidence agreement over the original files: $shared not found"; skip=$((skip + 1)); fi
    out=$(/usr/bin/python3 tests/evidence_count.py "$1" data/evidence $extra 2>&1)
    p=$(printf '%s\n' "$out" | sed -n 's/^evidence agreement: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$out" | sed -n 's/^evidence agreement: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then fail=$((fail + 1)); echo "FAIL evidence agreement:"; printf '%s\n' "$out" | tail -5; return; fi
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" = 0 ] || printf '%s\n' "$out" | grep '^FAIL'
}

run_style() { # clang-format agrees with every C file (generated tables excepted)
    if ! command -v clang-format >/dev/null; then
        echo "skip style: clang-format not installed"; skip=$((skip + 1)); return
    fi
    files=$(git ls-files 'src/*.[ch]' 'cli/*.[ch]' 'include/*.h' 'tests/unit/*.[ch]' 'fuzz/*.c' 'bench/*.c' 'tools/*.c' 2>/dev/null | grep -v sobol_table.c)
    [ -n "$files" ] || files=$(ls src/*/*.[ch] cli/*.[ch] include/casus/*.h tests/unit/*.[ch] fuzz/*.c bench/*.c | grep -v sobol_table.c)
    if clang-format --dry-run --Werror $files >/tmp/casus-style.$$ 2>&1; then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL style: clang-format disagrees (run clang-format -i on these)"; grep -o '^[^:]*:' /tmp/casus-style.$$ | sort -u | head; fi
    rm -f /tmp/casus-style.$$
}

run_structure() { # the house: wings, no upward include, no circle (tests/include-graph.sh)
    if out=$(bash tests/include-graph.sh 2>&1); then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL structure:"; printf '%s\n' "$out" | head -20; fi
}

run_sens_scale() { # $1 = casus binary: --json is the same bytes on 1 and 2 threads
    local args="sensitivity --function sobol-g --second-order --base-samples 2048 --replicates 4 --json"
    "$1" $args --threads 1 >/tmp/casus-sens1.$$ 2>&1 && "$1" $args --threads 2 >/tmp/casus-sens2.$$ 2>&1
    if [ $? = 0 ] && [ -s /tmp/casus-sens1.$$ ] && cmp -s /tmp/casus-sens1.$$ /tmp/casus-sens2.$$; then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL sensitivity: 1 and 2 threads differ ($1)"; fi
    rm -f /tmp/casus-sens1.$$ /tmp/casus-sens2.$$
}

run_sens_mpi() { # 2 MPI ranks give the bytes of one process, for sensitivity and run (make MPI=1; skipped without Open MPI)
    if ! command -v mpirun >/dev/null || ! command -v mpicc >/dev/null; then
        echo "skip mpi: mpirun/mpicc not installed (Debian: libopenmpi-dev openmpi-bin)"; skip=$((skip + 1)); return
    fi
    make -s -j"$jobs" MPI=1 cli >/dev/null || { fail=$((fail + 1)); echo "FAIL mpi build"; return; }
    local m=build/release-mpi/casus root=""
    local args="sensitivity --function sobol-g --second-order --base-samples 4096 --json"
    [ "$(id -u)" = 0 ] && root=--allow-run-as-root
    "$m" $args >/tmp/casus-mpi1.$$ 2>&1
    timeout 120 mpirun $root --oversubscribe -n 2 "$m" $args >/tmp/casus-mpi2.$$ 2>/tmp/casus-mpi-err.$$
    if [ -s /tmp/casus-mpi1.$$ ] && cmp -s /tmp/casus-mpi1.$$ /tmp/casus-mpi2.$$; then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL mpi: 2 ranks differ from one process"; head -5 /tmp/casus-mpi-err.$$; fi
    # casus run: the flagship's draws split over 2 ranks, the bytes of one process
    args="run --draws 3000 --seed 5 --json"
    "$m" $args >/tmp/casus-mpi1.$$ 2>&1
    timeout 120 mpirun $root --oversubscribe -n 2 "$m" $args >/tmp/casus-mpi2.$$ 2>/tmp/casus-mpi-err.$$
    if [ -s /tmp/casus-mpi1.$$ ] && cmp -s /tmp/casus-mpi1.$$ /tmp/casus-mpi2.$$; then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL mpi run: 2 ranks differ from one process"; head -5 /tmp/casus-mpi-err.$$; fi
    rm -f /tmp/casus-mpi1.$$ /tmp/casus-mpi2.$$ /tmp/casus-mpi-err.$$
}

echo "== release build"
build "release build" ${CASUS_TEST_TARGETS:-all} || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
stage "unit tests" run_units build/release
stage "golden CLI tests" run_golden build/release/casus
[ $update = 1 ] && { echo "golden files updated"; exit 0; }
stage "fuzz corpus replays" run_replays build/release
stage "exit codes (every command)" run_script tests/exit-codes.sh build/release/casus
stage "output files (symlinks, races)" run_script tests/write-file.sh build/release/casus
stage "conformance (sourced cases)" run_conformance build/release/casus
stage "evidence counts (independent)" run_evidence_agreement build/release/casus
stage "sensitivity, 1 vs 2 threads" run_sens_scale build/release/casus
stage "MPI, 2 ranks vs 1 process" run_sens_mpi
stage "style (clang-format)" run_style
stage "structure (wings, no circle)" run_structure

echo "== ASan+UBSan build"
if build "ASan+UBSan build" BUILD=asan all; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    stage "unit tests" run_units build/asan
    stage "golden CLI tests" run_golden build/asan/casus
    stage "exit codes (no ulimit probes)" run_script tests/exit-codes.sh build/asan/casus --no-oom
    stage "output files" run_script tests/write-file.sh build/asan/casus
    stage "sensitivity, 1 vs 2 threads" run_sens_scale build/asan/casus
    stage "fuzz corpus replays" run_replays build/asan
else
    echo "FAIL asan build"; fail=$((fail + 1))
fi

echo "== coverage (gcov; a report, not a test)"
bash tests/coverage.sh 2>&1 | sed 's/^/   /'

echo "tests: $pass passed, $fail failed, $skip skipped  ($(($(date +%s) - start)) s)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
