"""Load the versioned data files of reconciliation, and index the knowledge for look-ups.

The files live in ``pipeline/knowledge/`` and ship inside the wheel with the package. A file that
does not parse or validate raises ``ReconcileError`` naming the file and the fault: a typo in an
alias list must fail loudly, not silently stop a merge.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import ReconcileError
from pipeline.reconcile.text import lookup_key, words
from schemas.knowledge import (
    ClaimVocabulary,
    Inflections,
    Knowledge,
    KnownEntity,
    LinkageSettings,
    Role,
)

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
ALIASES_FILE = KNOWLEDGE_DIR / "aliases.v1.toml"
CLAIMS_FILE = KNOWLEDGE_DIR / "claims.v1.toml"
INFLECTIONS_FILE = KNOWLEDGE_DIR / "inflections.v1.toml"
LINKAGE_FILE = KNOWLEDGE_DIR / "linkage.v2.toml"

_Model = TypeVar("_Model", bound=BaseModel)


def _load_toml(path: Path, model: type[_Model]) -> _Model:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReconcileError(f"cannot read the file: {exc.strerror}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReconcileError(f"not valid TOML: {exc}", path=path) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ReconcileError(
            f"does not match {model.__name__}; fix the file (or add a new version):\n{exc}",
            path=path,
        ) from exc


def load_knowledge(path: Path | None = None) -> Knowledge:
    """``aliases.v1.toml`` by default."""
    return _load_toml(path or ALIASES_FILE, Knowledge)


def load_claim_vocabulary(path: Path | None = None) -> ClaimVocabulary:
    """``claims.v1.toml`` by default."""
    return _load_toml(path or CLAIMS_FILE, ClaimVocabulary)


def load_inflections(path: Path | None = None) -> Inflections:
    """``inflections.v1.toml`` by default: irregular forms of the claims vocabulary's words."""
    return _load_toml(path or INFLECTIONS_FILE, Inflections)


def load_linkage_settings(path: Path | None = None) -> LinkageSettings:
    """``linkage.v2.toml`` by default."""
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
    by_name: dict[str, KnownName] = field(init=False)
    contextual: dict[str, tuple[KnownEntity, ...]] = field(init=False)
    by_key: dict[str, KnownEntity] = field(init=False)
    by_demonym: dict[str, KnownEntity] = field(init=False)
    role_phrases: tuple[RolePhrase, ...] = field(init=False)
    title_vocabulary: frozenset[str] = field(init=False)
    role_words: frozenset[str] = field(init=False)
    honorifics: frozenset[str] = field(init=False)
    function_words: frozenset[str] = field(init=False)
    modifiers: frozenset[str] = field(init=False)
    family_name_first: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        entities = self.knowledge.entity
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
            for name in entity.contextual:
                contextual.setdefault(lookup_key(name), []).append(entity)
            for demonym in entity.demonyms:
                self.by_demonym[lookup_key(demonym)] = entity
        self.contextual = {key: tuple(found) for key, found in contextual.items()}
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
        entity_words = {
            word
            for entity in entities
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
    return KnowledgeIndex(load_knowledge(), source=ALIASES_FILE.name)

