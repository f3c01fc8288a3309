#!/bin/sh
# mkevidence.sh SHARED_DATA_DIR — regenerate data/evidence/*.csv from the
# ICB v14 and MID 5.0 files as distributed (see data/evidence/README.md).
# The conversion only normalises the files: the UTF-8 byte order mark and
# carriage returns are removed, a final newline is ensured, and the columns
# that are the same on every row (ICB's record tag "ICB1"/"ICB2", MID's
# `version` = 5) are left out.  Every other column and every cell is kept
# byte for byte.  POSIX sh, sed, awk.
set -eu
src=${1:-../shared/data}
out=$(dirname "$0")/../data/evidence
# drop_col FILE N: strip BOM and CR, drop field N (1-based; 0 = last); the
# files have no quoted commas (checked: every row has as many fields as the
# header), so a plain field split is exact.
drop_col() {
    sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$1" | awk -F, -v n="$2" 'BEGIN { OFS = "," }
        { k = n ? n : NF; s = ""; sep = ""
          for (i = 1; i <= NF; i++) if (i != k) { s = s sep $i; sep = "," }
          print s }'
}
drop_col "$src/icb/icb1v14.csv" 1 > "$out/icb-crises.csv"
drop_col "$src/icb/icb2v14.csv" 1 > "$out/icb-actors.csv"
drop_col "$src/mid/MIDA_5.0.csv" 0 > "$out/mid-disputes.csv"
drop_col "$src/mid/MIDB_5.0.csv" 0 > "$out/mid-participants.csv"
