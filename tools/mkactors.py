#!/usr/bin/env python3
"""mkactors.py — build data/actors.casus, the table of names casus actors go by.

Run from the repository root (offline, standard library only):

    python3 tools/mkactors.py [SHARED] > data/actors.casus

SHARED is the shared data folder (default ../shared/data).  For every state
actor of data/world.casus it writes an `aliases` block with, each cited:

  iso3, iso2   ISO 3166-1 alpha-3 / alpha-2 codes as Natural Earth 1:10m
               admin-0 map units (v5.1.2) carry them (ISO_A3/ISO_A2, or the
               _EH columns where those are -99: Kosovo XK, the Netherlands);
  cow, cow-abb Correlates of War state numbers and letter codes, from the
               COW National Material Capabilities data v6.0 (ccode,
               stateabb), matched to casus codes by COW_TO_CASUS below —
               a crosswalk written by hand and checked against the state
               names, since COW publishes no ISO column;
  name         English names from the same Natural Earth rows (ADMIN, NAME,
               NAME_LONG, FORMAL_EN, NAME_EN, NAME_CIAWF, NAME_ALT), and the
               common names and abbreviations in COMMON below (UK, Britain,
               US, America, Russia, ...), cited as casus's own list.

A name may belong to several actors ("Congo", "Korea"): casus then refuses
it with the candidates.  A code may not: the checker rejects a second actor
for an ISO or COW code.  The output is deterministic (sorted by code).
"""
import csv
import json
import os
import re
import sys
import unicodedata

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"

