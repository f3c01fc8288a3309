#!/usr/bin/env bash
# tests/coverage.sh — build with gcov instrumentation, run the unit and golden
# tests, and report line and branch coverage of the language front end and
# the treaty engine (lex, parse, check, verdict, report, gazetteer, geo).
# Reports only; it does not fail on a coverage figure.  Uses gcov from gcc.
set -u
cd "$(dirname "$0")/.."
O=build/coverage
find "$O" -name '*.gcda' -delete 2>/dev/null
make -s -j"$(nproc)" BUILD=coverage all >/dev/null || { echo "coverage build failed"; exit 1; }
for t in "$O"/tests/test_*; do [ -x "$t" ] && "$t" >/dev/null 2>&1; done
for cmd in tests/golden/*.cmd; do
    (cd tests/golden && eval "../../$O/casus $(cat "../../$cmd")" >/dev/null 2>&1)
done
printf '%-28s %8s %10s %10s\n' file lines branches taken
for f in lang/lex lang/parse lang/check lang/check_scenario treaty/verdict treaty/report geo/gazetteer geo/geo base/diag; do
    out=$(cd "$O/src/${f%/*}" && gcov -b -n -o . "../../../../src/$f.c" 2>/dev/null | awk -v f="src/$f.c" 'index($0, "File") == 1 && index($0, f) {p=1} p')
    lines=$(printf '%s\n' "$out" | sed -n 's/^Lines executed:\([0-9.]*%\).*/\1/p' | head -1)
    br=$(printf '%s\n' "$out" | sed -n 's/^Branches executed:\([0-9.]*%\).*/\1/p' | head -1)
    taken=$(printf '%s\n' "$out" | sed -n 's/^Taken at least once:\([0-9.]*%\).*/\1/p' | head -1)
    printf '%-28s %8s %10s %10s\n' "src/$f.c" "${lines:--}" "${br:--}" "${taken:--}"
done
