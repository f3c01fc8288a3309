#!/usr/bin/env bash
# tests/include-graph.sh — the shape of the library, checked: src/ holds only
# wing folders; a wing includes only itself and the wings below it (WINGS
# lists them in pipeline order, lowest first); and no include circle joins
# modules (a module is a wing's NAME.c and NAME.h taken together).
# Prints one line per fault and "include graph: N modules, N edges, ok";
# exits 1 on any fault.  docs/architecture.md explains the wings.
set -u
cd "$(dirname "$0")/.."
WINGS="base geo uq model treaty evidence lang game scenario fit"

rank() { local i=0 w; for w in $WINGS; do [ "$w" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo -1; }
faults=0
for f in src/*; do
    if [ ! -d "$f" ]; then echo "src/ holds a file outside every wing: $f"; faults=$((faults + 1)); continue; fi
    w=${f#src/}
    [ "$(rank "$w")" -ge 0 ] || { echo "src/$w is not a wing listed in tests/include-graph.sh"; faults=$((faults + 1)); }
done

# edges "fromwing/module towing/module", one per distinct include
edges=$(for f in src/*/*.[ch]; do
    from=${f#src/}; from=${from%.*}
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\/[a-z_0-9]*\)\.h".*/\1/p' "$f" |
        while read -r to; do [ "$to" != "$from" ] && [ "${to%%/*}" != casus ] && echo "$from $to"; done
done | sort -u)

while read -r from to; do
    [ -n "$from" ] || continue
    fw=${from%%/*}; tw=${to%%/*}
    [ -f "src/$to.h" ] || { echo "src/$from includes missing header $to.h"; faults=$((faults + 1)); continue; }
    if [ "$(rank "$tw")" -gt "$(rank "$fw")" ]; then
        echo "upward include: $from (wing $fw) includes $to.h (wing $tw)"; faults=$((faults + 1))
    fi
done <<< "$edges"

# circles: repeatedly strip modules with no outgoing edge left; what remains is on or behind a cycle
cyc=$(printf '%s\n' "$edges" | awk '
    NF == 2 { out[$1] = out[$1] " " $2; n[$1]++; nodes[$1]; nodes[$2] }
    END {
        do { changed = 0
            for (v in nodes) if (!(v in gone)) {
                k = 0; m = split(out[v], t, " ")
                for (i = 1; i <= m; i++) if (!(t[i] in gone)) k++
                if (k == 0) { gone[v]; changed = 1 }
            }
        } while (changed)
        for (v in nodes) if (!(v in gone)) print v
    }' | sort | tr '\n' ' ')
if [ -n "$cyc" ]; then echo "include circle among (or leading into one): $cyc"; faults=$((faults + 1)); fi

nmod=$(ls src/*/*.[ch] | sed 's/\.[ch]$//' | sort -u | wc -l)
nedge=$(printf '%s\n' "$edges" | grep -c . )
if [ $faults -eq 0 ]; then echo "include graph: $nmod modules, $nedge edges, ok"; exit 0; fi
echo "include graph: $faults fault(s)"; exit 1