# COW letter code -> casus actor code, for the states of the COW system
# that casus declares.  Germany: COW 255 (GMY) is Germany before 1945 and
# since 1990, 260 (GFR) West Germany, 265 (GDR) East Germany.  COW 365 (RUS)
# is Russia and the Soviet Union alike; casus has SUN for the Soviet Union
# and maps 365 to RUS.  COW 345 (YUG) is Yugoslavia and, since 2006, Serbia:
# casus maps it to SRB.  COW 315 (CZE) is Czechoslovakia (casus CSK), 316
# (CZR) the Czech Republic.  Historic COW states without a casus actor
# (Hanover, Bavaria, Korea 1887-1905, the two Yemens, South Vietnam,
# Zanzibar, Austria-Hungary, ...) are left out.
COW_TO_CASUS = {
    "USA": "USA", "CAN": "CAN", "BHM": "BHS", "CUB": "CUB", "HAI": "HTI", "DOM": "DOM",
    "JAM": "JAM", "TRI": "TTO", "BAR": "BRB", "DMA": "DMA", "GRN": "GRD", "SLU": "LCA",
    "SVG": "VCT", "AAB": "ATG", "SKN": "KNA", "MEX": "MEX", "BLZ": "BLZ", "GUA": "GTM",
    "HON": "HND", "SAL": "SLV", "NIC": "NIC", "COS": "CRI", "PAN": "PAN", "COL": "COL",
    "VEN": "VEN", "GUY": "GUY", "SUR": "SUR", "ECU": "ECU", "PER": "PER", "BRA": "BRA",
    "BOL": "BOL", "PAR": "PRY", "CHL": "CHL", "ARG": "ARG", "URU": "URY",
    "UKG": "GBR", "IRE": "IRL", "NTH": "NLD", "BEL": "BEL", "LUX": "LUX", "FRN": "FRA",
    "MNC": "MCO", "LIE": "LIE", "SWZ": "CHE", "SPN": "ESP", "AND": "AND", "POR": "PRT",
    "GMY": "DEU", "GFR": "DEU", "GDR": "DDR", "POL": "POL", "AUS": "AUT", "HUN": "HUN",
    "CZE": "CSK", "CZR": "CZE", "SLO": "SVK", "ITA": "ITA", "SNM": "SMR", "MLT": "MLT",
    "ALB": "ALB", "MNG": "MNE", "MAC": "MKD", "CRO": "HRV", "YUG": "SRB", "BOS": "BIH",
    "KOS": "KOS", "SLV": "SVN", "GRC": "GRC", "CYP": "CYP", "BUL": "BGR", "MLD": "MDA",
    "ROM": "ROU", "RUS": "RUS", "EST": "EST", "LAT": "LVA", "LIT": "LTU", "UKR": "UKR",
    "BLR": "BLR", "ARM": "ARM", "GRG": "GEO", "AZE": "AZE", "FIN": "FIN", "SWD": "SWE",
    "NOR": "NOR", "DEN": "DNK", "ICE": "ISL",
    "CAP": "CPV", "STP": "STP", "GNB": "GNB", "EQG": "GNQ", "GAM": "GMB", "MLI": "MLI",
    "SEN": "SEN", "BEN": "BEN", "MAA": "MRT", "NIR": "NER", "CDI": "CIV", "GUI": "GIN",
    "BFO": "BFA", "LBR": "LBR", "SIE": "SLE", "GHA": "GHA", "TOG": "TGO", "CAO": "CMR",
    "NIG": "NGA", "GAB": "GAB", "CEN": "CAF", "CHA": "TCD", "CON": "COG", "DRC": "COD",
    "UGA": "UGA", "KEN": "KEN", "TAZ": "TZA", "BUI": "BDI", "RWA": "RWA", "SOM": "SOM",
    "DJI": "DJI", "ETH": "ETH", "ERI": "ERI", "ANG": "AGO", "MZM": "MOZ", "ZAM": "ZMB",
    "ZIM": "ZWE", "MAW": "MWI", "SAF": "ZAF", "NAM": "NAM", "LES": "LSO", "BOT": "BWA",
    "SWA": "SWZ", "MAG": "MDG", "COM": "COM", "MAS": "MUS", "SEY": "SYC",
    "MOR": "MAR", "ALG": "DZA", "TUN": "TUN", "LIB": "LBY", "SUD": "SDN", "SSD": "SSD",
    "IRN": "IRN", "TUR": "TUR", "IRQ": "IRQ", "EGY": "EGY", "SYR": "SYR", "LEB": "LBN",
    "JOR": "JOR", "ISR": "ISR", "SAU": "SAU", "YEM": "YEM", "KUW": "KWT", "BAH": "BHR",
    "QAT": "QAT", "UAE": "ARE", "OMA": "OMN", "AFG": "AFG", "TKM": "TKM", "TAJ": "TJK",
    "KYR": "KGZ", "UZB": "UZB", "KZK": "KAZ", "CHN": "CHN", "MON": "MNG", "TAW": "TWN",
    "PRK": "PRK", "ROK": "KOR", "JPN": "JPN", "IND": "IND", "BHU": "BTN", "PAK": "PAK",
    "BNG": "BGD", "MYA": "MMR", "SRI": "LKA", "MAD": "MDV", "NEP": "NPL", "THI": "THA",
    "CAM": "KHM", "LAO": "LAO", "DRV": "VNM", "MAL": "MYS", "SIN": "SGP", "BRU": "BRN",
    "PHI": "PHL", "INS": "IDN", "ETM": "TLS", "AUL": "AUS", "PNG": "PNG", "NEW": "NZL",
    "VAN": "VUT", "SOL": "SLB", "KIR": "KIR", "TUV": "TUV", "FIJ": "FJI", "TON": "TON",
    "NAU": "NRU", "MSI": "MHL", "PAL": "PLW", "FSM": "FSM", "WSM": "WSM",
}

