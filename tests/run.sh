#!/usr/bin/env bash
# tests/run.sh — build and run every casus test; prints "N passed, N failed".
#   unit tests (tests/unit), golden CLI tests (tests/golden), conformance
#   against ../shared when present, and the unit + golden tests again under
#   ASan+UBSan.  `tests/run.sh --update` rewrites golden expectations.
set -u
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && update=1
pass=0; fail=0; skip=0
jobs=$(nproc 2>/dev/null || echo 2)

run_units() { # $1 = build dir
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1); rc=$?
        line=$(printf '%s\n' "$out" | tail -n 1)
        p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
        f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
        p=${p:-0}; f=${f:-0}
        if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
        pass=$((pass + p)); fail=$((fail + f))
        if [ "$f" != 0 ]; then printf '%s\n' "$out" | grep -v '^ok ' ; echo "FAIL unit $(basename "$t") ($1)"; fi
    done
}

run_golden() { # $1 = casus binary
    for cmd in tests/golden/*.cmd; do
        name=${cmd%.cmd}
        args=$(cat "$cmd")
        out=$(cd tests/golden && eval "../../$1 $args" 2>/tmp/casus-golden-err.$$); rc=$?
        err=$(cat /tmp/casus-golden-err.$$); rm -f /tmp/casus-golden-err.$$
        if [ $update = 1 ]; then
            printf '%s\n' "$out" > "$name.out"; printf '%s\n' "$err" > "$name.err"; echo $rc > "$name.rc"
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
    shared=${CASUS_SHARED:-../shared}
    csv="$shared/data/treaties/coverage-cases.csv"
    if [ ! -f "$csv" ]; then
        echo "skip conformance: $csv not found (../shared is absent)"; skip=$((skip + 1)); return
    fi
    run_cases "$1" "$csv"
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
make -s -j"$jobs" ${CASUS_TEST_TARGETS:-all} >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
run_units build/release
run_golden build/release/casus
run_replays build/release
[ $update = 1 ] && { echo "golden files updated"; exit 0; }
run_conformance build/release/casus
run_sens_scale build/release/casus
run_sens_mpi
run_style
run_structure

echo "== ASan+UBSan build"
if make -s -j"$jobs" BUILD=asan all >/dev/null; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_units build/asan
    run_golden build/asan/casus
    run_sens_scale build/asan/casus
    run_replays build/asan
else
    echo "FAIL asan build"; fail=$((fail + 1))
fi

echo "== coverage (gcov; a report, not a test)"
bash tests/coverage.sh 2>&1 | sed 's/^/   /'

echo "tests: $pass passed, $fail failed, $skip skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
