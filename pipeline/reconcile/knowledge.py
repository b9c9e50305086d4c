"""Load the versioned data files of reconciliation, and index the knowledge for look-ups.

The files live in ``pipeline/knowledge/`` and ship inside the wheel with the package. A file that
does not parse or validate raises ``ReconcileError`` naming the file and the fault: a typo in an
alias list must fail loudly, not silently stop a merge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from pipeline.datafiles import load_toml_model
from pipeline.errors import ReconcileError
from pipeline.reconcile.text import lookup_key, words
from schemas.extraction import ActorKind
from schemas.knowledge import (
    ClaimVocabulary,
    DistinctEntities,
    Inflections,
    Knowledge,
    KnownEntity,
    LinkageSettings,
    Role,
    WorldKnowledge,
)

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
ALIASES_FILE = KNOWLEDGE_DIR / "aliases.v1.toml"
# Generated from data packages by `python -m scripts.knowledge`; read beside the alias file.
WORLD_FILES = (KNOWLEDGE_DIR / "countries.v1.toml", KNOWLEDGE_DIR / "organisations.v2.toml")
CLAIMS_FILE = KNOWLEDGE_DIR / "claims.v1.toml"
INFLECTIONS_FILE = KNOWLEDGE_DIR / "inflections.v1.toml"
LINKAGE_FILE = KNOWLEDGE_DIR / "linkage.v3.toml"

_Model = TypeVar("_Model", bound=BaseModel)


def _load_toml(path: Path, model: type[_Model]) -> _Model:
    return load_toml_model(path, model, error=ReconcileError)


def load_knowledge(path: Path | None = None) -> Knowledge:
    """``aliases.v1.toml`` by default."""
    return _load_toml(path or ALIASES_FILE, Knowledge)


def load_world_knowledge(paths: tuple[Path, ...] = WORLD_FILES) -> tuple[WorldKnowledge, ...]:
    """``countries.v1.toml`` and ``organisations.v2.toml`` by default."""
    return tuple(_load_toml(path, WorldKnowledge) for path in paths)


@dataclass(frozen=True)
class MergedKnowledge:
    entities: list[KnownEntity]
    unclaimed: frozenset[str]  # names several states claim: they stand for none
    country_only: frozenset[str]  # names of a state that are also a place elsewhere
    distinct: tuple[DistinctEntities, ...]
    renamed: dict[str, str]  # generated key -> the key it was merged under


def merge_world(knowledge: Knowledge, world: tuple[WorldKnowledge, ...]) -> MergedKnowledge:
    """The alias file's entities with the generated ones folded in.

    A generated entity that shares a name with one of the alias file joins it (its key and name
    kept, so that stored ids do not move); a generated name the alias file lists as contextual
    stays contextual there ('Security Council': the UN's or the White House's). Returned beside
    the entities: names that stand for nothing (claimed by several states), names that stand for
    a state only where the actor is printed as a country, and the hard negatives of the data.
    """
    entities: dict[str, KnownEntity] = {entity.key: entity for entity in knowledge.entity}
    owner: dict[str, str] = {}
    for entity in knowledge.entity:
        for name in (entity.name, *entity.aliases, *entity.capitals):
            owner[lookup_key(name)] = entity.key
    contextual = {lookup_key(n) for entity in knowledge.entity for n in entity.contextual}
    renamed: dict[str, str] = {}
    unclaimed: set[str] = set()
    country_only: set[str] = set()
    distinct: list[DistinctEntities] = []
    for data in world:
        for entity in data.entity:
            names = [
                n for n in (entity.name, *entity.aliases, *entity.capitals)
                if lookup_key(n) not in contextual
            ]  # fmt: skip
            joined = next(
                (owner[k] for n in names if (k := lookup_key(n)) in owner
                 and entities[owner[k]].kind is entity.kind),
                None,
            )  # fmt: skip
            free = [n for n in names if lookup_key(n) not in owner]
            aliases = [n for n in free if n in entity.aliases or n == entity.name]
            capitals = [n for n in free if n in entity.capitals]
            if joined is None:
                if not free:
                    continue
                merged = entity.model_copy(
                    update={
                        "name": free[0] if entity.name not in free else entity.name,
                        "aliases": [a for a in aliases if a != entity.name],
                        "capitals": capitals,
                    }
                )
                if merged.name in merged.aliases:
                    merged = merged.model_copy(
                        update={"aliases": [a for a in aliases if a != merged.name]}
                    )
                key = entity.key if entity.key not in entities else f"{entity.key}-{entity.kind}"
                merged = merged.model_copy(update={"key": key})
            else:
                base = entities[joined]
                key = joined
                merged = base.model_copy(
                    update={
                        "aliases": [*base.aliases, *aliases],
                        "capitals": [*base.capitals, *capitals],
                        "demonyms": [*base.demonyms, *(
                            d for d in entity.demonyms if d not in base.demonyms
                        )],
                        "contextual": [*base.contextual, *(
                            c for c in entity.contextual if c not in base.contextual
                        )],
                        "iso_alpha2": base.iso_alpha2 or entity.iso_alpha2,
                        "iso_alpha3": base.iso_alpha3 or entity.iso_alpha3,
                        "iso_numeric": base.iso_numeric or entity.iso_numeric,
                        "part_of": base.part_of or entity.part_of,
                        "seats": [*base.seats, *(s for s in entity.seats if s not in base.seats)],
                    }
                )  # fmt: skip
            renamed[entity.key] = key
            entities[key] = merged
            for name in free:
                owner[lookup_key(name)] = key
        for ambiguous in data.ambiguous:
            if not ambiguous.stands_for:
                unclaimed.add(lookup_key(ambiguous.name))
        country_only |= {lookup_key(place.name) for place in data.elsewhere}
        distinct += data.distinct
    resolved = tuple(
        DistinctEntities(keys=[renamed.get(k, k) for k in pair.keys], reason=pair.reason)
        for pair in distinct
    )
    for key, entity in list(entities.items()):
        if entity.part_of:
            entities[key] = entity.model_copy(
                update={"part_of": renamed.get(entity.part_of, entity.part_of)}
            )
    return MergedKnowledge(
        list(entities.values()), frozenset(unclaimed), frozenset(country_only), resolved, renamed
    )


def load_claim_vocabulary(path: Path | None = None) -> ClaimVocabulary:
    """``claims.v1.toml`` by default."""
    return _load_toml(path or CLAIMS_FILE, ClaimVocabulary)


def load_inflections(path: Path | None = None) -> Inflections:
    """``inflections.v1.toml`` by default: irregular forms of the claims vocabulary's words."""
    return _load_toml(path or INFLECTIONS_FILE, Inflections)


