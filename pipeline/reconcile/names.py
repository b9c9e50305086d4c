"""Read an actor's printed name before any scoring: title split off, alias or capital resolved.

"US Secretary of State Antony Blinken" is the name "Antony Blinken" (given 'antony', surname
'blinken') with the role 'secretary-of-state'; "Pyongyang", printed as a state, is North Korea by
the knowledge file; "the secretary" is no name but a descriptor with the head 'secretary'. Scoring
then compares these parts, never raw strings, so that a shared title or a shared word is never
mistaken for a shared name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from pipeline.reconcile.knowledge import KnowledgeIndex, Resolution
from pipeline.reconcile.text import lookup_key, words
from schemas.extraction import ActorKind
from schemas.knowledge import KnownEntity

_MAX_ACRONYM = 6


class KindClass(StrEnum):
    """Persons are compared by given names and surname, everything else by its whole name."""

    PERSON = "person"
    NAMED = "named"


@dataclass(frozen=True, slots=True)
class ActorName:
    """A printed actor name, read."""

    kind_class: KindClass
    printed: str  # the name as printed, its title left out
    tokens: tuple[str, ...]  # folded words of the name
    given: tuple[str, ...] = ()
    surname: str | None = None
    title: str | None = None  # as printed, or as the mention gave it
    role: str | None = None
    role_head: str | None = None
    entity: KnownEntity | None = None
    resolution: Resolution | None = None
    contextual: tuple[KnownEntity, ...] = ()
    is_descriptor: bool = False  # 'the secretary': a role, no name
    is_acronym: bool = False  # 'ICG', not known to the knowledge file
    acronym: str | None = None  # initials of a long organization name: 'icg'

    # Derived once at construction: read names are shared by every mention printing them,
    # and these are asked for millions of times on a large corpus.
    compact: str = field(init=False)  # letters without spaces: 'Kim Jong-un' = 'Kim Jongun'
    given_is_initials: bool = field(init=False)
    is_partial: bool = field(init=False)  # a bare surname, initials, an unknown acronym
    is_full: bool = field(init=False)  # identifies its actor across articles on its own
    identity: str | None = field(init=False)  # equal identities: one actor wherever printed

    def __post_init__(self) -> None:
        initials = bool(self.given) and all(len(token) == 1 for token in self.given)
        if self.entity is not None or self.is_descriptor:
            partial = False
        elif self.kind_class is KindClass.PERSON:
            partial = not self.given or initials
        else:
            partial = self.is_acronym
        if self.entity is not None:
            full = True
        else:
            full = bool(self.tokens) and not (partial or self.is_descriptor or self.contextual)
        compact = "".join(self.tokens)
        if self.entity is not None:
            identity: str | None = f"entity:{self.entity.key}"
        else:
            identity = f"{self.kind_class}:{compact}" if full else None
        for name, value in (
            ("compact", compact),
            ("given_is_initials", initials),
            ("is_partial", partial),
            ("is_full", full),
            ("identity", identity),
        ):
            object.__setattr__(self, name, value)


class NameReader:
    """Reads printed names against one knowledge index; remembers each name it has read."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index
        self._read: dict[tuple[str, ActorKind, str | None], ActorName] = {}

    def read(self, name: str, kind: ActorKind, title: str | None = None) -> ActorName:
        cache_key = (name, kind, title)
        found = self._read.get(cache_key)
        if found is None:
            found = self._read_person(name, title) if kind is ActorKind.PERSON else None
            found = found or self._read_named(name, kind, title)
            self._read[cache_key] = found
        return found

    def _read_person(self, name: str, title: str | None) -> ActorName | None:
        index = self.index
        all_words = words(name)
        known = index.by_name.get(lookup_key(name))
        if known is not None and known.entity.kind is ActorKind.PERSON:
            return self._known_person(name, all_words, title, known.entity, known.resolution)
        run = _title_length(all_words, index)
        name_words = all_words[run:]
        printed_title = _leading_words(name, run) if run else None
        title = title or printed_title
        role = index.role_in(words(title)) if title else None
        if not name_words:
            if role is None:
                return None  # no role, no name: read it as a plain name
            return ActorName(
                KindClass.PERSON,
                name.strip(),
                (),
                title=title,
                role=role[0],
                role_head=role[1],
                is_descriptor=True,
            )
        if len(name_words) > 1 and name_words[0] in index.family_name_first:
            surname, given = name_words[0], name_words[1:]
        else:
            surname, given = name_words[-1], name_words[:-1]
        return ActorName(
            KindClass.PERSON,
            _trailing_words(name, len(all_words) - run),
            name_words,
            given=given,
            surname=surname,
            title=title,
            role=role[0] if role else None,
            role_head=role[1] if role else None,
        )

    def _known_person(
        self,
        name: str,
        tokens: tuple[str, ...],
        title: str | None,
        entity: KnownEntity,
        resolution: Resolution,
    ) -> ActorName:
        role = self.index.role_in(words(title)) if title else None
        return ActorName(
            KindClass.PERSON,
            name.strip(),
            tokens,
            title=title,
            entity=entity,
            resolution=resolution,
            role=role[0] if role else None,
            role_head=role[1] if role else None,
        )

    def _read_named(self, name: str, kind: ActorKind, title: str | None) -> ActorName:
        index = self.index
        key = lookup_key(name)
        tokens = tuple(key.split())
        known = index.by_name.get(key)
        if known is not None and (known.entity.kind is ActorKind.PERSON) == (
            kind is ActorKind.PERSON
        ):
            return ActorName(
                KindClass.NAMED,
                name.strip(),
                tokens,
                title=title,
                entity=known.entity,
                resolution=known.resolution,
            )
        significant = [token for token in tokens if token not in index.function_words]
        letters = "".join(char for char in name if char.isalpha())
        is_acronym = (
            len(significant) == 1 and 2 <= len(letters) <= _MAX_ACRONYM and letters.isupper()
        )
        return ActorName(
            KindClass.NAMED,
            name.strip(),
            tokens,
            title=title,
            contextual=index.contextual.get(key, ()),
            is_acronym=is_acronym,
            acronym="".join(t[0] for t in significant) if len(significant) > 1 else None,
        )


