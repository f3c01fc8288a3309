"""geolayers.py -- the geometry steps of tools/mkgeo.py that need GEOS.

Developer-only: imported by mkgeo.py when it rebuilds data/geo/world.bin.
Needs Debian's python3-shapely (GEOS) and runs under /usr/bin/python3; the
library, the build and the tests never use it.

  cut_units     carve a unit out of 10m land along a Natural Earth disputed
                area (Golan Heights out of the 10m Israel polygon)
  islet_polys   the 10m minor-islands layer, minus what the land layer
                already covers, each islet given a unit (box rules first,
                else the nearest 10m land polygon's unit)
  zone_polys    internal-waters zones from data/geo/waters.csv: a named NE
                marine polygon or a polygon minus land, checked against
                UNCLOS Art. 10 when a closing line is given

Coordinates come in and go out as rings of integer micro-degrees (x = lon,
y = lat) like the rest of mkgeo.py.
"""

import math

from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.affinity import scale
from shapely.ops import unary_union
from shapely.strtree import STRtree
from shapely.validation import make_valid

SCALE = 1000000
R_KM = 6371.0
NM_KM = 1.852


def to_shape(rings):
    """Even-odd polygon of micro-degree rings as a valid shapely geometry."""
    outer = [(x / SCALE, y / SCALE) for x, y in rings[0]]
    holes = [[(x / SCALE, y / SCALE) for x, y in r] for r in rings[1:]]
    g = Polygon(outer, holes)
    return g if g.is_valid else make_valid(g)


def polygons(geom):
    """The polygons of any shapely geometry (collections flattened)."""
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        out = []
        for g in geom.geoms:
            out += polygons(g)
        return out
    return []


def ring_of(coords):
    """Closed micro-degree ring without repeated points; None if degenerate."""
    r = []
    for x, y in coords:
        p = (int(round(x * SCALE)), int(round(y * SCALE)))
        if not r or p != r[-1]:
            r.append(p)
    if r and r[0] != r[-1]:
        r.append(r[0])
    return r if len(r) >= 4 else None


def rings_of(poly):
    """Rings of one shapely polygon (outer first); None if it vanishes."""
    outer = ring_of(poly.exterior.coords)
    if outer is None:
        return None
    rings = [outer]
    for h in poly.interiors:
        r = ring_of(h.coords)
        if r is not None:
            rings.append(r)
    return rings


def km_dist(a, b):
    """Great-circle km between (lon, lat) points (R = 6371 km)."""
    la1, la2 = math.radians(a[1]), math.radians(b[1])
    dl = math.radians(b[0] - a[0])
    c = math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(dl)
    return R_KM * math.acos(max(-1.0, min(1.0, c)))


def km2_area(geom):
    """Area in km^2 in a local equirectangular frame (fine for bays)."""
    lat0 = math.radians(geom.centroid.y)
    kx = R_KM * math.pi / 180 * math.cos(lat0)
    ky = R_KM * math.pi / 180
    return geom.area * kx * ky


class Land:
    """The 10m land polygons (after splits) with a spatial index."""

    def __init__(self, polys10):
        self.polys = polys10
        self.shapes = [to_shape(p.rings) for p in polys10]
        self.tree = STRtree(self.shapes)
        self.index = {id(s): i for i, s in enumerate(self.shapes)}

    def near(self, geom):
        return [self.index[id(s)] for s in self.tree.query(geom)]

    def minus(self, geom):
        """geom with every 10m land polygon removed."""
        hits = [self.shapes[i] for i in self.near(geom) if self.shapes[i].intersects(geom)]
        return geom.difference(unary_union(hits)) if hits else geom

    def nearest_owner(self, geom):
        s = self.tree.nearest(geom)
        return self.polys[self.index[id(s)]].owner, s.distance(geom)


def cut_units(polys10, disputed, cuts, make_poly, die):
    """Split 10m polygons along NE disputed areas: for each (brk_a3, code)
    the parts of every 10m polygon inside that area become polygons of unit
    `code`, the rest stay with their unit.  Returns the new polygon list."""
    out = []
    areas = {}
    for f_key, geom in disputed:
        areas[f_key] = geom
    pending = list(polys10)
    for brk, code in cuts:
        if brk not in areas:
            die("disputed area %s not in the NE layer" % brk)
        area = areas[brk]
        nxt = []
        hit = False
        for p in pending:
            s = to_shape(p.rings)
            if not s.intersects(area) or s.intersection(area).area < 1e-9:
                nxt.append(p)
                continue
            hit = True
            for part, owner in ((s.difference(area), p.owner), (s.intersection(area), code)):
                for g in polygons(part):
                    rings = rings_of(g)
                    if rings is not None and g.area > 1e-10:
                        nxt.append(make_poly(owner, rings))
        if not hit:
            die("cut %s (%s) matched no land" % (code, brk))
        pending = nxt
    out = pending
    return out


def km_to(geom, other):
    """Approximate km between two nearby geometries (longitudes scaled by
    the cosine of geom's latitude)."""
    k = math.cos(math.radians(geom.representative_point().y))
    return scale(geom, k, 1, origin=(0, 0)).distance(scale(other, k, 1, origin=(0, 0))) * 111.195


