#!/usr/bin/env bash
# fuzz/build.sh — build the libFuzzer targets with clang (ASan+UBSan) into
# build/fuzz/bin/.  Run one with e.g.
#   build/fuzz/bin/fuzz_lang -max_total_time=60 fuzz/corpus/lang
# The game targets have dictionaries and take Gambit's example games from
# ../shared as extra seeds (they are GPL, so they are not copied in):
#   build/fuzz/bin/fuzz_efg -dict=fuzz/efg.dict NEW fuzz/corpus/efg ../shared/data/gambit-games
# New crashes become regression inputs: copy them into fuzz/corpus/<target>/.
set -eu
cd "$(dirname "$0")/.."
out=build/fuzz/bin
mkdir -p "$out"
flags="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_POSIX_C_SOURCE=200809L -DCASUS_DEBUG -Iinclude -Isrc"
make -s BUILD=fuzz CC=clang build/fuzz/libcasus.a
lib=build/fuzz/libcasus.a
for t in fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    extra=""
    [ "$name" = fuzz_csv ] && extra="cli/csv.c cli/text.c"
    [ "$name" = fuzz_cli ] && extra="cli/text.c cli/value.c"
    clang $flags -o "$out/$name" "$t" $extra "$lib" -lgmp -lm -lpthread
done
echo "built: $(ls "$out" | tr '\n' ' ')"
