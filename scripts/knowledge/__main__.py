"""``python -m scripts.knowledge``: write the next versions of the world knowledge files."""

from __future__ import annotations

import argparse
import sys
import tomllib
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

import tomli_w

from pipeline.reconcile.knowledge import KNOWLEDGE_DIR
from schemas.knowledge import (
    GivenNameList,
    GovernmentWords,
    NumberWords,
    TitleVocabulary,
    WorldKnowledge,
)
from scripts.knowledge.countries import (
    FIELDS,
    PACKAGES,
    Country,
    build_countries,
    load_sources,
    measure,
    ranking,
)
from scripts.knowledge.given_names import faker_given_names, faker_surnames
from scripts.knowledge.governments import government_words
from scripts.knowledge.names import common_english_words
from scripts.knowledge.numbers import number_words
from scripts.knowledge.organisations import (
    WORDNET_NOUNS,
    Organisation,
    build_organisations,
    read_synsets,
)
from scripts.knowledge.supranational import (
    SUPRAVERDEN_LIST,
    build_bodies,
    fold_wordnet,
    read_bodies,
)
from scripts.knowledge.titles import build_titles
from scripts.knowledge.world import check_organisations, resolve_countries

_HEADER = """\
# {what}, version {version}. GENERATED: never edit; run `python -m scripts.knowledge` for the next
# version (a released file is never changed). {how}
#
# [[entity]]     names that stand for the entity anywhere; capitals stand for their states.
# [[ambiguous]]  names several entities claim, and which one (if any) they stand for.
# [[distinct]]   hard negatives the data holds: entities a reader could confuse, kept apart.
# [[elsewhere]]  names of a state that are also a place elsewhere: the state only as a country.

"""


def _version_of(path: Path) -> int:
    """'countries.v2.toml' -> 2."""
    return int(path.name.split(".v")[1].split(".")[0])


def _versions(stem: str, directory: Path) -> list[int]:
    return [_version_of(p) for p in directory.glob(f"{stem}.v*.toml")]


def _next_path(stem: str, directory: Path) -> Path:
    return directory / f"{stem}.v{max(_versions(stem, directory), default=0) + 1}.toml"


def _unchanged(stem: str, directory: Path, data: dict[str, Any]) -> bool:
    """Whether the latest released file already holds this data (its version number aside)."""
    taken = _versions(stem, directory)
    if not taken:
        return False
    latest = tomllib.loads((directory / f"{stem}.v{max(taken)}.toml").read_text(encoding="utf-8"))
    return _comparable(latest) == _comparable(data)


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The data with its version aside and its hard negatives in one order (v2 listed them in the
    order of a set)."""
    pairs = sorted(data.get("distinct", []), key=lambda pair: (pair["keys"], pair["reason"]))
    return {**data, "version": 0, "distinct": pairs}


def _country_entity(country: Country) -> dict[str, Any]:
    entity: dict[str, Any] = {"key": country.key, "name": country.name, "kind": "country"}
    for field, value in (
        ("aliases", country.aliases),
        ("capitals", country.capitals),
        ("demonyms", country.demonyms),
        ("iso_alpha2", country.alpha2),
        ("iso_alpha3", country.alpha3),
        ("iso_numeric", country.numeric),
    ):
        if value:
            entity[field] = value
    return entity


def _organisation_entity(organisation: Organisation) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "key": organisation.key,
        "name": organisation.name,
        "kind": "organization",
    }
    if organisation.aliases:
        entity["aliases"] = organisation.aliases
    if organisation.contextual:
        entity["contextual"] = organisation.contextual
    if organisation.parent:
        entity["part_of"] = organisation.parent
    if organisation.seats:
        entity["seats"] = organisation.seats
    return entity


def _write(path: Path, header: str, data: dict[str, Any]) -> None:
    WorldKnowledge.model_validate(data)  # refuse to write a file the loader would refuse
    stem = path.name.split(".v")[0]
    if _unchanged(stem, path.parent, data):
        print(f"{stem}: the data has not changed since the latest version, nothing written")
        return
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(data['entity'])} entities)")


_TITLES_HEADER = """\
# Titles nameparser's list lacks, version {version}. GENERATED: never edit; run `python -m
# scripts.knowledge` for the next version. From Princeton WordNet 3.0 (Debian wordnet-base), under
# 'ruler', 'aristocrat', 'head of state' and 'religious leader': two-word kinds of a nameparser
# title ending in it ('crown prince'), single-word synonyms of one ('czar'), single-word kinds of
# 'ruler' and 'head of state' ('emir'), but no family name of Faker's ('khan'); given names apart.

