#!/bin/sh
# mkpack.sh OUT FILE... — bundle the casus sources and data files that are
# compiled into libcasus (src/base/embed.S) into one pack.  Format: for each file a
# line with its path, a line with its size in bytes, then the bytes; a final
# empty line ends the pack.  Read by casus_engine_load_builtin (engine.c).
set -eu
out=$1; shift
tmp="$out.tmp"
: > "$tmp"
for f in "$@"; do
    printf '%s\n%s\n' "$f" "$(wc -c < "$f" | tr -d ' ')" >> "$tmp"
    cat "$f" >> "$tmp"
done
printf '\n' >> "$tmp"
mv "$tmp" "$out"