def lausanne_owner(s, land, rule, sov_of):
    """Lausanne Art. 12 rule: within `km` of `state`'s land -> that state's
    nearest unit, else the nearest unit of another state; None outside."""
    (la0, la1, lo0, lo1), state, km = rule
    c = s.representative_point()
    if not (la0 <= c.y <= la1 and lo0 <= c.x <= lo1):
        return None
    near = [(km_to(s, land.shapes[i]), land.polys[i].owner) for i in land.near(s.buffer(1.0))]
    near.sort()
    mine = [t for t in near if sov_of(t[1]) == state]
    if mine and mine[0][0] <= km:
        return mine[0][1]
    others = [t for t in near if sov_of(t[1]) != state]
    return others[0][1] if others else None


def islet_polys(islets, land, rules, lausanne, make_poly, sov_of):
    """Minor islands as 10m land polygons: returns (polys, report) where
    report lists (unit, km to that unit, lat, lon) for each islet kept.
    Units: a box rule, else the Lausanne rule, else the nearest land."""
    out, report = [], []
    for rings in islets:
        s = to_shape(rings)
        rest = land.minus(s)
        if rest.is_empty or rest.area < 1e-10:
            continue
        c = s.representative_point()
        owner = None
        for (la0, la1, lo0, lo1), unit in rules:
            if la0 <= c.y <= la1 and lo0 <= c.x <= lo1:
                owner = unit
                break
        if owner is None:
            owner = lausanne_owner(s, land, lausanne, sov_of)
        dist = 0.0
        if owner is None:
            owner, dist = land.nearest_owner(s)
        for g in polygons(rest):
            rr = rings_of(g)
            if rr is not None:
                out.append(make_poly(owner, rr))
        report.append((owner, dist * 111.2, c.y, c.x))
    return out, report


def parse_latlon_list(text):
    pts = []
    for item in text.split(";"):
        la, lo = item.split()
        pts.append((float(lo), float(la)))
    return pts


def zone_geometry(spec, sea_shapes, land, die, name):
    """Shapely geometry of an internal-waters zone: 'sea:NAME' (an NE 10m
    marine polygon) or 'poly:LAT LON;LAT LON;...' (minus land)."""
    kind, _, arg = spec.partition(":")
    if kind == "sea":
        if arg not in sea_shapes:
            die("waters.csv: %s: no NE marine polygon named %r" % (name, arg))
        geom = unary_union(sea_shapes[arg])
    elif kind == "poly":
        geom = Polygon(parse_latlon_list(arg))
        if not geom.is_valid:
            die("waters.csv: %s: polygon is not valid" % name)
    else:
        die("waters.csv: %s: geometry must be sea:NAME or poly:..." % name)
    return land.minus(geom)


def check_bay(name, geom, closing, die):
    """UNCLOS Art. 10(2), (4): closing line at most 24 nm, and the bay's
    area at least that of the semicircle on the closing line."""
    a, b = parse_latlon_list(closing)
    length = km_dist(a, b)
    if length > 24 * NM_KM + 1e-9:
        die("waters.csv: %s: closing line %.1f km > 24 nm" % (name, length))
    semi = math.pi * (length / 2) ** 2 / 2
    area = km2_area(geom)
    if area < semi:
        die("waters.csv: %s: area %.0f km2 < semicircle %.0f km2" % (name, area, semi))
    return length, area, semi


def states_touching(geom, land, sov_of, pad_deg=0.02):
    """Sovereigns of the land within ~2 km of a zone."""
    g = geom.buffer(pad_deg)
    return sorted({sov_of[land.polys[i].owner] for i in land.near(g)
                   if land.shapes[i].intersects(g)})


def zone_polys(rows, sea_shapes, land, sov_of, make_poly, die):
    """Polygons of every internal-waters zone (rows: (key, geometry row,
    period rows); owner = zone key) and a check report line per zone."""
    out, report = [], []
    for key, r, periods in rows:
        geom = zone_geometry(r["geometry"], sea_shapes, land, die, key)
        if geom.is_empty:
            die("waters.csv: %s: nothing left after removing land" % key)
        touch = states_touching(geom, land, sov_of)
        note = "touches %s" % ",".join(touch)
        for p in periods:
            if p["coastal_state"] != "*" and p["contested"] == "0" and touch != [p["coastal_state"]]:
                die("%s: uncontested internal waters of %s but the zone touches %s"
                    % (p["_line"], p["coastal_state"], ",".join(touch)))
        if r["closing_line"]:
            length, area, semi = check_bay(key, geom, r["closing_line"], die)
            note += "; closing line %.1f km, area %.0f km2 >= semicircle %.0f km2" % (
                length, area, semi)
        for g in polygons(geom):
            rr = rings_of(g)
            if rr is not None and g.area > 1e-10:
                out.append(make_poly(key, rr))
        report.append((key, note))
    return out, report


__all__ = ["Land", "cut_units", "islet_polys", "zone_polys", "to_shape", "polygons",
           "rings_of", "box", "LineString", "MultiPolygon"]
