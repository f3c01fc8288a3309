#!/usr/bin/env python3
"""mkgeo.py -- compile Natural Earth polygons into data/geo/world.bin.

Run by hand by developers when the data or the tables change (never at build
time); the output is committed and embedded in libcasus by src/base/embed.S.

    python3 tools/mkgeo.py [NE_DIR] [-o data/geo/world.bin]

NE_DIR defaults to ../shared/data/naturalearth relative to the repository
root.  Inputs:

  ne_10m_admin_0_map_units.geojson     sovereigns and small territories
  ne_50m_admin_0_map_subunits.geojson  "which part" (Hawaii, Canaries, ...)
  ne_10m_geography_marine_polys.geojson sea names (field name_norm)
  data/geo/units.csv                   our region/island table (hand-curated)
  data/geo/seas.csv                    our sea -> basin table (hand-curated)

Output format: docs/geo-format.md.  Output is deterministic: the same inputs
give the same bytes (no timestamps, no dict-order dependence, stable sorts).
Standard library only.
"""

import argparse
import csv
import json
import math
import os
import struct
import sys

VERSION = 1
MAGIC = b"CASUSGEO"
NONE = 0xFFFFFFFF
LAYER_L10, LAYER_L50, LAYER_SEA = 0, 1, 2
SCALE = 1000000  # micro-degrees

# NE sovereign codes that are not ISO 3166 alpha-3 (NE README, "Attributes").
# Codes with no ISO equivalent (CYN, KOS, SOL, CNM, KAS, SPI, BRT, BRI, PGA,
# BJN, SER, SCR) are kept as NE has them.
SOV_ISO = {
    "US1": "USA", "GB1": "GBR", "FR1": "FRA", "DN1": "DNK", "NL1": "NLD",
    "FI1": "FIN", "AU1": "AUS", "NZ1": "NZL", "CH1": "CHN", "IS1": "ISR",
    "CU1": "CUB", "KA1": "KAZ", "KAZ": "KAZ", "SDS": "SSD", "SAH": "ESH",
}

# 10m GU_A3 codes renamed so that they match the 50m subunit code of the
# same area (NE 5.1.2 and 4.0.0 disagree on these).
GU_RENAME = {"NOW": "NOR", "NLX": "NLD", "SOX": "SOM", "SYX": "SYR", "IRR": "IRQ"}

# Parts of a 10m multipolygon that become units of their own.  A part goes
# to the split when the mean of its outer-ring vertices lies in the box
# (lat0, lat1, lon0, lon1).  Spain's North African territories are parts of
# Spain's 10m multipolygon, and the 50m layer puts them inside Morocco, so
# they are split here to carry region "africa".  Crete is split so that it
# can be marked as an island.
SPLITS = [
    ("ESP", "ESP-CE", "Ceuta", (35.85, 35.93, -5.40, -5.25)),
    ("ESP", "ESP-ML", "Melilla", (35.26, 35.33, -2.98, -2.90)),
    ("ESP", "ESP-PS", "Spanish North African islets (Perejil, Velez, Alhucemas, Chafarinas)",
     (35.10, 35.95, -5.45, -2.40)),
    ("GRC", "GRC-CR", "Crete", (34.70, 35.75, 23.40, 26.40)),
]


def die(msg):
    sys.stderr.write("mkgeo: " + msg + "\n")
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def polys_of(geom):
    if geom is None:
        return []
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    die("unexpected geometry " + geom["type"])


def to_ring(coords):
    r = [(int(round(x * SCALE)), int(round(y * SCALE))) for x, y in coords]
    if r[0] != r[-1]:
        r.append(r[0])
    # drop consecutive duplicates (zero-length edges)
    out = [r[0]]
    for p in r[1:]:
        if p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def ring_mean(ring):
    n = len(ring) - 1
    return (sum(p[1] for p in ring[:-1]) / n / SCALE, sum(p[0] for p in ring[:-1]) / n / SCALE)


def sov_iso(code):
    return SOV_ISO.get(code, code)


class Poly:
    __slots__ = ("layer", "owner", "dflt", "rings", "flags", "parent")

    def __init__(self, layer, owner, rings):
        self.layer = layer
        self.owner = owner      # unit code (land) or sea key (marine)
        self.dflt = owner
        self.rings = rings
        self.flags = None       # per ring, per vertex: edge excluded from distance
        self.parent = None      # 50m: the 10m unit this subunit refines


