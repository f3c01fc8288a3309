#!/usr/bin/env python3
"""mkgeoseeds.py -- small geography blobs for the fuzz corpus and unit tests.

    /usr/bin/python3 tools/mkgeoseeds.py [OUT_DIR]     # default fuzz/corpus/geo

Writes, with mkgeo.py's own writer (format version 2, docs/geo-format.md):

  tiny.bin          two states AAA (lon 0..1, lat 0..1) and BBB (lon 1.3..2.3)
                    on a "Test Sea"; an internal-waters bay of AAA north of it
                    (lat 1..1.1, lon 0.2..0.4); breadths: default 12 nm, AAA
                    3 nm before day 10000; BBB administered by AAA, claimed
                    by CCC.  tests/unit/test_geo.c knows these answers.
  empty.bin         a valid blob with no units and no polygons
  coord-min.bin     tiny.bin with one coordinate set to INT32_MIN (must be
                    rejected: the old delta decoder overflowed on such input)
  truncated.bin     tiny.bin less its last 6 bytes
  bad-claim.bin     tiny.bin with a claim whose period is empty

Standard library only (no GEOS needed).
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkgeo  # noqa: E402

S = mkgeo.SCALE


def square(x0, y0, x1, y1):
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return [(int(round(x * S)), int(round(y * S))) for x, y in pts]


def poly(layer, owner, ring):
    p = mkgeo.Poly(layer, owner, [ring])
    p.flags = [[0] * len(ring)]
    return p


def unit_row(name, sov, region, alt=""):
    return {"name": name, "sovereign": sov, "region": region, "region_alt": alt,
            "island": "0", "island_basin": "", "source": "test", "_split": False,
            "_parent": None}


def tiny(path):
    units = ["AAA", "BBB"]
    rows = {"AAA": unit_row("State A", "AAA", "europe", "asia"),
            "BBB": unit_row("State B", "BBB", "asia")}
    sea_keys = ["Test Sea"]
    seas = [("Test Sea", "mediterranean")]
    zones = [("Test Bay", None, [
        {"_from": -(2 ** 31), "_until": 5000, "coastal_state": "AAA", "contested": "0",
         "source": "bay before day 5000"},
        {"_from": 5000, "_until": 2 ** 31 - 1, "coastal_state": "AAA", "contested": "1",
         "source": "bay, contested from day 5000"}])]
    claims = [("AAA", -(2 ** 31), 10000, 5556, None, True, "AAA 3 nm before day 10000"),
              ("*", -(2 ** 31), 2 ** 31 - 1, 22224, None, False, "default 12 nm")]
    areas = [("BBB", 0, 2 ** 31 - 1, "AAA", "CCC", "test area")]
    polys = [poly(mkgeo.LAYER_L10, "AAA", square(0, 0, 1, 1)),
             poly(mkgeo.LAYER_L10, "BBB", square(1.3, 0, 2.3, 1)),
             poly(mkgeo.LAYER_SEA, "Test Sea", square(-1, -1, 4, 2)),
             poly(mkgeo.LAYER_ZONE, "Test Bay", square(0.2, 1.0, 0.4, 1.1))]
    return mkgeo.write_blob(path, units, rows, sea_keys, seas, zones, claims, areas, polys)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "fuzz", "corpus", "geo")
    os.makedirs(out, exist_ok=True)
    t = os.path.join(out, "tiny.bin")
    tiny(t)
    mkgeo.write_blob(os.path.join(out, "empty.bin"), [], {}, [], [], [], [], [], [])
    data = bytearray(open(t, "rb").read())
    coord_off = struct.unpack_from("<I", data, 16 + 8 * 9)[0]
    bad = bytearray(data)
    struct.pack_into("<i", bad, coord_off + 8, -(2 ** 31))
    open(os.path.join(out, "coord-min.bin"), "wb").write(bad)
    open(os.path.join(out, "truncated.bin"), "wb").write(data[:-6])
    claim_off = struct.unpack_from("<I", data, 16 + 8 * 5)[0]
    bad = bytearray(data)
    struct.pack_into("<i", bad, claim_off + 8, -(2 ** 31))
    open(os.path.join(out, "bad-claim.bin"), "wb").write(bad)


if __name__ == "__main__":
    main()