def load_linkage_settings(path: Path | None = None) -> LinkageSettings:
    """``linkage.v3.toml`` by default."""
    return _load_toml(path or LINKAGE_FILE, LinkageSettings)


def load_splink_settings(
    linkage: LinkageSettings, *, directory: Path = KNOWLEDGE_DIR
) -> dict[str, Any]:
    """The Splink model the linkage settings name, as the dict ``splink.Linker`` takes."""
    path = directory / linkage.actors.splink_settings
    try:
        settings: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReconcileError(f"cannot read the Splink settings: {exc.strerror}", path=path) from exc
    except json.JSONDecodeError as exc:
        raise ReconcileError(f"not valid JSON: {exc}", path=path) from exc
    return settings


class Resolution(StrEnum):
    """How a printed name was found to stand for a known entity."""

    NAME = "name"
    ALIAS = "alias"
    CAPITAL = "capital"
    SEAT = "seat"  # a city printed as an organisation: the organisation seated there


@dataclass(frozen=True)
class KnownName:
    entity: KnownEntity
    resolution: Resolution


@dataclass(frozen=True)
class RolePhrase:
    words: tuple[str, ...]
    role: Role


@dataclass
class KnowledgeIndex:
    """The knowledge file, arranged for look-ups by folded name."""

    knowledge: Knowledge
    source: str = "aliases.v1.toml"
    world: tuple[WorldKnowledge, ...] = ()
    entities: list[KnownEntity] = field(init=False)
    # Names of a state that are also a place elsewhere: the state only for a country actor.
    country_only: frozenset[str] = field(init=False)
    distinct: tuple[DistinctEntities, ...] = field(init=False)
    renamed: dict[str, str] = field(init=False)
    by_name: dict[str, KnownName] = field(init=False)
    # Seat cities of organisations ('brussels': the EU), read only for organisation actors.
    by_seat: dict[str, KnownName] = field(init=False)
    contextual: dict[str, tuple[KnownEntity, ...]] = field(init=False)
    by_key: dict[str, KnownEntity] = field(init=False)
    by_demonym: dict[str, KnownEntity] = field(init=False)
    # Folded names and demonyms of states, to the state's key: qualifiers of 'US Department of X'.
    state_of: dict[str, str] = field(init=False)
    role_phrases: tuple[RolePhrase, ...] = field(init=False)
    title_vocabulary: frozenset[str] = field(init=False)
    role_words: frozenset[str] = field(init=False)
    honorifics: frozenset[str] = field(init=False)
    function_words: frozenset[str] = field(init=False)
    modifiers: frozenset[str] = field(init=False)
    family_name_first: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        merged = merge_world(self.knowledge, self.world)
        entities, unclaimed = merged.entities, merged.unclaimed
        self.country_only, self.distinct, self.renamed = (
            merged.country_only, merged.distinct, merged.renamed
        )
        self.entities = entities
        self.by_key = {entity.key: entity for entity in entities}
        self.by_name = {}
        contextual: dict[str, list[KnownEntity]] = {}
        self.by_demonym = {}
        for entity in entities:
            self.by_name[lookup_key(entity.name)] = KnownName(entity, Resolution.NAME)
            for alias in entity.aliases:
                self.by_name[lookup_key(alias)] = KnownName(entity, Resolution.ALIAS)
            for capital in entity.capitals:
                self.by_name[lookup_key(capital)] = KnownName(entity, Resolution.CAPITAL)
        for name in unclaimed:
            self.by_name.pop(name, None)
        self.by_seat = {
            lookup_key(seat): KnownName(entity, Resolution.SEAT)
            for entity in entities
            for seat in entity.seats
        }
        for entity in entities:
            for name in entity.contextual:
                contextual.setdefault(lookup_key(name), []).append(entity)
            for demonym in entity.demonyms:
                # The alias file comes first: 'Chinese' is China's before Macao's.
                self.by_demonym.setdefault(lookup_key(demonym), entity)
        self.contextual = {key: tuple(found) for key, found in contextual.items()}
        self.state_of = {
            key: known.entity.key
            for key, known in self.by_name.items()
            if known.entity.kind is ActorKind.COUNTRY and known.resolution is not Resolution.CAPITAL
        }
        for key, entity in self.by_demonym.items():
            if entity.kind is ActorKind.COUNTRY:
                self.state_of.setdefault(key, entity.key)
        phrases = [
            RolePhrase(words(phrase), role)
            for role in self.knowledge.role
            for phrase in role.phrases
        ]
        self.role_phrases = tuple(sorted(phrases, key=lambda p: -len(p.words)))
        rules = self.knowledge.names
        self.function_words = frozenset(rules.function_words)
        # 'of' in 'secretary of state' names no role: a title ends after a role's own word.
        self.role_words = frozenset(
            word for phrase in phrases for word in phrase.words if word not in self.function_words
        )
        self.honorifics = frozenset(rules.honorifics)
        self.modifiers = frozenset(rules.role_modifiers)
        self.family_name_first = frozenset(rules.family_name_first)
        # The alias file's entities only: 'Jordan' or 'Chad' after a role is a given name.
        entity_words = {
            word
            for entity in self.knowledge.entity
            for name in (entity.name, *entity.aliases, *entity.demonyms)
            for word in words(name)
        }
        self.title_vocabulary = frozenset(
            {word for title_word in rules.title_words for word in words(title_word)}
            | self.role_words
            | self.honorifics
            | self.function_words
            | self.modifiers
            | entity_words
        )

    def stands_for(self, key: str, kind: ActorKind) -> KnownName | None:
        """The known entity a folded name stands for as an actor of this kind: persons only as
        persons, a state's name that is also a place elsewhere only as a country, and a seat
        city as an organisation for the organisation seated there ('Brussels' imposing
        sanctions is the EU; 'Brussels' printed as a state is Belgium, its capital)."""
        if kind is ActorKind.ORGANIZATION and (seat := self.by_seat.get(key)) is not None:
            return seat
        known = self.by_name.get(key)
        if known is None or (known.entity.kind is ActorKind.PERSON) != (kind is ActorKind.PERSON):
            return None
        if key in self.country_only and kind is not ActorKind.COUNTRY:
            return None
        return known

    def role_in(self, title_words: tuple[str, ...]) -> tuple[str, str] | None:
        """(role key, head) of the last role a title names: 'Deputy US Ambassador' ->
        ('deputy-ambassador', 'ambassador'). A modifier before the role is part of its key."""
        found: tuple[int, RolePhrase] | None = None
        position = 0
        while position < len(title_words):
            for phrase in self.role_phrases:
                width = len(phrase.words)
                if title_words[position : position + width] == phrase.words:
                    found = (position, phrase)
                    position += width
                    break
            else:
                position += 1
        if found is None:
            return None
        start, phrase = found
        modifier = next((w for w in title_words[:start] if w in self.modifiers), None)
        key = f"{modifier}-{phrase.role.key}" if modifier else phrase.role.key
        return key, phrase.role.head


@lru_cache(maxsize=1)
def default_knowledge_index() -> KnowledgeIndex:
    """The installed knowledge file, loaded once per process."""
    return KnowledgeIndex(
        load_knowledge(),
        source=", ".join(p.name for p in (ALIASES_FILE, *WORLD_FILES)),
        world=load_world_knowledge(),
    )