def read_land(ne_dir):
    """10m units and 50m subunits as Poly lists plus attribute dicts."""
    d10 = load(os.path.join(ne_dir, "ne_10m_admin_0_map_units.geojson"))
    d50 = load(os.path.join(ne_dir, "ne_50m_admin_0_map_subunits.geojson"))
    attrs = {}   # code -> dict(name, sov, continent, layer)
    polys10 = []
    for f in d10["features"]:
        p = f["properties"]
        code = GU_RENAME.get(p["GU_A3"], p["GU_A3"])
        if code in attrs:
            die("duplicate 10m unit " + code)
        attrs[code] = {"name": p["NAME"], "sov": sov_iso(p["SOV_A3"]),
                       "continent": p["CONTINENT"], "layer": "10m"}
        for poly in polys_of(f["geometry"]):
            rings = [to_ring(r) for r in poly]
            owner = code
            lat, lon = ring_mean(rings[0])
            for parent, sub, name, (la0, la1, lo0, lo1) in SPLITS:
                if parent == code and la0 <= lat <= la1 and lo0 <= lon <= lo1:
                    owner = sub
                    if sub not in attrs:
                        attrs[sub] = {"name": name, "sov": attrs[code]["sov"],
                                      "continent": p["CONTINENT"], "layer": "10m split"}
                    break
            polys10.append(Poly(LAYER_L10, owner, rings))
    for _, sub, _, _ in SPLITS:
        if sub not in attrs:
            die("split %s matched no part" % sub)

    # 50m subunits refine a 10m unit only when NE splits it (>= 2 subunits
    # sharing the 10m unit's GU_A3 code): USA -> USB/USH/USK, ESP -> ESX/ESC/ESI...
    children = {}
    for f in d50["features"]:
        p = f["properties"]
        gu = GU_RENAME.get(p["GU_A3"], p["GU_A3"])
        children.setdefault(gu, []).append(f)
    polys50 = []
    parent_of = {}
    for gu in sorted(children):
        fs = children[gu]
        if gu not in attrs or len(fs) < 2:
            continue
        for f in fs:
            p = f["properties"]
            code = p["SU_A3"]
            if sov_iso(p["SOV_A3"]) != attrs[gu]["sov"]:
                die("50m subunit %s sovereign differs from %s" % (code, gu))
            if code != gu:
                # A subunit coded like its parent ("AUS" beside Tasmania) is
                # the parent unit itself.
                if code in attrs:
                    die("50m subunit code %s collides with a 10m unit" % code)
                attrs[code] = {"name": p["SUBUNIT"], "sov": attrs[gu]["sov"],
                               "continent": p["CONTINENT"], "layer": "50m"}
                parent_of[code] = gu
            for poly in polys_of(f["geometry"]):
                q = Poly(LAYER_L50, code, [to_ring(r) for r in poly])
                q.parent = gu
                polys50.append(q)
    return attrs, polys10, polys50, parent_of


def read_seas(ne_dir):
    d = load(os.path.join(ne_dir, "ne_10m_geography_marine_polys.geojson"))
    out = []
    for f in d["features"]:
        p = f["properties"]
        key = p["name_norm"] if p["name_norm"] is not None else "(" + p["note"] + ")"
        for poly in polys_of(f["geometry"]):
            out.append(Poly(LAYER_SEA, key, [to_ring(r) for r in poly]))
    return out