# Common English names and abbreviations people type, beyond Natural
# Earth's: casus's own list.  "Congo" and "Korea" name two states each and
# are refused with the candidates when used.
COMMON = {
    "GBR": ["UK", "U.K.", "Britain", "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland"],
    "USA": ["US", "U.S.", "U.S.A.", "America", "United States", "the United States"],
    "RUS": ["Russia", "Russian Federation"],
    "SUN": ["USSR", "Soviet Union", "U.S.S.R."],
    "DDR": ["GDR", "East Germany"],
    "DEU": ["FRG", "West Germany", "Federal Republic of Germany"],
    "CSK": ["Czechoslovakia"],
    "YUG": ["Yugoslavia"],
    "CHN": ["PRC", "People's Republic of China", "Mainland China"],
    "TWN": ["ROC", "Republic of China", "Formosa"],
    "KOR": ["ROK", "Korea"],
    "PRK": ["DPRK", "Korea"],
    "COD": ["DRC", "Congo", "Congo-Kinshasa", "Zaire"],
    "COG": ["Congo-Brazzaville"],
    "NLD": ["Holland", "The Netherlands"],
    "CZE": ["Czech Republic"],
    "TUR": ["Türkiye", "Turkiye"],
    "CIV": ["Ivory Coast"],
    "MMR": ["Burma"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia", "FYROM"],
    "CPV": ["Cape Verde"],
    "TLS": ["East Timor"],
    "VAT": ["Holy See", "Vatican City"],
    "BIH": ["Bosnia"],
    "ARE": ["UAE", "Emirates"],
    "IRN": ["Persia"],
    "LKA": ["Ceylon"],
    "KHM": ["Kampuchea"],
    "BLR": ["Byelorussia", "Belorussia"],
    "MDA": ["Moldavia"],
    "CYN": ["TRNC", "Turkish Republic of Northern Cyprus"],
    "PSE": ["State of Palestine"],
    "SAU": ["KSA"],
}

HEADER = """# actors.casus — the names actors go by: ISO 3166 codes, Correlates of War
# codes, English names.  GENERATED by tools/mkactors.py from Natural Earth
# and the COW National Material Capabilities data (../shared/data); edit the
# tool, not this file.  casus reads an actor typed by a user (--victim UK,
# --attacker Russia) as an exact code first, then through these aliases:
# ISO codes outrank COW codes, which outrank names; a name that belongs to
# several actors ("Congo", "Korea") is refused with the candidates.

source iso-3166 {
  title "ISO 3166-1 alpha-2 and alpha-3 country codes, as carried by Natural Earth 1:10m admin-0 map units v5.1.2 (ISO_A2 and ISO_A3, or ISO_A2_EH and ISO_A3_EH where those are -99)"
  url "https://www.naturalearthdata.com/"
  note "../shared/data/naturalearth/ne_10m_admin_0_map_units.geojson"
}
source iso-3166-3 {
  title "ISO 3166-3, codes for formerly used names of countries (SUN, YUG, SCG, DDR, CSK)"
  publisher "International Organization for Standardization"
}
source cow-states {
  title "Correlates of War state system codes (ccode and stateabb), as in the National Material Capabilities data v6.0 (Singer, Bremer and Stuckey 1972; Greig and Enterline 2021)"
  url "https://correlatesofwar.org/data-sets/state-system-membership/"
  note "../shared/data/nmc/NMC-60-abridged.csv; matched to casus codes by the crosswalk in tools/mkactors.py"
}
source ne-names {
  title "Natural Earth 1:10m admin-0 map units v5.1.2: the names of each country (ADMIN, NAME, NAME_LONG, FORMAL_EN, NAME_EN, NAME_CIAWF, NAME_ALT)"
  url "https://www.naturalearthdata.com/"
}
source casus-names {
  title "Common English names and abbreviations of states (UK, Britain, US, America, Russia, ...), listed in tools/mkactors.py"
}
"""

NE_NAME_FIELDS = ["ADMIN", "NAME", "NAME_LONG", "FORMAL_EN", "NAME_EN", "NAME_CIAWF", "NAME_ALT"]


def world_actors(path):
    """The state and historic actors of world.casus, code -> kind."""
    out = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r'actor ([A-Z][A-Z0-9-]*) "([^"]*)"(?: (\w+))?', line)
        if m and m.group(1) != "unknown" and m.group(3) != "organization":
            out[m.group(1)] = m.group(3) or "state"
    return out


