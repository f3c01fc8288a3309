#!/usr/bin/env bash
# tests/write-file.sh — how casus writes an output file (cli/out.c): never
# through a symbolic link planted at the destination or at a temporary name,
# whole when two runs write the same file at once, with the permissions of
# the file it replaces, nothing left behind, and devices, FIFOs and
# /dev/stdout written in place.
#   bash tests/write-file.sh [CASUS]   (CASUS: build/release/casus)
# Ends with "write-file: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
C=${1:-build/release/casus}
case $C in /*) ;; *) C=$root/${C#./} ;; esac
G=$root/tests/golden/game-small.casus
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

ok() { # ok WHAT CONDITION...
    local what=$1
    shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL write-file: $what"; fi
}
same() { cmp -s "$1" "$2"; }
differ() { ! cmp -s "$1" "$2"; }
only_files() { # the directory holds exactly these names (no temporary left)
    local have
    have=$(ls -A | LC_ALL=C sort | tr '\n' ' ')
    [ "$have" = "$* " ] || { echo "    files: $have"; return 1; }
}

# The two reference outputs: two different draws of the same game.
"$C" compile "$G" --draw 0 >ref0.efg && "$C" compile "$G" --draw 1 >ref1.efg
ok "references written" test -s ref0.efg -a -s ref1.efg
ok "references differ" differ ref0.efg ref1.efg

# 1. A symbolic link at the destination is replaced, its target untouched.
echo precious >victim.txt
ln -s victim.txt out.efg
"$C" compile "$G" --out out.efg
ok "symlink at destination: exit 0" test $? = 0
ok "symlink at destination: target untouched" test "$(cat victim.txt)" = precious
ok "symlink at destination: replaced by a regular file" test -f out.efg -a ! -L out.efg
ok "symlink at destination: content" same out.efg ref0.efg

# 2. A symbolic link at the old fixed temporary name (PATH.tmp-casus) is
#    never followed (the audit's reproducer, CWE-59).
rm -f out.efg
ln -s victim.txt out.efg.tmp-casus
"$C" compile "$G" --out out.efg
ok "symlink at temp name: exit 0" test $? = 0
ok "symlink at temp name: target untouched" test "$(cat victim.txt)" = precious
ok "symlink at temp name: content" same out.efg ref0.efg
rm -f out.efg.tmp-casus

# 3. A dangling symbolic link at the destination creates nothing where it points.
rm -f out.efg
ln -s created-through-link.efg out.efg
"$C" compile "$G" --out out.efg
ok "dangling symlink: nothing created through it" test ! -e created-through-link.efg
ok "dangling symlink: content" same out.efg ref0.efg
ok "after 1-3: no temporary file left" only_files out.efg ref0.efg ref1.efg victim.txt

# 4. Two writers of the same file at once: each time the file is one of the
#    two outputs, whole, and no temporary file is left.
torn=0
for i in $(seq 1 20); do
    "$C" compile "$G" --draw 0 --out race.efg &
    "$C" compile "$G" --draw 1 --out race.efg &
    wait
    same race.efg ref0.efg || same race.efg ref1.efg || torn=$((torn + 1))
done
ok "race: the file is always one whole output ($torn torn of 20)" test $torn = 0
ok "race: no temporary file left" only_files out.efg race.efg ref0.efg ref1.efg victim.txt

# 5. Permissions: those of the file replaced, else 0666 less the umask.
chmod 640 out.efg
"$C" compile "$G" --out out.efg
ok "mode of the replaced file kept" test "$(stat -c %a out.efg)" = 640
(umask 027 && "$C" compile "$G" --out new.efg)
ok "new file: 0666 less the umask" test "$(stat -c %a new.efg)" = 640
rm -f new.efg

# 6. A failure leaves the destination as it was.
cp ref1.efg keep.efg
"$C" compile "$root/tests/golden/bad-scenario.casus" --out keep.efg 2>/dev/null
ok "bad input: exit 2" test $? = 2
ok "bad input: destination unchanged" same keep.efg ref1.efg
"$C" compile "$G" --out no/such/dir/x.efg 2>/dev/null
ok "missing directory: exit 4" test $? = 4
ok "after 5-6: no temporary file left" only_files keep.efg out.efg race.efg ref0.efg ref1.efg victim.txt

# 7. Devices, FIFOs and /dev/stdout are written in place.
"$C" compile "$G" --out /dev/stdout >stdout.efg
ok "/dev/stdout" same stdout.efg ref0.efg
"$C" compile "$G" --out /dev/null
ok "/dev/null: exit 0" test $? = 0
mkfifo pipe
cat pipe >fifo.efg &
"$C" compile "$G" --out pipe
wait
ok "FIFO" same fifo.efg ref0.efg
# the SVG and the CSV both on stdout, in that order
"$C" sensitivity --function ishigami --method morris --trajectories 4 --svg /dev/stdout --csv >both.txt
ok "/dev/stdout keeps its order with stdout" test "$(head -c 4 both.txt)" = "<svg" -a "$(tail -n 1 both.txt | cut -c1-3)" = "x3,"

echo "write-file: $pass passed, $fail failed"
[ $fail = 0 ]
