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
from functools import lru_cache

import jellyfish
from nameparser import HumanName
from nameparser.config import CONSTANTS, Constants
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from pipeline.reconcile.knowledge import KnowledgeIndex, Resolution, load_numbers, load_titles
from pipeline.reconcile.organisations import (
    OrganisationForm,
    is_mixed_case_acronym,
    read_organisation,
)
from pipeline.reconcile.text import lookup_key, words
from schemas.extraction import ActorKind
from schemas.knowledge import KnownEntity

_MAX_ACRONYM = 6
# Generational suffixes tell a father from a son; 'PhD' or 'MP' after a name tell nobody apart.
_GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii",
                "iv": "iv", "2nd": "ii", "3rd": "iii"}  # fmt: skip


@lru_cache(maxsize=1)
def _parser_constants() -> Constants:
    """nameparser's titles with those of ``titles.v2.toml`` ('czar', 'caliph'), in a copy of its
    constants: the library's shared ones stay as shipped."""
    constants = Constants()
    constants.titles.add(*load_titles().words)
    return constants


@lru_cache(maxsize=1)
def _title_phrases() -> frozenset[tuple[str, ...]]:
    """Two-word titles ('crown prince'): nameparser would read 'Crown' as a given name."""
    return frozenset(words(phrase) for phrase in load_titles().phrases)


@lru_cache(maxsize=1)
def _given_name_titles() -> frozenset[str]:
    """Titles that are given names too ('emir'): a title only before a name of two words."""
    return frozenset(load_titles().given_name_words)


