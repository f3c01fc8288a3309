#!/usr/bin/python3
"""tests/evidence_count.py — an independent count of reference classes.

For each query below, counts n, k and the dropped rows over the CSV with
Python's csv module (no casus code), and compares them with
`casus evidence DATASET --where W --outcome O [--na V] --json`.  Each query
is written twice, as casus expressions and as Python functions of a row,
with the columns each side reads (a row is dropped when a column `where`
reads is missing, or when it is in the class and a column the outcome reads
is missing; docs/evidence.md).  With a shared-data directory it also counts
over the original files (UTF-8 byte order mark, CRLF), which checks the
conversion in tools/mkevidence.sh.

usage: evidence_count.py CASUS DATA_DIR [SHARED_DATA_DIR]
Prints one line per query and 'evidence agreement: N passed, N failed'.
"""
import csv
import json
import os
import subprocess
import sys

W = [2, 200, 220]  # USA, UKG, FRN (COW codes)
NATO = [2, 20, 200, 210, 211, 212, 220, 230, 235, 255, 260, 290, 310, 316, 317, 325,
        339, 341, 343, 344, 349, 350, 355, 360, 366, 367, 368, 385, 390, 395, 640]


def num(v):
    return float(v)


# (name, dataset, where, outcome, na, where_cols, outcome_cols, py_where, py_outcome)
QUERIES = [
    ("referee-B5-west-triggered-by-russia", "icb-actors",
     "cracid in [2, 200, 220] and trigent == 365 and yrtrig >= 1949", "majres in [8, 9]", [],
     ["cracid", "trigent", "yrtrig"], ["majres"],
     lambda r: num(r["cracid"]) in W and num(r["trigent"]) == 365 and num(r["yrtrig"]) >= 1949,
     lambda r: num(r["majres"]) in (8, 9)),
    ("referee-B5-russia-triggered-by-nato", "icb-actors",
     "cracid == 365 and trigent in [" + ", ".join(map(str, NATO)) + "] and yrtrig >= 1949",
     "majres in [8, 9]", [],
     ["cracid", "trigent", "yrtrig"], ["majres"],
     lambda r: num(r["cracid"]) == 365 and num(r["trigent"]) in NATO and num(r["yrtrig"]) >= 1949,
     lambda r: num(r["majres"]) in (8, 9)),
    ("referee-B5-pooled", "icb-actors",
     "(cracid in [2, 200, 220] and trigent == 365 or cracid == 365 and trigent in ["
     + ", ".join(map(str, NATO)) + "]) and yrtrig >= 1949", "majres in [8, 9]", [],
     ["cracid", "trigent", "yrtrig"], ["majres"],
     lambda r: ((num(r["cracid"]) in W and num(r["trigent"]) == 365)
                or (num(r["cracid"]) == 365 and num(r["trigent"]) in NATO))
     and num(r["yrtrig"]) >= 1949,
     lambda r: num(r["majres"]) in (8, 9)),
    ("violent-trigger-answered-violently", "icb-actors", "triggr == 9 and yrtrig >= 1945",
     "majres >= 8", [], ["triggr", "yrtrig"], ["majres"],
     lambda r: num(r["triggr"]) == 9 and num(r["yrtrig"]) >= 1945,
     lambda r: num(r["majres"]) >= 8),
    ("grave-crises-turn-violent", "icb-crises", "yrtrig >= 1945 and gravcr >= 4", "viol >= 3", [],
     ["yrtrig", "gravcr"], ["viol"],
     lambda r: num(r["yrtrig"]) >= 1945 and num(r["gravcr"]) >= 4,
     lambda r: num(r["viol"]) >= 3),
    ("every-crisis-war", "icb-crises", None, "viol == 4", [], [], ["viol"],
     lambda r: True, lambda r: num(r["viol"]) == 4),
    ("long-crises", "icb-crises", "yrterm - yrtrig >= 1 and not (geog in [2, 3])",
     "viol >= 3 or crismg == 8", [], ["yrterm", "yrtrig", "geog"], ["viol", "crismg"],
     lambda r: num(r["yrterm"]) - num(r["yrtrig"]) >= 1 and num(r["geog"]) not in (2, 3),
     lambda r: num(r["viol"]) >= 3 or num(r["crismg"]) == 8),
    ("russian-actors-text", "icb-actors", 'actor == "RUS" or actor == "USR"', "viol == 4", [],
     ["actor"], ["viol"],
     lambda r: r["actor"].strip() in ("RUS", "USR"), lambda r: num(r["viol"]) == 4),
    ("postwar-disputes-fatal", "mid-disputes", "styear >= 1946", "fatality >= 1", ["-9"],
     ["styear"], ["fatality"],
     lambda r: num(r["styear"]) >= 1946, lambda r: num(r["fatality"]) >= 1),
    ("19th-century-force-costly", "mid-disputes", "styear < 1900 and hostlev >= 4",
     "fatality >= 3", ["-9"], ["styear", "hostlev"], ["fatality"],
     lambda r: num(r["styear"]) < 1900 and num(r["hostlev"]) >= 4,
     lambda r: num(r["fatality"]) >= 3),
    ("reciprocated-settled", "mid-disputes", "not (hostlev in [1, 2]) or recip == 1",
     "settle == 1", ["-9"], ["hostlev", "recip"], ["settle"],
     lambda r: num(r["hostlev"]) not in (1, 2) or num(r["recip"]) == 1,
     lambda r: num(r["settle"]) == 1),
    ("referee-russia-uses-force", "mid-participants", 'ccode == 365 and styear >= 1949',
     "hostlev >= 4", ["-9"], ["ccode", "styear"], ["hostlev"],
     lambda r: num(r["ccode"]) == 365 and num(r["styear"]) >= 1949,
     lambda r: num(r["hostlev"]) >= 4),
    ("west-originators-fatal", "mid-participants", 'stabb in ["USA", "UKG", "FRN"] and orig == 1',
     "fatality >= 1", ["-9"], ["stabb", "orig"], ["fatality"],
     lambda r: r["stabb"].strip() in ("USA", "UKG", "FRN") and num(r["orig"]) == 1,
     lambda r: num(r["fatality"]) >= 1),
]