"""


def _write_titles(path: Path, data: dict[str, Any]) -> None:
    TitleVocabulary.model_validate(data)
    if _unchanged("titles", path.parent, data):
        print("titles: the data has not changed since the latest version, nothing written")
        return
    header = _TITLES_HEADER.format(version=data["version"])
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(data['words'])} words, {len(data['phrases'])} phrases)")


_GIVEN_NAMES_HEADER = """\
# Given names gender-guesser's list lacks, version {version}. GENERATED: never edit; run `python -m
# scripts.knowledge` for the next version. From Faker's person providers ({locales} locales),
# folded (case and accents aside); read beside gender-guesser's list to tell a real given name from
# a misprint.

"""


def _write_given_names(path: Path, data: dict[str, Any], locales: int) -> None:
    GivenNameList.model_validate(data)
    if _unchanged("given_names", path.parent, data):
        print("given_names: the data has not changed since the latest version, nothing written")
        return
    header = _GIVEN_NAMES_HEADER.format(version=data["version"], locales=locales)
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(data['names'])} names)")


def _write_numbers(path: Path, data: dict[str, Any]) -> None:
    NumberWords.model_validate(data)
    if _unchanged("numbers", path.parent, data):
        print("numbers: the data has not changed since the latest version, nothing written")
        return
    header = (
        f"# Cardinal number words, version {data['version']}. GENERATED: never edit; run `python "
        "-m\n# scripts.knowledge` for the next version. From Princeton WordNet 3.0 (Debian "
        "wordnet-base):\n# the adjective synsets holding one numeral ('twenty, 20, xx').\n\n"
    )
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(data['numbers'])} words)")


def _write_governments(path: Path, data: dict[str, Any]) -> None:
    GovernmentWords.model_validate(data)
    if _unchanged("governments", path.parent, data):
        print("governments: the data has not changed since the latest version, nothing written")
        return
    header = (
        f"# Words for a state's government, version {data['version']}. GENERATED: never edit; "
        "run\n# `python -m scripts.knowledge` for the next version. From Princeton WordNet 3.0 "
        "(Debian\n# wordnet-base): the lemmas of the synset 'government' (noun 08050678). After "
        "a state's\n# name or demonym, printed as a state, they name that state.\n\n"
    )
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(data['words'])} words)")


def _coverage_table(coverage: dict[str, dict[str, int]], total: int) -> str:
    lines = [f"{'field':<14}" + "".join(f"{p:>19}" for p in PACKAGES) + f"   (of {total} states)"]
    for name in FIELDS:
        lines.append(f"{name:<14}" + "".join(f"{coverage[name][p]:>19}" for p in PACKAGES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.knowledge", description=__doc__)
    parser.add_argument("--measure", action="store_true", help="print coverage, write nothing")
    parser.add_argument("--out", type=Path, default=KNOWLEDGE_DIR, help="directory to write to")
    parser.add_argument("--wordnet", type=Path, default=WORDNET_NOUNS, help="WordNet data.noun")
    parser.add_argument(
        "--supraverden",
        type=Path,
        help="a clone of github.com/confirmordeny/supraverden (the list of international "
        "organisations and their bodies)",
    )
    args = parser.parse_args(argv)

    sources = load_sources()
    coverage = measure(sources)
    order = ranking(coverage)
    print(_coverage_table(coverage, len(sources.states)))
    print(
        "taken from, best covered first: "
        + "; ".join(f"{k}: {', '.join(v)}" for k, v in order.items())
    )
    if args.measure:
        return 0
    if args.supraverden is None or not (args.supraverden / SUPRAVERDEN_LIST).exists():
        print("--supraverden: give a clone of the SupraVerden repository", file=sys.stderr)
        return 1
    if not args.wordnet.exists():
        print(f"{args.wordnet} not found: apt-get install wordnet-base", file=sys.stderr)
        return 1

    countries = build_countries(
        sources, order, common_words=common_english_words(args.wordnet.parent)
    )
    report = resolve_countries(countries, sources)
    path = _next_path("countries", args.out)
    version = _version_of(path)
    how = "Fields from the package that covers them best: " + "; ".join(
        f"{k} from {v[0]}" for k, v in order.items()
    )
    _write(
        path,
        _HEADER.format(what="Every state and territory", version=version, how=how),
        {
            "version": version,
            "generated_by": "python -m scripts.knowledge",
            "sources": sources.versions,
            "entity": [_country_entity(c) for c in countries],
            "ambiguous": report.ambiguous,
            "distinct": report.distinct,
            "elsewhere": report.elsewhere,
        },
    )

    synsets = read_synsets(args.wordnet)
    titles = build_titles(synsets, surnames=faker_surnames())
    path = _next_path("titles", args.out)
    version = _version_of(path)
    _write_titles(
        path,
        {
            "version": version,
            "generated_by": "python -m scripts.knowledge",
            "sources": {
                "wordnet-base (Debian), Princeton WordNet": "3.0",
                "nameparser (titles it already knows, left out)": _version("nameparser"),
                "gender-guesser (given names, left out)": _version("gender-guesser"),
                "faker (family names left out, given names apart)": _version("faker"),
            },
            "words": titles.words,
            "phrases": titles.phrases,
            "given_name_words": titles.given_name_words,
        },
    )

    path = _next_path("numbers", args.out)
    version = _version_of(path)
    _write_numbers(
        path,
        {
            "version": version,
            "generated_by": "python -m scripts.knowledge",
            "sources": {"wordnet-base (Debian), Princeton WordNet": "3.0"},
            "numbers": number_words(args.wordnet.parent),
        },
    )

    path = _next_path("governments", args.out)
    _write_governments(
        path,
        {
            "version": _version_of(path),
            "generated_by": "python -m scripts.knowledge",
            "sources": {"wordnet-base (Debian), Princeton WordNet": "3.0"},
            "words": government_words(args.wordnet),
        },
    )

    names, locales = faker_given_names()
    path = _next_path("given_names", args.out)
    version = _version_of(path)
    _write_given_names(
        path,
        {
            "version": version,
            "generated_by": "python -m scripts.knowledge",
            "sources": {
                "faker (faker.providers.person)": _version("faker"),
                "gender-guesser (given names it lists, left out)": _version("gender-guesser"),
            },
            "names": names,
        },
        locales,
    )

    bodies, commit = read_bodies(args.supraverden)
    organisations = fold_wordnet(build_bodies(bodies), build_organisations(synsets))
    path = _next_path("organisations", args.out)
    version = _version_of(path)
    _write(
        path,
        _HEADER.format(
            what="Intergovernmental organisations and their organs",
            version=version,
            how="From the SupraVerden list of international organisations (github.com/"
            f"confirmordeny/supraverden, data/general_list.yaml at {commit}, CC BY-SA 4.0: names, "
            "abbreviations, families, headquarters), with the organisations of Princeton WordNet "
            "3.0 (Debian package wordnet-base, every synset under 'international organization', "
            "noun 08294696) that it lacks.",
        ),
        {
            "version": version,
            "generated_by": "python -m scripts.knowledge",
            "sources": {
                "supraverden (github.com/confirmordeny/supraverden) general_list.yaml": commit,
                "wordnet-base (Debian), Princeton WordNet": "3.0",
            },
            "entity": [_organisation_entity(o) for o in organisations],
            "distinct": check_organisations(organisations),
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
