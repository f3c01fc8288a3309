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
  ne_10m_minor_islands.geojson         islets the 10m land layer lacks
  ne_10m_admin_0_disputed_areas.geojson  where a unit is cut out (Golan)
  data/geo/units.csv                   our region/island table (hand-curated)
  data/geo/seas.csv                    our sea -> basin table (hand-curated)
  data/geo/territorial-sea.csv         breadth each state claims, by date
  data/geo/waters.csv                  internal waters (bays, enclosed seas)
  data/geo/areas.csv                   dated administration and claims

Output format: docs/geo-format.md.  Output is deterministic: the same inputs
give the same bytes (no timestamps, no dict-order dependence, stable sorts).
The geometry steps (cuts, islets, internal waters) use GEOS through
Debian's python3-shapely (tools/geolayers.py): run with /usr/bin/python3.
This is a developer-only dependency; the build never runs this tool.
"""

import argparse
import csv
import datetime
import json
import math
import os
import struct
import sys

try:
    import warnings

    warnings.filterwarnings("ignore", message="STRtree will be changed")
    import geolayers  # needs python3-shapely (GEOS)
except ImportError:  # mkgeoseeds.py only needs the writer
    geolayers = None

VERSION = 2
MAGIC = b"CASUSGEO"
NONE = 0xFFFFFFFF
LAYER_L10, LAYER_L50, LAYER_SEA, LAYER_ZONE = 0, 1, 2, 3
DATE_MIN, DATE_MAX = -(2 ** 31), 2 ** 31 - 1
ZONE_INTERNAL = 1
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
    # Greek islands off Asia Minor (Lesbos, Chios, Samos, Ikaria, the
    # Dodecanese): their continent is contested (units.csv region_alt).
    ("GRC", "GRC-EA", "Eastern Aegean Islands", (35.38, 39.50, 25.95, 29.70)),
    # Iturup, Kunashir, Shikotan, Habomai: administered by Russia, claimed
    # by Japan (data/geo/areas.csv).
    ("RUS", "RUS-KU", "Southern Kuril Islands", (43.30, 45.70, 145.35, 148.95)),
    # The Senkaku (Diaoyu) Islands: administered by Japan, claimed by China
    # and Taiwan (areas.csv); NE's minor islands there join them
    # (ISLET_UNITS).  Before the Ryukyu boxes, which enclose them.
    ("JPN", "JPN-SE", "Senkaku Islands (Diaoyu)", (25.60, 26.05, 123.30, 124.70)),
    # Okinawa Prefecture (US administration until 1972; areas.csv): Yoron
    # (Kagoshima, 128.42 E) stays with Japan.
    ("JPN", "JPN-RY", "Ryukyu Islands (Okinawa)", (24.00, 26.95, 122.90, 131.40)),
    ("JPN", "JPN-RY", "Ryukyu Islands (Okinawa)", (26.95, 27.20, 122.90, 128.30)),
]

# Units cut out of 10m land along an NE disputed-area polygon (BRK_A3).
CUTS = [("B16", "SYR-GO", "Golan Heights")]

# Minor islands placed in a unit by box (lat0, lat1, lon0, lon1) rather than
# by the nearest 10m land polygon, where the nearest land is another state's
# (each rule cites why); the first matching box wins.
ISLET_UNITS = [
    ((25.60, 26.05, 123.30, 124.70), "JPN-SE",
     "Senkaku Islands: administered by Japan (areas.csv)"),
    ((35.90, 35.99, -3.10, -2.98), "ESP",
     "Alboran Island: Spanish (province of Almeria); nearer Morocco than Spain"),
    ((42.36, 42.42, 16.20, 16.36), "HRV",
     "Palagruza (Pelagosa): ceded to Yugoslavia by the Treaty of Peace with Italy "
     "(Paris, 1947), Art. 11; Croatian since 1991"),
    ((23.50, 24.20, -80.60, -79.90), "BHS",
     "Cay Sal Bank: part of the Bahamas (within the Bahamas' archipelagic baselines)"),
    ((43.35, 43.65, 145.85, 146.35), "RUS-KU",
     "Habomai islets: administered by Russia, claimed by Japan (areas.csv)"),
]

# Islets of the eastern Aegean: Treaty of Lausanne (1923), Art. 12 -- islands
# less than three miles from the Asiatic coast remain Turkish; the others go
# to Greece (the Dodecanese by the Treaty of Peace with Italy, 1947, Art. 14).
# Box (lat0, lat1, lon0, lon1) and the distance in km.
LAUSANNE = ((35.00, 40.20, 25.50, 29.80), "TUR", 3 * 1.852)


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


def parse_date(text, what, open_value):
    if not text:
        return open_value
    try:
        d = datetime.date.fromisoformat(text)
    except ValueError:
        die("%s: bad date %r" % (what, text))
    return (d - datetime.date(1970, 1, 1)).days


def read_rows(path, header):
    """All rows of a CSV with this exact header, as dicts (keys may repeat)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != header:
        die("%s: header must be %s" % (path, ",".join(header)))
    out = []
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            die("%s:%d: expected %d fields" % (path, n, len(header)))
        d = dict(zip(header, r))
        d["_line"] = "%s:%d" % (os.path.basename(path), n)
        if not d["source"].strip():
            die("%s: empty source" % d["_line"])
        out.append(d)
    return out