ORIGINALS = {"icb-crises": "icb/icb1v14.csv", "icb-actors": "icb/icb2v14.csv",
             "mid-disputes": "mid/MIDA_5.0.csv", "mid-participants": "mid/MIDB_5.0.csv"}


def is_missing(v, na):
    v = v.strip()
    if v == "":
        return True
    for code in na:
        if v == code:
            return True
        try:
            if float(v) == float(code):
                return True
        except ValueError:
            pass
    return False


def count(path, q):
    _, _, _, _, na, wcols, ocols, pw, po = q
    n = k = dropped = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if any(is_missing(row[c], na) for c in wcols):
                dropped += 1
                continue
            if not pw(row):
                continue
            if any(is_missing(row[c], na) for c in ocols):
                dropped += 1
                continue
            n += 1
            k += bool(po(row))
    return n, k, dropped


def casus_count(casus, q):
    _, dataset, where, outcome, na, *_ = q
    args = [casus, "evidence", dataset, "--outcome", outcome, "--json"]
    if where:
        args += ["--where", where]
    for v in na:
        args += ["--na", v]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    return j["n"], j["k"], j["dropped"]


def main():
    casus, data = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else None
    passed = failed = 0
    for q in QUERIES:
        got = casus_count(casus, q)
        files = [os.path.join(data, q[1] + ".csv")]
        if shared:
            files.append(os.path.join(shared, ORIGINALS[q[1]]))
        for path in files:
            want = count(path, q)
            ok = got == want
            passed += ok
            failed += not ok
            print("%s %s over %s: casus n=%d k=%d dropped=%d, independent n=%d k=%d dropped=%d"
                  % ("ok  " if ok else "FAIL", q[0], os.path.basename(path), *got, *want))
    print("evidence agreement: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
