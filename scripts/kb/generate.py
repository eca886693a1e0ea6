#!/usr/bin/env python3
"""Fills xabar's knowledge base (crates/annotate/data/kb/*.tsv) with names from CLDR.

What it does, file by file:

- countries.tsv: makes sure every territory CLDR names (ISO 3166-1 codes and UN M49 world
  regions; not EU, UN, EZ, QO, XA, XB, ZZ) has a block, creating missing ones;
- in every file, every block with a `cldr-territory CODE` line gets that territory's name in
  each locale below (plus the `-alt-short` and `-alt-variant` forms), and blocks of countries
  get a `native` name; every block with a `cldr-zone ZONE` line gets the zone's exemplar city
  in each locale.

Generated lines end in a `cldr` flag. A run first drops every line with that flag, then writes
the new ones after the block's leading attribute lines; every other line (written by hand)
stays where it was. So the data files can be edited by hand and the generator re-run on a new
CLDR release without losing anything.

Usage (from the repository root):

    npm install --prefix /tmp/cldr cldr-localenames-full@48.2.0 cldr-dates-full@48.2.0 \
        cldr-core@48.2.0
    python3 scripts/kb/generate.py --cldr /tmp/cldr/node_modules

Needs Python 3.9+ and nothing else.
"""

import argparse
import json
import sys
import unicodedata
from pathlib import Path

# (CLDR locale, tag written in the data files). One tag per language and script xabar has a
# Language for; Uzbek and Serbian are written in two scripts and say which.
LOCALES = [
    ("en", "en"),
    ("ru", "ru"),
    ("kk", "kk"),
    ("uz", "uz-Latn"),
    ("uz-Cyrl", "uz-Cyrl"),
    ("ky", "ky"),
    ("tg", "tg"),
    ("de", "de"),
    ("uk", "uk"),
    ("be", "be"),
    ("tr", "tr"),
    ("az", "az"),
    ("mn", "mn"),
    ("bg", "bg"),
    ("mk", "mk"),
    ("sr", "sr-Cyrl"),
    ("sr-Latn", "sr-Latn"),
    ("pl", "pl"),
    ("cs", "cs"),
    ("sl", "sl"),
    ("fr", "fr"),
    ("es", "es"),
    ("it", "it"),
]

# Codes in CLDR's territory list that are not places of their own (EU and UN are
# organisations: their blocks in organisations.tsv name them with `cldr-territory`).
NOT_PLACES = {"EU", "UN", "EZ", "QO", "XA", "XB", "ZZ"}

# Territories that are not UN member or observer states; everything else with a two-letter
# code is typed `country`.
NOT_SOVEREIGN = set(
    "AC AI AQ AS AW AX BL BM BQ BV CC CK CP CQ CW CX DG EA EH FK FO GF GG GI GL GP GS GU HK "
    "HM IC IM IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TA TC TF TK TW UM VG "
    "VI WF XK YT".split()
)

# Canonical English names where CLDR's display name is written for menus, not prose.
CANONICAL = {
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "HK": "Hong Kong",
    "MO": "Macao",
    "MM": "Myanmar",
    "PS": "Palestine",
    "001": "World",
}

# The language a country's own name is written in, where CLDR's likely subtags give the
# majority language rather than the state language.
NATIVE_LANGUAGE = {"KZ": "kk-Cyrl", "BY": "be-Cyrl"}

# CLDR names that are mistakes, as (tag, territory code or zone, name): left out.
WRONG = {
    ("tg", "AC", "Асунсон"),  # Ascension Island given the name of Asunción
}

CYRILLIC_TAGS = {"ru", "kk", "uz-Cyrl", "ky", "tg", "uk", "be", "mn", "bg", "mk", "sr-Cyrl"}


def fits_script(text, tag):
    """Whether every letter of `text` is in the script `tag` is written in: CLDR fills gaps
    in some locales (uz-Cyrl) with Latin names, which would be wrong aliases there."""
    cyrillic = tag in CYRILLIC_TAGS
    for c in text:
        if not c.isalpha():
            continue
        is_cyrillic = "\u0400" <= c <= "\u052f"
        if is_cyrillic != cyrillic:
            return False
    return True