# casus codes whose Natural Earth ADM0_A3 differs.
NE_CODE = {"SSD": "SDS", "PSE": "PSX", "ESH": "SAH"}


def ne_rows(path):
    """Natural Earth rows of each country (ADM0_A3): its home rows, or all
    its rows when none is marked home (Antigua and Barbuda, Palestine); and
    whether each describes the country whole (its name is the country's)."""
    rows = {}
    for f in json.load(open(path, encoding="utf-8"))["features"]:
        p = f["properties"]
        if p["TYPE"] != "Overlay":
            whole = p["GU_A3"] == p["ADM0_A3"] or p["NAME"] == p["ADMIN"] or \
                p["NAME_LONG"] == p["ADMIN"]
            rows.setdefault(p["ADM0_A3"], []).append((p, whole))
    for code, rs in rows.items():
        home = [r for r in rs if r[0].get("HOMEPART") == 1]
        rows[code] = home or rs
    return rows


def cow_codes(path):
    """COW (ccode, stateabb) pairs, each once."""
    seen = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        seen[r["stateabb"]] = int(r["ccode"])
    return seen


def norm(n):
    """The key casus matches names by (casus_name_normalize: accents folded,
    case and punctuation dropped)."""
    n = unicodedata.normalize("NFKD", n)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in n if not unicodedata.combining(c)).lower())


def code_ok(v):
    return v and v != "-99" and re.fullmatch(r"[A-Z]{2,3}", v)


def aliases_of(code, kind, rows, cow, actors):
    items = []
    if kind == "historic":
        items.append(("iso3", code, "iso-3166-3"))
    iso3 = iso2 = None
    names = []
    for p, whole in rows.get(NE_CODE.get(code, code), []):
        iso3 = iso3 or next((v for v in (p["ISO_A3"], p["ISO_A3_EH"]) if code_ok(v)), None)
        iso2 = iso2 or next((v for v in (p["ISO_A2"], p["ISO_A2_EH"]) if code_ok(v)), None)
        names += [p[k] for k in NE_NAME_FIELDS if p.get(k) and (whole or k == "ADMIN")]
    if iso3 and iso3 != code and iso3 in actors:
        iso3 = iso2 = None  # a fragment mapped with its state (Brazilian I.): the codes are the state's
    if iso3:
        items.append(("iso3", iso3, "iso-3166"))
    if iso2:
        items.append(("iso2", iso2, "iso-3166"))
    for abb, num in sorted(cow.items(), key=lambda x: x[1]):
        if COW_TO_CASUS.get(abb) == code:
            items.append(("cow", str(num), "cow-states"))
            items.append(("cow-abb", abb, "cow-states"))
    seen = set()
    for n in names:
        key = norm(n)
        if key and key not in seen:
            seen.add(key)
            items.append(("name", n, "ne-names"))
    for n in COMMON.get(code, []):
        key = norm(n)
        if key and key not in seen:
            seen.add(key)
            items.append(("name", n, "casus-names"))
    return items


def main():
    actors = world_actors("data/world.casus")
    rows = ne_rows(os.path.join(SHARED, "naturalearth/ne_10m_admin_0_map_units.geojson"))
    cow = cow_codes(os.path.join(SHARED, "nmc/NMC-60-abridged.csv"))
    out = sys.stdout
    out.write(HEADER)
    for code in sorted(actors):
        out.write("\naliases %s {\n" % code)
        for kind, value, src in aliases_of(code, actors[code], rows, cow, actors):
            shown = '"%s"' % value.replace('"', '\\"') if kind == "name" else value
            out.write("  %s %s cite %s\n" % (kind, shown, src))
        out.write("}\n")


if __name__ == "__main__":
    main()