def _title_length(found: tuple[str, ...], index: KnowledgeIndex) -> int:
    """How many leading words are a title: through the last role word or honorific ('Treasury
    Secretary', 'Mr.'), then any title words after it ('Coordinator for Strategic
    Communications'). A name is what follows; without a role word nothing is a title, so that
    'Jack White' keeps 'White'."""
    last_role = max(
        (k for k, word in enumerate(found) if word in index.role_words or word in index.honorifics),
        default=-1,
    )
    if last_role < 0:
        return 0
    end = last_role + 1
    while end < len(found) and found[end] in index.title_vocabulary:
        end += 1
    return end


def _word_counts(text: str) -> list[tuple[str, int]]:
    return [(chunk, len(words(chunk))) for chunk in text.split()]


def _leading_words(text: str, count: int) -> str:
    """The printed text of the first ``count`` folded words: the title before a name."""
    taken: list[str] = []
    for chunk, size in _word_counts(text):
        if count <= 0:
            break
        taken.append(chunk)
        count -= size
    return " ".join(taken)


def _trailing_words(text: str, count: int) -> str:
    """The printed text of the last ``count`` folded words: the name after a title."""
    taken: list[str] = []
    for chunk, size in reversed(_word_counts(text)):
        if count <= 0:
            break
        taken.append(chunk)
        count -= size
    return " ".join(reversed(taken))


def given_names_agree(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether two given names can be one person's: equal, initials of each other, one adding a
    middle name, or one typo apart ('antony'/'anthony'). 'jong un' and 'jong il' do not agree."""
    if not left or not right or left == right:
        return True
    if all(len(t) == 1 for t in left) or all(len(t) == 1 for t in right):
        initials_left = "".join(t[0] for t in left)
        initials_right = "".join(t[0] for t in right)
        return initials_left.startswith(initials_right) or initials_right.startswith(initials_left)
    if left[0] == right[0] and (left[: len(right)] == right or right[: len(left)] == left):
        return True
    joined_left, joined_right = " ".join(left), " ".join(right)
    return is_one_typo_apart(joined_left, joined_right)


def is_one_typo_apart(left: str, right: str) -> bool:
    """One insertion, deletion, substitution or transposition, in words of four letters or more,
    the first letter kept and Jaro-Winkler 0.9: 'Blinken'/'Blinkin', not 'Wood'/'Good' nor
    'Amir'/'Samir'."""
    if min(len(left), len(right)) < 4 or left[0] != right[0]:
        return False
    return (
        DamerauLevenshtein.distance(left, right, score_cutoff=1) <= 1
        and JaroWinkler.similarity(left, right) >= 0.9
    )