def _leading_phrase(found: tuple[str, ...]) -> int:
    """How many leading words are a two-word title, when a name follows it."""
    return 2 if len(found) > 2 and found[:2] in _title_phrases() else 0


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
    suffix: str | None = None  # generational: 'jr', 'sr', 'iii'
    # A state's name read as something else ('Georgia' printed as a place): never that state.
    elsewhere_of: str | None = None
    organisation: OrganisationForm | None = None  # the forms an organisation's name varies by
    # One word after a title that precedes given names ('King Salman', 'Sheikh Tamim'): a given
    # name, read in ``surname`` but never matched as one ('Salman' is not Mohammed bin Salman).
    first_name_only: bool = False
    # The kind an unknown name was printed as: 'Amazon' the company is not 'Amazon' the forest.
    actor_kind: ActorKind | None = None
    # The one state its article names, for a state body printed without one ('Foreign
    # Ministry' in a story that names only China): China's, not Russia's of another story.
    article_state: str | None = None
    # The article of a state body printed without its state in a story of several states, none
    # of which the corpus prints it for: that story's body, which meets no other story's.
    undecided_in: str | None = None

    # Derived once at construction: read names are shared by every mention printing them,
    # and these are asked for millions of times on a large corpus.
    compact: str = field(init=False)  # letters without spaces: 'Kim Jong-un' = 'Kim Jongun'
    given_is_initials: bool = field(init=False)
    is_partial: bool = field(init=False)  # a bare surname, initials, an unknown acronym
    is_full: bool = field(init=False)  # identifies its actor across articles on its own
    identity: str | None = field(init=False)  # equal identities: one actor wherever printed

    def __post_init__(self) -> None:
        """Derive the fields below; an unknown name's identity holds the kind it was printed as."""
        initials = bool(self.given) and all(len(token) == 1 for token in self.given)
        if self.entity is not None or self.is_descriptor:
            partial = False
        elif self.kind_class is KindClass.PERSON:
            partial = not self.given or initials or self.first_name_only
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
            kind = f"{self.kind_class}:{self.actor_kind}" if self.actor_kind else self.kind_class
            state = f"@{self.article_state}" if self.article_state else ""
            if self.undecided_in is not None:
                state = f"@?{self.undecided_in}"
            identity = f"{kind}:{compact}{state}" if full else None
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
        known = index.stands_for(lookup_key(name), ActorKind.PERSON)
        if known is not None:
            return self._known_person(name, all_words, title, known.entity, known.resolution)
        run = max(_title_length(all_words, index), _lower_case_lead(name, len(all_words)))
        run = run or _organisation_title_length(name, all_words, index)
        run += _leading_phrase(all_words[run:])
        if len(all_words) - run > 2 and all_words[run] in _given_name_titles():
            run += 1  # 'Emir Tamim bin Hamad': a title; 'Emir Kusturica': a given name
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
        printed = _trailing_words(name, len(all_words) - run)
        if len(name_words) > 1 and name_words[0] in index.family_name_first:
            surname, given, suffix = name_words[0], name_words[1:], None
        else:
            printed, name_words, given, surname, suffix = _parse_person(printed, name_words)
            if not name_words:
                return None
        leading = all_words[: len(all_words) - len(name_words)]  # every title word printed
        first_name_only = (
            len(name_words) == 1
            and not given
            and bool(leading)
            and leading[-1] in _parser_constants().first_name_titles
        )
        return ActorName(
            KindClass.PERSON,
            printed,
            name_words,
            given=given,
            surname=surname,
            suffix=suffix,
            title=title,
            role=role[0] if role else None,
            role_head=role[1] if role else None,
            first_name_only=first_name_only,
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
        known = index.stands_for(key, kind)
        significant = [token for token in tokens if token not in index.function_words]
        # A number counts whole, in digits: 'Group of 20' and 'Group of Twenty' are 'G20'.
        numbers = load_numbers()
        acronym = (
            "".join(
                t if t.isdigit() else numbers[t] if t in numbers else t[0] for t in significant
            )
            if len(significant) > 1
            else None
        )
        if known is not None:
            return ActorName(
                KindClass.NAMED,
                name.strip(),
                tokens,
                title=title,
                entity=known.entity,
                resolution=known.resolution,
                acronym=acronym,
                organisation=read_organisation(
                    name, function_words=index.function_words, state_of=index.state_of
                ),
            )
        elsewhere_of = None
        if key in index.country_only and (state := index.by_name.get(key)) is not None:
            elsewhere_of = state.entity.key
        # 'the IMF': the article's 'the' is no part of the abbreviation.
        printed_words = name.split()
        if len(printed_words) > 1 and printed_words[0].casefold() == "the":
            printed_words = printed_words[1:]
        letters = "".join(char for char in "".join(printed_words) if char.isalpha())
        digits = "".join(char for char in "".join(printed_words) if char.isdigit())
        is_acronym = (
            len(significant) == 1
            and 2 <= len(letters) + len(digits) <= _MAX_ACRONYM
            # 'G20', 'ICG', and 'BoE' with a small word's initial; not 'Pemex'
            and (letters.isupper() or is_mixed_case_acronym("".join(printed_words)))
            and (not digits or not printed_words[0][:1].isdigit())
        )
        organisation = (
            None
            if is_acronym
            else read_organisation(
                name, function_words=index.function_words, state_of=index.state_of
            )
        )
        return ActorName(
            KindClass.NAMED,
            name.strip(),
            tokens,
            title=title,
            contextual=index.contextual.get(key, ()),
            is_acronym=is_acronym,
            acronym=acronym,
            elsewhere_of=elsewhere_of,
            organisation=organisation,
            actor_kind=kind,
        )


def _parse_person(
    printed: str, name_words: tuple[str, ...]
) -> tuple[str, tuple[str, ...], tuple[str, ...], str, str | None]:
    """(printed, tokens, given, surname, suffix) by nameparser: titles it knows ('Rev.', 'Sen.',
    'Col.') set aside, a generational suffix kept apart, particles kept with the surname ('von
    der Leyen', 'bin Salman', 'da Silva')."""
    first = printed.split(maxsplit=1)[0]
    if not (
        any(_needs_parser(word) for word in name_words)
        or "," in printed
        or (first.endswith(".") and len(first) > 2)  # 'Sen.', 'Gov.': an abbreviated title
    ):
        # Plain given names and a surname, as nearly every printed name is: nameparser would
        # say the same, at a millisecond a name. A hyphenated last word is one surname
        # ('Okonjo-Iweala'), alone or after given names.
        tail = len(words(printed.split()[-1])) or 1
        return printed, name_words, name_words[:-tail], " ".join(name_words[-tail:]), None
    parsed = HumanName(printed, constants=_parser_constants())
    title_words = words(parsed.title)
    if title_words and name_words[: len(title_words)] == title_words:
        name_words = name_words[len(title_words) :]
        printed = _trailing_words(printed, len(name_words))
    suffix_words = list(words(parsed.suffix))
    suffix = next((_GENERATIONS[w] for w in suffix_words if w in _GENERATIONS), None)
    core = name_words
    if suffix_words and core[-len(suffix_words) :] == tuple(suffix_words):
        core = core[: -len(suffix_words)]
    if not core:
        return printed, (), (), "", None
    last = words(parsed.last)
    first_is_particle = bool(core) and core[0] in CONSTANTS.prefixes and len(core) > 1
    if first_is_particle:
        given: tuple[str, ...] = ()
        surname_words = core
    elif len(last) > 1 and core[-len(last) :] == last:
        given, surname_words = core[: -len(last)], last
    else:
        given, surname_words = core[:-1], core[-1:]
    tokens = (*core, suffix) if suffix else core
    return printed, tokens, given, " ".join(surname_words), suffix


def _needs_parser(word: str) -> bool:
    return (
        word in _parser_constants().titles
        or word in CONSTANTS.prefixes
        or word in CONSTANTS.suffix_acronyms
        or word in CONSTANTS.suffix_not_acronyms
    )


def surname_core(surname: str) -> str:
    """The surname without its particles: 'al qaddafi' -> 'qaddafi', 'von der leyen' -> 'leyen'."""
    found = [w for w in surname.split() if w not in CONSTANTS.prefixes]
    return found[-1] if found else surname


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


def _organisation_title_length(name: str, found: tuple[str, ...], index: KnowledgeIndex) -> int:
    """How many leading words are an organisation and a title nameparser knows, before a name of
    two words or more: 'NASA Administrator Bill Nelson' is Bill Nelson, not a man with the given
    names 'nasa administrator bill'. The words before the title must be printed as an
    abbreviation ('NASA') or be words of the knowledge file's names and titles, so that a given
    name is never taken for an organisation ('Bill Dean Smith' stays whole)."""
    chunks = _word_counts(name)
    if len(chunks) != len(found):
        return 0  # a hyphenated or dotted word: leave the name as the other rules read it
    titles = _parser_constants().titles
    for at in range(len(found) - 3, 0, -1):
        if found[at] not in titles:
            continue
        if all(
            found[k] in index.title_vocabulary or _printed_as_abbreviation(chunks[k][0])
            for k in range(at)
        ):
            return at + 1
    return 0


def _printed_as_abbreviation(chunk: str) -> bool:
    letters = [char for char in chunk if char.isalpha()]
    return 2 <= len(letters) <= _MAX_ACRONYM and all(char.isupper() for char in letters)


def _lower_case_lead(name: str, count: int) -> int:
    """How many leading words are printed in lower case before a capitalised name: a
    description, not a name ('prosecutor Karim Khan', 'co-leader Alice Weidel'). Particles
    ('de', 'al', 'van') and short words nameparser lacks ('el', 'ben') are name words."""
    lead = 0
    chunks = _word_counts(name)
    for at, (chunk, size) in enumerate(chunks):
        if not (chunk.islower() and len(chunk) > 3 and chunk not in CONSTANTS.prefixes):
            following = chunk[:1].isupper() and at > 0
            return lead if following and lead < count else 0
        lead += size
    return 0


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
    middle name, one typo apart ('antony'/'anthony'), or transliterations of each other. 'jong
    un' and 'jong il' do not agree."""
    if not left or not right or left == right:
        return True
    if all(len(t) == 1 for t in left) or all(len(t) == 1 for t in right):
        initials_left = "".join(t[0] for t in left)
        initials_right = "".join(t[0] for t in right)
        return initials_left.startswith(initials_right) or initials_right.startswith(initials_left)
    if left[0] == right[0] and (left[: len(right)] == right or right[: len(left)] == left):
        return True
    joined_left, joined_right = " ".join(left), " ".join(right)
    return is_one_typo_apart(joined_left, joined_right) or sound_alike(left, right)


def sound_alike(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """One name transliterated two ways: word for word the same metaphone (jellyfish), or one
    sound written with one letter or two (``transliteration_key``, lengths differing), and
    Jaro-Winkler 0.8 ('Alexander'/'Aleksandr', 'Mohammed'/'Muhammad', 'Jomart'/'Zhomart'); not
    'Nawaz'/'Shehbaz', nor 'Kamal'/'Jamal', two letters of one Soundex class."""
    return (
        len(left) == len(right)
        and all(
            jellyfish.metaphone(a) == jellyfish.metaphone(b)
            or (len(a) != len(b) and transliteration_key(a) == transliteration_key(b))
            for a, b in zip(left, right, strict=True)
        )
        and JaroWinkler.similarity(" ".join(left), " ".join(right)) >= 0.8
    )


@lru_cache(maxsize=65536)
def transliteration_key(word: str) -> str:
    """The first letter's Soundex class and NYSIIS of the rest (jellyfish): spellings of one word
    whose first sound is written by letters of one class ('Japarov'/'Zhaparov'), where metaphone
    reads 'J' and 'Zh' apart. Two names of one key and one length are two names ('Kamal'/'Jamal',
    'Gordon'/'Jordan'): callers ask for lengths that differ, one sound in one letter or two. A
    first letter Soundex gives no class (a vowel, 'h', 'w', 'y') stays itself."""
    if not word:
        return word
    letter_class = jellyfish.soundex("a" + word[0])[1:2]
    head = letter_class if letter_class not in ("", "0") else word[0]
    return head + jellyfish.nysiis(word)[1:]


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
