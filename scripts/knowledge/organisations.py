"""Intergovernmental organisations and their bodies, from Princeton WordNet 3.0 as Debian ships it.

The public list: every synset under 'international organization' (WordNet 3.0 noun 08294696) by
hyponymy, instance hyponymy and membership ('%m': the UN's organs and agencies are members of
'United Nations'), read from ``/usr/share/wordnet/data.noun`` of the Debian package
``wordnet-base`` (``apt-get install wordnet-base``). The file format is wndb(5). Each synset's
lemmas are its names; a lemma that WordNet also uses for a noun outside the organisations
('Europe', 'SC' for South Carolina) is left out as ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.reconcile.text import words
from scripts.knowledge.names import distinct_names, lookup_key, slug

WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")
ROOT_OFFSET = "08294696"  # world_organization, international_organization, ...
# hyponym, instance hyponym, member meronym: kinds of, named instances of, and organs of.
_DOWNWARD = ("~", "~i", "%m")


@dataclass(frozen=True)
class Synset:
    offset: str
    lexicographer_file: int  # 14: noun.group (organisations); 15 locations, 18 persons
    lemmas: tuple[str, ...]
    pointers: tuple[tuple[str, str], ...]  # (symbol, target offset), noun targets only
    gloss: str


def read_synsets(path: Path = WORDNET_NOUNS) -> dict[str, Synset]:
    """Every noun synset of a wndb(5) data file, by offset."""
    found: dict[str, Synset] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        data, _, gloss = line.partition(" | ")
        fields = data.split()
        offset, count = fields[0], int(fields[3], 16)
        lemmas = tuple(fields[4 + 2 * k].replace("_", " ") for k in range(count))
        at = 4 + 2 * count
        pointer_count = int(fields[at])
        pointers = []
        for k in range(pointer_count):
            symbol, target, pos = fields[at + 1 + 4 * k : at + 4 + 4 * k]
            if pos == "n":
                pointers.append((symbol, target))
        found[offset] = Synset(offset, int(fields[1]), lemmas, tuple(pointers), gloss.strip())
    return found


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    aliases: list[str]
    contextual: list[str]  # bare names of an organ ('General Assembly'), ambiguous alone
    parent: str | None  # the key of the organisation it is an organ or agency of
    gloss: str
    # Cities that, printed as an organisation actor, stand for it ('Brussels': the EU).
    seats: list[str] = field(default_factory=list)


def _below(synsets: dict[str, Synset], root: str) -> Iterator[tuple[str, str | None]]:
    """(offset, offset of the organisation it is an organ of) under the root, each once."""
    seen = {root}
    queue: list[tuple[str, str | None]] = [(root, None)]
    while queue:
        offset, parent = queue.pop(0)
        yield offset, parent
        for symbol, target in synsets[offset].pointers:
            # Member states and their peoples are members too; only groups are organisations.
            if (
                symbol in _DOWNWARD
                and target not in seen
                and synsets[target].lexicographer_file == 14
            ):
                seen.add(target)
                queue.append((target, offset if symbol == "%m" else parent))


_LOWER_IN_NAMES = frozenset({"of", "the", "and", "for", "on", "in", "to"})


def _is_class(synset: Synset) -> bool:
    """'world organization', 'United Nations agency': kinds of organisation, not one; a proper
    name capitalises every word but its function words."""
    return not any(
        all(w[:1].isupper() or w in _LOWER_IN_NAMES for w in lemma.split())
        for lemma in synset.lemmas
    )


def build_organisations(synsets: dict[str, Synset]) -> list[Organisation]:
    members = dict(_below(synsets, ROOT_OFFSET))
    elsewhere: dict[str, int] = {}
    for offset, synset in synsets.items():
        if offset in members:
            continue
        for lemma in synset.lemmas:
            key = lookup_key(lemma)
            elsewhere[key] = elsewhere.get(key, 0) + 1
    keys: dict[str, str] = {}
    organisations: list[Organisation] = []
    for offset, parent in members.items():
        synset = synsets[offset]
        if _is_class(synset):
            continue
        proper = [
            lemma for lemma in synset.lemmas if not _is_class(Synset("", 0, (lemma,), (), ""))
        ]
        names = [lemma for lemma in proper if lookup_key(lemma) not in elsewhere]
        contextual: list[str] = []
        if parent is not None:
            # An organ is printed under its organisation's name ('UN General Assembly'); its
            # bare name, when WordNet also gives it to another body, only where the article
            # names the organisation.
            bare = [n for n in proper if not n.isupper()]
            owners = [synsets[parent].lemmas[0], *synsets[parent].lemmas[1:]]
            names += [
                f"{owner} {n}"
                for n in bare
                if not any(set(words(o)) <= set(words(n)) for o in owners)
                for owner in owners
            ]
            contextual = [n for n in bare if lookup_key(n) in elsewhere]
        if not names:
            continue
        names += [british for n in names if (british := _british_spelling(n)) != n]
        name = next((n for n in names if not n.isupper()), names[0])
        key = slug(name)
        keys[offset] = key
        organisations.append(
            Organisation(
                key=key,
                name=name,
                aliases=distinct_names(names, besides=name),
                contextual=contextual,
                parent=parent,
                gloss=synset.gloss,
            )
        )
    return [
        Organisation(o.key, o.name, o.aliases, o.contextual, keys.get(o.parent or ""), o.gloss)
        for o in organisations
    ]


_BRITISH = (("Organization", "Organisation"), ("Labor", "Labour"), ("Center", "Centre"))


def _british_spelling(name: str) -> str:
    """'World Health Organisation': how British and Commonwealth outlets print the name."""
    for american, british in _BRITISH:
        name = name.replace(american, british)
    return name