class VertexGrid:
    """1-degree hash of vertices for nearest-vertex votes in the converter."""

    def __init__(self):
        self.cells = {}

    def add(self, x, y, tag):
        self.cells.setdefault((x // SCALE, y // SCALE), []).append((x, y, tag))

    def nearest(self, x, y, maxr=6):
        cx, cy = x // SCALE, y // SCALE
        best = None
        for r in range(maxr + 1):
            for i in range(cx - r, cx + r + 1):
                for j in range(cy - r, cy + r + 1):
                    if max(abs(i - cx), abs(j - cy)) != r:
                        continue
                    for vx, vy, tag in self.cells.get((i, j), ()):
                        d = (vx - x) ** 2 + (vy - y) ** 2
                        if best is None or d < best[0] or (d == best[0] and tag < best[1]):
                            best = (d, tag)
            if best is not None and math.sqrt(best[0]) < r * SCALE:
                break
        return best[1] if best else None


def part_defaults(polys10, polys50, parent_of):
    """For 10m parts of split units: the 50m subunit most of the part's
    vertices are nearest to (Hawaiian islets -> USH).  The runtime uses it
    only when the point lies in no matching 50m polygon and no matching 50m
    edge is near (see geo.c)."""
    grids = {}
    for p in polys50:
        g = grids.setdefault(p.parent, VertexGrid())
        for ring in p.rings:
            for x, y in ring[:-1]:
                g.add(x, y, p.owner)
    for p in polys10:
        g = grids.get(p.owner)
        if g is None:
            continue
        ring = p.rings[0]
        n = len(ring) - 1
        step = max(1, n // 48)
        votes = {}
        for k in range(0, n, step):
            tag = g.nearest(*ring[k])
            if tag is not None:
                votes[tag] = votes.get(tag, 0) + 1
        if not votes:
            # remote islet: nearest child vertex anywhere
            x, y = ring[0]
            best = min((((vx - x) ** 2 + (vy - y) ** 2, tag)
                        for cell in g.cells.values() for vx, vy, tag in cell))
            votes[best[1]] = 1
        p.dflt = max(sorted(votes), key=lambda t: votes[t])


# Units whose outline is a boundary even against a unit of the same
# sovereign code: leased areas under another state's control.
KEEP_EDGES = {"USG", "KAB"}


def edge_flags(polys10, sov_of):
    """Flag 10m edges that are neither a coast nor a border between two
    sovereigns: edges shared with a polygon of the same sovereign
    (England/Scotland, Flanders/Wallonia), the antimeridian cut and the
    south-pole closing line of Antarctica.  Flagged edges still count for
    point-in-polygon; they are skipped by the boundary-distance search."""
    seen = {}
    for idx, p in enumerate(polys10):
        for ring in p.rings:
            for k in range(len(ring) - 1):
                a, b = ring[k], ring[k + 1]
                key = (a, b) if a < b else (b, a)
                seen.setdefault(key, set()).add(idx)
    for idx, p in enumerate(polys10):
        sov = sov_of[p.owner]
        p.flags = []
        for ring in p.rings:
            fl = []
            for k in range(len(ring) - 1):
                a, b = ring[k], ring[k + 1]
                key = (a, b) if a < b else (b, a)
                flag = 0
                if a[0] == b[0] and abs(a[0]) == 180 * SCALE:
                    flag = 1
                elif a[1] == b[1] == -90 * SCALE:
                    flag = 1
                else:
                    for other in seen[key]:
                        o = polys10[other].owner
                        if (other != idx and sov_of[o] == sov and o not in KEEP_EDGES
                                and p.owner not in KEEP_EDGES):
                            flag = 1
                            break
                fl.append(flag)
            fl.append(0)
            p.flags.append(fl)


def read_csv(path, header):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != header:
        die("%s: header must be %s" % (path, ",".join(header)))
    out = {}
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            die("%s:%d: expected %d fields" % (path, n, len(header)))
        if r[0] in out:
            die("%s:%d: duplicate key %s" % (path, n, r[0]))
        out[r[0]] = dict(zip(header, r))
    return out


REGIONS = {"europe", "north_america", "south_america", "asia", "africa", "oceania", "antarctica"}
BASINS = {"mediterranean", "turkish_straits", "black_sea", "north_atlantic", "south_atlantic",
          "arctic", "pacific", "indian", "southern", "caspian"}


class StrTab:
    def __init__(self):
        self.buf = bytearray(b"\0")
        self.index = {"": 0}

    def add(self, s):
        if s is None:
            return NONE
        if s not in self.index:
            self.index[s] = len(self.buf)
            self.buf += s.encode("utf-8") + b"\0"
        return self.index[s]


def uvarint(v, out):
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def zigzag(v):
    return (v << 1) if v >= 0 else ((-v) << 1) - 1


def bbox(p):
    xs = [x for r in p.rings for x, _ in r]
    ys = [y for r in p.rings for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def write_blob(path, units, unit_rows, sea_keys, seas, polys):
    st = StrTab()
    uidx = {u: i for i, u in enumerate(units)}
    sidx = {k: i for i, k in enumerate(sea_keys)}
    ub = bytearray()
    for u in units:
        r = unit_rows[u]
        flags = (1 if r["island"] == "1" else 0) | (2 if r["_split"] else 0)
        parent = uidx[r["_parent"]] if r["_parent"] else NONE
        ub += struct.pack("<8I", st.add(u), st.add(r["name"]), st.add(r["sovereign"]),
                          st.add(r["region"]), st.add(r["island_basin"] or None), flags,
                          parent, 0)
    sb = bytearray()
    for s in seas:
        name, basin = s
        sb += struct.pack("<2I", st.add(name), st.add(basin))
    pb = bytearray()
    rb = bytearray()
    cb = bytearray()
    nring = 0
    for p in polys:
        if p.layer == LAYER_SEA:
            owner = dflt = sidx[p.owner]
        else:
            owner, dflt = uidx[p.owner], uidx[p.dflt]
        x0, y0, x1, y1 = bbox(p)
        pb += struct.pack("<BBHII4iII", p.layer, 0, 0, owner, dflt, x0, y0, x1, y1, nring,
                          len(p.rings))
        for ri, ring in enumerate(p.rings):
            rb += struct.pack("<I", len(ring))
            nring += 1
            px = py = 0
            for k, (x, y) in enumerate(ring):
                fl = p.flags[ri][k] if p.flags else 0
                uvarint((zigzag(x - px) << 1) | fl, cb)
                uvarint(zigzag(y - py), cb)
                px, py = x, y
    while len(st.buf) % 4:
        st.buf += b"\0"
    hdr_len = 96
    layout = []
    off = hdr_len
    for sec in (st.buf, ub, sb, pb, rb, cb):
        layout.append(off)
        off += len(sec)
        off = (off + 3) & ~3
    nl = [sum(1 for p in polys if p.layer == L) for L in range(3)]
    hdr = MAGIC + struct.pack("<I I", VERSION, off)
    hdr += struct.pack("<2I", layout[0], len(st.buf))
    hdr += struct.pack("<2I", layout[1], len(units))
    hdr += struct.pack("<2I", layout[2], len(seas))
    hdr += struct.pack("<2I", layout[3], len(polys))
    hdr += struct.pack("<2I", layout[4], nring)
    hdr += struct.pack("<2I", layout[5], len(cb))
    hdr += struct.pack("<3I", *nl)
    hdr += struct.pack("<I", sum(len(r) for p in polys for r in p.rings))
    hdr += b"\0" * (hdr_len - len(hdr))
    out = bytearray(hdr)
    for o, sec in zip(layout, (st.buf, ub, sb, pb, rb, cb)):
        out += b"\0" * (o - len(out))
        out += sec
    out += b"\0" * (off - len(out))
    with open(path, "wb") as f:
        f.write(out)
    return len(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ne_dir", nargs="?",
                    default=os.path.join(root, "..", "shared", "data", "naturalearth"))
    ap.add_argument("-o", "--output", default=os.path.join(root, "data", "geo", "world.bin"))
    ap.add_argument("--units", default=os.path.join(root, "data", "geo", "units.csv"))
    ap.add_argument("--seas", default=os.path.join(root, "data", "geo", "seas.csv"))
    args = ap.parse_args()

    attrs, polys10, polys50, parent_of = read_land(args.ne_dir)
    sea_polys = read_seas(args.ne_dir)
    urows = read_csv(args.units, ["unit", "name", "sovereign", "region", "island",
                                  "island_basin", "source"])
    srows = read_csv(args.seas, ["sea", "basin", "source"])
    for code in attrs:
        if code not in urows:
            die("units.csv lacks a row for unit %s (%s)" % (code, attrs[code]["name"]))
    for code, r in sorted(urows.items()):
        if code not in attrs:
            die("units.csv: unit %s is not in the data" % code)
        if r["region"] not in REGIONS:
            die("units.csv: %s: bad region %r" % (code, r["region"]))
        if r["island"] not in ("0", "1"):
            die("units.csv: %s: island must be 0 or 1" % code)
        if r["island_basin"] and r["island_basin"] not in BASINS:
            die("units.csv: %s: bad island_basin %r" % (code, r["island_basin"]))
        if r["island"] == "1" and not r["island_basin"]:
            die("units.csv: %s: island without island_basin" % code)
        if not r["source"].strip():
            die("units.csv: %s: empty source" % code)
        r["_parent"] = parent_of.get(code)
        r["_split"] = any(p.parent == code for p in polys50)
    for key, r in srows.items():
        if r["basin"] and r["basin"] not in BASINS:
            die("seas.csv: %s: bad basin %r" % (key, r["basin"]))
    for p in sea_polys:
        if p.owner not in srows:
            die("seas.csv lacks a row for sea %r" % p.owner)

    part_defaults(polys10, polys50, parent_of)
    edge_flags(polys10, {u: r["sovereign"] for u, r in urows.items()})

    units = sorted(attrs)
    sea_keys = sorted({p.owner for p in sea_polys})
    seas = [(None if k.startswith("(") else k, srows[k]["basin"] or None) for k in sea_keys]
    polys = polys10 + polys50 + sea_polys
    size = write_blob(args.output, units, urows, sea_keys, seas, polys)
    nv = sum(len(r) for p in polys for r in p.rings)
    sys.stderr.write("mkgeo: wrote %s: %d bytes, %d units, %d seas, %d polygons "
                     "(%d/%d/%d), %d vertices\n" % (args.output, size, len(units), len(seas),
                                                     len(polys), len(polys10), len(polys50),
                                                     len(sea_polys), nv))


if __name__ == "__main__":
    main()
