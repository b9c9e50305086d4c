"""Titles of rulers, nobles and religious leaders that nameparser's list lacks, from WordNet 3.0.

nameparser knows 'Prince', 'Sheikh' and 'Cardinal' but not 'Crown Prince' (it reads 'Crown' as a
given name) nor 'Czar'. From Princeton WordNet 3.0 (Debian ``wordnet-base``), under 'ruler',
'aristocrat', 'head of state' and 'religious leader', two kinds of titles are taken: two-word
kinds of a nameparser title ending in that title ('crown prince' is a kind of 'prince', 'grand
duke' of 'duke'), and single-word synonyms of a nameparser title ('czar' of 'tsar'), leaving out
words gender-guesser lists as given names. Kinds of military officers and clergy are left out:
WordNet's trees there hold common nouns ('reader', 'shepherd', 'light colonel') more than titles.
Since version 2, the single-word kinds of 'ruler' and 'head of state' too ('emir', 'caliph',
'regent'), but none that Faker lists as a family name ('khan', 'shah'); those that are also given
names ('Emir', 'Amir') apart, read as a title only before a name of two words or more.
"""

from __future__ import annotations

from dataclasses import dataclass

from nameparser.config import CONSTANTS

from pipeline.reconcile.given_names import is_given_name
from scripts.knowledge.organisations import Synset

# ruler; aristocrat; head of state; religious leader (WordNet 3.0 noun offsets)
ROOTS = ("10541229", "09807754", "10164747", "10519494")
RULERS = ("10541229", "10164747")  # ruler; head of state: their kinds are titles ('emir')


@dataclass(frozen=True)
class Titles:
    words: list[str]  # single words, read by nameparser beside its own list
    phrases: list[str]  # two words printed together before a name: 'crown prince'
    given_name_words: list[str]  # titles that are given names too: 'emir' (Emir Kusturica)


def _below(synsets: dict[str, Synset], root: str) -> set[str]:
    seen = {root}
    queue = [root]
    while queue:
        for symbol, target in synsets[queue.pop()].pointers:
            if symbol == "~" and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _common(synset: Synset) -> list[str]:
    return [lemma for lemma in synset.lemmas if lemma.islower()]


def build_titles(
    synsets: dict[str, Synset], *, surnames: frozenset[str] = frozenset()
) -> Titles:
    known = CONSTANTS.titles
    people = set().union(*(_below(synsets, root) for root in ROOTS))

    def holds_title(offset: str) -> bool:
        return any(" " not in w and w in known for w in _common(synsets[offset]))

    words: set[str] = set()
    phrases: set[str] = set()
    for offset in people:
        lemmas = _common(synsets[offset])
        if holds_title(offset):
            words |= {w for w in lemmas if " " not in w and "-" not in w}
        hypernyms = [t for symbol, t in synsets[offset].pointers if symbol == "@"]
        if any(holds_title(h) for h in hypernyms):
            phrases |= {w for w in lemmas if len(w.split()) == 2 and w.split()[-1] in known}
    kinds_of_rulers = {
        lemma
        for root in RULERS
        for symbol, target in synsets[root].pointers
        if symbol == "~"
        for lemma in _common(synsets[target])
        if " " not in lemma and "-" not in lemma and lemma not in known and lemma not in surnames
    }
    given = {w for w in kinds_of_rulers if is_given_name(w)}
    words = {w for w in words | kinds_of_rulers if w not in known and not is_given_name(w)}
    return Titles(sorted(words), sorted(phrases), sorted(given))
