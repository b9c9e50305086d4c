"""Whether two speakers of quotes can be one person, by the names they are printed with.

Actor reconciliation keeps a bare 'Mr Lee' apart from 'Lee Jae-myung' when the corpus holds another
Lee or the family name is common, and reads 'Hanbada Administrator Bill Nelson' (of a company it
does not know) as a second full name beside 'Bill Nelson': right for actors, which have nothing but
the name. A quote has more: its words. Two printings of one remark under speakers whose names fit
each other (a surname alone, a title and a surname, a name people go by, a longer printing that ends
with the other's whole name, one typo apart) are one remark of one person, where no other person of
that name said it too (``quotes`` checks that). Names that tell two people apart (other given names,
another generational suffix) never fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from pipeline.reconcile.genders import genders_differ
from pipeline.reconcile.knowledge import default_knowledge_index
from pipeline.reconcile.names import (
    ActorName,
    KindClass,
    NameReader,
    given_names_agree,
    is_one_typo_apart,
    sound_alike,
    surname_core,
)
from pipeline.reconcile.text import words
from schemas.extraction import ActorKind


@dataclass(frozen=True)
class SpeakerNames:
    """The person names one speaker (a reconciled actor, or a printed name) is printed with."""

    names: tuple[ActorName, ...]

    @property
    def printed(self) -> str:
        """Its fullest printed name, for explanations."""
        return max(self.names, key=lambda n: (len(n.tokens), n.printed)).printed

    def family_keys(self) -> frozenset[str]:
        """Sound keys of the words a namesake must share (a surname, a name people go by):
        speakers meet only within one key ('Dissanayake' / 'Dissanayaka' share theirs)."""
        return frozenset(
            jellyfish.metaphone(word) or word for name in self.names for word in _family_words(name)
        )

    def fits(self, other: SpeakerNames) -> bool:
        """Whether every name of one fits every name of the other."""
        return all(_names_fit(a, b) for a in self.names for b in other.names)


@lru_cache(maxsize=1)
def _reader() -> NameReader:
    return NameReader(default_knowledge_index())


def speaker_names(printed: Iterable[str]) -> SpeakerNames | None:
    """The speaker's names read as a person's; None where one is no person's name ('the
    ministry', 'the secretary'): such a speaker meets only itself."""
    names: dict[tuple[str, ...], ActorName] = {}
    for text in printed:
        name = _reader().read(text, ActorKind.PERSON)
        if name.kind_class is not KindClass.PERSON or name.is_descriptor or not name.tokens:
            return None
        if name.entity is not None or not (name.surname or name.given):
            return None
        names.setdefault((*name.tokens, name.title or ""), name)
    return SpeakerNames(tuple(names.values())) if names else None


def _family_words(name: ActorName) -> tuple[str, ...]:
    """The words another printing of the person must hold: the surname's core, or the one
    name printed after a title that precedes given names ('Sheikh Tamim'), and for a full
    name each given name too (the name a bare 'Lula' or 'Tedros' goes by)."""
    core = surname_core(name.surname) if name.surname else ""
    found = [core] if core else []
    if name.is_full:
        found.extend(name.given)
    return tuple(found)


def _names_fit(a: ActorName, b: ActorName) -> bool:
    """One person's two printed names, by the words each prints; a man's honorific or given
    name never fits a woman's ('Mrs Mendes' is not Carlos Mendes)."""
    if genders_differ(a, b):
        return False
    if a.tokens == b.tokens:
        return a.suffix == b.suffix
    if a.suffix and b.suffix and a.suffix != b.suffix:
        return False  # 'Jr.' and 'Sr.' are two people
    if a.is_full and b.is_full:
        short, long = sorted((a.tokens, b.tokens), key=len)
        # 'Hanbada Administrator Bill Nelson' ends with 'Bill Nelson': the words before are a
        # title the reader did not know, not other given names.
        if len(short) < 2:
            return False
        # 'Evaristo Condori' is 'Evaristo Condori Mamani' without his second surname.
        second_surname = len(long) == len(short) + 1 and long[: len(short)] == short
        return long[-len(short) :] == short or second_surname
    partial, other = (a, b) if a.is_partial else (b, a)
    if partial.first_name_only:
        word = partial.surname or ""
        return word in other.given or (other.first_name_only and other.surname == word)
    if not partial.surname:
        return False
    own = surname_core(partial.surname)
    theirs = [surname_core(other.surname)] if other.surname else []
    if other.is_full and not _is_honorific(partial.title):
        theirs.extend(other.given)  # 'President Lula', 'Tedros': the name one goes by
    elif other.is_full:
        # 'Mr Kim' in 'Hanbada chairman Kim Tae-yang': a family name printed first, after
        # words the reader took for given names.
        theirs.extend(w for w in other.given if w in default_knowledge_index().family_name_first)
    if not any(_same_surname(own, word) for word in theirs):
        return False
    return given_names_agree(partial.given, other.given) if partial.given else True


def _is_honorific(title: str | None) -> bool:
    """'Mr', 'Ms', 'Dr' before a word: that word is a surname, never a given name."""
    if not title:
        return False
    honorifics = default_knowledge_index().honorifics
    return any(word in honorifics for word in words(title))


def _same_surname(left: str, right: str) -> bool:
    """Equal, one typo apart in a long surname, or one surname transliterated two ways."""
    if left == right:
        return True
    if min(len(left), len(right)) >= 6 and is_one_typo_apart(left, right):
        return True
    return sound_alike((left,), (right,))


def fitting_speakers(
    speakers: Iterable[tuple[str, SpeakerNames | None]], of: Iterable[SpeakerNames]
) -> set[str]:
    """The keys of ``speakers`` whose names fit one of ``of``: whose remarks quotes may join
    across speakers (an incremental run reads their stored clusters too)."""
    wanted = list(of)
    by_key: dict[str, list[SpeakerNames]] = {}
    for names in wanted:
        for key in names.family_keys():
            by_key.setdefault(key, []).append(names)
    found: set[str] = set()
    for speaker, read in speakers:
        if read is None:
            continue
        near = {id(n): n for key in read.family_keys() for n in by_key.get(key, ())}
        if any(read.fits(other) for other in near.values()):
            found.add(speaker)
    return found


def speakers_with_namesakes(speakers: Mapping[str, SpeakerNames | None]) -> set[str]:
    """The keys of ``speakers`` that another one may fit: those printed with a partial name
    (a bare surname, a title and surname) and the speakers sharing a sound key with one, and
    full names one of which ends with, or is without the last word of, another. Nearly every
    speaker of a large corpus is none of these, and is never compared across speakers."""
    by_key: dict[str, list[str]] = {}
    by_tokens: dict[tuple[str, ...], list[str]] = {}
    partial: list[str] = []
    for speaker, read in speakers.items():
        if read is None:
            continue
        for key in read.family_keys():
            by_key.setdefault(key, []).append(speaker)
        for name in read.names:
            if name.is_full:
                by_tokens.setdefault(name.tokens, []).append(speaker)
            else:
                partial.append(speaker)
    found: set[str] = set()
    for speaker in partial:
        read = speakers[speaker]
        assert read is not None
        found.add(speaker)
        for key in read.family_keys():
            found.update(by_key[key])
    for tokens, holders in by_tokens.items():
        shorter = [tokens[k:] for k in range(1, len(tokens) - 1)]
        if len(tokens) > 2:
            shorter.append(tokens[:-1])  # a second surname dropped
        for other in shorter:
            if other in by_tokens:
                found.update(holders)
                found.update(by_tokens[other])
    return found