def read_claims(path, sea_names):
    """Territorial-sea breadth rows: (state, from, until, metres, seas,
    verified, source), in file order (the runtime takes the first match)."""
    out = []
    for r in read_rows(path, ["state", "from", "until", "breadth_nm", "seas", "verified",
                              "source"]):
        t0 = parse_date(r["from"], r["_line"], DATE_MIN)
        t1 = parse_date(r["until"], r["_line"], DATE_MAX)
        nm = float(r["breadth_nm"])
        if t0 >= t1 or not 0 < nm <= 200 or r["verified"] not in ("yes", "no"):
            die("%s: bad dates, breadth or verified" % r["_line"])
        seas = [x for x in r["seas"].split("|") if x]
        for x in seas:
            if x not in sea_names:
                die("%s: no NE sea named %r" % (r["_line"], x))
        out.append((r["state"], t0, t1, int(round(nm * 1852)), "|".join(seas) or None,
                    r["verified"] == "yes", r["source"]))
    return out


def read_zones(path):
    """Internal-waters zones: [(name, geometry row, [period rows])] in file
    order; a zone's first row gives its geometry, later rows add periods."""
    rows = read_rows(path, ["zone", "from", "until", "kind", "coastal_state", "contested",
                            "geometry", "closing_line", "source"])
    zones, by_name = [], {}
    for r in rows:
        if r["kind"] != "internal" or r["contested"] not in ("0", "1"):
            die("%s: kind must be 'internal', contested 0 or 1" % r["_line"])
        r["_from"] = parse_date(r["from"], r["_line"], DATE_MIN)
        r["_until"] = parse_date(r["until"], r["_line"], DATE_MAX)
        if r["_from"] >= r["_until"]:
            die("%s: empty period" % r["_line"])
        if r["zone"] not in by_name:
            if not r["geometry"]:
                die("%s: the first row of a zone needs its geometry" % r["_line"])
            by_name[r["zone"]] = (r["zone"], r, [])
            zones.append(by_name[r["zone"]])
        elif r["geometry"]:
            die("%s: geometry only on the zone's first row" % r["_line"])
        periods = by_name[r["zone"]][2]
        if periods and periods[-1]["_until"] > r["_from"]:
            die("%s: periods must be in order and not overlap" % r["_line"])
        periods.append(r)
    return zones


def read_areas(path, units):
    out = []
    for r in read_rows(path, ["unit", "from", "until", "administered_by", "claimed_by",
                              "source"]):
        if r["unit"] not in units:
            die("%s: unknown unit %s" % (r["_line"], r["unit"]))
        t0 = parse_date(r["from"], r["_line"], DATE_MIN)
        t1 = parse_date(r["until"], r["_line"], DATE_MAX)
        if t0 >= t1 or not r["administered_by"]:
            die("%s: bad dates or no administered_by" % r["_line"])
        out.append((r["unit"], t0, t1, r["administered_by"], r["claimed_by"] or None,
                    r["source"]))
    out.sort(key=lambda a: (a[0], a[1]))
    for a, b in zip(out, out[1:]):
        if a[0] == b[0] and b[1] < a[2]:
            die("areas.csv: overlapping periods for %s" % a[0])
    return out


def pad4(b):
    while len(b) % 4:
        b += b"\0"
    return b