ATTRIBUTES = {
    "type", "iso", "in", "capital_of", "cldr-territory", "cldr-zone", "note", "native",
    "name", "order", "office", "active",
}


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def clean(text, tag):
    """NFC, single spaces, and Uzbek Latin ʻ (U+02BB) after o and g as xabar writes it."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if tag == "uz-Latn":
        out = []
        for i, c in enumerate(text):
            if c in "'‘’ʼ`" and i > 0 and text[i - 1] in "oOgG":
                c = "ʻ"
            elif c in "'‘’`":
                c = "ʼ"
            out.append(c)
        text = "".join(out)
    return text


class Cldr:
    def __init__(self, root):
        self.root = Path(root)
        self.territories = {}
        self.zones = {}
        for locale, tag in LOCALES:
            names = load_json(
                self.root / "cldr-localenames-full/main" / locale / "territories.json"
            )["main"][locale]["localeDisplayNames"]["territories"]
            self.territories[tag] = names
            zones = load_json(
                self.root / "cldr-dates-full/main" / locale / "timeZoneNames.json"
            )["main"][locale]["dates"]["timeZoneNames"].get("zone", {})
            self.zones[tag] = zones
        self.likely = load_json(self.root / "cldr-core/supplemental/likelySubtags.json")[
            "supplemental"
        ]["likelySubtags"]
        self.territory_info = load_json(
            self.root / "cldr-core/supplemental/territoryInfo.json"
        )["supplemental"]["territoryInfo"]

    def territory_lines(self, code):
        """(tag, text, flags) for every locale's name of a territory."""
        lines = []
        for _, tag in LOCALES:
            names = self.territories[tag]
            base = names.get(code)
            if base is None:
                continue
            found = [(base, "cldr")]
            for alt, flags in (("-alt-short", "short,cldr"), ("-alt-variant", "cldr")):
                if code + alt in names:
                    found.append((names[code + alt], flags))
            if tag == "en":
                # Menu style to prose style: "St. Kitts & Nevis" is "Saint Kitts and Nevis".
                for text, flags in list(found):
                    prose = text.replace(" & ", " and ").replace("St. ", "Saint ")
                    if prose != text:
                        found.append((prose, flags))
            for text, flags in found:
                if (tag, code, text) not in WRONG:
                    lines.append((tag, clean(text, tag), flags))
        return dedupe(lines)

    def zone_lines(self, zone, english):
        """(tag, text, flags) for every locale's exemplar city of a time zone."""
        lines = []
        for _, tag in LOCALES:
            node = self.zones[tag]
            for part in zone.split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            city = node.get("exemplarCity") if isinstance(node, dict) else None
            if city is None and tag == "en":
                city = zone.split("/")[-1].replace("_", " ")
            if city:
                lines.append((tag, clean(city, tag), "cldr"))
        if not any(t == "en" for t, _, _ in lines):
            lines.insert(0, ("en", english, "cldr"))
        return dedupe(lines)

    def state_languages(self, code):
        """The languages a country may name itself in, best first: CLDR's likely language
        for it, then its official languages by the share that speaks them."""
        if code in NATIVE_LANGUAGE:
            return [NATIVE_LANGUAGE[code]]
        found = []
        likely = self.likely.get("und-" + code)
        if likely:
            found.append(likely)
        spoken = self.territory_info.get(code, {}).get("languagePopulation", {})
        official = sorted(
            (
                (float(info.get("_populationPercent", 0)), lang)
                for lang, info in spoken.items()
                if info.get("_officialStatus") in ("official", "de_facto_official")
            ),
            reverse=True,
        )
        for _, lang in official:
            lang = lang.replace("_", "-")
            found.append(self.likely.get(lang.split("-")[0], lang))
        return [tag for tag in found if "-" in tag]

    def native_line(self, code):
        """The country's name in its own language, from the locale of that language."""
        for likely in self.state_languages(code):
            lang, script = likely.split("-")[:2]
            for locale in (f"{lang}-{script}", lang):
                path = self.root / "cldr-localenames-full/main" / locale / "territories.json"
                if path.exists():
                    names = load_json(path)["main"][locale]["localeDisplayNames"]["territories"]
                    if code in names:
                        tag = f"{lang}-{script}"
                        return ("native", tag, clean(names[code], tag), "cldr")
        return None


