#!/usr/bin/env bash
# tests/function-length.sh — no function in the library or the CLI runs
# over 100 lines unless the comment just above it says why, with a line
# beginning "Long:" (a big switch that reads best whole, a pivot loop).
# Counts the lines between a function's opening and closing braces, which
# the house style puts alone in column 0.  Exits 1 naming each offender.
set -u
cd "$(dirname "$0")/.."
limit=${1:-100}
out=$(for f in src/*/*.c cli/*.c; do
    awk -v lim="$limit" -v file="$f" '
        /^\/\*/ { cmt = ""; incmt = 1 }
        incmt { cmt = cmt $0 "\n"; if ($0 ~ /\*\//) { incmt = 0; last = NR } }
        /^[A-Za-z].*\(/ && !incmt { name = $0; if (NR - last > 3) cmt = "" }
        /^\{$/ { start = NR; why = (cmt ~ /Long:/) }
        /^\}$/ { if (start && NR - start - 1 > lim && !why)
                     printf "%s:%d: %s (%d lines)\n", file, start, name, NR - start - 1
                 start = 0; cmt = "" }' "$f"
done)
if [ -n "$out" ]; then
    printf '%s\n' "$out"
    echo "function length: $(printf '%s\n' "$out" | wc -l) function(s) over $limit lines without a 'Long:' reason"
    exit 1
fi
echo "function length: none over $limit lines without a reason"