def write_blob(path, units, unit_rows, sea_keys, seas, zones, claims, areas, polys):
    """Serialise everything (docs/geo-format.md, version 2); returns size."""
    st = StrTab()
    uidx = {u: i for i, u in enumerate(units)}
    sidx = {k: i for i, k in enumerate(sea_keys)}
    zidx = {k: i for i, (k, _, _) in enumerate(zones)}
    ub = bytearray()
    for u in units:
        r = unit_rows[u]
        flags = (1 if r["island"] == "1" else 0) | (2 if r["_split"] else 0)
        parent = uidx[r["_parent"]] if r["_parent"] else NONE
        alt = r["region_alt"] or None
        ub += struct.pack("<10I", st.add(u), st.add(r["name"]), st.add(r["sovereign"]),
                          st.add(r["region"]), st.add(r["island_basin"] or None), flags,
                          parent, st.add(alt), st.add(r["source"] if alt else None), 0)
    sb = bytearray()
    for name, basin in seas:
        sb += struct.pack("<2I", st.add(name), st.add(basin))
    zb, zpb = bytearray(), bytearray()
    nper = 0
    for key, _, periods in zones:
        zb += struct.pack("<4I", st.add(key), nper, len(periods), 0)
        for r in periods:
            state = None if r["coastal_state"] == "*" else r["coastal_state"]
            zpb += struct.pack("<2i4I", r["_from"], r["_until"], st.add(state),
                               ZONE_INTERNAL | (2 if r["contested"] == "1" else 0),
                               st.add(r["source"]), 0)
            nper += 1
    cb = bytearray()
    for state, t0, t1, metres, sea_list, verified, src in claims:
        cb += struct.pack("<I2iI3I", st.add(state), t0, t1, metres, st.add(sea_list),
                          1 if verified else 0, st.add(src))
    ab = bytearray()
    for unit, t0, t1, admin, claim, src in areas:
        ab += struct.pack("<I2i3I", uidx[unit], t0, t1, st.add(admin), st.add(claim),
                          st.add(src))
    pb, rb, xb = bytearray(), bytearray(), bytearray()
    nring = 0
    bits = []
    for p in polys:
        if p.layer == LAYER_SEA:
            owner = dflt = sidx[p.owner]
        elif p.layer == LAYER_ZONE:
            owner = dflt = zidx[p.owner]
        else:
            owner, dflt = uidx[p.owner], uidx[p.dflt]
        x0, y0, x1, y1 = bbox(p)
        pb += struct.pack("<BBHII4iII", p.layer, 0, 0, owner, dflt, x0, y0, x1, y1, nring,
                          len(p.rings))
        for ri, ring in enumerate(p.rings):
            rb += struct.pack("<I", len(ring))
            nring += 1
            for k, (x, y) in enumerate(ring):
                xb += struct.pack("<2i", x, y)
                bits.append(p.flags[ri][k] if p.flags else 0)
    fb = bytearray((len(bits) + 7) // 8)
    for k, b in enumerate(bits):
        if b:
            fb[k >> 3] |= 1 << (k & 7)
    secs = [pad4(st.buf), ub, sb, zb, zpb, cb, ab, pb, rb, xb, fb]
    counts = [len(st.buf), len(units), len(seas), len(zones), nper, len(claims), len(areas),
              len(polys), nring, len(bits), len(fb)]
    hdr_len = 128
    layout, off = [], hdr_len
    for sec in secs:
        layout.append(off)
        off = (off + len(sec) + 3) & ~3
    nl = [sum(1 for p in polys if p.layer == L) for L in range(4)]
    hdr = MAGIC + struct.pack("<II", VERSION, off)
    for o, n in zip(layout, counts):
        hdr += struct.pack("<2I", o, n)
    hdr += struct.pack("<4I", *nl)
    hdr += b"\0" * (hdr_len - len(hdr))
    out = bytearray(hdr)
    for o, sec in zip(layout, secs):
        out += b"\0" * (o - len(out))
        out += sec
    out += b"\0" * (off - len(out))
    with open(path, "wb") as f:
        f.write(out)
    return len(out)


def read_disputed(ne_dir):
    d = load(os.path.join(ne_dir, "ne_10m_admin_0_disputed_areas.geojson"))
    out = []
    for f in d["features"]:
        rings = [[to_ring(r) for r in poly] for poly in polys_of(f["geometry"])]
        shapes = [geolayers.to_shape(r) for r in rings]
        geom = shapes[0]
        for g in shapes[1:]:
            geom = geom.union(g)
        out.append((f["properties"]["BRK_A3"], geom))
    return out


def read_islets(ne_dir):
    d = load(os.path.join(ne_dir, "ne_10m_minor_islands.geojson"))
    return [[to_ring(r) for r in poly] for f in d["features"] for poly in polys_of(f["geometry"])]


def add_layers(ne_dir, attrs, polys10, sov_of):
    """Cuts and islets: the 10m land polygons after both, and the islet
    report."""
    def make10(owner, rings):
        return Poly(LAYER_L10, owner, rings)

    for brk, code, name in CUTS:
        attrs[code] = {"name": name, "sov": None, "continent": None, "layer": "10m cut"}
    polys10 = geolayers.cut_units(polys10, read_disputed(ne_dir),
                                  [(b, c) for b, c, _ in CUTS], make10, die)
    land = geolayers.Land(polys10)
    for _, code, _ in ISLET_UNITS:
        if code not in attrs:
            die("ISLET_UNITS: unknown unit %s" % code)
    rules = [(box, code) for box, code, _ in ISLET_UNITS]
    islets, report = geolayers.islet_polys(read_islets(ne_dir), land, rules, LAUSANNE, make10,
                                           lambda u: sov_of.get(u, attrs[u]["sov"]))
    return polys10 + islets, report


def check_units(attrs, urows, polys50, parent_of):
    for code in attrs:
        if code not in urows:
            die("units.csv lacks a row for unit %s (%s)" % (code, attrs[code]["name"]))
    for code, r in sorted(urows.items()):
        if code not in attrs:
            die("units.csv: unit %s is not in the data" % code)
        if r["region"] not in REGIONS or (r["region_alt"] and r["region_alt"] not in REGIONS):
            die("units.csv: %s: bad region %r / %r" % (code, r["region"], r["region_alt"]))
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


def write_report(path, zone_report, islet_report):
    lines = ["# tools/mkgeo.py check report (generated; do not edit)",
             "# internal-waters zones: the sovereigns whose land they touch, UNCLOS Art. 10"]
    lines += ["zone %s: %s" % z for z in zone_report]
    lines.append("# islets kept from NE 10m minor islands, farthest from their unit first:")
    lines.append("# unit, km (degrees x 111.2) to that unit's land, lat, lon of the islet")
    lines += ["islet %s %.1f %.4f %.4f" % t for t in sorted(islet_report, key=lambda t: -t[1])]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    geo = os.path.join(root, "data", "geo")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ne_dir", nargs="?",
                    default=os.path.join(root, "..", "shared", "data", "naturalearth"))
    ap.add_argument("-o", "--output", default=os.path.join(geo, "world.bin"))
    ap.add_argument("--report", default=os.path.join(geo, "build-report.txt"),
                    help="the islet and internal-waters check report")
    ap.add_argument("--bbox", nargs=4, type=float, metavar=("LAT0", "LAT1", "LON0", "LON1"),
                    help="keep only polygons whose bbox meets this box (small real blobs "
                         "for the fuzz corpus)")
    args = ap.parse_args()
    if geolayers is None:
        die("needs Debian's python3-shapely: run with /usr/bin/python3")

    attrs, polys10, polys50, parent_of = read_land(args.ne_dir)
    sea_polys = read_seas(args.ne_dir)
    urows = read_csv(os.path.join(geo, "units.csv"),
                     ["unit", "name", "sovereign", "region", "region_alt", "island",
                      "island_basin", "source"])
    srows = read_csv(os.path.join(geo, "seas.csv"), ["sea", "basin", "source"])
    sov_of = {u: r["sovereign"] for u, r in urows.items()}
    polys10, islet_report = add_layers(args.ne_dir, attrs, polys10, sov_of)
    check_units(attrs, urows, polys50, parent_of)
    for key, r in srows.items():
        if r["basin"] and r["basin"] not in BASINS:
            die("seas.csv: %s: bad basin %r" % (key, r["basin"]))
    for p in sea_polys:
        if p.owner not in srows:
            die("seas.csv lacks a row for sea %r" % p.owner)

    sea_keys = sorted({p.owner for p in sea_polys})
    claims = read_claims(os.path.join(geo, "territorial-sea.csv"), set(sea_keys))
    zones = read_zones(os.path.join(geo, "waters.csv"))
    areas = read_areas(os.path.join(geo, "areas.csv"), urows)
    sea_shapes = {}
    for p in sea_polys:
        sea_shapes.setdefault(p.owner, []).append(geolayers.to_shape(p.rings))
    zone_polys, zone_report = geolayers.zone_polys(
        zones, sea_shapes, geolayers.Land(polys10), sov_of,
        lambda owner, rings: Poly(LAYER_ZONE, owner, rings), die)

    part_defaults(polys10, polys50, parent_of)
    edge_flags(polys10, sov_of)

    units = sorted(attrs)
    seas = [(None if k.startswith("(") else k, srows[k]["basin"] or None) for k in sea_keys]
    polys = polys10 + polys50 + sea_polys + zone_polys
    if args.bbox:
        la0, la1, lo0, lo1 = (int(round(v * SCALE)) for v in args.bbox)
        polys = [p for p in polys if (lambda b: b[0] <= lo1 and b[2] >= lo0 and b[1] <= la1
                                      and b[3] >= la0)(bbox(p))]
    size = write_blob(args.output, units, urows, sea_keys, seas, zones, claims, areas, polys)
    write_report(args.report, zone_report, islet_report)
    nv = sum(len(r) for p in polys for r in p.rings)
    sys.stderr.write("mkgeo: wrote %s: %d bytes, %d units, %d seas, %d zones, %d claims, "
                     "%d areas, %d polygons (%d/%d/%d/%d), %d vertices, %d islets\n"
                     % (args.output, size, len(units), len(seas), len(zones), len(claims),
                        len(areas), len(polys), len(polys10), len(polys50), len(sea_polys),
                        len(zone_polys), nv, len(islet_report)))


if __name__ == "__main__":
    main()