def dedupe(lines):
    seen = set()
    out = []
    for tag, text, flags in lines:
        if (tag, text) not in seen and fits_script(text, tag):
            seen.add((tag, text))
            out.append((tag, text, flags))
    return out


class Block:
    def __init__(self, header):
        self.header = header
        self.lines = []

    def attribute(self, key):
        for line in self.lines:
            fields = line.split("\t")
            if fields[0] == key and len(fields) > 1:
                return fields[1]
        return None


def read_blocks(path):
    """The file's preamble (lines before the first block) and its blocks."""
    preamble, blocks = [], []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("@"):
                blocks.append(Block(line))
            elif blocks:
                blocks[-1].lines.append(line)
            else:
                preamble.append(line)
    return preamble, blocks


def write_blocks(path, preamble, blocks):
    out = list(preamble)
    for block in blocks:
        body = list(block.lines)
        while body and not body[-1].strip():
            body.pop()
        if out and out[-1].strip():
            out.append("")
        out.append(block.header)
        out.extend(body)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def is_generated(line):
    fields = line.split("\t")
    return len(fields) >= 3 and "cldr" in fields[-1].split(",")


def regenerate(block, generated):
    """Replaces the block's `cldr` lines by `generated`, after its leading attributes."""
    kept = [line for line in block.lines if not is_generated(line)]
    at = 0
    for i, line in enumerate(kept):
        key = line.split("\t")[0]
        if line.startswith("#") or key in ATTRIBUTES:
            at = i + 1
        elif line.strip():
            break
    if any(line.startswith("native\t") for line in kept):
        generated = [g for g in generated if not g.startswith("native\t")]
    block.lines = kept[:at] + generated + kept[at:]


def slug(english):
    return "-".join(english.lower().replace(".", "").split())


def ensure_countries(cldr, blocks):
    """Adds a block for each CLDR territory that countries.tsv lacks."""
    have = {b.attribute("cldr-territory") for b in blocks}
    english = cldr.territories["en"]
    created = 0
    for code in english:
        if "-alt-" in code or code in NOT_PLACES or code in have:
            continue
        name = CANONICAL.get(code) or english[code]
        name = name.replace(" & ", " and ").replace("St. ", "Saint ")
        if code.isdigit():
            ident, category = slug(name), "world-region"
        else:
            ident = code.lower()
            category = "territory" if code in NOT_SOVEREIGN else "country"
        block = Block(f"@place/{ident}\t{name}")
        block.lines = [f"type\t{category}", f"iso\t{code}", f"cldr-territory\t{code}"]
        blocks.append(block)
        created += 1
    return created


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cldr", required=True, help="node_modules holding the cldr-* packages")
    parser.add_argument(
        "--data",
        default=str(Path(__file__).resolve().parents[2] / "crates/annotate/data/kb"),
        help="the knowledge-base data folder",
    )
    args = parser.parse_args()
    cldr = Cldr(args.cldr)
    data = Path(args.data)
    for name in ("countries.tsv", "capitals.tsv", "places.tsv", "organisations.tsv", "persons.tsv"):
        path = data / name
        preamble, blocks = read_blocks(path)
        created = ensure_countries(cldr, blocks) if name == "countries.tsv" else 0
        filled = 0
        for block in blocks:
            generated = []
            code = block.attribute("cldr-territory")
            zone = block.attribute("cldr-zone")
            if code:
                if code not in cldr.territories["en"]:
                    sys.exit(f"{name}: {block.header}: CLDR has no territory {code}")
                if block.attribute("type") == "country":
                    native = cldr.native_line(code)
                    if native:
                        generated.append("\t".join(native))
                generated += ["\t".join(line) for line in cldr.territory_lines(code)]
            if zone:
                english = block.header.split("\t")[1]
                generated += ["\t".join(line) for line in cldr.zone_lines(zone, english)]
            if code or zone or any(is_generated(line) for line in block.lines):
                regenerate(block, generated)
                filled += 1
        write_blocks(path, preamble, blocks)
        print(f"{name}: {len(blocks)} blocks, {created} created, {filled} filled from CLDR")


if __name__ == "__main__":
    main()
